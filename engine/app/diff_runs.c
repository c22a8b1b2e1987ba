/*
 * diff_runs.c — two runs' recorded settings compared, for 回头看. See diff_runs.h.
 */
#include "app/diff_runs.h"

#include <stdlib.h>
#include <string.h>

/* One recorded setting of a run: a scorecard (id → SHA-256 of its file) or a parameter as
 * applied ("scorecard.param" → value). */
typedef struct setting {
    char *key, *value;
} setting;

typedef struct settings {
    setting *v;
    size_t n, cap;
} settings;

static void settings_add(settings *s, const char *key, size_t keylen, const char *value)
{
    size_t k = KH_PUSH(s->v, s->n, s->cap);
    s->v[k].key = strndup(key, keylen);
    s->v[k].value = xstrdup(value);
}

static const char *settings_get(const settings *s, const char *key)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].key, key) == 0)
            return s->v[i].value;
    return NULL;
}

static void settings_free(settings *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].key);
        free(s->v[i].value);
    }
    free(s->v);
}

/* "a.x=1; b.y=2" (the run table's params) into settings. */
static void parse_params(const char *text, settings *s)
{
    char *copy = xstrdup(text);
    char *save = NULL;
    for (char *tok = strtok_r(copy, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        tok += strspn(tok, " ");
        char *eq = strchr(tok, '=');
        if (eq)
            settings_add(s, tok, (size_t)(eq - tok), eq + 1);
    }
    free(copy);
}

static void on_scorecard(void *ud, const char *id, const char *file, const char *sha256)
{
    (void)file;
    settings_add(ud, id, strlen(id), sha256);
}

/* A run's row and its scorecards. 0, or -1 with err. */
static int read_run(audit_store *s, int64_t id, audit_run *row, settings *cards, kh_error *err)
{
    if (audit_store_run(s, id, row, err) != 0)
        return -1;
    audit_run_sinks k = {on_scorecard, NULL, NULL, NULL, NULL, cards};
    return audit_store_records(s, id, &k, err);
}

/* Marks scorecard `id` as having changed rules or parameters (once). */
static void mark_card(diff_runs *d, const char *id, size_t len)
{
    for (size_t i = 0; i < d->ncards; i++)
        if (strlen(d->cards[i]) == len && strncmp(d->cards[i], id, len) == 0)
            return;
    d->cards = xrealloc(d->cards, (d->ncards + 1) * sizeof *d->cards);
    d->cards[d->ncards++] = strndup(id, len);
}

/* Each parameter of either run whose value differs ("无" where a run has none), its scorecard
 * marked. */
static void compare_params(diff_runs *d, const settings *pa, const settings *pb)
{
    const settings *both[2] = {pa, pb};
    for (int side = 0; side < 2; side++)
        for (size_t i = 0; i < both[side]->n; i++) {
            const char *key = both[side]->v[i].key;
            const char *va = settings_get(pa, key), *vb = settings_get(pb, key);
            if (side == 1 && va) /* listed from run A's side already */
                continue;
            if (va && vb && strcmp(va, vb) == 0)
                continue;
            sb_printf(&d->changes, "  参数 %s：%s → %s\n", key, va ? va : "无", vb ? vb : "无");
            const char *dot = strrchr(key, '.');
            mark_card(d, key, dot ? (size_t)(dot - key) : strlen(key));
        }
}

/* Each scorecard whose file changed, or that only one run has, marked. */
static void compare_cards(diff_runs *d, const settings *ca, const settings *cb, int64_t a,
                          int64_t b)
{
    const settings *both[2] = {ca, cb};
    for (int side = 0; side < 2; side++)
        for (size_t i = 0; i < both[side]->n; i++) {
            const char *id = both[side]->v[i].key;
            const char *sa = settings_get(ca, id), *sb = settings_get(cb, id);
            if ((side == 1 && sa) || (sa && sb && strcmp(sa, sb) == 0))
                continue;
            if (sa && sb)
                sb_printf(&d->changes, "  考核表 %s 的文件已修改（%.12s → %.12s）\n", id, sa, sb);
            else
                sb_printf(&d->changes, "  考核表 %s 只在运行 %lld 中\n", id,
                          (long long)(sa ? a : b));
            mark_card(d, id, strlen(id));
        }
}

/* The run rows' own fields: period, language, evidence. */
static void compare_rows(diff_runs *d, const audit_run *a, const audit_run *b)
{
    if (strcmp(a->period, b->period) != 0)
        sb_printf(&d->changes, "  考核期 %s → %s\n", a->period, b->period);
    if (strcmp(a->language_sha, b->language_sha) != 0) {
        d->language = 1;
        sb_printf(&d->changes,
                  "  考核表语言（dsl.lua）已修改（%.12s → %.12s）：每张考核表的规则都可能变了\n",
                  a->language_sha, b->language_sha);
    }
    if (strcmp(a->evidence_hash, b->evidence_hash) != 0)
        sb_printf(&d->changes, "  证据库内容已更新（内容哈希 %.12s → %.12s）\n", a->evidence_hash,
                  b->evidence_hash);
}

int diff_runs_read(audit_store *s, int64_t a, int64_t b, diff_runs *d, kh_error *err)
{
    memset(d, 0, sizeof *d);
    audit_run ra = {0}, rb = {0};
    settings ca = {0}, cb = {0}, pa = {0}, pb = {0};
    int rc = read_run(s, a, &ra, &ca, err);
    if (rc == 0)
        rc = read_run(s, b, &rb, &cb, err);
    if (rc == 0) {
        compare_rows(d, &ra, &rb);
        parse_params(ra.params, &pa);
        parse_params(rb.params, &pb);
        compare_params(d, &pa, &pb);
        compare_cards(d, &ca, &cb, a, b);
    }
    audit_run_free(&ra);
    audit_run_free(&rb);
    settings_free(&ca);
    settings_free(&cb);
    settings_free(&pa);
    settings_free(&pb);
    return rc;
}

int diff_runs_rules_changed(const diff_runs *d, const char *id)
{
    if (d->language)
        return 1;
    for (size_t i = 0; i < d->ncards; i++)
        if (strcmp(d->cards[i], id) == 0)
            return 1;
    return 0;
}

void diff_runs_free(diff_runs *d)
{
    sb_free(&d->changes);
    for (size_t i = 0; i < d->ncards; i++)
        free(d->cards[i]);
    free(d->cards);
    memset(d, 0, sizeof *d);
}
