/*
 * syntax_hint.h — where in a scorecard a Lua syntax error is, in the scorecard's own terms: Lua
 * names a line, and an inspector thinks in item numbers.
 */
#ifndef KAOHE_SYNTAX_HINT_H
#define KAOHE_SYNTAX_HINT_H

#include "base/strbuf.h"

/* When err is "PATH:LINE: ..." (Lua's message for a chunk that does not compile), appends
 * " (in item N?)" naming the item whose `item {` is the nearest one at or above LINE in the file
 * (" (in the item at line K?)" when its number is not written before LINE). A guess, hence the
 * question mark: Lua often notices a missing comma or brace a line or two later. Nothing is
 * appended when no item precedes the line or a section heading comes between. */
void sc_syntax_hint(const char *path, kh_error *err);

#endif
