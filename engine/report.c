/*
 * report.c — writes the workbook. See report.h.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

typedef struct formats {
    lxw_format *title, *head, *text, *wrap, *num, *num_bad, *center;
} formats;

static void make_formats(lxw_workbook *wb, formats *f)
{
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 16);
    format_set_align(f->title, LXW_ALIGN_CENTER);
    format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);

    f->head = workbook_add_format(wb);
    format_set_bold(f->head);
    format_set_border(f->head, LXW_BORDER_THIN);
    format_set_bg_color(f->head, 0xDDEBF7);
    format_set_align(f->head, LXW_ALIGN_CENTER);
    format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f->head);

    f->text = workbook_add_format(wb);
    format_set_border(f->text, LXW_BORDER_THIN);
    format_set_align(f->text, LXW_ALIGN_VERTICAL_CENTER);

    f->wrap = workbook_add_format(wb);
    format_set_border(f->wrap, LXW_BORDER_THIN);
    format_set_text_wrap(f->wrap);
    format_set_align(f->wrap, LXW_ALIGN_VERTICAL_TOP);

    f->center = workbook_add_format(wb);
    format_set_border(f->center, LXW_BORDER_THIN);
    format_set_align(f->center, LXW_ALIGN_CENTER);
    format_set_align(f->center, LXW_ALIGN_VERTICAL_CENTER);

    f->num = workbook_add_format(wb);
    format_set_border(f->num, LXW_BORDER_THIN);
    format_set_num_format(f->num, "0.00");
    format_set_align(f->num, LXW_ALIGN_VERTICAL_CENTER);

    f->num_bad = workbook_add_format(wb);
    format_set_border(f->num_bad, LXW_BORDER_THIN);
    format_set_num_format(f->num_bad, "0.00");
    format_set_font_color(f->num_bad, 0xC00000);
    format_set_align(f->num_bad, LXW_ALIGN_VERTICAL_CENTER);
}

/* Title row merged across the sheet, header row, frozen panes, A4 landscape, header repeated
 * on every printed page and page numbers in the footer. */
static lxw_worksheet *add_table_sheet(lxw_workbook *wb, const formats *f, const char *name,
                                      const char *title, const char *const *heads,
                                      const double *widths, int ncols)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, 1, 1);
    worksheet_set_footer(ws, "&C第 &P 页，共 &N 页");
    worksheet_set_margins(ws, 0.5, 0.5, 0.6, 0.6);
    for (int c = 0; c < ncols; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    worksheet_set_row(ws, 0, 30, NULL);
    worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(ncols - 1), title, f->title);
    for (int c = 0; c < ncols; c++)
        worksheet_write_string(ws, 1, (lxw_col_t)c, heads[c], f->head);
    worksheet_freeze_panes(ws, 2, 0);
    return ws;
}

/* The column count comes from the arrays themselves, and the two must agree: a header added
 * without its width (or the other way round) fails to compile (a negative array size) instead
 * of reading past the end. */
#define NCOLS(heads, widths)                                                                       \
    ((int)(sizeof(heads) / sizeof(heads)[0] +                                                      \
           0 * sizeof(char[sizeof(heads) / sizeof(heads)[0] == sizeof(widths) / sizeof(widths)[0]  \
                               ? 1                                                                 \
                               : -1])))

static void write_points(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, points_t p, lxw_format *fmt)
{
    worksheet_write_number(ws, r, c, points_to_double(p), fmt);
}

