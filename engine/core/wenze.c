/*
 * wenze.c — the 问责名单 built from a run's 包抓 results and the evidence's 整改台账. See wenze.h.
 *
 * Conditions, as docs/forms/bazhua_cadre_2018.md and README (问责名单) state them:
 *   1 现场包抓频次不够: the card's item 8.1 lost with its visit part failing — the card writes
 *     "…有月份未到村…" in the reason then (a loss on the 台账 finding alone is not 频次);
 *   2 被通报: a problem on one of the cadre's villages whose source begins with 通报;
 *   3 年终考核等级为“差”: the cadre's grade is 差 (a veto item, or bands a county declared);
 *   4 舆情: a problem on one of the cadre's villages whose source begins with 舆情;
 *   5 其他相关情形: not computable; an inspector's finding 是 on the cadre under
 *     WENZE_FINDING_ITEM, its note the 情形 (a finding on a cadre the run does not assess is an
 *     error: it would be dropped silently otherwise).
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
    "《健康扶贫责任落实行动工作方案》规定的其他相关情形等。",
};

const char *kh_wenze_condition_text(int condition)
{
    return condition >= 1 && condition <= 5 ? CONDITION_TEXT[condition] : "";
}

const char *kh_wenze_span(const kh_wenze *w)
{
    for (size_t i = 0; i < w->n; i++)
        if (w->rows[i].condition == 5)
            return "1—5";
    return "1—4";
}

int kh_wenze_many_counties(const kh_wenze *w)
{
    for (size_t i = 1; i < w->n; i++)
        if (strcmp(w->rows[i].county, w->rows[0].county) != 0)
            return 1;
    return 0;
}

int kh_wenze_finding_kind(const char *card, const char *item, const char *kind, kh_error *err)
{
    if (strcmp(card, WENZE_SCORECARD) != 0 || strcmp(item, WENZE_FINDING_ITEM) != 0)
        return 0;
    if (strcmp(kind, "cadre") == 0)
        return 1;
    kh_seterr(err,
              "a %s finding (问责情形5, 其他相关情形) is about a 包抓 cadre: subject_kind must be "
              "cadre, not %s",
              WENZE_FINDING_ITEM, kind);
    return -1;
}

/* The cadres' departments and the counties of their 包抓 assignments in the period's year, in
 * id order (the evidence's cadre table). */
typedef struct dept_map {
    char **id, **dept, **county;
    size_t n, cap;
} dept_map;

static const char CADRES[] =
    "SELECT c.id, c.department, coalesce((SELECT group_concat(name, '、') FROM (SELECT DISTINCT "
    "  co.name FROM cadre_assignment a JOIN township t ON t.id = a.township_id "
    "  JOIN county co ON co.id = t.county_id WHERE a.cadre_id = c.id AND a.year = :year "
    "  ORDER BY co.name)), '') "
    "FROM cadre c ORDER BY c.id";

static int dept_row(void *ud, ev_cursor *c)
{
    dept_map *m = ud;
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 64;
        m->id = xrealloc(m->id, m->cap * sizeof *m->id);
        m->dept = xrealloc(m->dept, m->cap * sizeof *m->dept);
        m->county = xrealloc(m->county, m->cap * sizeof *m->county);
    }
    m->id[m->n] = xstrdup(ev_text(c, 0));
    m->dept[m->n] = xstrdup(ev_text(c, 1));
    m->county[m->n++] = xstrdup(ev_text(c, 2));
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The cadre's index in m, or -1. */
static long cadre_at(const dept_map *m, const char *id)
{
    char **hit = m->n ? bsearch(&id, m->id, m->n, sizeof *m->id, cmp_str) : NULL;
    return hit ? hit - m->id : -1;
}

static void dept_free(dept_map *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->id[i]);
        free(m->dept[i]);
        free(m->county[i]);
    }
    free(m->id);
    free(m->dept);
    free(m->county);
}

void kh_wenze_add(kh_wenze *w, const kh_wenze_row *x)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 16;
        w->rows = xrealloc(w->rows, w->cap * sizeof *w->rows);
    }
    w->rows[w->n++] = (kh_wenze_row){xstrdup(x->cadre_id),   xstrdup(x->name ? x->name : ""),
                                     xstrdup(x->department), x->condition,
                                     xstrdup(x->evidence),   xstrdup(x->county ? x->county : "")};
}

