/*
 * audit.h — what auditors, 巡察 groups and next year's inspectors do with a past run:
 * reproduce it (from the results database or from the workbook alone), explain a subject's
 * lost points with the evidence rows themselves, compare two runs (回头看), and draw a seeded,
 * stratified spot-check sample (抽查) whose filled-in checklist comes back as findings.
 *
 * Like results.c and import.c this module opens SQLite databases of its own (the results
 * database, and the evidence database for the findings a checklist brings back); evidence for
 * re-runs and explanations is read through the read-only evidence module.
 */
#ifndef KAOHE_AUDIT_H
#define KAOHE_AUDIT_H

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

/* Prints each item of a subject (all scorecards of the run), its outcome and reason, and the
 * evidence rows behind every lost point, read from the evidence database. */
int kh_explain(const char *results, int64_t run, const char *subject, const char *item,
               const char *evidence, FILE *out, kh_error *err);

/* 回头看: per subject and item, problems rectified (lost in A, not in B), persisting and new.
 * Prints counts and the list; with `ledger_xlsx`, writes the 整改台账 with statuses
 * (已销号 / 未整改). */
typedef struct diff_counts {
    long rectified, persisting, fresh;
} diff_counts;

int kh_diff(const char *results, int64_t run_a, int64_t run_b, const char *ledger_xlsx, FILE *out,
            diff_counts *counts, kh_error *err);

/* 抽查: a seeded sample stratified by township — `per_stratum` subjects of a scorecard's kind
 * (with `items`, a comma list of its finding items) or households (`scorecard` NULL) — written
 * as a field checklist workbook with blank columns for the inspector. The same seed always
 * draws the same sample. */
typedef struct sample_options {
    const char *evidence;
    const char *scorecard_id; /* NULL: households */
    const char *subject_kind; /* village or cadre, with scorecard_id */
    const char *items;        /* "3,4,20" */
    const char *period;
    uint64_t seed;
    int per_stratum;
    const char *out_xlsx;
} sample_options;

int kh_sample(const sample_options *opt, FILE *out, kh_error *err);

/* Brings a filled-in checklist back as findings (one transaction; rows left blank are
 * skipped; a row with an answer but no inspector or date is refused with its row number). */
int kh_sample_import(const char *xlsx, const char *evidence, FILE *out, kh_error *err);

#endif
