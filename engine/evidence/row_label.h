/*
 * row_label.h — an evidence row as a reader reads it: Chinese column labels and readable values
 * (姓名 张三，入院日期 2018-03-02，机构 会宁县人民医院，押金 1,000.00 元) instead of the raw
 * columns (person_id=…，deposit_fen=100000，one_stop=0). kaohe explain prints the rows behind a
 * loss with it (issue 15 item 3).
 */
#ifndef KAOHE_ROW_LABEL_H
#define KAOHE_ROW_LABEL_H

#include "evidence/evidence.h"

/* The row of `table` whose id is `key`, labelled, in *text (a new string): 1; 0 when the row is
 * gone (*text NULL); -1 with err. A table with no labels of its own is printed column=value. */
int ev_row_text(evidence *ev, const char *table, const char *key, char **text, kh_error *err);

/* "1,234,567.89" for 123456789 分 (exact; a minus sign for a negative amount). */
void ev_format_fen(int64_t fen, char *buf, size_t size);

#endif
