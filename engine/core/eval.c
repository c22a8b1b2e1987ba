/*
 * eval.c — set-based evaluation of scorecards. See eval.h for the guarantees.
 */
#include "core/eval.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "core/amounts.h"
#include "core/caps.h"
#include "core/check_internal.h"
#include "core/core_internal.h"
#include "core/schedule.h"
#include "core/sets.h"
#include "core/subjects.h"
#include "core/wenze.h"
#include "core/window.h"
#include "evidence/sets.h"

/* ---- subjects ----------------------------------------------------------------------------
 * How each kind of subject is listed: core/kinds.h. */

struct subject_index {
    size_t *slots; /* index + 1; 0 = empty */
    size_t mask;
};

static void index_build(kh_subject_set *set)
{
    struct subject_index *ix = xcalloc(1, sizeof *ix);
    size_t cap = 16;
    while (cap < set->count * 2)
        cap *= 2;
    ix->slots = xcalloc(cap, sizeof *ix->slots);
    ix->mask = cap - 1;
    for (size_t i = 0; i < set->count; i++) {
        size_t h = (size_t)kh_hash_str(set->items[i].id) & ix->mask;
        while (ix->slots[h])
            h = (h + 1) & ix->mask;
        ix->slots[h] = i + 1;
    }
    set->index = ix;
}

/* Index of the subject with `id`, or -1. */
static long subject_find(const kh_subject_set *set, const char *id)
{
    const struct subject_index *ix = set->index;
    size_t h = (size_t)kh_hash_str(id) & ix->mask;
    while (ix->slots[h]) {
        size_t i = ix->slots[h] - 1;
        if (strcmp(set->items[i].id, id) == 0)
            return (long)i;
        h = (h + 1) & ix->mask;
    }
    return -1;
}

/* Evidence built before the city level existed has no city table: its counties have no city
 * (and there are no cities to roll up to) rather than an error. */
static const char *const SUBJECT_SQL_NO_CITY[][2] = {
    {"city", "SELECT '', '', '', '' WHERE 0"},
    {"county", "SELECT id, name, province, '' FROM county ORDER BY id"},
};

static int has_city_table(evidence *ev)
{
    ev_cursor *c = NULL;
    kh_error ignore;
    if (ev_query(ev, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'city'", NULL, 0,
                 "", &c, &ignore) != 0)
        return 0;
    int present = ev_step(c, &ignore) == 1;
    ev_done(c);
    return present;
}

/* The set of `kind` already listed, or -1; -2 with err set when it was listed otherwise than
 * `listing` says (NULL: the kind's own listing). One run lists each kind once, so scorecards run
 * together must list a kind alike. */
static long subject_set_listed(kh_results *out, const char *kind, const char *listing,
                               const char *who, kh_error *err)
{
    for (size_t i = 0; i < out->nsets; i++) {
        if (strcmp(out->sets[i].kind, kind) != 0)
            continue;
        const char *had = out->sets[i].listing;
        if ((had == NULL) == (listing == NULL) && (!had || strcmp(had, listing) == 0))
            return (long)i;
        kh_seterr(err,
                  "%s lists %s subjects as {%s}, but another scorecard of this run lists them as "
                  "{%s}: scorecards run together must list a kind alike (run them separately, or "
                  "declare the same filter and parent)",
                  who, kind, listing ? listing : "all, the kind's own",
                  had ? had : "all, the kind's own");
        return -2;
    }
    return -1;
}

/* Reads the subjects of `kind` that `sql` (params bound) lists into `set`, indexed by id; 0, or
 * -1 with err set (set then holds what was read: subject_set_clear frees it either way). */
static int subjects_read(evidence *ev, const char *kind, const char *sql, const kh_param *params,
                         size_t nparams, kh_subject_set *set, kh_error *err)
{
    ev_cursor *c = NULL;
    char where[96];
    snprintf(where, sizeof where, "listing %s subjects:", kind);
    set->kind = xstrdup(kind);
    if (ev_query(ev, sql, params, nparams, where, &c, err) != 0)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = ev_step(c, err)) == 1) {
        size_t k = KH_PUSH(set->items, set->count, cap);
        set->items[k].id = xstrdup(ev_text(c, 0));
        set->items[k].name = xstrdup(ev_text(c, 1));
        set->items[k].parent = xstrdup(ev_text(c, 2));
        set->items[k].parent_id = xstrdup(ev_text(c, 3));
    }
    ev_done(c);
    index_build(set);
    return rc < 0 ? -1 : 0;
}

static void subject_set_clear(kh_subject_set *set)
{
    for (size_t j = 0; j < set->count; j++) {
        free(set->items[j].id);
        free(set->items[j].name);
        free(set->items[j].parent);
        free(set->items[j].parent_id);
    }
    free(set->items);
    free(set->kind);
    free(set->listing); /* subjects v2 */
    for (size_t j = 0; set->details && j < set->count; j++)
        free(set->details[j]);
    free(set->details);
    if (set->index) {
        free(set->index->slots);
        free(set->index);
    }
}

/* Lists the subjects of `kind` with `sql` (params bound) as a new set of out. */
static long subject_set_list(evidence *ev, kh_results *out, const char *kind, const char *sql,
                             const kh_param *params, size_t nparams, kh_error *err)
{
    int rc = subjects_read(ev, kind, sql, params, nparams, &out->sets[out->nsets], err);
    if (rc == 0) /* the line its forms print under their title (a cadre's 包抓村) */
        rc = kh_subject_details(ev, &out->sets[out->nsets], params, nparams, err);
    out->nsets++;
    return rc < 0 ? -1 : (long)(out->nsets - 1);
}

/* Lists the subjects of `kind` once per run (shared by every scorecard that assesses them). */
static long subject_set_get(evidence *ev, kh_results *out, const char *kind, const kh_param *params,
                            size_t nparams, kh_error *err)
{
    long have = subject_set_listed(out, kind, NULL, "a roll-up", err);
    if (have != -1)
        return have < 0 ? -1 : have;
    const kh_kind *def = kh_kind_find(kind);
    const char *sql = def ? def->sql : NULL;
    if ((strcmp(kind, "city") == 0 || strcmp(kind, "county") == 0) && !has_city_table(ev))
        sql = SUBJECT_SQL_NO_CITY[strcmp(kind, "city") == 0 ? 0 : 1][1];
    return subject_set_list(ev, out, kind, sql, params, nparams, err);
}

/* subjects v2: the set of sc's kind k, listed as the scorecard declares (core/subjects.h). */
static long scorecard_set_get(evidence *ev, kh_results *out, const scorecard *sc, int k,
                              const kh_param *params, size_t nparams, kh_error *err)
{
    if (!kh_listing_declared(sc, k)) {
        char who[300];
        snprintf(who, sizeof who, "%s:", sc->path);
        long have = subject_set_listed(out, sc->kinds[k], NULL, who, err);
        if (have != -1)
            return have < 0 ? -1 : have;
        return subject_set_get(ev, out, sc->kinds[k], params, nparams, err);
    }
    kh_listing l;
    kh_listing_make(sc, k, params, nparams, &l);
    char who[300];
    snprintf(who, sizeof who, "%s:", sc->path);
    long set = subject_set_listed(out, sc->kinds[k], sb_str(&l.key), who, err);
    if (set == -1) {
        set = subject_set_list(ev, out, sc->kinds[k], sb_str(&l.sql), l.params, l.nparams, err);
        if (set >= 0) {
            out->sets[set].listing = xstrdup(sb_str(&l.key));
            out->sets[set].filtered = l.filtered;
        }
    }
    kh_listing_free(&l);
    return set < 0 ? -1 : set;
}

/* ---- status ---------------------------------------------------------------------------- */

const char *kh_status_code(kh_status s)
{
    static const char *const codes[] = {"ok", "deducted", "na", "pending"};
    return codes[s];
}

const char *kh_status_label(kh_status s)
{
    static const char *const labels[] = {"合格", "扣分", "不适用", "待核实"};
    return labels[s];
}

/* ---- period and parameters ------------------------------------------------------------- */

int kh_period_params(const char *period, char start[11], char end[11], int *year, kh_error *err)
{
    if (!period || strlen(period) != 4 || !isdigit((unsigned char)period[0]) ||
        !isdigit((unsigned char)period[1]) || !isdigit((unsigned char)period[2]) ||
        !isdigit((unsigned char)period[3])) {
        kh_seterr(err, "--period %s: the assessment period must be a year such as 2018",
                  period ? period : "(none)");
        return -1;
    }
    *year = atoi(period);
    snprintf(start, 11, "%s-01-01", period);
    snprintf(end, 11, "%s-12-31", period);
    return 0;
}

void bound_free(bound_params *b)
{
    for (size_t i = 0; i < b->nowned; i++)
        free(b->owned[i]);
    free(b->owned);
    free(b->v);
}

/* Converts an override to the type of the declared default: a whole number for an integer
 * default, a real number (kh_parse_real) for a real one, the text itself otherwise. A
 * parameter some amount names (`amount`, scorecard language v2) takes a real number for an
 * integer default too: points may have decimals (amounts.c checks there are at most two). */
static int parse_override(const sc_param *decl, const char *text, int amount, kh_value *v,
                          kh_error *err)
{
    int bad = 0;
    switch (decl->value.type) {
    case KH_INT: {
        char *end = NULL;
        errno = 0;
        v->type = KH_INT;
        v->i = strtoll(text, &end, 10);
        bad = errno || end == text || *end != '\0';
        if (bad && amount) {
            v->type = KH_REAL;
            bad = kh_parse_real(text, &v->r) != 0;
        }
        break;
    }
    case KH_REAL:
        v->type = KH_REAL;
        bad = kh_parse_real(text, &v->r) != 0;
        break;
    default:
        v->type = KH_TEXT;
        v->s = text;
    }
    if (bad) {
        kh_seterr(err, "--param %s=%s: not a number (the scorecard's default is a number)",
                  decl->name, text);
        return -1;
    }
    return 0;
}

int bind_for(const scorecard *sc, const char *period, const kh_run_input *in, bound_params *b,
             strbuf *applied, kh_error *err)
{
    memset(b, 0, sizeof *b);
    int year = 0;
    if (kh_period_params(period, b->start, b->end, &year, err) != 0)
        return -1;
    b->v = xcalloc(4 + sc->nparams, sizeof *b->v);
    b->v[b->n++] = (kh_param){"period", {.type = KH_TEXT, .s = period}};
    b->v[b->n++] = (kh_param){"period_start", {.type = KH_TEXT, .s = b->start}};
    b->v[b->n++] = (kh_param){"period_end", {.type = KH_TEXT, .s = b->end}};
    b->v[b->n++] = (kh_param){"year", {.type = KH_INT, .i = year}};
    for (size_t i = 0; i < sc->nparams; i++) {
        const sc_param *p = &sc->params[i];
        kh_param *bp = &b->v[b->n++];
        bp->name = p->name;
        bp->value = p->value;
        const char *shown = NULL;
        for (size_t j = 0; in && j < in->noverrides; j++)
            if (strcmp(in->overrides[j].name, p->name) == 0) {
                if (parse_override(p, in->overrides[j].value, kh_names_amount(sc, p->name),
                                   &bp->value, err) != 0)
                    return -1;
                in->overrides[j].used = 1;
                shown = in->overrides[j].value;
            }
        if (applied) {
            char num[64];
            if (!shown) {
                if (p->value.type == KH_INT)
                    snprintf(num, sizeof num, "%lld", (long long)p->value.i);
                else if (p->value.type == KH_REAL)
                    snprintf(num, sizeof num, "%.15g", p->value.r);
                shown = p->value.type == KH_TEXT ? p->value.s : num;
            }
            sb_printf(applied, "%s%s.%s=%s", applied->len ? "; " : "", sc->id, p->name, shown);
        }
    }
    return 0;
}

