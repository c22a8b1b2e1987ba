/*
 * run.c — one assessment run. See run.h for the order of writes and why.
 */
#include "app/run.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app_internal.h"
#include "core/scorecard.h"
#include "kaohe_config.h"
#include "lua/loader.h"
#include "report/report.h"
#include "store/results.h"

int kh_default_jobs(void)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    return cores < 1 ? 1 : cores > 8 ? 8 : (int)cores;
}

const char *kh_default_evidence(void)
{
    static char path[4096];
    const char *env = getenv("KAOHE_EVIDENCE");
    if (env && *env)
        return env;
    snprintf(path, sizeof path, "%s/build/evidence/huining.db", kh_home());
    return path;
}

/* Loads every scorecard; problems of all files are gathered so one `check` shows them all. */
static int load_all(sc_loader *ld, const char *const *paths, size_t n, scorecard ***out,
                    kh_error *err)
{
    scorecard **scs = xcalloc(n, sizeof *scs);
    strbuf problems = {0};
    for (size_t i = 0; i < n; i++) {
        kh_error one;
        one.msg[0] = '\0';
        if (sc_load(ld, paths[i], &scs[i], &one) != 0)
            sb_printf(&problems, "%s%s", problems.len ? "\n" : "", one.msg);
    }
    /* Two scorecards with one id would mix their rows in the results database. */
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (scs[i] && scs[j] && strcmp(scs[i]->id, scs[j]->id) == 0)
                sb_printf(&problems, "%s%s: scorecard id '%s' is also the id of %s",
                          problems.len ? "\n" : "", scs[j]->path, scs[j]->id, scs[i]->path);
    if (problems.len) {
        kh_seterr(err, "%s", sb_str(&problems));
        sb_free(&problems);
        for (size_t i = 0; i < n; i++)
            scorecard_free(scs[i]);
        free(scs);
        return -1;
    }
    *out = scs;
    return 0;
}

static const char *choose_period(const char *given, scorecard **scs, size_t n, kh_error *err)
{
    if (given)
        return given;
    for (size_t i = 0; i < n; i++)
        if (scs[i]->period)
            return scs[i]->period;
    kh_seterr(err, "no assessment period: give --period (e.g. --period 2018)");
    return NULL;
}

/* The imports the evidence rests on, from import_log (absent in evidence built otherwise). */
static int read_imports(evidence *ev, kh_manifest *m, kh_error *err)
{
    ev_cursor *c = NULL;
    kh_error ignore;
    if (ev_query(ev, "SELECT name FROM sqlite_schema WHERE name = 'import_log'", NULL, 0, "", &c,
                 &ignore) != 0)
        return 0;
    int present = ev_step(c, &ignore) == 1;
    ev_done(c);
    if (!present)
        return 0;
    if (ev_query(ev,
                 "SELECT file, sha256, tbl, rows_read, accepted, rejected, imported_at "
                 "FROM import_log ORDER BY id",
                 NULL, 0, "import_log:", &c, err) != 0)
        return -1;
    size_t cap = 0;
    int step;
    while ((step = ev_step(c, err)) == 1) {
        size_t k = KH_PUSH(m->imports, m->nimports, cap);
        for (int i = 0; i < KH_IMPORT_FIELDS; i++)
            m->imports[k][i] = xstrdup(ev_text(c, i));
    }
    ev_done(c);
    return step < 0 ? -1 : 0;
}

/* The evidence's content hash reads every row of every table (0.4 s of a county run), and
 * evaluation does not need it: it is computed on a connection of its own in a second thread
 * while the scorecards run, so on two cores it costs nothing. */
typedef struct hash_job {
    const char *path;
    ev_hash *out;
    kh_error err;
    int rc;
} hash_job;

static void *hash_thread(void *ud)
{
    hash_job *j = ud;
    evidence *ev = ev_open(j->path, &j->err);
    j->rc = ev ? ev_content_hash(ev, j->out, &j->err) : -1;
    ev_close(ev);
    return NULL;
}

typedef struct workbook_job {
    const char *path, *display;
    const kh_manifest *m;
    scorecard **scs;
    size_t nsc;
    const kh_results *r;
    kh_error err;
    int rc;
} workbook_job;

static void *workbook_thread(void *ud)
{
    workbook_job *j = ud;
    j->rc = report_write(j->path, j->display, j->m, j->scs, j->nsc, j->r, &j->err);
    return NULL;
}

