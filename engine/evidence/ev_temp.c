/*
 * ev_temp.c — the one place that decides where an evidence query's temporary storage goes and
 * how large it may grow (issue 18 item 2).
 *
 * A scorecard query that sorts or groups wide rows (ORDER BY over a cross join) makes SQLite
 * spill sorter runs and temporary b-trees; by default into files under TMPDIR, without bound:
 * 3 GB in 17 s were measured. Here temporary storage is kept in memory (temp_store = MEMORY:
 * SQLite's sorter then never spills to a file, and the TEMP tables of shared sets are built
 * faster) and all of SQLite's memory in the process has a hard ceiling
 * (ev_heap_limit: kaohe's allocator, sqlite_heap.c, or SQLite's sqlite3_hard_heap_limit64
 * where that is not installed), past which a query fails with SQLITE_NOMEM, which ev_step
 * reports as the temporary storage limit, naming the scorecard and item.
 *
 * The ceiling is process-wide, and kept so (issue 18's gap of item 3), set once and
 * generously: the evidence connections of all worker threads, the results database and the
 * scratch databases share it, and an honest county run uses a small fraction of it. Why not a
 * ceiling of evaluation's own:
 * - SQLite has no per-connection memory limit. cache_size bounds a connection's page cache,
 *   but an in-memory sorter or temporary b-tree (temp_store = MEMORY) has nowhere to spill, so
 *   only the heap limit bounds it; spilling to files again would reopen the TMPDIR hole.
 *   Accounting per connection would need an allocator of our own (SQLITE_CONFIG_MALLOC) that
 *   knows which connection each allocation serves, which SQLite does not say.
 * - Nothing that matters competes with evaluation for it: a run writes its results database
 *   and workbook only after evaluation has finished. During evaluation the others are the hash
 *   thread, the deductions' scratch database and, in a sharded run, the other shards' parts;
 *   each holds little more than its page cache (SQLite's default, 2 MiB).
 * - Whichever allocation the ceiling refuses, the run fails cleanly: outputs are renamed into
 *   place only after everything succeeded. The worst case is a message naming the hash or a
 *   part instead of the query that grew; the query's own error wins when both fail (app/run.c).
 * KAOHE_SQLITE_HEAP_LIMIT_MIB (16 to 2048) lowers the ceiling, for the tests and for small
 * machines; it cannot raise it.
 */
#include <sqlite3.h>
#include <stdlib.h>

#include "evidence/ev_open_internal.h"
#include "evidence/sqlite_heap.h"

/* The ceiling: EV_SQLITE_HEAP_LIMIT, or lower when KAOHE_SQLITE_HEAP_LIMIT_MIB says so (a
 * value that is not a number of MiB from 16 to 2048 is ignored). */
static sqlite3_int64 heap_limit(void)
{
    const char *env = getenv("KAOHE_SQLITE_HEAP_LIMIT_MIB");
    char *end = NULL;
    long mib = env ? strtol(env, &end, 10) : 0;
    if (!env || end == env || *end || mib < 16 || ((sqlite3_int64)mib << 20) > EV_SQLITE_HEAP_LIMIT)
        return EV_SQLITE_HEAP_LIMIT;
    return (sqlite3_int64)mib << 20;
}

int ev_bound_temp(sqlite3 *db)
{
    sqlite3_int64 now = ev_heap_limit(-1), limit = heap_limit();
    if (now == 0 || now > limit)
        ev_heap_limit(limit);
    return sqlite3_exec(db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
}
