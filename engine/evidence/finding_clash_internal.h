/*
 * finding_clash_internal.h — two findings about the same thing, caught where findings are
 * written (kaohe import of a finding CSV, a filled checklist, kaohe findings import) rather
 * than by the next run. For the files of evidence/ only: it takes the SQLite handle of the
 * writer's transaction.
 *
 * Every finding written can be checked by the writer's caller (against the scorecards: the
 * evidence layer does not know them). A clash: two findings of different ids for one scorecard,
 * item, subject and period (a run cannot tell which to score and refuses both). A writer takes a
 * note of the findings present when it begins writing them (ev_finding_clash_begin), and before it
 * commits asks what its new findings clash with (ev_finding_clash_settle): clashes among its own
 * rows are refused; a clash with an earlier finding is refused too, unless `replace` says the new
 * finding replaces it. A replaced finding is deleted, and the one replacing it records, in its
 * note, which one it replaced and what that said.
 */
#ifndef KAOHE_FINDING_CLASH_INTERNAL_H
#define KAOHE_FINDING_CLASH_INTERNAL_H

#include <sqlite3.h>

#include "base/strbuf.h"
#include "evidence/findings.h"

/* The finding table's columns in ev_finding's order (score "" when none): every query that
 * hands findings on reads them so, and ev_finding_of reads its current row (the strings valid
 * until the next step). ev_finding_of is in findings_manage.c. */
#define EV_FINDING_COLUMNS                                                                         \
    "id, scorecard, item, subject_kind, subject_id, period, answer, coalesce(score, ''), note, "   \
    "inspector, inspected_on"
ev_finding ev_finding_of(sqlite3_stmt *st);

/* Inside a transaction that removes findings: creates finding_removed when the file predates
 * it and prepares *keep, which copies a finding there before it is deleted
 * (finding_removed.c). 0, or -1 with err naming `file`. */
int ev_finding_removed_prepare(sqlite3 *db, const char *file, sqlite3_stmt **keep, kh_error *err);

/* Copies finding `id` to finding_removed with the time, the user and `how`; SQLite's result
 * code of the step (SQLITE_DONE when done). */
int ev_finding_removed_keep(sqlite3_stmt *keep, const char *id, const char *how);

/* Inside the writer's transaction, before its first finding: notes the ids present, and from
 * then on which findings are written. `file` is the evidence database as the user named it.
 * 0, or -1 with err. */
int ev_finding_clash_begin(sqlite3 *db, const char *file, kh_error *err);

/* Inside the writer's transaction, after ev_finding_clash_begin: the findings written so far
 * with no source named, and those written from now on, came from `source` (the file as
 * import_log names it, "book.xlsx[sheet]" for a sheet). A finding that replaces another names
 * it in finding_removed. 0, or -1 with err. */
int ev_finding_clash_from(sqlite3 *db, const char *file, const char *source, kh_error *err);

/* Inside the transaction, after the last finding and before COMMIT: every finding written is
 * handed to policy->check (if any), then the clashes are settled. 0 when all passed and
 * nothing clashes (or, with policy->replace, every clash with an earlier finding was settled:
 * one line per finding replaced appended to `replaced`, "NEW 替换 OLD（…）"); -1 with err
 * listing the problems, the transaction to be rolled back. policy NULL: no check, clashes
 * refused. */
int ev_finding_clash_settle(sqlite3 *db, const char *file, const ev_finding_policy *policy,
                            strbuf *replaced, kh_error *err);

#endif
