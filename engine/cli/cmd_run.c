/*
 * cmd_run.c — `kaohe run`: the annual assessment run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/merge.h"
#include "app/run.h"
#include "app/shards.h"
#include "cli/cli.h"

/* Order for the summary: ranked subjects by rank, then the unranked (待核实), by id. */
static const kh_results *summary_results;

static int cmp_summary(const void *a, const void *b)
{
    const kh_total *x = &summary_results->totals[*(const size_t *)a];
    const kh_total *y = &summary_results->totals[*(const size_t *)b];
    int xr = x->rank ? x->rank : 1 << 30, yr = y->rank ? y->rank : 1 << 30;
    if (xr != yr)
        return xr < yr ? -1 : 1;
    return x->subject < y->subject ? -1 : x->subject > y->subject;
}

static void print_total(const kh_results *r, const kh_total *t)
{
    char buf[32], rank[16];
    snprintf(rank, sizeof rank, t->rank ? "%d." : "-", t->rank);
    printf("    %4s %s  %s%s%s%s\n", rank, r->sets[t->set].items[t->subject].name,
           t->rollup && !t->members ? "—" : points_format2(t->total, buf, sizeof buf),
           t->grade ? "  " : "", t->grade ? t->grade : "", t->vetoed ? "（否决）" : "");
}

/* A short summary on stdout: per scorecard and kind, how many subjects, how many are 待核实 or
 * vetoed, and the three best and three worst. */
void cli_print_summary(const char *out_xlsx, const char *results_db, const kh_run_outcome *o)
{
    const kh_results *r = &o->results;
    printf("kaohe: 考核期 %s：%zu 张考核表，%zu 条评分，%zu 条扣分记录\n", r->period, o->nsc,
           kh_results_nscores(r), kh_results_ndeductions(r));
    summary_results = r;
    size_t *order = xcalloc(r->ntotals ? r->ntotals : 1, sizeof *order);
    size_t i = 0;
    while (i < r->ntotals) {
        size_t j = i;
        int pending = 0, vetoed = 0;
        while (j < r->ntotals && r->totals[j].sc == r->totals[i].sc &&
               r->totals[j].set == r->totals[i].set) {
            pending += r->totals[j].rank == 0;
            vetoed += r->totals[j].vetoed > 0;
            order[j - i] = j;
            j++;
        }
        size_t n = j - i;
        qsort(order, n, sizeof *order, cmp_summary);
        const scorecard *sc = o->scs[r->totals[i].sc];
        const kh_total *first = &r->totals[i];
        printf("  %s — %s%s %zu 个（%s）", sc->title, kh_kind_label(r->sets[first->set].kind),
               first->rollup ? "（平均）" : "", n,
               sc->mode == MODE_DEDUCTION ? "扣分合计" : "得分");
        if (pending)
            printf("，%d 个待核实", pending);
        if (vetoed)
            printf("，%d 个否决", vetoed);
        printf("\n");
        for (size_t k = 0; k < n; k++) {
            if (n > 6 && k == 3)
                printf("    ...\n");
            if (n <= 6 || k < 3 || k >= n - 3)
                print_total(r, &r->totals[order[k]]);
        }
        i = j;
    }
    free(order);
    if (out_xlsx)
        printf("workbook: %s\n", out_xlsx);
    if (results_db)
        printf("results: %s (run %lld)\n", results_db, (long long)o->run_id);
}

/* Feedback on long runs. On a terminal (and not --quiet): a bar with the scorecard, the item,
 * items done, rate and time left, redrawn in place. With --verbose: one line per item with the
 * time it took, whether or not stderr is a terminal. */
typedef struct progress_state {
    int bar, verbose;
    struct timespec start, last;
    char last_item[160];
} progress_state;

static double seconds_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* "[#####.....] 12/100 UNIT 1.5 UNIT/秒 剩余约 N 秒  WHAT", redrawn in place */
static void draw_bar(const progress_state *p, size_t done, size_t total, const char *unit,
                     const char *what)
{
    double elapsed = seconds_since(&p->start);
    double rate = elapsed > 0 ? (double)done / elapsed : 0;
    int pct = total ? (int)(done * 100 / total) : 100;
    char bar[31];
    memset(bar, '#', (size_t)(pct * 30 / 100));
    memset(bar + pct * 30 / 100, '.', 30 - (size_t)(pct * 30 / 100));
    bar[30] = '\0';
    fprintf(stderr, "\r\033[K[%s] %zu/%zu %s %.1f %s/秒 剩余约 %.0f 秒  %s", bar, done, total, unit,
            rate, unit, rate > 0 ? (double)(total - done) / rate : 0.0, what);
    fflush(stderr);
}

