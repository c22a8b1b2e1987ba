/*
 * report_ledger.c — 整改台账: one row per item on which a subject lost points, and one 待核实 row
 * per item whose evidence is still missing, to follow up; the signature and seal block the
 * seed asks of a report that is handed in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

/* The columns of the seed's 整改工作进度表 (德卫办函〔2018〕119号 附件3: 单位, 重点工作, 具体内容,
 * 完成时限, 工作进度, 备注), with who answers for the problem beside it: 责任人 (the cadre whose
 * form it is) and the 问责主体 the form names. */
static const char *const HEADS[] = {"序号",     "单位",     "责任人",   "重点工作", "具体内容",
                                    "问责主体", "完成时限", "工作进度", "备注"};
static const double WIDTHS[] = {6, 18, 12, 40, 48, 16, 11, 9, 22};
enum { L_NO, L_UNIT, L_PERSON, L_WORK, L_WHAT, L_ACCOUNTABLE, L_DEADLINE, L_PROGRESS, L_NOTE };
#define LEDGER_COLS NCOLS(HEADS, WIDTHS)

/* Where the form names no 问责主体 (the 包抓 and 后评估 forms), the cell says so rather than
 * being left blank like a forgotten entry. */
#define NO_ACCOUNTABLE "（考核表未列）"

/* The seed's report is "经本单位主要负责人签字并加盖单位公章后" handed in (000, 四): the block
 * under the table, with the 审核人 of the print set (issue 16 item 1). */
#define SIGN_NOTE                                                                                                                             \
    "说明：本台账经本单位主要负责人签字并加盖单位公章后报送；“待核实”行为证据不全、尚未评分的" \
    "项目，核实后重新评分。"
#define SIGN_LINE                                                                                                                             \
    "填报单位（公章）：　　　　　　　　　　主要负责人（签字）：　　　　　　　　　　审核人："       \
    "　　　　　　　　　　填报人：　　　　　　　　联系电话：　　　　　　　　填报日期：　　　　年" \
    "　　月　　日"

/* The unit a row belongs to and the person responsible: a cadre's department and the cadre
 * ("卫计·包村干部" → 卫计, 杨卫东（包村干部）); any other subject is its own unit, named with
 * the unit above it (鸡儿嘴村（柴家门镇）), and has no 责任人 of its own. */
static void unit_and_person(const kh_subject_set *set, const kh_subject *subj, strbuf *unit,
                            strbuf *person)
{
    const char *dot = strcmp(set->kind, "cadre") == 0 ? strstr(subj->parent, "·") : NULL;
    if (dot) {
        sb_appendn(unit, subj->parent, (size_t)(dot - subj->parent));
        sb_printf(person, "%s（%s）", subj->name, dot + strlen("·"));
        return;
    }
    if (strcmp(set->kind, "cadre") == 0) {
        sb_append(unit, subj->parent);
        sb_append(person, subj->name);
        return;
    }
    sb_printf(unit, "%s%s%s%s", subj->name, subj->parent[0] ? "（" : "", subj->parent,
              subj->parent[0] ? "）" : "");
}

/* 备注: what was lost and where its evidence is listed, or what a 待核实 row waits for. */
static void row_note(strbuf *note, const scorecard *sc, const kh_score *s)
{
    char buf[32];
    long long nevidence = (long long)s->nevidence;
    if (s->status == ST_PENDING)
        sb_append(note, "待核实：补充证据或现场核查后重新评分");
    else if (sc->mode == MODE_DEDUCTION)
        sb_printf(note, "扣%s分；证据%lld条，见扣分明细",
                  points_format(-s->points, buf, sizeof buf), nevidence);
    else
        sb_printf(note, "%s失%s分；证据%lld条，见扣分明细", s->veto ? "否决项；" : "",
                  points_format(s->max - s->points, buf, sizeof buf), nevidence);
}

/* One ledger row for score s (deducted or pending). */
static void ledger_row(lxw_worksheet *ws, const formats *f, const kh_manifest *m, scorecard **scs,
                       const kh_results *r, const kh_score *s, lxw_row_t row)
{
    const scorecard *sc = scs[s->sc];
    const sc_item *it = &sc->items[s->item];
    const kh_subject_set *set = &r->sets[s->set];
    /* strbufs, not fixed buffers: a long honest text cut mid-character would damage the
     * workbook */
    strbuf unit = {0}, person = {0}, work = {0}, note = {0};
    unit_and_person(set, &set->items[s->subject], &unit, &person);
    sb_printf(&work, "%s 第%s项：%s", sc->short_title, it->no, it->text ? it->text : "");
    row_note(&note, sc, s);
    const char *accountable = it->accountable ? it->accountable : NO_ACCOUNTABLE;
    const char *cells[] = {NULL,          sb_str(&unit), sb_str(&person),
                           sb_str(&work), s->reason,     accountable,
                           NULL,          NULL,          sb_str(&note)};
    worksheet_write_number(ws, row, L_NO, (double)(row - 1), f->center);
    for (int c = L_UNIT; c < LEDGER_COLS; c++)
        if (cells[c])
            report_string(ws, row, (lxw_col_t)c, cells[c], f->wrap);
    report_string(ws, row, L_DEADLINE, m->deadline, f->center);
    report_string(ws, row, L_PROGRESS, s->status == ST_PENDING ? "待核实" : "未整改", f->center);
    /* rows fitted to narrower columns than they are: the printed text keeps clear of the
     * borders, whichever CJK font the printing program falls back to */
    double fit[LEDGER_COLS];
    for (int c = 0; c < LEDGER_COLS; c++)
        fit[c] = WIDTHS[c] - 3;
    report_fit_row(ws, row, cells, fit, LEDGER_COLS);
    sb_free(&unit);
    sb_free(&person);
    sb_free(&work);
    sb_free(&note);
}

/* The note and signature block under the table, after a blank row. */
static void ledger_sign(lxw_worksheet *ws, const formats *f, lxw_row_t row)
{
    const sign_line lines[] = {{SIGN_NOTE, 20, f->f_info}, {SIGN_LINE, 40, NULL}};
    report_sign_block(ws, f, row + 1, (lxw_col_t)(LEDGER_COLS - 1), lines,
                      sizeof lines / sizeof lines[0]);
}

int report_sheet_ledger(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
                        const kh_results *r, kh_error *err)
{
    lxw_worksheet *ws =
        report_table_sheet(wb, f, "整改台账", "健康扶贫问题整改台账", HEADS, WIDTHS, LEDGER_COLS);
    worksheet_set_start_page(ws, 1); /* its own page numbers, not the workbook's */
    lxw_row_t row = 2;
    kh_iter walk;
    for (const kh_score *s = kh_scores_first(&walk, r); s; s = kh_scores_next(&walk)) {
        if (s->status != ST_DEDUCTED && s->status != ST_PENDING)
            continue;
        ledger_row(ws, f, m, scs, r, s, row);
        row++;
    }
    if (row > 2)
        worksheet_autofilter(ws, 1, 0, row - 1, (lxw_col_t)(LEDGER_COLS - 1));
    ledger_sign(ws, f, row);
    return report_walk_done(&walk, err);
}
