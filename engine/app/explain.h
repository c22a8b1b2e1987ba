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

/* Prints each item of a subject (all scorecards of run `run`, 0 = the latest; only `item` if
 * not NULL), its outcome and reason, and the evidence rows behind every lost point, read from
 * `evidence` (NULL: the evidence the run recorded). */
int kh_explain(const char *results, int64_t run, const char *subject, const char *item,
               const char *evidence, FILE *out, kh_error *err);

#endif
