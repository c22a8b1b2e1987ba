/*
 * amounts.c — binds the amounts a scorecard names by parameter. See amounts.h.
 */
#include "core/amounts.h"

#include <stdio.h>
#include <string.h>

#include "core/caps.h"

/* The bound value of parameter `name`, or NULL. */
static const kh_value *param_value(const kh_param *v, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].name, name) == 0)
            return &v[i].value;
    return NULL;
}

/* The value as the user gave it, for messages. */
static const char *value_text(const kh_value *val, char *buf, size_t size)
{
    if (val->type == KH_INT)
        snprintf(buf, size, "%lld", (long long)val->i);
    else if (val->type == KH_REAL)
        snprintf(buf, size, "%.15g", val->r);
    else
        snprintf(buf, size, "%s", val->s ? val->s : "");
    return buf;
}

/* A number of points as the language accepts one written in place: not negative, at most two
 * decimals, within POINTS_MAX. */
static int value_points(const kh_value *val, points_t *out)
{
    if (val->type == KH_INT) {
        if (val->i < 0 || val->i > POINTS_MAX / POINTS_ONE)
            return -1;
        *out = (points_t)val->i * POINTS_ONE;
        return 0;
    }
    if (val->type == KH_REAL)
        return points_from_double(val->r, out) != 0 || *out < 0 ? -1 : 0;
    return -1;
}

/* What binding one scorecard's amounts carries: the run's parameters, where the amount being
 * bound is written (for messages) and where an error goes. */
typedef struct binding {
    const kh_param *v;
    size_t n;
    const char *where; /* "FILE:LINE: item N:" */
    kh_error *err;
} binding;

/* Refuses a parameter's value: "WHERE --param NAME=VALUE: WHY" (only an override can be wrong:
 * the language has checked the defaults). */
static int refuse(const binding *b, const char *param, const kh_value *val, const char *why)
{
    char buf[64];
    kh_seterr(b->err, "%s --param %s=%s: %s", b->where, param, value_text(val, buf, sizeof buf),
              why);
    return -1;
}

/* Binds one amount of points; nothing to do when it was written as a number (param NULL). */
static int bind_points(const binding *b, const char *param, const char *field, points_t *dst,
                       int *has)
{
    if (!param)
        return 0;
    const kh_value *val = param_value(b->v, b->n, param);
    if (!val) { /* the language refuses an undeclared name: only a caller's mistake gets here */
        kh_seterr(b->err, "%s '%s' names parameter %s, which is not bound", b->where, field, param);
        return -1;
    }
    if (value_points(val, dst) != 0) {
        char why[160];
        snprintf(why, sizeof why,
                 "'%s' must be a non-negative number of points with at most two decimals", field);
        return refuse(b, param, val, why);
    }
    if (has)
        *has = 1;
    return 0;
}

/* A finding's yes/no cannot award more than the item is worth. */
static int check_finding_points(const binding *b, const sc_item *it, const char *param,
                                const char *field, points_t p)
{
    if (!param || it->points < 0 || p <= it->points)
        return 0;
    char why[160], buf[32];
    snprintf(why, sizeof why, "finding '%s' exceeds the item's 分值 %s", field,
             points_format(it->points, buf, sizeof buf));
    return refuse(b, param, param_value(b->v, b->n, param), why);
}

/* A rate threshold must be in (0, 1], as the language requires of a threshold written as a
 * number (the rate itself is read where it is compared, eval.c rate_threshold). */
static int check_threshold(const binding *b, const char *param)
{
    const kh_value *val = param ? param_value(b->v, b->n, param) : NULL;
    if (!val)
        return 0;
    double t = val->type == KH_INT ? (double)val->i : val->type == KH_REAL ? val->r : -1;
    if (t > 0 && t <= 1)
        return 0;
    return refuse(b, param, val, "'threshold' must be a rate above 0 and at most 1 (e.g. 0.95)");
}

/* An item's rule: each/deduct, cap, yes and no as points (yes and no within the item's points),
 * and a threshold named by parameter checked as a rate. */
