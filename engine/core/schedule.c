/*
 * schedule.c — longest-first order of a run's items across worker threads. See schedule.h.
 */
#include "core/schedule.h"

#include <stdlib.h>
#include <time.h>

#include "base/strbuf.h"

typedef struct ranked {
    size_t i;
    double cost; /* < 0: no estimate */
} ranked;

/* Unknown first (they may be the longest: a new item), then longest first; form order breaks
 * every tie, so the order is a function of the estimates alone. */
static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    int xu = x->cost < 0, yu = y->cost < 0;
    if (xu != yu)
        return xu ? -1 : 1;
    if (!xu && x->cost != y->cost)
        return x->cost > y->cost ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

size_t *kh_schedule_order(const double *cost, size_t n)
{
    size_t *order = xcalloc(n ? n : 1, sizeof *order);
    ranked *r = xcalloc(n ? n : 1, sizeof *r);
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){i, cost ? cost[i] : -1};
    qsort(r, n, sizeof *r, cmp_ranked);
    for (size_t i = 0; i < n; i++)
        order[i] = r[i].i;
    free(r);
    return order;
}

double kh_thread_cpu_seconds(void)
{
    struct timespec t;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) != 0)
        return 0;
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
