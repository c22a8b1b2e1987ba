/*
 * evidence.h — read-only access to the evidence database.
 *
 * Scorecards look at evidence only through this module, and it can only read: the file is
 * opened SQLITE_OPEN_READONLY, `PRAGMA query_only` is set, defensive mode is on and untrusted
 * schema functions are off, and an authorizer allows SELECT, reading and a list of harmless
 * functions, nothing else. A progress handler bounds every query, so a runaway join stops with a
 * message instead of hanging the run. Values are always bound by name (":period"), never pasted
 * into SQL text. Statements are prepared once and cached by their text.
 *
 * SQLite is the evidence layer's own (and the store's, for the results database): nothing
 * above them includes sqlite3.h (tests/check_layers.sh).
 */
#ifndef KAOHE_EVIDENCE_H
#define KAOHE_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"

typedef enum kh_type { KH_NULL = 0, KH_INT, KH_REAL, KH_TEXT } kh_type;

typedef struct kh_value {
    kh_type type;
    int64_t i;
    double r;
    const char *s;
} kh_value;

typedef struct kh_param {
    const char *name; /* without the leading ':' */
    kh_value value;
} kh_param;

typedef struct evidence evidence;
typedef struct ev_cursor ev_cursor;

/* The evidence schema, relative to kh_home(): what every evidence file's tables are checked
 * against when it is opened, and what `kaohe check` prepares queries on. */
#define EV_SCHEMA_FILE "fixtures/evidence-schema.sql"

/* Default bound on the SQLite virtual-machine steps one query may take (checked every 1000
 * steps). A county item takes around 10^7; this leaves room for a province. */
#define EV_DEFAULT_QUERY_STEPS ((uint64_t)50000000000ULL)

/* Opens `path` read-only with every defence installed. `display` names the file in errors.
 * Fails with a clear message if the file is missing, is not a database, or is locked. */
evidence *ev_open(const char *path, kh_error *err);
void ev_close(evidence *ev);
void ev_set_query_steps(evidence *ev, uint64_t steps);

/* Default bound on the wall-clock seconds one query may take (issue 18 item 2): steps alone
 * let an endless recursive CTE run for minutes on a fast machine and for longer on a slow
 * one. The same default as a scorecard's Lua time limit (run's --time-limit sets both). */
#define EV_DEFAULT_QUERY_SECONDS 180
void ev_set_query_seconds(evidence *ev, unsigned seconds);

/* Stops the query running on ev at its next step (sqlite3_interrupt): safe from another thread
 * (a watchdog) while the connection is open. The query fails with the time-limit message, and
 * so does every query started on ev afterwards until ev_interrupt_clear (an interrupt that
 * lands between two queries would otherwise be lost). */
void ev_interrupt(evidence *ev);
void ev_interrupt_clear(evidence *ev);

/* Prepares (or takes from the cache) `sql`, binds `params` by name, and returns a cursor. Any
 * named parameter in the SQL that is not in `params` is an error, as is positional `?`, more
 * than one statement, or anything the authorizer refuses. `where` prefixes the messages
 * (e.g. "scorecards/x.lua:12: item 3:"). */
int ev_query(evidence *ev, const char *sql, const kh_param *params, size_t nparams,
             const char *where, ev_cursor **out, kh_error *err);

/* Prepares `sql` against the schema without running it: unknown tables or columns, refused
 * statements and unknown parameters are reported as by ev_query. */
int ev_check(evidence *ev, const char *sql, const kh_param *params, size_t nparams,
             const char *where, kh_error *err);

/* 1 = a row is ready, 0 = done, -1 = error (err set, e.g. the step budget ran out). */
int ev_step(ev_cursor *c, kh_error *err);
int ev_ncols(const ev_cursor *c);
const char *ev_colname(const ev_cursor *c, int i);
int ev_colindex(const ev_cursor *c, const char *name); /* -1 if absent */
kh_type ev_coltype(const ev_cursor *c, int i);
const char *ev_text(ev_cursor *c, int i); /* "" for NULL; valid until the next step */
int64_t ev_int(ev_cursor *c, int i);
/* Releases the cursor; the statement goes back to the cache. */
void ev_done(ev_cursor *c);

/* Content hash of the evidence, table by table, independent of page layout, VACUUM and row
 * insertion order: each table's rows are hashed in the order of all their columns. The
 * import_log table records how the evidence arrived, not what it says, and is left out. */
typedef struct ev_table_hash {
    char *table;
    int64_t rows;
    char sha256[65];
} ev_table_hash;

typedef struct ev_hash {
    ev_table_hash *tables;
    size_t count;
    char sha256[65]; /* over every table's name, row count and hash */
} ev_hash;

/* The version of the encoding ev_content_hash feeds the digest: a cached table hash
 * (app/hash_cache.c) is only reused under the version it was computed with. Raise it with
 * any change to what or how ev_content_hash hashes. */
#define EV_HASH_VERSION 1

int ev_content_hash(evidence *ev, ev_hash *out, kh_error *err);
/* Sets h->sha256 from its tables (name, rows, hash), as ev_content_hash does: for per-table
 * hashes that were kept rather than computed. */
void ev_hash_total(ev_hash *h);
void ev_hash_free(ev_hash *h);

/* SHA-256 of a byte string as 64 lowercase hex digits (used for scorecard files too). */
void kh_sha256_hex(const void *data, size_t len, char out[65]);
int kh_sha256_file(const char *path, char out[65], kh_error *err);

/* The SQLite library's version ("3.40.1"), for the version line. */
const char *ev_sqlite_version(void);

/* The host's own read (not a scorecard's): runs `sql` as ev_query does, outside the scorecard
 * queries' step budget, calling row(ud, cursor) for each row until it returns non-zero; 0, or
 * -1 with err set (host_rows.c). */
int ev_host_rows(evidence *ev, const char *sql, const kh_param *params, size_t nparams,
                 const char *where, int (*row)(void *ud, ev_cursor *c), void *ud, kh_error *err);

#endif
