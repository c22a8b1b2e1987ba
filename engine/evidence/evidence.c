/*
 * evidence.c — the read-only evidence connection. See evidence.h for the defences and why.
 */
#include "evidence/evidence.h"

#include <errno.h>
#include <openssl/evp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "evidence/cadence_internal.h"
#include "evidence/ev_conn_internal.h"
#include "evidence/ev_open_internal.h"
#include "evidence/ev_sigbus_internal.h"
#include "evidence/ev_sql_internal.h"
#include "evidence/sqlite_heap.h"

#define STMT_CACHE_SIZE 64

typedef struct cached_stmt {
    char *sql;
    sqlite3_stmt *stmt;
    int in_use;
} cached_stmt;

struct evidence {
    sqlite3 *db;
    char *path;
    cached_stmt cache[STMT_CACHE_SIZE];
    size_t ncached;
    uint64_t step_limit; /* in units of 1000 VM steps */
    uint64_t steps;
    int interrupted_by_budget;
    unsigned seconds; /* wall-clock limit of one query */
    double started;   /* CLOCK_MONOTONIC seconds at the query's start */
    int interrupted_by_time;
    volatile int interrupted_by_watchdog; /* ev_interrupt: the item's time limit passed */
    const char *denied;                   /* what the authorizer last refused, for the message */
    /* shared sets (language v2 item 6): evidence/sets.c's state, and whether the host (never
     * a scorecard's query) is preparing one of its own statements that build them */
    struct ev_sets *sets;
    int host_writes;
    int host_reads; /* the host reads for itself: the step budget does not apply */
};

struct ev_cursor {
    evidence *ev;
    cached_stmt *slot; /* NULL when the statement is not cached (cache full / busy) */
    sqlite3_stmt *stmt;
    char where[512];
};

/* Functions a scorecard query may call. Anything else (load_extension, randomblob, zeroblob,
 * sqlite_* introspection, application-defined functions) is refused by the authorizer. */
static const char *const ALLOWED_FUNCTIONS[] = {
    "abs",       "avg",        "coalesce",     "count",  "date",        "datetime",   "julianday",
    "strftime",  "time",       "group_concat", "ifnull", "iif",         "instr",      "length",
    "like",      "lower",      "ltrim",        "max",    "min",         "nullif",     "printf",
    "format",    "replace",    "round",        "rtrim",  "substr",      "substring",  "sum",
    "total",     "trim",       "typeof",       "upper",  "glob",        "cast",       "row_number",
    "rank",      "dense_rank", "lag",          "lead",   "first_value", "last_value", "ntile",
    "unixepoch", "hex",        "quote",        "char",   "unicode",     "sign",       NULL};

/* Scorecard language v2, time windows: the cadence aggregates of evidence/cadence.c (the _list
 * ones name the periods missing, for an evidence row's reason). */
static const char *const CADENCE_FUNCTIONS[] = {"kh_months_missing", "kh_quarters_missing",
                                                "kh_months_missing_list",
                                                "kh_quarters_missing_list", NULL};

static int allowed_function(const char *name)
{
    const char *const *lists[] = {ALLOWED_FUNCTIONS, CADENCE_FUNCTIONS};
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (const char *const *f = lists[l]; *f; f++)
            if (name && sqlite3_stricmp(name, *f) == 0)
                return 1;
    return 0;
}

/* What the host may do besides reading while it builds the shared sets (evidence/sets.c):
 * create, fill and drop TEMP tables and their indexes, attach the in-memory `sets` schema, and
 * the pragmas that toggle query_only and measure the TEMP schema for sqlite3_serialize. 1:
 * allowed; 0: not one of these (the reading rules decide). The evidence file itself stays
 * opened read-only whatever is allowed here. */
