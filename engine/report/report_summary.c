/*
 * report_summary.c — 汇总: one table per form and level (a scorecard's villages, its townships'
 * averages …), its title once, rows sorted by rank within their group (villages by township,
 * cadres by department), each subject linked to its filled-in form, and the signature block
 * the office signs and stamps. A subject with items 待核实 shows its total as 暂计 and no
 * grade: the sheet is handed in, and a provisional number must not read as final.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

enum { SUM_COLS = 10 };

/* One row of a table: the total and what it is sorted and grouped by. The group's key and
 * name point into r's strings (a cadre's department is the start of its unit, "部门·职务"), so
 * that a province's tens of thousands of rows cost a few pointers each. */
typedef struct sum_row {
    size_t t;                 /* index into r->totals */
    const char *gkey, *gname; /* a township's id and name, a department … */
    int gkey_len, gname_len;
    int rank; /* 0 (not ranked) sorts last */
    const char *id;
} sum_row;

static int cmp_group(const sum_row *x, const sum_row *y)
{
    int n = x->gkey_len < y->gkey_len ? x->gkey_len : y->gkey_len;
    int c = memcmp(x->gkey, y->gkey, (size_t)n);
    return c ? c : x->gkey_len - y->gkey_len;
}

static int cmp_sum_row(const void *a, const void *b)
{
    const sum_row *x = a, *y = b;
    int c = cmp_group(x, y);
    if (c)
        return c;
    int rx = x->rank ? x->rank : INT_MAX, ry = y->rank ? y->rank : INT_MAX;
    if (rx != ry)
        return rx < ry ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* A subject's group: a village's township (in the townships' id order), a cadre's department,
 * otherwise the unit it belongs to. */
static void sum_group(const kh_results *r, const kh_total *t, sum_row *row)
{
    const kh_subject *s = &r->sets[t->set].items[t->subject];
    const char *kind = r->sets[t->set].kind;
    row->gkey = row->gname = s->parent;
    row->gkey_len = row->gname_len = (int)strlen(s->parent);
    if (strcmp(kind, "village") == 0 && *s->parent_id) {
        row->gkey = s->parent_id;
        row->gkey_len = (int)strlen(s->parent_id);
    } else if (strcmp(kind, "cadre") == 0) {
        const char *dot = strstr(s->parent, "·");
        if (dot)
            row->gkey_len = row->gname_len = (int)(dot - s->parent);
    }
    row->rank = t->rank;
    row->id = s->id;
    row->t = (size_t)(t - r->totals);
}

/* 说明: for a roll-up what it is and how many of its members it covers ("乡镇（平均）：10村中
 * 5村已评分"); for a subject with items 待核实 that its total is provisional. */
static void sum_note(char *buf, size_t size, const scorecard *sc, const kh_results *r,
                     const kh_total *t)
{
    const char *kind = r->sets[t->set].kind;
    if (t->rollup) {
        const char *member = kh_kind_label(kh_rollup_member_kind(sc, kind));
        snprintf(buf, size, "%s（%s）：%d%s中%d%s已评分", kh_kind_label(kind), kh_rollup_label(sc),
                 t->members_total, member, t->members_total - t->pending, member);
    } else if (t->pending) {
        snprintf(buf, size, "暂计：另有 %d 项待核实", t->pending);
    } else {
        buf[0] = '\0';
    }
}

/* The total as printed: a number; 暂计 when items are 待核实; 待核实 for a roll-up that has
 * no scored member. */
static void sum_total(lxw_worksheet *ws, lxw_row_t row, const formats *f, const kh_total *t)
{
    if (t->rollup && !t->members) {
        report_string(ws, row, 4, "待核实", f->center);
    } else if (!t->rollup && t->pending) {
        char buf[64];
        snprintf(buf, sizeof buf, "暂计 %.2f", points_to_double(t->total));
        report_string(ws, row, 4, buf, f->center);
    } else {
        report_write_points(ws, row, 4, t->total, t->total < 0 ? f->num_bad : f->num);
    }
}

static void sum_write_row(lxw_worksheet *ws, lxw_row_t row, const formats *f, scorecard **scs,
                          const kh_results *r, const form_plan *plan, size_t no, size_t ti)
{
    const kh_total *t = &r->totals[ti];
    const scorecard *sc = scs[t->sc];
    const kh_subject *s = &r->sets[t->set].items[t->subject];
    worksheet_write_number(ws, row, 0, (double)no, f->center);
    if (plan->place[ti].sheet) {
        /* the subject's name links to its filled-in form: 'sheet'!A1, an apostrophe in the
         * sheet's name doubled as Excel's references write it ('It''s'!A1) */
        strbuf url = {0};
        sb_append(&url, "internal:'");
        for (const char *p = plan->place[ti].sheet; *p; p++) {
            sb_appendn(&url, p, 1);
            if (*p == '\'')
                sb_appendn(&url, p, 1);
        }
        sb_printf(&url, "'!A%u", (unsigned)plan->place[ti].row + 1);
        report_link(ws, row, 1, sb_str(&url), f->link, s->name, "打开该对象的考核表");
        sb_free(&url);
    } else {
        report_string(ws, row, 1, s->name, f->text);
    }
    report_string(ws, row, 2, s->id, f->text);
    report_string(ws, row, 3, s->parent, f->text);
    sum_total(ws, row, f, t);
    const char *grade = t->grade ? t->grade : !t->rollup && t->pending ? "待核实" : "";
    report_string(ws, row, 5, grade, f->center);
    if (t->rank)
        worksheet_write_number(ws, row, 6, t->rank, f->center);
    else
        report_string(ws, row, 6, "", f->center);
    if (t->pending)
        worksheet_write_number(ws, row, 7, t->pending, f->center);
    else
        report_string(ws, row, 7, "", f->center);
    report_string(ws, row, 8, t->vetoed ? "否决" : "", f->center);
    char note[256];
    sum_note(note, sizeof note, sc, r, t);
    report_string(ws, row, 9, note, f->wrap);
}

typedef struct sum_sheet {
    lxw_worksheet *ws;
    const formats *f;
    lxw_format *table_title, *group;
    lxw_row_t row;
    lxw_row_t breaks[256];
    size_t nbreaks;
    int ntables;
    size_t last_sc;
} sum_sheet;

/* One table: totals[first..end) (one scorecard, one kind), sorted and grouped. */
static void sum_table(sum_sheet *ss, scorecard **scs, const kh_results *r, const form_plan *plan,
                      size_t first, size_t end)
{
    const kh_total *t0 = &r->totals[first];
    const scorecard *sc = scs[t0->sc];
    size_t n = end - first;
    sum_row *rows = xcalloc(n, sizeof *rows);
    for (size_t i = 0; i < n; i++)
        sum_group(r, &r->totals[first + i], &rows[i]);
    qsort(rows, n, sizeof *rows, cmp_sum_row);
    size_t ngroups = 0;
    for (size_t i = 0; i < n; i++)
        ngroups += i == 0 || cmp_group(&rows[i], &rows[i - 1]) != 0;
    /* each form's tables start a printed page of their own (its levels follow on) */
    if (ss->ntables++ && t0->sc != ss->last_sc &&
        ss->nbreaks < sizeof ss->breaks / sizeof ss->breaks[0] - 1)
        ss->breaks[ss->nbreaks++] = ss->row;
    else if (ss->ntables > 1)
        ss->row++; /* a blank row between a form's levels */
    ss->last_sc = t0->sc;
    const char *label = kh_kind_label(r->sets[t0->set].kind);
    strbuf title = {0};
    sb_printf(&title, "%s　—　%s", sc->title, label);
    if (t0->rollup)
        sb_printf(&title, "（%s）", kh_rollup_label(sc));
    sb_printf(&title, "（%zu 个", n);
    if (ngroups > 1) {
        const char *kind = r->sets[t0->set].kind, *up = kh_kind_parent(kind);
        sb_printf(&title, "，按%s分组",
                  strcmp(kind, "cadre") == 0 ? "部门"
                  : up                       ? kh_kind_label(up)
                                             : "所属单位");
    }
    sb_append(&title, n > 1 ? "，按名次排列）" : "）");
    worksheet_set_row(ss->ws, ss->row, 24, NULL);
    report_merge(ss->ws, ss->row, 0, ss->row, SUM_COLS - 1, sb_str(&title), ss->table_title);
    sb_free(&title);
    ss->row++;
    for (size_t i = 0, no = 1; i < n; i++) {
        if (ngroups > 1 && (i == 0 || cmp_group(&rows[i], &rows[i - 1]) != 0)) {
            size_t members = 0;
            while (i + members < n && cmp_group(&rows[i + members], &rows[i]) == 0)
                members++;
            strbuf head = {0};
            sb_printf(&head, "%.*s（%zu 个%s）", rows[i].gname_len, rows[i].gname, members, label);
            report_merge(ss->ws, ss->row, 0, ss->row, SUM_COLS - 1, sb_str(&head), ss->group);
            sb_free(&head);
            ss->row++;
        }
        sum_write_row(ss->ws, ss->row++, ss->f, scs, r, plan, no++, rows[i].t);
    }
    free(rows);
}

void report_sheet_summary(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
                          const kh_results *r, const form_plan *plan)
{
    static const char *const heads[] = {"序号", "考核对象", "对象编码", "所属单位", "得分/扣分",
                                        "等次", "名次",     "待核实项", "否决",     "说明"};
    static const double widths[] = {6, 16, 15, 18, 11, 7, 6, 8, 6, 30};
    strbuf title = {0};
    sb_printf(&title, "考核结果汇总（考核期：%s）", m->period);
    sum_sheet ss = {.f = f, .row = 2};
    ss.ws = report_table_sheet(wb, f, "汇总", sb_str(&title), heads, widths, NCOLS(heads, widths));
    sb_free(&title);
    worksheet_set_portrait(ss.ws);
    worksheet_set_footer(ss.ws, "&C汇总 第 &P 页");
    ss.table_title = report_new_format(wb);
    format_set_bold(ss.table_title);
    format_set_font_size(ss.table_title, 12);
    format_set_align(ss.table_title, LXW_ALIGN_VERTICAL_CENTER);
    format_set_border(ss.table_title, LXW_BORDER_THIN);
    format_set_bg_color(ss.table_title, 0xDDEBF7);
    ss.group = report_new_format(wb);
    format_set_bold(ss.group);
    format_set_border(ss.group, LXW_BORDER_THIN);
    format_set_bg_color(ss.group, 0xF2F2F2);
    for (size_t i = 0; i < r->ntotals;) {
        size_t j = i;
        while (j < r->ntotals && r->totals[j].sc == r->totals[i].sc &&
               r->totals[j].set == r->totals[i].set)
            j++;
        sum_table(&ss, scs, r, plan, i, j);
        i = j;
    }
    lxw_row_t last = ss.row;
    /* a blank row first, so the block does not touch the table's bottom border */
    static const sign_line SIGN[] = {
        {"填报单位（公章）：", 28, NULL},
        {"审核人：　　　　　　　　　　　　填报人：", 28, NULL},
        {"日期：　　　　年　　月　　日", 28, NULL},
    };
    ss.row =
        report_sign_block(ss.ws, f, ss.row + 1, SUM_COLS - 1, SIGN, sizeof SIGN / sizeof SIGN[0]);
    if (ss.nbreaks) {
        ss.breaks[ss.nbreaks] = 0; /* the list ends with 0 */
        worksheet_set_h_pagebreaks(ss.ws, ss.breaks);
    }
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
        worksheet_conditional_format_range(ss.ws, 2, 5, last - 1, 5, &cf);
    }
}
