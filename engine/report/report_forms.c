/*
 * report_forms.c — one filled-in form per subject, laid out like the printed form in the seed
 * documents: the form's title, the subject and period (and a cadre's 包抓村), the columns the
 * printed form has (序号 / 考核内容 / 考核指标 / 考核评价 / 分值 / 得分 / 问责主体, see
 * form_columns) and 扣分说明, with the section and accountable cells merged across their items
 * as printed, the total and grade at the bottom, and the 填报单位（公章）/ 填报日期 / 审核人 line.
 *
 * Why grouped sheets: a county has ~300 villages and ~120 cadres, and a sheet per subject
 * would be 400 tabs nobody can find their way in. So one sheet holds the villages of one
 * township (or the cadres of one department, or the townships of one county). A print scale is
 * chosen so that the tallest form of the sheet fits one A4 page, and as many whole forms as fit
 * at that scale go on a page, in the orientation that prints the sheet on fewer pages
 * (plan_pages): manual page breaks between forms, never inside one, so each printed page
 * starts with a form's title and header rows. Many forms are a third of a page (村卫生室设置,
 * 签约服务), and one per page printed the demo county's 1,785 pages; an office that files one
 * form per subject asks for that (run --one-form-per-page). Row heights are set from the
 * wrapped text, and a row set to a height prints at that height whatever the font, so the
 * packing is computed, not guessed. A form carries its number within the sheet ("第 3 份")
 * in its info line, the footer the sheet's page number.
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

/* The columns a form can have, in the printed order. Which of them a form has follows from its
 * items (form_columns): 考核内容 when they have sections, 考核评价 when they carry the printed
 * rule (包抓's "如“是”得0分，如“否”得5分", item `note`), 分值 unless 考核评价 states the points
 * instead (the 包抓 form prints no 分值 column), 问责主体 when they name one. 扣分说明 is the one
 * column no seed form prints: it says why points were lost. */
enum { C_NO, C_SECTION, C_TEXT, C_NOTE, C_MAX, C_POINTS, C_REASON, C_ACCOUNTABLE, C_ROLES };
static const char *const HEADS[C_ROLES] = {"序号", "考核内容", "考核指标", "考核评价",
                                           "分值", "得分",     "扣分说明", "问责主体"};
static const char *const HEADS_DEDUCTION[C_ROLES] = {
    "序号", "考核内容", "考核指标", "考核评价", "扣分标准", "扣分", "扣分说明", "问责主体"};
static const double WIDTHS[C_ROLES] = {5, 12, 44, 22, 8, 7, 34, 13};
#define FULL_WIDTH 123.0 /* the 五督 form's seven columns; a form with fewer widens its texts */

typedef struct form_cols {
    int n;
    int at[C_ROLES]; /* the column of each role, -1 when the form has none */
    const char *heads[C_ROLES];
    double widths[C_ROLES]; /* by column */
} form_cols;

#define LINE_PT  14.0 /* one line of 10-point 宋体 (LibreOffice's fallback fonts run taller) */
#define PAD_PT   8.0  /* above and below the text of an item row, so it never meets a border */
#define INDENT_U 1.5  /* column units the cells' indent takes from their text */
#define TITLE_PT 40.0 /* the form's title (two lines when long) */
#define INFO_PT  18.0
#define HEAD_PT  26.0
#define TOTAL_PT 24.0
#define SIGN_PT  34.0
#define GAP_PT   12.0

/* A4 in points, less margins (0.4" left/right, 0.5" top/bottom) and room for the footer. */
#define A4_SHORT (595.0 - 57.6)
#define A4_LONG  (842.0 - 72.0 - 24.0)

