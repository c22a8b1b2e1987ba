/*
 * ev_open_internal.h — the two halves of opening an evidence connection, shared by the files of
 * evidence/ that open one (evidence.c on a file, schema_check.c on the bundled schema in
 * memory), so that every connection a scorecard query reaches has the same defences.
 */
#ifndef KAOHE_EV_OPEN_INTERNAL_H
#define KAOHE_EV_OPEN_INTERNAL_H

#include <sqlite3.h>

#include "evidence/evidence.h"

/* Before anything is read: the busy timeout, defensive mode, untrusted schema, no extensions,
 * no triggers (the options of evidence.h). */
void ev_defend(sqlite3 *db);

/* After the connection is ready to read (query_only already set): takes ownership of db and
 * installs the cadence SQL functions, the limits, the authorizer and the step budget. `path`
 * names it in messages. NULL with err (and db closed) when a function cannot be registered. */
evidence *ev_adopt(sqlite3 *db, const char *path, kh_error *err);

/* Refuses a schema that is not ordinary tables only — a view, a virtual table, a trigger, a
 * generated column — naming the file and the object (ev_guard.c). Called on every evidence
 * connection, read-only or writing, before its first other statement. 0, or -1 with err. */
int ev_guard(sqlite3 *db, const char *path, kh_error *err);

/* Refuses tables that lack a column of the bundled evidence schema or declare it with another
 * type, naming the file, the table and the column (ev_columns_guard.c). 0, or -1 with err. */
int ev_guard_columns(sqlite3 *db, const char *path, kh_error *err);

/* Overrides printf() and format() on db with versions whose width and precision are bounded
 * (ev_printf.c); the output is SQLite's own. Call after SQLITE_LIMIT_LENGTH is set. An SQLite
 * result code. */
int ev_register_printf(sqlite3 *db);

/* Where evidence queries keep temporary storage and how much (ev_temp.c): temp_store = MEMORY
 * on db, and a hard ceiling on all of SQLite's memory in the process, EV_SQLITE_HEAP_LIMIT (lowered
 * by KAOHE_SQLITE_HEAP_LIMIT_MIB). An SQLite result code. Call before the authorizer is installed.
 */
#define EV_SQLITE_HEAP_LIMIT ((sqlite3_int64)2 << 30)
int ev_bound_temp(sqlite3 *db);

#endif
