/*
 * import_headers.c — which column of the table a file's header names. Exports spell the same
 * header in several ways: 医疗总费用（元） with full-width brackets or (元) with half-width
 * ones, spaces inside, full-width digits (第１次), or the unit left off. A header matches a
 * column when it is the column's name or a mapped header (fixtures/import/headers.tsv), first as
 * written, then in its normal form (full-width ASCII made half-width, spaces dropped), then with a
 * trailing unit of the few that cannot change a value's scale dropped on both sides. 万元 is not
 * one of them: "费用（万元）" must not be read as 元.
 */
#include <string.h>

#include "evidence/import_internal.h"

/* Units a header may carry or leave off without changing what its values mean. */
static const char *const PLAIN_UNITS[] = {"元", "岁", "天", "日", "次",
                                          "人", "户", "个", "月", "年"};

/* The normal form of a header: U+FF01..U+FF5E (full-width ASCII, （）０-９Ａ-Ｚ) as ASCII, ASCII
 * and ideographic spaces (U+3000) dropped. */
static void normal_form(const char *h, strbuf *out)
{
    const unsigned char *s = (const unsigned char *)h;
    while (*s) {
        if (s[0] == 0xEF && (s[1] == 0xBC || s[1] == 0xBD) && s[2]) {
            unsigned cp = 0xF000u | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                char c = (char)(cp - 0xFEE0);
                sb_appendn(out, &c, 1);
                s += 3;
                continue;
            }
        }
        if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) {
            s += 3;
            continue;
        }
        if (*s != ' ' && *s != '\t')
            sb_appendn(out, (const char *)s, 1);
        s++;
    }
}

/* Drops a trailing "(UNIT)" of PLAIN_UNITS from a header in normal form, in place. */
static void drop_unit(strbuf *h)
{
    for (size_t u = 0; u < sizeof PLAIN_UNITS / sizeof PLAIN_UNITS[0]; u++) {
        size_t n = strlen(PLAIN_UNITS[u]);
        if (h->len > n + 2 && h->data[h->len - 1] == ')' && h->data[h->len - n - 2] == '(' &&
            memcmp(h->data + h->len - n - 1, PLAIN_UNITS[u], n) == 0) {
            h->len -= n + 2;
            h->data[h->len] = '\0';
            return;
        }
    }
}

/* `text` in the form of pass 0 (as written), 1 (normal) or 2 (normal, without a plain unit). */
static void form(const char *text, int pass, strbuf *out)
{
    if (pass == 0) {
        sb_append(out, text);
        return;
    }
    normal_form(text, out);
    if (pass == 2)
        drop_unit(out);
}

static void reset(strbuf *sb)
{
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

static int column_named(const table_info *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* The column `want` (a header in the form of `pass`) names, or -1. */
static int match_in_form(const header_map *m, const table_info *t, const char *want, int pass)
{
    int found = -1;
    strbuf f = {0};
    for (size_t i = 0; i < t->ncols && found < 0; i++) {
        reset(&f);
        form(t->cols[i].name, pass, &f);
        if (strcmp(sb_str(&f), want) == 0)
            found = (int)i;
    }
    for (size_t k = 0; k < m->n && found < 0; k++) {
        if (strcmp(m->table[k], t->name) != 0)
            continue;
        reset(&f);
        form(m->header[k], pass, &f);
        if (strcmp(sb_str(&f), want) == 0)
            found = column_named(t, m->column[k]);
    }
    sb_free(&f);
    return found;
}

int imp_header_column(const header_map *m, const table_info *t, const char *header)
{
    int found = -1;
    strbuf want = {0};
    for (int pass = 0; pass < 3 && found < 0; pass++) {
        reset(&want);
        form(header, pass, &want);
        if (want.len)
            found = match_in_form(m, t, sb_str(&want), pass);
    }
    sb_free(&want);
    return found;
}

const char *imp_mapped_header(const header_map *m, const table_info *t, size_t c)
{
    for (size_t k = 0; k < m->n; k++)
        if (strcmp(m->table[k], t->name) == 0 && strcmp(m->column[k], t->cols[c].name) == 0)
            return m->header[k];
    return NULL;
}
