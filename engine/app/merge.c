/*
 * merge.c — one run made of several. See merge.h for what is checked and why the result
 * equals a single run. The parts are read, and the merged run's streamed rows written, through
 * store/merge_store.h: this file holds the merge's logic, not its SQL.
 */
#include "app/merge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app_internal.h"
#include "app/merge_wenze.h"
#include "base/tmpfile.h"
#include "core/scorecard.h"
#include "lua/loader.h"
#include "report/report.h"
#include "store/merge_store.h"
#include "store/results.h"

/* Shards of one run share everything but the evidence. */
static int parts_agree(const merge_part *a, const merge_part *b, kh_error *err)
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

/* The merged sets being filled from the parts' subject tables. */
typedef struct subject_sink {
    kh_results *r;
    size_t caps[SC_MAX_KINDS];
} subject_sink;

/* One part's subject, copied into the merged set of its kind (merge_part_subjects' fn). */
static int add_subject(void *ud, const char *kind, const kh_subject *s)
{
    subject_sink *k = ud;
    long set = kh_results_set(k->r, kind);
    if (set < 0)
        return 0; /* cannot happen: the parts ran the same scorecards */
    kh_subject_set *ss = &k->r->sets[set];
    size_t j = KH_PUSH(ss->items, ss->count, k->caps[set]);
    ss->items[j] =
        (kh_subject){xstrdup(s->id), xstrdup(s->name), xstrdup(s->parent), xstrdup(s->parent_id)};
    return 0;
}

