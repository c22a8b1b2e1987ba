/*
 * explain.h — `kaohe explain`: a subject's items in a past run, their outcomes and reasons, and
 * the evidence rows behind every lost point, read from the evidence database itself (so an
 * auditor sees the very row, or learns that it has changed since).
 */
#ifndef KAOHE_EXPLAIN_H
#define KAOHE_EXPLAIN_H

#include <stdint.h>
#include <stdio.h>

#include "base/strbuf.h"

/* Prints the subject's standing on each scorecard of run `run` (0 = the latest): total (暂计
 * while items are 待核实), grade, rank and pending items; whether the evidence is still the
 * run's (its content hash); then each item (only `item` if not NULL), its outcome and reason,
 * and the evidence rows behind every lost point — at most `limit` per item (0: all) — read
 * from `evidence` (NULL: the evidence the run recorded, beside the results database when the
 * recorded path is relative and a file is there). */
/* Items at full marks are counted at the end, not listed, unless `all` (or `item` names one). */
int kh_explain(const char *results, int64_t run, const char *subject, const char *item,
               const char *evidence, long limit, int all, FILE *out, kh_error *err);

#endif
