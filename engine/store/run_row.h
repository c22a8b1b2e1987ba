/*
 * run_row.h — a stored run's row of the run table, as plain strings: what the audit commands
 * (audit_store.h) and a merge's parts (merge_store.h) read of a run. The one query of the run
 * table and the one of its scorecards are in run_row.c, declared in store_internal.h since
 * they take the SQLite handle; each caller words their outcomes as its command always has.
 */
#ifndef KAOHE_RUN_ROW_H
#define KAOHE_RUN_ROW_H

#include <stdint.h>

/* A run's row of the run table; the strings are owned ("" for NULL), freed by run_row_free. */
typedef struct run_row {
    int64_t id;
    char *started_at, *engine, *period, *params;
    char *evidence_path, *evidence_hash, *language_sha;
} run_row;

void run_row_free(run_row *r); /* a zeroed row too */

#endif
