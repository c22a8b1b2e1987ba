/*
 * explain.c — a subject's items and the evidence behind its lost points. See explain.h.
 */
#include "app/explain.h"

#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "core/eval.h"

#include "evidence/evidence.h"
#include "evidence/row_label.h"
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

/* One evidence row a deduction names, labelled (evidence/row_label.c), as the evidence
 * database holds it now — or that it holds it no longer. Its key comes first (after the table
 * for a single row, `shown_table`; NULL in a list headed by the table). */
static int print_row(explainer *x, const char *table, const char *key, const char *shown_table,
                     const char *indent)
{
    char *text = NULL;
    int found = ev_row_text(x->ev, table, key, &text, x->err);
    if (found < 0)
        return -1;
    if (found)
        fprintf(x->out, "%s%s%s%s：%s\n", indent, shown_table ? shown_table : "",
                shown_table ? " " : "", key, text);
    else
        fprintf(x->out, "%s%s %s（证据库中已无此行：证据在运行后被改动）\n", indent, table, key);
    free(text);
    return 0;
}

/* A deduction — its points once — and the rows it names: one for a case, every causing row
 * (the keys joined with KH_KEY_SEP) for an all-or-nothing item. A key that is itself a row is
 * taken whole, so an id containing the separator still resolves. */
static int print_deduction(void *ud, const audit_deduction_row *d)
{
    explainer *x = ud;
    fprintf(x->out, "  扣 %s 分：%s\n", d->points, d->reason);
    char *whole = NULL;
    int found = ev_row_text(x->ev, d->table, d->key, &whole, x->err);
    free(whole);
    if (found < 0)
        return -1;
    if (found || !strstr(d->key, KH_KEY_SEP))
        return print_row(x, d->table, d->key, d->table, "    证据 ");
    size_t n = 1, sep = strlen(KH_KEY_SEP);
    for (const char *p = strstr(d->key, KH_KEY_SEP); p; p = strstr(p + sep, KH_KEY_SEP))
        n++;
    fprintf(x->out, "    证据（%s，%zu 行）：\n", d->table, n);
    char *keys = xstrdup(d->key);
    int rc = 0;
    for (char *k = keys, *next; k && rc == 0; k = next) {
        char *at = strstr(k, KH_KEY_SEP);
        next = at ? at + sep : NULL;
        if (at)
            *at = '\0';
        rc = print_row(x, d->table, k, NULL, "      · ");
    }
    free(keys);
    return rc;
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
