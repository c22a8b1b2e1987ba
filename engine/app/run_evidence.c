/*
 * run_evidence.c — the evidence path of a recorded run, resolved. See run_evidence.h.
 */
#include "app/run_evidence.h"

#include <string.h>
#include <unistd.h>

#include "base/strbuf.h"

char *app_run_evidence(const char *results, const char *recorded, const char *given)
{
    if (given)
        return xstrdup(given);
    const char *slash = strrchr(results, '/');
    if (recorded[0] == '/' || !slash) /* absolute, or the results are in this folder */
        return xstrdup(recorded);
    strbuf beside = {0};
    sb_appendn(&beside, results, (size_t)(slash - results) + 1);
    sb_append(&beside, recorded);
    if (access(sb_str(&beside), F_OK) == 0)
        return sb_take(&beside);
    sb_free(&beside);
    return xstrdup(recorded);
}
