/*
 * cmd_runs.c — `kaohe runs`: the runs of a results database, to pick one for --run N or diff.
 */
#include <stdio.h>

#include "app/runs.h"
#include "cli/cli.h"

int cmd_runs(int argc, char **argv, kh_error *err)
{
    const char *results = NULL;
    for (int i = 1; i < argc; i++) {
        int m = cli_option(argc, argv, &i, "--results", &results, err);
        if (m < 0)
            return EXIT_USAGE;
        if (!m) {
            kh_seterr(err, "runs: unknown argument '%s'", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!results) {
        kh_seterr(err, "runs: --results DB is required (the results database to list)");
        return EXIT_USAGE;
    }
    return kh_runs(results, stdout, err) == 0 ? EXIT_OK : EXIT_FAILED;
}
