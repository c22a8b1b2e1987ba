/*
 * report.c — writes the workbook. See report.h.
 */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/tmpfile.h"
#include "report/report_internal.h"

/* A source that failed part-way (a results database gone bad under us) fails the workbook. */
static int walk_done(const kh_iter *it, kh_error *err)
{
    if (!it->failed)
        return 0;
    kh_seterr(err, "%s", it->err.msg);
    return -1;
}

/* A sheet holds at most LXW_ROW_MAX rows: a table longer than that goes on in a sheet of the
 * same name with （续2）, （续3）… and the same title and header rows. */
static lxw_worksheet *table_go_on(lxw_workbook *wb, const formats *f, sheet_names *names,
                                  const char *base, int part, const char *title,
                                  const char *const *heads, const double *widths, int ncols)
{
    char name[64];
    snprintf(name, sizeof name, "%s（续%d）", base, part);
    return report_table_sheet(wb, f, report_sheet_name(names, name), title, heads, widths, ncols);
}

/* 对象类别 in 汇总: the kind, and for a roll-up what it is and how many of its members it
 * covers: "乡镇（平均）：10村中5村已评分". */
static void summary_kind(char *buf, size_t size, const scorecard *sc, const kh_results *r,
                         const kh_total *t)
{
    const char *kind = r->sets[t->set].kind;
    if (!t->rollup) {
        snprintf(buf, size, "%s", kh_kind_label(kind));
        return;
    }
    const char *member = kh_kind_label(kh_rollup_member_kind(sc, kind));
    snprintf(buf, size, "%s（%s）：%d%s中%d%s已评分", kh_kind_label(kind), kh_rollup_label(sc),
             t->members_total, member, t->members_total - t->pending, member);
}

static void sheet_summary(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
                          const kh_results *r, const form_plan *plan)
{
    static const char *const heads[] = {"序号",     "考核表", "对象类别",  "考核对象",
                                        "对象编码", "所属",   "得分/扣分", "等次",
                                        "待核实项", "否决",   "名次"};
    static const double widths[] = {6, 30, 28, 18, 16, 16, 11, 8, 9, 6, 7};
    strbuf title = {0};
    sb_printf(&title, "考核结果汇总（考核期：%s）", m->period);
    lxw_worksheet *ws =
        report_table_sheet(wb, f, "汇总", sb_str(&title), heads, widths, NCOLS(heads, widths));
    sb_free(&title);
    lxw_row_t row = 2;
    for (size_t i = 0; i < r->ntotals; i++) {
        const kh_total *t = &r->totals[i];
        const scorecard *sc = scs[t->sc];
        const kh_subject *s = &r->sets[t->set].items[t->subject];
        worksheet_write_number(ws, row, 0, (double)(i + 1), f->center);
        report_string(ws, row, 1, sc->title, f->text);
        char kind[160];
        summary_kind(kind, sizeof kind, sc, r, t);
        report_string(ws, row, 2, kind, f->center);
        if (plan->place[i].sheet) {
            /* the subject's name links to its filled-in form */
            char url[256];
            snprintf(url, sizeof url, "internal:'%s'!A%u", plan->place[i].sheet,
                     (unsigned)plan->place[i].row + 1);
            report_link(ws, row, 3, url, f->link, s->name, "打开该对象的考核表");
        } else {
            report_string(ws, row, 3, s->name, f->text);
        }
        report_string(ws, row, 4, s->id, f->text);
        report_string(ws, row, 5, s->parent, f->text);
        if (t->rollup && !t->members)
            report_string(ws, row, 6, "待核实", f->center);
        else
            report_write_points(ws, row, 6, t->total, t->total < 0 ? f->num_bad : f->num);
        report_string(ws, row, 7, t->grade ? t->grade : "", f->center);
        worksheet_write_number(ws, row, 8, t->pending, f->center);
        report_string(ws, row, 9, t->vetoed ? "否决" : "", f->center);
        if (t->rank)
            worksheet_write_number(ws, row, 10, t->rank, f->center);
        else
            report_string(ws, row, 10, "", f->center);
        row++;
    }
    if (r->ntotals)
        worksheet_autofilter(ws, 1, 0, row - 1, 10);
    /* grades at a glance: 好 green, 差 red, 待核实 yellow */
    static const struct {
        const char *text;
        lxw_color_t fill, font;
    } GRADE_COLOURS[] = {
        {"好", 0xC6EFCE, 0x006100}, {"差", 0xFFC7CE, 0x9C0006}, {"待核实", 0xFFEB9C, 0x9C5700}};
    for (size_t g = 0; r->ntotals && g < sizeof GRADE_COLOURS / sizeof GRADE_COLOURS[0]; g++) {
        lxw_format *fmt = workbook_add_format(wb);
        format_set_bg_color(fmt, GRADE_COLOURS[g].fill);
        format_set_font_color(fmt, GRADE_COLOURS[g].font);
        lxw_conditional_format cf = {.type = LXW_CONDITIONAL_TYPE_TEXT,
                                     .criteria = LXW_CONDITIONAL_CRITERIA_TEXT_BEGINS_WITH,
                                     .value_string = (char *)GRADE_COLOURS[g].text,
                                     .format = fmt};
        worksheet_conditional_format_range(ws, 2, 7, row - 1, 7, &cf);
    }
}

