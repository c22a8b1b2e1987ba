/*
 * finding_rules.h — what `kaohe findings import` checks each finding against before it is
 * written: the scorecards (the item exists and is scored from findings, the subject is of a
 * kind the scorecard assesses, a 部分 is allowed and its score within the item's points), the
 * evidence (the subject exists) and the period. A finding that fails one would only surface
 * at the next run — or, for a scorecard nobody runs, never.
 */
#ifndef KAOHE_FINDING_RULES_H
#define KAOHE_FINDING_RULES_H

#include <stddef.h>
#include <stdio.h>

#include "base/strbuf.h"
#include "evidence/findings.h"

typedef struct finding_rules finding_rules;

/* Loads the scorecards `files` (none: every .lua file in $KAOHE_HOME/scorecards) and opens
 * `evidence` read-only to look subjects up. NULL with err. */
finding_rules *finding_rules_load(const char *const *files, size_t nfiles,
                                  const char *evidence_path, kh_error *err);
void finding_rules_free(finding_rules *r);

/* The ids of the scorecards loaded, joined by ", " (for the line saying what was checked). */
const char *finding_rules_ids(const finding_rules *r);

/* Whether scorecard `scorecard_id` is loaded, assesses `kind` and scores `item` from findings: what
 * a sample drawn for those items must be (kaohe sample --scorecard --kind --items). 0, or -1 with
 * err saying what is wrong. */
int finding_rules_item(const finding_rules *r, const char *scorecard_id, const char *kind,
                       const char *item, kh_error *err);

/* An ev_finding_policy check (ud: a finding_rules): 0, or -1 with err saying what is wrong. */
int finding_rules_check(void *ud, const ev_finding *f, kh_error *err);

#endif
