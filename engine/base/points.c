/*
 * points.c — exact score arithmetic in hundredths. See points.h for why.
 */
#include "base/points.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int points_from_double(double value, points_t *out)
{
    if (!isfinite(value))
        return -1;
    double scaled = value * 100.0;
    if (fabs(scaled) > (double)POINTS_MAX)
        return -1;
    double rounded = nearbyint(scaled);
    /* 0.2 * 100 is 20.000000000000004 in binary: accept what rounds within a millionth of a
     * hundredth, refuse a genuine third decimal such as 0.125. */
    if (fabs(scaled - rounded) > 1e-6)
        return -1;
    *out = (points_t)rounded;
    return 0;
}

int points_parse(const char *text, points_t *out)
{
    const char *s = text;
    int negative = 0;
    if (*s == '-' || *s == '+') {
        negative = (*s == '-');
        s++;
    }
    if (!(*s >= '0' && *s <= '9'))
        return -1;
    points_t whole = 0;
    while (*s >= '0' && *s <= '9') {
        whole = whole * 10 + (*s - '0');
        if (whole > POINTS_MAX / 100)
            return -1;
        s++;
    }
    points_t frac = 0;
    if (*s == '.') {
        s++;
        int digits = 0;
        while (*s >= '0' && *s <= '9') {
            if (digits == 2) {
                if (*s != '0') /* "0.250" is fine, "0.125" is not */
                    return -1;
            } else {
                frac = frac * 10 + (*s - '0');
                digits++;
            }
            s++;
        }
        if (digits == 0)
            return -1;
        if (digits == 1)
            frac *= 10;
    }
    if (*s != '\0')
        return -1;
    points_t v = whole * 100 + frac;
    *out = negative ? -v : v;
    return 0;
}

char *points_format2(points_t p, char *buf, size_t size)
{
    points_t a = p < 0 ? -p : p;
    snprintf(buf, size, "%s%lld.%02lld", p < 0 ? "-" : "", (long long)(a / 100),
             (long long)(a % 100));
    return buf;
}

char *points_format(points_t p, char *buf, size_t size)
{
    points_t a = p < 0 ? -p : p;
    const char *sign = p < 0 ? "-" : "";
    if (a % 100 == 0)
        snprintf(buf, size, "%s%lld", sign, (long long)(a / 100));
    else if (a % 10 == 0)
        snprintf(buf, size, "%s%lld.%lld", sign, (long long)(a / 100), (long long)(a % 100 / 10));
    else
        snprintf(buf, size, "%s%lld.%02lld", sign, (long long)(a / 100), (long long)(a % 100));
    return buf;
}

double points_to_double(points_t p)
{
    /* Parsing the two-decimal text gives the double nearest the decimal value, which is what
     * a reader typing "0.6" into SQL would compare against. */
    char buf[32];
    points_format2(p, buf, sizeof buf);
    return strtod(buf, NULL);
}