/* The level a scorecard's chart shows: the highest unit subjects are averaged into (city,
 * county, township in core/kinds.h's order) at which it has more than one total (a province:
 * its cities; a county: its townships). */
static const char *chart_kind(const kh_results *r, size_t sc)
{
    for (size_t k = 0; k < KH_NKINDS; k++) {
        const char *kind = KH_KINDS[k].name;
        size_t n = 0;
        for (size_t i = 0; i < r->ntotals && n < 2 && kh_kind_has_members(kind); i++)
            n += r->totals[i].sc == sc && strcmp(r->sets[r->totals[i].set].kind, kind) == 0;
        if (n >= 2)
            return kind;
    }
    return "township";
}

/* 图表: for every scorecard with township totals (its own or averaged from villages), a table
 * of the townships and a column chart of their scores. */
static void sheet_charts(lxw_workbook *wb, const formats *f, scorecard **scs, const kh_results *r)
{
    static const char *const heads[] = {"单位", "得分/扣分"};
    static const double widths[] = {14, 11};
    lxw_worksheet *ws =
        report_table_sheet(wb, f, "图表", "各单位考核结果", heads, widths, NCOLS(heads, widths));
    worksheet_set_portrait(ws);
    lxw_row_t row = 2;
    size_t i = 0;
    while (i < r->ntotals) {
        size_t j = i;
        while (j < r->ntotals && r->totals[j].sc == r->totals[i].sc &&
               r->totals[j].set == r->totals[i].set)
            j++;
        if (strcmp(r->sets[r->totals[i].set].kind, chart_kind(r, r->totals[i].sc)) == 0) {
            const scorecard *sc = scs[r->totals[i].sc];
            report_merge(ws, row, 0, row, 1, sc->title, f->head);
            lxw_row_t first = ++row;
            for (size_t k = i; k < j; k++, row++) {
                const kh_total *t = &r->totals[k];
                report_string(ws, row, 0, r->sets[t->set].items[t->subject].name, f->text);
                if (t->rollup && !t->members)
                    report_string(ws, row, 1, "待核实", f->center);
                else
                    report_write_points(ws, row, 1, t->total, f->num);
            }
            lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_COLUMN);
            char cats[160], vals[160];
            strbuf title = {0}, fixed = {0};
            snprintf(cats, sizeof cats, "=图表!$A$%u:$A$%u", (unsigned)first + 1, (unsigned)row);
            snprintf(vals, sizeof vals, "=图表!$B$%u:$B$%u", (unsigned)first + 1, (unsigned)row);
            lxw_chart_series *series = chart_add_series(chart, cats, vals);
            chart_series_set_name(series, sc->mode == MODE_DEDUCTION ? "扣分合计" : "平均得分");
            sb_printf(&title, "%s：各%s%s", sc->title,
                      kh_kind_label(r->sets[r->totals[i].set].kind),
                      sc->mode == MODE_DEDUCTION ? "扣分合计" : "平均得分");
            chart_title_set_name(chart, report_cell_text(&fixed, sb_str(&title)));
            sb_free(&title);
            sb_free(&fixed);
            chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
            lxw_chart_options opts = {.x_scale = 2.2, .y_scale = 1.4};
            worksheet_insert_chart_opt(ws, first - 1, 3, chart, &opts);
            row += row - first < 22 ? 22 - (row - first) : 1;
        }
        i = j;
    }
}

