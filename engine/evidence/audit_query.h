/*
 * audit_query.h — the evidence the audit commands read, through the read-only connection of
 * evidence.h like any scorecard query: the population a spot-check sample (抽查) is drawn from,
 * and the row a deduction names (kaohe explain). The SQL on the evidence for them is here, so
 * app/ sees plain rows only.
 */
#ifndef KAOHE_AUDIT_QUERY_H
#define KAOHE_AUDIT_QUERY_H

#include <stddef.h>

#include "evidence/evidence.h"

/* Who a sample is drawn from, stratified by township (households, villages) or by department
 * (cadres). */
typedef enum ev_sample_population {
    EV_SAMPLE_HOUSEHOLDS,
    EV_SAMPLE_VILLAGES,
    EV_SAMPLE_CADRES
} ev_sample_population;

typedef struct ev_sample_candidate {
    char *stratum, *stratum_name; /* township id and name; a cadre's department (both) */
    char *id;                     /* household, village or cadre id */
    char *label;                  /* 村名·户号, the village's or the cadre's name */
    char *detail;                 /* category and head of household; township; department·role */
} ev_sample_candidate;

/* Every candidate of the population, ordered by stratum and then id: the order the seeded draw
 * depends on. 0 (the array in *out, its length in *n), or -1 with err. */
int ev_sample_candidates(evidence *ev, ev_sample_population pop, ev_sample_candidate **out,
                         size_t *n, kh_error *err);
void ev_sample_candidates_free(ev_sample_candidate *c, size_t n);

/* A cursor over the row of `table` whose id is `key` (every table a deduction names has an id
 * column); it yields no row when the row is gone. `where` prefixes messages. 0, or -1 with
 * err. */
int ev_row_by_id(evidence *ev, const char *table, const char *key, const char *where,
                 ev_cursor **out, kh_error *err);

#endif
