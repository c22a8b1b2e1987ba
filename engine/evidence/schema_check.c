/*
 * schema_check.c — the evidence layer's part of `kaohe check`. See schema_check.h.
 */
#include "evidence/schema_check.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/ev_open_internal.h"
#include "evidence/ev_sql_internal.h"

/* The schema is run on a writable connection (it creates the tables), which only then becomes
 * read-only and gets the authorizer: the scorecard queries checked against it meet the same
 * connection a run gives them. */
evidence *ev_open_schema(const char *schema_file, kh_error *err)
{
    strbuf schema = {0};
    if (sb_read_file(&schema, schema_file) != 0) {
        kh_seterr(err, "%s: cannot read the evidence schema: %s", schema_file, strerror(errno));
        sb_free(&schema);
        return NULL;
    }
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(
        ":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        kh_seterr(err, "%s: cannot open an in-memory database: %s", schema_file,
                  db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        sb_free(&schema);
        return NULL;
    }
    ev_defend(db);
    int failed = ev_sql(db, schema_file, sb_str(&schema), NULL, err) != 0 ||
                 ev_sql(db, schema_file, "PRAGMA query_only = 1", NULL, err) != 0;
    sb_free(&schema);
    if (failed) {
        sqlite3_close(db);
        return NULL;
    }
    return ev_adopt(db, schema_file, err);
}

/* Through ev_query, so that what is refused and how it is worded is exactly what a run gets;
 * the cursor is released before its first step. */
int ev_columns_of(evidence *ev, const char *sql, const kh_param *params, size_t nparams,
                  const char *where, ev_columns *out, kh_error *err)
{
    memset(out, 0, sizeof *out);
    ev_cursor *c = NULL;
    if (ev_query(ev, sql, params, nparams, where, &c, err) != 0)
        return -1;
    int n = ev_ncols(c);
    out->names = xcalloc(n > 0 ? (size_t)n : 1, sizeof *out->names);
    for (int i = 0; i < n; i++) {
        const char *name = ev_colname(c, i);
        out->names[out->n++] = xstrdup(name ? name : "");
    }
    ev_done(c);
    return 0;
}

int ev_columns_find(const ev_columns *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->names[i], name) == 0)
            return (int)i;
    return -1;
}

void ev_columns_free(ev_columns *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->names[i]);
    free(c->names);
    memset(c, 0, sizeof *c);
}
