/*
 * findings.h — `kaohe findings list|remove`: the findings of an evidence database as people
 * read them, and removed by id with a word on each. (`findings import` is the CSV import and
 * the checklist round trip: evidence/import.h and app/sample.h.)
 */
#ifndef KAOHE_APP_FINDINGS_H
#define KAOHE_APP_FINDINGS_H

#include <stddef.h>
#include <stdio.h>

#include "base/strbuf.h"
#include "evidence/findings.h"

/* Prints the findings matching `filter` (findings_manage.h) as tab-separated lines under a
 * header of Chinese column names, then "共 N 条核查结论". 0, or -1 with err. */
int kh_findings_list(const char *evidence, const ev_finding *filter, FILE *out, kh_error *err);

/* Prints the findings removed from the evidence (findings remove, import --replace) in the
 * order removed, as kh_findings_list does with 删除时间 (UTC), 操作人 and 方式 after each,
 * then "共 N 条已删除的核查结论". 0, or -1 with err. */
int kh_findings_list_removed(const char *evidence, FILE *out, kh_error *err);

/* Removes the findings `ids` (all or none; an id that is not a finding refuses them all) and
 * prints one line for each removed, saying what it was, then the count. 0, or -1 with err. */
int kh_findings_remove(const char *evidence, const char *const *ids, size_t nids, FILE *out,
                       kh_error *err);

#endif
