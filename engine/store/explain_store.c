/*
 * explain_store.c — the subject's standing for `kaohe explain`. See explain_store.h.
 */
#include "store/explain_store.h"

#include "store/store_internal.h"

int explain_store_standing(audit_store *s, int64_t run, const char *subject,
                           void (*fn)(void *ud, const explain_standing *r), void *ud, kh_error *err)
{
    const char *path;
    sqlite3 *db = audit_store_db(s, &path);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        db,
        "SELECT r.scorecard_id, c.title, c.mode, r.subject_kind, r.total, r.grade, r.rank, "
        "r.pending_items, r.vetoed_items, (SELECT count(*) FROM result o WHERE o.run_id = "
        "r.run_id AND o.scorecard_id = r.scorecard_id AND o.subject_kind = r.subject_kind) "
        "FROM result r JOIN run_scorecard c ON c.run_id = r.run_id AND c.scorecard_id = "
        "r.scorecard_id WHERE r.run_id = ?1 AND r.subject_id = ?2 ORDER BY c.rowid",
        -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 1, run);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, subject, -1, SQLITE_STATIC);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        explain_standing r = {results_col_text(st, 0),     results_col_text(st, 1),
                              results_col_text(st, 2),     results_col_text(st, 3),
                              results_col_text(st, 4),     results_col_text(st, 5),
                              sqlite3_column_int64(st, 6), sqlite3_column_int64(st, 7),
                              sqlite3_column_int64(st, 8), sqlite3_column_int64(st, 9)};
        fn(ud, &r);
        rc = SQLITE_OK;
    }
    if (rc != SQLITE_DONE)
        kh_seterr(err, "%s: cannot read the subject's results: %s", path, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}
