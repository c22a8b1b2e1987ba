/*
 * test_schedule.c — the order -j workers start a run's items in (core/schedule.h): items
 * without an estimate first in form order, then the longest first, ties in form order.
 * Expected orders worked out by hand from the costs in each case.
 */
#include <stdlib.h>

#include "check.h"
#include "core/schedule.h"

/* 1 when order[0..n) equals want[0..n) */
static int same(const size_t *order, const size_t *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (order[i] != want[i])
            return 0;
    return 1;
}

int main(void)
{
    /* no estimates at all: form order */
    size_t *o = kh_schedule_order(NULL, 4);
    CHECK(same(o, (size_t[]){0, 1, 2, 3}, 4));
    free(o);

    /* costs 0.1 0.9 0.3 0.9: the two 0.9s first (1 before 3: form order), then 0.3, 0.1 */
    o = kh_schedule_order((double[]){0.1, 0.9, 0.3, 0.9}, 4);
    CHECK(same(o, (size_t[]){1, 3, 2, 0}, 4));
    free(o);

    /* items 2 and 4 have no estimate (-1: new items): they go first, in form order, then 0.5,
     * 0.2, 0 */
    o = kh_schedule_order((double[]){0.2, 0.5, -1, 0, -1}, 5);
    CHECK(same(o, (size_t[]){2, 4, 1, 0, 3}, 5));
    free(o);

    /* all equal: form order (the sort must not shuffle ties) */
    o = kh_schedule_order((double[]){0.3, 0.3, 0.3, 0.3, 0.3, 0.3}, 6);
    CHECK(same(o, (size_t[]){0, 1, 2, 3, 4, 5}, 6));
    free(o);

    /* no items: an empty order, still freeable */
    o = kh_schedule_order(NULL, 0);
    CHECK(o != NULL);
    free(o);

    /* the thread's CPU time moves forward with work done */
    double t0 = kh_thread_cpu_seconds();
    volatile double x = 0;
    for (long i = 0; i < 20000000; i++)
        x += (double)i;
    CHECK(x > 0); /* the work is used, so no compiler drops it (clang: set but not used) */
    CHECK(kh_thread_cpu_seconds() > t0);
    return CHECK_REPORT();
}
