/*
 * results.c — writes one run into the results database. See results.h for the tables.
 */
#include "store/store_internal.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/tmpfile.h"
#include "core/sets.h"

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS run (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL,"
    " engine_version TEXT NOT NULL, period TEXT NOT NULL, params TEXT NOT NULL,"
    " evidence_hash TEXT NOT NULL, evidence_path TEXT, command_line TEXT,"
    " language_sha256 TEXT);"
    "CREATE TABLE IF NOT EXISTS run_scorecard (run_id INTEGER NOT NULL REFERENCES run(id),"
    " scorecard_id TEXT NOT NULL, title TEXT, source TEXT, file TEXT NOT NULL,"
    " sha256 TEXT NOT NULL, mode TEXT NOT NULL, total REAL, note TEXT);"
    "CREATE TABLE IF NOT EXISTS run_evidence (run_id INTEGER NOT NULL REFERENCES run(id),"
    " tbl TEXT NOT NULL, rows INTEGER NOT NULL, sha256 TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS run_import (run_id INTEGER NOT NULL REFERENCES run(id),"
    " file TEXT NOT NULL, sha256 TEXT NOT NULL, tbl TEXT NOT NULL, rows_read INTEGER NOT NULL,"
    " accepted INTEGER NOT NULL, rejected INTEGER NOT NULL, imported_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS item (run_id INTEGER NOT NULL REFERENCES run(id),"
    " scorecard_id TEXT NOT NULL, seq INTEGER NOT NULL, item TEXT NOT NULL, section TEXT,"
    " text TEXT, per TEXT, max_points REAL, accountable TEXT, note TEXT, section_note TEXT);"
    "CREATE TABLE IF NOT EXISTS score (run_id INTEGER NOT NULL REFERENCES run(id),"
    " scorecard_id TEXT NOT NULL, subject_kind TEXT NOT NULL, subject_id TEXT NOT NULL,"
    " subject_name TEXT, item TEXT NOT NULL, max_points REAL, points REAL,"
    " status TEXT NOT NULL, reason TEXT NOT NULL, cases INTEGER NOT NULL,"
    " points_x100 INTEGER, veto INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS deduction (run_id INTEGER NOT NULL REFERENCES run(id),"
    " scorecard_id TEXT NOT NULL, subject_kind TEXT NOT NULL, subject_id TEXT NOT NULL,"
    " item TEXT NOT NULL, points REAL NOT NULL, evidence_table TEXT NOT NULL,"
    " evidence_key TEXT NOT NULL, reason TEXT NOT NULL, points_x100 INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS result (run_id INTEGER NOT NULL REFERENCES run(id),"
    " scorecard_id TEXT NOT NULL, subject_kind TEXT NOT NULL, subject_id TEXT NOT NULL,"
    " total REAL NOT NULL, grade TEXT, rank INTEGER NOT NULL, pending_items INTEGER NOT NULL,"
    " total_x100 INTEGER NOT NULL, vetoed_items INTEGER NOT NULL DEFAULT 0,"
    " rollup INTEGER NOT NULL DEFAULT 0, members INTEGER NOT NULL DEFAULT 0,"
    " members_total INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE IF NOT EXISTS subject (run_id INTEGER NOT NULL REFERENCES run(id),"
    " kind TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, parent TEXT NOT NULL,"
    " parent_id TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS run_part (run_id INTEGER NOT NULL REFERENCES run(id),"
    " seq INTEGER NOT NULL, results_file TEXT NOT NULL, part_run_id INTEGER NOT NULL,"
    " evidence_path TEXT, evidence_hash TEXT NOT NULL, started_at TEXT NOT NULL);"
    "CREATE INDEX IF NOT EXISTS subject_run ON subject(run_id, kind, id);"
    "CREATE INDEX IF NOT EXISTS score_run ON score(run_id, scorecard_id, subject_kind,"
    " subject_id);"
    "CREATE INDEX IF NOT EXISTS deduction_run ON deduction(run_id, scorecard_id,"
    " subject_kind, subject_id, item);"
    "CREATE INDEX IF NOT EXISTS result_run ON result(run_id, scorecard_id, subject_kind);"
    /* shared sets (language v2 item 6) */
    "CREATE TABLE IF NOT EXISTS run_set (run_id INTEGER NOT NULL REFERENCES run(id),"
    " name TEXT NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL, rows INTEGER NOT NULL);";

/* Columns added since the first results databases were written (the notes of the strict
 * declarations: 考核评价 on the scorecard, its sections and items; the members a roll-up
 * covers), in the order they were added: a database written before gets them appended, so one
 * database keeps taking runs. */
static const struct {
    const char *table, *column;
    const char *decl; /* the column's type and default */
} ADDED_COLUMNS[] = {{"run_scorecard", "note", "TEXT"},
                     {"item", "note", "TEXT"},
                     {"item", "section_note", "TEXT"},
                     /* language v2, roll-ups: members a unit has, scored or not */
                     {"result", "members_total", "INTEGER NOT NULL DEFAULT 0"},
                     /* issue 15 item 3: the causing rows labelled, for 扣分明细's 证据（行） */
                     {"deduction", "evidence_rows", "TEXT"},
                     /* issue 19 item 3: 1 when the evidence hash was reused from the cache for
                      * an unchanged file (app/hash_cache.c), 0 computed; NULL for a merge */
                     {"run", "evidence_hash_reused", "INTEGER"},
                     {"run_part", "evidence_hash_reused", "INTEGER"}};

/* Adds the ADDED_COLUMNS an older database lacks. An SQLite result code; *msg may be set. */
static int add_missing_columns(sqlite3 *db, char **msg)
{
    int rc = SQLITE_OK;
    for (size_t i = 0; rc == SQLITE_OK && i < sizeof ADDED_COLUMNS / sizeof ADDED_COLUMNS[0]; i++) {
        char *sql = sqlite3_mprintf("SELECT count(*) FROM pragma_table_info(%Q) WHERE name = %Q",
                                    ADDED_COLUMNS[i].table, ADDED_COLUMNS[i].column);
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
        sqlite3_free(sql);
        int have = 1;
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : sqlite3_errcode(db);
            have = rc == SQLITE_OK && sqlite3_column_int(st, 0) > 0;
        }
        sqlite3_finalize(st);
        if (rc == SQLITE_OK && !have) {
            sql = sqlite3_mprintf("ALTER TABLE %s ADD COLUMN %s %s", ADDED_COLUMNS[i].table,
                                  ADDED_COLUMNS[i].column, ADDED_COLUMNS[i].decl);
            rc = sqlite3_exec(db, sql, NULL, NULL, msg);
            sqlite3_free(sql);
        }
    }
    return rc;
}

