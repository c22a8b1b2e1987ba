/*
 * cmd_run.c — `kaohe run`: the annual assessment run.
 */
#include <limits.h>
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

/* One subject's line. A subject with items 待核实 has a provisional total (暂计), said so, as
 * the form says it: its number is what the scored items add up to, not a result. The only
 * subject of its kind (the county of a county run) gets no rank: "1." of one reads as a
 * standing it does not have, and its form prints none either. */
static void print_total(const kh_results *r, const kh_total *t, size_t of)
{
    char buf[32], rank[16], pending[64] = "";
    rank[0] = '\0';
    if (of > 1)
        snprintf(rank, sizeof rank, t->rank ? "%d." : "-", t->rank);
    if (t->pending && !t->rollup)
        snprintf(pending, sizeof pending, "（暂计，%d 项待核实）", t->pending);
    printf("    %4s %s  %s%s%s%s%s\n", rank, r->sets[t->set].items[t->subject].name,
           t->rollup && !t->members ? "—" : points_format2(t->total, buf, sizeof buf), pending,
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
                print_total(r, &r->totals[order[k]], n);
        }
        i = j;
    }
    free(order);
    /* which evidence the numbers rest on: the path and its content hash (reproduce checks it) */
    printf("evidence: %s (sha256 %.16s…)\n",
           o->manifest.evidence_path ? o->manifest.evidence_path : "", o->manifest.evidence.sha256);
    if (out_xlsx)
        printf("workbook: %s\n", out_xlsx);
    if (results_db)
        printf("results: %s (run %lld)\n", results_db, (long long)o->run_id);
    if (!out_xlsx && !results_db) /* a trial run (bench/run.sh times one); it must not look saved */
        printf("nothing written: no --out FILE.xlsx and no --results DB (the summary above is all "
               "this run keeps)\n");
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

/* "[#####.....] 12/100 UNIT 1.5 UNIT/秒 剩余约 N 秒  WHAT", redrawn in place, cut to the
 * terminal's width (the terminal may be resized during the run, so asked each time) */
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
    char line[4400];
    snprintf(line, sizeof line, "[%s] %zu/%zu %s %.1f %s/秒 剩余约 %.0f 秒  %s", bar, done, total,
             unit, rate, unit, rate > 0 ? (double)(total - done) / rate : 0.0, what);
    /* one column short of the width: a line filling the last column wraps on some terminals */
    cli_fit_columns(line, cli_term_columns(2) - 1);
    fprintf(stderr, "\r\033[K%s", line);
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

/* What `kaohe run`'s command line said, before its numbers are checked (run_numbers). */
typedef struct run_args {
    const char **files; /* scorecards */
    size_t nfiles;
    kh_override *overrides;
    size_t nover;
    const char **given; /* --evidence values */
    size_t ngiven;
    const char *mem, *ins, *steps, *jobs, *spill, *seconds, *rows;
    int quiet, verbose;
} run_args;

static void run_args_free(run_args *a)
{
    for (size_t i = 0; i < a->nover; i++) {
        free(a->overrides[i].name);
        free(a->overrides[i].value);
    }
    free(a->overrides);
    free(a->files);
    free(a->given);
}

/* --param NAME=VALUE into the next override. */
static int add_override(run_args *a, const char *value, kh_error *err)
{
    const char *eq = strchr(value, '=');
    if (!eq || eq == value) {
        kh_seterr(err, "--param %s: expected NAME=VALUE", value);
        return -1;
    }
    a->overrides[a->nover].name = strndup(value, (size_t)(eq - value));
    a->overrides[a->nover].value = xstrdup(eq + 1);
    a->nover++;
    return 0;
}

/* Reads the options: those that are plain text straight into opt, the rest into a. 0, or -1
 * with a usage error in err. */
