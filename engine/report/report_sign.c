/*
 * report_sign.c — the signature block under a table that is signed and stamped before it is
 * handed in (汇总, and 整改台账 like seed 000's 进度表): 填报单位（公章）, 审核人 and 日期, each on
 * a line of its own with room to sign, kept together on one printed page.
 */
#include "report/report_internal.h"

lxw_row_t report_sign_block(lxw_worksheet *ws, const formats *f, lxw_row_t row, lxw_col_t last)
{
    static const char *const LINES[] = {
        "填报单位（公章）：",
        "审核人：　　　　　　　　　　　　填报人：",
        "日期：　　　　年　　月　　日",
    };
    /* a blank row first, so the block does not touch the table's bottom border */
    row++;
    for (size_t i = 0; i < sizeof LINES / sizeof LINES[0]; i++, row++) {
        worksheet_set_row(ws, row, 28, NULL);
        report_merge(ws, row, 0, row, last, LINES[i], f->f_sign);
    }
    return row;
}
