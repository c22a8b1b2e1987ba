/*
 * test_import.c — the value parsers of kaohe import, with values worked out by hand.
 */
#include "base/parse.h"
#include "check.h"
#include "evidence/import.h"

int main(void)
{
    char d[11];
    /* the forms people type */
    CHECK(kh_parse_date("2018-05-31", d) == 0 && strcmp(d, "2018-05-31") == 0);
    CHECK(kh_parse_date("2018/5/31", d) == 0 && strcmp(d, "2018-05-31") == 0);
    CHECK(kh_parse_date("2018年5月31日", d) == 0 && strcmp(d, "2018-05-31") == 0);
    CHECK(kh_parse_date("20180531", d) == 0 && strcmp(d, "2018-05-31") == 0);
    CHECK(kh_parse_date("2018.5.1", d) == 0 && strcmp(d, "2018-05-01") == 0);
    /* calendar checks: 2018 is not a leap year, 2016 is, 1900 is not */
    CHECK(kh_parse_date("2018-02-29", d) == -1);
    CHECK(kh_parse_date("2016-02-29", d) == 0);
    CHECK(kh_parse_date("1900-02-29", d) == -1);
    CHECK(kh_parse_date("2018-13-01", d) == -1);
    CHECK(kh_parse_date("2018-04-31", d) == -1);
    CHECK(kh_parse_date("31/05/2018", d) == -1);
    CHECK(kh_parse_date("2018-05-31x", d) == -1);
    CHECK(kh_parse_date("", d) == -1);

    int64_t fen = 0;
    /* 12.30 元 is 1230 fen exactly; in binary floating point 12.30 * 100 is 1229.9999999999998 */
    CHECK(kh_parse_yuan("12.30", &fen) == 0 && fen == 1230);
    CHECK(kh_parse_yuan("12.3", &fen) == 0 && fen == 1230);
    CHECK(kh_parse_yuan("0.07", &fen) == 0 && fen == 7);
    CHECK(kh_parse_yuan("1,234.50", &fen) == 0 && fen == 123450);
    CHECK(kh_parse_yuan("¥12", &fen) == 0 && fen == 1200);
    CHECK(kh_parse_yuan("12.300", &fen) == 0 && fen == 1230);
    CHECK(kh_parse_yuan("-5.00", &fen) == 0 && fen == -500);
    CHECK(kh_parse_yuan("12.345", &fen) == -1);
    CHECK(kh_parse_yuan("12元", &fen) == -1);
    CHECK(kh_parse_yuan("", &fen) == -1);
    CHECK(kh_parse_yuan(".5", &fen) == -1);

    /* ISO 7064 MOD 11-2 by hand for 11010519491231002: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8
     * 4 2 give 7+9+0+0+8+0+2+9+24+27+7+18+30+0+0+0+4 = 145; 145 mod 11 = 2 → 'X' */
    CHECK(kh_id_check_digit("11010519491231002") == 'X');
    /* 44052418800101001: 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195; 195 mod 11 = 8 → '4' */
    CHECK(kh_id_check_digit("44052418800101001") == '4');
    return CHECK_REPORT();
}
