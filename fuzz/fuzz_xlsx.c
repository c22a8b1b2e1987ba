/*
 * fuzz_xlsx.c — libFuzzer target: arbitrary bytes as a workbook handed to the xlsx reader (what
 * `reproduce --workbook` and `sample --import` read from files people send). Must never crash,
 * hang or grow without bound: every outcome is rows or a message. Seeded with a small workbook
 * (fuzz/corpus/xlsx/), whose zip and XML the fuzzer mutates.
 */
#include "fuzz_common.h"
#include "report/xlsx_read.h"

static int count_row(long row, size_t ncells, const char *const *cells, const unsigned char *number,
                     void *ud)
{
    (void)row, (void)number;
    size_t *total = ud;
    for (size_t i = 0; i < ncells; i++)
        *total += cells[i] ? strlen(cells[i]) : 0;
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    fuzz_evidence(); /* makes the fuzz directory */
    const char *path = fuzz_path("fuzz.xlsx");
    fuzz_write(path, data, size);
    size_t total = 0;
    kh_error err;
    xlsx_read_sheet(path, "kaohe_manifest", count_row, &total, &err);
    return 0;
}
