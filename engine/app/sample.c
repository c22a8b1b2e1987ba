/*
 * sample.c — 抽查: the seeded, stratified sample as a field checklist, and the filled checklist
 * back as findings. See sample.h.
 */
#include "app/sample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/finding_rules.h"
#include "base/parse.h"
#include "base/points.h"
#include "base/suggest.h"
#include "evidence/audit_query.h"
#include "evidence/evidence.h"
#include "evidence/findings.h"
#include "report/report.h"
#include "report/xlsx_read.h"

/* The checklist's columns: what the inspector sees and fills in, then the hidden machine keys a
 * filled checklist is read back by. */
enum {
    COL_ANSWER = 5, /* 核查结论 … 核查日期: the inspector's */
    COL_SCORE,
    COL_NOTE,
    COL_INSPECTOR,
    COL_DATE,
    COL_SCORECARD, /* scorecard … seed: hidden, the keys of a finding */
    COL_ITEM,
    COL_KIND,
    COL_SUBJECT,
    COL_PERIOD,
    COL_SEED,
    NCOLS,
    HIDDEN_COLS = NCOLS - COL_SCORECARD
};

static const char *const HEADS[NCOLS] = {"序号",
                                         "乡镇/部门",
                                         "抽查对象",
                                         "对象说明",
                                         "抽查内容",
                                         "核查结论（是/否/部分/不适用）",
                                         "得分（部分时填）",
                                         "说明",
                                         "核查人",
                                         "核查日期",
                                         "scorecard",
                                         "item",
                                         "subject_kind",
                                         "subject_id",
                                         "period",
                                         "seed"};

/* ---- the sample -------------------------------------------------------------------------- */

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int cmp_str_idx(const void *a, const void *b)
{
    return *(const size_t *)a < *(const size_t *)b ? -1 : *(const size_t *)a > *(const size_t *)b;
}

/* The checklist being built: nrows rows of NCOLS cells. */
typedef struct checklist_sheet {
    char **cells;
    size_t nrows;
} checklist_sheet;

/* The population the options ask for, read from the evidence. 0, or -1 with err. */
static int read_candidates(const sample_options *opt, int cadres, ev_sample_candidate **cand,
                           size_t *n, kh_error *err)
{
    evidence *ev = ev_open(opt->evidence, err);
    if (!ev)
        return -1;
    ev_sample_population pop = !opt->scorecard_id ? EV_SAMPLE_HOUSEHOLDS
                               : cadres           ? EV_SAMPLE_CADRES
                                                  : EV_SAMPLE_VILLAGES;
    int rc = ev_sample_candidates(ev, pop, cand, n, err);
    ev_close(ev);
    return rc;
}

/* "3,4,20" → the items to check per subject (owned: free each and the array). */
static char **split_items(const char *list, size_t *n)
{
    char **items = NULL;
    size_t cap = 0;
    *n = 0;
    char *copy = xstrdup(list);
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
        size_t k = KH_PUSH(items, *n, cap);
        items[k] = xstrdup(tok);
    }
    free(copy);
    return items;
}

/* The draw within one stratum, candidates first … first+m-1: a Fisher–Yates draw seeded by
 * (seed, stratum), so that the same seed redraws the same sample and one stratum's draw does
 * not depend on the others. Fills idx (m entries) and returns how many were taken; their
 * candidate indices are idx[0 … taken), in candidate order. */
static size_t draw_stratum(const ev_sample_candidate *cand, size_t first, size_t m,
                           const sample_options *opt, size_t *idx)
{
    for (size_t k = 0; k < m; k++)
        idx[k] = first + k;
    uint64_t s = opt->seed ^ kh_hash_str(cand[first].stratum);
    size_t take = (size_t)opt->per_stratum < m ? (size_t)opt->per_stratum : m;
    for (size_t k = 0; k < take; k++) {
        size_t r = k + (size_t)(splitmix(&s) % (m - k));
        size_t t = idx[k];
        idx[k] = idx[r];
        idx[r] = t;
    }
    qsort(idx, take, sizeof *idx, cmp_str_idx);
    return take;
}

/* The checklist rows of one subject drawn: one per item to check, the inspector's columns
 * blank. */