typedef struct writer {
    sqlite3 *db;
    const char *path;
    kh_error *err;
} writer;

static int fail(writer *w, const char *what)
{
    kh_seterr(w->err, "%s: cannot write results (%s): %s", w->path, what, sqlite3_errmsg(w->db));
    return -1;
}

static sqlite3_stmt *prep(writer *w, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(w->db, sql, -1, &st, NULL) != SQLITE_OK) {
        fail(w, "prepare");
        return NULL;
    }
    return st;
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_points(sqlite3_stmt *st, int i, points_t p)
{
    sqlite3_bind_double(st, i, points_to_double(p));
}

static int step_reset(writer *w, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : fail(w, what);
}

/* The shared sets the run made (language v2 item 6), each once: where each is declared and
 * that file's hash, so that a reproduction notices a changed shared file. */
static int write_sets(writer *w, int64_t id, const kh_results *r)
{
    if (!r->nset_runs)
        return 0;
    sqlite3_stmt *st = prep(w, "INSERT INTO run_set VALUES (?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < r->nset_runs && rc == 0; i++) {
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, r->set_runs[i].name);
        bind_text(st, 3, r->set_runs[i].file);
        bind_text(st, 4, r->set_runs[i].sha256);
        sqlite3_bind_int64(st, 5, r->set_runs[i].rows);
        rc = step_reset(w, st, "run_set");
    }
    sqlite3_finalize(st);
    return rc;
}

