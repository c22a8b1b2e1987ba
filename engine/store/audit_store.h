/*
 * audit_store.h — what the audit commands (reproduce, explain, diff) read from a results
 * database: a past run's row; the scorecards, evidence hashes, scores, deductions and parts it
 * recorded; a subject's items with the deductions behind them; and the items lost in either of
 * two runs, side by side. Every SQL statement these commands run on a results database is in
 * audit_store.c, so app/ sees plain rows only.
 *
 * Rows are handed to callbacks as C strings ("" for NULL unless a field says otherwise), valid
 * during the call only. Points are passed as SQLite prints the stored REAL ("0.4", "10.0"),
 * which is what the commands have always printed.
 */
#ifndef KAOHE_AUDIT_STORE_H
#define KAOHE_AUDIT_STORE_H

#include <stdint.h>

#include "base/strbuf.h"
#include "store/run_row.h"

/* A results database opened read-only. */
typedef struct audit_store audit_store;

/* "PATH: no such results database" when the file cannot be read; NULL with err. */
audit_store *audit_store_open(const char *path, kh_error *err);
void audit_store_close(audit_store *s);

/* A run's row of the run table (run_row.h: the same row a merge reads of its parts). */
typedef run_row audit_run;

/* Reads run `run` (0: the latest): the one query of the run table, for every command that
 * needs a run (reproduce reads it whole, explain its evidence, diff only that it exists).
 * 0, or -1 with err ("PATH: no run N (see: …)", or not a results database). */
int audit_store_run(audit_store *s, int64_t run, audit_run *out, kh_error *err);
void audit_run_free(audit_run *r);

/* A score or deduction keyed as reproduce compares them. */
typedef struct audit_record {
    const char *scorecard, *kind, *subject, *item;
    /* score: "status|points_x100" (no points for 待核实); deduction: "table|key|points_x100" */
    const char *value;
} audit_record;

/* Where audit_store_records hands each kind of row; a NULL member skips that kind. */
typedef struct audit_run_sinks {
    void (*scorecard)(void *ud, const char *id, const char *file, const char *sha256);
    void (*evidence_table)(void *ud, const char *table, const char *sha256);
    void (*score)(void *ud, const audit_record *r);
    void (*deduction)(void *ud, const audit_record *r);
    /* a merged run's parts, in part order (none in a database from before merges) */
    void (*part)(void *ud, const char *evidence_path, const char *evidence_hash);
    void *ud;
} audit_run_sinks;

/* What run `id` recorded: scorecards in run order, evidence tables by name, scores and
 * deductions (in no particular order: reproduce sorts them), parts. 0, or -1 with err. */
int audit_store_records(audit_store *s, int64_t id, const audit_run_sinks *k, kh_error *err);

/* The shared sets run `id` made (language v2 item 6), in the order made: each set's name, the
 * file declaring it and that file's hash then (none in a database from before shared sets).
 * 0, or -1 with err. */
int audit_store_sets(audit_store *s, int64_t id,
                     void (*fn)(void *ud, const char *name, const char *file, const char *sha256),
                     void *ud, kh_error *err);

/* One item of a subject as `kaohe explain` prints it. */
typedef struct audit_item_row {
    const char *scorecard_id, *title, *subject_kind, *subject_name, *item, *text;
    const char *max_points; /* NULL: the item has no maximum */
    const char *points, *status, *reason;
} audit_item_row;

/* One deduction behind an item: the evidence row it names, its points and reason. */
typedef struct audit_deduction_row {
    const char *table, *key, *points, *reason;
} audit_deduction_row;

/* The items of `subject` in run `id` (all its scorecards, in run then item order; only `item`
 * when not NULL), each followed by its deductions in the order recorded. A callback returning
 * non-zero (with err set) stops the reading. 0, or -1. */
int audit_store_explain(audit_store *s, int64_t id, const char *subject, const char *item,
                        int (*on_item)(void *ud, const audit_item_row *r),
                        int (*on_deduction)(void *ud, const audit_deduction_row *d), void *ud,
                        kh_error *err);

/* A (scorecard, subject, item) lost in run A, run B or both. */
typedef struct audit_diff_row {
    const char *scorecard_id, *subject_kind, *subject_id, *item, *subject_name;
    const char *reason_a, *reason_b; /* why it was lost in A / B; NULL: not lost there */
    const char *status_b;            /* its status in run B ("" if not scored there) */
    const char *item_text;           /* the item's text in run B */
} audit_diff_row;

/* Every item lost in either run, ordered by scorecard, subject kind, subject and item.
 * 0, or -1 with err. */
int audit_store_diff(audit_store *s, int64_t run_a, int64_t run_b,
                     void (*on_row)(void *ud, const audit_diff_row *r), void *ud, kh_error *err);

#endif
