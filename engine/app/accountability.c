/*
 * accountability.c — `kaohe accountability`: reads the 问责名单 of a run back from the results
 * database (store/wenze_store.h) and prints it. See accountability.h. A list spanning counties
 * (a merge) adds the county (a column 县 in CSV); a merge's note on parts without a list is
 * printed after it (text) or on stderr (CSV, so that the rows stay machine-readable).
 */
#include "app/accountability.h"

#include <string.h>

#include "app/app_internal.h"
#include "store/wenze_store.h"

static const char *const CSV_HEADS[] = {"干部编号", "姓名", "部门", "情形",
                                        "问责情形", "依据", "结论"};

static void print_csv(const kh_wenze *w, FILE *out)
{
    int county = kh_wenze_many_counties(w);
    fputs("\xEF\xBB\xBF", out);
    for (size_t c = 0; c < sizeof CSV_HEADS / sizeof CSV_HEADS[0]; c++) {
        if (c)
            fputc(',', out);
        app_csv_text(out, CSV_HEADS[c]);
    }
    if (county)
        fputs(",\"县\"", out);
    fputs("\r\n", out);
    for (size_t i = 0; i < w->n; i++) {
        const kh_wenze_row *x = &w->rows[i];
        const char *cells[] = {x->cadre_id, x->name, x->department};
        for (size_t c = 0; c < 3; c++) {
            app_csv_text(out, cells[c]);
            fputc(',', out);
        }
        fprintf(out, "%d,", x->condition);
        app_csv_text(out, kh_wenze_condition_text(x->condition));
        fputc(',', out);
        app_csv_text(out, x->evidence);
        fputc(',', out);
        app_csv_text(out, WENZE_CONCLUSION);
        if (county) {
            fputc(',', out);
            app_csv_text(out, x->county);
        }
        fputs("\r\n", out);
    }
}

/* The cadres listed (rows are grouped by cadre id). */
static size_t cadres_of(const kh_wenze *w)
{
    size_t n = 0;
    for (size_t i = 0; i < w->n; i++)
        n += i == 0 || strcmp(w->rows[i].cadre_id, w->rows[i - 1].cadre_id) != 0;
    return n;
}

static void print_text(const kh_wenze *w, int64_t run, FILE *out)
{
    int county = kh_wenze_many_counties(w);
    fprintf(
        out,
        "运行 %lld 的问责名单（会宁县 县委办发〔2018〕83号 附件3 五(一) 问责情形%s）：%zu 名干部，"
        "%zu 条。kaohe 只列出符合情形者及其依据，不作认定。\n",
        (long long)run, kh_wenze_span(w), cadres_of(w), w->n);
    for (size_t i = 0; i < w->n; i++) {
        const kh_wenze_row *x = &w->rows[i];
        fprintf(out, "%s %s（%s%s%s） 情形%d：%s 依据：%s —— %s\n", x->cadre_id, x->name,
                x->department, county ? "，" : "", county ? x->county : "", x->condition,
                kh_wenze_condition_text(x->condition), x->evidence, WENZE_CONCLUSION);
    }
    if (w->note && *w->note)
        fprintf(out, "注意：%s。\n", w->note);
}

int kh_accountability(const kh_accountability_opts *o, FILE *out, kh_error *err)
{
    audit_store *s = audit_store_open(o->results, err);
    if (!s)
        return -1;
    kh_wenze w;
    int64_t run = 0, parts = 0;
    int has_card = 0;
    int rc = wenze_store_read(s, o->run, &run, &has_card, &parts, &w, err);
    audit_store_close(s);
    if (rc != 0)
        return -1;
    if (has_card && parts > 0 && !w.note)
        kh_seterr(err,
                  "%s: run %lld was merged from %lld runs by a kaohe that did not carry their "
                  "问责名单: merge them again with this version, or see each part's results",
                  o->results, (long long)run, (long long)parts);
    else if (!has_card)
        kh_seterr(err,
                  "%s: run %lld has no 包抓 scorecard (%s): the 问责名单 is made from its "
                  "results",
                  o->results, (long long)run, WENZE_SCORECARD);
    if ((parts > 0 && !w.note) || !has_card) {
        kh_wenze_free(&w);
        return -1;
    }
    if (o->csv && w.note && *w.note)
        fprintf(stderr, "kaohe: 问责名单: %s\n", w.note);
    if (o->csv)
        print_csv(&w, out);
    else
        print_text(&w, run, out);
    kh_wenze_free(&w);
    if (fflush(out) != 0 || ferror(out)) {
        kh_seterr(err, "cannot write the 问责名单: output error");
        return -1;
    }
    return 0;
}
