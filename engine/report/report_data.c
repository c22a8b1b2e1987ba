/*
 * report_data.c — the data sheets 考核明细 and 扣分明细 (and their provincial notes). Every row
 * names its subject unambiguously (编码, 乡镇, 县, a cadre's 部门: two villages may share a
 * name), the header is frozen and filtered. They are for filtering and auditing on screen,
 * not for paper: their print area is the title and header rows alone, so printing the whole
 * workbook prints one page of each instead of hundreds (a filtered selection is printed by
 * clearing the print area; see data_print_area).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

/* The sheet's title says what it holds, how many rows, and that it is not for paper. */
static void data_title(strbuf *title, const char *what, size_t count)
{
    sb_printf(title,
              "%s　共 %zu 条（数据表，供筛选核对；整本打印时只印表头，筛选后打印请先取消打印区域）",
              what, count);
}

/* 对象类别, 对象编码, 考核对象, 乡镇, 县, 部门 from column `col` on. */
static void data_subject(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const formats *f,
                         const kh_results *r, size_t set, size_t subject)
{
    const kh_subject *s = &r->sets[set].items[subject];
    report_place p;
    report_subject_place(r, set, subject, &p);
    report_string(ws, row, col, kh_kind_label(r->sets[set].kind), f->center);
    report_string(ws, row, col + 1, s->id, f->text);
    report_string(ws, row, col + 2, s->name, f->text);
    report_string(ws, row, col + 3, p.township, f->text);
    report_string(ws, row, col + 4, p.county, f->text);
    report_string(ws, row, col + 5, p.department, f->text);
}

/* A filter over the header and rows 2..end-1, and the print area: the title and header
 * alone. The rows are for the screen; printed whole, the demo's 扣分明细 alone was 700 to
 * 1,000 pages, depending on the fonts at hand. */
static void data_finish(lxw_worksheet *ws, lxw_row_t end, int ncols)
{
    if (end > 2)
        worksheet_autofilter(ws, 1, 0, end - 1, (lxw_col_t)(ncols - 1));
    worksheet_print_area(ws, 0, 0, 1, (lxw_col_t)(ncols - 1));
}

/* A data sheet being written: where its next row goes, and once Excel's last row is used,
 * the "（续N）" sheet it goes on to (the same title and header). */
typedef struct data_sheet {
    lxw_workbook *wb;
    const formats *f;
    sheet_names *names;
    const char *name; /* 考核明细 or 扣分明细 */
    strbuf title;
    const char *const *heads;
    const double *widths;
    int ncols;
    lxw_worksheet *ws; /* the sheet being written */
    lxw_row_t row;     /* its next row */
    int part;          /* 1, then 2 for "（续2）"… */
} data_sheet;

/* The first sheet of d (its title saying what it holds and how many rows), made. */
static void data_begin(data_sheet *d, const char *what, size_t count)
{
    data_title(&d->title, what, count);
    d->ws =
        report_table_sheet(d->wb, d->f, d->name, sb_str(&d->title), d->heads, d->widths, d->ncols);
    d->row = 2;
    d->part = 1;
}

/* The row the next record goes in, on d->ws: at Excel's row limit the sheet is finished and
 * the next part begun. */
static lxw_row_t data_next_row(data_sheet *d)
{
    if (d->row == LXW_ROW_MAX) {
        data_finish(d->ws, d->row, d->ncols);
        d->ws = report_table_go_on(d->wb, d->f, d->names, d->name, ++d->part, sb_str(&d->title),
                                   d->heads, d->widths, d->ncols);
        d->row = 2;
    }
    return d->row++;
}

/* The last sheet of d finished, its title freed. */
static void data_end(data_sheet *d)
{
    data_finish(d->ws, d->row, d->ncols);
    sb_free(&d->title);
}

