/*
 * cmd_findings.c — `kaohe findings list|remove|import`: the findings (现场核查结论) of an
 * evidence database managed rather than piled up. import is the two ways findings come in
 * today, reused: a finding CSV (kaohe import's path, table finding) or a filled checklist
 * (kaohe sample --import's path), with --replace for findings that clash with earlier ones.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "app/findings.h"
#include "app/sample.h"
#include "cli/cli.h"
#include "evidence/import.h"

/* 1 if `path` ends in `ext` (".xlsx"), ignoring case. */
static int ends_with(const char *path, const char *ext)
{
    size_t n = strlen(path), k = strlen(ext);
    return n >= k && strcasecmp(path + n - k, ext) == 0;
}

static int findings_list(int argc, char **argv, kh_error *err)
{
    const char *evidence = NULL;
    ev_finding filter;
    memset(&filter, 0, sizeof filter);
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = cli_option(argc, argv, &i, "--evidence", &evidence, err)) ||
            (m = cli_option(argc, argv, &i, "--scorecard", &filter.scorecard, err)) ||
            (m = cli_option(argc, argv, &i, "--item", &filter.item, err)) ||
            (m = cli_option(argc, argv, &i, "--subject", &filter.subject_id, err)) ||
            (m = cli_option(argc, argv, &i, "--period", &filter.period, err))) {
            if (m < 0)
                return EXIT_USAGE;
        } else {
            kh_seterr(err, "findings list: unknown argument '%s'", argv[i]);
            return EXIT_USAGE;
        }
    }
    if (!evidence) {
        kh_seterr(err, "findings list: --evidence DB is required");
        return EXIT_USAGE;
    }
    return kh_findings_list(evidence, &filter, stdout, err) == 0 ? EXIT_OK : EXIT_FAILED;
}

/* The options of remove and import: --evidence DB, --replace (import only) and the rest,
 * collected in files (ids or files). 0, or -1 with a usage error. */
static int findings_args(int argc, char **argv, int replace_ok, const char **evidence, int *replace,
                         const char **files, size_t *nfiles, kh_error *err)
{
    for (int i = 1; i < argc; i++) {
        int m = cli_option(argc, argv, &i, "--evidence", evidence, err);
        if (m < 0)
            return -1;
        if (m)
            continue;
        if (replace_ok && strcmp(argv[i], "--replace") == 0) {
            *replace = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            kh_seterr(err, "findings %s: unknown option '%s'", argv[0], argv[i]);
            return -1;
        } else {
            files[(*nfiles)++] = argv[i];
        }
    }
    if (!*evidence) {
        kh_seterr(err, "findings %s: --evidence DB is required", argv[0]);
        return -1;
    }
    if (*nfiles == 0) {
        kh_seterr(err, "findings %s: %s", argv[0],
                  replace_ok ? "no file given (a filled 抽查清单.xlsx, or finding CSV files)"
                             : "no finding id given (see: kaohe findings list)");
        return -1;
    }
    return 0;
}

static int findings_remove(int argc, char **argv, kh_error *err)
{
    const char *evidence = NULL;
    const char **ids = xcalloc((size_t)argc, sizeof *ids);
    size_t nids = 0;
    int replace = 0, rc = EXIT_USAGE;
    if (findings_args(argc, argv, 0, &evidence, &replace, ids, &nids, err) == 0)
        rc = kh_findings_remove(evidence, ids, nids, stdout, err) == 0 ? EXIT_OK : EXIT_FAILED;
    free(ids);
    return rc;
}

/* A filled checklist alone (its own transaction), or finding CSV files (together, in one). */
static int findings_import(int argc, char **argv, kh_error *err)
{
    kh_import_options opt;
    memset(&opt, 0, sizeof opt);
    const char **files = xcalloc((size_t)argc, sizeof *files);
    size_t nfiles = 0, nxlsx = 0;
    int rc = EXIT_USAGE;
    if (findings_args(argc, argv, 1, &opt.evidence_path, &opt.replace_findings, files, &nfiles,
                      err) != 0)
        goto done;
    for (size_t i = 0; i < nfiles; i++)
        nxlsx += ends_with(files[i], ".xlsx");
    if (nxlsx && nfiles > 1) {
        kh_seterr(err, "findings import: a filled checklist (%s) is imported alone", files[0]);
        goto done;
    }
    if (nxlsx) {
        rc = kh_sample_import(files[0], opt.evidence_path, opt.replace_findings, stdout, err) == 0
                 ? EXIT_OK
                 : EXIT_FAILED;
        goto done;
    }
    opt.table = "finding";
    opt.files = files;
    opt.nfiles = nfiles;
    opt.progress = isatty(2);
    kh_import_report rep;
    rc = kh_import(&opt, &rep, err) == 0 ? EXIT_OK : EXIT_FAILED;
    if (rc == EXIT_OK)
        cli_print_import(&rep);
    kh_import_report_free(&rep);
done:
    free(files);
    return rc;
}

int cmd_findings(int argc, char **argv, kh_error *err)
{
    if (argc < 2) {
        kh_seterr(err, "findings: list, remove or import?");
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "list") == 0)
        return findings_list(argc - 1, argv + 1, err);
    if (strcmp(argv[1], "remove") == 0)
        return findings_remove(argc - 1, argv + 1, err);
    if (strcmp(argv[1], "import") == 0)
        return findings_import(argc - 1, argv + 1, err);
    kh_seterr(err, "findings: unknown subcommand '%s' (list, remove or import)", argv[1]);
    return EXIT_USAGE;
}
