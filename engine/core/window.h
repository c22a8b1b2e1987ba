/*
 * window.h — scorecard language v2: an item's time window.
 *
 * Forms set tasks by date: "2018年6月29日起", "8月底前", "2019年". An item may say
 * from = "2018-06-29", to = "2018-12-31" (Lua reserves `until`), by = "2018-08-31" — each a
 * date or the name of a parameter holding one — and its SQL reads them as :item_from,
 * :item_until and :item_by (by default the period's start, its end, and the window's end), so
 * the query says `WHERE signed_on BETWEEN :item_from AND :item_until` instead of repeating
 * dates. `years = { 2019 }` limits an item to those years: in any other period it is 不适用
 * ("2019年任务，本考核期不适用") and its query is not run.
 */
#ifndef KAOHE_WINDOW_H
#define KAOHE_WINDOW_H

#include <stddef.h>

#include "core/scorecard.h"

typedef struct kh_window {
    char from[11], until[11], by[11]; /* YYYY-MM-DD */
} kh_window;

/* The item's window in this run, from the bound parameters v[0..n) (which hold :period_start,
 * :period_end, :year and the scorecard's parameters). 0, or -1 with err naming file, line and
 * item when a parameter's value is not a date or the window is empty. An item of other years
 * (not run, only prepared by `kaohe check`) gets the period as its window. */
int kh_item_window(const scorecard *sc, const sc_item *it, const kh_param *v, size_t n,
                   kh_window *w, kh_error *err);

/* v[0..n) followed by :item_from, :item_until and :item_by (pointing into w): n + 3 entries,
 * freed by the caller. */
kh_param *kh_item_params(const kh_param *v, size_t n, const kh_window *w);

/* 1 when the item applies in `year` (it lists no years, or lists this one); otherwise 0, with
 * the reason for its 不适用 in why ("2019年任务，本考核期不适用"). */
int kh_item_applies(const sc_item *it, int year, char *why, size_t size);

#endif
