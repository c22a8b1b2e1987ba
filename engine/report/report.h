/*
 * report.h — the Excel workbook (libxlsxwriter).
 *
 * Sheets: 汇总 (every subject with its total, grade and rank, linked to its filled-in form),
 * 图表, 整改台账, 扣分明细 (every lost point with its evidence table and key), 考核明细 (every
 * item of every subject), 运行信息 (the run manifest), the forms, and the hidden
 * kaohe_manifest.
 *
 * A run over more than one county (a province, in one database or merged from shards) gets
 * the provincial report
 * instead: 汇总 over every subject and roll-up, 图表 by city or county, 整改台账, 运行信息 — and
 * in 扣分明细 and 考核明细 a note giving the counts and where the rows are (the results
 * database; each county's own workbook). Millions of evidence rows and tens of thousands of
 * forms are not a report anyone reads or prints in one file, and writing them would take
 * longer than evaluating the province. Writes exactly `path` (the caller gives a temporary name and
 * renames it when the whole run has succeeded) and names `display` in errors; on failure the
 * partial file is removed.
 */
#ifndef KAOHE_REPORT_H
#define KAOHE_REPORT_H

#include "core/eval.h"
#include "core/manifest.h"

int report_write(const char *path, const char *display, const kh_manifest *m, scorecard **scs,
                 size_t nsc, const kh_results *r, kh_error *err);

/* A one-sheet workbook of plain rows (the 回头看 ledger, the 抽查清单): a title row, a header
 * row repeated on every printed page, `nrows` rows of `ncols` cells (row-major), the last
 * `hidden_tail` columns hidden (machine keys a filled-in sheet is read back by). Written to a
 * temporary name and renamed when complete. */
int report_table_workbook(const char *path, const char *sheet, const char *title,
                          const char *const *heads, const double *widths, int ncols,
                          int hidden_tail, char *const *cells, size_t nrows, kh_error *err);

/* libxlsxwriter's version ("1.1.4"), for the version line. */
const char *report_xlsxwriter_version(void);

#endif
