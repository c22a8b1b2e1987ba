/*
 * suggest.c — nearest known word to a typo. See suggest.h.
 */
#include "base/suggest.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"

/* Splits UTF-8 text into code points (malformed bytes count one each): edits are counted on
 * characters, so "问责主休" is one edit from "问责主体", not three. Returns the count. */
static size_t decode(const char *s, uint32_t **out)
{
    size_t len = strlen(s), n = 0;
    uint32_t *cp = xmalloc((len + 1) * sizeof *cp);
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
        if (i + k > len)
            k = 1;
        uint32_t v = c;
        for (size_t j = 1; j < k; j++)
            v = (v << 8) | (unsigned char)s[i + j];
        cp[n++] = v;
        i += k;
    }
    *out = cp;
    return n;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

size_t kh_edit_distance(const char *a, const char *b)
{
    uint32_t *x, *y;
    size_t n = decode(a, &x), m = decode(b, &y);
    /* three rows of the optimal-string-alignment table: two back for a transposition */
    size_t *prev2 = xcalloc(m + 1, sizeof *prev2), *prev = xcalloc(m + 1, sizeof *prev),
           *cur = xcalloc(m + 1, sizeof *cur);
    for (size_t j = 0; j <= m; j++)
        prev[j] = j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t cost = x[i - 1] != y[j - 1];
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] &&
                prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    size_t d = prev[m];
    free(prev2);
    free(prev);
    free(cur);
    free(x);
    free(y);
    return d;
}

const char *kh_suggest(const char *typed, const char *const *known, size_t n)
{
    uint32_t *cp;
    size_t len = decode(typed, &cp);
    free(cp);
    size_t limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        size_t d = kh_edit_distance(typed, known[i]);
        if (d < best_d) {
            best = known[i];
            best_d = d;
        }
    }
    return best;
}
