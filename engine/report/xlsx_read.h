/*
 * xlsx_read.h — reading a sheet of a workbook back, cell text by row (libzip + expat). Used by
 * `kaohe reproduce --workbook` (the run's manifest and results travel in the workbook) and by
 * `kaohe sample --import` (a filled-in 抽查清单), and by `kaohe import` of an .xlsx
 * (app/import_xlsx.c).
 */
#ifndef KAOHE_XLSX_READ_H
#define KAOHE_XLSX_READ_H

#include <stddef.h>

#include "base/strbuf.h"

/* Called once per row that has cells: `row` is 1-based, cells[i] is column i's text or NULL.
 * number[i] is 1 when column i is a number cell (a value typed as a number, not as text): its
 * text is then the number as the file stores it, which for a typed 1.1 is Excel's shortest
 * round-trip form of the double, "1.1000000000000001", not what was typed. Return non-zero to
 * stop reading. */
typedef int (*xlsx_row_fn)(long row, size_t ncells, const char *const *cells,
                           const unsigned char *number, void *ud);

/* What a workbook may make the reader do (issue 18: a 1.2 MB zip whose part inflated to
 * 1.2 GB, 18 million shared strings, a single giant cell). Parts are streamed through the XML
 * parser, never inflated whole; a workbook past any of these is refused with a message naming
 * the file and the limit, before the caller has seen a row past the limit. The largest part of
 * a county's workbook is tens of MB, its shared strings a few hundred thousand. */
#define XLSX_MAX_PART_BYTES   (512ull << 20) /* one XML part, inflated */
#define XLSX_MAX_TOTAL_BYTES  (1ull << 30)   /* every part read for one sheet, inflated */
#define XLSX_MAX_STRINGS      4000000        /* entries of the shared-string table */
#define XLSX_MAX_STRING_BYTES (256ull << 20) /* their text, together */
#define XLSX_MAX_CELL_BYTES   (32767 * 4)    /* Excel's 32,767 characters, 4 bytes each at most */
#define XLSX_MAX_ROW          1048576        /* Excel's last row */
#define XLSX_MAX_COLUMN       16384          /* Excel's last column, XFD */
#define XLSX_MAX_SHEETS       4096           /* sheets named by the workbook */

/* The names of the workbook's sheets, in order: *names (each and the array the caller's to free).
 * 0, or -1 with err. */
int xlsx_sheet_names(const char *path, char ***names, size_t *n, kh_error *err);

int xlsx_read_sheet(const char *path, const char *sheet, xlsx_row_fn fn, void *ud, kh_error *err);

#endif
