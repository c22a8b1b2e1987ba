/*
 * sqlite_heap.c — SQLite's allocator for kaohe: a ceiling on SQLite's memory without a
 * process-wide lock (issue 19: the cost of -j).
 *
 * Why: kaohe bounds all of SQLite's memory in the process (ev_temp.c: an in-memory sorter has
 * nowhere to spill, so only a heap ceiling stops a runaway query). SQLite's own ceiling,
 * sqlite3_hard_heap_limit64, works only with its memory statistics on, and those take one
 * global mutex around every sqlite3_malloc and sqlite3_free. With two evaluation threads the
 * county run spent about a sixth of its CPU more than with one, in that mutex and in the
 * kernel's futex sleeps and wake-ups it caused (perf, 2026-12-02: pthread_mutex_lock and
 * __lll_lock_wait under sqlite3Malloc/sqlite3_free).
 *
 * So SQLite's statistics are turned off (SQLITE_CONFIG_MEMSTATUS) and SQLite is given this
 * allocator (SQLITE_CONFIG_MALLOC): the system malloc with a 16-byte header holding the size,
 * and one atomic count of the bytes held. An allocation that would take the count past the
 * ceiling is refused (NULL), which SQLite reports as SQLITE_NOMEM — what it does at its own
 * hard limit, and what ev_step turns into the temporary-storage message. The count includes the
 * headers, so the ceiling is met a little earlier than SQLite's (which counts the usable size).
 *
 * Concurrent allocations may both pass the check and overshoot the ceiling by at most one
 * allocation per thread; SQLite's mutex did not allow that, and it does not matter for a
 * ceiling of gigabytes that exists to stop a runaway query, not to account to the byte.
 */
#include "evidence/sqlite_heap.h"

#include <sqlite3.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>

typedef union heap_header {
    sqlite3_int64 size; /* the bytes asked for, after the header */
    max_align_t align;  /* what follows is aligned as malloc's own result */
} heap_header;

static atomic_llong heap_used;    /* bytes held, headers included */
static atomic_llong heap_ceiling; /* 0: none */
static int heap_installed;

/* Reserves n more bytes in the count: 0, or -1 (and nothing reserved) past the ceiling. */
static int reserve(long long n)
{
    long long now = atomic_fetch_add_explicit(&heap_used, n, memory_order_relaxed) + n;
    long long ceiling = atomic_load_explicit(&heap_ceiling, memory_order_relaxed);
    if (ceiling > 0 && now > ceiling) {
        atomic_fetch_sub_explicit(&heap_used, n, memory_order_relaxed);
        return -1;
    }
    return 0;
}

static void release(long long n)
{
    atomic_fetch_sub_explicit(&heap_used, n, memory_order_relaxed);
}

static void *heap_malloc(int n)
{
    long long total = (long long)n + (long long)sizeof(heap_header);
    if (n < 0 || reserve(total) != 0)
        return NULL;
    heap_header *h = malloc((size_t)total);
    if (!h) {
        release(total);
        return NULL;
    }
    h->size = n;
    return h + 1;
}

static void heap_free(void *p)
{
    if (!p)
        return;
    heap_header *h = (heap_header *)p - 1;
    release(h->size + (long long)sizeof(heap_header));
    free(h);
}

static void *heap_realloc(void *p, int n)
{
    if (!p)
        return heap_malloc(n);
    heap_header *h = (heap_header *)p - 1;
    long long grow = (long long)n - h->size;
    if (n < 0 || (grow > 0 && reserve(grow) != 0))
        return NULL;
    heap_header *moved = realloc(h, (size_t)n + sizeof(heap_header));
    if (!moved) {
        if (grow > 0)
            release(grow);
        return NULL; /* the old block stays, with its size, as SQLite expects */
    }
    if (grow < 0)
        release(-grow);
    moved->size = n;
    return moved + 1;
}

static int heap_size(void *p)
{
    return p ? (int)((heap_header *)p - 1)->size : 0;
}

static int heap_roundup(int n)
{
    return (n + 7) & ~7;
}

static int heap_init(void *unused)
{
    (void)unused;
    return SQLITE_OK;
}

static void heap_shutdown(void *unused)
{
    (void)unused;
}

int ev_heap_install(void)
{
    static const sqlite3_mem_methods methods = {heap_malloc,  heap_free, heap_realloc,  heap_size,
                                                heap_roundup, heap_init, heap_shutdown, NULL};
    if (heap_installed)
        return 0;
    /* sqlite3_config refuses (SQLITE_MISUSE) once SQLite is initialized: nothing changes then */
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK)
        return -1;
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
        return -1; /* not reached: the first call would have failed the same way */
    heap_installed = 1;
    return 0;
}

long long ev_heap_limit(long long bytes)
{
    if (!heap_installed)
        return sqlite3_hard_heap_limit64(bytes);
    if (bytes < 0)
        return atomic_load(&heap_ceiling);
    return atomic_exchange(&heap_ceiling, bytes);
}

long long ev_heap_used(void)
{
    return heap_installed ? atomic_load(&heap_used) : 0;
}
