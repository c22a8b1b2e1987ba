/*
 * options.c — every subcommand's options, one line of help each: the one table that `kaohe CMD
 * --help`, `kaohe help CMD`, the man page (`kaohe help --scdoc`) and bash completion (`kaohe
 * help --complete`) are made from. The cmd_*.c files parse; tests/e2e/help.sh fails when one of
 * them accepts an option this table does not list, or its usage line names one it does not.
 *
 * A command without an entry still gets its usage line and summary as help.
 */
#include <stddef.h>
#include <string.h>

#include "cli/cli.h"

/* name, short alias, value (NULL: a flag), help; an entry whose name does not start with '-'
 * is an operand. */
static const cli_opt RUN[] = {
    {"--evidence", NULL, "DB|DIR", "evidence, or a folder of shards (required)"},
    {"--jobs", "-j", "N", "worker threads (default: the number of cores)"},
    {"--period", NULL, "P", "考核期, a year (default: the first scorecard's)"},
    {"--param", NULL, "NAME=VALUE", "set a parameter a scorecard declares; repeatable"},
    {"--out", NULL, "FILE.xlsx", "write the workbook there (none without it)"},
    {"--results", NULL, "DB", "add the run to this results database"},
    {"--county-workbooks", NULL, "DIR", "also each shard's own workbook, DIR/<shard>.xlsx"},
    {"--deadline", NULL, "YYYY-MM-DD", "整改期限 printed in the 整改台账"},
    {"--allow-empty", NULL, NULL, "run although the evidence does not cover the period"},
    {"--one-form-per-page", NULL, NULL, "one form a printed page (default: as many as fit)"},
    {"--memory-limit", NULL, "MB", "memory ceiling of the scorecards' Lua, in MiB"},
    {"--instruction-limit", NULL, "N", "Lua instruction budget per scorecard"},
    {"--query-limit", NULL, "STEPS", "SQLite steps one evidence query may take"},
    {"--time-limit", NULL, "SECONDS", "wall-clock limit per scorecard and per query (180)"},
    {"--spill-after", NULL, "N", "deductions kept in memory (200000), then on disk"},
    {"--item-rows", NULL, "N", "deduction rows one item may give (2000000)"},
    {"--quiet", "-q", NULL, "no progress bar and no summary"},
    {"--verbose", "-v", NULL, "each item's time; the item-cost and hash caches"},
    {"--no-hash-cache", NULL, NULL, "hash the evidence even if unchanged since last run"},
    {"SCORECARD...", NULL, NULL, "scorecard files (.lua)"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt RUNS[] = {
    {"--results", NULL, "DB", "the results database to list (required)"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt FINDINGS[] = {
    {"ACTION", NULL, NULL, "list, remove or import"},
    {"--evidence", NULL, "DB", "the evidence database holding them (required)"},
    {"--scorecard", NULL, "ID|FILE", "list: one scorecard's; import: check against FILE"},
    {"--item", NULL, "N", "list: one item's"},
    {"--subject", NULL, "ID", "list: one subject's"},
    {"--period", NULL, "P", "list: one period's"},
    {"--removed", NULL, NULL, "list: removed or replaced ones, when, by whom, how"},
    {"--replace", NULL, NULL, "import: replace a finding about the same thing"},
    {"ID...|FILE...", NULL, NULL, "remove: ids; import: CSV files or a filled .xlsx"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt MERGE[] = {
    {"--results", NULL, "OUT.db", "the merged run is written there (required)"},
    {"--out", NULL, "FILE.xlsx", "the merged workbook"},
    {"--deadline", NULL, "YYYY-MM-DD", "整改期限 printed in the 整改台账"},
    {"--quiet", "-q", NULL, "no summary"},
    {"PART.db...", NULL, NULL, "the shards' results databases (latest run of each)"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt CHECK[] = {
    {"--evidence", NULL, "DB", "check queries on this evidence (default: the schema)"},
    {"--period", NULL, "P", "考核期, a year (default: the scorecard's)"},
    {"--print-sql", NULL, NULL, "print each item's SQL instead of checking"},
    {"SCORECARD...", NULL, NULL, "scorecard files (.lua)"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt IMPORT[] = {
    {"--evidence", NULL, "DB", "the evidence database to import into (required)"},
    {"--table", NULL, "T", "the table of every file (default: file/sheet name)"},
    {"--map", NULL, "MAPPING.tsv", "header mapping (default: the bundled headers.tsv)"},
    {"--encoding", NULL, "auto|utf-8|gb18030", "the files' encoding (default auto)"},
    {"--partial", NULL, NULL, "import the good rows; the bad ones to a rejects file"},
    {"--rejects", NULL, "FILE", "with --partial: where the rejected rows go"},
    {"--max-errors", NULL, "N", "stop after N problems, all listed (default 100)"},
    {"FILE.csv|FILE.xlsx...", NULL, NULL, "CSV exports; workbooks: each sheet a table"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt EVIDENCE_ONLY[] = {
    {"--evidence", NULL, "DB", "the evidence database"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt REPRODUCE[] = {
    {"--results", NULL, "DB", "the results database holding the run"},
    {"--run", NULL, "N", "the run (default: the latest)"},
    {"--workbook", NULL, "FILE.xlsx", "from a workbook's hidden manifest instead"},
    {"--evidence", NULL, "DB", "other evidence (default: the recorded path)"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt EXPLAIN[] = {
    {"--results", NULL, "DB", "the results database (required)"},
    {"--run", NULL, "N", "the run (default: the latest)"},
    {"--subject", NULL, "ID", "the subject's id (required)"},
    {"--item", NULL, "N", "only this item"},
    {"--limit", NULL, "ROWS", "evidence rows shown per item (default 10; 0: all)"},
    {"--all", NULL, NULL, "list items at full marks too (default: a count)"},
    {"--evidence", NULL, "DB", "other evidence (default: the recorded path)"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt DIFF[] = {
    {"--results", NULL, "DB", "the results database (required)"},
    {"--out", NULL, "FILE.xlsx", "write the updated 整改台账 there"},
    {"RUN_A RUN_B", NULL, NULL, "the earlier and the later run number"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt SAMPLE[] = {
    {"--evidence", NULL, "DB", "the evidence database (required)"},
    {"--seed", NULL, "N", "the seed anyone can redraw it from (required)"},
    {"--period", NULL, "P", "考核期 of the sample"},
    {"--per-stratum", NULL, "K", "drawn per township or department (default 2)"},
    {"--scorecard", NULL, "ID", "the scorecard whose items are checked (required)"},
    {"--kind", NULL, "village|cadre", "the kind of subject drawn (default village)"},
    {"--items", NULL, "3,4", "its items scored from findings (required)"},
    {"--out", NULL, "FILE.xlsx", "the 抽查清单 (default 抽查清单.xlsx)"},
    {"--import", NULL, "FILLED.xlsx", "bring a filled checklist back as findings"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt EXPORT[] = {
    {"--results", NULL, "DB", "the results database (required)"},
    {"--run", NULL, "N", "the run (default: the latest)"},
    {"--format", NULL, "csv|json", "CSV (UTF-8 with BOM) or JSON Lines (required)"},
    {"--what", NULL, "results|scores|deductions|findings", "the rows to export (required)"},
    {"--out", NULL, "FILE", "write there, whole or not at all (default: stdout)"},
    {"--evidence", NULL, "DB", "findings: other evidence (default: the run's)"},
    {"--raw", NULL, NULL, "CSV: no ' before a text starting = + - @ (exact)"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt ACCOUNTABILITY[] = {
    {"--results", NULL, "DB", "the results database (required)"},
    {"--run", NULL, "N", "the run (default: the latest)"},
    {"--format", NULL, "text|csv", "one line per row (default), or CSV with a BOM"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt HELP[] = {
    {"COMMAND", NULL, NULL, "the command to describe"},
    {NULL, NULL, NULL, NULL},
};

static const cli_opt NONE[] = {
    {NULL, NULL, NULL, NULL},
};

static const struct {
    const char *command;
    const cli_opt *opts;
} OPTIONS[] = {
    {"run", RUN},
    {"runs", RUNS},
    {"findings", FINDINGS},
    {"merge", MERGE},
    {"check", CHECK},
    {"import", IMPORT},
    {"schema", EVIDENCE_ONLY},
    {"hash", EVIDENCE_ONLY},
    {"reproduce", REPRODUCE},
    {"explain", EXPLAIN},
    {"diff", DIFF},
    {"sample", SAMPLE},
    {"export", EXPORT},
    {"accountability", ACCOUNTABILITY},
    {"version", NONE},
    {"help", HELP},
};

const cli_opt *cli_options_of(const char *command)
{
    for (size_t i = 0; i < sizeof OPTIONS / sizeof OPTIONS[0]; i++)
        if (strcmp(OPTIONS[i].command, command) == 0)
            return OPTIONS[i].opts;
    return NULL;
}
