/*
 * main.c — dispatches subcommands and is the one place where errors become messages for
 * people: every line of an error is printed as "kaohe: error: LINE" on stderr.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/suggest.h"
#include "cli/cli.h"
#include "evidence/sqlite_heap.h"

static const cli_command COMMANDS[] = {
    {"run", cmd_run,
     "kaohe run --evidence DB|DIR... [-j N] [--period P]\n"
     "          [--param NAME=VALUE]... [--out report.xlsx] [--results results.db]\n"
     "          [--county-workbooks DIR]\n"
     "          [--deadline YYYY-MM-DD] [--allow-empty] [--one-form-per-page]\n"
     "          [--memory-limit MB] [--instruction-limit N] [--query-limit STEPS]\n"
     "          [--time-limit SECONDS] [--item-rows N]\n"
     "          [--spill-after DEDUCTIONS] [--quiet] [--verbose] [--no-hash-cache]\n"
     "          SCORECARD...",
     "evaluate scorecards on the evidence; write the workbook and results"},
    {"merge", cmd_merge,
     "kaohe merge --results OUT.db [--out report.xlsx] [--deadline YYYY-MM-DD]\n"
     "          [--quiet] PART.db...",
     "combine shards run separately (array jobs) into one run and workbook"},
    {"check", cmd_check, "kaohe check [--evidence DB] [--period P] [--print-sql] SCORECARD...",
     "validate scorecards without running: declarations, points, queries"},
    {"import", cmd_import,
     "kaohe import --evidence DB [--table T] [--map MAPPING.tsv]\n"
     "          [--encoding auto|utf-8|gb18030] [--partial [--rejects FILE]]\n"
     "          [--max-errors N] FILE.csv|FILE.xlsx...",
     "import CSV/xlsx exports into the evidence: validated, all or nothing"},
    {"schema", cmd_schema, "kaohe schema --evidence DB",
     "create a new evidence database with the schema, and print the schema"},
    {"hash", cmd_hash, "kaohe hash --evidence DB",
     "print the content hash of the evidence, table by table"},
    {"reproduce", cmd_reproduce,
     "kaohe reproduce (--results DB [--run N] | --workbook FILE.xlsx)\n"
     "          [--evidence DB]",
     "re-run a past run: confirm it (exit 0) or list what differs (exit 3)"},
    {"runs", cmd_runs, "kaohe runs --results DB",
     "the runs a results database holds: when, period, cards, evidence"},
    {"explain", cmd_explain,
     "kaohe explain --results DB [--run N] --subject ID [--item N]\n"
     "          [--limit ROWS] [--all] [--evidence DB]",
     "a subject's items, reasons and the evidence behind every lost point"},
    {"diff", cmd_diff, "kaohe diff --results DB RUN_A RUN_B [--out 整改台账.xlsx]",
     "回头看: rectified (已销号), persisting and new problems between runs"},
    {"sample", cmd_sample,
     "kaohe sample --evidence DB --seed N --period P --scorecard ID --items 3,4\n"
     "          [--kind village|cadre] [--per-stratum K] [--out 抽查清单.xlsx]\n"
     "       kaohe sample --evidence DB --import FILLED.xlsx",
     "抽查: a seeded, stratified field checklist; filled, it gives findings"},
    {"findings", cmd_findings,
     "kaohe findings list --evidence DB [--scorecard ID] [--item N]\n"
     "                           [--subject ID] [--period P] [--removed]\n"
     "       kaohe findings remove --evidence DB ID...\n"
     "       kaohe findings import --evidence DB [--scorecard FILE]... [--replace]\n"
     "                             (FILLED.xlsx | FINDINGS.csv...)",
     "现场核查结论: list, remove by id, import a CSV or filled checklist"},
    {"export", cmd_export,
     "kaohe export --results DB [--run N] --format csv|json\n"
     "          --what results|scores|deductions|findings [--out FILE] [--evidence DB]\n"
     "          [--raw]",
     "a run's results, scores, deductions or findings as CSV or JSON Lines"},
    {"accountability", cmd_accountability,
     "kaohe accountability --results DB [--run N] [--format text|csv]",
     "问责名单: 包抓 cadres meeting a 问责情形 (附件3 五(一)1-5)"},
    {"version", cmd_version, "kaohe version", "print the engine version"},
    {"help", cmd_help, "kaohe help [COMMAND]", "show this help, or one command's usage"},
};

#define NCOMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

/* The one option of `schema` and `hash`: --evidence DB. Returns 0, or -1 with a usage error. */
int cli_evidence_only(int argc, char **argv, const char **path, kh_error *err)
{
    for (int i = 1; i < argc; i++) {
        int m = cli_option(argc, argv, &i, "--evidence", path, err);
        if (m < 0)
            return -1;
        if (!m) {
            cli_unknown_option(argv[0], argv[i], err);
            return -1;
        }
    }
    return 0;
}

/* The command named `name`, or NULL. */
static const cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, COMMANDS[i].name) == 0)
            return &COMMANDS[i];
    return NULL;
}

/* "unknown command 'rnu' (did you mean 'run'?)" into err. */
static void unknown_command(const char *prefix, const char *name, kh_error *err)
{
    const char *names[NCOMMANDS];
    for (size_t i = 0; i < NCOMMANDS; i++)
        names[i] = COMMANDS[i].name;
    const char *near = kh_suggest(name, names, NCOMMANDS);
    kh_seterr(err, "%sunknown command '%s' (%s%s%s)", prefix, name, near ? "did you mean '" : "",
              near ? near : "try 'kaohe help'", near ? "'?" : "");
}

