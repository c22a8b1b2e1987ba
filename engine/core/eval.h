/*
 * eval.h — evaluation of scorecards against evidence, producing plain C results.
 *
 * Set-based: each item's query runs once for all subjects and is grouped by subject here, so
 * 300 villages × 26 items is 26 queries, not 7,800. Points stay in exact hundredths. Output
 * order is fixed (scorecard, kind, subject id, item in form order, evidence key), never the
 * order a hash table or a query plan happened to produce.
 *
 * This module knows neither the CLI nor xlsx nor Lua.
 */
#ifndef KAOHE_EVAL_H
#define KAOHE_EVAL_H

#include <stddef.h>
#include <stdio.h>

#include "base/points.h"
#include "base/strbuf.h"
#include "core/scorecard.h"
#include "evidence/evidence.h"

typedef enum kh_status {
    ST_OK = 0,   /* 合格: nothing lost */
    ST_DEDUCTED, /* 扣分 */
    ST_NA,       /* 不适用 */
    ST_PENDING,  /* 待核实: the evidence cannot decide; never scored as 0 or as full points */
} kh_status;

const char *kh_status_code(kh_status s);  /* "ok", "deducted", "na", "pending" */
const char *kh_status_label(kh_status s); /* 合格, 扣分, 不适用, 待核实 */

typedef struct kh_subject {
    char *id;
    char *name;
    char *parent; /* the unit it belongs to, for people reading the report (县 of a 乡镇 ...) */
    char *parent_id; /* village → its township, township → its county; "" otherwise */
} kh_subject;

typedef struct kh_subject_set {
    char *kind;
    kh_subject *items;
    size_t count;
    struct subject_index *index;
    /* subjects v2: how a scorecard declared the listing ("kind = 村卫生室, parent = village"),
     * NULL for the kind's own; filtered: a filter left some of the kind's subjects out, so a
     * query row about one of those is passed over instead of refused */
    char *listing;
    int filtered;
    /* a line the subject's form prints under its title (a cadre's 包抓村), indexed like items;
     * NULL when the kind has none (core/subject_detail.c) */
    char **details;
} kh_subject_set;

typedef struct kh_score {
    size_t sc, item, set, subject;
    points_t max;    /* -1: the form prints no points for the item (deduction mode) */
    points_t points; /* deduction mode: minus what was lost; points mode: what was earned */
    kh_status status;
    int64_t cases;     /* rows found against the subject */
    int64_t nevidence; /* causing rows behind it: its deductions' keys (kh_key_count) */
    int veto;          /* a veto item failed: the grade is the veto grade whatever the points */
    char *reason;
} kh_score;

/* A loss and the evidence behind it. `key` names the row of `table` (per_case: one deduction
 * per case); for an all-or-nothing item (check, deduct_if, rate_at_least) the loss is recorded
 * once per subject and `key` lists every causing row, sorted, joined with KH_KEY_SEP
 * (core/cause_keys.c). */
typedef struct kh_deduction {
    size_t sc, item, set, subject;
    points_t points;
    char *table;
    char *key;
    char *reason;
    char
        *rows; /* the causing rows labelled, bounded (evidence/cause_rows.h), for 扣分明细's
                  证据（行）; NULL where none was read (a link's loss, an older results database) */
} kh_deduction;

/* Between the keys of the rows behind one all-or-nothing loss. */
#define KH_KEY_SEP "、"

/* How many causing rows a deduction's key names: 1 + its separators (cause_keys.c). What the
 * 整改台账 counts as a loss's evidence (kh_score.nevidence). */
int64_t kh_key_count(const char *key);

typedef struct kh_total {
    size_t sc, set, subject;
    points_t total;
    int pending; /* items 待核实; for a roll-up, members with items 待核实 */
    int vetoed;  /* items vetoed; the grade is the veto grade */
    int members; /* roll-ups only: the members its value is computed from (fully scored
                    subjects of the scorecard's kind below it, or for mean_of_means the
                    units one level down that have a value); 0: no value (待核实) */
    int rollup;  /* 1: computed from the subjects below (core/rollup.c), not a form of its own */
    char *grade; /* NULL when the scorecard has no grade bands */
    int rank;    /* 1 = best within (scorecard, kind); ties share a rank; 0 = not ranked
                    (待核实 items, or no scored member) */
    /* language v2, roll-up policy: */
    int members_total; /* roll-ups only: members assessed, scored or 待核实 ("10 村中 5 村已评分":
                          members_total 10, members_total - pending 5) */
} kh_total;