/* ---- reason templates: "{name} 于 {admitted_on} 住院" -------------------------------------- */

typedef struct tpl_part {
    char *literal; /* NULL for a column */
    int col;
} tpl_part;

typedef struct tpl {
    tpl_part *parts;
    size_t n, cap;
} tpl;

static int tpl_compile(const char *text, ev_cursor *c, const char *where, tpl *t, kh_error *err)
{
    memset(t, 0, sizeof *t);
    if (!text)
        return 0;
    const char *s = text, *open, *next;
    char name[TPL_NAME_MAX];
    while ((next = tpl_next(s, &open, name)) != NULL) {
        if (open > s) {
            size_t k = KH_PUSH(t->parts, t->n, t->cap);
            t->parts[k].literal = xmalloc((size_t)(open - s) + 1);
            memcpy(t->parts[k].literal, s, (size_t)(open - s));
            t->parts[k].literal[open - s] = '\0';
        }
        int col = ev_colindex(c, name);
        if (col < 0) {
            kh_seterr(err, "%s reason uses {%s} but the query returns no column named %s", where,
                      name, name);
            return -1;
        }
        size_t k = KH_PUSH(t->parts, t->n, t->cap);
        t->parts[k].literal = NULL;
        t->parts[k].col = col;
        s = next;
    }
    if (*s) { /* the text after the last placeholder */
        size_t k = KH_PUSH(t->parts, t->n, t->cap);
        t->parts[k].literal = xstrdup(s);
    }
    return 0;
}

static char *tpl_render(const tpl *t, ev_cursor *c)
{
    strbuf sb = {0};
    for (size_t i = 0; i < t->n; i++)
        sb_append(&sb, t->parts[i].literal ? t->parts[i].literal : ev_text(c, t->parts[i].col));
    return sb_take(&sb);
}

static void tpl_free(tpl *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->parts[i].literal);
    free(t->parts);
}

/* ---- per-item evaluation --------------------------------------------------------------- */

/* What one item's query said about one subject. */
enum outcome { OUT_UNSEEN = 0, OUT_OK, OUT_FAILED, OUT_NA, OUT_PENDING };

/* Per subject accumulators for one item, one array per kind the scorecard assesses. */
typedef struct item_acc {
    int64_t *cases[SC_MAX_KINDS];
    points_t *lost[SC_MAX_KINDS];
    unsigned char *outcome[SC_MAX_KINDS];
    char **reason[SC_MAX_KINDS]; /* the rendered reason, when the rule gives one */
    int covered[SC_MAX_KINDS];   /* the query has a column for this kind */
    int col[SC_MAX_KINDS];
} item_acc;

typedef struct item_ctx {
    evidence *ev;
    const scorecard *sc;
    size_t sci, itemi;
    const sc_item *item;
    long set_of[SC_MAX_KINDS]; /* the scorecard's kind k → index in out->sets */
    bound_params *params;
    kh_results *out;
    const kh_run_input *in;
    char where[400];
    kh_caps *caps; /* scorecard language v2: the scorecard's caps ledger (NULL: none) */
} item_ctx;

static void push_deduction(kh_results *out, size_t sci, size_t itemi, size_t set, size_t subject,
                           points_t p, const char *table, const char *key, char *reason_owned)
{
    if (out->item_max && out->ndeductions - out->item_from >= out->item_max) {
        out->item_dropped++; /* eval_item refuses the item */
        free(reason_owned);
        return;
    }
    size_t k = KH_PUSH(out->deductions, out->ndeductions, out->capdeductions);
    kh_deduction *d = &out->deductions[k];
    d->sc = sci;
    d->item = itemi;
    d->set = set;
    d->subject = subject;
    d->points = p;
    d->table = xstrdup(table);
    d->key = xstrdup(key);
    d->reason = reason_owned;
    d->rows = NULL; /* read once the item is done (kh_label_deductions) */
}

/* Finds which subject-kind columns the query returns; at least one is required. */
static int map_kind_columns(item_ctx *x, ev_cursor *c, item_acc *acc, kh_error *err)
{
    int any = 0;
    for (int k = 0; k < x->sc->nkinds; k++) {
        acc->col[k] = ev_colindex(c, x->sc->kinds[k]);
        acc->covered[k] = acc->col[k] >= 0 && sc_item_for(x->item, k);
        any |= acc->covered[k];
    }
    if (!any) {
        strbuf kinds = {0};
        for (int k = 0; k < x->sc->nkinds; k++)
            sb_printf(&kinds, "%s%s", k ? ", " : "", x->sc->kinds[k]);
        kh_seterr(err, "%s the query returns no subject column: name one of its columns %s",
                  x->where, sb_str(&kinds));
        sb_free(&kinds);
        return -1;
    }
    return 0;
}

/* row_subject's answer for a row about a subject the scorecard's filter leaves out. */
#define ROW_FILTERED_OUT (-2)

/* Resolves the subject a row names for kind k; an id that is not in the subject table is an
 * error, because dropping the row would silently lose a deduction — unless the scorecard
 * declared a filter on the kind (subjects v2): then a row about a subject it leaves out is
 * passed over (ROW_FILTERED_OUT, err untouched), so that queries need not repeat the filter. */
static long row_subject(item_ctx *x, ev_cursor *c, int col, int k, kh_error *err)
{
    const kh_subject_set *set = &x->out->sets[x->set_of[k]];
    if (ev_coltype(c, col) == KH_NULL) {
        kh_seterr(err, "%s a row has no %s (column %s is NULL)", x->where, x->sc->kinds[k],
                  x->sc->kinds[k]);
        return -1;
    }
    const char *id = ev_text(c, col);
    long s = subject_find(set, id);
    if (s < 0 && set->filtered)
        return ROW_FILTERED_OUT; /* subjects v2: outside the scorecard's declared filter */
    if (s < 0)
        kh_seterr(err, "%s a row names %s '%s', which is not in the %s table", x->where,
                  x->sc->kinds[k], id, x->sc->kinds[k]);
    return s;
}

static points_t item_cap(const sc_item *it)
{
    if (it->rule.cap >= 0)
        return it->rule.cap;
    return it->points; /* points mode: cannot lose more than the item is worth; else -1 */
}

static int eval_per_case(item_ctx *x, item_acc *acc, kh_error *err)
{
    const sc_rule *r = &x->item->rule;
    ev_cursor *c = NULL;
    if (ev_query(x->ev, r->sql, x->params->v, x->params->n, x->where, &c, err) != 0)
        return -1;
    int rc = -1;
    tpl reason = {0};
    int keycol = ev_colindex(c, "key");
    if (keycol < 0) {
        kh_seterr(err,
                  "%s per_case: the cases query must return a column named key (the "
                  "id of the %s row behind each case)",
                  x->where, r->evidence_table);
        goto done;
    }
    if (map_kind_columns(x, c, acc, err) != 0 ||
        tpl_compile(r->reason, c, x->where, &reason, err) != 0)
        goto done;
    points_t cap = item_cap(x->item);
    int step;
    while ((step = ev_step(c, err)) == 1) {
        for (int k = 0; k < x->sc->nkinds; k++) {
            if (!acc->covered[k])
                continue;
            long s = row_subject(x, c, acc->col[k], k, err);
            if (s == ROW_FILTERED_OUT)
                continue;
            if (s < 0)
                goto done;
            /* Past the cap a case still goes on record, at 0 points, so the reader sees
             * every problem found and the points still add up. */
            points_t p = r->each;
            if (cap >= 0 && acc->lost[k][s] + p > cap)
                p = cap - acc->lost[k][s];
            acc->lost[k][s] += p;
            acc->cases[k][s]++;
            acc->outcome[k][s] = OUT_FAILED;
            char *why = reason.n ? tpl_render(&reason, c) : xstrdup("");
            if (p < r->each) {
                strbuf sb = {0};
                sb_printf(&sb, "%s（已达本项扣分上限）", why);
                free(why);
                why = sb_take(&sb);
            }
            push_deduction(x->out, x->sci, x->itemi, (size_t)x->set_of[k], (size_t)s, p,
                           r->evidence_table, ev_text(c, keycol), why);
        }
    }
    if (step < 0)
        goto done;
    /* a subject with no case passed */
    for (int k = 0; k < x->sc->nkinds; k++)
        if (acc->covered[k])
            for (size_t s = 0; s < x->out->sets[x->set_of[k]].count; s++)
                if (!acc->outcome[k][s])
                    acc->outcome[k][s] = OUT_OK;
    rc = 0;
done:
    tpl_free(&reason);
    ev_done(c);
    return rc;
}

/* The threshold of a rate rule in ten-thousandths (0.95 → 9500), so that the comparison
 * num / den >= threshold is done exactly as num * 10000 >= threshold * den. */
static int64_t rate_threshold(const item_ctx *x)
{
    const sc_rule *r = &x->item->rule;
    double t = r->threshold;
    if (r->threshold_param)
        for (size_t i = 0; i < x->params->n; i++)
            if (strcmp(x->params->v[i].name, r->threshold_param) == 0)
                t = x->params->v[i].value.type == KH_INT ? (double)x->params->v[i].value.i
                                                         : x->params->v[i].value.r;
    return (int64_t)llround(t * 10000.0);
}

/* "93.1%" from num/den, truncated (never rounded up across the threshold). */
static void format_rate(int64_t num, int64_t den, char *buf, size_t size)
{
    int64_t per_mille = den ? num * 1000 / den : 0;
    snprintf(buf, size, "%lld.%lld%%", (long long)(per_mille / 10), (long long)(per_mille % 10));
}

static void format_threshold(int64_t bp, char *buf, size_t size)
{
    if (bp % 100 == 0)
        snprintf(buf, size, "%lld%%", (long long)(bp / 100));
    else
        snprintf(buf, size, "%lld.%02lld%%", (long long)(bp / 100), (long long)(bp % 100));
}

/* The columns a one-row-per-subject query may return, and its reason templates. */
typedef struct subject_row {
    int failcol, passcol, nacol, numcol, dencol;
    int64_t bp;    /* rate: the threshold in ten-thousandths */
    char tbuf[32]; /* rate: the threshold as printed */
    tpl reason, ok_reason, na_reason;
} subject_row;

