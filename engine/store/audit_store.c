/*
 * audit_store.c — the audit commands' queries on a results database. See audit_store.h.
 */
#include "store/audit_store.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store_internal.h"

struct audit_store {
    sqlite3 *db;
    char *path; /* for messages */
};

audit_store *audit_store_open(const char *path, kh_error *err)
{
    if (access(path, R_OK) != 0) {
        kh_seterr(err, "%s: no such results database", path);
        return NULL;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        kh_seterr(err, "%s: cannot open results database: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return NULL;
    }
    audit_store *s = xcalloc(1, sizeof *s);
    s->db = db;
    s->path = xstrdup(path);
    return s;
}

sqlite3 *audit_store_db(audit_store *s, const char **path)
{
    *path = s->path;
    return s->db;
}

void audit_store_close(audit_store *s)
{
    if (!s)
        return;
    /* read-only, every statement finalized where it was used: nothing can be lost here */
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

/* A statement that failed part-way: the database is not what a results database should be. */
static int read_failed(audit_store *s, kh_error *err)
{
    kh_seterr(err, "%s: cannot read results: %s", s->path, sqlite3_errmsg(s->db));
    return -1;
}

static sqlite3_stmt *prepare(audit_store *s, const char *sql, kh_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        read_failed(s, err);
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* ---- the run's row ----------------------------------------------------------------------- */

int audit_store_run(audit_store *s, int64_t run, audit_run *out, kh_error *err)
{
    switch (run_row_read(s->db, run, out)) {
    case STORED_OK:
        return 0;
    case STORED_NO_RUN:
        kh_seterr(err, "%s: no run %lld (see: kaohe runs --results %s)", s->path, (long long)run,
                  s->path);
        return -1;
    case STORED_UNFIT:
        kh_seterr(err, "%s: not a kaohe results database (%s)", s->path, sqlite3_errmsg(s->db));
        return -1;
    default:
        return read_failed(s, err);
    }
}

void audit_run_free(audit_run *r)
{
    run_row_free(r);
}

/* ---- what a run recorded ----------------------------------------------------------------- */

typedef void (*row_fn)(sqlite3_stmt *st, const audit_run_sinks *k);

/* Runs `sql` with ?1 = the run and hands each row to `row`. 0, or -1 with err. */
static int each_row(audit_store *s, const char *sql, int64_t id, row_fn row,
                    const audit_run_sinks *k, kh_error *err)
{
    sqlite3_stmt *st = prepare(s, sql, err);
    if (!st)
        return -1;
    int rc = sqlite3_bind_int64(st, 1, id);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        row(st, k);
        rc = SQLITE_OK;
    }
    rc = rc == SQLITE_DONE ? 0 : read_failed(s, err);
    sqlite3_finalize(st);
    return rc;
}

static void evidence_row(sqlite3_stmt *st, const audit_run_sinks *k)
{
    k->evidence_table(k->ud, results_col_text(st, 0), results_col_text(st, 1));
}

/* Columns 0-4 of a score or deduction query: scorecard, kind, subject, item, value. */
static audit_record record(sqlite3_stmt *st)
{
    audit_record r = {results_col_text(st, 0), results_col_text(st, 1), results_col_text(st, 2),
                      results_col_text(st, 3), results_col_text(st, 4)};
    return r;
}

static void score_row(sqlite3_stmt *st, const audit_run_sinks *k)
{
    audit_record r = record(st);
    k->score(k->ud, &r);
}

static void deduction_row(sqlite3_stmt *st, const audit_run_sinks *k)
{
    audit_record r = record(st);
    k->deduction(k->ud, &r);
}

static void part_row(sqlite3_stmt *st, const audit_run_sinks *k)
{
    k->part(k->ud, results_col_text(st, 0), results_col_text(st, 1));
}

int audit_store_records(audit_store *s, int64_t id, const audit_run_sinks *k, kh_error *err)
{
    int rc = 0;
    if (k->scorecard && run_scorecards_read(s->db, id, k->scorecard, k->ud) != STORED_OK)
        rc = read_failed(s, err);
    if (rc == 0 && k->evidence_table)
        rc = each_row(s, "SELECT tbl, sha256 FROM run_evidence WHERE run_id = ?1 ORDER BY tbl", id,
                      evidence_row, k, err);
    if (rc == 0 && k->score)
        rc = each_row(s,
                      "SELECT scorecard_id, subject_kind, subject_id, item, status || '|' || "
                      "coalesce(points_x100, '') FROM score WHERE run_id = ?1",
                      id, score_row, k, err);
    if (rc == 0 && k->deduction)
        rc = each_row(s,
                      "SELECT scorecard_id, subject_kind, subject_id, item, evidence_table || "
                      "'|' || evidence_key || '|' || points_x100 FROM deduction WHERE run_id = ?1",
                      id, deduction_row, k, err);
    if (rc == 0 && k->part) {
        int has = store_has_table(s->db, "run_part");
        rc = has < 0 ? read_failed(s, err)
             : has   ? each_row(s,
                                "SELECT evidence_path, evidence_hash FROM run_part WHERE run_id = ?1 "
                                  "ORDER BY seq",
                                id, part_row, k, err)
                     : 0;
    }
    return rc;
}

static void set_row(sqlite3_stmt *st, const audit_run_sinks *k)
{
    k->scorecard(k->ud, results_col_text(st, 0), results_col_text(st, 1), results_col_text(st, 2));
}

int audit_store_sets(audit_store *s, int64_t id,
                     void (*fn)(void *ud, const char *name, const char *file, const char *sha256),
                     void *ud, kh_error *err)
{
    int has = store_has_table(s->db, "run_set"); /* none in a database from before sets */
    if (has <= 0)
        return has < 0 ? read_failed(s, err) : 0;
    audit_run_sinks k = {.scorecard = fn, .ud = ud}; /* a run_set row has a scorecard's shape */
    return each_row(s, "SELECT name, file, sha256 FROM run_set WHERE run_id = ?1 ORDER BY rowid",
                    id, set_row, &k, err);
}

/* ---- explain ----------------------------------------------------------------------------- */

/* The deductions behind the item in the current row of `st` (the explain query), handed to
 * on_deduction. 0, or -1 with err. */
static int item_deductions(audit_store *s, sqlite3_stmt *dq, int64_t id, sqlite3_stmt *st,
                           const char *subject,
                           int (*on_deduction)(void *ud, const audit_deduction_row *d), void *ud,
                           kh_error *err)
{
    int rc = sqlite3_reset(dq);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(dq, 1, id);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(dq, 2, results_col_text(st, 0), -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(dq, 3, results_col_text(st, 2), -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(dq, 4, subject, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(dq, 5, results_col_text(st, 4), -1, SQLITE_TRANSIENT);
    while (rc == SQLITE_OK && (rc = sqlite3_step(dq)) == SQLITE_ROW) {
        audit_deduction_row d = {results_col_text(dq, 0), results_col_text(dq, 1),
                                 results_col_text(dq, 2), results_col_text(dq, 3)};
        if (on_deduction(ud, &d) != 0)
            return -1;
        rc = SQLITE_OK;
    }
    return rc == SQLITE_DONE ? 0 : read_failed(s, err);
}

int audit_store_explain(audit_store *s, int64_t id, const char *subject, const char *item,
                        int (*on_item)(void *ud, const audit_item_row *r),
                        int (*on_deduction)(void *ud, const audit_deduction_row *d), void *ud,
                        kh_error *err)
{
    sqlite3_stmt *st =
        prepare(s,
                "SELECT s.scorecard_id, c.title, s.subject_kind, s.subject_name, s.item, "
                "i.text, s.max_points, s.points, s.status, s.reason FROM score s "
                "JOIN run_scorecard c ON c.run_id = s.run_id AND c.scorecard_id = s.scorecard_id "
                "LEFT JOIN item i ON i.run_id = s.run_id AND i.scorecard_id = s.scorecard_id "
                "AND i.item = s.item WHERE s.run_id = ?1 AND s.subject_id = ?2 "
                "AND (?3 IS NULL OR s.item = ?3) ORDER BY c.rowid, i.seq",
                err);
    sqlite3_stmt *dq =
        st ? prepare(s,
                     "SELECT evidence_table, evidence_key, points, reason FROM "
                     "deduction WHERE run_id = ? AND scorecard_id = ? AND "
                     "subject_kind = ? AND subject_id = ? AND item = ? ORDER BY rowid",
                     err)
           : NULL;
    if (!dq) {
        sqlite3_finalize(st);
        return -1;
    }
    int rc = sqlite3_bind_int64(st, 1, id);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(st, 2, subject, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK && item)
        rc = sqlite3_bind_text(st, 3, item, -1, SQLITE_STATIC);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int no_max = sqlite3_column_type(st, 6) == SQLITE_NULL;
        audit_item_row r = {results_col_text(st, 0),
                            results_col_text(st, 1),
                            results_col_text(st, 2),
                            results_col_text(st, 3),
                            results_col_text(st, 4),
                            results_col_text(st, 5),
                            no_max ? NULL : results_col_text(st, 6),
                            results_col_text(st, 7),
                            results_col_text(st, 8),
                            results_col_text(st, 9)};
        if (on_item(ud, &r) != 0 ||
            item_deductions(s, dq, id, st, subject, on_deduction, ud, err) != 0) {
            rc = -1;
            break;
        }
        rc = SQLITE_OK;
    }
    rc = rc == SQLITE_DONE ? 0 : rc == -1 ? -1 : read_failed(s, err);
    sqlite3_finalize(st);
    sqlite3_finalize(dq);
    return rc;
}

/* ---- diff (回头看) ------------------------------------------------------------------------- */

int audit_store_diff(audit_store *s, int64_t run_a, int64_t run_b,
                     void (*on_row)(void *ud, const audit_diff_row *r), void *ud, kh_error *err)
{
    /* every (scorecard, subject, item) lost in either run, with both outcomes */
    sqlite3_stmt *st = prepare(
        s,
        "WITH lost AS (SELECT run_id, scorecard_id, subject_kind, subject_id, subject_name, item, "
        "reason FROM score WHERE status = 'deducted' AND run_id IN (?1, ?2)), "
        "k AS (SELECT DISTINCT scorecard_id, subject_kind, subject_id, item FROM lost) "
        "SELECT k.scorecard_id, k.subject_kind, k.subject_id, k.item, "
        "coalesce(a.subject_name, b.subject_name), a.reason, b.reason, "
        "(SELECT s.status FROM score s WHERE s.run_id = ?2 AND s.scorecard_id = k.scorecard_id "
        "AND s.subject_kind = k.subject_kind AND s.subject_id = k.subject_id AND s.item = k.item), "
        "(SELECT text FROM item i WHERE i.run_id = ?2 AND i.scorecard_id = k.scorecard_id AND "
        "i.item = k.item) "
        "FROM k LEFT JOIN lost a ON a.run_id = ?1 AND a.scorecard_id = k.scorecard_id AND "
        "a.subject_kind = k.subject_kind AND a.subject_id = k.subject_id AND a.item = k.item "
        "LEFT JOIN lost b ON b.run_id = ?2 AND b.scorecard_id = k.scorecard_id AND "
        "b.subject_kind = k.subject_kind AND b.subject_id = k.subject_id AND b.item = k.item "
        "ORDER BY 1, 2, 3, 4",
        err);
    if (!st)
        return -1;
    int rc = sqlite3_bind_int64(st, 1, run_a);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(st, 2, run_b);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        audit_diff_row r = {
            results_col_text(st, 0),
            results_col_text(st, 1),
            results_col_text(st, 2),
            results_col_text(st, 3),
            results_col_text(st, 4),
            sqlite3_column_type(st, 5) == SQLITE_NULL ? NULL : results_col_text(st, 5),
            sqlite3_column_type(st, 6) == SQLITE_NULL ? NULL : results_col_text(st, 6),
            results_col_text(st, 7),
            results_col_text(st, 8)};
        on_row(ud, &r);
        rc = SQLITE_OK;
    }
    rc = rc == SQLITE_DONE ? 0 : read_failed(s, err);
    sqlite3_finalize(st);
    return rc;
}
