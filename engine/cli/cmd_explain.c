/*
 * cmd_explain.c — `kaohe explain`: a subject's items and the evidence behind its lost points.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/explain.h"
#include "cli/cli.h"

int cmd_explain(int argc, char **argv, kh_error *err)
{
    const char *results = NULL, *evidence = NULL, *run_text = NULL, *subject = NULL, *item = NULL,
               *limit_text = NULL;
    int all = 0;
    for (int i = 1; i < argc; i++) {
        int m;
        if (strcmp(argv[i], "--all") == 0) {
            all = 1;
        } else if ((m = cli_option(argc, argv, &i, "--results", &results, err)) ||
                   (m = cli_option(argc, argv, &i, "--evidence", &evidence, err)) ||
                   (m = cli_option(argc, argv, &i, "--run", &run_text, err)) ||
                   (m = cli_option(argc, argv, &i, "--subject", &subject, err)) ||
                   (m = cli_option(argc, argv, &i, "--item", &item, err)) ||
                   (m = cli_option(argc, argv, &i, "--limit", &limit_text, err))) {
            if (m < 0)
                return EXIT_USAGE;
        } else {
            cli_unknown_option("explain", argv[i], err);
            return EXIT_USAGE;
        }
    }
    if (!results || !subject) {
        kh_seterr(err, "explain: --results DB and --subject ID are required");
        return EXIT_USAGE;
    }
    int64_t run = 0;
    if (run_text && cli_parse_run(run_text, &run, err) != 0)
        return EXIT_USAGE;
    unsigned long long limit = 10; /* rows per item: a cadre's items stay readable */
    if (limit_text && (cli_parse_u64(limit_text, &limit) != 0 || limit > 1000000000)) {
        kh_seterr(err, "explain: --limit %s: expected a number of rows (0: all)", limit_text);
        return EXIT_USAGE;
    }
    return kh_explain(results, run, subject, item, evidence, (long)limit, all, stdout, err) == 0
               ? EXIT_OK
               : EXIT_FAILED;
}
