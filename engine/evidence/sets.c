/*
 * sets.c — the shared sets on the evidence connection. See sets.h for what and why.
 *
 * Why TEMP first and then a deserialized image: the evidence connection is opened read-only,
 * and SQLite opens an ATTACHed ":memory:" database read-only on such a connection too; TEMP is
 * the one schema it can write. The TEMP tables are copied out with sqlite3_serialize and the
 * copy deserialized READONLY as `sets` on this connection and on every item worker's: the
 * workers read one image in memory, concurrently, without a shared-cache lock and without a
 * scratch file (each worker's pages are read straight from the image). The TEMP tables are
 * dropped once published.
 *
 * Measured on the demo county (huining.db; a 51,533-row per-person set, 4.6 MB image; three
 * item-like queries six times per connection, idle 2-core machine): inline subqueries 0.74 s
 * on one connection; the set as this deserialized image 0.52 s on one, 0.53 s on each of two
 * in parallel; a scratch file attached read-only 0.51 s / 0.55 s; a shared-cache in-memory
 * database 0.50 s on one but 1.09 s on two (its shared B-tree lock serialises the readers). The
 * image scales like a file without writing one. Making that set and a 20,387-row one with
 * their indexes takes 0.12 s, publishing them 0.05 s.
 */
#include "evidence/sets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/ev_conn_internal.h"
#include "evidence/ev_sql_internal.h"
#include "evidence/sets_internal.h"

/* A set made on this connection, as first declared. */
typedef struct set_entry {
    char *name, *sql;
    char *values; /* the bound parameters it uses, ":name = value, ..." */
    char *origin;
    unsigned batch; /* made in this batch (check publishes one scorecard's sets at a time) */
} set_entry;

struct ev_sets {
    set_entry *v;
    size_t n, cap;
    unsigned batch;
    char **staged; /* TEMP tables of this batch, dropped once published */
    size_t nstaged, capstaged;
    unsigned char *image; /* what `sets` reads, here and on the workers; sqlite3_malloc'd */
    sqlite3_int64 size;
    int attached;
};

void ev_sets_free(struct ev_sets *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].name);
        free(s->v[i].sql);
        free(s->v[i].values);
        free(s->v[i].origin);
    }
    free(s->v);
    for (size_t i = 0; i < s->nstaged; i++)
        free(s->staged[i]);
    free(s->staged);
    sqlite3_free(s->image);
    free(s);
}

/* Runs one statement of the host's own (no parameters) with the host's write permission. */
static int host_exec(evidence *ev, const char *sql, const char *where, kh_error *err)
{
    ev_conn_host_writes(ev, 1);
    int rc = ev_sql(ev_conn_db(ev), where, sql, NULL, err);
    ev_conn_host_writes(ev, 0);
    return rc;
}

int ev_sets_begin(evidence *ev, kh_error *err)
{
    struct ev_sets **slot = ev_conn_sets(ev);
    if (!*slot)
        *slot = xcalloc(1, sizeof **slot);
    (*slot)->batch++;
    return host_exec(ev, "PRAGMA query_only = 0", "shared sets:", err);
}

/* Appends a parameter's value as SQL would write it, for comparing two declarations. */
static void put_value(strbuf *sb, sqlite3_stmt *st, int i, const kh_param *params, size_t n)
{
    const char *name = sqlite3_bind_parameter_name(st, i);
    for (size_t j = 0; name && j < n; j++) {
        if (strcmp(params[j].name, name + 1) != 0)
            continue;
        const kh_value *v = &params[j].value;
        sb_printf(sb, "%s%s = ", sb->len ? ", " : "", name);
        if (v->type == KH_INT)
            sb_printf(sb, "%lld", (long long)v->i);
        else if (v->type == KH_REAL)
            sb_printf(sb, "%.17g", v->r);
        else if (v->type == KH_TEXT)
            sb_printf(sb, "'%s'", v->s);
        else
            sb_append(sb, "NULL");
    }
}

/* Prepares the set's SELECT as a scorecard query (read-only, one statement, known parameters),
 * then notes the parameter values it binds and refuses a column name given twice (TEMP tables
 * made AS SELECT would rename the second one silently). */
