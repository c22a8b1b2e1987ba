/*
 * finding_rules.c — findings checked against the scorecards and the evidence before they are
 * written. See finding_rules.h.
 */
#include "app/finding_rules.h"

#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_internal.h"
#include "base/home.h"
#include "base/points.h"
#include "core/eval.h"
#include "core/kinds.h"
#include "core/scorecard.h"
#include "core/wenze.h"
#include "evidence/evidence.h"
#include "lua/loader.h"
#include "lua/sandbox.h"

struct finding_rules {
    scorecard **scs;
    size_t nsc;
    evidence *ev;
    char *ids;
};

/* Every bundled scorecard, the .lua files of $KAOHE_HOME/scorecards, in name order, into g
 * (gl_pathv). 0, or -1 with err. */
static int bundled(glob_t *g, kh_error *err)
{
    char pattern[4200];
    snprintf(pattern, sizeof pattern, "%s/scorecards/*.lua", kh_home());
    if (glob(pattern, 0, NULL, g) != 0) {
        kh_seterr(err, "%s: no scorecard to check the findings against (give --scorecard FILE)",
                  pattern);
        return -1;
    }
    return 0;
}

finding_rules *finding_rules_load(const char *const *files, size_t nfiles,
                                  const char *evidence_path, kh_error *err)
{
    glob_t g = {0};
    if (nfiles == 0) {
        if (bundled(&g, err) != 0)
            return NULL;
        files = (const char *const *)g.gl_pathv;
        nfiles = g.gl_pathc;
    }
    finding_rules *r = xcalloc(1, sizeof *r);
    if (app_load_scorecards(NULL, files, nfiles, &r->scs, err) == 0) {
        r->nsc = nfiles;
        r->ev = ev_open(evidence_path, err);
    }
    globfree(&g);
    if (!r->ev) {
        finding_rules_free(r);
        return NULL;
    }
    strbuf ids = {0};
    for (size_t i = 0; i < r->nsc; i++)
        sb_printf(&ids, "%s%s", i ? ", " : "", r->scs[i]->id);
    r->ids = sb_take(&ids);
    return r;
}

void finding_rules_free(finding_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nsc; i++)
        scorecard_free(r->scs[i]);
    free(r->scs);
    ev_close(r->ev);
    free(r->ids);
    free(r);
}

const char *finding_rules_ids(const finding_rules *r)
{
    return r->ids ? r->ids : "";
}

/* Whether subject `id` of kind `kind` is in the evidence: the kind's own listing (core/kinds.h)
 * for the period's year. 1, 0, or -1 with err. */
static int subject_exists(evidence *ev, const kh_kind *kind, const char *id, int year,
                          kh_error *err)
{
    strbuf sql = {0};
    sb_printf(&sql, "SELECT count(*) FROM (%s) AS s WHERE s.id = :kaohe_subject", kind->sql);
    kh_param params[2] = {{"kaohe_subject", {.type = KH_TEXT, .s = id}},
                          {"year", {.type = KH_INT, .i = year}}};
    ev_cursor *c = NULL;
    int rc = ev_query(ev, sb_str(&sql), params, strstr(kind->sql, ":year") ? 2 : 1, "subjects:", &c,
                      err);
    sb_free(&sql);
    if (rc != 0)
        return -1;
    rc = ev_step(c, err);
    int found = rc == 1 && ev_int(c, 0) > 0;
    ev_done(c);
    return rc < 0 ? -1 : found;
}

