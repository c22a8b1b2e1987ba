/*
 * import_xlsx.c — report's bounded, streaming xlsx reader (xlsx_read.h) as the row source of
 * `kaohe import` (evidence/import.h): the sheets of a workbook and each sheet's rows, handed to
 * the sink import gives. Only the callback's argument order differs; the reader's limits (zip
 * bombs, shared strings, cell length, rows, columns) apply as they do everywhere it reads.
 */
#include "app/import_xlsx.h"

#include "report/xlsx_read.h"

static int sheets(void *ud, const char *file, char ***names, size_t *n, kh_error *err)
{
    (void)ud;
    return xlsx_sheet_names(file, names, n, err);
}

typedef struct relay {
    kh_row_sink sink;
    void *sink_ud;
} relay;

static int relay_row(long row, size_t ncells, const char *const *cells, const unsigned char *number,
                     void *ud)
{
    relay *r = ud;
    return r->sink(r->sink_ud, row, ncells, cells, number);
}

static int read_rows(void *ud, const char *file, const char *sheet, kh_row_sink sink, void *sink_ud,
                     kh_error *err)
{
    (void)ud;
    relay r = {sink, sink_ud};
    return xlsx_read_sheet(file, sheet, relay_row, &r, err);
}

const kh_row_source *app_xlsx_rows(void)
{
    static const kh_row_source source = {".xlsx", sheets, read_rows, NULL};
    return &source;
}
