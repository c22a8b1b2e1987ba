/*
 * item_cost.h — the cost cache behind longest-first scheduling (issue 19 item 4).
 *
 * After a run, each item's measured CPU seconds are kept per scorecard version in
 * $XDG_CACHE_HOME/kaohe/item-cost/<scorecard sha256>.tsv (else ~/.cache/...), and the next run
 * of the same scorecard hands its items to the -j workers longest first by them
 * (core/schedule.h). The cache only orders work: results are taken in form order, so a run's
 * outputs are byte-identical with it, without it, or with a damaged one. That is why it lives
 * outside the results database (which must not depend on timings) and why every fault in it —
 * missing, unreadable, malformed, for other items — just means "no estimate", never an error.
 */
#ifndef KAOHE_APP_ITEM_COST_H
#define KAOHE_APP_ITEM_COST_H

#include <stddef.h>

#include "core/scorecard.h"

/* The estimates for every item of scs, in form order (total = the items of all of them): a
 * scorecard without a readable, well-formed cache file gets -1 for each of its items. NULL when
 * there is no cache directory ($XDG_CACHE_HOME and $HOME unset). *nknown: items estimated. */
double *app_item_costs_load(scorecard *const *scs, size_t nsc, size_t total, size_t *nknown);

/* Writes the measured seconds (form order, as kh_run_input.item_cpu) as each scorecard's cache
 * file, replacing it atomically. Best effort: a failure leaves the cache as it was. */
void app_item_costs_save(scorecard *const *scs, size_t nsc, const double *cpu);

#endif
