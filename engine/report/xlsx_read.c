/*
 * xlsx_read.c — reads the cells of one sheet of a workbook back, as text. See xlsx_read.h.
 *
 * An .xlsx file is a zip (libzip) of XML parts (expat): xl/workbook.xml names the sheets and
 * their relationship ids, xl/_rels/workbook.xml.rels maps those ids to parts, the sheet part
 * holds the cells, and strings live in xl/sharedStrings.xml (or inline in the cell).
 *
 * The workbook may be hostile (`reproduce --workbook` and `sample --import` read files people
 * send): every part is streamed from the zip into the parser in 64 KB pieces, never inflated
 * whole, and the bytes inflated, the shared strings, a cell's text, row and column numbers are
 * counted against the limits of xlsx_read.h as they arrive. A handler that finds a limit
 * crossed records why and stops the parser. A document type declaration (no part of a
 * workbook has one; it is where entity-expansion bombs live) is refused too.
 */
#include "report/xlsx_read.h"

#include <errno.h>
#include <expat.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* What every parse shares: the parser (so that a handler can stop it) and why it was stopped. */
typedef struct xml_ctx {
    XML_Parser p;
    char why[256];
} xml_ctx;

static void stop(xml_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void stop(xml_ctx *x, const char *fmt, ...)
{
    if (x->why[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->why, sizeof x->why, fmt, ap);
    va_end(ap);
    XML_StopParser(x->p, XML_FALSE);
}

static void no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                       int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    stop(ud, "has a document type declaration (no workbook part has one)");
}

static const char *attr(const char **atts, const char *name)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], name) == 0)
            return atts[i + 1];
    return NULL;
}

