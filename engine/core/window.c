/*
 * window.c — an item's time window and years. See window.h.
 */
#include "core/window.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/parse.h"

/* Parameter `name`'s value in *val (NULL when not bound), and its text when it is text. */
static const char *param_text(const kh_param *v, size_t n, const char *name, const kh_value **val)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0) {
            *val = &v[i].value;
            return v[i].value.type == KH_TEXT ? v[i].value.s : NULL;
        }
    *val = NULL;
    return NULL;
}

/* One date of the window: `given` (a date, or a parameter's name: the language tells them
 * apart by the leading digit) or, when not given, `fallback`. */
static int window_date(const scorecard *sc, const sc_item *it, const char *given, const char *field,
                       const char *fallback, const kh_param *v, size_t n, char out[11],
                       kh_error *err)
{
    if (!given) {
        snprintf(out, 11, "%s", fallback);
        return 0;
    }
    if (given[0] >= '0' && given[0] <= '9') { /* the language checked it is a date */
        snprintf(out, 11, "%s", given);
        return 0;
    }
    const kh_value *val = NULL;
    const char *text = param_text(v, n, given, &val);
    if (text && kh_parse_date(text, out) == 0)
        return 0;
    char num[64] = "";
    if (val && val->type == KH_INT)
        snprintf(num, sizeof num, "%lld", (long long)val->i);
    else if (val && val->type == KH_REAL)
        snprintf(num, sizeof num, "%.15g", val->r);
    kh_seterr(err, "%s:%d: item %s: --param %s=%s: '%s' must be a date such as 2018-06-29",
              sc->path, it->line, it->no, given, text ? text : num, field);
    return -1;
}

int kh_item_window(const scorecard *sc, const sc_item *it, const kh_param *v, size_t n,
                   kh_window *w, kh_error *err)
{
    const kh_value *year = NULL;
    const char *start = param_text(v, n, "period_start", &year);
    const char *end = param_text(v, n, "period_end", &year);
    param_text(v, n, "year", &year);
    char why[160];
    sc_item period_only = {.no = it->no, .line = it->line};
    if (year && year->type == KH_INT && !kh_item_applies(it, (int)year->i, why, sizeof why))
        it = &period_only; /* not run in this period, only prepared (check): the period's window */
    if (window_date(sc, it, it->from, "from", start ? start : "", v, n, w->from, err) != 0 ||
        window_date(sc, it, it->until, "to", end ? end : "", v, n, w->until, err) != 0 ||
        window_date(sc, it, it->by, "by", w->until, v, n, w->by, err) != 0)
        return -1;
    if (strcmp(w->from, w->until) > 0) {
        kh_seterr(err,
                  "%s:%d: item %s: its window from %s to %s is empty (a task of other years? "
                  "give the item years = { ... })",
                  sc->path, it->line, it->no, w->from, w->until);
        return -1;
    }
    return 0;
}

kh_param *kh_item_params(const kh_param *v, size_t n, const kh_window *w)
{
    kh_param *all = xcalloc(n + 3, sizeof *all);
    if (n)
        memcpy(all, v, n * sizeof *all);
    all[n] = (kh_param){"item_from", {.type = KH_TEXT, .s = w->from}};
    all[n + 1] = (kh_param){"item_until", {.type = KH_TEXT, .s = w->until}};
    all[n + 2] = (kh_param){"item_by", {.type = KH_TEXT, .s = w->by}};
    return all;
}

int kh_item_applies(const sc_item *it, int year, char *why, size_t size)
{
    if (!it->nyears)
        return 1;
    size_t len = 0;
    why[0] = '\0';
    for (size_t i = 0; i < it->nyears; i++) {
        if (it->years[i] == year)
            return 1;
        if (len < size)
            len += (size_t)snprintf(why + len, size - len, "%s%d", i ? "、" : "", it->years[i]);
    }
    if (len < size)
        snprintf(why + len, size - len, "年任务，本考核期不适用");
    return 0;
}
