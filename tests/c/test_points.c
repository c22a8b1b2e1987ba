/*
 * test_points.c — exact point arithmetic. Expected values are the decimal arithmetic a person
 * does on paper.
 */
#include "base/parse.h"
#include "base/points.h"
#include "check.h"

int main(void)
{
    points_t p = 0;
    char buf[32];

    /* 0.2 from a Lua number is exactly 20 hundredths, and three of them are 0.6. */
    CHECK(points_from_double(0.2, &p) == 0 && p == 20);
    CHECK(p * 3 == 60);
    CHECK(strcmp(points_format(p * 3, buf, sizeof buf), "0.6") == 0);
    /* in binary floating point the same sum is not 0.6 — the reason points are integers */
    CHECK(0.2 + 0.2 + 0.2 != 0.6);

    CHECK(points_from_double(95, &p) == 0 && p == 9500);
    CHECK(points_from_double(-1.25, &p) == 0 && p == -125);
    CHECK(points_from_double(0.125, &p) == -1); /* a third decimal is refused */
    CHECK(points_from_double(1.0 / 0.0, &p) == -1);
    CHECK(points_from_double(1e12, &p) == -1);

    CHECK(points_parse("0.2", &p) == 0 && p == 20);
    CHECK(points_parse("12.50", &p) == 0 && p == 1250);
    CHECK(points_parse("0.250", &p) == 0 && p == 25);
    CHECK(points_parse("-3", &p) == 0 && p == -300);
    CHECK(points_parse("0.125", &p) == -1);
    CHECK(points_parse("1.", &p) == -1);
    CHECK(points_parse("", &p) == -1);
    CHECK(points_parse("abc", &p) == -1);
    CHECK(points_parse("1e3", &p) == -1);

    /* where a real number is wanted (a rate parameter), not points: the whole text, finite */
    double r = 0;
    CHECK(kh_parse_real("0.95", &r) == 0 && r == 0.95);
    CHECK(kh_parse_real("-3", &r) == 0 && r == -3);
    CHECK(kh_parse_real("1e-2", &r) == 0 && r == 0.01);
    CHECK(kh_parse_real("0.9x", &r) == -1);
    CHECK(kh_parse_real(" 0.9", &r) == -1);
    CHECK(kh_parse_real("", &r) == -1);
    CHECK(kh_parse_real("inf", &r) == -1);
    CHECK(kh_parse_real("nan", &r) == -1);
    CHECK(kh_parse_real("1e999", &r) == -1);

    CHECK(strcmp(points_format(9500, buf, sizeof buf), "95") == 0);
    CHECK(strcmp(points_format(-140, buf, sizeof buf), "-1.4") == 0);
    CHECK(strcmp(points_format(5, buf, sizeof buf), "0.05") == 0);
    CHECK(strcmp(points_format2(-60, buf, sizeof buf), "-0.60") == 0);
    CHECK(strcmp(points_format2(0, buf, sizeof buf), "0.00") == 0);

    /* the double stored for 0.6 is the one a reader typing 0.6 gets */
    CHECK(points_to_double(60) == 0.6);
    CHECK(points_to_double(-140) == -1.4);

    /* 0.2 × 7 cases summed one by one stays exact: 1.4 (each case converted from the Lua
     * number, as a scorecard's `each` is) */
    points_t sum = 0;
    int converted = 0;
    for (int i = 0; i < 7; i++)
        if (points_from_double(0.2, &p) == 0) {
            sum += p;
            converted++;
        }
    CHECK(converted == 7 && sum == 140);
    CHECK(strcmp(points_format(sum, buf, sizeof buf), "1.4") == 0);
    CHECK(points_to_double(sum) == 1.4);
    return CHECK_REPORT();
}
