/*
 * cadence_internal.h — scorecard language v2: the cadence functions scorecard queries may
 * call (cadence.c), registered on every read-only evidence connection by evidence.c.
 */
#ifndef KAOHE_CADENCE_INTERNAL_H
#define KAOHE_CADENCE_INTERNAL_H

#include <sqlite3.h>

/* Registers kh_months_missing and kh_quarters_missing on db: SQLITE_OK or SQLite's error. */
int ev_register_cadence(sqlite3 *db);

#endif
