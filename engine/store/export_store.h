/*
 * export_store.h — one run's rows of a results table, column by column with their SQLite types,
 * for `kaohe export` (app/export.c): another system gets the results as the database holds
 * them, so that loading the export into SQLite gives the table back.
 */
#ifndef KAOHE_EXPORT_STORE_H
#define KAOHE_EXPORT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"
#include "store/audit_store.h"

/* How a value is stored, so that an export can tell a number from a text and NULL from "". */
typedef enum export_type { EXPORT_NULL, EXPORT_INTEGER, EXPORT_REAL, EXPORT_TEXT } export_type;

/* One value: its type and its text as SQLite prints it ("10.0", "3", "") — NULL for EXPORT_NULL. */
typedef struct export_value {
    export_type type;
    const char *text;
} export_value;

/* Where export_store_table hands the column names (once, first) and each row; the strings are
 * valid during the call only. A callback returning non-zero (err set) stops the reading. */
typedef struct export_sink {
    int (*header)(void *ud, size_t ncols, const char *const *names, kh_error *err);
    int (*row)(void *ud, size_t ncols, const export_value *vals, kh_error *err);
    void *ud;
} export_sink;

/* The rows of `table` (one of "result", "score", "deduction") that belong to run `run`, every
 * column in the table's order, in the order they were written. 0, or -1 with err naming the
 * database when the table is not there or a read fails. */
int export_store_table(audit_store *s, const char *table, int64_t run, const export_sink *k,
                       kh_error *err);

#endif
