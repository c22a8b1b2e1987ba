/*
 * cause_rows.h — the labelled text of the rows behind one loss, for 扣分明细's 证据（行）
 * column (issue 15 item 3): each causing row as explain prints it (row_label.h), a bounded
 * number of them per loss, read once per deduction when the run evaluates the item.
 */
#ifndef KAOHE_CAUSE_ROWS_H
#define KAOHE_CAUSE_ROWS_H

#include <stddef.h>

#include "evidence/evidence.h"

/* Rows shown per deduction: an all-or-nothing loss may name hundreds of rows; the cell shows
 * the first few (in key order) and "等共 M 条", explain lists them all. */
#define EV_CAUSE_ROWS_SHOWN 3

/* The rows of `table` named by `keys` (ids joined with `sep`), labelled, one a line ("A1：姓名
 * 张一，…"), at most EV_CAUSE_ROWS_SHOWN and then "等共 M 条", in *text (a new string). A key
 * naming no row says so ("A9：证据库中无此行"). 0, or -1 with err. */
int ev_cause_rows(evidence *ev, const char *table, const char *keys, const char *sep, char **text,
                  kh_error *err);

#endif
