/*
 * report_manifest.c — the hidden kaohe_manifest sheets that reproduce --workbook reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

/* kaohe_manifest (hidden): the run's manifest and every score and deduction in machine form,
 * so that `kaohe reproduce --workbook` can re-run and compare from the workbook alone. One
 * record per row: its type in column A, then fields. */
int report_sheet_manifest(lxw_workbook *wb, const kh_manifest *m, scorecard **scs, size_t nsc,
                          const kh_results *r, int summary, kh_error *err)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "kaohe_manifest");
    lxw_row_t row = 0;
    int part = 1;
    char num[32], when[32];
    snprintf(when, sizeof when, "%lld", (long long)m->started);
    /* a full sheet ends with a record naming the sheet the manifest goes on in */
#define CELLS(...)                                                                                 \
    do {                                                                                           \
        if (row == LXW_ROW_MAX - 1) {                                                              \
            char next_[32];                                                                        \
            snprintf(next_, sizeof next_, "kaohe_manifest_%d", ++part);                            \
            report_string(ws, row, 0, "continued", NULL);                                          \
            report_string(ws, row, 1, next_, NULL);                                                \
            worksheet_hide(ws);                                                                    \
            ws = workbook_add_worksheet(wb, next_);                                                \
            row = 0;                                                                               \
        }                                                                                          \
        const char *v_[] = {__VA_ARGS__};                                                          \
        for (size_t c_ = 0; c_ < sizeof v_ / sizeof v_[0]; c_++)                                   \
            report_string(ws, row, (lxw_col_t)c_, v_[c_] ? v_[c_] : "", NULL);                     \
        row++;                                                                                     \
    } while (0)
    CELLS("format", "kaohe-manifest-1");
    CELLS("run", m->started_at, when, m->engine_version, m->period, m->params ? m->params : "",
          m->deadline);
    CELLS("language", m->language_path, m->language_sha256);
    for (size_t i = 0; i < nsc; i++)
        CELLS("scorecard", scs[i]->id, scs[i]->path, scs[i]->sha256);
    CELLS("evidence", m->evidence_path, m->evidence.sha256);
    for (size_t i = 0; i < m->evidence.count; i++) {
        snprintf(num, sizeof num, "%lld", (long long)m->evidence.tables[i].rows);
        CELLS("evidence_table", m->evidence.tables[i].table, num, m->evidence.tables[i].sha256);
    }
    for (size_t i = 0; i < m->nimports; i++)
        CELLS("import", m->imports[i][0], m->imports[i][1], m->imports[i][2], m->imports[i][3],
              m->imports[i][4], m->imports[i][5], m->imports[i][6]);
    if (summary) {
        /* the provincial summary carries no per-row records: the results database does */
        snprintf(num, sizeof num, "%zu", m->nparts);
        CELLS("summary", num);
        worksheet_hide(ws);
        return 0;
    }
    for (size_t i = 0; i < r->nscores; i++) {
        const kh_score *s = &r->scores[i];
        snprintf(num, sizeof num, "%lld", (long long)s->points);
        CELLS("score", scs[s->sc]->id, r->sets[s->set].kind, r->sets[s->set].items[s->subject].id,
              scs[s->sc]->items[s->item].no, kh_status_code(s->status),
              s->status == ST_PENDING ? "" : num);
    }
    kh_iter it;
    for (const kh_deduction *d = kh_deductions_first(&it, r); d; d = kh_deductions_next(&it)) {
        snprintf(num, sizeof num, "%lld", (long long)d->points);
        CELLS("deduction", scs[d->sc]->id, r->sets[d->set].kind,
              r->sets[d->set].items[d->subject].id, scs[d->sc]->items[d->item].no, d->table, d->key,
              num);
    }
#undef CELLS
    worksheet_hide(ws);
    return report_walk_done(&it, err);
}
