/*
 * check_internal.h — what `kaohe check` (core/check.c) shares with evaluation (core/eval.c),
 * for the files of core/ only: the host parameters as a run binds them, the findings check, and
 * the reading of reason templates, so that check refuses exactly what a run would refuse.
 */
#ifndef KAOHE_CHECK_INTERNAL_H
#define KAOHE_CHECK_INTERNAL_H

#include "core/eval.h"

/* The parameters of one scorecard as bound to its queries: the host's (:period, :period_start,
 * :period_end, :year), then the scorecard's params with any --param override applied. */
typedef struct bound_params {
    kh_param *v;
    size_t n;
    char start[11], end[11];
    char **owned;
    size_t nowned;
} bound_params;

/* Binds sc's parameters for `period` (in: the overrides, may be NULL; applied: where the values
 * as used are listed for the manifest, may be NULL). 0, or -1 with err set; bound_free either
 * way. */
int bind_for(const scorecard *sc, const char *period, const kh_run_input *in, bound_params *b,
             strbuf *applied, kh_error *err);
void bound_free(bound_params *b);

/* Every finding recorded for sc (in `period`, or in any period when it is NULL) belongs to one
 * of its finding items and kinds; -1 with err naming the first that does not. */
int check_findings(evidence *ev, const scorecard *sc, bound_params *params, const char *period,
                   kh_error *err);

/* The longest placeholder name a reason template may use (longer ones are cut). */
#define TPL_NAME_MAX 128

/* The next placeholder "{name}" of a reason template at or after s: *open is set to its '{',
 * its name (what lies between the braces, cut to TPL_NAME_MAX - 1 bytes) copied to `name`, and
 * the character after its '}' returned. NULL when there is none (no '{', or no '}' after it):
 * the rest of the text is literal. */
const char *tpl_next(const char *s, const char **open, char name[TPL_NAME_MAX]);

#endif
