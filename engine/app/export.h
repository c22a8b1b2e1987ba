/*
 * export.h — `kaohe export`: one run's results, scores, deductions or findings as CSV (UTF-8
 * with a BOM, so that Excel opens it as UTF-8) or JSON Lines, for the systems that cannot read
 * the SQLite results database. Loading a --raw CSV into SQLite gives the table back (README).
 */
#ifndef KAOHE_EXPORT_H
#define KAOHE_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "base/strbuf.h"

typedef enum kh_export_format { KH_EXPORT_CSV, KH_EXPORT_JSON } kh_export_format;

typedef struct kh_export_opts {
    const char *results; /* the results database */
    int64_t run;         /* 0: the latest */
    const char *what;    /* results, scores, deductions or findings (kh_export_what_ok) */
    kh_export_format format;
    const char *evidence; /* findings: other evidence than the run's (NULL: the run's) */
    const char *out;      /* the file to write (complete or not at all); NULL: `stdout` */
    int raw; /* CSV: every text exactly as stored; 0: a text starting with = + - @ tab or CR
              * (a formula to a spreadsheet) gets an apostrophe before it */
} kh_export_opts;

/* Whether `what` names something export writes; the names, for a usage message. */
int kh_export_what_ok(const char *what);
extern const char *const KH_EXPORT_WHATS[4];

/* Writes the export. Findings are read from the run's evidence (the run's period and
 * scorecards only), the others from the results database. 0, or -1 with err; with `out`, a
 * failure leaves no file there. */
int kh_export(const kh_export_opts *o, FILE *stdout_, kh_error *err);

#endif