static int host_may(int action, const char *a, const char *c)
{
    int in_temp = c && strcmp(c, "temp") == 0;
    switch (action) {
    case SQLITE_CREATE_TEMP_TABLE:
    case SQLITE_CREATE_TEMP_INDEX:
    case SQLITE_DROP_TEMP_TABLE:
    case SQLITE_DROP_TEMP_INDEX:
        return 1;
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
    case SQLITE_REINDEX: /* asked by CREATE INDEX */
        return in_temp;
    case SQLITE_PRAGMA:
        return a && (strcmp(a, "query_only") == 0 || (in_temp && strcmp(a, "page_count") == 0));
    case SQLITE_ATTACH: /* sqlite3_deserialize re-attaches its schema as "x" */
        return a && (strcmp(a, ":memory:") == 0 || strcmp(a, "x") == 0);
    default:
        return 0;
    }
}

static int authorizer(void *ud, int action, const char *a, const char *b, const char *c,
                      const char *d)
{
    (void)d;
    evidence *ev = ud;
    if (ev->host_writes && host_may(action, a, c))
        return SQLITE_OK;
    switch (action) {
    case SQLITE_SELECT:
    case SQLITE_READ:
    case SQLITE_RECURSIVE:
        return SQLITE_OK;
    case SQLITE_FUNCTION:
        if (allowed_function(b)) /* SQLITE_FUNCTION: b is the name */
            return SQLITE_OK;
        ev->denied = "a function outside the allowed list";
        return SQLITE_DENY;
    case SQLITE_PRAGMA:
        ev->denied = "PRAGMA";
        return SQLITE_DENY;
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
        ev->denied = "ATTACH/DETACH";
        return SQLITE_DENY;
    default:
        /* shared sets (language v2 item 6): say so when a query tries to change one */
        ev->denied =
            c && strcmp(c, "sets") == 0
                ? "to change a shared set (the host makes the sets; queries only read them)"
                : "anything but reading";
        return SQLITE_DENY;
    }
}

static double monotonic_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Called every 1000 VM steps: the step budget, and every 16th call the clock. */
static int progress(void *ud)
{
    evidence *ev = ud;
    if (ev->host_reads) /* the host's own read (coverage.c): not a scorecard query's budget */
        return 0;
    if (++ev->steps > ev->step_limit) {
        ev->interrupted_by_budget = 1;
        return 1;
    }
    if ((ev->steps & 15) == 0 && ev->started > 0 && monotonic_now() - ev->started > ev->seconds) {
        ev->interrupted_by_time = 1;
        return 1;
    }
    return 0;
}

/* An import killed mid-transaction leaves a hot journal, which only a connection that may
 * write can roll back; a read-only one gets SQLITE_READONLY_ROLLBACK. Rolling it back restores
 * the evidence exactly as it was before that import (imports are one transaction), so it is
 * done here — no scorecard runs on this connection — and the read-only open tried again. */
static int roll_back_interrupted_import(const char *path, kh_error *err)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        kh_seterr(err,
                  "%s: an import into this evidence database was interrupted, and its journal "
                  "(%s-journal) cannot be rolled back from here: %s; open the database once "
                  "with write access (e.g. sqlite3 %s 'PRAGMA integrity_check') and try again",
                  path, path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), path);
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

static evidence *ev_open_once(const char *path, int recovered, kh_error *err);

evidence *ev_open(const char *path, kh_error *err)
{
    return ev_open_once(path, 0, err);
}

