/*
 * import.c — CSV into the evidence database. See import.h for the guarantees and why.
 *
 * CSV is parsed by libcsv (Debian's libcsv-dev): quoted fields, embedded commas, quotes and
 * newlines are its job, not ours. We feed it one physical line at a time so that every record
 * knows the line it started on, which is what a person needs to find a bad row in Excel.
 */
#include "evidence/import.h"

#include <csv.h>
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/home.h"
#include "base/parse.h"
#include "base/tmpfile.h"
#include "base/utf8.h"
#include "evidence/ev_open_internal.h"
#include "evidence/ev_sql_internal.h"
#include "evidence/evidence.h"
#include "evidence/finding_clash_internal.h"
#include "evidence/import_internal.h"

/* ---- the file: bytes, encoding, lines --------------------------------------------------- */

/* Line (1-based) of byte offset `at`. */
static long line_of(const char *data, size_t at)
{
    long line = 1;
    for (size_t i = 0; i < at; i++)
        line += data[i] == '\n';
    return line;
}

/* Decodes `raw` to UTF-8 in `text`. Auto: UTF-8 with or without BOM, else GB18030 (what
 * Chinese Excel and WPS save by default; GB18030 is a superset of GBK and GB2312). */
static int decode(const char *file, strbuf *raw, const char *encoding, strbuf *text,
                  char enc_out[16], kh_error *err)
{
    const char *data = sb_str(raw);
    size_t n = raw->len;
    int forced_utf8 =
        encoding && (strcasecmp(encoding, "utf-8") == 0 || strcasecmp(encoding, "utf8") == 0);
    int forced_gb =
        encoding && (strcasecmp(encoding, "gb18030") == 0 || strcasecmp(encoding, "gbk") == 0 ||
                     strcasecmp(encoding, "gb2312") == 0);
    if (encoding && !forced_utf8 && !forced_gb && strcasecmp(encoding, "auto") != 0) {
        kh_seterr(err, "--encoding %s: use utf-8, gb18030 (gbk) or auto", encoding);
        return -1;
    }
    int bom = n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
    if (!forced_gb) {
        size_t bad = kh_utf8_invalid(data + (bom ? 3 : 0), n - (bom ? 3 : 0));
        if (bad == (size_t)-1) {
            /* already UTF-8: the bytes move into text (no copy of a large export) */
            snprintf(enc_out, 16, bom ? "UTF-8 (BOM)" : "UTF-8");
            if (bom) {
                memmove(raw->data, raw->data + 3, n - 3);
                raw->len -= 3;
                raw->data[raw->len] = '\0';
            }
            sb_free(text);
            *text = *raw;
            memset(raw, 0, sizeof *raw);
            return 0;
        }
        if (forced_utf8) {
            kh_seterr(err,
                      "%s:%ld: not valid UTF-8 (the file looks like GB18030/GBK, as Excel and "
                      "WPS save it: use --encoding gb18030)",
                      file, line_of(data, bad + (bom ? 3 : 0)));
            return -1;
        }
    }
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        kh_seterr(err, "%s: cannot convert from GB18030: %s", file, strerror(errno));
        return -1;
    }
    size_t cap = n * 2 + 16;
    char *outbuf = xmalloc(cap);
    char *in = (char *)data, *outp = outbuf;
    size_t inleft = n, outleft = cap;
    size_t rc = iconv(cd, &in, &inleft, &outp, &outleft);
    iconv_close(cd);
    if (rc == (size_t)-1) {
        kh_seterr(err,
                  "%s:%ld: neither UTF-8 nor GB18030 (wrong encoding? bytes that no Chinese "
                  "encoding can hold)",
                  file, line_of(data, (size_t)(in - data)));
        free(outbuf);
        return -1;
    }
    /* GB18030's byte order mark (84 31 95 33) decodes to U+FEFF: not part of the header */
    size_t len = cap - outleft;
    size_t bom_len = len >= 3 && memcmp(outbuf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    sb_appendn(text, outbuf + bom_len, len - bom_len);
    free(outbuf);
    snprintf(enc_out, 16, "GB18030");
    return 0;
}

/* Refuses, naming the file and line, what decodes but must not reach the evidence: a NUL byte
 * (the CSV parser keeps it, but every C string that reads the value back ends there, so
 * "abc\0def" was stored as "abc") and a byte order mark after the start (two exports joined
 * into one file: the second BOM would end up inside an id). The BOM at the very start was taken
 * off by decode. */
static int check_text(const char *file, const strbuf *text, kh_error *err)
{
    const char *s = sb_str(text);
    size_t n = text->len;
    const char *nul = memchr(s, '\0', n);
    if (nul) {
        kh_seterr(err,
                  "%s:%ld: a NUL byte in the text (not a CSV file, or saved as UTF-16? save it "
                  "as CSV in UTF-8 or GB18030)",
                  file, line_of(s, (size_t)(nul - s)));
        return -1;
    }
    for (const char *p = memchr(s, '\xEF', n); p;
         p = memchr(p + 1, '\xEF', n - (size_t)(p + 1 - s)))
        if ((size_t)(p - s) + 3 <= n && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            size_t i = (size_t)(p - s);
            kh_seterr(err,
                      "%s:%ld: a byte order mark (BOM) after the start of the file (two files "
                      "joined into one? import each file on its own)",
                      file, line_of(s, i));
            return -1;
        }
    return 0;
}

/* ---- the table ---------------------------------------------------------------------------- */

static const struct {
    const char *table;
    const char *cols; /* the natural key of a table without a primary key */
} NATURAL_KEYS[] = {{"chronic_card", "person_id,disease,issued_on"},
                    {"cadre_assignment", "cadre_id,township_id,village_id,year"}};

static void table_free(table_info *t)
{
    for (size_t i = 0; i < t->ncols; i++) {
        free(t->cols[i].name);
        free(t->cols[i].dflt);
        free(t->cols[i].parent);
        free(t->cols[i].parent_col);
    }
    free(t->cols);
    free(t->name);
    memset(t, 0, sizeof *t);
}

/* Reads table `name` of the evidence database (`path`, for messages) into t: its columns, the
 * kind of value each takes (from its name, type and CHECK constraint), its key and its
 * references. 0, or -1 with err (the caller frees t either way). */
static int table_load(sqlite3 *db, const char *path, const char *name, table_info *t, kh_error *err)
{
    memset(t, 0, sizeof *t);
    sqlite3_stmt *st = NULL;
    char *create = NULL;
    if (ev_sql(db, path, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?", &st,
               err) != 0)
        return -1;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW)
        create = xstrdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (!create || strcmp(name, "import_log") == 0 || strcmp(name, "finding_removed") == 0) {
        kh_seterr(err,
                  "no evidence table named '%s' (name the file after its table, e.g. "
                  "admission.csv, or give --table)",
                  name);
        free(create);
        return -1;
    }
    t->name = xstrdup(name);
    char *sql = sqlite3_mprintf("PRAGMA table_info(\"%w\")", name);
    int rc = ev_sql(db, path, sql, &st, err);
    sqlite3_free(sql);
    if (rc != 0) {
        free(create);
        return -1;
    }
    size_t cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        size_t k = KH_PUSH(t->cols, t->ncols, cap);
        column *c = &t->cols[k];
        memset(c, 0, sizeof *c);
        c->name = xstrdup((const char *)sqlite3_column_text(st, 1));
        const char *type = (const char *)sqlite3_column_text(st, 2);
        c->notnull = sqlite3_column_int(st, 3);
        if (sqlite3_column_type(st, 4) != SQLITE_NULL)
            c->dflt = xstrdup((const char *)sqlite3_column_text(st, 4));
        c->pk = sqlite3_column_int(st, 5);
        t->haspk |= c->pk > 0;
        char flag[160];
        snprintf(flag, sizeof flag, "CHECK (%s IN (0, 1))", c->name);
        size_t len = strlen(c->name);
        if (strstr(create, flag))
            c->kind = V_FLAG;
        else if (len > 4 && strcmp(c->name + len - 4, "_fen") == 0)
            c->kind = V_FEN;
        else if ((len > 3 && strcmp(c->name + len - 3, "_on") == 0) ||
                 strcmp(c->name, "birth_date") == 0)
            c->kind = V_DATE;
        else if (strcmp(type, "INTEGER") == 0)
            c->kind = V_INT;
        else if (strcmp(type, "REAL") == 0)
            c->kind = V_REAL;
        else if (strcmp(name, "person") == 0 && strcmp(c->name, "id") == 0)
            c->kind = V_ID;
        else
            c->kind = V_TEXT;
    }
    sqlite3_finalize(st);
    free(create);
    sql = sqlite3_mprintf("PRAGMA foreign_key_list(\"%w\")", name);
    rc = ev_sql(db, path, sql, &st, err);
    sqlite3_free(sql);
    if (rc != 0)
        return -1;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *from = (const char *)sqlite3_column_text(st, 3);
        for (size_t i = 0; i < t->ncols; i++)
            if (strcmp(t->cols[i].name, from) == 0) {
                t->cols[i].parent = xstrdup((const char *)sqlite3_column_text(st, 2));
                t->cols[i].parent_col = xstrdup(sqlite3_column_type(st, 4) == SQLITE_NULL
                                                    ? "id"
                                                    : (const char *)sqlite3_column_text(st, 4));
            }
    }
    sqlite3_finalize(st);
    return 0;
}

