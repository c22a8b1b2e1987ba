/*
 * findings_manage.h — the findings already in an evidence database, looked at and taken out
 * (kaohe findings list, kaohe findings remove): a spot-check imported twice, or by mistake, is
 * removed by its id instead of by hand in SQLite.
 */
#ifndef KAOHE_FINDINGS_MANAGE_H
#define KAOHE_FINDINGS_MANAGE_H

#include <stddef.h>

#include "base/strbuf.h"
#include "evidence/findings.h"

/* Hands every finding to fn, by scorecard, item, subject kind, subject, period and id: only
 * those matching the non-NULL fields of `filter` (scorecard, item, subject_id, period; the
 * others are ignored). The strings are valid during the call only; score is "" when none. fn
 * returning non-zero (err set) stops. 0, or -1 with err. */
int ev_findings_list(const char *evidence_path, const ev_finding *filter,
                     int (*fn)(void *ud, const ev_finding *f), void *ud, kh_error *err);

/* Removes the findings `ids` in one transaction, all or none: if any id is not a finding,
 * nothing is removed and err names every missing one. Each finding removed is handed to fn
 * first, as it was (an id given twice, once). 0, or -1 with err. */
int ev_findings_remove(const char *evidence_path, const char *const *ids, size_t nids,
                       void (*fn)(void *ud, const ev_finding *f), void *ud, kh_error *err);

/* Hands every finding removed from the evidence (by findings remove, or replaced by an import
 * with --replace; finding_removed.c) to fn in the order removed, with when[0] the time (UTC,
 * ISO 8601), when[1] the user, when[2] how. fn returning non-zero (err set) stops. A file
 * with no removal recorded hands none. 0, or -1 with err. */
int ev_findings_removed_list(const char *evidence_path,
                             int (*fn)(void *ud, const ev_finding *f, const char *const when[3]),
                             void *ud, kh_error *err);

#endif
