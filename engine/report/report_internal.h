/*
 * report_internal.h — what the workbook's sheet writers share: cell formats, the table-sheet
 * set-up, and unique sheet names. Only the report_*.c files include it (and xlsxwriter.h).
 */
#ifndef KAOHE_REPORT_INTERNAL_H
#define KAOHE_REPORT_INTERNAL_H

#include <xlsxwriter.h>

#include "core/eval.h"
#include "core/manifest.h"

typedef struct formats {
    lxw_format *title, *head, *text, *wrap, *num, *num_bad, *center, *link;
    /* the filled-in forms */
    lxw_format *f_title, *f_info, *f_head, *f_cell, *f_wrap, *f_center, *f_points, *f_lost,
        *f_pending, *f_veto, *f_total, *f_sign;
} formats;

void report_make_formats(lxw_workbook *wb, formats *f);
/* A new cell format naming the workbook's CJK font (宋体): every format a sheet adds for its
 * cells comes from here, so no cell falls back to Calibri. */
lxw_format *report_new_format(lxw_workbook *wb);

/* The column count comes from the arrays themselves, and the two must agree: a header added
 * without its width (or the other way round) fails to compile (a negative array size) instead
 * of reading past the end. */
#define NCOLS(heads, widths)                                                                       \
    ((int)(sizeof(heads) / sizeof(heads)[0] +                                                      \
           0 * sizeof(char[sizeof(heads) / sizeof(heads)[0] == sizeof(widths) / sizeof(widths)[0]  \
                               ? 1                                                                 \
                               : -1])))

/* Title row merged across the sheet, header row, frozen panes, A4 landscape, header repeated
 * on every printed page and page numbers in the footer. */
lxw_worksheet *report_table_sheet(lxw_workbook *wb, const formats *f, const char *name,
                                  const char *title, const char *const *heads, const double *widths,
                                  int ncols);

/* Lines text takes wrapped in a column `width` units wide, at 10 points (generous: a clipped
 * word on a printed page is worse than a little white space). */
int report_text_lines(const char *s, double width);

/* Sets a table row's height to its tallest wrapped cell (texts[i] NULL: a cell that does not
 * wrap), so that the printed rows neither clip nor overlap; rows of one line are left alone. */
void report_fit_row(lxw_worksheet *ws, lxw_row_t row, const char *const *texts,
                    const double *widths, int n);

/* ---- Text in cells (report_text.c) ----
 * Every text a sheet writer puts in a cell goes through these instead of worksheet_write_string,
 * worksheet_merge_range and worksheet_write_url_opt: bytes that are not UTF-8 become U+FFFD
 * (visible as �) and a text past Excel's 32,767 characters is cut after whole characters,
 * ending with REPORT_CUT_MARK. The results database keeps every text whole. */
#define REPORT_CUT_MARK "…（超过单元格容量，以下从略；全文见结果库）"

/* `s` fit for a cell: `s` itself, or a repaired copy in `out` (the caller frees out). */
const char *report_cell_text(strbuf *out, const char *s);
lxw_error report_string(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                        lxw_format *fmt);
lxw_error report_merge(lxw_worksheet *ws, lxw_row_t first_row, lxw_col_t first_col,
                       lxw_row_t last_row, lxw_col_t last_col, const char *s, lxw_format *fmt);
lxw_error report_link(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *url,
                      lxw_format *fmt, const char *s, const char *tip);

void report_write_points(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, points_t p, lxw_format *fmt);

/* Sheet names must be unique (whatever the case of their letters), 1 to 31 characters of valid
 * UTF-8, without []:*?/\ and not beginning or ending with an apostrophe. */
typedef struct sheet_names {
    char **names;
    size_t n, cap;
} sheet_names;

/* Returns a unique legal sheet name made from `wanted` (owned by `names`). */
const char *report_sheet_name(sheet_names *names, const char *wanted);
void report_sheet_names_free(sheet_names *names);

/* The per-subject filled-in forms (report_forms.c). Forms are grouped into sheets — the
 * villages of one township, the cadres of one department, the townships of one county — as
 * many whole forms per printed page as fit (one with `one_per_page`). Planning comes first so
 * that the summary can link to each form. */