/* 整改台账 in the columns of the seed's 整改工作进度表 (德卫办函〔2018〕119号 附件3: 单位,
 * 重点工作, 具体内容, 完成时限, 工作进度, 备注), with the accountable party beside the problem: one
 * row per item on which a subject lost points. */
static int sheet_ledger(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
                        const kh_results *r, kh_error *err)
{
    static const char *const heads[] = {"序号",     "单位",     "重点工作", "具体内容",
                                        "问责主体", "完成时限", "工作进度", "备注"};
    static const double widths[] = {6, 18, 40, 48, 16, 11, 9, 22};
    lxw_worksheet *ws = report_table_sheet(wb, f, "整改台账", "健康扶贫问题整改台账", heads, widths,
                                           NCOLS(heads, widths));
    lxw_row_t row = 2;
    kh_iter walk;
    for (const kh_score *s = kh_scores_first(&walk, r); s; s = kh_scores_next(&walk)) {
        long long nevidence = (long long)s->nevidence;
        if (s->status != ST_DEDUCTED)
            continue;
        const scorecard *sc = scs[s->sc];
        const sc_item *it = &sc->items[s->item];
        const kh_subject *subj = &r->sets[s->set].items[s->subject];
        /* strbufs, not fixed buffers: a long honest text cut mid-character would damage the
         * workbook */
        strbuf unit_sb = {0}, work_sb = {0};
        char note[256], buf[32];
        sb_printf(&unit_sb, "%s%s%s%s", subj->name, subj->parent[0] ? "（" : "", subj->parent,
                  subj->parent[0] ? "）" : "");
        sb_printf(&work_sb, "%s 第%s项：%s", sc->short_title, it->no, it->text ? it->text : "");
        const char *unit = sb_str(&unit_sb), *work = sb_str(&work_sb);
        if (sc->mode == MODE_DEDUCTION)
            snprintf(note, sizeof note, "扣%s分；证据%lld条，见扣分明细",
                     points_format(-s->points, buf, sizeof buf), nevidence);
        else
            snprintf(note, sizeof note, "%s失%s分；证据%lld条，见扣分明细",
                     s->veto ? "否决项；" : "", points_format(s->max - s->points, buf, sizeof buf),
                     nevidence);
        worksheet_write_number(ws, row, 0, (double)(row - 1), f->center);
        report_string(ws, row, 1, unit, f->wrap);
        report_string(ws, row, 2, work, f->wrap);
        report_string(ws, row, 3, s->reason, f->wrap);
        report_string(ws, row, 4, it->accountable ? it->accountable : "", f->wrap);
        report_string(ws, row, 5, m->deadline, f->center);
        report_string(ws, row, 6, "未整改", f->center);
        report_string(ws, row, 7, note, f->wrap);
        const char *wrapped[] = {NULL, unit, work, s->reason, it->accountable, NULL, NULL, note};
        report_fit_row(ws, row, wrapped, widths, NCOLS(heads, widths));
        sb_free(&unit_sb);
        sb_free(&work_sb);
        row++;
    }
    if (row > 2)
        worksheet_autofilter(ws, 1, 0, row - 1, 7);
    return walk_done(&walk, err);
}

