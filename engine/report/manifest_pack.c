/*
 * manifest_pack.c — packing the manifest's records into base64 cells and reading them back.
 * See manifest_pack.h.
 */
#include "report/manifest_pack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Deflated bytes per cell: MPACK_CELL_CHARS base64 characters, no padding inside the blob. */
#define RAW_PER_CELL (MPACK_CELL_CHARS / 4 * 3)

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* ---- writing ----------------------------------------------------------------------------- */

struct mpack_writer {
    z_stream z;
    mpack_emit_fn emit;
    void *ud;
    strbuf line;        /* the record being added, escaped */
    unsigned char *raw; /* deflated bytes not yet emitted */
    size_t nraw;        /* of RAW_PER_CELL */
    char cell[MPACK_CELL_CHARS + 1];
    size_t records;
};

mpack_writer *mpack_writer_new(mpack_emit_fn emit, void *ud)
{
    mpack_writer *w = xcalloc(1, sizeof *w);
    w->emit = emit;
    w->ud = ud;
    w->raw = xmalloc(RAW_PER_CELL);
    /* the fastest level: the records repeat themselves, so it already packs them ~10×, and
     * the workbook's own zip deflates the sheet again */
    if (deflateInit(&w->z, Z_BEST_SPEED) != Z_OK) {
        fprintf(stderr, "kaohe: zlib: cannot start deflate\n");
        abort();
    }
    return w;
}

/* Emits the deflated bytes held as one cell of base64. */
static int emit_cell(mpack_writer *w)
{
    size_t o = 0;
    for (size_t i = 0; i < w->nraw; i += 3) {
        unsigned v = (unsigned)w->raw[i] << 16;
        size_t left = w->nraw - i;
        if (left > 1)
            v |= (unsigned)w->raw[i + 1] << 8;
        if (left > 2)
            v |= w->raw[i + 2];
        w->cell[o++] = B64[v >> 18 & 63];
        w->cell[o++] = B64[v >> 12 & 63];
        w->cell[o++] = left > 1 ? B64[v >> 6 & 63] : '=';
        w->cell[o++] = left > 2 ? B64[v & 63] : '=';
    }
    w->cell[o] = '\0';
    w->nraw = 0;
    return w->emit(w->ud, w->cell);
}

/* Deflates `n` bytes (flush: Z_NO_FLUSH or Z_FINISH), emitting every cell that fills. */
static int deflate_bytes(mpack_writer *w, const char *p, size_t n, int flush)
{
    w->z.next_in = (unsigned char *)p;
    w->z.avail_in = (uInt)n;
    for (;;) {
        w->z.next_out = w->raw + w->nraw;
        w->z.avail_out = (uInt)(RAW_PER_CELL - w->nraw);
        int zr = deflate(&w->z, flush);
        w->nraw = RAW_PER_CELL - w->z.avail_out;
        if (w->nraw == RAW_PER_CELL) {
            int rc = emit_cell(w);
            if (rc)
                return rc;
            continue;
        }
        if (flush == Z_FINISH ? zr == Z_STREAM_END : w->z.avail_in == 0)
            return 0;
    }
}

/* A field with its tabs, newlines and backslashes escaped: the record's separators stay
 * unambiguous whatever an evidence key holds. */
static void put_field(strbuf *line, const char *s)
{
    size_t start = 0, i = 0;
    for (; s[i]; i++) {
        const char *esc = s[i] == '\\' ? "\\\\" : s[i] == '\t' ? "\\t" : s[i] == '\n' ? "\\n" : 0;
        if (!esc)
            continue;
        sb_appendn(line, s + start, i - start);
        sb_appendn(line, esc, 2);
        start = i + 1;
    }
    sb_appendn(line, s + start, i - start);
}

int mpack_add(mpack_writer *w, size_t n, const char *const *fields)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_appendn(&w->line, "\t", 1);
        put_field(&w->line, fields[i] ? fields[i] : "");
    }
    sb_appendn(&w->line, "\n", 1);
    w->records++;
    if (w->line.len < 65536)
        return 0;
    int rc = deflate_bytes(w, w->line.data, w->line.len, Z_NO_FLUSH);
    w->line.len = 0;
    return rc;
}

int mpack_finish(mpack_writer *w, size_t *records)
{
    int rc = deflate_bytes(w, w->line.data ? w->line.data : "", w->line.len, Z_FINISH);
    w->line.len = 0;
    if (rc == 0 && w->nraw)
        rc = emit_cell(w);
    *records = w->records;
    return rc;
}

void mpack_writer_free(mpack_writer *w)
{
    if (!w)
        return;
    deflateEnd(&w->z);
    sb_free(&w->line);
    free(w->raw);
    free(w);
}

/* ---- reading ----------------------------------------------------------------------------- */

struct mpack_reader {
    z_stream z;
    const char *where;
    xlsx_row_fn fn;
    void *ud;
    int started, ended, stream_end;
    uint64_t inflated;
    strbuf pending; /* inflated text after the last complete record */
    size_t records;
};

mpack_reader *mpack_reader_new(const char *where, xlsx_row_fn fn, void *ud)
{
    mpack_reader *r = xcalloc(1, sizeof *r);
    r->where = where;
    r->fn = fn;
    r->ud = ud;
    if (inflateInit(&r->z) != Z_OK) {
        fprintf(stderr, "kaohe: zlib: cannot start inflate\n");
        abort();
    }
    return r;
}

static int b64_value(unsigned char c)
{
    const char *p = c ? strchr(B64, c) : NULL;
    return p ? (int)(p - B64) : -1;
}

