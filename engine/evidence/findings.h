/*
 * findings.h — 现场核查结论 into the evidence database: the finding table, written when a filled
 * spot-check list comes back (kaohe sample --import). Besides import, the one writer of
 * evidence, and like import it writes all or nothing: the findings of one list are one
 * transaction, recorded in import_log with the list's SHA-256 when committed.
 *
 * Every value is checked before it is written, so that a typing slip in the field ("3分",
 * "1.2.5") is refused with its place rather than stored as a wrong number.
 */
#ifndef KAOHE_FINDINGS_H
#define KAOHE_FINDINGS_H

#include "base/strbuf.h"

/* One finding: a spot-check of one item of one subject. */
typedef struct ev_finding {
    const char *id; /* stable across re-imports: a row imported again updates its finding */
    const char *scorecard, *item, *subject_kind, *subject_id, *period;
    const char *answer;       /* 是, 否, 不适用 or 部分 */
    const char *score;        /* points as decimal text ("1.5"); "" or NULL: none. For 部分 */
    const char *note;         /* may be "" */
    const char *inspector;    /* who checked */
    const char *inspected_on; /* YYYY-MM-DD */
} ev_finding;

/* Which value of a finding ev_findings_put refused. */
typedef enum ev_finding_field {
    EV_FINDING_ROW, /* none in particular: the database refused the row */
    EV_FINDING_ANSWER,
    EV_FINDING_SCORE,
    EV_FINDING_INSPECTOR,
    EV_FINDING_DATE
} ev_finding_field;

/* 1 if `answer` is one the finding table takes (是, 否, 不适用, 部分). */
int ev_finding_answer_ok(const char *answer);

/* How a writer of findings treats what it writes, before it commits. */
typedef struct ev_finding_policy {
    /* a finding that clashes with one recorded before (same scorecard, item, subject and
     * period, another id) replaces it; 0: refused (evidence/finding_clash_internal.h) */
    int replace;
    /* called for every finding written (new or updated); non-zero, with err saying what is
     * wrong (not where), refuses the whole import. NULL: no check beyond the schema's */
    int (*check)(void *ud, const ev_finding *f, kh_error *err);
    void *ud;
} ev_finding_policy;

typedef struct ev_findings ev_findings;

/* Opens the evidence database for writing and begins the transaction; at commit the findings
 * written are checked and their clashes settled as `policy` says (NULL: no check, clashes
 * refused). NULL with err. */
ev_findings *ev_findings_begin(const char *evidence_path, const ev_finding_policy *policy,
                               kh_error *err);

/* Checks x and writes it (an existing finding of that id is updated). 0, or -1 with *bad the
 * field refused and err saying what is wrong with it, without saying where (the caller knows
 * the file, row and column it came from). */
int ev_findings_put(ev_findings *f, const ev_finding *x, ev_finding_field *bad, kh_error *err);

/* Checks the findings and settles their clashes (the policy), records `source` (rows read, findings
 * accepted) in import_log and commits; the findings replaced are appended to `replaced`, one line
 * each. Frees f either way. 0, or -1 with err (nothing written). */
int ev_findings_commit(ev_findings *f, const char *source, long read, long accepted,
                       strbuf *replaced, kh_error *err);

/* Rolls back everything put and frees f. */
void ev_findings_abort(ev_findings *f);

#endif