static void sheet_items(lxw_workbook *wb, const formats *f, sheet_names *names, scorecard **scs,
                        const kh_results *r)
{
    static const char *const heads[] = {"考核表", "对象类别",  "考核对象", "序号",     "考核指标",
                                        "分值",   "得分/扣分", "状态",     "扣分说明", "问责主体"};
    static const double widths[] = {22, 9, 16, 6, 50, 7, 9, 8, 40, 16};
    lxw_worksheet *ws = report_table_sheet(wb, f, "考核明细", "考核明细（每个考核对象、每项指标）",
                                           heads, widths, NCOLS(heads, widths));
    lxw_row_t row = 2;
    int part = 1;
    for (size_t i = 0; i < r->nscores; i++) {
        const kh_score *s = &r->scores[i];
        const scorecard *sc = scs[s->sc];
        const sc_item *it = &sc->items[s->item];
        const kh_subject *subj = &r->sets[s->set].items[s->subject];
        if (row == LXW_ROW_MAX) {
            ws = table_go_on(wb, f, names, "考核明细", ++part, "考核明细（续）", heads, widths,
                             NCOLS(heads, widths));
            row = 2;
        }
        report_string(ws, row, 0, sc->title, f->text);
        report_string(ws, row, 1, kh_kind_label(r->sets[s->set].kind), f->center);
        report_string(ws, row, 2, subj->name, f->text);
        report_string(ws, row, 3, it->no, f->center);
        report_string(ws, row, 4, it->text ? it->text : "", f->wrap);
        if (s->max >= 0)
            report_write_points(ws, row, 5, s->max, f->num);
        else
            report_string(ws, row, 5, "", f->text);
        if (s->status == ST_PENDING)
            report_string(ws, row, 6, "待核实", f->center);
        else
            report_write_points(ws, row, 6, s->points,
                                s->status == ST_DEDUCTED ? f->num_bad : f->num);
        report_string(ws, row, 7, s->veto ? "否决" : kh_status_label(s->status), f->center);
        report_string(ws, row, 8, s->reason, f->wrap);
        report_string(ws, row, 9, it->accountable ? it->accountable : "", f->wrap);
        const char *wrapped[] = {NULL, NULL, NULL, NULL,      it->text,
                                 NULL, NULL, NULL, s->reason, it->accountable};
        report_fit_row(ws, row, wrapped, widths, NCOLS(heads, widths));
        row++;
    }
}

static int sheet_deductions(lxw_workbook *wb, const formats *f, sheet_names *names, scorecard **scs,
                            const kh_results *r, kh_error *err)
{
    static const char *const heads[] = {"序号", "考核表",   "对象类别", "考核对象", "项目序号",
                                        "扣分", "扣分原因", "证据表",   "证据编号"};
    static const double widths[] = {7, 22, 9, 16, 8, 7, 56, 12, 22};
    lxw_worksheet *ws = report_table_sheet(wb, f, "扣分明细", "扣分明细（每一处失分及其证据）",
                                           heads, widths, NCOLS(heads, widths));
    lxw_row_t row = 2;
    int part = 1;
    size_t i = 0;
    kh_iter it;
    for (const kh_deduction *d = kh_deductions_first(&it, r); d; d = kh_deductions_next(&it), i++) {
        const scorecard *sc = scs[d->sc];
        if (row == LXW_ROW_MAX) {
            worksheet_autofilter(ws, 1, 0, row - 1, 8);
            ws = table_go_on(wb, f, names, "扣分明细", ++part, "扣分明细（续）", heads, widths,
                             NCOLS(heads, widths));
            row = 2;
        }
        worksheet_write_number(ws, row, 0, (double)(i + 1), f->center);
        report_string(ws, row, 1, sc->title, f->text);
        report_string(ws, row, 2, kh_kind_label(r->sets[d->set].kind), f->center);
        report_string(ws, row, 3, r->sets[d->set].items[d->subject].name, f->text);
        report_string(ws, row, 4, sc->items[d->item].no, f->center);
        report_write_points(ws, row, 5, d->points, f->num);
        report_string(ws, row, 6, d->reason, f->wrap);
        report_string(ws, row, 7, d->table, f->text);
        report_string(ws, row, 8, d->key, f->text);
        const char *wrapped[] = {NULL, NULL, NULL, NULL, NULL, NULL, d->reason, NULL, NULL};
        report_fit_row(ws, row, wrapped, widths, NCOLS(heads, widths));
        row++;
    }
    if (row > 2)
        worksheet_autofilter(ws, 1, 0, row - 1, 8);
    return walk_done(&it, err);
}