/* The hidden forms of help that the build and bash completion read: --scdoc, --complete. */
static int help_for_tools(int argc, char **argv)
{
    if (strcmp(argv[1], "--scdoc") == 0)
        cli_print_scdoc(COMMANDS, NCOMMANDS, stdout);
    else if (strcmp(argv[1], "--complete") == 0)
        cli_print_complete(COMMANDS, NCOMMANDS, argc > 2 ? argv[2] : NULL, stdout);
    else
        return 0;
    return 1;
}

int cmd_help(int argc, char **argv, kh_error *err)
{
    if (argc > 2 && strcmp(argv[1], "--complete") != 0) { /* --complete CMD: completion */
        kh_seterr(err, "help: unknown argument '%s'", argv[2]);
        return EXIT_USAGE;
    }
    if (argc > 1) {
        if (help_for_tools(argc, argv))
            return EXIT_OK;
        const cli_command *cmd = find_command(argv[1]);
        if (cmd) {
            cli_print_help(cmd, stdout);
            return EXIT_OK;
        }
        unknown_command("help: ", argv[1], err);
        return EXIT_USAGE;
    }
    printf("kaohe — 考核 scoring and audit rule engine\n\nusage: kaohe COMMAND [ARGS]\n\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        printf("  %-8s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    printf("\nexit codes:\n"
           "  0  success\n"
           "  1  the run or check failed (the message names file and line; nothing written)\n"
           "  2  usage error: unknown command or option, missing or malformed argument\n"
           "  3  differences found: reproduce's results differ from the recorded run's,\n"
           "     or diff found problems rectified, new, or changed by rules or parameters\n");
    printf("Run 'kaohe help COMMAND' or 'kaohe COMMAND --help' for a command's options,\n"
           "'kaohe --version' for the version, 'man kaohe' for the manual.\n");
    return EXIT_OK;
}

/* `kaohe` alone: a short reminder on stderr and exit 2 (git's convention: no command is a
 * usage error, and stdout stays empty for a script that forgot its argument). */
static int short_help(void)
{
    fprintf(stderr, "usage: kaohe COMMAND [ARGS]\n\ncommands:");
    size_t col = strlen("commands:"); /* the names are ASCII: one column a byte */
    for (size_t i = 0; i < NCOMMANDS; i++) {
        size_t n = strlen(COMMANDS[i].name);
        if (col + 1 + n > 80) { /* an 80-column terminal */
            fprintf(stderr, "\n ");
            col = 1;
        }
        fprintf(stderr, " %s", COMMANDS[i].name);
        col += 1 + n;
    }
    fprintf(stderr, "\n\nRun 'kaohe help' for what each does, 'kaohe COMMAND --help' for its "
                    "options.\n");
    return EXIT_USAGE;
}

/* -h or --help anywhere among a subcommand's arguments (before a "--"). */
static int wants_help(int argc, char **argv)
{
    for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    return 0;
}

int cli_option(int argc, char **argv, int *i, const char *name, const char **value, kh_error *err)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0)
        return 0;
    if (a[n] == '=') {
        *value = a + n + 1;
        return 1;
    }
    if (a[n] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        kh_seterr(err, "%s needs a value", name);
        return -1;
    }
    *value = argv[++*i];
    return 1;
}

int cli_parse_u64(const char *text, unsigned long long *out)
{
    char *end = NULL;
    /* strtoull would skip leading space, accept a sign, and saturate on overflow */
    if (!text || !isdigit((unsigned char)*text))
        return -1;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

int cli_parse_run(const char *text, int64_t *run, kh_error *err)
{
    unsigned long long v;
    if (cli_parse_u64(text, &v) != 0 || v == 0) {
        kh_seterr(err, "--run %s: expected a run number", text);
        return -1;
    }
    *run = (int64_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    kh_error err;
    err.msg[0] = '\0';
    int rc;
    /* before any database is opened: SQLite's memory ceiling without its global mutex
     * (evidence/sqlite_heap.c); were it refused, SQLite's own ceiling applies */
    (void)ev_heap_install();
    if (argc < 2)
        return short_help();
    const cli_command *cmd = find_command(argv[1]);
    if (cmd && wants_help(argc, argv)) {
        cli_print_help(cmd, stdout);
        return EXIT_OK;
    }
    if (!cmd && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        cmd = find_command("help");
    if (!cmd && strcmp(argv[1], "--version") == 0)
        cmd = find_command("version");
    if (!cmd) {
        unknown_command("", argv[1], &err);
        rc = EXIT_USAGE;
    } else {
        rc = cmd->run(argc - 1, argv + 1, &err);
    }
    if (rc != EXIT_OK && err.msg[0]) {
        /* One message per line, each with the prefix, so that grep and editors that jump to
         * FILE:LINE work on every problem. */
        char *line = err.msg;
        while (line && *line) {
            char *nl = strchr(line, '\n');
            if (nl)
                *nl = '\0';
            fprintf(stderr, "kaohe: error: %s\n", line);
            line = nl ? nl + 1 : NULL;
        }
        if (rc == EXIT_USAGE && cmd)
            fprintf(stderr, "usage: %s\n", cmd->usage);
    }
    return rc;
}