/* The scorecard and item a finding names, each checked; NULL with err. */
static const sc_item *finding_item(const finding_rules *r, const ev_finding *f, kh_error *err)
{
    const scorecard *sc = NULL;
    for (size_t i = 0; !sc && i < r->nsc; i++)
        if (strcmp(r->scs[i]->id, f->scorecard) == 0)
            sc = r->scs[i];
    if (!sc) {
        kh_seterr(err, "scorecard '%s' is not one of those checked against (%s)", f->scorecard,
                  r->ids);
        return NULL;
    }
    int kind_ok = 0;
    for (int k = 0; k < sc->nkinds; k++)
        kind_ok |= strcmp(sc->kinds[k], f->subject_kind) == 0;
    if (!kind_ok) {
        kh_seterr(err, "scorecard %s does not assess a %s", sc->id, f->subject_kind);
        return NULL;
    }
    for (size_t i = 0; i < sc->nitems; i++)
        if (strcmp(sc->items[i].no, f->item) == 0) {
            /* a computed item that declares the clause its query reads from findings takes
             * them, as a run does (core/eval.c) */
            if (sc->items[i].rule.kind == RULE_FINDING || sc->items[i].finding_clause)
                return &sc->items[i];
            kh_seterr(err, "item %s of %s is computed from the evidence, not from findings",
                      f->item, sc->id);
            return NULL;
        }
    kh_seterr(err, "scorecard %s has no item %s", sc->id, f->item);
    return NULL;
}

int finding_rules_item(const finding_rules *r, const char *scorecard_id, const char *kind,
                       const char *item, kh_error *err)
{
    ev_finding f = {.scorecard = scorecard_id, .item = item, .subject_kind = kind};
    return finding_item(r, &f, err) ? 0 : -1;
}

/* 部分 only where the item allows it, with a score between 0 and the item's points. */
static int partial_ok(const sc_item *it, const ev_finding *f, kh_error *err)
{
    if (strcmp(f->answer, "部分") != 0)
        return 0;
    char max[32];
    points_format(it->points, max, sizeof max);
    if (!it->rule.allow_partial) {
        kh_seterr(err, "item %s takes 是, 否 or 不适用, not 部分", f->item);
        return -1;
    }
    points_t p;
    if (points_parse(f->score, &p) != 0 || p < 0 || p > it->points) {
        kh_seterr(err, "部分 score %s is not between 0 and the item's %s points", f->score, max);
        return -1;
    }
    return 0;
}

/* A 问责情形5 finding (core/wenze.h): on a cadre, for a loaded 包抓 card, 是 with the 情形 in
 * its note (the list prints it as the evidence) or 否. 0, or -1 with err. */
static int wenze_ok(const finding_rules *r, const ev_finding *f, kh_error *err)
{
    int loaded = 0;
    for (size_t i = 0; i < r->nsc; i++)
        loaded |= strcmp(r->scs[i]->id, f->scorecard) == 0;
    if (!loaded) {
        kh_seterr(err, "scorecard '%s' is not one of those checked against (%s)", f->scorecard,
                  r->ids);
        return -1;
    }
    int is_yes = strcmp(f->answer, "是") == 0;
    if (!is_yes && strcmp(f->answer, "否") != 0) {
        kh_seterr(err, "a %s finding (问责情形5) takes 是 or 否, not %s", f->item, f->answer);
        return -1;
    }
    if (is_yes && (!f->note || !*f->note)) {
        kh_seterr(err,
                  "a %s finding 是 (问责情形5) must say in its note which 其他相关情形 the "
                  "inspector found: the 问责名单 prints it as the evidence",
                  f->item);
        return -1;
    }
    return 0;
}

int finding_rules_check(void *ud, const ev_finding *f, kh_error *err)
{
    const finding_rules *r = ud;
    int wenze = kh_wenze_finding_kind(f->scorecard, f->item, f->subject_kind, err);
    if (wenze < 0 || (wenze > 0 && wenze_ok(r, f, err) != 0))
        return -1;
    const sc_item *it = wenze ? NULL : finding_item(r, f, err);
    if (!wenze && (!it || partial_ok(it, f, err) != 0))
        return -1;
    char start[11], end[11];
    int year = 0;
    kh_error why;
    if (kh_period_params(f->period, start, end, &year, &why) != 0) {
        /* why names the --period option: this period came from a finding, not from one */
        kh_seterr(err, "period '%s' is not an assessment period (a year such as 2018)", f->period);
        return -1;
    }
    int found = subject_exists(r->ev, kh_kind_find(f->subject_kind), f->subject_id, year, err);
    if (found == 0)
        kh_seterr(err, "no %s '%s' in the evidence", f->subject_kind, f->subject_id);
    return found == 1 ? 0 : -1;
}
