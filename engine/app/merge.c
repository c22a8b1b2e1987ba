/*
 * merge.c — one run made of several. See merge.h for what is checked and why the result
 * equals a single run.
 */
#include "app/merge.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app_internal.h"
#include "core/scorecard.h"
#include "lua/loader.h"
#include "report/report.h"
#include "store/results.h"
#include "store/store_internal.h"

typedef struct part {
    const char *path;
    sqlite3 *db;
    int64_t run;
    char *period, *params, *language_sha, *engine, *evidence_path, *evidence_hash, *started_at;
    char **sc_id, **sc_file, **sc_sha;
    size_t nsc;
} part;

static char *col_dup(sqlite3_stmt *st, int i)
{
    return xstrdup(results_col_text(st, i));
}

static int db_fail(const part *p, const char *what, kh_error *err)
{
    kh_seterr(err, "%s: cannot read %s: %s", p->path, what, sqlite3_errmsg(p->db));
    return -1;
}

static sqlite3_stmt *prep_run(part *p, const char *sql, kh_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(p->db, sql, -1, &st, NULL) != SQLITE_OK) {
        db_fail(p, "results", err);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, p->run);
    return st;
}

/* Opens an input read-only and reads its latest run's manifest and scorecards. */
static int part_open(part *p, kh_error *err)
{
    if (access(p->path, R_OK) != 0) {
        kh_seterr(err, "%s: cannot open results database: %s", p->path, strerror(errno));
        return -1;
    }
    if (sqlite3_open_v2(p->path, &p->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK)
        return db_fail(p, "results database", err);
    /* A province has a hundred parts open at once, each read once front to back: SQLite's
     * default 2 MB page cache each would be 200 MB of memory that buys nothing. */
    sqlite3_exec(p->db, "PRAGMA cache_size = -128", NULL, NULL, NULL);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(p->db,
                           "SELECT id, period, params, language_sha256, engine_version, "
                           "evidence_path, evidence_hash, started_at, "
                           "(SELECT count(*) FROM sqlite_schema WHERE name = 'subject') "
                           "FROM run ORDER BY id DESC LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK) {
        kh_seterr(err, "%s: not a kaohe results database (%s)", p->path, sqlite3_errmsg(p->db));
        return -1;
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        kh_seterr(err, "%s: holds no run", p->path);
        return -1;
    }
    p->run = sqlite3_column_int64(st, 0);
    p->period = col_dup(st, 1);
    p->params = col_dup(st, 2);
    p->language_sha = col_dup(st, 3);
    p->engine = col_dup(st, 4);
    p->evidence_path = col_dup(st, 5);
    p->evidence_hash = col_dup(st, 6);
    p->started_at = col_dup(st, 7);
    int has_subjects = sqlite3_column_int(st, 8) > 0;
    sqlite3_finalize(st);
    if (!has_subjects) {
        kh_seterr(err,
                  "%s: run %lld was written by a kaohe without the subject table; run the shard "
                  "again with this version",
                  p->path, (long long)p->run);
        return -1;
    }
    st = prep_run(p,
                  "SELECT scorecard_id, file, sha256 FROM run_scorecard WHERE run_id = ? "
                  "ORDER BY rowid",
                  err);
    if (!st)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        p->sc_id = xrealloc(p->sc_id, (p->nsc + 1) * sizeof *p->sc_id);
        p->sc_file = xrealloc(p->sc_file, (p->nsc + 1) * sizeof *p->sc_file);
        p->sc_sha = xrealloc(p->sc_sha, (p->nsc + 1) * sizeof *p->sc_sha);
        p->sc_id[p->nsc] = col_dup(st, 0);
        p->sc_file[p->nsc] = col_dup(st, 1);
        p->sc_sha[p->nsc] = col_dup(st, 2);
        p->nsc++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : db_fail(p, "run_scorecard", err);
}

static void part_close(part *p)
{
    sqlite3_close(p->db);
    free(p->period);
    free(p->params);
    free(p->language_sha);
    free(p->engine);
    free(p->evidence_path);
    free(p->evidence_hash);
    free(p->started_at);
    for (size_t i = 0; i < p->nsc; i++) {
        free(p->sc_id[i]);
        free(p->sc_file[i]);
        free(p->sc_sha[i]);
    }
    free(p->sc_id);
    free(p->sc_file);
    free(p->sc_sha);
}

/* Shards of one run share everything but the evidence. */
static int parts_agree(const part *a, const part *b, kh_error *err)
{
    const char *what = NULL, *x = NULL, *y = NULL;
    if (strcmp(a->period, b->period) != 0)
        what = "period", x = a->period, y = b->period;
    else if (strcmp(a->params, b->params) != 0)
        what = "parameters", x = a->params, y = b->params;
    else if (strcmp(a->language_sha, b->language_sha) != 0)
        what = "scorecard language (SHA-256)", x = a->language_sha, y = b->language_sha;
    else if (a->nsc != b->nsc)
        what = "number of scorecards", x = "", y = "";
    for (size_t i = 0; !what && i < a->nsc; i++)
        if (strcmp(a->sc_id[i], b->sc_id[i]) != 0)
            what = "scorecards", x = a->sc_id[i], y = b->sc_id[i];
        else if (strcmp(a->sc_sha[i], b->sc_sha[i]) != 0)
            what = "scorecard file (SHA-256)", x = a->sc_sha[i], y = b->sc_sha[i];
    if (!what)
        return 0;
    kh_seterr(err,
              "%s: its run differs from %s's in the %s ('%s' vs '%s'): the parts of one run "
              "must share period, parameters and scorecards",
              b->path, a->path, what, y, x);
    return -1;
}

static int cmp_subject(const void *a, const void *b)
{
    return strcmp(((const kh_subject *)a)->id, ((const kh_subject *)b)->id);
}

/* Every subject listed by any part, per kind in the single run's order, sorted by id; a unit
 * above the shards (a city of several counties) is listed by each of them and kept once. */
static int read_subjects(part *parts, size_t n, scorecard **scs, size_t nsc, kh_results *r,
                         kh_error *err)
{
    const char *kinds[SC_MAX_KINDS];
    r->nsets = kh_run_kinds(scs, nsc, kinds);
    size_t caps[SC_MAX_KINDS] = {0};
    for (size_t k = 0; k < r->nsets; k++)
        r->sets[k].kind = xstrdup(kinds[k]);
    for (size_t i = 0; i < n; i++) {
        sqlite3_stmt *st =
            prep_run(&parts[i],
                     "SELECT kind, id, name, parent, parent_id FROM subject WHERE run_id = ?", err);
        if (!st)
            return -1;
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            long k = kh_results_set(r, results_col_text(st, 0));
            if (k < 0)
                continue; /* cannot happen: the parts ran the same scorecards */
            kh_subject_set *set = &r->sets[k];
            size_t j = KH_PUSH(set->items, set->count, caps[k]);
            set->items[j].id = col_dup(st, 1);
            set->items[j].name = col_dup(st, 2);
            set->items[j].parent = col_dup(st, 3);
            set->items[j].parent_id = col_dup(st, 4);
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return db_fail(&parts[i], "subject", err);
    }
    for (size_t k = 0; k < r->nsets; k++) {
        kh_subject_set *set = &r->sets[k];
        if (set->count)
            qsort(set->items, set->count, sizeof *set->items, cmp_subject);
        size_t w = 0;
        for (size_t j = 0; j < set->count; j++) {
            if (w && strcmp(set->items[w - 1].id, set->items[j].id) == 0) {
                free(set->items[j].id);
                free(set->items[j].name);
                free(set->items[j].parent);
                free(set->items[j].parent_id);
                continue;
            }
            set->items[w++] = set->items[j];
        }
        set->count = w;
        kh_subject_set_index(set);
    }
    return 0;
}

static kh_status status_of(const char *code)
{
    for (int s = ST_OK; s <= ST_PENDING; s++)
        if (strcmp(kh_status_code((kh_status)s), code) == 0)
            return (kh_status)s;
    return ST_PENDING;
}

/* Every part's scores, placed in the merged sets. A subject assessed by two parts (the same
 * county's evidence given twice) is refused: its items would count twice in every average. */
static int read_scores(part *parts, size_t n, scorecard **scs, size_t nsc, kh_results *r,
                       kh_error *err)
{
    int **owner = xcalloc(nsc * r->nsets, sizeof *owner); /* [sc][set][subject] = part + 1 */
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        sqlite3_stmt *st =
            prep_run(&parts[i],
                     "SELECT scorecard_id, subject_kind, subject_id, item, max_points, "
                     "points_x100, status, reason, cases, veto FROM score WHERE run_id = ? "
                     "ORDER BY rowid",
                     err);
        if (!st) {
            rc = -1;
            break;
        }
        int step;
        while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
            long at[4];
            if (results_place(scs, nsc, r, st, 3, at) != 0) {
                kh_seterr(err, "%s: run %lld: score of %s %s item %s does not fit its scorecards",
                          parts[i].path, (long long)parts[i].run, results_col_text(st, 1),
                          results_col_text(st, 2), results_col_text(st, 3));
                rc = -1;
                break;
            }
            long sc = at[0], set = at[1], subject = at[2], item = at[3];
            int **own = &owner[(size_t)sc * r->nsets + (size_t)set];
            if (!*own)
                *own = xcalloc(r->sets[set].count, sizeof **own);
            int *o = &(*own)[subject];
            if (*o && *o != (int)i + 1) {
                kh_seterr(
                    err,
                    "evidence %s and evidence %s both assess %s %s (%s) for scorecard %s: the same "
                    "evidence given twice?",
                    parts[*o - 1].evidence_path, parts[i].evidence_path, results_col_text(st, 1),
                    results_col_text(st, 2), r->sets[set].items[subject].name, scs[sc]->id);
                rc = -1;
                break;
            }
            *o = (int)i + 1;
            size_t k = KH_PUSH(r->scores, r->nscores, r->capscores);
            kh_score *s = &r->scores[k];
            s->sc = (size_t)sc;
            s->set = (size_t)set;
            s->subject = (size_t)subject;
            s->item = (size_t)item;
            s->max = -1;
            if (sqlite3_column_type(st, 4) != SQLITE_NULL &&
                points_from_double(sqlite3_column_double(st, 4), &s->max) != 0)
                s->max = -1;
            s->points = sqlite3_column_int64(st, 5);
            s->status = status_of(results_col_text(st, 6));
            s->reason = col_dup(st, 7);
            s->cases = sqlite3_column_int64(st, 8);
            s->veto = sqlite3_column_int(st, 9);
        }
        if (rc == 0 && step != SQLITE_DONE)
            rc = db_fail(&parts[i], "score", err);
        sqlite3_finalize(st);
    }
    for (size_t i = 0; i < nsc * r->nsets; i++)
        free(owner[i]);
    free(owner);
    return rc;
}

