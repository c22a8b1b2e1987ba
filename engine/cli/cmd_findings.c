/*
 * cmd_findings.c — `kaohe findings list|remove|import`: the findings (现场核查结论) of an
 * evidence database managed rather than piled up. import is the two ways findings come in
 * today, reused: a finding CSV (kaohe import's path, table finding) or a filled checklist
 * (kaohe sample --import's path), with --replace for findings that clash with earlier ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app/finding_rules.h"
#include "app/findings.h"
#include "app/sample.h"
#include "cli/cli.h"
#include "evidence/import.h"

/* 1 if `path` ends in `ext` (".xlsx"), ignoring case. */
static int ends_with(const char *path, const char *ext)
{
    size_t n = strlen(path), k = strlen(ext);
    return n >= k && strcasecmp(path + n - k, ext) == 0;
}

static int findings_list(int argc, char **argv, kh_error *err)
{
    const char *evidence = NULL;
    ev_finding filter;
    memset(&filter, 0, sizeof filter);
    int removed = 0;
    for (int i = 1; i < argc; i++) {
        int m;
        if (strcmp(argv[i], "--removed") == 0) {
            removed = 1;
        } else if ((m = cli_option(argc, argv, &i, "--evidence", &evidence, err)) ||
                   (m = cli_option(argc, argv, &i, "--scorecard", &filter.scorecard, err)) ||
                   (m = cli_option(argc, argv, &i, "--item", &filter.item, err)) ||
                   (m = cli_option(argc, argv, &i, "--subject", &filter.subject_id, err)) ||
                   (m = cli_option(argc, argv, &i, "--period", &filter.period, err))) {
            if (m < 0)
                return EXIT_USAGE;
        } else {
            kh_seterr(err, "findings list: unknown argument '%s'", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!evidence) {
        kh_seterr(err, "findings list: --evidence DB is required");
        return EXIT_USAGE;
    }
    if (removed && (filter.scorecard || filter.item || filter.subject_id || filter.period)) {
        kh_seterr(err, "findings list: --removed lists every removal; it takes no filter");
        return EXIT_USAGE;
    }
    int rc = removed ? kh_findings_list_removed(evidence, stdout, err)
                     : kh_findings_list(evidence, &filter, stdout, err);
    return rc == 0 ? EXIT_OK : EXIT_FAILED;
}

/* The options of remove and import: --evidence DB; for import --replace and --scorecard FILE
 * (repeated, into cards); the rest into args (ids or files). 0, or -1 with a usage error. */
typedef struct findings_opts {
    const char *evidence;
    int replace;
    const char **cards, **args;
    size_t ncards, nargs;
} findings_opts;

static int findings_args(int argc, char **argv, int import, findings_opts *o, kh_error *err)
{
    o->cards = xcalloc((size_t)argc, sizeof *o->cards);
    o->args = xcalloc((size_t)argc, sizeof *o->args);
    for (int i = 1; i < argc; i++) {
        const char *card = NULL;
        int m = cli_option(argc, argv, &i, "--evidence", &o->evidence, err);
        if (!m && import && (m = cli_option(argc, argv, &i, "--scorecard", &card, err)) > 0)
            o->cards[o->ncards++] = card;
        if (m < 0)
            return -1;
        if (m)
            continue;
        if (import && strcmp(argv[i], "--replace") == 0) {
            o->replace = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            kh_seterr(err, "findings %s: unknown option '%s'", argv[0], argv[i]);
            return -1;
        } else {
            o->args[o->nargs++] = argv[i];
        }
    }
    if (!o->evidence) {
        kh_seterr(err, "findings %s: --evidence DB is required", argv[0]);
        return -1;
    }
    if (o->nargs == 0) {
        kh_seterr(err, "findings %s: %s", argv[0],
                  import ? "no file given (a filled 抽查清单.xlsx, or finding CSV files)"
                         : "no finding id given (see: kaohe findings list)");
        return -1;
    }
    return 0;
}

static void findings_opts_free(findings_opts *o)
{
    free(o->cards);
    free(o->args);
}

static int findings_remove(int argc, char **argv, kh_error *err)
{
    findings_opts o = {0};
    int rc = EXIT_USAGE;
    if (findings_args(argc, argv, 0, &o, err) == 0)
        rc = kh_findings_remove(o.evidence, o.args, o.nargs, stdout, err) == 0 ? EXIT_OK
                                                                               : EXIT_FAILED;
    findings_opts_free(&o);
    return rc;
}

/* The files in: a filled checklist alone (its own transaction), or finding CSV files
 * (together, in one), each finding checked as `policy` says. An exit code. */
static int import_files(const findings_opts *o, const ev_finding_policy *policy, kh_error *err)
{
    if (ends_with(o->args[0], ".xlsx"))
        return kh_sample_import(o->args[0], o->evidence, policy, stdout, err) == 0 ? EXIT_OK
                                                                                   : EXIT_FAILED;
    kh_import_options opt;
    memset(&opt, 0, sizeof opt);
    opt.evidence_path = o->evidence;
    opt.table = "finding";
    opt.files = o->args;
    opt.nfiles = o->nargs;
    opt.progress = isatty(2);
    opt.findings = policy;
    kh_import_report rep;
    int rc = kh_import(&opt, &rep, err) == 0 ? EXIT_OK : EXIT_FAILED;
    if (rc == EXIT_OK)
        cli_print_import(&rep);
    else
        cli_print_import_errors(&rep);
    kh_import_report_free(&rep);
    return rc;
}

static int findings_import(int argc, char **argv, kh_error *err)
{
    findings_opts o = {0};
    int rc = EXIT_USAGE;
    size_t nxlsx = 0;
    if (findings_args(argc, argv, 1, &o, err) != 0)
        goto done;
    for (size_t i = 0; i < o.nargs; i++)
        nxlsx += ends_with(o.args[i], ".xlsx");
    if (nxlsx && o.nargs > 1) {
        kh_seterr(err, "findings import: a filled checklist (%s) is imported alone", o.args[0]);
        goto done;
    }
    rc = EXIT_FAILED;
    finding_rules *rules = finding_rules_load(o.cards, o.ncards, o.evidence, err);
    if (!rules)
        goto done;
    printf("kaohe: 对照考核表 %s 检查核查结论\n", finding_rules_ids(rules));
    fflush(stdout); /* before any error on stderr */
    ev_finding_policy policy = {o.replace, finding_rules_check, rules};
    rc = import_files(&o, &policy, err);
    finding_rules_free(rules);
done:
    findings_opts_free(&o);
    return rc;
}

int cmd_findings(int argc, char **argv, kh_error *err)
{
    if (argc < 2) {
        kh_seterr(err, "findings: list, remove or import?");
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "list") == 0)
        return findings_list(argc - 1, argv + 1, err);
    if (strcmp(argv[1], "remove") == 0)
        return findings_remove(argc - 1, argv + 1, err);
    if (strcmp(argv[1], "import") == 0)
        return findings_import(argc - 1, argv + 1, err);
    kh_seterr(err, "findings: unknown subcommand '%s' (list, remove or import)", argv[1]);
    return EXIT_USAGE;
}
