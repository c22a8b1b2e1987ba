/*
 * rollup.c — the subjects' totals carried up the administrative chain (village → township →
 * county → city), as the scorecard's `rollup` policy says.
 *
 * A roll-up needs nothing but the totals and the subject lists: a single run and a merge of
 * shards (app/merge.c, through kh_finish_totals) compute it with this same code. Policies:
 *   by = mean           the mean of the fully scored subjects below, at every level (a county
 *                       is the mean of its villages, not of its townships) — the default
 *   by = mean_of_means  each level the mean of the level below's values
 *   by = sum, min       the sum / the lowest of the fully scored subjects' totals
 *   pending = exclude   待核实 members are left out and counted (the default)
 *   pending = pending   any 待核实 member makes the roll-up 待核实 itself
 * Means are rounded to hundredths, halves away from zero.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"

const char *kh_band_grade(const scorecard *sc, points_t total)
{
    for (size_t g = 0; g < sc->ngrades; g++)
        if (total >= sc->grades[g].min)
            return sc->grades[g].name;
    return NULL;
}

/* One unit of a level while its members are added in, then its value. */
typedef struct unit_val {
    points_t sum, min; /* over the scored members */
    int scored;        /* members with a value (fully scored subjects, or units with one) */
    int pending;       /* members without one (待核实) */
    int has;           /* the unit has a value under the policy */
    points_t value;
} unit_val;

static void unit_add(unit_val *u, int ok, points_t v)
{
    if (!ok) {
        u->pending++;
        return;
    }
    u->min = u->scored == 0 || v < u->min ? v : u->min;
    u->sum += v;
    u->scored++;
}

/* The mean of n values adding up to sum, in hundredths, halves away from zero. */
static points_t mean_of(points_t sum, int n)
{
    points_t a = sum < 0 ? -sum : sum;
    points_t avg = (a * 2 + n) / (2 * (points_t)n);
    return sum < 0 ? -avg : avg;
}

/* Decides each unit's value once its members are in. */
static void units_finish(const scorecard *sc, unit_val *u, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        u[i].has = u[i].scored > 0 && !(sc->rollup_pending && u[i].pending > 0);
        if (!u[i].has)
            continue;
        u[i].value = sc->rollup_by == ROLLUP_SUM   ? u[i].sum
                     : sc->rollup_by == ROLLUP_MIN ? u[i].min
                                                   : mean_of(u[i].sum, u[i].scored);
    }
}

/* The unit of set `above` that subject `s` of set `below` belongs to (through parent_id), or
 * -1 (a county without a city). */
static long parent_in(const kh_results *out, long below, size_t s, long above)
{
    if (below < 0 || above < 0)
        return -1;
    return kh_subject_find(&out->sets[above], out->sets[below].items[s].parent_id);
}

/* The units of chain[level] with the base subjects' totals (totals[first..last]) as members,
 * each subject climbing the chain to its unit there. */
static unit_val *level_from_subjects(const kh_results *out, size_t first, size_t last,
                                     const char *const *chain, size_t level)
{
    long top = kh_results_set(out, chain[level]);
    unit_val *u = xcalloc(out->sets[top].count + 1, sizeof *u);
    for (size_t i = first; i < last; i++) {
        const kh_total *t = &out->totals[i];
        long set = (long)t->set, at = (long)t->subject;
        for (size_t l = 0; l <= level && at >= 0; l++) {
            long up = kh_results_set(out, chain[l]);
            at = parent_in(out, set, (size_t)at, up);
            set = up;
        }
        if (at >= 0)
            unit_add(&u[at], !t->pending, t->total);
    }
    return u;
}

/* The units of chain[level] with the assessed units of the level below as members
 * (mean_of_means). `below` is freed. */
static unit_val *level_from_level(const scorecard *sc, const kh_results *out,
                                  const char *const *chain, size_t level, unit_val *below)
{
    long set = kh_results_set(out, chain[level]), lower = kh_results_set(out, chain[level - 1]);
    unit_val *u = xcalloc(out->sets[set].count + 1, sizeof *u);
    units_finish(sc, below, out->sets[lower].count);
    for (size_t s = 0; s < out->sets[lower].count; s++) {
        long at = parent_in(out, lower, s, set);
        if (at >= 0 && below[s].scored + below[s].pending > 0)
            unit_add(&u[at], below[s].has, below[s].value);
    }
    free(below);
    return u;
}

/* Appends a total for every unit of set `up` with any member assessed. */
static void push_units(const scorecard *sc, size_t sci, kh_results *out, long up, unit_val *u)
{
    units_finish(sc, u, out->sets[up].count);
    for (size_t s = 0; s < out->sets[up].count; s++) {
        if (!u[s].scored && !u[s].pending)
            continue; /* nothing below it was assessed */
        size_t k = KH_PUSH(out->totals, out->ntotals, out->captotals);
        kh_total *t = &out->totals[k];
        memset(t, 0, sizeof *t);
        t->sc = sci;
        t->set = (size_t)up;
        t->subject = s;
        t->rollup = 1;
        t->members = u[s].has ? u[s].scored : 0;
        t->members_total = u[s].scored + u[s].pending;
        t->pending = u[s].pending;
        const char *g = u[s].has ? kh_band_grade(sc, u[s].value) : sc->ngrades ? "待核实" : NULL;
        t->total = u[s].has ? u[s].value : 0;
        t->grade = g ? xstrdup(g) : NULL;
    }
}

void kh_compute_rollups(const scorecard *sc, size_t sci, kh_results *out, size_t first_total)
{
    size_t last_total = out->ntotals;
    for (int ri = 0; ri < sc->nrollups; ri++) {
        const char *chain[KH_NKINDS];
        size_t nchain = sc_kind_chain(sc, sc->rollups[ri], chain);
        long up = kh_results_set(out, sc->rollups[ri]);
        if (!nchain || up < 0)
            continue; /* refused when the scorecard was loaded; the sets are listed by kh_evaluate
                       */
        unit_val *u;
        if (sc->rollup_by == ROLLUP_MEAN_OF_MEANS) {
            u = level_from_subjects(out, first_total, last_total, chain, 0);
            for (size_t l = 1; l < nchain; l++)
                u = level_from_level(sc, out, chain, l, u);
        } else {
            u = level_from_subjects(out, first_total, last_total, chain, nchain - 1);
        }
        push_units(sc, sci, out, up, u);
        free(u);
    }
}

const char *kh_rollup_member_kind(const scorecard *sc, const char *kind)
{
    const char *chain[KH_NKINDS];
    size_t n = sc_kind_chain(sc, kind, chain);
    return sc->rollup_by == ROLLUP_MEAN_OF_MEANS && n >= 2 ? chain[n - 2] : sc->kinds[0];
}

const char *kh_rollup_label(const scorecard *sc)
{
    static const char *const LABELS[] = {"平均", "平均", "合计", "最低"};
    return LABELS[sc->rollup_by];
}
