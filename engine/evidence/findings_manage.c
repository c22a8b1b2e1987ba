/*
 * findings_manage.c — listing and removing findings. See findings_manage.h.
 */
#include "evidence/findings_manage.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence/ev_sql_internal.h"
#include "evidence/finding_clash_internal.h"

ev_finding ev_finding_of(sqlite3_stmt *st)
{
    const char *c[11];
    for (int i = 0; i < 11; i++) {
        const unsigned char *v = sqlite3_column_text(st, i);
        c[i] = v ? (const char *)v : "";
    }
    ev_finding f = {c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10]};
    return f;
}

/* The evidence database opened read-only or for writing; NULL with err naming it. */
static sqlite3 *open_evidence(const char *path, int write, kh_error *err)
{
    sqlite3 *db = NULL;
    if (access(path, write ? W_OK : R_OK) != 0 ||
        sqlite3_open_v2(path, &db, write ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, NULL) !=
            SQLITE_OK) {
        kh_seterr(err, "%s: cannot open evidence database%s", path, write ? " for writing" : "");
        sqlite3_close(db);
        return NULL;
    }
    /* another import writing the same evidence: wait for it rather than fail */
    if (sqlite3_busy_timeout(db, 5000) != SQLITE_OK) {
        kh_seterr(err, "%s: %s", path, sqlite3_errmsg(db));
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

int ev_findings_list(const char *evidence_path, const ev_finding *filter,
                     int (*fn)(void *ud, const ev_finding *f), void *ud, kh_error *err)
{
    sqlite3 *db = open_evidence(evidence_path, 0, err);
    if (!db)
        return -1;
    sqlite3_stmt *st = NULL;
    int rc =
        ev_sql(db, evidence_path,
               "SELECT " EV_FINDING_COLUMNS " FROM finding WHERE (?1 IS NULL OR scorecard = ?1) "
               "AND (?2 IS NULL OR item = ?2) AND (?3 IS NULL OR subject_id = ?3) AND (?4 IS "
               "NULL OR period = ?4) ORDER BY scorecard, item, subject_kind, subject_id, "
               "period, id",
               &st, err);
    const char *by[4] = {filter->scorecard, filter->item, filter->subject_id, filter->period};
    int step = SQLITE_OK;
    for (int i = 0; rc == 0 && step == SQLITE_OK && i < 4; i++)
        step = sqlite3_bind_text(st, i + 1, by[i], -1, SQLITE_STATIC);
    while (rc == 0 && step == SQLITE_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        ev_finding f = ev_finding_of(st);
        if (fn(ud, &f) != 0)
            rc = -1;
        step = SQLITE_OK;
    }
    if (rc == 0 && step != SQLITE_DONE) {
        kh_seterr(err, "%s: cannot read the findings: %s", evidence_path, sqlite3_errmsg(db));
        rc = -1;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}

/* Hands each of `ids` that is a finding to fn and deletes it; those that are not are listed
 * in *missing. 0, or -1 with err on a database failure. */
static int remove_each(sqlite3 *db, const char *path, const char *const *ids, size_t nids,
                       void (*fn)(void *ud, const ev_finding *f), void *ud, strbuf *missing,
                       kh_error *err)
{
    sqlite3_stmt *get = NULL, *del = NULL, *keep = NULL;
    int rc =
        ev_sql(db, path, "SELECT " EV_FINDING_COLUMNS " FROM finding WHERE id = ?1", &get, err);
    if (rc == 0)
        rc = ev_sql(db, path, "DELETE FROM finding WHERE id = ?1", &del, err);
    if (rc == 0) /* what is removed is kept, with who and when (finding_removed.c) */
        rc = ev_finding_removed_prepare(db, path, &keep, err);
    for (size_t i = 0; rc == 0 && i < nids; i++) {
        int step = sqlite3_reset(get) == SQLITE_OK && sqlite3_reset(del) == SQLITE_OK &&
                           sqlite3_bind_text(get, 1, ids[i], -1, SQLITE_STATIC) == SQLITE_OK &&
                           sqlite3_bind_text(del, 1, ids[i], -1, SQLITE_STATIC) == SQLITE_OK
                       ? sqlite3_step(get)
                       : SQLITE_ERROR;
        if (step == SQLITE_ROW) {
            ev_finding f = ev_finding_of(get);
            fn(ud, &f);
            step = ev_finding_removed_keep(keep, ids[i], "kaohe findings remove");
            if (step == SQLITE_DONE)
                step = sqlite3_step(del);
        } else if (step == SQLITE_DONE) {
            /* not a finding, or given twice and already removed: only the first is missing */
            int again = 0;
            for (size_t k = 0; k < i; k++)
                again |= strcmp(ids[k], ids[i]) == 0;
            if (!again)
                sb_printf(missing, "%s'%s'", missing->len ? ", " : "", ids[i]);
        }
        if (step != SQLITE_DONE) {
            kh_seterr(err, "%s: cannot remove finding %s: %s", path, ids[i], sqlite3_errmsg(db));
            rc = -1;
        }
    }
    sqlite3_finalize(get);
    sqlite3_finalize(del);
    sqlite3_finalize(keep);
    return rc;
}

int ev_findings_remove(const char *evidence_path, const char *const *ids, size_t nids,
                       void (*fn)(void *ud, const ev_finding *f), void *ud, kh_error *err)
{
    sqlite3 *db = open_evidence(evidence_path, 1, err);
    if (!db)
        return -1;
    strbuf missing = {0};
    int rc = ev_sql(db, evidence_path, "BEGIN IMMEDIATE", NULL, err);
    if (rc == 0)
        rc = remove_each(db, evidence_path, ids, nids, fn, ud, &missing, err);
    if (rc == 0 && missing.len) {
        kh_seterr(err,
                  "%s: no finding %s (see: kaohe findings list --evidence %s); nothing was "
                  "removed",
                  evidence_path, sb_str(&missing), evidence_path);
        rc = -1;
    }
    if (rc == 0)
        rc = ev_sql(db, evidence_path, "COMMIT", NULL, err);
    /* closing a connection rolls back what it has not committed: a failure loses nothing */
    if (rc != 0 && !sqlite3_get_autocommit(db))
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sb_free(&missing);
    if (sqlite3_close(db) != SQLITE_OK && rc == 0) {
        kh_seterr(err, "%s: cannot close the evidence database", evidence_path);
        rc = -1;
    }
    return rc;
}
