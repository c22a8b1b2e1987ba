/*
 * report_na_list.c — the page a form sheet ends with in place of the forms of subjects whose
 * every item is 不适用 (a 村卫生室 outside the 重点村: the standard is not theirs). Printing a
 * form of nothing but 不适用 for each of them would be a hundred pages nobody signs; instead
 * one page names them: "以下 N 个对象全部项目不适用，未出考核表：", then each subject's code
 * and name by 乡镇 (or department, or unit). Their results, 汇总 rows and data rows stay as
 * they are; 汇总 links each to the row naming it.
 */
#include <string.h>

#include "report/report_internal.h"

#define NA_LINE_PT  14.0 /* one line of 10-point text, as on the forms */
#define NA_PAD_PT   6.0
#define NA_TITLE_PT 40.0
#define NA_INFO_PT  22.0
#define NA_INDENT_U 1.5 /* column units the cells' indent takes from their text */

/* Where a subject is, for grouping the list: its 乡镇 (for a 村卫生室, its village's), else
 * its department, else the unit it is listed under. The caller frees it. */
static char *na_where(const kh_results *r, size_t set, size_t subject)
{
    const kh_subject *s = &r->sets[set].items[subject];
    report_place p;
    report_subject_place(r, set, subject, &p);
    if (*p.township)
        return xstrdup(p.township);
    long v = kh_results_set(r, "village");
    long k = v < 0 || !*s->parent_id ? -1 : kh_subject_find(&r->sets[v], s->parent_id);
    if (k >= 0)
        return xstrdup(r->sets[v].items[k].parent);
    return xstrdup(*p.department ? p.department : s->parent);
}

/* The list flows like a paragraph, township after township ("柴家门镇（2 个）：S01 甲村卫生室、
 * S02 乙村卫生室；太平店镇（5 个）：…"), in rows of at most NA_ROW_LINES lines broken between
 * subjects: a row per township would leave half-empty lines and not fit a page (109 clinics in
 * 28 townships took ~720 points against ~530), and one cell for all of it would pass a row's
 * 409-point limit. */
#define NA_ROW_LINES 6

typedef struct na_rows {
    lxw_worksheet *ws; /* NULL: only measure */
    const formats *f;
    lxw_row_t row;
    lxw_col_t last;
    double width, height;
    strbuf text; /* the row being filled */
} na_rows;

static int na_lines(const na_rows *nr, const char *text)
{
    return report_text_lines(text, nr->width - NA_INDENT_U);
}

static void na_flush(na_rows *nr)
{
    if (!nr->text.len)
        return;
    double h = na_lines(nr, sb_str(&nr->text)) * NA_LINE_PT + NA_PAD_PT;
    nr->height += h;
    if (nr->ws) {
        worksheet_set_row(nr->ws, nr->row, h, NULL);
        report_merge(nr->ws, nr->row, 0, nr->row, nr->last, sb_str(&nr->text), nr->f->f_wrap);
    }
    nr->row++;
    sb_free(&nr->text);
}

/* Appends one subject's entry (with its group's head before the group's first) after `sep`,
 * starting a new row (without the separator) when it would take the row past NA_ROW_LINES. */
static void na_add(na_rows *nr, const char *sep, const char *entry)
{
    strbuf next = {0};
    sb_printf(&next, "%s%s%s", sb_str(&nr->text), nr->text.len ? sep : "", entry);
    if (nr->text.len && na_lines(nr, sb_str(&next)) > NA_ROW_LINES) {
        na_flush(nr);
        sb_free(&next);
        sb_append(&next, entry);
    }
    sb_free(&nr->text);
    nr->text = next;
}

double report_na_list(lxw_worksheet *ws, const formats *f, const kh_results *r, const scorecard *sc,
                      const size_t *totals, size_t n, lxw_col_t last, double width, lxw_row_t row,
                      lxw_row_t *at)
{
    na_rows nr = {.ws = ws,
                  .f = f,
                  .row = row + 2,
                  .last = last,
                  .width = width,
                  .height = NA_TITLE_PT + NA_INFO_PT};
    if (ws) {
        strbuf text = {0};
        worksheet_set_row(ws, row, NA_TITLE_PT, NULL);
        sb_printf(&text, "%s（未出考核表的对象）", sc->title);
        report_merge(ws, row, 0, row, last, sb_str(&text), f->f_title);
        sb_free(&text);
        sb_printf(&text, "以下 %zu 个对象全部项目不适用，未出考核表：", n);
        worksheet_set_row(ws, row + 1, NA_INFO_PT, NULL);
        report_merge(ws, row + 1, 0, row + 1, last, sb_str(&text), f->f_info);
        sb_free(&text);
    }
    /* each subject's group, then the groups in the order they first appear */
    char **where = xcalloc(n ? n : 1, sizeof *where);
    for (size_t i = 0; i < n; i++)
        where[i] = na_where(r, r->totals[totals[i]].set, r->totals[totals[i]].subject);
    strbuf entry = {0};
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(where[j], where[i]) == 0;
        if (seen)
            continue;
        size_t count = 0;
        for (size_t j = i; j < n; j++)
            count += strcmp(where[j], where[i]) == 0;
        for (size_t j = i, k = 0; j < n; j++) {
            if (strcmp(where[j], where[i]) != 0)
                continue;
            const kh_total *t = &r->totals[totals[j]];
            const kh_subject *s = &r->sets[t->set].items[t->subject];
            if (k == 0)
                sb_printf(&entry, "%s（%zu 个）：", *where[i] ? where[i] : "未注明", count);
            sb_printf(&entry, "%s %s", s->id, s->name);
            na_add(&nr, k++ == 0 ? "；" : "、", sb_str(&entry));
            if (at)
                at[j] = nr.row;
            sb_free(&entry);
        }
    }
    na_flush(&nr);
    for (size_t i = 0; i < n; i++)
        free(where[i]);
    free(where);
    return nr.height;
}
