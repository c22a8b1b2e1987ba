/*
 * import_cache.c — the page cache `kaohe import` gives its connection, chosen by whether the
 * file already holds rows.
 *
 * Why two sizes (bench/README.md, 2026-12-02): into an empty schema the rows arrive mostly in
 * key order and SQLite's default 2 MB cache is faster than a large one (fewer page faults, the
 * key-set look-ups stay in the CPU caches); re-importing into a full database updates pages all
 * over the tables' indexes, and there a 256 MB cache is faster.
 */
#include <sqlite3.h>
#include <stdio.h>

#include "evidence/ev_sql_internal.h"
#include "evidence/import_internal.h"

/* 1 if some table of the file has a row, 0 if none, -1 with err. One LIMIT 1 probe per table:
 * a few microseconds each, however large the file. */
static int any_rows(sqlite3 *db, const char *path, kh_error *err)
{
    sqlite3_stmt *names = NULL;
    if (ev_sql(db, path,
               "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
               &names, err) != 0)
        return -1;
    int found = 0, rc;
    while (!found && (rc = sqlite3_step(names)) == SQLITE_ROW) {
        char *sql = sqlite3_mprintf("SELECT 1 FROM \"%w\" LIMIT 1",
                                    (const char *)sqlite3_column_text(names, 0));
        sqlite3_stmt *probe = NULL;
        if (!sql || ev_sql(db, path, sql, &probe, err) != 0) {
            if (!sql)
                kh_seterr(err, "%s: out of memory", path);
            sqlite3_free(sql);
            sqlite3_finalize(names);
            return -1;
        }
        sqlite3_free(sql);
        int r = sqlite3_step(probe);
        sqlite3_finalize(probe);
        if (r != SQLITE_ROW && r != SQLITE_DONE) {
            kh_seterr(err, "%s: cannot read: %s", path, sqlite3_errmsg(db));
            sqlite3_finalize(names);
            return -1;
        }
        found = r == SQLITE_ROW;
    }
    if (!found && rc != SQLITE_DONE) {
        kh_seterr(err, "%s: cannot read its tables: %s", path, sqlite3_errmsg(db));
        sqlite3_finalize(names);
        return -1;
    }
    sqlite3_finalize(names);
    return found;
}

int imp_set_cache(sqlite3 *db, const char *path, kh_error *err)
{
    int full = any_rows(db, path, err);
    if (full < 0)
        return -1;
    /* an empty file keeps SQLite's default cache (see the header comment) */
    return full ? ev_sql(db, path, "PRAGMA cache_size = -262144", NULL, err) : 0;
}