/* A row of cadre `id` (department and county from m); takes `said`. */
static void add_row(kh_wenze *w, const dept_map *m, const char *id, const char *name, int condition,
                    char *said)
{
    long k = cadre_at(m, id);
    kh_wenze_row x = {(char *)id, (char *)name, k < 0 ? "" : m->dept[k],
                      condition,  said,         k < 0 ? "" : m->county[k]};
    kh_wenze_add(w, &x);
    free(said);
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

/* Condition 5: the inspectors' findings 是 on cadres under WENZE_FINDING_ITEM for the period,
 * the note being the 情形 they found. */
static const char OTHER_FINDINGS[] =
    "SELECT subject_id, id, note, inspector, inspected_on, evidence_ref FROM finding "
    "WHERE scorecard = :scorecard AND item = :item AND subject_kind = 'cadre' "
    "  AND period = :period AND answer = '是' ORDER BY id";

struct other_read {
    kh_wenze *w;
    const dept_map *m;
    const kh_subject_set *cadres; /* may be NULL */
    kh_error *err;
    int failed; /* a finding on a cadre the run does not assess (err set) */
};

static int other_row(void *ud, ev_cursor *c)
{
    struct other_read *d = ud;
    const char *id = ev_text(c, 0);
    long k = d->cadres ? kh_subject_find(d->cadres, id) : -1;
    if (k < 0) {
        kh_seterr(d->err,
                  "finding %s (%s, 问责情形5) names cadre '%s', who is not a 包抓 cadre of this "
                  "run (no 包抓 assignment in the period's year): correct or remove it (kaohe "
                  "findings remove)",
                  ev_text(c, 1), WENZE_FINDING_ITEM, id);
        d->failed = 1;
        return 1;
    }
    strbuf ev = {0};
    sb_printf(&ev, "核查结论%s（%s %s）：%s", ev_text(c, 1), ev_text(c, 3), ev_text(c, 4),
              ev_text(c, 2));
    if (*ev_text(c, 5))
        sb_printf(&ev, "；佐证：%s", ev_text(c, 5));
    add_row(d->w, d->m, id, d->cadres->items[k].name, 5, sb_take(&ev));
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

void kh_wenze_sort(kh_wenze *w)
{
    if (w->n)
        qsort(w->rows, w->n, sizeof *w->rows, cmp_row);
}

/* Conditions 2, 4 (problems) and 5 (findings) from the evidence. 0, or -1 with err. */
static int from_evidence(evidence *ev, const kh_results *r, const kh_subject_set *cadres,
                         const dept_map *m, kh_wenze *out, kh_param *params, kh_error *err)
{
    struct marked_read d = {out, m, r, cadres};
    int rc = ev_host_rows(ev, MARKED_PROBLEMS, params, 2,
                          "listing 通报 and 舆情 problems for 问责名单:", marked_row, &d, err);
    if (rc != 0)
        return -1;
    kh_param fp[] = {{"scorecard", {.type = KH_TEXT, .s = WENZE_SCORECARD}},
                     {"item", {.type = KH_TEXT, .s = WENZE_FINDING_ITEM}},
                     {"period", {.type = KH_TEXT, .s = r->period ? r->period : ""}}};
    struct other_read o = {out, m, cadres, err, 0};
    rc = ev_host_rows(ev, OTHER_FINDINGS, fp, 3,
                      "listing 问责情形5 findings for 问责名单:", other_row, &o, err);
    return rc == 0 && !o.failed ? 0 : -1;
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
    int rc = ev_host_rows(ev, CADRES, params, 1,
                          "listing the cadres' departments for 问责名单:", dept_row, &m, err);
    if (rc == 0) {
        from_results(scs[sci], (size_t)sci, r, &m, out);
        rc = from_evidence(ev, r, cadres, &m, out, params, err);
    }
    dept_free(&m);
    if (rc != 0) {
        kh_wenze_free(out);
        return -1;
    }
    kh_wenze_sort(out);
    return 1;
}

void kh_wenze_free(kh_wenze *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->rows[i].cadre_id);
        free(w->rows[i].name);
        free(w->rows[i].department);
        free(w->rows[i].evidence);
        free(w->rows[i].county);
    }
    free(w->rows);
    free(w->note);
    memset(w, 0, sizeof *w);
}
