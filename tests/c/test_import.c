/*
 * test_import.c — the value parsers of kaohe import, with values worked out by hand, and the
 * import's 身份证号 check-digit refusal on a one-table scratch database.
 */
#include <stdlib.h>
#include <unistd.h>

#include "base/parse.h"
#include "check.h"
#include "evidence/evidence_build.h"
#include "evidence/import.h"

/* Writes `text` to DIR/name and returns the path (owned by the caller). */
static char *write_file(const char *dir, const char *name, const char *text)
{
    strbuf p = {0};
    sb_printf(&p, "%s/%s", dir, name);
    FILE *f = fopen(sb_str(&p), "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return sb_take(&p);
}

/* Imports `csv` into the person table of a scratch evidence database whose schema is that
 * table and the import log (the import checks 身份证号 on person.id). Returns kh_import's result;
 * on failure the message must contain `expect`. The scratch files are removed. */
static int import_people(const char *csv, const char *expect)
{
    char dir[] = "/tmp/kaohe-test-import-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return -1;
    }
    char *schema = write_file(dir, "schema.sql",
                              "CREATE TABLE person (id TEXT PRIMARY KEY, name TEXT NOT NULL);\n"
                              "CREATE TABLE import_log (id INTEGER PRIMARY KEY, file TEXT, "
                              "sha256 TEXT, tbl TEXT, encoding TEXT, rows_read INTEGER, "
                              "accepted INTEGER, rejected INTEGER, imported_at TEXT);\n");
    char *map = write_file(dir, "headers.tsv", "table\tcolumn\theader\n");
    char *file = write_file(dir, "person.csv", csv);
    strbuf db = {0};
    sb_printf(&db, "%s/evidence.db", dir);
    kh_error err;
    err.msg[0] = '\0';
    const char *schemas[] = {schema};
    int rc = ev_build(sb_str(&db), schemas, 1, &err);
    CHECK(rc == 0);
    if (rc == 0) {
        const char *files[] = {file};
        kh_import_options opt = {
            .evidence_path = sb_str(&db), .map_path = map, .files = files, .nfiles = 1};
        kh_import_report report;
        rc = kh_import(&opt, &report, &err);
        kh_import_report_free(&report);
        if (rc != 0 && expect)
            CHECK_CONTAINS(err.msg, expect);
        else if (rc != 0)
            fprintf(stderr, "import refused: %s\n", err.msg);
    }
    unlink(schema);
    unlink(map);
    unlink(file);
    unlink(sb_str(&db));
    rmdir(dir);
    free(schema);
    free(map);
    free(file);
    sb_free(&db);
    return rc;
}

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
    /* Excel date serials (the 1900 system), worked out by hand: 25569 is 1970-01-01; 43251 is
     * 17682 days later, 150 days into 2018 (17532 days from 1970 to 2018: 48 years, 12 leap
     * days) → 2018-05-31; 29221 is 3652 days after 1970 (two leap days) → 1980-01-01; 60 is the
     * 1900-02-29 that never was, so 59 and 61 are the days either side; the time is dropped */
    CHECK(kh_excel_date(1, d) == 0 && strcmp(d, "1900-01-01") == 0);
    CHECK(kh_excel_date(59, d) == 0 && strcmp(d, "1900-02-28") == 0);
    CHECK(kh_excel_date(60, d) == -1);
    CHECK(kh_excel_date(61, d) == 0 && strcmp(d, "1900-03-01") == 0);
    CHECK(kh_excel_date(25569, d) == 0 && strcmp(d, "1970-01-01") == 0);
    CHECK(kh_excel_date(29221, d) == 0 && strcmp(d, "1980-01-01") == 0);
    CHECK(kh_excel_date(43251, d) == 0 && strcmp(d, "2018-05-31") == 0);
    CHECK(kh_excel_date(43251.75, d) == 0 && strcmp(d, "2018-05-31") == 0);
    CHECK(kh_excel_date(2958465, d) == 0 && strcmp(d, "9999-12-31") == 0);
    CHECK(kh_excel_date(2958466, d) == -1);
    CHECK(kh_excel_date(0, d) == -1);
    CHECK(kh_excel_date(-3, d) == -1);

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

    /* ISO 7064 MOD 11-2 by hand (weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; the remainder
     * mod 11 picks from "10X98765432"). 11010519491231002:
     * 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 = 15*11 + 2 → 'X' */
    CHECK(kh_id_check_digit("11010519491231002") == 'X');
    /* 44052418800101001: 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195; 195 mod 11 = 8 → '4' */
    CHECK(kh_id_check_digit("44052418800101001") == '4');
    /* 32010619900307008: 21+18+0+5+0+24+2+9+54+0+0+27+0+35+0+0+16 = 211; 211 = 19*11 + 2 → 'X' */
    CHECK(kh_id_check_digit("32010619900307008") == 'X');
    /* 61010219800101001: 42+9+0+5+0+8+2+9+48+0+0+9+0+5+0+0+2 = 139; 139 = 12*11 + 7 → '5' */
    CHECK(kh_id_check_digit("61010219800101001") == '5');

    /* the import refuses a 身份证号 whose check digit is wrong and accepts an X (either case) */
    CHECK(import_people("id,name\n32010619900307008X,甲\n32010619900307008x,乙\n", NULL) == 0);
    CHECK(
        import_people("id,name\n610102198001010016,丙\n",
                      ":2: column id: 身份证号 610102198001010016 has check digit 6, but its first "
                      "17 digits give 5") != 0);

    /* a key twice among 3,000 (the key set's slots grow from 1,024 three times, its arena
     * moves): P1 … P3000 on lines 2 … 3001, P1500 on line 1501, again on line 3002 */
    strbuf many = {0};
    sb_append(&many, "id,name\n");
    for (int i = 1; i <= 3000; i++)
        sb_printf(&many, "P%d,某\n", i);
    CHECK(import_people(sb_str(&many), NULL) == 0);
    sb_append(&many, "P1500,某\n");
    CHECK(import_people(sb_str(&many), ":3002: duplicate key P1500 (also at line 1501)") != 0);
    sb_free(&many);
    return CHECK_REPORT();
}
