/*
 * evidence_build.c — evidence databases from SQL files, for fixtures. See evidence_build.h.
 */
#include "evidence/evidence_build.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/tmpfile.h"
#include "evidence/ev_sql_internal.h"

static int read_file(const char *path, strbuf *out, kh_error *err)
{
    if (sb_read_file(out, path) == 0)
        return 0;
    kh_seterr(err, "%s: cannot open: %s", path, strerror(errno));
    return -1;
}

int ev_build(const char *path, const char *const *sql_files, size_t n, kh_error *err)
{
    /* an empty file beside path, which SQLite opens as an empty database */
    strbuf tmp = {0};
    if (kh_tmp_beside(&tmp, path, err) != 0) {
        sb_free(&tmp);
        return -1;
    }
    sqlite3 *db = NULL;
    int rc = -1;
    if (sqlite3_open(sb_str(&tmp), &db) != SQLITE_OK) {
        kh_seterr(err, "%s: cannot create: %s", path, sqlite3_errmsg(db));
        goto done;
    }
    if (ev_sql(db, path, "PRAGMA foreign_keys = ON; BEGIN", NULL, err) != 0)
        goto done;
    for (size_t i = 0; i < n; i++) {
        strbuf sql = {0};
        if (read_file(sql_files[i], &sql, err) != 0)
            goto done;
        char *msg = NULL;
        if (sqlite3_exec(db, sb_str(&sql), NULL, NULL, &msg) != SQLITE_OK) {
            kh_seterr(err, "%s: %s", sql_files[i], msg ? msg : sqlite3_errmsg(db));
            sqlite3_free(msg);
            sb_free(&sql);
            goto done;
        }
        sb_free(&sql);
    }
    if (ev_sql(db, path, "COMMIT", NULL, err) != 0)
        goto done;
    rc = 0;
done:
    sqlite3_close(db);
    if (rc == 0 && rename(sb_str(&tmp), path) != 0) {
        kh_seterr(err, "%s: cannot write: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(sb_str(&tmp));
    sb_free(&tmp);
    return rc;
}

struct ev_writer {
    sqlite3 *db;
    char *path;
    char *tmp;
    char **tables;
    size_t ntables;
};

ev_writer *ev_writer_open(const char *path, const char *schema_file, kh_error *err)
{
    ev_writer *w = xcalloc(1, sizeof *w);
    w->path = xstrdup(path);
    strbuf tmp = {0};
    if (kh_tmp_beside(&tmp, path, err) != 0) {
        sb_free(&tmp);
        ev_writer_abort(w);
        return NULL;
    }
    w->tmp = sb_take(&tmp);
    strbuf schema = {0};
    if (read_file(schema_file, &schema, err) != 0) {
        ev_writer_abort(w);
        return NULL;
    }
    char *msg = NULL;
    if (sqlite3_open(w->tmp, &w->db) != SQLITE_OK ||
        sqlite3_exec(w->db, sb_str(&schema), NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(w->db, "PRAGMA foreign_keys = ON; BEGIN", NULL, NULL, &msg) != SQLITE_OK) {
        kh_seterr(err, "%s: %s", schema_file, msg ? msg : sqlite3_errmsg(w->db));
        sqlite3_free(msg);
        sb_free(&schema);
        ev_writer_abort(w);
        return NULL;
    }
    sb_free(&schema);
    sqlite3_stmt *st = NULL;
    if (ev_sql(w->db, path, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY rowid",
               &st, err) != 0) {
        ev_writer_abort(w);
        return NULL;
    }
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t k = KH_PUSH(w->tables, w->ntables, cap);
        w->tables[k] = xstrdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    size_t k = KH_PUSH(w->tables, w->ntables, cap);
    w->tables[k] = NULL;
    w->ntables--;
    return w;
}

const char *const *ev_writer_tables(ev_writer *w)
{
    return (const char *const *)w->tables;
}

int ev_writer_insert(ev_writer *w, const char *table, size_t ncols, const char *const *cols,
                     const kh_value *vals, kh_error *err)
{
    strbuf sql = {0};
    sb_printf(&sql, "INSERT INTO \"%s\" (", table);
    for (size_t i = 0; i < ncols; i++)
        sb_printf(&sql, "%s\"%s\"", i ? ", " : "", cols[i]);
    sb_append(&sql, ") VALUES (");
    for (size_t i = 0; i < ncols; i++)
        sb_append(&sql, i ? ", ?" : "?");
    sb_append(&sql, ")");
    sqlite3_stmt *st = NULL;
    int rc = -1;
    if (sqlite3_prepare_v2(w->db, sb_str(&sql), -1, &st, NULL) != SQLITE_OK) {
        kh_seterr(err, "table %s: %s", table, sqlite3_errmsg(w->db));
        goto done;
    }
    for (size_t i = 0; i < ncols; i++) {
        int c = (int)i + 1;
        switch (vals[i].type) {
        case KH_INT:
            sqlite3_bind_int64(st, c, vals[i].i);
            break;
        case KH_REAL:
            sqlite3_bind_double(st, c, vals[i].r);
            break;
        case KH_TEXT:
            sqlite3_bind_text(st, c, vals[i].s, -1, SQLITE_TRANSIENT);
            break;
        default:
            sqlite3_bind_null(st, c);
        }
    }
    if (sqlite3_step(st) != SQLITE_DONE) {
        kh_seterr(err, "table %s: %s", table, sqlite3_errmsg(w->db));
        goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    sb_free(&sql);
    return rc;
}

static void writer_free(ev_writer *w)
{
    for (size_t i = 0; i < w->ntables; i++)
        free(w->tables[i]);
    free(w->tables);
    free(w->path);
    free(w->tmp);
    free(w);
}

int ev_writer_commit(ev_writer *w, kh_error *err)
{
    int rc = ev_sql(w->db, w->path, "COMMIT", NULL, err);
    sqlite3_close(w->db);
    w->db = NULL;
    if (rc == 0 && rename(w->tmp, w->path) != 0) {
        kh_seterr(err, "%s: cannot write: %s", w->path, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(w->tmp);
    writer_free(w);
    return rc;
}

void ev_writer_abort(ev_writer *w)
{
    if (!w)
        return;
    sqlite3_close(w->db);
    if (w->tmp)
        unlink(w->tmp);
    writer_free(w);
}
