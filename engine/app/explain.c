/*
 * explain.c — a subject's standing, its items and the evidence behind its lost points. See
 * explain.h.
 */
#include "app/explain.h"

#include <stdlib.h>
#include <string.h>

#include "app/run_evidence.h"
#include "base/strbuf.h"
#include "core/eval.h"
#include "core/kinds.h"
#include "evidence/audit_query.h"
#include "evidence/evidence.h"
#include "evidence/row_label.h"
#include "store/audit_store.h"
#include "store/explain_store.h"

/* What the row printers need besides the rows. */
typedef struct explainer {
    FILE *out;
    evidence *ev;
    const char *subject;
    int64_t run;
    long limit;         /* evidence rows shown per item; 0: all */
    int all;            /* items at full marks printed too */
    long shown;         /* items printed */
    long full;          /* items at full marks left out (without `all`) */
    long rows, skipped; /* the current item's evidence rows: printed, and left out by limit */
    kh_error *err;
} explainer;

/* "……另有 N 条证据" after an item whose rows the limit cut. */
static void end_item(explainer *x)
{
    if (x->skipped > 0)
        fprintf(x->out, "  ……另有 %ld 条证据未列出（--limit 0 列出全部）\n", x->skipped);
    x->rows = x->skipped = 0;
}

/* An item, its outcome and reason. One at full marks (status ok: nothing lost, nothing open)
 * is only counted unless `all`: a cadre's 30 items at full marks would bury the few lost. */
static int print_item(void *ud, const audit_item_row *r)
{
    explainer *x = ud;
    end_item(x);
    if (!x->all && strcmp(r->status, "ok") == 0) {
        x->full++;
        return 0;
    }
    x->shown++;
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
    if (x->limit > 0 && x->rows >= x->limit) {
        x->skipped++;
        return 0;
    }
    x->rows++;
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

/* The standing's heading state: the stream, the subject's name once known, lines printed. */
typedef struct standing_printer {
    FILE *out;
    long n;
} standing_printer;

/* "  TITLE：合计 -0.60（扣分合计），名次 1（共 2 个乡镇），待核实 0 项" — or, with items
 * 待核实, the total as 暂计 and no grade or rank: they are not final. */
static void print_standing(void *ud, const explain_standing *r)
{
    standing_printer *p = ud;
    p->n++;
    const char *label = kh_kind_label(r->subject_kind);
    int deduction = strcmp(r->mode, "deduction") == 0;
    if (r->pending > 0) {
        fprintf(p->out, "  %s：暂计 %.2f（%s），另有 %lld 项待核实：不定等次、不排名", r->title,
                atof(r->total), deduction ? "扣分合计" : "得分", (long long)r->pending);
    } else {
        fprintf(p->out, "  %s：合计 %.2f（%s）", r->title, atof(r->total),
                deduction ? "扣分合计" : "得分");
        if (*r->grade)
            fprintf(p->out, "，等次 %s", r->grade);
        fprintf(p->out, "，名次 %lld（共 %lld 个%s），待核实 0 项", (long long)r->rank,
                (long long)r->of, label ? label : r->subject_kind);
    }
    if (r->vetoed > 0)
        fprintf(p->out, "，%lld 项否决", (long long)r->vetoed);
    fputc('\n', p->out);
}

/* Whether the evidence read now is the evidence the run read: its content hash against the
 * recorded one. A warning on `out` when it differs (the rows shown are today's). 0, or -1
 * with err when the hash cannot be computed. */
static int check_evidence_hash(evidence *ev, const char *path, const char *recorded, FILE *out,
                               kh_error *err)
{
    ev_hash h;
    memset(&h, 0, sizeof h);
    if (ev_content_hash(ev, &h, err) != 0)
        return -1;
    if (strcmp(h.sha256, recorded) == 0)
        fprintf(out, "证据库：%s（内容哈希 %.12s，与运行时相同）\n", path, h.sha256);
    else
        fprintf(out,
                "警告：证据库 %s 的内容哈希 %.12s 与运行时的 %.12s 不同：证据在运行后被改动，"
                "下面的证据行是现在的内容\n",
                path, h.sha256, recorded);
    ev_hash_free(&h);
    return 0;
}

/* The heading: subject, run and period; its standing on each scorecard; the evidence. */
static int print_heading(audit_store *s, const audit_run *run, const char *subject,
                         const char *name, evidence *ev, const char *ev_path, FILE *out,
                         kh_error *err)
{
    fprintf(out, "%s（%s）— 运行 %lld，考核期 %s\n", name, subject, (long long)run->id,
            run->period);
    standing_printer p = {out, 0};
    if (explain_store_standing(s, run->id, subject, print_standing, &p, err) != 0)
        return -1;
    return check_evidence_hash(ev, ev_path, run->evidence_hash, out, err);
}

/* The subject's name: the first item row's (a callback that stops at once). */
static int take_name(void *ud, const audit_item_row *r)
{
    char **name = ud;
    if (!*name)
        *name = xstrdup(r->subject_name);
    return 0;
}

static int skip_deduction(void *ud, const audit_deduction_row *d)
{
    (void)ud, (void)d;
    return 0;
}

int kh_explain(const char *results, int64_t run, const char *subject, const char *item,
               const char *evidence_path, long limit, int all, FILE *out, kh_error *err)
{
    audit_store *s = audit_store_open(results, err);
    if (!s)
        return -1;
    audit_run recorded;
    if (audit_store_run(s, run, &recorded, err) != 0) {
        audit_store_close(s);
        return -1;
    }
    char *name = NULL;
    int rc =
        audit_store_explain(s, recorded.id, subject, item, take_name, skip_deduction, &name, err);
    if (rc == 0 && !name) {
        kh_seterr(err, "%s: run %lld has no subject %s%s%s", results, (long long)recorded.id,
                  subject, item ? " with item " : "", item ? item : "");
        rc = -1;
    }
    char *path = app_run_evidence(results, recorded.evidence_path, evidence_path);
    evidence *ev = rc == 0 ? ev_open(path, err) : NULL;
    if (ev) {
        /* an item asked for by --item is shown whatever its outcome */
        explainer x = {out, ev, subject, recorded.id, limit, all || item, 0, 0, 0, 0, err};
        rc = print_heading(s, &recorded, subject, name, ev, path, out, err);
        if (rc == 0)
            rc = audit_store_explain(s, recorded.id, subject, item, print_item, print_deduction, &x,
                                     err);
        end_item(&x);
        if (rc == 0 && x.full > 0)
            fprintf(out, "\n另有 %ld 项满分，未列出（--all 显示）\n", x.full);
        ev_close(ev);
    } else {
        rc = -1;
    }
    free(path);
    free(name);
    audit_run_free(&recorded);
    audit_store_close(s);
    return rc;
}
