/*
 * check.c — `kaohe check` for one scorecard (kh_check_scorecard, see eval.h).
 *
 * Every query is prepared against the evidence schema and bound, never run, and the columns it
 * would return are compared with what its rule reads: the key, a subject column, failed/passed
 * or num/den, every {name} of its reason templates. A run stops on most of these only when it
 * reaches the item, and one (an evidence query listing no subject) it never notices: the rows
 * behind a failure silently go missing. Each problem names the file, the line of the query, the
 * item and the fix; all problems of a scorecard are gathered, one per line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/suggest.h"
#include "core/check_internal.h"
#include "core/sets.h"
#include "core/window.h"
#include "evidence/schema_check.h"

/* One query being checked: what its problems are prefixed with and where they go. */
typedef struct query_ctx {
    evidence *ev;
    const bound_params *params;
    /* the run's parameters followed by the item's :item_from, :item_until, :item_by */
    const kh_param *v;
    size_t nv;
    const scorecard *sc;
    const sc_item *it;
    const char *rule; /* the rule kind as written: check, deduct_if, per_case, rate_at_least */
    const char *what; /* "the query" or "evidence.sql", as the messages name it */
    int line;
    strbuf *problems;
} query_ctx;

static void problem(const query_ctx *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Adds "FILE:LINE: item N: RULE: message" to the problems. */
static void problem(const query_ctx *q, const char *fmt, ...)
{
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sb_printf(q->problems, "%s:%d: item %s: %s: %s\n", q->sc->path, q->line, q->it->no, q->rule,
              msg);
}

/* The rule kind as the scorecard wrote it (the loader records it; the enum cannot tell check
 * from deduct_if). */
static const char *rule_name(const sc_rule *r)
{
    if (r->written)
        return r->written;
    switch (r->kind) {
    case RULE_PER_CASE:
        return "per_case";
    case RULE_RATE:
        return "rate_at_least";
    case RULE_FINDING:
        return "finding";
    default:
        return "deduct_if";
    }
}

/* "; is 'faild' a typo?" when a column the query returns is a likely typo of one of `wanted`
 * (base/suggest.h's rule), else "". */
static const char *typo_hint(const ev_columns *cols, const char *const *wanted, size_t nwanted,
                             char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t w = 0; w < nwanted && !buf[0]; w++) {
        const char *near = NULL;
        for (size_t i = 0; i < cols->n && !near; i++)
            if (kh_suggest(cols->names[i], &wanted[w], 1))
                near = cols->names[i];
        if (near)
            snprintf(buf, size, "; is '%s' a typo?", near);
    }
    return buf;
}

/* Prepares and binds one query and reads its columns. A query that does not prepare is a
 * problem in the words a run would use (SQL error, unknown parameter, not read-only ...). */
static int query_columns(const query_ctx *q, const char *sql, ev_columns *cols)
{
    char where[512];
    if (strcmp(q->what, "the query") == 0)
        snprintf(where, sizeof where, "%s:%d: item %s:", q->sc->path, q->line, q->it->no);
    else
        snprintf(where, sizeof where, "%s:%d: item %s: %s: %s:", q->sc->path, q->line, q->it->no,
                 q->rule, q->what);
    kh_error err;
    if (ev_columns_of(q->ev, sql, q->v, q->nv, where, cols, &err) == 0)
        return 0;
    sb_printf(q->problems, "%s\n", err.msg);
    return -1;
}

/* A column the rule reads; `fix` says what to return. */
static void need_column(const query_ctx *q, const ev_columns *cols, const char *name,
                        const char *fix)
{
    if (ev_columns_find(cols, name) >= 0)
        return;
    char hint[200];
    problem(q, "%s returns no column '%s' (%s%s)", q->what, name, fix,
            typo_hint(cols, &name, 1, hint, sizeof hint));
}

/* At least one of the subject columns `kinds`: each row must say which subject it is about. */
static void need_subject(const query_ctx *q, const ev_columns *cols, const char *const *kinds,
                         size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (ev_columns_find(cols, kinds[k]) >= 0)
            return;
    strbuf names = {0};
    for (size_t k = 0; k < n; k++)
        sb_printf(&names, "%s'%s'", k == 0 ? "" : k + 1 < n ? ", " : " or ", kinds[k]);
    char fix[200], hint[200];
    if (n == 1)
        snprintf(fix, sizeof fix, "return the id of the %s each row is about AS %s", kinds[0],
                 kinds[0]);
    else
        snprintf(fix, sizeof fix, "return the id of the subject each row is about AS one of them");
    problem(q, "%s returns no subject column %s (%s%s)", q->what, sb_str(&names), fix,
            typo_hint(cols, kinds, n, hint, sizeof hint));
    sb_free(&names);
}

