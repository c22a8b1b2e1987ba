/*
 * report_wenze.c — 问责名单: the 包抓 cadres meeting a 问责情形 of 县委办发〔2018〕83号 附件3
 * 五(一) 1–4, one row per cadre, condition and piece of evidence (core/wenze.h builds the
 * list). The sheet says that kaohe lists and the 县委、县政府 decide: a row is a ground to
 * examine, not a finding of accountability.
 */
#include <stdio.h>

#include "core/wenze.h"
#include "report/report_internal.h"

static const char *const HEADS[] = {"序号", "干部编号",         "姓名", "部门",
                                    "情形", "问责情形（原文）", "依据", "结论"};
static const double WIDTHS[] = {6, 14, 10, 8, 6, 44, 60, 22};
#define WENZE_COLS NCOLS(HEADS, WIDTHS)

#define WENZE_TITLE                                                                                \
    "包抓干部问责情形名单（会宁县 县委办发〔2018〕83号 附件3 五、考核问责（一）问责情形1—4）"
#define WENZE_NOTE                                                                                                                            \
    "说明：本表由 kaohe "                                                                                                               \
    "按考核结果和问题整改台账列出符合问责情形的包抓干部及其依据，只列出，不作认定；"                   \
    "是否问责、如何问责，由县委、县政府按程序认定。情形1：包抓干部考核表第8."                               \
    "1项因到村月份不足失分；"                                                                                                      \
    "情形2、4：所包抓村的问题台账中来源注明“通报”“舆情”的问题；情形3：年终考核等级为“差”。" \
    "情形5（其他相关情形）不由证据计算，不在本表。"

void report_sheet_wenze(lxw_workbook *wb, const formats *f, const kh_results *r)
{
    const kh_wenze *w = r->wenze;
    lxw_worksheet *ws =
        report_table_sheet(wb, f, "问责名单", WENZE_TITLE, HEADS, WIDTHS, WENZE_COLS);
    lxw_row_t row = 2;
    for (size_t i = 0; i < w->n; i++, row++) {
        const kh_wenze_row *x = &w->rows[i];
        char no[24], cond[8];
        snprintf(no, sizeof no, "%zu", i + 1);
        snprintf(cond, sizeof cond, "%d", x->condition);
        const char *cells[] = {no,          x->cadre_id,
                               x->name,     x->department,
                               cond,        kh_wenze_condition_text(x->condition),
                               x->evidence, WENZE_CONCLUSION};
        /* 序号 and 情形 are numbers (Excel sorts and filters them as such); the rest text */
        worksheet_write_number(ws, row, 0, (double)(i + 1), f->center);
        worksheet_write_number(ws, row, 4, x->condition, f->center);
        for (int c = 1; c < WENZE_COLS; c++)
            if (c != 4)
                report_string(ws, row, (lxw_col_t)c, cells[c], f->wrap);
        report_fit_row(ws, row, cells, WIDTHS, WENZE_COLS);
    }
    if (w->n == 0)
        report_merge(ws, row, 0, row, WENZE_COLS - 1, "没有包抓干部符合问责情形1—4。", f->wrap),
            row++;
    report_merge(ws, row, 0, row, WENZE_COLS - 1, WENZE_NOTE, f->wrap);
    worksheet_set_row(ws, row, 60, NULL);
}
