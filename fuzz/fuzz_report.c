/*
 * fuzz_report.c — libFuzzer target: arbitrary bytes as the texts of a workbook (sheet names
 * and cells, split at NUL bytes), written through the report's one door for text
 * (report_sheet_name, report_string, report_merge) and read back. A text may hold any bytes —
 * scorecard titles, evidence values — so the workbook must always be well-formed: the engine's
 * own reader (expat) failing on it is a finding, and so is any crash or overflow under ASan.
 */
#include "fuzz_common.h"
#include "report/report_internal.h"
#include "report/xlsx_read.h"

static int ignore_row(long row, size_t ncells, const char *const *cells,
                      const unsigned char *number, void *ud)
{
    (void)row, (void)ncells, (void)cells, (void)number, (void)ud;
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    fuzz_evidence(); /* makes the fuzz directory */
    const char *path = fuzz_path("fuzz-report.xlsx");
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    lxw_workbook *wb = workbook_new(path);
    sheet_names names = {0};
    lxw_worksheet *first = workbook_add_worksheet(wb, report_sheet_name(&names, "t"));
    lxw_row_t row = 0;
    for (size_t at = 0; at <= size && row < 64; at += strlen(text + at) + 1, row++) {
        const char *s = text + at;
        lxw_worksheet *ws = workbook_add_worksheet(wb, report_sheet_name(&names, s));
        if (!ws)
            abort(); /* a sheet name libxlsxwriter refuses: report_sheet_name let it through */
        report_string(first, row, 0, s, NULL);
        report_merge(ws, 0, 0, 0, 2, s, NULL);
        report_fit_row(ws, 0, &s, (const double[]){10}, 1);
    }
    if (workbook_close(wb) != LXW_NO_ERROR)
        abort();
    kh_error err;
    if (xlsx_read_sheet(path, "t", ignore_row, NULL, &err) != 0) {
        fprintf(stderr, "fuzz_report: the workbook does not read back: %s\n", err.msg);
        abort();
    }
    report_sheet_names_free(&names);
    free(text);
    unlink(path);
    return 0;
}
