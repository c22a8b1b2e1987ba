/*
 * cmd_audit.c — `kaohe reproduce`, `kaohe explain`, `kaohe diff` and `kaohe sample`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/audit.h"
#include "cli/cli.h"

static int parse_run(const char *text, int64_t *run, kh_error *err)
{
    unsigned long long v;
    if (cli_parse_u64(text, &v) != 0 || v == 0) {
        kh_seterr(err, "--run %s: expected a run number", text);
        return -1;
    }
    *run = (int64_t)v;
    return 0;
}

int cmd_reproduce(int argc, char **argv, kh_error *err)
{
    const char *results = NULL, *workbook = NULL, *evidence = NULL, *run_text = NULL;
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = cli_option(argc, argv, &i, "--results", &results, err)) ||
            (m = cli_option(argc, argv, &i, "--workbook", &workbook, err)) ||
            (m = cli_option(argc, argv, &i, "--evidence", &evidence, err)) ||
            (m = cli_option(argc, argv, &i, "--run", &run_text, err))) {
            if (m < 0)
                return EXIT_USAGE;
        } else {
            kh_seterr(err, "reproduce: unknown argument '%s'", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!!results == !!workbook) {
        kh_seterr(err, "reproduce: give --results DB (with --run N) or --workbook FILE.xlsx");
        return EXIT_USAGE;
    }
    int64_t run = 0;
    if (run_text && parse_run(run_text, &run, err) != 0)
        return EXIT_USAGE;
    stored_run *r = results ? stored_run_from_results(results, run, err)
                            : stored_run_from_workbook(workbook, err);
    if (!r)
        return EXIT_FAILED;
    int rc = kh_reproduce(r, evidence, stdout, err);
    stored_run_free(r);
    return rc < 0 ? EXIT_FAILED : rc == 0 ? EXIT_OK : EXIT_FAILED;
}

int cmd_explain(int argc, char **argv, kh_error *err)
{
    const char *results = NULL, *evidence = NULL, *run_text = NULL, *subject = NULL, *item = NULL;
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = cli_option(argc, argv, &i, "--results", &results, err)) ||
            (m = cli_option(argc, argv, &i, "--evidence", &evidence, err)) ||
            (m = cli_option(argc, argv, &i, "--run", &run_text, err)) ||
            (m = cli_option(argc, argv, &i, "--subject", &subject, err)) ||
            (m = cli_option(argc, argv, &i, "--item", &item, err))) {
            if (m < 0)
                return EXIT_USAGE;
        } else {
            kh_seterr(err, "explain: unknown argument '%s'", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!results || !subject) {
        kh_seterr(err, "explain: --results DB and --subject ID are required");
        return EXIT_USAGE;
    }
    int64_t run = 0;
    if (run_text && parse_run(run_text, &run, err) != 0)
        return EXIT_USAGE;
    return kh_explain(results, run, subject, item, evidence, stdout, err) == 0 ? EXIT_OK
                                                                               : EXIT_FAILED;
}

int cmd_diff(int argc, char **argv, kh_error *err)
{
    const char *results = NULL, *out = NULL;
    const char *runs[2] = {NULL, NULL};
    int nruns = 0;
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = cli_option(argc, argv, &i, "--results", &results, err)) ||
            (m = cli_option(argc, argv, &i, "--out", &out, err))) {
            if (m < 0)
                return EXIT_USAGE;
        } else if (argv[i][0] != '-' && nruns < 2) {
            runs[nruns++] = argv[i];
        } else {
            kh_seterr(err, "diff: unknown argument '%s'", argv[i]);
            return EXIT_USAGE;
        }
    }
    int64_t a = 0, b = 0;
    if (!results || nruns != 2) {
        kh_seterr(err, "diff: usage: kaohe diff --results DB RUN_A RUN_B [--out 整改台账.xlsx]");
        return EXIT_USAGE;
    }
    if (parse_run(runs[0], &a, err) != 0 || parse_run(runs[1], &b, err) != 0)
        return EXIT_USAGE;
    diff_counts counts;
    return kh_diff(results, a, b, out, stdout, &counts, err) == 0 ? EXIT_OK : EXIT_FAILED;
}

int cmd_sample(int argc, char **argv, kh_error *err)
{
    sample_options opt;
    memset(&opt, 0, sizeof opt);
    const char *seed = NULL, *per = NULL, *import = NULL;
    opt.subject_kind = "village";
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = cli_option(argc, argv, &i, "--evidence", &opt.evidence, err)) ||
            (m = cli_option(argc, argv, &i, "--scorecard", &opt.scorecard_id, err)) ||
            (m = cli_option(argc, argv, &i, "--kind", &opt.subject_kind, err)) ||
            (m = cli_option(argc, argv, &i, "--items", &opt.items, err)) ||
            (m = cli_option(argc, argv, &i, "--period", &opt.period, err)) ||
            (m = cli_option(argc, argv, &i, "--seed", &seed, err)) ||
            (m = cli_option(argc, argv, &i, "--per-stratum", &per, err)) ||
            (m = cli_option(argc, argv, &i, "--out", &opt.out_xlsx, err)) ||
            (m = cli_option(argc, argv, &i, "--import", &import, err))) {
            if (m < 0)
                return EXIT_USAGE;
        } else {
            kh_seterr(err, "sample: unknown argument '%s'", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!opt.evidence) {
        kh_seterr(err, "sample: --evidence DB is required");
        return EXIT_USAGE;
    }
    if (import)
        return kh_sample_import(import, opt.evidence, stdout, err) == 0 ? EXIT_OK : EXIT_FAILED;
    unsigned long long v;
    if (!seed || cli_parse_u64(seed, &v) != 0) {
        kh_seterr(err, "sample: --seed N is required (anyone can redraw the sample from it)");
        return EXIT_USAGE;
    }
    opt.seed = v;
    opt.per_stratum = 2;
    if (per) {
        if (cli_parse_u64(per, &v) != 0 || v == 0 || v > 100000) {
            kh_seterr(err, "--per-stratum %s: expected a positive number", per);
            return EXIT_USAGE;
        }
        opt.per_stratum = (int)v;
    }
    if (opt.scorecard_id && !opt.items) {
        kh_seterr(err, "sample: --items (e.g. 3,4,20) goes with --scorecard");
        return EXIT_USAGE;
    }
    if (strcmp(opt.subject_kind, "village") != 0 && strcmp(opt.subject_kind, "cadre") != 0) {
        kh_seterr(err, "--kind %s: village or cadre", opt.subject_kind);
        return EXIT_USAGE;
    }
    if (!opt.out_xlsx)
        opt.out_xlsx = "抽查清单.xlsx";
    return kh_sample(&opt, stdout, err) == 0 ? EXIT_OK : EXIT_FAILED;
}
