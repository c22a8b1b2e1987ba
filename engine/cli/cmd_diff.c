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
    if (!results || nruns != 2) {
        kh_seterr(err, "diff: usage: kaohe diff --results DB RUN_A RUN_B [--out 整改台账.xlsx]");
        return EXIT_USAGE;
    }
    if (cli_parse_run(runs[0], &a, err) != 0 || cli_parse_run(runs[1], &b, err) != 0)
        return EXIT_USAGE;
    diff_counts counts;
    return kh_diff(results, a, b, out, stdout, &counts, err) == 0 ? EXIT_OK : EXIT_FAILED;
}
