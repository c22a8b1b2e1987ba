/*
 * watchdog.h — the last resort against work that ignores its time limit.
 *
 * A scorecard's limits are enforced from inside: the count hook and the library charges
 * (lua/sandbox.c, lua/meter.c) and the query progress handler (evidence/evidence.c). Each
 * needs the work to come back to it now and then; a call into C that never does (a library
 * bug, a pathological case no estimate foresaw) would hang the run for ever. A watchdog is a
 * thread armed for one piece of work: when its time is up it asks the work to stop (`stop`,
 * sandbox_interrupt for a scorecard's Lua state (app/run.c), ev_interrupt for the connection
 * evaluating an item (core/item_watch.c)) and, if the work is still running a grace period
 * later, prints a message naming the work and ends the process with exit code 1. Nothing is
 * half-written then: outputs are renamed into place only after a run succeeded, and the next
 * run removes the temporary files (base/tmpfile.h).
 */
#ifndef KAOHE_WATCHDOG_H
#define KAOHE_WATCHDOG_H

typedef struct kh_watchdog kh_watchdog;

/* Starts a watchdog for `what` (a file name, kept by pointer until kh_watchdog_stop): after
 * `seconds` it calls stop(ud) from its own thread, after `grace` more it ends the process.
 * NULL if no thread could be started (the work then runs with its inner limits only). */
kh_watchdog *kh_watchdog_start(unsigned seconds, unsigned grace, const char *what,
                               void (*stop)(void *ud), void *ud);

/* The work finished (or failed): the watchdog ends without acting. NULL is a no-op. */
void kh_watchdog_stop(kh_watchdog *w);

/* The grace period for a limit of `seconds`: a tenth of it, at least 5 s. */
unsigned kh_watchdog_grace(unsigned seconds);

#endif
