/*
 * import_xlsx.h — the row source that lets `kaohe import` read Excel workbooks: evidence owns
 * the import but may not include the xlsx reader (report/), so app/ hands it this.
 */
#ifndef KAOHE_IMPORT_XLSX_H
#define KAOHE_IMPORT_XLSX_H

#include "evidence/import.h"

/* The reader of .xlsx files for kh_import_options.sheets (static; nothing to free). */
const kh_row_source *app_xlsx_rows(void);

#endif
