/*
 * shards.c — runs shards in parallel and merges them. See shards.h.
 */
#include "app/shards.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/merge.h"
#include "base/tmpfile.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char **kh_shard_list(const char *const *given, size_t n, size_t *count, kh_error *err)
{
    char **list = NULL;
    size_t nl = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(given[i], &st) != 0) {
            kh_seterr(err, "%s: cannot open evidence database: %s", given[i], strerror(errno));
            goto fail;
        }
        if (!S_ISDIR(st.st_mode)) {
            size_t k = KH_PUSH(list, nl, cap);
            list[k] = xstrdup(given[i]);
            continue;
        }
        DIR *d = opendir(given[i]);
        if (!d) {
            kh_seterr(err, "%s: cannot read directory: %s", given[i], strerror(errno));
            goto fail;
        }
        size_t first = nl;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t len = strlen(e->d_name);
            if (len < 4 || strcmp(e->d_name + len - 3, ".db") != 0 || e->d_name[0] == '.')
                continue;
            strbuf p = {0};
            sb_printf(&p, "%s/%s", given[i], e->d_name);
            size_t k = KH_PUSH(list, nl, cap);
            list[k] = sb_take(&p);
        }
        closedir(d);
        if (nl == first) {
            kh_seterr(err, "%s: no evidence databases (*.db) in this directory", given[i]);
            goto fail;
        }
        qsort(list + first, nl - first, sizeof *list, cmp_str);
    }
    *count = nl;
    return list;
fail:
    for (size_t i = 0; i < nl; i++)
        free(list[i]);
    free(list);
    return NULL;
}

typedef struct pool {
    const kh_run_options *opt;
    char *const *shards;
    char **parts;
    char **workbooks; /* --county-workbooks: one per shard, or NULL */
    kh_error *errors;
    int *failed;
    size_t n, next, done;
    pthread_mutex_t lock;
} pool;

static void *worker(void *ud)
{
    pool *p = ud;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        size_t i = p->next < p->n ? p->next++ : p->n;
        pthread_mutex_unlock(&p->lock);
        if (i == p->n)
            return NULL;
        kh_run_options one = *p->opt;
        one.evidence_path = p->shards[i];
        one.out_xlsx = p->workbooks ? p->workbooks[i] : NULL;
        one.results_db = p->parts[i];
        one.progress = NULL;
        one.item_jobs = 1; /* the shards are what runs in parallel here */
        kh_run_outcome o;
        p->failed[i] = kh_run(&one, &o, &p->errors[i]) != 0;
        kh_run_outcome_free(&o);
        pthread_mutex_lock(&p->lock);
        p->done++;
        if (p->opt->progress)
            p->opt->progress(p->opt->progress_ud, p->shards[i], "", p->done, p->n);
        pthread_mutex_unlock(&p->lock);
    }
}

/* Names each shard's part (results database) in the working directory, and with
 * --county-workbooks each shard's workbook: written beside the parts and moved into place
 * (finals) only once the whole run has succeeded, so a failed run leaves the previous county
 * workbooks as they were. 0, or -1 with err. */
static int name_outputs(pool *p, const char *dir, char ***finals, kh_error *err)
{
    const kh_run_options *opt = p->opt;
    for (size_t i = 0; i < p->n; i++) {
        strbuf s = {0};
        sb_printf(&s, "%s/part-%05zu.db", dir, i + 1);
        p->parts[i] = sb_take(&s);
    }
    if (!opt->county_workbooks)
        return 0;
    if (mkdir(opt->county_workbooks, 0777) != 0 && errno != EEXIST) {
        kh_seterr(err, "%s: cannot make the directory for county workbooks: %s",
                  opt->county_workbooks, strerror(errno));
        return -1;
    }
    p->workbooks = xcalloc(p->n, sizeof *p->workbooks);
    *finals = xcalloc(p->n, sizeof **finals);
    for (size_t i = 0; i < p->n; i++) {
        const char *name = strrchr(p->shards[i], '/');
        name = name ? name + 1 : p->shards[i];
        size_t len = strlen(name);
        if (len > 3 && strcmp(name + len - 3, ".db") == 0)
            len -= 3;
        strbuf s = {0};
        sb_printf(&s, "%s/%.*s.xlsx", opt->county_workbooks, (int)len, name);
        (*finals)[i] = sb_take(&s);
        sb_printf(&s, "%s/part-%05zu.xlsx", dir, i + 1);
        p->workbooks[i] = sb_take(&s);
    }
    return 0;
}