static int write_run(writer *w, const kh_manifest *m, scorecard **scs, size_t nsc,
                     const kh_results *r, int64_t *run_id)
{
    sqlite3_stmt *st = prep(w, "INSERT INTO run (started_at, engine_version, period, params,"
                               " evidence_hash, evidence_path, command_line, language_sha256,"
                               " evidence_hash_reused) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    bind_text(st, 1, m->started_at);
    bind_text(st, 2, m->engine_version);
    bind_text(st, 3, m->period);
    bind_text(st, 4, m->params ? m->params : "");
    bind_text(st, 5, m->evidence.sha256);
    bind_text(st, 6, m->evidence_path);
    bind_text(st, 7, m->command_line);
    bind_text(st, 8, m->language_sha256);
    if (m->nparts == 0) /* a merge's parts each record their own */
        sqlite3_bind_int(st, 9, m->evidence_hash_reused);
    int rc = step_reset(w, st, "run");
    sqlite3_finalize(st);
    if (rc)
        return -1;
    int64_t id = sqlite3_last_insert_rowid(w->db);
    *run_id = id;

    st = prep(w, "INSERT INTO run_scorecard VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    for (size_t i = 0; i < nsc && rc == 0; i++) {
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, scs[i]->id);
        bind_text(st, 3, scs[i]->title);
        bind_text(st, 4, scs[i]->source);
        bind_text(st, 5, scs[i]->path);
        bind_text(st, 6, scs[i]->sha256);
        bind_text(st, 7, scs[i]->mode == MODE_DEDUCTION ? "deduction" : "points");
        if (scs[i]->total >= 0)
            bind_points(st, 8, scs[i]->total);
        bind_text(st, 9, scs[i]->note);
        rc = step_reset(w, st, "run_scorecard");
    }
    sqlite3_finalize(st);

    st = prep(w, "INSERT INTO run_evidence VALUES (?, ?, ?, ?)");
    if (!st)
        return -1;
    for (size_t i = 0; i < m->evidence.count && rc == 0; i++) {
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, m->evidence.tables[i].table);
        sqlite3_bind_int64(st, 3, m->evidence.tables[i].rows);
        bind_text(st, 4, m->evidence.tables[i].sha256);
        rc = step_reset(w, st, "run_evidence");
    }
    sqlite3_finalize(st);

    st = prep(w, "INSERT INTO run_import VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    for (size_t i = 0; i < m->nimports && rc == 0; i++) {
        sqlite3_bind_int64(st, 1, id);
        for (int k = 0; k < KH_IMPORT_FIELDS; k++)
            bind_text(st, k + 2, m->imports[i][k]);
        rc = step_reset(w, st, "run_import");
    }
    sqlite3_finalize(st);

    st = prep(w, "INSERT INTO subject VALUES (?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    for (size_t i = 0; i < r->nsets && rc == 0; i++)
        for (size_t j = 0; j < r->sets[i].count && rc == 0; j++) {
            const kh_subject *x = &r->sets[i].items[j];
            sqlite3_bind_int64(st, 1, id);
            bind_text(st, 2, r->sets[i].kind);
            bind_text(st, 3, x->id);
            bind_text(st, 4, x->name);
            bind_text(st, 5, x->parent);
            bind_text(st, 6, x->parent_id);
            rc = step_reset(w, st, "subject");
        }
    sqlite3_finalize(st);

    st = prep(w, "INSERT INTO item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    for (size_t i = 0; i < nsc && rc == 0; i++)
        for (size_t j = 0; j < scs[i]->nitems && rc == 0; j++) {
            const sc_item *it = &scs[i]->items[j];
            sqlite3_bind_int64(st, 1, id);
            bind_text(st, 2, scs[i]->id);
            sqlite3_bind_int64(st, 3, (int64_t)j + 1);
            bind_text(st, 4, it->no);
            bind_text(st, 5, it->section);
            bind_text(st, 6, it->text);
            bind_text(st, 7, it->per);
            if (it->points >= 0)
                bind_points(st, 8, it->points);
            bind_text(st, 9, it->accountable);
            bind_text(st, 10, it->note);
            bind_text(st, 11, it->section_note);
            rc = step_reset(w, st, "item");
        }
    sqlite3_finalize(st);
    return rc ? rc : write_sets(w, id, r);
}

/* The rows that grow with the subjects and the evidence: scores, deductions, results. */
static int write_body(writer *w, int64_t id, scorecard **scs, const kh_results *r)
{
    int rc = 0;
    sqlite3_stmt *st = prep(w, "INSERT INTO score VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    for (size_t i = 0; i < r->nscores && rc == 0; i++) {
        const kh_score *s = &r->scores[i];
        const kh_subject_set *set = &r->sets[s->set];
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, scs[s->sc]->id);
        bind_text(st, 3, set->kind);
        bind_text(st, 4, set->items[s->subject].id);
        bind_text(st, 5, set->items[s->subject].name);
        bind_text(st, 6, scs[s->sc]->items[s->item].no);
        if (s->max >= 0)
            bind_points(st, 7, s->max);
        if (s->status != ST_PENDING) {
            bind_points(st, 8, s->points);
            sqlite3_bind_int64(st, 12, s->points);
        }
        bind_text(st, 9, kh_status_code(s->status));
        bind_text(st, 10, s->reason);
        sqlite3_bind_int64(st, 11, s->cases);
        sqlite3_bind_int(st, 13, s->veto);
        rc = step_reset(w, st, "score");
    }
    sqlite3_finalize(st);

    st = prep(w, "INSERT INTO deduction VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    for (size_t i = 0; i < r->ndeductions && rc == 0; i++) {
        const kh_deduction *d = &r->deductions[i];
        const kh_subject_set *set = &r->sets[d->set];
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, scs[d->sc]->id);
        bind_text(st, 3, set->kind);
        bind_text(st, 4, set->items[d->subject].id);
        bind_text(st, 5, scs[d->sc]->items[d->item].no);
        bind_points(st, 6, d->points);
        bind_text(st, 7, d->table);
        bind_text(st, 8, d->key);
        bind_text(st, 9, d->reason);
        sqlite3_bind_int64(st, 10, d->points);
        bind_text(st, 11, d->rows);
        rc = step_reset(w, st, "deduction");
    }
    sqlite3_finalize(st);

    st = prep(w, "INSERT INTO result VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!st)
        return -1;
    for (size_t i = 0; i < r->ntotals && rc == 0; i++) {
        const kh_total *t = &r->totals[i];
        const kh_subject_set *set = &r->sets[t->set];
        sqlite3_bind_int64(st, 1, id);
        bind_text(st, 2, scs[t->sc]->id);
        bind_text(st, 3, set->kind);
        bind_text(st, 4, set->items[t->subject].id);
        bind_points(st, 5, t->total);
        bind_text(st, 6, t->grade);
        sqlite3_bind_int(st, 7, t->rank);
        sqlite3_bind_int(st, 8, t->pending);
        sqlite3_bind_int64(st, 9, t->total);
        sqlite3_bind_int(st, 10, t->vetoed);
        sqlite3_bind_int(st, 11, t->rollup);
        sqlite3_bind_int(st, 12, t->members);
        sqlite3_bind_int(st, 13, t->members_total);
        rc = step_reset(w, st, "result");
    }
    sqlite3_finalize(st);
    if (rc == 0 && r->wenze)
        rc = wenze_store_write(w->db, id, r->wenze, w->path, w->err);
    return rc;
}