static void on_progress(void *ud, const char *card, const char *item, size_t done, size_t total)
{
    progress_state *p = ud;
    if (p->verbose && p->last_item[0])
        fprintf(stderr, "kaohe: %s %.3f s\n", p->last_item, seconds_since(&p->last));
    clock_gettime(CLOCK_MONOTONIC, &p->last);
    snprintf(p->last_item, sizeof p->last_item, "%s 第%s项", card, item);
    if (done == total)
        p->last_item[0] = '\0';
    if (!p->bar)
        return;
    if (done == total) {
        fprintf(stderr, "\r\033[K");
        fflush(stderr);
        return;
    }
    char what[256];
    snprintf(what, sizeof what, "%s 第%s项", card, item);
    draw_bar(p, done, total, "项", what);
}

/* Sharded runs report whole shards: "[###...] 12/100 个证据库 ... 剩余约 N 秒". */
static void on_shard_progress(void *ud, const char *shard, const char *item, size_t done,
                              size_t total)
{
    progress_state *p = ud;
    (void)item;
    if (!p->bar) {
        fprintf(stderr, "kaohe: %zu/%zu %s %.1f s\n", done, total, shard, seconds_since(&p->start));
        return;
    }
    char what[4200];
    snprintf(what, sizeof what, "%s%s", shard, done == total ? "，合并中…" : "");
    draw_bar(p, done, total, "个证据库", what);
}

