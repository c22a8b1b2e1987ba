/*
 * scorecard.h — a scorecard as plain C data.
 *
 * The scorecard language (scripts/kaohe/dsl.lua) describes and checks; lua/loader.c runs a
 * scorecard file in the sandbox and turns its declaration into the structs below, so that
 * evaluation (eval.c) never touches Lua.
 */
#ifndef KAOHE_SCORECARD_H
#define KAOHE_SCORECARD_H

#include <stddef.h>

#include "base/points.h"
#include "base/strbuf.h"
#include "core/kinds.h"
#include "evidence/evidence.h"

typedef enum sc_rule_kind {
    RULE_PER_CASE = 1, /* 每发现1人次扣X分: one deduction per row of `sql` */
    RULE_DEDUCT_IF,    /* one row per subject; deduct `each` where `failed` (or not `passed`) */
    RULE_FINDING,      /* the inspector's 是/否/不适用/部分 in the finding table */
    RULE_RATE,         /* one row per subject with num, den: passes when num/den >= threshold */
} sc_rule_kind;

typedef enum sc_when_none {
    NONE_NA = 0,  /* nothing to assess (den = 0): 不适用, full points */
    NONE_PENDING, /* nothing to assess means the evidence is missing: 待核实 */
} sc_when_none;

typedef struct sc_rule {
    sc_rule_kind kind;
    int line;
    points_t each; /* per case (per_case) or once (deduct_if) */
    points_t cap;  /* per_case: most that can be lost on the item; -1 = no cap */
    char *sql;
    char *evidence_table; /* the table the `key` column names rows of */
    char *evidence_sql;   /* deduct_if: rows (subject column, key) behind a failure */
    char *reason;         /* template with {column} placeholders */
    char *ok_reason;
    char *na_reason;
    /* finding */
    points_t yes_points, no_points; /* -1: the item's points / 0 */
    int allow_partial;              /* 部分 with a score between 0 and the item's points */
    /* rate */
    char *threshold_param; /* the parameter holding the threshold, e.g. sign_rate */
    double threshold;      /* used when threshold_param is NULL */
    sc_when_none when_none;
    /* kaohe check (language v2, item 9): the rule as written ("check" and "deduct_if" are both
     * RULE_DEDUCT_IF), for check's messages; a static string, never freed */
    const char *written;
    /* Scorecard language v2, parameters everywhere: the parameter an amount is bound from at run
     * time (each/deduct, cap, yes, no), NULL when written as a number. The amount fields above
     * hold the parameter's value (its default until kh_bind_amounts binds the run's). */
    char *each_param, *cap_param, *yes_param, *no_param;
    /* subjects v2, findings about a related subject: finding { of = "institution", via = [[…]] }
     * takes each subject's answer from the finding on the `of` subject that the `via` query
     * (columns: the form's kind, and `of`) links it to; NULL when the finding is the subject's
     * own. when_none says what a subject the query links to nothing is (default 待核实). */
    char *of, *via;
} sc_rule;

/* Linked items (language v2): how an item's outcome follows another item's, applied after
 * every item's own evaluation (core/links.c). */
typedef enum sc_link_kind {
    LINK_VETO = 1, /* veto_if_failed: the source failed → this item fails and vetoes */
    LINK_ZERO,     /* zero_if_failed: the source failed → this item scores 0 (不予得分) */
    LINK_NA,       /* na_if_na: the source is 不适用 → so is this item */
} sc_link_kind;

typedef struct sc_link {
    sc_link_kind kind;
    char *no;      /* the source item's number as printed */
    size_t source; /* the source item's index in scorecard.items */
} sc_link;

typedef struct sc_item {
    char *no; /* as printed: "4.2", "13" */
    char *text;
    char *per; /* unit of deduction as printed, e.g. 每发现1人次 */
    char *accountable;
    char *note;
    char *section;
    points_t points; /* 分值; -1 when the form prints none (deduction mode) */
    int line;
    int veto; /* failing this item sets the grade to the veto grade (差) whatever the points */
    sc_rule rule;
    /* scorecard and section notes (考核评价, strict declarations): the note of the item's
     * section, as `section "…" { note = "…" }` declares it; NULL when none */
    char *section_note;
    /* Scorecard language v2, caps: 1 + the index of the item's section in sc->sections; 0 when
     * the item is not in a section. */
    size_t section_no;
    /* Scorecard language v2, time windows: each a date "2018-06-29" or the name of a parameter
     * holding one, NULL when not given (from/until default to the period's start and end, by to
     * its end); bound as :item_from, :item_until, :item_by (core/window.h). */
    char *from, *until, *by;
    int *years; /* the only years the item applies in ("2019年" tasks); NULL = every year */
    size_t nyears;
    /* language v2, linked items and mixed levels */
    sc_link *links; /* the other items this item's outcome follows (core/links.c) */
    size_t nlinks;
    unsigned for_kinds; /* bit k: the item is scored for scorecard.kinds[k]; 0: for every kind */
    /* the bundled forms as printed (issue 14): the clauses of a computed item its query reads
     * from findings on the item's own number ("医保基金60%总额预付"); NULL when none. Findings
     * on a computed item are refused unless it declares this. */
    char *finding_clause;
} sc_item;

typedef struct sc_param {
    char *name;
    kh_value value; /* value.s owned */
    char *desc;
} sc_param;

