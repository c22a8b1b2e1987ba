/*
 * wenze_store.c — the accountability table: written with a run, read for `kaohe
 * accountability` and by a merge (its parts' lists). See wenze_store.h.
 *
 * Column county came after the table (a merge of counties shows it): a table without it gets
 * it appended, and is read as county "". Table accountability_merge holds one row per merged
 * run with the 包抓 card: that the merge carried the parts' lists, and the note naming parts
 * that had none (written by a kaohe before the table) — a merge without that row carried none.
 */
#include "store/wenze_store.h"

#include <string.h>

#include "store/store_internal.h"

static const char TABLE[] =
    "CREATE TABLE IF NOT EXISTS accountability (run_id INTEGER NOT NULL REFERENCES run(id),"
    " seq INTEGER NOT NULL, cadre_id TEXT NOT NULL, name TEXT NOT NULL, department TEXT NOT NULL,"
    " condition INTEGER NOT NULL, condition_text TEXT NOT NULL, evidence TEXT NOT NULL,"
    " conclusion TEXT NOT NULL, county TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE IF NOT EXISTS accountability_merge (run_id INTEGER NOT NULL REFERENCES run(id),"
    " note TEXT NOT NULL)";

/* 1 if table accountability has column county, 0 if not, -1 on error. */
static int has_county(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(
        db, "SELECT count(*) FROM pragma_table_info('accountability') WHERE name = 'county'", -1,
        &st, NULL);
    int have = -1;
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        have = sqlite3_column_int(st, 0) > 0;
    sqlite3_finalize(st);
    return have;
}

/* The tables, and column county appended to a table written before it. An SQLite code. */
static int make_tables(sqlite3 *db)
{
    int rc = sqlite3_exec(db, TABLE, NULL, NULL, NULL);
    int have = rc == SQLITE_OK ? has_county(db) : -1;
    if (have == 0)
        rc = sqlite3_exec(db,
                          "ALTER TABLE accountability ADD COLUMN county TEXT NOT NULL DEFAULT ''",
                          NULL, NULL, NULL);
    return have < 0 ? SQLITE_ERROR : rc;
}

/* A merged run's row of accountability_merge. An SQLite code. */
static int write_note(sqlite3 *db, int64_t run, const char *note)
{
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite3_prepare_v2(db, "INSERT INTO accountability_merge VALUES (?, ?)", -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_text(st, 2, note, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
    }
    sqlite3_finalize(st);
    return rc;
}

int wenze_store_write(sqlite3 *db, int64_t run, const kh_wenze *w, const char *path, kh_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = make_tables(db);
    if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v2(
            db,
            "INSERT INTO accountability (run_id, seq, cadre_id, name, department,"
            " condition, condition_text, evidence, conclusion, county) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            -1, &st, NULL);
    for (size_t i = 0; rc == SQLITE_OK && i < w->n; i++) {
        const kh_wenze_row *x = &w->rows[i];
        sqlite3_bind_int64(st, 1, run);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i + 1);
        sqlite3_bind_text(st, 3, x->cadre_id, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, x->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, x->department, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 6, x->condition);
        sqlite3_bind_text(st, 7, kh_wenze_condition_text(x->condition), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, x->evidence, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, WENZE_CONCLUSION, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, x->county, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_reset(st) : SQLITE_ERROR;
    }
    if (rc == SQLITE_OK && w->note)
        rc = write_note(db, run, w->note);
    if (rc != SQLITE_OK)
        kh_seterr(err, "%s: cannot write results (accountability): %s", path, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

/* One count of run `run`: `sql` binds the run as ?1 (and WENZE_SCORECARD as ?2 if it asks). */
static int count_of(sqlite3 *db, const char *sql, int64_t run, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, run);
        if (sqlite3_bind_parameter_count(st) > 1)
            sqlite3_bind_text(st, 2, WENZE_SCORECARD, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : SQLITE_ERROR;
        *out = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : -1;
}

int wenze_store_rows(sqlite3 *db, int64_t run, kh_wenze *out)
{
    int table = store_has_table(db, "accountability");
    int county = table > 0 ? has_county(db) : 0;
    if (table <= 0 || county < 0)
        return table < 0 || county < 0 ? -1 : 0;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db,
                                county ? "SELECT cadre_id, name, department, condition, evidence, "
                                         "county FROM accountability WHERE run_id = ?1 ORDER BY seq"
                                       : "SELECT cadre_id, name, department, condition, evidence, "
                                         "'' FROM accountability WHERE run_id = ?1 ORDER BY seq",
                                -1, &st, NULL);
    if (rc == SQLITE_OK)
        sqlite3_bind_int64(st, 1, run);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        kh_wenze_row x = {(char *)results_col_text(st, 0), (char *)results_col_text(st, 1),
                          (char *)results_col_text(st, 2), sqlite3_column_int(st, 3),
                          (char *)results_col_text(st, 4), (char *)results_col_text(st, 5)};
        kh_wenze_add(out, &x);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 1 : -1;
}

/* A merged run's note into out->note ("" if every part had a list); left NULL if the merge
 * carried no list (written before accountability_merge). 0, or -1. */
static int read_note(sqlite3 *db, int64_t run, kh_wenze *out)
{
    int table = store_has_table(db, "accountability_merge");
    if (table <= 0)
        return table;
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT note FROM accountability_merge WHERE run_id = ?1", -1,
                                &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, run);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            out->note = xstrdup(results_col_text(st, 0));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int wenze_store_read(audit_store *s, int64_t run, int64_t *run_id, int *has_card, int64_t *parts,
                     kh_wenze *out, kh_error *err)
{
    memset(out, 0, sizeof *out);
    *has_card = 0;
    *parts = 0;
    audit_run ar;
    if (audit_store_run(s, run, &ar, err) != 0)
        return -1;
    *run_id = ar.id;
    audit_run_free(&ar);
    const char *path;
    sqlite3 *db = audit_store_db(s, &path);
    int64_t cards = 0;
    int rc =
        count_of(db, "SELECT count(*) FROM run_scorecard WHERE run_id = ?1 AND scorecard_id = ?2",
                 *run_id, &cards);
    if (rc == 0 && store_has_table(db, "run_part") > 0)
        rc = count_of(db, "SELECT count(*) FROM run_part WHERE run_id = ?1", *run_id, parts);
    *has_card = cards > 0;
    if (rc == 0)
        rc = wenze_store_rows(db, *run_id, out) < 0 ? -1 : 0;
    if (rc == 0 && *parts > 0)
        rc = read_note(db, *run_id, out);
    if (rc != 0) {
        kh_seterr(err, "%s: cannot read the 问责名单 of run %lld: %s", path, (long long)*run_id,
                  sqlite3_errmsg(db));
        kh_wenze_free(out);
        return -1;
    }
    return 0;
}
