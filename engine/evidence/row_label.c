/*
 * row_label.c — evidence rows with Chinese labels and readable values. See row_label.h.
 *
 * One table of labels per evidence table a deduction can name: each column an SQL expression
 * (names looked up by id: the person's 姓名, the institution's 机构), its label, and how its
 * value reads — text as it is, 分 as "1,000.00 元", 0/1 flags as 是/否. NULL values are left
 * out (nothing recorded). The labels follow fixtures/evidence-schema.sql's comments.
 */
#include "evidence/row_label.h"

#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "evidence/audit_query.h"

typedef enum { F_TEXT, F_FEN, F_FLAG } col_fmt;

typedef struct col_label {
    const char *expr, *label;
    col_fmt fmt;
} col_label;

typedef struct table_label {
    const char *table, *from; /* the row is `t`; joins name other rows */
    const col_label *cols;
} table_label;

#define END                                                                                        \
    {                                                                                              \
        NULL, NULL, F_TEXT                                                                         \
    }
#define PERSON_NAME "(SELECT name FROM person WHERE id = t.person_id)"

static const col_label PERSON[] = {{"t.name", "姓名", F_TEXT},
                                   {"t.id", "身份证号", F_TEXT},
                                   {"t.sex", "性别", F_TEXT},
                                   {"t.birth_date", "出生日期", F_TEXT},
                                   {"v.name", "村", F_TEXT},
                                   {"h.category", "户类别", F_TEXT},
                                   {"t.low_income", "农村低收入人口", F_FLAG},
                                   {"t.dibao", "城乡低保", F_FLAG},
                                   {"t.tekun", "特困供养", F_FLAG},
                                   {"t.disabled", "残疾/失能", F_FLAG},
                                   {"t.away", "长期外出", F_FLAG},
                                   END};
static const col_label ADMISSION[] = {
    {PERSON_NAME, "姓名", F_TEXT},
    {"t.person_id", "身份证号", F_TEXT},
    {"t.kind", "类别", F_TEXT},
    {"t.admitted_on", "入院日期", F_TEXT},
    {"t.discharged_on", "出院日期", F_TEXT},
    {"(SELECT name FROM institution WHERE id = t.institution_id)", "机构", F_TEXT},
    {"t.deposit_fen", "押金", F_FEN},
    {"t.one_stop", "“一站式”结算", F_FLAG},
    {"t.total_fen", "医疗总费用", F_FEN},
    {"t.compliant_fen", "合规医疗费用", F_FEN},
    {"t.basic_fen", "基本医保报销", F_FEN},
    {"t.serious_fen", "大病保险报销", F_FEN},
    {"t.aid_fen", "医疗救助", F_FEN},
    {"t.other_fen", "其他补偿", F_FEN},
    {"t.self_fen", "个人自付", F_FEN},
    {"t.sent_by_team", "“送人就医”", F_FLAG},
    {"t.referred_up", "转诊上级医院", F_FLAG},
    {"t.expert_acted", "专家落实帮扶措施", F_FLAG},
    END};
static const col_label CONTRACT[] = {{PERSON_NAME, "姓名", F_TEXT},
                                     {"t.person_id", "身份证号", F_TEXT},
                                     {"t.team_id", "签约团队", F_TEXT},
                                     {"t.signed_on", "签约日期", F_TEXT},
                                     {"t.expires_on", "到期日期", F_TEXT},
                                     {"t.package", "服务包", F_TEXT},
                                     {"t.plan", "“一人一策”已制定", F_FLAG},
                                     {"t.handbook_ok", "手册信息相符", F_FLAG},
                                     END};
static const col_label FOLLOWUP[] = {
    {PERSON_NAME, "姓名", F_TEXT},     {"t.person_id", "身份证号", F_TEXT},
    {"t.visited_on", "日期", F_TEXT},  {"t.kind", "服务类别", F_TEXT},
    {"t.team_id", "签约团队", F_TEXT}, END};
static const col_label DIAGNOSIS[] = {{PERSON_NAME, "姓名", F_TEXT},
                                      {"t.person_id", "身份证号", F_TEXT},
                                      {"t.disease", "疾病", F_TEXT},
                                      {"t.kind", "类别", F_TEXT},
                                      {"t.diagnosed_on", "确诊日期", F_TEXT},
                                      {"t.major50", "50种重大疾病", F_FLAG},
                                      {"t.big4", "四大慢病", F_FLAG},
                                      {"t.needs_card", "应办慢病卡", F_FLAG},
                                      END};
static const col_label SURVEY[] = {{PERSON_NAME, "姓名", F_TEXT},
                                   {"t.person_id", "身份证号", F_TEXT},
                                   {"t.surveyed_on", "调查日期", F_TEXT},
                                   {"t.aware", "知晓政策", F_FLAG},
                                   END};
static const col_label FINDING[] = {{"t.scorecard", "考核表", F_TEXT},
                                    {"t.item", "项目", F_TEXT},
                                    {"t.subject_id", "考核对象", F_TEXT},
                                    {"t.period", "考核期", F_TEXT},
                                    {"t.answer", "结论", F_TEXT},
                                    {"t.score", "得分", F_TEXT},
                                    {"nullif(t.note, '')", "说明", F_TEXT},
                                    {"t.inspector", "核查人", F_TEXT},
                                    {"t.inspected_on", "核查日期", F_TEXT},
                                    {"nullif(t.evidence_ref, '')", "佐证", F_TEXT},
                                    END};
