/*
 * ev_guard.c — the evidence file's schema checked before anything reads or writes it: every
 * table must be an ordinary table. See ev_guard in ev_open_internal.h.
 *
 * A view named like an evidence table (village as a view over an endless recursive CTE), a
 * virtual table, or a generated column (printf with a huge width, computed by the content hash
 * for every run) runs code of the file's author whenever the engine or a scorecard reads the
 * table; a trigger (on township, deleting every person) runs it when an import writes. None of
 * them belongs in evidence that `kaohe import` or the generator made, so each is refused,
 * naming the file and the object, before the first query.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "evidence/ev_open_internal.h"

/* The first row of `sql` (two text columns) into a and b; 1 when there is one, 0 when none,
 * -1 on an SQL error (err set). */
static int first_row(sqlite3 *db, const char *path, const char *sql, char *a, char *b, size_t n,
                     kh_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *x = (const char *)sqlite3_column_text(st, 0);
        const char *y = (const char *)sqlite3_column_text(st, 1);
        snprintf(a, n, "%s", x ? x : "");
        snprintf(b, n, "%s", y ? y : "");
    } else if (rc != SQLITE_DONE) {
        kh_seterr(err, "%s: cannot read the evidence schema: %s", path, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int ev_guard(sqlite3 *db, const char *path, kh_error *err)
{
    char kind[256], name[256];
    int found = first_row(db, path,
                          "SELECT type, name FROM sqlite_schema WHERE type IN ('view', 'trigger') "
                          "OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%') ORDER BY name",
                          kind, name, sizeof name, err);
    if (found < 0)
        return -1;
    if (found) {
        kh_seterr(err,
                  "%s: evidence holds %s '%s'; evidence may hold ordinary tables only (no view, "
                  "virtual table or trigger: each would run the file author's code when the "
                  "evidence is read or written)",
                  path,
                  strcmp(kind, "view") == 0      ? "a view"
                  : strcmp(kind, "trigger") == 0 ? "a trigger"
                                                 : "a virtual table",
                  name);
        return -1;
    }
    char column[256];
    found = first_row(db, path,
                      "SELECT m.name, c.name FROM sqlite_schema m, pragma_table_xinfo(m.name) c "
                      "WHERE m.type = 'table' AND c.hidden IN (2, 3) ORDER BY m.name, c.cid",
                      name, column, sizeof name, err);
    if (found < 0)
        return -1;
    if (found) {
        kh_seterr(err,
                  "%s: evidence table %s has a generated column %s; evidence columns must hold "
                  "values, not compute them",
                  path, name, column);
        return -1;
    }
    return 0;
}