int app_report_from_store(results_tx *tx, int64_t run_id, const char *path, const char *display,
                          const kh_manifest *m, scorecard **scs, size_t nsc, kh_results *r,
                          kh_error *err)
{
    results_readback *rb = results_readback_open(tx, run_id, scs, nsc, r);
    int rc = report_write(path, display, m, scs, nsc, r, err);
    results_readback_close(rb);
    return rc;
}

int kh_run(const kh_run_options *opt, kh_run_outcome *out, kh_error *err)
{
    memset(out, 0, sizeof *out);
    if (opt->nscorecards == 0) {
        kh_seterr(err,
                  "no scorecard given (e.g. kaohe run scorecards/post_assessment_deductions.lua)");
        return -1;
    }
    manifest_init(&out->manifest, opt->argc, opt->argv);
    evidence *ev = ev_open(opt->evidence_path, err);
    if (!ev)
        return -1;
    if (opt->query_steps)
        ev_set_query_steps(ev, opt->query_steps);
    int rc = -1;
    sandbox *sb = sandbox_new(&opt->limits, err);
    sc_loader *ld = sb ? sc_loader_new(sb, kh_home(), err) : NULL;
    char *tmp = NULL, *tmp_results = NULL;
    results_sink *sink = NULL;
    results_tx *tx = NULL;
    if (!ld || load_all(ld, opt->scorecards, opt->nscorecards, &out->scs, err) != 0)
        goto done;
    out->nsc = opt->nscorecards;
    const char *period = choose_period(opt->period, out->scs, out->nsc, err);
    if (!period)
        goto done;
    if (opt->deadline) {
        int y, mo, d;
        char tail;
        if (strlen(opt->deadline) != 10 ||
            sscanf(opt->deadline, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3 || mo < 1 || mo > 12 ||
            d < 1 || d > 31) {
            kh_seterr(err, "--deadline %s: expected a date such as 2019-03-31", opt->deadline);
            goto done;
        }
        snprintf(out->manifest.deadline, sizeof out->manifest.deadline, "%s", opt->deadline);
    } else {
        int next_year = (atoi(period) + 1) % 10000; /* the period is 4 digits: checked above */
        snprintf(out->manifest.deadline, sizeof out->manifest.deadline, "%04d-03-31", next_year);
    }
    kh_run_input in;
    memset(&in, 0, sizeof in);
    in.period = period;
    in.overrides = opt->overrides;
    in.noverrides = opt->noverrides;
    in.progress = opt->progress;
    in.progress_ud = opt->progress_ud;
    in.jobs = opt->item_jobs;
    in.evidence_path = opt->evidence_path;
    in.query_steps = opt->query_steps;
    if (opt->spill_after && (opt->out_xlsx || opt->results_db)) {
        sink = results_sink_new(out->scs, opt->spill_after);
        in.sink = results_sink_put;
        in.sink_ud = sink;
    }
    hash_job hj = {opt->evidence_path, &out->manifest.evidence, {{0}}, -1};
    pthread_t hasher;
    int threaded = pthread_create(&hasher, NULL, hash_thread, &hj) == 0;
    if (!threaded)
        hash_thread(&hj);
    int erc = kh_evaluate(ev, out->scs, out->nsc, &in, &out->results, err);
    if (threaded)
        pthread_join(hasher, NULL);
    if (erc != 0)
        goto done;
    if (hj.rc != 0) {
        kh_seterr(err, "%s", hj.err.msg);
        goto done;
    }
    if (read_imports(ev, &out->manifest, err) != 0)
        goto done;
    kh_manifest *m = &out->manifest;
    m->period = out->results.period;
    m->params = sb_str(&out->results.params_text);
    m->evidence_path = opt->evidence_path;
    m->language_path = xstrdup(sc_loader_dsl_path(ld));
    memcpy(m->language_sha256, sc_loader_dsl_sha256(ld), sizeof m->language_sha256);

    if (opt->out_xlsx) {
        strbuf t = {0};
        sb_tmp_path(&t, opt->out_xlsx);
        tmp = sb_take(&t);
    }
    if (sink && results_sink_spilled(sink)) {
        /* the run goes into the results database first and the workbook reads it back, in
         * the same transaction: nothing is committed unless the workbook was written too */
        const char *rpath = opt->results_db;
        if (!rpath) {
            strbuf t = {0};
            sb_printf(&t, "%s.results", results_sink_path(sink));
            tmp_results = sb_take(&t);
            rpath = tmp_results;
        }
        if (results_sink_close(sink, err) != 0 ||
            !(tx = results_begin_attach(rpath, results_sink_path(sink), err)) ||
            results_add_run(tx, m, out->scs, out->nsc, &out->results, &out->run_id) != 0 ||
            results_sink_finish(tx, out->run_id, err) != 0 ||
            (tmp && app_report_from_store(tx, out->run_id, tmp, opt->out_xlsx, m, out->scs,
                                          out->nsc, &out->results, err) != 0))
            goto done;
        int crc = results_commit(tx);
        tx = NULL;
        if (crc != 0)
            goto done;
        if (!opt->results_db)
            out->run_id = 0;
    } else {
        /* the workbook and the results database are written side by side (two threads: they
         * only read the results), and the results committed only when both are complete */
        workbook_job wj = {tmp, opt->out_xlsx, m, out->scs, out->nsc, &out->results, {{0}}, 0};
        pthread_t writer;
        int side_by_side =
            tmp && opt->results_db && pthread_create(&writer, NULL, workbook_thread, &wj) == 0;
        if (tmp && !side_by_side)
            workbook_thread(&wj);
        int wrc = 0;
        if (opt->results_db) {
            tx = results_begin(opt->results_db, err);
            wrc =
                !tx || results_add_run(tx, m, out->scs, out->nsc, &out->results, &out->run_id) != 0;
        }
        if (side_by_side)
            pthread_join(writer, NULL);
        if (wj.rc != 0) {
            kh_seterr(err, "%s", wj.err.msg);
            goto done;
        }
        if (wrc)
            goto done;
        if (tx) {
            int crc = results_commit(tx);
            tx = NULL;
            if (crc != 0)
                goto done;
        }
    }
    if (tmp) {
        if (rename(tmp, opt->out_xlsx) != 0) {
            kh_seterr(err, "%s: cannot write workbook: %s", opt->out_xlsx, strerror(errno));
            goto done;
        }
        free(tmp);
        tmp = NULL;
    }
    rc = 0;
done:
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    results_abort(tx);
    results_sink_free(sink);
    if (tmp_results) {
        unlink(tmp_results);
        free(tmp_results);
    }
    sc_loader_free(ld);
    sandbox_free(sb);
    ev_close(ev);
    return rc;
}

void kh_run_outcome_free(kh_run_outcome *out)
{
    for (size_t i = 0; i < out->nsc; i++)
        scorecard_free(out->scs[i]);
    free(out->scs);
    kh_results_free(&out->results);
    manifest_free(&out->manifest);
    memset(out, 0, sizeof *out);
}

int kh_check(const char *evidence_path, const char *const *scorecards, size_t n, const char *period,
             const sandbox_limits *limits, kh_error *err)
{
    evidence *ev = ev_open(evidence_path, err);
    if (!ev)
        return -1;
    int rc = -1;
    scorecard **scs = NULL;
    sandbox *sb = sandbox_new(limits, err);
    sc_loader *ld = sb ? sc_loader_new(sb, kh_home(), err) : NULL;
    if (!ld || load_all(ld, scorecards, n, &scs, err) != 0)
        goto done;
    strbuf problems = {0};
    for (size_t i = 0; i < n; i++) {
        kh_error one;
        const char *p = period ? period : (scs[i]->period ? scs[i]->period : "2018");
        if (kh_check_scorecard(ev, scs[i], p, &one) != 0)
            sb_printf(&problems, "%s%s", problems.len ? "\n" : "", one.msg);
    }
    if (problems.len)
        kh_seterr(err, "%s", sb_str(&problems));
    else
        rc = 0;
    sb_free(&problems);
done:
    for (size_t i = 0; scs && i < n; i++)
        scorecard_free(scs[i]);
    free(scs);
    sc_loader_free(ld);
    sandbox_free(sb);
    ev_close(ev);
    return rc;
}

int kh_print_scorecards_sql(const char *const *scorecards, size_t n, const char *period, FILE *out,
                            kh_error *err)
{
    scorecard **scs = NULL;
    sandbox *sb = sandbox_new(NULL, err);
    sc_loader *ld = sb ? sc_loader_new(sb, kh_home(), err) : NULL;
    int rc = -1;
    if (ld && load_all(ld, scorecards, n, &scs, err) == 0) {
        rc = 0;
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = kh_print_sql(scs[i], period ? period : (scs[i]->period ? scs[i]->period : "2018"),
                              out, err);
        for (size_t i = 0; i < n; i++)
            scorecard_free(scs[i]);
        free(scs);
    }
    sc_loader_free(ld);
    sandbox_free(sb);
    return rc;
}