typedef struct kh_override {
    char *name;
    char *value;
    int used;
} kh_override;

/* Called before each item is evaluated (done = items finished so far, of total over all
 * scorecards), and once more at the end with done == total. */
typedef void (*kh_progress_fn)(void *ud, const char *scorecard, const char *item, size_t done,
                               size_t total);

struct kh_results;

/* Offered every deduction held so far after each item (this item's sorted, the earlier ones
 * as they were): returns 0 if it took them (they are freed and counted in nstreamed), 1 to
 * leave them in memory, or -1 with err set (the run stops). */
typedef int (*kh_deduction_sink)(void *ud, const struct kh_results *r, const kh_deduction *d,
                                 size_t n, kh_error *err);

typedef struct kh_run_input {
    const char *period; /* "2018" */
    kh_override *overrides;
    size_t noverrides;
    kh_progress_fn progress; /* may be NULL */
    void *progress_ud;
    kh_deduction_sink sink; /* NULL: deductions are kept in kh_results.deductions */
    void *sink_ud;
    /* jobs > 1: items evaluated by that many worker threads, each opening evidence_path
     * read-only (query_steps: its budget, 0 = default); the results are the same */
    int jobs;
    const char *evidence_path;
    uint64_t query_steps;
    unsigned query_seconds; /* a query's time limit (0 = default) */
    /* the most deduction rows one item may give (0: no bound). Spilling to the sink happens
     * between items (the item's rows are sorted first), so this bounds the memory one item
     * holds: a per-case query giving 10^8 rows is refused, not kept (issue 18 item 2) */
    size_t item_deductions_max;
    /* issue 19 item 4, core/schedule.h: with jobs > 1, the items are started longest first by
     * item_cost (one estimate in seconds per item of every scorecard, in form order; < 0: none;
     * NULL: form order). item_cpu, when given (same length), receives each item's measured CPU
     * seconds once evaluation succeeded: the next run's estimate. Neither changes a result. */
    const double *item_cost;
    double *item_cpu;
} kh_run_input;

/* Records read in order without holding them all: a merged province run streams its
 * deductions (millions of rows) and, over several counties, its lost scores from the results
 * database instead of keeping arrays. One type for both, so that one walk (kh_iter) reads
 * either. */
typedef struct kh_source {
    size_t count; /* deductions: how many it yields (the report counts them before walking) */
    /* start again from the first record; 0, or -1 with err set */
    int (*rewind)(void *ud, kh_error *err);
    /* 1: the next record is in *rec (a kh_deduction or a kh_score as the source reads; its
     * strings valid until the next call), 0: no more, -1: err set */
    int (*next)(void *ud, void *rec, kh_error *err);
    void *ud;
} kh_source;

typedef struct kh_results {
    char *period;
    kh_subject_set sets[SC_MAX_KINDS];
    size_t nsets;
    kh_score *scores;
    size_t nscores, capscores;
    kh_deduction *deductions;
    size_t ndeductions, capdeductions;
    const kh_source *dsrc; /* non-NULL: the deductions are here, not in the array */
    size_t nstreamed;      /* deductions written straight to the results database, not kept */
    /* a merge over several counties streams the scores as well: then scores is empty, their
     * count is nscores_streamed, and the report reads them (the lost items) from ssrc */
    size_t nscores_streamed;
    const kh_source *ssrc;
    kh_total *totals;
    size_t ntotals, captotals;
    strbuf params_text; /* "scorecard.param=value; ..." as applied, for the manifest */
    /* shared sets (language v2 item 6): each set the run made, once, in the order made
     * (core/sets.h) */
    struct kh_set_run *set_runs;
    size_t nset_runs, capset_runs;
    /* eval.c's bound on one item's deductions: where they start, the bound, and how many rows
     * past it were dropped (the item then fails) */
    size_t item_from, item_max, item_dropped;
    /* the 问责名单 (core/wenze.h) when the run has the 包抓 card (a merge: the parts' lists,
     * app/merge_wenze.h); NULL otherwise */
    struct kh_wenze *wenze;
} kh_results;

