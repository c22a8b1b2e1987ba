/*
 * merge.h — one run made of several: the shards of a province (one evidence database per
 * county, each run on its own — by `kaohe run -j N` on one machine, or as the array jobs of a
 * batch scheduler across machines) combined into the run a single process over all of the
 * evidence would have made.
 *
 * Each input is a results database; its latest run is taken. The inputs must agree on the
 * period, the parameters, the scorecard language and the scorecards (by SHA-256), and no
 * subject may be assessed in two of them. Scores are read back, and totals, roll-ups (now
 * over every county: city and county averages) and ranks are computed by the same code as a
 * single run (kh_finish_scorecard), so the merged run equals the single run exactly. The
 * deductions — the rows that grow with the evidence — are streamed from the inputs into the
 * output in order and from there into the workbook, never held in memory.
 *
 * The merged run is written in one transaction, and the workbook under a temporary name
 * renamed only after the commit, as in a single run.
 */
#ifndef KAOHE_MERGE_H
#define KAOHE_MERGE_H

#include "app/run.h"

typedef struct kh_merge_options {
    const char *const *inputs; /* results databases, in the order the parts are recorded */
    size_t ninputs;
    const char *results_db; /* the merged run is added here (NULL: a temporary database) */
    const char *out_xlsx;   /* NULL: no workbook */
    const char *deadline;   /* 整改完成时限; NULL: 31 March after the period */
    int argc;               /* the command line, for the manifest */
    char **argv;
} kh_merge_options;

/* Fills `out` like kh_run does (its results hold no deductions: they were streamed; the count
 * is in out->results.nstreamed). Returns 0, or -1 with err naming the input and the problem. */
int kh_merge(const kh_merge_options *opt, kh_run_outcome *out, kh_error *err);

#endif
