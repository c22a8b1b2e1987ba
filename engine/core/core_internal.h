/*
 * core_internal.h — what eval.c shares with the passes in files of their own: the roll-ups
 * (rollup.c) and the linked items (links.c). Only core/ includes it.
 */
#ifndef KAOHE_CORE_INTERNAL_H
#define KAOHE_CORE_INTERNAL_H

#include "core/eval.h"

/* The grade band `total` falls in, or NULL when the scorecard has no bands. */
const char *kh_band_grade(const scorecard *sc, points_t total);

/* Appends the scorecard's roll-ups (its `rollup` policy) over totals[first_total..]. */
void kh_compute_rollups(const scorecard *sc, size_t sci, kh_results *out, size_t first_total);

/* Applies the linked items of scorecard sci to its scores (scores[first_score..], sorted by
 * kind, subject, item), before its totals are added up. */
void kh_apply_links(const scorecard *sc, size_t sci, kh_results *out, size_t first_score);

/* issue 15 item 3: the evidence keys behind one subject's all-or-nothing loss (cause_keys.c),
 * each with the reason its row gives (the evidence query's optional `reason` column). */
typedef struct kh_key {
    char *key, *why; /* why: NULL when the row gives none */
} kh_key;
typedef struct kh_keys {
    kh_key *v;
    size_t n, cap;
} kh_keys;
void kh_keys_add(kh_keys *l, const char *key, const char *why);
/* The keys sorted, repeats dropped, joined with KH_KEY_SEP (a new string); *distinct = how
 * many (may be NULL). */
char *kh_keys_join(kh_keys *l, size_t *distinct);
/* `head` followed by the rows' reasons in key order (after kh_keys_join), each once, joined
 * with "；" (a new string; head alone when no row gives one). */
char *kh_keys_reason(const kh_keys *l, const char *head);
void kh_keys_free(kh_keys *l);
/* Reads the labelled rows of each of d[0..n) into its `rows` (evidence/cause_rows.h), once per
 * deduction. 0, or -1 with err. */
int kh_label_deductions(evidence *ev, kh_deduction *d, size_t n, kh_error *err);

/* Fills set->details for a kind that has a detail query (a cadre's 包抓村), with the run's
 * parameters bound (:year); 0, or -1 with err set (subject_detail.c). */
int kh_subject_details(evidence *ev, kh_subject_set *set, const kh_param *params, size_t nparams,
                       kh_error *err);

/* Runs eval(ud, err) — one item's evaluation on `ev` — under a watchdog: after `seconds` (0:
 * the default query limit) the watchdog interrupts ev, so the item fails with the time-limit
 * message, and ends the process naming `where` (the item) if it still runs a grace period
 * later (item_watch.c). Returns eval's result. */
int kh_eval_watched(evidence *ev, unsigned seconds, const char *where,
                    int (*eval)(void *ud, kh_error *err), void *ud, kh_error *err);

#endif