/* Finds the columns of the query behind c and compiles the reason templates; refuses a query
 * without the columns its rule reads. */
static int subject_row_open(item_ctx *x, ev_cursor *c, item_acc *acc, subject_row *row,
                            kh_error *err)
{
    const sc_rule *r = &x->item->rule;
    row->failcol = ev_colindex(c, "failed");
    row->passcol = ev_colindex(c, "passed");
    row->nacol = ev_colindex(c, "na");
    row->numcol = ev_colindex(c, "num");
    row->dencol = ev_colindex(c, "den");
    row->bp = r->kind == RULE_RATE ? rate_threshold(x) : 0;
    format_threshold(row->bp, row->tbuf, sizeof row->tbuf);
    if (r->kind == RULE_RATE && (row->numcol < 0 || row->dencol < 0)) {
        kh_seterr(err,
                  "%s rate_at_least: the query must return columns num (those meeting the "
                  "standard) and den (all who should)",
                  x->where);
        return -1;
    }
    if (r->kind != RULE_RATE && row->failcol < 0 && row->passcol < 0) {
        kh_seterr(err,
                  "%s the query must return a column named failed (1 where the subject "
                  "loses the points) or passed (1 where it keeps them)",
                  x->where);
        return -1;
    }
    if (map_kind_columns(x, c, acc, err) != 0 ||
        tpl_compile(r->reason, c, x->where, &row->reason, err) != 0 ||
        tpl_compile(r->ok_reason, c, x->where, &row->ok_reason, err) != 0 ||
        tpl_compile(r->na_reason, c, x->where, &row->na_reason, err) != 0)
        return -1;
    return 0;
}

static void subject_row_close(subject_row *row)
{
    tpl_free(&row->reason);
    tpl_free(&row->ok_reason);
    tpl_free(&row->na_reason);
}

/* A rate row's outcome, its computed part of the reason in `why`. The `failed` column (the
 * rule's extra condition) fails the item whatever num and den say: "应纳入慢病卡人员超过2人（含）
 * 的不予得分" holds in a village with no 四大慢病 patient (den = 0) too. Only when nothing failed
 * do `na` and den = 0 (when_none) make the item 不适用 or 待核实. */
static enum outcome rate_outcome(const item_ctx *x, ev_cursor *c, const subject_row *row, int na,
                                 int failed, strbuf *why)
{
    const sc_rule *r = &x->item->rule;
    int64_t num = ev_int(c, row->numcol), den = ev_int(c, row->dencol);
    if (na && !failed)
        return OUT_NA;
    if (den <= 0 && failed) {
        sb_append(why, "无应考核对象（分母为0）");
        return OUT_FAILED;
    }
    if (den <= 0) {
        sb_append(why, r->when_none == NONE_PENDING ? "无可计算的对象（分母为0），证据不足"
                                                    : "无应考核对象（分母为0）");
        return r->when_none == NONE_PENDING ? OUT_PENDING : OUT_NA;
    }
    char rbuf[32];
    format_rate(num, den, rbuf, sizeof rbuf);
    int below = num * 10000 < row->bp * den;
    sb_printf(why, "%lld/%lld = %s，%s%s", (long long)num, (long long)den, rbuf,
              below ? "未达到" : "达到", row->tbuf);
    return below || failed ? OUT_FAILED : OUT_OK;
}

/* What the current row says: its outcome, and in `why` the reason (the rate as computed, then
 * the rule's template for that outcome). */
static enum outcome row_outcome(const item_ctx *x, ev_cursor *c, const subject_row *row,
                                strbuf *why)
{
    const sc_rule *r = &x->item->rule;
    enum outcome out;
    int na = row->nacol >= 0 && ev_coltype(c, row->nacol) != KH_NULL && ev_int(c, row->nacol) != 0;
    int failed =
        (row->failcol >= 0 && ev_coltype(c, row->failcol) != KH_NULL && ev_int(c, row->failcol)) ||
        (row->passcol >= 0 && !(ev_coltype(c, row->passcol) != KH_NULL && ev_int(c, row->passcol)));
    if (r->kind == RULE_RATE)
        out = rate_outcome(x, c, row, na, failed, why);
    else
        out = na ? OUT_NA : failed ? OUT_FAILED : OUT_OK;
    const tpl *t = out == OUT_NA       ? &row->na_reason
                   : out == OUT_FAILED ? &row->reason
                                       : &row->ok_reason;
    if (t->n) {
        char *extra = tpl_render(t, c);
        sb_printf(why, "%s%s", why->len ? "；" : "", extra);
        free(extra);
    }
    return out;
}

/* Records the row's outcome against each subject it names; a subject named twice is an error
 * (which row counts is not for the engine to guess). */
static int record_row(item_ctx *x, item_acc *acc, ev_cursor *c, enum outcome out, const strbuf *why,
                      kh_error *err)
{
    for (int k = 0; k < x->sc->nkinds; k++) {
        if (!acc->covered[k])
            continue;
        long s = row_subject(x, c, acc->col[k], k, err);
        if (s == ROW_FILTERED_OUT)
            continue;
        if (s < 0)
            return -1;
        if (acc->outcome[k][s]) {
            kh_seterr(err, "%s the query returns more than one row for %s '%s'", x->where,
                      x->sc->kinds[k], x->out->sets[x->set_of[k]].items[s].id);
            return -1;
        }
        acc->outcome[k][s] = (unsigned char)out;
        acc->reason[k][s] = why->len ? xstrdup(why->data) : NULL;
        if (out == OUT_FAILED) {
            acc->lost[k][s] = x->item->rule.each;
            acc->cases[k][s] = 1;
        }
    }
    return 0;
}

/* The rows behind each failure (the rule's evidence query), gathered per failed subject: the
 * loss is recorded once, as one deduction whose key lists every causing row (core/cause_keys.c;
 * issue 15 item 3 — no row at 0 points), and whose reason ends with what each row says where
 * the query returns a `reason` column. given[k][s] marks the subjects that got a row. */
static int gather_failure_keys(item_ctx *x, item_acc *acc, kh_keys **keys, kh_error *err)
{
    const sc_rule *r = &x->item->rule;
    char where[480];
    snprintf(where, sizeof where, "%s evidence:", x->where);
    ev_cursor *c = NULL;
    if (ev_query(x->ev, r->evidence_sql, x->params->v, x->params->n, where, &c, err) != 0)
        return -1;
    int rc = -1, step;
    int keycol = ev_colindex(c, "key");
    if (keycol < 0) {
        kh_seterr(err, "%s the evidence query must return a column named key", x->where);
        goto done;
    }
    int col[SC_MAX_KINDS], whycol = ev_colindex(c, "reason"); /* optional: the row's reason */
    for (int k = 0; k < x->sc->nkinds; k++)
        col[k] = acc->covered[k] ? ev_colindex(c, x->sc->kinds[k]) : -1;
    while ((step = ev_step(c, err)) == 1) {
        for (int k = 0; k < x->sc->nkinds; k++) {
            if (col[k] < 0)
                continue;
            long s = row_subject(x, c, col[k], k, err);
            if (s == ROW_FILTERED_OUT)
                continue;
            if (s < 0)
                goto done;
            if (acc->outcome[k][s] == OUT_FAILED)
                kh_keys_add(&keys[k][s], ev_text(c, keycol),
                            whycol >= 0 ? ev_text(c, whycol) : NULL);
        }
    }
    rc = step < 0 ? -1 : 0;
done:
    ev_done(c);
    return rc;
}

static int list_failure_evidence(item_ctx *x, item_acc *acc, unsigned char **given, kh_error *err)
{
    kh_keys *keys[SC_MAX_KINDS] = {0};
    for (int k = 0; k < x->sc->nkinds; k++)
        if (acc->covered[k])
            keys[k] = xcalloc(x->out->sets[x->set_of[k]].count + 1, sizeof(kh_keys));
    int rc = gather_failure_keys(x, acc, keys, err);
    for (int k = 0; k < x->sc->nkinds; k++) {
        if (!keys[k])
            continue;
        for (size_t s = 0; s < x->out->sets[x->set_of[k]].count; s++) {
            if (rc == 0 && keys[k][s].n) {
                given[k][s] = 1;
                char *list = kh_keys_join(&keys[k][s], NULL);
                push_deduction(x->out, x->sci, x->itemi, (size_t)x->set_of[k], s, acc->lost[k][s],
                               x->item->rule.evidence_table, list,
                               kh_keys_reason(&keys[k][s], acc->reason[k][s]));
                free(list);
            }
            kh_keys_free(&keys[k][s]);
        }
        free(keys[k]);
    }
    return rc;
}

/* check / deduct_if / rate_at_least: one row per subject. Columns: a subject column; `failed`
 * or `passed` (check, deduct_if), `num` and `den` (rate, where `failed` adds an extra
 * condition); `na` = 1 for 不适用 (full points). A subject the query does not return is
 * 待核实. */
static int eval_per_subject(item_ctx *x, item_acc *acc, kh_error *err)
{
    const sc_rule *r = &x->item->rule;
    ev_cursor *c = NULL;
    if (ev_query(x->ev, r->sql, x->params->v, x->params->n, x->where, &c, err) != 0)
        return -1;
    int rc = -1;
    subject_row row = {0};
    unsigned char *given[SC_MAX_KINDS] = {0};
    if (subject_row_open(x, c, acc, &row, err) != 0)
        goto done;
    int step;
    while ((step = ev_step(c, err)) == 1) {
        strbuf why = {0};
        enum outcome out = row_outcome(x, c, &row, &why);
        int recorded = record_row(x, acc, c, out, &why, err);
        sb_free(&why);
        if (recorded != 0)
            goto done;
    }
    if (step < 0)
        goto done;
    ev_done(c);
    c = NULL;
    for (int k = 0; k < x->sc->nkinds; k++)
        if (acc->covered[k])
            given[k] = xcalloc(x->out->sets[x->set_of[k]].count, 1);
    if (r->evidence_sql && list_failure_evidence(x, acc, given, err) != 0)
        goto done;
    /* A failure with no evidence rows listed is recorded against the subject itself. */
    for (int k = 0; k < x->sc->nkinds; k++) {
        if (!acc->covered[k])
            continue;
        const kh_subject_set *set = &x->out->sets[x->set_of[k]];
        for (size_t s = 0; s < set->count; s++)
            if (acc->outcome[k][s] == OUT_FAILED && !given[k][s])
                push_deduction(x->out, x->sci, x->itemi, (size_t)x->set_of[k], s, acc->lost[k][s],
                               set->kind, set->items[s].id,
                               xstrdup(acc->reason[k][s] ? acc->reason[k][s] : ""));
    }
    rc = 0;
done:
    for (int k = 0; k < x->sc->nkinds; k++)
        free(given[k]);
    subject_row_close(&row);
    ev_done(c);
    return rc;
}

