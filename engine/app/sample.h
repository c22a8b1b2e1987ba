/*
 * sample.h — `kaohe sample` (抽查): a seeded sample stratified by township (or department),
 * written as a field checklist workbook with blank columns for the inspector; and the filled
 * checklist brought back as findings in the evidence database. The same seed always draws the
 * same sample, so anyone can redraw it.
 */
#ifndef KAOHE_SAMPLE_H
#define KAOHE_SAMPLE_H

#include <stdint.h>
#include <stdio.h>

#include "base/strbuf.h"
#include "evidence/findings.h"

/* `per_stratum` subjects of a scorecard's kind (with `items`, a comma list of its finding
 * items) or households (`scorecard_id` NULL) from each stratum. */
typedef struct sample_options {
    const char *evidence;
    const char *scorecard_id; /* NULL: households */
    const char *subject_kind; /* village or cadre, with scorecard_id */
    const char *items;        /* "3,4,20" */
    const char *period;
    uint64_t seed;
    int per_stratum;
    const char *out_xlsx;
} sample_options;

int kh_sample(const sample_options *opt, FILE *out, kh_error *err);

/* Brings a filled-in checklist back as findings (one transaction; rows left blank are
 * skipped; a row with an answer but no inspector or date, or with a score that is not a
 * number of points, is refused with its row number). The findings are checked and their
 * clashes with findings recorded before settled as `policy` says (evidence/findings.h; NULL:
 * no check, clashes refused); each replacement is printed. */
int kh_sample_import(const char *xlsx, const char *evidence, const ev_finding_policy *policy,
                     FILE *out, kh_error *err);

#endif
