/*
 * kinds.c — the one table of the kinds of subject. See kinds.h.
 */
#include "core/kinds.h"

#include <stdio.h>
#include <string.h>

const kh_kind KH_KINDS[KH_NKINDS] = {
    {"city", "市", NULL, "SELECT id, name, province, '' FROM city ORDER BY id", NULL, NULL, NULL,
     NULL},
    /* a county's unit is its city where known (a province run rolls counties up to cities) */
    {"county", "县", "city",
     "SELECT c.id, c.name, coalesce(m.name, c.province), coalesce(c.city_id, '') FROM county c "
     "LEFT JOIN city m ON m.id = c.city_id ORDER BY c.id",
     NULL, NULL, NULL, NULL},
    {"township", "乡镇", "county",
     "SELECT t.id, t.name, c.name, t.county_id FROM township t JOIN county c ON c.id = "
     "t.county_id ORDER BY t.id",
     NULL, NULL, NULL, NULL},
    {"village", "村", "township",
     "SELECT v.id, v.name, t.name, v.township_id FROM village v JOIN township t ON t.id = "
     "v.township_id ORDER BY v.id",
     "SELECT v.id, v.name, t.name AS unit, v.township_id AS up, v.key_village, v.township_id AS "
     "township FROM village v JOIN township t ON t.id = v.township_id",
     "key_village", "township", NULL},
    /* a cadre is assessed in the years the cadre has a 包抓 assignment */
    {"cadre", "包抓干部", NULL,
     "SELECT c.id, c.name, c.department || '·' || c.role, '' FROM cadre c WHERE EXISTS (SELECT 1 "
     "FROM cadre_assignment a WHERE a.cadre_id = c.id AND a.year = :year) ORDER BY c.id",
     "SELECT c.id, c.name, c.department || '·' || c.role AS unit, '' AS up, c.department, "
     "c.role FROM cadre c WHERE EXISTS (SELECT 1 FROM cadre_assignment a WHERE a.cadre_id = c.id "
     "AND a.year = :year)",
     "department role", "department", "role=科级干部|医共体包抓领导|包村干部|健康专干;"},
    /* subjects v2: a 包抓 department (卫计, 民政, 人社 …) is assessed in the years one of its
     * cadres has a 包抓 assignment. The evidence gives a department no code of its own, only
     * cadre.department, so its id is its name as written there. A run over several counties
     * therefore has one 卫计 for all of them: assess departments county by county. */
    {"department", "包抓部门", NULL,
     "SELECT DISTINCT c.department, c.department, '', '' FROM cadre c WHERE EXISTS (SELECT 1 FROM "
     "cadre_assignment a WHERE a.cadre_id = c.id AND a.year = :year) ORDER BY 1",
     NULL, NULL, NULL, NULL},
    /* an institution's parent_id is its county, but institutions are not averaged into it
     * unless a scorecard declares a parent (subjects v2) */
    {"institution", "医疗机构", NULL,
     "SELECT id, name, kind, coalesce(county_id, '') FROM institution ORDER BY id",
     "SELECT id, name, kind AS unit, coalesce(county_id, '') AS up, kind, in_county, "
     "coalesce(county_id, '') AS county, coalesce(township_id, '') AS township, "
     "coalesce(village_id, '') AS village FROM institution",
     "kind in_county", "village township county",
     "kind=省级医院|市级医院|县级医院|乡镇卫生院|社区卫生服务中心|村卫生室;"},
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

int kh_word_in(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = list; p && *p;) {
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && n && strncmp(p, word, n) == 0)
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

const char *kh_kind_values(const kh_kind *k, const char *column, char *buf, size_t size)
{
    size_t n = strlen(column);
    for (const char *p = k ? k->values : NULL; p && *p;) {
        const char *end = strchr(p, ';');
        if (!end)
            break;
        if (strncmp(p, column, n) == 0 && p[n] == '=') {
            snprintf(buf, size, "%.*s", (int)(end - p - n - 1), p + n + 1);
            return buf;
        }
        p = end + 1;
    }
    return NULL;
}
