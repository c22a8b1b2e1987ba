/*
 * links.c — linked items: an item whose outcome follows other items' outcomes for the same
 * subject (scorecard language v2).
 *
 *   veto_if_failed = X   X failed (扣分) → this item fails too and vetoes: the subject's grade
 *                        is the veto grade; in points mode the item scores 0
 *   zero_if_failed = X   X failed → this item scores 0: 因第X项未达标不予得分
 *   na_if_na = X         X is 不适用 → this item is 不适用 as well
 *
 * A pass over the scores after every item's own evaluation, so that the per-item queries know
 * nothing of it. Items are taken in dependency order (a topological order of the links, form
 * order among items free to go), so that an item linked to a linked item sees that item's final
 * outcome; the scores themselves stay in form order. What a link decides, in this order:
 *   - a source 待核实 → this item is 待核实 (nothing can be decided without it);
 *   - a veto or zero source failed → this item fails (its own evaluation is kept in the reason);
 *   - a 不适用 source → this item is 不适用, unless it failed on its own evidence: then the two
 *     disagree and the item is 待核实 (which one is right is not for the engine to guess).
 * Points an item loses through a link are listed as a deduction against the subject itself, so
 * that an item's deductions still add up to what it lost. The language (dsl.lua) refuses links
 * to unknown items, cycles, and links to an item not scored for the same kinds.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"

/* Items in dependency order: each after every item it links to, form order otherwise. A cycle
 * (refused by the language) leaves its items in form order at the end. */
static size_t *link_order(const scorecard *sc)
{
    size_t n = sc->nitems, done = 0;
    size_t *order = xcalloc(n + 1, sizeof *order);
    unsigned char *placed = xcalloc(n + 1, 1);
    while (done < n) {
        size_t pick = n;
        for (size_t i = 0; i < n && pick == n; i++) {
            int ready = !placed[i];
            for (size_t l = 0; ready && l < sc->items[i].nlinks; l++)
                ready = placed[sc->items[i].links[l].source];
            if (ready)
                pick = i;
        }
        for (size_t i = 0; i < n && pick == n; i++)
            if (!placed[i])
                pick = i; /* a cycle: cannot happen after the language's check */
        placed[pick] = 1;
        order[done++] = pick;
    }
    free(placed);
    return order;
}

/* The sources of item `it` whose score for this subject is `status`, as "1、3"; 0 if none.
 * kind 0 = any kind of link. */
static int sources_with(const sc_item *it, kh_score *const *by_item, sc_link_kind kind,
                        kh_status status, strbuf *nos)
{
    int n = 0;
    for (size_t l = 0; l < it->nlinks; l++) {
        const kh_score *src = by_item[it->links[l].source];
        if ((kind && it->links[l].kind != kind) || !src || src->status != status)
            continue;
        sb_printf(nos, "%s%s", n++ ? "、" : "", it->links[l].no);
    }
    return n;
}

/* Replaces the score's reason: `why`, then the item's own finding when it failed on its own. */
static void set_reason(kh_score *s, kh_status own, const char *why)
{
    strbuf sb = {0};
    sb_append(&sb, why);
    if (own == ST_DEDUCTED && s->reason && *s->reason)
        sb_printf(&sb, "（本项自身：%s）", s->reason);
    free(s->reason);
    s->reason = sb_take(&sb);
}

/* The item fails because of a linked item: in points mode it scores 0, what it still had
 * listed as a deduction against the subject; `veto` (or the item's own veto) sets the grade. */
