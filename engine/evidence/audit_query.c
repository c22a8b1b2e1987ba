/*
 * audit_query.c — the evidence queries of sample and explain. See audit_query.h.
 */
#include "evidence/audit_query.h"

#include <sqlite3.h>
#include <stdlib.h>

int ev_sample_candidates(evidence *ev, ev_sample_population pop, ev_sample_candidate **out,
                         size_t *n, kh_error *err)
{
    static const char *const SQL[] = {
        [EV_SAMPLE_HOUSEHOLDS] =
            "SELECT t.id, t.name, h.id, v.name || '·' || h.id, h.category || '，户主 ' || "
            "coalesce((SELECT name FROM person p WHERE p.household_id = h.id ORDER BY p.id "
            "LIMIT 1), '') FROM household h JOIN village v ON v.id = h.village_id JOIN township "
            "t ON t.id = v.township_id ORDER BY t.id, h.id",
        [EV_SAMPLE_VILLAGES] = "SELECT t.id, t.name, v.id, v.name, t.name FROM village v JOIN "
                               "township t ON t.id = v.township_id ORDER BY t.id, v.id",
        [EV_SAMPLE_CADRES] = "SELECT department, department, id, name, department || '·' || role "
                             "FROM cadre ORDER BY department, id"};
    *out = NULL;
    *n = 0;
    ev_cursor *c = NULL;
    if (ev_query(ev, SQL[pop], NULL, 0, "sample:", &c, err) != 0)
        return -1;
    size_t cap = 0;
    int step;
    while ((step = ev_step(c, err)) == 1) {
        size_t k = KH_PUSH(*out, *n, cap);
        (*out)[k].stratum = xstrdup(ev_text(c, 0));
        (*out)[k].stratum_name = xstrdup(ev_text(c, 1));
        (*out)[k].id = xstrdup(ev_text(c, 2));
        (*out)[k].label = xstrdup(ev_text(c, 3));
        (*out)[k].detail = xstrdup(ev_text(c, 4));
    }
    ev_done(c);
    if (step < 0) {
        ev_sample_candidates_free(*out, *n);
        *out = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

void ev_sample_candidates_free(ev_sample_candidate *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(c[i].stratum);
        free(c[i].stratum_name);
        free(c[i].id);
        free(c[i].label);
        free(c[i].detail);
    }
    free(c);
}

int ev_row_by_id(evidence *ev, const char *table, const char *key, const char *where,
                 ev_cursor **out, kh_error *err)
{
    /* the table name is quoted as an identifier (it comes from the results database); the key
     * is bound like every value */
    char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" WHERE id = :key", table);
    if (!sql) {
        kh_seterr(err, "%s out of memory", where);
        return -1;
    }
    kh_param p = {"key", {.type = KH_TEXT, .s = key}};
    int rc = ev_query(ev, sql, &p, 1, where, out, err);
    sqlite3_free(sql);
    return rc;
}
