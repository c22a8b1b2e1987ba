/*
 * kinds.h — the kinds of subject a scorecard can assess, in one table.
 *
 * Every part of kaohe that names a kind of subject reads it here: the scorecard language
 * (which kinds a scorecard may declare, and in which order they are listed: lua/loader.c hands
 * the table to dsl.lua as host.kinds), evaluation (how a kind's subjects are listed from the
 * evidence, and the chain a roll-up climbs), and the reports (what a form calls the subject).
 * A new kind is one row of KH_KINDS.
 */
#ifndef KAOHE_KINDS_H
#define KAOHE_KINDS_H

#include <stddef.h>

typedef struct kh_kind {
    const char *name;  /* as scorecards, the evidence tables and the query columns name it */
    const char *label; /* as forms and summaries print it: 县, 乡镇 … */
    /* the kind one level up the administrative chain (through each subject's parent_id), to
     * which subjects' totals can be averaged; NULL at the top and for kinds outside the chain */
    const char *parent;
    /* the query listing the subjects: id, name, the unit it belongs to (for people reading the
     * report), parent_id */
    const char *sql;
    /* subjects v2 (declared filters and parents): the kind's rows as a SELECT whose columns are
     * id, name, unit, up (as `sql`'s four) followed by every column a scorecard's filter may
     * name (`filters`) and, named after the kind, the id of each parent a scorecard may declare
     * (`parents`); NULL when the kind takes neither. core/subjects.c builds the listing from it. */
    const char *rows_sql;
    const char *filters; /* "kind in_county": the filterable columns, space-separated */
    const char *parents; /* "village township county": the parents a scorecard may declare */
    /* the values an enumerated filter column takes ("kind=省级医院|…;"), so that a misspelt one is
     * refused with a suggestion instead of listing nothing; a column not named here takes any */
    const char *values;
} kh_kind;

#define KH_NKINDS 7

/* In the order a scorecard's subjects are listed, whatever order it declares them in: the
 * administrative chain from the top down, then the kinds outside it. */
extern const kh_kind KH_KINDS[KH_NKINDS];

/* The kind named `name`, or NULL. */
const kh_kind *kh_kind_find(const char *name);

/* The label of `name` (county → 县); the name itself for a kind not in the table. */
const char *kh_kind_label(const char *name);

/* The kind one level up from `name` in the chain, or NULL. */
const char *kh_kind_parent(const char *name);

/* The levels a roll-up from `name` to `to` climbs, in order: name's parent, its parent … up to
 * and including `to`. Their number, 0 when `to` is not above `name` in the chain (or either
 * is not in it). */
size_t kh_kind_chain(const char *name, const char *to, const char *levels[KH_NKINDS]);

/* 1 if some kind's parent is `name`: a unit that subjects below it can be averaged into. */
int kh_kind_has_members(const char *name);

/* subjects v2: 1 if `word` is one of the space-separated words of `list` (a kind's filters or
 * parents); the values of the enumerated filter `column` of `k` ('|'-separated, NULL: any). */
int kh_word_in(const char *list, const char *word);
const char *kh_kind_values(const kh_kind *k, const char *column, char *buf, size_t size);

#endif
