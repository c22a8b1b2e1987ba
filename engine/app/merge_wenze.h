/*
 * merge_wenze.h — the 问责名单 of a merged run (a `kaohe merge`, or a sharded run, which is
 * merged the same way): each part's list, as the part recorded it, joined and put in list
 * order, so that the merge lists what a single run over all the evidence would have listed.
 */
#ifndef KAOHE_MERGE_WENZE_H
#define KAOHE_MERGE_WENZE_H

#include <stddef.h>

#include "app/run.h"
#include "store/merge_store.h"

/* When the run has the 包抓 card, sets out->results.wenze to the parts' lists joined, its note
 * naming each part written before parts kept a list (its cadres are then missing, and the list
 * says so rather than look complete). 0, or -1 with err. */
int app_merge_wenze(merge_part *parts, size_t n, kh_run_outcome *out, kh_error *err);

#endif
