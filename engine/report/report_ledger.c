/*
 * report_ledger.c — 整改台账: one row per item on which a subject lost points.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

/* 整改台账 in the columns of the seed's 整改工作进度表 (德卫办函〔2018〕119号 附件3: 单位,
 * 重点工作, 具体内容, 完成时限, 工作进度, 备注), with the accountable party beside the problem: one
 * row per item on which a subject lost points. */
int report_sheet_ledger(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
                        const kh_results *r, kh_error *err)
{
    static const char *const heads[] = {"序号",     "单位",     "重点工作", "具体内容",
                                        "问责主体", "完成时限", "工作进度", "备注"};
    static const double widths[] = {6, 18, 40, 48, 16, 11, 9, 22};
    lxw_worksheet *ws = report_table_sheet(wb, f, "整改台账", "健康扶贫问题整改台账", heads, widths,
                                           NCOLS(heads, widths));
    lxw_row_t row = 2;
    kh_iter walk;
    for (const kh_score *s = kh_scores_first(&walk, r); s; s = kh_scores_next(&walk)) {
        long long nevidence = (long long)s->nevidence;
        if (s->status != ST_DEDUCTED)
            continue;
        const scorecard *sc = scs[s->sc];
        const sc_item *it = &sc->items[s->item];
        const kh_subject *subj = &r->sets[s->set].items[s->subject];
        /* strbufs, not fixed buffers: a long honest text cut mid-character would damage the
         * workbook */
        strbuf unit_sb = {0}, work_sb = {0};
        char note[256], buf[32];
        sb_printf(&unit_sb, "%s%s%s%s", subj->name, subj->parent[0] ? "（" : "", subj->parent,
                  subj->parent[0] ? "）" : "");
        sb_printf(&work_sb, "%s 第%s项：%s", sc->short_title, it->no, it->text ? it->text : "");
        const char *unit = sb_str(&unit_sb), *work = sb_str(&work_sb);
        if (sc->mode == MODE_DEDUCTION)
            snprintf(note, sizeof note, "扣%s分；证据%lld条，见扣分明细",
                     points_format(-s->points, buf, sizeof buf), nevidence);
        else
            snprintf(note, sizeof note, "%s失%s分；证据%lld条，见扣分明细",
                     s->veto ? "否决项；" : "", points_format(s->max - s->points, buf, sizeof buf),
                     nevidence);
        worksheet_write_number(ws, row, 0, (double)(row - 1), f->center);
        report_string(ws, row, 1, unit, f->wrap);
        report_string(ws, row, 2, work, f->wrap);
        report_string(ws, row, 3, s->reason, f->wrap);
        report_string(ws, row, 4, it->accountable ? it->accountable : "", f->wrap);
        report_string(ws, row, 5, m->deadline, f->center);
        report_string(ws, row, 6, "未整改", f->center);
        report_string(ws, row, 7, note, f->wrap);
        const char *wrapped[] = {NULL, unit, work, s->reason, it->accountable, NULL, NULL, note};
        report_fit_row(ws, row, wrapped, widths, NCOLS(heads, widths));
        sb_free(&unit_sb);
        sb_free(&work_sb);
        row++;
    }
    if (row > 2)
        worksheet_autofilter(ws, 1, 0, row - 1, 7);
    return report_walk_done(&walk, err);
}
