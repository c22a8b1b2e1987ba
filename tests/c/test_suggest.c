/*
 * test_suggest.c — "did you mean": edit distances worked out by hand, and the cut-off that keeps
 * unrelated words from being suggested.
 */
#include "base/suggest.h"
#include "check.h"

int main(void)
{
    /* acountable → accountable: one insertion (the second c) */
    CHECK(kh_edit_distance("acountable", "accountable") == 1);
    /* rnu → run: u and n swapped, one transposition */
    CHECK(kh_edit_distance("rnu", "run") == 1);
    /* kitten → sitting: k→s, e→i, +g = 3 (the textbook case) */
    CHECK(kh_edit_distance("kitten", "sitting") == 3);
    CHECK(kh_edit_distance("", "abc") == 3);
    CHECK(kh_edit_distance("same", "same") == 0);
    /* counted in characters: 问责主休 → 问责主体 is one substitution, though each is 3 bytes */
    CHECK(kh_edit_distance("问责主休", "问责主体") == 1);

    const char *const fields[] = {"no", "text", "points", "per", "accountable", "rule", "note"};
    size_t n = sizeof fields / sizeof fields[0];
    const char *s = kh_suggest("acountable", fields, n);
    CHECK(s && strcmp(s, "accountable") == 0);
    s = kh_suggest("point", fields, n); /* 5 characters: up to 2 edits; point→points is 1 */
    CHECK(s && strcmp(s, "points") == 0);
    /* nte → note: insert o, 1 edit; → no: 2 (t→o, drop e) and → text, per, rule: 3 */
    s = kh_suggest("nte", fields, n);
    CHECK(s && strcmp(s, "note") == 0);
    /* nothing near: "threshold" is at least 7 edits from every field (text: 7) */
    CHECK(kh_suggest("threshold", fields, n) == NULL);
    /* short words allow only one edit: "xy" is 2 from "no" (two substitutions) */
    CHECK(kh_suggest("xy", fields, n) == NULL);

    const char *const big4[] = {"big4_followups", "sign_rate", "reimburse_ratio"};
    s = kh_suggest("big4_folowups", big4, 3);
    CHECK(s && strcmp(s, "big4_followups") == 0);
    return CHECK_REPORT();
}