#define FINDING_SQL                                                                                \
    "SELECT subject_id, answer, score, id, note, inspector, inspected_on, evidence_ref FROM "      \
    "finding WHERE scorecard = :kaohe_scorecard AND item = :kaohe_item AND subject_kind = "        \
    ":kaohe_kind AND period = :period ORDER BY subject_id, id"

/* The points a finding (the current row of FINDING_SQL) awards: 是 → `yes`, 否 → `no`, 不适用 →
 * the item's points, 部分 → the recorded score, where the rule allows it and it is within 0 …
 * the item's points. */
static int finding_earned(const item_ctx *x, ev_cursor *c, const char *id, points_t *earned,
                          kh_error *err)
{
    const sc_rule *r = &x->item->rule;
    const sc_item *it = x->item;
    const char *answer = ev_text(c, 1);
    if (strcmp(answer, "是") == 0) {
        *earned = r->yes_points;
    } else if (strcmp(answer, "否") == 0) {
        *earned = r->no_points;
    } else if (strcmp(answer, "不适用") == 0) {
        *earned = it->points;
    } else { /* 部分 (the schema allows nothing else) */
        char buf[32];
        int ok = r->allow_partial && ev_coltype(c, 2) != KH_NULL &&
                 points_parse(ev_text(c, 2), earned) == 0 && *earned >= 0 && *earned <= it->points;
        if (!ok) {
            if (!r->allow_partial)
                kh_seterr(err, "%s finding %s answers 部分, but this item takes only 是/否/不适用",
                          x->where, id);
            else
                kh_seterr(err, "%s finding %s: 部分 needs a score between 0 and %s (found '%s')",
                          x->where, id, points_format(it->points, buf, sizeof buf), ev_text(c, 2));
            return -1;
        }
    }
    return 0;
}

/* The reason a finding gives: `head` (现场核查, or for a related subject's finding whose it is),
 * the answer (and a partial score), the note, who inspected it when, and the evidence it cites. */
static char *finding_reason(ev_cursor *c, points_t earned, const char *head)
{
    const char *answer = ev_text(c, 1);
    strbuf why = {0};
    char buf[32];
    sb_printf(&why, "%s：%s", head, answer);
    if (strcmp(answer, "部分") == 0)
        sb_printf(&why, "，酌情得%s分", points_format(earned, buf, sizeof buf));
    if (*ev_text(c, 4))
        sb_printf(&why, "（%s）", ev_text(c, 4));
    sb_printf(&why, "；%s %s", ev_text(c, 5), ev_text(c, 6));
    if (*ev_text(c, 7))
        sb_printf(&why, "，佐证 %s", ev_text(c, 7));
    return sb_take(&why);
}

/* The findings recorded on this item about subjects of `kind` (FINDING_SQL's rows). */
static int findings_query(item_ctx *x, const char *kind, ev_cursor **c, kh_error *err)
{
    kh_param extra[64];
    size_t n = x->params->n < 60 ? x->params->n : 60;
    memcpy(extra, x->params->v, n * sizeof *extra);
    extra[n++] = (kh_param){"kaohe_scorecard", {.type = KH_TEXT, .s = x->sc->id}};
    extra[n++] = (kh_param){"kaohe_item", {.type = KH_TEXT, .s = x->item->no}};
    extra[n++] = (kh_param){"kaohe_kind", {.type = KH_TEXT, .s = kind}};
    return ev_query(x->ev, FINDING_SQL, extra, n, x->where, c, err);
}

/* Two findings about one subject, item and period: which counts is not for the engine to guess.
 * Said in Chinese, naming both and the command that removes one (issue 15 item 6). */
static void finding_twice(const item_ctx *x, const char *kind, const char *subject,
                          const char *first, const char *second, kh_error *err)
{
    const sc_item *it = x->item;
    const char *ev = x->in->evidence_path;
    kh_seterr(err,
              "%s:%d: 第%s项：%s %s 在考核期 %s 有两条核查结论（%s、%s），请删除其一"
              "（kaohe findings remove%s%s %s）",
              x->sc->path, it->rule.line ? it->rule.line : it->line, it->no, kh_kind_label(kind),
              subject, x->in->period, first, second, ev ? " --evidence " : "", ev ? ev : "",
              second);
}

/* finding: the inspector's conclusion. 是 → `yes` points, 否 → `no` points, 不适用 → full
 * points, 部分 → the recorded score (only where the rule allows partial credit, and only
 * within 0 … the item's points). No finding → 待核实. Two findings for one subject and item
 * are an error: which one counts is not for the engine to guess. */
static int eval_finding(item_ctx *x, item_acc *acc, kh_error *err)
{
    const sc_item *it = x->item;
    for (int k = 0; k < x->sc->nkinds; k++) {
        if (!sc_item_for(it, k))
            continue; /* not scored for this kind at all */
        ev_cursor *c = NULL;
        if (findings_query(x, x->sc->kinds[k], &c, err) != 0)
            return -1;
        acc->covered[k] = 1;
        const kh_subject_set *set = &x->out->sets[x->set_of[k]];
        char **seen = xcalloc(set->count + 1, sizeof *seen); /* each subject's finding id */
        int step;
        while ((step = ev_step(c, err)) == 1) {
            const char *id = ev_text(c, 3);
            long s = row_subject(x, c, 0, k, err);
            if (s == ROW_FILTERED_OUT)
                continue;
            if (s < 0) {
                strbuf msg = {0};
                sb_printf(&msg, "%s (finding %s)", err->msg, id);
                kh_seterr(err, "%s", sb_str(&msg));
                sb_free(&msg);
                step = -1;
                break;
            }
            if (acc->outcome[k][s]) {
                finding_twice(x, x->sc->kinds[k], set->items[s].id, seen[s], id, err);
                step = -1;
                break;
            }
            seen[s] = xstrdup(id);
            const char *answer = ev_text(c, 1);
            points_t earned;
            if (finding_earned(x, c, id, &earned, err) != 0) {
                step = -1;
                break;
            }
            enum outcome out = strcmp(answer, "不适用") == 0 ? OUT_NA
                               : earned < it->points         ? OUT_FAILED
                                                             : OUT_OK;
            acc->outcome[k][s] = (unsigned char)out;
            acc->lost[k][s] = it->points - earned;
            acc->cases[k][s] = out == OUT_FAILED;
            acc->reason[k][s] = finding_reason(c, earned, "现场核查");
            if (out == OUT_FAILED)
                push_deduction(x->out, x->sci, x->itemi, (size_t)x->set_of[k], (size_t)s,
                               acc->lost[k][s], "finding", id, xstrdup(acc->reason[k][s]));
        }
        ev_done(c);
        for (size_t i = 0; i < set->count; i++)
            free(seen[i]);
        free(seen);
        if (step < 0)
            return -1;
    }
    return 0;
}

/* ---- subjects v2: findings about a related subject -------------------------------------
 * finding { of = "institution", via = [[…]] }: the fact is recorded once, as a finding on the
 * related subject (subject_kind = of), and every subject the via query links to it shows that
 * same answer, its reason naming the party judged. A subject linked to nothing is 待核实 (or
 * 不适用 with when_none = "na"); one linked to a subject without a finding is 待核实, naming it. */

/* The finding recorded on one related subject. */
typedef struct related_fact {
    int has;
    enum outcome out;
    points_t lost;
    char *reason; /* "据会宁县人民医院（医疗机构）核查结论：否…" */
    char *id;     /* the finding's id: the deduction's key */
} related_fact;

/* One finding row (c) about the related subject `r` of set `of` into facts[r]. */
static int related_fact_read(item_ctx *x, ev_cursor *c, const kh_subject_set *of, long r,
                             related_fact *facts, kh_error *err)
{
    const char *id = ev_text(c, 3);
    if (r < 0) {
        kh_seterr(err, "%s finding %s names %s '%s', which is not in the %s table", x->where, id,
                  of->kind, ev_text(c, 0), of->kind);
        return -1;
    }
    if (facts[r].has) {
        finding_twice(x, of->kind, of->items[r].id, facts[r].id, id, err);
        return -1;
    }
    points_t earned;
    if (finding_earned(x, c, id, &earned, err) != 0)
        return -1;
    char head[600];
    snprintf(head, sizeof head, "据%s（%s）核查结论", of->items[r].name, kh_kind_label(of->kind));
    facts[r].has = 1;
    facts[r].out = strcmp(ev_text(c, 1), "不适用") == 0 ? OUT_NA
                   : earned < x->item->points           ? OUT_FAILED
                                                        : OUT_OK;
    facts[r].lost = x->item->points - earned;
    facts[r].reason = finding_reason(c, earned, head);
    facts[r].id = xstrdup(id);
    return 0;
}

/* The findings on the item's related subjects (set `of`), one per subject at most. */
static int related_facts(item_ctx *x, const kh_subject_set *of, related_fact *facts, kh_error *err)
{
    ev_cursor *c = NULL;
    if (findings_query(x, of->kind, &c, err) != 0)
        return -1;
    int step;
    while ((step = ev_step(c, err)) == 1)
        if (related_fact_read(x, c, of, subject_find(of, ev_text(c, 0)), facts, err) != 0) {
            ev_done(c);
            return -1;
        }
    ev_done(c);
    return step < 0 ? -1 : 0;
}

/* One via row: links each subject it names (kinds the item is scored for) to the related
 * subject in column ofcol; link[k][s] = its index in `of` + 1. A link table is broader than the
 * form: a row about a subject the form does not list (another year's cadre, a filtered-out
 * institution) links nothing and loses nothing, so it is passed over. */
static int related_link_row(item_ctx *x, ev_cursor *c, const int *col, int ofcol,
                            const kh_subject_set *of, size_t **link, kh_error *err)
{
    if (ev_coltype(c, ofcol) == KH_NULL)
        return 0; /* linked to nothing: as if the row were not there */
    for (int k = 0; k < x->sc->nkinds; k++) {
        const kh_subject_set *set = &x->out->sets[x->set_of[k]];
        long s = col[k] < 0 || ev_coltype(c, col[k]) == KH_NULL
                     ? -1
                     : subject_find(set, ev_text(c, col[k]));
        if (s < 0)
            continue;
        long r = subject_find(of, ev_text(c, ofcol));
        if (r < 0) {
            kh_seterr(err, "%s finding: via names %s '%s', which is not in the %s table", x->where,
                      of->kind, ev_text(c, ofcol), of->kind);
            return -1;
        }
        if (link[k][s] && link[k][s] != (size_t)r + 1) {
            kh_seterr(err,
                      "%s finding: via links %s '%s' to two %s subjects ('%s' and '%s'): a "
                      "related finding takes its answer from exactly one",
                      x->where, x->sc->kinds[k], set->items[s].id, of->kind,
                      of->items[link[k][s] - 1].id, of->items[r].id);
            return -1;
        }
        link[k][s] = (size_t)r + 1;
    }
    return 0;
}

