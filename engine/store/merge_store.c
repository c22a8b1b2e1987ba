/*
 * merge_store.c — the SQL of a merge: its parts read, its streamed rows written. See
 * merge_store.h.
 */
#include "store/merge_store.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_internal.h"

struct merge_db {
    sqlite3 *h;
};

/* "PATH: cannot read WHAT: sqlite's message", the one message for a part that fails. */
static int db_fail(const merge_part *p, const char *what, kh_error *err)
{
    kh_seterr(err, "%s: cannot read %s: %s", p->path, what, sqlite3_errmsg(p->db->h));
    return -1;
}

/* A query over the part's run (bound as parameter 1); NULL with err. */
static sqlite3_stmt *prep_run(const merge_part *p, const char *sql, kh_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(p->db->h, sql, -1, &st, NULL) != SQLITE_OK) {
        db_fail(p, "results", err);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, p->run);
    return st;
}

/* The latest run's manifest fields, and whether the database has the subject table (older
 * kaohe versions wrote none, and a merge needs it). */
static int read_run(merge_part *p, kh_error *err)
{
    run_row row;
    int rc = run_row_read(p->db->h, 0, &row);
    if (rc != STORED_OK) {
        if (rc == STORED_UNFIT)
            kh_seterr(err, "%s: not a kaohe results database (%s)", p->path,
                      sqlite3_errmsg(p->db->h));
        else
            kh_seterr(err, "%s: holds no run", p->path);
        run_row_free(&row);
        return -1;
    }
    /* the part owns the row's strings from here */
    p->run = row.id;
    p->period = row.period;
    p->params = row.params;
    p->language_sha = row.language_sha;
    p->engine = row.engine;
    p->evidence_path = row.evidence_path;
    p->evidence_hash = row.evidence_hash;
    p->started_at = row.started_at;
    /* whether the shard reused its evidence hash (app/hash_cache.c); a part written before
     * the column was added has none: -1, written as NULL */
    p->evidence_hash_reused = -1;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(p->db->h, "SELECT evidence_hash_reused FROM run WHERE id = ?1", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_bind_int64(st, 1, p->run) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW &&
        sqlite3_column_type(st, 0) == SQLITE_INTEGER)
        p->evidence_hash_reused = sqlite3_column_int(st, 0) != 0;
    sqlite3_finalize(st);
    int has_subjects = store_has_table(p->db->h, "subject");
    if (has_subjects < 0)
        return db_fail(p, "results", err);
    if (!has_subjects) {
        kh_seterr(err,
                  "%s: run %lld was written by a kaohe without the subject table; run the shard "
                  "again with this version",
                  p->path, (long long)p->run);
        return -1;
    }
    return 0;
}

/* run_scorecards_read's sink: one more scorecard of the part. */
static void add_scorecard(void *ud, const char *id, const char *file, const char *sha256)
{
    merge_part *p = ud;
    p->sc_id = xrealloc(p->sc_id, (p->nsc + 1) * sizeof *p->sc_id);
    p->sc_file = xrealloc(p->sc_file, (p->nsc + 1) * sizeof *p->sc_file);
    p->sc_sha = xrealloc(p->sc_sha, (p->nsc + 1) * sizeof *p->sc_sha);
    p->sc_id[p->nsc] = xstrdup(id);
    p->sc_file[p->nsc] = xstrdup(file);
    p->sc_sha[p->nsc] = xstrdup(sha256);
    p->nsc++;
}