/* ---- k-way merges ------------------------------------------------------------------------
 * Each part wrote its scores and its deductions in the single run's order, and subjects do
 * not overlap between parts, so taking the smallest head of the parts' streams each time
 * gives the merged order without sorting or holding the rows. A head's row is placed in the
 * merged run once, when it is read: (scorecard, kind, subject, item) as indices, in which
 * order indices compare as the single run orders them (subjects are sorted by id). */

typedef struct head {
    sqlite3_stmt *st;
    int has_row;
    long at[4]; /* scorecard, set, subject, item */
} head;

/* Steps a head; its row's item is in column item_col (the others in 0, 1, 2). 0, or -1 if
 * the row does not fit the run. */
static int head_next(head *h, scorecard **scs, size_t nsc, const kh_results *r, int item_col)
{
    h->has_row = sqlite3_step(h->st) == SQLITE_ROW;
    return h->has_row ? results_place(scs, nsc, r, h->st, item_col, h->at) : 0;
}

static int place_cmp(const long a[4], const long b[4])
{
    for (int k = 0; k < 4; k++)
        if (a[k] != b[k])
            return a[k] < b[k] ? -1 : 1;
    return 0;
}

static int head_cmp_place(const head *a, const head *b)
{
    return place_cmp(a->at, b->at);
}

