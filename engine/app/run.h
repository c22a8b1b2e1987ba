/*
 * run.h — one assessment run from start to finish: open the evidence read-only, load the
 * scorecards into one sandbox, evaluate, then write the results database and the workbook.
 * Shared by the CLI (`kaohe run`, `kaohe check`) and the Lua module that busted specs use.
 *
 * Nothing is written unless evaluation succeeded. The workbook is written to a temporary name
 * and renamed only after the results transaction committed, so a failed run leaves neither a
 * half-written workbook nor a partial run in the results database.
 */
#ifndef KAOHE_RUN_H
#define KAOHE_RUN_H

#include <stdint.h>
#include <stdio.h>

#include "base/home.h"
#include "core/eval.h"
#include "core/manifest.h"
#include "lua/sandbox.h"

typedef struct kh_run_options {
    const char *evidence_path;
    const char *period; /* NULL: the first scorecard's declared period */
    kh_override *overrides;
    size_t noverrides;
    const char *const *scorecards;
    size_t nscorecards;
    const char *out_xlsx;   /* NULL: no workbook */
    const char *results_db; /* NULL: no results database */
    /* shards only: each shard's own full workbook (forms, 考核明细, 扣分明细; ranks within the
     * county) written by its worker as DIR/<shard name>.xlsx; NULL: none */
    const char *county_workbooks;
    const char *deadline; /* 整改完成时限, YYYY-MM-DD; NULL: 31 March after the period */
    /* Deductions held in memory before the rest spill to a scratch database and go from
     * there into the results database and the workbook, so that memory does not grow with
     * the evidence (0: never spill). A spilled run's outcome holds no deductions (their count
     * is results.nstreamed). Only when something is written (out_xlsx or results_db). */
    size_t spill_after;
    size_t item_rows; /* the most deduction rows one item may give (0: no bound) */
    sandbox_limits limits;
    uint64_t query_steps;    /* 0: default */
    int item_jobs;           /* > 1: the items are evaluated by that many threads */
    kh_progress_fn progress; /* NULL: none */
    void *progress_ud;
    int argc; /* the command line, for the manifest */
    char **argv;
    /* No silent wrong run: 1 runs even when the evidence's dated tables do not cover the
     * period (--allow-empty); 0 refuses such a run naming each table's dates (run_coverage) */
    int allow_empty;
    int one_form_per_page; /* the workbook's forms one a printed page, not packed (manifest.h) */
    /* 1: the evidence hash is computed even when the cache holds it (app/hash_cache.h);
     * reproduce's re-run sets it, and --no-hash-cache */
    int no_hash_cache;
} kh_run_options;

typedef struct kh_run_outcome {
    scorecard **scs;
    size_t nsc;
    kh_results results;
    kh_manifest manifest;
    int64_t run_id; /* in the results database; 0 if none was written */
    /* the items of the run, and how many of them the cost cache estimated (app/item_cost.h) */
    size_t items_total, items_estimated;
    char hash_note[200]; /* how the evidence hash was had, for --verbose (app/hash_cache.h) */
} kh_run_outcome;

/* Worker threads when none are asked for: the cores online, at most 8. */
int kh_default_jobs(void);

/* Default bundled evidence: $KAOHE_HOME/build/evidence/huining.db unless KAOHE_EVIDENCE. */
const char *kh_default_evidence(void);

int kh_run(const kh_run_options *opt, kh_run_outcome *out, kh_error *err);
void kh_run_outcome_free(kh_run_outcome *out);

/* `kaohe check`: loads each scorecard and prepares every query against the evidence schema,
 * comparing the columns each query returns with what its rule reads (core kh_check_scorecard).
 * evidence_path NULL: against an empty database in memory made from the bundled schema,
 * $KAOHE_HOME/KH_BUNDLED_SCHEMA, so that no evidence need be built. All problems of all files
 * are reported (one per line of err). */
#define KH_BUNDLED_SCHEMA EV_SCHEMA_FILE
int kh_check(const char *evidence_path, const char *const *scorecards, size_t n, const char *period,
             const sandbox_limits *limits, kh_error *err);

/* Loads the scorecards and prints their queries for the sqlite3 shell (see kh_print_sql). */
int kh_print_scorecards_sql(const char *const *scorecards, size_t n, const char *period, FILE *out,
                            kh_error *err);

#endif