struct form_sheet {
    const char *name;
    size_t sc, set;
    char *group;    /* the township, department or county the forms belong to */
    size_t *totals; /* the subjects that get a form */
    size_t n, cap;
    size_t *na; /* the subjects whose every item is 不适用: listed on the last page instead */
    size_t nna, cap_na;
    lxw_row_t na_top; /* the list's title row */
    double tallest;   /* points, at 100%: the tallest form or the list's page */
    double form_h;    /* the tallest form with the gap after it, points at 100% */
    int landscape;    /* the print set-up plan_pages chose; print_setup writes it */
    int scale;        /* percent */
    size_t per_page;  /* whole forms a printed page holds */
    form_cols cols;
    int details; /* the subjects have a line under the title (a cadre's 包抓村) */
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

/* The 考核评价 an item's row prints: its own, or its section's. */
static const char *item_note(const sc_item *it)
{
    return it->note ? it->note : it->section_note;
}

/* Lines `text` wraps to in column role `role`, less the cells' indent. */
static int col_lines(const form_cols *c, int role, const char *text)
{
    return report_text_lines(text, c->widths[c->at[role]] - INDENT_U);
}

static double item_row_height(const form_cols *c, const scorecard *sc, const sc_item *it,
                              const kh_score *s, int section_alone, int accountable_alone)
{
    char *reason = item_reason(sc, it, s);
    int lines = col_lines(c, C_TEXT, it->text);
    int l = col_lines(c, C_REASON, reason);
    lines = l > lines ? l : lines;
    if (c->at[C_NOTE] >= 0 && item_note(it)) {
        l = col_lines(c, C_NOTE, item_note(it));
        lines = l > lines ? l : lines;
    }
    if (c->at[C_MAX] >= 0 && it->points < 0 && it->per) /* "每发现1人次扣0.2分" */
        lines = lines > 2 ? lines : 2;
    if (c->at[C_SECTION] >= 0 && section_alone && it->section) {
        l = col_lines(c, C_SECTION, it->section);
        lines = l > lines ? l : lines;
    }
    if (c->at[C_ACCOUNTABLE] >= 0 && accountable_alone && it->accountable) {
        l = col_lines(c, C_ACCOUNTABLE, it->accountable);
        lines = l > lines ? l : lines;
    }
    free(reason);
    return lines * LINE_PT + PAD_PT;
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

/* The line under the title naming what the subject answers for (a cadre's 包抓村), or NULL. */
static const char *subject_detail(const kh_subject_set *set, size_t subject)
{
    return set->details ? set->details[subject] : NULL;
}

/* The width of a form in column units. */
static double form_width(const form_cols *c)
{
    double width = 0;
    for (int k = 0; k < c->n; k++)
        width += c->widths[k];
    return width;
}

static double detail_height(const form_cols *c, const char *detail)
{
    return report_text_lines(detail, form_width(c) - INDENT_U) * LINE_PT + 6.0;
}

/* The line under a form's title: who is assessed, for which period, the form's number within
 * its sheet (`no`, from 1: a page holds several forms, and a form cut from it or filed alone is
 * still found by it), on what document. */
static void form_info(strbuf *sb, const char *period, const scorecard *sc,
                      const kh_subject_set *set, size_t subject, size_t no)
{
    const kh_subject *subj = &set->items[subject];
    sb_printf(sb, "考核对象：%s%s%s%s　（%s %s）　　考核期：%s　　第 %zu 份%s%s", subj->name,
              subj->parent[0] ? "（" : "", subj->parent, subj->parent[0] ? "）" : "",
              kh_kind_label(set->kind), subj->id, period, no, sc->source ? "　　依据：" : "",
              sc->source ? sc->source : "");
}

/* Its row's height: one line as before; a long 依据 (the new 核查表 name several clauses)
 * wraps, and the row grows so that it neither clips nor runs into the title. */
static double info_height(const form_cols *c, const char *info)
{
    int lines = report_text_lines(info, form_width(c) - INDENT_U);
    return lines <= 1 ? INFO_PT : lines * LINE_PT + 6.0;
}

static double form_height(const form_cols *c, const scorecard *sc, const kh_results *r,
                          const kh_total *t, size_t no)
{
    strbuf info = {0};
    form_info(&info, r->period, sc, &r->sets[t->set], t->subject, no);
    double h = TITLE_PT + info_height(c, sb_str(&info)) + HEAD_PT + TOTAL_PT + SIGN_PT;
    sb_free(&info);
    size_t first = first_score(r, t->sc, t->set, t->subject);
    const char *detail = subject_detail(&r->sets[t->set], t->subject);
    if (r->sets[t->set].details)
        h += detail_height(c, detail ? detail : "");
    for (size_t i = 0; i < sc->nitems; i++)
        h += item_row_height(c, sc, &sc->items[i], &r->scores[first + i], span_of(sc, i, 0) == 1,
                             span_of(sc, i, 1) == 1);
    return h;
}

/* Every item of the subject's form is 不适用: it gets no form, only a line on the sheet's
 * last page (report_na_list.c). */
static int all_na(const scorecard *sc, const kh_results *r, const kh_total *t)
{
    size_t first = first_score(r, t->sc, t->set, t->subject);
    for (size_t i = 0; i < sc->nitems; i++)
        if (r->scores[first + i].status != ST_NA)
            return 0;
    return sc->nitems > 0;
}

/* Moves the all-不适用 subjects of a sheet from its forms to its list, keeping their order. */
static void split_na(struct form_sheet *fs, const scorecard *view, const kh_results *r)
{
    size_t kept = 0;
    for (size_t j = 0; j < fs->n; j++) {
        if (all_na(view, r, &r->totals[fs->totals[j]])) {
            size_t k = KH_PUSH(fs->na, fs->nna, fs->cap_na);
            fs->na[k] = fs->totals[j];
        } else {
            fs->totals[kept++] = fs->totals[j];
        }
    }
    fs->n = kept;
}

/* The columns of the form `sc` (its view for one kind), as the printed form has them: see
 * the top of the file. The width a dropped column leaves goes to 考核指标 and 扣分说明. */
static void form_columns(const scorecard *sc, form_cols *c)
{
    int has[C_ROLES] = {[C_NO] = 1, [C_TEXT] = 1, [C_POINTS] = 1, [C_REASON] = 1};
    for (size_t i = 0; i < sc->nitems; i++) {
        has[C_SECTION] |= sc->items[i].section != NULL;
        has[C_NOTE] |= item_note(&sc->items[i]) != NULL;
        has[C_ACCOUNTABLE] |= sc->items[i].accountable != NULL;
    }
    has[C_MAX] = sc->mode == MODE_DEDUCTION || !has[C_NOTE];
    const char *const *heads = sc->mode == MODE_DEDUCTION ? HEADS_DEDUCTION : HEADS;
    double used = 0;
    c->n = 0;
    for (int role = 0; role < C_ROLES; role++) {
        c->at[role] = has[role] ? c->n : -1;
        if (!has[role])
            continue;
        c->heads[c->n] = heads[role];
        c->widths[c->n] = WIDTHS[role];
        used += WIDTHS[role];
        c->n++;
    }
    if (c->at[C_MAX] >= 0 && sc->mode == MODE_DEDUCTION)
        c->widths[c->at[C_MAX]] = 12; /* "每发现1人次扣0.2分" in two lines */
    double spare = FULL_WIDTH - used - (sc->mode == MODE_DEDUCTION ? 4 : 0);
    if (spare > 0) {
        c->widths[c->at[C_TEXT]] += floor(spare / 2);
        c->widths[c->at[C_REASON]] += spare - floor(spare / 2);
    }
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

/* The sheet name of a group of forms, named for the level it holds: the villages of a township
 * ("五督-柴家门镇") and the cadres of a department ("包抓-卫计") by their group; a sheet of a
 * level above the village by its one subject ("后评估-会宁县": the county's own form) or by
 * the group and the level ("后评估-会宁县各乡镇"), so that no sheet bears the name of a unit
 * whose form it does not hold. */
static void name_sheet(struct form_sheet *fs, sheet_names *names, const scorecard *sc,
                       const kh_results *r)
{
    const kh_subject_set *set = &r->sets[fs->set];
    strbuf wanted = {0};
    if (strcmp(set->kind, "village") == 0 || strcmp(set->kind, "cadre") == 0)
        sb_printf(&wanted, "%s-%s", sc->short_title, fs->group);
    else if (fs->n == 1)
        sb_printf(&wanted, "%s-%s", sc->short_title,
                  set->items[r->totals[fs->totals[0]].subject].name);
    else
        sb_printf(&wanted, "%s-%s各%s", sc->short_title, fs->group, kh_kind_label(set->kind));
    fs->name = report_sheet_name(names, sb_str(&wanted));
    sb_free(&wanted);
}

/* A sheet's print set-up, worked out once here so that the page breaks (report_forms) and the
 * scale (print_setup) agree. For each orientation: the scale at which the tallest form (or the
 * list page) fits one A4 page, and how many whole forms a page holds at that scale. Column
 * units → points: Excel draws a unit as 7 pixels (5.25 pt) plus padding, LibreOffice,
 * measured on these forms, about 7 pt; the wider is used. Row heights are fixed (set in
 * points), but the scale is rounded down to a whole percent and printers differ in their
 * margins, so a page is filled to PACK_FILL of its height only: a form cut in two across pages
 * is the worst outcome, a page an inch short of full costs nothing. */
#define PACK_FILL 0.94
typedef struct page_fit {
    int scale; /* percent */
    size_t per_page;
} page_fit;

static page_fit fit_page(const struct form_sheet *fs, double width, double page_w, double page_h)
{
    double h = fs->tallest > 0 ? fs->tallest : 1.0;
    int scale = (int)floor(fmin(1.0, fmin(page_w / width, page_h / h)) * 100.0);
    page_fit p = {scale < 10 ? 10 : scale, 1};
    double fit = floor(page_h * 100.0 / p.scale * PACK_FILL / fs->form_h);
    p.per_page = fit > 1.0 ? (size_t)fit : 1;
    return p;
}

/* The orientation: one form a page (--one-form-per-page), the one that shrinks less; packed,
 * the one that prints the sheet on fewer pages (the same number: the one that shrinks less),
 * unless that means printing below MIN_PACK_SCALE (the tallest forms, 五督's, print at about
 * half size already; smaller is not read). A wide, short form fits one a page in landscape at
 * 83% and three in portrait at 59%. */
#define MIN_PACK_SCALE 50
static void plan_pages(struct form_sheet *fs, int one_per_page)
{
    double width = 0;
    for (int k = 0; k < fs->cols.n; k++)
        width += fs->cols.widths[k] * 7.1 + 4.0;
    page_fit portrait = fit_page(fs, width, A4_SHORT, A4_LONG);
    page_fit landscape = fit_page(fs, width, A4_LONG + 24.0 - 14.4, A4_SHORT - 24.0 + 14.4);
    size_t pages_p = (fs->n + portrait.per_page - 1) / portrait.per_page;
    size_t pages_l = (fs->n + landscape.per_page - 1) / landscape.per_page;
    const page_fit *fewer = pages_l < pages_p ? &landscape : &portrait;
    if (!one_per_page && pages_l != pages_p && fewer->scale >= MIN_PACK_SCALE)
        fs->landscape = fewer == &landscape;
    else
        fs->landscape = landscape.scale > portrait.scale;
    const page_fit *chosen = fs->landscape ? &landscape : &portrait;
    fs->scale = chosen->scale;
    fs->per_page = one_per_page ? 1 : chosen->per_page;
}

void report_plan_forms(form_plan *plan, sheet_names *names, scorecard **scs, const kh_results *r,
                       int one_per_page)
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
        }
        free(group);
        size_t k = KH_PUSH(fs->totals, fs->n, fs->cap);
        fs->totals[k] = i;
    }
    /* names once each sheet's subjects are known; where each form starts: every form of a
     * sheet is the same number of rows */
    for (size_t k = 0; k < plan->nsheets; k++) {
        struct form_sheet *fs = &plan->sheets[k];
        name_sheet(fs, names, scs[fs->sc], r);
        sc_item *own;
        scorecard view = form_view(scs[fs->sc], r->sets[fs->set].kind, &own);
        form_columns(&view, &fs->cols);
        fs->details = r->sets[fs->set].details != NULL;
        split_na(fs, &view, r);
        /* title, info, (包抓村), head, items, total, sign, gap */
        size_t rows = view.nitems + 6 + (size_t)fs->details;
        for (size_t j = 0; j < fs->n; j++) {
            plan->place[fs->totals[j]].sheet = fs->name;
            plan->place[fs->totals[j]].row = (lxw_row_t)(j * rows);
            double h = form_height(&fs->cols, &view, r, &r->totals[fs->totals[j]], j + 1);
            fs->tallest = h > fs->tallest ? h : fs->tallest;
        }
        fs->form_h = fs->tallest + GAP_PT;
        /* 汇总 links the listed subjects to the list; the list counts towards the scale (one
         * page), but no more than a landscape page's height at 100%: a longer list goes on
         * over further pages rather than shrinking every form of the sheet */
        fs->na_top = (lxw_row_t)(fs->n * rows);
        if (fs->nna) {
            lxw_row_t *at = xcalloc(fs->nna, sizeof *at);
            double h =
                report_na_list(NULL, NULL, r, &view, fs->na, fs->nna, (lxw_col_t)(fs->cols.n - 1),
                               form_width(&fs->cols), fs->na_top, at);
            for (size_t j = 0; j < fs->nna; j++) {
                plan->place[fs->na[j]].sheet = fs->name;
                plan->place[fs->na[j]].row = at[j];
            }
            free(at);
            h = fmin(h, A4_SHORT - 9.6);
            fs->tallest = h > fs->tallest ? h : fs->tallest;
        }
        plan_pages(fs, one_per_page);
        free(own);
    }
}

