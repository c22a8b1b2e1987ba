/*
 * term.c — fitting a progress line to the terminal: its width, and a line cut to it. A line
 * wider than the terminal wraps, and "\r\033[K" then clears only the last of its rows, so a
 * long run left dozens of stale lines in an 80-column terminal.
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "cli/cli.h"

int cli_term_columns(int fd)
{
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *env = getenv("COLUMNS");
    int n = env ? atoi(env) : 0;
    return n > 0 ? n : 80;
}

/* Columns a code point takes: 2 for the East Asian wide and full-width ranges (汉字, 全角
 * punctuation, Hangul), else 1. Enough for kaohe's own text; no locale needed. */
static int cp_width(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
                   (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
                   (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                   (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD)
               ? 2
               : 1;
}

void cli_fit_columns(char *s, int columns)
{
    int used = 0;
    unsigned char *p = (unsigned char *)s;
    while (*p) {
        int len = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
        uint32_t c = len == 1 ? *p : (uint32_t)(*p & (0x7F >> len));
        for (int k = 1; k < len; k++) {
            if ((p[k] & 0xC0) != 0x80) { /* a cut or broken sequence: stop before it */
                *p = '\0';
                return;
            }
            c = (c << 6) | (p[k] & 0x3F);
        }
        used += cp_width(c);
        if (used > columns) {
            *p = '\0';
            return;
        }
        p += len;
    }
}
