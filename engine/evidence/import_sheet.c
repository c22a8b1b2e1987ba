/*
 * import_sheet.c — a sheet of an Excel workbook into the evidence, through the row source app/
 * gives import (evidence may not include the xlsx reader, which lives in report/).
 *
 * A sheet is not a CSV export: a title may stand above the header ("2023年住院结算"), a header
 * may be two rows with merged cells (a group title over 总费用/自付, 姓名 merged down over
 * both rows: Excel keeps a merged cell's text in its top-left cell only), and typed numbers and
 * dates arrive as doubles (a date as its serial, 43251 for 2018-05-31). So the first rows are
 * held until the header is found — the row among them whose cells name the most columns of the
 * table, an empty cell taking the text of the merged cell above it — and a number cell is read
 * as its column's kind. From there on every row goes through the same checks as a CSV line,
 * its number in messages being the sheet's row number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"
#include "evidence/import_internal.h"

#define HEADER_ROWS 10 /* the rows looked at for the header */
#define MERGED_UP   2  /* how far above an empty header cell its merged text may stand */

typedef struct held_row {
    long row;
    size_t n;
    char **cells;
    unsigned char *number;
} held_row;

typedef struct sheet_sink {
    importer *im;
    kh_error *err;
    held_row held[HEADER_ROWS];
    size_t nheld;
    int header_known;
    size_t *src; /* field k of a record ← column src[k] of the sheet */
    size_t nsrc;
} sheet_sink;

static const char *cell(const held_row *r, size_t c)
{
    return c < r->n && r->cells[c] ? r->cells[c] : "";
}

/* The header text of column c if row h is the header: its own cell, or when empty the text of
 * a cell merged down over it from just above. */
static const char *header_text(const sheet_sink *ss, size_t h, size_t c)
{
    for (size_t up = 0; up <= MERGED_UP && up <= h; up++)
        if (*cell(&ss->held[h - up], c))
            return cell(&ss->held[h - up], c);
    return "";
}

static size_t width(const sheet_sink *ss, size_t h)
{
    size_t w = 0;
    for (size_t up = 0; up <= MERGED_UP && up <= h; up++)
        if (ss->held[h - up].n > w)
            w = ss->held[h - up].n;
    return w;
}

/* How many of row h's header texts name a column of the table. */
static int score(const sheet_sink *ss, size_t h)
{
    int n = 0;
    for (size_t c = 0; c < width(ss, h); c++)
        n += *header_text(ss, h, c) &&
             imp_header_column(ss->im->map, &ss->im->table, header_text(ss, h, c)) >= 0;
    return n;
}

/* A number cell's text as its column reads it: a date serial as the date, an amount to the
 * fen it means (12.3 typed is stored as 12.300000000000001), a whole number without ".0". */
static char *number_text(const column *col, const char *text)
{
    char *end;
    double d = strtod(text, &end);
    char buf[64];
    if (*end || end == text)
        return xstrdup(text);
    if (col->kind == V_DATE) {
        if (kh_excel_date(d, buf) == 0)
            return xstrdup(buf);
        return xstrdup(text); /* refused as "not a date" with the text as stored */
    }
    if (col->kind == V_FEN && d > -1e13 && d < 1e13) { /* in range: the casts cannot overflow */
        double cents = d * 100;
        long long whole = (long long)(cents < 0 ? cents - 0.5 : cents + 0.5);
        if (cents - (double)whole < 1e-6 && (double)whole - cents < 1e-6) {
            long long a = whole < 0 ? -whole : whole;
            snprintf(buf, sizeof buf, "%s%lld.%02lld", whole < 0 ? "-" : "", a / 100, a % 100);
            return xstrdup(buf);
        }
    }
    if (col->kind != V_REAL && d > -1e15 && d < 1e15 && d == (double)(long long)d) {
        snprintf(buf, sizeof buf, "%lld", (long long)d);
        return xstrdup(buf);
    }
    return xstrdup(text);
}

/* Field k's text from its cell: a number cell through number_text; a date cell (type "d")
 * holds ISO 8601 with a time ("2018-05-31T00:00:00"), of which the date is kept. */
static char *field_text(const importer *im, size_t k, const char *text, int number)
{
    const column *col = &im->table.cols[im->colmap[k]];
    if (number)
        return number_text(col, text);
    if (col->kind == V_DATE && strlen(text) > 10 && text[10] == 'T') {
        char d[11];
        memcpy(d, text, 10);
        d[10] = '\0';
        return xstrdup(d);
    }
    return xstrdup(text);
}

