/*
 * test_report.c — the workbook's defences against hostile text: sheet names that once overflowed
 * a stack buffer, bytes that are not UTF-8, texts longer than a cell. Each expected value is
 * worked out by hand in the comment beside it. A workbook written with such texts is read back
 * with the engine's own xlsx reader (expat refuses a part that is not well-formed XML).
 */
#include <stdlib.h>
#include <unistd.h>

#include "base/utf8.h"
#include "check.h"
#include "report/report_internal.h"
#include "report/xlsx_read.h"

#define FFFD "\xEF\xBF\xBD"

static void test_utf8_cell(void)
{
    strbuf out = {0};
    const char *ok = "考核 ok";
    /* well-formed and short: the text itself, nothing copied */
    CHECK(kh_utf8_cell(&out, ok, 100, "!") == ok);
    /* one stray byte 0xFF becomes one U+FFFD */
    CHECK(strcmp(kh_utf8_cell(&out,
                              "a\xFF"
                              "b",
                              100, "!"),
                 "a" FFFD "b") == 0);
    /* an overlong '/' (C0 AF): C0 never starts a character, AF is a stray continuation: two */
    CHECK(strcmp(kh_utf8_cell(&out, "\xC0\xAF", 100, "!"), FFFD FFFD) == 0);
    /* a UTF-16 surrogate (ED A0 80): ED may not be followed by A0..BF; then two strays */
    CHECK(strcmp(kh_utf8_cell(&out, "\xED\xA0\x80", 100, "!"), FFFD FFFD FFFD) == 0);
    /* 中 (E4 B8 AD) cut before its last byte: E4 B8 is not a character, so two replacements */
    CHECK(strcmp(kh_utf8_cell(&out, "x\xE4\xB8", 100, "!"), "x" FFFD FFFD) == 0);
    /* five characters into four: three of the text, then the one-character mark */
    CHECK(strcmp(kh_utf8_cell(&out, "考核指标说明", 4, "…"), "考核指…") == 0);
    /* exactly at the limit: untouched */
    CHECK(strcmp(kh_utf8_cell(&out, "考核", 2, "…"), "考核") == 0);
    CHECK(kh_utf8_cell(&out, NULL, 2, "…") == NULL);
    /* well-formed UTF-8 that XML 1.0 does not allow: a control character (here 0x02; tab and
     * line feed are allowed) and U+FFFF (EF BF BF): one replacement each */
    CHECK(strcmp(kh_utf8_cell(&out, "a\x02\tb\n", 100, "!"), "a" FFFD "\tb\n") == 0);
    CHECK(strcmp(kh_utf8_cell(&out, "\xEF\xBF\xBFz", 100, "!"), FFFD "z") == 0);
    /* kh_utf8_invalid: offset of the first bad byte */
    CHECK(kh_utf8_invalid("ab\xE4\xB8\xAD\xFF", 6) == 5);
    CHECK(kh_utf8_invalid("ab\xE4\xB8\xAD", 5) == (size_t)-1);
    /* ASCII is skipped eight bytes at a time: a bad byte at every offset of 20 ASCII bytes
     * (two whole runs and a tail), a character across a run's edge (中 at 6..8) and a lead byte
     * cut off at the end after a run (offset 8) */
    for (size_t at = 0; at < 20; at++) {
        char s[21] = "0123456789abcdefghij";
        s[at] = '\xFF';
        CHECK(kh_utf8_invalid(s, 20) == at);
    }
    CHECK(kh_utf8_invalid("0123456789abcdefghij", 20) == (size_t)-1);
    CHECK(kh_utf8_invalid("012345\xE4\xB8\xAD"
                          "0123456789",
                          19) == (size_t)-1);
    CHECK(kh_utf8_invalid("01234567\xE4\xB8", 10) == 8);
    /* kh_utf8_cut: 中文 is 6 bytes; at most 4 bytes keeps 中 (3), never half of 文 */
    CHECK(kh_utf8_cut("中文", 6, 4) == 3);
    CHECK(kh_utf8_cut("中文", 6, 6) == 6);
    sb_free(&out);
}