/* Sorts a set by id and keeps the first of each id, then indexes it. */
static void sort_unique(kh_subject_set *set)
{
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

/* Every subject listed by any part, per kind in the single run's order, sorted by id; a unit
 * above the shards (a city of several counties) is listed by each of them and kept once. */
static int read_subjects(merge_part *parts, size_t n, scorecard **scs, size_t nsc, kh_results *r,
                         kh_error *err)
{
    const char *kinds[SC_MAX_KINDS];
    r->nsets = kh_run_kinds(scs, nsc, kinds);
    subject_sink sink = {r, {0}};
    for (size_t k = 0; k < r->nsets; k++)
        r->sets[k].kind = xstrdup(kinds[k]);
    for (size_t i = 0; i < n; i++)
        if (merge_part_subjects(&parts[i], add_subject, &sink, err) != 0)
            return -1;
    for (size_t k = 0; k < r->nsets; k++)
        sort_unique(&r->sets[k]);
    return 0;
}

/* Which part (index + 1, 0: none yet) assessed each subject, per scorecard and set: a subject
 * assessed by two parts (the same county's evidence given twice) is refused, since its items
 * would count twice in every average. */
static int claim_subject(int **owner, const merge_part *parts, size_t i, scorecard **scs,
                         const kh_results *r, const kh_score *s, kh_error *err)
{
    int **own = &owner[s->sc * r->nsets + s->set];
    if (!*own)
        *own = xcalloc(r->sets[s->set].count, sizeof **own);
    int *o = &(*own)[s->subject];
    if (*o && *o != (int)i + 1) {
        const kh_subject_set *set = &r->sets[s->set];
        kh_seterr(err,
                  "evidence %s and evidence %s both assess %s %s (%s) for scorecard %s: the same "
                  "evidence given twice?",
                  parts[*o - 1].evidence_path, parts[i].evidence_path, set->kind,
                  set->items[s->subject].id, set->items[s->subject].name, scs[s->sc]->id);
        return -1;
    }
    *o = (int)i + 1;
    return 0;
}

/* One part's scores, placed in the merged sets and appended to r. */
static int read_part_scores(merge_part *parts, size_t i, int **owner, scorecard **scs, size_t nsc,
                            kh_results *r, kh_error *err)
{
    merge_cursor *c = merge_scores_open(&parts[i], NULL, scs, nsc, r, err);
    if (!c)
        return -1;
    kh_score s;
    int step;
    while ((step = merge_score_next(c, &s, err)) == MERGE_ROW) {
        if (claim_subject(owner, parts, i, scs, r, &s, err) != 0) {
            merge_cursor_close(c);
            return -1;
        }
        size_t k = KH_PUSH(r->scores, r->nscores, r->capscores);
        r->scores[k] = s;
        r->scores[k].reason = xstrdup(s.reason);
    }
    if (step == MERGE_UNFIT) {
        const char *kind, *subject, *item;
        merge_cursor_keys(c, &kind, &subject, &item);
        kh_seterr(err, "%s: run %lld: score of %s %s item %s does not fit its scorecards",
                  parts[i].path, (long long)parts[i].run, kind, subject, item);
    }
    merge_cursor_close(c);
    return step == MERGE_END ? 0 : -1;
}

/* Every part's scores, held (one county merged on its own). */
static int read_scores(merge_part *parts, size_t n, scorecard **scs, size_t nsc, kh_results *r,
                       kh_error *err)
{
    int **owner = xcalloc(nsc * r->nsets, sizeof *owner); /* [sc][set][subject] = part + 1 */
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = read_part_scores(parts, i, owner, scs, nsc, r, err);
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
    merge_cursor *c; /* a part's scores of one scorecard, or its deductions */
    int has_row;
    long at[4];     /* scorecard, set, subject, item */
    kh_score s;     /* the row of a score cursor */
    kh_deduction d; /* the row of a deduction cursor */
} head;

static void place(long at[4], size_t sc, size_t set, size_t subject, size_t item)
{
    at[0] = (long)sc;
    at[1] = (long)set;
    at[2] = (long)subject;
    at[3] = (long)item;
}

/* Steps a head of scores of scorecard sc. 0, or -1 with err (a row that does not fit). */
static int head_next_score(head *h, const merge_part *p, const scorecard *sc, kh_error *err)
{
    int step = merge_score_next(h->c, &h->s, err);
    h->has_row = step == MERGE_ROW;
    if (h->has_row)
        place(h->at, h->s.sc, h->s.set, h->s.subject, h->s.item);
    else if (step == MERGE_UNFIT)
        kh_seterr(err, "%s: a score does not fit scorecard %s", p->path, sc->id);
    return step == MERGE_ROW || step == MERGE_END ? 0 : -1;
}

/* Steps a head of deductions. 0, or -1 with err. */
static int head_next_deduction(head *h, const merge_part *p, kh_error *err)
{
    int step = merge_deduction_next(h->c, &h->d, err);
    h->has_row = step == MERGE_ROW;
    if (h->has_row)
        place(h->at, h->d.sc, h->d.set, h->d.subject, h->d.item);
    else if (step == MERGE_UNFIT)
        kh_seterr(err, "%s: a deduction does not fit its scorecards", p->path);
    return step == MERGE_ROW || step == MERGE_END ? 0 : -1;
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

/* Deductions of one item: the evidence key, the row carrying the points first, the reason. */
static int head_cmp_deduction(const head *a, const head *b)
{
    int c = head_cmp_place(a, b);
    if (c)
        return c;
    c = strcmp(a->d.key, b->d.key);
    if (c)
        return c;
    if (a->d.points != b->d.points)
        return a->d.points > b->d.points ? -1 : 1;
    return strcmp(a->d.reason, b->d.reason);
}

/* The head whose row comes first in the merged order; NULL when every stream is done. */
static head *head_min(head *h, size_t n, int (*cmp)(const head *, const head *))
{
    head *best = NULL;
    for (size_t i = 0; i < n; i++)
        if (h[i].has_row && (!best || cmp(&h[i], best) < 0))
            best = &h[i];
    return best;
}

/* Closes the heads' cursors (a scorecard's streams are done, or failed). */
static void heads_close(head *heads, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        merge_cursor_close(heads[i].c);
        heads[i].c = NULL;
        heads[i].has_row = 0;
    }
}

/* ---- scores of a province: streamed, a scorecard at a time ------------------------------
 * Each row goes straight into the output; a subject's items are summed as they pass
 * (kh_add_total), and when the scorecard is done its roll-ups and ranks are computed from the
 * totals alone. Memory holds the subjects' totals, never the scores. */

/* The subject whose items are being summed, and which part it came from. */
typedef struct group {
    long set, subject; /* -1: none yet */
    size_t part;
    points_t total;
    int pending, vetoed;
} group;

/* The heads' scores of scorecard si, merged into the output and summed per subject. */
static int stream_scorecard(merge_part *parts, size_t n, head *heads, scorecard **scs, size_t nsc,
                            size_t si, kh_results *r, merge_copy *out, kh_error *err)
{
    const scorecard *sc = scs[si];
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        heads[i].c = merge_scores_open(&parts[i], sc->id, scs, nsc, r, err);
        rc = heads[i].c ? head_next_score(&heads[i], &parts[i], sc, err) : -1;
    }
    size_t first_total = r->ntotals;
    group g = {-1, -1, 0, 0, 0, 0};
    while (rc == 0) {
        head *best = head_min(heads, n, head_cmp_place);
        int same = best && best->at[1] == g.set && best->at[2] == g.subject;
        if (same && (size_t)(best - heads) != g.part) {
            const kh_subject_set *set = &r->sets[g.set];
            kh_seterr(err,
                      "evidence %s and evidence %s both assess %s %s (%s) for scorecard %s: "
                      "the same evidence given twice?",
                      parts[g.part].evidence_path, parts[best - heads].evidence_path, set->kind,
                      set->items[g.subject].id, set->items[g.subject].name, sc->id);
            rc = -1;
            break;
        }
        if (g.set >= 0 && !same)
            kh_add_total(sc, si, r, (size_t)g.set, (size_t)g.subject, g.total, g.pending, g.vetoed);
        if (!best)
            break;
        if (!same)
            g = (group){best->at[1], best->at[2], (size_t)(best - heads), 0, 0, 0};
        if (best->s.status == ST_PENDING)
            g.pending++;
        else
            g.total += best->s.points;
        g.vetoed += best->s.veto;
        rc = merge_copy_row(out, best->c, err);
        r->nscores_streamed++;
        if (rc == 0)
            rc = head_next_score(best, &parts[best - heads], sc, err);
    }
    heads_close(heads, n);
    if (rc == 0)
        kh_finish_totals(sc, si, r, first_total);
    return rc;
}

