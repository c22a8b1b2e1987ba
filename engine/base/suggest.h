/*
 * suggest.h — "did you mean …": the nearest of a list of known words to one that was mistyped,
 * for the language's field names, the CLI's commands and options, and kaohe.testing's keys.
 */
#ifndef KAOHE_SUGGEST_H
#define KAOHE_SUGGEST_H

#include <stddef.h>

/* Edit distance (insertions, deletions, substitutions; a swap of two neighbours counts one)
 * between a and b, counted in UTF-8 characters, not bytes. */
size_t kh_edit_distance(const char *a, const char *b);

/* The known word nearest to `typed`, or NULL when none is near enough to be a likely typo:
 * at most 1 edit for words of up to 4 characters, 2 up to 8, 3 beyond (git's rule of thumb).
 * Ties go to the first in the list. */
const char *kh_suggest(const char *typed, const char *const *known, size_t n);

#endif
