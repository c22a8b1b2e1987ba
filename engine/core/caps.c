/*
 * caps.c — caps and floors on sections and on the whole form, applied to the items' scores in
 * form order. See caps.h for why at the items and not at the total.
 */
#include "core/caps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Parts of the form a limit can be on: group 0 is the whole form, group g the section g. */
struct kh_caps {
    const scorecard *sc;
    size_t ngroups;
    points_t *limit;              /* per group: the most it can lose; -1 = not limited */
    points_t *used[SC_MAX_KINDS]; /* per set of the results: [subject * ngroups + group] */
};

points_t kh_section_points(const scorecard *sc, size_t section_no)
{
    points_t sum = 0;
    for (size_t i = 0; i < sc->nitems; i++)
        if ((!section_no || sc->items[i].section_no == section_no) && sc->items[i].points > 0)
            sum += sc->items[i].points;
    return sum;
}

/* The most a part can lose: its cap, or (points mode) what it is worth above its floor,
 * whichever is less; -1 when neither is set. */
static points_t group_limit(const scorecard *sc, const sc_limits *lim, size_t section_no)
{
    points_t limit = lim->has_cap ? lim->cap : -1;
    if (lim->has_floor && sc->mode == MODE_POINTS) {
        points_t room = kh_section_points(sc, section_no) - lim->floor;
        room = room < 0 ? 0 : room;
        if (limit < 0 || room < limit)
            limit = room;
    }
    return limit;
}

kh_caps *kh_caps_new(const scorecard *sc)
{
    kh_caps *caps = xcalloc(1, sizeof *caps);
    caps->sc = sc;
    caps->ngroups = sc->nsections + 1;
    caps->limit = xcalloc(caps->ngroups, sizeof *caps->limit);
    int any = 0;
    for (size_t g = 0; g < caps->ngroups; g++) {
        caps->limit[g] = group_limit(sc, g ? &sc->sections[g - 1].limits : &sc->limits, g);
        any |= caps->limit[g] >= 0;
    }
    if (!any) {
        kh_caps_free(caps);
        return NULL;
    }
    return caps;
}

void kh_caps_free(kh_caps *caps)
{
    if (!caps)
        return;
    for (int k = 0; k < SC_MAX_KINDS; k++)
        free(caps->used[k]);
    free(caps->limit);
    free(caps);
}

/* One item's score cut by a limit: where, how much it keeps losing, and why. */
typedef struct cut {
    size_t set, subject;
    points_t kept;
    char note[96]; /* 本部分扣分已达上限10分 */
} cut;

static int cmp_cut(const void *a, const void *b)
{
    const cut *x = a, *y = b;
    if (x->set != y->set)
        return x->set < y->set ? -1 : 1;
    return x->subject < y->subject ? -1 : x->subject > y->subject;
}

/* What the subject has lost so far, per group (allocated when the subject's set is first met). */
static points_t *ledger_row(kh_caps *caps, const kh_results *out, size_t set, size_t subject)
{
    if (!caps->used[set])
        caps->used[set] = xcalloc(out->sets[set].count * caps->ngroups + 1, sizeof(points_t));
    return caps->used[set] + subject * caps->ngroups;
}

/* How much of `lost` the item keeps losing under its section's and the form's limits; the
 * limit that bit (if one did) is described in c->note. The section's is looked at first. */
static points_t limited_loss(const kh_caps *caps, const sc_item *it, const points_t *used,
                             points_t lost, cut *c)
{
    size_t groups[2] = {it->section_no, 0};
    points_t kept = lost;
    for (int i = it->section_no ? 0 : 1; i < 2; i++) {
        points_t limit = caps->limit[groups[i]];
        if (limit < 0)
            continue;
        points_t room = limit - used[groups[i]];
        room = room < 0 ? 0 : room;
        if (room < kept) {
            char buf[32];
            kept = room;
            snprintf(c->note, sizeof c->note, "%s扣分已达上限%s分", groups[i] ? "本部分" : "全表",
                     points_format(limit, buf, sizeof buf));
        }
    }
    return kept;
}

/* Appends `text` to an owned reason. */
static void append_reason(char **reason, const char *text)
{
    strbuf sb = {0};
    sb_append(&sb, *reason ? *reason : "");
    sb_append(&sb, text);
    free(*reason);
    *reason = sb_take(&sb);
}

/* Cuts the item's deductions of each cut subject down to what it keeps losing: in their order,
 * each keeps its points while they fit; the one that does not fit keeps what is left, the rest
 * are listed at 0, each saying why. */
static void cut_deductions(kh_results *out, size_t first, cut *cuts, size_t ncuts)
{
    qsort(cuts, ncuts, sizeof *cuts, cmp_cut);
    size_t c = 0;
    for (size_t i = first; i < out->ndeductions && c < ncuts; i++) {
        kh_deduction *d = &out->deductions[i];
        cut key = {d->set, d->subject, 0, ""};
        while (c < ncuts && cmp_cut(&cuts[c], &key) < 0)
            c++;
        if (c == ncuts || cmp_cut(&cuts[c], &key) != 0 || d->points <= 0)
            continue;
        if (d->points <= cuts[c].kept) {
            cuts[c].kept -= d->points;
            continue;
        }
        char text[128];
        snprintf(text, sizeof text, "（%s）", cuts[c].note);
        d->points = cuts[c].kept;
        cuts[c].kept = 0;
        append_reason(&d->reason, text);
    }
}

void kh_caps_apply(kh_caps *caps, kh_results *out, size_t first_score, size_t first_deduction)
{
    if (!caps)
        return;
    const scorecard *sc = caps->sc;
    cut *cuts = NULL;
    size_t ncuts = 0, capcuts = 0;
    for (size_t i = first_score; i < out->nscores; i++) {
        kh_score *s = &out->scores[i];
        if (s->status != ST_DEDUCTED)
            continue;
        const sc_item *it = &sc->items[s->item];
        points_t *used = ledger_row(caps, out, s->set, s->subject);
        points_t lost = sc->mode == MODE_DEDUCTION ? -s->points : s->max - s->points;
        cut c = {s->set, s->subject, 0, ""};
        points_t kept = limited_loss(caps, it, used, lost, &c);
        used[0] += kept;
        if (it->section_no)
            used[it->section_no] += kept;
        if (kept >= lost)
            continue;
        char text[160], buf[32];
        snprintf(text, sizeof text, "（%s，本项实扣%s分）", c.note,
                 points_format(kept, buf, sizeof buf));
        s->points += lost - kept;
        append_reason(&s->reason, text);
        c.kept = kept;
        size_t k = KH_PUSH(cuts, ncuts, capcuts);
        cuts[k] = c;
    }
    if (ncuts)
        cut_deductions(out, first_deduction, cuts, ncuts);
    free(cuts);
}