static void add_subject(checklist_sheet *t, const ev_sample_candidate *x, char *const *items,
                        size_t nitems, const sample_options *opt)
{
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)opt->seed);
    for (size_t it = 0; it < nitems; it++) {
        t->cells = xrealloc(t->cells, (t->nrows + 1) * NCOLS * sizeof *t->cells);
        char no[16], what[64];
        snprintf(no, sizeof no, "%zu", t->nrows + 1);
        if (opt->scorecard_id)
            snprintf(what, sizeof what, "第%s项", items[it]);
        else
            snprintf(what, sizeof what, "%s", items[it]);
        char *row[NCOLS] = {xstrdup(no),
                            xstrdup(x->stratum_name),
                            xstrdup(x->label),
                            xstrdup(x->detail),
                            xstrdup(what),
                            xstrdup(""),
                            xstrdup(""),
                            xstrdup(""),
                            xstrdup(""),
                            xstrdup(""),
                            xstrdup(opt->scorecard_id ? opt->scorecard_id : "spot-check"),
                            xstrdup(items[it]),
                            xstrdup(opt->scorecard_id ? opt->subject_kind : "household"),
                            xstrdup(x->id),
                            xstrdup(opt->period),
                            xstrdup(seed)};
        memcpy(t->cells + t->nrows * NCOLS, row, sizeof row);
        t->nrows++;
    }
}

/* Writes the checklist workbook and says what it holds. 0, or -1 with err. */
static int write_checklist(const sample_options *opt, int cadres, const checklist_sheet *t,
                           size_t subjects, size_t strata, FILE *out, kh_error *err)
{
    static const double widths[NCOLS] = {6,  12, 20, 26, 14, 16, 10, 28,
                                         10, 12, 10, 6,  8,  14, 6,  10};
    char title[160];
    snprintf(title, sizeof title, "抽查清单（种子 %llu，每%s %d 个，考核期 %s）",
             (unsigned long long)opt->seed, cadres ? "部门" : "乡镇", opt->per_stratum,
             opt->period);
    if (report_table_workbook(opt->out_xlsx, "抽查清单", title, HEADS, widths, NCOLS, HIDDEN_COLS,
                              t->cells, t->nrows, err) != 0)
        return -1;
    fprintf(out, "抽查样本：%zu 个对象（%zu 个分层，每层至多 %d 个），%zu 行清单 → %s\n", subjects,
            strata, opt->per_stratum, t->nrows, opt->out_xlsx);
    return 0;
}

/* When `id` is not one of the scorecards loaded and one is near it: " (did you mean 'X'?)"
 * after err's message. */
static void suggest_scorecard(const finding_rules *r, const char *id, kh_error *err)
{
    char *ids = xstrdup(finding_rules_ids(r));
    const char *names[64];
    size_t n = 0;
    int known = 0;
    for (char *t = strtok(ids, ", "); t && n < 64; t = strtok(NULL, ", ")) {
        known |= strcmp(t, id) == 0;
        names[n++] = t;
    }
    const char *near = known ? NULL : kh_suggest(id, names, n);
    if (near) {
        strbuf msg = {0};
        sb_printf(&msg, "%s (did you mean '%s'?)", err->msg, near);
        kh_seterr(err, "%s", sb_str(&msg));
        sb_free(&msg);
    }
    free(ids);
}

/* The scorecard and items asked for, checked against the bundled scorecards before anything
 * is drawn: a checklist of items that take no finding would come back as findings no run can
 * use. 0, or -1 with err. */
static int check_items(const sample_options *opt, kh_error *err)
{
    finding_rules *r = finding_rules_load(NULL, 0, opt->evidence, err);
    if (!r)
        return -1;
    size_t nitems = 0;
    char **items = split_items(opt->items, &nitems);
    int rc = 0;
    if (nitems == 0) {
        kh_seterr(err, "sample --items '%s': no item number in it (e.g. --items 3,20)", opt->items);
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < nitems; i++) {
        kh_error why;
        if ((rc = finding_rules_item(r, opt->scorecard_id, opt->subject_kind, items[i], &why)))
            kh_seterr(err, "sample --scorecard %s --kind %s --items %s: %s", opt->scorecard_id,
                      opt->subject_kind, opt->items, why.msg);
    }
    if (rc != 0)
        suggest_scorecard(r, opt->scorecard_id, err);
    for (size_t i = 0; i < nitems; i++)
        free(items[i]);
    free(items);
    finding_rules_free(r);
    return rc;
}

