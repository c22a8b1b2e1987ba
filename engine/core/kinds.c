/*
 * kinds.c — the one table of the kinds of subject. See kinds.h.
 */
#include "core/kinds.h"

#include <string.h>

const kh_kind KH_KINDS[KH_NKINDS] = {
    {"city", "市", NULL, "SELECT id, name, province, '' FROM city ORDER BY id"},
    /* a county's unit is its city where known (a province run rolls counties up to cities) */
    {"county", "县", "city",
     "SELECT c.id, c.name, coalesce(m.name, c.province), coalesce(c.city_id, '') FROM county c "
     "LEFT JOIN city m ON m.id = c.city_id ORDER BY c.id"},
    {"township", "乡镇", "county",
     "SELECT t.id, t.name, c.name, t.county_id FROM township t JOIN county c ON c.id = "
     "t.county_id ORDER BY t.id"},
    {"village", "村", "township",
     "SELECT v.id, v.name, t.name, v.township_id FROM village v JOIN township t ON t.id = "
     "v.township_id ORDER BY v.id"},
    /* a cadre is assessed in the years the cadre has a 包抓 assignment */
    {"cadre", "包抓干部", NULL,
     "SELECT c.id, c.name, c.department || '·' || c.role, '' FROM cadre c WHERE EXISTS (SELECT 1 "
     "FROM cadre_assignment a WHERE a.cadre_id = c.id AND a.year = :year) ORDER BY c.id"},
    /* an institution's parent_id is its county, but institutions are not averaged into it */
    {"institution", "医疗机构", NULL,
     "SELECT id, name, kind, coalesce(county_id, '') FROM institution ORDER BY id"},
};

const kh_kind *kh_kind_find(const char *name)
{
    for (size_t i = 0; name && i < KH_NKINDS; i++)
        if (strcmp(KH_KINDS[i].name, name) == 0)
            return &KH_KINDS[i];
    return NULL;
}

const char *kh_kind_label(const char *name)
{
    const kh_kind *k = kh_kind_find(name);
    return k ? k->label : name;
}

const char *kh_kind_parent(const char *name)
{
    const kh_kind *k = kh_kind_find(name);
    return k ? k->parent : NULL;
}

size_t kh_kind_chain(const char *name, const char *to, const char *levels[KH_NKINDS])
{
    size_t n = 0;
    /* at most KH_NKINDS levels: the bound also guards against a cycle in the table */
    for (const char *k = kh_kind_parent(name); k && n < KH_NKINDS; k = kh_kind_parent(k)) {
        levels[n++] = k;
        if (strcmp(k, to) == 0)
            return n;
    }
    return 0;
}

int kh_kind_has_members(const char *name)
{
    for (size_t i = 0; i < KH_NKINDS; i++)
        if (KH_KINDS[i].parent && strcmp(KH_KINDS[i].parent, name) == 0)
            return 1;
    return 0;
}
