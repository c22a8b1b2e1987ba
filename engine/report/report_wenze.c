/*
 * report_wenze.c — 问责名单: the 包抓 cadres meeting a 问责情形 of 县委办发〔2018〕83号 附件3
 * 五(一) 1–5, one row per cadre, condition and piece of evidence (core/wenze.h builds the
 * list; a merge joins its parts'). The sheet says that kaohe lists and the 县委、县政府 decide: a
 * row is a ground to examine, not a finding of accountability. A list spanning counties (a
 * merge) has a 县 column; a merge whose parts did not all keep a list says which did not.
 */
#include <stdio.h>
#include <string.h>

#include "core/wenze.h"
#include "report/report_internal.h"

static const char *const HEADS[] = {"序号", "干部编号",         "姓名", "部门",
                                    "情形", "问责情形（原文）", "依据", "结论"};
static const double WIDTHS[] = {6, 14, 10, 8, 6, 44, 60, 22};
#define WENZE_COLS NCOLS(HEADS, WIDTHS)
/* the same with 县 after 部门, for a list of several counties */
static const char *const HEADS_COUNTY[] = {"序号", "干部编号",         "姓名", "部门", "县",
                                           "情形", "问责情形（原文）", "依据", "结论"};
static const double WIDTHS_COUNTY[] = {6, 14, 10, 8, 10, 6, 44, 60, 22};
#define WENZE_COLS_COUNTY NCOLS(HEADS_COUNTY, WIDTHS_COUNTY)

#define WENZE_TITLE                                                                                \
    "包抓干部问责情形名单（会宁县 县委办发〔2018〕83号 附件3 五、考核问责（一）问责情形%s）"
#define WENZE_NOTE                                                                                                          \
    "说明：本表由 kaohe "                                                                                             \
    "按考核结果和问题整改台账列出符合问责情形的包抓干部及其依据，只列出，不作认定；" \
    "是否问责、如何问责，由县委、县政府按程序认定。情形1：包抓干部考核表第8."             \
    "1项因到村月份不足失分；"                                                                                    \
    "情形2、4：所包抓村的问题台账中来源注明“通报”“舆情”的问题；情形3：年终考核等级为“差”。"
/* condition 5's sentence: none listed / some listed from the inspectors' findings */
#define WENZE_NOTE_NO5 "情形5（其他相关情形）不由证据计算，不在本表。"
#define WENZE_NOTE_5                                                                                                         \
    "情形5（其他相关情形）不由证据计算：列出的是督查组在包抓干部上录入的核查结论（第" \
    "“" WENZE_FINDING_ITEM "”项，结论“是”，说明写明情形）。"

/* One row of the list at sheet row `row`. */
static void wenze_row(lxw_worksheet *ws, const formats *f, lxw_row_t row, size_t i,
                      const kh_wenze_row *x, int county)
{
    char no[24], cond[8];
    snprintf(no, sizeof no, "%zu", i + 1);
    snprintf(cond, sizeof cond, "%d", x->condition);
    const char *cells[] = {no,
                           x->cadre_id,
                           x->name,
                           x->department,
                           x->county,
                           cond,
                           kh_wenze_condition_text(x->condition),
                           x->evidence,
                           WENZE_CONCLUSION};
    const char *plain[] = {no,   x->cadre_id, x->name,     x->department,
                           cond, cells[6],    x->evidence, WENZE_CONCLUSION};
    const char *const *c = county ? cells : plain;
    int ncols = county ? WENZE_COLS_COUNTY : WENZE_COLS, cond_col = county ? 5 : 4;
    /* 序号 and 情形 are numbers (Excel sorts and filters them as such); the rest text */
    worksheet_write_number(ws, row, 0, (double)(i + 1), f->center);
    worksheet_write_number(ws, row, (lxw_col_t)cond_col, x->condition, f->center);
    for (int k = 1; k < ncols; k++)
        if (k != cond_col)
            report_string(ws, row, (lxw_col_t)k, c[k], f->wrap);
    report_fit_row(ws, row, c, county ? WIDTHS_COUNTY : WIDTHS, ncols);
}

void report_sheet_wenze(lxw_workbook *wb, const formats *f, const kh_results *r)
{
    const kh_wenze *w = r->wenze;
    int county = kh_wenze_many_counties(w);
    int ncols = county ? WENZE_COLS_COUNTY : WENZE_COLS;
    char title[512];
    snprintf(title, sizeof title, WENZE_TITLE, kh_wenze_span(w));
    lxw_worksheet *ws = report_table_sheet(wb, f, "问责名单", title, county ? HEADS_COUNTY : HEADS,
                                           county ? WIDTHS_COUNTY : WIDTHS, ncols);
    lxw_row_t row = 2;
    for (size_t i = 0; i < w->n; i++, row++)
        wenze_row(ws, f, row, i, &w->rows[i], county);
    if (w->n == 0)
        report_merge(ws, row, 0, row, (lxw_col_t)(ncols - 1), "没有包抓干部符合问责情形1—4。",
                     f->wrap),
            row++;
    if (w->note && *w->note) { /* a merge with parts that kept no list */
        strbuf s = {0};
        sb_printf(&s, "注意：%s。", w->note);
        report_merge(ws, row, 0, row, (lxw_col_t)(ncols - 1), sb_str(&s), f->wrap);
        worksheet_set_row(ws, row++, 45, NULL);
        sb_free(&s);
    }
    int has5 = strcmp(kh_wenze_span(w), "1—5") == 0;
    report_merge(ws, row, 0, row, (lxw_col_t)(ncols - 1),
                 has5 ? WENZE_NOTE WENZE_NOTE_5 : WENZE_NOTE WENZE_NOTE_NO5, f->wrap);
    worksheet_set_row(ws, row, 60, NULL);
}
