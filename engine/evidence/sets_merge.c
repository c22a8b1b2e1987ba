/*
 * sets_merge.c — combines the shared sets that several evidence connections made (each in its
 * own TEMP schema, core/sets_parallel.c) into the one image that `sets` reads.
 *
 * Why copy tables rather than make the sets where they are read: the items name every set as
 * sets.NAME, one schema, and a connection's TEMP schema is the only one it may write (see
 * sets.c). So each maker's TEMP is copied out as an image; here, on a private in-memory
 * connection of the host's own (no scorecard SQL runs on it), the first image becomes the main
 * database, and each table of the others is created there from its own CREATE statement, given
 * its indexes, and filled by INSERT INTO … SELECT * FROM the other image. With the same
 * columns and indexes and an empty target, SQLite copies such an INSERT record by record,
 * index entries included, without evaluating or sorting anything (its "transfer
 * optimisation"): the rows keep their rowids, so the items read exactly what one connection
 * would have made.
 */
#include <stdlib.h>

#include "base/strbuf.h"
#include "evidence/ev_sql_internal.h"
#include "evidence/sets_internal.h"

static int fail(sqlite3 *db, const char *what, kh_error *err)
{
    kh_seterr(err, "shared sets: cannot combine them (%s): %s", what, sqlite3_errmsg(db));
    return -1;
}

static int exec(sqlite3 *db, const char *sql, kh_error *err)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : fail(db, sql, err);
}

/* Recreates the table `name` of schema src in main (its CREATE and its indexes' CREATEs, as
 * SQLite keeps them) and copies its rows. */
static int copy_table(sqlite3 *db, const char *name, kh_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT sql FROM src.sqlite_schema WHERE tbl_name = ?1 AND sql IS NOT "
                           "NULL ORDER BY type = 'index', rowid",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(db, "reading its schema", err);
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = exec(db, (const char *)sqlite3_column_text(st, 0), err);
    if (rc == 0 && step != SQLITE_DONE)
        rc = fail(db, "reading its schema", err);
    sqlite3_finalize(st);
    strbuf sql = {0};
    sb_printf(&sql, "INSERT INTO main.\"%s\" SELECT * FROM src.\"%s\"", name, name);
    if (rc == 0)
        rc = exec(db, sb_str(&sql), err);
    sb_free(&sql);
    return rc;
}

/* Attaches img read-only as src and copies each of its tables into main. */
static int copy_image(sqlite3 *db, ev_sets_image *img, kh_error *err)
{
    if (exec(db, "ATTACH ':memory:' AS src", err) != 0)
        return -1;
    int rc = sqlite3_deserialize(db, "src", img->data, img->size, img->size,
                                 SQLITE_DESERIALIZE_READONLY) == SQLITE_OK
                 ? 0
                 : fail(db, "reading an image", err);
    sqlite3_stmt *st = NULL;
    if (rc == 0 && sqlite3_prepare_v2(db,
                                      "SELECT name FROM src.sqlite_schema WHERE type = 'table' "
                                      "ORDER BY rowid",
                                      -1, &st, NULL) != SQLITE_OK)
        rc = fail(db, "listing its tables", err);
    int step = SQLITE_DONE;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        char *name = xstrdup((const char *)sqlite3_column_text(st, 0));
        rc = copy_table(db, name, err);
        free(name);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = fail(db, "listing its tables", err);
    sqlite3_finalize(st);
    if (exec(db, "DETACH src", rc == 0 ? err : &(kh_error){0}) != 0)
        rc = -1;
    return rc;
}

int ev_sets_merge(ev_sets_image **images, size_t n, ev_sets_image *out, kh_error *err)
{
    *out = (ev_sets_image){0};
    if (n == 1) {
        *out = *images[0];
        images[0]->data = NULL;
        return 0;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(":memory:", &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        kh_seterr(err, "shared sets: cannot combine them: out of memory");
        sqlite3_close(db);
        return -1;
    }
    int rc = sqlite3_deserialize(db, "main", images[0]->data, images[0]->size, images[0]->size,
                                 SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) ==
                     SQLITE_OK
                 ? 0
                 : fail(db, "taking the first image", err);
    images[0]->data = NULL; /* the connection frees it, even when deserializing failed */
    for (size_t i = 1; rc == 0 && i < n; i++)
        rc = copy_image(db, images[i], err);
    if (rc == 0) {
        out->data = sqlite3_serialize(db, "main", &out->size, 0);
        if (!out->data)
            rc = fail(db, "copying the result", err);
    }
    sqlite3_close(db);
    return rc;
}
