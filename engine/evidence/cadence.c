/*
 * cadence.c — "每月一次", "每季度随访一次" as SQL aggregates (scorecard language v2).
 *
 *   kh_months_missing(date, from, until)    how many calendar months due in [from, until]
 *   kh_quarters_missing(date, from, until)  have none of the group's dates; likewise quarters
 *   kh_months_missing_list(date, from, until)   which ones, as a reason names them: "8、9月",
 *   kh_quarters_missing_list(date, from, until) "第2、3季度" (with the year, "2018年12月、
 *                                               2019年1月", when the window spans years)
 *
 * so that "每季度随访一次" is `kh_quarters_missing(f.visited_on, :item_from, :item_until) = 0`
 * instead of month arithmetic in every scorecard, and the evidence row behind a loss can say
 * "缺第2、3季度随访" (issue 15 item 3: the rows that caused the loss, each with its reason).
 *
 * The rule at the window's ends: a calendar month (quarter) is due when any day of it lies in
 * [from, until]; it is covered when any of the dates falls in that calendar month (quarter) —
 * anywhere in it, inside the window or not. With the window 2018-06-29 … 2018-12-31 the
 * quarters due are Q2 (for its last two days), Q3 and Q4, and a visit on 2018-06-10 covers Q2.
 * Dates in months that are not due are ignored; so are NULL dates (a LEFT JOIN's row for a
 * person never visited: all months are then missing). A query that wants only the dates inside
 * the window filters them itself. A group with no row at all gives NULL.
 *
 * Mistakes stop the query with a message rather than counting wrong: a date that is not
 * YYYY-MM-DD (a time may follow: "2018-05-01 08:00"), from or until missing or not dates, from
 * after until, from/until differing between the rows of a group, a window over 100 years.
 */
#include "evidence/cadence_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/strbuf.h"

#define MAX_PERIODS 1200 /* 100 years of months */

typedef struct cadence {
    int started, failed;
    int first, count; /* the periods due: first (as numbered by period_of) and how many */
    int from, until;  /* the window's days as yyyymmdd, to see every row gives the same */
    unsigned char seen[MAX_PERIODS];
} cadence;

/* YYYY-MM-DD (optionally followed by a time) → year, month, day; -1 when not a date. */
static int parse_date(const unsigned char *t, int *y, int *m, int *d)
{
    if (!t)
        return -1;
    size_t len = strlen((const char *)t);
    if (len < 10 || (len > 10 && t[10] != ' ' && t[10] != 'T') || t[4] != '-' || t[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (t[i] < '0' || t[i] > '9'))
            return -1;
    *y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    *m = (t[5] - '0') * 10 + (t[6] - '0');
    *d = (t[8] - '0') * 10 + (t[9] - '0');
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
    if (*m < 1 || *m > 12 || *d < 1 || *d > days[*m - 1] + (*m == 2 && leap))
        return -1;
    return 0;
}

/* The month (months_per = 1) or quarter (3) a date is in, numbered from year 0. */
static int period_of(int y, int m, int months_per)
{
    return (y * 12 + m - 1) / months_per;
}

/* Stops the query with "kh_months_missing: WHAT" (the function's name is its user data). */
__attribute__((format(printf, 3, 4))) static void fail(sqlite3_context *ctx, cadence *c,
                                                       const char *fmt, ...)
{
    char msg[256];
    int n = snprintf(msg, sizeof msg, "%s: ", (const char *)sqlite3_user_data(ctx));
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg + n, sizeof msg - (size_t)n, fmt, ap);
    va_end(ap);
    sqlite3_result_error(ctx, msg, -1);
    c->failed = 1;
}

/* The first row of a group fixes the window; the others must give the same. */
static int start_window(sqlite3_context *ctx, cadence *c, sqlite3_value *from, sqlite3_value *until,
                        int months_per)
{
    const unsigned char *f = sqlite3_value_text(from), *u = sqlite3_value_text(until);
    int fy, fm, fd, uy, um, ud;
    if (parse_date(f, &fy, &fm, &fd) != 0 || parse_date(u, &uy, &um, &ud) != 0) {
        fail(ctx, c, "from and until must be dates such as 2018-01-01 (got %s and %s)",
             f ? (const char *)f : "NULL", u ? (const char *)u : "NULL");
        return -1;
    }
    int fday = fy * 10000 + fm * 100 + fd, uday = uy * 10000 + um * 100 + ud;
    if (c->started) {
        if (fday == c->from && uday == c->until)
            return 0;
        fail(ctx, c, "from and until must be the same for every row of a group (%s, %s)",
             (const char *)f, (const char *)u);
        return -1;
    }
    if (fday > uday) {
        fail(ctx, c, "from %s is after until %s", (const char *)f, (const char *)u);
        return -1;
    }
    c->first = period_of(fy, fm, months_per);
    c->count = period_of(uy, um, months_per) - c->first + 1;
    if (c->count > MAX_PERIODS / months_per) {
        fail(ctx, c, "the window %s to %s is longer than 100 years", (const char *)f,
             (const char *)u);
        return -1;
    }
    c->from = fday;
    c->until = uday;
    c->started = 1;
    return 0;
}

