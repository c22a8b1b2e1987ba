/*
 * cmd_run.c — `kaohe run`: the annual assessment run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "run.h"

/* A short summary on stdout: what was assessed, and each subject's total where there are few,
 * the five best and worst where there are many. */
static void print_summary(const kh_run_options *opt, const kh_run_outcome *o)
{
    const kh_results *r = &o->results;
    printf("kaohe: 考核期 %s：%zu 张考核表，%zu 条评分，%zu 条扣分记录\n", r->period, o->nsc,
           r->nscores, r->ndeductions);
    size_t i = 0;
    while (i < r->ntotals) {
        size_t j = i;
        while (j < r->ntotals && r->totals[j].sc == r->totals[i].sc &&
               r->totals[j].set == r->totals[i].set)
            j++;
        const scorecard *sc = o->scs[r->totals[i].sc];
        const kh_subject_set *set = &r->sets[r->totals[i].set];
        printf("  %s — %s %zu 个（%s）\n", sc->title, sc_kind_label(set->kind), j - i,
               sc->mode == MODE_DEDUCTION ? "扣分合计" : "得分");
        for (int rank_wanted = 1; rank_wanted <= (int)(j - i); rank_wanted++) {
            int shown = (j - i) <= 6 || rank_wanted <= 3 || rank_wanted > (int)(j - i) - 3;
            if (!shown) {
                if (rank_wanted == 4)
                    printf("    ...\n");
                continue;
            }
            /* print subjects in rank order, ties by id */
            for (size_t k = i; k < j; k++) {
                const kh_total *t = &r->totals[k];
                int position = 1;
                for (size_t q = i; q < j; q++)
                    if (r->totals[q].rank < t->rank || (r->totals[q].rank == t->rank && q < k))
                        position++;
                if (position != rank_wanted)
                    continue;
                char buf[32];
                printf("    %2d. %-12s %8s%s%s\n", t->rank, set->items[t->subject].name,
                       points_format2(t->total, buf, sizeof buf), t->grade ? "  " : "",
                       t->grade ? t->grade : "");
            }
        }
        i = j;
    }
    if (opt->out_xlsx)
        printf("workbook: %s\n", opt->out_xlsx);
    if (opt->results_db)
        printf("results: %s (run %lld)\n", opt->results_db, (long long)o->run_id);
}

int cmd_run(int argc, char **argv, kh_error *err)
{
    kh_run_options opt;
    memset(&opt, 0, sizeof opt);
    const char **files = xcalloc((size_t)argc, sizeof *files);
    kh_override *overrides = xcalloc((size_t)argc, sizeof *overrides);
    size_t nover = 0, nfiles = 0;
    int rc = EXIT_USAGE;
    const char *value = NULL, *mem = NULL, *ins = NULL, *steps = NULL;
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = cli_option(argc, argv, &i, "--evidence", &opt.evidence_path, err)) ||
            (m = cli_option(argc, argv, &i, "--period", &opt.period, err)) ||
            (m = cli_option(argc, argv, &i, "--out", &opt.out_xlsx, err)) ||
            (m = cli_option(argc, argv, &i, "--results", &opt.results_db, err)) ||
            (m = cli_option(argc, argv, &i, "--memory-limit", &mem, err)) ||
            (m = cli_option(argc, argv, &i, "--instruction-limit", &ins, err)) ||
            (m = cli_option(argc, argv, &i, "--query-limit", &steps, err))) {
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
    if (!opt.evidence_path)
        opt.evidence_path = kh_default_evidence();
    opt.scorecards = files;
    opt.nscorecards = nfiles;
    opt.overrides = overrides;
    opt.noverrides = nover;
    opt.argc = argc + 1;
    opt.argv = argv - 1;
    kh_run_outcome out;
    if (kh_run(&opt, &out, err) != 0) {
        kh_run_outcome_free(&out);
        rc = EXIT_FAILED;
        goto done;
    }
    print_summary(&opt, &out);
    kh_run_outcome_free(&out);
    rc = EXIT_OK;
done:
    for (size_t i = 0; i < nover; i++) {
        free(overrides[i].name);
        free(overrides[i].value);
    }
    free(overrides);
    free(files);
    return rc;
}
