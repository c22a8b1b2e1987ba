/*
 * sets_parallel.c — the shared sets of a run made on several connections at once (issue 19:
 * the sets were the serial part of a run; at -j 2 only the hash thread ran beside them).
 *
 * A set reads only the evidence and the run's parameters, never another set (the loader
 * refuses that, core/sets.c), so the sets can be made in any order on any connection. Three
 * steps:
 * 1. Claim, on the calling connection, one after another in the order declared: each set is
 *    checked (it prepares; one name is one SQL with one set of values) and recorded in
 *    out->set_runs exactly as kh_sets_materialise does. The first failing claim stops here.
 * 2. Build: the calling thread and jobs - 1 threads, each on its own read-only connection,
 *    take the claimed sets in the order declared, each made in that connection's TEMP
 *    (evidence/sets.h ev_set_build). A failure stops the handing out; since the sets are
 *    handed out in order, every set declared before a failing one was made or failed too.
 * 3. Publish: each connection's TEMP is copied out as an image, the images are combined into
 *    one (evidence/sets_merge.c) and published on the calling connection; item workers
 *    attach it as before (ev_sets_share).
 * The error reported is the one a run with -j 1 reports: the first set, in the order
 * declared, that failed to build, else the failing claim.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/sets_internal.h"

typedef struct set_job {
    kh_set_def def;
    const kh_param *params;
    size_t nparams;
    size_t run; /* its row of out->set_runs */
    int64_t rows;
    kh_error err;
    int rc;
} set_job;

typedef struct set_pool {
    set_job *v;
    size_t n, cap, next;
    int stop;
    pthread_mutex_t lock;
} set_pool;

/* One connection's share of the sets: what it made, as an image, or why it could not. */
typedef struct maker {
    set_pool *pool;
    evidence *ev;
    const kh_run_input *in;
    ev_sets_image *image; /* NULL when it made none */
    kh_error err;
    int rc;
    int begun; /* the calling connection's batch was begun before the claims */
} maker;

/* The next set to make, or NULL when all are handed out or one failed. */
static set_job *take(set_pool *p)
{
    pthread_mutex_lock(&p->lock);
    set_job *j = !p->stop && p->next < p->n ? &p->v[p->next++] : NULL;
    pthread_mutex_unlock(&p->lock);
    return j;
}

/* Makes sets on m->ev until none is left, then copies them out as m->image. */
static void make_share(maker *m)
{
    m->rc = m->begun ? 0 : ev_sets_begin(m->ev, &m->err);
    size_t made = 0;
    set_job *j;
    while (m->rc == 0 && (j = take(m->pool)) != NULL) {
        j->rc = ev_set_build(m->ev, &j->def.d, j->params, j->nparams, 0, &j->rows, &j->err);
        made++;
        if (j->rc != 0) {
            pthread_mutex_lock(&m->pool->lock);
            m->pool->stop = 1;
            pthread_mutex_unlock(&m->pool->lock);
        }
    }
    pthread_mutex_lock(&m->pool->lock);
    int stopped = m->pool->stop;
    pthread_mutex_unlock(&m->pool->lock);
    if (m->rc == 0 && made && !stopped)
        m->rc = ev_sets_take_image(m->ev, &m->image, &m->err);
    else
        ev_sets_abandon(m->ev);
}

/* A maker thread: a connection of its own, as an item worker's (core/eval.c). One that cannot
 * open leaves the sets to the others. */
static void *maker_thread(void *ud)
{
    maker *m = ud;
    m->ev = ev_open(m->in->evidence_path, &m->err);
    if (!m->ev)
        return NULL;
    if (m->in->query_steps)
        ev_set_query_steps(m->ev, m->in->query_steps);
    ev_set_query_seconds(m->ev, m->in->query_seconds);
    make_share(m);
    ev_close(m->ev);
    return NULL;
}

/* Step 1: claims every set in the order declared, stopping at the first that fails (its
 * message in *claim_err; 0 or -1). */