/* One base64 cell into bytes; -1 when it is not base64 (a damaged or edited cell). */
static long b64_decode(const char *s, unsigned char *out)
{
    size_t n = strlen(s), o = 0;
    if (n % 4)
        return -1;
    for (size_t i = 0; i < n; i += 4) {
        int v[4];
        for (int k = 0; k < 4; k++)
            v[k] = s[i + k] == '=' && k >= 2 && i + 4 == n ? 0 : b64_value((unsigned char)s[i + k]);
        if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0 || (s[i + 2] == '=' && s[i + 3] != '='))
            return -1;
        unsigned x =
            (unsigned)v[0] << 18 | (unsigned)v[1] << 12 | (unsigned)v[2] << 6 | (unsigned)v[3];
        out[o++] = (unsigned char)(x >> 16);
        if (s[i + 2] != '=')
            out[o++] = (unsigned char)(x >> 8);
        if (s[i + 3] != '=')
            out[o++] = (unsigned char)x;
    }
    return (long)o;
}

/* Undoes put_field in place. */
static void unescape(char *s)
{
    char *o = s;
    for (; *s; s++) {
        if (*s == '\\' && s[1]) {
            s++;
            *o++ = *s == 't' ? '\t' : *s == 'n' ? '\n' : *s;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
}

/* Hands one record (a line without its newline, modified in place) to the row callback. */
static int give_record(mpack_reader *r, char *line)
{
    enum { MAX_FIELDS = 16 };
    const char *cells[MAX_FIELDS];
    unsigned char number[MAX_FIELDS] = {0};
    size_t n = 0;
    for (char *f = line; f && n < MAX_FIELDS;) {
        char *tab = strchr(f, '\t');
        if (tab)
            *tab = '\0';
        unescape(f);
        cells[n++] = f;
        f = tab ? tab + 1 : NULL;
    }
    r->records++;
    return r->fn((long)r->records, n, cells, number, r->ud);
}

/* Every complete record of the pending text to the callback; the rest stays pending. */
static int give_records(mpack_reader *r, kh_error *err)
{
    char *start = r->pending.data;
    char *end = start ? start + r->pending.len : NULL;
    for (char *nl; start && (nl = memchr(start, '\n', (size_t)(end - start))); start = nl + 1) {
        *nl = '\0';
        if (give_record(r, start) != 0) {
            kh_seterr(err, "%s: the manifest's packed records were not read to the end", r->where);
            return -1;
        }
    }
    size_t rest = start ? (size_t)(end - start) : 0;
    if (rest > MPACK_MAX_RECORD) {
        kh_seterr(err,
                  "%s: a packed manifest record is longer than %u bytes (a damaged or "
                  "crafted workbook)",
                  r->where, MPACK_MAX_RECORD);
        return -1;
    }
    if (rest && start != r->pending.data)
        memmove(r->pending.data, start, rest);
    r->pending.len = rest;
    return 0;
}

static int damaged(mpack_reader *r, const char *what, kh_error *err)
{
    kh_seterr(err,
              "%s: the kaohe_manifest sheet's packed records %s (a damaged or edited "
              "workbook); reproduce it from its results database (--results)",
              r->where, what);
    return -1;
}

int mpack_reader_piece(mpack_reader *r, const char *text, kh_error *err)
{
    if (r->ended || r->stream_end)
        return damaged(r, "go on past their end", err);
    r->started = 1;
    unsigned char *raw = xmalloc(strlen(text) / 4 * 3 + 3);
    long n = b64_decode(text, raw);
    int rc = n < 0 ? damaged(r, "hold a cell that is not base64", err) : 0;
    r->z.next_in = raw;
    r->z.avail_in = n < 0 ? 0 : (uInt)n;
    unsigned char out[65536];
    while (rc == 0 && !r->stream_end) {
        r->z.next_out = out;
        r->z.avail_out = sizeof out;
        int zr = inflate(&r->z, Z_NO_FLUSH);
        if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR) {
            rc = damaged(r, "do not inflate", err);
            break;
        }
        r->stream_end = zr == Z_STREAM_END;
        size_t got = sizeof out - r->z.avail_out;
        r->inflated += got;
        if (r->inflated > MPACK_MAX_BYTES) {
            kh_seterr(err,
                      "%s: the manifest's packed records inflate past %llu MiB (a damaged "
                      "or crafted workbook)",
                      r->where, MPACK_MAX_BYTES >> 20);
            rc = -1;
            break;
        }
        sb_appendn(&r->pending, (const char *)out, got);
        rc = give_records(r, err);
        if (r->z.avail_in == 0 && r->z.avail_out != 0)
            break; /* this cell is used up and inflate holds nothing more */
    }
    if (rc == 0 && r->stream_end && r->z.avail_in)
        rc = damaged(r, "go on past their end", err);
    free(raw);
    return rc;
}

int mpack_reader_end(mpack_reader *r, const char *records, kh_error *err)
{
    char *end = NULL;
    unsigned long long want = strtoull(records ? records : "", &end, 10);
    if (r->ended)
        return damaged(r, "end twice", err);
    r->ended = 1;
    if (!r->stream_end)
        return damaged(r, "end early", err);
    if (r->pending.len)
        return damaged(r, "end inside a record", err);
    if (!end || *end || !records[0] || want != r->records) {
        char what[96];
        snprintf(what, sizeof what, "hold %zu records, not the %s they say", r->records,
                 records ? records : "");
        return damaged(r, what, err);
    }
    return 0;
}

int mpack_reader_open(const mpack_reader *r)
{
    return r->started && !r->ended;
}

void mpack_reader_free(mpack_reader *r)
{
    if (!r)
        return;
    inflateEnd(&r->z);
    sb_free(&r->pending);
    free(r);
}
