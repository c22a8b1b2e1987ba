/*
 * ev_sigbus.c — what happens when an evidence file shrinks under a run that reads it.
 *
 * Evidence is read through a memory mapping (PRAGMA mmap_size in evidence.c): the per-person
 * queries revisit the same pages many times, and reading them through pread instead cost a
 * county run ~40% more CPU (user+sys 2.4 s → 3.4 s, three interleaved pairs), mostly the kernel
 * copying pages. The price of a mapping is that a file truncated by another program while a
 * query reads it raises SIGBUS at the next access past its new end. SQLite cannot be unwound
 * from a signal handler, and a check of the size or the change counter between queries misses
 * a truncation during one; but nothing has to be unwound: every output of a run is written to
 * a temporary name and renamed only at the end (base/tmpfile.h), and the next run of the same
 * output sweeps the stale temporary. So the handler reports — naming the evidence files the
 * process opened — and ends the process with exit code 1, as any failed run: no finished
 * workbook or results database from a run whose evidence changed under it.
 *
 * Only async-signal-safe calls run in the handler (write, _exit); the message is composed
 * when a file is registered, before any query runs.
 */
#include "evidence/ev_sigbus_internal.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define MSG_MAX 4096

static char message[MSG_MAX];
static volatile size_t message_len;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int installed;

static void on_sigbus(int sig)
{
    (void)sig;
    static const char fallback[] = "kaohe: error: an evidence file was truncated or changed by "
                                   "another program during the run; nothing was written\n";
    size_t n = message_len;
    if (n == 0 || write(STDERR_FILENO, message, n) < 0) {
        ssize_t ignored = write(STDERR_FILENO, fallback, sizeof fallback - 1);
        (void)ignored;
    }
    _exit(1);
}

/* Appends s to the message while it fits (a path too long for it is left out, not cut). */
static void append(size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n < MSG_MAX) {
        memcpy(message + *len, s, n);
        *len += n;
    }
}

void ev_sigbus_guard(const char *path)
{
    pthread_mutex_lock(&lock);
    /* "kaohe: error: a.db, b.db: the evidence file was truncated …" — the files are listed as
     * they were opened; the message is rebuilt whole, then published by its length */
    static char files[MSG_MAX / 2];
    size_t flen = strlen(files);
    if (!strstr(files, path) && flen + strlen(path) + 3 < sizeof files) {
        if (flen)
            strcat(files, ", ");
        strcat(files, path);
    }
    size_t len = 0;
    message_len = 0;
    append(&len, "kaohe: error: ");
    append(&len, files);
    append(&len, ": the evidence file was truncated or changed by another program during the run "
                 "(a read past its new end through its memory mapping); nothing was written\n");
    message_len = len;
    if (!installed) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_sigbus;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGBUS, &sa, NULL) == 0)
            installed = 1;
    }
    pthread_mutex_unlock(&lock);
}
