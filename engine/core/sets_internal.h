/*
 * sets_internal.h — what core/sets.c (the sets made one after another) shares with
 * core/sets_parallel.c (the same sets made on several connections at once). Only core/
 * includes it.
 */
#ifndef KAOHE_CORE_SETS_INTERNAL_H
#define KAOHE_CORE_SETS_INTERNAL_H

#include "core/sets.h"
#include "evidence/sets.h"

/* A declared set as the evidence layer takes it: its SQL without what trails the statement,
 * and the FILE:LINE its messages name. The strings are allocated, so that the struct may be
 * moved (an array of them grows) while d points at them. */
typedef struct kh_set_def {
    ev_set_def d;
    char *sql, *where, *origin;
} kh_set_def;

void kh_set_def_init(kh_set_def *x, const sc_set *set);
void kh_set_def_free(kh_set_def *x);

/* Records set `set` of scorecard sc as made by the run (out->set_runs, in the order the sets
 * were declared); returns its index there. */
size_t kh_set_run_add(kh_results *out, const scorecard *sc, const sc_set *set, int64_t rows);

/* Begins the run's sets schema when any scorecard declares a set: 1 begun, 0 none declared
 * (nothing to make), -1 with err (the schema abandoned). */
int kh_sets_open(evidence *ev, scorecard *const *scs, size_t nsc, kh_error *err);

#endif
