/*
 * report_charts.c — 图表: the units' scores as tables and column charts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

/* The level a scorecard's chart shows: the highest unit subjects are averaged into (city,
 * county, township in core/kinds.h's order) at which it has more than one total (a province:
 * its cities; a county: its townships). */
static const char *chart_kind(const kh_results *r, size_t sc)
{
    for (size_t k = 0; k < KH_NKINDS; k++) {
        const char *kind = KH_KINDS[k].name;
        size_t n = 0;
        for (size_t i = 0; i < r->ntotals && n < 2 && kh_kind_has_members(kind); i++)
            n += r->totals[i].sc == sc && strcmp(r->sets[r->totals[i].set].kind, kind) == 0;
        if (n >= 2)
            return kind;
    }
    return "township";
}

/* 图表: for every scorecard with township totals (its own or averaged from villages), a table
 * of the townships and a column chart of their scores. */
void report_sheet_charts(lxw_workbook *wb, const formats *f, scorecard **scs, const kh_results *r)
{
    static const char *const heads[] = {"单位", "得分/扣分"};
    static const double widths[] = {14, 11};
    lxw_worksheet *ws =
        report_table_sheet(wb, f, "图表", "各单位考核结果", heads, widths, NCOLS(heads, widths));
    worksheet_set_portrait(ws);
    lxw_row_t row = 2;
    size_t i = 0;
    while (i < r->ntotals) {
        size_t j = i;
        while (j < r->ntotals && r->totals[j].sc == r->totals[i].sc &&
               r->totals[j].set == r->totals[i].set)
            j++;
        if (strcmp(r->sets[r->totals[i].set].kind, chart_kind(r, r->totals[i].sc)) == 0) {
            const scorecard *sc = scs[r->totals[i].sc];
            report_merge(ws, row, 0, row, 1, sc->title, f->head);
            lxw_row_t first = ++row;
            for (size_t k = i; k < j; k++, row++) {
                const kh_total *t = &r->totals[k];
                report_string(ws, row, 0, r->sets[t->set].items[t->subject].name, f->text);
                if (t->rollup && !t->members)
                    report_string(ws, row, 1, "待核实", f->center);
                else
                    report_write_points(ws, row, 1, t->total, f->num);
            }
            lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_COLUMN);
            char cats[160], vals[160];
            strbuf title = {0}, fixed = {0};
            snprintf(cats, sizeof cats, "=图表!$A$%u:$A$%u", (unsigned)first + 1, (unsigned)row);
            snprintf(vals, sizeof vals, "=图表!$B$%u:$B$%u", (unsigned)first + 1, (unsigned)row);
            lxw_chart_series *series = chart_add_series(chart, cats, vals);
            chart_series_set_name(series, sc->mode == MODE_DEDUCTION ? "扣分合计" : "平均得分");
            sb_printf(&title, "%s：各%s%s", sc->title,
                      kh_kind_label(r->sets[r->totals[i].set].kind),
                      sc->mode == MODE_DEDUCTION ? "扣分合计" : "平均得分");
            chart_title_set_name(chart, report_cell_text(&fixed, sb_str(&title)));
            sb_free(&title);
            sb_free(&fixed);
            chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
            lxw_chart_options opts = {.x_scale = 2.2, .y_scale = 1.4};
            worksheet_insert_chart_opt(ws, first - 1, 3, chart, &opts);
            row += row - first < 22 ? 22 - (row - first) : 1;
        }
        i = j;
    }
}
