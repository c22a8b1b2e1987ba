/*
 * merge_store.h — the results databases of a merge (app/merge.c), as the store gives them: the
 * parts (shard runs' results databases, read-only) and the merged run's rows that are streamed
 * from them into the results transaction. The merge logic (do the parts agree, in which order
 * do their rows go, what are the totals) stays in app/; every SQL statement is here.
 *
 * A part is read as its latest run: the header (manifest fields and scorecards) when opened,
 * then its subjects and evidence tables row by row, and its scores and deductions through
 * cursors that yield rows already placed in the merged run (scorecard, kind, subject and item
 * as indices), in the order the part stored them, which is the single run's order.
 */
#ifndef KAOHE_MERGE_STORE_H
#define KAOHE_MERGE_STORE_H

#include <stdint.h>

#include "core/eval.h"
#include "core/wenze.h"
#include "store/results.h"

/* One input of a merge: its latest run's header. Opened by merge_part_open, which fills all
 * of it; the strings are owned, freed by merge_part_close. */
typedef struct merge_part {
    const char *path;    /* the results database, as given (not owned) */
    struct merge_db *db; /* the open database (store/ only) */
    int64_t run;         /* the run merged: the latest */
    char *period, *params, *language_sha, *engine, *evidence_path, *evidence_hash, *started_at;
    int evidence_hash_reused; /* the part's run.evidence_hash_reused: 1, 0, or -1 unrecorded */
    char **sc_id, **sc_file, **sc_sha; /* run_scorecard, in stored order */
    size_t nsc;
} merge_part;

/* Opens `path` read-only and reads its latest run's header into *p (zeroed first). 0, or -1
 * with err naming the file: it cannot be opened, is not a results database, holds no run, or
 * its run was written by a kaohe without the subject table. On failure too, *p is to be given
 * to merge_part_close. */
int merge_part_open(merge_part *p, const char *path, kh_error *err);
void merge_part_close(merge_part *p); /* a zeroed part too */

/* Each subject the part's run lists (table subject), in stored order: fn gets its kind and the
 * subject, strings valid during the call only; a nonzero return from fn stops the reading and
 * is returned. 0, or -1 with err. */
int merge_part_subjects(merge_part *p, int (*fn)(void *ud, const char *kind, const kh_subject *s),
                        void *ud, kh_error *err);

/* Each evidence table the part's run recorded (table run_evidence), in stored order: its name,
 * row count and content hash, strings valid during the call only. 0, or -1 with err. */
int merge_part_evidence(merge_part *p,
                        void (*fn)(void *ud, const char *table, int64_t rows, const char *sha256),
                        void *ud, kh_error *err);

/* Appends the part's 问责名单 (table accountability, core/wenze.h) to out: 1, 0 if the part
 * was written by a kaohe before the table (it has no list), -1 with err. */
int merge_part_wenze(merge_part *p, kh_wenze *out, kh_error *err);

/* A part's score or deduction rows, read front to back. */
typedef struct merge_cursor merge_cursor;

/* Results of stepping a cursor (besides -1: err set). */
enum { MERGE_END = 0, MERGE_ROW = 1, MERGE_UNFIT = 2 };

/* The part's scores of scorecard `scorecard_id` (NULL: of every scorecard) / its deductions,
 * placed in the run of scs[0..nsc) whose subjects are r's sets. NULL with err. */
merge_cursor *merge_scores_open(merge_part *p, const char *scorecard_id, scorecard **scs,
                                size_t nsc, const kh_results *r, kh_error *err);
merge_cursor *merge_deductions_open(merge_part *p, scorecard **scs, size_t nsc, const kh_results *r,
                                    kh_error *err);

/* Steps to the next row: MERGE_ROW with *s (*d) filled, its strings (reason; table, key) valid
 * until the next step, nevidence 0; MERGE_END; MERGE_UNFIT: the row names a scorecard, kind,
 * subject or item that is not the run's (merge_cursor_keys names it); -1 with err. */
int merge_score_next(merge_cursor *c, kh_score *s, kh_error *err);
int merge_deduction_next(merge_cursor *c, kh_deduction *d, kh_error *err);

/* The current row's kind, subject id and item as stored (for messages). */
void merge_cursor_keys(const merge_cursor *c, const char **kind, const char **subject,
                       const char **item);
void merge_cursor_close(merge_cursor *c); /* NULL too */

/* Copies the current rows of cursors, exactly as the parts stored them, into run `run_id` of
 * the results transaction: scores (from merge_scores_open cursors) or deductions. */
typedef struct merge_copy merge_copy;
merge_copy *merge_copy_scores(results_tx *tx, int64_t run_id, kh_error *err);
merge_copy *merge_copy_deductions(results_tx *tx, int64_t run_id, kh_error *err);
int merge_copy_row(merge_copy *w, const merge_cursor *c, kh_error *err);
void merge_copy_close(merge_copy *w); /* NULL too */

/* The run_part rows of run `run_id`: the parts, in order, numbered from 1. 0, or -1 with err. */
int merge_write_parts(results_tx *tx, int64_t run_id, const merge_part *parts, size_t n,
                      kh_error *err);

#endif