/* Every part's scores into the output, scorecard by scorecard, and the totals of each. */
static int stream_scores(merge_part *parts, size_t n, scorecard **scs, size_t nsc, kh_results *r,
                         results_tx *tx, int64_t run_id, kh_error *err)
{
    merge_copy *out = merge_copy_scores(tx, run_id, err);
    if (!out)
        return -1;
    head *heads = xcalloc(n ? n : 1, sizeof *heads);
    int rc = 0;
    for (size_t si = 0; si < nsc && rc == 0; si++)
        rc = stream_scorecard(parts, n, heads, scs, nsc, si, r, out, err);
    free(heads);
    merge_copy_close(out);
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
        long at[4];
        place(at, m->sc, m->set, m->subject, m->item);
        if (place_cmp(at, h->at) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == r->nscores)
        return NULL;
    kh_score *s = &r->scores[lo];
    long at[4];
    place(at, s->sc, s->set, s->subject, s->item);
    return place_cmp(at, h->at) == 0 ? s : NULL;
}

/* Every part's deductions, merged into the output in the single run's order; each held score
 * counts its evidence rows (the ledger's "证据N条"). */
static int merge_deductions(merge_part *parts, size_t n, scorecard **scs, size_t nsc, kh_results *r,
                            results_tx *tx, int64_t run_id, size_t *count, kh_error *err)
{
    merge_copy *out = merge_copy_deductions(tx, run_id, err);
    if (!out)
        return -1;
    head *heads = xcalloc(n ? n : 1, sizeof *heads);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        heads[i].c = merge_deductions_open(&parts[i], scs, nsc, r, err);
        rc = heads[i].c ? head_next_deduction(&heads[i], &parts[i], err) : -1;
    }
    *count = 0;
    head *best;
    while (rc == 0 && (best = head_min(heads, n, head_cmp_deduction)) != NULL) {
        rc = merge_copy_row(out, best->c, err);
        (*count)++;
        kh_score *score = score_of(r, best);
        if (score)
            score->nevidence += kh_key_count(best->d.key);
        if (rc == 0)
            rc = head_next_deduction(best, &parts[best - heads], err);
    }
    heads_close(heads, n);
    free(heads);
    merge_copy_close(out);
    return rc;
}

/* The merged evidence record being summed: per table, the parts' hashes concatenated. */
typedef struct evidence_sum {
    ev_hash *ev;
    strbuf *per;
    size_t cap;
} evidence_sum;

