/*
 * finding_clash.c — clashing findings refused, or replaced on request, inside the writer's
 * transaction. See finding_clash_internal.h.
 */
#include "evidence/finding_clash_internal.h"

#include <stdlib.h>
#include <string.h>

#include "evidence/ev_sql_internal.h"

/* At most this many clashes are listed in one message; the rest are counted. */
enum { MAX_LISTED = 10 };

int ev_finding_clash_begin(sqlite3 *db, const char *file, kh_error *err)
{
    /* temporary tables and triggers live on the writer's connection only, and go with it */
    return ev_sql(db, file,
                  "DROP TABLE IF EXISTS temp.finding_before; DROP TABLE IF EXISTS "
                  "temp.finding_written; DROP TABLE IF EXISTS temp.finding_from; CREATE TEMP "
                  "TABLE finding_before (id TEXT PRIMARY KEY); CREATE TEMP TABLE finding_written "
                  "(id TEXT PRIMARY KEY, source TEXT); CREATE TEMP TABLE finding_from (one "
                  "INTEGER PRIMARY KEY CHECK (one = 1), name TEXT); INSERT INTO "
                  "temp.finding_before SELECT id FROM main.finding; DROP "
                  "TRIGGER IF EXISTS temp.finding_inserted; DROP TRIGGER IF EXISTS "
                  "temp.finding_updated; CREATE TEMP TRIGGER finding_inserted AFTER INSERT ON "
                  "main.finding BEGIN INSERT OR REPLACE INTO finding_written VALUES (new.id, "
                  "(SELECT name FROM temp.finding_from)); END; CREATE TEMP TRIGGER "
                  "finding_updated AFTER UPDATE ON main.finding BEGIN INSERT OR REPLACE INTO "
                  "finding_written VALUES (new.id, (SELECT name FROM temp.finding_from)); END",
                  NULL, err);
}

/* One statement of ev_finding_clash_from run with `source` bound to ?1. 0, or -1 with err. */
static int from_step(sqlite3 *db, const char *file, const char *sql, const char *source,
                     kh_error *err)
{
    sqlite3_stmt *st = NULL;
    if (ev_sql(db, file, sql, &st, err) != 0)
        return -1;
    int rc = sqlite3_bind_text(st, 1, source, -1, SQLITE_TRANSIENT);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        kh_seterr(err, "%s: cannot note the findings' source: %s", file, sqlite3_errmsg(db));
    return rc == SQLITE_DONE ? 0 : -1;
}

int ev_finding_clash_from(sqlite3 *db, const char *file, const char *source, kh_error *err)
{
    /* a checklist names its file only at commit: what it wrote so far takes the name then */
    if (from_step(db, file, "UPDATE temp.finding_written SET source = ?1 WHERE source IS NULL",
                  source, err) != 0)
        return -1;
    return from_step(db, file, "INSERT OR REPLACE INTO temp.finding_from VALUES (1, ?1)", source,
                     err);
}

/* Every finding written handed to policy->check; the problems, one line each (at most
 * MAX_LISTED, then a count), in err. 0, or -1. */
static int check_written(sqlite3 *db, const char *file, const ev_finding_policy *policy,
                         kh_error *err)
{
    sqlite3_stmt *st = NULL;
    if (ev_sql(db, file,
               "SELECT " EV_FINDING_COLUMNS " FROM main.finding WHERE id IN (SELECT id FROM "
               "temp.finding_written) ORDER BY id",
               &st, err) != 0)
        return -1;
    strbuf msg = {0};
    long bad = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ev_finding f = ev_finding_of(st);
        kh_error why;
        why.msg[0] = '\0';
        if (policy->check(policy->ud, &f, &why) != 0 && ++bad <= MAX_LISTED)
            sb_printf(&msg, "%s%s: finding %s: %s", msg.len ? "\n" : "", file, f.id, why.msg);
    }
    if (rc != SQLITE_DONE)
        kh_seterr(err, "%s: cannot read the findings written: %s", file, sqlite3_errmsg(db));
    else if (bad > MAX_LISTED)
        sb_printf(&msg, "\n%s: and %ld more findings with problems; nothing was written", file,
                  bad - MAX_LISTED);
    if (rc == SQLITE_DONE && bad)
        kh_seterr(err, "%s", sb_str(&msg));
    sb_free(&msg);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE && !bad ? 0 : -1;
}

