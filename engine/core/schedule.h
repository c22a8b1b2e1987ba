/*
 * schedule.h — the order in which -j worker threads pick up a run's items (issue 19 item 4).
 *
 * Items are handed out longest first, by an estimate of each item's cost that the caller
 * passes (kh_run_input.item_cost: app/item_cost.c reads it from the previous run's measured
 * times). The order only decides which item a free worker takes next: the results are still
 * taken in form order, so they are the same whatever the estimate says, or without one.
 */
#ifndef KAOHE_CORE_SCHEDULE_H
#define KAOHE_CORE_SCHEDULE_H

#include <stddef.h>

/* The n items' indices (form order, 0..n-1) in the order to start them: an item without an
 * estimate (cost NULL, or cost[i] < 0: new, or no previous run) first, in form order, then
 * the others by decreasing cost, ties in form order. Returns a new array (free it). */
size_t *kh_schedule_order(const double *cost, size_t n);

/* CPU seconds this thread has used so far (CLOCK_THREAD_CPUTIME_ID): an item's measured cost
 * is not inflated by other processes the way its wall time is on a loaded machine. */
double kh_thread_cpu_seconds(void);

#endif