void report_sheet_items(lxw_workbook *wb, const formats *f, sheet_names *names, scorecard **scs,
                        const kh_results *r)
{
    static const char *const heads[] = {"考核表",    "对象类别", "对象编码", "考核对象", "乡镇",
                                        "县",        "部门",     "序号",     "考核指标", "分值",
                                        "得分/扣分", "状态",     "扣分说明", "问责主体"};
    static const double widths[] = {22, 9, 14, 16, 12, 10, 10, 6, 50, 7, 9, 8, 40, 16};
    enum { NC = NCOLS(heads, widths) };
    data_sheet d = {wb, f, names, "考核明细", {0}, heads, widths, NC, NULL, 0, 0};
    data_begin(&d, "考核明细（每个考核对象、每项指标）", kh_results_nscores(r));
    for (size_t i = 0; i < r->nscores; i++) {
        const kh_score *s = &r->scores[i];
        const scorecard *sc = scs[s->sc];
        const sc_item *it = &sc->items[s->item];
        lxw_row_t row = data_next_row(&d);
        lxw_worksheet *ws = d.ws;
        report_string(ws, row, 0, sc->title, f->text);
        data_subject(ws, row, 1, f, r, s->set, s->subject);
        report_string(ws, row, 7, it->no, f->center);
        report_string(ws, row, 8, it->text ? it->text : "", f->wrap);
        if (s->max >= 0)
            report_write_points(ws, row, 9, s->max, f->num);
        else
            report_string(ws, row, 9, "", f->text);
        if (s->status == ST_PENDING)
            report_string(ws, row, 10, "待核实", f->center);
        else
            report_write_points(ws, row, 10, s->points,
                                s->status == ST_DEDUCTED ? f->num_bad : f->num);
        report_string(ws, row, 11, s->veto ? "否决" : kh_status_label(s->status), f->center);
        report_string(ws, row, 12, s->reason, f->wrap);
        report_string(ws, row, 13, it->accountable ? it->accountable : "", f->wrap);
        const char *wrapped[NC] = {[8] = it->text, [12] = s->reason, [13] = it->accountable};
        report_fit_row(ws, row, wrapped, widths, NC);
    }
    data_end(&d);
}

int report_sheet_deductions(lxw_workbook *wb, const formats *f, sheet_names *names, scorecard **scs,
                            const kh_results *r, kh_error *err)
{
    static const char *const heads[] = {"序号",     "考核表", "对象类别", "对象编码",  "考核对象",
                                        "乡镇",     "县",     "部门",     "项目序号",  "扣分",
                                        "扣分原因", "证据表", "证据编号", "证据（行）"};
    /* 证据（行）: the causing rows as explain labels them, at most EV_CAUSE_ROWS_SHOWN with
     * "等共 M 条" (read by the run, stored in the results: a read-back workbook prints the same) */
    static const double widths[] = {7, 22, 9, 14, 16, 12, 10, 10, 8, 7, 56, 12, 22, 64};
    enum { NC = NCOLS(heads, widths) };
    data_sheet ds = {wb, f, names, "扣分明细", {0}, heads, widths, NC, NULL, 0, 0};
    data_begin(&ds, "扣分明细（每一处失分及其证据）", kh_results_ndeductions(r));
    size_t i = 0;
    kh_iter it;
    for (const kh_deduction *d = kh_deductions_first(&it, r); d; d = kh_deductions_next(&it), i++) {
        const scorecard *sc = scs[d->sc];
        lxw_row_t row = data_next_row(&ds);
        lxw_worksheet *ws = ds.ws;
        worksheet_write_number(ws, row, 0, (double)(i + 1), f->center);
        report_string(ws, row, 1, sc->title, f->text);
        data_subject(ws, row, 2, f, r, d->set, d->subject);
        report_string(ws, row, 8, sc->items[d->item].no, f->center);
        report_write_points(ws, row, 9, d->points, f->num);
        report_string(ws, row, 10, d->reason, f->wrap);
        report_string(ws, row, 11, d->table, f->text);
        report_string(ws, row, 12, d->key, f->text);
        if (d->rows)
            report_string(ws, row, 13, d->rows, f->wrap);
        const char *wrapped[NC] = {[10] = d->reason, [13] = d->rows};
        report_fit_row(ws, row, wrapped, widths, NC);
    }
    data_end(&ds);
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