typedef struct form_place {
    const char *sheet; /* NULL: no form (a roll-up) */
    lxw_row_t row;     /* the form's title row */
} form_place;

typedef struct form_plan {
    form_place *place; /* indexed like r->totals */
    struct form_sheet *sheets;
    size_t nsheets;
} form_plan;

void report_plan_forms(form_plan *plan, sheet_names *names, scorecard **scs, const kh_results *r,
                       int one_per_page);
void report_forms(lxw_workbook *wb, const formats *f, const form_plan *plan, const kh_manifest *m,
                  scorecard **scs, const kh_results *r, int merge_down);

/* The page a form sheet ends with naming the subjects whose every item is 不适用, who get no
 * form (report_na_list.c): totals[0..n) (indexes into r->totals) grouped by 乡镇 (department,
 * unit), in rows merged across columns 0..last, `width` column units wide, from `row` on.
 * Returns the page's height in points and, when `at` is not NULL, the row each subject is
 * named in (at[i] for totals[i], for 汇总's links); ws NULL only measures it. */
double report_na_list(lxw_worksheet *ws, const formats *f, const kh_results *r, const scorecard *sc,
                      const size_t *totals, size_t n, lxw_col_t last, double width, lxw_row_t row,
                      lxw_row_t *at);

/* Workbooks with more rows than this are written in constant-memory mode (see report.c). */
#define REPORT_CONSTANT_MEMORY_ROWS 300000
void report_plan_free(form_plan *plan);

/* A source that failed part-way (a results database gone bad under us) fails the workbook. */
int report_walk_done(const kh_iter *it, kh_error *err);

/* A sheet holds at most LXW_ROW_MAX rows: a table longer than that goes on in a sheet of the
 * same name with （续2）, （续3）… and the same title and header rows. */
lxw_worksheet *report_table_go_on(lxw_workbook *wb, const formats *f, sheet_names *names,
                                  const char *base, int part, const char *title,
                                  const char *const *heads, const double *widths, int ncols);

/* ---- The sheets, one file each; report.c's report_write calls them in workbook order ---- */
/* 汇总 (report_summary.c) */
void report_sheet_summary(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
                          const kh_results *r, const form_plan *plan);
/* 图表 (report_charts.c) */
void report_sheet_charts(lxw_workbook *wb, const formats *f, scorecard **scs, const kh_results *r);
/* 整改台账 (report_ledger.c) */
int report_sheet_ledger(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
                        const kh_results *r, kh_error *err);
/* 问责名单, when the run made one (report_wenze.c) */
void report_sheet_wenze(lxw_workbook *wb, const formats *f, const kh_results *r);
/* 考核明细, 扣分明细, and the provincial summary's notes in their place (report_data.c) */
void report_sheet_items(lxw_workbook *wb, const formats *f, sheet_names *names, scorecard **scs,
                        const kh_results *r);
int report_sheet_deductions(lxw_workbook *wb, const formats *f, sheet_names *names, scorecard **scs,
                            const kh_results *r, kh_error *err);
void report_sheet_note(lxw_workbook *wb, const formats *f, const char *name, const char *what,
                       size_t count);
/* 运行信息 (report_run.c) */
void report_sheet_run(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
                      size_t nsc, const kh_results *r, int summary);
/* the hidden kaohe_manifest sheets (report_manifest.c) */
int report_sheet_manifest(lxw_workbook *wb, const kh_manifest *m, scorecard **scs, size_t nsc,
                          const kh_results *r, int summary, kh_error *err);

/* The signature block (report_sign.c): lines[0..n), each merged across columns 0..last in a row
 * of its height and format (NULL: f_sign), from `row` on; returns the row after the block. */
typedef struct sign_line {
    const char *text;
    double height; /* points */
    lxw_format *fmt;
} sign_line;
lxw_row_t report_sign_block(lxw_worksheet *ws, const formats *f, lxw_row_t row, lxw_col_t last,
                            const sign_line *lines, size_t n);

/* Where a subject is (report_place.c): a village's 乡镇 and 县, a township's, a county's, an
 * institution's 县, a cadre's 部门 — "" where the kind has none. The strings point into r. */
typedef struct report_place {
    const char *township, *county;
    char department[128];
} report_place;
void report_subject_place(const kh_results *r, size_t set, size_t subject, report_place *p);

#endif
