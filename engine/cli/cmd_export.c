/*
 * cmd_export.c — `kaohe export`: a run's results, scores, deductions or findings as CSV or JSON
 * Lines, for other systems.
 */
#include <stdio.h>
#include <string.h>

#include "app/export.h"
#include "cli/cli.h"

/* --format csv|json into *f. 0, or -1 with a usage error. */
static int parse_format(const char *text, kh_export_format *f, kh_error *err)
{
    if (strcmp(text, "csv") == 0)
        *f = KH_EXPORT_CSV;
    else if (strcmp(text, "json") == 0)
        *f = KH_EXPORT_JSON;
    else {
        kh_seterr(err, "export: --format %s: expected csv or json", text);
        return -1;
    }
    return 0;
}

int cmd_export(int argc, char **argv, kh_error *err)
{
    kh_export_opts o = {0};
    const char *run_text = NULL, *format = NULL;
    for (int i = 1; i < argc; i++) {
        int m;
        if (strcmp(argv[i], "--raw") == 0) {
            o.raw = 1;
            continue;
        }
        if ((m = cli_option(argc, argv, &i, "--results", &o.results, err)) ||
            (m = cli_option(argc, argv, &i, "--run", &run_text, err)) ||
            (m = cli_option(argc, argv, &i, "--format", &format, err)) ||
            (m = cli_option(argc, argv, &i, "--what", &o.what, err)) ||
            (m = cli_option(argc, argv, &i, "--evidence", &o.evidence, err)) ||
            (m = cli_option(argc, argv, &i, "--out", &o.out, err))) {
            if (m < 0)
                return EXIT_USAGE;
        } else {
            cli_unknown_option("export", argv[i], err);
            return EXIT_USAGE;
        }
    }
    if (!o.results || !format || !o.what) {
        kh_seterr(err, "export: --results DB, --format csv|json and --what "
                       "results|scores|deductions|findings are required");
        return EXIT_USAGE;
    }
    if (parse_format(format, &o.format, err) != 0)
        return EXIT_USAGE;
    if (!kh_export_what_ok(o.what)) {
        kh_seterr(err, "export: --what %s: expected results, scores, deductions or findings",
                  o.what);
        return EXIT_USAGE;
    }
    if (o.raw && o.format != KH_EXPORT_CSV) {
        kh_seterr(err, "export: --raw is for --format csv (JSON Lines are always exact)");
        return EXIT_USAGE;
    }
    if (o.evidence && strcmp(o.what, "findings") != 0) {
        kh_seterr(err, "export: --evidence is for --what findings only (the others are read "
                       "from the results database)");
        return EXIT_USAGE;
    }
    if (run_text && cli_parse_run(run_text, &o.run, err) != 0)
        return EXIT_USAGE;
    return kh_export(&o, stdout, err) == 0 ? EXIT_OK : EXIT_FAILED;
}
