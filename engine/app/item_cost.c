/*
 * item_cost.c — the per-item cost cache read before a run and written after it. See
 * item_cost.h for why it is optional and can never change a result.
 */
#include "app/item_cost.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cache_dir.h"
#include "base/strbuf.h"
#include "base/tmpfile.h"

#define COST_HEADER   "kaohe-item-cost-1"
#define COST_FILE_MAX (1 << 20) /* a scorecard has at most 1,000 items: far less than this */

/* The item of sc numbered `no`, or -1. */
static long item_index(const scorecard *sc, const char *no)
{
    for (size_t i = 0; i < sc->nitems; i++)
        if (strcmp(sc->items[i].no, no) == 0)
            return (long)i;
    return -1;
}

/* One line of a cache file into buf (its newline dropped), counting the bytes read into
 * *total: 1, 0 at the end of the file, -1 when the line is longer than buf holds, holds a NUL,
 * or takes the file past COST_FILE_MAX (a damaged file: none of it is an estimate). */
static int read_line(FILE *f, char *buf, size_t size, size_t *total)
{
    size_t n = 0;
    int c;
    while ((c = getc(f)) != EOF && c != '\n') {
        if (c == '\0' || n + 1 >= size || ++*total > COST_FILE_MAX)
            return -1;
        buf[n++] = (char)c;
    }
    buf[n] = '\0';
    if (c == '\n' && ++*total > COST_FILE_MAX)
        return -1;
    return c == EOF && n == 0 ? 0 : 1;
}

/* One line after the header, "ITEM<TAB>SECONDS", into cost: an item of sc not seen before and a
 * finite seconds >= 0. 0, or -1. */
static int parse_line(const scorecard *sc, char *line, double *cost)
{
    char *tab = strchr(line, '\t'), *end = NULL;
    if (!tab)
        return -1;
    *tab = '\0';
    long i = item_index(sc, line);
    errno = 0;
    double v = strtod(tab + 1, &end);
    if (i < 0 || cost[i] >= 0 || errno || end == tab + 1 || *end || !isfinite(v) || v < 0)
        return -1;
    cost[i] = v;
    return 0;
}

/* Reads a cache file line by line into cost[0..sc->nitems): the header, then one line per
 * item; blank lines are skipped. A line is short (an item number and a time), so a small
 * buffer serves every scorecard rather than one as large as the largest file allowed. 0, or -1
 * (cost then partly filled: the caller discards it). */
static int read_costs(const scorecard *sc, FILE *f, double *cost)
{
    char line[256];
    size_t total = 0;
    int got, header = 0;
    while ((got = read_line(f, line, sizeof line, &total)) == 1) {
        if (!line[0])
            continue;
        if (header ? parse_line(sc, line, cost) != 0 : strcmp(line, COST_HEADER) != 0)
            return -1;
        header = 1;
    }
    return got == 0 && header && !ferror(f) ? 0 : -1;
}

/* One scorecard's estimates from its cache file into cost (left -1 on any fault); the number
 * of items estimated. */
static size_t load_one(const char *dir, const scorecard *sc, double *cost)
{
    strbuf path = {0};
    sb_printf(&path, "%s/%s.tsv", dir, sc->sha256);
    FILE *f = fopen(sb_str(&path), "rb");
    sb_free(&path);
    if (!f)
        return 0;
    int bad = read_costs(sc, f, cost) != 0;
    fclose(f);
    size_t known = 0;
    for (size_t i = 0; i < sc->nitems; i++) {
        if (bad)
            cost[i] = -1;
        known += cost[i] >= 0;
    }
    return known;
}

double *app_item_costs_load(scorecard *const *scs, size_t nsc, size_t total, size_t *nknown)
{
    *nknown = 0;
    strbuf dir = {0};
    if (kh_cache_dir(&dir, "item-cost", 0) != 0) {
        sb_free(&dir);
        return NULL;
    }
    double *cost = xcalloc(total ? total : 1, sizeof *cost);
    for (size_t i = 0; i < total; i++)
        cost[i] = -1;
    size_t at = 0;
    for (size_t si = 0; si < nsc && at + scs[si]->nitems <= total; si++) {
        *nknown += load_one(sb_str(&dir), scs[si], cost + at);
        at += scs[si]->nitems;
    }
    sb_free(&dir);
    return cost;
}

/* Writes one scorecard's file under a temporary name and renames it into place. */
static void save_one(const char *dir, const scorecard *sc, const double *cpu)
{
    strbuf path = {0}, tmp = {0};
    kh_error err;
    sb_printf(&path, "%s/%s.tsv", dir, sc->sha256);
    if (kh_tmp_beside(&tmp, sb_str(&path), &err) == 0) {
        FILE *f = fopen(sb_str(&tmp), "wb");
        int ok = f != NULL && fprintf(f, "%s\n", COST_HEADER) > 0;
        for (size_t i = 0; ok && i < sc->nitems; i++)
            ok = fprintf(f, "%s\t%.6f\n", sc->items[i].no, cpu[i] > 0 ? cpu[i] : 0) > 0;
        if (f && fclose(f) != 0)
            ok = 0;
        if (!ok || rename(sb_str(&tmp), sb_str(&path)) != 0)
            unlink(sb_str(&tmp));
    }
    sb_free(&tmp);
    sb_free(&path);
}

void app_item_costs_save(scorecard *const *scs, size_t nsc, const double *cpu)
{
    strbuf dir = {0};
    if (kh_cache_dir(&dir, "item-cost", 1) == 0) {
        size_t at = 0;
        for (size_t si = 0; si < nsc; si++) {
            save_one(sb_str(&dir), scs[si], cpu + at);
            at += scs[si]->nitems;
        }
    }
    sb_free(&dir);
}