static evidence *ev_open_once(const char *path, int recovered, kh_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        kh_seterr(err, "%s: cannot open evidence database: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        kh_seterr(err, "%s: evidence database is not a regular file", path);
        return NULL;
    }
    sqlite3 *db = NULL;
    /* NOMUTEX: a connection is only ever used by the thread that opened it (shard workers
     * open their own), so SQLite's per-call mutex is pure cost — it was 5% of a county run. */
    int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        kh_seterr(err, "%s: cannot open evidence database: %s", path,
                  db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    ev_defend(db);
    char *msg = NULL;
    /* Touching the schema here turns "not a database" and "locked" into an error at open time
     * rather than at the first item. */
    /* mmap: the per-person queries revisit the same pages many times; reading them through
     * pread instead cost a county run ~40% more CPU. A file truncated under the mapping is
     * reported by ev_sigbus.c, which explains why that suffices (issue 18 item 3). */
    ev_sigbus_guard(path);
    rc = sqlite3_exec(db,
                      "PRAGMA query_only = 1; PRAGMA mmap_size = 1073741824; "
                      "SELECT count(*) FROM sqlite_schema;",
                      NULL, NULL, &msg);
    if (rc != SQLITE_OK && !recovered && sqlite3_extended_errcode(db) == SQLITE_READONLY_ROLLBACK) {
        sqlite3_free(msg);
        sqlite3_close(db);
        if (roll_back_interrupted_import(path, err) != 0)
            return NULL;
        return ev_open_once(path, 1, err);
    }
    if (rc != SQLITE_OK) {
        const char *why = msg ? msg : sqlite3_errstr(rc);
        if (rc == SQLITE_NOTADB)
            kh_seterr(err, "%s: not an evidence database (not an SQLite file)", path);
        else if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            kh_seterr(err,
                      "%s: evidence database is locked by a writer; try again when the "
                      "import has finished",
                      path);
        else
            kh_seterr(err, "%s: cannot read evidence database: %s", path, why);
        sqlite3_free(msg);
        sqlite3_close(db);
        return NULL;
    }
    if (ev_guard(db, path, err) != 0 || ev_guard_columns(db, path, err) != 0) {
        sqlite3_close(db);
        return NULL;
    }
    if ((rc = ev_bound_temp(db)) != SQLITE_OK) {
        kh_seterr(err, "%s: cannot set the temporary storage: %s", path, sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    return ev_adopt(db, path, err);
}

void ev_defend(sqlite3 *db)
{
    sqlite3_busy_timeout(db, 2000);
    int ok = 0;
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, &ok);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, &ok);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &ok);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, &ok);
    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 1, &ok);
}

evidence *ev_adopt(sqlite3 *db, const char *path, kh_error *err)
{
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 24);
    int rc = ev_register_cadence(db); /* scorecard language v2: kh_months_missing, … */
    if (rc == SQLITE_OK)
        rc = ev_register_printf(db); /* width and precision bounded (issue 18 item 2) */
    if (rc != SQLITE_OK) {
        kh_seterr(err, "%s: cannot register the engine's SQL functions: %s", path,
                  sqlite3_errstr(rc));
        sqlite3_close(db);
        return NULL;
    }
    evidence *ev = xcalloc(1, sizeof *ev);
    ev->db = db;
    ev->path = xstrdup(path);
    ev->step_limit = EV_DEFAULT_QUERY_STEPS / 1000;
    ev->seconds = EV_DEFAULT_QUERY_SECONDS;
    sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1 << 20);
    sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 24);
    sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
    sqlite3_set_authorizer(db, authorizer, ev);
    sqlite3_progress_handler(db, 1000, progress, ev);
    return ev;
}

void ev_set_query_steps(evidence *ev, uint64_t steps)
{
    ev->step_limit = steps / 1000 ? steps / 1000 : 1;
}

void ev_set_query_seconds(evidence *ev, unsigned seconds)
{
    ev->seconds = seconds ? seconds : EV_DEFAULT_QUERY_SECONDS;
}

void ev_interrupt(evidence *ev)
{
    ev->interrupted_by_watchdog = 1;
    sqlite3_interrupt(ev->db);
}

void ev_interrupt_clear(evidence *ev)
{
    ev->interrupted_by_watchdog = 0;
}

void ev_close(evidence *ev)
{
    if (!ev)
        return;
    for (size_t i = 0; i < ev->ncached; i++) {
        sqlite3_finalize(ev->cache[i].stmt);
        free(ev->cache[i].sql);
    }
    sqlite3_close(ev->db);
    ev_sets_free(ev->sets); /* after the close: the sets schema reads its image until then */
    free(ev->path);
    free(ev);
}

/* Only whitespace and SQL comments may follow the one statement. */
static int only_trivia(const char *s)
{
    while (*s) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == ';') {
            s++;
        } else if (s[0] == '-' && s[1] == '-') {
            while (*s && *s != '\n')
                s++;
        } else if (s[0] == '/' && s[1] == '*') {
            const char *end = strstr(s + 2, "*/");
            if (!end)
                return 1;
            s = end + 2;
        } else {
            return 0;
        }
    }
    return 1;
}

