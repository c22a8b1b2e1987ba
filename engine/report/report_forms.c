/*
 * report_forms.c — one filled-in form per subject, laid out like the printed form in the seed
 * documents: the form's title, the subject and period, 序号 / 考核内容 / 考核指标 / 分值 / 得分 /
 * 扣分说明 / 问责主体 with the section and accountable cells merged across their items as
 * printed, the total and grade at the bottom, and the 填报单位（公章）/ 填报日期 / 审核人 line.
 *
 * Why grouped sheets: a county has ~300 villages and ~120 cadres, and a sheet per subject
 * would be 400 tabs nobody can find their way in. So one sheet holds the villages of one
 * township (or the cadres of one department, or the townships of one county), one form per
 * printed page: a manual page break before every form, and a print scale chosen so that the
 * tallest form of the sheet fits one A4 page (portrait or landscape, whichever needs less
 * shrinking). Each printed page therefore starts with its own title and header rows. Row
 * heights are set from the wrapped text so the scale is computed, not guessed.
 *
 * Section and accountable cells are merged down their items as printed. In a province-size
 * workbook (constant-memory mode, where a row is flushed as soon as a later row is written) a
 * range cannot be merged down; there the same cells are drawn unmerged, text in the first row.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

enum { C_NO, C_SECTION, C_TEXT, C_MAX, C_POINTS, C_REASON, C_ACCOUNTABLE };
static const char *const HEADS[] = {"序号", "考核内容", "考核指标", "分值",
                                    "得分", "扣分说明", "问责主体"};
static const char *const HEADS_DEDUCTION[] = {"序号", "考核内容", "考核指标", "扣分标准",
                                              "扣分", "扣分说明", "问责主体"};
static const double WIDTHS[] = {5, 12, 44, 8, 7, 34, 13};
#define NCOL NCOLS(HEADS, WIDTHS)

#define LINE_PT  13.0 /* one line of 10-point text */
#define TITLE_PT 40.0 /* the form's title (two lines when long) */
#define INFO_PT  18.0
#define HEAD_PT  26.0
#define TOTAL_PT 24.0
#define SIGN_PT  34.0
#define GAP_PT   12.0

struct form_sheet {
    const char *name;
    size_t sc, set;
    char *group; /* the township, department or county the forms belong to */
    size_t *totals;
    size_t n, cap;
    double tallest; /* points, at 100% */
};