struct results_tx {
    writer w;
    int open;
    int created; /* the file did not exist: an aborted run removes it again */
};

results_tx *results_begin(const char *path, kh_error *err)
{
    return results_begin_attach(path, NULL, err);
}

results_tx *results_begin_attach(const char *path, const char *streamed, kh_error *err)
{
    results_tx *tx = xcalloc(1, sizeof *tx);
    tx->w = (writer){NULL, path, err};
    tx->created = access(path, F_OK) != 0;
    err->msg[0] = '\0';
    if (sqlite3_open_v2(path, &tx->w.db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        fail(&tx->w, "open");
        sqlite3_close(tx->w.db);
        if (tx->created)
            unlink(path);
        free(tx);
        return NULL;
    }
    /* Two runs writing the same results database wait for each other instead of failing. */
    sqlite3_busy_timeout(tx->w.db, 30000);
    char *msg = NULL;
    int rc = SQLITE_OK;
    if (streamed) { /* ATTACH is refused inside a transaction: before BEGIN */
        char *sql = sqlite3_mprintf("ATTACH %Q AS streamed", streamed);
        rc = sqlite3_exec(tx->w.db, sql, NULL, NULL, &msg);
        sqlite3_free(sql);
    }
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(tx->w.db, "BEGIN IMMEDIATE", NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(tx->w.db, SCHEMA, NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        rc = add_missing_columns(tx->w.db, &msg);
    if (rc != SQLITE_OK) {
        kh_seterr(err, "%s: cannot write results: %s", path, msg ? msg : sqlite3_errmsg(tx->w.db));
        sqlite3_free(msg);
        sqlite3_close(tx->w.db);
        if (tx->created)
            unlink(path);
        free(tx);
        return NULL;
    }
    tx->open = 1;
    return tx;
}

int results_add_run(results_tx *tx, const kh_manifest *m, scorecard **scs, size_t nsc,
                    const kh_results *r, int64_t *run_id)
{
    return write_run(&tx->w, m, scs, nsc, r, run_id) != 0 ||
                   write_body(&tx->w, *run_id, scs, r) != 0
               ? -1
               : 0;
}

int results_add_header(results_tx *tx, const kh_manifest *m, scorecard **scs, size_t nsc,
                       const kh_results *r, int64_t *run_id)
{
    return write_run(&tx->w, m, scs, nsc, r, run_id);
}

int results_add_body(results_tx *tx, int64_t run_id, scorecard **scs, const kh_results *r)
{
    return write_body(&tx->w, run_id, scs, r);
}

sqlite3 *results_tx_db(results_tx *tx)
{
    return tx->w.db;
}

int results_commit(results_tx *tx)
{
    int rc = sqlite3_exec(tx->w.db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    if (rc != 0) {
        if (!tx->w.err->msg[0])
            fail(&tx->w, "commit");
        sqlite3_exec(tx->w.db, "ROLLBACK", NULL, NULL, NULL);
    }
    if (sqlite3_close(tx->w.db) != SQLITE_OK && rc == 0) {
        kh_seterr(tx->w.err, "%s: cannot close results database", tx->w.path);
        rc = -1;
    }
    free(tx);
    return rc;
}

void results_abort(results_tx *tx)
{
    if (!tx)
        return;
    sqlite3_exec(tx->w.db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(tx->w.db);
    if (tx->created)
        unlink(tx->w.path); /* a run that wrote nothing leaves no empty database behind */
    free(tx);
}

int results_write(const char *path, const kh_manifest *m, scorecard **scs, size_t nsc,
                  const kh_results *r, int64_t *run_id, kh_error *err)
{
    results_tx *tx = results_begin(path, err);
    if (!tx)
        return -1;
    if (results_add_run(tx, m, scs, nsc, r, run_id) != 0) {
        results_abort(tx);
        return -1;
    }
    return results_commit(tx);
}

long results_scorecard_index(scorecard **scs, size_t nsc, const char *id)
{
    for (size_t i = 0; i < nsc; i++)
        if (strcmp(scs[i]->id, id) == 0)
            return (long)i;
    return -1;
}

long results_item_index(const scorecard *sc, const char *no)
{
    for (size_t i = 0; i < sc->nitems; i++)
        if (strcmp(sc->items[i].no, no) == 0)
            return (long)i;
    return -1;
}

const char *results_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

int results_place(scorecard **scs, size_t nsc, const kh_results *r, sqlite3_stmt *st, int item_col,
                  long at[4])
{
    long sc = results_scorecard_index(scs, nsc, results_col_text(st, 0));
    long set = kh_results_set(r, results_col_text(st, 1));
    at[0] = sc;
    at[1] = set;
    at[2] = set >= 0 ? kh_subject_find(&r->sets[set], results_col_text(st, 2)) : -1;
    at[3] = sc >= 0 ? results_item_index(scs[sc], results_col_text(st, item_col)) : -1;
    return at[0] < 0 || at[1] < 0 || at[2] < 0 || at[3] < 0 ? -1 : 0;
}

/* The run's deductions read back in stored order (which is the single run's order), for the
 * workbook, through the same transaction. */
typedef struct db_source {
    sqlite3 *db;
    sqlite3_stmt *st;
    int64_t run_id;
    scorecard **scs;
    size_t nsc;
    const kh_results *r;
} db_source;

/* (Re)starts a source's query over the run; `what` names the rows in messages. */
static int src_prepare(db_source *s, const char *sql, const char *what, kh_error *err)
{
    sqlite3_finalize(s->st);
    s->st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &s->st, NULL) != SQLITE_OK) {
        kh_seterr(err, "cannot read %s back: %s", what, sqlite3_errmsg(s->db));
        return -1;
    }
    sqlite3_bind_int64(s->st, 1, s->run_id);
    return 0;
}

/* Steps to the next row, whose first four columns are scorecard, kind, subject and item, and
 * places it in the run: 1 with sc/set/subject/item filled, 0 at the end, -1 on an error. */
static int src_step(db_source *s, const char *what, long at[4], kh_error *err)
{
    int rc = sqlite3_step(s->st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW) {
        kh_seterr(err, "cannot read %s back: %s", what, sqlite3_errmsg(s->db));
        return -1;
    }
    if (results_place(s->scs, s->nsc, s->r, s->st, 3, at) != 0) {
        kh_seterr(err, "%s of %s %s do not fit the run", what, results_col_text(s->st, 1),
                  results_col_text(s->st, 2));
        return -1;
    }
    return 1;
}

static int src_rewind(void *ud, kh_error *err)
{
    return src_prepare(ud,
                       "SELECT scorecard_id, subject_kind, subject_id, item, points_x100, "
                       "evidence_table, evidence_key, reason, evidence_rows FROM deduction "
                       "WHERE run_id = ? ORDER BY rowid",
                       "deductions", err);
}

static int src_next(void *ud, void *rec, kh_error *err)
{
    db_source *s = ud;
    kh_deduction *d = rec;
    long at[4];
    int rc = src_step(s, "deductions", at, err);
    if (rc != 1)
        return rc;
    d->sc = (size_t)at[0];
    d->set = (size_t)at[1];
    d->subject = (size_t)at[2];
    d->item = (size_t)at[3];
    d->points = sqlite3_column_int64(s->st, 4);
    d->table = (char *)results_col_text(s->st, 5);
    d->key = (char *)results_col_text(s->st, 6);
    d->reason = (char *)results_col_text(s->st, 7);
    d->rows =
        sqlite3_column_type(s->st, 8) == SQLITE_NULL ? NULL : (char *)results_col_text(s->st, 8);
    return 1;
}

/* Streamed scores read back for the report: only the lost and the 待核实 items (the provincial
 * report's 整改台账 is all that reads scores, and lists both), each with its count of causing
 * rows: one per deduction plus one per KH_KEY_SEP in its key, as kh_key_count counts them. */
static int score_rewind(void *ud, kh_error *err)
{
    return src_prepare(
        ud,
        "SELECT s.scorecard_id, s.subject_kind, s.subject_id, s.item, s.max_points, "
        "s.points_x100, s.status, s.reason, s.cases, s.veto, (SELECT coalesce(sum(1 + "
        "length(d.evidence_key) - length(replace(d.evidence_key, '" KH_KEY_SEP "', ''))), 0) "
        "FROM deduction d "
        "WHERE d.run_id = s.run_id AND d.scorecard_id = s.scorecard_id AND d.subject_kind = "
        "s.subject_kind AND d.subject_id = s.subject_id AND d.item = s.item) FROM score s "
        "WHERE s.run_id = ? AND s.status IN ('deducted', 'pending') ORDER BY s.rowid",
        "scores", err);
}

static int score_next(void *ud, void *rec, kh_error *err)
{
    db_source *s = ud;
    kh_score *out = rec;
    long at[4];
    int rc = src_step(s, "scores", at, err);
    if (rc != 1)
        return rc;
    memset(out, 0, sizeof *out);
    out->sc = (size_t)at[0];
    out->set = (size_t)at[1];
    out->subject = (size_t)at[2];
    out->item = (size_t)at[3];
    out->max = -1;
    if (sqlite3_column_type(s->st, 4) != SQLITE_NULL &&
        points_from_double(sqlite3_column_double(s->st, 4), &out->max) != 0)
        out->max = -1;
    out->points = sqlite3_column_int64(s->st, 5);
    /* the query takes only those two */
    out->status = strcmp(results_col_text(s->st, 6), kh_status_code(ST_PENDING)) == 0 ? ST_PENDING
                                                                                      : ST_DEDUCTED;
    out->reason = (char *)results_col_text(s->st, 7);
    out->cases = sqlite3_column_int64(s->st, 8);
    out->veto = sqlite3_column_int(s->st, 9);
    out->nevidence = sqlite3_column_int64(s->st, 10);
    return 1;
}

struct results_readback {
    db_source ded, score;
    kh_source ds, ss;
    kh_results *r;
};

results_readback *results_readback_open(results_tx *tx, int64_t run_id, scorecard **scs, size_t nsc,
                                        kh_results *r)
{
    results_readback *rb = xcalloc(1, sizeof *rb);
    rb->ded = (db_source){tx->w.db, NULL, run_id, scs, nsc, r};
    rb->score = (db_source){tx->w.db, NULL, run_id, scs, nsc, r};
    rb->ds = (kh_source){r->nstreamed, src_rewind, src_next, &rb->ded};
    rb->ss = (kh_source){0, score_rewind, score_next, &rb->score};
    rb->r = r;
    r->dsrc = &rb->ds;
    if (r->nscores_streamed)
        r->ssrc = &rb->ss;
    return rb;
}

void results_readback_close(results_readback *rb)
{
    if (!rb)
        return;
    rb->r->dsrc = NULL;
    rb->r->ssrc = NULL;
    sqlite3_finalize(rb->ded.st);
    sqlite3_finalize(rb->score.st);
    free(rb);
}

/* ---- deductions streamed during evaluation ----------------------------------------------
 * Each item's deductions go, as the item finishes, into a scratch database of the run's own
 * (not the results database, whose write lock a long run must not hold for minutes); when
 * the run is written, one INSERT … SELECT … ORDER BY from the attached scratch database puts
 * them into the single run's global order (scorecard, kind, subject, item, key, points,
 * reason), SQLite sorting on disk what would not fit in memory. */
struct results_sink {
    sqlite3 *db; /* NULL until the first spill */
    sqlite3_stmt *ins;
    scorecard **scs;
    size_t keep; /* deductions kept in memory before spilling */
    char path[4096];
};

results_sink *results_sink_new(scorecard **scs, size_t keep)
{
    results_sink *k = xcalloc(1, sizeof *k);
    k->scs = scs;
    k->keep = keep;
    return k;
}

static int sink_open(results_sink *k, kh_error *err)
{
    /* named like every scratch file, so that the next run sweeps it if this one is killed */
    strbuf t = {0};
    kh_error why;
    if (kh_tmp_scratch(&t, "deductions", &why) != 0) {
        kh_seterr(err, "cannot make a scratch file for deductions: %s", why.msg);
        sb_free(&t);
        return -1;
    }
    snprintf(k->path, sizeof k->path, "%s", sb_str(&t));
    sb_free(&t);
    char *msg = NULL;
    /* scratch: thrown away on any failure, so no journal and no syncs */
    if (sqlite3_open_v2(k->path, &k->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
            SQLITE_OK ||
        sqlite3_exec(k->db,
                     "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                     "CREATE TABLE streamed (sc INTEGER, setk INTEGER, subject_id TEXT,"
                     " item INTEGER, scorecard_id TEXT, kind TEXT, item_no TEXT, points REAL,"
                     " points_x100 INTEGER, tbl TEXT, key TEXT, reason TEXT, rows TEXT); BEGIN",
                     NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_prepare_v2(k->db,
                           "INSERT INTO streamed VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &k->ins, NULL) != SQLITE_OK) {
        kh_seterr(err, "%s: cannot write scratch deductions (TMPDIR): %s", k->path,
                  msg ? msg : sqlite3_errmsg(k->db));
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int results_sink_put(void *ud, const kh_results *r, const kh_deduction *d, size_t n, kh_error *err)
{
    results_sink *k = ud;
    if (!k->db && n <= k->keep)
        return 1; /* a county's few tens of thousands stay in memory: no scratch file */
    if (!k->db && sink_open(k, err) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const kh_subject_set *set = &r->sets[d[i].set];
        sqlite3_stmt *st = k->ins;
        sqlite3_bind_int64(st, 1, (int64_t)d[i].sc);
        sqlite3_bind_int64(st, 2, (int64_t)d[i].set);
        bind_text(st, 3, set->items[d[i].subject].id);
        sqlite3_bind_int64(st, 4, (int64_t)d[i].item);
        bind_text(st, 5, k->scs[d[i].sc]->id);
        bind_text(st, 6, set->kind);
        bind_text(st, 7, k->scs[d[i].sc]->items[d[i].item].no);
        bind_points(st, 8, d[i].points);
        sqlite3_bind_int64(st, 9, d[i].points);
        bind_text(st, 10, d[i].table);
        bind_text(st, 11, d[i].key);
        bind_text(st, 12, d[i].reason);
        bind_text(st, 13, d[i].rows);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            kh_seterr(err, "%s: cannot write scratch deductions (TMPDIR): %s", k->path,
                      sqlite3_errmsg(k->db));
            return -1;
        }
    }
    return 0;
}

int results_sink_spilled(const results_sink *k)
{
    return k->db != NULL;
}

int results_sink_close(results_sink *k, kh_error *err)
{
    sqlite3_finalize(k->ins);
    k->ins = NULL;
    int rc = sqlite3_exec(k->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK)
        kh_seterr(err, "%s: cannot stream deductions: %s", k->path, sqlite3_errmsg(k->db));
    sqlite3_close(k->db);
    k->db = NULL;
    return rc == SQLITE_OK ? 0 : -1;
}

const char *results_sink_path(const results_sink *k)
{
    return k->path;
}

int results_sink_finish(results_tx *tx, int64_t run_id, kh_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(tx->w.db,
                                "INSERT INTO main.deduction SELECT ?, scorecard_id, kind,"
                                " subject_id, item_no, points, tbl, key, reason, points_x100, rows"
                                " FROM streamed.streamed ORDER BY sc, setk, subject_id, item, key,"
                                " points_x100 DESC, reason",
                                -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, run_id);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        kh_seterr(err, "%s: cannot write deductions: %s", tx->w.path, sqlite3_errmsg(tx->w.db));
    return rc == SQLITE_OK ? 0 : -1;
}

void results_sink_free(results_sink *k)
{
    if (!k)
        return;
    sqlite3_finalize(k->ins);
    sqlite3_close(k->db);
    if (k->path[0])
        unlink(k->path);
    free(k);
}
