/*
 * ev_sigbus_internal.h — the report of an evidence file truncated under a run (ev_sigbus.c).
 */
#ifndef KAOHE_EV_SIGBUS_INTERNAL_H
#define KAOHE_EV_SIGBUS_INTERNAL_H

/* Registers an evidence file about to be read through a memory mapping: from now on a SIGBUS
 * (a read past the end of a file another program truncated) prints an error naming the
 * registered files and ends the process with exit code 1. Thread-safe; idempotent per path. */
void ev_sigbus_guard(const char *path);

#endif
