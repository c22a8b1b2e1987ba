/*
 * coverage.h — which dates the evidence holds, table by table.
 *
 * A run over a period the evidence does not reach scores nothing wrong and everything 不适用 or
 * full: an import of the wrong year, a --period typed wrong, or a half-year export all look
 * like a clean county. Before a run evaluates anything, it asks how the dated tables (the
 * records of what was done: admissions, contracts, follow-ups, cadre visits, surveys) cover
 * its window, and refuses one they do not (app/run.c; `--allow-empty` says it is intended).
 */
#ifndef KAOHE_COVERAGE_H
#define KAOHE_COVERAGE_H

#include <stdint.h>

#include "base/strbuf.h"
#include "evidence/evidence.h"

#define EV_NSPANS 6

typedef struct ev_span {
    const char *table, *column; /* e.g. admission.admitted_on */
    char first[11], last[11];   /* the earliest and latest date; "" when the table is empty */
    int64_t rows, in_window;    /* all rows, and those dated start..end */
} ev_span;

/* The dated tables' spans for the window start..end (YYYY-MM-DD) of `period` (findings are
 * counted by their period). 0, or -1 with err. */
int ev_coverage(evidence *ev, const char *period, const char *start, const char *end,
                ev_span spans[EV_NSPANS], kh_error *err);

/* One line per table, "admission.admitted_on 2018-01-03..2018-12-28 (3120 行，期内 3120)" or
 * "contract.signed_on 无记录", appended to out, each after `indent`. */
void ev_coverage_text(const ev_span spans[EV_NSPANS], const char *indent, strbuf *out);

#endif