int cmd_run(int argc, char **argv, kh_error *err)
{
    kh_run_options opt;
    memset(&opt, 0, sizeof opt);
    const char **files = xcalloc((size_t)argc, sizeof *files);
    kh_override *overrides = xcalloc((size_t)argc, sizeof *overrides);
    size_t nover = 0, nfiles = 0;
    int rc = EXIT_USAGE;
    const char *value = NULL, *mem = NULL, *ins = NULL, *steps = NULL, *jobs_text = NULL,
               *spill_text = NULL;
    const char **given = xcalloc((size_t)argc, sizeof *given);
    size_t ngiven = 0; /* --evidence values */
    char **shards = NULL;
    size_t nshards = 0;
    int quiet = 0, verbose = 0;
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = cli_option(argc, argv, &i, "--evidence", &value, err))) {
            if (m < 0)
                goto done;
            given[ngiven++] = value;
        } else if ((m = cli_option(argc, argv, &i, "--jobs", &jobs_text, err)) ||
                   (m = cli_option(argc, argv, &i, "-j", &jobs_text, err)) ||
                   (m = cli_option(argc, argv, &i, "--period", &opt.period, err)) ||
                   (m = cli_option(argc, argv, &i, "--out", &opt.out_xlsx, err)) ||
                   (m = cli_option(argc, argv, &i, "--results", &opt.results_db, err)) ||
                   (m = cli_option(argc, argv, &i, "--county-workbooks", &opt.county_workbooks,
                                   err)) ||
                   (m = cli_option(argc, argv, &i, "--deadline", &opt.deadline, err)) ||
                   (m = cli_option(argc, argv, &i, "--memory-limit", &mem, err)) ||
                   (m = cli_option(argc, argv, &i, "--instruction-limit", &ins, err)) ||
                   (m = cli_option(argc, argv, &i, "--query-limit", &steps, err)) ||
                   (m = cli_option(argc, argv, &i, "--spill-after", &spill_text, err))) {
            if (m < 0)
                goto done;
        } else if ((m = cli_option(argc, argv, &i, "--param", &value, err))) {
            if (m < 0)
                goto done;
            const char *eq = strchr(value, '=');
            if (!eq || eq == value) {
                kh_seterr(err, "--param %s: expected NAME=VALUE", value);
                goto done;
            }
            overrides[nover].name = strndup(value, (size_t)(eq - value));
            overrides[nover].value = xstrdup(eq + 1);
            nover++;
        } else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
            quiet = 1;
        } else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
            verbose = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            kh_seterr(err, "run: unknown option '%s'", argv[i]);
            goto done;
        } else {
            files[nfiles++] = argv[i];
        }
    }
    unsigned long long n;
    if (mem) {
        if (cli_parse_u64(mem, &n) != 0 || n == 0 || n > (1ULL << 20)) {
            kh_seterr(err, "--memory-limit %s: expected a number of MiB (1 to 1048576)", mem);
            goto done;
        }
        opt.limits.memory_bytes = (size_t)n << 20;
    }
    if (ins) {
        if (cli_parse_u64(ins, &n) != 0 || n == 0) {
            kh_seterr(err, "--instruction-limit %s: expected a positive number", ins);
            goto done;
        }
        opt.limits.instructions = n;
    }
    if (steps) {
        if (cli_parse_u64(steps, &n) != 0 || n == 0) {
            kh_seterr(err, "--query-limit %s: expected a positive number of SQLite steps", steps);
            goto done;
        }
        opt.query_steps = n;
    }
    if (nfiles == 0) {
        kh_seterr(err, "run: no scorecard given");
        goto done;
    }
    size_t spill_after = 200000; /* deductions; ~60 MB */
    if (spill_text) {
        if (cli_parse_u64(spill_text, &n) != 0 || n == 0) {
            kh_seterr(err, "--spill-after %s: expected a positive number of deductions",
                      spill_text);
            goto done;
        }
        spill_after = (size_t)n;
    }
    int jobs = kh_default_jobs(); /* results do not depend on it: see eval.h, shards.h */
    if (jobs_text) {
        if (cli_parse_u64(jobs_text, &n) != 0 || n == 0 || n > 256) {
            kh_seterr(err, "-j %s: expected a number of workers (1 to 256)", jobs_text);
            goto done;
        }
        jobs = (int)n;
    }
    if (ngiven == 0)
        given[ngiven++] = kh_default_evidence();
    /* one database: the plain run; several, or a directory of them: shards, merged */
    struct stat st;
    int sharded = ngiven > 1 || (stat(given[0], &st) == 0 && S_ISDIR(st.st_mode));
    if (sharded) {
        shards = kh_shard_list(given, ngiven, &nshards, err);
        if (!shards) {
            rc = EXIT_FAILED;
            goto done;
        }
    }
    opt.evidence_path = given[0];
    opt.item_jobs = jobs; /* one database: its items in parallel; shards: the shards */
    if (opt.county_workbooks && !sharded) {
        kh_seterr(err, "--county-workbooks needs the evidence as shards (one database per county: "
                       "several --evidence, or a directory)");
        goto done;
    }
    opt.scorecards = files;
    opt.spill_after = spill_after; /* memory flat however large the evidence */
    opt.nscorecards = nfiles;
    opt.overrides = overrides;
    opt.noverrides = nover;
    opt.argc = argc + 1;
    opt.argv = argv - 1;
    progress_state ps = {.bar = !quiet && isatty(2), .verbose = verbose};
    clock_gettime(CLOCK_MONOTONIC, &ps.start);
    if (ps.bar || ps.verbose) {
        opt.progress = on_progress;
        opt.progress_ud = &ps;
    }
    kh_run_outcome out;
    if (sharded && (ps.bar || ps.verbose))
        opt.progress = on_shard_progress;
    if (sharded ? kh_run_shards(&opt, shards, nshards, jobs, &out, err) != 0
                : kh_run(&opt, &out, err) != 0) {
        if (ps.bar)
            fprintf(stderr, "\r\033[K");
        kh_run_outcome_free(&out);
        rc = EXIT_FAILED;
        goto done;
    }
    if (ps.bar)
        fprintf(stderr, "\r\033[K");
    if (!quiet)
        cli_print_summary(opt.out_xlsx, opt.results_db, &out);
    kh_run_outcome_free(&out);
    rc = EXIT_OK;
done:
    for (size_t i = 0; i < nover; i++) {
        free(overrides[i].name);
        free(overrides[i].value);
    }
    free(overrides);
    free(files);
    free(given);
    for (size_t i = 0; i < nshards; i++)
        free(shards[i]);
    free(shards);
    return rc;
}
