/*
 * runs.c — `kaohe runs`: a results database's runs as a listing for an 80-column terminal. See
 * runs.h. The query is store/run_list.c; this file only lays the rows out.
 */
#include "app/runs.h"

#include <string.h>

#include "base/when.h"
#include "store/run_list.h"

enum { WIDTH = 80, INDENT = 8 }; /* INDENT: the width of "  参数：", where wrapped lines start */

/* Columns a UTF-8 string takes on a terminal: Chinese characters and full-width punctuation
 * (three- and four-byte sequences) two, everything else one. */
static size_t display_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80 || (c >= 0xC0 && c < 0xE0))
            w += 1;
        else if (c >= 0xE0)
            w += 2;
    }
    return w;
}

/* "  LABEL：VALUE" with VALUE broken after `sep` (", " or "; ") so that no line passes WIDTH
 * columns where a break is possible; a line ends in the separator without its space, and the
 * next starts at INDENT. An empty value prints `none`. */
static void print_wrapped(FILE *out, const char *label, const char *value, const char *sep,
                          const char *none)
{
    fprintf(out, "  %s：", label);
    size_t col = 2 + display_width(label, strlen(label)) + 2;
    size_t seplen = strlen(sep), core = seplen;
    while (core > 1 && sep[core - 1] == ' ')
        core--;
    const char *p = *value ? value : none;
    for (int first = 1;; first = 0) {
        const char *next = *value ? strstr(p, sep) : NULL;
        size_t len = next ? (size_t)(next - p) : strlen(p);
        size_t w = display_width(p, len) + (next ? core : 0);
        if (!first && col + (seplen - core) + w > WIDTH) {
            fprintf(out, "\n%*s", INDENT, "");
            col = INDENT;
        } else if (!first) {
            fprintf(out, "%.*s", (int)(seplen - core), sep + core);
            col += seplen - core;
        }
        fprintf(out, "%.*s%.*s", (int)len, p, next ? (int)core : 0, sep);
        col += w;
        if (!next)
            break;
        p = next + seplen;
    }
    fputc('\n', out);
}

/* The listing's running state: the stream, and how many runs were printed. */
typedef struct runs_listing {
    FILE *out;
    long n;
} runs_listing;

/* One run: a heading line, then scorecards, evidence and parameters, a blank line between
 * runs. A hash is shortened to 12 digits: enough to tell runs apart at a glance (reproduce
 * compares them whole). */
static int print_run(void *ud, const run_list_row *r)
{
    runs_listing *l = ud;
    char when[96], evidence[160];
    kh_time_local(r->started_at, when, sizeof when);
    fprintf(l->out, "%s运行 %lld  %s  考核期 %s\n", l->n++ ? "\n" : "", (long long)r->id, when,
            r->period);
    print_wrapped(l->out, "考核表", r->scorecards, ", ", "（无）");
    if (r->nparts > 0) {
        snprintf(evidence, sizeof evidence, "由 %lld 个分片运行合并（内容哈希 %.12s）",
                 (long long)r->nparts, r->evidence_hash);
        fprintf(l->out, "  证据库：%s\n", evidence);
    } else {
        fprintf(l->out, "  证据库：%s（内容哈希 %.12s）\n",
                *r->evidence_path ? r->evidence_path : "（未记录）", r->evidence_hash);
    }
    print_wrapped(l->out, "参数", r->params, "; ", "（无）");
    return 0;
}

int kh_runs(const char *results, FILE *out, kh_error *err)
{
    audit_store *s = audit_store_open(results, err);
    if (!s)
        return -1;
    runs_listing l = {out, 0};
    int rc = run_list_read(s, print_run, &l, err);
    audit_store_close(s);
    if (rc == 0 && l.n == 0)
        fprintf(out, "%s：还没有运行\n", results);
    return rc;
}
