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
} sc_rule;

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
} sc_item;

typedef struct sc_param {
    char *name;
    kh_value value; /* value.s owned */
    char *desc;
} sc_param;

typedef struct sc_grade {
    char *name;
    points_t min;
} sc_grade;

typedef enum sc_mode { MODE_POINTS = 0, MODE_DEDUCTION = 1 } sc_mode;

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
    /* shared sets (language v2 item 6): declared inline and included, in name order */
    sc_set *sets;
    size_t nsets;
} scorecard;

void scorecard_free(scorecard *sc);

const char *sc_mode_name(sc_mode mode);

#endif