static void sheet_summary(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
                          const kh_results *r)
{
    static const char *const heads[] = {"序号",     "考核表", "对象类别",  "考核对象",
                                        "对象编码", "所属",   "得分/扣分", "等次",
                                        "待核实项", "否决",   "名次"};
    static const double widths[] = {6, 30, 12, 18, 16, 16, 11, 8, 9, 6, 7};
    char title[256];
    snprintf(title, sizeof title, "考核结果汇总（考核期：%s）", m->period);
    lxw_worksheet *ws = add_table_sheet(wb, f, "汇总", title, heads, widths, NCOLS(heads, widths));
    lxw_row_t row = 2;
    for (size_t i = 0; i < r->ntotals; i++) {
        const kh_total *t = &r->totals[i];
        const scorecard *sc = scs[t->sc];
        const kh_subject *s = &r->sets[t->set].items[t->subject];
        worksheet_write_number(ws, row, 0, (double)(i + 1), f->center);
        worksheet_write_string(ws, row, 1, sc->title, f->text);
        char kind[64];
        snprintf(kind, sizeof kind, "%s%s", sc_kind_label(r->sets[t->set].kind),
                 t->rollup ? "（平均）" : "");
        worksheet_write_string(ws, row, 2, kind, f->center);
        worksheet_write_string(ws, row, 3, s->name, f->text);
        worksheet_write_string(ws, row, 4, s->id, f->text);
        worksheet_write_string(ws, row, 5, s->parent, f->text);
        if (t->rollup && !t->members)
            worksheet_write_string(ws, row, 6, "待核实", f->center);
        else
            write_points(ws, row, 6, t->total, t->total < 0 ? f->num_bad : f->num);
        worksheet_write_string(ws, row, 7, t->grade ? t->grade : "", f->center);
        worksheet_write_number(ws, row, 8, t->pending, f->center);
        worksheet_write_string(ws, row, 9, t->vetoed ? "否决" : "", f->center);
        if (t->rank)
            worksheet_write_number(ws, row, 10, t->rank, f->center);
        else
            worksheet_write_string(ws, row, 10, "", f->center);
        row++;
    }
    if (r->ntotals)
        worksheet_autofilter(ws, 1, 0, row - 1, 10);
}

static void sheet_items(lxw_workbook *wb, const formats *f, scorecard **scs, const kh_results *r)
{
    static const char *const heads[] = {"考核表", "对象类别",  "考核对象", "序号",     "考核指标",
                                        "分值",   "得分/扣分", "状态",     "扣分说明", "问责主体"};
    static const double widths[] = {22, 9, 16, 6, 50, 7, 9, 8, 40, 16};
    lxw_worksheet *ws = add_table_sheet(wb, f, "考核明细", "考核明细（每个考核对象、每项指标）",
                                        heads, widths, NCOLS(heads, widths));
    lxw_row_t row = 2;
    for (size_t i = 0; i < r->nscores; i++) {
        const kh_score *s = &r->scores[i];
        const scorecard *sc = scs[s->sc];
        const sc_item *it = &sc->items[s->item];
        const kh_subject *subj = &r->sets[s->set].items[s->subject];
        worksheet_write_string(ws, row, 0, sc->title, f->text);
        worksheet_write_string(ws, row, 1, sc_kind_label(r->sets[s->set].kind), f->center);
        worksheet_write_string(ws, row, 2, subj->name, f->text);
        worksheet_write_string(ws, row, 3, it->no, f->center);
        worksheet_write_string(ws, row, 4, it->text ? it->text : "", f->wrap);
        if (s->max >= 0)
            write_points(ws, row, 5, s->max, f->num);
        else
            worksheet_write_string(ws, row, 5, "", f->text);
        if (s->status == ST_PENDING)
            worksheet_write_string(ws, row, 6, "待核实", f->center);
        else
            write_points(ws, row, 6, s->points, s->status == ST_DEDUCTED ? f->num_bad : f->num);
        worksheet_write_string(ws, row, 7, s->veto ? "否决" : kh_status_label(s->status),
                               f->center);
        worksheet_write_string(ws, row, 8, s->reason, f->wrap);
        worksheet_write_string(ws, row, 9, it->accountable ? it->accountable : "", f->wrap);
        row++;
    }
}

static void sheet_deductions(lxw_workbook *wb, const formats *f, scorecard **scs,
                             const kh_results *r)
{
    static const char *const heads[] = {"序号", "考核表",   "对象类别", "考核对象", "项目序号",
                                        "扣分", "扣分原因", "证据表",   "证据编号"};
    static const double widths[] = {7, 22, 9, 16, 8, 7, 56, 12, 22};
    lxw_worksheet *ws = add_table_sheet(wb, f, "扣分明细", "扣分明细（每一处失分及其证据）", heads,
                                        widths, NCOLS(heads, widths));
    lxw_row_t row = 2;
    for (size_t i = 0; i < r->ndeductions; i++) {
        const kh_deduction *d = &r->deductions[i];
        const scorecard *sc = scs[d->sc];
        worksheet_write_number(ws, row, 0, (double)(i + 1), f->center);
        worksheet_write_string(ws, row, 1, sc->title, f->text);
        worksheet_write_string(ws, row, 2, sc_kind_label(r->sets[d->set].kind), f->center);
        worksheet_write_string(ws, row, 3, r->sets[d->set].items[d->subject].name, f->text);
        worksheet_write_string(ws, row, 4, sc->items[d->item].no, f->center);
        write_points(ws, row, 5, d->points, f->num);
        worksheet_write_string(ws, row, 6, d->reason, f->wrap);
        worksheet_write_string(ws, row, 7, d->table, f->text);
        worksheet_write_string(ws, row, 8, d->key, f->text);
        row++;
    }
    if (r->ndeductions)
        worksheet_autofilter(ws, 1, 0, row - 1, 8);
}

