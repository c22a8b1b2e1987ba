/*
 * diff.c — 回头看 between two runs, and its 整改台账. See diff.h.
 */
#include "app/diff.h"

#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "store/audit_store.h"

enum { LEDGER_COLS = 8 };

/* The problems as they are classified: counted, listed on out, and rows of the ledger. */
typedef struct ledger {
    FILE *out;
    diff_counts *counts;
    char **cells; /* nrows × LEDGER_COLS */
    size_t nrows;
} ledger;

/* One problem lost in run A, run B or both: rectified (已销号) if only in A, else 未整改
 * (persisting, or new in B). */
static void ledger_row(void *ud, const audit_diff_row *r)
{
    ledger *l = ud;
    int before = r->reason_a != NULL, now = r->reason_b != NULL;
    const char *status, *note;
    if (before && !now) {
        l->counts->rectified++;
        status = "已销号";
        note = "回头看：已整改";
    } else if (before && now) {
        l->counts->persisting++;
        status = "未整改";
        note = "回头看：问题仍然存在";
    } else {
        l->counts->fresh++;
        status = "未整改";
        note = "回头看：新发现问题";
    }
    char extra[160];
    snprintf(extra, sizeof extra, "%s%s", note,
             before && !now && strcmp(r->status_b, "pending") == 0 ? "（现为待核实，请核实后销号）"
                                                                   : "");
    fprintf(l->out, "%s\t%s %s（%s）第%s项\n", status, r->subject_kind, r->subject_name,
            r->subject_id, r->item);
    l->cells = xrealloc(l->cells, (l->nrows + 1) * LEDGER_COLS * sizeof *l->cells);
    char idx[16];
    snprintf(idx, sizeof idx, "%zu", l->nrows + 1);
    char *row[LEDGER_COLS] = {xstrdup(idx),
                              xstrdup(r->subject_name),
                              xstrdup(r->scorecard_id),
                              xstrdup(r->item),
                              xstrdup(r->item_text),
                              xstrdup(now ? r->reason_b : r->reason_a),
                              xstrdup(status),
                              xstrdup(extra)};
    memcpy(l->cells + l->nrows * LEDGER_COLS, row, sizeof row);
    l->nrows++;
}

/* Both runs exist (each message names the one that does not). 0, or -1 with err. */
static int runs_exist(audit_store *s, int64_t run_a, int64_t run_b, kh_error *err)
{
    int64_t runs[2] = {run_a, run_b};
    for (int i = 0; i < 2; i++) {
        audit_run r;
        if (audit_store_run(s, runs[i], &r, err) != 0)
            return -1;
        audit_run_free(&r);
    }
    return 0;
}

int kh_diff(const char *results, int64_t run_a, int64_t run_b, const char *ledger_xlsx, FILE *out,
            diff_counts *counts, kh_error *err)
{
    memset(counts, 0, sizeof *counts);
    audit_store *s = audit_store_open(results, err);
    if (!s)
        return -1;
    ledger l = {out, counts, NULL, 0};
    int rc = runs_exist(s, run_a, run_b, err);
    if (rc == 0)
        rc = audit_store_diff(s, run_a, run_b, ledger_row, &l, err);
    audit_store_close(s);
    if (rc == 0)
        fprintf(out,
                "回头看：运行 %lld → %lld：已整改（已销号）%ld 项，仍存在 %ld 项，新发现 %ld 项\n",
                (long long)run_a, (long long)run_b, counts->rectified, counts->persisting,
                counts->fresh);
    if (rc == 0 && ledger_xlsx) {
        static const char *const heads[LEDGER_COLS] = {"序号",     "单位",     "考核表",   "项目",
                                                       "重点工作", "具体内容", "工作进度", "备注"};
        static const double widths[LEDGER_COLS] = {6, 18, 20, 6, 36, 44, 10, 24};
        char title[160];
        snprintf(title, sizeof title, "整改台账（回头看：运行 %lld → %lld）", (long long)run_a,
                 (long long)run_b);
        rc = report_table_workbook(ledger_xlsx, "整改台账", title, heads, widths, LEDGER_COLS, 0,
                                   l.cells, l.nrows, err);
    }
    for (size_t i = 0; i < l.nrows * LEDGER_COLS; i++)
        free(l.cells[i]);
    free(l.cells);
    return rc;
}
