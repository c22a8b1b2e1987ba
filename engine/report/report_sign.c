/*
 * report_sign.c — the signature block under what is signed and stamped before it is handed in:
 * 汇总's 填报单位（公章）/ 审核人 / 日期 lines, 整改台账's note and seed 000's 进度表 line, each
 * form's 填报单位（公章）/ 填报日期 / 审核人 line. One writer, so the blocks look alike and a
 * change of their layout is made once; each sheet says which lines it prints.
 */
#include "report/report_internal.h"

lxw_row_t report_sign_block(lxw_worksheet *ws, const formats *f, lxw_row_t row, lxw_col_t last,
                            const sign_line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++, row++) {
        worksheet_set_row(ws, row, lines[i].height, NULL);
        report_merge(ws, row, 0, row, last, lines[i].text, lines[i].fmt ? lines[i].fmt : f->f_sign);
    }
    return row;
}