void report_plan_free(form_plan *plan)
{
    for (size_t k = 0; k < plan->nsheets; k++) {
        free(plan->sheets[k].group);
        free(plan->sheets[k].totals);
        free(plan->sheets[k].na);
    }
    free(plan->sheets);
    free(plan->place);
    memset(plan, 0, sizeof *plan);
}

/* The set-up plan_pages chose, the columns' widths and the footer. */
static void print_setup(lxw_worksheet *ws, const struct form_sheet *fs)
{
    const form_cols *c = &fs->cols;
    worksheet_set_paper(ws, 9); /* A4 */
    if (fs->landscape)
        worksheet_set_landscape(ws);
    else
        worksheet_set_portrait(ws);
    worksheet_set_print_scale(ws, (uint16_t)fs->scale);
    worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
    worksheet_center_horizontally(ws);
    /* The sheet's own page number, restarted at 1 (a page holds several forms, each numbered
     * "第 N 份" in its info line). No "共 &N 页": printing the whole workbook, LibreOffice
     * counts &N over every sheet. */
    worksheet_set_start_page(ws, 1);
    worksheet_set_footer(ws, "&L&A&C第 &P 页");
    for (int k = 0; k < c->n; k++)
        worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, c->widths[k], NULL);
}

/* A form's top: the scorecard's title, who is assessed for which period, what the subject
 * answers for (a cadre's 包抓村), the column heads. Returns the row after them. */
