/*
 * cli.h — the `kaohe` command line: one table of subcommands, one place (main.c) that turns
 * errors into messages and chooses the exit code.
 *
 * Exit codes (documented in README.md and `kaohe help`):
 *   0  success
 *   1  the run or check failed: a scorecard, the evidence or an output path has a problem
 *      (the message names the file and line)
 *   2  usage error: unknown subcommand or option, missing or malformed argument
 *   3  differences found: `reproduce` got results other than the recorded run's; `diff` found
 *      problems rectified, new or changed by the rules or parameters between its two runs
 *      (like diff(1), 0 means no difference)
 */
#ifndef KAOHE_CLI_H
#define KAOHE_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "base/strbuf.h"

enum { EXIT_OK = 0, EXIT_FAILED = 1, EXIT_USAGE = 2, EXIT_DIFFERS = 3 };

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv, kh_error *err); /* argv[0] is the subcommand */
    const char *usage;
    const char *summary;
} cli_command;

int cmd_run(int argc, char **argv, kh_error *err);
int cmd_check(int argc, char **argv, kh_error *err);
int cmd_version(int argc, char **argv, kh_error *err);
int cmd_import(int argc, char **argv, kh_error *err);
int cmd_schema(int argc, char **argv, kh_error *err);
int cmd_hash(int argc, char **argv, kh_error *err);
int cmd_reproduce(int argc, char **argv, kh_error *err);
int cmd_explain(int argc, char **argv, kh_error *err);
int cmd_diff(int argc, char **argv, kh_error *err);
int cmd_sample(int argc, char **argv, kh_error *err);
int cmd_merge(int argc, char **argv, kh_error *err);
int cmd_runs(int argc, char **argv, kh_error *err);
int cmd_findings(int argc, char **argv, kh_error *err);
int cmd_export(int argc, char **argv, kh_error *err);
int cmd_accountability(int argc, char **argv, kh_error *err);
int cmd_help(int argc, char **argv, kh_error *err);

/* The run's summary on stdout (kaohe run, kaohe merge). */
struct kh_run_outcome;
void cli_print_summary(const char *out_xlsx, const char *results_db,
                       const struct kh_run_outcome *o);

/* What `kaohe import` (and `kaohe findings import` of CSV files) imported, file by file, and
 * the findings replaced, on stdout. */
struct kh_import_report;
void cli_print_import(const struct kh_import_report *rep);
/* The problems of a failed import, each an error line on stderr (before the summary in err). */
void cli_print_import_errors(const struct kh_import_report *rep);

/* Option helper: if argv[*i] is `--name VALUE` or `--name=VALUE`, stores VALUE, advances *i
 * and returns 1; returns -1 (usage error in err) if the value is missing; 0 if no match. */
int cli_option(int argc, char **argv, int *i, const char *name, const char **value, kh_error *err);

/* Parses a whole number written in digits only ("256"); -1 on anything else or overflow. */
int cli_parse_u64(const char *text, unsigned long long *out);

/* A run number of a results database (--run N, kaohe diff A B): a positive integer. -1 (usage
 * error in err) otherwise. */
int cli_parse_run(const char *text, int64_t *run, kh_error *err);

/* The one option of `schema` and `hash`: --evidence DB. Returns 0, or -1 with a usage error. */
int cli_evidence_only(int argc, char **argv, const char **path, kh_error *err);

/* One option of a subcommand, for help, the man page and completion (options.c): name
 * ("--jobs"), short alias ("-j") or NULL, the value's name ("N") or NULL for a flag, one line of
 * help. A name not starting with '-' describes the operands ("SCORECARD..."). */
typedef struct cli_opt {
    const char *name, *alias, *arg, *help;
} cli_opt;

/* The command's options, ended by a NULL name; NULL for a command the table does not know. */
const cli_opt *cli_options_of(const char *command);

/* `kaohe CMD --help`: usage, summary and one line per option, on out. */
void cli_print_help(const cli_command *cmd, FILE *out);

/* The man page's COMMANDS section in scdoc (`kaohe help --scdoc`, cmake/manpage.cmake). */
void cli_print_scdoc(const cli_command *cmds, size_t n, FILE *out);

/* For bash completion: the command names, or one command's options one per line ("--out
 * FILE.xlsx" when it takes a value) and its operands ("SCORECARD..."). */
void cli_print_complete(const cli_command *cmds, size_t n, const char *command, FILE *out);

/* The width of the terminal on fd (else $COLUMNS, else 80), and a UTF-8 line cut in place so
 * that it takes at most `columns` columns (汉字 count two): for progress lines (term.c). */
int cli_term_columns(int fd);
void cli_fit_columns(char *s, int columns);

/* "CMD: unknown option 'ARG' (did you mean '--x'?)" into err, the suggestion from the options
 * table; "CMD: unknown argument 'ARG'" for a word that is not an option. Returns -1. */
int cli_unknown_option(const char *command, const char *arg, kh_error *err);

#endif
