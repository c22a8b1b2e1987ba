/*
 * scorecard.c — the scorecard as plain C data: freeing it, the label a report prints for its
 * mode (the kinds' labels are in core/kinds.c), and which kinds an item is scored for. Building
 * it from a Lua file is lua/loader.c's job.
 */
#include "core/scorecard.h"

#include <stdlib.h>
#include <string.h>

void sc_set_free(sc_set *set)
{
    free(set->name);
    free(set->sql);
    for (size_t j = 0; j < set->nindex; j++)
        free(set->index[j]);
    free(set->index);
    free(set->file);
}

/* subjects v2: a kind's declared listing (its filters and parent). */
static void sc_listing_free(sc_listing *l)
{
    free(l->parent);
    for (size_t f = 0; f < l->nfilters; f++) {
        for (size_t v = 0; v < l->filters[f].nvalues; v++)
            if (l->filters[f].values[v].type == KH_TEXT)
                free((char *)l->filters[f].values[v].s);
        free(l->filters[f].values);
        free(l->filters[f].column);
    }
    free(l->filters);
}

void scorecard_free(scorecard *sc)
{
    if (!sc)
        return;
    free(sc->path);
    free(sc->id);
    free(sc->title);
    free(sc->source);
    free(sc->period);
    free(sc->short_title);
    for (int i = 0; i < sc->nkinds; i++)
        free(sc->kinds[i]);
    for (int i = 0; i < sc->nrollups; i++)
        free(sc->rollups[i]);
    free(sc->veto_grade);
    for (size_t i = 0; i < sc->nitems; i++) {
        sc_item *it = &sc->items[i];
        free(it->no);
        free(it->text);
        free(it->per);
        free(it->accountable);
        free(it->note);
        free(it->section);
        free(it->rule.sql);
        free(it->rule.evidence_table);
        free(it->rule.evidence_sql);
        free(it->rule.reason);
        free(it->rule.ok_reason);
        free(it->rule.na_reason);
        free(it->rule.threshold_param);
        free(it->section_note);
        /* scorecard language v2 */
        free(it->rule.each_param);
        free(it->rule.cap_param);
        free(it->rule.yes_param);
        free(it->rule.no_param);
        free(it->rule.of); /* subjects v2 */
        free(it->rule.via);
        free(it->from);
        free(it->until);
        free(it->by);
        free(it->years);
        for (size_t l = 0; l < it->nlinks; l++)
            free(it->links[l].no);
        free(it->links);
        free(it->finding_clause); /* issue 14 */
    }
    free(sc->items);
    for (size_t i = 0; i < sc->nparams; i++) {
        free(sc->params[i].name);
        free(sc->params[i].desc);
        if (sc->params[i].value.type == KH_TEXT)
            free((char *)sc->params[i].value.s);
    }
    free(sc->params);
    for (size_t i = 0; i < sc->ngrades; i++) {
        free(sc->grades[i].name);
        free(sc->grades[i].min_param);
    }
    free(sc->grade_source);
    free(sc->grades);
    free(sc->note);
    /* scorecard language v2 */
    for (size_t i = 0; i < sc->nsections; i++) {
        free(sc->sections[i].title);
        free(sc->sections[i].limits.cap_param);
        free(sc->sections[i].limits.floor_param);
    }
    free(sc->sections);
    free(sc->limits.cap_param);
    free(sc->limits.floor_param);
    for (size_t i = 0; i < sc->nsets; i++) /* shared sets (language v2 item 6) */
        sc_set_free(&sc->sets[i]);
    free(sc->sets);
    free(sc->reading);                     /* issue 14 */
    for (int k = 0; k < SC_MAX_KINDS; k++) /* subjects v2 */
        sc_listing_free(&sc->listing[k]);
    free(sc);
}

const char *sc_mode_name(sc_mode mode)
{
    return mode == MODE_DEDUCTION ? "扣分制" : "计分制";
}

int sc_item_for(const sc_item *it, int k)
{
    return it->for_kinds == 0 || (it->for_kinds >> k & 1u);
}

size_t sc_kind_chain(const scorecard *sc, const char *to, const char *levels[KH_NKINDS])
{
    const char *parent = sc->nkinds ? sc->listing[0].parent : NULL;
    if (!parent)
        return sc->nkinds ? kh_kind_chain(sc->kinds[0], to, levels) : 0;
    levels[0] = parent;
    if (strcmp(parent, to) == 0)
        return 1;
    const char *above[KH_NKINDS];
    size_t n = kh_kind_chain(parent, to, above);
    for (size_t i = 0; i < n && i + 1 < KH_NKINDS; i++)
        levels[i + 1] = above[i];
    return n && n + 1 <= KH_NKINDS ? n + 1 : 0;
}
