/*
 * merge_wenze.c — the parts' 问责名单 joined for a merged run. See merge_wenze.h.
 */
#include "app/merge_wenze.h"

#include <stdlib.h>
#include <string.h>

#include "core/scorecard.h"
#include "core/wenze.h"

static int has_card(const kh_run_outcome *out)
{
    for (size_t i = 0; i < out->nsc; i++)
        if (strcmp(out->scs[i]->id, WENZE_SCORECARD) == 0)
            return 1;
    return 0;
}

int app_merge_wenze(merge_part *parts, size_t n, kh_run_outcome *out, kh_error *err)
{
    if (!has_card(out))
        return 0;
    kh_wenze *w = xcalloc(1, sizeof *w);
    strbuf note = {0};
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        int kept = merge_part_wenze(&parts[i], w, err);
        if (kept == 0)
            sb_printf(
                &note,
                "%s第%zu部分 %s（运行 %lld）由不保存问责名单的 kaohe 写成，其包抓干部未列入本名单，"
                "请用本版本重新运行该部分后再合并",
                note.len ? "；" : "", i + 1, parts[i].path, (long long)parts[i].run);
        rc = kept < 0 ? -1 : 0;
    }
    if (rc != 0) {
        sb_free(&note);
        kh_wenze_free(w);
        free(w);
        return -1;
    }
    kh_wenze_sort(w); /* each part is in list order; their cadres interleave by id */
    w->note = note.len ? sb_take(&note) : xstrdup("");
    out->results.wenze = w;
    return 0;
}
