/*
 * import.h — `kaohe import`: CSV exports of the source systems into the evidence database.
 *
 * Every value is checked before anything is written: the schema's types and CHECK constraints,
 * dates in the forms people type (2018-05-31, 2018/5/31, 2018年5月31日, 20180531), amounts in
 * 元 converted to fen exactly (12.30 → 1230, never through binary floating point), 是/否 and 1/0
 * flags, 18-digit 身份证号 with their check digit, duplicate keys within a file and references to
 * rows that do not exist. All files of one invocation are imported in one transaction: whole or
 * not at all. Import reports, not stops: every bad row of every file is listed (up to
 * max_errors) with its file, line and the column's Chinese header, and nothing is written when
 * any row is bad. Headers match the mapping in their variants (full- or half-width brackets and
 * digits, spaces, a trailing unit such as （元）). With `partial`, good rows are accepted and every
 * rejected row goes to a rejects CSV that keeps the file's own headers and adds 行号 and 原因.
 * Re-importing a file changes nothing (upsert on the primary key; rows of key-less tables are
 * matched on their natural key). Each committed file is recorded in import_log with its SHA-256.
 *
 * It writes the evidence database, which scorecards only ever read.
 */
#ifndef KAOHE_IMPORT_H
#define KAOHE_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "evidence/findings.h"

/* Files that are not CSV (an Excel workbook) are read by a layer above evidence (the xlsx reader
 * lives in report/, which evidence may not include): app/ hands import a row source, and import
 * gives it a sink for each sheet. A sheet's rows arrive as cells: row is the sheet's 1-based row
 * number (what a person sees in Excel), cells[i] column i's text or NULL, number[i] 1 when the
 * cell was typed as a number (a date serial, an amount as a double). The sink returns non-zero
 * to stop reading. */
typedef int (*kh_row_sink)(void *sink, long row, size_t ncells, const char *const *cells,
                           const unsigned char *number);
typedef struct kh_row_source {
    const char *ext; /* the file name ending it reads, ".xlsx" */
    /* the sheets of `file`, in order: *names (each and the array freed by the caller) */
    int (*sheets)(void *ud, const char *file, char ***names, size_t *n, kh_error *err);
    /* every row of sheet `sheet`, in order, to sink(sink_ud, ...) */
    int (*read)(void *ud, const char *file, const char *sheet, kh_row_sink sink, void *sink_ud,
                kh_error *err);
    void *ud;
} kh_row_source;

/* --max-errors by default: the bad rows reported in one pass before import stops reading */
#define KH_IMPORT_MAX_ERRORS 100

typedef struct kh_import_options {
    const char *evidence_path;
    const char *table;    /* NULL: each file's name without .csv */
    const char *map_path; /* NULL: $KAOHE_HOME/fixtures/import/headers.tsv */
    const char *encoding; /* NULL or "auto", "utf-8", "gb18030" (also "gbk") */
    int partial;
    const char *rejects_path; /* with partial; NULL: FILE.rejects.csv */
    int progress;             /* draw a progress bar on stderr */
    /* Findings imported are checked and their clashes with findings recorded before settled
     * as this says (evidence/findings.h); NULL: no check, clashes refused. */
    const ev_finding_policy *findings;
    const char *const *files;
    size_t nfiles;
    long max_errors;             /* 0: KH_IMPORT_MAX_ERRORS */
    const kh_row_source *sheets; /* NULL: .xlsx files are refused */
} kh_import_options;

typedef struct kh_import_file_report {
    char *file;
    char *table;
    char encoding[16];
    int64_t read, accepted, rejected;
    char *rejects_path; /* NULL when nothing was rejected */
} kh_import_file_report;

typedef struct kh_import_report {
    kh_import_file_report *files;
    size_t nfiles;
    char *replaced; /* findings replaced: "NEW 替换 OLD（…）" lines; NULL when none */
    /* When kh_import failed over more than one problem: every one, a line each ("FILE:LINE:
     * column 出生日期: ..."), and err says how many. NULL when err alone says it. */
    char *errors;
} kh_import_report;

int kh_import(const kh_import_options *opt, kh_import_report *out, kh_error *err);
void kh_import_report_free(kh_import_report *r);

/* `kaohe schema`: creates a new evidence database with the schema. Refuses an existing file. */
int kh_schema_create(const char *path, const char *schema_path, kh_error *err);

#endif
