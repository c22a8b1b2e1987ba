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
#include "app/hash_cache.h"
#include "app/item_cost.h"
#include "app/overrides.h"
#include "base/tmpfile.h"
#include "base/watchdog.h"
#include "core/scorecard.h"
#include "core/wenze.h"
#include "evidence/coverage.h"
#include "evidence/schema_check.h"
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

static void interrupt_sandbox(void *sb)
{
    sandbox_interrupt(sb);
}

/* Loads one scorecard in a Lua state of its own, with its own memory ceiling, instruction
 * budget and time limit: one scorecard cannot poison the language tables of the next, nor
 * spend its budget. A watchdog (base/watchdog.h) ends the process should the state ignore its
 * time limit. The state is closed afterwards: the sandbox refuses finalizers (__gc), so
 * closing it runs no code of the scorecard's. */
int app_load_one(const sandbox_limits *limits, const char *path, scorecard **out, kh_error *err)
{
    sandbox *sb = sandbox_new(limits, err);
    if (!sb)
        return -1;
    unsigned seconds = sandbox_seconds(sb);
    kh_watchdog *w =
        kh_watchdog_start(seconds, kh_watchdog_grace(seconds), path, interrupt_sandbox, sb);
    sc_loader *ld = sc_loader_new(sb, kh_home(), err);
    int rc = ld ? sc_load(ld, path, out, err) : -1;
    kh_watchdog_stop(w);
    sc_loader_free(ld);
    sandbox_free(sb);
    return rc;
}

/* Loads every scorecard, each in its own state (app_load_one); problems of all files are gathered
 * so one `check` shows them all. */
