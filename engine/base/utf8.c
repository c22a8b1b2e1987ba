/*
 * utf8.c — UTF-8 well-formedness (RFC 3629: no overlongs, no surrogates, nothing past
 * U+10FFFF) and the repair of texts bound for a workbook cell. See utf8.h.
 */
#include "base/utf8.h"

#include <string.h>

size_t kh_utf8_char(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (!len || len > n || c == 0xC0 || c == 0xC1 || c > 0xF4)
        return 0;
    for (size_t k = 1; k < len; k++)
        if ((s[k] & 0xC0) != 0x80)
            return 0;
    /* the second byte's range rules out overlongs, surrogates and code points past U+10FFFF */
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) || (c == 0xF0 && s[1] < 0x90) ||
        (c == 0xF4 && s[1] > 0x8F))
        return 0;
    return len;
}

size_t kh_utf8_invalid(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t len = kh_utf8_char(u + i, n - i);
        if (!len)
            return i;
        i += len;
    }
    return (size_t)-1;
}

size_t kh_utf8_cut(const char *s, size_t n, size_t max_bytes)
{
    if (n <= max_bytes)
        return n;
    size_t at = max_bytes;
    while (at > 0 && ((unsigned char)s[at] & 0xC0) == 0x80)
        at--;
    return at;
}

/* Characters in s (a malformed byte counts as one: it becomes one U+FFFD), stopping at `stop`
 * so that a huge text is not counted to its end; *valid says whether all of it was
 * well-formed. */
static size_t count_chars(const unsigned char *s, size_t n, size_t stop, int *valid)
{
    size_t chars = 0;
    *valid = 1;
    for (size_t i = 0; i < n && chars <= stop; chars++) {
        size_t len = kh_utf8_char(s + i, n - i);
        *valid &= len != 0;
        i += len ? len : 1;
    }
    return chars;
}

const char *kh_utf8_cell(strbuf *out, const char *s, size_t max_chars, const char *mark)
{
    if (!s)
        return NULL;
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    int valid;
    size_t chars = count_chars(u, n, max_chars, &valid);
    if (valid && chars <= max_chars)
        return s;
    int cut = chars > max_chars;
    size_t room = max_chars;
    if (cut) {
        int mark_valid;
        size_t mark_chars =
            count_chars((const unsigned char *)mark, strlen(mark), max_chars, &mark_valid);
        room = mark_chars < max_chars ? max_chars - mark_chars : 0;
    }
    out->len = 0;
    size_t i = 0;
    for (size_t written = 0; i < n && written < room; written++) {
        size_t len = kh_utf8_char(u + i, n - i);
        if (len)
            sb_appendn(out, s + i, len);
        else
            sb_append(out, "\xEF\xBF\xBD"); /* U+FFFD REPLACEMENT CHARACTER */
        i += len ? len : 1;
    }
    if (cut)
        sb_append(out, mark);
    return sb_str(out);
}
