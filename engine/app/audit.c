/*
 * audit.c — reproduce, explain, diff (回头看) and sample (抽查). See audit.h.
 */
#include "app/audit.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app/run.h"
#include "app/shards.h"
#include "base/parse.h"
#include "evidence/evidence.h"
#include "evidence/import.h"
#include "report/report.h"
#include "report/xlsx_read.h"
#include "store/results.h"
#include "store/store_internal.h"

/* ---- a recorded run ---------------------------------------------------------------------- */

typedef struct kv {
    char *key;   /* scorecard|kind|subject|item */
    char *value; /* score: status|points_x100; deduction: table|key|points_x100 */
} kv;

typedef struct kv_list {
    kv *v;
    size_t n, cap;
} kv_list;

struct stored_run {
    char *source; /* what it was read from, for messages */
    char *started_at, *engine, *period, *params, *deadline;
    char *language_path, *language_sha;
    char **sc_id, **sc_file, **sc_sha;
    size_t nsc, capsc;
    char *evidence_path, *evidence_sha;
    char **ev_table, **ev_sha;
    size_t nev, capev;
    kv_list scores, deductions;
    char next_sheet[32]; /* a manifest longer than a sheet goes on in this one */
    /* a merged run: its parts' evidence and its hash, in part order */
    char **part_ev, **part_sha;
    size_t nparts;
    int summary_workbook; /* a provincial summary workbook: no per-row records */
};

static char *dup0(const char *s)
{
    return xstrdup(s ? s : "");
}

static void kv_add(kv_list *l, const char *sc, const char *kind, const char *subject,
                   const char *item, const char *value)
{
    size_t k = KH_PUSH(l->v, l->n, l->cap);
    strbuf key = {0};
    sb_printf(&key, "%s|%s|%s|%s", sc, kind, subject, item);
    l->v[k].key = sb_take(&key);
    l->v[k].value = dup0(value);
}

static int kv_cmp(const void *a, const void *b)
{
    const kv *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->value, y->value);
}

static void kv_free(kv_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].key);
        free(l->v[i].value);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

static void add_scorecard(stored_run *r, const char *id, const char *file, const char *sha)
{
    size_t k = r->nsc;
    size_t cap = r->capsc;
    KH_PUSH(r->sc_id, r->nsc, r->capsc);
    if (r->capsc != cap) {
        r->sc_file = xrealloc(r->sc_file, r->capsc * sizeof *r->sc_file);
        r->sc_sha = xrealloc(r->sc_sha, r->capsc * sizeof *r->sc_sha);
    }
    r->sc_id[k] = dup0(id);
    r->sc_file[k] = dup0(file);
    r->sc_sha[k] = dup0(sha);
}

static void add_evidence_table(stored_run *r, const char *table, const char *sha)
{
    size_t k = r->nev;
    size_t cap = r->capev;
    KH_PUSH(r->ev_table, r->nev, r->capev);
    if (r->capev != cap)
        r->ev_sha = xrealloc(r->ev_sha, r->capev * sizeof *r->ev_sha);
    r->ev_table[k] = dup0(table);
    r->ev_sha[k] = dup0(sha);
}

void stored_run_free(stored_run *r)
{
    if (!r)
        return;
    free(r->source);
    free(r->started_at);
    free(r->engine);
    free(r->period);
    free(r->params);
    free(r->deadline);
    free(r->language_path);
    free(r->language_sha);
    for (size_t i = 0; i < r->nsc; i++) {
        free(r->sc_id[i]);
        free(r->sc_file[i]);
        free(r->sc_sha[i]);
    }
    free(r->sc_id);
    free(r->sc_file);
    free(r->sc_sha);
    free(r->evidence_path);
    free(r->evidence_sha);
    for (size_t i = 0; i < r->nev; i++) {
        free(r->ev_table[i]);
        free(r->ev_sha[i]);
    }
    free(r->ev_table);
    free(r->ev_sha);
    kv_free(&r->scores);
    kv_free(&r->deductions);
    for (size_t i = 0; i < r->nparts; i++) {
        free(r->part_ev[i]);
        free(r->part_sha[i]);
    }
    free(r->part_ev);
    free(r->part_sha);
    free(r);
}

static int open_results(const char *path, sqlite3 **db, kh_error *err)
{
    if (access(path, R_OK) != 0) {
        kh_seterr(err, "%s: no such results database", path);
        return -1;
    }
    if (sqlite3_open_v2(path, db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        kh_seterr(err, "%s: cannot open results database: %s", path, sqlite3_errmsg(*db));
        sqlite3_close(*db);
        return -1;
    }
    return 0;
}

/* The run id asked for, or the latest; 0 with err set if there is none. */
static int64_t resolve_run(sqlite3 *db, const char *path, int64_t run, kh_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, run ? "SELECT id FROM run WHERE id = ?" : "SELECT max(id) FROM run",
                           -1, &st, NULL) != SQLITE_OK) {
        kh_seterr(err, "%s: not a kaohe results database (%s)", path, sqlite3_errmsg(db));
        return 0;
    }
    if (run)
        sqlite3_bind_int64(st, 1, run);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (!id)
        kh_seterr(err, "%s: no run %lld (see: sqlite3 %s 'SELECT id, started_at, period FROM run')",
                  path, (long long)run, path);
    return id;
}

