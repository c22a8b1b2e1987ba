/*
 * report.h — the Excel workbook (libxlsxwriter).
 *
 * Sheets: 汇总 (every subject with its total, grade and rank), 考核明细 (every item of every
 * subject), 扣分明细 (every lost point with its evidence table and key) and 运行信息 (the run
 * manifest). Writes exactly `path` (the caller gives a temporary name and renames it when the
 * whole run has succeeded); on failure the partial file is removed.
 */
#ifndef KAOHE_REPORT_H
#define KAOHE_REPORT_H

#include "eval.h"
#include "manifest.h"

int report_write(const char *path, const kh_manifest *m, scorecard **scs, size_t nsc,
                 const kh_results *r, kh_error *err);

#endif
