/*
 * manifest_pack.h — the scores and deductions of the hidden manifest, packed (issue 19 item 2).
 *
 * The workbook's kaohe_manifest sheet once held every score and deduction as a row of cells
 * (a third of a county workbook's XML, and of its writing time). They are now records of
 * tab-separated fields — the cells the rows had, the type first — deflated (zlib) and written
 * as base64 text in "packed" rows of MPACK_CELL_CHARS characters, closed by a
 * "packed_end <records>" row. The reader inflates them piece by piece and hands every record
 * to the same row callback the cells went to, so a manifest of either format reads alike.
 * zlib's own checksum and the record count catch a damaged or truncated blob.
 */
#ifndef KAOHE_MANIFEST_PACK_H
#define KAOHE_MANIFEST_PACK_H

#include <stddef.h>

#include "base/strbuf.h"
#include "report/xlsx_read.h"

/* base64 characters a packed cell holds (a multiple of 4, under Excel's 32,767) */
#define MPACK_CELL_CHARS 32000
/* what the records may inflate to, together, and one record at most: past these a workbook
 * is refused (a crafted blob inflating to gigabytes) */
#define MPACK_MAX_BYTES  (1ull << 30)
#define MPACK_MAX_RECORD (1u << 20)

typedef struct mpack_writer mpack_writer;

/* emit(ud, text) is called with each packed cell's text as it fills up; 0 = go on. */
typedef int (*mpack_emit_fn)(void *ud, const char *text);

mpack_writer *mpack_writer_new(mpack_emit_fn emit, void *ud);
/* Adds one record of n fields (NULL is written as ""). 0, or emit's non-zero. */
int mpack_add(mpack_writer *w, size_t n, const char *const *fields);
/* Flushes the last cell; *records = how many were added. 0, or emit's non-zero. */
int mpack_finish(mpack_writer *w, size_t *records);
void mpack_writer_free(mpack_writer *w);

typedef struct mpack_reader mpack_reader;

/* `where` names the workbook in messages; fn gets every record as a row of cells. */
mpack_reader *mpack_reader_new(const char *where, xlsx_row_fn fn, void *ud);
/* One packed cell's text, in order. 0, or -1 with err (bad base64, a damaged stream, a
 * limit). */
int mpack_reader_piece(mpack_reader *r, const char *text, kh_error *err);
/* The packed_end row: the stream must be complete and hold exactly `records` records. */
int mpack_reader_end(mpack_reader *r, const char *records, kh_error *err);
/* 1 when packed cells were read but no packed_end yet (a truncated manifest). */
int mpack_reader_open(const mpack_reader *r);
void mpack_reader_free(mpack_reader *r);

#endif
