/*
 * cause_keys.c — the evidence rows behind an all-or-nothing loss, gathered into one key list.
 *
 * A check / deduct_if / rate_at_least item loses its points once per subject, however many
 * rows caused the failure (issue 15 item 3). Rather than one deduction row per causing row —
 * with the points on the first and "扣 0.0" on the rest — the loss is recorded as ONE deduction
 * (item, subject, the points) whose evidence key lists every causing row of the rule's evidence
 * table, sorted and without repeats, joined with KH_KEY_SEP. explain splits the list again and
 * shows each row; 扣分明细 shows the list in its 证据编号 column; the points add up once.
 * A row may give a reason of its own (the evidence query's `reason` column: "张三缺第2、3季度
 * 随访"); the deduction's reason then ends with each row's, in key order, each said once.
 */
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "core/core_internal.h"
#include "evidence/cause_rows.h"

void kh_keys_add(kh_keys *l, const char *key, const char *why)
{
    size_t k = KH_PUSH(l->v, l->n, l->cap);
    l->v[k].key = xstrdup(key);
    l->v[k].why = why && *why ? xstrdup(why) : NULL;
}

/* By key, then by reason (NULL first), so that the order never depends on the query's. */
static int cmp_key(const void *a, const void *b)
{
    const kh_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c || x->why == y->why)
        return c;
    if (!x->why || !y->why)
        return x->why ? 1 : -1;
    return strcmp(x->why, y->why);
}

/* Sorted, repeats dropped (one admission may qualify twice through a join), joined. */
char *kh_keys_join(kh_keys *l, size_t *distinct)
{
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, cmp_key);
    strbuf sb = {0};
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (i && strcmp(l->v[i].key, l->v[i - 1].key) == 0)
            continue;
        sb_printf(&sb, "%s%s", n++ ? KH_KEY_SEP : "", l->v[i].key);
    }
    if (distinct)
        *distinct = n;
    return sb_take(&sb);
}

/* Whether reason `why` is already among l->v[0..upto) (rows of a township visited by nobody
 * give the same reason each: it is said once). */
static int said_before(const kh_keys *l, size_t upto, const char *why)
{
    for (size_t i = 0; i < upto; i++)
        if (l->v[i].why && strcmp(l->v[i].why, why) == 0)
            return 1;
    return 0;
}

/* The loss's reason followed by what each row says ("张三缺第2、3季度随访"), so that one deduction
 * per item and subject still tells each row's part (issue 15 item 3). */
char *kh_keys_reason(const kh_keys *l, const char *head)
{
    strbuf sb = {0};
    sb_append(&sb, head ? head : "");
    for (size_t i = 0; i < l->n; i++) {
        const char *why = l->v[i].why;
        if (why && !said_before(l, i, why))
            sb_printf(&sb, "%s%s", sb.len ? "；" : "", why);
    }
    char *s = sb_take(&sb);
    return s ? s : xstrdup("");
}

int64_t kh_key_count(const char *key)
{
    int64_t n = 1;
    size_t sep = strlen(KH_KEY_SEP);
    for (const char *p = key ? strstr(key, KH_KEY_SEP) : NULL; p; p = strstr(p + sep, KH_KEY_SEP))
        n++;
    return n;
}

int kh_label_deductions(evidence *ev, kh_deduction *d, size_t n, kh_error *err)
{
    for (size_t i = 0; i < n; i++) {
        free(d[i].rows);
        if (ev_cause_rows(ev, d[i].table, d[i].key, KH_KEY_SEP, &d[i].rows, err) != 0)
            return -1;
    }
    return 0;
}

void kh_keys_free(kh_keys *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].key);
        free(l->v[i].why);
    }
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