static void fail_by_link(const scorecard *sc, size_t sci, kh_results *out, const sc_item *it,
                         kh_score *s, int veto, const char *why)
{
    kh_status own = s->status;
    strbuf sb = {0};
    sb_append(&sb, why);
    s->veto = veto || it->veto;
    if (s->veto)
        sb_printf(&sb, "【否决项：年度考核直接定为“%s”等】", sc->veto_grade);
    set_reason(s, own, sb_str(&sb));
    sb_free(&sb);
    s->status = ST_DEDUCTED;
    if (sc->mode == MODE_POINTS && s->points > 0) {
        const kh_subject_set *set = &out->sets[s->set];
        size_t k = KH_PUSH(out->deductions, out->ndeductions, out->capdeductions);
        out->deductions[k] = (kh_deduction){sci,
                                            s->item,
                                            s->set,
                                            s->subject,
                                            s->points,
                                            xstrdup(set->kind),
                                            xstrdup(set->items[s->subject].id),
                                            xstrdup(why),
                                            NULL};
        s->nevidence++;
        s->points = 0;
    }
}

/* An outcome the links leave open or call 不适用: points as evaluation gives them (not
 * counted when 待核实; full in points mode when 不适用), no veto. */
static void set_open(const scorecard *sc, kh_score *s, kh_status st, const char *why)
{
    set_reason(s, s->status, why);
    s->status = st;
    s->veto = 0;
    s->points = sc->mode == MODE_POINTS ? s->max : 0;
}

/* Applies item i's links to one subject's scores (by_item: the subject's score per item,
 * NULL where the item is not scored for its kind). */
static void apply_item(const scorecard *sc, size_t sci, kh_results *out, kh_score *const *by_item,
                       size_t i)
{
    const sc_item *it = &sc->items[i];
    kh_score *s = by_item[i];
    strbuf nos = {0}, why = {0};
    if (!s || !it->nlinks)
        return;
    if (sources_with(it, by_item, 0, ST_PENDING, &nos)) {
        sb_printf(&why, "待核实：第%s项待核实，本项取决于该项，无法判定", sb_str(&nos));
        if (s->status != ST_PENDING)
            set_open(sc, s, ST_PENDING, sb_str(&why));
    } else if (sources_with(it, by_item, LINK_VETO, ST_DEDUCTED, &nos)) {
        sb_printf(&why, "因第%s项未达标，本项一票否决", sb_str(&nos));
        fail_by_link(sc, sci, out, it, s, 1, sb_str(&why));
    } else if (sources_with(it, by_item, LINK_ZERO, ST_DEDUCTED, &nos)) {
        sb_printf(&why, "因第%s项未达标不予得分", sb_str(&nos));
        fail_by_link(sc, sci, out, it, s, 0, sb_str(&why));
    } else if (sources_with(it, by_item, LINK_NA, ST_NA, &nos)) {
        if (s->status == ST_DEDUCTED) {
            sb_printf(&why, "待核实：第%s项不适用，但本项发现问题，二者矛盾，需核实", sb_str(&nos));
            set_open(sc, s, ST_PENDING, sb_str(&why));
        } else {
            sb_printf(&why, "因第%s项不适用，本项不适用%s", sb_str(&nos),
                      sc->mode == MODE_POINTS ? "，按不适用得满分" : "");
            set_open(sc, s, ST_NA, sb_str(&why));
        }
    }
    sb_free(&nos);
    sb_free(&why);
}

void kh_apply_links(const scorecard *sc, size_t sci, kh_results *out, size_t first_score)
{
    int any = 0;
    for (size_t i = 0; i < sc->nitems; i++)
        any |= sc->items[i].nlinks > 0;
    if (!any)
        return;
    size_t *order = link_order(sc);
    kh_score **by_item = xcalloc(sc->nitems, sizeof *by_item);
    size_t i = first_score;
    while (i < out->nscores && out->scores[i].sc == sci) {
        size_t set = out->scores[i].set, subject = out->scores[i].subject;
        memset(by_item, 0, sc->nitems * sizeof *by_item);
        for (; i < out->nscores && out->scores[i].sc == sci && out->scores[i].set == set &&
               out->scores[i].subject == subject;
             i++)
            by_item[out->scores[i].item] = &out->scores[i];
        for (size_t k = 0; k < sc->nitems; k++)
            apply_item(sc, sci, out, by_item, order[k]);
    }
    free(by_item);
    free(order);
}