static int examine(evidence *ev, const ev_set_def *d, const kh_param *params, size_t n,
                   strbuf *values, kh_error *err)
{
    if (ev_check(ev, d->sql, params, n, d->where, err) != 0)
        return -1;
    sqlite3_stmt *st = NULL;
    if (ev_sql(ev_conn_db(ev), d->where, d->sql, &st, err) != 0)
        return -1;
    for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++)
        put_value(values, st, i, params, n);
    int rc = 0, ncols = sqlite3_column_count(st);
    for (int i = 0; rc == 0 && i < ncols; i++)
        for (int j = 0; rc == 0 && j < i; j++)
            if (sqlite3_stricmp(sqlite3_column_name(st, i), sqlite3_column_name(st, j)) == 0) {
                kh_seterr(err,
                          "%s column %s appears twice in its SELECT; name each column once "
                          "(e.g. h.id AS household_id)",
                          d->where, sqlite3_column_name(st, i));
                rc = -1;
            }
    sqlite3_finalize(st);
    return rc;
}

/* The set of that name made earlier on this connection; -1 with err if it was made from
 * another SQL or other parameter values; 0 with *found NULL if there is none. */
static int look_up(struct ev_sets *s, const ev_set_def *d, const char *values, set_entry **found,
                   kh_error *err)
{
    *found = NULL;
    for (size_t i = 0; i < s->n; i++) {
        set_entry *e = &s->v[i];
        if (strcmp(e->name, d->name) != 0)
            continue;
        if (strcmp(e->sql, d->sql) != 0) {
            kh_seterr(err,
                      "%s declared again with a different SQL (first at %s); one name is one "
                      "set in a run: rename one of them",
                      d->where, e->origin);
            return -1;
        }
        if (strcmp(e->values, values) != 0) {
            kh_seterr(err,
                      "%s binds %s here but %s where first declared (%s); a set is made once "
                      "per run: give the parameters the same values, or the sets two names",
                      d->where, values, e->values, e->origin);
            return -1;
        }
        *found = e;
    }
    return 0;
}

/* Runs the host's CREATE ... AS SELECT with the set's parameters bound, under the query step
 * budget of scorecard queries. */
static int run_create(evidence *ev, const ev_set_def *d, const char *sql, const kh_param *params,
                      size_t n, kh_error *err)
{
    sqlite3 *db = ev_conn_db(ev);
    sqlite3_stmt *st = NULL;
    ev_conn_host_writes(ev, 1);
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        ev_conn_host_writes(ev, 0);
        kh_seterr(err, "%s SQL error: %s", d->where, sqlite3_errmsg(db));
        return -1;
    }
    if (ev_bind_params(st, params, n, d->where, err) != 0) {
        ev_conn_host_writes(ev, 0);
        sqlite3_finalize(st);
        return -1;
    }
    ev_conn_budget_start(ev);
    rc = sqlite3_step(st);
    ev_conn_budget_end(ev);
    ev_conn_host_writes(ev, 0);
    uint64_t spent = ev_conn_budget_spent(ev);
    if (rc != SQLITE_DONE && spent)
        kh_seterr(err, "%s query stopped: it exceeded its budget of %llu SQLite steps", d->where,
                  (unsigned long long)spent);
    else if (rc != SQLITE_DONE && ev_conn_time_spent(ev))
        kh_seterr(err, "%s query stopped: it ran longer than its time limit of %u s", d->where,
                  ev_conn_time_spent(ev));
    else if (rc != SQLITE_DONE)
        kh_seterr(err, "%s SQL error: %s", d->where, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Whether the TEMP table of set d has column `col` (len bytes): CREATE INDEX would take an
 * unknown name in double quotes for a string constant and index nothing useful. */
static int has_column(evidence *ev, const ev_set_def *d, const char *col, size_t len)
{
    strbuf sql = {0};
    sb_printf(&sql, "SELECT * FROM temp.\"%s\"", d->name);
    sqlite3_stmt *st = NULL;
    kh_error ignore;
    int found = 0;
    if (ev_sql(ev_conn_db(ev), d->where, sb_str(&sql), &st, &ignore) == 0)
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const char *name = sqlite3_column_name(st, i);
            found |= strlen(name) == len && sqlite3_strnicmp(name, col, (int)len) == 0;
        }
    sqlite3_finalize(st);
    sb_free(&sql);
    return found;
}

/* The quoted column list of index spec `cols` ("col" or "col1, col2") into sql: each a plain
 * identifier that the set has. 0, or -1 with err. */
static int index_columns(evidence *ev, const ev_set_def *d, const char *cols, strbuf *sql,
                         kh_error *err)
{
    const char *p = cols;
    int ncols = 0;
    while (*p) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
        const char *after = p + len + strspn(p + len, " ");
        if (!len || (*p >= '0' && *p <= '9') || (*after != ',' && *after != '\0'))
            break;
        if (!has_column(ev, d, p, len)) {
            kh_seterr(err, "%s index \"%s\": no such column: %.*s", d->where, cols, (int)len, p);
            return -1;
        }
        sb_printf(sql, "%s\"%.*s\"", ncols++ ? ", " : "", (int)len, p);
        p = after;
    }
    if (*p || !ncols) {
        kh_seterr(err, "%s index \"%s\": list column names, e.g. \"id\" or \"village_id, year\"",
                  d->where, cols);
        return -1;
    }
    return 0;
}

