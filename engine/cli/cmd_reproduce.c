/*
 * cmd_reproduce.c — `kaohe reproduce`: a past run re-run and confirmed, or what differs listed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "app/reproduce.h"
#include "cli/cli.h"

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
            cli_unknown_option("reproduce", argv[i], err);
            return EXIT_USAGE;
        }
    }
    if (!!results == !!workbook) {
        kh_seterr(err, "reproduce: give --results DB (with --run N) or --workbook FILE.xlsx");
        return EXIT_USAGE;
    }
    int64_t run = 0;
    if (run_text && cli_parse_run(run_text, &run, err) != 0)
        return EXIT_USAGE;
    stored_run *r = results ? stored_run_from_results(results, run, err)
                            : stored_run_from_workbook(workbook, err);
    if (!r)
        return EXIT_FAILED;
    int rc = kh_reproduce(r, evidence, stdout, err);
    stored_run_free(r);
    return rc < 0 ? EXIT_FAILED : rc == 0 ? EXIT_OK : EXIT_DIFFERS;
}
