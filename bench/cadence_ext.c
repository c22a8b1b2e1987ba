/*
 * cadence_ext.c — kaohe's cadence functions (engine/evidence/cadence.c: kh_months_missing,
 * kh_quarters_missing and their _list forms) as a SQLite loadable extension, so that the
 * bench's floor (the sqlite3 shell, `.load`) and peer (Python's sqlite3, load_extension) run
 * every item's SQL as kaohe does instead of leaving out those that call them. The same source
 * file is compiled: sqlite3ext.h, included first, turns its sqlite3_* calls into calls through
 * the loading connection's API table.
 *   cc -shared -fPIC -O2 -I engine bench/cadence_ext.c -o cadence_ext.so
 */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "evidence/cadence.c" /* NOLINT(bugprone-suspicious-include): one source, two builds */

int sqlite3_cadenceext_init(sqlite3 *db, char **err, const sqlite3_api_routines *api);

int sqlite3_cadenceext_init(sqlite3 *db, char **err, const sqlite3_api_routines *api)
{
    SQLITE_EXTENSION_INIT2(api);
    (void)err;
    return ev_register_cadence(db);
}