/* Local name of a possibly prefixed element ("x:c" → "c"). */
static const char *local(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

/* Appends len bytes of a text node to sb unless that makes it longer than `max`. */
static int append_bounded(xml_ctx *x, strbuf *sb, const char *s, int len, size_t max,
                          const char *what)
{
    if (sb->len + (size_t)len > max) {
        stop(x, "%s longer than %zu bytes", what, max);
        return -1;
    }
    sb_appendn(sb, s, (size_t)len);
    return 0;
}

/* ---- streaming a part through the parser ---------------------------------------------- */

typedef struct reading {
    zip_t *z;
    const char *path;
    uint64_t inflated; /* bytes of every part so far, against XLSX_MAX_TOTAL_BYTES */
} reading;

enum { PART_OK = 0, PART_MISSING = 1, PART_BAD = -1 };

/* Streams part `name` through a parser with the given handlers; `ud` begins with an xml_ctx.
 * PART_OK, PART_MISSING (no such part: err untouched), or PART_BAD with err naming the file,
 * the part and what is wrong. */
static int parse_part(reading *rd, const char *name, void *ud, XML_StartElementHandler start,
                      XML_EndElementHandler end, XML_CharacterDataHandler text, kh_error *err)
{
    zip_file_t *f = zip_fopen(rd->z, name, 0);
    if (!f)
        return PART_MISSING;
    xml_ctx *x = ud;
    x->why[0] = '\0';
    /* a part that says it is too big is refused before a byte is inflated; one that lies
     * about its size is stopped by the count below */
    zip_stat_t zs;
    if (zip_stat(rd->z, name, 0, &zs) == 0 && (zs.valid & ZIP_STAT_SIZE) &&
        zs.size > XLSX_MAX_PART_BYTES) {
        zip_fclose(f);
        kh_seterr(err, "%s: %s inflates to more than %llu MiB (a zip bomb?); refused", rd->path,
                  name, XLSX_MAX_PART_BYTES >> 20);
        return PART_BAD;
    }
    x->p = XML_ParserCreate("UTF-8");
    XML_SetUserData(x->p, ud);
    XML_SetElementHandler(x->p, start, end);
    XML_SetStartDoctypeDeclHandler(x->p, no_doctype);
    if (text)
        XML_SetCharacterDataHandler(x->p, text);
    char buf[65536];
    uint64_t part = 0;
    zip_int64_t n;
    int ok = 1;
    while (ok && (n = zip_fread(f, buf, sizeof buf)) >= 0) {
        part += (uint64_t)n;
        rd->inflated += (uint64_t)n;
        if (part > XLSX_MAX_PART_BYTES || rd->inflated > XLSX_MAX_TOTAL_BYTES) {
            stop(x, "inflates to more than %llu MiB (a zip bomb?)",
                 (part > XLSX_MAX_PART_BYTES ? XLSX_MAX_PART_BYTES : XLSX_MAX_TOTAL_BYTES) >> 20);
            ok = 0;
        } else {
            ok = XML_Parse(x->p, buf, (int)n, n == 0) == XML_STATUS_OK;
        }
        if (n == 0)
            break;
    }
    if (ok && n < 0)
        snprintf(x->why, sizeof x->why, "cannot be inflated (a damaged zip)");
    else if (!ok && !x->why[0])
        snprintf(x->why, sizeof x->why, "is not well-formed XML (line %lu: %s)",
                 (unsigned long)XML_GetCurrentLineNumber(x->p),
                 XML_ErrorString(XML_GetErrorCode(x->p)));
    XML_ParserFree(x->p);
    zip_fclose(f);
    if (!x->why[0])
        return PART_OK;
    kh_seterr(err, "%s: %s %s; refused", rd->path, name, x->why);
    return PART_BAD;
}

/* ---- workbook.xml and its relationships ----------------------------------------------- */

typedef struct find_sheet {
    xml_ctx x;
    const char *wanted;
    char *rid;
    char *target;
} find_sheet;

static void wb_start(void *ud, const char *el, const char **atts)
{
    find_sheet *fs = ud;
    if (strcmp(local(el), "sheet") == 0 && !fs->rid) {
        const char *name = attr(atts, "name");
        const char *rid = attr(atts, "r:id");
        if (name && rid && strcmp(name, fs->wanted) == 0)
            fs->rid = xstrdup(rid);
    }
}

static void rels_start(void *ud, const char *el, const char **atts)
{
    find_sheet *fs = ud;
    if (strcmp(local(el), "Relationship") == 0 && fs->rid && !fs->target) {
        const char *id = attr(atts, "Id");
        const char *target = attr(atts, "Target");
        if (id && target && strcmp(id, fs->rid) == 0)
            fs->target = xstrdup(target);
    }
}

/* The names of every sheet, in workbook order (xlsx_sheet_names). */
typedef struct sheet_list {
    xml_ctx x;
    char **names;
    size_t n, cap;
} sheet_list;

static void list_start(void *ud, const char *el, const char **atts)
{
    sheet_list *sl = ud;
    const char *name = strcmp(local(el), "sheet") == 0 ? attr(atts, "name") : NULL;
    if (!name)
        return;
    if (sl->n >= XLSX_MAX_SHEETS) {
        stop(&sl->x, "names more than %d sheets", XLSX_MAX_SHEETS);
        return;
    }
    size_t k = KH_PUSH(sl->names, sl->n, sl->cap);
    sl->names[k] = xstrdup(name);
}

/* ---- shared strings ------------------------------------------------------------------- */

typedef struct shared {
    xml_ctx x;
    char **s;
    size_t n, cap;
    uint64_t bytes; /* of every string so far */
    int in_t;
    strbuf cur;
} shared;

static void ss_start(void *ud, const char *el, const char **atts)
{
    (void)atts;
    shared *ss = ud;
    const char *l = local(el);
    if (strcmp(l, "si") == 0)
        sb_free(&ss->cur);
    else if (strcmp(l, "t") == 0)
        ss->in_t = 1;
}

static void ss_end(void *ud, const char *el)
{
    shared *ss = ud;
    const char *l = local(el);
    if (strcmp(l, "t") == 0)
        ss->in_t = 0;
    else if (strcmp(l, "si") == 0) {
        if (ss->n >= XLSX_MAX_STRINGS) {
            stop(&ss->x, "holds more than %d shared strings", XLSX_MAX_STRINGS);
            return;
        }
        ss->bytes += ss->cur.len;
        if (ss->bytes > XLSX_MAX_STRING_BYTES) {
            stop(&ss->x, "holds more than %llu MiB of shared strings", XLSX_MAX_STRING_BYTES >> 20);
            return;
        }
        size_t k = KH_PUSH(ss->s, ss->n, ss->cap);
        ss->s[k] = sb_take(&ss->cur);
    }
}

static void ss_text(void *ud, const char *s, int len)
{
    shared *ss = ud;
    if (ss->in_t)
        append_bounded(&ss->x, &ss->cur, s, len, XLSX_MAX_CELL_BYTES, "a shared string");
}

/* ---- the sheet ------------------------------------------------------------------------ */

typedef struct sheet_reader {
    xml_ctx x;
    const shared *ss;
    xlsx_row_fn fn;
    void *ud;
    char **cells;
    unsigned char *number; /* number[i]: cells[i] is a number cell's value */
    size_t ncells, cap;
    long row;
    int col;
    char type[16];
    int in_value;
    strbuf value;
    int stop;
} sheet_reader;

/* "AB12" → column index 27; -1 past XFD (three letters at most: no overflow). */
static int col_of(const char *ref)
{
    int c = 0, letters = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++)
        if (++letters > 3)
            return -1;
        else
            c = c * 26 + (*ref - 'A' + 1);
    return c >= 1 && c <= XLSX_MAX_COLUMN ? c - 1 : -1;
}