static int bind_item(const scorecard *sc, sc_item *it, binding *b)
{
    sc_rule *r = &it->rule;
    char where[400];
    snprintf(where, sizeof where, "%s:%d: item %s:", sc->path, r->line ? r->line : it->line,
             it->no);
    b->where = where;
    if (bind_points(b, r->each_param, r->kind == RULE_PER_CASE ? "each" : "deduct", &r->each,
                    NULL) != 0 ||
        bind_points(b, r->cap_param, "cap", &r->cap, NULL) != 0 ||
        bind_points(b, r->yes_param, "yes", &r->yes_points, NULL) != 0 ||
        bind_points(b, r->no_param, "no", &r->no_points, NULL) != 0 ||
        check_finding_points(b, it, r->yes_param, "yes", r->yes_points) != 0 ||
        check_finding_points(b, it, r->no_param, "no", r->no_points) != 0 ||
        check_threshold(b, r->threshold_param) != 0)
        return -1;
    return 0;
}

/* A section's (section_no > 0) or the form's (0) cap and floor; a floor above what the part is
 * worth could never be met. */
static int bind_limits(const scorecard *sc, size_t section_no, sc_limits *lim, int line,
                       const char *what, binding *b)
{
    char where[400];
    snprintf(where, sizeof where, "%s:%d: %s:", sc->path, line, what);
    b->where = where;
    if (bind_points(b, lim->cap_param, "cap", &lim->cap, &lim->has_cap) != 0 ||
        bind_points(b, lim->floor_param, "floor", &lim->floor, &lim->has_floor) != 0)
        return -1;
    points_t worth = kh_section_points(sc, section_no);
    if (lim->floor_param && sc->mode == MODE_POINTS && lim->floor > worth) {
        char why[160], buf[32];
        snprintf(why, sizeof why, "'floor' is above the %s's points (%s)",
                 section_no ? "section" : "form", points_format(worth, buf, sizeof buf));
        return refuse(b, lim->floor_param, param_value(b->v, b->n, lim->floor_param), why);
    }
    return 0;
}

/* Grade bands named by parameter; the bands must still descend (a total takes the first band
 * whose minimum it reaches). */
static int bind_grades(scorecard *sc, binding *b)
{
    char where[400];
    snprintf(where, sizeof where, "%s:%d: scorecard: grades:", sc->path, sc->line);
    b->where = where;
    for (size_t g = 0; g < sc->ngrades; g++) {
        sc_grade *band = &sc->grades[g];
        if (bind_points(b, band->min_param, "grade", &band->min, NULL) != 0) {
            b->where = "";
            return -1;
        }
        if (band->min_param && g > 0 && band->min > sc->grades[g - 1].min) {
            char why[200], buf[32];
            snprintf(why, sizeof why, "grade %s's minimum is above %s's (%s): bands must descend",
                     band->name, sc->grades[g - 1].name,
                     points_format(sc->grades[g - 1].min, buf, sizeof buf));
            int rc = refuse(b, band->min_param, param_value(b->v, b->n, band->min_param), why);
            b->where = "";
            return rc;
        }
    }
    b->where = ""; /* where dies with this frame */
    return 0;
}

int kh_bind_amounts(scorecard *sc, const kh_param *v, size_t n, kh_error *err)
{
    binding b = {v, n, "", err};
    for (size_t i = 0; i < sc->nitems; i++)
        if (bind_item(sc, &sc->items[i], &b) != 0)
            return -1;
    for (size_t i = 0; i < sc->nsections; i++) {
        sc_section *sec = &sc->sections[i];
        char what[300];
        snprintf(what, sizeof what, "section \"%s\"", sec->title ? sec->title : "?");
        if (bind_limits(sc, i + 1, &sec->limits, sec->line, what, &b) != 0)
            return -1;
    }
    if (bind_limits(sc, 0, &sc->limits, sc->line, "scorecard", &b) != 0)
        return -1;
    return bind_grades(sc, &b);
}

/* Whether an optional parameter name is `b`. */
static int same(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

static int limits_name(const sc_limits *lim, const char *name)
{
    return same(lim->cap_param, name) || same(lim->floor_param, name);
}

int kh_names_amount(const scorecard *sc, const char *name)
{
    for (size_t i = 0; i < sc->nitems; i++) {
        const sc_rule *r = &sc->items[i].rule;
        if (same(r->each_param, name) || same(r->cap_param, name) || same(r->yes_param, name) ||
            same(r->no_param, name) || same(r->threshold_param, name))
            return 1;
    }
    for (size_t i = 0; i < sc->nsections; i++)
        if (limits_name(&sc->sections[i].limits, name))
            return 1;
    for (size_t g = 0; g < sc->ngrades; g++)
        if (same(sc->grades[g].min_param, name))
            return 1;
    return limits_name(&sc->limits, name);
}