static int prepare(evidence *ev, const char *sql, const char *where, sqlite3_stmt **out,
                   kh_error *err)
{
    const char *tail = NULL;
    ev->denied = NULL;
    int rc = sqlite3_prepare_v3(ev->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, &tail);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_AUTH || ev->denied)
            kh_seterr(err, "%s evidence is read-only: the query tries %s (%s)", where,
                      ev->denied ? ev->denied : "something other than reading",
                      sqlite3_errmsg(ev->db));
        else
            kh_seterr(err, "%s SQL error: %s", where, sqlite3_errmsg(ev->db));
        return -1;
    }
    if (!*out) {
        kh_seterr(err, "%s SQL is empty", where);
        return -1;
    }
    if (tail && !only_trivia(tail)) {
        sqlite3_finalize(*out);
        *out = NULL;
        kh_seterr(err, "%s SQL must be exactly one statement (found more after the first)", where);
        return -1;
    }
    if (!sqlite3_stmt_readonly(*out)) {
        sqlite3_finalize(*out);
        *out = NULL;
        kh_seterr(err, "%s evidence is read-only: the query is not a plain SELECT", where);
        return -1;
    }
    return 0;
}

int ev_bind_params(sqlite3_stmt *stmt, const kh_param *params, size_t nparams, const char *where,
                   kh_error *err)
{
    int n = sqlite3_bind_parameter_count(stmt);
    for (int i = 1; i <= n; i++) {
        const char *name = sqlite3_bind_parameter_name(stmt, i);
        if (!name || (name[0] != ':' && name[0] != '@' && name[0] != '$')) {
            kh_seterr(err, "%s SQL parameter %d is positional; name it (e.g. :period)", where, i);
            return -1;
        }
        const kh_param *p = NULL;
        for (size_t j = 0; j < nparams; j++)
            if (strcmp(params[j].name, name + 1) == 0) {
                p = &params[j];
                break;
            }
        if (!p) {
            strbuf known = {0};
            for (size_t j = 0; j < nparams; j++)
                sb_printf(&known, "%s:%s", j ? ", " : "", params[j].name);
            kh_seterr(err, "%s SQL uses unknown parameter %s (known: %s)", where, name,
                      sb_str(&known));
            sb_free(&known);
            return -1;
        }
        int rc;
        switch (p->value.type) {
        case KH_INT:
            rc = sqlite3_bind_int64(stmt, i, p->value.i);
            break;
        case KH_REAL:
            rc = sqlite3_bind_double(stmt, i, p->value.r);
            break;
        case KH_TEXT:
            rc = sqlite3_bind_text(stmt, i, p->value.s, -1, SQLITE_TRANSIENT);
            break;
        default:
            rc = sqlite3_bind_null(stmt, i);
        }
        if (rc != SQLITE_OK) {
            kh_seterr(err, "%s cannot bind %s: %s", where, name, sqlite3_errstr(rc));
            return -1;
        }
    }
    return 0;
}

int ev_check(evidence *ev, const char *sql, const kh_param *params, size_t nparams,
             const char *where, kh_error *err)
{
    sqlite3_stmt *stmt = NULL;
    if (prepare(ev, sql, where, &stmt, err) != 0)
        return -1;
    int rc = ev_bind_params(stmt, params, nparams, where, err);
    sqlite3_finalize(stmt);
    return rc;
}