/* A row number attribute: 1 to XLSX_MAX_ROW, or -1. */
static long row_of(const char *n)
{
    char *end;
    errno = 0;
    long v = strtol(n, &end, 10);
    return errno || end == n || *end || v < 1 || v > XLSX_MAX_ROW ? -1 : v;
}

static void flush_row(sheet_reader *r)
{
    if (r->row > 0 && !r->stop &&
        r->fn(r->row, r->ncells, (const char *const *)r->cells, r->number, r->ud))
        r->stop = 1;
    for (size_t i = 0; i < r->ncells; i++)
        free(r->cells[i]);
    r->ncells = 0;
}

static void sh_start(void *ud, const char *el, const char **atts)
{
    sheet_reader *r = ud;
    const char *l = local(el);
    if (strcmp(l, "row") == 0) {
        const char *n = attr(atts, "r");
        r->row = n ? row_of(n) : r->row + 1 <= XLSX_MAX_ROW ? r->row + 1 : -1;
        if (r->row < 0)
            stop(&r->x, "has a row number past %d", XLSX_MAX_ROW);
        r->col = -1;
    } else if (strcmp(l, "c") == 0) {
        const char *ref = attr(atts, "r");
        const char *t = attr(atts, "t");
        r->col = ref ? col_of(ref) : r->col + 1 < XLSX_MAX_COLUMN ? r->col + 1 : -1;
        if (r->col < 0)
            stop(&r->x, "has a cell past column XFD (%d)", XLSX_MAX_COLUMN);
        snprintf(r->type, sizeof r->type, "%s", t ? t : "n");
        sb_free(&r->value);
    } else if (strcmp(l, "v") == 0 || strcmp(l, "t") == 0) {
        r->in_value = 1;
    }
}

static void sh_end(void *ud, const char *el)
{
    sheet_reader *r = ud;
    const char *l = local(el);
    if (strcmp(l, "v") == 0 || strcmp(l, "t") == 0) {
        r->in_value = 0;
    } else if (strcmp(l, "c") == 0 && r->col >= 0) {
        char *text;
        if (strcmp(r->type, "s") == 0) {
            size_t i = (size_t)atol(sb_str(&r->value));
            text = xstrdup(i < r->ss->n ? r->ss->s[i] : "");
        } else {
            text = sb_take(&r->value);
        }
        while (r->ncells <= (size_t)r->col) {
            size_t cap = r->cap;
            size_t k = KH_PUSH(r->cells, r->ncells, r->cap);
            if (r->cap != cap)
                r->number = xrealloc(r->number, r->cap);
            r->cells[k] = NULL;
            r->number[k] = 0;
        }
        free(r->cells[r->col]);
        r->cells[r->col] = text;
        /* a cell without a type (or t="n") holds a number; shared, inline and formula strings,
         * booleans, errors and dates say what they are */
        r->number[r->col] = strcmp(r->type, "n") == 0 && text[0];
    } else if (strcmp(l, "row") == 0) {
        flush_row(r);
    }
}

