/*
 * report_text.c — the one door through which text enters a workbook cell. See the section
 * "Text in cells" of report_internal.h.
 *
 * Scorecard texts and evidence values may hold any bytes, and an .xlsx part is XML: one byte
 * that is not UTF-8 makes the whole workbook unreadable, and libxlsxwriter silently leaves out
 * a string longer than a cell holds. Each writer here passes its text through kh_utf8_cell
 * first, so a bad byte shows as � and an over-long text is cut with a visible mark, while the
 * results database keeps the text whole.
 */
#include <string.h>

#include "base/utf8.h"
#include "report/report_internal.h"

const char *report_cell_text(strbuf *out, const char *s)
{
    return kh_utf8_cell(out, s, KH_CELL_MAX_CHARS, REPORT_CUT_MARK);
}

lxw_error report_string(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                        lxw_format *fmt)
{
    strbuf fixed = {0};
    lxw_error rc = worksheet_write_string(ws, row, col, report_cell_text(&fixed, s), fmt);
    sb_free(&fixed);
    return rc;
}

lxw_error report_merge(lxw_worksheet *ws, lxw_row_t first_row, lxw_col_t first_col,
                       lxw_row_t last_row, lxw_col_t last_col, const char *s, lxw_format *fmt)
{
    strbuf fixed = {0};
    lxw_error rc = worksheet_merge_range(ws, first_row, first_col, last_row, last_col,
                                         report_cell_text(&fixed, s), fmt);
    sb_free(&fixed);
    return rc;
}

lxw_error report_link(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *url,
                      lxw_format *fmt, const char *s, const char *tip)
{
    strbuf fixed = {0};
    lxw_error rc =
        worksheet_write_url_opt(ws, row, col, url, fmt, report_cell_text(&fixed, s), tip);
    sb_free(&fixed);
    return rc;
}