int ev_query(evidence *ev, const char *sql, const kh_param *params, size_t nparams,
             const char *where, ev_cursor **out, kh_error *err)
{
    if (ev->interrupted_by_watchdog) { /* sqlite3_interrupt between two queries is lost */
        kh_seterr(err, "%s query stopped: it ran longer than its time limit of %u s", where,
                  ev->seconds);
        return -1;
    }
    cached_stmt *slot = NULL;
    sqlite3_stmt *stmt = NULL;
    for (size_t i = 0; i < ev->ncached; i++)
        if (!ev->cache[i].in_use && strcmp(ev->cache[i].sql, sql) == 0) {
            slot = &ev->cache[i];
            stmt = slot->stmt;
            break;
        }
    if (!stmt) {
        if (prepare(ev, sql, where, &stmt, err) != 0)
            return -1;
        if (ev->ncached < STMT_CACHE_SIZE) {
            slot = &ev->cache[ev->ncached++];
            slot->sql = xstrdup(sql);
            slot->stmt = stmt;
        }
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    if (ev_bind_params(stmt, params, nparams, where, err) != 0) {
        if (!slot)
            sqlite3_finalize(stmt);
        return -1;
    }
    if (slot)
        slot->in_use = 1;
    ev_cursor *c = xcalloc(1, sizeof *c);
    c->ev = ev;
    c->slot = slot;
    c->stmt = stmt;
    snprintf(c->where, sizeof c->where, "%s", where);
    ev_conn_budget_start(ev);
    *out = c;
    return 0;
}

int ev_step(ev_cursor *c, kh_error *err)
{
    int rc = sqlite3_step(c->stmt);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    if (rc == SQLITE_INTERRUPT && c->ev->interrupted_by_budget)
        kh_seterr(err, "%s query stopped: it exceeded its budget of %llu SQLite steps", c->where,
                  (unsigned long long)c->ev->step_limit * 1000);
    else if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_IOERR ||
             (rc & 0xff) == SQLITE_NOTADB)
        kh_seterr(err,
                  "%s %s: the evidence file is damaged or was changed during the run (%s); "
                  "nothing was written",
                  c->where, c->ev->path, sqlite3_errmsg(c->ev->db));
    else if (rc == SQLITE_NOMEM)
        kh_seterr(err,
                  "%s query stopped: its temporary storage (sorting, grouping) exceeded the "
                  "limit of %lld MiB of SQLite memory",
                  c->where, ev_heap_limit(-1) >> 20);
    else if (rc == SQLITE_INTERRUPT &&
             (c->ev->interrupted_by_time || c->ev->interrupted_by_watchdog))
        kh_seterr(err, "%s query stopped: it ran longer than its time limit of %u s", c->where,
                  c->ev->seconds);
    else
        kh_seterr(err, "%s SQL error while reading evidence: %s", c->where,
                  sqlite3_errmsg(c->ev->db));
    return -1;
}

int ev_ncols(const ev_cursor *c)
{
    return sqlite3_column_count(c->stmt);
}

const char *ev_colname(const ev_cursor *c, int i)
{
    return sqlite3_column_name(c->stmt, i);
}

int ev_colindex(const ev_cursor *c, const char *name)
{
    int n = sqlite3_column_count(c->stmt);
    for (int i = 0; i < n; i++)
        if (strcmp(sqlite3_column_name(c->stmt, i), name) == 0)
            return i;
    return -1;
}

kh_type ev_coltype(const ev_cursor *c, int i)
{
    switch (sqlite3_column_type(c->stmt, i)) {
    case SQLITE_INTEGER:
        return KH_INT;
    case SQLITE_FLOAT:
        return KH_REAL;
    case SQLITE_NULL:
        return KH_NULL;
    default:
        return KH_TEXT;
    }
}

const char *ev_text(ev_cursor *c, int i)
{
    const unsigned char *t = sqlite3_column_text(c->stmt, i);
    return t ? (const char *)t : "";
}

int64_t ev_int(ev_cursor *c, int i)
{
    return sqlite3_column_int64(c->stmt, i);
}

void ev_done(ev_cursor *c)
{
    if (!c)
        return;
    sqlite3_reset(c->stmt);
    c->ev->started = 0;
    if (c->slot)
        c->slot->in_use = 0;
    else
        sqlite3_finalize(c->stmt);
    free(c);
}

/* ---- content hash ---------------------------------------------------------------------- */

void kh_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[64] = '\0';
}

static void digest_hex(EVP_MD_CTX *ctx, char out[65])
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    EVP_DigestFinal_ex(ctx, md, &mdlen);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[64] = '\0';
}

