/*
 * parse.h — values as people type them: dates, amounts in 元, real numbers, 是/否 flags,
 * 身份证号 check digits.
 */
#ifndef KAOHE_PARSE_H
#define KAOHE_PARSE_H

#include <stdint.h>

/* 身份证号 check digit (ISO 7064 MOD 11-2) of the first 17 digits: '0'…'9' or 'X'. */
char kh_id_check_digit(const char *first17);

/* Date as people type it → "YYYY-MM-DD"; -1 if it is not a calendar date. */
int kh_parse_date(const char *text, char out[11]);

/* An Excel date serial → "YYYY-MM-DD". The 1900 date system: 1 is 1900-01-01, 61 is
 * 1900-03-01, and 60 is the 1900-02-29 that never was (Excel keeps Lotus 1-2-3's mistake), so it
 * is refused; a time of day (the fraction) is dropped. -1 outside 1 .. 2958465 (9999-12-31). */
int kh_excel_date(double serial, char out[11]);

/* Amount in 元 ("12.30", "1,234.5", "¥12") → fen, exactly; -1 if malformed or more than two
 * decimals. Negative amounts parse (the caller refuses them with its own message). */
int kh_parse_yuan(const char *text, int64_t *fen);

/* A real number ("0.95", "-3", "1e-2") where a double is what is wanted (a rate, a scorecard
 * parameter); points and exact decimals go through points_parse instead. The whole text must
 * be the number (no leading or trailing space), finite and in range. 0, or -1. */
int kh_parse_real(const char *text, double *out);

/* 是/否, 1/0, Y/N, true/false, 有/无 → 1/0; -1 otherwise. */
int kh_parse_flag(const char *s);

#endif
