/*
 * test_import.c — the value parsers of kaohe import, with values worked out by hand, and the
 * import's 身份证号 check-digit refusal on a one-table scratch database.
 */
#include <sqlite3.h>
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

/* 300 people on lines 2 … 301, P2 … P301 ("P" and the line), four of them bad: the schema refuses
 * the name 坏 (lines 135 and 201) and the import a wrong check digit (lines 140 and 280:
 * 610102198001010016 must end in 5, worked out in main). Rows are written in batches of 128:
 * lines 2–129 in one step; line 140 is refused before the rows from 130 on are written, so those
 * are written first, one by one, and line 135 is found before it; lines 141–268 are a batch,
 * refused at line 201: the rows before it stay, line 201 is found, and from there on (line 280)
 * rows go one by one. The problems are reported in line order, and with --partial the 296 good
 * rows go in and the rejects file lists the four in line order. Keyless: a table with no key,
 * where a row written twice would be there twice (lines 141–200, kept by SQLite from the
 * refused batch, must not be written again). */
static void test_batches(int partial, int keyless)
{
    char dir[] = "/tmp/kaohe-test-batch-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    strbuf sql = {0};
    sb_printf(&sql,
              "CREATE TABLE person (id TEXT%s, name TEXT NOT NULL CHECK (name <> '坏'));\n"
              "CREATE TABLE import_log (id INTEGER PRIMARY KEY, file TEXT, sha256 TEXT, tbl TEXT, "
              "encoding TEXT, rows_read INTEGER, accepted INTEGER, rejected INTEGER, "
              "imported_at TEXT);\n",
              keyless ? "" : " PRIMARY KEY");
    char *schema = write_file(dir, "schema.sql", sb_str(&sql));
    sb_free(&sql);
    char *map = write_file(dir, "headers.tsv", "table\tcolumn\theader\n");
    strbuf csv = {0};
    sb_append(&csv, "id,name\n");
    for (int line = 2; line <= 301; line++)
        if (line == 140 || line == 280)
            sb_append(&csv, "610102198001010016,某\n");
        else
            sb_printf(&csv, "P%d,%s\n", line, line == 135 || line == 201 ? "坏" : "某");
    char *file = write_file(dir, "person.csv", sb_str(&csv));
    sb_free(&csv);
    strbuf db = {0}, rejects = {0};
    sb_printf(&db, "%s/evidence.db", dir);
    sb_printf(&rejects, "%s/rejects.csv", dir);
    kh_error err;
    err.msg[0] = '\0';
    const char *schemas[] = {schema};
    CHECK(ev_build(sb_str(&db), schemas, 1, &err) == 0);
    const char *files[] = {file};
    kh_import_options opt = {.evidence_path = sb_str(&db),
                             .map_path = map,
                             .files = files,
                             .nfiles = 1,
                             .partial = partial,
                             .rejects_path = sb_str(&rejects)};
    kh_import_report report;
    int rc = kh_import(&opt, &report, &err);
    /* the four problems' lines and reasons, in the order they were reported */
    strbuf got = {0};
    if (partial) {
        CHECK(rc == 0);
        CHECK(report.nfiles == 1 && report.files[0].read == 300 &&
              report.files[0].accepted == 296 && report.files[0].rejected == 4);
        sb_read_file(&got, sb_str(&rejects));
    } else {
        CHECK(rc != 0);
        CHECK_CONTAINS(err.msg, "4 problems in the files: nothing was imported");
        sb_append(&got, report.errors ? report.errors : "");
    }
    /* one problem a line (the rejects file: after its header), in this order */
    const char *want[4][2] = {{"135", "refused by the schema: CHECK constraint failed"},
                              {"140", "has check digit 6"},
                              {"201", "refused by the schema: CHECK constraint failed"},
                              {"280", "has check digit 6"}};
    sb_append(&got, ""); /* got.data is then the file's own buffer, even when empty */
    char *text = got.data;
    if (partial)
        text = strchr(text, '\n') ? strchr(text, '\n') + 1 : text;
    size_t k = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"), k++) {
        char at[24];
        snprintf(at, sizeof at, partial ? "%s," : "person.csv:%s: ", k < 4 ? want[k][0] : "?");
        CHECK(k < 4 && (partial ? strncmp(line, at, strlen(at)) == 0 : strstr(line, at) != NULL));
        CHECK(k < 4 && strstr(line, want[k][1]) != NULL);
    }
    CHECK(k == 4);
    sb_free(&got);
    kh_import_report_free(&report);
    /* the rows in the file: 296 with --partial, none without (all or nothing) */
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    CHECK(sqlite3_open_v2(sb_str(&db), &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
          sqlite3_prepare_v2(h, "SELECT count(*), count(DISTINCT id) FROM person", -1, &st, NULL) ==
              SQLITE_OK &&
          sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int(st, 0) == (partial ? 296 : 0) &&
          sqlite3_column_int(st, 1) == (partial ? 296 : 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    unlink(schema);
    unlink(map);
    unlink(file);
    unlink(sb_str(&db));
    unlink(sb_str(&rejects));
    rmdir(dir);
    free(schema);
    free(map);
    free(file);
    sb_free(&db);
    sb_free(&rejects);
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

    test_batches(0, 0);
    test_batches(1, 0);
    test_batches(1, 1);
    return CHECK_REPORT();
}