/* Every {name} of a reason template must be a column of the query, as the run's template
 * compiler (eval.c tpl_compile, the same tpl_next) requires before it reads a row. */
static void need_template(const query_ctx *q, const ev_columns *cols, const char *field,
                          const char *text)
{
    const char *s = text, *open;
    char name[TPL_NAME_MAX];
    while (s && (s = tpl_next(s, &open, name)) != NULL) {
        if (ev_columns_find(cols, name) >= 0)
            continue;
        const char *near = kh_suggest(name, (const char *const *)cols->names, cols->n);
        char fix[TPL_NAME_MAX + 80];
        if (near)
            snprintf(fix, sizeof fix, "did you mean {%s}?", near);
        else
            snprintf(fix, sizeof fix, "return it AS %s, or take the placeholder out", name);
        problem(q, "%s uses {%s}, but %s returns no column '%s' (%s)", field, name, q->what, name,
                fix);
    }
}

/* The main query: what its rule reads of every row. */
static void check_main_columns(const query_ctx *q, const ev_columns *cols)
{
    const sc_rule *r = &q->it->rule;
    char fix[300];
    if (r->kind == RULE_PER_CASE) {
        snprintf(fix, sizeof fix, "return the id of the %s row behind each case AS key",
                 r->evidence_table ? r->evidence_table : "evidence");
        need_column(q, cols, "key", fix);
    } else if (r->kind == RULE_RATE) {
        need_column(q, cols, "num", "return the count of those meeting the standard AS num");
        need_column(q, cols, "den", "return the count of all who should meet it AS den");
    } else if (ev_columns_find(cols, "failed") < 0 && ev_columns_find(cols, "passed") < 0) {
        static const char *const either[] = {"failed", "passed"};
        char hint[200];
        problem(q,
                "%s returns no column 'failed' or 'passed' (return 1 AS failed where the subject "
                "loses the points%s)",
                q->what, typo_hint(cols, either, 2, hint, sizeof hint));
    }
    need_subject(q, cols, (const char *const *)q->sc->kinds, (size_t)q->sc->nkinds);
    need_template(q, cols, "reason", r->reason);
    need_template(q, cols, "ok_reason", r->ok_reason);
    need_template(q, cols, "na_reason", r->na_reason);
}

/* evidence.sql lists the rows behind each failure: a key, and the subject column of at least
 * one kind the main query returns (main: its columns, or NULL when it did not prepare). A run
 * lists a row only under a subject whose column both queries return, and without one lists
 * none at all, silently. */
static void check_evidence_query(query_ctx *q, const ev_columns *main)
{
    const sc_rule *r = &q->it->rule;
    ev_columns cols;
    if (query_columns(q, r->evidence_sql, &cols) != 0)
        return;
    char fix[300];
    snprintf(fix, sizeof fix, "return the id of the %s row behind the failure AS key",
             r->evidence_table ? r->evidence_table : "evidence");
    need_column(q, &cols, "key", fix);
    const char *kinds[SC_MAX_KINDS];
    size_t n = 0;
    for (int k = 0; main && k < q->sc->nkinds; k++)
        if (ev_columns_find(main, q->sc->kinds[k]) >= 0)
            kinds[n++] = q->sc->kinds[k];
    for (int k = 0; n == 0 && k < q->sc->nkinds; k++) /* the main query names none */
        kinds[k] = q->sc->kinds[k];
    need_subject(q, &cols, kinds, n ? n : (size_t)q->sc->nkinds);
    ev_columns_free(&cols);
}

/* The line the query `sql` starts on in the scorecard's text, looking from the rule's line on:
 * a query written out as one string (a [[long string]] is kept verbatim) is found where it is
 * written; one built by code (concatenated in a helper function) is not, and the rule's line
 * stands. */
