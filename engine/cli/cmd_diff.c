/*
 * cmd_diff.c — `kaohe diff` (回头看): problems rectified, persisting and new between two runs.
 */
#include <stdio.h>
#include <stdlib.h>

#include "app/diff.h"
#include "cli/cli.h"

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
            cli_unknown_option("diff", argv[i], err);
            return EXIT_USAGE;
        }
    }
    int64_t a = 0, b = 0;
    if (!results) {
        kh_seterr(err, "diff: --results DB is required (the database holding both runs)");
        return EXIT_USAGE;
    }
    if (nruns != 2) {
        kh_seterr(err, "diff: give two run numbers, RUN_A (before) and RUN_B (after)");
        return EXIT_USAGE;
    }
    if (cli_parse_run(runs[0], &a, err) != 0 || cli_parse_run(runs[1], &b, err) != 0)
        return EXIT_USAGE;
    diff_counts counts;
    if (kh_diff(results, a, b, out, stdout, &counts, err) != 0)
        return EXIT_FAILED;
    /* persisting problems are no difference between the runs; rectified, new and changed by
     * the rules or parameters are */
    return counts.rectified || counts.fresh || counts.rules ? EXIT_DIFFERS : EXIT_OK;
}
