/*
 * reproduce.h — `kaohe reproduce`: what auditors, 巡察 groups and next year's inspectors do
 * first with a past run: read it back (from the results database, or from the workbook alone,
 * whose kaohe_manifest sheet carries the run's manifest and results), re-run it exactly, and
 * confirm it or list what differs and what changed since (scorecard files, the scorecard
 * language, evidence tables).
 *
 * The results database is read through store/audit_store.h, the evidence through the read-only
 * evidence module.
 */
#ifndef KAOHE_REPRODUCE_H
#define KAOHE_REPRODUCE_H

#include <stdint.h>
#include <stdio.h>

#include "base/strbuf.h"

/* A past run as recorded: its manifest and its results, keyed for comparison. */
typedef struct stored_run stored_run;

/* From a results database (run 0 = the latest) or from a workbook's kaohe_manifest sheet. */
stored_run *stored_run_from_results(const char *results, int64_t run, kh_error *err);
stored_run *stored_run_from_workbook(const char *xlsx, kh_error *err);
void stored_run_free(stored_run *r);

/* Re-runs exactly that run (same scorecard files, period, parameters; the recorded evidence
 * unless `evidence` is given) and compares every score and deduction. Prints a report to
 * `out`. Returns 0 if identical, 1 if anything differs, -1 on error. */
int kh_reproduce(const stored_run *r, const char *evidence_path, FILE *out, kh_error *err);

#endif
