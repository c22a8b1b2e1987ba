/*
 * item_watch.c — one item's evaluation under a watchdog (issue 18, gap of item 1).
 *
 * Inside a query the time limit is checked by the evidence connection's progress handler,
 * which SQLite calls between virtual-machine steps. One step can run for minutes: a single
 * function call such as instr() of a 2 MB needle in a 4 MB haystack (SQLite compares the
 * needle at every position: 10^12 byte comparisons in one step), or an in-memory sort. So
 * each item is evaluated with a watchdog armed for the time limit (base/watchdog.h): when it
 * passes, the watchdog interrupts the connection evaluating the item (ev_interrupt — each -j
 * worker has its own connection and arms its own watchdog), and if the step ignores the
 * interrupt too, it ends the process after the grace period with a message naming the
 * scorecard and the item. The limit is the one every query of the item already has
 * (--time-limit), counted from the item's start.
 */
#include <stdio.h>
#include <string.h>

#include "base/watchdog.h"
#include "core/core_internal.h"

static void interrupt_evidence(void *ev)
{
    ev_interrupt(ev);
}

int kh_eval_watched(evidence *ev, unsigned seconds, const char *where,
                    int (*eval)(void *ud, kh_error *err), void *ud, kh_error *err)
{
    char what[600]; /* "file:line: item N", kept by the watchdog until it is stopped */
    snprintf(what, sizeof what, "%s", where);
    size_t n = strlen(what);
    if (n && what[n - 1] == ':')
        what[n - 1] = '\0';
    if (!seconds)
        seconds = EV_DEFAULT_QUERY_SECONDS;
    kh_watchdog *w =
        kh_watchdog_start(seconds, kh_watchdog_grace(seconds), what, interrupt_evidence, ev);
    int rc = eval(ud, err);
    kh_watchdog_stop(w);
    ev_interrupt_clear(ev);
    return rc;
}