/* One data row of the sheet through the importer; a value in a column without a header
 * refuses the row (where would it go?). */
static void feed_row(sheet_sink *ss, long row, size_t n, const char *const *cells,
                     const unsigned char *number)
{
    importer *im = ss->im;
    int any = 0;
    for (size_t c = 0; c < n && !any; c++)
        any = cells[c] && cells[c][0];
    if (!any || im->failed)
        return;
    im->rec.line = row;
    for (size_t k = 0; k < ss->nsrc; k++) {
        size_t c = ss->src[k];
        char *text = c < n && cells[c] ? field_text(im, k, cells[c], number[c]) : xstrdup("");
        imp_push_field(im, text, strlen(text));
        free(text);
    }
    size_t stray = 0;
    for (size_t c = 0; c < n && !stray; c++) {
        int headed = 0;
        for (size_t k = 0; k < ss->nsrc && !headed; k++)
            headed = ss->src[k] == c;
        if (!headed && cells[c] && cells[c][0])
            stray = c + 1;
    }
    if (stray) {
        char why[64];
        snprintf(why, sizeof why, "column %zu has a value but no header", stray);
        imp_refuse_record(im, why);
    } else
        imp_take_record(im);
}

/* The header chosen among the held rows, taken as the header record, and the held rows below
 * it fed as data. 0, or -1 (err set, or the header's problems noted). */
static int settle_header(sheet_sink *ss)
{
    importer *im = ss->im;
    size_t best = 0;
    int top = 0;
    for (size_t h = 0; h < ss->nheld; h++) {
        int s = score(ss, h);
        if (s > top) {
            top = s;
            best = h;
        }
    }
    ss->header_known = 1;
    if (top == 0) {
        im->failed = 1;
        kh_seterr(ss->err,
                  "%s: no header row in the first %d rows (none of their cells names a column of "
                  "table %s)",
                  im->where, HEADER_ROWS, im->table.name);
        return -1;
    }
    size_t w = width(ss, best);
    ss->src = xcalloc(w ? w : 1, sizeof *ss->src);
    im->rec.line = ss->held[best].row;
    for (size_t c = 0; c < w; c++)
        if (*header_text(ss, best, c)) {
            ss->src[ss->nsrc++] = c;
            imp_push_field(im, header_text(ss, best, c), strlen(header_text(ss, best, c)));
        }
    imp_take_record(im);
    if (im->failed)
        return -1;
    for (size_t h = best + 1; h < ss->nheld; h++)
        feed_row(ss, ss->held[h].row, ss->held[h].n, (const char *const *)ss->held[h].cells,
                 ss->held[h].number);
    return 0;
}

/* The row source's sink: a row held while the header is not known, else fed; non-zero stops
 * the reading. */
static int sink(void *ud, long row, size_t n, const char *const *cells, const unsigned char *number)
{
    sheet_sink *ss = ud;
    if (ss->header_known) {
        feed_row(ss, row, n, cells, number);
        return ss->im->failed;
    }
    held_row *h = &ss->held[ss->nheld++];
    h->row = row;
    h->n = n;
    h->cells = xcalloc(n ? n : 1, sizeof *h->cells);
    h->number = xcalloc(n ? n : 1, 1);
    for (size_t c = 0; c < n; c++) {
        h->cells[c] = cells[c] ? xstrdup(cells[c]) : NULL;
        h->number[c] = number[c];
    }
    if (ss->nheld == HEADER_ROWS && settle_header(ss) != 0)
        return 1;
    return ss->im->failed;
}

int imp_read_sheet(importer *im, const char *file, const char *sheet, kh_error *err)
{
    sheet_sink ss = {.im = im, .err = err};
    const kh_row_source *src = im->opt->sheets;
    int rc = src->read(src->ud, file, sheet, sink, &ss, err);
    if (rc == 0 && !ss.header_known) {
        if (ss.nheld == 0) {
            kh_seterr(err, "%s: empty sheet (no header row)", im->where);
            rc = -1;
        } else {
            rc = settle_header(&ss);
        }
    }
    if (rc == 0 && ss.header_known && im->failed)
        rc = -1;
    for (size_t h = 0; h < ss.nheld; h++) {
        for (size_t c = 0; c < ss.held[h].n; c++)
            free(ss.held[h].cells[c]);
        free(ss.held[h].cells);
        free(ss.held[h].number);
    }
    free(ss.src);
    return rc;
}