/* The findings' keys copied and indexed on the whole key (scorecard, item, subject kind,
 * subject, period): the evidence's own index stops short of the subject, and a province's
 * findings looked up through it would take hours. */
static const char KEYS[] =
    "DROP TABLE IF EXISTS temp.finding_key; CREATE TEMP TABLE finding_key AS SELECT id, "
    "scorecard, item, subject_kind, subject_id, period, answer, inspector, inspected_on FROM "
    "main.finding; CREATE INDEX temp.finding_key_k ON finding_key(scorecard, item, "
    "subject_kind, subject_id, period)";

/* Every pair (new finding, other finding) with the same scorecard, item, subject and period:
 * the other is earlier (old = 1) or also written now (old = 0, listed once, lower id first). */
static const char CLASHES[] =
    "SELECT n.id, o.id, o.id IN (SELECT id FROM temp.finding_before) AS old, n.scorecard, n.item, "
    "n.subject_kind, n.subject_id, n.period, o.answer, o.inspector, o.inspected_on, "
    "(SELECT source FROM temp.finding_written w WHERE w.id = n.id) "
    "FROM temp.finding_key n JOIN temp.finding_key o ON o.scorecard = n.scorecard "
    "AND o.item = n.item AND o.subject_kind = n.subject_kind AND o.subject_id = n.subject_id "
    "AND o.period = n.period AND o.id != n.id "
    "WHERE n.id NOT IN (SELECT id FROM temp.finding_before) AND (old OR n.id < o.id) "
    "ORDER BY n.id, o.id";

/* One clash as read: the columns of CLASHES, copied (the statement is done before any change). */
enum { NCOLS = 12 };
typedef struct clash {
    char *c[NCOLS]; /* new id, other id, old, scorecard, item, kind, subject, period, answer,
                       inspector, date, the file the new one came from ("" when unknown) */
} clash;

typedef struct clash_list {
    clash *v;
    size_t n;
    size_t within; /* how many are among the new findings themselves */
} clash_list;

static void clash_list_free(clash_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        for (int k = 0; k < NCOLS; k++)
            free(l->v[i].c[k]);
    free(l->v);
}