int kh_sample(const sample_options *opt, FILE *out, kh_error *err)
{
    if (!opt->period) {
        kh_seterr(err, "sample: --period is required (the findings will be for that period)");
        return -1;
    }
    if (opt->scorecard_id && check_items(opt, err) != 0)
        return -1;
    int cadres = opt->scorecard_id && strcmp(opt->subject_kind, "cadre") == 0;
    ev_sample_candidate *cand = NULL;
    size_t n = 0;
    if (read_candidates(opt, cadres, &cand, &n, err) != 0)
        return -1;
    size_t nitems = 0;
    char **items = split_items(opt->items ? opt->items : "入户核查", &nitems);
    checklist_sheet t = {NULL, 0};
    size_t subjects = 0, strata = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && strcmp(cand[j].stratum, cand[i].stratum) == 0)
            j++;
        strata++;
        size_t *idx = xcalloc(j - i, sizeof *idx);
        size_t take = draw_stratum(cand, i, j - i, opt, idx);
        for (size_t k = 0; k < take; k++) {
            const ev_sample_candidate *x = &cand[idx[k]];
            subjects++;
            add_subject(&t, x, items, nitems, opt);
            fprintf(out, "%s\t%s\t%s\n", x->stratum_name, x->id, x->label);
        }
        free(idx);
        i = j;
    }
    int rc = write_checklist(opt, cadres, &t, subjects, strata, out, err);
    for (size_t i = 0; i < t.nrows * NCOLS; i++)
        free(t.cells[i]);
    free(t.cells);
    ev_sample_candidates_free(cand, n);
    for (size_t i = 0; i < nitems; i++)
        free(items[i]);
    free(items);
    return rc;
}

/* ---- a filled checklist back as findings ----------------------------------------------- */

typedef struct checklist {
    ev_findings *findings;
    const char *file;
    kh_error *err;
    long read, accepted;
    int failed;
} checklist;

/* Cell i of a checklist row, "" when empty or past the row's end. */
static const char *cell(size_t n, const char *const *cells, size_t i)
{
    return i < n && cells[i] ? cells[i] : "";
}

/* The inspection date as people type it, or as the serial day number Excel turns a typed date
 * into (43435 is 2018-12-01), as YYYY-MM-DD in d. 1 if it is a date. */
static int checklist_date(const char *date, char d[11])
{
    if (kh_parse_date(date, d) == 0)
        return 1;
    long serial = atol(date);
    if (serial > 20000 && serial < 80000 && strspn(date, "0123456789.") == strlen(date)) {
        time_t t = (time_t)(serial - 25569) * 86400;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(d, 11, "%Y-%m-%d", &tm);
        return 1;
    }
    return 0;
}

/* The 得分 of a number cell, as the decimal text of the points it stands for. Excel stores a
 * typed number as the double's shortest round-trip text, so a typed 1.1 comes back as
 * "1.1000000000000001", which the exact parse would refuse as more than two decimals. A value
 * within 1e-9 of a hundredth is that hundredth ("1.1", in buf); any other (0.125) is returned
 * as stored, for the findings writer to refuse as it refuses text. Only number cells come here:
 * what was typed as text is taken exactly as typed. */
static const char *number_score(const char *stored, char buf[32])
{
    double v;
    if (kh_parse_real(stored, &v) != 0)
        return stored;
    double nearest = nearbyint(v * 100.0) / 100.0;
    points_t p;
    if (!(fabs(v - nearest) <= 1e-9) || points_from_double(nearest, &p) != 0)
        return stored;
    return points_format(p, buf, 32);
}

/* Refuses row `row` with what the findings writer found wrong in it, naming the checklist
 * column the value came from. Returns 1 (stop reading). */
