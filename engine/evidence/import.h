/*
 * import.h — `kaohe import`: CSV exports of the source systems into the evidence database.
 *
 * Every value is checked before anything is written: the schema's types and CHECK constraints,
 * dates in the forms people type (2018-05-31, 2018/5/31, 2018年5月31日, 20180531), amounts in
 * 元 converted to fen exactly (12.30 → 1230, never through binary floating point), 是/否 and 1/0
 * flags, 18-digit 身份证号 with their check digit, duplicate keys within a file and references to
 * rows that do not exist. All files of one invocation are imported in one transaction: whole or
 * not at all. With `partial`, good rows are accepted and every rejected row goes to a rejects
 * CSV with its line number and reason. Re-importing a file changes nothing (upsert on the
 * primary key; rows of key-less tables are matched on their natural key). Each committed file
 * is recorded in import_log with its SHA-256.
 *
 * It writes the evidence database, which scorecards only ever read.
 */
#ifndef KAOHE_IMPORT_H
#define KAOHE_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "evidence/findings.h"

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
} kh_import_report;

int kh_import(const kh_import_options *opt, kh_import_report *out, kh_error *err);
void kh_import_report_free(kh_import_report *r);

/* `kaohe schema`: creates a new evidence database with the schema. Refuses an existing file. */
int kh_schema_create(const char *path, const char *schema_path, kh_error *err);

#endif
