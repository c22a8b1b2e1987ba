/*
 * run_number.c — the number the run being written will get, known before its rows are added:
 * the workbook, written beside the results (app/run.c), prints it on 运行信息.
 */
#include "store/store_internal.h"

int results_next_run_id(results_tx *tx, int64_t *id, kh_error *err)
{
    sqlite3 *db = results_tx_db(tx);
    sqlite3_stmt *st = NULL;
    /* the run table's id is its rowid: an insert takes max + 1, and the transaction (BEGIN
     * IMMEDIATE) keeps any other writer out until commit */
    int rc = sqlite3_prepare_v2(db, "SELECT coalesce(max(id), 0) + 1 FROM run", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    else
        kh_seterr(err, "cannot read the run table: %s", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}
