/*
 * subject_detail.c — a line a subject's filled-in form prints under its title, read from the
 * evidence once per run: today a 包抓 cadre's assigned villages ("柴家门镇：鸡儿嘴村、小西村"),
 * which the form's items are judged over (附表3-2/3-3/3-4) and which the printed form names
 * nowhere else. Kinds without a detail query get none (set->details stays NULL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"

/* One row per cadre with an assignment in :year: the townships in id order, each with its
 * villages in id order, or 全镇各村 for a whole-township assignment. */
static const char CADRE_VILLAGES[] =
    "WITH a AS (SELECT DISTINCT a.cadre_id, t.id AS tid, t.name AS tname, "
    "  coalesce(v.id, '') AS vid, coalesce(v.name, '全镇各村') AS vname "
    "  FROM cadre_assignment a JOIN township t ON t.id = a.township_id "
    "  LEFT JOIN village v ON v.id = a.village_id WHERE a.year = :year), "
    "per_t AS (SELECT cadre_id, tid, tname || '：' || group_concat(vname, '、') AS text "
    "  FROM (SELECT * FROM a ORDER BY cadre_id, tid, vid) GROUP BY cadre_id, tid) "
    "SELECT cadre_id, group_concat(text, '；') "
    "FROM (SELECT * FROM per_t ORDER BY cadre_id, tid) GROUP BY cadre_id";

static const struct {
    const char *kind, *label, *sql;
} DETAILS[] = {{"cadre", "包抓村", CADRE_VILLAGES}};

struct detail_read {
    kh_subject_set *set;
    const char *label;
};

/* One row (subject id, text): the subject's line, "包抓村：…". */
static int detail_row(void *ud, ev_cursor *c)
{
    struct detail_read *d = ud;
    long k = kh_subject_find(d->set, ev_text(c, 0));
    if (k >= 0 && !d->set->details[k]) {
        strbuf sb = {0};
        sb_printf(&sb, "%s：%s", d->label, ev_text(c, 1));
        d->set->details[k] = sb_take(&sb);
    }
    return 0;
}

int kh_subject_details(evidence *ev, kh_subject_set *set, const kh_param *params, size_t nparams,
                       kh_error *err)
{
    struct detail_read d = {set, NULL};
    const char *sql = NULL;
    for (size_t i = 0; i < sizeof DETAILS / sizeof DETAILS[0]; i++)
        if (strcmp(DETAILS[i].kind, set->kind) == 0) {
            sql = DETAILS[i].sql;
            d.label = DETAILS[i].label;
        }
    if (!sql || set->count == 0)
        return 0;
    char where[96];
    snprintf(where, sizeof where, "listing what %s subjects answer for:", set->kind);
    set->details = xcalloc(set->count, sizeof *set->details);
    return ev_host_rows(ev, sql, params, nparams, where, detail_row, &d, err);
}