static int refuse(checklist *cl, long row, ev_finding_field bad)
{
    static const int column[] = {[EV_FINDING_ANSWER] = COL_ANSWER,
                                 [EV_FINDING_SCORE] = COL_SCORE,
                                 [EV_FINDING_INSPECTOR] = COL_INSPECTOR,
                                 [EV_FINDING_DATE] = COL_DATE};
    char why[sizeof cl->err->msg];
    snprintf(why, sizeof why, "%s", cl->err->msg);
    if (bad == EV_FINDING_ROW)
        kh_seterr(cl->err, "%s: row %ld: %s", cl->file, row, why);
    else
        kh_seterr(cl->err, "%s: row %ld: column %c %s: %s", cl->file, row, 'A' + column[bad],
                  HEADS[column[bad]], why);
    cl->failed = 1;
    return 1;
}

/* One row of the filled checklist: skipped if not checked (yet), refused with its row number if
 * the inspector's columns are incomplete, else written as a finding keyed by seed, scorecard,
 * subject and item (so that importing the list again updates rather than adds). */
static int checklist_row(long row, size_t n, const char *const *c, const unsigned char *number,
                         void *ud)
{
    checklist *cl = ud;
    if (row < 3 || cl->failed) /* title and header rows */
        return cl->failed;
    cl->read++;
    const char *answer = cell(n, c, COL_ANSWER), *score = cell(n, c, COL_SCORE);
    char score_buf[32];
    if (*score && number[COL_SCORE])
        score = number_score(score, score_buf);
    const char *inspector = cell(n, c, COL_INSPECTOR), *date = cell(n, c, COL_DATE);
    if (!*answer)
        return 0; /* not checked (yet) */
    char d[11];
    int dated = checklist_date(date, d);
    const char *problem = !ev_finding_answer_ok(answer) ? "核查结论 must be 是, 否, 不适用 or 部分"
                          : strcmp(answer, "部分") == 0 && !*score ? "核查结论 部分 needs 得分"
                          : !*inspector                            ? "核查人 is empty"
                          : !dated                                 ? "核查日期 is not a date"
                                                                   : NULL;
    if (problem) {
        kh_seterr(cl->err, "%s: row %ld: %s (found 核查结论 '%s', 核查日期 '%s')", cl->file, row,
                  problem, answer, date);
        cl->failed = 1;
        return 1;
    }
    char id[256];
    snprintf(id, sizeof id, "CK%s-%s-%s-%s", cell(n, c, COL_SEED), cell(n, c, COL_SCORECARD),
             cell(n, c, COL_SUBJECT), cell(n, c, COL_ITEM));
    ev_finding x = {id,
                    cell(n, c, COL_SCORECARD),
                    cell(n, c, COL_ITEM),
                    cell(n, c, COL_KIND),
                    cell(n, c, COL_SUBJECT),
                    cell(n, c, COL_PERIOD),
                    answer,
                    score,
                    cell(n, c, COL_NOTE),
                    inspector,
                    d};
    ev_finding_field bad;
    if (ev_findings_put(cl->findings, &x, &bad, cl->err) != 0)
        return refuse(cl, row, bad);
    cl->accepted++;
    return 0;
}

int kh_sample_import(const char *xlsx, const char *evidence_path, const ev_finding_policy *policy,
                     FILE *out, kh_error *err)
{
    ev_findings *f = ev_findings_begin(evidence_path, policy, err);
    if (!f)
        return -1;
    checklist cl = {f, xlsx, err, 0, 0, 0};
    err->msg[0] = '\0';
    int rc = xlsx_read_sheet(xlsx, "抽查清单", checklist_row, &cl, err);
    if (rc != 0 || cl.failed) {
        ev_findings_abort(f);
        return -1;
    }
    strbuf replaced = {0};
    if (ev_findings_commit(f, xlsx, cl.read, cl.accepted, &replaced, err) != 0) {
        sb_free(&replaced);
        return -1;
    }
    fprintf(out, "%s → finding：%ld 行，导入 %ld 条核查结论（未填写的 %ld 行跳过）\n", xlsx,
            cl.read, cl.accepted, cl.read - cl.accepted);
    fputs(sb_str(&replaced), out);
    sb_free(&replaced);
    return 0;
}