/* The provincial report's 扣分明细 / 考核明细: where the rows are, and how many. */
static void sheet_note(lxw_workbook *wb, const formats *f, const char *name, const char *what,
                       size_t count)
{
    static const char *const heads[] = {"说明"};
    static const double widths[] = {120};
    char title[128], text[1024];
    snprintf(title, sizeof title, "%s（多县合并运行）", name);
    lxw_worksheet *ws = report_table_sheet(wb, f, name, title, heads, widths, NCOLS(heads, widths));
    snprintf(text, sizeof text,
             "本次考核由多个县的证据库合并运行，共 %zu 条%s。逐条明细不列入省级汇总工作簿，"
             "全部保存在结果库中（%s 表，可用 SQL 查询，或用 kaohe explain 查看某一考核对象的失分"
             "及其证据），各县的考核表、考核明细和扣分明细见各县工作簿（kaohe run "
             "--county-workbooks）。",
             count, what, strcmp(name, "扣分明细") == 0 ? "deduction" : "score");
    report_string(ws, 2, 0, text, f->wrap);
    worksheet_set_row(ws, 2, 60, NULL);
}

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

static void sheet_run(lxw_workbook *wb, const formats *f, const kh_manifest *m, scorecard **scs,
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

/* kaohe_manifest (hidden): the run's manifest and every score and deduction in machine form,
 * so that `kaohe reproduce --workbook` can re-run and compare from the workbook alone. One
 * record per row: its type in column A, then fields. */
static int sheet_manifest(lxw_workbook *wb, const kh_manifest *m, scorecard **scs, size_t nsc,
                          const kh_results *r, int summary, kh_error *err)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "kaohe_manifest");
    lxw_row_t row = 0;
    int part = 1;
    char num[32], when[32];
    snprintf(when, sizeof when, "%lld", (long long)m->started);
    /* a full sheet ends with a record naming the sheet the manifest goes on in */