/* ---- header mapping ----------------------------------------------------------------------- */

static void map_free(header_map *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->table[i]);
        free(m->column[i]);
        free(m->header[i]);
    }
    free(m->table);
    free(m->column);
    free(m->header);
}

static int map_load(const char *path, header_map *m, kh_error *err)
{
    memset(m, 0, sizeof *m);
    FILE *f = fopen(path, "r");
    if (!f) {
        kh_seterr(err, "%s: cannot open header mapping: %s", path, strerror(errno));
        return -1;
    }
    char line[1024];
    long lineno = 0;
    int header_seen = 0;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        if (!header_seen) {
            header_seen = 1;
            continue;
        }
        char *a = strtok(line, "\t"), *b = strtok(NULL, "\t"), *c = strtok(NULL, "\t");
        if (!a || !b || !c || strtok(NULL, "\t")) {
            kh_seterr(err, "%s:%ld: expected three tab-separated columns: table, column, header",
                      path, lineno);
            fclose(f);
            map_free(m);
            return -1;
        }
        size_t cap = m->cap, n = m->n;
        size_t k = KH_PUSH(m->table, n, cap);
        m->column = xrealloc(m->column, cap * sizeof *m->column);
        m->header = xrealloc(m->header, cap * sizeof *m->header);
        m->n = n;
        m->cap = cap;
        m->table[k] = xstrdup(a);
        m->column[k] = xstrdup(b);
        m->header[k] = xstrdup(c);
    }
    fclose(f);
    return 0;
}

/* ---- one file ---------------------------------------------------------------------------- */

/* The slot of `key` (hash h) in ks: the one holding it, or the empty one where it would go.
 * The hash is in the slot, so a probe reads the slot alone and the arena (with strcmp) only on
 * the key itself: one cache miss for a key not in the set, two for one in it. The sets are
 * larger than the CPU's caches, and a table of indexes with the hashes, offsets and lines in
 * arrays of their own missed four times a look-up (perf: a tenth of the import's time). */
static size_t key_slot(const key_set *ks, const char *key, uint64_t h)
{
    size_t at = (size_t)h & ks->mask;
    while (ks->slots[at].entry) {
        if (ks->slots[at].hash == h &&
            strcmp(ks->arena.data + ks->slots[at].entry - 1 + sizeof(long), key) == 0)
            return at;
        at = (at + 1) & ks->mask;
    }
    return at;
}

/* The line of the entry in slot `at` (held, unaligned, before its key). */
static long key_line(const key_set *ks, size_t at)
{
    long line;
    memcpy(&line, ks->arena.data + ks->slots[at].entry - 1, sizeof line);
    return line;
}

/* The line `key` was first seen on, or 0 when it is not in the set. */
static long key_find(const key_set *ks, const char *key)
{
    if (!ks->slots)
        return 0;
    size_t at = key_slot(ks, key, kh_hash_str(key));
    return ks->slots[at].entry ? key_line(ks, at) : 0;
}

/* The slot table at twice the size (or its first), every key placed again by its hash. */
static void key_grow(key_set *ks)
{
    size_t size = ks->slots ? (ks->mask + 1) * 2 : 1024;
    key_slot_entry *old = ks->slots;
    size_t old_size = old ? ks->mask + 1 : 0;
    ks->slots = xcalloc(size, sizeof *ks->slots);
    ks->mask = size - 1;
    for (size_t i = 0; i < old_size; i++)
        if (old[i].entry) {
            size_t at = (size_t)old[i].hash & ks->mask;
            while (ks->slots[at].entry)
                at = (at + 1) & ks->mask;
            ks->slots[at] = old[i];
        }
    free(old);
}

/* Returns the line the key was first seen on, or 0 after adding it. Entries (the line, then
 * the key with its NUL) live one after the other in one arena (no allocation per key). */
static long key_seen(key_set *ks, const char *key, long line)
{
    if (!ks->slots || ks->n * 2 >= ks->mask + 1)
        key_grow(ks);
    uint64_t h = kh_hash_str(key);
    size_t at = key_slot(ks, key, h);
    if (ks->slots[at].entry)
        return key_line(ks, at);
    ks->slots[at].hash = h;
    ks->slots[at].entry = ks->arena.len + 1;
    sb_appendn(&ks->arena, (const char *)&line, sizeof line);
    sb_appendn(&ks->arena, key, strlen(key) + 1); /* with its NUL */
    ks->n++;
    return 0;
}

static void key_set_free(key_set *ks)
{
    sb_free(&ks->arena);
    free(ks->slots);
}

/* A field of the rejects file, quoted. The file is opened in Excel, which runs a cell that
 * begins with = + - @ (or a tab or carriage return before one) as a formula —
 * =HYPERLINK(...) in a rejected row would be a live link: such a value gets a leading '
 * (OWASP's CSV-injection rule), which Excel shows as text. */
