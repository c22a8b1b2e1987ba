/*
 * parse.c — values as people type them in the source systems' exports and on the command line:
 * dates, amounts in 元, real numbers, 是/否 flags and the 身份证号 check digit. Shared by import
 * (evidence/) and the CLI, so that a date means the same thing wherever it is typed.
 */
#include "base/parse.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char kh_id_check_digit(const char *first17)
{
    static const int W[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char MAP[] = "10X98765432";
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += (first17[i] - '0') * W[i];
    return MAP[sum % 11];
}

static int valid_ymd(int y, int m, int d)
{
    static const int DAYS[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= DAYS[m - 1] + (m == 2 && leap);
}

int kh_parse_date(const char *text, char out[11])
{
    int y = 0, m = 0, d = 0, n = 0;
    size_t len = strlen(text);
    if (len == 10 && text[4] == '-' && text[7] == '-' && strspn(text, "0123456789") == 4 &&
        strspn(text + 5, "0123456789") == 2 && strspn(text + 8, "0123456789") == 2) {
        /* 2018-05-31, what exports write: no sscanf (a tenth of a big import's parsing) */
        y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + text[3] - '0';
        m = (text[5] - '0') * 10 + text[6] - '0';
        d = (text[8] - '0') * 10 + text[9] - '0';
    } else if (len == 8 && strspn(text, "0123456789") == 8) { /* 20180531 */
        y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + text[3] - '0';
        m = (text[4] - '0') * 10 + text[5] - '0';
        d = (text[6] - '0') * 10 + text[7] - '0';
    } else if (sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && (size_t)n == len) {
    } else if (sscanf(text, "%4d/%2d/%2d%n", &y, &m, &d, &n) == 3 && (size_t)n == len) {
    } else if (sscanf(text, "%4d.%2d.%2d%n", &y, &m, &d, &n) == 3 && (size_t)n == len) {
    } else if (sscanf(text, "%4d年%2d月%2d日%n", &y, &m, &d, &n) == 3 && (size_t)n == len) {
    } else {
        return -1;
    }
    if (!valid_ymd(y, m, d))
        return -1;
    /* valid_ymd bounds every part, so the text is exactly 10 characters */
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
    return 0;
}

int kh_parse_yuan(const char *text, int64_t *fen)
{
    const char *s = text;
    if (strncmp(s, "¥", strlen("¥")) == 0)
        s += strlen("¥");
    else if (strncmp(s, "￥", strlen("￥")) == 0)
        s += strlen("￥");
    int negative = 0;
    if (*s == '-') {
        negative = 1;
        s++;
    }
    int64_t whole = 0;
    int digits = 0;
    for (; *s && *s != '.'; s++) {
        if (*s == ',' && digits > 0)
            continue; /* 1,234.50 */
        if (!isdigit((unsigned char)*s) || whole > INT64_MAX / 1000)
            return -1;
        whole = whole * 10 + (*s - '0');
        digits++;
    }
    if (!digits)
        return -1;
    int64_t cents = 0;
    if (*s == '.') {
        s++;
        int k = 0;
        for (; *s; s++, k++) {
            if (!isdigit((unsigned char)*s))
                return -1;
            if (k >= 2) {
                if (*s != '0') /* 12.345 元 is not a whole number of fen */
                    return -1;
                continue;
            }
            cents = cents * 10 + (*s - '0');
        }
        if (k == 1)
            cents *= 10;
    }
    int64_t v = whole * 100 + cents;
    *fen = negative ? -v : v;
    return 0;
}

int kh_parse_real(const char *text, double *out)
{
    /* strtod alone skips leading space, stops at the first character it cannot use, and reads
     * "inf" and "nan": each would let a mistyped value through */
    if (!text || !*text || isspace((unsigned char)*text))
        return -1;
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end != '\0' || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* 是/否, 1/0, Y/N, true/false → 1/0; -1 otherwise. */
int kh_parse_flag(const char *s)
{
    static const char *const YES[] = {"是", "1", "Y", "y", "true", "TRUE", "True", "有", NULL};
    static const char *const NO[] = {"否", "0", "N", "n", "false", "FALSE", "False", "无", NULL};
    for (int i = 0; YES[i]; i++)
        if (strcmp(s, YES[i]) == 0)
            return 1;
    for (int i = 0; NO[i]; i++)
        if (strcmp(s, NO[i]) == 0)
            return 0;
    return -1;
}

int kh_excel_date(double serial, char out[11])
{
    if (!(serial >= 1 && serial < 2958466))
        return -1;
    long n = (long)serial; /* positive: truncation is the floor */
    if (n == 60)
        return -1;
    /* days since 1970-01-01: serial 25569 is that day; before the phantom 29th, one more */
    long z = (n < 60 ? n + 1 : n) - 25569;
    /* civil from days (Howard Hinnant's algorithm, proleptic Gregorian) */
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    long y = yoe + era * 400 + (m <= 2);
    /* digit by digit: y is 1900..9999, m 1..12, d 1..31 */
    const long parts[3] = {y, m, d};
    const int widths[3] = {4, 2, 2};
    char *o = out;
    for (int p = 0; p < 3; p++) {
        for (int w = widths[p] - 1, v = (int)parts[p]; w >= 0; w--, v /= 10)
            o[w] = (char)('0' + v % 10);
        o += widths[p];
        *o++ = p < 2 ? '-' : '\0';
    }
    return 0;
}