/* One index per entry of d->index, named NAME_i1, NAME_i2, ... */
static int make_indexes(evidence *ev, const ev_set_def *d, kh_error *err)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < d->nindex; i++) {
        strbuf sql = {0}, where = {0};
        sb_printf(&sql, "CREATE INDEX temp.\"%s_i%zu\" ON \"%s\"(", d->name, i + 1, d->name);
        sb_printf(&where, "%s index \"%s\"", d->where, d->index[i]);
        rc = index_columns(ev, d, d->index[i], &sql, err);
        sb_append(&sql, ")");
        if (rc == 0)
            rc = host_exec(ev, sb_str(&sql), sb_str(&where), err);
        sb_free(&sql);
        sb_free(&where);
    }
    return rc;
}

/* The rows of a TEMP table just made. */
static int count_rows(evidence *ev, const ev_set_def *d, int64_t *rows, kh_error *err)
{
    strbuf sql = {0};
    sb_printf(&sql, "SELECT count(*) FROM temp.\"%s\"", d->name);
    sqlite3_stmt *st = NULL;
    int rc = ev_sql(ev_conn_db(ev), d->where, sb_str(&sql), &st, err);
    sb_free(&sql);
    if (rc != 0)
        return -1;
    rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
    *rows = rc == 0 ? sqlite3_column_int64(st, 0) : 0;
    if (rc != 0)
        kh_seterr(err, "%s cannot count its rows: %s", d->where, sqlite3_errmsg(ev_conn_db(ev)));
    sqlite3_finalize(st);
    return rc;
}

/* Notes the set claimed in this batch: first claimed, or claimed again by a later batch. */
static void remember(struct ev_sets *s, set_entry *e, const ev_set_def *d, strbuf *values)
{
    if (!e) {
        size_t k = KH_PUSH(s->v, s->n, s->cap);
        e = &s->v[k];
        e->name = xstrdup(d->name);
        e->sql = xstrdup(d->sql);
        e->values = sb_take(values);
        e->origin = xstrdup(d->origin);
    }
    e->batch = s->batch;
}

/* Notes a TEMP table made on this connection, dropped when the batch ends. */
static void stage(struct ev_sets *s, const char *name)
{
    size_t k = KH_PUSH(s->staged, s->nstaged, s->capstaged);
    s->staged[k] = xstrdup(name);
}

int ev_set_claim(evidence *ev, const ev_set_def *d, const kh_param *params, size_t nparams,
                 kh_error *err)
{
    struct ev_sets *s = *ev_conn_sets(ev);
    strbuf values = {0};
    set_entry *e = NULL;
    int rc = 1;
    if (examine(ev, d, params, nparams, &values, err) != 0 ||
        look_up(s, d, sb_str(&values), &e, err) != 0)
        rc = -1;
    else if (e && e->batch == s->batch)
        rc = 0;
    else
        remember(s, e, d, &values);
    sb_free(&values);
    return rc;
}

int ev_set_build(evidence *ev, const ev_set_def *d, const kh_param *params, size_t nparams,
                 int empty, int64_t *rows, kh_error *err)
{
    struct ev_sets *s = *ev_conn_sets(ev);
    *rows = 0;
    strbuf sql = {0};
    /* the newline keeps a trailing comment of the SELECT from swallowing the parenthesis */
    sb_printf(&sql, "CREATE TEMP TABLE \"%s\" AS SELECT * FROM (\n%s\n)%s", d->name, d->sql,
              empty ? " LIMIT 0" : "");
    int rc = run_create(ev, d, sb_str(&sql), params, nparams, err);
    sb_free(&sql);
    if (rc == 0) /* staged from here on, so that a failure below still drops it */
        stage(s, d->name);
    if (rc != 0 || make_indexes(ev, d, err) != 0 || count_rows(ev, d, rows, err) != 0)
        return -1;
    return 0;
}

int ev_set_make(evidence *ev, const ev_set_def *d, const kh_param *params, size_t nparams,
                int empty, int64_t *rows, kh_error *err)
{
    *rows = 0;
    int claimed = ev_set_claim(ev, d, params, nparams, err);
    if (claimed != 1)
        return claimed;
    return ev_set_build(ev, d, params, nparams, empty, rows, err) == 0 ? 1 : -1;
}

/* Attaches the empty in-memory schema `sets` (once per connection): the evidence connection
 * allows no ATTACH, so the limit is lifted for this one statement of the host's. */
