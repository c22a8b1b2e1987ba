/*
 * cmd_merge.c — `kaohe merge`: the results of shards run separately (the array jobs of a batch
 * scheduler, one per county) combined into one run and one workbook, equal to a single run
 * over all of the evidence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/merge.h"
#include "cli/cli.h"
#include "core/wenze.h"

int cmd_merge(int argc, char **argv, kh_error *err)
{
    kh_merge_options opt;
    memset(&opt, 0, sizeof opt);
    const char **inputs = xcalloc((size_t)argc, sizeof *inputs);
    int quiet = 0, rc = EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = cli_option(argc, argv, &i, "--results", &opt.results_db, err)) ||
            (m = cli_option(argc, argv, &i, "--out", &opt.out_xlsx, err)) ||
            (m = cli_option(argc, argv, &i, "--deadline", &opt.deadline, err))) {
            if (m < 0)
                goto done;
        } else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
            quiet = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            cli_unknown_option("merge", argv[i], err);
            goto done;
        } else {
            inputs[opt.ninputs++] = argv[i];
        }
    }
    if (!opt.results_db) {
        kh_seterr(err, "merge: --results OUT.db is required (the merged run is written there)");
        goto done;
    }
    if (opt.ninputs == 0) {
        kh_seterr(err, "merge: no results databases given (one per shard)");
        goto done;
    }
    for (size_t i = 0; i < opt.ninputs; i++)
        if (strcmp(inputs[i], opt.results_db) == 0) {
            kh_seterr(err, "merge: %s is both an input and the output", inputs[i]);
            goto done;
        }
    opt.inputs = inputs;
    opt.argc = argc + 1;
    opt.argv = argv - 1;
    kh_run_outcome out;
    if (kh_merge(&opt, &out, err) != 0) {
        kh_run_outcome_free(&out);
        rc = EXIT_FAILED;
        goto done;
    }
    if (!quiet)
        cli_print_summary(opt.out_xlsx, opt.results_db, &out);
    if (out.results.wenze && out.results.wenze->note && *out.results.wenze->note)
        fprintf(stderr, "kaohe: 问责名单: %s\n", out.results.wenze->note); /* even with --quiet */
    kh_run_outcome_free(&out);
    rc = EXIT_OK;
done:
    free(inputs);
    return rc;
}