static int claim_all(evidence *ev, scorecard *const *scs, size_t nsc, const kh_bound *params,
                     kh_results *out, set_pool *p, kh_error *claim_err)
{
    for (size_t si = 0; si < nsc; si++)
        for (size_t i = 0; i < scs[si]->nsets; i++) {
            const sc_set *set = &scs[si]->sets[i];
            size_t k = KH_PUSH(p->v, p->n, p->cap);
            set_job *j = &p->v[k];
            memset(j, 0, sizeof *j);
            kh_set_def_init(&j->def, set);
            j->params = params[si].v;
            j->nparams = params[si].n;
            int claimed = ev_set_claim(ev, &j->def.d, j->params, j->nparams, claim_err);
            if (claimed == 1) {
                j->run = kh_set_run_add(out, scs[si], set, 0);
                continue;
            }
            kh_set_def_free(&j->def);
            p->n--;
            if (claimed < 0)
                return -1;
        }
    return 0;
}

/* Step 2: the sets built by this thread and jobs - 1 more; makers[0] is this thread's. */
static void build_all(evidence *ev, set_pool *p, const kh_run_input *in, maker *makers, int nmakers)
{
    pthread_t *threads = xcalloc((size_t)nmakers, sizeof *threads);
    int *started = xcalloc((size_t)nmakers, sizeof *started);
    for (int t = 0; t < nmakers; t++)
        makers[t] = (maker){.pool = p, .ev = t ? NULL : ev, .in = in, .begun = t == 0};
    for (int t = 1; t < nmakers; t++)
        started[t] = pthread_create(&threads[t], NULL, maker_thread, &makers[t]) == 0;
    make_share(&makers[0]);
    for (int t = 1; t < nmakers; t++)
        if (started[t])
            pthread_join(threads[t], NULL);
    free(started);
    free(threads);
}

/* The error a run with -j 1 would report (see the top of the file); 0 when none. */
static int first_error(const set_pool *p, const maker *makers, int nmakers, int claim_rc,
                       const kh_error *claim_err, kh_error *err)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i].rc != 0) {
            *err = p->v[i].err;
            return -1;
        }
    if (claim_rc != 0) {
        *err = *claim_err;
        return -1;
    }
    for (int t = 0; t < nmakers; t++)
        if (makers[t].rc != 0) {
            *err = makers[t].err;
            return -1;
        }
    return 0;
}

int kh_sets_materialise_jobs(evidence *ev, scorecard *const *scs, size_t nsc,
                             const kh_bound *params, kh_results *out, const kh_run_input *in,
                             kh_error *err)
{
    int begun = kh_sets_open(ev, scs, nsc, err);
    if (begun <= 0)
        return begun;
    set_pool p = {0};
    pthread_mutex_init(&p.lock, NULL);
    kh_error claim_err = {0};
    int claim_rc = claim_all(ev, scs, nsc, params, out, &p, &claim_err);
    int nmakers = in->jobs < (int)p.n ? in->jobs : (int)p.n;
    nmakers = nmakers < 1 ? 1 : nmakers;
    maker *makers = xcalloc((size_t)nmakers, sizeof *makers);
    /* built even when a claim failed: a set declared before it may fail first, as with -j 1 */
    build_all(ev, &p, in, makers, nmakers);
    int rc = first_error(&p, makers, nmakers, claim_rc, &claim_err, err);
    ev_sets_image **images = xcalloc((size_t)nmakers, sizeof *images);
    size_t nimages = 0;
    for (int t = 0; t < nmakers; t++)
        if (makers[t].image)
            images[nimages++] = makers[t].image;
    for (size_t i = 0; rc == 0 && i < p.n; i++)
        out->set_runs[p.v[i].run].rows = p.v[i].rows;
    if (rc == 0 && nimages)
        rc = ev_sets_publish_images(ev, images, nimages, err);
    else if (rc == 0) /* nothing new to make: publish the empty batch, as one connection does */
        rc = ev_sets_publish(ev, err);
    else
        for (size_t i = 0; i < nimages; i++)
            ev_sets_image_free(images[i]);
    ev_sets_abandon(ev);
    free(images);
    free(makers);
    for (size_t i = 0; i < p.n; i++)
        kh_set_def_free(&p.v[i].def);
    free(p.v);
    pthread_mutex_destroy(&p.lock);
    return rc;
}
