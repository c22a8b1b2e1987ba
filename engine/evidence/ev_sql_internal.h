/*
 * ev_sql_internal.h — the evidence layer's one way to run or prepare the SQL it writes itself
 * (schema look-ups, transactions, the import log), for the files of evidence/ only
 * (tests/check_layers.sh refuses it anywhere else).
 *
 * It exists so that no prepare or exec of these files goes unchecked: a failure becomes a
 * kh_error "FILE: MESSAGE" naming the database file a person can look at and SQLite's own
 * message. (Scorecard queries go through evidence.c's prepare(), which adds the read-only
 * defences and the item's position.)
 */
#ifndef KAOHE_EV_SQL_INTERNAL_H
#define KAOHE_EV_SQL_INTERNAL_H

#include <sqlite3.h>

#include "base/strbuf.h"

/* With stmt: prepares the single statement `sql` into *stmt. With stmt NULL: runs every
 * statement of `sql` (sqlite3_exec). `file` is the database as the user named it. 0, or -1
 * with err "FILE: MESSAGE" (and *stmt NULL). */
int ev_sql(sqlite3 *db, const char *file, const char *sql, sqlite3_stmt **stmt, kh_error *err);

#endif