int merge_part_open(merge_part *p, const char *path, kh_error *err)
{
    memset(p, 0, sizeof *p);
    p->path = path;
    if (access(path, R_OK) != 0) {
        kh_seterr(err, "%s: cannot open results database: %s", path, strerror(errno));
        return -1;
    }
    p->db = xcalloc(1, sizeof *p->db);
    if (sqlite3_open_v2(path, &p->db->h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK)
        return db_fail(p, "results database", err);
    /* A province has a hundred parts open at once, each read once front to back: SQLite's
     * default 2 MB page cache each would be 200 MB of memory that buys nothing. A failure
     * costs memory only, so it is not one. */
    (void)sqlite3_exec(p->db->h, "PRAGMA cache_size = -128", NULL, NULL, NULL);
    if (read_run(p, err) != 0)
        return -1;
    switch (run_scorecards_read(p->db->h, p->run, add_scorecard, p)) {
    case STORED_OK:
        return 0;
    case STORED_UNFIT:
        return db_fail(p, "results", err);
    default:
        return db_fail(p, "run_scorecard", err);
    }
}

void merge_part_close(merge_part *p)
{
    if (p->db) {
        sqlite3_close(p->db->h);
        free(p->db);
    }
    char *own[] = {p->period,        p->params,        p->language_sha, p->engine,
                   p->evidence_path, p->evidence_hash, p->started_at};
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
        free(own[i]);
    for (size_t i = 0; i < p->nsc; i++) {
        free(p->sc_id[i]);
        free(p->sc_file[i]);
        free(p->sc_sha[i]);
    }
    free(p->sc_id);
    free(p->sc_file);
    free(p->sc_sha);
    memset(p, 0, sizeof *p);
}

int merge_part_subjects(merge_part *p, int (*fn)(void *ud, const char *kind, const kh_subject *s),
                        void *ud, kh_error *err)
{
    sqlite3_stmt *st =
        prep_run(p, "SELECT kind, id, name, parent, parent_id FROM subject WHERE run_id = ?", err);
    if (!st)
        return -1;
    int rc = SQLITE_DONE, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        kh_subject s = {(char *)results_col_text(st, 1), (char *)results_col_text(st, 2),
                        (char *)results_col_text(st, 3), (char *)results_col_text(st, 4)};
        stop = fn(ud, results_col_text(st, 0), &s);
    }
    sqlite3_finalize(st);
    if (stop)
        return stop;
    return rc == SQLITE_DONE ? 0 : db_fail(p, "subject", err);
}

int merge_part_evidence(merge_part *p,
                        void (*fn)(void *ud, const char *table, int64_t rows, const char *sha256),
                        void *ud, kh_error *err)
{
    sqlite3_stmt *st = prep_run(
        p, "SELECT tbl, rows, sha256 FROM run_evidence WHERE run_id = ? ORDER BY rowid", err);
    if (!st)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        fn(ud, results_col_text(st, 0), sqlite3_column_int64(st, 1), results_col_text(st, 2));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_fail(p, "run_evidence", err);
}

int merge_part_wenze(merge_part *p, kh_wenze *out, kh_error *err)
{
    int rc = wenze_store_rows(p->db->h, p->run, out);
    return rc < 0 ? db_fail(p, "accountability", err) : rc;
}

/* ---- cursors ----------------------------------------------------------------------------
 * A cursor selects the table's columns after run_id, in table order, so that a row can be
 * copied into the merged run as stored (merge_copy_row); its first three columns are
 * scorecard, kind and subject id, and the item is in column item_col. */

#define SCORE_COLS                                                                                 \
    "scorecard_id, subject_kind, subject_id, subject_name, item, max_points, points, status, "     \
    "reason, cases, points_x100, veto"
enum { SCORE_NCOLS = 12, SCORE_ITEM = 4 };

#define DEDUCTION_COLS_BEFORE_ROWS                                                                 \
    "scorecard_id, subject_kind, subject_id, item, points, evidence_table, evidence_key, reason, " \
    "points_x100, "
#define DEDUCTION_COLS DEDUCTION_COLS_BEFORE_ROWS "evidence_rows"
enum { DEDUCTION_NCOLS = 10, DEDUCTION_ITEM = 3 };

struct merge_cursor {
    const merge_part *part;
    sqlite3_stmt *st;
    int ncols, item_col;
    const char *what; /* the table, for messages */
    scorecard **scs;
    size_t nsc;
    const kh_results *r;
};

/* A cursor over the rows of `sql` (a query of the part's run) with ncols columns. */
static merge_cursor *cursor_open(merge_part *p, const char *sql, int ncols, int item_col,
                                 const char *what, scorecard **scs, size_t nsc, const kh_results *r,
                                 kh_error *err)
{
    sqlite3_stmt *st = prep_run(p, sql, err);
    if (!st)
        return NULL;
    merge_cursor *c = xcalloc(1, sizeof *c);
    *c = (merge_cursor){p, st, ncols, item_col, what, scs, nsc, r};
    return c;
}

