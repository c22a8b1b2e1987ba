/*
 * report.h — the Excel workbook (libxlsxwriter).
 *
 * Sheets: 汇总 (every subject with its total, grade and rank), 考核明细 (every item of every
 * subject), 扣分明细 (every lost point with its evidence table and key) and 运行信息 (the run
 * manifest). Writes exactly `path` (the caller gives a temporary name and renames it when the
 * whole run has succeeded) and names `display` in errors; on failure the partial file is
 * removed.
 */
#ifndef KAOHE_REPORT_H
#define KAOHE_REPORT_H

#include "eval.h"
#include "manifest.h"

int report_write(const char *path, const char *display, const kh_manifest *m, scorecard **scs,
                 size_t nsc, const kh_results *r, kh_error *err);

/* A one-sheet workbook of plain rows (the 回头看 ledger, the 抽查清单): a title row, a header
 * row repeated on every printed page, `nrows` rows of `ncols` cells (row-major), the last
 * `hidden_tail` columns hidden (machine keys a filled-in sheet is read back by). Written to a
 * temporary name and renamed when complete. */
int report_table_workbook(const char *path, const char *sheet, const char *title,
                          const char *const *heads, const double *widths, int ncols,
                          int hidden_tail, char *const *cells, size_t nrows, kh_error *err);

#endif
