/*
 * cmd_accountability.c — `kaohe accountability`: the 包抓 cadres meeting a 问责情形 of a run,
 * each with the evidence; kaohe lists, the 县委、县政府 decide.
 */
#include <stdio.h>
#include <string.h>

#include "app/accountability.h"
#include "cli/cli.h"

int cmd_accountability(int argc, char **argv, kh_error *err)
{
    kh_accountability_opts o = {0};
    const char *run_text = NULL, *format = NULL;
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = cli_option(argc, argv, &i, "--results", &o.results, err)) ||
            (m = cli_option(argc, argv, &i, "--run", &run_text, err)) ||
            (m = cli_option(argc, argv, &i, "--format", &format, err))) {
            if (m < 0)
                return EXIT_USAGE;
        } else {
            cli_unknown_option("accountability", argv[i], err);
            return EXIT_USAGE;
        }
    }
    if (!o.results) {
        kh_seterr(err, "accountability: --results DB is required (the results database of a run "
                       "with the 包抓 scorecard)");
        return EXIT_USAGE;
    }
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "text") != 0) {
        kh_seterr(err, "accountability: --format %s: expected text or csv", format);
        return EXIT_USAGE;
    }
    o.csv = format && strcmp(format, "csv") == 0;
    if (run_text && cli_parse_run(run_text, &o.run, err) != 0)
        return EXIT_USAGE;
    return kh_accountability(&o, stdout, err) == 0 ? EXIT_OK : EXIT_FAILED;
}
