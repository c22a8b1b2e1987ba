/*
 * caps.h — scorecard language v2: caps and floors on sections and on the whole form.
 *
 * `section "x" { cap = 10 }` is the most the section's items together can lose ("本部分扣完为
 * 止", "最多扣10分"); `floor = 0` (points mode) the least the section can score, which is the
 * same limit put as the section's points minus the floor. The same two fields on the scorecard
 * limit the whole form.
 *
 * A limit is applied to the items' scores, not to the total: taken in form order, each item of a
 * capped part loses what it would until the part's limit is reached; the item that reaches it
 * loses only what is left and the items after it lose nothing, each saying so in its reason
 * ("本部分扣分已达上限10分，本项实扣2分"); its deductions are cut the same way (listed, at 0
 * points past the limit). This is how a per_case cap already works, and it keeps the
 * invariants every reader of the results relies on: a subject's total is the sum of its items'
 * points, an item's loss the sum of its deductions — so a merge of shards, which sums the
 * stored scores, gets the capped total without knowing about caps.
 */
#ifndef KAOHE_CAPS_H
#define KAOHE_CAPS_H

#include <stddef.h>

#include "core/eval.h"
#include "core/scorecard.h"

typedef struct kh_caps kh_caps;

/* What section `section_no` (1-based; 0 = the whole form) is worth: its items' points added
 * up (items without points, in deduction mode, count 0). */
points_t kh_section_points(const scorecard *sc, size_t section_no);

/* One scorecard's ledger for a run: per subject, what each limited part has lost so far. Made
 * after kh_bind_amounts (the limits are read then). NULL when nothing is limited. */
kh_caps *kh_caps_new(const scorecard *sc);

/* Applies the limits to one item's scores (out->scores[first_score..]) and its deductions
 * (out->deductions[first_deduction..], sorted as eval.c sorts an item's). Items must be
 * applied in form order, before their deductions leave memory. Does nothing with caps NULL. */
void kh_caps_apply(kh_caps *caps, kh_results *out, size_t first_score, size_t first_deduction);

void kh_caps_free(kh_caps *caps);

#endif
