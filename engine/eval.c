/*
 * eval.c — set-based evaluation of scorecards. See eval.h for the guarantees.
 */
#include "eval.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- subjects ----------------------------------------------------------------------------
 * How each kind of subject is listed. `parent` is only for people reading the report. */
static const struct {
    const char *kind;
    const char *sql;
} SUBJECT_SQL[] = {
    {"county", "SELECT id, name, province FROM county ORDER BY id"},
    {"township", "SELECT t.id, t.name, c.name FROM township t JOIN county c ON c.id = "
                 "t.county_id ORDER BY t.id"},
    {"village", "SELECT v.id, v.name, t.name FROM village v JOIN township t ON t.id = "
                "v.township_id ORDER BY v.id"},
    {"cadre", "SELECT id, name, department || '·' || role FROM cadre ORDER BY id"},
    {"institution", "SELECT id, name, kind FROM institution ORDER BY id"},
};

struct subject_index {
    size_t *slots; /* index + 1; 0 = empty */
    size_t mask;
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void index_build(kh_subject_set *set)
{
    struct subject_index *ix = xcalloc(1, sizeof *ix);
    size_t cap = 16;
    while (cap < set->count * 2)
        cap *= 2;
    ix->slots = xcalloc(cap, sizeof *ix->slots);
    ix->mask = cap - 1;
    for (size_t i = 0; i < set->count; i++) {
        size_t h = (size_t)hash_str(set->items[i].id) & ix->mask;
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
    size_t h = (size_t)hash_str(id) & ix->mask;
    while (ix->slots[h]) {
        size_t i = ix->slots[h] - 1;
        if (strcmp(set->items[i].id, id) == 0)
            return (long)i;
        h = (h + 1) & ix->mask;
    }
    return -1;
}

static const char *subject_sql(const char *kind)
{
    for (size_t i = 0; i < sizeof SUBJECT_SQL / sizeof SUBJECT_SQL[0]; i++)
        if (strcmp(SUBJECT_SQL[i].kind, kind) == 0)
            return SUBJECT_SQL[i].sql;
    return NULL;
}

/* Lists the subjects of `kind` once per run (shared by every scorecard that assesses them). */
static long subject_set_get(evidence *ev, kh_results *out, const char *kind, kh_error *err)
{
    for (size_t i = 0; i < out->nsets; i++)
        if (strcmp(out->sets[i].kind, kind) == 0)
            return (long)i;
    kh_subject_set *set = &out->sets[out->nsets];
    ev_cursor *c = NULL;
    char where[96];
    snprintf(where, sizeof where, "listing %s subjects:", kind);
    if (ev_query(ev, subject_sql(kind), NULL, 0, where, &c, err) != 0)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = ev_step(c, err)) == 1) {
        size_t k = KH_PUSH(set->items, set->count, cap);
        set->items[k].id = xstrdup(ev_text(c, 0));
        set->items[k].name = xstrdup(ev_text(c, 1));
        set->items[k].parent = xstrdup(ev_text(c, 2));
    }
    ev_done(c);
    set->kind = xstrdup(kind);
    out->nsets++;
    index_build(set);
    return rc < 0 ? -1 : (long)(out->nsets - 1);
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

typedef struct bound_params {
    kh_param *v;
    size_t n;
    char start[11], end[11];
    char **owned;
    size_t nowned;
} bound_params;

static void bound_free(bound_params *b)
{
    for (size_t i = 0; i < b->nowned; i++)
        free(b->owned[i]);
    free(b->owned);
    free(b->v);
}

/* Converts an override to the type of the declared default. */
static int parse_override(const sc_param *decl, const char *text, kh_value *v, kh_error *err)
{
    char *end = NULL;
    errno = 0;
    switch (decl->value.type) {
    case KH_INT:
        v->type = KH_INT;
        v->i = strtoll(text, &end, 10);
        break;
    case KH_REAL:
        v->type = KH_REAL;
        v->r = strtod(text, &end);
        break;
    default:
        v->type = KH_TEXT;
        v->s = text;
        return 0;
    }
    if (errno || !end || end == text || *end != '\0') {
        kh_seterr(err, "--param %s=%s: not a number (the scorecard's default is a number)",
                  decl->name, text);
        return -1;
    }
    return 0;
}

static int bind_for(const scorecard *sc, const char *period, const kh_run_input *in,
                    bound_params *b, strbuf *applied, kh_error *err)
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
                if (parse_override(p, in->overrides[j].value, &bp->value, err) != 0)
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
    const char *s = text;
    while (*s) {
        const char *open = strchr(s, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        if (!open || !close) {
            size_t k = KH_PUSH(t->parts, t->n, t->cap);
            t->parts[k].literal = xstrdup(s);
            break;
        }
        if (open > s) {
            size_t k = KH_PUSH(t->parts, t->n, t->cap);
            t->parts[k].literal = xmalloc((size_t)(open - s) + 1);
            memcpy(t->parts[k].literal, s, (size_t)(open - s));
            t->parts[k].literal[open - s] = '\0';
        }
        char name[128];
        size_t len = (size_t)(close - open - 1);
        if (len >= sizeof name)
            len = sizeof name - 1;
        memcpy(name, open + 1, len);
        name[len] = '\0';
        int col = ev_colindex(c, name);
        if (col < 0) {
            kh_seterr(err, "%s reason uses {%s} but the query returns no column named %s", where,
                      name, name);
            return -1;
        }
        size_t k = KH_PUSH(t->parts, t->n, t->cap);
        t->parts[k].literal = NULL;
        t->parts[k].col = col;
        s = close + 1;
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

/* Per subject accumulators for one item, one array per kind the scorecard assesses. */
typedef struct item_acc {
    int64_t *cases[SC_MAX_KINDS];
    points_t *lost[SC_MAX_KINDS];
    unsigned char *seen[SC_MAX_KINDS]; /* deduct_if: the query returned a row */
    char **reason[SC_MAX_KINDS];       /* deduct_if: the rendered reason */
    int covered[SC_MAX_KINDS];         /* the query has a column for this kind */
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
    char where[400];
} item_ctx;

static void push_deduction(kh_results *out, size_t sci, size_t itemi, size_t set, size_t subject,
                           points_t p, const char *table, const char *key, char *reason_owned)
{
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
}

/* Finds which subject-kind columns the query returns; at least one is required. */
static int map_kind_columns(item_ctx *x, ev_cursor *c, item_acc *acc, kh_error *err)
{
    int any = 0;
    for (int k = 0; k < x->sc->nkinds; k++) {
        acc->col[k] = ev_colindex(c, x->sc->kinds[k]);
        acc->covered[k] = acc->col[k] >= 0;
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

/* Resolves the subject a row names for kind k; an id that is not in the subject table is an
 * error, because dropping the row would silently lose a deduction. */
static long row_subject(item_ctx *x, ev_cursor *c, item_acc *acc, int k, kh_error *err)
{
    const kh_subject_set *set = &x->out->sets[x->set_of[k]];
    if (ev_coltype(c, acc->col[k]) == KH_NULL) {
        kh_seterr(err, "%s a row has no %s (column %s is NULL)", x->where, x->sc->kinds[k],
                  x->sc->kinds[k]);
        return -1;
    }
    const char *id = ev_text(c, acc->col[k]);
    long s = subject_find(set, id);
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
            long s = row_subject(x, c, acc, k, err);
            if (s < 0)
                goto done;
            /* Past the cap a case still goes on record, at 0 points, so the reader sees
             * every problem found and the points still add up. */
            points_t p = r->each;
            if (cap >= 0 && acc->lost[k][s] + p > cap)
                p = cap - acc->lost[k][s];
            acc->lost[k][s] += p;
            acc->cases[k][s]++;
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
    rc = step < 0 ? -1 : 0;
done:
    tpl_free(&reason);
    ev_done(c);
    return rc;
}

static int eval_deduct_if(item_ctx *x, item_acc *acc, kh_error *err)
{
    const sc_rule *r = &x->item->rule;
    ev_cursor *c = NULL;
    if (ev_query(x->ev, r->sql, x->params->v, x->params->n, x->where, &c, err) != 0)
        return -1;
    int rc = -1;
    tpl reason = {0}, ok_reason = {0};
    int failcol = ev_colindex(c, "failed");
    if (failcol < 0) {
        kh_seterr(err,
                  "%s deduct_if: the query must return a column named failed (1 where "
                  "the subject loses the points, 0 where it does not)",
                  x->where);
        goto done;
    }
    if (map_kind_columns(x, c, acc, err) != 0 ||
        tpl_compile(r->reason, c, x->where, &reason, err) != 0 ||
        tpl_compile(r->ok_reason, c, x->where, &ok_reason, err) != 0)
        goto done;
    points_t each = r->each;
    int step;
    while ((step = ev_step(c, err)) == 1) {
        int failed = ev_coltype(c, failcol) != KH_NULL && ev_int(c, failcol) != 0;
        for (int k = 0; k < x->sc->nkinds; k++) {
            if (!acc->covered[k])
                continue;
            long s = row_subject(x, c, acc, k, err);
            if (s < 0)
                goto done;
            if (acc->seen[k][s]) {
                kh_seterr(err, "%s deduct_if: the query returns more than one row for %s '%s'",
                          x->where, x->sc->kinds[k], x->out->sets[x->set_of[k]].items[s].id);
                goto done;
            }
            acc->seen[k][s] = 1;
            const tpl *t = failed ? &reason : &ok_reason;
            acc->reason[k][s] = t->n ? tpl_render(t, c) : NULL;
            if (failed) {
                acc->lost[k][s] = each;
                acc->cases[k][s] = 1;
            }
        }
    }
    if (step < 0)
        goto done;
    ev_done(c);
    c = NULL;

    /* The rows behind each failure: the points go on the first, the rest are listed at 0 so
     * that the reader sees them and the deductions still add up to what was lost. */
    unsigned char *given[SC_MAX_KINDS] = {0};
    for (int k = 0; k < x->sc->nkinds; k++)
        if (acc->covered[k])
            given[k] = xcalloc(x->out->sets[x->set_of[k]].count, 1);
    if (r->evidence_sql) {
        char where[480];
        snprintf(where, sizeof where, "%s evidence:", x->where);
        if (ev_query(x->ev, r->evidence_sql, x->params->v, x->params->n, where, &c, err) != 0)
            goto given_done;
        int keycol = ev_colindex(c, "key");
        if (keycol < 0) {
            kh_seterr(err, "%s deduct_if: the evidence query must return a column named key",
                      x->where);
            goto given_done;
        }
        item_acc ev_cols = *acc;
        for (int k = 0; k < x->sc->nkinds; k++)
            ev_cols.col[k] = acc->covered[k] ? ev_colindex(c, x->sc->kinds[k]) : -1;
        while ((step = ev_step(c, err)) == 1) {
            for (int k = 0; k < x->sc->nkinds; k++) {
                if (ev_cols.col[k] < 0)
                    continue;
                long s = row_subject(x, c, &ev_cols, k, err);
                if (s < 0)
                    goto given_done;
                if (!acc->lost[k][s])
                    continue;
                points_t p = given[k][s] ? 0 : acc->lost[k][s];
                given[k][s] = 1;
                const char *why = acc->reason[k][s] ? acc->reason[k][s] : "";
                push_deduction(x->out, x->sci, x->itemi, (size_t)x->set_of[k], (size_t)s, p,
                               r->evidence_table, ev_text(c, keycol), xstrdup(why));
            }
        }
        if (step < 0)
            goto given_done;
    }
    /* A failure with no evidence rows listed is recorded against the subject itself. */
    for (int k = 0; k < x->sc->nkinds; k++) {
        if (!acc->covered[k])
            continue;
        const kh_subject_set *set = &x->out->sets[x->set_of[k]];
        for (size_t s = 0; s < set->count; s++)
            if (acc->lost[k][s] && !given[k][s])
                push_deduction(x->out, x->sci, x->itemi, (size_t)x->set_of[k], s, acc->lost[k][s],
                               set->kind, set->items[s].id,
                               xstrdup(acc->reason[k][s] ? acc->reason[k][s] : ""));
    }
    rc = 0;
given_done:
    for (int k = 0; k < x->sc->nkinds; k++)
        free(given[k]);
done:
    tpl_free(&reason);
    tpl_free(&ok_reason);
    ev_done(c);
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
    switch (st) {
    case ST_NA:
        sb_printf(&sb, "本项不按%s考核", sc_kind_label(x->sc->kinds[k]));
        break;
    case ST_PENDING:
        sb_printf(&sb, "待核实：证据库中没有该%s的相关数据", sc_kind_label(x->sc->kinds[k]));
        break;
    default:
        if (r->kind == RULE_PER_CASE) {
            if (acc->cases[k][s] == 0) {
                sb_append(&sb, "未发现问题");
            } else {
                sb_printf(&sb, "发现%lld人次，每人次扣%s分，共扣%s分", (long long)acc->cases[k][s],
                          points_format(r->each, a, 32), points_format(acc->lost[k][s], b, 32));
                if (acc->lost[k][s] < r->each * acc->cases[k][s])
                    sb_append(&sb, "（已达扣分上限）");
            }
        } else {
            const char *why = acc->reason[k][s];
            if (why && *why)
                sb_append(&sb, why);
            else
                sb_append(&sb, st == ST_DEDUCTED ? "未达到要求" : "达到要求");
            if (st == ST_DEDUCTED)
                sb_printf(&sb, "，扣%s分", points_format(acc->lost[k][s], a, 32));
        }
    }
    return sb_take(&sb);
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
        acc.seen[k] = xcalloc(n, 1);
        acc.reason[k] = xcalloc(n, sizeof(char *));
    }
    size_t first_deduction = x->out->ndeductions;
    int rc = x->item->rule.kind == RULE_PER_CASE ? eval_per_case(x, &acc, err)
                                                 : eval_deduct_if(x, &acc, err);
    if (rc == 0) {
        qsort(x->out->deductions + first_deduction, x->out->ndeductions - first_deduction,
              sizeof(kh_deduction), cmp_deduction);
        for (int k = 0; k < sc->nkinds; k++) {
            const kh_subject_set *set = &x->out->sets[x->set_of[k]];
            for (size_t s = 0; s < set->count; s++) {
                kh_status st;
                if (!acc.covered[k])
                    st = ST_NA;
                else if (x->item->rule.kind == RULE_DEDUCT_IF && !acc.seen[k][s])
                    st = ST_PENDING;
                else
                    st = acc.cases[k][s] ? ST_DEDUCTED : ST_OK;
                size_t i = KH_PUSH(x->out->scores, x->out->nscores, x->out->capscores);
                kh_score *score = &x->out->scores[i];
                score->sc = x->sci;
                score->item = x->itemi;
                score->set = (size_t)x->set_of[k];
                score->subject = s;
                score->max = x->item->points;
                score->status = st;
                score->cases = acc.cases[k][s];
                if (sc->mode == MODE_DEDUCTION)
                    score->points = -acc.lost[k][s];
                else
                    score->points = x->item->points - acc.lost[k][s];
                score->reason = score_reason(x, &acc, k, s, st);
            }
        }
    }
    for (int k = 0; k < sc->nkinds; k++) {
        size_t n = x->out->sets[x->set_of[k]].count;
        for (size_t s = 0; s < n; s++)
            free(acc.reason[k][s]);
        free(acc.cases[k]);
        free(acc.lost[k]);
        free(acc.seen[k]);
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

static int cmp_total_rank(const void *a, const void *b)
{
    const kh_total *x = *(kh_total *const *)a, *y = *(kh_total *const *)b;
    if (x->total != y->total)
        return x->total > y->total ? -1 : 1;
    return x->subject < y->subject ? -1 : x->subject > y->subject;
}

static void compute_totals(const scorecard *sc, size_t sci, kh_results *out, size_t from)
{
    /* scores[from..] are this scorecard's, sorted by (kind, subject, item) */
    size_t i = from;
    while (i < out->nscores) {
        size_t set = out->scores[i].set, subject = out->scores[i].subject;
        points_t total = 0;
        int pending = 0;
        for (; i < out->nscores && out->scores[i].set == set && out->scores[i].subject == subject;
             i++) {
            if (out->scores[i].status == ST_PENDING)
                pending++;
            else
                total += out->scores[i].points;
        }
        size_t k = KH_PUSH(out->totals, out->ntotals, out->captotals);
        kh_total *t = &out->totals[k];
        memset(t, 0, sizeof *t);
        t->sc = sci;
        t->set = set;
        t->subject = subject;
        t->total = total;
        t->pending = pending;
        for (size_t g = 0; g < sc->ngrades; g++)
            if (total >= sc->grades[g].min) {
                t->grade = xstrdup(sc->grades[g].name);
                break;
            }
    }
}

static void compute_ranks(kh_results *out, size_t from)
{
    size_t n = out->ntotals - from;
    kh_total **v = xcalloc(n, sizeof *v);
    size_t i = 0;
    while (i < n) {
        size_t j = i, m = 0;
        while (j < n && out->totals[from + j].set == out->totals[from + i].set)
            v[m++] = &out->totals[from + j++];
        qsort(v, m, sizeof *v, cmp_total_rank);
        for (size_t r = 0; r < m; r++)
            v[r]->rank = (r > 0 && v[r]->total == v[r - 1]->total) ? v[r - 1]->rank : (int)r + 1;
        i = j;
    }
    free(v);
}

static int set_item_where(item_ctx *x, const sc_item *it)
{
    return snprintf(x->where, sizeof x->where, "%s:%d: item %s:", x->sc->path,
                    it->rule.line ? it->rule.line : it->line, it->no);
}

int kh_evaluate(evidence *ev, scorecard **scs, size_t nsc, const kh_run_input *in, kh_results *out,
                kh_error *err)
{
    memset(out, 0, sizeof *out);
    out->period = xstrdup(in->period);
    for (size_t si = 0; si < nsc; si++) {
        const scorecard *sc = scs[si];
        item_ctx x;
        memset(&x, 0, sizeof x);
        x.ev = ev;
        x.sc = sc;
        x.sci = si;
        x.out = out;
        for (int k = 0; k < sc->nkinds; k++) {
            x.set_of[k] = subject_set_get(ev, out, sc->kinds[k], err);
            if (x.set_of[k] < 0)
                return -1;
        }
        bound_params params;
        if (bind_for(sc, in->period, in, &params, &out->params_text, err) != 0) {
            bound_free(&params);
            return -1;
        }
        x.params = &params;
        size_t first_score = out->nscores;
        for (size_t ii = 0; ii < sc->nitems; ii++) {
            x.itemi = ii;
            x.item = &sc->items[ii];
            set_item_where(&x, x.item);
            if (eval_item(&x, err) != 0) {
                bound_free(&params);
                return -1;
            }
        }
        bound_free(&params);
        qsort(out->scores + first_score, out->nscores - first_score, sizeof(kh_score), cmp_score);
        size_t first_total = out->ntotals;
        compute_totals(sc, si, out, first_score);
        compute_ranks(out, first_total);
    }
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
    qsort(out->deductions, out->ndeductions, sizeof(kh_deduction), cmp_deduction_global);
    return 0;
}

int kh_check_scorecard(evidence *ev, const scorecard *sc, const char *period, kh_error *err)
{
    bound_params params;
    int rc = bind_for(sc, period, NULL, &params, NULL, err);
    for (size_t i = 0; rc == 0 && i < sc->nitems; i++) {
        const sc_item *it = &sc->items[i];
        char where[400];
        snprintf(where, sizeof where, "%s:%d: item %s:", sc->path,
                 it->rule.line ? it->rule.line : it->line, it->no);
        rc = ev_check(ev, it->rule.sql, params.v, params.n, where, err);
        if (rc == 0 && it->rule.evidence_sql)
            rc = ev_check(ev, it->rule.evidence_sql, params.v, params.n, where, err);
    }
    bound_free(&params);
    return rc;
}

void kh_results_free(kh_results *r)
{
    free(r->period);
    for (size_t i = 0; i < r->nsets; i++) {
        kh_subject_set *set = &r->sets[i];
        for (size_t j = 0; j < set->count; j++) {
            free(set->items[j].id);
            free(set->items[j].name);
            free(set->items[j].parent);
        }
        free(set->items);
        free(set->kind);
        if (set->index) {
            free(set->index->slots);
            free(set->index);
        }
    }
    for (size_t i = 0; i < r->nscores; i++)
        free(r->scores[i].reason);
    free(r->scores);
    for (size_t i = 0; i < r->ndeductions; i++) {
        free(r->deductions[i].table);
        free(r->deductions[i].key);
        free(r->deductions[i].reason);
    }
    free(r->deductions);
    for (size_t i = 0; i < r->ntotals; i++)
        free(r->totals[i].grade);
    free(r->totals);
    sb_free(&r->params_text);
    memset(r, 0, sizeof *r);
}
