/*
 * report_common.c — cell formats, table-sheet set-up and sheet names shared by the sheet
 * writers. See report_internal.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/utf8.h"
#include "report/report_internal.h"

/* Every format names a CJK font: 宋体 (SimSun), the body font of the printed forms, which
 * Windows, Office and WPS all ship. Where it is missing (LibreOffice on Linux) the program's
 * own substitution takes over: LibreOffice's replacement table maps 宋体/SimSun to the CJK serif
 * or sans face installed (Noto Serif/Sans CJK SC, AR PL UMing, WenQuanYi), and the forms' row
 * heights leave room for those taller faces (report_forms.c). (libxlsxwriter does not write a
 * font's charset, so GB2312 cannot be declared as a hint.) Before, the cells named Calibri
 * and each program picked its own fallback for the Chinese text. */
#define REPORT_FONT "宋体"

lxw_format *report_new_format(lxw_workbook *wb)
{
    lxw_format *x = workbook_add_format(wb);
    format_set_font_name(x, REPORT_FONT);
    return x;
}

void report_make_formats(lxw_workbook *wb, formats *f)
{
    f->title = report_new_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 16);
    format_set_align(f->title, LXW_ALIGN_CENTER);
    format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);

    f->head = report_new_format(wb);
    format_set_bold(f->head);
    format_set_border(f->head, LXW_BORDER_THIN);
    format_set_bg_color(f->head, 0xDDEBF7);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f->head);

    f->text = report_new_format(wb);
    format_set_border(f->text, LXW_BORDER_THIN);
    format_set_align(f->text, LXW_ALIGN_VERTICAL_CENTER);

    f->wrap = report_new_format(wb);
    format_set_border(f->wrap, LXW_BORDER_THIN);
    format_set_text_wrap(f->wrap);
    format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);

    f->center = report_new_format(wb);
    format_set_border(f->center, LXW_BORDER_THIN);
    format_set_align(f->center, LXW_ALIGN_CENTER);
    format_set_align(f->center, LXW_ALIGN_VERTICAL_CENTER);

    f->num = report_new_format(wb);
    format_set_border(f->num, LXW_BORDER_THIN);
    format_set_num_format(f->num, "0.00");
    format_set_align(f->num, LXW_ALIGN_VERTICAL_CENTER);

    /* the filled-in forms: 10-point text, thin borders, wrapped and top-aligned like the
     * printed tables of the seed documents */
    f->f_title = report_new_format(wb);
    format_set_bold(f->f_title);
    format_set_font_size(f->f_title, 15);
    format_set_align(f->f_title, LXW_ALIGN_CENTER);
    format_set_align(f->f_title, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f->f_title);

    f->f_info = report_new_format(wb);
    format_set_font_size(f->f_info, 10);
    format_set_text_wrap(f->f_info); /* a cadre's 包抓村 can take several lines */
    format_set_align(f->f_info, LXW_ALIGN_VERTICAL_CENTER);

    f->f_sign = report_new_format(wb);
    format_set_font_size(f->f_sign, 10);
    format_set_align(f->f_sign, LXW_ALIGN_VERTICAL_BOTTOM);

    f->f_head = report_new_format(wb);
    format_set_bold(f->f_head);
    format_set_font_size(f->f_head, 10);
    format_set_border(f->f_head, LXW_BORDER_THIN);
    format_set_align(f->f_head, LXW_ALIGN_CENTER);
    format_set_align(f->f_head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f->f_head);

    lxw_format **cells[] = {&f->f_cell, &f->f_wrap,    &f->f_center, &f->f_points,
                            &f->f_lost, &f->f_pending, &f->f_veto,   &f->f_total};
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        lxw_format *x = *cells[i] = report_new_format(wb);
        format_set_font_size(x, 10);
        format_set_border(x, LXW_BORDER_THIN);
        format_set_text_wrap(x);
        format_set_align(x, LXW_ALIGN_VERTICAL_CENTER);
    }
    /* the texts (考核指标, 考核评价, 扣分说明) are indented and centred in rows taller than
     * their lines (report_forms.c), so that no printed text meets a cell's border */
    format_set_indent(f->f_wrap, 1);
    for (size_t i = 2; i < sizeof cells / sizeof cells[0]; i++)
        format_set_align(*cells[i], LXW_ALIGN_CENTER);
    format_set_font_color(f->f_lost, 0xC00000);
    format_set_bold(f->f_pending);
    format_set_bg_color(f->f_pending, 0xFFF2CC); /* 待核实: yellow */
    format_set_bold(f->f_veto);
    format_set_font_color(f->f_veto, 0xFFFFFF);
    format_set_bg_color(f->f_veto, 0xC00000); /* 否决: white on red */
    format_set_bold(f->f_total);

    f->link = report_new_format(wb);
    format_set_border(f->link, LXW_BORDER_THIN);
    format_set_underline(f->link, LXW_UNDERLINE_SINGLE);
    format_set_font_color(f->link, 0x0563C1);
    format_set_align(f->link, LXW_ALIGN_VERTICAL_CENTER);

    f->num_bad = report_new_format(wb);
    format_set_border(f->num_bad, LXW_BORDER_THIN);
    format_set_num_format(f->num_bad, "0.00");
    format_set_font_color(f->num_bad, 0xC00000);
    format_set_align(f->num_bad, LXW_ALIGN_VERTICAL_CENTER);
}

