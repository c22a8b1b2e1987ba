/*
 * finding_removed.c — what `kaohe findings remove` and an import with `--replace` took out of
 * the evidence, kept in table finding_removed: the finding's row as it was, when (UTC), by
 * whom (the user running kaohe) and how (removed, or replaced by which finding from which
 * file). Without it a finding removed leaves no trace but a changed content hash.
 *
 * Why a table of its own rather than rows of import_log: import_log is STRICT with a file's
 * columns (file, sha256, rows…) and no room for the removed row or the user; a new column there
 * would make every evidence file made before it fail the schema's column check. The table is
 * created in the removing transaction when the file predates it, and, like import_log, it is
 * history rather than evidence: the content hash leaves it out (evidence.c), so recording a
 * removal changes the hash only by the finding it removed.
 */
#include <pwd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "evidence/ev_sql_internal.h"
#include "evidence/finding_clash_internal.h"
#include "evidence/findings_manage.h"

/* The same text as in fixtures/evidence-schema.sql (the column check compares the two). */
#define CREATE_REMOVED                                                                             \
    "CREATE TABLE IF NOT EXISTS main.finding_removed (seq INTEGER PRIMARY KEY, id TEXT NOT "       \
    "NULL, scorecard TEXT NOT NULL, item TEXT NOT NULL, subject_kind TEXT NOT NULL, subject_id "   \
    "TEXT NOT NULL, period TEXT NOT NULL, answer TEXT NOT NULL, score REAL, note TEXT NOT NULL, "  \
    "inspector TEXT NOT NULL, inspected_on TEXT NOT NULL, evidence_ref TEXT NOT NULL, "            \
    "removed_at TEXT NOT NULL, removed_by TEXT NOT NULL, how TEXT NOT NULL) STRICT"

/* The user running kaohe, by name (else "uid N"). */
static void current_user(char *out, size_t size)
{
    struct passwd pw, *found = NULL;
    char buf[1024];
    if (getpwuid_r(getuid(), &pw, buf, sizeof buf, &found) == 0 && found && found->pw_name[0])
        snprintf(out, size, "%s", found->pw_name);
    else
        snprintf(out, size, "uid %ld", (long)getuid());
}

int ev_finding_removed_prepare(sqlite3 *db, const char *file, sqlite3_stmt **keep, kh_error *err)
{
    *keep = NULL;
    if (ev_sql(db, file, CREATE_REMOVED, NULL, err) != 0)
        return -1;
    return ev_sql(db, file,
                  "INSERT INTO main.finding_removed (id, scorecard, item, subject_kind, "
                  "subject_id, period, answer, score, note, inspector, inspected_on, "
                  "evidence_ref, removed_at, removed_by, how) SELECT id, scorecard, item, "
                  "subject_kind, subject_id, period, answer, score, note, inspector, "
                  "inspected_on, evidence_ref, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?2, ?3 "
                  "FROM main.finding WHERE id = ?1",
                  keep, err);
}

int ev_finding_removed_keep(sqlite3_stmt *keep, const char *id, const char *how)
{
    char user[256];
    current_user(user, sizeof user);
    int rc = sqlite3_reset(keep);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(keep, 1, id, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(keep, 2, user, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(keep, 3, how, -1, SQLITE_TRANSIENT);
    return rc == SQLITE_OK ? sqlite3_step(keep) : rc;
}

int ev_findings_removed_list(const char *evidence_path,
                             int (*fn)(void *ud, const ev_finding *f, const char *const when[3]),
                             void *ud, kh_error *err)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(evidence_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        kh_seterr(err, "%s: cannot open evidence database", evidence_path);
        sqlite3_close(db);
        return -1;
    }
    sqlite3_stmt *st = NULL;
    int rc = 0, step = SQLITE_DONE;
    int present = ev_sql(db, evidence_path,
                         "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = "
                         "'finding_removed'",
                         &st, err) == 0 &&
                  sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    st = NULL;
    if (present) /* a file no removal has touched has no table: nothing was removed */
        rc = ev_sql(db, evidence_path,
                    "SELECT " EV_FINDING_COLUMNS ", removed_at, removed_by, how FROM "
                    "finding_removed ORDER BY seq",
                    &st, err);
    while (present && rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        ev_finding f = ev_finding_of(st);
        const char *when[3];
        for (int i = 0; i < 3; i++)
            when[i] = (const char *)sqlite3_column_text(st, 11 + i);
        rc = fn(ud, &f, when);
    }
    if (rc == 0 && step != SQLITE_DONE) {
        kh_seterr(err, "%s: cannot read the removed findings: %s", evidence_path,
                  sqlite3_errmsg(db));
        rc = -1;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rc;
}