typedef struct sc_grade {
    char *name;
    points_t min;
    /* grades as declared policy: the parameter the minimum is bound from (its default until
     * kh_bind_amounts binds the run's value), NULL when written as a number */
    char *min_param;
} sc_grade;

/* Scorecard language v2, caps: how much a section, or the whole form, can lose. */
typedef struct sc_limits {
    int has_cap, has_floor;
    points_t cap; /* the most its items together can lose ("本部分扣完为止", "最多扣10分") */
    points_t floor;                /* points mode: the least it can score */
    char *cap_param, *floor_param; /* bound at run time like the rules' amounts; NULL = none */
} sc_limits;

/* Scorecard language v2, caps: a section of the form, `section "x" { cap = …, floor = … }`. */
typedef struct sc_section {
    char *title;
    int line;
    sc_limits limits;
} sc_section;

typedef enum sc_mode { MODE_POINTS = 0, MODE_DEDUCTION = 1 } sc_mode;

/* How a roll-up computes a unit's value from its members (language v2, core/rollup.c). */
typedef enum sc_rollup_by {
    ROLLUP_MEAN = 0,      /* mean of the fully scored subjects below (the default) */
    ROLLUP_MEAN_OF_MEANS, /* mean of the level below's roll-up values */
    ROLLUP_SUM,           /* sum of the subjects' totals */
    ROLLUP_MIN,           /* the lowest subject's total */
} sc_rollup_by;

/* shared sets (language v2 item 6): a named SELECT over the evidence that the host makes once
 * per run, before any item, as the table sets.NAME (core/sets.h) */
typedef struct sc_set {
    char *name;
    char *sql;
    char **index; /* one index each: "col" or "col1, col2" */
    size_t nindex;
    char *file;      /* where it is declared: the scorecard, or the shared file it includes */
    int line;        /* of `NAME =` in that file */
    char sha256[65]; /* the shared file's hash; "" when declared in the scorecard itself */
} sc_set;

void sc_set_free(sc_set *set); /* its strings; not the struct */

#define SC_MAX_KINDS KH_NKINDS /* a scorecard lists each kind of core/kinds.h at most once */

/* subjects v2: a filter on the subjects a scorecard lists, `kind = "村卫生室"` (one value) or
 * `kind = { "乡镇卫生院", "社区卫生服务中心" }` (any of them); a column of the kind's rows_sql. */
typedef struct sc_filter {
    char *column;
    kh_value *values; /* KH_TEXT (value.s owned) or KH_INT */
    size_t nvalues;
} sc_filter;

/* subjects v2: how a scorecard lists one of its kinds: its filters, and the parent its subjects
 * roll up to (a kind of the kind's `parents`); all empty: the kind's own listing. */
typedef struct sc_listing {
    char *parent;
    sc_filter *filters;
    size_t nfilters;
} sc_listing;

typedef struct scorecard {
    char *path; /* as the user gave it */
    char sha256[65];
    char *id, *title, *source, *period;
    char *short_title; /* for sheet tabs: "五督"; defaults to the id */
    sc_mode mode;
    points_t total; /* -1 when not declared */
    char *kinds[SC_MAX_KINDS];
    int nkinds;
    char *rollups[SC_MAX_KINDS]; /* kinds the subjects' totals are averaged up to */
    int nrollups;
    char *veto_grade; /* default 差 */
    sc_item *items;
    size_t nitems;
    sc_param *params;
    size_t nparams;
    sc_grade *grades;
    size_t ngrades;
    /* scorecard and section notes (考核评价, strict declarations): the note on the whole form,
     * `scorecard { note = "…" }`; NULL when none */
    char *note;
    /* Scorecard language v2, caps: the sections in form order, and the same limits on the whole
     * form (cap: the most the form can lose; floor, points mode: the least its total can be). */
    sc_section *sections;
    size_t nsections;
    sc_limits limits;
    int line; /* where `scorecard {` is written, for messages about the form's own fields */
    /* language v2, roll-up policy */
    sc_rollup_by rollup_by;
    int rollup_pending; /* 1: a roll-up with any 待核实 member is itself 待核实; 0: excluded */
    /* shared sets (language v2 item 6): declared inline and included, in name order */
    sc_set *sets;
    size_t nsets;
    /* grades as declared policy: where the grade bands come from, printed on every form
     * beside the grade; NULL when the scorecard declares no bands */
    char *grade_source;
    /* the bundled forms as printed (issue 14): where the form's reading table is (item, printed
     * text, what is computed, population, window, why), e.g. "docs/forms/wudu_2018.md"; NULL
     * when not declared. Named on the workbook's 运行信息 sheet. */
    char *reading;
    /* subjects v2: how each kind (kinds[k]) is listed: filters and a declared parent */
    sc_listing listing[SC_MAX_KINDS];
} scorecard;

void scorecard_free(scorecard *sc);

/* 1 if item `it` is scored for the scorecard's kind number k (its `subjects`, or every kind). */
int sc_item_for(const sc_item *it, int k);

const char *sc_mode_name(sc_mode mode);

/* subjects v2: the levels a roll-up of the scorecard's subjects to `to` climbs (its declared
 * parent first, when it declares one), as kh_kind_chain; 0 when `to` is not above. */
size_t sc_kind_chain(const scorecard *sc, const char *to, const char *levels[KH_NKINDS]);

#endif