lxw_worksheet *report_table_sheet(lxw_workbook *wb, const formats *f, const char *name,
                                  const char *title, const char *const *heads, const double *widths,
                                  int ncols)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, 1, 1);
    /* The sheet's name and its own page number, no "共 &N 页": printing the whole workbook,
     * LibreOffice counts &N over every sheet ("第 1 页，共 1812 页" on 问责名单's only page). */
    worksheet_set_footer(ws, "&C&A 第 &P 页");
    worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.6);
    for (int c = 0; c < ncols; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    worksheet_set_row(ws, 0, 30, NULL);
    report_merge(ws, 0, 0, 0, (lxw_col_t)(ncols - 1), title, f->title);
    for (int c = 0; c < ncols; c++)
        report_string(ws, 1, (lxw_col_t)c, heads[c], f->head);
    worksheet_freeze_panes(ws, 2, 0);
    return ws;
}

void report_write_points(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, points_t p, lxw_format *fmt)
{
    worksheet_write_number(ws, r, c, points_to_double(p), fmt);
}

/* `wanted` as a legal sheet name of at most `chars` characters: valid UTF-8 (a sheet name is
 * XML too), the characters Excel refuses replaced by '_', no apostrophe at either end, never
 * empty. Appended to `out`. */
static void legal_name(strbuf *out, const char *wanted, size_t chars)
{
    strbuf fixed = {0};
    const char *s = kh_utf8_cell(&fixed, wanted, chars, "");
    size_t start = out->len;
    for (const char *p = s; *p; p++)
        sb_appendn(out, strchr("[]:*?/\\", *p) ? "_" : p, 1);
    sb_free(&fixed);
    if (out->len == start)
        sb_append(out, "_");
    if (out->data[start] == '\'')
        out->data[start] = '_';
    if (out->data[out->len - 1] == '\'')
        out->data[out->len - 1] = '_';
}

static int name_taken(const sheet_names *names, const char *name)
{
    for (size_t i = 0; i < names->n; i++)
        if (strcasecmp(names->names[i], name) == 0)
            return 1;
    return 0;
}

const char *report_sheet_name(sheet_names *names, const char *wanted)
{
    /* 28 characters leave room for a "-2" … "-99" suffix within Excel's 31; a longer suffix
     * takes its room from the name */
    strbuf name = {0};
    legal_name(&name, wanted, 28);
    for (int k = 2; name_taken(names, sb_str(&name)); k++) {
        char suffix[16];
        int len = snprintf(suffix, sizeof suffix, "-%d", k);
        name.len = 0;
        legal_name(&name, wanted, len <= 3 ? 28 : 31 - (size_t)len);
        sb_append(&name, suffix);
    }
    size_t i = KH_PUSH(names->names, names->n, names->cap);
    names->names[i] = sb_take(&name);
    return names->names[i];
}

void report_sheet_names_free(sheet_names *names)
{
    for (size_t i = 0; i < names->n; i++)
        free(names->names[i]);
    free(names->names);
    memset(names, 0, sizeof *names);
}

/* Width of s[0..n) in column-width units: a CJK character is nearly two Latin ones. A byte
 * that is not well-formed UTF-8 counts as one replacement character, the width it is shown at
 * (see report_text.c). */
static double text_units(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    double units = 0;
    for (size_t i = 0; i < n;) {
        size_t len = kh_utf8_char(u + i, n - i);
        units += len >= 3 ? 1.9 : len ? 1.05 : 1.9;
        i += len ? len : 1;
    }
    return units;
}

/* Lines the wrapped text takes in a column `width` units wide (generous: a clipped word on a
 * printed form is worse than a little white space). */
int report_text_lines(const char *s, double width)
{
    if (!s || !*s)
        return 1;
    int lines = 0;
    const char *p = s;
    while (p) {
        const char *nl = strchr(p, '\n');
        double u = text_units(p, nl ? (size_t)(nl - p) : strlen(p));
        int l = (int)ceil(u / (width - 1.0));
        lines += l < 1 ? 1 : l;
        p = nl ? nl + 1 : NULL;
    }
    return lines;
}

void report_fit_row(lxw_worksheet *ws, lxw_row_t row, const char *const *texts,
                    const double *widths, int n)
{
    int lines = 1;
    for (int i = 0; i < n; i++)
        if (texts[i]) {
            /* the table sheets' text is 11-point: a tenth wider than the forms' 10 */
            int l = report_text_lines(texts[i], widths[i] * 10.0 / 11.0);
            lines = l > lines ? l : lines;
        }
    if (lines > 1)
        worksheet_set_row(ws, row, lines * 15.0 + 2, NULL);
}

/* A source that failed part-way (a results database gone bad under us) fails the workbook. */
int report_walk_done(const kh_iter *it, kh_error *err)
{
    if (!it->failed)
        return 0;
    kh_seterr(err, "%s", it->err.msg);
    return -1;
}

/* A sheet holds at most LXW_ROW_MAX rows: a table longer than that goes on in a sheet of the
 * same name with （续2）, （续3）… and the same title and header rows. */
lxw_worksheet *report_table_go_on(lxw_workbook *wb, const formats *f, sheet_names *names,
                                  const char *base, int part, const char *title,
                                  const char *const *heads, const double *widths, int ncols)
{
    char name[64];
    snprintf(name, sizeof name, "%s（续%d）", base, part);
    return report_table_sheet(wb, f, report_sheet_name(names, name), title, heads, widths, ncols);
}
