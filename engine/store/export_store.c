/*
 * export_store.c — the one query `kaohe export` runs on a results database. See export_store.h.
 */
#include "store/export_store.h"

#include <string.h>

#include "store/store_internal.h"

enum { MAX_COLS = 64 }; /* the widest results table has 13 */

/* The table names an export may read: the query is built from one of these, never from the
 * user's text. */
static const char *const TABLES[] = {"result", "score", "deduction"};

static int known_table(const char *table)
{
    for (size_t i = 0; i < sizeof TABLES / sizeof TABLES[0]; i++)
        if (strcmp(table, TABLES[i]) == 0)
            return 1;
    return 0;
}

static export_type type_of(sqlite3_stmt *st, int i)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        return EXPORT_NULL;
    case SQLITE_INTEGER:
        return EXPORT_INTEGER;
    case SQLITE_FLOAT:
        return EXPORT_REAL;
    default:
        return EXPORT_TEXT;
    }
}

/* Hands the statement's rows to the sink, the names first. SQLITE_DONE, another SQLite code,
 * or SQLITE_ABORT when a callback stopped (err set by it). */
static int hand_rows(sqlite3_stmt *st, const export_sink *k, kh_error *err)
{
    int n = sqlite3_column_count(st);
    if (n > MAX_COLS)
        return SQLITE_TOOBIG;
    const char *names[MAX_COLS];
    for (int i = 0; i < n; i++)
        names[i] = sqlite3_column_name(st, i);
    if (k->header(k->ud, (size_t)n, names, err) != 0)
        return SQLITE_ABORT;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        export_value vals[MAX_COLS];
        for (int i = 0; i < n; i++) {
            vals[i].type = type_of(st, i);
            vals[i].text = vals[i].type == EXPORT_NULL ? NULL : results_col_text(st, i);
        }
        if (k->row(k->ud, (size_t)n, vals, err) != 0)
            return SQLITE_ABORT;
    }
    return rc;
}

int export_store_table(audit_store *s, const char *table, int64_t run, const export_sink *k,
                       kh_error *err)
{
    const char *path;
    sqlite3 *db = audit_store_db(s, &path);
    if (!known_table(table) || store_has_table(db, table) != 1) {
        kh_seterr(err, "%s: not a results database (it has no %s table)", path, table);
        return -1;
    }
    /* rowid order: the order the run wrote them, which is the workbook's order */
    char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" WHERE run_id = ?1 ORDER BY rowid", table);
    sqlite3_stmt *st = NULL;
    int rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
    sqlite3_free(sql);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 1, run);
    if (rc == SQLITE_OK)
        rc = hand_rows(st, k, err);
    if (rc != SQLITE_DONE && rc != SQLITE_ABORT)
        kh_seterr(err, "%s: cannot read the %s table: %s", path, table,
                  rc == SQLITE_TOOBIG ? "too many columns" : sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}
