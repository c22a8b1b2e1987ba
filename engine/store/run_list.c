/*
 * run_list.c — the one query listing the runs of a results database. See run_list.h.
 */
#include "store/run_list.h"

#include "store/store_internal.h"

/* The listing's query; `parts` counts a merged run's parts, 0 for a database written before
 * merges (no run_part table). Scorecards are listed in the order the run took them. */
static const char *list_sql(int has_parts)
{
    return has_parts
               ? "SELECT r.id, r.started_at, r.period, (SELECT group_concat(scorecard_id, ', ') "
                 "FROM (SELECT scorecard_id FROM run_scorecard WHERE run_id = r.id ORDER BY "
                 "rowid)), r.evidence_path, r.evidence_hash, r.params, (SELECT count(*) FROM "
                 "run_part p WHERE p.run_id = r.id) FROM run r ORDER BY r.id"
               : "SELECT r.id, r.started_at, r.period, (SELECT group_concat(scorecard_id, ', ') "
                 "FROM (SELECT scorecard_id FROM run_scorecard WHERE run_id = r.id ORDER BY "
                 "rowid)), r.evidence_path, r.evidence_hash, r.params, 0 FROM run r ORDER BY r.id";
}

int run_list_read(audit_store *s, int (*fn)(void *ud, const run_list_row *r), void *ud,
                  kh_error *err)
{
    const char *path;
    sqlite3 *db = audit_store_db(s, &path);
    int has_run = store_has_table(db, "run"), has_parts = store_has_table(db, "run_part");
    if (has_run == 0) {
        kh_seterr(err, "%s: not a results database (it has no run table)", path);
        return -1;
    }
    sqlite3_stmt *st = NULL;
    int rc = has_run < 0 || has_parts < 0
                 ? SQLITE_ERROR
                 : sqlite3_prepare_v2(db, list_sql(has_parts), -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        run_list_row r = {sqlite3_column_int64(st, 0), results_col_text(st, 1),
                          results_col_text(st, 2),     results_col_text(st, 3),
                          results_col_text(st, 4),     results_col_text(st, 5),
                          results_col_text(st, 6),     sqlite3_column_int64(st, 7)};
        if (fn(ud, &r) != 0) {
            sqlite3_finalize(st);
            return -1;
        }
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE)
        kh_seterr(err, "%s: cannot read the runs: %s", path, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}