static int parse_run_args(int argc, char **argv, kh_run_options *opt, run_args *a, kh_error *err)
{
    a->files = xcalloc((size_t)argc, sizeof *a->files);
    a->overrides = xcalloc((size_t)argc, sizeof *a->overrides);
    a->given = xcalloc((size_t)argc, sizeof *a->given);
    const char *value = NULL;
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = cli_option(argc, argv, &i, "--evidence", &value, err))) {
            if (m < 0)
                return -1;
            a->given[a->ngiven++] = value;
        } else if ((m = cli_option(argc, argv, &i, "--jobs", &a->jobs, err)) ||
                   (m = cli_option(argc, argv, &i, "-j", &a->jobs, err)) ||
                   (m = cli_option(argc, argv, &i, "--period", &opt->period, err)) ||
                   (m = cli_option(argc, argv, &i, "--out", &opt->out_xlsx, err)) ||
                   (m = cli_option(argc, argv, &i, "--results", &opt->results_db, err)) ||
                   (m = cli_option(argc, argv, &i, "--county-workbooks", &opt->county_workbooks,
                                   err)) ||
                   (m = cli_option(argc, argv, &i, "--deadline", &opt->deadline, err)) ||
                   (m = cli_option(argc, argv, &i, "--memory-limit", &a->mem, err)) ||
                   (m = cli_option(argc, argv, &i, "--instruction-limit", &a->ins, err)) ||
                   (m = cli_option(argc, argv, &i, "--query-limit", &a->steps, err)) ||
                   (m = cli_option(argc, argv, &i, "--time-limit", &a->seconds, err)) ||
                   (m = cli_option(argc, argv, &i, "--item-rows", &a->rows, err)) ||
                   (m = cli_option(argc, argv, &i, "--spill-after", &a->spill, err))) {
            if (m < 0)
                return -1;
        } else if ((m = cli_option(argc, argv, &i, "--param", &value, err))) {
            if (m < 0 || add_override(a, value, err) != 0)
                return -1;
        } else if (strcmp(argv[i], "--allow-empty") == 0) {
            opt->allow_empty = 1; /* a period the evidence does not cover, on purpose */
        } else if (strcmp(argv[i], "--one-form-per-page") == 0) {
            opt->one_form_per_page = 1;
        } else if (strcmp(argv[i], "--no-hash-cache") == 0) {
            opt->no_hash_cache = 1; /* app/hash_cache.h; KAOHE_NO_HASH_CACHE=1 too */
        } else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
            a->quiet = 1;
        } else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
            a->verbose = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            cli_unknown_option("run", argv[i], err);
            return -1;
        } else {
            a->files[a->nfiles++] = argv[i];
        }
    }
    return 0;
}

/* A count given on the command line: 1 to max, or a usage error "NAME TEXT: expected WHAT". */
static int count_option(const char *name, const char *text, unsigned long long max,
                        const char *what, unsigned long long *n, kh_error *err)
{
    if (cli_parse_u64(text, n) != 0 || *n == 0 || *n > max) {
        kh_seterr(err, "%s %s: expected %s", name, text, what);
        return -1;
    }
    return 0;
}

/* The numbers of the command line checked into opt (limits, spill threshold, workers), in the
 * order the options are documented; also refuses a run with no scorecard. */
static int run_numbers(const run_args *a, kh_run_options *opt, int *jobs, kh_error *err)
{
    unsigned long long n;
    if (a->mem) {
        if (count_option("--memory-limit", a->mem, 1ULL << 20, "a number of MiB (1 to 1048576)", &n,
                         err) != 0)
            return -1;
        opt->limits.memory_bytes = (size_t)n << 20;
    }
    if (a->ins) {
        if (count_option("--instruction-limit", a->ins, ULLONG_MAX, "a positive number", &n, err) !=
            0)
            return -1;
        opt->limits.instructions = n;
    }
    if (a->steps) {
        if (count_option("--query-limit", a->steps, ULLONG_MAX, "a positive number of SQLite steps",
                         &n, err) != 0)
            return -1;
        opt->query_steps = n;
    }
    if (a->seconds) {
        if (count_option("--time-limit", a->seconds, 86400, "a number of seconds (1 to 86400)", &n,
                         err) != 0)
            return -1;
        opt->limits.seconds = (unsigned)n;
    }
    if (a->nfiles == 0) {
        kh_seterr(err, "run: no scorecard given");
        return -1;
    }
    /* a workbook named otherwise opens in nothing, or overwrites what the name says it is */
    size_t len = opt->out_xlsx ? strlen(opt->out_xlsx) : 0;
    if (opt->out_xlsx && (len < 6 || strcmp(opt->out_xlsx + len - 5, ".xlsx") != 0)) {
        kh_seterr(err, "--out %s: the workbook's file name must end in .xlsx", opt->out_xlsx);
        return -1;
    }
    /* one item's deductions are held until the item ends (~300 bytes each): ~600 MB */
    opt->item_rows = 2000000;
    if (a->rows) {
        if (count_option("--item-rows", a->rows, ULLONG_MAX, "a positive number of rows", &n,
                         err) != 0)
            return -1;
        opt->item_rows = (size_t)n;
    }
    opt->spill_after = 200000; /* deductions; ~60 MB: memory flat however large the evidence */
    if (a->spill) {
        if (count_option("--spill-after", a->spill, ULLONG_MAX, "a positive number of deductions",
                         &n, err) != 0)
            return -1;
        opt->spill_after = (size_t)n;
    }
    *jobs = kh_default_jobs(); /* results do not depend on it: see eval.h, shards.h */
    if (a->jobs) {
        if (count_option("-j", a->jobs, 256, "a number of workers (1 to 256)", &n, err) != 0)
            return -1;
        *jobs = (int)n;
    }
    return 0;
}