/* One part's evidence table (merge_part_evidence's fn): counted, and its hash queued. */
static void add_evidence(void *ud, const char *table, int64_t rows, const char *sha256)
{
    evidence_sum *e = ud;
    size_t t = 0;
    while (t < e->ev->count && strcmp(e->ev->tables[t].table, table))
        t++;
    if (t == e->ev->count) {
        size_t old = e->cap;
        KH_PUSH(e->ev->tables, e->ev->count, e->cap);
        if (e->cap != old) {
            e->per = xrealloc(e->per, e->cap * sizeof *e->per);
            memset(e->per + old, 0, (e->cap - old) * sizeof *e->per);
        }
        memset(&e->ev->tables[t], 0, sizeof e->ev->tables[t]);
        e->ev->tables[t].table = xstrdup(table);
    }
    e->ev->tables[t].rows += rows;
    sb_append(&e->per[t], sha256);
}

/* The merged run's evidence record: per table the rows of all parts and a hash over the
 * parts' hashes in part order; the whole likewise. Each part's own hash is in run_part. */
static int merged_evidence(merge_part *parts, size_t n, kh_manifest *m, kh_error *err)
{
    strbuf all = {0}, paths = {0};
    evidence_sum e = {&m->evidence, NULL, 0};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        sb_append(&all, parts[i].evidence_hash);
        sb_printf(&paths, "%s%s", i ? "; " : "", parts[i].evidence_path);
        rc = merge_part_evidence(&parts[i], add_evidence, &e, err);
    }
    for (size_t t = 0; t < m->evidence.count; t++) {
        if (rc == 0)
            kh_sha256_hex(sb_str(&e.per[t]), e.per[t].len, m->evidence.tables[t].sha256);
        sb_free(&e.per[t]);
    }
    free(e.per);
    if (rc == 0) {
        kh_sha256_hex(sb_str(&all), all.len, m->evidence.sha256);
        m->owned_evidence_path = sb_take(&paths);
        m->nparts = n;
        m->evidence_path = m->owned_evidence_path;
    }
    sb_free(&all);
    sb_free(&paths);
    return rc;
}

/* ---- the merge, step by step ------------------------------------------------------------*/

/* Opens every input; each must agree with the first. */
static int open_parts(merge_part *parts, const kh_merge_options *opt, kh_error *err)
{
    for (size_t i = 0; i < opt->ninputs; i++)
        if (merge_part_open(&parts[i], opt->inputs[i], err) != 0 ||
            (i && parts_agree(&parts[0], &parts[i], err) != 0))
            return -1;
    return 0;
}

/* The scorecards as they were run: the language and each file must still hash as recorded. */
static int load_scorecards(const merge_part *p, sc_loader *ld, kh_run_outcome *out, kh_error *err)
{
    if (strcmp(sc_loader_dsl_sha256(ld), p->language_sha) != 0) {
        kh_seterr(err, "%s: the scorecard language %s has changed since %s was run", p->path,
                  sc_loader_dsl_path(ld), p->path);
        return -1;
    }
    out->scs = xcalloc(p->nsc ? p->nsc : 1, sizeof *out->scs);
    for (size_t i = 0; i < p->nsc; i++) {
        if (app_load_one(NULL, p->sc_file[i], &out->scs[i], err) != 0)
            return -1;
        out->nsc++;
        if (strcmp(out->scs[i]->sha256, p->sc_sha[i]) != 0) {
            kh_seterr(err, "%s: changed since %s was run (SHA-256 %s, recorded %s)", p->sc_file[i],
                      p->path, out->scs[i]->sha256, p->sc_sha[i]);
            return -1;
        }
    }
    return 0;
}

/* The merged results held in memory: the subjects, and for one county (a part merged on its
 * own, for the full workbook with its forms) the scores, totals, roll-ups and ranks. More
 * counties (a province): *stream is set, and the scores are streamed when the run is written,
 * so that memory stays flat. */
static int merge_results(merge_part *parts, size_t n, kh_run_outcome *out, int *stream,
                         kh_error *err)
{
    kh_results *r = &out->results;
    r->period = xstrdup(parts[0].period);
    sb_append(&r->params_text, parts[0].params);
    if (read_subjects(parts, n, out->scs, out->nsc, r, err) != 0 ||
        app_merge_wenze(parts, n, out, err) != 0) /* the parts' 问责名单 */
        return -1;
    *stream = kh_results_many_counties(r);
    if (*stream)
        return 0;
    if (read_scores(parts, n, out->scs, out->nsc, r, err) != 0)
        return -1;
    kh_results_sort_scores(r);
    for (size_t si = 0, first = 0; si < out->nsc; si++) {
        kh_finish_scorecard(out->scs[si], si, r, first);
        while (first < r->nscores && r->scores[first].sc == si)
            first++;
    }
    return 0;
}