/* Deductions of one item: the evidence key, the row carrying the points first, the reason
 * (deduction rows: ... 4 points, 6 evidence_key, 7 reason, 8 points_x100). */
static int head_cmp_deduction(const head *a, const head *b)
{
    int c = head_cmp_place(a, b);
    if (c)
        return c;
    c = strcmp(results_col_text(a->st, 6), results_col_text(b->st, 6));
    if (c)
        return c;
    int64_t x = sqlite3_column_int64(a->st, 8), y = sqlite3_column_int64(b->st, 8);
    if (x != y)
        return x > y ? -1 : 1;
    return strcmp(results_col_text(a->st, 7), results_col_text(b->st, 7));
}

static head *head_min(head *h, size_t n, int (*cmp)(const head *, const head *))
{
    head *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (h[i].has_row && (!best || cmp(&h[i], best) < 0))
            best = &h[i];
    return best;
}

/* Inserts the head's row (the table's columns after run_id, in order) into the output. */
static int copy_row(sqlite3_stmt *ins, int64_t run_id, const head *h, int ncols, sqlite3 *out,
                    const char *what, kh_error *err)
{
    sqlite3_bind_int64(ins, 1, run_id);
    for (int c = 0; c < ncols; c++)
        sqlite3_bind_value(ins, c + 2, sqlite3_column_value(h->st, c));
    int rc = sqlite3_step(ins);
    sqlite3_reset(ins);
    if (rc == SQLITE_DONE)
        return 0;
    kh_seterr(err, "cannot write %s: %s", what, sqlite3_errmsg(out));
    return -1;
}

