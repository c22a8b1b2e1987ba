/*
 * explain.c — a subject's items and the evidence behind its lost points. See explain.h.
 */
#include "app/explain.h"

#include <string.h>

#include "evidence/audit_query.h"
#include "evidence/evidence.h"
#include "store/audit_store.h"

/* What the row printers need besides the rows. */
typedef struct explainer {
    FILE *out;
    evidence *ev;
    const char *subject;
    int64_t run;
    long shown; /* items printed */
    kh_error *err;
} explainer;

/* An item, its outcome and reason; the subject's heading before its first item. */
static int print_item(void *ud, const audit_item_row *r)
{
    explainer *x = ud;
    if (x->shown++ == 0)
        fprintf(x->out, "%s（%s）— 运行 %lld\n", r->subject_name, x->subject, (long long)x->run);
    fprintf(x->out, "\n[%s] 第%s项 %s\n  %s：%s%s%s — %s\n", r->title, r->item, r->text,
            strcmp(r->status, "pending") == 0 ? "待核实" : "得分", r->points,
            r->max_points ? " / " : "", r->max_points ? r->max_points : "", r->reason);
    return 0;
}

/* A deduction and the evidence row it names, as the evidence database holds it now (or that
 * it holds it no longer). */
static int print_deduction(void *ud, const audit_deduction_row *d)
{
    explainer *x = ud;
    fprintf(x->out, "  证据 %s %s（扣 %s 分）：%s\n", d->table, d->key, d->points, d->reason);
    ev_cursor *c = NULL;
    if (ev_row_by_id(x->ev, d->table, d->key, "explain:", &c, x->err) != 0)
        return -1;
    int found = 0, step;
    while ((step = ev_step(c, x->err)) == 1) {
        found = 1;
        fprintf(x->out, "    ");
        for (int i = 0; i < ev_ncols(c); i++)
            fprintf(x->out, "%s%s=%s", i ? "，" : "", ev_colname(c, i), ev_text(c, i));
        fprintf(x->out, "\n");
    }
    ev_done(c);
    if (step < 0)
        return -1;
    if (!found)
        fprintf(x->out, "    （证据库中已无此行：证据在运行后被改动）\n");
    return 0;
}

int kh_explain(const char *results, int64_t run, const char *subject, const char *item,
               const char *evidence_path, FILE *out, kh_error *err)
{
    audit_store *s = audit_store_open(results, err);
    if (!s)
        return -1;
    audit_run recorded;
    if (audit_store_run(s, run, &recorded, err) != 0) {
        audit_store_close(s);
        return -1;
    }
    evidence *ev = ev_open(evidence_path ? evidence_path : recorded.evidence_path, err);
    int rc = -1;
    if (ev) {
        explainer x = {out, ev, subject, recorded.id, 0, err};
        rc = audit_store_explain(s, recorded.id, subject, item, print_item, print_deduction, &x,
                                 err);
        if (rc == 0 && x.shown == 0) {
            kh_seterr(err, "%s: run %lld has no subject %s%s%s", results, (long long)recorded.id,
                      subject, item ? " with item " : "", item ? item : "");
            rc = -1;
        }
        ev_close(ev);
    }
    audit_run_free(&recorded);
    audit_store_close(s);
    return rc;
}
