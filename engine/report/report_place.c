/*
 * report_place.c — where a subject is, in words a reader filters by: its 乡镇, 县 and (for a
 * cadre) 部门. 汇总 groups by it and 考核明细/扣分明细 carry it in columns of their own, so two
 * villages of the same name in different townships can be told apart.
 */
#include <stdio.h>
#include <string.h>

#include "report/report_internal.h"

/* The name of the subject of `kind` whose id is `id`, or "" (a level the run did not list). */
static const char *name_of(const kh_results *r, const char *kind, const char *id)
{
    long set = kh_results_set(r, kind);
    long k = set < 0 || !id || !*id ? -1 : kh_subject_find(&r->sets[set], id);
    return k < 0 ? "" : r->sets[set].items[k].name;
}

void report_subject_place(const kh_results *r, size_t set, size_t subject, report_place *p)
{
    const char *kind = r->sets[set].kind;
    const kh_subject *s = &r->sets[set].items[subject];
    p->township = p->county = "";
    p->department[0] = '\0';
    if (strcmp(kind, "village") == 0) {
        p->township = s->parent;
        long t = kh_results_set(r, "township");
        long k = t < 0 ? -1 : kh_subject_find(&r->sets[t], s->parent_id);
        p->county = k < 0 ? "" : r->sets[t].items[k].parent;
    } else if (strcmp(kind, "township") == 0) {
        p->township = s->name;
        p->county = s->parent;
    } else if (strcmp(kind, "county") == 0) {
        p->county = s->name;
    } else if (strcmp(kind, "institution") == 0) {
        p->county = name_of(r, "county", s->parent_id);
    } else if (strcmp(kind, "department") == 0) {
        snprintf(p->department, sizeof p->department, "%s", s->name);
    } else if (strcmp(kind, "cadre") == 0) {
        /* a cadre's unit is "部门·职务" (core/kinds.c): the department is what comes before
         * the middle dot */
        const char *dot = strstr(s->parent, "·");
        size_t n = dot ? (size_t)(dot - s->parent) : strlen(s->parent);
        snprintf(p->department, sizeof p->department, "%.*s", (int)n, s->parent);
    }
}
