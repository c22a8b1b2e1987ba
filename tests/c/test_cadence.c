/*
 * test_cadence.c — kh_months_missing and kh_quarters_missing (evidence/cadence.c), called as a
 * scorecard query calls them: through ev_query on a read-only evidence connection, past the
 * authorizer. Every expected count is worked out by hand in the comment above it.
 */
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"

/* got equals want (both shown when not). */
#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        CHECK(strcmp(g_, w_) == 0);                                                                \
        if (strcmp(g_, w_) != 0)                                                                   \
            fprintf(stderr, "  got \"%s\", want \"%s\"\n", g_, w_);                                \
    } while (0)
#include "evidence/evidence.h"

/* Visits of five persons:
 *   P1  2018-01-15, 2018-01-20, 2018-03-31, 2018-07-01 08:30 (a time after the date),
 *       2017-12-31 (before any window below), and a NULL (a LEFT JOIN's empty row)
 *   P2  2018-06-10, 2018-08-01
 *   P3  2018-12-05, 2019-02-28
 *   P4  only a NULL: never visited
 *   P5  2018-02-30, which is not a date */
static void make_db(const char *path)
{
    sqlite3 *db;
    unlink(path);
    CHECK(sqlite3_open(path, &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db,
                       "CREATE TABLE visit (person TEXT NOT NULL, visited_on TEXT);"
                       "INSERT INTO visit VALUES ('P1', '2018-01-15'), ('P1', '2018-01-20'),"
                       " ('P1', '2018-03-31'), ('P1', '2018-07-01 08:30'), ('P1', '2017-12-31'),"
                       " ('P1', NULL), ('P2', '2018-06-10'), ('P2', '2018-08-01'),"
                       " ('P3', '2018-12-05'), ('P3', '2019-02-28'), ('P4', NULL),"
                       " ('P5', '2018-02-30');",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_close(db);
}

/* Opens `fn`(visited_on, from, until) over one person's visits: 0, or -1 (message in err). */
static int query_one(evidence *ev, const char *fn, const char *person, const char *from,
                     const char *until, ev_cursor **c, kh_error *err)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "SELECT %s(visited_on, :item_from, :item_until) FROM visit WHERE person = :who", fn);
    kh_param p[] = {{"item_from", {.type = KH_TEXT, .s = from}},
                    {"item_until", {.type = KH_TEXT, .s = until}},
                    {"who", {.type = KH_TEXT, .s = person}}};
    err->msg[0] = '\0';
    return ev_query(ev, sql, p, 3, "t:", c, err);
}

/* The function's value for one person over [from, until]; -1 when NULL, -2 on an error (its
 * message in err). */
static int missing(evidence *ev, const char *fn, const char *person, const char *from,
                   const char *until, kh_error *err)
{
    ev_cursor *c = NULL;
    if (query_one(ev, fn, person, from, until, &c, err) != 0)
        return -2;
    int rc = ev_step(c, err);
    int v = rc == 1 ? (ev_coltype(c, 0) == KH_NULL ? -1 : (int)ev_int(c, 0)) : -2;
    ev_done(c);
    return v;
}

/* The _list function's text for one person over [from, until] into buf: "NULL" when NULL,
 * "ERROR" on an error (its message in err). */
static const char *missed(evidence *ev, const char *fn, const char *person, const char *from,
                          const char *until, char *buf, size_t size, kh_error *err)
{
    ev_cursor *c = NULL;
    snprintf(buf, size, "ERROR");
    if (query_one(ev, fn, person, from, until, &c, err) != 0)
        return buf;
    if (ev_step(c, err) == 1)
        snprintf(buf, size, "%s", ev_coltype(c, 0) == KH_NULL ? "NULL" : ev_text(c, 0));
    ev_done(c);
    return buf;
}

#define MONTHS(who, from, until)   missing(ev, "kh_months_missing", who, from, until, &err)
#define QUARTERS(who, from, until) missing(ev, "kh_quarters_missing", who, from, until, &err)