static lxw_row_t form_head(lxw_worksheet *ws, const formats *f, const kh_manifest *m,
                           const struct form_sheet *fs, const scorecard *sc,
                           const kh_subject_set *set, size_t subject, size_t no, lxw_row_t row)
{
    const form_cols *c = &fs->cols;
    lxw_col_t last = (lxw_col_t)(c->n - 1);
    strbuf info = {0};
    worksheet_set_row(ws, row, TITLE_PT, NULL);
    report_merge(ws, row, 0, row, last, sc->title, f->f_title);
    row++;
    form_info(&info, m->period, sc, set, subject, no);
    worksheet_set_row(ws, row, info_height(c, sb_str(&info)), NULL);
    report_merge(ws, row, 0, row, last, sb_str(&info), f->f_info);
    sb_free(&info);
    row++;
    if (fs->details) {
        const char *detail = subject_detail(set, subject);
        worksheet_set_row(ws, row, detail_height(c, detail ? detail : ""), NULL);
        report_merge(ws, row, 0, row, last, detail ? detail : "", f->f_info);
        row++;
    }
    worksheet_set_row(ws, row, HEAD_PT, NULL);
    for (int k = 0; k < c->n; k++)
        report_string(ws, row, (lxw_col_t)k, c->heads[k], f->f_head);
    return row + 1;
}