/* One row: fixes or checks the window, and marks the period of the row's date as covered. */
static void cadence_step(sqlite3_context *ctx, int argc, sqlite3_value **argv, int months_per)
{
    (void)argc;
    cadence *c = sqlite3_aggregate_context(ctx, sizeof *c);
    if (!c) {
        sqlite3_result_error_nomem(ctx);
        return;
    }
    if (c->failed || start_window(ctx, c, argv[1], argv[2], months_per) != 0)
        return;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL)
        return;
    int text = sqlite3_value_type(argv[0]) == SQLITE_TEXT;
    const unsigned char *t = sqlite3_value_text(argv[0]);
    int y, m, d;
    if (!text || parse_date(t, &y, &m, &d) != 0) {
        fail(ctx, c, "'%s' is not a date (YYYY-MM-DD)", t ? (const char *)t : "");
        return;
    }
    int p = period_of(y, m, months_per) - c->first;
    if (p >= 0 && p < c->count)
        c->seen[p] = 1;
}

static void months_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    cadence_step(ctx, argc, argv, 1);
}

static void quarters_step(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    cadence_step(ctx, argc, argv, 3);
}

/* The count of periods due without a date; NULL for a group without rows. After an error the
 * query has already failed, and nothing is returned. */
static void cadence_final(sqlite3_context *ctx)
{
    cadence *c = sqlite3_aggregate_context(ctx, 0);
    if (!c || !c->started || c->failed) {
        if (!c || !c->failed)
            sqlite3_result_null(ctx); /* no row at all: nothing to say */
        return;
    }
    int missing = 0;
    for (int i = 0; i < c->count; i++)
        missing += !c->seen[i];
    sqlite3_result_int(ctx, missing);
}

/* Whether the window's periods fall in more than one calendar year. */
static int window_spans_years(const cadence *c, int months_per)
{
    return c->first * months_per / 12 != (c->first + c->count - 1) * months_per / 12;
}

/* The periods due without a date, named: "第2、3季度", "8、9月"; with the year on each when the
 * window spans years ("2018年第4季度、2019年第1季度"); '' when none is missing; NULL for a
 * group without rows (as the counts). */
static void cadence_list_final(sqlite3_context *ctx, int months_per)
{
    cadence *c = sqlite3_aggregate_context(ctx, 0);
    if (!c || !c->started || c->failed) {
        if (!c || !c->failed)
            sqlite3_result_null(ctx);
        return;
    }
    const char *pre = months_per == 3 ? "第" : "", *unit = months_per == 3 ? "季度" : "月";
    int spans = window_spans_years(c, months_per), n = 0;
    strbuf sb = {0};
    for (int i = 0; i < c->count; i++) {
        if (c->seen[i])
            continue;
        int p = c->first + i, within = p % (12 / months_per) + 1;
        if (spans)
            sb_printf(&sb, "%s%d年%s%d%s", n ? "、" : "", p * months_per / 12, pre, within, unit);
        else
            sb_printf(&sb, "%s%s%d", n ? "、" : "", n ? "" : pre, within);
        n++;
    }
    if (n && !spans)
        sb_append(&sb, unit);
    sqlite3_result_text(ctx, sb_str(&sb), -1, SQLITE_TRANSIENT);
    sb_free(&sb);
}

static void months_list_final(sqlite3_context *ctx)
{
    cadence_list_final(ctx, 1);
}

static void quarters_list_final(sqlite3_context *ctx)
{
    cadence_list_final(ctx, 3);
}

int ev_register_cadence(sqlite3 *db)
{
    const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    int rc = sqlite3_create_function_v2(db, "kh_months_missing", 3, flags, "kh_months_missing",
                                        NULL, months_step, cadence_final, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "kh_quarters_missing", 3, flags, "kh_quarters_missing",
                                        NULL, quarters_step, cadence_final, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "kh_months_missing_list", 3, flags,
                                        "kh_months_missing_list", NULL, months_step,
                                        months_list_final, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_create_function_v2(db, "kh_quarters_missing_list", 3, flags,
                                        "kh_quarters_missing_list", NULL, quarters_step,
                                        quarters_list_final, NULL);
    return rc;
}
