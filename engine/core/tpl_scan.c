/*
 * tpl_scan.c — the one reading of reason templates ("{name} 于 {admitted_on} 住院"): a run
 * compiles them against its query's columns (eval.c), `kaohe check` compares their names with
 * the columns a query would return (check.c). See check_internal.h.
 */
#include <string.h>

#include "core/check_internal.h"

const char *tpl_next(const char *s, const char **open, char name[TPL_NAME_MAX])
{
    const char *o = strchr(s, '{');
    const char *close = o ? strchr(o, '}') : NULL;
    if (!o || !close)
        return NULL;
    size_t len = (size_t)(close - o - 1);
    if (len >= TPL_NAME_MAX)
        len = TPL_NAME_MAX - 1;
    memcpy(name, o + 1, len);
    name[len] = '\0';
    *open = o;
    return close + 1;
}
