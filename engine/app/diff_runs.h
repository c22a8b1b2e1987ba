/*
 * diff_runs.h — what changed between two runs besides the evidence being rectified, for
 * `kaohe diff` (回头看): the period, each parameter, each scorecard file, the scorecard
 * language and the evidence, compared from what the runs recorded. An item whose outcome
 * changed while its scorecard's rules or parameters changed cannot be counted as 已销号 (or
 * as new): the change may be the rule's, not the village's.
 */
#ifndef KAOHE_DIFF_RUNS_H
#define KAOHE_DIFF_RUNS_H

#include <stdint.h>

#include "base/strbuf.h"
#include "store/audit_store.h"

typedef struct diff_runs {
    strbuf changes; /* one line per difference, "  参数 …：4 → 3"; empty when none */
    char **cards;   /* ids of the scorecards whose file or parameters changed */
    size_t ncards;
    int language; /* the scorecard language changed: every scorecard's rules may have */
} diff_runs;

/* Compares runs a and b of the store into *d (zeroed first; free it with diff_runs_free on
 * any outcome). 0, or -1 with err. */
int diff_runs_read(audit_store *s, int64_t a, int64_t b, diff_runs *d, kh_error *err);

/* 1 if the rules or parameters of scorecard `id` changed between the runs. */
int diff_runs_rules_changed(const diff_runs *d, const char *id);

void diff_runs_free(diff_runs *d);

#endif
