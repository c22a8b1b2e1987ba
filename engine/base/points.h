/*
 * points.h — exact score arithmetic.
 *
 * Points are kept as integer hundredths ("centipoints"): 0.2 is 20, 95 is 9500. Forms print
 * points with at most two decimals, so every value a form can state is exact here, sums are
 * exact, and 0.2 × 3 is 60 (0.6), never 0.6000000000000001. Conversion from the double a Lua
 * scorecard writes happens in one place (points_from_double) and refuses values that are not
 * a whole number of hundredths.
 */
#ifndef KAOHE_POINTS_H
#define KAOHE_POINTS_H

#include <stddef.h>
#include <stdint.h>

typedef int64_t points_t; /* hundredths of a point */

#define POINTS_ONE 100

/* Largest magnitude accepted from a scorecard: one million points is beyond any form. */
#define POINTS_MAX ((points_t)100000000)

/* Converts a double such as 0.2 or 95 to hundredths. Returns 0 on success, -1 when the value
 * is not finite, out of range, or has more than two decimals (e.g. 0.125). */
int points_from_double(double value, points_t *out);

/* Parses decimal text such as "0.2", "-3", "12.50" exactly (no binary floating point).
 * Returns 0 on success, -1 on malformed text or more than two decimals. */
int points_parse(const char *text, points_t *out);

/* Formats with the fewest decimals needed ("0.6", "95", "-1.25"); buf needs 32 bytes.
 * Returns buf. */
char *points_format(points_t p, char *buf, size_t size);

/* Formats with exactly two decimals ("0.60"); buf needs 32 bytes. Returns buf. */
char *points_format2(points_t p, char *buf, size_t size);

/* The double nearest to p / 100, for storage and spreadsheets. */
double points_to_double(points_t p);

#endif
