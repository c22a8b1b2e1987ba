/*
 * report_summary.c — 汇总: one row per total, linking to its form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

/* 对象类别 in 汇总: the kind, and for a roll-up what it is and how many of its members it
 * covers: "乡镇（平均）：10村中5村已评分". */
static void summary_kind(char *buf, size_t size, const scorecard *sc, const kh_results *r,
                         const kh_total *t)
{
    const char *kind = r->sets[t->set].kind;
    if (!t->rollup) {
        snprintf(buf, size, "%s", kh_kind_label(kind));
        return;
    }
    const char *member = kh_kind_label(kh_rollup_member_kind(sc, kind));
    snprintf(buf, size, "%s（%s）：%d%s中%d%s已评分", kh_kind_label(kind), kh_rollup_label(sc),
             t->members_total, member, t->members_total - t->pending, member);
}

void report_sheet_summary(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
                          const kh_results *r, const form_plan *plan)
{
    static const char *const heads[] = {"序号",     "考核表", "对象类别",  "考核对象",
                                        "对象编码", "所属",   "得分/扣分", "等次",
                                        "待核实项", "否决",   "名次"};
    static const double widths[] = {6, 30, 28, 18, 16, 16, 11, 8, 9, 6, 7};
    strbuf title = {0};
    sb_printf(&title, "考核结果汇总（考核期：%s）", m->period);
    lxw_worksheet *ws =
        report_table_sheet(wb, f, "汇总", sb_str(&title), heads, widths, NCOLS(heads, widths));
    sb_free(&title);
    lxw_row_t row = 2;
    for (size_t i = 0; i < r->ntotals; i++) {
        const kh_total *t = &r->totals[i];
        const scorecard *sc = scs[t->sc];
        const kh_subject *s = &r->sets[t->set].items[t->subject];
        worksheet_write_number(ws, row, 0, (double)(i + 1), f->center);
        report_string(ws, row, 1, sc->title, f->text);
        char kind[160];
        summary_kind(kind, sizeof kind, sc, r, t);
        report_string(ws, row, 2, kind, f->center);
        if (plan->place[i].sheet) {
            /* the subject's name links to its filled-in form */
            char url[256];
            snprintf(url, sizeof url, "internal:'%s'!A%u", plan->place[i].sheet,
                     (unsigned)plan->place[i].row + 1);
            report_link(ws, row, 3, url, f->link, s->name, "打开该对象的考核表");
        } else {
            report_string(ws, row, 3, s->name, f->text);
        }
        report_string(ws, row, 4, s->id, f->text);
        report_string(ws, row, 5, s->parent, f->text);
        if (t->rollup && !t->members)
            report_string(ws, row, 6, "待核实", f->center);
        else
            report_write_points(ws, row, 6, t->total, t->total < 0 ? f->num_bad : f->num);
        report_string(ws, row, 7, t->grade ? t->grade : "", f->center);
        worksheet_write_number(ws, row, 8, t->pending, f->center);
        report_string(ws, row, 9, t->vetoed ? "否决" : "", f->center);
        if (t->rank)
            worksheet_write_number(ws, row, 10, t->rank, f->center);
        else
            report_string(ws, row, 10, "", f->center);
        row++;
    }
    if (r->ntotals)
        worksheet_autofilter(ws, 1, 0, row - 1, 10);
    /* grades at a glance: 好 green, 差 red, 待核实 yellow */
    static const struct {
        const char *text;
        lxw_color_t fill, font;
    } GRADE_COLOURS[] = {
        {"好", 0xC6EFCE, 0x006100}, {"差", 0xFFC7CE, 0x9C0006}, {"待核实", 0xFFEB9C, 0x9C5700}};
    for (size_t g = 0; r->ntotals && g < sizeof GRADE_COLOURS / sizeof GRADE_COLOURS[0]; g++) {
        lxw_format *fmt = workbook_add_format(wb);
        format_set_bg_color(fmt, GRADE_COLOURS[g].fill);
        format_set_font_color(fmt, GRADE_COLOURS[g].font);
        lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_TEXT,
                                     .criteria = LXW_CONDITIONAL_CRITERIA_TEXT_BEGINS_WITH,
                                     .value_string = (char *)GRADE_COLOURS[g].text,
                                     .format = fmt};
        worksheet_conditional_format_range(ws, 2, 7, row - 1, 7, &cf);
    }
}
