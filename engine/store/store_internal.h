/*
 * store_internal.h — the results database's SQLite handles, for the files of store/ only
 * (tests/check_layers.sh refuses it anywhere else): nothing above the store sees sqlite3.
 */
#ifndef KAOHE_STORE_INTERNAL_H
#define KAOHE_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/audit_store.h"
#include "store/results.h"
#include "store/run_row.h"
#include "store/wenze_store.h"

sqlite3 *results_tx_db(results_tx *tx);

/* Writes run `run`'s 问责名单 into table accountability (made if missing): wenze_store.c. 0, or
 * -1 with err naming `path`. */
int wenze_store_write(sqlite3 *db, int64_t run, const kh_wenze *w, const char *path, kh_error *err);

/* Appends run `run`'s rows of table accountability to out (county "" if the table predates
 * it): 1, 0 if the database has no such table (written before it), -1 on error (sqlite3_errmsg). */
int wenze_store_rows(sqlite3 *db, int64_t run, kh_wenze *out);

/* A text column, "" for NULL. */
const char *results_col_text(sqlite3_stmt *st, int i);

/* Places a results row (columns 0, 1, 2: scorecard, kind, subject id; item in item_col) in
 * a run: at[] = scorecard, set and subject indices and item index. 0, or -1 if any is not
 * the run's. */
int results_place(scorecard **scs, size_t nsc, const kh_results *r, sqlite3_stmt *st, int item_col,
                  long at[4]);

/* Outcomes of reading a stored run (run_row.c); sqlite3_errmsg says why for the failures. The
 * callers tell them apart because each words them as its command always has. */
enum {
    STORED_OK = 0,
    STORED_NO_RUN = 1,  /* no such run (or, asked for the latest, no run at all) */
    STORED_UNFIT = -1,  /* the query does not fit the database: not a results database */
    STORED_FAILED = -2, /* the query failed part-way */
};

/* Reads run `id` (0: the latest) of the run table into *out (zeroed first; on any outcome to
 * be given to run_row_free). One of the STORED_ outcomes. */
int run_row_read(sqlite3 *db, int64_t id, run_row *out);

/* Hands each scorecard recorded for run `run` (table run_scorecard), in stored order, to fn:
 * its id, file and SHA-256, valid during the call only. STORED_OK, STORED_UNFIT or
 * STORED_FAILED. */
int run_scorecards_read(sqlite3 *db, int64_t run,
                        void (*fn)(void *ud, const char *id, const char *file, const char *sha256),
                        void *ud);

/* The handle of a results database opened for the audit commands, and its path for messages:
 * for the other readers of an audit_store in store/ (run_list.c). */
sqlite3 *audit_store_db(audit_store *s, const char **path);

/* Whether the database has table `name` (older kaohe versions wrote no subject or run_part
 * table): 1, 0, or STORED_FAILED. */
int store_has_table(sqlite3 *db, const char *name);

#endif