static int load_all(const sandbox_limits *limits, const char *const *paths, size_t n,
                    scorecard ***out, kh_error *err)
{
    scorecard **scs = xcalloc(n, sizeof *scs);
    strbuf problems = {0};
    for (size_t i = 0; i < n; i++) {
        kh_error one;
        one.msg[0] = '\0';
        if (app_load_one(limits, paths[i], &scs[i], &one) != 0)
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

int app_load_scorecards(const sandbox_limits *limits, const char *const *paths, size_t n,
                        scorecard ***out, kh_error *err)
{
    return load_all(limits, paths, n, out, err);
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

/* The evidence's content hash reads every row of every table (0.3 s of a county run), and
 * evaluation does not need it: it is computed on a connection of its own in a second thread
 * while the scorecards run, so on two cores it costs little — and a repeated run on the same,
 * unchanged file reuses it from the cache (app/hash_cache.h). */
typedef struct hash_job {
    const char *path;
    int use_cache;
    ev_hash *out;
    app_hash_how how;
    kh_error err;
    int rc;
} hash_job;

static void *hash_thread(void *ud)
{
    hash_job *j = ud;
    j->rc = app_evidence_hash(j->path, j->use_cache, j->out, &j->how, &j->err);
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

/* No silent wrong run: a period the evidence does not reach would score nothing lost — an
 * import of the wrong year, a mistyped --period or a half-finished export all look like a
 * clean county. Refused unless --allow-empty, when no dated table has a row in the period, or
 * one has rows but none in it (evidence of another year), with every table's dates shown. */
static int run_coverage(evidence *ev, const kh_run_options *opt, const char *period, kh_error *err)
{
    if (opt->allow_empty)
        return 0;
    char start[11], end[11];
    int year;
    ev_span spans[EV_NSPANS];
    if (kh_period_params(period, start, end, &year, err) != 0 ||
        ev_coverage(ev, period, start, end, spans, err) != 0)
        return -1;
    int64_t in = 0;
    strbuf stale = {0}, text = {0};
    for (int i = 0; i < EV_NSPANS; i++) {
        in += spans[i].in_window;
        if (spans[i].rows && !spans[i].in_window)
            sb_printf(&stale, "%s%s", stale.len ? ", " : "", spans[i].table);
    }
    int rc = 0;
    if (in == 0 || stale.len) {
        ev_coverage_text(spans, "  ", &text);
        if (in == 0)
            kh_seterr(err, "%s: no record in period %s (%s..%s):\n%s", opt->evidence_path, period,
                      start, end, sb_str(&text));
        else
            kh_seterr(err, "%s: %s: rows, but none in period %s (%s..%s):\n%s", opt->evidence_path,
                      sb_str(&stale), period, start, end, sb_str(&text));
        size_t len = strlen(err->msg);
        snprintf(err->msg + len, sizeof err->msg - len,
                 "check --period and --evidence; give --allow-empty if this is intended");
        rc = -1;
    }
    sb_free(&stale);
    sb_free(&text);
    return rc;
}

/* Evaluates the loaded scorecards (out->scs) into out->results, the evidence's content hash
 * computed meanwhile on a second thread (see hash_job). Deductions go to `sink` when given. */
static int run_evaluate(evidence *ev, const kh_run_options *opt, const char *period,
                        results_sink *sink, kh_run_outcome *out, kh_error *err)
{
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
    in.query_seconds = opt->limits.seconds;
    in.item_deductions_max = opt->item_rows;
    if (sink) {
        in.sink = results_sink_put;
        in.sink_ud = sink;
    }
    /* longest first across the workers, by the previous run's times (app/item_cost.h) */
    size_t total = 0;
    for (size_t i = 0; i < out->nsc; i++)
        total += out->scs[i]->nitems;
    double *cost = app_item_costs_load(out->scs, out->nsc, total, &out->items_estimated);
    double *cpu = xcalloc(total ? total : 1, sizeof *cpu);
    in.item_cost = cost;
    in.item_cpu = cpu;
    out->items_total = total;
    hash_job hj = {.path = opt->evidence_path,
                   .use_cache = !opt->no_hash_cache,
                   .out = &out->manifest.evidence,
                   .rc = -1};
    pthread_t hasher;
    int threaded = pthread_create(&hasher, NULL, hash_thread, &hj) == 0;
    if (!threaded)
        hash_thread(&hj);
    int erc = kh_evaluate(ev, out->scs, out->nsc, &in, &out->results, err);
    if (threaded)
        pthread_join(hasher, NULL);
    if (erc == 0 && cost) /* no cache directory: nothing to keep either */
        app_item_costs_save(out->scs, out->nsc, cpu);
    free(cost);
    free(cpu);
    if (erc != 0)
        return -1;
    if (hj.rc != 0) {
        kh_seterr(err, "%s", hj.err.msg);
        return -1;
    }
    out->manifest.evidence_hash_reused = hj.how.reused;
    snprintf(out->hash_note, sizeof out->hash_note, "%s", hj.how.note);
    return 0;
}

/* The 问责名单 (core/wenze.h), kept with the results when the run has the 包抓 card. */
static int run_wenze(evidence *ev, kh_run_outcome *out, kh_error *err)
{
    kh_wenze *w = xcalloc(1, sizeof *w);
    int rc = kh_wenze_build(ev, out->scs, out->nsc, &out->results, w, err);
    if (rc == 1) {
        out->results.wenze = w;
        return 0;
    }
    free(w);
    return rc;
}

/* What a run has written so far and must remove if it fails: the workbook under its temporary
 * name, a scratch results database, the deductions' scratch database, an open transaction. */
typedef struct run_outputs {
    char *tmp;         /* the workbook beside opt->out_xlsx until renamed; NULL: none */
    char *tmp_results; /* a spilled run's results database when none was asked for */
    results_sink *sink;
    results_tx *tx;
} run_outputs;

static void run_outputs_discard(run_outputs *w)
{
    if (w->tmp) {
        unlink(w->tmp);
        free(w->tmp);
    }
    results_abort(w->tx);
    results_sink_free(w->sink);
    if (w->tmp_results) {
        unlink(w->tmp_results);
        free(w->tmp_results);
    }
    memset(w, 0, sizeof *w);
}

/* A run whose deductions spilled: the run goes into the results database first (the spilled
 * deductions attached from the scratch database) and the workbook reads it back, in the same
 * transaction, so nothing is committed unless the workbook was written too. */
static int write_spilled(const kh_run_options *opt, run_outputs *w, kh_run_outcome *out,
                         kh_error *err)
{
    const char *rpath = opt->results_db;
    if (!rpath) {
        strbuf t = {0};
        if (kh_tmp_scratch(&t, "results", err) != 0) {
            sb_free(&t);
            return -1;
        }
        w->tmp_results = sb_take(&t);
        rpath = w->tmp_results;
    }
    const kh_manifest *m = &out->manifest;
    if (results_sink_close(w->sink, err) != 0 ||
        !(w->tx = results_begin_attach(rpath, results_sink_path(w->sink), err)) ||
        results_add_run(w->tx, m, out->scs, out->nsc, &out->results, &out->run_id) != 0 ||
        results_sink_finish(w->tx, out->run_id, err) != 0)
        return -1;
    out->manifest.run_id = opt->results_db ? out->run_id : 0; /* none in a scratch database */
    if (w->tmp && app_report_from_store(w->tx, out->run_id, w->tmp, opt->out_xlsx, m, out->scs,
                                        out->nsc, &out->results, err) != 0)
        return -1;
    int crc = results_commit(w->tx);
    w->tx = NULL;
    if (crc != 0)
        return -1;
    if (!opt->results_db)
        out->run_id = 0;
    return 0;
}

/* The results database's part of write_side_by_side, on a thread of its own. */
typedef struct results_job {
    results_tx *tx;
    const kh_manifest *m;
    scorecard **scs;
    size_t nsc;
    const kh_results *r;
    int64_t run_id;
    int rc;
} results_job;

static void *results_thread(void *ud)
{
    results_job *j = ud;
    j->rc = results_add_run(j->tx, j->m, j->scs, j->nsc, j->r, &j->run_id) != 0;
    return NULL;
}

/* A run held in memory: the workbook and the results database are written side by side (two
 * threads: they only read the results), and the results committed only when both are
 * complete. The workbook is written on the calling thread and the results on the second: the
 * workbook makes some 300,000 small allocations (libxlsxwriter's cells and strings), and in a
 * second thread's malloc arena glibc grows the heap a page at a time (sysmalloc and an
 * mprotect per page: ~0.2 s, a sixth of the workbook's CPU), where the main arena reuses what the
 * evaluation freed and grows by 128 KiB steps. */
static int write_side_by_side(const kh_run_options *opt, run_outputs *w, kh_run_outcome *out,
                              kh_error *err)
{
    const kh_manifest *m = &out->manifest;
    /* the transaction first: the run's number, printed on 运行信息, is known from here on */
    if (opt->results_db && (!(w->tx = results_begin(opt->results_db, err)) ||
                            results_next_run_id(w->tx, &out->manifest.run_id, err) != 0))
        return -1;
    workbook_job wj = {w->tmp, opt->out_xlsx, m, out->scs, out->nsc, &out->results, {{0}}, 0};
    results_job rj = {w->tx, m, out->scs, out->nsc, &out->results, 0, 0};
    pthread_t writer;
    int side_by_side =
        w->tmp && opt->results_db && pthread_create(&writer, NULL, results_thread, &rj) == 0;
    if (w->tmp)
        workbook_thread(&wj);
    if (side_by_side)
        pthread_join(writer, NULL);
    else if (opt->results_db)
        results_thread(&rj);
    int wrc = 0;
    if (opt->results_db) {
        out->run_id = rj.run_id;
        wrc = rj.rc;
        if (!wrc && out->run_id != m->run_id) { /* cannot happen inside BEGIN IMMEDIATE */
            kh_seterr(err, "%s: the run was numbered %lld, not %lld as expected", opt->results_db,
                      (long long)out->run_id, (long long)m->run_id);
            wrc = 1;
        }
    }
    if (wj.rc != 0) {
        kh_seterr(err, "%s", wj.err.msg);
        return -1;
    }
    if (wrc)
        return -1;
    if (w->tx) {
        int crc = results_commit(w->tx);
        w->tx = NULL;
        if (crc != 0)
            return -1;
    }
    return 0;
}

/* Writes what the options ask for (results database, workbook), the workbook renamed over its
 * name only once everything is committed. On failure w holds what to discard. */
static int write_outputs(const kh_run_options *opt, run_outputs *w, kh_run_outcome *out,
                         kh_error *err)
{
    if (opt->out_xlsx) {
        strbuf t = {0};
        if (kh_tmp_beside(&t, opt->out_xlsx, err) != 0) {
            sb_free(&t);
            return -1;
        }
        w->tmp = sb_take(&t);
    }
    int rc = w->sink && results_sink_spilled(w->sink) ? write_spilled(opt, w, out, err)
                                                      : write_side_by_side(opt, w, out, err);
    if (rc != 0)
        return -1;
    if (w->tmp) {
        if (rename(w->tmp, opt->out_xlsx) != 0) {
            kh_seterr(err, "%s: cannot write workbook: %s", opt->out_xlsx, strerror(errno));
            return -1;
        }
        free(w->tmp);
        w->tmp = NULL;
    }
    return 0;
}

/* The run's provenance that evaluation does not fill: imports, parameters, the language. */
static int fill_manifest(evidence *ev, const sc_loader *ld, const kh_run_options *opt,
                         kh_run_outcome *out, kh_error *err)
{
    kh_manifest *m = &out->manifest;
    if (read_imports(ev, m, err) != 0)
        return -1;
    m->period = out->results.period;
    m->params = sb_str(&out->results.params_text);
    m->evidence_path = opt->evidence_path;
    m->one_form_per_page = opt->one_form_per_page;
    m->language_path = xstrdup(sc_loader_dsl_path(ld));
    memcpy(m->language_sha256, sc_loader_dsl_sha256(ld), sizeof m->language_sha256);
    return 0;
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
    ev_set_query_seconds(ev, opt->limits.seconds);
    int rc = -1;
    sandbox *sb = sandbox_new(&opt->limits, err);
    sc_loader *ld = sb ? sc_loader_new(sb, kh_home(), err) : NULL;
    run_outputs w = {0};
    if (!ld || load_all(&opt->limits, opt->scorecards, opt->nscorecards, &out->scs, err) != 0)
        goto done;
    out->nsc = opt->nscorecards;
    if (kh_check_overrides(opt->overrides, opt->noverrides, out->scs, out->nsc, err) != 0)
        goto done;
    const char *period = choose_period(opt->period, out->scs, out->nsc, err);
    if (!period || app_deadline(opt->deadline, period, &out->manifest, err) != 0 ||
        run_coverage(ev, opt, period, err) != 0)
        goto done;
    if (opt->spill_after && (opt->out_xlsx || opt->results_db))
        w.sink = results_sink_new(out->scs, opt->spill_after);
    if (run_evaluate(ev, opt, period, w.sink, out, err) != 0 || run_wenze(ev, out, err) != 0 ||
        fill_manifest(ev, ld, opt, out, err) != 0 || write_outputs(opt, &w, out, err) != 0)
        goto done;
    rc = 0;
done:
    run_outputs_discard(&w);
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

/* The evidence check prepares against: the database given, else an empty one in memory made
 * from the bundled schema, so that check needs no built evidence. */
static evidence *check_evidence(const char *evidence_path, kh_error *err)
{
    if (evidence_path)
        return ev_open(evidence_path, err);
    strbuf schema = {0};
    sb_printf(&schema, "%s/%s", kh_home(), KH_BUNDLED_SCHEMA);
    evidence *ev = ev_open_schema(sb_str(&schema), err);
    sb_free(&schema);
    return ev;
}

int kh_check(const char *evidence_path, const char *const *scorecards, size_t n, const char *period,
             const sandbox_limits *limits, kh_error *err)
{
    evidence *ev = check_evidence(evidence_path, err);
    if (!ev)
        return -1;
    int rc = -1;
    scorecard **scs = NULL;
    if (load_all(limits, scorecards, n, &scs, err) != 0)
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
    ev_close(ev);
    return rc;
}

int kh_print_scorecards_sql(const char *const *scorecards, size_t n, const char *period, FILE *out,
                            kh_error *err)
{
    scorecard **scs = NULL;
    int rc = -1;
    if (load_all(NULL, scorecards, n, &scs, err) == 0) {
        rc = 0;
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = kh_print_sql(scs[i], period ? period : (scs[i]->period ? scs[i]->period : "2018"),
                              out, err);
        for (size_t i = 0; i < n; i++)
            scorecard_free(scs[i]);
        free(scs);
    }
    return rc;
}
