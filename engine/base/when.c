/*
 * when.c — recorded UTC times shown as local time. See when.h.
 */
#include "base/when.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (timegm is not POSIX):
 * years counted from March so that the leap day is the last day of a year. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

/* "YYYY-MM-DDTHH:MM:SSZ" into seconds since 1970; -1 if it is not exactly that. */
static int parse_utc(const char *s, time_t *t)
{
    int y, mo, d, h, mi, se, used = 0;
    if (strlen(s) != 20 ||
        sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &used) != 6 ||
        used != 20 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return -1;
    *t = (time_t)days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
    return 0;
}

int kh_time_local(const char *utc, char *buf, size_t n)
{
    time_t t;
    if (!utc || parse_utc(utc, &t) != 0) {
        snprintf(buf, n, "%s", utc ? utc : "");
        return -1;
    }
    const char *tz = getenv("TZ");
    struct tm tm;
    char day[32], zone[64];
    if (tz && *tz) {
        tzset();
        localtime_r(&t, &tm);
        strftime(zone, sizeof zone, "%Z", &tm);
    } else {
        t += 8 * 3600; /* Asia/Shanghai: UTC+8, no daylight saving since 1991 */
        gmtime_r(&t, &tm);
        snprintf(zone, sizeof zone, "北京时间");
    }
    strftime(day, sizeof day, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(buf, n, "%s（%s）", day, zone);
    return 0;
}
