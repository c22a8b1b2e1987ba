/*
 * wenze.c — the 问责名单 built from a run's 包抓 results and the evidence's 整改台账. See wenze.h.
 *
 * Conditions, as docs/forms/bazhua_cadre_2018.md and README (问责名单) state them:
 *   1 现场包抓频次不够: the card's item 8.1 lost with its visit part failing — the card writes
 *     "…有月份未到村…" in the reason then (a loss on the 台账 finding alone is not 频次);
 *   2 被通报: a problem on one of the cadre's villages whose source begins with 通报;
 *   3 年终考核等级为“差”: the cadre's grade is 差 (a veto item, or bands a county declared);
 *   4 舆情: a problem on one of the cadre's villages whose source begins with 舆情.
 * Problems closed (已销号) before the period began are not the period's.
 */
#include "core/wenze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"

/* The visit part of item 8.1 failing, as scorecards/bazhua_cadre_2018.lua words it. */
#define VISIT_ITEM  "8.1"
#define VISIT_SHORT "未到村"

/* The seed's words; a text on two lines is in ( ) for clang's -Wstring-concatenation. */
static const char *const CONDITION_TEXT[] = {
    "",
    "思想认识不到位，不服从全县统一安排，对包抓工作消极对待，1年内现场包抓频次不够的。",
    "在各级脱贫攻坚考核、检查、评估中，所包抓村健康扶贫领域存在问题被通报的。",
    "所包抓村健康扶贫工作推动不力、相关政策落实不到位，年终考核等级为“差”的。",
    ("对所包抓村健康扶贫领域苗头性、倾向性舆情信息掌握不及时、督促处置不到位，"
     "导致发生重大舆情事件、造成不良影响的。"),
};

const char *kh_wenze_condition_text(int condition)
{
    return condition >= 1 && condition <= 4 ? CONDITION_TEXT[condition] : "";
}

/* The cadres' departments, in id order (the evidence's cadre table). */
typedef struct dept_map {
    char **id, **dept;
    size_t n, cap;
} dept_map;

static int dept_row(void *ud, ev_cursor *c)
{
    dept_map *m = ud;
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 64;
        m->id = xrealloc(m->id, m->cap * sizeof *m->id);
        m->dept = xrealloc(m->dept, m->cap * sizeof *m->dept);
    }
    m->id[m->n] = xstrdup(ev_text(c, 0));
    m->dept[m->n++] = xstrdup(ev_text(c, 1));
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *dept_of(const dept_map *m, const char *id)
{
    char **hit = m->n ? bsearch(&id, m->id, m->n, sizeof *m->id, cmp_str) : NULL;
    return hit ? m->dept[hit - m->id] : "";
}

static void dept_free(dept_map *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->id[i]);
        free(m->dept[i]);
    }
    free(m->id);
    free(m->dept);
}

static void add_row(kh_wenze *w, const dept_map *m, const char *id, const char *name, int condition,
                    char *said)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 16;
        w->rows = xrealloc(w->rows, w->cap * sizeof *w->rows);
    }
    w->rows[w->n++] = (kh_wenze_row){xstrdup(id), xstrdup(name ? name : ""),
                                     xstrdup(dept_of(m, id)), condition, said};
}

/* The index of the card in the run, or -1. */
static long wenze_card(struct scorecard **scs, size_t nsc)
{
    for (size_t i = 0; i < nsc; i++)
        if (strcmp(scs[i]->id, WENZE_SCORECARD) == 0)
            return (long)i;
    return -1;
}

/* Conditions 1 and 3 from the card's scores and totals. */
static void from_results(struct scorecard *sc, size_t sci, const kh_results *r, const dept_map *m,
                         kh_wenze *w)
{
    char pts[32];
    for (size_t i = 0; i < r->ntotals; i++) {
        const kh_total *t = &r->totals[i];
        const kh_subject_set *set = &r->sets[t->set];
        if (t->sc != sci || t->rollup || strcmp(set->kind, "cadre") != 0)
            continue;
        const kh_subject *s = &set->items[t->subject];
        int is_bad = t->grade && strcmp(t->grade, "差") == 0, vetoes = 0;
        for (size_t k = 0; k < r->nscores; k++) {
            const kh_score *x = &r->scores[k];
            if (x->sc != sci || x->set != t->set || x->subject != t->subject)
                continue;
            const char *no = sc->items[x->item].no;
            strbuf ev = {0};
            if (is_bad && x->veto) {
                sb_printf(&ev, "第%s项否决：%s", no, x->reason ? x->reason : "");
                add_row(w, m, s->id, s->name, 3, sb_take(&ev));
                vetoes++;
            }
            if (x->status == ST_DEDUCTED && strcmp(no, VISIT_ITEM) == 0 && x->reason &&
                strstr(x->reason, VISIT_SHORT)) {
                points_format(x->max - x->points, pts, sizeof pts);
                sb_printf(&ev, "第%s项扣%s分：%s", no, pts, x->reason);
                add_row(w, m, s->id, s->name, 1, sb_take(&ev));
            }
        }
        if (is_bad && !vetoes) {
            strbuf ev = {0};
            points_format(t->total, pts, sizeof pts);
            sb_printf(&ev, "年终考核等级为“差”（总分%s分）", pts);
            add_row(w, m, s->id, s->name, 3, sb_take(&ev));
        }
    }
}

