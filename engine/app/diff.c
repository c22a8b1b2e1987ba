/*
 * diff.c — 回头看 between two runs, and its 整改台账. See diff.h.
 */
#include "app/diff.h"

#include <stdlib.h>
#include <string.h>

#include "app/diff_runs.h"
#include "core/kinds.h"
#include "report/report.h"
#include "store/audit_store.h"

enum { LEDGER_COLS = 8 };

/* The problems as they are classified: counted, listed on out, and rows of the ledger. */
typedef struct ledger {
    strbuf lines; /* the list, printed after the counts */
    const diff_runs *runs;
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
    if (before != now && diff_runs_rules_changed(l->runs, r->scorecard_id)) {
        l->counts->rules++;
        status = "规则/参数变化";
        note = now ? "回头看：考核表规则或参数已改，新出现的问题可能来自改动"
                   : "回头看：考核表规则或参数已改，不计为已整改，请核实";
    } else if (before && !now) {
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
    sb_printf(&l->lines, "%s\t%s %s（%s）第%s项\n", status, kh_kind_label(r->subject_kind),
              r->subject_name, r->subject_id, r->item);
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

/* The counts first, then what changed between the runs besides the evidence, then the list. */
static void print_report(FILE *out, int64_t run_a, int64_t run_b, const diff_runs *runs,
                         const ledger *l)
{
    const diff_counts *c = l->counts;
    fprintf(out, "回头看：运行 %lld → %lld：已整改（已销号）%ld 项，仍存在 %ld 项，新发现 %ld 项",
            (long long)run_a, (long long)run_b, c->rectified, c->persisting, c->fresh);
    if (c->rules)
        fprintf(out, "，规则/参数变化 %ld 项（不计为已整改或新发现）", c->rules);
    fprintf(out, "\n");
    if (runs->changes.len)
        fprintf(out, "两次运行的差别：\n%s", sb_str(&runs->changes));
    fputs(sb_str(&l->lines), out);
}

int kh_diff(const char *results, int64_t run_a, int64_t run_b, const char *ledger_xlsx, FILE *out,
            diff_counts *counts, kh_error *err)
{
    memset(counts, 0, sizeof *counts);
    audit_store *s = audit_store_open(results, err);
    if (!s)
        return -1;
    diff_runs runs;
    ledger l = {{0}, &runs, counts, NULL, 0};
    /* reads both runs' rows first: a run that does not exist is named before anything else */
    int rc = diff_runs_read(s, run_a, run_b, &runs, err);
    if (rc == 0)
        rc = audit_store_diff(s, run_a, run_b, ledger_row, &l, err);
    audit_store_close(s);
    if (rc == 0)
        print_report(out, run_a, run_b, &runs, &l);
    diff_runs_free(&runs);
    sb_free(&l.lines);
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
