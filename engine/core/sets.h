/*
 * sets.h — shared sets in evaluation (scorecard language v2, item 6).
 *
 * A scorecard declares named sets (sets = { poor_person = { sql = [[SELECT ...]], index = {
 * "id" } } }, inline or in a shared file it includes); its items read them as sets.NAME. Before
 * any item, kh_evaluate makes every set of the run once (evidence/sets.h: a TEMP table
 * published read-only as the schema `sets`, seen by every item worker), however many items and
 * scorecards use it. A set reads only the evidence, never another set: the sets are made side
 * by side (on several connections at once with -j N). Its SQL may use the run's parameters
 * (:period, :period_start, :period_end, :year) and the declaring scorecard's own; two scorecards
 * sharing a set must bind it the same way.
 */
#ifndef KAOHE_CORE_SETS_H
#define KAOHE_CORE_SETS_H

#include <stdint.h>
#include <stdio.h>

#include "core/eval.h"

/* A set a run made: recorded in the results database (run_set) so that a reproduction can
 * tell when a shared file changed. */
typedef struct kh_set_run {
    char *name;
    char *file;      /* where it is declared */
    char sha256[65]; /* that file's hash (the scorecard's own when declared inline) */
    int64_t rows;
} kh_set_run;

typedef struct kh_bound {
    const kh_param *v;
    size_t n;
} kh_bound;

/* Makes every set the scorecards declare, once each, and publishes them on ev; params[si] are
 * scorecard si's bound parameters. With out, each set is filled and recorded in
 * out->set_runs; without (kaohe check), made empty: its columns and indexes only, so that the
 * items' queries prepare. Nothing happens when no scorecard declares a set. 0, or -1 with err
 * naming the file and line of the set. */
int kh_sets_materialise(evidence *ev, scorecard *const *scs, size_t nsc, const kh_bound *params,
                        kh_results *out, kh_error *err);

/* kh_sets_materialise (filled sets) with the sets made on in->jobs connections at once: this
 * one and in->jobs - 1 more on in->evidence_path, each on a thread of its own with the
 * queries' budget and time limit of `in`; the connections' sets are combined into the one
 * image `sets` publishes (core/sets_parallel.c). Outputs and errors are those of
 * kh_sets_materialise: the sets recorded in the order declared, and of several failing sets
 * the first declared is named. */
int kh_sets_materialise_jobs(evidence *ev, scorecard *const *scs, size_t nsc,
                             const kh_bound *params, kh_results *out, const kh_run_input *in,
                             kh_error *err);

void kh_set_runs_free(kh_results *r);

/* The loader's check, before anything runs: every sets.NAME an item's query reads is declared
 * by the scorecard (inline or included), and no set reads another. Problems are appended to
 * `problems` as "FILE:LINE: ...\n". */
void kh_sets_check_refs(const scorecard *sc, strbuf *problems);

/* The set creation for kh_print_sql's sqlite3-shell script: attach a scratch `sets` and make
 * the scorecard's sets in it with the parameters already set (the script detaches it after the
 * items, so that each scorecard's part stands alone). Nothing when it declares none. */
void kh_print_sets(const scorecard *sc, FILE *out);

#endif