static void csv_quote(FILE *f, const char *s)
{
    fputc('"', f);
    if (*s && strchr("=+-@\t\r", *s))
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* A header of the rejects file: as the file had it, quoted only where it must be. */
static void csv_head(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") || (*s && strchr("=+-@\t", *s)))
        csv_quote(f, s);
    else
        fputs(s, f);
}

void imp_note_error(importer *im, const char *msg)
{
    if (im->stopped)
        return;
    sb_printf(&im->errors, "%s\n", msg);
    long max = im->opt->max_errors > 0 ? im->opt->max_errors : KH_IMPORT_MAX_ERRORS;
    if (++im->nerrors >= max) {
        im->stopped = 1;
        im->failed = 1;
    }
}

/* The rejects file of the current file opened under a temporary name, with the file's own
 * headers after 行号 and 原因. 0, or -1 with err (reading this file stops). */
static int open_rejects(importer *im)
{
    strbuf p = {0};
    if (im->opt->rejects_path && im->opt->nfiles == 1 && im->where == im->file)
        sb_append(&p, im->opt->rejects_path);
    else if (im->where != im->file) /* a sheet of a workbook */
        sb_printf(&p, "%s.%s.rejects.csv", im->file, im->report->table);
    else
        sb_printf(&p, "%s.rejects.csv", im->file);
    im->report->rejects_path = sb_take(&p);
    strbuf t = {0};
    if (kh_tmp_beside(&t, im->report->rejects_path, im->err) != 0) {
        sb_free(&t);
        im->failed = 1;
        return -1;
    }
    im->rejects_tmp = sb_take(&t);
    im->rejects = fopen(im->rejects_tmp, "w");
    if (!im->rejects) {
        kh_seterr(im->err, "%s: cannot write rejects: %s", im->report->rejects_path,
                  strerror(errno));
        unlink(im->rejects_tmp);
        im->failed = 1;
        return -1;
    }
    fputs("\xEF\xBB\xBF", im->rejects); /* so that Excel reads the Chinese as UTF-8 */
    fputs("行号,原因", im->rejects);
    for (size_t i = 0; i < im->nfields; i++) {
        fputc(',', im->rejects);
        csv_head(im->rejects, im->heads[i]);
    }
    fputc('\n', im->rejects);
    return 0;
}

static void flush_rows(importer *im);

/* A row is refused with its reason: without --partial noted (every bad row of every file is
 * listed, and nothing is written), with it written to the rejects file. */
static void reject(importer *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void reject(importer *im, const char *fmt, ...)
{
    char why[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    /* the rows before this one are written first: a problem the schema finds among them is
     * reported before this one, in line order */
    flush_rows(im);
    im->report->rejected++;
    if (!im->opt->partial) {
        char line[1400];
        snprintf(line, sizeof line, "%s:%ld: %s", im->where, im->rec.line, why);
        imp_note_error(im, line);
        return;
    }
    if (!im->rejects && open_rejects(im) != 0)
        return;
    fprintf(im->rejects, "%ld,", im->rec.line);
    csv_quote(im->rejects, why);
    for (size_t i = 0; i < im->rec.n; i++) {
        fputc(',', im->rejects);
        csv_quote(im->rejects, im->rec.fields[i] ? im->rec.fields[i] : "");
    }
    fputc('\n', im->rejects);
}

/* The keys of one parent column, read once and kept across the files of an import until a
 * file imports into that parent (ref_cache_drop). */
struct ref_cache {
    char *parent, *col;
    key_set keys;
};

static void ref_cache_free_one(struct ref_cache *rc)
{
    free(rc->parent);
    free(rc->col);
    key_set_free(&rc->keys);
    free(rc);
}

/* Forgets the key sets of `table`: a file is about to add rows to it. */
static void ref_cache_drop(importer *im, const char *table)
{
    for (size_t i = 0; i < im->ncache; i++)
        if (strcmp(im->cache[i]->parent, table) == 0) {
            ref_cache_free_one(im->cache[i]);
            im->cache[i--] = im->cache[--im->ncache];
        }
}

static void ref_cache_free(importer *im)
{
    for (size_t i = 0; i < im->ncache; i++)
        ref_cache_free_one(im->cache[i]);
    free(im->cache);
}

/* Every key of parent.col, from the cache or read with one query. NULL with err. Each entry is
 * allocated on its own: the sets handed out stay put when the cache grows. */
static const key_set *parent_keys(importer *im, const char *parent, const char *col)
{
    for (size_t i = 0; i < im->ncache; i++)
        if (strcmp(im->cache[i]->parent, parent) == 0 && strcmp(im->cache[i]->col, col) == 0)
            return &im->cache[i]->keys;
    char *q =
        sqlite3_mprintf("SELECT \"%w\" FROM \"%w\" WHERE \"%w\" IS NOT NULL", col, parent, col);
    sqlite3_stmt *st = NULL;
    int rc = ev_sql(im->db, im->opt->evidence_path, q, &st, im->err);
    sqlite3_free(q);
    if (rc != 0)
        return NULL;
    struct ref_cache *e = xcalloc(1, sizeof *e);
    e->parent = xstrdup(parent);
    e->col = xstrdup(col);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        key_seen(&e->keys, (const char *)sqlite3_column_text(st, 0), 1);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        kh_seterr(im->err, "%s: cannot read the keys of %s: %s", im->opt->evidence_path, parent,
                  sqlite3_errmsg(im->db));
        ref_cache_free_one(e);
        return NULL;
    }
    size_t k = KH_PUSH(im->cache, im->ncache, im->cache_cap);
    im->cache[k] = e;
    return &e->keys;
}

/* The keys of the rows each reference column may name, read once per parent column with one
 * query into a hash set (check_reference) — a SELECT of the parent per row was most of the
 * import's time (issue 19) — and kept for the next files. The parent is another table (no
 * table of the schema refers to itself), so its set does not change while this file is read.
 * 0, or -1 with err. */
static int load_references(importer *im)
{
    im->refs = xcalloc(im->nfields ? im->nfields : 1, sizeof *im->refs);
    for (size_t i = 0; i < im->nfields; i++) {
        const column *c = &im->table.cols[im->colmap[i]];
        if (c->parent && !(im->refs[i] = parent_keys(im, c->parent, c->parent_col)))
            return -1;
    }
    return 0;
}

/* The insert of one row into the file's table (an upsert on the primary key; a key-less row
 * already present is skipped), or of `rows` rows (the batch: plain, flush_rows says why), its
 * parameters the fields of each row in turn. */
static void insert_sql(const importer *im, size_t rows, strbuf *sql)
{
    const table_info *t = &im->table;
    /* the batch: no upsert, FAIL (flush_rows says why) */
    sb_printf(sql, "INSERT %sINTO \"%s\" (", rows > 1 ? "OR FAIL " : "", t->name);
    for (size_t i = 0; i < im->nfields; i++)
        sb_printf(sql, "%s\"%s\"", i ? ", " : "", t->cols[im->colmap[i]].name);
    sb_append(sql, ") VALUES ");
    for (size_t r = 0; r < rows; r++) {
        sb_append(sql, r ? ", (" : "(");
        for (size_t i = 0; i < im->nfields; i++)
            sb_append(sql, i ? ", ?" : "?");
        sb_append(sql, ")");
    }
    if (rows > 1) {
        return;
    } else if (t->haspk) {
        sb_append(sql, " ON CONFLICT (");
        int first = 1;
        for (size_t c = 0; c < t->ncols; c++)
            if (t->cols[c].pk) {
                sb_printf(sql, "%s\"%s\"", first ? "" : ", ", t->cols[c].name);
                first = 0;
            }
        sb_append(sql, ") DO UPDATE SET ");
        first = 1;
        for (size_t i = 0; i < im->nfields; i++)
            if (!t->cols[im->colmap[i]].pk) {
                sb_printf(sql, "%s\"%s\" = excluded.\"%s\"", first ? "" : ", ",
                          t->cols[im->colmap[i]].name, t->cols[im->colmap[i]].name);
                first = 0;
            }
        if (first) { /* nothing but the key: nothing to update */
            sql->len -= strlen(" DO UPDATE SET ");
            sql->data[sql->len] = '\0';
            sb_append(sql, " DO NOTHING");
        }
    } else {
        sb_append(sql, " ON CONFLICT DO NOTHING");
    }
}

/* Rows a batch holds (flush_rows says why there are batches), as many as SQLite's limit on a
 * statement's parameters allows. */
#define BATCH_ROWS 128

/* The statements of one file, once its columns are known: the one-row insert, the batch insert
 * (when a batch holds more than one row), then the keys references may name. 0, or -1 with the
 * error. */
static int prepare_statements(importer *im)
{
    int limit = sqlite3_limit(im->db, SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    size_t rows = im->nfields ? (size_t)limit / im->nfields : 1;
    im->batch_rows = rows < 1 ? 1 : rows > BATCH_ROWS ? BATCH_ROWS : rows;
    im->pending = xcalloc(im->batch_rows, sizeof *im->pending);
    im->dates = xcalloc(im->batch_rows * (im->nfields ? im->nfields : 1), sizeof *im->dates);
    for (int k = 0; k < 2; k++) {
        size_t n = k ? im->batch_rows : 1;
        if (k && n == 1)
            break;
        strbuf sql = {0};
        insert_sql(im, n, &sql);
        int rc = sqlite3_prepare_v2(im->db, sb_str(&sql), -1, k ? &im->batch : &im->insert, NULL);
        sb_free(&sql);
        if (rc != SQLITE_OK) {
            kh_seterr(im->err, "%s: cannot prepare the import into %s: %s", im->where,
                      im->table.name, sqlite3_errmsg(im->db));
            return -1;
        }
    }
    return load_references(im);
}

/* Trims spaces at both ends and a stray \r at the end (CRLF files), in place: the first byte
 * that stays. */
/* The length of s's first len bytes without the spaces and carriage returns at their end. */
static size_t untrailed_len(const char *s, size_t len)
{
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\r'))
        len--;
    return len;
}

static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    s[untrailed_len(s, strlen(s))] = '\0';
    return s;
}

/* Field i's header mapped to a column of the table (im->colmap[i]), its own header and the name
 * messages use for it kept: the file's own header when it is not the column's name, else the
 * mapped (Chinese) header. 0, or -1 after noting why (unknown, or a column given twice). */
static int map_field(importer *im, size_t i, int *seen)
{
    table_info *t = &im->table;
    char *h = trim(im->rec.fields[i] ? im->rec.fields[i] : "");
    char buf[1200];
    int c = imp_header_column(im->map, t, h);
    if (c < 0) {
        snprintf(buf, sizeof buf,
                 "%s:%ld: column %zu '%s': unknown column for table %s (add it to the header "
                 "mapping, or use a column name of the table)",
                 im->where, im->rec.line, i + 1, h, t->name);
        imp_note_error(im, buf);
        return -1;
    }
    if (seen[c]) {
        snprintf(buf, sizeof buf, "%s:%ld: column %zu '%s': %s.%s is already given by column %d",
                 im->where, im->rec.line, i + 1, h, t->name, t->cols[c].name, seen[c]);
        imp_note_error(im, buf);
        return -1;
    }
    seen[c] = (int)i + 1;
    im->colmap[i] = c;
    im->heads[i] = xstrdup(h);
    const char *mapped = imp_mapped_header(im->map, t, (size_t)c);
    im->labels[i] = xstrdup(strcmp(h, t->cols[c].name) != 0 || !mapped ? h : mapped);
    return 0;
}

/* Notes every required column (NOT NULL without a default) that no field gives. 0 or -1. */
static int check_required(importer *im, const int *seen)
{
    const table_info *t = &im->table;
    int rc = 0;
    char buf[1200];
    for (size_t c = 0; c < t->ncols; c++)
        if (!seen[c] && t->cols[c].notnull && !t->cols[c].dflt) {
            /* name the header people would use for it */
            const char *alias = imp_mapped_header(im->map, t, c);
            snprintf(buf, sizeof buf, "%s:%ld: missing required column %s%s%s%s for table %s",
                     im->where, im->rec.line, t->cols[c].name, alias ? "（" : "",
                     alias ? alias : "", alias ? "）" : "", t->name);
            imp_note_error(im, buf);
            rc = -1;
        }
    return rc;
}

/* The key's field indexes: primary key columns, or the natural key of a key-less table. */
static void find_key(importer *im, const int *seen)
{
    const table_info *t = &im->table;
    im->nkey = 0;
    if (t->haspk) {
        for (int k = 1; k <= 8; k++)
            for (size_t c = 0; c < t->ncols; c++)
                if (t->cols[c].pk == k && im->nkey < 8)
                    im->key_fields[im->nkey++] = seen[c] - 1;
        return;
    }
    for (size_t k = 0; k < sizeof NATURAL_KEYS / sizeof NATURAL_KEYS[0]; k++)
        if (strcmp(NATURAL_KEYS[k].table, t->name) == 0) {
            char cols[256];
            snprintf(cols, sizeof cols, "%s", NATURAL_KEYS[k].cols);
            for (char *tok = strtok(cols, ","); tok && im->nkey < 8; tok = strtok(NULL, ","))
                for (size_t c = 0; c < t->ncols; c++)
                    if (strcmp(t->cols[c].name, tok) == 0)
                        im->key_fields[im->nkey++] = seen[c] - 1;
        }
}

/* The header record: each column of the file mapped to a column of the table (by its name or
 * through the header mapping), every unknown, repeated and missing required column noted, the
 * key's fields found, and the statements prepared. 0, or -1 (problems noted, or err set). */
static int do_header(importer *im)
{
    table_info *t = &im->table;
    im->nfields = im->rec.n;
    size_t n = im->nfields ? im->nfields : 1;
    im->colmap = xcalloc(n, sizeof *im->colmap);
    im->heads = xcalloc(n, sizeof *im->heads);
    im->labels = xcalloc(n, sizeof *im->labels);
    int *seen = xcalloc(t->ncols, sizeof *seen);
    int bad = 0;
    for (size_t i = 0; i < im->rec.n; i++)
        bad |= map_field(im, i, seen) != 0;
    if (!bad)
        bad = check_required(im, seen) != 0;
    if (!bad)
        find_key(im, seen);
    free(seen);
    if (bad) {
        im->err->msg[0] = '\0'; /* noted already */
        return -1;
    }
    return prepare_statements(im);
}

static const char *header_name(const importer *im, size_t field)
{
    return im->labels[field];
}

/* ---- one row: a parser per column kind ---------------------------------------------------
 *
 * A parser reads one field's text (trimmed, never empty) as its column's kind and binds the
 * value to parameter p of im->target (the batch insert, or the one-row insert), returning 0; or
 * refuses the row with the message people see (reject) and returns -1. The messages are part of the
 * interface: tests/e2e/import.sh and tests/c/test_import.c assert them word for word. */
typedef int (*field_parser)(importer *im, const char *col, const char *v, int p);

/* A date as people type it (2018-05-31, 2018/5/31, 2018年5月31日, 20180531) → 2018-05-31. */
static int parse_date(importer *im, const char *col, const char *v, int p)
{
    /* field p's own buffer, which outlives the insert's step: bound without a copy */
    char *d = im->dates[p - 1];
    if (kh_parse_date(v, d) != 0) {
        reject(im,
               "column %s: '%s' is not a date (write 2018-05-31, 2018/5/31, 2018年5月31日 or "
               "20180531)",
               col, v);
        return -1;
    }
    sqlite3_bind_text(im->target, p, d, -1, SQLITE_STATIC);
    return 0;
}

/* An amount in 元 → fen, exactly (12.30 → 1230). No *_fen column holds a negative amount. */
static int parse_fen(importer *im, const char *col, const char *v, int p)
{
    int64_t fen;
    if (kh_parse_yuan(v, &fen) != 0) {
        reject(im, "column %s: '%s' is not an amount in 元 (at most two decimals, e.g. 12.30)", col,
               v);
        return -1;
    }
    if (fen < 0) {
        reject(im, "column %s: negative amount %s 元", col, v);
        return -1;
    }
    sqlite3_bind_int64(im->target, p, fen);
    return 0;
}

/* 是/否 (or 1/0, Y/N, true/false, 有/无) → 1/0, for a column with CHECK (x IN (0, 1)). */
static int parse_flag(importer *im, const char *col, const char *v, int p)
{
    int f = kh_parse_flag(v);
    if (f < 0) {
        reject(im, "column %s: '%s' is not 是/否 (or 1/0)", col, v);
        return -1;
    }
    sqlite3_bind_int(im->target, p, f);
    return 0;
}

/* A whole number, the whole field. */
static int parse_int(importer *im, const char *col, const char *v, int p)
{
    char *end;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno || *end) {
        reject(im, "column %s: '%s' is not a whole number", col, v);
        return -1;
    }
    sqlite3_bind_int64(im->target, p, n);
    return 0;
}

/* A number, the whole field. */
static int parse_real(importer *im, const char *col, const char *v, int p)
{
    char *end;
    double d = strtod(v, &end);
    if (*end) {
        reject(im, "column %s: '%s' is not a number", col, v);
        return -1;
    }
    sqlite3_bind_double(im->target, p, d);
    return 0;
}

/* Text as given (the schema's CHECK constraints judge it at the insert). The field outlives
 * the insert's step (it is freed with the record), so SQLite need not copy it. */
static int parse_text(importer *im, const char *col, const char *v, int p)
{
    (void)col;
    sqlite3_bind_text(im->target, p, v, -1, SQLITE_STATIC);
    return 0;
}

/* person.id: text, but one that looks like a 身份证号 (18 characters, the first 17 digits) must
 * carry the right check digit (x or X alike). */
static int parse_id(importer *im, const char *col, const char *v, int p)
{
    if (strlen(v) == 18 && strspn(v, "0123456789") >= 17) {
        char want = kh_id_check_digit(v);
        char got = (char)toupper((unsigned char)v[17]);
        if (got != want) {
            reject(im, "column %s: 身份证号 %s has check digit %c, but its first 17 digits give %c",
                   col, v, v[17], want);
            return -1;
        }
    }
    return parse_text(im, col, v, p);
}

static const field_parser PARSERS[] = {
    [V_TEXT] = parse_text, [V_INT] = parse_int,   [V_REAL] = parse_real, [V_DATE] = parse_date,
    [V_FEN] = parse_fen,   [V_FLAG] = parse_flag, [V_ID] = parse_id,
};

/* An empty field: refused where the column requires a value and has no default; else the
 * schema's default (a number or a quoted string), else NULL. */
static int bind_empty(importer *im, const column *c, const char *col, int p)
{
    if (c->notnull && !c->dflt) {
        reject(im, "column %s: a value is required", col);
        return -1;
    }
    if (!c->dflt) {
        sqlite3_bind_null(im->target, p);
    } else if (c->dflt[0] == '\'') {
        char *d = xstrdup(c->dflt + 1);
        d[strlen(d) ? strlen(d) - 1 : 0] = '\0';
        sqlite3_bind_text(im->target, p, d, -1, SQLITE_TRANSIENT);
        free(d);
    } else {
        sqlite3_bind_int64(im->target, p, strtoll(c->dflt, NULL, 10));
    }
    return 0;
}

/* A reference (field i, value v) must name a row that exists in its parent table. A whole
 * number is compared in its canonical form, as SQLite gives an INTEGER key back. */
static int check_reference(importer *im, size_t i, const column *c, const char *col, const char *v)
{
    if (!im->refs[i])
        return 0;
    char num[32];
    if (c->kind == V_INT) {
        snprintf(num, sizeof num, "%lld", strtoll(v, NULL, 10));
        v = num;
    }
    if (!key_find(im->refs[i], v)) {
        reject(im, "column %s: '%s' names no row of %s (import %s first?)", col, v, c->parent,
               c->parent);
        return -1;
    }
    return 0;
}

/* Field i of the current record: trimmed, read by its column's parser (or its default when
 * empty), bound, and its reference checked. 0, or -1 when the row was refused. */
static int bind_field(importer *im, size_t i)
{
    const column *c = &im->table.cols[im->colmap[i]];
    char *v = trim(im->rec.fields[i] ? im->rec.fields[i] : "");
    int p = im->base + (int)i + 1; /* of im->target */
    const char *col = header_name(im, i);
    if (!*v)
        return bind_empty(im, c, col, p);
    if (PARSERS[c->kind](im, col, v, p) != 0)
        return -1;
    return check_reference(im, i, c, col, v);
}

/* A key twice in one file is a mistake in the file, whichever row is right: 1 (the row is
 * refused) if the current record's key was seen on an earlier line, else 0. */
static int duplicate_key(importer *im)
{
    if (im->nkey == 0)
        return 0;
    strbuf *key = &im->keybuf;
    key->len = 0;
    if (key->data)
        key->data[0] = '\0';
    for (int k = 0; k < im->nkey; k++) {
        if (k)
            sb_append(key, "|");
        if (im->key_fields[k] >= 0)
            sb_append(key, im->rec.fields[im->key_fields[k]]);
    }
    long first = key_seen(&im->keys, sb_str(key), im->rec.line);
    if (first)
        reject(im, "duplicate key %s (also at line %ld)", sb_str(key), first);
    return first != 0;
}

/* Field i's bytes without the spaces and carriage returns trim() takes off its end. */
static size_t trimmed_len(const importer *im, size_t i)
{
    const char *f = im->rec.fields[i] ? im->rec.fields[i] : "";
    return untrailed_len(f, strlen(f));
}

/* Asks the CPU for the slots the record's look-ups will read (its key in im->keys, each
 * reference in its parent's set) while its fields are converted and bound. The sets are larger
 * than the CPU's caches and each look-up waited for its slot from memory (perf: key_slot was
 * 7% of the import, nearly all of it that one load). Only a hint: the hashes are of the fields
 * as they will mostly be looked up (a whole number's canonical form is not made here). */
static void prefetch_slots(const importer *im)
{
    for (size_t i = 0; i < im->nfields; i++)
        if (im->refs[i] && im->refs[i]->slots) {
            const char *f = im->rec.fields[i] ? im->rec.fields[i] : "";
            size_t n = trimmed_len(im, i), skip = strspn(f, " ");
            uint64_t h = kh_hash_more(KH_HASH_INIT, f + skip, n > skip ? n - skip : 0);
            __builtin_prefetch(&im->refs[i]->slots[(size_t)h & im->refs[i]->mask]);
        }
    if (im->nkey && im->keys.slots) {
        uint64_t h = KH_HASH_INIT; /* the key as duplicate_key puts it together */
        for (int k = 0; k < im->nkey; k++) {
            if (k)
                h = kh_hash_more(h, "|", 1);
            if (im->key_fields[k] >= 0)
                h = kh_hash_more(h, im->rec.fields[im->key_fields[k]],
                                 trimmed_len(im, (size_t)im->key_fields[k]));
        }
        __builtin_prefetch(&im->keys.slots[(size_t)h & im->keys.mask]);
    }
}

/* A write failed in a way no row is to blame for (SQLite rolled the import's transaction back,
 * or a batch stopped half-written): reading stops, with the reason in err unless a problem that
 * stopped the file is there already. */
static void write_failed(importer *im)
{
    if (!im->err->msg[0])
        kh_seterr(im->err, "%s: cannot write: %s", im->opt->evidence_path, sqlite3_errmsg(im->db));
    im->failed = 1;
}

/* The current record (its fields bound to im->insert) written by the one-row insert. */
static void write_row(importer *im)
{
    if (sqlite3_step(im->insert) != SQLITE_DONE) {
        int in_transaction = !sqlite3_get_autocommit(im->db);
        reject(im, "refused by the schema: %s", sqlite3_errmsg(im->db));
        /* an I/O error, a full disk or no memory can make SQLite roll the whole transaction
         * back: the next rows would then be written one by one outside it, and a failed import
         * would not leave the file as it was */
        if (!in_transaction)
            write_failed(im);
        return;
    }
    im->report->accepted++;
}

static void swap_records(record *a, record *b)
{
    record t = *a;
    *a = *b;
    *b = t;
}

/* The rows waiting in the batch (im->pending) written, in their order.
 *
 * Why batches: SQLite builds the ephemeral index of a CHECK (x IN (...)) list once per step of a
 * statement, so a step per row rebuilt it for every row (callgrind: about a third of a county
 * import's instructions) — the shell's INSERT … SELECT builds it once.
 *
 * A full batch goes in one step of the batch insert, a plain INSERT OR FAIL: a constraint that
 * fails keeps the rows before it, which sqlite3_changes counts, and SQLite needs no statement
 * journal (with ABORT, or an upsert, it copies every page a batch touches first: the kernel's
 * writes of that journal were a third of the import's time). The rows before the refused one
 * are what the one-row upsert would have written (none of them met a conflict); from the
 * refused row on, the rows are written one by one by the one-row insert, as are the rows of a
 * batch that is not full (the end of a file, or before a refused row is reported). So a row the
 * schema refuses is reported with its line, in line order with the other problems, and a key
 * already present is updated (or a key-less row skipped), exactly as when every row had its own
 * step. */
static void flush_rows(importer *im)
{
    size_t n = im->npending, from = 0;
    if (!n || im->flushing)
        return;
    im->flushing = 1;
    im->npending = 0;
    if (n == im->batch_rows && im->batch) {
        int rc = sqlite3_step(im->batch), why = sqlite3_extended_errcode(im->db);
        /* rows written before a failed constraint (FAIL keeps them), read before the reset */
        from = rc == SQLITE_DONE ? n : (size_t)sqlite3_changes(im->db);
        sqlite3_reset(im->batch);
        im->report->accepted += (int64_t)from;
        /* only these constraints stop the batch by FAIL, with the rows before counted; anything
         * else (I/O, a full disk, no memory, a STRICT column's type, which aborts: SQLite counts
         * no rows but, with no statement journal, cannot take them back) may have left the batch
         * half-written with no count of it, or rolled the whole transaction back */
        int counted = why == SQLITE_CONSTRAINT_CHECK || why == SQLITE_CONSTRAINT_NOTNULL ||
                      why == SQLITE_CONSTRAINT_UNIQUE || why == SQLITE_CONSTRAINT_PRIMARYKEY;
        if (rc != SQLITE_DONE && (!counted || from >= n || sqlite3_get_autocommit(im->db)))
            write_failed(im);
        /* a refused batch mostly means keys already in the table (a file imported again, where
         * every batch would fail at its first row): the rest of the file goes row by row */
        if (rc != SQLITE_DONE) {
            sqlite3_finalize(im->batch);
            im->batch = NULL;
        }
    }
    for (size_t j = from; j < n && !im->failed; j++) {
        /* the row again, read from its own fields (kept with it) into the one-row insert: it
         * passed every check before, so only the schema can refuse it */
        swap_records(&im->rec, &im->pending[j]);
        im->target = im->insert;
        im->base = 0;
        sqlite3_reset(im->insert);
        int bound = 1;
        for (size_t i = 0; bound && i < im->nfields; i++)
            bound = bind_field(im, i) == 0;
        if (bound)
            write_row(im);
        swap_records(&im->rec, &im->pending[j]);
    }
    im->flushing = 0;
}

/* One data record: every field converted and bound, the key checked, and the row put in the
 * batch (flush_rows writes it); or the row refused with its reason. */
static void do_row(importer *im)
{
    im->report->read++;
    if (im->rec.n != im->nfields) {
        reject(im, "expected %zu fields, found %zu (a truncated or malformed row?)", im->nfields,
               im->rec.n);
        return;
    }
    prefetch_slots(im);
    /* the row's parameters in the batch insert, or the one-row insert when there is no batch;
     * every one is bound below before the step */
    im->target = im->batch ? im->batch : im->insert;
    im->base = im->batch ? (int)(im->npending * im->nfields) : 0;
    if (!im->batch)
        sqlite3_reset(im->insert);
    for (size_t i = 0; i < im->nfields; i++)
        if (bind_field(im, i) != 0)
            return;
    if (duplicate_key(im))
        return;
    if (!im->batch) {
        write_row(im);
        return;
    }
    /* the row waits with its fields (the parameters point into them); the record takes the
     * buffers of a row already written */
    swap_records(&im->rec, &im->pending[im->npending++]);
    if (im->npending == im->batch_rows)
        flush_rows(im);
}

void imp_push_field(importer *im, const char *s, size_t len)
{
    record *r = &im->rec;
    if (r->n == r->nbuf) {
        size_t cap = r->nbuf ? r->nbuf * 2 : 16;
        r->fields = xrealloc(r->fields, cap * sizeof *r->fields);
        r->sizes = xrealloc(r->sizes, cap * sizeof *r->sizes);
        for (size_t i = r->nbuf; i < cap; i++) {
            r->fields[i] = NULL;
            r->sizes[i] = 0;
        }
        r->nbuf = cap;
    }
    if (r->sizes[r->n] < len + 1) {
        size_t size = len + 1 < 64 ? 64 : len + 1;
        r->fields[r->n] = xrealloc(r->fields[r->n], size);
        r->sizes[r->n] = size;
    }
    if (len)
        memcpy(r->fields[r->n], s, len);
    r->fields[r->n][len] = '\0';
    r->n++;
}

static void on_field(void *s, size_t len, void *data)
{
    importer *im = data;
    if (!im->failed)
        imp_push_field(im, s, len);
}

/* The current record done with (its buffers kept for the next); the next record starts. */
static void free_record(importer *im)
{
    im->rec.n = 0;
    im->rec.line = 0;
}

void imp_take_record(importer *im)
{
    if (!im->failed) {
        /* a blank line is not a record */
        int blank = im->rec.n == 0 || (im->rec.n == 1 && !im->rec.fields[0][0]);
        if (!blank) {
            if (!im->header_done) {
                im->header_done = 1;
                if (do_header(im) != 0)
                    im->failed = 1;
            } else {
                do_row(im);
            }
        }
    }
    free_record(im);
}

void imp_refuse_record(importer *im, const char *why)
{
    im->report->read++;
    reject(im, "%s", why);
    free_record(im);
}

static void on_record(int c, void *data)
{
    (void)c;
    imp_take_record(data);
}

static void progress(const char *file, size_t done, size_t total, int64_t rows)
{
    int pct = total ? (int)(done * 100 / total) : 100;
    char bar[41];
    memset(bar, '#', (size_t)(pct * 40 / 100));
    memset(bar + pct * 40 / 100, '.', 40 - (size_t)(pct * 40 / 100));
    bar[40] = '\0';
    fprintf(stderr, "\r导入 %s [%s] %3d%% %lld 行", file, bar, pct, (long long)rows);
    if (done == total)
        fputc('\n', stderr);
}

/* The log of what the evidence rests on: one import_log row per file, with its SHA-256 and
 * counts, in the import's transaction. The time is KAOHE_RUN_TIME's when set (tests). */
static int record_import(importer *im, const char *file, const char *sha, kh_error *err)
{
    sqlite3_stmt *log = NULL;
    time_t now =
        getenv("KAOHE_RUN_TIME") ? (time_t)strtoll(getenv("KAOHE_RUN_TIME"), NULL, 10) : time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (ev_sql(im->db, im->opt->evidence_path,
               "INSERT INTO import_log (file, sha256, tbl, encoding, rows_read, accepted, "
               "rejected, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               &log, err) != 0)
        return -1;
    sqlite3_bind_text(log, 1, file, -1, SQLITE_STATIC);
    sqlite3_bind_text(log, 2, sha, -1, SQLITE_STATIC);
    sqlite3_bind_text(log, 3, im->table.name, -1, SQLITE_STATIC);
    sqlite3_bind_text(log, 4, im->report->encoding, -1, SQLITE_STATIC);
    sqlite3_bind_int64(log, 5, im->report->read);
    sqlite3_bind_int64(log, 6, im->report->accepted);
    sqlite3_bind_int64(log, 7, im->report->rejected);
    sqlite3_bind_text(log, 8, when, -1, SQLITE_STATIC);
    int step = sqlite3_step(log);
    sqlite3_finalize(log);
    if (step != SQLITE_DONE) {
        kh_seterr(err, "%s: cannot record the import: %s", im->opt->evidence_path,
                  sqlite3_errmsg(im->db));
        return -1;
    }
    return 0;
}

/* A rejects file not renamed into place (the file failed) removed. */
static void discard_rejects(importer *im)
{
    if (im->rejects) {
        fclose(im->rejects);
        unlink(im->rejects_tmp);
        im->rejects = NULL;
    }
}

/* The end of a file read whole: its rejects renamed into place, and the import logged. */
static int finish_file(importer *im, const char *file, const char *sha, kh_error *err)
{
    flush_rows(im); /* the last rows */
    if (im->failed)
        return -1;
    if (im->rejects) {
        int bad = fclose(im->rejects) != 0;
        im->rejects = NULL;
        if (bad || rename(im->rejects_tmp, im->report->rejects_path) != 0) {
            kh_seterr(err, "%s: cannot write rejects", im->report->rejects_path);
            unlink(im->rejects_tmp);
            return -1;
        }
    }
    return record_import(im, file, sha, err);
}

/* One sheet of a workbook into its table, inside the caller's transaction; the import logged
 * with the workbook's SHA-256. 0, or -1 with err (empty when the problems were noted). */
static int import_sheet(importer *im, const char *file, const char *sheet, kh_error *err)
{
    char sha[65];
    if (kh_sha256_file(file, sha, err) != 0)
        return -1;
    snprintf(im->report->encoding, sizeof im->report->encoding, "xlsx");
    int rc = imp_read_sheet(im, file, sheet, err);
    if (rc == 0 && im->failed)
        rc = -1;
    if (rc == 0)
        rc = finish_file(im, file, sha, err);
    flush_rows(im); /* as in import_file */
    discard_rejects(im);
    return rc;
}

static int any_cell(void *ud, long row, size_t n, const char *const *cells,
                    const unsigned char *number)
{
    (void)row, (void)number;
    for (size_t c = 0; c < n; c++)
        if (cells[c] && cells[c][0])
            *(int *)ud = 1;
    return *(int *)ud;
}

/* 1 if sheet `sheet` has no cell with text (or cannot be read: the error comes later). */
static int sheet_is_empty(importer *im, const char *file, const char *sheet)
{
    int any = 0;
    kh_error e;
    const kh_row_source *src = im->opt->sheets;
    return src->read(src->ud, file, sheet, any_cell, &any, &e) == 0 && !any;
}

/* One CSV file into its table, inside the caller's transaction: read, decoded, fed to libcsv a
 * physical line at a time (so every record knows its line), the rejects file renamed into
 * place, and the import logged. 0, or -1 with err. */
static int import_file(importer *im, const char *file, kh_error *err)
{
    strbuf raw = {0}, text = {0};
    /* a device (/dev/zero, /dev/urandom), FIFO or directory would be read until memory runs
     * out, or block: only a regular file is a CSV export */
    struct stat st;
    if (stat(file, &st) == 0 && !S_ISREG(st.st_mode)) {
        kh_seterr(err, "%s: not a regular file (a device, pipe or directory cannot be imported)",
                  file);
        return -1;
    }
    if (sb_read_file(&raw, file) != 0) {
        kh_seterr(err, "%s: cannot open: %s", file, strerror(errno));
        sb_free(&raw);
        return -1;
    }
    char sha[65];
    kh_sha256_hex(sb_str(&raw), raw.len, sha);
    int rc = -1;
    if (raw.len == 0) {
        kh_seterr(err, "%s: empty file (no header row)", file);
        goto done;
    }
    if (decode(file, &raw, im->opt->encoding, &text, im->report->encoding, err) != 0 ||
        check_text(file, &text, err) != 0)
        goto done;
    struct csv_parser p;
    csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    const char *s = sb_str(&text);
    size_t total = text.len, at = 0, next_tick = 0;
    long line = 0;
    int tty = im->opt->progress && total > (1u << 20);
    while (at < total && !im->failed) {
        const char *nl = memchr(s + at, '\n', total - at);
        size_t len = nl ? (size_t)(nl - (s + at)) + 1 : total - at;
        line++;
        if (im->rec.n == 0 && im->rec.line == 0)
            im->rec.line = line;
        if (csv_parse(&p, s + at, len, on_field, on_record, im) != len) {
            kh_seterr(err, "%s:%ld: malformed CSV: %s", file, line, csv_strerror(csv_error(&p)));
            csv_free(&p);
            goto done;
        }
        /* a record that ended mid-line leaves the next one starting on this line */
        if (im->rec.n == 0 && im->rec.line == 0)
            im->rec.line = line + 1;
        at += len;
        if (tty && at >= next_tick) {
            progress(file, at, total, im->report->read);
            next_tick = at + total / 100;
        }
    }
    if (!im->failed && csv_fini(&p, on_field, on_record, im) != 0) {
        kh_seterr(err, "%s:%ld: the file ends inside a quoted field (truncated?)", file,
                  im->rec.line ? im->rec.line : line);
        csv_free(&p);
        goto done;
    }
    csv_free(&p);
    if (tty)
        progress(file, total, total, im->report->read);
    if (im->failed)
        goto done;
    if (!im->header_done) {
        kh_seterr(err, "%s: empty file (no header row)", file);
        goto done;
    }
    rc = finish_file(im, file, sha, err);
done:
    /* the rows read before a problem that stops the file are written, so that what the schema
     * refuses among them is reported before it, as when each row was written as it was read */
    flush_rows(im);
    discard_rejects(im);
    sb_free(&raw);
    sb_free(&text);
    return rc;
}

/* A record's field buffers. */
static void record_free(record *r)
{
    for (size_t i = 0; i < r->nbuf; i++)
        free(r->fields[i]);
    free(r->fields);
    free(r->sizes);
}

static void importer_reset(importer *im)
{
    sqlite3_finalize(im->insert);
    sqlite3_finalize(im->batch);
    im->insert = im->batch = im->target = NULL;
    for (size_t j = 0; j < im->batch_rows; j++)
        record_free(&im->pending[j]);
    free(im->pending);
    im->pending = NULL;
    im->npending = im->batch_rows = 0;
    for (size_t i = 0; i < im->nfields; i++) {
        if (im->heads)
            free(im->heads[i]);
        if (im->labels)
            free(im->labels[i]);
    }
    free(im->refs);
    free(im->heads);
    free(im->labels);
    free(im->dates);
    im->dates = NULL;
    im->refs = NULL;
    im->heads = im->labels = NULL;
    free(im->colmap);
    im->colmap = NULL;
    im->nfields = 0;
    table_free(&im->table);
    key_set_free(&im->keys);
    memset(&im->keys, 0, sizeof im->keys);
    record_free(&im->rec);
    memset(&im->rec, 0, sizeof im->rec);
    free(im->rejects_tmp);
    im->rejects_tmp = NULL;
    im->header_done = 0;
    im->failed = 0;
}

static char *table_of_file(const char *file)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    char *t = xstrdup(base);
    char *dot = strrchr(t, '.');
    if (dot && strcasecmp(dot, ".csv") == 0)
        *dot = '\0';
    return t;
}

/* The imported findings checked and their clashes with those recorded before settled as
 * opt->findings says (finding_clash_internal.h), the replacements listed in out->replaced. */
static int settle_findings(sqlite3 *db, const kh_import_options *opt, kh_import_report *out,
                           kh_error *err)
{
    strbuf replaced = {0};
    int rc = ev_finding_clash_settle(db, opt->evidence_path, opt->findings, &replaced, err);
    out->replaced = replaced.len ? sb_take(&replaced) : NULL;
    sb_free(&replaced);
    return rc;
}

/* 1 if `path` ends in `ext` (".xlsx"), ignoring case. */
static int ends_with(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n >= e && strcasecmp(path + n - e, ext) == 0;
}

static int is_workbook(const char *file)
{
    return ends_with(file, ".xlsx") || ends_with(file, ".xls");
}

/* One file, or one sheet of a workbook, into its table (--table, else the sheet's or the
 * file's name): a report entry, the table read, the findings' clash check begun before the
 * first finding file, the rows. 0, or -1 with err (empty when the problems were noted). A
 * sheet that is not named after a table but holds nothing (Excel's Sheet2) is left out. */
static int import_one(importer *im, kh_import_report *out, size_t *cap, const char *file,
                      const char *sheet, int *findings, kh_error *err)
{
    const kh_import_options *opt = im->opt;
    size_t k = KH_PUSH(out->files, out->nfiles, *cap);
    kh_import_file_report *fr = &out->files[k];
    memset(fr, 0, sizeof *fr);
    strbuf where = {0};
    sb_printf(&where, sheet ? "%s[%s]" : "%s", file, sheet);
    fr->file = sb_take(&where);
    fr->table = opt->table ? xstrdup(opt->table) : sheet ? xstrdup(sheet) : table_of_file(file);
    im->report = fr;
    im->file = file;
    im->where = sheet ? fr->file : file;
    int rc = -1;
    ref_cache_drop(im, fr->table); /* its keys are about to change */
    if (table_load(im->db, opt->evidence_path, fr->table, &im->table, err) != 0) {
        if (sheet && !opt->table && sheet_is_empty(im, file, sheet)) {
            importer_reset(im);
            free(fr->file);
            free(fr->table);
            out->nfiles--;
            return 0;
        }
        strbuf m = {0};
        sb_printf(&m, "%s: %s", im->where, err->msg);
        kh_seterr(err, "%s", sb_str(&m));
        sb_free(&m);
    } else if (strcmp(fr->table, "finding") == 0) {
        /* the findings present before this import's first, for the clash check at the end,
         * and the file each finding came from (a replaced finding's record names it) */
        int begun = *findings || ev_finding_clash_begin(im->db, opt->evidence_path, err) == 0;
        *findings = 1;
        if (begun && ev_finding_clash_from(im->db, opt->evidence_path, im->where, err) == 0)
            rc = sheet ? import_sheet(im, file, sheet, err) : import_file(im, file, err);
    } else {
        rc = sheet ? import_sheet(im, file, sheet, err) : import_file(im, file, err);
    }
    importer_reset(im);
    return rc;
}

/* A workbook: each sheet into the table of its name, or with --table the sheet of that name
 * (else the first) into that table. A legacy .xls is refused with how to convert it. */
static int import_workbook(importer *im, kh_import_report *out, size_t *cap, const char *file,
                           int *findings, kh_error *err)
{
    const kh_import_options *opt = im->opt;
    if (ends_with(file, ".xls")) {
        kh_seterr(err,
                  "%s: a legacy Excel file (.xls), which kaohe cannot read: save it as .xlsx "
                  "(Excel or WPS: 另存为 .xlsx), or convert it with soffice --headless "
                  "--convert-to xlsx %s",
                  file, file);
        return -1;
    }
    if (!opt->sheets) {
        kh_seterr(err, "%s: workbooks cannot be imported here (save the sheet as CSV)", file);
        return -1;
    }
    char **names = NULL;
    size_t n = 0;
    if (opt->sheets->sheets(opt->sheets->ud, file, &names, &n, err) != 0)
        return -1;
    size_t only = 0; /* with --table: the sheet of its name, else the first */
    for (size_t i = 0; opt->table && i < n; i++)
        if (strcmp(names[i], opt->table) == 0)
            only = i;
    int rc = 0;
    for (size_t i = 0; i < n && !im->stopped; i++) {
        if (opt->table && i != only)
            continue;
        err->msg[0] = '\0';
        if (import_one(im, out, cap, file, names[i], findings, err) != 0 && err->msg[0])
            imp_note_error(im, err->msg);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    err->msg[0] = '\0';
    return rc;
}

/* Import failed over im->nerrors problems: one is err itself; more are listed in out->errors
 * (the CLI prints each as an error line) and err counts them. */
static void fail_with_errors(importer *im, kh_import_report *out, kh_error *err)
{
    if (im->nerrors == 1 && !im->stopped) {
        im->errors.data[im->errors.len - 1] = '\0'; /* its newline */
        kh_seterr(err, "%s", sb_str(&im->errors));
        return;
    }
    out->errors = sb_take(&im->errors);
    if (im->stopped)
        kh_seterr(err,
                  "stopped after %ld problems (--max-errors): nothing was imported; fix these and "
                  "import again",
                  im->nerrors);
    else
        kh_seterr(err,
                  "%ld problems in the files: nothing was imported; fix them and import again, or "
                  "import the good rows with --partial",
                  im->nerrors);
}

int kh_import(const kh_import_options *opt, kh_import_report *out, kh_error *err)
{
    memset(out, 0, sizeof *out);
    if (opt->nfiles == 0) {
        kh_seterr(err, "import: no file given");
        return -1;
    }
    if (access(opt->evidence_path, F_OK) != 0) {
        kh_seterr(err, "%s: no such evidence database (create one with kaohe schema --evidence %s)",
                  opt->evidence_path, opt->evidence_path);
        return -1;
    }
    header_map map;
    strbuf mp = {0};
    if (opt->map_path)
        sb_append(&mp, opt->map_path);
    else
        sb_printf(&mp, "%s/fixtures/import/headers.tsv", kh_home());
    if (map_load(sb_str(&mp), &map, err) != 0) {
        sb_free(&mp);
        return -1;
    }
    sb_free(&mp);
    sqlite3 *db = NULL;
    /* the connection is used by this thread alone: no mutex around each bind, step and reset
     * (about 1% of the import's time) */
    if (sqlite3_open_v2(opt->evidence_path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        kh_seterr(err, "%s: cannot open evidence database: %s", opt->evidence_path,
                  sqlite3_errmsg(db));
        sqlite3_close(db);
        map_free(&map);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    importer im;
    memset(&im, 0, sizeof im);
    int rc = -1, findings = 0;
    char *msg = NULL;
    /* a trigger in the file would fire on every row written (ev_guard) */
    if (ev_guard(db, opt->evidence_path, err) != 0) {
        sqlite3_close(db);
        map_free(&map);
        return -1;
    }
    /* a large page cache only when the file holds rows (import_cache.c says why) */
    if (imp_set_cache(db, opt->evidence_path, err) != 0)
        goto close;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK) {
        kh_seterr(err, "%s: cannot write: %s", opt->evidence_path, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        goto close;
    }
    im.opt = opt;
    im.db = db;
    im.map = &map;
    im.err = err;
    size_t cap = 0;
    for (size_t i = 0; i < opt->nfiles && !im.stopped; i++) {
        err->msg[0] = '\0';
        int r = is_workbook(opt->files[i])
                    ? import_workbook(&im, out, &cap, opt->files[i], &findings, err)
                    : import_one(&im, out, &cap, opt->files[i], NULL, &findings, err);
        if (r != 0 && err->msg[0])
            imp_note_error(&im, err->msg);
    }
    err->msg[0] = '\0';
    if (!im.nerrors && findings && settle_findings(db, opt, out, err) != 0)
        imp_note_error(&im, err->msg);
    if (im.nerrors) {
        fail_with_errors(&im, out, err);
        goto rollback;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
        kh_seterr(err, "%s: cannot commit: %s", opt->evidence_path, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
        goto rollback;
    }
    rc = 0;
    goto close;
rollback:
    /* With autocommit back on, SQLite has already rolled the transaction back (after an I/O
     * error, say). A ROLLBACK that fails is added to the error that led here, which stays
     * first: it is the one to fix. */
    if (!sqlite3_get_autocommit(db)) {
        kh_error rb;
        if (ev_sql(db, opt->evidence_path, "ROLLBACK", NULL, &rb) != 0) {
            strbuf m = {0};
            sb_printf(&m, "%s (and the rollback failed: %s)", err->msg, rb.msg);
            kh_seterr(err, "%s", sb_str(&m));
            sb_free(&m);
        }
    }
    /* rejects of a rolled-back import would describe nothing: remove them */
    for (size_t i = 0; i < out->nfiles; i++)
        if (out->files[i].rejects_path)
            unlink(out->files[i].rejects_path);
close:
    sb_free(&im.errors);
    sb_free(&im.keybuf);
    ref_cache_free(&im);
    sqlite3_close(db);
    map_free(&map);
    return rc;
}

void kh_import_report_free(kh_import_report *r)
{
    free(r->replaced);
    r->replaced = NULL;
    free(r->errors);
    r->errors = NULL;
    for (size_t i = 0; i < r->nfiles; i++) {
        free(r->files[i].file);
        free(r->files[i].table);
        free(r->files[i].rejects_path);
    }
    free(r->files);
    memset(r, 0, sizeof *r);
}

int kh_schema_create(const char *path, const char *schema_path, kh_error *err)
{
    if (access(path, F_OK) == 0) {
        kh_seterr(err, "%s: already exists (kaohe schema creates a new evidence database)", path);
        return -1;
    }
    strbuf sql = {0};
    if (sb_read_file(&sql, schema_path) != 0) {
        kh_seterr(err, "%s: cannot open: %s", schema_path, strerror(errno));
        sb_free(&sql);
        return -1;
    }
    /* built under a temporary name (an empty file, which SQLite opens as an empty database) and
     * renamed into place only once the whole schema is in it */
    strbuf tmp = {0};
    if (kh_tmp_beside(&tmp, path, err) != 0) {
        sb_free(&tmp);
        sb_free(&sql);
        return -1;
    }
    sqlite3 *db = NULL;
    char *msg = NULL;
    int rc = -1;
    if (sqlite3_open(sb_str(&tmp), &db) != SQLITE_OK ||
        sqlite3_exec(db, sb_str(&sql), NULL, NULL, &msg) != SQLITE_OK) {
        kh_seterr(err, "%s: %s", schema_path, msg ? msg : sqlite3_errmsg(db));
        sqlite3_free(msg);
    } else {
        rc = 0;
    }
    sqlite3_close(db);
    if (rc == 0 && rename(sb_str(&tmp), path) != 0) {
        kh_seterr(err, "%s: cannot create: %s", path, strerror(errno));
        rc = -1;
    }
    if (rc != 0)
        unlink(sb_str(&tmp));
    sb_free(&tmp);
    if (rc == 0)
        fputs(sb_str(&sql), stdout);
    sb_free(&sql);
    return rc;
}