/* Runs the via query: link[k][s] for every kind the item is scored for. */
static int related_links(item_ctx *x, const kh_subject_set *of, size_t **link, kh_error *err)
{
    const sc_rule *r = &x->item->rule;
    ev_cursor *c = NULL;
    char where[480];
    snprintf(where, sizeof where, "%s finding: via:", x->where);
    if (ev_query(x->ev, r->via, x->params->v, x->params->n, where, &c, err) != 0)
        return -1;
    int col[SC_MAX_KINDS], ofcol = ev_colindex(c, r->of), rc = -1, step;
    const char *missing = ofcol < 0 ? r->of : NULL;
    for (int k = 0; k < x->sc->nkinds; k++) {
        col[k] = sc_item_for(x->item, k) ? ev_colindex(c, x->sc->kinds[k]) : -1;
        if (sc_item_for(x->item, k) && col[k] < 0 && !missing)
            missing = x->sc->kinds[k];
    }
    if (missing) {
        kh_seterr(err, "%s finding: via returns no column '%s' (return the id of the %s AS %s)",
                  x->where, missing, missing, missing);
        goto done;
    }
    while ((step = ev_step(c, err)) == 1)
        if (related_link_row(x, c, col, ofcol, of, link, err) != 0)
            goto done;
    rc = step < 0 ? -1 : 0;
done:
    ev_done(c);
    return rc;
}

/* Gives subject s of kind k the answer of the related subject it is linked to (link: its
 * index + 1, 0 for none). */
static void related_apply(item_ctx *x, item_acc *acc, int k, size_t s, const kh_subject_set *of,
                          size_t link, const related_fact *facts)
{
    const char *label = kh_kind_label(of->kind);
    strbuf why = {0};
    if (!link) {
        int na = x->item->rule.when_none == NONE_NA; /* the loader's default: 待核实 */
        acc->outcome[k][s] = na ? OUT_NA : OUT_PENDING;
        sb_printf(&why, "未找到与该%s关联的%s", kh_kind_label(x->sc->kinds[k]), label);
        acc->reason[k][s] = sb_take(&why);
        return;
    }
    const related_fact *f = &facts[link - 1];
    if (!f->has) {
        acc->outcome[k][s] = OUT_PENDING;
        sb_printf(&why, "%s（%s）尚无现场核查结论", of->items[link - 1].name, label);
        acc->reason[k][s] = sb_take(&why);
        return;
    }
    acc->outcome[k][s] = (unsigned char)f->out;
    acc->lost[k][s] = f->lost;
    acc->cases[k][s] = f->out == OUT_FAILED;
    acc->reason[k][s] = xstrdup(f->reason);
    if (f->out == OUT_FAILED)
        push_deduction(x->out, x->sci, x->itemi, (size_t)x->set_of[k], s, f->lost, "finding", f->id,
                       xstrdup(f->reason));
}

/* finding { of = …, via = … }: the related subjects are listed here, by the kind's own listing
 * (the form may list that kind otherwise, or not at all), then their findings and the links. */
static int eval_finding_related(item_ctx *x, item_acc *acc, kh_error *err)
{
    const kh_kind *kind = kh_kind_find(x->item->rule.of);
    kh_subject_set of = {0};
    size_t *link[SC_MAX_KINDS] = {0};
    related_fact *facts = NULL;
    int rc = -1;
    if (!kind) {
        kh_seterr(err, "%s finding: 'of' names no kind of subject", x->where);
        return -1;
    }
    if (subjects_read(x->ev, kind->name, kind->sql, x->params->v, x->params->n, &of, err) != 0)
        goto done;
    facts = xcalloc(of.count + 1, sizeof *facts);
    for (int k = 0; k < x->sc->nkinds; k++)
        link[k] = xcalloc(x->out->sets[x->set_of[k]].count + 1, sizeof **link);
    if (related_facts(x, &of, facts, err) != 0 || related_links(x, &of, link, err) != 0)
        goto done;
    for (int k = 0; k < x->sc->nkinds; k++) {
        if (!sc_item_for(x->item, k))
            continue;
        acc->covered[k] = 1;
        for (size_t s = 0; s < x->out->sets[x->set_of[k]].count; s++)
            related_apply(x, acc, k, s, &of, link[k][s], facts);
    }
    rc = 0;
done:
    for (size_t r = 0; facts && r < of.count; r++) {
        free(facts[r].reason);
        free(facts[r].id);
    }
    free(facts);
    for (int k = 0; k < x->sc->nkinds; k++)
        free(link[k]);
    subject_set_clear(&of);
    return rc;
}

static int cmp_deduction(const void *a, const void *b)
{
    const kh_deduction *x = a, *y = b;
    if (x->set != y->set)
        return x->set < y->set ? -1 : 1;
    if (x->subject != y->subject)
        return x->subject < y->subject ? -1 : 1;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->points != y->points) /* the one carrying the points first */
        return x->points > y->points ? -1 : 1;
    return strcmp(x->reason, y->reason);
}

static char *score_reason(const item_ctx *x, const item_acc *acc, int k, size_t s, kh_status st)
{
    const sc_rule *r = &x->item->rule;
    char a[32], b[32];
    strbuf sb = {0};
    const char *given = acc->reason[k][s];
    if (st == ST_NA && !acc->covered[k]) {
        sb_printf(&sb, "本项不按%s考核", kh_kind_label(x->sc->kinds[k]));
    } else if (st == ST_PENDING && !given) {
        sb_printf(&sb, "待核实：%s",
                  r->kind == RULE_FINDING ? "未录入现场核查结论" : "证据库中没有该对象的相关数据");
    } else if (r->kind == RULE_PER_CASE && st != ST_NA) { /* NA: an item of other years */
        if (acc->cases[k][s] == 0) {
            sb_append(&sb, "未发现问题");
        } else {
            sb_printf(&sb, "发现%lld人次，每人次扣%s分，共扣%s分", (long long)acc->cases[k][s],
                      points_format(r->each, a, 32), points_format(acc->lost[k][s], b, 32));
            if (acc->lost[k][s] < r->each * acc->cases[k][s])
                sb_append(&sb, "（已达扣分上限）");
        }
    } else {
        if (st == ST_PENDING)
            sb_append(&sb, "待核实：");
        if (given && *given)
            sb_append(&sb, given);
        else
            sb_append(&sb, st == ST_DEDUCTED ? "未达到要求" : st == ST_NA ? "不适用" : "达到要求");
        if (st == ST_NA && x->sc->mode == MODE_POINTS)
            sb_append(&sb, "，按不适用得满分");
        if (st == ST_DEDUCTED)
            sb_printf(&sb, "，扣%s分", points_format(acc->lost[k][s], a, 32));
    }
    if (st == ST_DEDUCTED && x->item->veto)
        sb_printf(&sb, "【否决项：年度考核直接定为“%s”等】", x->sc->veto_grade);
    return sb_take(&sb);
}

/* Offers every deduction held to the sink; those it takes are freed and counted: memory
 * stays flat however many rows the evidence has against the subjects. */
static int hand_over(const kh_run_input *in, kh_results *out, kh_error *err)
{
    kh_deduction *all = out->deductions;
    size_t n = out->ndeductions;
    int rc = in->sink(in->sink_ud, out, all, n, err);
    if (rc == 0) {
        for (size_t i = 0; i < n; i++) {
            free(all[i].table);
            free(all[i].key);
            free(all[i].reason);
            free(all[i].rows);
        }
        out->ndeductions = 0;
        out->nstreamed += n;
    }
    return rc < 0 ? -1 : 0;
}

/* Scorecard language v2, time windows: an item limited to other years is 不适用 for every
 * subject without running its query; otherwise its rule runs with :item_from, :item_until and
 * :item_by bound to its window (core/window.h). */
static int eval_rule(item_ctx *x, item_acc *acc, kh_error *err)
{
    char why[160];
    if (!kh_item_applies(x->item, atoi(x->in->period), why, sizeof why)) {
        for (int k = 0; k < x->sc->nkinds; k++) {
            acc->covered[k] = 1;
            for (size_t s = 0; s < x->out->sets[x->set_of[k]].count; s++) {
                acc->outcome[k][s] = OUT_NA;
                acc->reason[k][s] = xstrdup(why);
            }
        }
        return 0;
    }
    kh_window w;
    if (kh_item_window(x->sc, x->item, x->params->v, x->params->n, &w, err) != 0)
        return -1;
    bound_params *shared = x->params, mine = *shared;
    mine.v = kh_item_params(shared->v, shared->n, &w);
    mine.n = shared->n + 3;
    x->params = &mine;
    int rc;
    switch (x->item->rule.kind) {
    case RULE_PER_CASE:
        rc = eval_per_case(x, acc, err);
        break;
    case RULE_FINDING: /* subjects v2: about a related subject when the rule says `of` */
        rc = x->item->rule.of ? eval_finding_related(x, acc, err) : eval_finding(x, acc, err);
        break;
    default:
        rc = eval_per_subject(x, acc, err);
    }
    x->params = shared;
    free(mine.v);
    return rc;
}

/* After an item's scores and deductions are in `out`, in form order (one after another, or as
 * the parallel run takes the items back): the scorecard's caps (core/caps.h), then the
 * deductions are offered to the sink. */
static int item_done(const item_ctx *x, size_t first_score, size_t first_deduction, kh_error *err)
{
    kh_caps_apply(x->caps, x->out, first_score, first_deduction);
    return x->in->sink ? hand_over(x->in, x->out, err) : 0;
}