static void kv(lxw_worksheet *ws, const formats *f, lxw_row_t *row, const char *k, const char *v)
{
    worksheet_write_string(ws, *row, 0, k, f->head);
    worksheet_write_string(ws, *row, 1, v ? v : "", f->wrap);
    (*row)++;
}

static void sheet_run(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
                      size_t nsc, const kh_results *r)
{
    static const char *const heads[] = {"项目", "内容"};
    static const double widths[] = {22, 100};
    lxw_worksheet *ws = add_table_sheet(wb, f, "运行信息", "运行信息（复核本次考核所需的全部信息）",
                                        heads, widths, NCOLS(heads, widths));
    lxw_row_t row = 2;
    char buf[128];
    kv(ws, f, &row, "引擎版本", m->engine_version);
    kv(ws, f, &row, "运行时间(UTC)", m->started_at);
    kv(ws, f, &row, "考核期", m->period);
    kv(ws, f, &row, "参数", m->params && *m->params ? m->params : "（均为默认值）");
    kv(ws, f, &row, "命令行", m->command_line);
    kv(ws, f, &row, "证据库", m->evidence_path);
    kv(ws, f, &row, "证据内容哈希(SHA-256)", m->evidence.sha256);
    kv(ws, f, &row, "考核表语言文件", m->language_path);
    kv(ws, f, &row, "考核表语言SHA-256", m->language_sha256);
    for (size_t i = 0; i < nsc; i++) {
        strbuf sb = {0};
        sb_printf(&sb, "%s（%s，%s）\n文件：%s\nSHA-256：%s", scs[i]->title, scs[i]->id,
                  sc_mode_name(scs[i]->mode), scs[i]->path, scs[i]->sha256);
        if (scs[i]->source)
            sb_printf(&sb, "\n依据：%s", scs[i]->source);
        snprintf(buf, sizeof buf, "考核表 %zu", i + 1);
        kv(ws, f, &row, buf, sb_str(&sb));
        sb_free(&sb);
    }
    snprintf(buf, sizeof buf, "%zu 条评分，%zu 条扣分记录", r->nscores, r->ndeductions);
    kv(ws, f, &row, "结果规模", buf);
    for (size_t i = 0; i < m->evidence.count; i++) {
        char key[160], val[160];
        snprintf(key, sizeof key, "证据表 %s", m->evidence.tables[i].table);
        snprintf(val, sizeof val, "%lld 行，SHA-256 %s", (long long)m->evidence.tables[i].rows,
                 m->evidence.tables[i].sha256);
        kv(ws, f, &row, key, val);
    }
}

int report_write(const char *path, const kh_manifest *m, scorecard **scs, size_t nsc,
                 const kh_results *r, kh_error *err)
{
    lxw_workbook_options opts = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opts);
    if (!wb) {
        kh_seterr(err, "%s: cannot create workbook", path);
        return -1;
    }
    char title[256];
    snprintf(title, sizeof title, "考核结果 %s", m->period);
    lxw_doc_properties props = {
        .title = title,
        .author = "kaohe",
        .comments = m->command_line,
        .created = m->started,
    };
    workbook_set_properties(wb, &props);
    formats f;
    make_formats(wb, &f);
    sheet_summary(wb, &f, m, scs, r);
    sheet_items(wb, &f, scs, r);
    sheet_deductions(wb, &f, scs, r);
    sheet_run(wb, &f, m, scs, nsc, r);
    lxw_error rc = workbook_close(wb);
    if (rc != LXW_NO_ERROR) {
        kh_seterr(err, "%s: cannot write workbook: %s", path, lxw_strerror(rc));
        unlink(path);
        return -1;
    }
    return 0;
}
