/*
 * findings.c — `kaohe findings list|remove`: the words around evidence/findings_manage.c. See
 * findings.h.
 */
#include "app/findings.h"

#include <string.h>

#include "evidence/findings_manage.h"

/* The list being printed, and how many findings it has. */
typedef struct listing {
    FILE *out;
    long n;
} listing;

#define HEADER                                                                                     \
    "核查编号\t考核表\t项目\t对象类别\t对象编码\t考核期\t核查结论\t得分\t核查人\t核查日期\t说明"

/* One finding as a tab-separated line, without its end. */
static void print_finding(FILE *out, const ev_finding *f)
{
    fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s", f->id, f->scorecard, f->item,
            f->subject_kind, f->subject_id, f->period, f->answer, f->score, f->inspector,
            f->inspected_on, f->note);
}

static int list_one(void *ud, const ev_finding *f)
{
    listing *l = ud;
    print_finding(l->out, f);
    fputc('\n', l->out);
    l->n++;
    return 0;
}

/* A removed finding: its line, then when (UTC), who and how. */
static int list_removed_one(void *ud, const ev_finding *f, const char *const when[3])
{
    listing *l = ud;
    print_finding(l->out, f);
    fprintf(l->out, "\t%s\t%s\t%s\n", when[0], when[1], when[2]);
    l->n++;
    return 0;
}

int kh_findings_list_removed(const char *evidence, FILE *out, kh_error *err)
{
    listing l = {out, 0};
    fprintf(out, HEADER "\t删除时间\t操作人\t方式\n");
    if (ev_findings_removed_list(evidence, list_removed_one, &l, err) != 0)
        return -1;
    fprintf(out, "共 %ld 条已删除的核查结论\n", l.n);
    return 0;
}

int kh_findings_list(const char *evidence, const ev_finding *filter, FILE *out, kh_error *err)
{
    listing l = {out, 0};
    fprintf(out, HEADER "\n");
    if (ev_findings_list(evidence, filter, list_one, &l, err) != 0)
        return -1;
    fprintf(out, "共 %ld 条核查结论\n", l.n);
    return 0;
}

/* One line per finding removed, kept until the removal is committed: a refused removal says
 * nothing was removed and must not list any. */
static void removed_one(void *ud, const ev_finding *f)
{
    strbuf *sb = ud;
    sb_printf(sb, "已删除 %s：%s 第%s项，%s %s，考核期 %s；核查结论 %s%s%s，%s %s\n", f->id,
              f->scorecard, f->item, f->subject_kind, f->subject_id, f->period, f->answer,
              *f->score ? " 得分 " : "", f->score, f->inspector, f->inspected_on);
}

int kh_findings_remove(const char *evidence, const char *const *ids, size_t nids, FILE *out,
                       kh_error *err)
{
    strbuf sb = {0};
    int rc = ev_findings_remove(evidence, ids, nids, removed_one, &sb, err);
    if (rc == 0) {
        fputs(sb_str(&sb), out);
        size_t n = 0;
        for (const char *p = sb_str(&sb); (p = strchr(p, '\n')); p++)
            n++;
        fprintf(out, "%s：删除 %zu 条核查结论\n", evidence, n);
    }
    sb_free(&sb);
    return rc;
}