/* ---- scores of a province: streamed, a scorecard at a time ------------------------------
 * Each row goes straight into the output; a subject's items are summed as they pass
 * (kh_add_total), and when the scorecard is done its roll-ups and ranks are computed from the
 * totals alone. Memory holds the subjects' totals, never the scores. */

#define SCORE_COLS                                                                                 \
    "scorecard_id, subject_kind, subject_id, subject_name, item, max_points, points, status, "     \
    "reason, cases, points_x100, veto"

static int stream_scores(part *parts, size_t n, scorecard **scs, size_t nsc, kh_results *r,
                         sqlite3 *out, int64_t run_id, kh_error *err)
{
    sqlite3_stmt *ins = NULL;
    if (sqlite3_prepare_v2(out, "INSERT INTO score VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &ins, NULL) != SQLITE_OK) {
        kh_seterr(err, "cannot write scores: %s", sqlite3_errmsg(out));
        return -1;
    }
    head *heads = xcalloc(n, sizeof *heads);
    int rc = 0;
    for (size_t si = 0; si < nsc && rc == 0; si++) {
        const scorecard *sc = scs[si];
        for (size_t i = 0; i < n && rc == 0; i++) {
            heads[i].st = prep_run(&parts[i],
                                   "SELECT " SCORE_COLS " FROM score WHERE run_id = ? AND "
                                   "scorecard_id = ? ORDER BY rowid",
                                   err);
            if (!heads[i].st) {
                rc = -1;
                break;
            }
            sqlite3_bind_text(heads[i].st, 2, sc->id, -1, SQLITE_STATIC);
            if (head_next(&heads[i], scs, nsc, r, 4) != 0) {
                kh_seterr(err, "%s: a score does not fit scorecard %s", parts[i].path, sc->id);
                rc = -1;
            }
        }
        size_t first_total = r->ntotals;
        long gset = -1, gsubject = -1; /* the subject whose items are being summed */
        size_t gpart = 0;
        points_t total = 0;
        int pending = 0, vetoed = 0;
        while (rc == 0) {
            head *best = head_min(heads, n, head_cmp_place);
            if (best && best->at[1] == gset && best->at[2] == gsubject &&
                (size_t)(best - heads) != gpart) {
                kh_seterr(err,
                          "evidence %s and evidence %s both assess %s %s (%s) for scorecard %s: "
                          "the same evidence given twice?",
                          parts[gpart].evidence_path, parts[best - heads].evidence_path,
                          results_col_text(best->st, 1), results_col_text(best->st, 2),
                          r->sets[best->at[1]].items[best->at[2]].name, sc->id);
                rc = -1;
                break;
            }
            if (gset >= 0 && (!best || best->at[1] != gset || best->at[2] != gsubject))
                kh_add_total(sc, si, r, (size_t)gset, (size_t)gsubject, total, pending, vetoed);
            if (!best)
                break;
            if (best->at[1] != gset || best->at[2] != gsubject) {
                gset = best->at[1];
                gsubject = best->at[2];
                gpart = (size_t)(best - heads);
                total = 0;
                pending = vetoed = 0;
            }
            if (strcmp(results_col_text(best->st, 7), "pending") == 0)
                pending++;
            else
                total += sqlite3_column_int64(best->st, 10);
            vetoed += sqlite3_column_int(best->st, 11);
            rc = copy_row(ins, run_id, best, 12, out, "scores", err);
            r->nscores_streamed++;
            if (rc == 0 && head_next(best, scs, nsc, r, 4) != 0) {
                kh_seterr(err, "%s: a score does not fit scorecard %s", parts[best - heads].path,
                          sc->id);
                rc = -1;
            }
        }
        for (size_t i = 0; i < n; i++) {
            sqlite3_finalize(heads[i].st);
            heads[i].st = NULL;
        }
        if (rc == 0)
            kh_finish_totals(sc, si, r, first_total);
    }
    free(heads);
    sqlite3_finalize(ins);
    return rc;
}

/* ---- deductions ---------------------------------------------------------------------------*/

/* The score a deduction belongs to: scores are sorted by (scorecard, kind, subject, item). */
static kh_score *score_of(kh_results *r, const head *h)
{
    size_t lo = 0, hi = r->nscores;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const kh_score *m = &r->scores[mid];
        long at[4] = {(long)m->sc, (long)m->set, (long)m->subject, (long)m->item};
        if (place_cmp(at, h->at) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == r->nscores)
        return NULL;
    kh_score *s = &r->scores[lo];
    long at[4] = {(long)s->sc, (long)s->set, (long)s->subject, (long)s->item};
    return place_cmp(at, h->at) == 0 ? s : NULL;
}

static int merge_deductions(part *parts, size_t n, scorecard **scs, size_t nsc, kh_results *r,
                            sqlite3 *out, int64_t run_id, size_t *count, kh_error *err)
{
    sqlite3_stmt *ins = NULL;
    if (sqlite3_prepare_v2(out, "INSERT INTO deduction VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", -1,
                           &ins, NULL) != SQLITE_OK) {
        kh_seterr(err, "cannot write deductions: %s", sqlite3_errmsg(out));
        return -1;
    }
    head *heads = xcalloc(n ? n : 1, sizeof *heads);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        heads[i].st = prep_run(&parts[i],
                               "SELECT scorecard_id, subject_kind, subject_id, item, points,"
                               " evidence_table, evidence_key, reason, points_x100 FROM deduction"
                               " WHERE run_id = ? ORDER BY rowid",
                               err);
        if (!heads[i].st)
            rc = -1;
        else if (head_next(&heads[i], scs, nsc, r, 3) != 0) {
            kh_seterr(err, "%s: a deduction does not fit its scorecards", parts[i].path);
            rc = -1;
        }
    }
    *count = 0;
    head *best;
    while (rc == 0 && (best = head_min(heads, n, head_cmp_deduction)) != NULL) {
        rc = copy_row(ins, run_id, best, 9, out, "deductions", err);
        (*count)++;
        kh_score *score = score_of(r, best);
        if (score)
            score->nevidence++; /* the ledger's "证据N条" */
        if (rc == 0 && head_next(best, scs, nsc, r, 3) != 0) {
            kh_seterr(err, "%s: a deduction does not fit its scorecards", parts[best - heads].path);
            rc = -1;
        }
    }
    for (size_t i = 0; i < n; i++)
        sqlite3_finalize(heads[i].st);
    free(heads);
    sqlite3_finalize(ins);
    return rc;
}