int kh_sha256_file(const char *path, char out[65], kh_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        kh_seterr(err, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        EVP_DigestUpdate(ctx, buf, n);
    int failed = ferror(f);
    fclose(f);
    digest_hex(ctx, out);
    EVP_MD_CTX_free(ctx);
    if (failed) {
        kh_seterr(err, "%s: cannot read", path);
        return -1;
    }
    return 0;
}

/* Hashes one value with a type tag and a length, so that (1, '1'), ('ab','c') and
 * ('a','bc') never collide. */
static void put(strbuf *row, const void *p, size_t n)
{
    sb_appendn(row, (const char *)p, n);
}

/* Decimal digits and a NUL, as "%lld" writes them (without snprintf: it was a fifth of the
 * hash's time). */
static void put_int(strbuf *row, long long v)
{
    char buf[24];
    int n = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        buf[sizeof buf - 1 - n++] = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        buf[sizeof buf - 1 - n++] = '-';
    put(row, buf + sizeof buf - n, (size_t)n);
    put(row, "", 1);
}

static void hash_value(strbuf *row, sqlite3_stmt *stmt, int i)
{
    switch (sqlite3_column_type(stmt, i)) {
    case SQLITE_INTEGER:
        put(row, "i", 1);
        put_int(row, (long long)sqlite3_column_int64(stmt, i));
        return;
    case SQLITE_FLOAT: {
        char buf[40];
        int n = snprintf(buf, sizeof buf, "%.17g", sqlite3_column_double(stmt, i));
        put(row, "r", 1);
        put(row, buf, (size_t)n + 1);
        return;
    }
    case SQLITE_NULL:
        put(row, "n", 1);
        return;
    default: {
        int blob = sqlite3_column_type(stmt, i) == SQLITE_BLOB;
        const void *p =
            blob ? sqlite3_column_blob(stmt, i) : (const void *)sqlite3_column_text(stmt, i);
        uint64_t len = (uint64_t)sqlite3_column_bytes(stmt, i);
        put(row, blob ? "b" : "t", 1);
        put(row, &len, sizeof len);
        if (len)
            put(row, p, (size_t)len);
    }
    }
}

int ev_content_hash(evidence *ev, ev_hash *out, kh_error *err)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *list = NULL;
    if (sqlite3_prepare_v2(ev->db,
                           "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
                           "LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT IN ('import_log', "
                           "'finding_removed') ORDER BY name",
                           -1, &list, NULL) != SQLITE_OK) {
        kh_seterr(err, "%s: cannot list evidence tables: %s", ev->path, sqlite3_errmsg(ev->db));
        return -1;
    }
    size_t cap = 0;
    int rc = 0;
    while (sqlite3_step(list) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(list, 0);
        /* Count the columns first, then order by every column: the order rows come out in
         * then depends on their content alone, not on rowids that VACUUM may renumber. */
        strbuf sql = {0};
        strbuf quoted = {0};
        sb_append(&quoted, "\"");
        for (const char *p = name; *p; p++)
            sb_appendn(&quoted, *p == '"' ? "\"\"" : p, 1 + (*p == '"'));
        sb_append(&quoted, "\"");
        sb_printf(&sql, "SELECT * FROM %s", sb_str(&quoted));
        sqlite3_stmt *probe = NULL;
        if (sqlite3_prepare_v2(ev->db, sb_str(&sql), -1, &probe, NULL) != SQLITE_OK) {
            kh_seterr(err, "%s: cannot read table %s: %s", ev->path, name, sqlite3_errmsg(ev->db));
            sb_free(&sql);
            sb_free(&quoted);
            rc = -1;
            break;
        }
        int ncols = sqlite3_column_count(probe);
        sqlite3_finalize(probe);
        sb_append(&sql, " ORDER BY ");
        for (int i = 1; i <= ncols; i++)
            sb_printf(&sql, "%s%d", i > 1 ? ", " : "", i);
        sqlite3_stmt *rows = NULL;
        if (sqlite3_prepare_v2(ev->db, sb_str(&sql), -1, &rows, NULL) != SQLITE_OK) {
            kh_seterr(err, "%s: cannot read table %s: %s", ev->path, name, sqlite3_errmsg(ev->db));
            sb_free(&sql);
            sb_free(&quoted);
            rc = -1;
            break;
        }
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
        int64_t count = 0;
        int step;
        ev->steps = 0;
        strbuf row = {0}; /* the rows' encodings, fed to the digest in 64 KiB pieces */
        while ((step = sqlite3_step(rows)) == SQLITE_ROW) {
            for (int i = 0; i < ncols; i++)
                hash_value(&row, rows, i);
            count++;
            if (row.len >= 65536) {
                EVP_DigestUpdate(ctx, row.data, row.len);
                row.len = 0;
            }
        }
        if (row.len)
            EVP_DigestUpdate(ctx, row.data, row.len);
        sb_free(&row);
        size_t k = KH_PUSH(out->tables, out->count, cap);
        out->tables[k].table = xstrdup(name);
        out->tables[k].rows = count;
        digest_hex(ctx, out->tables[k].sha256);
        EVP_MD_CTX_free(ctx);
        sqlite3_finalize(rows);
        sb_free(&sql);
        sb_free(&quoted);
        if (step != SQLITE_DONE) {
            kh_seterr(err, "%s: cannot read table %s: %s", ev->path, name, sqlite3_errmsg(ev->db));
            rc = -1;
            break;
        }
    }
    sqlite3_finalize(list);
    ev_hash_total(out);
    if (rc != 0)
        ev_hash_free(out);
    return rc;
}