/* Problems of the period on a cadre's villages marked 通报 (condition 2) or 舆情 (4). */
static const char MARKED_PROBLEMS[] =
    "SELECT DISTINCT a.cadre_id, iif(substr(p.source, 1, 2) = '通报', 2, 4), p.id, v.name, "
    "  p.description, p.source "
    "FROM cadre_assignment a "
    "JOIN village v ON v.id = a.village_id OR (a.village_id IS NULL AND v.township_id = "
    "  a.township_id) "
    "JOIN problem p ON p.subject_kind = 'village' AND p.subject_id = v.id "
    "WHERE a.year = :year AND substr(p.source, 1, 2) IN ('通报', '舆情') "
    "  AND NOT (p.status = '已销号' AND p.closed_on < :period_start)";

struct marked_read {
    kh_wenze *w;
    const dept_map *m;
    const kh_results *r;
    const kh_subject_set *cadres; /* the run's cadres, for their names; may be NULL */
};

static int marked_row(void *ud, ev_cursor *c)
{
    struct marked_read *d = ud;
    const char *id = ev_text(c, 0);
    long k = d->cadres ? kh_subject_find(d->cadres, id) : -1;
    if (k < 0) /* not a cadre this run assesses */
        return 0;
    strbuf ev = {0};
    sb_printf(&ev, "问题%s（%s）：%s；来源：%s", ev_text(c, 2), ev_text(c, 3), ev_text(c, 4),
              ev_text(c, 5));
    add_row(d->w, d->m, id, d->cadres->items[k].name, (int)strtol(ev_text(c, 1), NULL, 10),
            sb_take(&ev));
    return 0;
}

static int cmp_row(const void *a, const void *b)
{
    const kh_wenze_row *x = a, *y = b;
    int c = strcmp(x->cadre_id, y->cadre_id);
    if (c == 0)
        c = x->condition - y->condition;
    return c ? c : strcmp(x->evidence, y->evidence);
}

int kh_wenze_build(evidence *ev, struct scorecard **scs, size_t nsc, const kh_results *r,
                   kh_wenze *out, kh_error *err)
{
    memset(out, 0, sizeof *out);
    long sci = wenze_card(scs, nsc);
    if (sci < 0)
        return 0;
    const kh_subject_set *cadres = NULL;
    for (size_t i = 0; i < r->nsets; i++)
        if (strcmp(r->sets[i].kind, "cadre") == 0)
            cadres = &r->sets[i];
    char start[32];
    long year = strtol(r->period ? r->period : "", NULL, 10);
    snprintf(start, sizeof start, "%04ld-01-01", year);
    kh_param params[] = {{"year", {.type = KH_INT, .i = year}},
                         {"period_start", {.type = KH_TEXT, .s = start}}};
    dept_map m = {0};
    struct marked_read d = {out, &m, r, cadres};
    int rc = ev_host_rows(ev, "SELECT id, department FROM cadre ORDER BY id", NULL, 0,
                          "listing the cadres' departments for 问责名单:", dept_row, &m, err);
    if (rc == 0) {
        from_results(scs[sci], (size_t)sci, r, &m, out);
        rc = ev_host_rows(ev, MARKED_PROBLEMS, params, 2,
                          "listing 通报 and 舆情 problems for 问责名单:", marked_row, &d, err);
    }
    dept_free(&m);
    if (rc != 0) {
        kh_wenze_free(out);
        return -1;
    }
    if (out->n)
        qsort(out->rows, out->n, sizeof *out->rows, cmp_row);
    return 1;
}

void kh_wenze_free(kh_wenze *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->rows[i].cadre_id);
        free(w->rows[i].name);
        free(w->rows[i].department);
        free(w->rows[i].evidence);
    }
    free(w->rows);
    memset(w, 0, sizeof *w);
}
