/*
 * sets.c — shared sets in evaluation. See sets.h for the language and evidence/sets.h for how
 * a set is made and shared between connections.
 */
#include "core/sets.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/suggest.h"
#include "core/sets_internal.h"

/* ---- reading SQL text -------------------------------------------------------------------
 * Just enough lexing to find sets.NAME outside strings, quoted names and comments, and where
 * a statement's text ends before a trailing ';' or comment (the host wraps a set's SELECT in
 * CREATE ... AS SELECT * FROM ( ... ), where neither may follow it). */

/* If p starts a comment, a string or a quoted name: the position just past it (*comment set
 * for a comment). Otherwise NULL. An unterminated one runs to the end. */
static const char *skip_quoted(const char *p, int *comment)
{
    *comment = (p[0] == '-' && p[1] == '-') || (p[0] == '/' && p[1] == '*');
    if (p[0] == '-' && p[1] == '-') {
        const char *e = strchr(p, '\n');
        return e ? e : p + strlen(p);
    }
    if (p[0] == '/' && p[1] == '*') {
        const char *e = strstr(p + 2, "*/");
        return e ? e + 2 : p + strlen(p);
    }
    char close = *p == '\'' ? '\'' : *p == '"' ? '"' : *p == '`' ? '`' : *p == '[' ? ']' : 0;
    if (!close)
        return NULL;
    for (const char *q = p + 1; *q; q++) {
        if (*q != close)
            continue;
        if (close != ']' && q[1] == close) { /* '' inside a string */
            q++;
            continue;
        }
        return q + 1;
    }
    return p + strlen(p);
}

static int ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || (unsigned char)c >= 0x80;
}

typedef void (*ref_fn)(void *ud, const char *name);

/* Calls fn with each NAME of `sets.NAME` in sql, in order. */
static void each_set_ref(const char *sql, ref_fn fn, void *ud)
{
    const char *p = sql;
    while (*p) {
        int comment;
        const char *q = skip_quoted(p, &comment);
        if (q || !ident_char(*p)) {
            p = q ? q : p + 1;
            continue;
        }
        const char *word = p;
        while (ident_char(*p))
            p++;
        if (p - word != 4 || strncasecmp(word, "sets", 4) != 0 || (word > sql && word[-1] == '.'))
            continue;
        const char *r = p;
        while (isspace((unsigned char)*r))
            r++;
        if (*r++ != '.')
            continue;
        while (isspace((unsigned char)*r))
            r++;
        const char *name = r;
        while (ident_char(*r))
            r++;
        if (r > name) {
            char buf[128];
            snprintf(buf, sizeof buf, "%.*s", (int)(r - name), name);
            fn(ud, buf);
        }
        p = r;
    }
}

/* The length of sql without what trails its last token: whitespace, ';' and comments. */
static size_t statement_end(const char *sql)
{
    size_t end = 0;
    const char *p = sql;
    while (*p) {
        int comment;
        const char *q = skip_quoted(p, &comment);
        if (q) {
            if (!comment)
                end = (size_t)(q - sql);
            p = q;
            continue;
        }
        if (!isspace((unsigned char)*p) && *p != ';')
            end = (size_t)(p - sql) + 1;
        p++;
    }
    return end;
}

/* ---- the loader's check ------------------------------------------------------------------ */

typedef struct ref_check {
    const scorecard *sc;
    strbuf *problems;
    const char *file;
    int line;
    const char *what; /* "item 3" or "set poor_person" */
    int in_set;
} ref_check;

/* Appends the problem unless the same text is there already (a name used twice in a query). */
static void add_problem(strbuf *problems, strbuf *msg)
{
    sb_append(msg, "\n");
    if (!problems->len || !strstr(problems->data, sb_str(msg)))
        sb_append(problems, sb_str(msg));
    sb_free(msg);
}

static void check_ref(void *ud, const char *name)
{
    ref_check *c = ud;
    strbuf msg = {0};
    if (c->in_set) {
        sb_printf(&msg,
                  "%s:%d: %s: its SQL reads sets.%s, but a set reads only the evidence (the sets "
                  "are made side by side, before any item): select from the evidence tables",
                  c->file, c->line, c->what, name);
        add_problem(c->problems, &msg);
        return;
    }
    const char **names = xcalloc(c->sc->nsets + 1, sizeof *names);
    strbuf declared = {0};
    int known = 0;
    for (size_t i = 0; i < c->sc->nsets; i++) {
        names[i] = c->sc->sets[i].name;
        known |= strcmp(names[i], name) == 0;
        sb_printf(&declared, "%s%s", i ? ", " : "", names[i]);
    }
    const char *near = kh_suggest(name, names, c->sc->nsets);
    if (!known) {
        sb_printf(&msg,
                  "%s:%d: %s: uses sets.%s, which this scorecard does not declare (declared: %s)",
                  c->file, c->line, c->what, name, declared.len ? sb_str(&declared) : "none");
        if (near)
            sb_printf(&msg, "; did you mean sets.%s? Or", near);
        sb_printf(&msg,
                  "%sdeclare it in sets = { %s = { sql = [[SELECT ...]] } } or include the "
                  "shared file that declares it",
                  near ? " " : "; ", name);
        add_problem(c->problems, &msg);
    }
    sb_free(&msg);
    sb_free(&declared);
    free(names);
}