/* Reads every clash of the new findings. 0, or -1 with err. */
static int read_clashes(sqlite3 *db, const char *file, clash_list *l, kh_error *err)
{
    sqlite3_stmt *st = NULL;
    if (ev_sql(db, file, KEYS, NULL, err) != 0 || ev_sql(db, file, CLASHES, &st, err) != 0)
        return -1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
        clash *c = &l->v[l->n++];
        for (int k = 0; k < NCOLS; k++) {
            const unsigned char *v = sqlite3_column_text(st, k);
            c->c[k] = xstrdup(v ? (const char *)v : "");
        }
        l->within += strcmp(c->c[2], "0") == 0;
    }
    if (rc != SQLITE_DONE)
        kh_seterr(err, "%s: cannot look for clashing findings: %s", file, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* The clashes that stop the writer, one line each (at most MAX_LISTED, then a count): those
 * among the new findings, and without replace those with earlier ones. */
static void refuse(const clash_list *l, const char *file, int replace, kh_error *err)
{
    strbuf msg = {0};
    size_t listed = 0, total = 0;
    for (size_t i = 0; i < l->n; i++) {
        char *const *t = l->v[i].c;
        int old = strcmp(t[2], "1") == 0;
        if (old && replace)
            continue;
        if (++total > MAX_LISTED)
            continue;
        listed++;
        if (old)
            sb_printf(&msg,
                      "%s%s：核查结论 %s（%s 第%s项，%s %s，考核期 %s）与已录入的核查结论 %s"
                      "（%s，%s %s）重复：请删除其一（kaohe findings remove --evidence %s %s），"
                      "或用 kaohe findings import --replace 导入以替换",
                      msg.len ? "\n" : "", file, t[0], t[3], t[4], t[5], t[6], t[7], t[1], t[8],
                      t[9], t[10], file, t[1]);
        else
            sb_printf(&msg,
                      "%s%s：核查结论 %s 与 %s 都是 %s 第%s项、%s %s、考核期 %s 的结论，"
                      "请保留其一",
                      msg.len ? "\n" : "", file, t[0], t[1], t[3], t[4], t[5], t[6], t[7]);
    }
    if (total > listed)
        sb_printf(&msg, "\n%s：另有 %zu 条核查结论重复；未写入任何内容", file, total - listed);
    kh_seterr(err, "%s", sb_str(&msg));
    sb_free(&msg);
}

/* The earlier finding of clash c deleted, and the new one noting what it replaced. */
static int replace_one(sqlite3 *db, const char *file, const clash *c, sqlite3_stmt *note,
                       sqlite3_stmt *del, sqlite3_stmt *keep, strbuf *replaced, kh_error *err)
{
    static const int COLS[] = {0, 1, 8, 9, 10}; /* new id, old id, its answer, inspector, date */
    int rc = sqlite3_reset(note) == SQLITE_OK && sqlite3_reset(del) == SQLITE_OK ? SQLITE_OK
                                                                                 : SQLITE_ERROR;
    for (int i = 0; rc == SQLITE_OK && i < 5; i++)
        rc = sqlite3_bind_text(note, i + 1, c->c[COLS[i]], -1, SQLITE_STATIC);
    if (rc == SQLITE_OK)
        rc = sqlite3_bind_text(del, 1, c->c[1], -1, SQLITE_STATIC);
    strbuf how = {0}; /* kept in finding_removed with who and when (finding_removed.c) */
    if (c->c[11][0])
        sb_printf(&how, "replaced by %s from %s (import --replace)", c->c[0], c->c[11]);
    else
        sb_printf(&how, "replaced by %s (import --replace)", c->c[0]);
    if (rc == SQLITE_OK && (rc = sqlite3_step(note)) == SQLITE_DONE &&
        (rc = ev_finding_removed_keep(keep, c->c[1], sb_str(&how))) == SQLITE_DONE)
        rc = sqlite3_step(del);
    sb_free(&how);
    if (rc != SQLITE_DONE) {
        kh_seterr(err, "%s: cannot replace finding %s: %s", file, c->c[1], sqlite3_errmsg(db));
        return -1;
    }
    char *const *t = c->c;
    sb_printf(replaced, "%s 替换 %s（%s 第%s项，%s %s，考核期 %s；原结论 %s，%s %s）\n", t[0], t[1],
              t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10]);
    return 0;
}

/* Every clash with an earlier finding settled by replacing it. 0, or -1 with err. */
static int replace_all(sqlite3 *db, const char *file, const clash_list *l, strbuf *replaced,
                       kh_error *err)
{
    sqlite3_stmt *note = NULL, *del = NULL, *keep = NULL;
    int rc = ev_sql(db, file,
                    "UPDATE main.finding SET note = note || CASE WHEN note = '' THEN '' ELSE '；' "
                    "END || '替换 ' || ?2 || '（原结论 ' || ?3 || '，' || ?4 || ' ' || ?5 || '）' "
                    "WHERE id = ?1",
                    &note, err);
    if (rc == 0)
        rc = ev_sql(db, file, "DELETE FROM main.finding WHERE id = ?1", &del, err);
    if (rc == 0)
        rc = ev_finding_removed_prepare(db, file, &keep, err);
    for (size_t i = 0; rc == 0 && i < l->n; i++)
        rc = replace_one(db, file, &l->v[i], note, del, keep, replaced, err);
    sqlite3_finalize(note);
    sqlite3_finalize(del);
    sqlite3_finalize(keep);
    return rc;
}

int ev_finding_clash_settle(sqlite3 *db, const char *file, const ev_finding_policy *policy,
                            strbuf *replaced, kh_error *err)
{
    int replace = policy && policy->replace;
    if (policy && policy->check && check_written(db, file, policy, err) != 0)
        return -1;
    clash_list l = {0};
    int rc = read_clashes(db, file, &l, err);
    if (rc == 0 && (l.within || (l.n && !replace))) {
        refuse(&l, file, replace, err);
        rc = -1;
    }
    if (rc == 0 && l.n)
        rc = replace_all(db, file, &l, replaced, err);
    clash_list_free(&l);
    return rc;
}
