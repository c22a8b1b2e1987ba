/*
 * utf8.c — UTF-8 well-formedness (RFC 3629: no overlongs, no surrogates, nothing past
 * U+10FFFF) and the repair of texts bound for a workbook cell. See utf8.h.
 */
#include "base/utf8.h"

#include <stdint.h>
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
        /* ASCII eight bytes at a time: most of a CSV export (digits, dates, commas) is ASCII,
         * and a call per byte was a few percent of `kaohe import` */
        uint64_t w;
        while (n - i >= sizeof w && (memcpy(&w, u + i, sizeof w), !(w & 0x8080808080808080ULL)))
            i += sizeof w;
        if (i == n)
            break;
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

/* The length of the character at s[0..n) to step over (a malformed byte is stepped over alone),
 * and in *fit whether it may go into a workbook as it is: well-formed UTF-8, and allowed in
 * XML 1.0 — not a control character other than tab, line feed and carriage return, not U+FFFE
 * or U+FFFF. (libxlsxwriter escapes controls in cell strings, but not in sheet names, chart
 * titles or document properties; found by fuzz/fuzz_report.c.) */
static size_t next_char(const unsigned char *s, size_t n, int *fit)
{
    size_t len = kh_utf8_char(s, n);
    *fit = len != 0;
    if (len == 1 && s[0] < 0x20 && s[0] != '\t' && s[0] != '\n' && s[0] != '\r')
        *fit = 0;
    if (len == 3 && s[0] == 0xEF && s[1] == 0xBF && (s[2] == 0xBE || s[2] == 0xBF))
        *fit = 0;
    return len ? len : 1;
}

/* Characters in s (each unfit one counts as one: it becomes one U+FFFD), stopping at `stop`
 * so that a huge text is not counted to its end; *fit says whether all of it was fit. */
static size_t count_chars(const unsigned char *s, size_t n, size_t stop, int *fit)
{
    size_t chars = 0;
    *fit = 1;
    for (size_t i = 0; i < n && chars <= stop; chars++) {
        int ok;
        i += next_char(s + i, n - i, &ok);
        *fit &= ok;
    }
    return chars;
}

const char *kh_utf8_cell(strbuf *out, const char *s, size_t max_chars, const char *mark)
{
    if (!s)
        return NULL;
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    int fit;
    size_t chars = count_chars(u, n, max_chars, &fit);
    if (fit && chars <= max_chars)
        return s;
    int cut = chars > max_chars;
    size_t room = max_chars;
    if (cut) {
        int mark_fit;
        size_t mark_chars =
            count_chars((const unsigned char *)mark, strlen(mark), max_chars, &mark_fit);
        room = mark_chars < max_chars ? max_chars - mark_chars : 0;
    }
    out->len = 0;
    if (out->data)
        out->data[0] = '\0';
    size_t i = 0;
    for (size_t written = 0; i < n && written < room; written++) {
        size_t len = next_char(u + i, n - i, &fit);
        if (fit)
            sb_appendn(out, s + i, len);
        else
            sb_append(out, "\xEF\xBF\xBD"); /* U+FFFD REPLACEMENT CHARACTER */
        i += len;
    }
    if (cut)
        sb_append(out, mark);
    return sb_str(out);
}