merge_cursor *merge_scores_open(merge_part *p, const char *scorecard_id, scorecard **scs,
                                size_t nsc, const kh_results *r, kh_error *err)
{
    merge_cursor *c =
        scorecard_id
            ? cursor_open(p,
                          "SELECT " SCORE_COLS " FROM score WHERE run_id = ? AND scorecard_id = ? "
                          "ORDER BY rowid",
                          SCORE_NCOLS, SCORE_ITEM, "score", scs, nsc, r, err)
            : cursor_open(p, "SELECT " SCORE_COLS " FROM score WHERE run_id = ? ORDER BY rowid",
                          SCORE_NCOLS, SCORE_ITEM, "score", scs, nsc, r, err);
    if (c && scorecard_id)
        sqlite3_bind_text(c->st, 2, scorecard_id, -1, SQLITE_TRANSIENT);
    return c;
}

/* Whether the part's deduction table has the labelled rows (parts written before issue 15
 * item 3 have none: their rows are merged without them). */
static int has_evidence_rows(const merge_part *p)
{
    sqlite3_stmt *st = NULL;
    int have = sqlite3_prepare_v2(p->db->h,
                                  "SELECT count(*) FROM pragma_table_info('deduction') "
                                  "WHERE name = 'evidence_rows'",
                                  -1, &st, NULL) == SQLITE_OK &&
               sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    return have;
}

merge_cursor *merge_deductions_open(merge_part *p, scorecard **scs, size_t nsc, const kh_results *r,
                                    kh_error *err)
{
    return cursor_open(p,
                       has_evidence_rows(p) ? "SELECT " DEDUCTION_COLS
                                              " FROM deduction WHERE run_id = ? ORDER BY rowid"
                                            : "SELECT " DEDUCTION_COLS_BEFORE_ROWS
                                              "NULL FROM deduction WHERE run_id = ? ORDER BY rowid",
                       DEDUCTION_NCOLS, DEDUCTION_ITEM, "deduction", scs, nsc, r, err);
}

/* Steps and places the row: MERGE_ROW with at[] = scorecard, set, subject and item indices,
 * MERGE_END, MERGE_UNFIT, or -1 with err. */
static int cursor_step(merge_cursor *c, long at[4], kh_error *err)
{
    int rc = sqlite3_step(c->st);
    if (rc == SQLITE_DONE)
        return MERGE_END;
    if (rc != SQLITE_ROW)
        return db_fail(c->part, c->what, err);
    return results_place(c->scs, c->nsc, c->r, c->st, c->item_col, at) == 0 ? MERGE_ROW
                                                                            : MERGE_UNFIT;
}

/* A stored status code as a status; an unknown one is taken as 待核实. */
static kh_status status_of(const char *code)
{
    for (int s = ST_OK; s <= ST_PENDING; s++)
        if (strcmp(kh_status_code((kh_status)s), code) == 0)
            return (kh_status)s;
    return ST_PENDING;
}

int merge_score_next(merge_cursor *c, kh_score *s, kh_error *err)
{
    long at[4];
    int rc = cursor_step(c, at, err);
    if (rc != MERGE_ROW)
        return rc;
    sqlite3_stmt *st = c->st;
    memset(s, 0, sizeof *s);
    s->sc = (size_t)at[0];
    s->set = (size_t)at[1];
    s->subject = (size_t)at[2];
    s->item = (size_t)at[3];
    s->max = -1;
    if (sqlite3_column_type(st, 5) != SQLITE_NULL &&
        points_from_double(sqlite3_column_double(st, 5), &s->max) != 0)
        s->max = -1;
    s->points = sqlite3_column_int64(st, 10);
    s->status = status_of(results_col_text(st, 7));
    s->reason = (char *)results_col_text(st, 8);
    s->cases = sqlite3_column_int64(st, 9);
    s->veto = sqlite3_column_int(st, 11);
    return MERGE_ROW;
}

int merge_deduction_next(merge_cursor *c, kh_deduction *d, kh_error *err)
{
    long at[4];
    int rc = cursor_step(c, at, err);
    if (rc != MERGE_ROW)
        return rc;
    d->sc = (size_t)at[0];
    d->set = (size_t)at[1];
    d->subject = (size_t)at[2];
    d->item = (size_t)at[3];
    d->points = sqlite3_column_int64(c->st, 8);
    d->table = (char *)results_col_text(c->st, 5);
    d->key = (char *)results_col_text(c->st, 6);
    d->reason = (char *)results_col_text(c->st, 7);
    d->rows =
        sqlite3_column_type(c->st, 9) == SQLITE_NULL ? NULL : (char *)results_col_text(c->st, 9);
    return MERGE_ROW;
}

