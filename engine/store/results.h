/*
 * results.h — the results database auditors query with SQL.
 *
 * Tables (created if absent; one database may hold many runs):
 *   run(id, started_at, engine_version, period, params, evidence_hash, evidence_path,
 *       command_line, language_sha256, evidence_hash_reused)
 *                                   -- evidence_hash_reused: 1 the table hashes were reused
 *                                   from the cache (file unchanged, app/hash_cache.c), 0
 *                                   computed by the run, NULL a merge or an older run
 *   run_scorecard(run_id, scorecard_id, title, source, file, sha256, mode, total, note)
 *   run_evidence(run_id, tbl, rows, sha256)             -- content hash per evidence table
 *   run_import(run_id, file, sha256, tbl, rows_read, accepted, rejected, imported_at)
 *                                                       -- the imports the evidence rests on
 *   item(run_id, scorecard_id, seq, item, section, text, per, max_points, accountable, note,
 *        section_note)                -- note: the item's 考核评价; section_note: its section's
 *   score(run_id, scorecard_id, subject_kind, subject_id, subject_name, item, max_points,
 *         points, status, reason, cases, points_x100, veto)
 *   deduction(run_id, scorecard_id, subject_kind, subject_id, item, points, evidence_table,
 *             evidence_key, reason, points_x100, evidence_rows)
 *                                   -- evidence_rows: the causing rows labelled as 扣分明细's
 *                                      证据（行） prints them (evidence/cause_rows.h); NULL for a
 *                                      link's loss and in runs written before it existed
 *   subject(run_id, kind, id, name, parent, parent_id)   -- every subject listed, for merges
 *   run_part(run_id, seq, results_file, part_run_id, evidence_path, evidence_hash, started_at,
 *            evidence_hash_reused)  -- as run's, for each shard (NULL: a part written before)
 *                                   -- a merged run: the shard runs it was made from, in order
 *   result(run_id, scorecard_id, subject_kind, subject_id, total, grade, rank, pending_items,
 *          total_x100, vetoed_items, rollup, members, members_total)
 *   run_set(run_id, name, file, sha256, rows)  -- the shared sets the run made, once each: the
 *                                   file declaring each (scorecard or shared file), its hash
 *   accountability(run_id, seq, cadre_id, name, department, condition, condition_text,
 *                  evidence, conclusion)   -- the 问责名单 of a run with the 包抓 card (made by
 *                                   the first such run; store/wenze_store.c)
 *   (rank 0 = not ranked: items 待核实; rollup = 1: computed by the scorecard's roll-up policy
 *   (core/rollup.c) from `members` of its `members_total` members — the scorecard's own
 *   subjects below it at any level (a county over its villages), or for mean_of_means the
 *   units one level down; members 0: no value, 待核实)
 * Points are REAL values with at most two decimals, each the double nearest its decimal
 * value; the *_x100 columns hold the same points as exact integers (hundredths) so that SQL
 * sums are exact: SUM(points_x100) over a subject's score rows equals its total_x100.
 * A 待核实 item has NULL points.
 *
 * A run is written in one transaction: a failure leaves the database as it was.
 */
#ifndef KAOHE_RESULTS_H
#define KAOHE_RESULTS_H

#include <stdint.h>

#include "core/eval.h"
#include "core/manifest.h"

/* One run written in steps (merging streams deductions straight into the transaction):
 * begin, add the run's rows, then commit, or abort to leave the database as it was. */
typedef struct results_tx results_tx;
results_tx *results_begin(const char *path, kh_error *err);
int results_add_run(results_tx *tx, const kh_manifest *m, scorecard **scs, size_t nsc,
                    const kh_results *r, int64_t *run_id);
/* results_add_run in two steps, for a merge that streams the scores between them: the run's
 * manifest, scorecards, subjects and items (run_id is known from here on); then whatever
 * scores, deductions and results `r` holds. */
int results_add_header(results_tx *tx, const kh_manifest *m, scorecard **scs, size_t nsc,
                       const kh_results *r, int64_t *run_id);
int results_add_body(results_tx *tx, int64_t run_id, scorecard **scs, const kh_results *r);
int results_commit(results_tx *tx); /* frees tx either way */
/* The number results_add_run will give the run (store/run_number.c): the transaction keeps it
 * so until commit. 0, or -1 with err. */
int results_next_run_id(results_tx *tx, int64_t *id, kh_error *err);
void results_abort(results_tx *tx);

/* Read-back sources over the run just added (results_add_run): while open, r->dsrc (and, for
 * a merge that streamed its scores, r->ssrc) read the run's deductions and lost scores back
 * from the transaction rather than from memory, so the workbook (app/, report/) can be written
 * from them. Close clears both. */
typedef struct results_readback results_readback;
results_readback *results_readback_open(results_tx *tx, int64_t run_id, scorecard **scs, size_t nsc,
                                        kh_results *r);
void results_readback_close(results_readback *rb);

/* Deductions spilled while evaluating (kh_run_input.sink = results_sink_put), so that memory
 * does not grow with the evidence: up to `keep` stay in memory (a county's tens of thousands:
 * no scratch file at all); past that, all of them go to a scratch database in TMPDIR. After
 * evaluation, if results_sink_spilled: close it, begin the results transaction with it
 * attached (results_begin_attach with results_sink_path), add the run, and
 * results_sink_finish copies them into the run in the single run's order. results_sink_free
 * removes the scratch file. */
typedef struct results_sink results_sink;
results_sink *results_sink_new(scorecard **scs, size_t keep);
int results_sink_put(void *ud, const kh_results *r, const kh_deduction *d, size_t n, kh_error *err);
int results_sink_spilled(const results_sink *k);
int results_sink_close(results_sink *k, kh_error *err);
const char *results_sink_path(const results_sink *k);
results_tx *results_begin_attach(const char *path, const char *streamed, kh_error *err);
int results_sink_finish(results_tx *tx, int64_t run_id, kh_error *err);
void results_sink_free(results_sink *k);

/* A scorecard's index by id, an item's index by number; -1 if none. */
long results_scorecard_index(scorecard **scs, size_t nsc, const char *id);
long results_item_index(const scorecard *sc, const char *no);

int results_write(const char *path, const kh_manifest *m, scorecard **scs, size_t nsc,
                  const kh_results *r, int64_t *run_id, kh_error *err);

#endif