#define CELLS(...)                                                                                 \
    do {                                                                                           \
        if (row == LXW_ROW_MAX - 1) {                                                              \
            char next_[32];                                                                        \
            snprintf(next_, sizeof next_, "kaohe_manifest_%d", ++part);                            \
            report_string(ws, row, 0, "continued", NULL);                                          \
            report_string(ws, row, 1, next_, NULL);                                                \
            worksheet_hide(ws);                                                                    \
            ws = workbook_add_worksheet(wb, next_);                                                \
            row = 0;                                                                               \
        }                                                                                          \
        const char *v_[] = {__VA_ARGS__};                                                          \
        for (size_t c_ = 0; c_ < sizeof v_ / sizeof v_[0]; c_++)                                   \
            report_string(ws, row, (lxw_col_t)c_, v_[c_] ? v_[c_] : "", NULL);                     \
        row++;                                                                                     \
    } while (0)
    CELLS("format", "kaohe-manifest-1");
    CELLS("run", m->started_at, when, m->engine_version, m->period, m->params ? m->params : "",
          m->deadline);
    CELLS("language", m->language_path, m->language_sha256);
    for (size_t i = 0; i < nsc; i++)
        CELLS("scorecard", scs[i]->id, scs[i]->path, scs[i]->sha256);
    CELLS("evidence", m->evidence_path, m->evidence.sha256);
    for (size_t i = 0; i < m->evidence.count; i++) {
        snprintf(num, sizeof num, "%lld", (long long)m->evidence.tables[i].rows);
        CELLS("evidence_table", m->evidence.tables[i].table, num, m->evidence.tables[i].sha256);
    }
    for (size_t i = 0; i < m->nimports; i++)
        CELLS("import", m->imports[i][0], m->imports[i][1], m->imports[i][2], m->imports[i][3],
              m->imports[i][4], m->imports[i][5], m->imports[i][6]);
    if (summary) {
        /* the provincial summary carries no per-row records: the results database does */
        snprintf(num, sizeof num, "%zu", m->nparts);
        CELLS("summary", num);
        worksheet_hide(ws);
        return 0;
    }
    for (size_t i = 0; i < r->nscores; i++) {
        const kh_score *s = &r->scores[i];
        snprintf(num, sizeof num, "%lld", (long long)s->points);
        CELLS("score", scs[s->sc]->id, r->sets[s->set].kind, r->sets[s->set].items[s->subject].id,
              scs[s->sc]->items[s->item].no, kh_status_code(s->status),
              s->status == ST_PENDING ? "" : num);
    }
    kh_iter it;
    for (const kh_deduction *d = kh_deductions_first(&it, r); d; d = kh_deductions_next(&it)) {
        snprintf(num, sizeof num, "%lld", (long long)d->points);
        CELLS("deduction", scs[d->sc]->id, r->sets[d->set].kind,
              r->sets[d->set].items[d->subject].id, scs[d->sc]->items[d->item].no, d->table, d->key,
              num);
    }
#undef CELLS
    worksheet_hide(ws);
    return walk_done(&it, err);
}

int report_write(const char *path, const char *display, const kh_manifest *m, scorecard **scs,
                 size_t nsc, const kh_results *r, kh_error *err)
{
    /* Constant-memory mode keeps one row per sheet in memory, so a province-size workbook
     * stays small; but in it a cell range merged down several rows cannot be written (a row is
     * flushed as soon as a later one is touched). A county's workbook is a few tens of
     * thousands of rows and is written in normal mode with the forms' section cells merged
     * as printed; past REPORT_CONSTANT_MEMORY_ROWS the forms draw the same cells unmerged. */
    int summary = m->nparts > 1 || kh_results_many_counties(r);
    size_t rows = kh_results_nscores(r) + kh_results_ndeductions(r) + r->ntotals;
    for (size_t i = 0; i < r->ntotals; i++)
        rows += r->totals[i].rollup ? 0 : scs[r->totals[i].sc]->nitems + 6;
    /* the summary has no forms, so nothing in it needs merged rows */
    int constant_memory = summary || rows > REPORT_CONSTANT_MEMORY_ROWS;
    lxw_workbook_options opts = {.constant_memory = (uint8_t)constant_memory, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opts);
    if (!wb) {
        kh_seterr(err, "%s: cannot create workbook", display);
        return -1;
    }
    strbuf title = {0}, title_fixed = {0}, comments_fixed = {0};
    sb_printf(&title, "考核结果 %s", m->period);
    lxw_doc_properties props = {
        .title = (char *)report_cell_text(&title_fixed, sb_str(&title)),
        .author = "kaohe",
        .comments = (char *)report_cell_text(&comments_fixed, m->command_line),
        .created = m->started,
    };
    workbook_set_properties(wb, &props);
    sb_free(&title);
    sb_free(&title_fixed);
    sb_free(&comments_fixed);
    formats f;
    report_make_formats(wb, &f);
    /* the fixed sheets' names are taken first, so no form sheet can collide with them */
    sheet_names names = {0};
    static const char *const FIXED[] = {"汇总",     "图表",     "整改台账",      "扣分明细",
                                        "考核明细", "运行信息", "kaohe_manifest"};
    for (size_t i = 0; i < sizeof FIXED / sizeof FIXED[0]; i++)
        report_sheet_name(&names, FIXED[i]);
    form_plan plan;
    if (summary) {
        memset(&plan, 0, sizeof plan);
        plan.place = xcalloc(r->ntotals ? r->ntotals : 1, sizeof *plan.place);
    } else {
        report_plan_forms(&plan, &names, scs, r);
    }
    sheet_summary(wb, &f, m, scs, r, &plan);
    sheet_charts(wb, &f, scs, r);
    int failed = sheet_ledger(wb, &f, m, scs, r, err) != 0;
    if (!failed && !summary && r->nscores_streamed) {
        /* cannot happen: only a run over several counties streams its scores */
        kh_seterr(err, "%s: scores were streamed, but a full workbook needs them", display);
        failed = 1;
    }
    if (!failed && summary) {
        sheet_note(wb, &f, "扣分明细", "扣分记录", kh_results_ndeductions(r));
        sheet_note(wb, &f, "考核明细", "评分记录（考核对象×指标）", kh_results_nscores(r));
        sheet_run(wb, &f, m, scs, nsc, r, summary);
        failed = sheet_manifest(wb, m, scs, nsc, r, summary, err) != 0;
    } else if (!failed) {
        failed = sheet_deductions(wb, &f, &names, scs, r, err) != 0;
        if (!failed) {
            sheet_items(wb, &f, &names, scs, r);
            sheet_run(wb, &f, m, scs, nsc, r, summary);
            report_forms(wb, &f, &plan, m, scs, r, !constant_memory);
            failed = sheet_manifest(wb, m, scs, nsc, r, summary, err) != 0;
        }
    }
    report_plan_free(&plan);
    report_sheet_names_free(&names);
    lxw_error rc = workbook_close(wb);
    if (failed) {
        unlink(path);
        return -1;
    }
    if (rc != LXW_NO_ERROR) {
        kh_seterr(err, "%s: cannot write workbook: %s", display, lxw_strerror(rc));
        unlink(path);
        return -1;
    }
    return 0;
}

