/*
 * explain_store.h — what `kaohe explain` prints first about a subject: its total, grade, rank
 * and pending items on each scorecard of the run, read from the result table, so that the
 * reader knows where the subject stands before reading item by item.
 */
#ifndef KAOHE_EXPLAIN_STORE_H
#define KAOHE_EXPLAIN_STORE_H

#include <stdint.h>

#include "base/strbuf.h"
#include "store/audit_store.h"

/* A subject's standing on one scorecard; strings valid during the call only. */
typedef struct explain_standing {
    const char *scorecard_id, *title, *mode; /* mode: "deduction" or "points" */
    const char *subject_kind;
    const char *total; /* as SQLite prints the REAL */
    const char *grade; /* "" when none */
    int64_t rank;      /* 0: not ranked (items 待核实) */
    int64_t pending, vetoed;
    int64_t of; /* how many subjects of its kind the scorecard has in the run */
} explain_standing;

/* Hands the subject's result rows of run `run` to fn, in scorecard order. 0 (also when there
 * are none), or -1 with err. */
int explain_store_standing(audit_store *s, int64_t run, const char *subject,
                           void (*fn)(void *ud, const explain_standing *r), void *ud,
                           kh_error *err);

#endif