static const col_label CADRE[] = {{"t.name", "姓名", F_TEXT},
                                  {"t.id", "编号", F_TEXT},
                                  {"t.department", "单位", F_TEXT},
                                  {"t.role", "职务", F_TEXT},
                                  END};
static const col_label CADRE_VISIT[] = {
    {"(SELECT name FROM cadre WHERE id = t.cadre_id)", "干部", F_TEXT},
    {"(SELECT name FROM village WHERE id = t.village_id)", "村", F_TEXT},
    {"t.visited_on", "日期", F_TEXT},
    {"nullif(t.log, '')", "工作日志", F_TEXT},
    END};
static const col_label VILLAGE[] = {
    {"t.name", "村", F_TEXT},
    {"t.id", "编号", F_TEXT},
    {"(SELECT name FROM township WHERE id = t.township_id)", "乡镇", F_TEXT},
    {"t.key_village", "重点村", F_FLAG},
    END};
static const col_label INSTITUTION[] = {{"t.name", "机构", F_TEXT},
                                        {"t.id", "编号", F_TEXT},
                                        {"t.kind", "类别", F_TEXT},
                                        {"t.in_county", "县域内定点", F_FLAG},
                                        {"t.capability_met", "达到服务能力基本标准", F_FLAG},
                                        {"t.floor_m2", "面积（平方米）", F_TEXT},
                                        {"t.rooms_separated", "四室分开", F_FLAG},
                                        {"t.licensed_staff", "执业医护人员", F_TEXT},
                                        {"t.service_population", "服务人口", F_TEXT},
                                        END};

static const table_label TABLES[] = {
    {"person",
     "person t JOIN household h ON h.id = t.household_id JOIN village v ON v.id = "
     "h.village_id",
     PERSON},
    {"admission", "admission t", ADMISSION},
    {"contract", "contract t", CONTRACT},
    {"followup", "followup t", FOLLOWUP},
    {"diagnosis", "diagnosis t", DIAGNOSIS},
    {"survey", "survey t", SURVEY},
    {"finding", "finding t", FINDING},
    {"cadre", "cadre t", CADRE},
    {"cadre_visit", "cadre_visit t", CADRE_VISIT},
    {"village", "village t", VILLAGE},
    {"institution", "institution t", INSTITUTION},
};

void ev_format_fen(int64_t fen, char *buf, size_t size)
{
    uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
    char digits[32], grouped[48];
    snprintf(digits, sizeof digits, "%" PRIu64, a / 100);
    size_t n = strlen(digits), j = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            grouped[j++] = ',';
        grouped[j++] = digits[i];
    }
    grouped[j] = '\0';
    snprintf(buf, size, "%s%s.%02u", fen < 0 ? "-" : "", grouped, (unsigned)(a % 100));
}

/* One labelled value onto sb; NULL values are left out. */
static void put_value(strbuf *sb, const col_label *col, ev_cursor *c, int i)
{
    if (ev_coltype(c, i) == KH_NULL)
        return;
    if (sb->len)
        sb_printf(sb, "，");
    if (col->fmt == F_FEN && ev_coltype(c, i) == KH_INT) {
        char buf[48];
        ev_format_fen(ev_int(c, i), buf, sizeof buf);
        sb_printf(sb, "%s %s 元", col->label, buf);
    } else if (col->fmt == F_FLAG && ev_coltype(c, i) == KH_INT)
        sb_printf(sb, "%s %s", col->label, ev_int(c, i) ? "是" : "否");
    else
        sb_printf(sb, "%s %s", col->label, ev_text(c, i));
}

/* A table without labels: every column as name=value, as the evidence holds it. */
static int raw_row(evidence *ev, const char *table, const char *key, char **text, kh_error *err)
{
    ev_cursor *c = NULL;
    if (ev_row_by_id(ev, table, key, "explain:", &c, err) != 0)
        return -1;
    strbuf sb = {0};
    int step = ev_step(c, err);
    if (step == 1) {
        for (int i = 0; i < ev_ncols(c); i++)
            sb_printf(&sb, "%s%s=%s", i ? "，" : "", ev_colname(c, i), ev_text(c, i));
        char *s = sb_take(&sb);
        *text = s ? s : xstrdup("");
    }
    ev_done(c);
    return step < 0 ? -1 : step;
}

int ev_row_text(evidence *ev, const char *table, const char *key, char **text, kh_error *err)
{
    *text = NULL;
    const table_label *t = NULL;
    for (size_t i = 0; i < sizeof TABLES / sizeof *TABLES; i++)
        if (strcmp(TABLES[i].table, table) == 0)
            t = &TABLES[i];
    if (!t)
        return raw_row(ev, table, key, text, err);
    strbuf sql = {0};
    sb_printf(&sql, "SELECT ");
    for (int i = 0; t->cols[i].expr; i++)
        sb_printf(&sql, "%s%s", i ? ", " : "", t->cols[i].expr);
    sb_printf(&sql, " FROM %s WHERE t.id = :key", t->from);
    kh_param p = {"key", {.type = KH_TEXT, .s = key}};
    ev_cursor *c = NULL;
    int rc = ev_query(ev, sb_str(&sql), &p, 1, "explain:", &c, err);
    sb_free(&sql);
    if (rc != 0)
        return -1;
    int step = ev_step(c, err);
    if (step == 1) {
        strbuf sb = {0};
        for (int i = 0; t->cols[i].expr; i++)
            put_value(&sb, &t->cols[i], c, i);
        char *s = sb_take(&sb);
        *text = s ? s : xstrdup("");
    }
    ev_done(c);
    return step < 0 ? -1 : step;
}