void merge_cursor_keys(const merge_cursor *c, const char **kind, const char **subject,
                       const char **item)
{
    *kind = results_col_text(c->st, 1);
    *subject = results_col_text(c->st, 2);
    *item = results_col_text(c->st, c->item_col);
}

void merge_cursor_close(merge_cursor *c)
{
    if (!c)
        return;
    sqlite3_finalize(c->st);
    free(c);
}

/* ---- the merged run's streamed rows -----------------------------------------------------*/

struct merge_copy {
    sqlite3 *db;
    sqlite3_stmt *ins;
    int64_t run_id;
    int ncols;        /* the cursors' columns: the table's after run_id */
    const char *what; /* the rows, for messages */
};

/* A copy into the transaction by the INSERT `sql`, of rows of ncols columns after run_id. */
static merge_copy *copy_open(results_tx *tx, int64_t run_id, const char *sql, int ncols,
                             const char *what, kh_error *err)
{
    sqlite3 *db = results_tx_db(tx);
    sqlite3_stmt *ins = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &ins, NULL) != SQLITE_OK) {
        kh_seterr(err, "cannot write %s: %s", what, sqlite3_errmsg(db));
        return NULL;
    }
    merge_copy *w = xcalloc(1, sizeof *w);
    *w = (merge_copy){db, ins, run_id, ncols, what};
    return w;
}

merge_copy *merge_copy_scores(results_tx *tx, int64_t run_id, kh_error *err)
{
    return copy_open(tx, run_id, "INSERT INTO score VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     SCORE_NCOLS, "scores", err);
}

merge_copy *merge_copy_deductions(results_tx *tx, int64_t run_id, kh_error *err)
{
    return copy_open(tx, run_id, "INSERT INTO deduction VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     DEDUCTION_NCOLS, "deductions", err);
}

int merge_copy_row(merge_copy *w, const merge_cursor *c, kh_error *err)
{
    if (c->ncols != w->ncols) { /* a score cursor given to the deductions' copy, or back */
        kh_seterr(err, "cannot write %s: a row of another table", w->what);
        return -1;
    }
    sqlite3_bind_int64(w->ins, 1, w->run_id);
    for (int i = 0; i < w->ncols; i++)
        sqlite3_bind_value(w->ins, i + 2, sqlite3_column_value(c->st, i));
    int rc = sqlite3_step(w->ins);
    sqlite3_reset(w->ins);
    if (rc == SQLITE_DONE)
        return 0;
    kh_seterr(err, "cannot write %s: %s", w->what, sqlite3_errmsg(w->db));
    return -1;
}

void merge_copy_close(merge_copy *w)
{
    if (!w)
        return;
    sqlite3_finalize(w->ins);
    free(w);
}

int merge_write_parts(results_tx *tx, int64_t run_id, const merge_part *parts, size_t n,
                      kh_error *err)
{
    sqlite3 *out = results_tx_db(tx);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(out,
                           "INSERT INTO run_part (run_id, seq, results_file, part_run_id,"
                           " evidence_path, evidence_hash, started_at, evidence_hash_reused)"
                           " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        kh_seterr(err, "cannot write run_part: %s", sqlite3_errmsg(out));
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        sqlite3_bind_int64(st, 1, run_id);
        sqlite3_bind_int64(st, 2, (int64_t)i + 1);
        sqlite3_bind_text(st, 3, parts[i].path, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, parts[i].run);
        sqlite3_bind_text(st, 5, parts[i].evidence_path, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, parts[i].evidence_hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, parts[i].started_at, -1, SQLITE_STATIC);
        if (parts[i].evidence_hash_reused >= 0)
            sqlite3_bind_int(st, 8, parts[i].evidence_hash_reused);
        else
            sqlite3_bind_null(st, 8);
        if (sqlite3_step(st) != SQLITE_DONE) {
            kh_seterr(err, "cannot write run_part: %s", sqlite3_errmsg(out));
            rc = -1;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}