static int query_line(const char *text, int rule_line, const char *sql)
{
    const char *from = text;
    for (int l = 1; from && l < rule_line; l++) {
        from = strchr(from, '\n');
        from = from ? from + 1 : NULL;
    }
    const char *at = from && *sql ? strstr(from, sql) : NULL;
    int line = rule_line;
    for (const char *p = from; at && p < at; p++)
        line += *p == '\n';
    return line;
}

/* Subjects v2: a related finding's via query links each subject the item is scored for to
 * the related subject: a column named after each of those kinds, and one named `of`. */
static void check_via(const query_ctx *q)
{
    const sc_rule *r = &q->it->rule;
    ev_columns cols;
    if (query_columns(q, r->via, &cols) != 0)
        return;
    char fix[300];
    snprintf(fix, sizeof fix, "return the id of the %s each subject takes its answer from AS %s",
             r->of, r->of);
    need_column(q, &cols, r->of, fix);
    for (int k = 0; k < q->sc->nkinds; k++) {
        if (!sc_item_for(q->it, k))
            continue;
        snprintf(fix, sizeof fix, "return the id of the %s each row links AS %s", q->sc->kinds[k],
                 q->sc->kinds[k]);
        need_column(q, &cols, q->sc->kinds[k], fix);
    }
    ev_columns_free(&cols);
}

/* One item's queries (a finding has none, unless it is about a related subject). `text`: the
 * scorecard file, or NULL. */
static void check_item(evidence *ev, const scorecard *sc, const sc_item *it,
                       const bound_params *params, const char *text, strbuf *problems)
{
    const sc_rule *r = &it->rule;
    if (!r->sql && !r->via)
        return;
    /* scorecard language v2: the query reads the item's window as a run binds it */
    kh_window w;
    kh_error werr;
    if (kh_item_window(sc, it, params->v, params->n, &w, &werr) != 0) {
        sb_printf(problems, "%s\n", werr.msg);
        return;
    }
    kh_param *v = kh_item_params(params->v, params->n, &w);
    /* the main query's problems name the rule's line, as a run's do */
    query_ctx q = {.ev = ev,
                   .params = params,
                   .v = v,
                   .nv = params->n + 3,
                   .sc = sc,
                   .it = it,
                   .rule = rule_name(r),
                   .what = "the query",
                   .line = r->line ? r->line : it->line,
                   .problems = problems};
    if (r->via) { /* subjects v2 */
        q.what = "via";
        q.line = text ? query_line(text, q.line, r->via) : q.line;
        check_via(&q);
        free(v);
        return;
    }
    ev_columns cols;
    int prepared = query_columns(&q, r->sql, &cols) == 0;
    if (prepared)
        check_main_columns(&q, &cols);
    if (r->evidence_sql) {
        query_ctx eq = q;
        eq.what = "evidence.sql";
        eq.line = text ? query_line(text, q.line, r->evidence_sql) : q.line;
        check_evidence_query(&eq, prepared ? &cols : NULL);
    }
    if (prepared)
        ev_columns_free(&cols);
    free(v);
}

int kh_check_scorecard(evidence *ev, const scorecard *sc, const char *period, kh_error *err)
{
    bound_params params;
    if (bind_for(sc, period, NULL, &params, NULL, err) != 0) {
        bound_free(&params);
        return -1;
    }
    /* shared sets (language v2 item 6): made empty, so that the queries reading them prepare */
    kh_bound b = {params.v, params.n};
    if (kh_sets_materialise(ev, (scorecard *const *)&sc, 1, &b, NULL, err) != 0) {
        bound_free(&params);
        return -1;
    }
    strbuf text = {0}, problems = {0};
    if (sb_read_file(&text, sc->path) != 0)
        sb_free(&text); /* unreadable now: evidence.sql problems name the rule's line */
    for (size_t i = 0; i < sc->nitems; i++)
        check_item(ev, sc, &sc->items[i], &params, text.data, &problems);
    /* findings of any period must match the scorecard's items */
    kh_error one;
    if (check_findings(ev, sc, &params, NULL, &one) != 0)
        sb_printf(&problems, "%s\n", one.msg);
    bound_free(&params);
    sb_free(&text);
    int rc = problems.len ? -1 : 0;
    if (rc) {
        problems.data[--problems.len] = '\0'; /* one message per line, none after the last */
        kh_seterr(err, "%s", sb_str(&problems));
    }
    sb_free(&problems);
    return rc;
}