/* The merged run's evidence record: per table the rows of all parts and a hash over the
 * parts' hashes in part order; the whole likewise. Each part's own hash is in run_part. */
static int merged_evidence(part *parts, size_t n, kh_manifest *m, kh_error *err)
{
    strbuf all = {0}, paths = {0};
    size_t cap = 0;
    strbuf *per = NULL; /* per table: the concatenated part hashes */
    for (size_t i = 0; i < n; i++) {
        sb_append(&all, parts[i].evidence_hash);
        sb_printf(&paths, "%s%s", i ? "; " : "", parts[i].evidence_path);
        sqlite3_stmt *st = prep_run(
            &parts[i], "SELECT tbl, rows, sha256 FROM run_evidence WHERE run_id = ? ORDER BY rowid",
            err);
        if (!st) {
            sb_free(&all);
            sb_free(&paths);
            return -1;
        }
        while (sqlite3_step(st) == SQLITE_ROW) {
            size_t t = 0;
            while (t < m->evidence.count &&
                   strcmp(m->evidence.tables[t].table, results_col_text(st, 0)))
                t++;
            if (t == m->evidence.count) {
                size_t old = cap;
                KH_PUSH(m->evidence.tables, m->evidence.count, cap);
                if (cap != old) {
                    per = xrealloc(per, cap * sizeof *per);
                    memset(per + old, 0, (cap - old) * sizeof *per);
                }
                memset(&m->evidence.tables[t], 0, sizeof m->evidence.tables[t]);
                m->evidence.tables[t].table = col_dup(st, 0);
            }
            m->evidence.tables[t].rows += sqlite3_column_int64(st, 1);
            sb_append(&per[t], results_col_text(st, 2));
        }
        sqlite3_finalize(st);
    }
    for (size_t t = 0; t < m->evidence.count; t++) {
        kh_sha256_hex(sb_str(&per[t]), per[t].len, m->evidence.tables[t].sha256);
        sb_free(&per[t]);
    }
    free(per);
    kh_sha256_hex(sb_str(&all), all.len, m->evidence.sha256);
    sb_free(&all);
    m->owned_evidence_path = sb_take(&paths);
    m->nparts = n;
    m->evidence_path = m->owned_evidence_path;
    return 0;
}

