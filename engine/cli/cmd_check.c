/*
 * cmd_check.c — `kaohe check`: validate scorecards without running them, against the evidence
 * named by --evidence or $KAOHE_EVIDENCE, else against the bundled schema alone; the first line
 * says which.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/run.h"
#include "cli/cli.h"

int cmd_check(int argc, char **argv, kh_error *err)
{
    const char *evidence_path = NULL, *period = NULL;
    const char **files = xcalloc((size_t)argc, sizeof *files);
    size_t nfiles = 0;
    int rc = EXIT_USAGE, print_sql = 0;
    for (int i = 1; i < argc; i++) {
        int m;
        if (strcmp(argv[i], "--print-sql") == 0) {
            print_sql = 1;
            continue;
        }
        if ((m = cli_option(argc, argv, &i, "--evidence", &evidence_path, err)) ||
            (m = cli_option(argc, argv, &i, "--period", &period, err))) {
            if (m < 0)
                goto done;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            cli_unknown_option("check", argv[i], err);
            goto done;
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles == 0) {
        kh_seterr(err, "check: no scorecard given");
        goto done;
    }
    if (print_sql) {
        rc = kh_print_scorecards_sql(files, nfiles, period, stdout, err) == 0 ? EXIT_OK
                                                                              : EXIT_FAILED;
        goto done;
    }
    /* --evidence, else $KAOHE_EVIDENCE, else the bundled schema: check needs no built evidence */
    const char *env = getenv("KAOHE_EVIDENCE");
    if (!evidence_path && env && *env)
        evidence_path = env;
    if (evidence_path)
        printf("kaohe: 对照证据库 %s 检查 %zu 张考核表\n", evidence_path, nfiles);
    else
        printf("kaohe: 对照证据库结构（内置 %s）检查 %zu 张考核表\n", KH_BUNDLED_SCHEMA, nfiles);
    fflush(stdout); /* before any error on stderr */
    if (kh_check(evidence_path, files, nfiles, period, NULL, err) != 0) {
        rc = EXIT_FAILED;
        goto done;
    }
    for (size_t i = 0; i < nfiles; i++)
        printf("%s: ok\n", files[i]);
    rc = EXIT_OK;
done:
    free(files);
    return rc;
}