static void sh_text(void *ud, const char *s, int len)
{
    sheet_reader *r = ud;
    if (r->in_value)
        append_bounded(&r->x, &r->value, s, len, XLSX_MAX_CELL_BYTES, "a cell");
}

/* The part that holds sheet `sheet`: workbook.xml names its relationship, the relationships
 * name the part. 0 with *part set, or -1 with err. */
static int find_part(reading *rd, const char *sheet, strbuf *part, kh_error *err)
{
    find_sheet fs = {.wanted = sheet};
    int rc = parse_part(rd, "xl/workbook.xml", &fs, wb_start, NULL, NULL, err);
    if (rc == PART_OK)
        rc = parse_part(rd, "xl/_rels/workbook.xml.rels", &fs, rels_start, NULL, NULL, err);
    if (rc == PART_MISSING)
        kh_seterr(err, "%s: not a workbook (no readable xl/workbook.xml)", rd->path);
    else if (rc == PART_OK && !fs.target)
        kh_seterr(err, "%s: has no sheet named %s", rd->path, sheet);
    else if (rc == PART_OK)
        sb_printf(part, "%s%s", fs.target[0] == '/' ? "" : "xl/",
                  fs.target[0] == '/' ? fs.target + 1 : fs.target);
    int found = rc == PART_OK && fs.target;
    free(fs.rid);
    free(fs.target);
    return found ? 0 : -1;
}

/* The workbook's zip opened, or NULL with err. */
static zip_t *open_workbook(const char *path, kh_error *err)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    if (!z)
        kh_seterr(err, "%s: cannot read as a workbook (not an .xlsx file?)", path);
    return z;
}

int xlsx_read_sheet(const char *path, const char *sheet, xlsx_row_fn fn, void *ud, kh_error *err)
{
    zip_t *z = open_workbook(path, err);
    if (!z)
        return -1;
    reading rd = {z, path, 0};
    int rc = -1;
    strbuf part = {0};
    shared ss = {0};
    sheet_reader r = {0};
    if (find_part(&rd, sheet, &part, err) != 0)
        goto done;
    if (parse_part(&rd, "xl/sharedStrings.xml", &ss, ss_start, ss_end, ss_text, err) == PART_BAD)
        goto done;
    r.ss = &ss;
    r.fn = fn;
    r.ud = ud;
    int got = parse_part(&rd, sb_str(&part), &r, sh_start, sh_end, sh_text, err);
    if (got == PART_MISSING)
        kh_seterr(err, "%s: sheet %s is damaged (its part %s is missing)", path, sheet,
                  sb_str(&part));
    if (got != PART_OK)
        goto done;
    rc = 0;
done:
    for (size_t i = 0; i < r.ncells; i++)
        free(r.cells[i]);
    free(r.cells);
    free(r.number);
    sb_free(&r.value);
    for (size_t i = 0; i < ss.n; i++)
        free(ss.s[i]);
    free(ss.s);
    sb_free(&ss.cur);
    sb_free(&part);
    zip_close(z);
    return rc;
}

int xlsx_sheet_names(const char *path, char ***names, size_t *n, kh_error *err)
{
    *names = NULL;
    *n = 0;
    zip_t *z = open_workbook(path, err);
    if (!z)
        return -1;
    reading rd = {z, path, 0};
    sheet_list sl = {0};
    int rc = parse_part(&rd, "xl/workbook.xml", &sl, list_start, NULL, NULL, err);
    zip_close(z);
    if (rc == PART_MISSING)
        kh_seterr(err, "%s: not a workbook (no readable xl/workbook.xml)", path);
    if (rc != PART_OK) {
        for (size_t i = 0; i < sl.n; i++)
            free(sl.names[i]);
        free(sl.names);
        return -1;
    }
    *names = sl.names;
    *n = sl.n;
    return 0;
}
