/*
 * overrides.h — `--param NAME=VALUE` checked against the parameters the run's scorecards
 * declare, before anything is evaluated, with "did you mean" for a mistyped name.
 */
#ifndef KAOHE_OVERRIDES_H
#define KAOHE_OVERRIDES_H

#include <stddef.h>

#include "base/strbuf.h"
#include "core/eval.h"
#include "core/scorecard.h"

/* 0 if every override names a parameter some scorecard declares; else -1 with "--param NAME:
 * no scorecard in this run declares a parameter NAME (did you mean 'X'? declared: …)". */
int kh_check_overrides(const kh_override *ov, size_t nov, scorecard *const *scs, size_t nsc,
                       kh_error *err);

#endif