void kh_sets_check_refs(const scorecard *sc, strbuf *problems)
{
    char what[200] = "";
    ref_check c = {sc, problems, NULL, 0, what, 1};
    for (size_t i = 0; i < sc->nsets; i++) {
        snprintf(what, sizeof what, "set %s", sc->sets[i].name);
        c.file = sc->sets[i].file;
        c.line = sc->sets[i].line;
        each_set_ref(sc->sets[i].sql, check_ref, &c);
    }
    c.in_set = 0;
    c.file = sc->path;
    for (size_t i = 0; i < sc->nitems; i++) {
        const sc_item *it = &sc->items[i];
        snprintf(what, sizeof what, "item %s", it->no);
        c.line = it->rule.line ? it->rule.line : it->line;
        if (it->rule.sql)
            each_set_ref(it->rule.sql, check_ref, &c);
        if (it->rule.evidence_sql)
            each_set_ref(it->rule.evidence_sql, check_ref, &c);
    }
}

/* ---- making the sets --------------------------------------------------------------------- */

void kh_set_def_init(kh_set_def *x, const sc_set *set)
{
    strbuf where = {0}, origin = {0};
    sb_printf(&where, "%s:%d: set %s:", set->file, set->line, set->name);
    sb_printf(&origin, "%s:%d", set->file, set->line);
    x->where = sb_take(&where);
    x->origin = sb_take(&origin);
    x->sql = xstrdup(set->sql);
    x->sql[statement_end(x->sql)] = '\0';
    x->d = (ev_set_def){set->name,   x->sql,   (const char *const *)set->index,
                        set->nindex, x->where, x->origin};
}

void kh_set_def_free(kh_set_def *x)
{
    free(x->sql);
    free(x->where);
    free(x->origin);
    x->sql = x->where = x->origin = NULL;
}

size_t kh_set_run_add(kh_results *out, const scorecard *sc, const sc_set *set, int64_t rows)
{
    size_t k = KH_PUSH(out->set_runs, out->nset_runs, out->capset_runs);
    kh_set_run *r = &out->set_runs[k];
    r->name = xstrdup(set->name);
    r->file = xstrdup(set->file);
    memcpy(r->sha256, set->sha256[0] ? set->sha256 : sc->sha256, sizeof r->sha256);
    r->rows = rows;
    return k;
}

/* Makes one set of scorecard sc (or finds it made), recording it in out when filled. */
static int make_one(evidence *ev, const scorecard *sc, const sc_set *set, const kh_bound *params,
                    kh_results *out, kh_error *err)
{
    kh_set_def x;
    kh_set_def_init(&x, set);
    int64_t rows = 0;
    int made = ev_set_make(ev, &x.d, params->v, params->n, out == NULL, &rows, err);
    kh_set_def_free(&x);
    if (made == 1 && out)
        kh_set_run_add(out, sc, set, rows);
    return made < 0 ? -1 : 0;
}

int kh_sets_open(evidence *ev, scorecard *const *scs, size_t nsc, kh_error *err)
{
    size_t total = 0;
    for (size_t si = 0; si < nsc; si++)
        total += scs[si]->nsets;
    if (total == 0)
        return 0;
    if (ev_sets_begin(ev, err) != 0) {
        ev_sets_abandon(ev);
        return -1;
    }
    return 1;
}

int kh_sets_materialise(evidence *ev, scorecard *const *scs, size_t nsc, const kh_bound *params,
                        kh_results *out, kh_error *err)
{
    int begun = kh_sets_open(ev, scs, nsc, err);
    if (begun <= 0)
        return begun;
    for (size_t si = 0; si < nsc; si++)
        for (size_t i = 0; i < scs[si]->nsets; i++)
            if (make_one(ev, scs[si], &scs[si]->sets[i], &params[si], out, err) != 0) {
                ev_sets_abandon(ev);
                return -1;
            }
    return ev_sets_publish(ev, err);
}

void kh_set_runs_free(kh_results *r)
{
    for (size_t i = 0; i < r->nset_runs; i++) {
        free(r->set_runs[i].name);
        free(r->set_runs[i].file);
    }
    free(r->set_runs);
    r->set_runs = NULL;
    r->nset_runs = r->capset_runs = 0;
}

void kh_print_sets(const scorecard *sc, FILE *out)
{
    if (!sc->nsets)
        return;
    fputs("-- shared sets: made once, before the items (the engine publishes them read-only)\n"
          "ATTACH 'file:kaohe_sets?mode=memory' AS sets;\n",
          out);
    for (size_t i = 0; i < sc->nsets; i++) {
        const sc_set *s = &sc->sets[i];
        fprintf(out, "-- set %s (%s:%d)\nCREATE TABLE sets.\"%s\" AS SELECT * FROM (\n%.*s\n);\n",
                s->name, s->file, s->line, s->name, (int)statement_end(s->sql), s->sql);
        for (size_t j = 0; j < s->nindex; j++)
            fprintf(out, "CREATE INDEX sets.\"%s_i%zu\" ON \"%s\"(%s);\n", s->name, j + 1, s->name,
                    s->index[j]);
    }
}