/* The 分值 cell: the item's points, or in deduction mode the unit of deduction. */
static void form_max(lxw_worksheet *ws, const formats *f, const sc_item *it, lxw_row_t row,
                     lxw_col_t col)
{
    char buf[64];
    if (it->points >= 0) {
        worksheet_write_number(ws, row, col, points_to_double(it->points), f->f_center);
        return;
    }
    strbuf per = {0};
    sb_printf(&per, "%s\n扣%s分", it->per ? it->per : "",
              points_format(it->rule.each, buf, sizeof buf));
    report_string(ws, row, col, sb_str(&per), f->f_center);
    sb_free(&per);
}

/* One item's row of a form: number, section, text, 考核评价, 分值 (or the unit of deduction),
 * the points, the reason and who is accountable, each where the form has the column. Section
 * and accountable cells are written in the first row of a run of equal values, blank with
 * borders below it (merged by form_merge_runs). */
static void form_item(lxw_worksheet *ws, const formats *f, const form_cols *c, const scorecard *sc,
                      size_t i, const kh_score *s, lxw_row_t row)
{
    const sc_item *it = &sc->items[i];
    worksheet_set_row(ws, row,
                      item_row_height(c, sc, it, s, span_of(sc, i, 0) == 1, span_of(sc, i, 1) == 1),
                      NULL);
    report_string(ws, row, (lxw_col_t)c->at[C_NO], it->no, f->f_center);
    if (c->at[C_SECTION] >= 0) {
        int first = i == 0 || !same(sc->items[i - 1].section, it->section);
        report_string(ws, row, (lxw_col_t)c->at[C_SECTION], first && it->section ? it->section : "",
                      f->f_center);
    }
    report_string(ws, row, (lxw_col_t)c->at[C_TEXT], it->text ? it->text : "", f->f_wrap);
    if (c->at[C_NOTE] >= 0)
        report_string(ws, row, (lxw_col_t)c->at[C_NOTE], item_note(it) ? item_note(it) : "",
                      f->f_wrap);
    if (c->at[C_MAX] >= 0)
        form_max(ws, f, it, row, (lxw_col_t)c->at[C_MAX]);
    lxw_col_t pc = (lxw_col_t)c->at[C_POINTS];
    if (s->status == ST_PENDING)
        report_string(ws, row, pc, "待核实", f->f_pending);
    else
        worksheet_write_number(ws, row, pc, points_to_double(s->points),
                               s->veto                    ? f->f_veto
                               : s->status == ST_DEDUCTED ? f->f_lost
                                                          : f->f_points);
    char *reason = item_reason(sc, it, s);
    report_string(ws, row, (lxw_col_t)c->at[C_REASON], reason, f->f_wrap);
    free(reason);
    if (c->at[C_ACCOUNTABLE] >= 0) {
        int first = i == 0 || !same(sc->items[i - 1].accountable, it->accountable);
        report_string(ws, row, (lxw_col_t)c->at[C_ACCOUNTABLE],
                      first && it->accountable ? it->accountable : "", f->f_center);
    }
}

