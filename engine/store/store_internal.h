/*
 * store_internal.h — the results database's SQLite handles, for the files of store/ only
 * (tests/check_layers.sh refuses it anywhere else): nothing above the store sees sqlite3.
 */
#ifndef KAOHE_STORE_INTERNAL_H
#define KAOHE_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store/results.h"

sqlite3 *results_tx_db(results_tx *tx);

/* A text column, "" for NULL. */
const char *results_col_text(sqlite3_stmt *st, int i);

/* Places a results row (columns 0, 1, 2: scorecard, kind, subject id; item in item_col) in
 * a run: at[] = scorecard, set and subject indices and item index. 0, or -1 if any is not
 * the run's. */
int results_place(scorecard **scs, size_t nsc, const kh_results *r, sqlite3_stmt *st, int item_col,
                  long at[4]);

#endif