static int attach_sets(evidence *ev, kh_error *err)
{
    sqlite3 *db = ev_conn_db(ev);
    int was = sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 1);
    int rc = host_exec(ev, "ATTACH ':memory:' AS sets", "shared sets:", err);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, was);
    return rc;
}

/* Puts `image` under the attached schema `sets`, read-only (the image stays the caller's). */
static int deserialize(evidence *ev, unsigned char *image, sqlite3_int64 size, kh_error *err)
{
    sqlite3 *db = ev_conn_db(ev);
    ev_conn_host_writes(ev, 1); /* it runs ATTACH (evidence.c host_may) */
    int rc = sqlite3_deserialize(db, "sets", image, size, size, SQLITE_DESERIALIZE_READONLY);
    ev_conn_host_writes(ev, 0);
    if (rc != SQLITE_OK) {
        kh_seterr(err, "shared sets: cannot publish them: %s", sqlite3_errstr(rc));
        return -1;
    }
    return 0;
}

/* Drops the batch's TEMP tables and makes the connection read-only again. */
static void end_batch(evidence *ev, struct ev_sets *s)
{
    kh_error ignore;
    for (size_t i = 0; i < s->nstaged; i++) {
        strbuf sql = {0};
        sb_printf(&sql, "DROP TABLE IF EXISTS temp.\"%s\"", s->staged[i]);
        host_exec(ev, sb_str(&sql), "shared sets:", &ignore);
        sb_free(&sql);
        free(s->staged[i]);
    }
    s->nstaged = 0;
    host_exec(ev, "PRAGMA query_only = 1", "shared sets:", &ignore);
}

/* Copies this connection's TEMP tables out as an image and ends its batch. */
static int take_image(evidence *ev, ev_sets_image *img, kh_error *err)
{
    struct ev_sets *s = *ev_conn_sets(ev);
    img->size = 0;
    ev_conn_host_writes(ev, 1); /* sqlite3_serialize asks PRAGMA temp.page_count */
    img->data = sqlite3_serialize(ev_conn_db(ev), "temp", &img->size, 0);
    ev_conn_host_writes(ev, 0);
    if (!img->data)
        kh_seterr(err, "shared sets: cannot publish them: %s", sqlite3_errmsg(ev_conn_db(ev)));
    end_batch(ev, s);
    return img->data ? 0 : -1;
}

/* Publishes img (taken over) as the read-only schema `sets` of ev. */
static int publish_image(evidence *ev, ev_sets_image *img, kh_error *err)
{
    struct ev_sets *s = *ev_conn_sets(ev);
    int rc = 0;
    if (!s->attached) {
        rc = attach_sets(ev, err);
        s->attached = rc == 0;
    }
    if (rc == 0)
        rc = deserialize(ev, img->data, img->size, err);
    if (rc == 0) { /* the previous image is no longer read */
        sqlite3_free(s->image);
        s->image = img->data;
        s->size = img->size;
    } else {
        sqlite3_free(img->data);
    }
    img->data = NULL;
    return rc;
}

int ev_sets_take_image(evidence *ev, ev_sets_image **out, kh_error *err)
{
    ev_sets_image *img = xcalloc(1, sizeof *img);
    if (take_image(ev, img, err) != 0) {
        free(img);
        img = NULL;
    }
    *out = img;
    return img ? 0 : -1;
}

void ev_sets_image_free(ev_sets_image *img)
{
    if (img)
        sqlite3_free(img->data);
    free(img);
}

int ev_sets_publish_images(evidence *ev, ev_sets_image **images, size_t n, kh_error *err)
{
    ev_sets_image merged = {0};
    int rc = ev_sets_merge(images, n, &merged, err);
    for (size_t i = 0; i < n; i++) {
        ev_sets_image_free(images[i]);
        images[i] = NULL;
    }
    return rc == 0 ? publish_image(ev, &merged, err) : -1;
}

int ev_sets_publish(evidence *ev, kh_error *err)
{
    ev_sets_image img = {0};
    if (take_image(ev, &img, err) != 0)
        return -1;
    return publish_image(ev, &img, err);
}

void ev_sets_abandon(evidence *ev)
{
    struct ev_sets *s = *ev_conn_sets(ev);
    if (s)
        end_batch(ev, s);
}

int ev_sets_share(evidence *worker, evidence *from, kh_error *err)
{
    struct ev_sets *s = *ev_conn_sets(from);
    if (!s || !s->image)
        return 0;
    if (attach_sets(worker, err) != 0)
        return -1;
    return deserialize(worker, s->image, s->size, err);
}
