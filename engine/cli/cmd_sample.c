/*
 * cmd_sample.c — `kaohe sample` (抽查): a seeded checklist, and a filled one back as findings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/finding_rules.h"
#include "app/sample.h"
#include "cli/cli.h"

/* A filled checklist back as findings, each checked against the bundled scorecards (the
 * scorecard, item, subject, period, answer and score) as `findings import` checks them: a
 * checklist edited by hand, or drawn by an older kaohe for items nothing scores, is refused
 * rather than imported. An exit code. */
static int import_checked(const char *xlsx, const char *evidence, kh_error *err)
{
    finding_rules *rules = finding_rules_load(NULL, 0, evidence, err);
    if (!rules)
        return EXIT_FAILED;
    ev_finding_policy policy = {0, finding_rules_check, rules};
    int rc = kh_sample_import(xlsx, evidence, &policy, stdout, err);
    finding_rules_free(rules);
    return rc == 0 ? EXIT_OK : EXIT_FAILED;
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
            cli_unknown_option("sample", argv[i], err);
            return EXIT_USAGE;
        }
    }
    if (!opt.evidence) {
        kh_seterr(err, "sample: --evidence DB is required");
        return EXIT_USAGE;
    }
    if (import)
        return import_checked(import, opt.evidence, err);
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
    if (!opt.scorecard_id) {
        /* a household checklist's answers fed no scorecard item: they are not offered */
        kh_seterr(err, "sample: --scorecard ID --items N,M is required (the items of a scorecard "
                       "scored from findings, e.g. --scorecard huining-wudu-2018 --items 3,20)");
        return EXIT_USAGE;
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
