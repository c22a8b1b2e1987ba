/*
 * runs.h — `kaohe runs`: the runs a results database holds, listed for people so that they can
 * name one to --run N, reproduce, explain or diff.
 */
#ifndef KAOHE_RUNS_H
#define KAOHE_RUNS_H

#include <stdio.h>

#include "base/strbuf.h"

/* Prints every run of `results`, oldest first: number, local time, 考核期, scorecards,
 * evidence (path and content hash, or how many shard runs were merged), parameters; each line
 * at most 80 columns wide where it can be broken (paths are never cut). 0, or -1 with err. */
int kh_runs(const char *results, FILE *out, kh_error *err);

#endif
