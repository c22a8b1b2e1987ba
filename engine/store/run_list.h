/*
 * run_list.h — the runs a results database holds, one row each, for `kaohe runs`: one database
 * takes run after run (the annual run, re-runs, merges), and people need to see which is which
 * before they name one with --run N or to diff.
 */
#ifndef KAOHE_RUN_LIST_H
#define KAOHE_RUN_LIST_H

#include <stdint.h>

#include "base/strbuf.h"
#include "store/audit_store.h"

/* One run as listed. Strings are "" for NULL and valid during the callback only. */
typedef struct run_list_row {
    int64_t id;
    const char *started_at;    /* UTC, "2018-12-20T02:00:00Z" */
    const char *period;        /* 考核期 */
    const char *scorecards;    /* the scorecard ids in run order, joined by ", " */
    const char *evidence_path; /* as recorded (a merged run: the parts' paths joined by "; ") */
    const char *evidence_hash; /* content hash (a merged run: over the parts' hashes) */
    const char *params;        /* as applied: "scorecard.param=value; ..." */
    int64_t nparts;            /* a merged run: how many shard runs it was made from; else 0 */
} run_list_row;

/* Hands every run of the database to fn, oldest first. fn returning non-zero (err set) stops.
 * 0 (also for a database with no run yet), or -1 with err: "PATH: not a results database (…)"
 * when it has no run table, or the reason a read failed. */
int run_list_read(audit_store *s, int (*fn)(void *ud, const run_list_row *r), void *ud,
                  kh_error *err);

#endif
