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

/* Fills set->details for a kind that has a detail query (a cadre's 包抓村), with the run's
 * parameters bound (:year); 0, or -1 with err set (subject_detail.c). */
int kh_subject_details(evidence *ev, kh_subject_set *set, const kh_param *params, size_t nparams,
                       kh_error *err);

#endif
