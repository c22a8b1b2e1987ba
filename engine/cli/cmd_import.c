/*
 * cmd_import.c — `kaohe import`: CSV exports of the source systems, and Excel workbooks (each
 * sheet a table, read through app/import_xlsx.c), into the evidence database.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/import_xlsx.h"
#include "app/run.h"
#include "cli/cli.h"
#include "evidence/evidence.h"
#include "evidence/import.h"

void cli_print_import(const kh_import_report *rep)
{
    for (size_t i = 0; i < rep->nfiles; i++) {
        kh_import_file_report *f = &rep->files[i];
        printf("%s → %s: %lld 行，导入 %lld 行，拒收 %lld 行（%s）", f->file, f->table,
               (long long)f->read, (long long)f->accepted, (long long)f->rejected, f->encoding);
        if (f->rejects_path)
            printf("；拒收明细：%s", f->rejects_path);
        printf("\n");
    }
    if (rep->replaced)
        fputs(rep->replaced, stdout);
}

void cli_print_import_errors(const kh_import_report *rep)
{
    const char *s = rep->errors;
    while (s && *s) {
        const char *nl = strchr(s, '\n');
        int len = nl ? (int)(nl - s) : (int)strlen(s);
        fprintf(stderr, "kaohe: error: %.*s\n", len, s);
        s += len + (nl != NULL);
    }
}

/* --max-errors N: a whole number from 1 to 1000000. */
static int max_errors(const char *text, long *out, kh_error *err)
{
    char *end;
    errno = 0;
    long n = strtol(text, &end, 10);
    if (errno || end == text || *end || n < 1 || n > 1000000) {
        kh_seterr(err, "--max-errors %s: expected a number of errors from 1 to 1000000", text);
        return -1;
    }
    *out = n;
    return 0;
}

int cmd_import(int argc, char **argv, kh_error *err)
{
    kh_import_options opt;
    memset(&opt, 0, sizeof opt);
    const char **files = xcalloc((size_t)argc, sizeof *files);
    const char *max = NULL;
    size_t nfiles = 0;
    int rc = EXIT_USAGE;
    for (int i = 1; i < argc; i++) {
        int m;
        if ((m = cli_option(argc, argv, &i, "--evidence", &opt.evidence_path, err)) ||
            (m = cli_option(argc, argv, &i, "--table", &opt.table, err)) ||
            (m = cli_option(argc, argv, &i, "--map", &opt.map_path, err)) ||
            (m = cli_option(argc, argv, &i, "--encoding", &opt.encoding, err)) ||
            (m = cli_option(argc, argv, &i, "--rejects", &opt.rejects_path, err)) ||
            (m = cli_option(argc, argv, &i, "--max-errors", &max, err))) {
            if (m < 0)
                goto done;
        } else if (strcmp(argv[i], "--partial") == 0) {
            opt.partial = 1;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            cli_unknown_option("import", argv[i], err);
            goto done;
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (!opt.evidence_path) {
        kh_seterr(err, "import: --evidence DB is required (the database to import into)");
        goto done;
    }
    if (nfiles == 0) {
        kh_seterr(err, "import: no file given (CSV exports, or .xlsx workbooks)");
        goto done;
    }
    if (opt.rejects_path && !opt.partial) {
        kh_seterr(err, "import: --rejects goes with --partial");
        goto done;
    }
    if (max && max_errors(max, &opt.max_errors, err) != 0)
        goto done;
    opt.sheets = app_xlsx_rows();
    opt.files = files;
    opt.nfiles = nfiles;
    opt.progress = isatty(2);
    kh_import_report rep;
    if (kh_import(&opt, &rep, err) != 0) {
        cli_print_import_errors(&rep);
        kh_import_report_free(&rep);
        rc = EXIT_FAILED;
        goto done;
    }
    cli_print_import(&rep);
    kh_import_report_free(&rep);
    rc = EXIT_OK;
done:
    free(files);
    return rc;
}