/* The merged run's manifest: the first part's period, parameters and language, the deadline,
 * and the evidence of all parts. */
static int merge_manifest(merge_part *parts, size_t n, const kh_merge_options *opt,
                          const sc_loader *ld, kh_run_outcome *out, kh_error *err)
{
    kh_results *r = &out->results;
    kh_manifest *m = &out->manifest;
    m->period = r->period;
    m->params = sb_str(&r->params_text);
    m->language_path = xstrdup(sc_loader_dsl_path(ld));
    memcpy(m->language_sha256, parts[0].language_sha, sizeof m->language_sha256 - 1);
    if (app_deadline(opt->deadline, r->period, m, err) != 0)
        return -1;
    return merged_evidence(parts, n, m, err);
}

/* The merged run's rows, in the transaction: header, streamed scores, the held rows, the
 * parts, the deductions. */
static int write_run(merge_part *parts, size_t n, int stream, results_tx *tx, kh_run_outcome *out,
                     kh_error *err)
{
    kh_results *r = &out->results;
    if (results_add_header(tx, &out->manifest, out->scs, out->nsc, r, &out->run_id) != 0)
        return -1;
    out->manifest.run_id = out->run_id; /* 运行信息 prints it */
    if (stream && stream_scores(parts, n, out->scs, out->nsc, r, tx, out->run_id, err) != 0)
        return -1;
    if (results_add_body(tx, out->run_id, out->scs, r) != 0 ||
        merge_write_parts(tx, out->run_id, parts, n, err) != 0)
        return -1;
    return merge_deductions(parts, n, out->scs, out->nsc, r, tx, out->run_id, &r->nstreamed, err);
}

/* Writes the merged run into the results database (a scratch one in TMPDIR when none is
 * given: the deductions stream through it into the workbook) and the workbook under a
 * temporary name beside it, renamed only once the run is committed. */
static int write_merged(merge_part *parts, size_t n, int stream, const kh_merge_options *opt,
                        kh_run_outcome *out, kh_error *err)
{
    strbuf scratch = {0}, xlsx = {0};
    results_tx *tx = NULL;
    int rc = -1;
    if (!opt->results_db && kh_tmp_scratch(&scratch, "merge", err) != 0)
        goto done;
    tx = results_begin(opt->results_db ? opt->results_db : sb_str(&scratch), err);
    if (!tx || write_run(parts, n, stream, tx, out, err) != 0)
        goto done;
    if (opt->out_xlsx &&
        (kh_tmp_beside(&xlsx, opt->out_xlsx, err) != 0 ||
         app_report_from_store(tx, out->run_id, sb_str(&xlsx), opt->out_xlsx, &out->manifest,
                               out->scs, out->nsc, &out->results, err) != 0))
        goto done;
    int crc = results_commit(tx);
    tx = NULL;
    if (crc != 0)
        goto done;
    if (xlsx.len) {
        if (rename(sb_str(&xlsx), opt->out_xlsx) != 0) {
            kh_seterr(err, "%s: cannot write workbook: %s", opt->out_xlsx, strerror(errno));
            goto done;
        }
        sb_free(&xlsx); /* renamed: nothing to remove */
    }
    if (!opt->results_db)
        out->run_id = 0;
    rc = 0;
done:
    results_abort(tx);
    if (xlsx.len)
        unlink(sb_str(&xlsx));
    if (scratch.len)
        unlink(sb_str(&scratch));
    sb_free(&xlsx);
    sb_free(&scratch);
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
    merge_part *parts = xcalloc(n, sizeof *parts);
    sandbox *sb = NULL;
    sc_loader *ld = NULL;
    int stream = 0, rc = -1;
    if (open_parts(parts, opt, err) != 0)
        goto done;
    sb = sandbox_new(NULL, err);
    ld = sb ? sc_loader_new(sb, kh_home(), err) : NULL;
    if (!ld || load_scorecards(&parts[0], ld, out, err) != 0 ||
        merge_results(parts, n, out, &stream, err) != 0 ||
        merge_manifest(parts, n, opt, ld, out, err) != 0 ||
        write_merged(parts, n, stream, opt, out, err) != 0)
        goto done;
    rc = 0;
done:
    for (size_t i = 0; i < n; i++)
        merge_part_close(&parts[i]);
    free(parts);
    sc_loader_free(ld);
    sandbox_free(sb);
    return rc;
}
