/*
 * amounts.h — scorecard language v2: amounts named by parameter.
 *
 * A rule's each/deduct, cap, yes, no and threshold, and the cap and floor of a section or of the
 * whole form, may name a parameter instead of giving a number (`cap = "case_cap"`), so that one
 * scorecard serves several years or counties with --param. The language checks the parameter is
 * declared with a fitting default, and the loader puts that default in the amount; a run binds
 * the run's values (defaults or --param overrides) in their place before any item is
 * evaluated, validating an override exactly as a number written in place is validated.
 */
#ifndef KAOHE_AMOUNTS_H
#define KAOHE_AMOUNTS_H

#include <stddef.h>

#include "core/scorecard.h"

/* Binds every parameter-named amount of sc to its value in v[0..n) (the run's bound
 * parameters). 0, or -1 with err naming file, line, item (or section) and the parameter, when a
 * value is not non-negative points with at most two decimals, a threshold is not a rate in
 * (0, 1], a finding's points exceed the item's, or a floor exceeds what it limits. */
int kh_bind_amounts(scorecard *sc, const kh_param *v, size_t n, kh_error *err);

/* 1 when some amount of sc (a rule's each/deduct, cap, yes, no or threshold, a section's or
 * the form's cap or floor) names parameter `name`: its --param value may then have decimals
 * even when the declared default is a whole number (cap = { 1, "…" } overridden with 0.5). */
int kh_names_amount(const scorecard *sc, const char *name);

#endif
