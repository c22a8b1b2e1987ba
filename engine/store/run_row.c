/*
 * run_row.c — the one reading of a stored run's row and of its scorecards, shared by the audit
 * commands (audit_store.c) and a merge's parts (merge_store.c). See run_row.h and
 * store_internal.h.
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

/* A text column copied, "" for NULL. */
static char *col_dup(sqlite3_stmt *st, int i)
{
    return xstrdup(results_col_text(st, i));
}

/* The run table's query: every reader of a run gets the same fields the same way, and "the
 * latest" means the same thing to each. */
int run_row_read(sqlite3 *db, int64_t id, run_row *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = NULL;
    /* ?1 NULL asks for the latest run */
    if (sqlite3_prepare_v2(db,
                           "SELECT id, started_at, engine_version, period, params, evidence_path, "
                           "evidence_hash, language_sha256 FROM run "
                           "WHERE id = coalesce(?1, (SELECT max(id) FROM run))",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return STORED_UNFIT;
    }
    int rc = id ? sqlite3_bind_int64(st, 1, id) : sqlite3_bind_null(st, 1);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        out->id = sqlite3_column_int64(st, 0);
        out->started_at = col_dup(st, 1);
        out->engine = col_dup(st, 2);
        out->period = col_dup(st, 3);
        out->params = col_dup(st, 4);
        out->evidence_path = col_dup(st, 5);
        out->evidence_hash = col_dup(st, 6);
        out->language_sha = col_dup(st, 7);
        rc = STORED_OK;
    } else {
        rc = rc == SQLITE_DONE ? STORED_NO_RUN : STORED_FAILED;
    }
    sqlite3_finalize(st);
    return rc;
}

void run_row_free(run_row *r)
{
    free(r->started_at);
    free(r->engine);
    free(r->period);
    free(r->params);
    free(r->evidence_path);
    free(r->evidence_hash);
    free(r->language_sha);
    memset(r, 0, sizeof *r);
}

int run_scorecards_read(sqlite3 *db, int64_t run,
                        void (*fn)(void *ud, const char *id, const char *file, const char *sha256),
                        void *ud)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT scorecard_id, file, sha256 FROM run_scorecard WHERE run_id = ?1 "
                           "ORDER BY rowid",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return STORED_UNFIT;
    }
    int rc = sqlite3_bind_int64(st, 1, run);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        fn(ud, results_col_text(st, 0), results_col_text(st, 1), results_col_text(st, 2));
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? STORED_OK : STORED_FAILED;
}

int store_has_table(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", -1,
                           &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return STORED_FAILED;
    }
    int rc = sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : STORED_FAILED;
}