/* Runs what the options describe (one database, or shards merged) with progress on stderr,
 * and prints the summary. An exit code. */
static int run_and_report(kh_run_options *opt, const run_args *a, char **shards, size_t nshards,
                          int jobs, kh_error *err)
{
    progress_state ps = {.bar = !a->quiet && isatty(2), .verbose = a->verbose};
    clock_gettime(CLOCK_MONOTONIC, &ps.start);
    if (ps.bar || ps.verbose) {
        opt->progress = shards ? on_shard_progress : on_progress;
        opt->progress_ud = &ps;
    }
    kh_run_outcome out;
    int failed = shards ? kh_run_shards(opt, shards, nshards, jobs, &out, err) != 0
                        : kh_run(opt, &out, err) != 0;
    if (ps.bar)
        fprintf(stderr, "\r\033[K");
    if (!failed && a->verbose && !shards) { /* the order items were started in (item_cost.h) */
        fprintf(stderr, "kaohe: cost cache: %zu of %zu items estimated%s\n", out.items_estimated,
                out.items_total, out.items_estimated ? ", started longest first" : "");
        fprintf(stderr, "kaohe: evidence hash: %s\n", out.hash_note); /* app/hash_cache.h */
    }
    if (!failed && !a->quiet)
        cli_print_summary(opt->out_xlsx, opt->results_db, &out);
    kh_run_outcome_free(&out);
    return failed ? EXIT_FAILED : EXIT_OK;
}

int cmd_run(int argc, char **argv, kh_error *err)
{
    kh_run_options opt;
    memset(&opt, 0, sizeof opt);
    run_args a;
    memset(&a, 0, sizeof a);
    char **shards = NULL;
    size_t nshards = 0;
    int rc = EXIT_USAGE, jobs = 1;
    if (parse_run_args(argc, argv, &opt, &a, err) != 0 || run_numbers(&a, &opt, &jobs, err) != 0)
        goto done;
    const char *env = getenv("KAOHE_EVIDENCE");
    if (a.ngiven == 0 && env && *env)
        a.given[a.ngiven++] = env;
    if (a.ngiven == 0) { /* never a silent default: the numbers rest on evidence someone named */
        kh_seterr(err, "run: no evidence given: --evidence DB|DIR (or KAOHE_EVIDENCE) is required");
        goto done;
    }
    /* one database: the plain run; several, or a directory of them: shards, merged */
    struct stat st;
    int sharded = a.ngiven > 1 || (stat(a.given[0], &st) == 0 && S_ISDIR(st.st_mode));
    if (sharded && !(shards = kh_shard_list(a.given, a.ngiven, &nshards, err))) {
        rc = EXIT_FAILED;
        goto done;
    }
    if (opt.county_workbooks && !sharded) {
        kh_seterr(err, "--county-workbooks needs the evidence as shards (one database per county: "
                       "several --evidence, or a directory)");
        goto done;
    }
    opt.evidence_path = a.given[0];
    opt.item_jobs = jobs; /* one database: its items in parallel; shards: the shards */
    opt.scorecards = a.files;
    opt.nscorecards = a.nfiles;
    opt.overrides = a.overrides;
    opt.noverrides = a.nover;
    opt.argc = argc + 1;
    opt.argv = argv - 1;
    rc = run_and_report(&opt, &a, shards, nshards, jobs, err);
done:
    run_args_free(&a);
    for (size_t i = 0; i < nshards; i++)
        free(shards[i]);
    free(shards);
    return rc;
}
