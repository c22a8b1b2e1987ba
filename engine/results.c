/*
 * results.c — writes one run into the results database. See results.h for the tables.
 */
#include "results.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS run (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL,"
    " engine_version TEXT NOT NULL, period TEXT NOT NULL, params TEXT NOT NULL,"
    " evidence_hash TEXT NOT NULL, evidence_path TEXT, command_line TEXT,"
    " language_sha256 TEXT);"
    "CREATE TABLE IF NOT EXISTS run_scorecard (run_id INTEGER NOT NULL REFERENCES run(id),"
    " scorecard_id TEXT NOT NULL, title TEXT, source TEXT, file TEXT NOT NULL,"
    " sha256 TEXT NOT NULL, mode TEXT NOT NULL, total REAL);"
    "CREATE TABLE IF NOT EXISTS run_evidence (run_id INTEGER NOT NULL REFERENCES run(id),"
    " tbl TEXT NOT NULL, rows INTEGER NOT NULL, sha256 TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS run_import (run_id INTEGER NOT NULL REFERENCES run(id),"
    " file TEXT NOT NULL, sha256 TEXT NOT NULL, tbl TEXT NOT NULL, rows_read INTEGER NOT NULL,"
    " accepted INTEGER NOT NULL, rejected INTEGER NOT NULL, imported_at TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS item (run_id INTEGER NOT NULL REFERENCES run(id),"
    " scorecard_id TEXT NOT NULL, seq INTEGER NOT NULL, item TEXT NOT NULL, section TEXT,"
    " text TEXT, per TEXT, max_points REAL, accountable TEXT);"
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
    " rollup INTEGER NOT NULL DEFAULT 0, members INTEGER NOT NULL DEFAULT 0);"
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
    "CREATE INDEX IF NOT EXISTS result_run ON result(run_id, scorecard_id, subject_kind);";

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

static int write_run(writer *w, const kh_manifest *m, scorecard **scs, size_t nsc,
                     const kh_results *r, int64_t *run_id)
{
    sqlite3_stmt *st = prep(w, "INSERT INTO run (started_at, engine_version, period, params,"
                               " evidence_hash, evidence_path, command_line, language_sha256)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
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
    int rc = step_reset(w, st, "run");
    sqlite3_finalize(st);
    if (rc)
        return -1;
    int64_t id = sqlite3_last_insert_rowid(w->db);
    *run_id = id;

    st = prep(w, "INSERT INTO run_scorecard VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
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

    st = prep(w, "INSERT INTO item VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
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
            rc = step_reset(w, st, "item");
        }
    sqlite3_finalize(st);

    st = prep(w, "INSERT INTO score VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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

    st = prep(w, "INSERT INTO deduction VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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
        rc = step_reset(w, st, "deduction");
    }
    sqlite3_finalize(st);

    st = prep(w, "INSERT INTO result VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
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
        rc = step_reset(w, st, "result");
    }
    sqlite3_finalize(st);
    return rc;
}

struct results_tx {
    writer w;
    int open;
};

results_tx *results_begin(const char *path, kh_error *err)
{
    results_tx *tx = xcalloc(1, sizeof *tx);
    tx->w = (writer){NULL, path, err};
    err->msg[0] = '\0';
    if (sqlite3_open_v2(path, &tx->w.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        fail(&tx->w, "open");
        sqlite3_close(tx->w.db);
        free(tx);
        return NULL;
    }
    /* Two runs writing the same results database wait for each other instead of failing. */
    sqlite3_busy_timeout(tx->w.db, 30000);
    char *msg = NULL;
    int rc = sqlite3_exec(tx->w.db, "BEGIN IMMEDIATE", NULL, NULL, &msg);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(tx->w.db, SCHEMA, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        kh_seterr(err, "%s: cannot write results: %s", path, msg ? msg : sqlite3_errmsg(tx->w.db));
        sqlite3_free(msg);
        sqlite3_close(tx->w.db);
        free(tx);
        return NULL;
    }
    tx->open = 1;
    return tx;
}

int results_add_run(results_tx *tx, const kh_manifest *m, scorecard **scs, size_t nsc,
                    const kh_results *r, int64_t *run_id)
{
    return write_run(&tx->w, m, scs, nsc, r, run_id);
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