static void test_sheet_names(void)
{
    sheet_names names = {0};
    /* the overflow: one lead byte and 300 continuation bytes was "one character" of 301
     * bytes, copied into a 128-byte buffer. Now: 'a' then every stray byte a U+FFFD, cut at
     * 28 characters: 'a' and 27 replacements */
    char evil[302];
    evil[0] = 'a';
    memset(evil + 1, 0x80, 300);
    evil[301] = '\0';
    strbuf want = {0};
    sb_append(&want, "a");
    for (int i = 0; i < 27; i++)
        sb_append(&want, FFFD);
    CHECK(strcmp(report_sheet_name(&names, evil), sb_str(&want)) == 0);
    sb_free(&want);
    /* refused characters become '_', and so do apostrophes at either end */
    CHECK(strcmp(report_sheet_name(&names, "a[b]:c*?/\\d"), "a_b__c____d") == 0);
    CHECK(strcmp(report_sheet_name(&names, "'x'"), "_x_") == 0);
    CHECK(strcmp(report_sheet_name(&names, ""), "_") == 0);
    /* a control character in a sheet name made xl/workbook.xml not well-formed (fuzz_report) */
    CHECK(strcmp(report_sheet_name(&names, "x\x02y"), "x" FFFD "y") == 0);
    /* Excel's names are unique whatever the case: "AB" after "Ab" is "AB-2" */
    CHECK(strcmp(report_sheet_name(&names, "Ab"), "Ab") == 0);
    CHECK(strcmp(report_sheet_name(&names, "AB"), "AB-2") == 0);
    /* 40 characters: cut to 28; the same again gets "-2" (30 characters) */
    const char *long_name =
        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十";
    const char *cut = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八";
    CHECK(strcmp(report_sheet_name(&names, long_name), cut) == 0);
    strbuf two = {0};
    sb_printf(&two, "%s-2", cut);
    CHECK(strcmp(report_sheet_name(&names, long_name), sb_str(&two)) == 0);
    sb_free(&two);
    /* from "-100" on the suffix takes its room from the name: 27 + 4 = 31 characters */
    for (int k = 3; k < 100; k++)
        report_sheet_name(&names, long_name);
    const char *hundred = report_sheet_name(&names, long_name);
    CHECK(strncmp(hundred, cut, strlen(cut) - 3) == 0);
    CHECK(strcmp(hundred + strlen(cut) - 3, "-100") == 0);
    report_sheet_names_free(&names);
}

typedef struct read_back {
    char *cells[8];
} read_back;

static int keep_row(long row, size_t ncells, const char *const *cells, const unsigned char *number,
                    void *ud)
{
    (void)number;
    read_back *rb = ud;
    if (row >= 1 && row <= 8 && ncells > 0 && cells[0])
        rb->cells[row - 1] = strdup(cells[0]);
    return 0;
}

/* Characters in a well-formed UTF-8 text. */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void test_hostile_workbook(void)
{
    char path[] = "/tmp/kaohe-test-report-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "t");
    /* an honest 400-character Chinese text (the ledger once cut such a text mid-character) */
    strbuf honest = {0}, huge = {0};
    for (int i = 0; i < 200; i++)
        sb_append(&honest, "考核");
    /* 40,000 characters: past a cell's 32,767 */
    for (int i = 0; i < 40000; i++)
        sb_append(&huge, "中");
    report_string(ws, 0, 0, "村\xFF名\xC0", NULL);
    report_string(ws, 1, 0, sb_str(&honest), NULL);
    report_string(ws, 2, 0, sb_str(&huge), NULL);
    report_merge(ws, 3, 0, 3, 2, "标题\xED\xA0\x80", NULL);
    report_link(ws, 4, 0, "internal:'t'!A1", NULL, "链\xFE", "tip");
    CHECK(workbook_close(wb) == LXW_NO_ERROR);

    read_back rb = {0};
    kh_error err = {0};
    CHECK(xlsx_read_sheet(path, "t", keep_row, &rb, &err) == 0);
    CHECK_CONTAINS(err.msg, "");
    CHECK(rb.cells[0] && strcmp(rb.cells[0], "村" FFFD "名" FFFD) == 0);
    CHECK(rb.cells[1] && strcmp(rb.cells[1], sb_str(&honest)) == 0);
    /* 32,767 characters in all: the first 32,767 - len(mark) of the text, then the mark */
    CHECK(rb.cells[2] && chars(rb.cells[2]) == KH_CELL_MAX_CHARS);
    size_t mark_chars = chars(REPORT_CUT_MARK);
    CHECK(rb.cells[2] &&
          strncmp(rb.cells[2], sb_str(&huge), 3 * (KH_CELL_MAX_CHARS - mark_chars)) == 0);
    CHECK(rb.cells[2] &&
          strcmp(rb.cells[2] + 3 * (KH_CELL_MAX_CHARS - mark_chars), REPORT_CUT_MARK) == 0);
    CHECK(rb.cells[3] && strcmp(rb.cells[3], "标题" FFFD FFFD FFFD) == 0);
    CHECK(rb.cells[4] && strcmp(rb.cells[4], "链" FFFD) == 0);
    for (int i = 0; i < 8; i++)
        free(rb.cells[i]);
    sb_free(&honest);
    sb_free(&huge);
    unlink(path);
}

int main(void)
{
    test_utf8_cell();
    test_sheet_names();
    test_hostile_workbook();
    return CHECK_REPORT();
}
