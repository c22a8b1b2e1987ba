/*
 * ev_temp.c — the one place that decides where an evidence query's temporary storage goes and
 * how large it may grow (issue 18 item 2).
 *
 * A scorecard query that sorts or groups wide rows (ORDER BY over a cross join) makes SQLite
 * spill sorter runs and temporary b-trees; by default into files under TMPDIR, without bound:
 * 3 GB in 17 s were measured. Here temporary storage is kept in memory (temp_store = MEMORY:
 * SQLite's sorter then never spills to a file, and the TEMP tables of shared sets are built
 * faster) and all of SQLite's memory in the process has a hard ceiling
 * (sqlite3_hard_heap_limit64), past which a query fails with SQLITE_NOMEM, which ev_step
 * reports as the temporary storage limit. The ceiling is process-wide, so it is set once and
 * generously: the evidence connections of all worker threads, the results database and the
 * scratch databases share it, and an honest county run uses a small fraction of it.
 */
#include <sqlite3.h>

#include "evidence/ev_open_internal.h"

int ev_bound_temp(sqlite3 *db)
{
    sqlite3_int64 now = sqlite3_hard_heap_limit64(-1);
    if (now == 0 || now > EV_SQLITE_HEAP_LIMIT)
        sqlite3_hard_heap_limit64(EV_SQLITE_HEAP_LIMIT);
    return sqlite3_exec(db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
}
