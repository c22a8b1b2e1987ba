/*
 * wenze_store.h — the 问责名单 of a run in the results database (table accountability: one row
 * per cadre, condition and piece of evidence, in list order), read back for `kaohe
 * accountability`. The run writes it (results.c calls wenze_store_write, store_internal.h).
 */
#ifndef KAOHE_WENZE_STORE_H
#define KAOHE_WENZE_STORE_H

#include <stdint.h>

#include "core/wenze.h"
#include "store/audit_store.h"

/* What run `run` (0: the latest) recorded: *has_card 1 if the run had the 包抓 card (only then
 * was a list made), *parts the number of runs it was merged from, the rows into *out (zeroed
 * first); for a merge out->note is its note ("" if every part had a list), or NULL if the
 * merge was written by a kaohe that carried no list. 0, or -1 with err ("no run N", not a
 * results database). */
int wenze_store_read(audit_store *s, int64_t run, int64_t *run_id, int *has_card, int64_t *parts,
                     kh_wenze *out, kh_error *err);

#endif
