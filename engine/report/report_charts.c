/*
 * report_charts.c — 图表: one chart per printed page, filling it. For every scorecard, its
 * units at the highest level with several of them (a county's townships; a province's
 * counties or cities), and for a scorecard of cadres one chart per department. Bars are
 * horizontal (names of several characters stay readable), sorted best first, labelled with
 * their values, and the value axis starts at zero. Each chart's numbers stand beside it, to
 * the right of the printed columns (the print area holds only the charts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

/* A page: column A, CHART_COL_WIDTH wide (691 pixels in Calibri: A4 portrait's width within
 * its margins), by CHART_PAGE_PT points of rows, printed at 100%. The chart's size must not
 * depend on the fonts of the machine that prints it: its height is the rows' (set in points);
 * its width, by the anchor libxlsxwriter writes, is an offset in EMU within column A (the chart
 * ends inside it), which LibreOffice takes as it is. Column A itself is wider where Calibri is
 * missing (LibreOffice's fallback: a third wider), which is why the page is not fitted to the
 * column's width (that shrank the chart to ~70% of the page's height) but printed at 100%, the
 * rest of the column falling outside the page. The numbers go in columns DATA_COL.. */
enum { DATA_COL = 12, CHART_PAGE_ROWS = 48 };
#define CHART_COL_WIDTH 98.0
#define CHART_PAGE_PT   720.0

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

typedef struct chart_bar {
    size_t t; /* index into r->totals */
    int rank;
    const char *id;
} chart_bar;

static int cmp_bar(const void *a, const void *b)
{
    const chart_bar *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return strcmp(x->id, y->id);
}

typedef struct chart_sheet {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    const formats *f;
    lxw_row_t row; /* the next page's first row */
    lxw_row_t breaks[256];
    size_t nbreaks;
} chart_sheet;

/* One page: the bars (ranked totals, best first) of `bars`, titled `title`. Totals without
 * a rank (items 待核实, or a roll-up with no scored member) are left out and counted in the
 * title. Deduction scorecards chart the points lost, so every bar grows from zero. */
static void chart_page(chart_sheet *cs, const scorecard *sc, const kh_results *r, chart_bar *bars,
                       size_t n, const char *title)
{
    size_t shown = 0;
    for (size_t i = 0; i < n; i++)
        if (bars[i].rank)
            bars[shown++] = bars[i];
    if (!shown)
        return;
    qsort(bars, shown, sizeof *bars, cmp_bar);
    int lost = sc->mode == MODE_DEDUCTION;
    size_t rows = shown + 3 > CHART_PAGE_ROWS ? shown + 3 : CHART_PAGE_ROWS;
    double height = CHART_PAGE_PT / (double)rows;
    lxw_row_t top = cs->row;
    if (top && cs->nbreaks < sizeof cs->breaks / sizeof cs->breaks[0] - 1)
        cs->breaks[cs->nbreaks++] = top;
    strbuf full = {0}, fixed = {0};
    sb_printf(&full, "%s（%s）", title, lost ? "扣分合计" : "得分");
    if (n > shown)
        sb_printf(&full, "，另有 %zu 个待核实未列入", n - shown);
    /* the numbers, beside the printed page, in the rows of the page */
    for (size_t k = 0; k < rows; k++) {
        lxw_row_t row = top + (lxw_row_t)k;
        worksheet_set_row(cs->ws, row, height, NULL);
        if (k == 0) {
            report_string(cs->ws, row, DATA_COL, sb_str(&full), cs->f->text);
        } else if (k == 1) {
            report_string(cs->ws, row, DATA_COL, "单位", cs->f->head);
            report_string(cs->ws, row, DATA_COL + 1, lost ? "扣分" : "得分", cs->f->head);
        } else if (k - 2 < shown) {
            const kh_total *t = &r->totals[bars[k - 2].t];
            /* a vetoed subject ranks after all others whatever its points: said on its bar */
            strbuf name = {0};
            sb_printf(&name, "%s%s", r->sets[t->set].items[t->subject].name,
                      t->vetoed ? "（否决）" : "");
            report_string(cs->ws, row, DATA_COL, sb_str(&name), cs->f->text);
            sb_free(&name);
            report_write_points(cs->ws, row, DATA_COL + 1, lost ? -t->total : t->total, cs->f->num);
        }
    }
    lxw_chart *chart = workbook_add_chart(cs->wb, LXW_CHART_BAR);
    char cats[64], vals[64];
    snprintf(cats, sizeof cats, "=图表!$M$%u:$M$%u", (unsigned)top + 3,
             (unsigned)(top + 2 + shown));
    snprintf(vals, sizeof vals, "=图表!$N$%u:$N$%u", (unsigned)top + 3,
             (unsigned)(top + 2 + shown));
    lxw_chart_series *series = chart_add_series(chart, cats, vals);
    chart_series_set_name(series, lost ? "扣分合计" : "得分");
    chart_series_set_labels(series);
    chart_series_set_labels_num_format(series, "0.00");
    chart_title_set_name(chart, report_cell_text(&fixed, sb_str(&full)));
    lxw_chart_font title_font = {.size = 12, .bold = LXW_TRUE};
    chart_title_set_name_font(chart, &title_font);
    chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
    /* categories top down in rank order; values from zero (a bar's length is its value). In
     * libxlsxwriter's bar chart x_axis is the value axis and y_axis the categories. */
    chart_axis_set_reverse(chart->y_axis);
    lxw_chart_font names = {.size = shown > 40 ? 8 : 10};
    chart_axis_set_num_font(chart->y_axis, &names);
    chart_axis_set_min(chart->x_axis, 0);
    chart_axis_set_name(chart->x_axis, lost ? "扣分合计（分）" : "得分（分）");
    /* 690 × 948 pixels: within column A (691) and the page's rows (960) */
    lxw_chart_options opts = {.x_scale = 690.0 / 480.0,
                              .y_scale = (CHART_PAGE_PT * 4.0 / 3.0 - 12.0) / 288.0,
                              .object_position = LXW_OBJECT_DONT_MOVE_DONT_SIZE};
    worksheet_insert_chart_opt(cs->ws, top, 0, chart, &opts);
    sb_free(&full);
    sb_free(&fixed);
    cs->row = top + (lxw_row_t)rows;
}

