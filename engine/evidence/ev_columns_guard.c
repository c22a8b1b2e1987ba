/*
 * ev_columns_guard.c — the evidence file's tables checked against the bundled evidence schema
 * (fixtures/evidence-schema.sql) before any query reads them (issue 18 item 3).
 *
 * Scorecards and the engine's own listings name columns of the schema. A file whose village
 * lacks `name` used to fail deep in a run with "listing village subjects: SQL error: no such
 * column: v.name", naming neither the file nor what is wrong with it; a column of another type
 * (a STRICT table made with name INTEGER) would give wrong answers instead. Here every table
 * the schema defines and the file holds must have every column of the schema, with its
 * declared type; a deviation is an error naming the file, the table and the column. A table
 * the file does not hold is not an error here: evidence may be partial (a query naming it
 * fails as "no such table"), and extra tables and columns are the file's own business.
 *
 * The schema is read once per process (pthread_once) into a list of (table, column, type).
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/home.h"
#include "evidence/ev_open_internal.h"

typedef struct expected_column {
    char *table, *column, *type;
} expected_column;

static expected_column *expected;
static size_t nexpected;
static pthread_once_t expected_once = PTHREAD_ONCE_INIT;

/* Builds the schema in a private in-memory database and lists its columns. Without the
 * schema file (a broken installation) the list stays empty: nothing can be checked, and
 * `kaohe check` reports the missing file itself. */
static void read_expected(void)
{
    strbuf path = {0}, text = {0};
    sb_printf(&path, "%s/%s", kh_home(), EV_SCHEMA_FILE);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    if (sb_read_file(&text, sb_str(&path)) == 0 &&
        sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
        sqlite3_exec(db, sb_str(&text), NULL, NULL, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db,
                           "SELECT m.name, c.name, c.type FROM sqlite_schema m, "
                           "pragma_table_info(m.name) c WHERE m.type = 'table' "
                           "ORDER BY m.name, c.cid",
                           -1, &st, NULL) == SQLITE_OK) {
        while (sqlite3_step(st) == SQLITE_ROW) {
            expected = xrealloc(expected, (nexpected + 1) * sizeof *expected);
            expected_column *e = &expected[nexpected++];
            e->table = xstrdup((const char *)sqlite3_column_text(st, 0));
            e->column = xstrdup((const char *)sqlite3_column_text(st, 1));
            e->type = xstrdup((const char *)sqlite3_column_text(st, 2));
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    sb_free(&path);
    sb_free(&text);
}

/* The declared type of table.column in db into type (""), 1 if the column exists, 0 if not,
 * -1 on an SQL error (err set). */
static int column_type(sqlite3 *db, const char *path, const expected_column *e, char *type,
                       size_t n, kh_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT type FROM pragma_table_info(?1) WHERE name = ?2", -1,
                                &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, e->table, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, e->column, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        snprintf(type, n, "%s", t ? t : "");
    } else if (rc != SQLITE_DONE) {
        kh_seterr(err, "%s: cannot read the evidence schema: %s", path, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* 1 if db holds the table `name`, 0 if not, -1 on an SQL error (err set). */
static int has_table(sqlite3 *db, const char *path, const char *name, kh_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        kh_seterr(err, "%s: cannot read the evidence schema: %s", path, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int ev_guard_columns(sqlite3 *db, const char *path, kh_error *err)
{
    pthread_once(&expected_once, read_expected);
    const char *table = NULL;
    int present = 0;
    for (size_t i = 0; i < nexpected; i++) {
        const expected_column *e = &expected[i];
        if (!table || strcmp(table, e->table) != 0) {
            table = e->table;
            if ((present = has_table(db, path, table, err)) < 0)
                return -1;
        }
        if (!present)
            continue;
        char type[64];
        int found = column_type(db, path, e, type, sizeof type, err);
        if (found < 0)
            return -1;
        if (!found) {
            kh_seterr(err,
                      "%s: evidence table %s has no column %s (%s), which the evidence schema "
                      "(%s) defines; rebuild the evidence with kaohe import",
                      path, e->table, e->column, e->type, EV_SCHEMA_FILE);
            return -1;
        }
        if (sqlite3_stricmp(type, e->type) != 0) {
            kh_seterr(err,
                      "%s: evidence column %s.%s is declared %s; the evidence schema (%s) "
                      "declares it %s",
                      path, e->table, e->column, type[0] ? type : "without a type", EV_SCHEMA_FILE,
                      e->type);
            return -1;
        }
    }
    return 0;
}