stored_run *stored_run_from_results(const char *results, int64_t run, kh_error *err)
{
    sqlite3 *db = NULL;
    if (open_results(results, &db, err) != 0)
        return NULL;
    int64_t id = resolve_run(db, results, run, err);
    if (!id) {
        sqlite3_close(db);
        return NULL;
    }
    stored_run *r = xcalloc(1, sizeof *r);
    strbuf src = {0};
    sb_printf(&src, "%s run %lld", results, (long long)id);
    r->source = sb_take(&src);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(db,
                       "SELECT started_at, engine_version, period, params, evidence_path, "
                       "evidence_hash, language_sha256 FROM run WHERE id = ?",
                       -1, &st, NULL);
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        r->started_at = dup0(results_col_text(st, 0));
        r->engine = dup0(results_col_text(st, 1));
        r->period = dup0(results_col_text(st, 2));
        r->params = dup0(results_col_text(st, 3));
        r->evidence_path = dup0(results_col_text(st, 4));
        r->evidence_sha = dup0(results_col_text(st, 5));
        r->language_sha = dup0(results_col_text(st, 6));
    }
    sqlite3_finalize(st);
    static const char *const Q[] = {
        "SELECT scorecard_id, file, sha256 FROM run_scorecard WHERE run_id = ?1 ORDER BY rowid",
        "SELECT tbl, sha256 FROM run_evidence WHERE run_id = ?1 ORDER BY tbl",
        "SELECT scorecard_id, subject_kind, subject_id, item, status || '|' || "
        "coalesce(points_x100, '') FROM score WHERE run_id = ?1",
        "SELECT scorecard_id, subject_kind, subject_id, item, evidence_table || '|' || "
        "evidence_key || '|' || points_x100 FROM deduction WHERE run_id = ?1"};
    for (int q = 0; q < 4; q++) {
        sqlite3_prepare_v2(db, Q[q], -1, &st, NULL);
        sqlite3_bind_int64(st, 1, id);
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (q == 0)
                add_scorecard(r, results_col_text(st, 0), results_col_text(st, 1),
                              results_col_text(st, 2));
            else if (q == 1)
                add_evidence_table(r, results_col_text(st, 0), results_col_text(st, 1));
            else
                kv_add(q == 2 ? &r->scores : &r->deductions, results_col_text(st, 0),
                       results_col_text(st, 1), results_col_text(st, 2), results_col_text(st, 3),
                       results_col_text(st, 4));
        }
        sqlite3_finalize(st);
    }
    /* a merged run's parts (results databases from before merges existed have no run_part) */
    if (sqlite3_prepare_v2(db,
                           "SELECT evidence_path, evidence_hash FROM run_part WHERE run_id = ? "
                           "ORDER BY seq",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        while (sqlite3_step(st) == SQLITE_ROW) {
            r->part_ev = xrealloc(r->part_ev, (r->nparts + 1) * sizeof *r->part_ev);
            r->part_sha = xrealloc(r->part_sha, (r->nparts + 1) * sizeof *r->part_sha);
            r->part_ev[r->nparts] = dup0(results_col_text(st, 0));
            r->part_sha[r->nparts] = dup0(results_col_text(st, 1));
            r->nparts++;
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return r;
}

static const char *cell(size_t n, const char *const *cells, size_t i)
{
    return i < n && cells[i] ? cells[i] : "";
}

static int manifest_row(long row, size_t n, const char *const *c, void *ud)
{
    (void)row;
    stored_run *r = ud;
    const char *type = cell(n, c, 0);
    if (strcmp(type, "summary") == 0) {
        r->summary_workbook = 1;
    } else if (strcmp(type, "continued") == 0) {
        snprintf(r->next_sheet, sizeof r->next_sheet, "%s", cell(n, c, 1));
    } else if (strcmp(type, "run") == 0) {
        r->started_at = dup0(cell(n, c, 1));
        r->engine = dup0(cell(n, c, 3));
        r->period = dup0(cell(n, c, 4));
        r->params = dup0(cell(n, c, 5));
        r->deadline = dup0(cell(n, c, 6));
    } else if (strcmp(type, "language") == 0) {
        r->language_path = dup0(cell(n, c, 1));
        r->language_sha = dup0(cell(n, c, 2));
    } else if (strcmp(type, "scorecard") == 0) {
        add_scorecard(r, cell(n, c, 1), cell(n, c, 2), cell(n, c, 3));
    } else if (strcmp(type, "evidence") == 0) {
        r->evidence_path = dup0(cell(n, c, 1));
        r->evidence_sha = dup0(cell(n, c, 2));
    } else if (strcmp(type, "evidence_table") == 0) {
        add_evidence_table(r, cell(n, c, 1), cell(n, c, 3));
    } else if (strcmp(type, "score") == 0) {
        strbuf v = {0};
        sb_printf(&v, "%s|%s", cell(n, c, 5), cell(n, c, 6));
        kv_add(&r->scores, cell(n, c, 1), cell(n, c, 2), cell(n, c, 3), cell(n, c, 4), sb_str(&v));
        sb_free(&v);
    } else if (strcmp(type, "deduction") == 0) {
        strbuf v = {0};
        sb_printf(&v, "%s|%s|%s", cell(n, c, 5), cell(n, c, 6), cell(n, c, 7));
        kv_add(&r->deductions, cell(n, c, 1), cell(n, c, 2), cell(n, c, 3), cell(n, c, 4),
               sb_str(&v));
        sb_free(&v);
    }
    return 0;
}

stored_run *stored_run_from_workbook(const char *xlsx, kh_error *err)
{
    stored_run *r = xcalloc(1, sizeof *r);
    r->source = xstrdup(xlsx);
    char sheet[32] = "kaohe_manifest";
    while (sheet[0]) {
        r->next_sheet[0] = '\0';
        if (xlsx_read_sheet(xlsx, sheet, manifest_row, r, err) != 0) {
            stored_run_free(r);
            return NULL;
        }
        memcpy(sheet, r->next_sheet, sizeof sheet);
    }
    if (r->summary_workbook) {
        kh_seterr(err,
                  "%s: a provincial summary workbook (a run over several counties) carries no "
                  "per-row records; reproduce it from its results database (--results)",
                  xlsx);
        stored_run_free(r);
        return NULL;
    }
    if (!r->period || !r->nsc) {
        kh_seterr(err, "%s: the kaohe_manifest sheet holds no run (a workbook from kaohe run?)",
                  xlsx);
        stored_run_free(r);
        return NULL;
    }
    return r;
}

/* ---- reproduce --------------------------------------------------------------------------- */

static void outcome_lists(const kh_run_outcome *o, kv_list *scores, kv_list *deds)
{
    const kh_results *res = &o->results;
    char v[64];
    for (size_t i = 0; i < res->nscores; i++) {
        const kh_score *s = &res->scores[i];
        if (s->status == ST_PENDING)
            snprintf(v, sizeof v, "%s|", kh_status_code(s->status));
        else
            snprintf(v, sizeof v, "%s|%lld", kh_status_code(s->status), (long long)s->points);
        kv_add(scores, o->scs[s->sc]->id, res->sets[s->set].kind,
               res->sets[s->set].items[s->subject].id, o->scs[s->sc]->items[s->item].no, v);
    }
    for (size_t i = 0; i < res->ndeductions; i++) {
        const kh_deduction *d = &res->deductions[i];
        strbuf val = {0};
        sb_printf(&val, "%s|%s|%lld", d->table, d->key, (long long)d->points);
        kv_add(deds, o->scs[d->sc]->id, res->sets[d->set].kind,
               res->sets[d->set].items[d->subject].id, o->scs[d->sc]->items[d->item].no,
               sb_str(&val));
        sb_free(&val);
    }
}

/* "status|x100" → "扣分 -0.40" for people. */
static void show_score(const char *v, char *buf, size_t size)
{
    char status[32] = "", pts[32] = "";
    const char *bar = strchr(v, '|');
    snprintf(status, sizeof status, "%.*s", bar ? (int)(bar - v) : (int)strlen(v), v);
    if (bar && bar[1]) {
        points_t p = strtoll(bar + 1, NULL, 10);
        points_format2(p, pts, sizeof pts);
    }
    snprintf(buf, size, "%s%s%s", status, pts[0] ? " " : "", pts);
}

/* Compares two lists sorted by (key, value), key by key; prints what differs (for deductions
 * only the evidence rows removed and added); returns how many keys differ. */
static long compare(const kv_list *was, const kv_list *now, int deductions, FILE *out)
{
    long differ = 0;
    size_t i = 0, j = 0;
    while (i < was->n || j < now->n) {
        const char *key = i < was->n && (j >= now->n || strcmp(was->v[i].key, now->v[j].key) <= 0)
                              ? was->v[i].key
                              : now->v[j].key;
        size_t i0 = i, j0 = j;
        while (i < was->n && strcmp(was->v[i].key, key) == 0)
            i++;
        while (j < now->n && strcmp(now->v[j].key, key) == 0)
            j++;
        /* the values of this key on both sides, each sorted: a merge finds what changed */
        strbuf removed = {0}, added = {0};
        size_t a = i0, b = j0;
        while (a < i || b < j) {
            int c = a >= i ? 1 : b >= j ? -1 : strcmp(was->v[a].value, now->v[b].value);
            if (c < 0)
                sb_printf(&removed, "%s%s", removed.len ? "; " : "", was->v[a++].value);
            else if (c > 0)
                sb_printf(&added, "%s%s", added.len ? "; " : "", now->v[b++].value);
            else
                a++, b++;
        }
        if (removed.len || added.len) {
            differ++;
            if (differ <= 200) {
                if (deductions) {
                    fprintf(out, "  扣分证据不同 %s：", key);
                    if (removed.len)
                        fprintf(out, "原有现无 %s", sb_str(&removed));
                    if (added.len)
                        fprintf(out, "%s现有原无 %s", removed.len ? "；" : "", sb_str(&added));
                    fprintf(out, "\n");
                } else {
                    char x[64], y[64];
                    show_score(sb_str(&removed), x, sizeof x);
                    show_score(sb_str(&added), y, sizeof y);
                    fprintf(out, "  得分不同 %s：原 %s → 现 %s\n", key,
                            removed.len ? x : "（无此项）", added.len ? y : "（无此项）");
                }
            }
        }
        sb_free(&removed);
        sb_free(&added);
    }
    if (differ > 200)
        fprintf(out, "  ……另有 %ld 处不同\n", differ - 200);
    return differ;
}

/* "sc.param=value; sc.param=value" → overrides (the last dot separates scorecard id and name) */
static size_t parse_params(const char *text, kh_override **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    char *copy = xstrdup(text ? text : "");
    for (char *tok = strtok(copy, ";"); tok; tok = strtok(NULL, ";")) {
        while (*tok == ' ')
            tok++;
        char *eq = strchr(tok, '=');
        if (!eq)
            continue;
        *eq = '\0';
        char *dot = strrchr(tok, '.');
        const char *name = dot ? dot + 1 : tok;
        int dup = 0;
        for (size_t i = 0; i < n; i++)
            dup |= strcmp((*out)[i].name, name) == 0;
        if (dup)
            continue; /* two scorecards declaring one name are given one value */
        size_t k = KH_PUSH(*out, n, cap);
        (*out)[k].name = xstrdup(name);
        (*out)[k].value = xstrdup(eq + 1);
        (*out)[k].used = 0;
    }
    free(copy);
    return n;
}

static int compare_all(const stored_run *r, kv_list *scores_in, kv_list *deds_in, int changed,
                       FILE *out);

/* The recorded run's scorecards, period and parameters, to run it again. */
static void rerun_options(const stored_run *r, kh_run_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->period = r->period;
    opt->scorecards = (const char *const *)r->sc_file;
    opt->nscorecards = r->nsc;
    opt->noverrides = parse_params(r->params, &opt->overrides);
}

static void rerun_options_free(kh_run_options *opt)
{
    for (size_t i = 0; i < opt->noverrides; i++) {
        free(opt->overrides[i].name);
        free(opt->overrides[i].value);
    }
    free(opt->overrides);
}

/* 1 (and says so) if the scorecard language the re-run used is not the recorded one. */
static int language_changed(const stored_run *r, const kh_run_outcome *o, FILE *out)
{
    if (strcmp(o->manifest.language_sha256, r->language_sha) == 0)
        return 0;
    fprintf(out, "  考核表语言文件已改动：%s\n", o->manifest.language_path);
    return 1;
}

/* A merged run (a province in shards): each part's evidence is checked against the hash
 * recorded for it, the shards are run and merged again exactly as before, and the merged
 * scores and deductions compared. */
static int reproduce_merged(const stored_run *r, const char *evidence_path, int changed, FILE *out,
                            kh_error *err)
{
    if (evidence_path) {
        kh_seterr(err,
                  "%s is a run merged from %zu parts: its evidence is the parts' (listed in "
                  "run_part); --evidence cannot replace them",
                  r->source, r->nparts);
        return -1;
    }
    for (size_t i = 0; i < r->nparts; i++) {
        evidence *ev = ev_open(r->part_ev[i], err);
        if (!ev)
            return -1;
        ev_hash h;
        int rc = ev_content_hash(ev, &h, err);
        ev_close(ev);
        if (rc != 0)
            return -1;
        if (strcmp(h.sha256, r->part_sha[i]) != 0) {
            fprintf(out, "  证据库已改动：%s\n", r->part_ev[i]);
            changed = 1;
        }
        ev_hash_free(&h);
    }
    kh_run_options opt;
    rerun_options(r, &opt);
    opt.spill_after = 200000;
    const char *dir = getenv("TMPDIR");
    strbuf tmp = {0};
    sb_printf(&tmp, "%s/kaohe-reproduce-%ld.db", dir && *dir ? dir : "/tmp", (long)getpid());
    unlink(sb_str(&tmp));
    opt.results_db = sb_str(&tmp);
    kh_run_outcome o;
    int rc = kh_run_shards(&opt, r->part_ev, r->nparts, kh_default_jobs(), &o, err);
    rerun_options_free(&opt);
    kv_list scores = {0}, deds = {0};
    if (rc == 0) {
        changed |= language_changed(r, &o, out);
        outcome_lists(&o, &scores, &deds);
        /* the deductions (and, over several counties, the scores) were streamed into the
         * re-run's results database: read them back in the stored run's format */
        static const char *const Q[2] = {
            "SELECT scorecard_id, subject_kind, subject_id, item, status || '|' || "
            "coalesce(points_x100, '') FROM score WHERE run_id = ?",
            "SELECT scorecard_id, subject_kind, subject_id, item, evidence_table || '|' || "
            "evidence_key || '|' || points_x100 FROM deduction WHERE run_id = ?"};
        sqlite3 *db = NULL;
        if (sqlite3_open_v2(sb_str(&tmp), &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
            rc = -1;
        for (int q = o.results.nscores ? 1 : 0; rc == 0 && q < 2; q++) {
            sqlite3_stmt *st = NULL;
            if (sqlite3_prepare_v2(db, Q[q], -1, &st, NULL) != SQLITE_OK) {
                rc = -1;
                break;
            }
            sqlite3_bind_int64(st, 1, o.run_id);
            while (sqlite3_step(st) == SQLITE_ROW)
                kv_add(q ? &deds : &scores, results_col_text(st, 0), results_col_text(st, 1),
                       results_col_text(st, 2), results_col_text(st, 3), results_col_text(st, 4));
            sqlite3_finalize(st);
        }
        if (rc != 0)
            kh_seterr(err, "%s: cannot read the re-run's results", sb_str(&tmp));
        sqlite3_close(db);
    }
    kh_run_outcome_free(&o);
    unlink(sb_str(&tmp));
    sb_free(&tmp);
    if (rc != 0) {
        kv_free(&scores);
        kv_free(&deds);
        return -1;
    }
    return compare_all(r, &scores, &deds, changed, out);
}

int kh_reproduce(const stored_run *r, const char *evidence_path, FILE *out, kh_error *err)
{
    const char *ev_path = evidence_path ? evidence_path : r->evidence_path;
    fprintf(out, "复核：%s（运行于 %s，考核期 %s，引擎 %s）\n", r->source, r->started_at, r->period,
            r->engine);
    int changed = 0;
    /* what changed since: scorecard files, the language, evidence tables */
    for (size_t i = 0; i < r->nsc; i++) {
        char sha[65];
        kh_error e2;
        if (kh_sha256_file(r->sc_file[i], sha, &e2) != 0) {
            kh_seterr(err,
                      "%s: the scorecard file of the run is missing (run from the directory "
                      "the run was made in)",
                      r->sc_file[i]);
            return -1;
        }
        if (strcmp(sha, r->sc_sha[i]) != 0) {
            fprintf(out, "  考核表文件已改动：%s（%s）\n", r->sc_file[i], r->sc_id[i]);
            changed = 1;
        }
    }
    if (r->nparts)
        return reproduce_merged(r, evidence_path, changed, out, err);
    evidence *ev = ev_open(ev_path, err);
    if (!ev)
        return -1;
    ev_hash h;
    int rc = ev_content_hash(ev, &h, err);
    ev_close(ev);
    if (rc != 0)
        return -1;
    for (size_t i = 0; i < r->nev; i++) {
        const char *now = NULL;
        for (size_t k = 0; k < h.count; k++)
            if (strcmp(h.tables[k].table, r->ev_table[i]) == 0)
                now = h.tables[k].sha256;
        if (!now || strcmp(now, r->ev_sha[i]) != 0) {
            fprintf(out, "  证据表已改动：%s%s\n", r->ev_table[i], now ? "" : "（已不存在）");
            changed = 1;
        }
    }
    for (size_t k = 0; k < h.count; k++) {
        int known = 0;
        for (size_t i = 0; i < r->nev; i++)
            known |= strcmp(h.tables[k].table, r->ev_table[i]) == 0;
        if (!known) {
            fprintf(out, "  证据表为新增：%s\n", h.tables[k].table);
            changed = 1;
        }
    }
    ev_hash_free(&h);
    /* the same run again */
    kh_run_options opt;
    rerun_options(r, &opt);
    opt.evidence_path = ev_path;
    kh_run_outcome o;
    rc = kh_run(&opt, &o, err);
    rerun_options_free(&opt);
    if (rc != 0) {
        kh_run_outcome_free(&o);
        return -1;
    }
    changed |= language_changed(r, &o, out);
    kv_list scores = {0}, deds = {0};
    outcome_lists(&o, &scores, &deds);
    kh_run_outcome_free(&o);
    return compare_all(r, &scores, &deds, changed, out);
}

/* Compares the recorded scores and deductions with a re-run's (both lists are consumed). */
static int compare_all(const stored_run *r, kv_list *scores_in, kv_list *deds_in, int changed,
                       FILE *out)
{
    kv_list scores = *scores_in, deds = *deds_in;
    kv_list was_s = r->scores, was_d = r->deductions; /* sorted copies */
    kv_list ws = {xcalloc(was_s.n + 1, sizeof(kv)), was_s.n, was_s.n};
    kv_list wd = {xcalloc(was_d.n + 1, sizeof(kv)), was_d.n, was_d.n};
    memcpy(ws.v, was_s.v, was_s.n * sizeof(kv));
    memcpy(wd.v, was_d.v, was_d.n * sizeof(kv));
    qsort(ws.v, ws.n, sizeof(kv), kv_cmp);
    qsort(wd.v, wd.n, sizeof(kv), kv_cmp);
    if (scores.n)
        qsort(scores.v, scores.n, sizeof(kv), kv_cmp);
    if (deds.n) /* a re-run with no deductions has no array */
        qsort(deds.v, deds.n, sizeof(kv), kv_cmp);
    long ds = compare(&ws, &scores, 0, out);
    long dd = compare(&wd, &deds, 1, out);
    free(ws.v);
    free(wd.v);
    size_t ns = scores.n, nd = deds.n;
    kv_free(&scores);
    kv_free(&deds);
    if (ds == 0 && dd == 0) {
        fprintf(out, "结果一致：%zu 条评分、%zu 条扣分记录与原运行完全相同%s\n", ns, nd,
                changed ? "（上列改动未影响结果）" : "");
        return 0;
    }
    fprintf(out, "结果不同：%ld 项得分、%ld 项扣分证据与原运行不同\n", ds, dd);
    return 1;
}

/* ---- explain ----------------------------------------------------------------------------- */

int kh_explain(const char *results, int64_t run, const char *subject, const char *item,
               const char *evidence_path, FILE *out, kh_error *err)
{
    sqlite3 *db = NULL;
    if (open_results(results, &db, err) != 0)
        return -1;
    int64_t id = resolve_run(db, results, run, err);
    if (!id) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_stmt *st = NULL;
    char *recorded = NULL;
    sqlite3_prepare_v2(db, "SELECT evidence_path FROM run WHERE id = ?", -1, &st, NULL);
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        recorded = dup0(results_col_text(st, 0));
    sqlite3_finalize(st);
    evidence *ev = ev_open(evidence_path ? evidence_path : recorded, err);
    free(recorded);
    if (!ev) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_prepare_v2(
        db,
        "SELECT s.scorecard_id, c.title, s.subject_kind, s.subject_name, s.item, "
        "i.text, s.max_points, s.points, s.status, s.reason FROM score s "
        "JOIN run_scorecard c ON c.run_id = s.run_id AND c.scorecard_id = s.scorecard_id "
        "LEFT JOIN item i ON i.run_id = s.run_id AND i.scorecard_id = s.scorecard_id "
        "AND i.item = s.item WHERE s.run_id = ?1 AND s.subject_id = ?2 "
        "AND (?3 IS NULL OR s.item = ?3) ORDER BY c.rowid, i.seq",
        -1, &st, NULL);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, subject, -1, SQLITE_STATIC);
    if (item)
        sqlite3_bind_text(st, 3, item, -1, SQLITE_STATIC);
    sqlite3_stmt *dq = NULL;
    sqlite3_prepare_v2(db,
                       "SELECT evidence_table, evidence_key, points, reason FROM deduction "
                       "WHERE run_id = ? AND scorecard_id = ? AND subject_kind = ? AND "
                       "subject_id = ? AND item = ? ORDER BY rowid",
                       -1, &dq, NULL);
    long shown = 0;
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW) {
        if (shown++ == 0)
            fprintf(out, "%s（%s）— 运行 %lld\n", results_col_text(st, 3), subject, (long long)id);
        const char *status = results_col_text(st, 8);
        fprintf(out, "\n[%s] 第%s项 %s\n  %s：%s%s%s — %s\n", results_col_text(st, 1),
                results_col_text(st, 4), results_col_text(st, 5),
                strcmp(status, "pending") == 0 ? "待核实" : "得分", results_col_text(st, 7),
                sqlite3_column_type(st, 6) == SQLITE_NULL ? "" : " / ",
                sqlite3_column_type(st, 6) == SQLITE_NULL ? "" : results_col_text(st, 6),
                results_col_text(st, 9));
        sqlite3_reset(dq);
        sqlite3_bind_int64(dq, 1, id);
        sqlite3_bind_text(dq, 2, results_col_text(st, 0), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(dq, 3, results_col_text(st, 2), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(dq, 4, subject, -1, SQLITE_STATIC);
        sqlite3_bind_text(dq, 5, results_col_text(st, 4), -1, SQLITE_TRANSIENT);
        while (rc == 0 && sqlite3_step(dq) == SQLITE_ROW) {
            const char *table = results_col_text(dq, 0), *key = results_col_text(dq, 1);
            fprintf(out, "  证据 %s %s（扣 %s 分）：%s\n", table, key, results_col_text(dq, 2),
                    results_col_text(dq, 3));
            /* the row itself; every table a deduction names has an id column */
            char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" WHERE id = :key", table);
            kh_param p = {"key", {.type = KH_TEXT, .s = key}};
            ev_cursor *c = NULL;
            if (ev_query(ev, sql, &p, 1, "explain:", &c, err) != 0) {
                sqlite3_free(sql);
                rc = -1;
                break;
            }
            sqlite3_free(sql);
            int found = 0;
            while (ev_step(c, err) == 1) {
                found = 1;
                fprintf(out, "    ");
                for (int i = 0; i < ev_ncols(c); i++)
                    fprintf(out, "%s%s=%s", i ? "，" : "", ev_colname(c, i), ev_text(c, i));
                fprintf(out, "\n");
            }
            ev_done(c);
            if (!found)
                fprintf(out, "    （证据库中已无此行：证据在运行后被改动）\n");
        }
    }
    sqlite3_finalize(st);
    sqlite3_finalize(dq);
    sqlite3_close(db);
    ev_close(ev);
    if (rc == 0 && shown == 0) {
        kh_seterr(err, "%s: run %lld has no subject %s%s%s", results, (long long)id, subject,
                  item ? " with item " : "", item ? item : "");
        rc = -1;
    }
    return rc;
}

/* ---- diff (回头看) ------------------------------------------------------------------------- */

int kh_diff(const char *results, int64_t run_a, int64_t run_b, const char *ledger_xlsx, FILE *out,
            diff_counts *counts, kh_error *err)
{
    memset(counts, 0, sizeof *counts);
    sqlite3 *db = NULL;
    if (open_results(results, &db, err) != 0)
        return -1;
    if (!resolve_run(db, results, run_a, err) || !resolve_run(db, results, run_b, err)) {
        sqlite3_close(db);
        return -1;
    }
    /* every (scorecard, subject, item) lost in either run, with both outcomes */
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(
        db,
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
        -1, &st, NULL);
    sqlite3_bind_int64(st, 1, run_a);
    sqlite3_bind_int64(st, 2, run_b);
    static const char *const heads[] = {"序号",     "单位",     "考核表",   "项目",
                                        "重点工作", "具体内容", "工作进度", "备注"};
    static const double widths[] = {6, 18, 20, 6, 36, 44, 10, 24};
    char **cells = NULL;
    size_t nrows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        int before = sqlite3_column_type(st, 5) != SQLITE_NULL;
        int now = sqlite3_column_type(st, 6) != SQLITE_NULL;
        const char *status, *note;
        if (before && !now) {
            counts->rectified++;
            status = "已销号";
            note = "回头看：已整改";
        } else if (before && now) {
            counts->persisting++;
            status = "未整改";
            note = "回头看：问题仍然存在";
        } else {
            counts->fresh++;
            status = "未整改";
            note = "回头看：新发现问题";
        }
        const char *b_status = results_col_text(st, 7);
        char extra[160];
        snprintf(extra, sizeof extra, "%s%s", note,
                 before && !now && strcmp(b_status, "pending") == 0 ? "（现为待核实，请核实后销号）"
                                                                    : "");
        fprintf(out, "%s\t%s %s（%s）第%s项\n", status, results_col_text(st, 1),
                results_col_text(st, 4), results_col_text(st, 2), results_col_text(st, 3));
        cells = xrealloc(cells, (nrows + 1) * 8 * sizeof *cells);
        char idx[16];
        snprintf(idx, sizeof idx, "%zu", nrows + 1);
        char *row[8] = {xstrdup(idx),
                        dup0(results_col_text(st, 4)),
                        dup0(results_col_text(st, 0)),
                        dup0(results_col_text(st, 3)),
                        dup0(results_col_text(st, 8)),
                        dup0(now ? results_col_text(st, 6) : results_col_text(st, 5)),
                        xstrdup(status),
                        xstrdup(extra)};
        memcpy(cells + nrows * 8, row, sizeof row);
        nrows++;
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    fprintf(out, "回头看：运行 %lld → %lld：已整改（已销号）%ld 项，仍存在 %ld 项，新发现 %ld 项\n",
            (long long)run_a, (long long)run_b, counts->rectified, counts->persisting,
            counts->fresh);
    int rc = 0;
    if (ledger_xlsx) {
        char title[160];
        snprintf(title, sizeof title, "整改台账（回头看：运行 %lld → %lld）", (long long)run_a,
                 (long long)run_b);
        rc = report_table_workbook(ledger_xlsx, "整改台账", title, heads, widths, 8, 0, cells,
                                   nrows, err);
    }
    for (size_t i = 0; i < nrows * 8; i++)
        free(cells[i]);
    free(cells);
    return rc;
}

/* ---- sample (抽查) ------------------------------------------------------------------------- */

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

typedef struct candidate {
    char *stratum, *stratum_name, *id, *label, *detail;
} candidate;

static int cmp_str_idx(const void *a, const void *b)
{
    return *(const size_t *)a < *(const size_t *)b ? -1 : *(const size_t *)a > *(const size_t *)b;
}

int kh_sample(const sample_options *opt, FILE *out, kh_error *err)
{
    if (!opt->period) {
        kh_seterr(err, "sample: --period is required (the findings will be for that period)");
        return -1;
    }
    evidence *ev = ev_open(opt->evidence, err);
    if (!ev)
        return -1;
    const char *sql;
    int cadres = opt->scorecard_id && strcmp(opt->subject_kind, "cadre") == 0;
    if (!opt->scorecard_id)
        sql = "SELECT t.id, t.name, h.id, v.name || '·' || h.id, h.category || '，户主 ' || "
              "coalesce((SELECT name FROM person p WHERE p.household_id = h.id ORDER BY p.id "
              "LIMIT 1), '') FROM household h JOIN village v ON v.id = h.village_id JOIN township "
              "t ON t.id = v.township_id ORDER BY t.id, h.id";
    else if (cadres)
        sql = "SELECT department, department, id, name, department || '·' || role FROM cadre "
              "ORDER BY department, id";
    else
        sql = "SELECT t.id, t.name, v.id, v.name, t.name FROM village v JOIN township t ON t.id "
              "= v.township_id ORDER BY t.id, v.id";
    ev_cursor *c = NULL;
    if (ev_query(ev, sql, NULL, 0, "sample:", &c, err) != 0) {
        ev_close(ev);
        return -1;
    }
    candidate *cand = NULL;
    size_t n = 0, cap = 0;
    int step;
    while ((step = ev_step(c, err)) == 1) {
        size_t k = KH_PUSH(cand, n, cap);
        cand[k].stratum = xstrdup(ev_text(c, 0));
        cand[k].stratum_name = xstrdup(ev_text(c, 1));
        cand[k].id = xstrdup(ev_text(c, 2));
        cand[k].label = xstrdup(ev_text(c, 3));
        cand[k].detail = xstrdup(ev_text(c, 4));
    }
    ev_done(c);
    ev_close(ev);
    int rc = step < 0 ? -1 : 0;
    /* items to check per subject */
    char **items = NULL;
    size_t nitems = 0, icap = 0;
    char *ilist = xstrdup(opt->items ? opt->items : "入户核查");
    for (char *tok = strtok(ilist, ","); tok; tok = strtok(NULL, ",")) {
        size_t k = KH_PUSH(items, nitems, icap);
        items[k] = xstrdup(tok);
    }
    free(ilist);
    /* stratified, seeded: within each stratum a Fisher–Yates draw seeded by (seed, stratum), so
     * that the same seed redraws the same sample and one stratum's draw does not depend on the
     * others */
    enum { NC = 16 };
    static const char *const heads[NC] = {"序号",
                                          "乡镇/部门",
                                          "抽查对象",
                                          "对象说明",
                                          "抽查内容",
                                          "核查结论（是/否/部分/不适用）",
                                          "得分（部分时填）",
                                          "说明",
                                          "核查人",
                                          "核查日期",
                                          "scorecard",
                                          "item",
                                          "subject_kind",
                                          "subject_id",
                                          "period",
                                          "seed"};
    static const double widths[NC] = {6, 12, 20, 26, 14, 16, 10, 28, 10, 12, 10, 6, 8, 14, 6, 10};
    char **cells = NULL;
    size_t nrows = 0, subjects = 0, strata = 0;
    for (size_t i = 0; rc == 0 && i < n;) {
        size_t j = i;
        while (j < n && strcmp(cand[j].stratum, cand[i].stratum) == 0)
            j++;
        strata++;
        size_t m = j - i;
        size_t *idx = xcalloc(m, sizeof *idx);
        for (size_t k = 0; k < m; k++)
            idx[k] = i + k;
        uint64_t s = opt->seed ^ kh_hash_str(cand[i].stratum);
        size_t take = (size_t)opt->per_stratum < m ? (size_t)opt->per_stratum : m;
        for (size_t k = 0; k < take; k++) {
            size_t r = k + (size_t)(splitmix(&s) % (m - k));
            size_t t = idx[k];
            idx[k] = idx[r];
            idx[r] = t;
        }
        qsort(idx, take, sizeof *idx, cmp_str_idx);
        for (size_t k = 0; k < take; k++) {
            const candidate *x = &cand[idx[k]];
            subjects++;
            for (size_t it = 0; it < nitems; it++) {
                cells = xrealloc(cells, (nrows + 1) * NC * sizeof *cells);
                char no[16], seed[32], what[64];
                snprintf(no, sizeof no, "%zu", nrows + 1);
                snprintf(seed, sizeof seed, "%llu", (unsigned long long)opt->seed);
                if (opt->scorecard_id)
                    snprintf(what, sizeof what, "第%s项", items[it]);
                else
                    snprintf(what, sizeof what, "%s", items[it]);
                char *row[NC] = {xstrdup(no),
                                 xstrdup(x->stratum_name),
                                 xstrdup(x->label),
                                 xstrdup(x->detail),
                                 xstrdup(what),
                                 xstrdup(""),
                                 xstrdup(""),
                                 xstrdup(""),
                                 xstrdup(""),
                                 xstrdup(""),
                                 xstrdup(opt->scorecard_id ? opt->scorecard_id : "spot-check"),
                                 xstrdup(items[it]),
                                 xstrdup(opt->scorecard_id ? opt->subject_kind : "household"),
                                 xstrdup(x->id),
                                 xstrdup(opt->period),
                                 xstrdup(seed)};
                memcpy(cells + nrows * NC, row, sizeof row);
                nrows++;
            }
            fprintf(out, "%s\t%s\t%s\n", x->stratum_name, x->id, x->label);
        }
        free(idx);
        i = j;
    }
    if (rc == 0) {
        char title[160];
        snprintf(title, sizeof title, "抽查清单（种子 %llu，每%s %d 个，考核期 %s）",
                 (unsigned long long)opt->seed, cadres ? "部门" : "乡镇", opt->per_stratum,
                 opt->period);
        rc = report_table_workbook(opt->out_xlsx, "抽查清单", title, heads, widths, NC, 6, cells,
                                   nrows, err);
        if (rc == 0)
            fprintf(out, "抽查样本：%zu 个对象（%zu 个分层，每层至多 %d 个），%zu 行清单 → %s\n",
                    subjects, strata, opt->per_stratum, nrows, opt->out_xlsx);
    }
    for (size_t i = 0; i < nrows * NC; i++)
        free(cells[i]);
    free(cells);
    for (size_t i = 0; i < n; i++) {
        free(cand[i].stratum);
        free(cand[i].stratum_name);
        free(cand[i].id);
        free(cand[i].label);
        free(cand[i].detail);
    }
    free(cand);
    for (size_t i = 0; i < nitems; i++)
        free(items[i]);
    free(items);
    return rc;
}

/* ---- a filled checklist back as findings ----------------------------------------------- */

typedef struct checklist {
    sqlite3 *db;
    sqlite3_stmt *ins;
    const char *file;
    kh_error *err;
    long read, accepted;
    int failed;
} checklist;

static int checklist_row(long row, size_t n, const char *const *c, void *ud)
{
    checklist *cl = ud;
    if (row < 3 || cl->failed) /* title and header rows */
        return cl->failed;
    cl->read++;
    const char *answer = cell(n, c, 5), *score = cell(n, c, 6), *note = cell(n, c, 7);
    const char *inspector = cell(n, c, 8), *date = cell(n, c, 9);
    if (!*answer)
        return 0; /* not checked (yet) */
    static const char *const OK[] = {"是", "否", "不适用", "部分"};
    int valid = 0;
    for (int i = 0; i < 4; i++)
        valid |= strcmp(answer, OK[i]) == 0;
    char d[11];
    int dated = kh_parse_date(date, d) == 0;
    /* a date typed into Excel comes back as a serial day number: 43435 is 2018-12-01 */
    long serial = atol(date);
    if (!dated && serial > 20000 && serial < 80000 && strspn(date, "0123456789.") == strlen(date)) {
        time_t t = (time_t)(serial - 25569) * 86400;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(d, sizeof d, "%Y-%m-%d", &tm);
        dated = 1;
    }
    const char *problem = !valid ? "核查结论 must be 是, 否, 不适用 or 部分"
                          : strcmp(answer, "部分") == 0 && !*score ? "核查结论 部分 needs 得分"
                          : !*inspector                            ? "核查人 is empty"
                          : !dated                                 ? "核查日期 is not a date"
                                                                   : NULL;
    if (problem) {
        kh_seterr(cl->err, "%s: row %ld: %s (found 核查结论 '%s', 核查日期 '%s')", cl->file, row,
                  problem, answer, date);
        cl->failed = 1;
        return 1;
    }
    char id[256];
    snprintf(id, sizeof id, "CK%s-%s-%s-%s", cell(n, c, 15), cell(n, c, 10), cell(n, c, 13),
             cell(n, c, 11));
    sqlite3_stmt *st = cl->ins;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, cell(n, c, 10), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, cell(n, c, 11), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, cell(n, c, 12), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, cell(n, c, 13), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, cell(n, c, 14), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, answer, -1, SQLITE_TRANSIENT);
    if (*score)
        sqlite3_bind_double(st, 8, atof(score));
    else
        sqlite3_bind_null(st, 8);
    sqlite3_bind_text(st, 9, note, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 10, inspector, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 11, d, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE) {
        kh_seterr(cl->err, "%s: row %ld: refused by the schema: %s", cl->file, row,
                  sqlite3_errmsg(cl->db));
        cl->failed = 1;
        return 1;
    }
    cl->accepted++;
    return 0;
}

int kh_sample_import(const char *xlsx, const char *evidence_path, FILE *out, kh_error *err)
{
    sqlite3 *db = NULL;
    if (access(evidence_path, W_OK) != 0 ||
        sqlite3_open_v2(evidence_path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        kh_seterr(err, "%s: cannot open evidence database for writing", evidence_path);
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    checklist cl = {db, NULL, xlsx, err, 0, 0, 0};
    err->msg[0] = '\0';
    sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    sqlite3_prepare_v2(
        db,
        "INSERT INTO finding (id, scorecard, item, subject_kind, subject_id, period, "
        "answer, score, note, inspector, inspected_on) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET answer = excluded.answer, score "
        "= excluded.score, note = excluded.note, inspector = excluded.inspector, "
        "inspected_on = excluded.inspected_on",
        -1, &cl.ins, NULL);
    int rc = xlsx_read_sheet(xlsx, "抽查清单", checklist_row, &cl, err);
    sqlite3_finalize(cl.ins);
    if (rc == 0 && !cl.failed) {
        char sha[65];
        kh_error e2;
        kh_sha256_file(xlsx, sha, &e2);
        sqlite3_stmt *log = NULL;
        sqlite3_prepare_v2(db,
                           "INSERT INTO import_log (file, sha256, tbl, encoding, rows_read, "
                           "accepted, rejected, imported_at) VALUES (?, ?, 'finding', "
                           "'xlsx', ?, ?, 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                           -1, &log, NULL);
        sqlite3_bind_text(log, 1, xlsx, -1, SQLITE_STATIC);
        sqlite3_bind_text(log, 2, sha, -1, SQLITE_STATIC);
        sqlite3_bind_int64(log, 3, cl.read);
        sqlite3_bind_int64(log, 4, cl.accepted);
        int ok = log && sqlite3_step(log) == SQLITE_DONE;
        sqlite3_finalize(log);
        if (ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK) {
            fprintf(out, "%s → finding：%ld 行，导入 %ld 条核查结论（未填写的 %ld 行跳过）\n", xlsx,
                    cl.read, cl.accepted, cl.read - cl.accepted);
            sqlite3_close(db);
            return 0;
        }
        kh_seterr(err, "%s: cannot record the findings: %s", evidence_path, sqlite3_errmsg(db));
    }
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    return -1;
}
