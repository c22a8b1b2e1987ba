/*
 * report.c — writes the workbook. See report.h.
 */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/tmpfile.h"
#include "report/report_internal.h"

/* Printing the whole workbook numbers each sheet's pages from 1 (Excel, WPS and LibreOffice
 * otherwise number on through every sheet: "第 1522 页，共 1813 页" on a township's form). */
static void report_restart_page_numbers(lxw_workbook *wb)
{
    lxw_worksheet *ws;
    LXW_FOREACH_WORKSHEET(ws, wb)
    {
        worksheet_set_start_page(ws, 1);
    }
}

int report_write(const char *path, const char *display, const kh_manifest *m, scorecard **scs,
                 size_t nsc, const kh_results *r, kh_error *err)
{
    /* Constant-memory mode keeps one row per sheet in memory, so a province-size workbook
     * stays small; but in it a cell range merged down several rows cannot be written (a row is
     * flushed as soon as a later one is touched). A county's workbook is a few tens of
     * thousands of rows and is written in normal mode with the forms' section cells merged
     * as printed; past REPORT_CONSTANT_MEMORY_ROWS the forms draw the same cells unmerged. */
    int summary = m->nparts > 1 || kh_results_many_counties(r);
    size_t rows = kh_results_nscores(r) + kh_results_ndeductions(r) + r->ntotals;
    for (size_t i = 0; i < r->ntotals; i++)
        rows += r->totals[i].rollup ? 0 : scs[r->totals[i].sc]->nitems + 6;
    /* the summary has no forms, so nothing in it needs merged rows */
    int constant_memory = summary || rows > REPORT_CONSTANT_MEMORY_ROWS;
    lxw_workbook_options opts = {.constant_memory = (uint8_t)constant_memory, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opts);
    if (!wb) {
        kh_seterr(err, "%s: cannot create workbook", display);
        return -1;
    }
    strbuf title = {0}, title_fixed = {0}, comments_fixed = {0};
    sb_printf(&title, "考核结果 %s", m->period);
    lxw_doc_properties props = {
        .title = (char *)report_cell_text(&title_fixed, sb_str(&title)),
        .author = "kaohe",
        .comments = (char *)report_cell_text(&comments_fixed, m->command_line),
        .created = m->started,
    };
    workbook_set_properties(wb, &props);
    sb_free(&title);
    sb_free(&title_fixed);
    sb_free(&comments_fixed);
    formats f;
    report_make_formats(wb, &f);
    /* the fixed sheets' names are taken first, so no form sheet can collide with them */
    sheet_names names = {0};
    static const char *const FIXED[] = {"汇总",     "图表",     "整改台账",       "扣分明细",
                                        "考核明细", "运行信息", "kaohe_manifest", "问责名单"};
    for (size_t i = 0; i < sizeof FIXED / sizeof FIXED[0]; i++)
        report_sheet_name(&names, FIXED[i]);
    form_plan plan;
    if (summary) {
        memset(&plan, 0, sizeof plan);
        plan.place = xcalloc(r->ntotals ? r->ntotals : 1, sizeof *plan.place);
    } else {
        report_plan_forms(&plan, &names, scs, r, m->one_form_per_page);
    }
    report_sheet_summary(wb, &f, m, scs, r, &plan);
    report_sheet_charts(wb, &f, scs, r);
    int failed = report_sheet_ledger(wb, &f, m, scs, r, err) != 0;
    if (!failed && !summary && r->nscores_streamed) {
        /* cannot happen: only a run over several counties streams its scores */
        kh_seterr(err, "%s: scores were streamed, but a full workbook needs them", display);
        failed = 1;
    }
    if (!failed && summary) {
        if (r->wenze) /* a merge of counties with the 包抓 card: the parts' lists */
            report_sheet_wenze(wb, &f, r);
        report_sheet_note(wb, &f, "扣分明细", "扣分记录", kh_results_ndeductions(r));
        report_sheet_note(wb, &f, "考核明细", "评分记录（考核对象×指标）", kh_results_nscores(r));
        report_sheet_run(wb, &f, m, scs, nsc, r, summary);
        failed = report_sheet_manifest(wb, m, scs, nsc, r, summary, err) != 0;
    } else if (!failed) {
        if (r->wenze) /* the run has the 包抓 card: its 问责名单 beside the 整改台账 */
            report_sheet_wenze(wb, &f, r);
        failed = report_sheet_deductions(wb, &f, &names, scs, r, err) != 0;
        if (!failed) {
            report_sheet_items(wb, &f, &names, scs, r);
            report_sheet_run(wb, &f, m, scs, nsc, r, summary);
            report_forms(wb, &f, &plan, m, scs, r, !constant_memory);
            failed = report_sheet_manifest(wb, m, scs, nsc, r, summary, err) != 0;
        }
    }
    report_plan_free(&plan);
    report_sheet_names_free(&names);
    report_restart_page_numbers(wb);
    lxw_error rc = workbook_close(wb);
    if (failed) {
        unlink(path);
        return -1;
    }
    if (rc != LXW_NO_ERROR) {
        kh_seterr(err, "%s: cannot write workbook: %s", display, lxw_strerror(rc));
        unlink(path);
        return -1;
    }
    return 0;
}

int report_table_workbook(const char *path, const char *sheet, const char *title,
                          const char *const *heads, const double *widths, int ncols,
                          int hidden_tail, char *const *cells, size_t nrows, kh_error *err)
{
    strbuf tmp = {0};
    if (kh_tmp_beside(&tmp, path, err) != 0) {
        sb_free(&tmp);
        return -1;
    }
    lxw_workbook *wb = workbook_new(sb_str(&tmp));
    if (!wb) {
        kh_seterr(err, "%s: cannot create workbook", path);
        unlink(sb_str(&tmp));
        sb_free(&tmp);
        return -1;
    }
    formats f;
    report_make_formats(wb, &f);
    lxw_worksheet *ws = report_table_sheet(wb, &f, sheet, title, heads, widths, ncols);
    for (size_t r = 0; r < nrows; r++) {
        for (int c = 0; c < ncols; c++) {
            const char *v = cells[r * (size_t)ncols + (size_t)c];
            report_string(ws, (lxw_row_t)(r + 2), (lxw_col_t)c, v ? v : "", f.wrap);
        }
        report_fit_row(ws, (lxw_row_t)(r + 2), (const char *const *)cells + r * (size_t)ncols,
                       widths, ncols - hidden_tail);
    }
    lxw_row_col_options hidden = {.hidden = 1};
    if (hidden_tail > 0)
        worksheet_set_column_opt(ws, (lxw_col_t)(ncols - hidden_tail), (lxw_col_t)(ncols - 1), 10,
                                 NULL, &hidden);
    lxw_error rc = workbook_close(wb);
    if (rc != LXW_NO_ERROR || rename(sb_str(&tmp), path) != 0) {
        kh_seterr(err, "%s: cannot write workbook%s%s", path, rc ? ": " : "",
                  rc ? lxw_strerror(rc) : "");
        unlink(sb_str(&tmp));
        sb_free(&tmp);
        return -1;
    }
    sb_free(&tmp);
    return 0;
}

const char *report_xlsxwriter_version(void)
{
    return LXW_VERSION;
}