/* A scorecard of cadres: one page per department, its cadres ranked (ranks are county-wide). */
static void chart_departments(chart_sheet *cs, const scorecard *sc, const kh_results *r,
                              size_t first, size_t end)
{
    size_t n = end - first, done = 0;
    chart_bar *bars = xcalloc(n, sizeof *bars);
    char *seen = xcalloc(n, 1);
    while (done < n) {
        size_t m = 0;
        report_place p0;
        for (size_t i = 0; i < n; i++) {
            report_place p;
            report_subject_place(r, r->totals[first + i].set, r->totals[first + i].subject, &p);
            if (seen[i] || (m && strcmp(p.department, p0.department) != 0))
                continue;
            if (!m)
                p0 = p;
            const kh_total *t = &r->totals[first + i];
            bars[m++] = (chart_bar){first + i, t->rank, r->sets[t->set].items[t->subject].id};
            seen[i] = 1;
            done++;
        }
        char title[512];
        snprintf(title, sizeof title, "%s：%s各%s", sc->title,
                 p0.department[0] ? p0.department : "未注明部门",
                 kh_kind_label(r->sets[r->totals[first].set].kind));
        chart_page(cs, sc, r, bars, m, title);
    }
    free(seen);
    free(bars);
}

void report_sheet_charts(lxw_workbook *wb, const formats *f, scorecard **scs, const kh_results *r)
{
    chart_sheet cs = {.wb = wb, .f = f};
    cs.ws = workbook_add_worksheet(wb, "图表");
    worksheet_set_paper(cs.ws, 9); /* A4 */
    worksheet_set_portrait(cs.ws);
    worksheet_set_margins(cs.ws, 0.5, 0.5, 0.6, 0.6);
    worksheet_set_print_scale(cs.ws, 100); /* not fitted to the width: see the top */
    worksheet_set_footer(cs.ws, "&C图表 第 &P 页");
    worksheet_set_column(cs.ws, 0, 0, CHART_COL_WIDTH, NULL);
    worksheet_set_column(cs.ws, DATA_COL, DATA_COL, 16, NULL);
    worksheet_set_column(cs.ws, DATA_COL + 1, DATA_COL + 1, 10, NULL);
    for (size_t i = 0; i < r->ntotals;) {
        size_t j = i;
        while (j < r->ntotals && r->totals[j].sc == r->totals[i].sc &&
               r->totals[j].set == r->totals[i].set)
            j++;
        const scorecard *sc = scs[r->totals[i].sc];
        const char *kind = r->sets[r->totals[i].set].kind;
        if (strcmp(kind, "cadre") == 0) {
            chart_departments(&cs, sc, r, i, j);
        } else if (strcmp(kind, chart_kind(r, r->totals[i].sc)) == 0) {
            chart_bar *bars = xcalloc(j - i, sizeof *bars);
            for (size_t k = i; k < j; k++)
                bars[k - i] = (chart_bar){k, r->totals[k].rank,
                                          r->sets[r->totals[k].set].items[r->totals[k].subject].id};
            char title[512];
            snprintf(title, sizeof title, "%s：各%s", sc->title, kh_kind_label(kind));
            chart_page(&cs, sc, r, bars, j - i, title);
            free(bars);
        }
        i = j;
    }
    if (cs.row) {
        worksheet_print_area(cs.ws, 0, 0, cs.row - 1, 0);
        cs.breaks[cs.nbreaks] = 0; /* the list ends with 0 */
        if (cs.nbreaks)
            worksheet_set_h_pagebreaks(cs.ws, cs.breaks);
    }
}