/* Merges the section (accountable = 0) or accountable (1) cells of each run of equal values
 * down the items, as the printed form does (normal mode only: see the top of the file). */
static void form_merge_runs(lxw_worksheet *ws, const formats *f, const form_cols *c,
                            const scorecard *sc, lxw_row_t items_top, int accountable)
{
    int col = c->at[accountable ? C_ACCOUNTABLE : C_SECTION];
    for (size_t i = 0; col >= 0 && i < sc->nitems;) {
        size_t n = span_of(sc, i, accountable);
        const char *text = accountable ? sc->items[i].accountable : sc->items[i].section;
        if (n > 1 && text)
            report_merge(ws, items_top + (lxw_row_t)i, (lxw_col_t)col,
                         items_top + (lxw_row_t)(i + n - 1), (lxw_col_t)col, text, f->f_center);
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

/* 合计 with the form's full marks: in the 分值 column, or in the label when the form has none
 * (the 包抓 form states the points in 考核评价). Returns the column the total goes in. */
static lxw_col_t form_total_label(lxw_worksheet *ws, const formats *f, const form_cols *c,
                                  const scorecard *sc, points_t max_total, lxw_row_t row)
{
    char buf[32];
    lxw_col_t pc = (lxw_col_t)c->at[C_POINTS];
    if (c->at[C_MAX] < 0) {
        strbuf label = {0};
        sb_printf(&label, "合　　计（满分%s分）", points_format(max_total, buf, sizeof buf));
        report_merge(ws, row, 0, row, pc - 1, sb_str(&label), f->f_total);
        sb_free(&label);
        return pc;
    }
    lxw_col_t mc = (lxw_col_t)c->at[C_MAX];
    report_merge(ws, row, 0, row, mc - 1, "合　　计", f->f_total); /* 序号 and 考核指标 at least */
    if (sc->mode != MODE_DEDUCTION)
        worksheet_write_number(ws, row, mc, points_to_double(max_total), f->f_total);
    else
        report_string(ws, row, mc, "", f->f_total);
    return pc;
}

/* A form's foot: 合计 with the grade, rank (among more than one subject) and what is still
 * 待核实, then the signature line and a gap before the next form. */
static void form_foot(lxw_worksheet *ws, const formats *f, const form_cols *c, const scorecard *sc,
                      const kh_total *t, size_t ranked, points_t max_total, lxw_row_t row)
{
    worksheet_set_row(ws, row, TOTAL_PT, NULL);
    lxw_col_t pc = form_total_label(ws, f, c, sc, max_total, row);
    worksheet_write_number(ws, row, pc, points_to_double(t->total),
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
    if (t->rank && ranked > 1) /* a rank among one is no rank */
        sb_printf(&grade, "%s名次：%d", grade.len ? "；" : "", t->rank);
    /* libxlsxwriter refuses to merge a single cell: the 包抓 and 后评估 forms have one left */
    if (pc + 1 < (lxw_col_t)(c->n - 1))
        report_merge(ws, row, pc + 1, row, (lxw_col_t)(c->n - 1), sb_str(&grade), f->f_total);
    else
        report_string(ws, row, pc + 1, sb_str(&grade), f->f_total);
    sb_free(&grade);
    row++;

    static const sign_line SIGN[] = {
        {"填报单位（公章）：　　　　　　　　　　　　　填报日期：　　　　年　　月　　日"
         "　　　　　　审核人：",
         SIGN_PT, NULL}};
    row = report_sign_block(ws, f, row, (lxw_col_t)(c->n - 1), SIGN, 1);
    worksheet_set_row(ws, row, GAP_PT, NULL);
    worksheet_write_blank(ws, row, 0, NULL);
}

/* One subject's form at `row`, the sheet's no-th, drawn like the printed one: head, one row
 * per item, foot. */
static void write_form(lxw_worksheet *ws, const formats *f, const kh_manifest *m,
                       const struct form_sheet *fs, const scorecard *sc, const kh_results *r,
                       const kh_total *t, size_t no, lxw_row_t row, int merge_down)
{
    const kh_subject_set *set = &r->sets[t->set];
    row = form_head(ws, f, m, fs, sc, set, t->subject, no, row);
    size_t first = first_score(r, t->sc, t->set, t->subject);
    lxw_row_t items_top = row;
    points_t max_total = 0;
    for (size_t i = 0; i < sc->nitems; i++, row++) {
        form_item(ws, f, &fs->cols, sc, i, &r->scores[first + i], row);
        if (sc->items[i].points >= 0)
            max_total += sc->items[i].points;
    }
    if (merge_down) {
        form_merge_runs(ws, f, &fs->cols, sc, items_top, 0);
        form_merge_runs(ws, f, &fs->cols, sc, items_top, 1);
    }
    form_foot(ws, f, &fs->cols, sc, t, set->count, max_total, row);
}

/* A page break before every per_page-th form but the first, and before the list of all-不适用
 * subjects, which prints on a page of its own (Excel allows 1023 breaks a sheet). */
static void set_breaks(lxw_worksheet *ws, const form_plan *plan, const struct form_sheet *fs)
{
    size_t pages = (fs->n + fs->per_page - 1) / fs->per_page + (fs->nna > 0);
    size_t nbreaks = pages > 1 ? pages - 1 : 0;
    if (nbreaks > 1000)
        nbreaks = 1000;
    lxw_row_t *breaks = xcalloc(nbreaks + 1, sizeof *breaks);
    for (size_t j = 0; j < nbreaks; j++) {
        size_t form = (j + 1) * fs->per_page;
        breaks[j] = form < fs->n ? plan->place[fs->totals[form]].row : fs->na_top;
    }
    worksheet_set_h_pagebreaks(ws, breaks);
    free(breaks);
}

void report_forms(lxw_workbook *wb, const formats *f, const form_plan *plan, const kh_manifest *m,
                  scorecard **scs, const kh_results *r, int merge_down)
{
    for (size_t k = 0; k < plan->nsheets; k++) {
        const struct form_sheet *fs = &plan->sheets[k];
        lxw_worksheet *ws = workbook_add_worksheet(wb, fs->name);
        print_setup(ws, fs);
        set_breaks(ws, plan, fs);
        sc_item *own;
        scorecard view = form_view(scs[fs->sc], r->sets[fs->set].kind, &own);
        for (size_t j = 0; j < fs->n; j++)
            write_form(ws, f, m, fs, &view, r, &r->totals[fs->totals[j]], j + 1,
                       plan->place[fs->totals[j]].row, merge_down);
        if (fs->nna)
            report_na_list(ws, f, r, &view, fs->na, fs->nna, (lxw_col_t)(fs->cols.n - 1),
                           form_width(&fs->cols), fs->na_top, NULL);
        free(own);
    }
}