int report_table_workbook(const char *path, const char *sheet, const char *title,
                          const char *const *heads, const double *widths, int ncols,
                          int hidden_tail, char *const *cells, size_t nrows, kh_error *err)
{
    strbuf tmp = {0};
    if (kh_tmp_beside(&tmp, path, err) != 0) {
        sb_free(&tmp);
        return -1;
    }
    lxw_workbook *wb = workbook_new(sb_str(&tmp));
    if (!wb) {
        kh_seterr(err, "%s: cannot create workbook", path);
        unlink(sb_str(&tmp));
        sb_free(&tmp);
        return -1;
    }
    formats f;
    report_make_formats(wb, &f);
    lxw_worksheet *ws = report_table_sheet(wb, &f, sheet, title, heads, widths, ncols);
    for (size_t r = 0; r < nrows; r++) {
        for (int c = 0; c < ncols; c++) {
            const char *v = cells[r * (size_t)ncols + (size_t)c];
            report_string(ws, (lxw_row_t)(r + 2), (lxw_col_t)c, v ? v : "", f.wrap);
        }
        report_fit_row(ws, (lxw_row_t)(r + 2), (const char *const *)cells + r * (size_t)ncols,
                       widths, ncols - hidden_tail);
    }
    lxw_row_col_options hidden = {.hidden = 1};
    if (hidden_tail > 0)
        worksheet_set_column_opt(ws, (lxw_col_t)(ncols - hidden_tail), (lxw_col_t)(ncols - 1), 10,
                                 NULL, &hidden);
    lxw_error rc = workbook_close(wb);
    if (rc != LXW_NO_ERROR || rename(sb_str(&tmp), path) != 0) {
        kh_seterr(err, "%s: cannot write workbook%s%s", path, rc ? ": " : "",
                  rc ? lxw_strerror(rc) : "");
        unlink(sb_str(&tmp));
        sb_free(&tmp);
        return -1;
    }
    sb_free(&tmp);
    return 0;
}

const char *report_xlsxwriter_version(void)
{
    return LXW_VERSION;
}