static int eval_item(item_ctx *x, kh_error *err)
{
    const scorecard *sc = x->sc;
    item_acc acc;
    memset(&acc, 0, sizeof acc);
    for (int k = 0; k < sc->nkinds; k++) {
        size_t n = x->out->sets[x->set_of[k]].count;
        acc.cases[k] = xcalloc(n, sizeof(int64_t));
        acc.lost[k] = xcalloc(n, sizeof(points_t));
        acc.outcome[k] = xcalloc(n, 1);
        acc.reason[k] = xcalloc(n, sizeof(char *));
    }
    size_t first_deduction = x->out->ndeductions;
    x->out->item_from = first_deduction;
    x->out->item_max = x->in->item_deductions_max;
    x->out->item_dropped = 0;
    int rc = eval_rule(x, &acc, err);
    if (rc == 0 && x->out->item_dropped) {
        kh_seterr(err,
                  "%s the query gives more than %zu deduction rows (%zu more were dropped; "
                  "--item-rows sets the bound): narrow the query to the cases",
                  x->where, x->out->item_max, x->out->item_dropped);
        rc = -1;
    }
    int64_t *nev[SC_MAX_KINDS] = {0}; /* causing rows per subject, for the ledger */
    if (rc == 0) {
        size_t nd = x->out->ndeductions - first_deduction;
        kh_deduction *mine = nd ? x->out->deductions + first_deduction : NULL;
        if (nd) /* none may mean no array at all yet: qsort's pointer must not be NULL */
            qsort(mine, nd, sizeof(kh_deduction), cmp_deduction);
        for (int k = 0; k < sc->nkinds; k++)
            nev[k] = xcalloc(x->out->sets[x->set_of[k]].count + 1, sizeof(int64_t));
        for (size_t i = 0; i < nd; i++)
            for (int k = 0; k < sc->nkinds; k++)
                if ((long)mine[i].set == x->set_of[k])
                    nev[k][mine[i].subject] += kh_key_count(mine[i].key);
        /* the rows behind each loss, labelled, while this item's connection is at hand */
        if (kh_label_deductions(x->ev, mine, nd, err) != 0) {
            strbuf msg = {0};
            sb_printf(&msg, "%s reading the rows behind a loss: %s", x->where, err->msg);
            kh_seterr(err, "%s", sb_str(&msg));
            sb_free(&msg);
            rc = -1;
        }
    }
    if (rc == 0) {
        for (int k = 0; k < sc->nkinds; k++) {
            if (!sc_item_for(x->item, k))
                continue; /* not scored for this kind at all (not 不适用 either) */
            const kh_subject_set *set = &x->out->sets[x->set_of[k]];
            for (size_t s = 0; s < set->count; s++) {
                kh_status st;
                switch (acc.covered[k] ? acc.outcome[k][s] : OUT_NA) {
                case OUT_OK:
                    st = ST_OK;
                    break;
                case OUT_FAILED:
                    st = ST_DEDUCTED;
                    break;
                case OUT_NA:
                    st = ST_NA;
                    break;
                default: /* unseen or explicitly pending */
                    st = ST_PENDING;
                }
                size_t i = KH_PUSH(x->out->scores, x->out->nscores, x->out->capscores);
                kh_score *score = &x->out->scores[i];
                score->sc = x->sci;
                score->item = x->itemi;
                score->set = (size_t)x->set_of[k];
                score->subject = s;
                score->max = x->item->points;
                score->status = st;
                score->cases = acc.cases[k][s];
                score->nevidence = nev[k][s];
                score->veto = st == ST_DEDUCTED && x->item->veto;
                points_t lost = st == ST_DEDUCTED ? acc.lost[k][s] : 0;
                if (sc->mode == MODE_DEDUCTION)
                    score->points = -lost;
                else
                    score->points = x->item->points - lost;
                score->reason = score_reason(x, &acc, k, s, st);
            }
        }
    }
    for (int k = 0; k < sc->nkinds; k++) {
        size_t n = x->out->sets[x->set_of[k]].count;
        free(nev[k]);
        for (size_t s = 0; s < n; s++)
            free(acc.reason[k][s]);
        free(acc.cases[k]);
        free(acc.lost[k]);
        free(acc.outcome[k]);
        free(acc.reason[k]);
    }
    return rc;
}