/* The scores of one subject: they are sorted by (scorecard, kind, subject, item). */
static size_t first_score(const kh_results *r, size_t sc, size_t set, size_t subject)
{
    size_t lo = 0, hi = r->nscores;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const kh_score *s = &r->scores[mid];
        int less = s->sc != sc ? s->sc < sc : s->set != set ? s->set < set : s->subject < subject;
        if (less)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static char *item_reason(const scorecard *sc, const sc_item *it, const kh_score *s)
{
    strbuf sb = {0};
    if (s->veto)
        sb_printf(&sb, "【否决】");
    if (s->status == ST_NA && !strstr(s->reason, "不适用"))
        sb_append(&sb, "不适用：");
    sb_append(&sb, s->status == ST_OK && sc->mode == MODE_POINTS ? "" : s->reason);
    (void)it;
    return sb_take(&sb);
}

static double item_row_height(const scorecard *sc, const sc_item *it, const kh_score *s,
                              int section_alone, int accountable_alone)
{
    char *reason = item_reason(sc, it, s);
    int lines = report_text_lines(it->text, WIDTHS[C_TEXT]);
    int l = report_text_lines(reason, WIDTHS[C_REASON]);
    lines = l > lines ? l : lines;
    if (section_alone && it->section) {
        l = report_text_lines(it->section, WIDTHS[C_SECTION]);
        lines = l > lines ? l : lines;
    }
    if (accountable_alone && it->accountable) {
        l = report_text_lines(it->accountable, WIDTHS[C_ACCOUNTABLE]);
        lines = l > lines ? l : lines;
    }
    free(reason);
    return lines * LINE_PT + 4;
}

static int same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Rows a run of equal values spans, starting at item i (1 = not merged). */
static size_t span_of(const scorecard *sc, size_t i, int accountable)
{
    size_t j = i + 1;
    while (j < sc->nitems && (accountable ? same(sc->items[j].accountable, sc->items[i].accountable)
                                          : same(sc->items[j].section, sc->items[i].section)))
        j++;
    return j - i;
}

static double form_height(const scorecard *sc, const kh_results *r, const kh_total *t)
{
    double h = TITLE_PT + INFO_PT + HEAD_PT + TOTAL_PT + SIGN_PT;
    size_t first = first_score(r, t->sc, t->set, t->subject);
    for (size_t i = 0; i < sc->nitems; i++)
        h += item_row_height(sc, &sc->items[i], &r->scores[first + i], span_of(sc, i, 0) == 1,
                             span_of(sc, i, 1) == 1);
    return h;
}

/* The items scored for subjects of `kind`, as a scorecard of their own (a shallow copy sharing
 * the items' strings; *items is what to free, NULL when every item is for every kind). A form
 * that assesses several kinds shows each only its own items (an item's `subjects`), and a
 * subject's scores, one per such item, line up with them. */
static scorecard form_view(const scorecard *sc, const char *kind, sc_item **items)
{
    scorecard v = *sc;
    int k = 0, all = 1;
    while (k < sc->nkinds && strcmp(sc->kinds[k], kind) != 0)
        k++;
    for (size_t i = 0; i < sc->nitems && k < sc->nkinds; i++)
        all &= sc_item_for(&sc->items[i], k);
    *items = NULL;
    if (all)
        return v;
    *items = v.items = xcalloc(sc->nitems, sizeof *v.items);
    v.nitems = 0;
    for (size_t i = 0; i < sc->nitems; i++)
        if (sc_item_for(&sc->items[i], k))
            v.items[v.nitems++] = sc->items[i];
    return v;
}

/* The group a subject's form goes in: the township of a village, the department of a cadre
 * ("卫计·包村干部" → 卫计), the county of a township. */
static char *group_of(const kh_subject_set *set, const kh_subject *s)
{
    if (strcmp(set->kind, "cadre") == 0) {
        const char *dot = strstr(s->parent, "·");
        return dot ? strndup(s->parent, (size_t)(dot - s->parent)) : xstrdup(s->parent);
    }
    return xstrdup(s->parent && *s->parent ? s->parent : kh_kind_label(set->kind));
}

void report_plan_forms(form_plan *plan, sheet_names *names, scorecard **scs, const kh_results *r)
{
    memset(plan, 0, sizeof *plan);
    plan->place = xcalloc(r->ntotals ? r->ntotals : 1, sizeof *plan->place);
    size_t cap = 0;
    for (size_t i = 0; i < r->ntotals; i++) {
        const kh_total *t = &r->totals[i];
        if (t->rollup)
            continue;
        const kh_subject_set *set = &r->sets[t->set];
        char *group = group_of(set, &set->items[t->subject]);
        struct form_sheet *fs = NULL;
        for (size_t k = 0; k < plan->nsheets; k++)
            if (plan->sheets[k].sc == t->sc && plan->sheets[k].set == t->set &&
                strcmp(plan->sheets[k].group, group) == 0)
                fs = &plan->sheets[k];
        if (!fs) {
            size_t k = KH_PUSH(plan->sheets, plan->nsheets, cap);
            fs = &plan->sheets[k];
            memset(fs, 0, sizeof *fs);
            fs->sc = t->sc;
            fs->set = t->set;
            fs->group = group;
            group = NULL;
            strbuf wanted = {0};
            sb_printf(&wanted, "%s-%s", scs[t->sc]->short_title, fs->group);
            fs->name = report_sheet_name(names, sb_str(&wanted));
            sb_free(&wanted);
        }
        free(group);
        size_t k = KH_PUSH(fs->totals, fs->n, fs->cap);
        fs->totals[k] = i;
    }
    /* where each form starts: every form is the same number of rows */
    for (size_t k = 0; k < plan->nsheets; k++) {
        struct form_sheet *fs = &plan->sheets[k];
        sc_item *own;
        scorecard view = form_view(scs[fs->sc], r->sets[fs->set].kind, &own);
        size_t rows = view.nitems + 6; /* title, info, head, items, total, sign, gap */
        for (size_t j = 0; j < fs->n; j++) {
            plan->place[fs->totals[j]].sheet = fs->name;
            plan->place[fs->totals[j]].row = (lxw_row_t)(j * rows);
            double h = form_height(&view, r, &r->totals[fs->totals[j]]);
            fs->tallest = h > fs->tallest ? h : fs->tallest;
        }
        free(own);
    }
}

void report_plan_free(form_plan *plan)
{
    for (size_t k = 0; k < plan->nsheets; k++) {
        free(plan->sheets[k].group);
        free(plan->sheets[k].totals);
    }
    free(plan->sheets);
    free(plan->place);
    memset(plan, 0, sizeof *plan);
}

/* A4 in points, less margins (0.4" left/right, 0.5" top/bottom) and room for the footer. */
#define A4_SHORT (595.0 - 57.6)
#define A4_LONG  (842.0 - 72.0 - 24.0)

static void print_setup(lxw_worksheet *ws, const struct form_sheet *fs)
{
    /* Column units → points. Excel draws a unit as 7 pixels (5.25 pt) plus padding;
     * LibreOffice, measured on these forms, about 7 pt. The wider of the two is used, since a
     * form cut in two across the page is the worst outcome. */
    double width = 0;
    for (int c = 0; c < NCOL; c++)
        width += WIDTHS[c] * 7.1 + 4.0;
    double h = fs->tallest;
    double portrait = fmin(A4_SHORT / width, A4_LONG / h);
    double landscape = fmin((A4_LONG + 24.0 - 14.4) / width, (A4_SHORT - 24.0 + 14.4) / h);
    int use_landscape = landscape > portrait;
    double s = fmin(1.0, use_landscape ? landscape : portrait);
    int scale = (int)floor(s * 100.0);
    worksheet_set_paper(ws, 9); /* A4 */
    if (use_landscape)
        worksheet_set_landscape(ws);
    else
        worksheet_set_portrait(ws);
    worksheet_set_print_scale(ws, (uint16_t)(scale < 10 ? 10 : scale));
    worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
    worksheet_center_horizontally(ws);
    worksheet_set_footer(ws, "&L&A&C第 &P 页，共 &N 页");
    for (int c = 0; c < NCOL; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, WIDTHS[c], NULL);
}

/* A form's top: the scorecard's title, who is assessed for which period, the column heads.
 * Returns the row after them. */
static lxw_row_t form_head(lxw_worksheet *ws, const formats *f, const kh_manifest *m,
                           const scorecard *sc, const kh_subject_set *set, const kh_subject *subj,
                           lxw_row_t row)
{
    strbuf info = {0};
    const char *const *heads = sc->mode == MODE_DEDUCTION ? HEADS_DEDUCTION : HEADS;
    worksheet_set_row(ws, row, TITLE_PT, NULL);
    report_merge(ws, row, 0, row, NCOL - 1, sc->title, f->f_title);
    row++;
    sb_printf(&info, "考核对象：%s%s%s%s　（%s %s）　　考核期：%s%s%s", subj->name,
              subj->parent[0] ? "（" : "", subj->parent, subj->parent[0] ? "）" : "",
              kh_kind_label(set->kind), subj->id, m->period, sc->source ? "　　依据：" : "",
              sc->source ? sc->source : "");
    worksheet_set_row(ws, row, INFO_PT, NULL);
    report_merge(ws, row, 0, row, NCOL - 1, sb_str(&info), f->f_info);
    sb_free(&info);
    row++;
    worksheet_set_row(ws, row, HEAD_PT, NULL);
    for (int c = 0; c < NCOL; c++)
        report_string(ws, row, (lxw_col_t)c, heads[c], f->f_head);
    return row + 1;
}

/* One item's row of a form: number, section, text, 分值 (or the unit of deduction), the points,
 * the reason and who is accountable. Section and accountable cells are written in the first
 * row of a run of equal values, blank with borders below it (merged by form_merge_runs). */
static void form_item(lxw_worksheet *ws, const formats *f, const scorecard *sc, size_t i,
                      const kh_score *s, lxw_row_t row)
{
    const sc_item *it = &sc->items[i];
    char buf[64];
    worksheet_set_row(
        ws, row, item_row_height(sc, it, s, span_of(sc, i, 0) == 1, span_of(sc, i, 1) == 1), NULL);
    report_string(ws, row, C_NO, it->no, f->f_center);
    int section_first = i == 0 || !same(sc->items[i - 1].section, it->section);
    report_string(ws, row, C_SECTION, section_first && it->section ? it->section : "", f->f_center);
    report_string(ws, row, C_TEXT, it->text ? it->text : "", f->f_wrap);
    if (it->points >= 0) {
        worksheet_write_number(ws, row, C_MAX, points_to_double(it->points), f->f_center);
    } else {
        strbuf per = {0};
        sb_printf(&per, "%s扣%s分", it->per ? it->per : "",
                  points_format(it->rule.each, buf, sizeof buf));
        report_string(ws, row, C_MAX, sb_str(&per), f->f_center);
        sb_free(&per);
    }
    if (s->status == ST_PENDING)
        report_string(ws, row, C_POINTS, "待核实", f->f_pending);
    else
        worksheet_write_number(ws, row, C_POINTS, points_to_double(s->points),
                               s->veto                    ? f->f_veto
                               : s->status == ST_DEDUCTED ? f->f_lost
                                                          : f->f_points);
    char *reason = item_reason(sc, it, s);
    report_string(ws, row, C_REASON, reason, f->f_wrap);
    free(reason);
    int acc_first = i == 0 || !same(sc->items[i - 1].accountable, it->accountable);
    report_string(ws, row, C_ACCOUNTABLE, acc_first && it->accountable ? it->accountable : "",
                  f->f_center);
}

/* Merges the section (accountable = 0) or accountable (1) cells of each run of equal values
 * down the items, as the printed form does (normal mode only: see the top of the file). */
static void form_merge_runs(lxw_worksheet *ws, const formats *f, const scorecard *sc,
                            lxw_row_t items_top, int accountable)
{
    lxw_col_t col = accountable ? C_ACCOUNTABLE : C_SECTION;
    for (size_t i = 0; i < sc->nitems;) {
        size_t n = span_of(sc, i, accountable);
        const char *text = accountable ? sc->items[i].accountable : sc->items[i].section;
        if (n > 1 && text)
            report_merge(ws, items_top + (lxw_row_t)i, col, items_top + (lxw_row_t)(i + n - 1), col,
                         text, f->f_center);
        i += n;
    }
}

/* Where the grade comes from, after it (grades are declared policy: no seed prints bands, and a
 * 差 can be a ground for 问责): "（等次划分：SOURCE：好≥90分，较好≥80分，…）", or, for a form that
 * declares no bands, that it grades nothing (a veto's grade is explained beside it already). */
static void grade_policy(strbuf *grade, const scorecard *sc, const kh_total *t)
{
    char buf[32];
    if (!sc->ngrades) {
        if (!t->vetoed)
            sb_printf(grade, "%s不定等次（考核表未规定等次分数线）", grade->len ? "；" : "");
        return;
    }
    if (t->vetoed)
        return;
    sb_printf(grade, "（等次划分：%s：", sc->grade_source ? sc->grade_source : "未注明");
    for (size_t g = 0; g < sc->ngrades; g++) {
        if (g + 1 == sc->ngrades && sc->grades[g].min <= 0)
            sb_printf(grade, "其下为%s", sc->grades[g].name);
        else
            sb_printf(grade, "%s≥%s分%s", sc->grades[g].name,
                      points_format(sc->grades[g].min, buf, sizeof buf),
                      g + 1 < sc->ngrades ? "，" : "");
    }
    sb_append(grade, "）");
}

/* A form's foot: 合计 with the grade, rank and what is still 待核实, then the signature line
 * and a gap before the next form. */
static void form_foot(lxw_worksheet *ws, const formats *f, const scorecard *sc, const kh_total *t,
                      points_t max_total, lxw_row_t row)
{
    worksheet_set_row(ws, row, TOTAL_PT, NULL);
    report_merge(ws, row, 0, row, C_TEXT, "合　　计", f->f_total);
    if (sc->mode != MODE_DEDUCTION)
        worksheet_write_number(ws, row, C_MAX, points_to_double(max_total), f->f_total);
    else
        report_string(ws, row, C_MAX, "", f->f_total);
    worksheet_write_number(ws, row, C_POINTS, points_to_double(t->total),
                           t->vetoed ? f->f_veto : f->f_total);
    strbuf grade = {0};
    if (t->grade)
        sb_printf(&grade, "等次：%s", t->grade);
    if (t->vetoed)
        sb_printf(&grade, "（否决项失分，直接定为“%s”等）", sc->veto_grade);
    else if (t->pending)
        sb_printf(&grade, "%s待核实 %d 项，%s", grade.len ? "；" : "", t->pending,
                  sc->ngrades ? "核实后定等次" : "合计为暂计");
    grade_policy(&grade, sc, t);
    if (t->rank)
        sb_printf(&grade, "%s名次：%d", grade.len ? "；" : "", t->rank);
    report_merge(ws, row, C_REASON, row, NCOL - 1, sb_str(&grade), f->f_total);
    sb_free(&grade);
    row++;

    worksheet_set_row(ws, row, SIGN_PT, NULL);
    report_merge(ws, row, 0, row, NCOL - 1,
                 "填报单位（公章）：　　　　　　　　　　　　　填报日期：　　　　年　　月　　日"
                 "　　　　　　审核人：",
                 f->f_sign);
    row++;
    worksheet_set_row(ws, row, GAP_PT, NULL);
    worksheet_write_blank(ws, row, 0, NULL);
}

/* One subject's form at `row`, drawn like the printed one: head, one row per item, foot. */
static void write_form(lxw_worksheet *ws, const formats *f, const kh_manifest *m,
                       const scorecard *sc, const kh_results *r, const kh_total *t, lxw_row_t row,
                       int merge_down)
{
    const kh_subject_set *set = &r->sets[t->set];
    row = form_head(ws, f, m, sc, set, &set->items[t->subject], row);
    size_t first = first_score(r, t->sc, t->set, t->subject);
    lxw_row_t items_top = row;
    points_t max_total = 0;
    for (size_t i = 0; i < sc->nitems; i++, row++) {
        form_item(ws, f, sc, i, &r->scores[first + i], row);
        if (sc->items[i].points >= 0)
            max_total += sc->items[i].points;
    }
    if (merge_down) {
        form_merge_runs(ws, f, sc, items_top, 0);
        form_merge_runs(ws, f, sc, items_top, 1);
    }
    form_foot(ws, f, sc, t, max_total, row);
}

void report_forms(lxw_workbook *wb, const formats *f, const form_plan *plan, const kh_manifest *m,
                  scorecard **scs, const kh_results *r, int merge_down)
{
    for (size_t k = 0; k < plan->nsheets; k++) {
        const struct form_sheet *fs = &plan->sheets[k];
        lxw_worksheet *ws = workbook_add_worksheet(wb, fs->name);
        print_setup(ws, fs);
        /* a page break before every form but the first (Excel allows 1023 per sheet) */
        size_t nbreaks = fs->n > 1 ? fs->n - 1 : 0;
        if (nbreaks > 1000)
            nbreaks = 1000;
        lxw_row_t *breaks = xcalloc(nbreaks + 1, sizeof *breaks);
        for (size_t j = 0; j < nbreaks; j++)
            breaks[j] = plan->place[fs->totals[j + 1]].row;
        worksheet_set_h_pagebreaks(ws, breaks);
        free(breaks);
        sc_item *own;
        scorecard view = form_view(scs[fs->sc], r->sets[fs->set].kind, &own);
        for (size_t j = 0; j < fs->n; j++)
            write_form(ws, f, m, &view, r, &r->totals[fs->totals[j]],
                       plan->place[fs->totals[j]].row, merge_down);
        free(own);
    }
}
