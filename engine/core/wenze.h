/*
 * wenze.h — the 问责名单: the 包抓 cadres meeting a 问责情形 of 会宁县 县委办发〔2018〕83号 附件3
 * 五、考核问责 (一) 1–5 (seed 004), each with the evidence. kaohe lists; whether a cadre is held
 * accountable is for the 县委、县政府 to decide by their procedure (every row says so).
 *
 * Built once per run that has the 包抓 card (WENZE_SCORECARD), from that card's results and
 * the evidence's 整改台账 (problem rows on a cadre's villages whose source is marked 通报 or
 * 舆情); kept with the results, written to the results database (table accountability) and
 * the workbook's 问责名单 sheet.
 */
#ifndef KAOHE_WENZE_H
#define KAOHE_WENZE_H

#include <stddef.h>

#include "base/strbuf.h"
#include "evidence/evidence.h"

struct kh_results;
struct scorecard;

#define WENZE_SCORECARD  "huining-bazhua-2018"
#define WENZE_CONCLUSION "符合问责情形，由县委、县政府按程序认定"
/* Condition 5 (其他相关情形) cannot be computed from evidence: an inspector records it as a
 * finding on the cadre, for the 包抓 card, under this item (not an item of the form, so it
 * scores nothing), answer 是 with the 情形 in the note. */
#define WENZE_FINDING_ITEM "问责5"

typedef struct kh_wenze_row {
    char *cadre_id, *name, *department;
    int condition;  /* 1–5, as numbered in 五(一) */
    char *evidence; /* the item and its loss, the problem, or the inspector's finding */
    char *county; /* the county (or counties, 、) of the cadre's 包抓 assignments; "" unknown */
} kh_wenze_row;

typedef struct kh_wenze {
    kh_wenze_row *rows; /* by cadre id, condition, evidence */
    size_t n, cap;
    /* NULL for a single run; for a merge (core never sets it) "" or the note saying which
     * parts carried no list, printed with it */
    char *note;
} kh_wenze;

/* The words of 五(一) `condition` (1–5) as the seed prints them; "" for any other number. */
const char *kh_wenze_condition_text(int condition);

/* "1—5" if a row is under condition 5, else "1—4": the conditions the list's title names. */
const char *kh_wenze_span(const kh_wenze *w);

/* 1 if the rows name more than one county (a merge of counties: the county is then shown). */
int kh_wenze_many_counties(const kh_wenze *w);

/* Appends a row (strings copied) / sorts the rows into list order (cadre, condition, evidence). */
void kh_wenze_add(kh_wenze *w, const kh_wenze_row *x);
void kh_wenze_sort(kh_wenze *w);

/* Whether a finding of scorecard `card` on `item` is a 问责5 finding: 0 if not; 1 if it is
 * and is about a cadre; -1 (err says what is wrong) if it is about another kind. */
int kh_wenze_finding_kind(const char *card, const char *item, const char *kind, kh_error *err);

/* Builds the list into *out (zeroed first) when the run has the 包抓 card; returns 1 if built, 0
 * if the run has no 包抓 card (out left empty), -1 with err set. */
int kh_wenze_build(evidence *ev, struct scorecard **scs, size_t nsc, const struct kh_results *r,
                   kh_wenze *out, kh_error *err);

void kh_wenze_free(kh_wenze *w);

#endif