/* Scores come out per item; readers want them per subject, items in form order. */
static int cmp_score(const void *a, const void *b)
{
    const kh_score *x = a, *y = b;
    if (x->sc != y->sc)
        return x->sc < y->sc ? -1 : 1;
    if (x->set != y->set)
        return x->set < y->set ? -1 : 1;
    if (x->subject != y->subject)
        return x->subject < y->subject ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

static int cmp_deduction_global(const void *a, const void *b)
{
    const kh_deduction *x = a, *y = b;
    if (x->sc != y->sc)
        return x->sc < y->sc ? -1 : 1;
    if (x->set != y->set)
        return x->set < y->set ? -1 : 1;
    if (x->subject != y->subject)
        return x->subject < y->subject ? -1 : 1;
    if (x->item != y->item)
        return x->item < y->item ? -1 : 1;
    return cmp_deduction(a, b);
}

/* Ranking: subjects with items 待核实 are not ranked (rank 0); vetoed subjects come after all
 * others whatever their points; then by total, best first. */
static int cmp_total_rank(const void *a, const void *b)
{
    const kh_total *x = *(kh_total *const *)a, *y = *(kh_total *const *)b;
    if ((x->vetoed > 0) != (y->vetoed > 0))
        return x->vetoed ? 1 : -1;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return x->subject < y->subject ? -1 : x->subject > y->subject;
}

void kh_add_total(const scorecard *sc, size_t sci, kh_results *out, size_t set, size_t subject,
                  points_t total, int pending, int vetoed)
{
    size_t k = KH_PUSH(out->totals, out->ntotals, out->captotals);
    kh_total *t = &out->totals[k];
    memset(t, 0, sizeof *t);
    t->sc = sci;
    t->set = set;
    t->subject = subject;
    t->total = total;
    t->pending = pending;
    t->vetoed = vetoed;
    /* a veto decides the grade whatever else; 待核实 items leave it open */
    const char *grade = vetoed    ? sc->veto_grade
                        : pending ? (sc->ngrades ? "待核实" : NULL)
                                  : kh_band_grade(sc, total);
    t->grade = grade ? xstrdup(grade) : NULL;
}

static void compute_totals(const scorecard *sc, size_t sci, kh_results *out, size_t from)
{
    /* scores[from..] are this scorecard's, sorted by (kind, subject, item) */
    size_t i = from;
    while (i < out->nscores && out->scores[i].sc == sci) {
        size_t set = out->scores[i].set, subject = out->scores[i].subject;
        points_t total = 0;
        int pending = 0, vetoed = 0;
        for (; i < out->nscores && out->scores[i].set == set && out->scores[i].subject == subject;
             i++) {
            if (out->scores[i].status == ST_PENDING)
                pending++;
            else
                total += out->scores[i].points;
            vetoed += out->scores[i].veto;
        }
        kh_add_total(sc, sci, out, set, subject, total, pending, vetoed);
    }
}

long kh_results_set(const kh_results *r, const char *kind)
{
    for (size_t i = 0; i < r->nsets; i++)
        if (strcmp(r->sets[i].kind, kind) == 0)
            return (long)i;
    return -1;
}

int kh_results_many_counties(const kh_results *r)
{
    long counties = kh_results_set(r, "county");
    return counties >= 0 && r->sets[counties].count > 1;
}

long kh_subject_find(const kh_subject_set *set, const char *id)
{
    return subject_find(set, id);
}

/* Lists every level a scorecard's roll-ups climb through (village → township → county → city),
 * so that roll-ups themselves need nothing but the results. */
static int rollup_sets_get(evidence *ev, const scorecard *sc, kh_results *out,
                           const bound_params *params, kh_error *err)
{
    for (int ri = 0; ri < sc->nrollups; ri++) {
        const char *chain[KH_NKINDS];
        size_t n = sc_kind_chain(sc, sc->rollups[ri], chain);
        for (size_t l = 0; l < n; l++)
            if (subject_set_get(ev, out, chain[l], params->v, params->n, err) < 0)
                return -1;
    }
    return 0;
}

static void compute_ranks(kh_results *out, size_t from)
{
    size_t n = out->ntotals - from;
    kh_total **v = xcalloc(n ? n : 1, sizeof *v);
    size_t i = 0;
    while (i < n) {
        size_t j = i, m = 0;
        while (j < n && out->totals[from + j].set == out->totals[from + i].set) {
            kh_total *t = &out->totals[from + j++];
            /* a subject with items 待核实 (or a roll-up with no fully scored member) has no
             * rank until the evidence is complete */
            if ((!t->rollup && t->pending) || (t->rollup && !t->members))
                t->rank = 0;
            else
                v[m++] = t;
        }
        qsort(v, m, sizeof *v, cmp_total_rank);
        for (size_t r = 0; r < m; r++)
            v[r]->rank = (r > 0 && v[r]->total == v[r - 1]->total &&
                          (v[r]->vetoed > 0) == (v[r - 1]->vetoed > 0))
                             ? v[r - 1]->rank
                             : (int)r + 1;
        i = j;
    }
    free(v);
}

size_t kh_results_ndeductions(const kh_results *r)
{
    return r->dsrc ? r->dsrc->count : r->ndeductions + r->nstreamed;
}

const void *kh_iter_first(kh_iter *it, const void *array, size_t n, size_t size,
                          const kh_source *src)
{
    memset(it, 0, sizeof *it);
    it->array = array;
    it->n = n;
    it->size = size;
    it->src = src;
    if (src && src->rewind(src->ud, &it->err) != 0) {
        it->failed = 1;
        return NULL;
    }
    return kh_iter_next(it);
}

const void *kh_iter_next(kh_iter *it)
{
    if (!it->src)
        return it->i < it->n ? it->array + it->size * it->i++ : NULL;
    if (it->failed)
        return NULL;
    int rc = it->src->next(it->src->ud, &it->cur, &it->err);
    if (rc < 0)
        it->failed = 1;
    return rc == 1 ? &it->cur : NULL;
}

const kh_deduction *kh_deductions_first(kh_iter *it, const kh_results *r)
{
    return kh_iter_first(it, r->deductions, r->ndeductions, sizeof(kh_deduction), r->dsrc);
}

const kh_deduction *kh_deductions_next(kh_iter *it)
{
    return kh_iter_next(it);
}

void kh_subject_set_index(kh_subject_set *set)
{
    index_build(set);
}

void kh_results_sort_scores(kh_results *r)
{
    if (r->nscores)
        qsort(r->scores, r->nscores, sizeof(kh_score), cmp_score);
}

/* Mirrors kh_evaluate: per scorecard, its kinds, then the levels its roll-ups climb. */
size_t kh_run_kinds(scorecard **scs, size_t nsc, const char *kinds[SC_MAX_KINDS])
{
    size_t n = 0;
    for (size_t si = 0; si < nsc; si++) {
        const scorecard *sc = scs[si];
        const char *want[SC_MAX_KINDS * 2];
        size_t nw = 0;
        for (int k = 0; k < sc->nkinds; k++)
            want[nw++] = sc->kinds[k];
        for (int ri = 0; ri < sc->nrollups; ri++) {
            const char *chain[KH_NKINDS];
            size_t nchain = sc_kind_chain(sc, sc->rollups[ri], chain);
            for (size_t l = 0; l < nchain && nw < SC_MAX_KINDS * 2; l++)
                want[nw++] = chain[l];
        }
        for (size_t w = 0; w < nw; w++) {
            size_t j = 0;
            while (j < n && strcmp(kinds[j], want[w]) != 0)
                j++;
            if (j == n && n < SC_MAX_KINDS)
                kinds[n++] = want[w];
        }
    }
    return n;
}

void kh_finish_scorecard(const scorecard *sc, size_t sci, kh_results *out, size_t first_score)
{
    size_t first_total = out->ntotals;
    compute_totals(sc, sci, out, first_score);
    kh_finish_totals(sc, sci, out, first_total);
}

void kh_finish_totals(const scorecard *sc, size_t sci, kh_results *out, size_t first_total)
{
    kh_compute_rollups(sc, sci, out, first_total);
    compute_ranks(out, first_total);
}

size_t kh_results_nscores(const kh_results *r)
{
    return r->nscores + r->nscores_streamed;
}

const kh_score *kh_scores_first(kh_iter *it, const kh_results *r)
{
    return kh_iter_first(it, r->scores, r->nscores, sizeof(kh_score), r->ssrc);
}

const kh_score *kh_scores_next(kh_iter *it)
{
    return kh_iter_next(it);
}

static int set_item_where(item_ctx *x, const sc_item *it)
{
    return snprintf(x->where, sizeof x->where, "%s:%d: item %s:", x->sc->path,
                    it->rule.line ? it->rule.line : it->line, it->no);
}

/* Every finding recorded for this scorecard and period must belong to one of its
 * finding-based items, or to a computed item that declares the clauses it reads from findings
 * (finding_clause), and to its subject kinds; otherwise an inspector's conclusion would be
 * silently ignored. */
int check_findings(evidence *ev, const scorecard *sc, bound_params *params, const char *period,
                   kh_error *err)
{
    kh_param p[2] = {{"kaohe_scorecard", {.type = KH_TEXT, .s = sc->id}},
                     {"period", {.type = KH_TEXT, .s = period}}};
    (void)params;
    ev_cursor *c = NULL;
    char where[300];
    snprintf(where, sizeof where, "%s: findings:", sc->path);
    if (ev_query(ev,
                 "SELECT id, item, subject_kind FROM finding WHERE scorecard = :kaohe_scorecard "
                 "AND (:period IS NULL OR period = :period) ORDER BY id",
                 p, 2, where, &c, err) != 0)
        return -1;
    int step, rc = 0;
    while (rc == 0 && (step = ev_step(c, err)) == 1) {
        const char *id = ev_text(c, 0), *item = ev_text(c, 1), *kind = ev_text(c, 2);
        kh_error why;
        int wenze = kh_wenze_finding_kind(sc->id, item, kind, &why);
        if (wenze > 0)
            continue; /* 问责情形5: the 问责名单 reads it (core/wenze.c), no item scores it */
        if (wenze < 0) {
            kh_seterr(err, "%s finding %s: %s", sc->path, id, why.msg);
            rc = -1;
            continue;
        }
        const sc_item *it = NULL;
        for (size_t i = 0; i < sc->nitems; i++)
            if (strcmp(sc->items[i].no, item) == 0)
                it = &sc->items[i];
        int kind_ok = 0, item_for = 0;
        for (int k = 0; k < sc->nkinds; k++) {
            kind_ok |= strcmp(sc->kinds[k], kind) == 0;
            item_for |= strcmp(sc->kinds[k], kind) == 0 && it && sc_item_for(it, k);
        }
        const char *of = it ? it->rule.of : NULL; /* subjects v2: a related subject's */
        if (!it) {
            kh_seterr(err, "%s finding %s names item %s, which scorecard %s does not have",
                      sc->path, id, item, sc->id);
            rc = -1;
        } else if (of && strcmp(of, kind) == 0) {
            /* the fact about the related subject the item takes its answer from */
        } else if (of) {
            kh_seterr(err,
                      "%s:%d: item %s: finding %s is about a %s, but this item takes its answer "
                      "from the %s linked to it: record the finding on the %s (subject_kind %s)",
                      sc->path, it->line, item, id, kind, of, of, of);
            rc = -1;
        } else if (it->rule.kind != RULE_FINDING && !it->finding_clause) {
            kh_seterr(err,
                      "%s:%d: item %s: finding %s is recorded, but this item is computed "
                      "from evidence, not from findings",
                      sc->path, it->line, item, id);
            rc = -1;
        } else if (!kind_ok) {
            kh_seterr(err, "%s finding %s is about a %s, but scorecard %s assesses %s", sc->path,
                      id, kind, sc->id, sc->kinds[0]);
            rc = -1;
        } else if (!item_for) {
            kh_seterr(err,
                      "%s:%d: item %s: finding %s is about a %s, but the item is not scored "
                      "for %s (see its subjects)",
                      sc->path, it->line, item, id, kind, kind);
            rc = -1;
        }
    }
    ev_done(c);
    return rc ? rc : (step < 0 ? -1 : 0);
}

/* ---- items in parallel -------------------------------------------------------------------
 * Items are independent: each reads the evidence and the subject lists and produces its own
 * scores and deductions. With jobs > 1, worker threads — each with its own read-only
 * connection — evaluate items into private buffers, and this thread takes the buffers in form
 * order, so the results are exactly those of evaluating the items one after another. */

typedef struct unit {
    size_t si, ii;
    kh_results priv; /* this item's scores and deductions; sets borrowed from the run */
    kh_error err;
    int rc, done;
    double cpu; /* the item's CPU seconds on its worker (core/schedule.h) */
} unit;

typedef struct item_pool {
    const char *path;
    uint64_t steps;
    const item_ctx *base; /* per scorecard: parameters, kinds */
    const kh_results *out;
    kh_run_input in; /* without the sink: buffers are handed over in order by the caller */
    unit *units;
    size_t *order; /* units[order[k]] is the k-th handed out: longest first (schedule.h) */
    size_t n, next;
    int stop;
    pthread_mutex_t lock;
    pthread_cond_t cond;
} item_pool;

static void unit_free(unit *u)
{
    for (size_t i = 0; i < u->priv.nscores; i++)
        free(u->priv.scores[i].reason);
    for (size_t i = 0; i < u->priv.ndeductions; i++) {
        free(u->priv.deductions[i].table);
        free(u->priv.deductions[i].key);
        free(u->priv.deductions[i].reason);
        free(u->priv.deductions[i].rows);
    }
    free(u->priv.scores);
    free(u->priv.deductions);
    memset(&u->priv, 0, sizeof u->priv);
}

static int eval_item_cb(void *x, kh_error *err)
{
    return eval_item(x, err);
}

/* eval_item under a watchdog for the time limit (core/item_watch.c): a single SQLite step
 * that never reaches the progress handler is interrupted, or the process ended. */
static int eval_item_watched(item_ctx *x, kh_error *err)
{
    return kh_eval_watched(x->ev, x->in->query_seconds, x->where, eval_item_cb, x, err);
}

static void *item_worker(void *ud)
{
    item_pool *p = ud;
    kh_error open_err;
    evidence *ev = ev_open(p->path, &open_err);
    if (ev && p->steps)
        ev_set_query_steps(ev, p->steps);
    if (ev)
        ev_set_query_seconds(ev, p->in.query_seconds);
    if (ev && ev_sets_share(ev, p->base[0].ev, &open_err) != 0) { /* shared sets (v2 item 6) */
        ev_close(ev);
        ev = NULL;
    }
    for (;;) {
        pthread_mutex_lock(&p->lock);
        unit *u = !p->stop && p->next < p->n ? &p->units[p->order[p->next++]] : NULL;
        pthread_mutex_unlock(&p->lock);
        if (!u)
            break;
        if (!ev) {
            u->err = open_err;
            u->rc = -1;
        } else {
            item_ctx x = p->base[u->si];
            x.ev = ev;
            x.in = &p->in;
            x.out = &u->priv;
            u->priv.nsets = p->out->nsets;
            memcpy(u->priv.sets, p->out->sets, sizeof u->priv.sets);
            x.itemi = u->ii;
            x.item = &x.sc->items[u->ii];
            set_item_where(&x, x.item);
            double t0 = kh_thread_cpu_seconds();
            u->rc = eval_item_watched(&x, &u->err);
            u->cpu = kh_thread_cpu_seconds() - t0;
        }
        pthread_mutex_lock(&p->lock);
        u->done = 1;
        pthread_cond_broadcast(&p->cond);
        pthread_mutex_unlock(&p->lock);
    }
    ev_close(ev);
    return NULL;
}

/* The items one after another on this thread's connection (jobs <= 1, or a single item). */
static int eval_items_in_order(const item_ctx *base, size_t nsc, const kh_run_input *in,
                               size_t total, size_t *first_score, kh_error *err)
{
    size_t done = 0;
    for (size_t si = 0; si < nsc; si++) {
        item_ctx x = base[si];
        first_score[si] = x.out->nscores;
        for (size_t ii = 0; ii < x.sc->nitems; ii++) {
            x.itemi = ii;
            x.item = &x.sc->items[ii];
            set_item_where(&x, x.item);
            if (in->progress)
                in->progress(in->progress_ud, x.sc->title, x.item->no, done, total);
            done++;
            size_t fs = x.out->nscores, fd = x.out->ndeductions;
            double t0 = kh_thread_cpu_seconds();
            if (eval_item_watched(&x, err) != 0 || item_done(&x, fs, fd, err) != 0)
                return -1;
            if (in->item_cpu)
                in->item_cpu[done - 1] = kh_thread_cpu_seconds() - t0;
        }
    }
    return 0;
}

/* Moves a finished unit's scores and deductions to the end of `out` (form order is kept by
 * taking the units in order). */
static void unit_take(kh_results *out, unit *u)
{
    for (size_t k = 0; k < u->priv.nscores; k++) {
        size_t at = KH_PUSH(out->scores, out->nscores, out->capscores);
        out->scores[at] = u->priv.scores[k];
    }
    for (size_t k = 0; k < u->priv.ndeductions; k++) {
        size_t at = KH_PUSH(out->deductions, out->ndeductions, out->capdeductions);
        out->deductions[at] = u->priv.deductions[k];
    }
    u->priv.nscores = u->priv.ndeductions = 0; /* moved */
    unit_free(u);
}

/* A pool with one unit per item of every scorecard, in form order, and no thread yet. */
static void pool_init(item_pool *p, const item_ctx *base, size_t nsc, const kh_run_input *in,
                      const kh_results *out, size_t total)
{
    memset(p, 0, sizeof *p);
    p->path = in->evidence_path;
    p->steps = in->query_steps;
    p->base = base;
    p->out = out;
    p->in = *in;
    p->in.sink = NULL;
    p->units = xcalloc(total, sizeof *p->units);
    for (size_t si = 0; si < nsc; si++)
        for (size_t ii = 0; ii < base[si].sc->nitems; ii++) {
            p->units[p->n].si = si;
            p->units[p->n++].ii = ii;
        }
    p->order = kh_schedule_order(in->item_cost, p->n);
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
}

/* Stops the workers (those still running finish their unit), joins them, frees the pool. */
static void pool_finish(item_pool *p, pthread_t *threads, int started)
{
    pthread_mutex_lock(&p->lock);
    p->stop = 1;
    pthread_mutex_unlock(&p->lock);
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    for (size_t i = 0; i < p->n; i++)
        unit_free(&p->units[i]);
    free(p->units);
    free(p->order);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->cond);
}

