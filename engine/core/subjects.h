/*
 * subjects.h — subjects v2: how a scorecard lists the subjects of one of its kinds when it
 * declares a filter or a parent (`subjects = { institution = { kind = "村卫生室", parent =
 * "village" } }`).
 *
 * The listing is the kind's rows (core/kinds.c, rows_sql) with the filter applied as bound
 * parameters — never the scorecard's text pasted into SQL — and the declared parent's id as
 * each subject's parent_id, so that roll-ups climb through it (sc_kind_chain).
 */
#ifndef KAOHE_SUBJECTS_H
#define KAOHE_SUBJECTS_H

#include "base/strbuf.h"
#include "core/scorecard.h"

typedef struct kh_listing {
    strbuf sql; /* SELECT id, name, unit, parent_id … ORDER BY id */
    strbuf key; /* how it lists them, as messages print it: "kind = 村卫生室, parent = village" */
    kh_param *params; /* the run's parameters, then one per filter value */
    size_t nparams;
    char (*names)[64]; /* the filter values' parameter names */
    int filtered;      /* 1: a filter leaves some of the kind's subjects out */
} kh_listing;

/* 1 if sc declares how it lists its kind k (a filter or a parent). */
int kh_listing_declared(const scorecard *sc, int k);

/* The listing of sc's kind k with the run's parameters (run, nrun) bound; kh_listing_free after. */
void kh_listing_make(const scorecard *sc, int k, const kh_param *run, size_t nrun, kh_listing *l);
void kh_listing_free(kh_listing *l);

#endif
