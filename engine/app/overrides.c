/*
 * overrides.c — see overrides.h. Evaluation (core/eval.c) refuses an undeclared parameter
 * too, but only after every item has run; checking first answers a typo at once, and with
 * the nearest declared name.
 */
#include "app/overrides.h"

#include <stdlib.h>
#include <string.h>

#include "base/suggest.h"

/* Whether some scorecard declares `name`. */
static int declared(const char *name, scorecard *const *scs, size_t nsc)
{
    for (size_t si = 0; si < nsc; si++)
        for (size_t p = 0; p < scs[si]->nparams; p++)
            if (strcmp(scs[si]->params[p].name, name) == 0)
                return 1;
    return 0;
}

/* The refusal of `name`, with the nearest declared parameter and the list of all, each once. */
static void refuse(const char *name, scorecard *const *scs, size_t nsc, kh_error *err)
{
    size_t n = 0;
    for (size_t si = 0; si < nsc; si++)
        n += scs[si]->nparams;
    const char **known = xcalloc(n ? n : 1, sizeof *known);
    strbuf list = {0};
    n = 0;
    for (size_t si = 0; si < nsc; si++)
        for (size_t p = 0; p < scs[si]->nparams; p++) {
            const char *name_p = scs[si]->params[p].name;
            size_t k = 0;
            while (k < n && strcmp(known[k], name_p) != 0)
                k++;
            if (k < n) /* declared by an earlier scorecard too: listed once */
                continue;
            known[n++] = name_p;
            sb_printf(&list, "%s%s", list.len ? ", " : "", name_p);
        }
    const char *near = kh_suggest(name, known, n);
    kh_seterr(err,
              "--param %s: no scorecard in this run declares a parameter %s (%s%s%sdeclared: %s)",
              name, name, near ? "did you mean '" : "", near ? near : "", near ? "'? " : "",
              list.len ? sb_str(&list) : "none");
    sb_free(&list);
    free(known);
}

int kh_check_overrides(const kh_override *ov, size_t nov, scorecard *const *scs, size_t nsc,
                       kh_error *err)
{
    for (size_t j = 0; j < nov; j++)
        if (!declared(ov[j].name, scs, nsc)) {
            refuse(ov[j].name, scs, nsc, err);
            return -1;
        }
    return 0;
}