static int write_parts(part *parts, size_t n, sqlite3 *out, int64_t run_id, kh_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(out, "INSERT INTO run_part VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &st,
                           NULL) != SQLITE_OK) {
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
        if (sqlite3_step(st) != SQLITE_DONE) {
            kh_seterr(err, "cannot write run_part: %s", sqlite3_errmsg(out));
            rc = -1;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc;
}

int kh_merge(const kh_merge_options *opt, kh_run_outcome *out, kh_error *err)
{
    memset(out, 0, sizeof *out);
    if (opt->ninputs == 0) {
        kh_seterr(err, "merge: no results database given");
        return -1;
    }
    manifest_init(&out->manifest, opt->argc, opt->argv);
    size_t n = opt->ninputs;
    part *parts = xcalloc(n, sizeof *parts);
    sandbox *sb = NULL;
    sc_loader *ld = NULL;
    results_tx *tx = NULL;
    char *tmp_xlsx = NULL, *tmp_results = NULL;
    int rc = -1;
    for (size_t i = 0; i < n; i++) {
        parts[i].path = opt->inputs[i];
        if (part_open(&parts[i], err) != 0 || (i && parts_agree(&parts[0], &parts[i], err) != 0))
            goto done;
    }
    /* the scorecards as they were run: each file must still hash as recorded */
    sb = sandbox_new(NULL, err);
    ld = sb ? sc_loader_new(sb, kh_home(), err) : NULL;
    if (!ld)
        goto done;
    if (strcmp(sc_loader_dsl_sha256(ld), parts[0].language_sha) != 0) {
        kh_seterr(err, "%s: the scorecard language %s has changed since %s was run", parts[0].path,
                  sc_loader_dsl_path(ld), parts[0].path);
        goto done;
    }
    out->scs = xcalloc(parts[0].nsc ? parts[0].nsc : 1, sizeof *out->scs);
    for (size_t i = 0; i < parts[0].nsc; i++) {
        if (sc_load(ld, parts[0].sc_file[i], &out->scs[i], err) != 0)
            goto done;
        out->nsc++;
        if (strcmp(out->scs[i]->sha256, parts[0].sc_sha[i]) != 0) {
            kh_seterr(err, "%s: changed since %s was run (SHA-256 %s, recorded %s)",
                      parts[0].sc_file[i], parts[0].path, out->scs[i]->sha256, parts[0].sc_sha[i]);
            goto done;
        }
    }
    kh_results *r = &out->results;
    r->period = xstrdup(parts[0].period);
    sb_append(&r->params_text, parts[0].params);
    if (read_subjects(parts, n, out->scs, out->nsc, r, err) != 0)
        goto done;
    /* One county (a part merged on its own): its scores are held, for the full workbook with
     * its forms. More (a province): they are streamed, and memory stays flat. */
    int stream = kh_results_many_counties(r);
    if (!stream) {
        if (read_scores(parts, n, out->scs, out->nsc, r, err) != 0)
            goto done;
        kh_results_sort_scores(r);
        for (size_t si = 0, first = 0; si < out->nsc; si++) {
            kh_finish_scorecard(out->scs[si], si, r, first);
            while (first < r->nscores && r->scores[first].sc == si)
                first++;
        }
    }

    kh_manifest *m = &out->manifest;
    m->period = r->period;
    m->params = sb_str(&r->params_text);
    m->language_path = xstrdup(sc_loader_dsl_path(ld));
    memcpy(m->language_sha256, parts[0].language_sha, sizeof m->language_sha256 - 1);
    if (opt->deadline)
        snprintf(m->deadline, sizeof m->deadline, "%s", opt->deadline);
    else
        snprintf(m->deadline, sizeof m->deadline, "%04d-03-31", (atoi(r->period) + 1) % 10000);
    if (merged_evidence(parts, n, m, err) != 0)
        goto done;

    const char *results_path = opt->results_db;
    if (!results_path) {
        strbuf t = {0};
        const char *dir = getenv("TMPDIR");
        sb_printf(&t, "%s/kaohe-merge-%ld.db", dir && *dir ? dir : "/tmp", (long)getpid());
        tmp_results = sb_take(&t);
        unlink(tmp_results);
        results_path = tmp_results;
    }
    tx = results_begin(results_path, err);
    if (!tx || results_add_header(tx, m, out->scs, out->nsc, r, &out->run_id) != 0 ||
        (stream && stream_scores(parts, n, out->scs, out->nsc, r, results_tx_db(tx), out->run_id,
                                 err) != 0) ||
        results_add_body(tx, out->run_id, out->scs, r) != 0 ||
        write_parts(parts, n, results_tx_db(tx), out->run_id, err) != 0 ||
        merge_deductions(parts, n, out->scs, out->nsc, r, results_tx_db(tx), out->run_id,
                         &r->nstreamed, err) != 0)
        goto done;
    if (opt->out_xlsx) {
        strbuf t = {0};
        sb_tmp_path(&t, opt->out_xlsx);
        tmp_xlsx = sb_take(&t);
        int wrc = app_report_from_store(tx, out->run_id, tmp_xlsx, opt->out_xlsx, m, out->scs,
                                        out->nsc, r, err);
        if (wrc != 0) {
            free(tmp_xlsx);
            tmp_xlsx = NULL;
            goto done;
        }
    }
    rc = results_commit(tx);
    tx = NULL;
    if (rc != 0)
        goto done;
    rc = -1;
    if (tmp_xlsx) {
        if (rename(tmp_xlsx, opt->out_xlsx) != 0) {
            kh_seterr(err, "%s: cannot write workbook: %s", opt->out_xlsx, strerror(errno));
            goto done;
        }
        free(tmp_xlsx);
        tmp_xlsx = NULL;
    }
    if (!opt->results_db)
        out->run_id = 0;
    rc = 0;
done:
    results_abort(tx);
    if (tmp_xlsx) {
        unlink(tmp_xlsx);
        free(tmp_xlsx);
    }
    if (tmp_results) {
        unlink(tmp_results);
        free(tmp_results);
    }
    for (size_t i = 0; i < n; i++)
        part_close(&parts[i]);
    free(parts);
    sc_loader_free(ld);
    sandbox_free(sb);
    return rc;
}