/* The items on worker threads, taken back here in form order (see the top of this part). */
static int eval_items_parallel(const item_ctx *base, size_t nsc, const kh_run_input *in,
                               kh_results *out, size_t total, size_t *first_score, kh_error *err)
{
    item_pool p;
    pool_init(&p, base, nsc, in, out, total);
    int jobs = in->jobs < (int)total ? in->jobs : (int)total;
    pthread_t *threads = xcalloc((size_t)jobs, sizeof *threads);
    int started = 0;
    while (started < jobs && pthread_create(&threads[started], NULL, item_worker, &p) == 0)
        started++;
    int rc = 0;
    if (!started) {
        kh_seterr(err, "cannot start worker threads");
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < p.n; i++) {
        unit *u = &p.units[i];
        const scorecard *sc = base[u->si].sc;
        if (u->ii == 0)
            first_score[u->si] = out->nscores;
        if (in->progress)
            in->progress(in->progress_ud, sc->title, sc->items[u->ii].no, i, total);
        pthread_mutex_lock(&p.lock);
        while (!u->done)
            pthread_cond_wait(&p.cond, &p.lock);
        pthread_mutex_unlock(&p.lock);
        if (u->rc != 0) {
            *err = u->err; /* the first failing item in form order, as one after another */
            rc = -1;
            break;
        }
        size_t fs = out->nscores, fd = out->ndeductions;
        unit_take(out, u);
        if (item_done(&base[u->si], fs, fd, err) != 0)
            rc = -1;
        if (in->item_cpu)
            in->item_cpu[i] = u->cpu;
    }
    pool_finish(&p, threads, started);
    free(threads);
    return rc;
}

/* Evaluates every item of every scorecard, in parallel when asked; scores and deductions land
 * in `out` in form order either way. first_score[si] is where scorecard si's scores begin. */
static int eval_items(const item_ctx *base, size_t nsc, const kh_run_input *in, kh_results *out,
                      size_t *first_score, kh_error *err)
{
    size_t total = 0;
    for (size_t si = 0; si < nsc; si++)
        total += base[si].sc->nitems;
    if (in->jobs <= 1 || !in->evidence_path || total < 2)
        return eval_items_in_order(base, nsc, in, total, first_score, err);
    return eval_items_parallel(base, nsc, in, out, total, first_score, err);
}

/* Shared sets (language v2 item 6, core/sets.h): every set of the run made once, with each
 * scorecard's bound parameters, before any item reads it; with -j N on N connections at once
 * (core/sets_parallel.c). out NULL: empty (kaohe check). */
static int materialise_sets(evidence *ev, scorecard *const *scs, size_t nsc,
                            const bound_params *params, const kh_run_input *in, kh_results *out,
                            kh_error *err)
{
    kh_bound *b = xcalloc(nsc ? nsc : 1, sizeof *b);
    for (size_t si = 0; si < nsc; si++)
        b[si] = (kh_bound){params[si].v, params[si].n};
    int rc = in->jobs > 1 && in->evidence_path && out
                 ? kh_sets_materialise_jobs(ev, scs, nsc, b, out, in, err)
                 : kh_sets_materialise(ev, scs, nsc, b, out, err);
    free(b);
    return rc;
}

int kh_evaluate(evidence *ev, scorecard **scs, size_t nsc, const kh_run_input *in, kh_results *out,
                kh_error *err)
{
    memset(out, 0, sizeof *out);
    out->period = xstrdup(in->period);
    size_t total_items = 0;
    for (size_t si = 0; si < nsc; si++)
        total_items += scs[si]->nitems;
    /* Everything the items read is set up first: parameters, the subjects of every level,
     * the findings checked. The items then only read. */
    item_ctx *base = xcalloc(nsc ? nsc : 1, sizeof *base);
    bound_params *params = xcalloc(nsc ? nsc : 1, sizeof *params);
    size_t *first_score = xcalloc(nsc ? nsc : 1, sizeof *first_score);
    int rc = 0;
    size_t bound = 0;
    for (size_t si = 0; rc == 0 && si < nsc; si++) {
        const scorecard *sc = scs[si];
        item_ctx *x = &base[si];
        x->ev = ev;
        x->sc = sc;
        x->sci = si;
        x->out = out;
        x->in = in;
        x->params = &params[si];
        rc = bind_for(sc, in->period, in, &params[si], &out->params_text, err);
        bound++;
        if (rc == 0) /* scorecard language v2: amounts named by parameter, then caps */
            rc = kh_bind_amounts(scs[si], params[si].v, params[si].n, err);
        if (rc == 0)
            x->caps = kh_caps_new(sc);
        for (int k = 0; rc == 0 && k < sc->nkinds; k++) {
            x->set_of[k] = scorecard_set_get(ev, out, sc, k, params[si].v, params[si].n, err);
            rc = x->set_of[k] < 0 ? -1 : 0;
        }
        if (rc == 0)
            rc = check_findings(ev, sc, &params[si], in->period, err);
        if (rc == 0)
            rc = rollup_sets_get(ev, sc, out, &params[si], err);
    }
    if (rc == 0)
        rc = materialise_sets(ev, scs, nsc, params, in, out, err);
    if (rc == 0)
        rc = eval_items(base, nsc, in, out, first_score, err);
    for (size_t si = 0; rc == 0 && si < nsc; si++) {
        size_t end = si + 1 < nsc ? first_score[si + 1] : out->nscores;
        if (end > first_score[si])
            qsort(out->scores + first_score[si], end - first_score[si], sizeof(kh_score),
                  cmp_score);
    }
    /* totals after every scorecard's scores are sorted: kh_finish_scorecard reads a
     * scorecard's range and appends its totals, roll-ups and ranks in scorecard order */
    for (size_t si = 0; rc == 0 && si < nsc; si++) {
        kh_apply_links(scs[si], si, out, first_score[si]); /* linked items: core/links.c */
        kh_finish_scorecard(scs[si], si, out, first_score[si]);
    }
    for (size_t si = 0; si < bound; si++) {
        bound_free(&params[si]);
        kh_caps_free(base[si].caps);
    }
    free(params);
    free(base);
    free(first_score);
    if (rc != 0)
        return -1;
    for (size_t j = 0; in && j < in->noverrides; j++)
        if (!in->overrides[j].used) {
            strbuf known = {0};
            for (size_t si = 0; si < nsc; si++)
                for (size_t p = 0; p < scs[si]->nparams; p++)
                    sb_printf(&known, "%s%s", known.len ? ", " : "", scs[si]->params[p].name);
            kh_seterr(err,
                      "--param %s: no scorecard in this run declares a parameter %s "
                      "(declared: %s)",
                      in->overrides[j].name, in->overrides[j].name,
                      known.len ? sb_str(&known) : "none");
            sb_free(&known);
            return -1;
        }
    if (out->ndeductions) /* none at all, or all spilled: the array may be NULL */
        qsort(out->deductions, out->ndeductions, sizeof(kh_deduction), cmp_deduction_global);
    if (in->progress)
        in->progress(in->progress_ud, "", "", total_items, total_items);
    return 0;
}

/* Writes a scorecard's queries as a script for the sqlite3 shell (parameters bound with
 * .parameter), exactly as the host runs them: what bench/ times as the floor. */
static void print_param(FILE *out, const kh_param *p)
{
    switch (p->value.type) {
    case KH_INT:
        fprintf(out, ".parameter set :%s %lld\n", p->name, (long long)p->value.i);
        break;
    case KH_REAL:
        fprintf(out, ".parameter set :%s %.17g\n", p->name, p->value.r);
        break;
    default:
        /* The shell strips one level of quoting from a dot-command's arguments and then
         * evaluates the value as SQL: '2018-12-31' unprotected becomes 2018 - 12 - 31 = 1975.
         * So the SQL literal goes inside double quotes (where \ and " are escaped). */
        fputs(".parameter set :", out);
        fputs(p->name, out);
        fputs(" \"'", out);
        for (const char *s = p->value.s ? p->value.s : ""; *s; s++)
            fputs(*s == '\''   ? "''"
                  : *s == '"'  ? "\\\""
                  : *s == '\\' ? "\\\\"
                               : (char[]){*s, 0},
                  out);
        fputs("'\"\n", out);
    }
}

/* Scorecard language v2, time windows: the item's :item_from, :item_until and :item_by, set
 * before each item's queries (for the sqlite3 shell: they change from item to item). */
static int print_item_window(const scorecard *sc, const sc_item *it, const bound_params *params,
                             FILE *out, kh_error *err)
{
    kh_window w;
    if (kh_item_window(sc, it, params->v, params->n, &w, err) != 0)
        return -1;
    kh_param *v = kh_item_params(params->v, params->n, &w);
    for (size_t j = params->n; j < params->n + 3; j++)
        print_param(out, &v[j]);
    free(v);
    return 0;
}

int kh_print_sql(const scorecard *sc, const char *period, FILE *out, kh_error *err)
{
    bound_params params;
    if (bind_for(sc, period, NULL, &params, NULL, err) != 0) {
        bound_free(&params);
        return -1;
    }
    fprintf(out, "-- %s (%s)\n.parameter init\n", sc->title, sc->path);
    for (size_t i = 0; i < params.n; i++)
        print_param(out, &params.v[i]);
    kh_print_sets(sc, out);
    for (size_t i = 0; i < sc->nitems; i++) {
        const sc_item *it = &sc->items[i];
        fprintf(out, "-- item %s\n", it->no);
        if (print_item_window(sc, it, &params, out, err) != 0) {
            bound_free(&params);
            return -1;
        }
        if (it->rule.kind == RULE_FINDING) {
            /* subjects v2: a related finding reads the related kind's findings, then via */
            const char *of = it->rule.of;
            for (int k = 0; k < (of ? 1 : sc->nkinds); k++) {
                kh_param extra[] = {{"kaohe_scorecard", {.type = KH_TEXT, .s = sc->id}},
                                    {"kaohe_item", {.type = KH_TEXT, .s = it->no}},
                                    {"kaohe_kind", {.type = KH_TEXT, .s = of ? of : sc->kinds[k]}}};
                for (int j = 0; j < 3; j++)
                    print_param(out, &extra[j]);
                fprintf(out, "%s;\n", FINDING_SQL);
            }
            if (of)
                fprintf(out, "%s;\n", it->rule.via);
            continue;
        }
        fprintf(out, "%s;\n", it->rule.sql);
        if (it->rule.evidence_sql)
            fprintf(out, "%s;\n", it->rule.evidence_sql);
    }
    if (sc->nsets)
        fputs("DETACH DATABASE sets;\n", out);
    bound_free(&params);
    return 0;
}

void kh_results_free(kh_results *r)
{
    free(r->period);
    for (size_t i = 0; i < r->nsets; i++)
        subject_set_clear(&r->sets[i]);
    for (size_t i = 0; i < r->nscores; i++)
        free(r->scores[i].reason);
    free(r->scores);
    for (size_t i = 0; i < r->ndeductions; i++) {
        free(r->deductions[i].table);
        free(r->deductions[i].key);
        free(r->deductions[i].reason);
        free(r->deductions[i].rows);
    }
    free(r->deductions);
    for (size_t i = 0; i < r->ntotals; i++)
        free(r->totals[i].grade);
    free(r->totals);
    sb_free(&r->params_text);
    kh_set_runs_free(r);
    if (r->wenze) {
        kh_wenze_free(r->wenze);
        free(r->wenze);
    }
    memset(r, 0, sizeof *r);
}
