/*
 * watchdog.c — a thread per guarded piece of work. See watchdog.h for why.
 */
#include "base/watchdog.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "base/strbuf.h"

struct kh_watchdog {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    pthread_condattr_t attr;
    int done; /* the work finished: stop waiting */
    unsigned seconds, grace;
    const char *what;
    void (*stop)(void *ud);
    void *ud;
};

/* Waits until `at` (CLOCK_MONOTONIC) or until the work is done; 1 if it is done. Called with
 * the lock held. */
static int wait_until(kh_watchdog *w, const struct timespec *at)
{
    while (!w->done)
        if (pthread_cond_timedwait(&w->cond, &w->lock, at) == ETIMEDOUT)
            break;
    return w->done;
}

static void *watch(void *arg)
{
    kh_watchdog *w = arg;
    struct timespec at;
    clock_gettime(CLOCK_MONOTONIC, &at);
    at.tv_sec += w->seconds;
    pthread_mutex_lock(&w->lock);
    if (!wait_until(w, &at)) {
        w->stop(w->ud); /* under the lock: kh_watchdog_stop waits for it */
        at.tv_sec += w->grace;
        if (!wait_until(w, &at)) {
            fprintf(stderr,
                    "kaohe: error: %s: time limit of %u s exceeded and the work did not stop "
                    "within %u s more; the process is ended (nothing was written)\n",
                    w->what, w->seconds, w->grace);
            fflush(stderr);
            _exit(1);
        }
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

kh_watchdog *kh_watchdog_start(unsigned seconds, unsigned grace, const char *what,
                               void (*stop)(void *ud), void *ud)
{
    kh_watchdog *w = xcalloc(1, sizeof *w);
    w->seconds = seconds;
    w->grace = grace;
    w->what = what;
    w->stop = stop;
    w->ud = ud;
    pthread_mutex_init(&w->lock, NULL);
    pthread_condattr_init(&w->attr);
    pthread_condattr_setclock(&w->attr, CLOCK_MONOTONIC);
    pthread_cond_init(&w->cond, &w->attr);
    if (pthread_create(&w->thread, NULL, watch, w) != 0) {
        pthread_cond_destroy(&w->cond);
        pthread_condattr_destroy(&w->attr);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return NULL;
    }
    return w;
}

void kh_watchdog_stop(kh_watchdog *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    w->done = 1;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cond);
    pthread_condattr_destroy(&w->attr);
    pthread_mutex_destroy(&w->lock);
    free(w);
}

unsigned kh_watchdog_grace(unsigned seconds)
{
    return seconds / 10 > 5 ? seconds / 10 : 5;
}
