/*
 * diff.h — `kaohe diff` (回头看): between two runs of one results database, per subject and
 * item, the problems rectified (lost in A, not in B), persisting and new, with the 整改台账 that
 * marks them 已销号 or 未整改.
 */
#ifndef KAOHE_DIFF_H
#define KAOHE_DIFF_H

#include <stdint.h>
#include <stdio.h>

#include "base/strbuf.h"

typedef struct diff_counts {
    long rectified, persisting, fresh;
    long rules; /* outcome changed while the scorecard's rules or parameters changed */
} diff_counts;

/* Prints the counts first, then what changed between the runs besides the evidence (period,
 * parameters, scorecard files, language, evidence: diff_runs.h), then the list; with
 * `ledger_xlsx`, writes the 整改台账 with statuses (已销号 / 未整改 / 规则/参数变化). An item
 * whose outcome changed while its scorecard's rules or parameters changed is 规则/参数变化,
 * never 已销号 or new. */
int kh_diff(const char *results, int64_t run_a, int64_t run_b, const char *ledger_xlsx, FILE *out,
            diff_counts *counts, kh_error *err);

#endif
