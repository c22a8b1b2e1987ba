/*
 * cause_keys.c — the evidence rows behind an all-or-nothing loss, gathered into one key list.
 *
 * A check / deduct_if / rate_at_least item loses its points once per subject, however many
 * rows caused the failure (issue 15 item 3). Rather than one deduction row per causing row —
 * with the points on the first and "扣 0.0" on the rest — the loss is recorded as ONE deduction
 * (item, subject, the points) whose evidence key lists every causing row of the rule's evidence
 * table, sorted and without repeats, joined with KH_KEY_SEP. explain splits the list again and
 * shows each row; 扣分明细 shows the list in its 证据编号 column; the points add up once.
 */
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "core/core_internal.h"
#include "evidence/cause_rows.h"

void kh_keys_add(kh_keys *l, const char *key)
{
    size_t k = KH_PUSH(l->v, l->n, l->cap);
    l->v[k] = xstrdup(key);
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, repeats dropped (one admission may qualify twice through a join), joined. */
char *kh_keys_join(kh_keys *l, size_t *distinct)
{
    if (l->n)
        qsort(l->v, l->n, sizeof *l->v, cmp_key);
    strbuf sb = {0};
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (i && strcmp(l->v[i], l->v[i - 1]) == 0)
            continue;
        sb_printf(&sb, "%s%s", n++ ? KH_KEY_SEP : "", l->v[i]);
    }
    if (distinct)
        *distinct = n;
    return sb_take(&sb);
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
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
