/*
 * import_internal.h — what the files of `kaohe import` share (evidence/ only): the table being
 * imported, the header mapping, one importer's state, and the steps a row source (a CSV file in
 * import.c, a sheet of a workbook in import_sheet.c) drives: a header record, then data records.
 */
#ifndef KAOHE_IMPORT_INTERNAL_H
#define KAOHE_IMPORT_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

#include "evidence/import.h"

/* How a column's text is read (see PARSERS in import.c): V_ID is person.id, text that must
 * carry a valid 身份证号 check digit when it looks like one. */
typedef enum { V_TEXT, V_INT, V_REAL, V_DATE, V_FEN, V_FLAG, V_ID } value_kind;

typedef struct column {
    char *name;
    value_kind kind;
    int notnull, pk;
    char *dflt; /* SQL text of the default, or NULL */
    /* foreign key */
    char *parent, *parent_col;
} column;

typedef struct table_info {
    char *name;
    column *cols;
    size_t ncols;
    int haspk;
} table_info;

typedef struct header_map {
    char **table, **column, **header;
    size_t n, cap;
} header_map;

/* The fields of one record. Their buffers are kept from record to record (imp_push_field): a
 * malloc and free per field was a tenth of the import's time. */
typedef struct record {
    char **fields;
    size_t *sizes; /* each buffer's size */
    size_t n;      /* fields of this record */
    size_t nbuf;   /* buffers allocated (fields and sizes hold this many) */
    long line;
} record;

/* A slot of a key set: the key's hash, and where its entry starts in the arena, plus one (0:
 * the slot is empty). */
typedef struct key_slot_entry {
    uint64_t hash;
    size_t entry;
} key_slot_entry;

typedef struct key_set {   /* keys → the line each was first seen on */
    strbuf arena;          /* per key: the line (a long), then the key, NUL-terminated */
    key_slot_entry *slots; /* open addressing, linear probing */
    size_t n, mask;
} key_set;

typedef struct importer {
    const kh_import_options *opt;
    sqlite3 *db;
    const header_map *map;
    const char *file;  /* the file as given */
    const char *where; /* the file in messages: FILE, or FILE[sheet] for a workbook */
    table_info table;
    int *colmap; /* field index → column index */
    size_t nfields;
    char **heads;      /* per field: the file's own header, as written (the rejects file's) */
    char **labels;     /* per field: the name people know the column by, for messages */
    char (*dates)[11]; /* per parameter of the batch: its date as bound (2018-05-31) */
    int key_fields[8]; /* field indexes of the key */
    int nkey;
    sqlite3_stmt *insert; /* one row */
    sqlite3_stmt *batch;  /* batch_rows rows at once, or NULL (flush_rows in import.c) */
    sqlite3_stmt *target; /* the statement the current row is bound to, from parameter base + 1 */
    int base;
    record *pending; /* the rows bound to the batch, not yet written, each with its fields */
    size_t npending, batch_rows;
    int flushing;
    const key_set **refs; /* per field: every key of the row it references, or NULL */
    /* the parents' key sets, kept across files until a file imports into that parent */
    struct ref_cache **cache;
    size_t ncache, cache_cap;
    strbuf keybuf; /* the current record's key (duplicate_key) */
    record rec;
    int header_done;
    int failed; /* stop reading this file: a fatal error is in err, or too many errors */
    kh_error *err;
    key_set keys;
    kh_import_file_report *report;
    FILE *rejects;
    char *rejects_tmp;
    /* across files: every problem found, a line each, until max_errors */
    strbuf errors;
    long nerrors;
    int stopped; /* max_errors reached: nothing more is read */
} importer;

/* The column index a header names in table t (its name, a mapped header, or a variant of one:
 * full/half-width brackets and digits, spaces, a trailing unit such as （元）), or -1. */
int imp_header_column(const header_map *m, const table_info *t, const char *header);

/* The header people know column c of table t by (the mapping's first), or NULL. */
const char *imp_mapped_header(const header_map *m, const table_info *t, size_t c);

/* Appends a field of len bytes to the current record (a copy, NUL-terminated). */
void imp_push_field(importer *im, const char *s, size_t len);

/* The current record (im->rec) taken: the header when none was yet, else a data row; its
 * fields freed. */
void imp_take_record(importer *im);

/* The current record refused as a whole (read, rejected with `why`), its fields freed: a row
 * of a sheet with a value in a column that has no header. */
void imp_refuse_record(importer *im, const char *why);

/* A problem found (the file is named in msg): listed, and reading stops at max_errors. */
void imp_note_error(importer *im, const char *msg);

/* Every row of sheet `sheet` of a workbook through the row source, into the current table:
 * the header found among the first rows (titles above it skipped, merged header cells taken
 * from the cell above), number cells read as their column's kind (a date serial as a date).
 * 0, or -1 with err. */
int imp_read_sheet(importer *im, const char *file, const char *sheet, kh_error *err);

/* Sets the connection's page cache for an import into `path` (import_cache.c): SQLite's default
 * when no table holds a row, 256 MB otherwise. 0, or -1 with err. */
int imp_set_cache(sqlite3 *db, const char *path, kh_error *err);

#endif