/* Evaluates every scorecard. Returns 0, or -1 with err naming file, line and item. */
int kh_evaluate(evidence *ev, scorecard **scs, size_t nsc, const kh_run_input *in, kh_results *out,
                kh_error *err);

/* Checks a scorecard against the evidence schema without running it: every query prepares,
 * binds only known parameters, and returns the columns its rule needs. */
int kh_check_scorecard(evidence *ev, const scorecard *sc, const char *period, kh_error *err);

/* The scorecard's queries as a sqlite3-shell script, parameters bound (bench/'s SQL floor). */
int kh_print_sql(const scorecard *sc, const char *period, FILE *out, kh_error *err);

void kh_results_free(kh_results *r);

/* How many deductions the results hold (the array's, or the source's). */
size_t kh_results_ndeductions(const kh_results *r);

/* The one walk over records held either in an array or in a source (kh_source): the report
 * reads deductions and scores through it without knowing which. The pointer returned is valid
 * until the next call; NULL at the end or on a source error (then failed is set, and err says
 * why). */
typedef struct kh_iter {
    const char *array; /* the records, when src is NULL */
    size_t n, size;
    const kh_source *src;
    size_t i;
    union {
        kh_deduction d;
        kh_score s;
    } cur; /* where a source puts its current record */
    int failed;
    kh_error err;
} kh_iter;
const void *kh_iter_first(kh_iter *it, const void *array, size_t n, size_t size,
                          const kh_source *src);
const void *kh_iter_next(kh_iter *it);

/* kh_iter over r's deductions (the array's, or the source's). */
const kh_deduction *kh_deductions_first(kh_iter *it, const kh_results *r);
const kh_deduction *kh_deductions_next(kh_iter *it);

/* For building results that were not evaluated here (merging): index a set's subjects by id
 * once they are all in, sort scores into (scorecard, kind, subject, item) order, and the
 * order in which kh_evaluate lists the kinds of subjects of these scorecards (so a merged
 * run numbers its sets exactly as a single run does). */
void kh_subject_set_index(kh_subject_set *set);
void kh_results_sort_scores(kh_results *r);
size_t kh_run_kinds(scorecard **scs, size_t nsc, const char *kinds[SC_MAX_KINDS]);

/* After a scorecard's scores are in (scores[first_score..], sorted by kind, subject, item):
 * its totals and grades, the roll-ups up the chain village → township → county → city (the
 * sets of those levels must be in `out`), and the ranks. Needs no evidence: merging shards
 * calls it on results read back from results databases, so a merged run and a single run
 * compute totals, roll-ups and ranks with the same code. */
void kh_finish_scorecard(const scorecard *sc, size_t sci, kh_results *out, size_t first_score);

/* The pieces of it, for a merge that streams the scores instead of holding them: one subject's
 * total and grade from its items' sum, pending and vetoed counts (totals of a scorecard must
 * be added in (kind, subject) order); then roll-ups and ranks over totals[first_total..]. */
void kh_add_total(const scorecard *sc, size_t sci, kh_results *out, size_t set, size_t subject,
                  points_t total, int pending, int vetoed);
void kh_finish_totals(const scorecard *sc, size_t sci, kh_results *out, size_t first_total);

/* For printing a roll-up (core/rollup.c): the kind its members are (the scorecard's own kind,
 * or for mean_of_means the level below `kind`), and what its value is: 平均, 合计 or 最低. */
const char *kh_rollup_member_kind(const scorecard *sc, const char *kind);
const char *kh_rollup_label(const scorecard *sc);

/* Scores: how many, and kh_iter over them in order (the array's, or the source's). */
size_t kh_results_nscores(const kh_results *r);
const kh_score *kh_scores_first(kh_iter *it, const kh_results *r);
const kh_score *kh_scores_next(kh_iter *it);

/* The set of subjects of `kind` in r, or -1; a subject's index in a set by id, or -1. */
long kh_results_set(const kh_results *r, const char *kind);
long kh_subject_find(const kh_subject_set *set, const char *id);

/* More than one county listed: a provincial run. Its workbook is the provincial report, and
 * a merge streams its scores instead of holding them (the two go together: the full workbook
 * needs every score in memory). */
int kh_results_many_counties(const kh_results *r);

/* Period → the host parameters (:period, :period_start, :period_end, :year). */
int kh_period_params(const char *period, char start[11], char end[11], int *year, kh_error *err);

#endif
