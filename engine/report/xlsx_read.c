/*
 * xlsx_read.c — reads the cells of one sheet of a workbook back, as text. See xlsx_read.h.
 *
 * An .xlsx file is a zip (libzip) of XML parts (expat): xl/workbook.xml names the sheets and
 * their relationship ids, xl/_rels/workbook.xml.rels maps those ids to parts, the sheet part
 * holds the cells, and strings live in xl/sharedStrings.xml (or inline in the cell).
 */
#include "report/xlsx_read.h"

#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static int read_part(zip_t *z, const char *name, strbuf *out)
{
    zip_file_t *f = zip_fopen(z, name, 0);
    if (!f)
        return -1;
    char buf[65536];
    zip_int64_t n;
    while ((n = zip_fread(f, buf, sizeof buf)) > 0)
        sb_appendn(out, buf, (size_t)n);
    zip_fclose(f);
    return n < 0 ? -1 : 0;
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

/* ---- workbook.xml and its relationships ----------------------------------------------- */

typedef struct find_sheet {
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

static int parse(const strbuf *xml, void *ud, XML_StartElementHandler start,
                 XML_EndElementHandler end, XML_CharacterDataHandler text)
{
    XML_Parser p = XML_ParserCreate("UTF-8");
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    if (text)
        XML_SetCharacterDataHandler(p, text);
    int ok = XML_Parse(p, sb_str(xml), (int)xml->len, 1) == XML_STATUS_OK;
    XML_ParserFree(p);
    return ok ? 0 : -1;
}

/* ---- shared strings ------------------------------------------------------------------- */

typedef struct shared {
    char **s;
    size_t n, cap;
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
        size_t k = KH_PUSH(ss->s, ss->n, ss->cap);
        ss->s[k] = sb_take(&ss->cur);
    }
}

static void ss_text(void *ud, const char *s, int len)
{
    shared *ss = ud;
    if (ss->in_t)
        sb_appendn(&ss->cur, s, (size_t)len);
}

/* ---- the sheet ------------------------------------------------------------------------ */

typedef struct sheet_reader {
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

/* "AB12" → column index 27 */
static int col_of(const char *ref)
{
    int c = 0;
    for (; *ref >= 'A' && *ref <= 'Z'; ref++)
        c = c * 26 + (*ref - 'A' + 1);
    return c - 1;
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
        r->row = n ? atol(n) : r->row + 1;
        r->col = -1;
    } else if (strcmp(l, "c") == 0) {
        const char *ref = attr(atts, "r");
        const char *t = attr(atts, "t");
        r->col = ref ? col_of(ref) : r->col + 1;
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
        sb_appendn(&r->value, s, (size_t)len);
}

int xlsx_read_sheet(const char *path, const char *sheet, xlsx_row_fn fn, void *ud, kh_error *err)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    if (!z) {
        kh_seterr(err, "%s: cannot read as a workbook (not an .xlsx file?)", path);
        return -1;
    }
    int rc = -1;
    strbuf wb = {0}, rels = {0}, ssx = {0}, sx = {0};
    find_sheet fs = {sheet, NULL, NULL};
    shared ss = {0};
    sheet_reader r = {0};
    if (read_part(z, "xl/workbook.xml", &wb) != 0 ||
        read_part(z, "xl/_rels/workbook.xml.rels", &rels) != 0 ||
        parse(&wb, &fs, wb_start, NULL, NULL) != 0 ||
        parse(&rels, &fs, rels_start, NULL, NULL) != 0) {
        kh_seterr(err, "%s: not a workbook (no readable xl/workbook.xml)", path);
        goto done;
    }
    if (!fs.target) {
        kh_seterr(err, "%s: has no sheet named %s", path, sheet);
        goto done;
    }
    if (read_part(z, "xl/sharedStrings.xml", &ssx) == 0 &&
        parse(&ssx, &ss, ss_start, ss_end, ss_text) != 0) {
        kh_seterr(err, "%s: damaged shared strings", path);
        goto done;
    }
    strbuf part = {0};
    sb_printf(&part, "%s%s", fs.target[0] == '/' ? "" : "xl/",
              fs.target[0] == '/' ? fs.target + 1 : fs.target);
    int ok = read_part(z, sb_str(&part), &sx) == 0;
    sb_free(&part);
    r.ss = &ss;
    r.fn = fn;
    r.ud = ud;
    if (!ok || parse(&sx, &r, sh_start, sh_end, sh_text) != 0) {
        kh_seterr(err, "%s: sheet %s is damaged", path, sheet);
        goto done;
    }
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
    free(fs.rid);
    free(fs.target);
    sb_free(&wb);
    sb_free(&rels);
    sb_free(&ssx);
    sb_free(&sx);
    zip_close(z);
    return rc;
}
