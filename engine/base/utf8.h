/*
 * utf8.h — checking and repairing UTF-8 text, the one definition of "valid" the engine uses.
 *
 * Every text that reaches a workbook must be valid UTF-8 (an .xlsx part is XML, and one bad
 * byte makes the whole workbook unreadable) and fit in a cell (Excel holds at most 32,767
 * characters; libxlsxwriter silently drops a longer string). Texts come from scorecards (any
 * bytes a Lua string holds) and from evidence values, so the report repairs them at the cell
 * (kh_utf8_cell) while the results database keeps them as they are; import refuses invalid
 * bytes at its boundary (kh_utf8_invalid) naming the file and line.
 */
#ifndef KAOHE_UTF8_H
#define KAOHE_UTF8_H

#include <stddef.h>

#include "base/strbuf.h"

/* Length (1 to 4) of the well-formed UTF-8 character at s[0..n), or 0 when none starts there: a
 * stray continuation byte, an overlong form, a surrogate, a code point past U+10FFFF, or a
 * sequence cut short by the end of the text (or by a NUL). */
size_t kh_utf8_char(const unsigned char *s, size_t n);

/* Offset of the first byte of s[0..n) that is not well-formed UTF-8, or (size_t)-1. */
size_t kh_utf8_invalid(const char *s, size_t n);

/* The longest byte length <= max_bytes at which s[0..n) can be cut without splitting a
 * character (only continuation bytes are stepped back over). */
size_t kh_utf8_cut(const char *s, size_t n, size_t max_bytes);

/* The largest number of characters a cell holds (Excel's limit). */
#define KH_CELL_MAX_CHARS 32767

/* `s` made fit for a workbook cell: `s` itself when it is well-formed UTF-8 of at most
 * max_chars characters, all of them allowed in XML 1.0 (the common case: nothing copied);
 * otherwise a copy in `out` in which every byte that is not part of a well-formed character,
 * and every character XML does not allow (control characters other than tab, line feed and
 * carriage return; U+FFFE, U+FFFF), is replaced by U+FFFD (visible as �),
 * cut after whole characters so that it ends with `mark` within max_chars characters. NULL
 * stays NULL. `out` is the caller's to free. */
const char *kh_utf8_cell(strbuf *out, const char *s, size_t max_chars, const char *mark);

#endif
