/*
 * report_run.c — 运行信息: what an auditor needs to reproduce the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_internal.h"

/* 运行信息: a key and its value, one per row */
static const double RUN_WIDTHS[] = {22, 100};

static void kv(lxw_worksheet *ws, const formats *f, lxw_row_t *row, const char *k, const char *v)
{
    report_string(ws, *row, 0, k, f->head);
    report_string(ws, *row, 1, v ? v : "", f->wrap);
    const char *wrapped[] = {k, v};
    report_fit_row(ws, *row, wrapped, RUN_WIDTHS, 2);
    (*row)++;
}

void report_sheet_run(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
                      size_t nsc, const kh_results *r, int summary)
{
    static const char *const heads[] = {"项目", "内容"};

    lxw_worksheet *ws =
        report_table_sheet(wb, f, "运行信息", "运行信息（复核本次考核所需的全部信息）", heads,
                           RUN_WIDTHS, NCOLS(heads, RUN_WIDTHS));
    lxw_row_t row = 2;
    char buf[128];
    kv(ws, f, &row, "引擎版本", m->engine_version);
    kv(ws, f, &row, "运行时间(UTC)", m->started_at);
    kv(ws, f, &row, "考核期", m->period);
    kv(ws, f, &row, "整改完成时限", m->deadline);
    kv(ws, f, &row, "参数", m->params && *m->params ? m->params : "（均为默认值）");
    kv(ws, f, &row, "命令行", m->command_line);
    if (summary) {
        if (m->nparts > 1)
            snprintf(buf, sizeof buf, "%zu 个证据库（分片）合并运行：", m->nparts);
        else
            snprintf(buf, sizeof buf, "多县运行：");
        strbuf v = {0};
        sb_printf(&v, "%s省级汇总版，不含各对象考核表和逐条明细（见结果库与各县工作簿）", buf);
        kv(ws, f, &row, "工作簿内容", sb_str(&v));
        sb_free(&v);
    }
    kv(ws, f, &row, "证据库", m->evidence_path);
    kv(ws, f, &row, "证据内容哈希(SHA-256)", m->evidence.sha256);
    kv(ws, f, &row, "考核表语言文件", m->language_path);
    kv(ws, f, &row, "考核表语言SHA-256", m->language_sha256);
    for (size_t i = 0; i < nsc; i++) {
        strbuf sb = {0};
        sb_printf(&sb, "%s（%s，%s）\n文件：%s\nSHA-256：%s", scs[i]->title, scs[i]->id,
                  sc_mode_name(scs[i]->mode), scs[i]->path, scs[i]->sha256);
        if (scs[i]->source)
            sb_printf(&sb, "\n依据：%s", scs[i]->source);
        snprintf(buf, sizeof buf, "考核表 %zu", i + 1);
        kv(ws, f, &row, buf, sb_str(&sb));
        sb_free(&sb);
        if (scs[i]->reading) { /* issue 14: where each computed item's reading is stated */
            snprintf(buf, sizeof buf, "考核表 %zu 解读表", i + 1);
            kv(ws, f, &row, buf, scs[i]->reading);
        }
    }
    for (size_t i = 0; i < m->nimports; i++) {
        char *const *part = m->imports[i]; /* file, sha256, table, read, accepted, rejected, time */
        strbuf v = {0};
        sb_printf(&v, "%s → %s：读入 %s 行，导入 %s 行，拒收 %s 行；%s；SHA-256 %s", part[0],
                  part[2], part[3], part[4], part[5], part[6], part[1]);
        snprintf(buf, sizeof buf, "证据导入 %zu", i + 1);
        kv(ws, f, &row, buf, sb_str(&v));
        sb_free(&v);
    }
    snprintf(buf, sizeof buf, "%zu 条评分，%zu 条扣分记录", kh_results_nscores(r),
             kh_results_ndeductions(r));
    kv(ws, f, &row, "结果规模", buf);
    for (size_t i = 0; i < m->evidence.count; i++) {
        char key[160], val[160];
        snprintf(key, sizeof key, "证据表 %s", m->evidence.tables[i].table);
        snprintf(val, sizeof val, "%lld 行，SHA-256 %s", (long long)m->evidence.tables[i].rows,
                 m->evidence.tables[i].sha256);
        kv(ws, f, &row, key, val);
    }
}
