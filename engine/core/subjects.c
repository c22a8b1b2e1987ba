/*
 * subjects.c — subjects v2: a scorecard's declared listing of a kind (filters and a parent). See
 * subjects.h.
 */
#include "core/subjects.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int kh_listing_declared(const scorecard *sc, int k)
{
    return k < sc->nkinds && (sc->listing[k].parent || sc->listing[k].nfilters);
}

/* "村卫生室" or 1, for the listing's key. */
static void value_text(strbuf *sb, const kh_value *v)
{
    if (v->type == KH_TEXT)
        sb_printf(sb, "%s", v->s);
    else
        sb_printf(sb, "%lld", (long long)v->i);
}

/* "WHERE kind IN (:kaohe_filter_1_1) AND …", each value a parameter of its own. */
static void filter_clause(const sc_listing *ls, kh_listing *l)
{
    size_t p = l->nparams;
    for (size_t f = 0; f < ls->nfilters; f++) {
        const sc_filter *flt = &ls->filters[f];
        sb_printf(&l->sql, "%s%s IN (", f ? " AND " : " WHERE ", flt->column);
        sb_printf(&l->key, "%s%s = ", l->key.len ? ", " : "", flt->column);
        for (size_t v = 0; v < flt->nvalues; v++, p++) {
            snprintf(l->names[p - l->nparams], sizeof l->names[0], "kaohe_filter_%zu_%zu", f + 1,
                     v + 1);
            l->params[p] = (kh_param){l->names[p - l->nparams], flt->values[v]};
            sb_printf(&l->sql, "%s:%s", v ? ", " : "", l->names[p - l->nparams]);
            sb_printf(&l->key, "%s", v ? "|" : "");
            value_text(&l->key, &flt->values[v]);
        }
        sb_printf(&l->sql, ")");
    }
    l->nparams = p;
}

void kh_listing_make(const scorecard *sc, int k, const kh_param *run, size_t nrun, kh_listing *l)
{
    memset(l, 0, sizeof *l);
    const sc_listing *ls = &sc->listing[k];
    const kh_kind *kind = kh_kind_find(sc->kinds[k]);
    size_t nvalues = 0;
    for (size_t f = 0; f < ls->nfilters; f++)
        nvalues += ls->filters[f].nvalues;
    l->params = xcalloc(nrun + nvalues + 1, sizeof *l->params);
    l->names = xcalloc(nvalues + 1, sizeof *l->names);
    memcpy(l->params, run, nrun * sizeof *run);
    l->nparams = nrun;
    l->filtered = ls->nfilters > 0;
    /* the language accepted only kinds with rows_sql; the kind's own listing otherwise */
    if (!kind || !kind->rows_sql) {
        sb_printf(&l->sql, "%s", kind ? kind->sql : "SELECT '', '', '', '' WHERE 0");
        return;
    }
    sb_printf(&l->sql, "SELECT id, name, unit, %s FROM (%s)", ls->parent ? ls->parent : "up",
              kind->rows_sql);
    filter_clause(ls, l);
    sb_printf(&l->sql, " ORDER BY id");
    if (ls->parent)
        sb_printf(&l->key, "%sparent = %s", l->key.len ? ", " : "", ls->parent);
}

void kh_listing_free(kh_listing *l)
{
    sb_free(&l->sql);
    sb_free(&l->key);
    free(l->params);
    free(l->names);
}