/* Runs every shard on `jobs` threads, the calling thread one of them. */
static void run_pool(pool *p, int jobs)
{
    pthread_mutex_init(&p->lock, NULL);
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > p->n)
        jobs = (int)p->n;
    pthread_t *threads = xcalloc((size_t)jobs, sizeof *threads);
    int started = 0;
    for (; started < jobs - 1; started++)
        if (pthread_create(&threads[started], NULL, worker, p) != 0)
            break;
    worker(p); /* the calling thread works too */
    for (int t = 0; t < started; t++)
        pthread_join(threads[t], NULL);
    free(threads);
    pthread_mutex_destroy(&p->lock);
}

/* After the pool: the first shard that failed, in the order given (whatever finished first),
 * is the run's error; otherwise the parts are merged and the county workbooks moved into
 * place. 0, or -1 with err. */
static int merge_pool(pool *p, char **finals, kh_run_outcome *out, kh_error *err)
{
    const kh_run_options *opt = p->opt;
    size_t bad = 0;
    while (bad < p->n && !p->failed[bad])
        bad++;
    if (bad < p->n) {
        if (strstr(p->errors[bad].msg, p->shards[bad]))
            kh_seterr(err, "%s", p->errors[bad].msg);
        else
            kh_seterr(err, "shard %s: %s", p->shards[bad], p->errors[bad].msg);
        return -1;
    }
    kh_merge_options mo = {(const char *const *)p->parts,
                           p->n,
                           opt->results_db,
                           opt->out_xlsx,
                           opt->deadline,
                           opt->argc,
                           opt->argv};
    int rc = kh_merge(&mo, out, err);
    for (size_t i = 0; rc == 0 && finals && i < p->n; i++)
        if (rename(p->workbooks[i], finals[i]) != 0) {
            kh_seterr(err, "%s: cannot write workbook: %s", finals[i], strerror(errno));
            rc = -1;
        }
    return rc;
}

int kh_run_shards(const kh_run_options *opt, char *const *shards, size_t nshards, int jobs,
                  kh_run_outcome *out, kh_error *err)
{
    memset(out, 0, sizeof *out);
    if (nshards == 0) {
        kh_seterr(err, "no evidence given");
        return -1;
    }
    strbuf dir = {0}; /* named by host and pid: the next run sweeps it if this one is killed */
    if (kh_tmp_scratch_dir(&dir, "shards", err) != 0) {
        sb_free(&dir);
        return -1;
    }
    char **finals = NULL; /* --county-workbooks: where each goes when the run succeeded */
    pool p = {.opt = opt, .shards = shards, .n = nshards};
    p.parts = xcalloc(nshards, sizeof *p.parts);
    p.errors = xcalloc(nshards, sizeof *p.errors);
    p.failed = xcalloc(nshards, sizeof *p.failed);
    int rc = name_outputs(&p, sb_str(&dir), &finals, err);
    if (rc == 0) {
        run_pool(&p, jobs);
        rc = merge_pool(&p, finals, out, err);
    }
    for (size_t i = 0; i < nshards; i++) {
        if (p.parts[i])
            unlink(p.parts[i]);
        free(p.parts[i]);
        if (p.workbooks) {
            unlink(p.workbooks[i]); /* gone already if it was moved into place */
            free(p.workbooks[i]);
            free(finals[i]);
        }
    }
    free(p.workbooks);
    free(finals);
    rmdir(sb_str(&dir));
    sb_free(&dir);
    free(p.parts);
    free(p.errors);
    free(p.failed);
    return rc;
}
