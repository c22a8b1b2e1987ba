/*
 * sqlite_heap.h — SQLite's memory in this process: one ceiling on all of it, counted without a
 * lock (sqlite_heap.c).
 */
#ifndef KAOHE_SQLITE_HEAP_H
#define KAOHE_SQLITE_HEAP_H

/* Gives SQLite kaohe's allocator: malloc with a byte count kept by atomic arithmetic, which
 * refuses an allocation past the ceiling (ev_heap_limit), instead of SQLite's memory statistics,
 * which take one process-wide mutex on every allocation and free. Call first thing in main,
 * before anything opens a database. 0 when installed; -1 when SQLite was already initialized
 * (a host process that used SQLite before loading kaohe), and SQLite's own hard heap limit then
 * keeps the ceiling. */
int ev_heap_install(void);

/* Sets the ceiling on SQLite's memory in bytes when bytes >= 0 (0: none) and returns the one
 * before; ev_heap_limit(-1) only reads it. The same contract as sqlite3_hard_heap_limit64, which
 * it calls when kaohe's allocator is not installed. */
long long ev_heap_limit(long long bytes);

/* The bytes SQLite holds now through kaohe's allocator (headers included); 0 when not
 * installed. For the tests. */
long long ev_heap_used(void);

#endif
