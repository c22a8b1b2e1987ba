/*
 * findings.c — writes spot-check findings into the evidence database. See findings.h.
 */
#include "evidence/findings.h"
#include "evidence/ev_open_internal.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/parse.h"
#include "base/points.h"
#include "evidence/ev_open_internal.h"
#include "evidence/evidence.h"
#include "evidence/finding_clash_internal.h"

struct ev_findings {
    sqlite3 *db;
    sqlite3_stmt *ins;        /* the upsert, prepared once for the whole list */
    char *path;               /* for messages */
    ev_finding_policy policy; /* the check and clash settlement at commit */
};

int ev_finding_answer_ok(const char *answer)
{
    static const char *const OK[] = {"是", "否", "不适用", "部分"};
    for (size_t i = 0; i < sizeof OK / sizeof OK[0]; i++)
        if (strcmp(answer, OK[i]) == 0)
            return 1;
    return 0;
}

/* "PATH: cannot record the findings: WHY" from the connection's last error. */
static void failed(ev_findings *f, kh_error *err)
{
    kh_seterr(err, "%s: cannot record the findings: %s", f->path, sqlite3_errmsg(f->db));
}

/* Discards the transaction and the connection (closing a connection rolls back what it has
 * not committed, so a failed ROLLBACK loses nothing more). */
static void close_findings(ev_findings *f)
{
    sqlite3_finalize(f->ins);
    sqlite3_exec(f->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(f->db);
    free(f->path);
    free(f);
}

ev_findings *ev_findings_begin(const char *evidence_path, const ev_finding_policy *policy,
                               kh_error *err)
{
    sqlite3 *db = NULL;
    if (access(evidence_path, W_OK) != 0 ||
        sqlite3_open_v2(evidence_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        kh_seterr(err, "%s: cannot open evidence database for writing", evidence_path);
        sqlite3_close(db);
        return NULL;
    }
    /* a trigger in the file would fire on every finding written (ev_guard) */
    sqlite3_busy_timeout(db, 5000);
    if (ev_guard(db, evidence_path, err) != 0) {
        sqlite3_close(db);
        return NULL;
    }
    ev_findings *f = xcalloc(1, sizeof *f);
    f->db = db;
    f->path = xstrdup(evidence_path);
    if (policy)
        f->policy = *policy;
    /* another import or checklist writing the same evidence: wait for it rather than fail */
    if (sqlite3_busy_timeout(db, 5000) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "INSERT INTO finding (id, scorecard, item, subject_kind, subject_id, "
                           "period, answer, score, note, inspector, inspected_on) VALUES (?, ?, "
                           "?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET answer = "
                           "excluded.answer, score = excluded.score, note = excluded.note, "
                           "inspector = excluded.inspector, inspected_on = excluded.inspected_on",
                           -1, &f->ins, NULL) != SQLITE_OK) {
        failed(f, err);
        close_findings(f);
        return NULL;
    }
    if (ev_finding_clash_begin(db, evidence_path, err) != 0) {
        close_findings(f);
        return NULL;
    }
    return f;
}

/* The value of x the finding table would take wrongly or not at all: its field (and err), or
 * EV_FINDING_ROW when all are good. The score is parsed exactly into *score, the date
 * normalized into date; *has_score says whether there is a score. */
static ev_finding_field check(const ev_finding *x, points_t *score, int *has_score, char date[11],
                              kh_error *err)
{
    *has_score = x->score && *x->score;
    if (!x->answer || !ev_finding_answer_ok(x->answer)) {
        kh_seterr(err, "'%s' is not 是, 否, 不适用 or 部分", x->answer ? x->answer : "");
        return EV_FINDING_ANSWER;
    }
    if (*has_score && points_parse(x->score, score) != 0) {
        kh_seterr(err,
                  "'%s' is not a score (a number of points with at most two decimals, e.g. 1.5)",
                  x->score);
        return EV_FINDING_SCORE;
    }
    if (!*has_score && strcmp(x->answer, "部分") == 0) {
        kh_seterr(err, "部分 needs a score");
        return EV_FINDING_SCORE;
    }
    if (!x->inspector || !*x->inspector) {
        kh_seterr(err, "no inspector");
        return EV_FINDING_INSPECTOR;
    }
    if (!x->inspected_on || kh_parse_date(x->inspected_on, date) != 0) {
        kh_seterr(err, "'%s' is not a date", x->inspected_on ? x->inspected_on : "");
        return EV_FINDING_DATE;
    }
    return EV_FINDING_ROW;
}

int ev_findings_put(ev_findings *f, const ev_finding *x, ev_finding_field *bad, kh_error *err)
{
    points_t score = 0;
    int has_score;
    char date[11];
    *bad = check(x, &score, &has_score, date, err);
    if (*bad != EV_FINDING_ROW)
        return -1;
    /* the upsert's parameters in order; the eighth, the score, is bound as a number */
    const char *text[11] = {x->id,     x->scorecard, x->item, x->subject_kind,        x->subject_id,
                            x->period, x->answer,    NULL,    x->note ? x->note : "", x->inspector,
                            date};
    sqlite3_stmt *st = f->ins;
    int rc = sqlite3_reset(st);
    for (int i = 0; i < 11 && rc == SQLITE_OK; i++)
        rc = i != 7      ? sqlite3_bind_text(st, i + 1, text[i], -1, SQLITE_TRANSIENT)
             : has_score ? sqlite3_bind_double(st, i + 1, points_to_double(score))
                         : sqlite3_bind_null(st, i + 1);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) {
        kh_seterr(err, "refused by the schema: %s", sqlite3_errmsg(f->db));
        return -1;
    }
    return 0;
}

/* Adds the list's line to import_log. 0, or -1 with err. */
static int log_import(ev_findings *f, const char *source, long read, long accepted, kh_error *err)
{
    char sha[65];
    if (kh_sha256_file(source, sha, err) != 0)
        return -1;
    sqlite3_stmt *log = NULL;
    int rc = sqlite3_prepare_v2(f->db,
                                "INSERT INTO import_log (file, sha256, tbl, encoding, rows_read, "
                                "accepted, rejected, imported_at) VALUES (?, ?, 'finding', "
                                "'xlsx', ?, ?, 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                                -1, &log, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(log, 1, source, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(log, 2, sha, -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(log, 3, read);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_int64(log, 4, accepted);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(log);
    if (rc != SQLITE_DONE)
        failed(f, err);
    sqlite3_finalize(log);
    return rc == SQLITE_DONE ? 0 : -1;
}

int ev_findings_commit(ev_findings *f, const char *source, long read, long accepted,
                       strbuf *replaced, kh_error *err)
{
    if (ev_finding_clash_from(f->db, f->path, source, err) != 0 ||
        ev_finding_clash_settle(f->db, f->path, &f->policy, replaced, err) != 0 ||
        log_import(f, source, read, accepted, err) != 0) {
        close_findings(f);
        return -1;
    }
    sqlite3_finalize(f->ins);
    f->ins = NULL;
    if (sqlite3_exec(f->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        failed(f, err);
        close_findings(f);
        return -1;
    }
    int rc = sqlite3_close(f->db) == SQLITE_OK ? 0 : -1;
    if (rc != 0)
        kh_seterr(err, "%s: cannot close the evidence database after recording the findings",
                  f->path);
    free(f->path);
    free(f);
    return rc;
}

void ev_findings_abort(ev_findings *f)
{
    if (f)
        close_findings(f);
}