void ev_hash_total(ev_hash *h)
{
    strbuf all = {0};
    for (size_t i = 0; i < h->count; i++)
        sb_printf(&all, "%s\t%lld\t%s\n", h->tables[i].table, (long long)h->tables[i].rows,
                  h->tables[i].sha256);
    kh_sha256_hex(sb_str(&all), all.len, h->sha256);
    sb_free(&all);
}

void ev_hash_free(ev_hash *h)
{
    for (size_t i = 0; i < h->count; i++)
        free(h->tables[i].table);
    free(h->tables);
    memset(h, 0, sizeof *h);
}

int ev_sql(sqlite3 *db, const char *file, const char *sql, sqlite3_stmt **stmt, kh_error *err)
{
    if (!sql) { /* a failed sqlite3_mprintf */
        kh_seterr(err, "%s: out of memory", file);
        if (stmt)
            *stmt = NULL;
        return -1;
    }
    char *msg = NULL;
    int rc = stmt ? sqlite3_prepare_v2(db, sql, -1, stmt, NULL)
                  : sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        return 0;
    kh_seterr(err, "%s: %s", file, msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1; /* a failed prepare has already set *stmt to NULL */
}

/* ---- what evidence/sets.c reaches of the connection (ev_conn_internal.h) ----------------- */

sqlite3 *ev_conn_db(evidence *ev)
{
    return ev->db;
}

const char *ev_conn_path(const evidence *ev)
{
    return ev->path;
}

struct ev_sets **ev_conn_sets(evidence *ev)
{
    return &ev->sets;
}

void ev_conn_host_reads(evidence *ev, int on)
{
    ev->host_reads = on;
}

void ev_conn_host_writes(evidence *ev, int on)
{
    ev->host_writes = on;
}

void ev_conn_budget_start(evidence *ev)
{
    ev->steps = 0;
    ev->interrupted_by_budget = 0;
    ev->interrupted_by_time = 0;
    ev->started = monotonic_now();
}

unsigned ev_conn_time_spent(const evidence *ev)
{
    return ev->interrupted_by_time ? ev->seconds : 0;
}

void ev_conn_budget_end(evidence *ev)
{
    ev->started = 0;
}

uint64_t ev_conn_budget_spent(const evidence *ev)
{
    return ev->interrupted_by_budget ? ev->step_limit * 1000 : 0;
}

const char *ev_sqlite_version(void)
{
    return sqlite3_libversion();
}
