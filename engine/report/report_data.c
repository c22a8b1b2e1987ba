/*
 * report_data.c — the data sheets 考核明细 and 扣分明细 (and their provincial notes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

void report_sheet_items(lxw_workbook *wb, const formats *f, sheet_names *names, scorecard **scs,
                        const kh_results *r)
{
    static const char *const heads[] = {"考核表", "对象类别",  "考核对象", "序号",     "考核指标",
                                        "分值",   "得分/扣分", "状态",     "扣分说明", "问责主体"};
    static const double widths[] = {22, 9, 16, 6, 50, 7, 9, 8, 40, 16};
    lxw_worksheet *ws = report_table_sheet(wb, f, "考核明细", "考核明细（每个考核对象、每项指标）",
                                           heads, widths, NCOLS(heads, widths));
    lxw_row_t row = 2;
    int part = 1;
    for (size_t i = 0; i < r->nscores; i++) {
        const kh_score *s = &r->scores[i];
        const scorecard *sc = scs[s->sc];
        const sc_item *it = &sc->items[s->item];
        const kh_subject *subj = &r->sets[s->set].items[s->subject];
        if (row == LXW_ROW_MAX) {
            ws = report_table_go_on(wb, f, names, "考核明细", ++part, "考核明细（续）", heads,
                                    widths, NCOLS(heads, widths));
            row = 2;
        }
        report_string(ws, row, 0, sc->title, f->text);
        report_string(ws, row, 1, kh_kind_label(r->sets[s->set].kind), f->center);
        report_string(ws, row, 2, subj->name, f->text);
        report_string(ws, row, 3, it->no, f->center);
        report_string(ws, row, 4, it->text ? it->text : "", f->wrap);
        if (s->max >= 0)
            report_write_points(ws, row, 5, s->max, f->num);
        else
            report_string(ws, row, 5, "", f->text);
        if (s->status == ST_PENDING)
            report_string(ws, row, 6, "待核实", f->center);
        else
            report_write_points(ws, row, 6, s->points,
                                s->status == ST_DEDUCTED ? f->num_bad : f->num);
        report_string(ws, row, 7, s->veto ? "否决" : kh_status_label(s->status), f->center);
        report_string(ws, row, 8, s->reason, f->wrap);
        report_string(ws, row, 9, it->accountable ? it->accountable : "", f->wrap);
        const char *wrapped[] = {NULL, NULL, NULL, NULL,      it->text,
                                 NULL, NULL, NULL, s->reason, it->accountable};
        report_fit_row(ws, row, wrapped, widths, NCOLS(heads, widths));
        row++;
    }
}

int report_sheet_deductions(lxw_workbook *wb, const formats *f, sheet_names *names, scorecard **scs,
                            const kh_results *r, kh_error *err)
{
    static const char *const heads[] = {"序号", "考核表",   "对象类别", "考核对象", "项目序号",
                                        "扣分", "扣分原因", "证据表",   "证据编号"};
    static const double widths[] = {7, 22, 9, 16, 8, 7, 56, 12, 22};
    lxw_worksheet *ws = report_table_sheet(wb, f, "扣分明细", "扣分明细（每一处失分及其证据）",
                                           heads, widths, NCOLS(heads, widths));
    lxw_row_t row = 2;
    int part = 1;
    size_t i = 0;
    kh_iter it;
    for (const kh_deduction *d = kh_deductions_first(&it, r); d; d = kh_deductions_next(&it), i++) {
        const scorecard *sc = scs[d->sc];
        if (row == LXW_ROW_MAX) {
            worksheet_autofilter(ws, 1, 0, row - 1, 8);
            ws = report_table_go_on(wb, f, names, "扣分明细", ++part, "扣分明细（续）", heads,
                                    widths, NCOLS(heads, widths));
            row = 2;
        }
        worksheet_write_number(ws, row, 0, (double)(i + 1), f->center);
        report_string(ws, row, 1, sc->title, f->text);
        report_string(ws, row, 2, kh_kind_label(r->sets[d->set].kind), f->center);
        report_string(ws, row, 3, r->sets[d->set].items[d->subject].name, f->text);
        report_string(ws, row, 4, sc->items[d->item].no, f->center);
        report_write_points(ws, row, 5, d->points, f->num);
        report_string(ws, row, 6, d->reason, f->wrap);
        report_string(ws, row, 7, d->table, f->text);
        report_string(ws, row, 8, d->key, f->text);
        const char *wrapped[] = {NULL, NULL, NULL, NULL, NULL, NULL, d->reason, NULL, NULL};
        report_fit_row(ws, row, wrapped, widths, NCOLS(heads, widths));
        row++;
    }
    if (row > 2)
        worksheet_autofilter(ws, 1, 0, row - 1, 8);
    return report_walk_done(&it, err);
}

/* The provincial report's 扣分明细 / 考核明细: where the rows are, and how many. */
void report_sheet_note(lxw_workbook *wb, const formats *f, const char *name, const char *what,
                       size_t count)
{
    static const char *const heads[] = {"说明"};
    static const double widths[] = {120};
    char title[128], text[1024];
    snprintf(title, sizeof title, "%s（多县合并运行）", name);
    lxw_worksheet *ws = report_table_sheet(wb, f, name, title, heads, widths, NCOLS(heads, widths));
    snprintf(text, sizeof text,
             "本次考核由多个县的证据库合并运行，共 %zu 条%s。逐条明细不列入省级汇总工作簿，"
             "全部保存在结果库中（%s 表，可用 SQL 查询，或用 kaohe explain 查看某一考核对象的失分"
             "及其证据），各县的考核表、考核明细和扣分明细见各县工作簿（kaohe run "
             "--county-workbooks）。",
             count, what, strcmp(name, "扣分明细") == 0 ? "deduction" : "score");
    report_string(ws, 2, 0, text, f->wrap);
    worksheet_set_row(ws, 2, 60, NULL);
}
