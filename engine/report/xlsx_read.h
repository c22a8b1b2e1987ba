/*
 * xlsx_read.h — reading a sheet of a workbook back, cell text by row (libzip + expat). Used by
 * `kaohe reproduce --workbook` (the run's manifest and results travel in the workbook) and by
 * `kaohe sample --import` (a filled-in 抽查清单).
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

int xlsx_read_sheet(const char *path, const char *sheet, xlsx_row_fn fn, void *ud, kh_error *err);

#endif