int main(void)
{
    char path[256];
    snprintf(path, sizeof path, "/tmp/kaohe_test_cadence_%ld.db", (long)getpid());
    make_db(path);
    kh_error err;
    evidence *ev = ev_open(path, &err);
    CHECK(ev != NULL);
    if (!ev)
        return CHECK_REPORT();

    /* The year 2018. P1 covers January, March and July: 12 - 3 = 9 months missing (2017-12-31
     * is in no month due; the NULL is no visit). Quarters: Q1 (Jan, Mar) and Q3 (Jul) covered,
     * Q2 and Q4 missing: 2. */
    CHECK(MONTHS("P1", "2018-01-01", "2018-12-31") == 9);
    CHECK(QUARTERS("P1", "2018-01-01", "2018-12-31") == 2);

    /* A window starting mid-month: 2018-06-29 … 2018-12-31. Months due: June (its last two
     * days are in the window) to December, 7. P2's 2018-06-10 is in June — outside the window
     * but in a month due — so June is covered, and August: 7 - 2 = 5 missing. Quarters due:
     * Q2, Q3, Q4; 06-10 covers Q2, 08-01 Q3: 1 missing (Q4). */
    CHECK(MONTHS("P2", "2018-06-29", "2018-12-31") == 5);
    CHECK(QUARTERS("P2", "2018-06-29", "2018-12-31") == 1);

    /* Across a year's end: 2018-11-15 … 2019-02-01. Months due: 2018-11, 2018-12, 2019-01,
     * 2019-02 (its first day is in the window). P3 covers December, and February by
     * 2019-02-28 (in a month due though after `until`): 2 missing (November, January).
     * Quarters due: 2018 Q4 and 2019 Q1, both covered: 0. */
    CHECK(MONTHS("P3", "2018-11-15", "2019-02-01") == 2);
    CHECK(QUARTERS("P3", "2018-11-15", "2019-02-01") == 0);

    /* Never visited (only a NULL row): every period due is missing, 12 months, 4 quarters. A
     * one-day window is one month and one quarter. No row at all: NULL. */
    CHECK(MONTHS("P4", "2018-01-01", "2018-12-31") == 12);
    CHECK(QUARTERS("P4", "2018-01-01", "2018-12-31") == 4);
    CHECK(MONTHS("P4", "2018-05-05", "2018-05-05") == 1);
    CHECK(MONTHS("nobody", "2018-01-01", "2018-12-31") == -1);

    /* Mistakes stop the query, naming the function and what is wrong. */
    CHECK(MONTHS("P5", "2018-01-01", "2018-12-31") == -2);
    CHECK_CONTAINS(err.msg, "kh_months_missing: '2018-02-30' is not a date (YYYY-MM-DD)");
    CHECK(QUARTERS("P1", "2018-12-31", "2018-01-01") == -2);
    CHECK_CONTAINS(err.msg, "kh_quarters_missing: from 2018-12-31 is after until 2018-01-01");
    CHECK(MONTHS("P1", "2018", "2018-12-31") == -2);
    CHECK_CONTAINS(err.msg, "kh_months_missing: from and until must be dates such as 2018-01-01 "
                            "(got 2018 and 2018-12-31)");
    CHECK(MONTHS("P1", "1900-01-01", "2018-12-31") == -2);
    CHECK_CONTAINS(err.msg, "is longer than 100 years");

    /* The _list functions name what the counts count (issue 15 item 3: the reason of the
     * evidence row behind a loss).
     * P1 over 2018: months 1, 3, 7 covered → the other 9 named; quarters Q2 and Q4.
     * P2 over 2018-06-29 … 2018-12-31: months 7, 9, 10, 11, 12 (June and August covered);
     *   quarter 4.
     * P3 across the year's end: 2018-11 and 2019-01 missing, each with its year; quarters none
     *   missing → ''.
     * P4 never visited: 第1、2、3、4季度. No row: NULL. A bad date stops the query likewise. */
    char b[256];
#define MONTHS_LIST(who, from, until)                                                              \
    missed(ev, "kh_months_missing_list", who, from, until, b, sizeof b, &err)
#define QUARTERS_LIST(who, from, until)                                                            \
    missed(ev, "kh_quarters_missing_list", who, from, until, b, sizeof b, &err)
    CHECK_STR(MONTHS_LIST("P1", "2018-01-01", "2018-12-31"), "2、4、5、6、8、9、10、11、12月");
    CHECK_STR(QUARTERS_LIST("P1", "2018-01-01", "2018-12-31"), "第2、4季度");
    CHECK_STR(MONTHS_LIST("P2", "2018-06-29", "2018-12-31"), "7、9、10、11、12月");
    CHECK_STR(QUARTERS_LIST("P2", "2018-06-29", "2018-12-31"), "第4季度");
    CHECK_STR(MONTHS_LIST("P3", "2018-11-15", "2019-02-01"), "2018年11月、2019年1月");
    CHECK_STR(QUARTERS_LIST("P3", "2018-11-15", "2019-02-01"), "");
    CHECK_STR(QUARTERS_LIST("P4", "2018-01-01", "2018-12-31"), "第1、2、3、4季度");
    CHECK_STR(QUARTERS_LIST("P4", "2018-10-01", "2019-03-31"), "2018年第4季度、2019年第1季度");
    CHECK_STR(MONTHS_LIST("nobody", "2018-01-01", "2018-12-31"), "NULL");
    CHECK_STR(MONTHS_LIST("P5", "2018-01-01", "2018-12-31"), "ERROR");
    CHECK_CONTAINS(err.msg, "kh_months_missing_list: '2018-02-30' is not a date (YYYY-MM-DD)");

    /* from and until must not change within a group. */
    kh_param none[] = {{"x", {.type = KH_INT, .i = 0}}};
    ev_cursor *c = NULL;
    CHECK(ev_query(ev,
                   "SELECT kh_months_missing(visited_on, CASE WHEN visited_on > '2018-03' THEN "
                   "'2018-02-01' ELSE '2018-01-01' END, '2018-12-31') FROM visit "
                   "WHERE person = 'P1' AND :x = 0",
                   none, 1, "t:", &c, &err) == 0);
    CHECK(c && ev_step(c, &err) < 0);
    CHECK_CONTAINS(err.msg, "must be the same for every row of a group");
    ev_done(c);

    /* GROUP BY: one count per person, as a scorecard's per-subject query computes it. */
    kh_param win[] = {{"item_from", {.type = KH_TEXT, .s = "2018-01-01"}},
                      {"item_until", {.type = KH_TEXT, .s = "2018-12-31"}}};
    CHECK(ev_query(ev,
                   "SELECT person, kh_quarters_missing(visited_on, :item_from, :item_until) "
                   "FROM visit WHERE person IN ('P1', 'P2', 'P4') GROUP BY person ORDER BY person",
                   win, 2, "t:", &c, &err) == 0);
    /* P1: 2 (above); P2 over the whole year: Q2 (06-10), Q3 (08-01) covered → 2; P4: 4 */
    int want[] = {2, 2, 4}, n = 0;
    while (c && ev_step(c, &err) == 1 && n < 3)
        CHECK(ev_int(c, 1) == want[n++]);
    CHECK(n == 3);
    ev_done(c);

    ev_close(ev);
    unlink(path);
    return CHECK_REPORT();
}
