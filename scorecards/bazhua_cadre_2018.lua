-- 健康扶贫先锋行动包抓干部工作考核表 — 会宁县 县委办发〔2018〕83号 附件3 附表3-1 (seed 004).
-- 20 indicators, 100 points. One filled-in form per 包抓 cadre, judged over the villages the
-- cadre is assigned to in 附表3-2/3-3/3-4 (cadre_assignment; a NULL village means every
-- village of the township).
--
-- What the evidence can show is computed; the rest comes from the inspectors' findings
-- (finding table, scorecard id "huining-bazhua-2018", subject_kind "cadre"):
--   computed: 3.1 3.2 4.2 4.3 5.1 5.2 5.3 6.3 8.1 8.2      findings: 1.1 1.2 2.1 2.2 4.1 6.1
--   6.2 7.1 7.2 9 (9 allows 部分 with the inspector's score)
-- 4.2, 4.3 and 8.1 also have clauses no evidence table shows (60%总额预付, “一站式”结算窗口,
-- 健康管理工作台账): those are read from the inspector's finding on the same item number; a
-- computed failure fails the item whatever the finding says, and no failure without a finding
-- is 待核实.
-- 1.1 and 1.2 are veto items: 是 sets the annual grade to 差 whatever the points.
--
-- The reading of every computed item (printed text, what is computed, population, window,
-- why) is the table docs/forms/bazhua_cadre_2018.md, named on the workbook's 运行信息 sheet.
--   grades            the form and seed 004 print no grade bands, so the card declares none and
--                     prints no grade from points ("不定等次（考核表未规定等次分数线）"). The one
--                     grade the form does state is the veto: 1.1 or 1.2 answered 是 → "年度考核
--                     直接定为“差”等". (Until 2026-12 the card used 好 ≥ 90, 较好 ≥ 80, 一般 ≥ 60,
--                     which nobody had issued: with them one failing person, zeroing an item for
--                     a cadre with ~20 villages, made 44 of 120 demo cadres 差 on points.) A county
--                     that has issued bands declares them with their source:
--                     grades = { source = "…", { "好", "grade_good" }, … } (docs/authoring.md).

-- The shared sets of this card (docs/authoring.md, 共享集合), made once per run before any
-- item and indexed: the villages each cadre answers for, and each per-person item's failing
-- persons. An item's score query and its evidence query both read them (before, each query
-- rebuilt them, and the evidence query joined every failing person with every cadre-village
-- unindexed: issue 19).
local SETS = {
  -- The villages each cadre answers for in the period's year.
  bazhua_cadre_village = {
    sql = [[
      SELECT DISTINCT a.cadre_id, v.id AS village_id
      FROM cadre_assignment a
      JOIN village v ON v.id = a.village_id
                     OR (a.village_id IS NULL AND v.township_id = a.township_id)
      WHERE a.year = :year]],
    index = { "cadre_id", "village_id" },
  },
}
local CV = "sets.bazhua_cadre_village"

-- The 建档立卡 poor of a village.
local POOR = [[
  poor AS NOT MATERIALIZED (
    SELECT p.*, h.village_id FROM person p JOIN household h ON h.id = p.household_id
    WHERE h.category IN ('建档立卡', '已脱贫', '兜底保障'))]]

-- The poor persons with `checks` (a LEFT JOIN on p and a WHERE condition on it) failing, as a
-- per-person set's rows (person_id, village_id): the person scan first, then the check, and
-- household looked up only for the persons who fail it. Through POOR, SQLite looked up every
-- person's household by its text key before the check: a third of the set's instructions for
-- ~64k persons of whom a few dozen fail (issue 19: 3.1 468 → 265 M). Same rows in the same
-- order (the person scan's).
local function poor_failing(join, fails)
  return "SELECT p.id AS person_id, h.village_id FROM person p " .. join .. [[
    CROSS JOIN household h ON h.id = p.household_id
    WHERE h.category IN ('建档立卡', '已脱贫', '兜底保障') AND (]] .. fails .. ")"
end

-- A check over persons: the set `name` (made from `bad`) lists the failing persons
-- (person_id, village_id, and for `cause` = "admission" the admission_id behind each); each
-- cadre fails if any of its villages has one. The evidence rows are what caused the failure
-- (issue 15 item 3): the admissions where the rule is about an admission, else the persons.
-- `bad` reads the CTE `poor` (POOR) unless `own_poor` says it selects the poor itself.
local function per_person_check(name, bad, what, cause, own_poor)
  SETS[name] = { sql = own_poor and bad or "WITH " .. POOR .. " " .. bad, index = { "village_id" } }
  local key = cause == "admission" and "admission_id" or "person_id"
  return {
    sql = [[
      SELECT c.id AS cadre, count(DISTINCT b.person_id) AS n, count(DISTINCT b.person_id) > 0 AS failed
      FROM cadre c
      JOIN (SELECT DISTINCT cadre_id FROM ]] .. CV .. [[) k ON k.cadre_id = c.id
      LEFT JOIN ]] .. CV .. [[ cv ON cv.cadre_id = c.id
      LEFT JOIN sets.]] .. name .. [[ b ON b.village_id = cv.village_id
      GROUP BY c.id]],
    reason = "所包抓村中发现{n}人" .. what,
    -- No DISTINCT: the engine sorts each loss's keys and drops repeats (engine/core/cause_keys.c),
    -- and the temporary b-tree cost more than the join (issue 19: 6.3's 44 → 18 M instructions).
    evidence = {
      table = cause or "person",
      sql = [[
        SELECT cv.cadre_id AS cadre, b.]] .. key .. [[ AS key
        FROM ]] .. CV .. [[ cv JOIN sets.]] .. name .. [[ b ON b.village_id = cv.village_id]],
    },
  }
end

-- The inspector's finding on the clauses of item `no` that no evidence table shows, one row per
-- cadre answered once: no = 1 for 否 or 部分. Two findings for one cadre and item count as none
-- (which one holds is not for the card to guess). These clauses concern 人社/民政 and the
-- hospitals; until findings can name an institution or department they are recorded against
-- the cadre whose form it is.
local function clause_cte(no)
  return string.format([[
  clause AS (
    SELECT subject_id, count(*) AS n, max(answer IN ('否', '部分')) AS no FROM finding
    WHERE scorecard = 'huining-bazhua-2018' AND item = '%s' AND subject_kind = 'cadre'
      AND period = :period
    GROUP BY subject_id)]], no)
end

-- A computed check (per_person_check's rows: cadre, n, failed) combined with the finding on
-- the clauses `what` of item `no`: failed if either fails; with no computed failure and no
-- single finding the cadre gets no row (待核实).
local function with_clause(spec, no, what)
  spec.sql = "WITH " .. clause_cte(no) .. [[
    SELECT q.cadre AS cadre, q.failed OR coalesce(cl.n = 1 AND cl.no, 0) AS failed,
           iif(q.n > 0, replace(']] .. spec.reason .. [[', '{n}', q.n) || '；', '') AS found,
           CASE WHEN cl.n = 1 AND cl.no THEN '现场核查：]] .. what .. [[未落实'
                WHEN cl.n = 1 THEN '现场核查：]] .. what .. [[已落实'
                ELSE ']] .. what .. [[无唯一的现场核查结论' END AS clause
    FROM (]] .. spec.sql .. [[) q LEFT JOIN clause cl ON cl.subject_id = q.cadre
    WHERE q.failed OR cl.n = 1]]
  spec.reason = "{found}{clause}"
  spec.ok_reason = "所包抓村中未发现问题；{clause}"
  return spec
end

-- Admissions of the poor in the period, with the institution.
local ADMITTED = [[
  SELECT a.*, poor.village_id, i.in_county FROM admission a
  JOIN poor ON poor.id = a.person_id
  JOIN institution i ON i.id = a.institution_id
  WHERE a.admitted_on BETWEEN :period_start AND :period_end]]

-- The poor persons whose settlements in the period, added up per person (y: compliant, basic,
-- serious, aid, reimbursed), meet `fails`, as a per-person set's rows (person_id, village_id).
-- The admissions are summed first and person and household looked up once per person, after
-- `fails`: joining every admission to poor before grouping looked up both for each of 23k
-- admissions (issue 19: 5.1 397 → 217 M instructions). The sums are the same (whether a person
-- is poor does not vary between the person's admissions), and so are the rows and their order
-- (person_id's, from the grouping).
local function yearly_failing(fails)
  return [[
    SELECT y.person_id, h.village_id FROM (
      SELECT a.person_id, sum(a.compliant_fen) AS compliant, sum(a.basic_fen) AS basic,
             sum(a.serious_fen) AS serious, sum(a.aid_fen) AS aid,
             sum(a.basic_fen + a.serious_fen + a.aid_fen + a.other_fen) AS reimbursed
      FROM admission a JOIN institution i ON i.id = a.institution_id
      WHERE a.admitted_on BETWEEN :period_start AND :period_end
      GROUP BY a.person_id) y
    CROSS JOIN person p ON p.id = y.person_id CROSS JOIN household h ON h.id = p.household_id
    WHERE h.category IN ('建档立卡', '已脱贫', '兜底保障') AND (]] .. fails .. ")"
end

-- Item 8.1's places and their months without a visit (from :item_from to :item_until), as
-- `fn` gives them (kh_months_missing: how many; kh_months_missing_list: which): one row per
-- assignment — cadre_id, village_id (NULL for a township assignment), township_id, missing.
-- A village assignment wants a visit to that village each month; a township assignment a
-- visit anywhere in the township.
local function place_gaps(fn)
  return string.format([[
    SELECT a.cadre_id, a.village_id, a.township_id, coalesce(
             (SELECT %s(cv.visited_on, :item_from, :item_until)
              FROM cadre_visit cv
              WHERE cv.cadre_id = a.cadre_id AND cv.village_id = a.village_id
                AND cv.visited_on BETWEEN :item_from AND :item_until),
             (SELECT %s(NULL, :item_from, :item_until))) AS missing
    FROM cadre_assignment a WHERE a.year = :year AND a.village_id IS NOT NULL
    UNION ALL
    SELECT a.cadre_id, NULL, a.township_id, coalesce(
             (SELECT %s(cv.visited_on, :item_from, :item_until)
              FROM cadre_visit cv JOIN village v ON v.id = cv.village_id
              WHERE cv.cadre_id = a.cadre_id AND v.township_id = a.township_id
                AND cv.visited_on BETWEEN :item_from AND :item_until),
             (SELECT %s(NULL, :item_from, :item_until)))
    FROM cadre_assignment a WHERE a.year = :year AND a.village_id IS NULL]], fn, fn, fn, fn)
end

-- Item 8.2's unplanned persons, rows (person_id, village_id): the poor not away without a
-- contract with a “一人一策” plan (plan = 1) in force in the period. Two disjoint parts:
--   * those without any contract in force: exactly the rows of item 6.3's set
--     bazhua_6_3_failed (same population, same window), read from it;
--   * those with a contract in force but none with a plan in force: every contract of theirs
--     in force has plan IS NOT 1, so they are found from those contracts (678 of 60k in the
--     demo county), each person tested once.
-- Before, the score query and the evidence query each probed contract for every one of the
-- ~56k poor persons by its text key, the probe 6.3's set makes already (issue 19: 8.2's two
-- queries 1,385 → 288 M instructions). contract NOT INDEXED: the filter reads the table's
-- rows, and walking contract_person (to skip DISTINCT's small sort) would add a seek per
-- contract (137 against 32 M).
-- If 6.3's set ever changes what it lists, this must change with it.
local UNPLANNED_8_2 = [[
  SELECT person_id, village_id FROM sets.bazhua_6_3_failed
  UNION ALL
  SELECT p.id, h.village_id FROM (
    SELECT DISTINCT k.person_id FROM contract k NOT INDEXED
    WHERE k.plan IS NOT 1 AND k.signed_on <= :period_end AND k.expires_on >= :period_start) s
  CROSS JOIN person p ON p.id = s.person_id CROSS JOIN household h ON h.id = p.household_id
  WHERE h.category IN ('建档立卡', '已脱贫', '兜底保障') AND p.away = 0
    AND NOT EXISTS (SELECT 1 FROM contract k WHERE k.person_id = p.id AND k.plan = 1
                      AND k.signed_on <= :period_end AND k.expires_on >= :period_start)]]

return scorecard {
  id = "huining-bazhua-2018",
  title = "健康扶贫先锋行动包抓干部工作考核表",
  source = "会宁县 县委办发〔2018〕83号 附件3 附表3-1",
  period = "2018",
  short = "包抓",
  reading = "docs/forms/bazhua_cadre_2018.md",
  subjects = { "cadre" },
  total = 100,
  veto_grade = "差",
  sets = SETS, -- the cadres' villages, and the failing persons of each per-person item
  params = {
    reimburse_ratio = { 0.85, "建档立卡贫困人口合规医疗费用实际补偿比下限" },
    serious_deductible = { 2000, "大病保险起付线（元）" },
    aid_floor = { 3000, "个人自负合规费用年累计超过此数（元）的部分由医疗救助兜底" },
    sign_rate = { 0.95, "家庭医生签约率与一人一策落实率下限" },
    visit_from = { "2018-07-01", "包抓干部每月到村的起算日（方案2018年6月29日印发，自7月起每月1次）" },
  },

  section "年度健康扶贫工作完成情况" {
    item { no = "1.1", points = 5, veto = true,
      text = "在各级、第三方机构等督查考核健康扶贫工作中是否出现重大问题。",
      note = "如“是”，年度考核直接定为“差”等；如“否”得5分",
      rule = finding { yes = 0, no = 5 } },
    item { no = "1.2", points = 5, veto = true,
      text = "有关部门或医疗机构是否存在因不配合、推诿扯皮、延误时间，导致健康扶贫重点任务无法完成。",
      note = "如“是”，年度考核直接定为“差”等；如“否”得5分",
      rule = finding { yes = 0, no = 5 } },
  },

  section "是否发生健康扶贫重大事件" {
    item { no = "2.1", points = 5,
      text = "有关部门是否存在对各项健康扶贫保障政策落实不力、不到位的情况。",
      note = "如“是”得0分，如“否”得5分",
      rule = finding { yes = 0, no = 5 } },
    item { no = "2.2", points = 5,
      text = "有关部门是否存在对健康扶贫苗头性、倾向性舆情信息掌握不及时，处置不到位，发生重大舆情事件、造成不良影响的情况。",
      note = "如“是”得0分，如“否”得5分",
      rule = finding { yes = 0, no = 5 } },
  },

  section "建档立卡贫困户基本医疗保险工作" {
    item { no = "3.1", points = 5,
      text = "是否落实将建档立卡贫困人口全部纳入基本医保、大病保险、医疗救助保障范围。",
      note = "如“是”得5分，如“否”得0分",
      rule = check(per_person_check("bazhua_3_1_failed", poor_failing(
        "LEFT JOIN enrollment e ON e.person_id = p.id AND e.year = :year", [[
          coalesce(e.basic, 0) = 0 OR coalesce(e.serious_illness, 0) = 0
          OR coalesce(e.medical_aid, 0) = 0]]), "未全部纳入基本医保、大病保险、医疗救助", nil, true)) },
    item { no = "3.2", points = 5,
      text = "是否落实建档立卡贫困人口城乡居民基本医保个人参保费用代缴工作，建档立卡贫困户基本医疗保险参保率达到100%。",
      note = "如“是”得5分，如“否”得0分",
      rule = check(per_person_check("bazhua_3_2_failed", poor_failing(
        "LEFT JOIN enrollment e ON e.person_id = p.id AND e.year = :year",
        "coalesce(e.basic, 0) = 0 OR coalesce(e.premium_paid_by_state, 0) = 0"),
        "未参保或个人参保费用未代缴", nil, true)) },
  },

  section "“一站式”结报工作落实情况" {
    item { no = "4.1", points = 5,
      text = "是否实现医疗、基本医保、大病保险、民政医疗救助等信息系统建设和互联互通、数据共享。",
      note = "如“是”得5分，如“否”得0分",
      rule = finding { yes = 5, no = 0 } },
    item { no = "4.2", points = 5, finding_clause = "医保基金60%总额预付",
      text = "是否落实医保基金60%总额预付，农村贫困人口在县域内定点医疗机构就诊和50种重大疾病在大病救治定点医疗机构就诊免收押金，建档立卡贫困人口在各级定点医疗机构就诊不设起付线等惠民政策。",
      note = "如“是”得5分，如“否”得0分",
      rule = check(with_clause(per_person_check("bazhua_4_2_failed", [[
        SELECT x.person_id, x.village_id, x.id AS admission_id FROM (]] .. ADMITTED .. [[) x
        WHERE x.kind = '住院' AND x.deposit_fen > 0
          AND (x.in_county = 1 OR EXISTS (SELECT 1 FROM diagnosis d WHERE d.person_id = x.person_id
                                            AND d.major50 = 1 AND d.diagnosed_on <= x.admitted_on))
        UNION
        SELECT person_id, village_id, id FROM (]] .. ADMITTED .. [[)
        WHERE kind = '住院' AND compliant_fen > 0 AND basic_fen = 0]],
        "在县域内住院或患50种重大疾病住院被收取押金，或住院合规费用未获基本医保报销（设了起付线）",
        "admission"),
        "4.2", "医保基金60%总额预付")) },
    item { no = "4.3", points = 5, finding_clause = "在医疗机构设立“一站式”结算服务窗口",
      text = "是否落实“先诊疗，后付费”和基本医保、大病保险、民政医疗救助“一站式”结算，在医疗机构设立“一站式”结算服务窗口。",
      note = "如“是”得5分，如“否”得0分",
      rule = check(with_clause(per_person_check("bazhua_4_3_failed", [[
        SELECT person_id, village_id, id AS admission_id FROM (]] .. ADMITTED .. [[)
        WHERE in_county = 1 AND (one_stop = 0 OR (kind = '住院' AND deposit_fen > 0))]],
        "在县域内就诊未落实“一站式”结算或住院被收取押金（未落实“先诊疗，后付费”）", "admission"),
        "4.3", "“一站式”结算服务窗口")) },
  },

  section "提高基本医保报销比例落实情况" {
    item { no = "5.1", points = 6,
      text = "是否落实建档立卡贫困人口合规医疗费用实际补偿比不低于85%的政策。",
      note = "如“是”得6分，如“否”得0分",
      rule = check(per_person_check("bazhua_5_1_failed", yearly_failing(
        "y.compliant > 0 AND y.reimbursed * 100 < round(:reimburse_ratio * 100) * y.compliant"),
        "全年合规医疗费用实际补偿比低于标准", nil, true)) },
    item { no = "5.2", points = 6,
      text = "是否落实建档立卡贫困人口、城乡低保、特困供养人员大病保险起付线降低至2000元的政策。",
      note = "如“是”得6分，如“否”得0分",
      -- Summed per person first, person and household looked up only for the persons over the
      -- line (as yearly_failing; 304 → 114 M instructions, same rows in person_id order).
      rule = check(per_person_check("bazhua_5_2_failed", [[
        SELECT y.person_id, h.village_id FROM (
          SELECT a.person_id FROM admission a
          WHERE a.admitted_on BETWEEN :period_start AND :period_end
          GROUP BY a.person_id
          HAVING sum(a.compliant_fen - a.basic_fen) > :serious_deductible * 100
             AND sum(a.serious_fen) = 0) y
        CROSS JOIN person p ON p.id = y.person_id CROSS JOIN household h ON h.id = p.household_id
        WHERE h.category IN ('建档立卡', '已脱贫', '兜底保障') OR p.dibao = 1 OR p.tekun = 1]],
        "（建档立卡贫困人口、城乡低保或特困供养人员）基本医保报销后合规费用超过大病保险起付线却未获大病保险报销")) },
    item { no = "5.3", points = 6,
      text = "是否落实建档立卡贫困人口住院合规医疗费用经基本医保、大病保险报销后，个人自负合规费用年累计超过3000元以上部分由民政医疗救助兜底解决。",
      note = "如“是”得6分，如“否”得0分",
      rule = check(per_person_check("bazhua_5_3_failed", yearly_failing(
        "y.aid < y.compliant - y.basic - y.serious - :aid_floor * 100"),
        "个人自负合规费用超过3000元的部分未获医疗救助兜底", nil, true)) },
  },

  section "“三个一批”健康扶贫行动落实情况" {
    item { no = "6.1", points = 3, text = "是否落实省定50种重大疾病进行集中救治。",
      note = "如“是”得3分；如“否”则得0分",
      rule = finding { yes = 3, no = 0 } },
    item { no = "6.2", points = 3, text = "是否及时更新“全国健康扶贫动态管理系统”有关数据。",
      note = "如“是”得3分；如“否”则得0分",
      rule = finding { yes = 3, no = 0 } },
    item { no = "6.3", points = 5,
      text = "建档立卡贫困户签约服务管理是否做到应签尽签、应帮尽帮。",
      note = "如“是”得5分，如“否”则得0分",
      -- Its set is also read by 8.2 (UNPLANNED_8_2): change both together.
      rule = check(per_person_check("bazhua_6_3_failed", [[
        SELECT poor.id AS person_id, poor.village_id FROM poor
        WHERE poor.away = 0 AND NOT EXISTS (
          SELECT 1 FROM contract k WHERE k.person_id = poor.id
            AND k.signed_on <= :period_end AND k.expires_on >= :period_start)]],
        "应签未签（不含登记造册的长期外出人员）")) },
  },

  section "“组团式”健康帮扶工作落实情况" {
    item { no = "7.1", points = 5,
      text = "支援医院是否在受援医院加挂分院牌子，是否按要求帮助薄弱学科和重点专科建设、人才培养、改善管理等工作任务。",
      note = "如“是”得5分，如“否”则得0分",
      rule = finding { yes = 5, no = 0 } },
    item { no = "7.2", points = 5,
      text = "受援的县级医院常见病、多发病的诊治能力大幅提升，诊疗病种每年是否增加10%以上，到2020年县级医院分级诊疗病种是否可以达到250种以上。",
      note = "如“是”得5分，如“否”则得0分",
      rule = finding { yes = 5, no = 0 } },
  },

  section "家庭医生签约服务“一人一策”健康帮扶落实情况" {
    -- note is the printed 考核评价; the reading (台账 from the inspector's finding, 动态掌握 from
    -- the monthly visits of 附件3 四(二)) is the 8.1 row of docs/forms/bazhua_cadre_2018.md
    -- The 问责名单 (engine/core/wenze.c) reads a lost 8.1 whose reason says "未到村" as 问责情形1
    -- (现场包抓频次不够): keep that word in the visits part if the reason is reworded.
    item { no = "8.1", points = 3,
      finding_clause = "建立健康管理工作台账，因病致贫返贫家庭及患病人员核实准确",
      text = "对建档立卡贫困人口患病人数动态掌握是否及时、因病致贫返贫家庭及患病人员核实是否准确，是否建立健康管理工作台账。",
      note = "如“是”得3分；如“否”则得0分",
      from = "visit_from",
      rule = check {
        sql = "WITH months AS (" .. place_gaps("kh_months_missing") .. [[),
          per_cadre AS (
            SELECT cadre_id, count(*) AS places, sum(missing > 0) AS short,
                   max(missing) AS most FROM months GROUP BY cadre_id),
          ]] .. clause_cte("8.1") .. [[
          SELECT p.cadre_id AS cadre,
                 p.short > 0 OR coalesce(cl.n = 1 AND cl.no, 0) AS failed,
                 iif(p.short > 0,
                     printf('%d处包抓点中%d处自%s起有月份未到村（最多缺%d个月）', p.places, p.short,
                            :item_from, p.most),
                     printf('%d处包抓点自%s起均每月到村', p.places, :item_from)) AS visits,
                 CASE WHEN cl.n = 1 AND cl.no THEN '现场核查：健康管理工作台账或患病人员核实未落实'
                      WHEN cl.n = 1 THEN '现场核查：已建立健康管理工作台账、患病人员核实准确'
                      ELSE '健康管理工作台账无唯一的现场核查结论' END AS clause
          FROM per_cadre p LEFT JOIN clause cl ON cl.subject_id = p.cadre_id
          WHERE p.short > 0 OR cl.n = 1]],
        reason = "{visits}；{clause}",
        ok_reason = "{visits}；{clause}",
        -- The places behind a loss, each with the months it lacks ("李湾村缺8、9月到村记录"): a
        -- village assignment's village; for a township assignment every village of the
        -- township (none of them was visited in those months), its reason said once. A loss on
        -- the finding alone names no place and is recorded against the cadre.
        evidence = {
          table = "village",
          sql = "WITH gaps AS (" .. place_gaps("kh_months_missing_list") .. [[)
            SELECT g.cadre_id AS cadre, v.id AS key, v.name || '缺' || g.missing || '到村记录' AS reason
            FROM gaps g JOIN village v ON v.id = g.village_id
            WHERE g.village_id IS NOT NULL AND g.missing <> ''
            UNION ALL
            SELECT g.cadre_id, v.id, t.name || '（包抓到乡镇）缺' || g.missing || '到村记录'
            FROM gaps g JOIN township t ON t.id = g.township_id
            JOIN village v ON v.township_id = g.township_id
            WHERE g.village_id IS NULL AND g.missing <> '']],
        },
      } },
    item { no = "8.2", points = 8,
      text = "是否有效落实家庭医生签约率和“一人一策、一病一方”帮扶措施。",
      note = "如“是”得8分；如“否”则得0分",
      rule = rate_at_least {
        threshold = "sign_rate",
        -- num is den less the unplanned (UNPLANNED_8_2) of the village: no contract probe
        -- per person here. den walks household by its village index (no sort for the
        -- grouping) and person by household, with no text-key lookup per person.
        sql = [[
          WITH per_village AS (
            SELECT h.village_id, count(*) AS den
            FROM household h CROSS JOIN person p ON p.household_id = h.id
            WHERE h.category IN ('建档立卡', '已脱贫', '兜底保障') AND p.away = 0
            GROUP BY h.village_id),
          unplanned AS (
            SELECT village_id, count(*) AS n FROM (]] .. UNPLANNED_8_2 .. [[)
            GROUP BY village_id)
          SELECT cv.cadre_id AS cadre, coalesce(sum(pv.den - coalesce(u.n, 0)), 0) AS num,
                 coalesce(sum(pv.den), 0) AS den
          FROM ]] .. CV .. [[ cv LEFT JOIN per_village pv ON pv.village_id = cv.village_id
          LEFT JOIN unplanned u ON u.village_id = cv.village_id
          GROUP BY cv.cadre_id]],
        reason = "签约并落实“一人一策”的贫困人口比例未达标",
        -- The persons behind a loss: those of the cadre's villages (the population above) not
        -- signed with a “一人一策” plan in the period. 8.2 fails only on the rate, so every one
        -- of them counts against it.
        evidence = {
          table = "person",
          sql = [[
            SELECT cv.cadre_id AS cadre, u.person_id AS key
            FROM (]] .. UNPLANNED_8_2 .. [[) u
            JOIN ]] .. CV .. [[ cv ON cv.village_id = u.village_id]],
        },
      } },
  },

  section "基层医疗卫生人才队伍建设情况" {
    item { no = "9", points = 5,
      text = "是否按要求落实农村订单定向医学生岗位，按要求选派村医参加培训，乡镇卫生院具有执业资格、能看病的医师是否达标。",
      note = "如三项全部完成得5分，部分完成酌情扣分",
      rule = finding { yes = 5, no = 0, partial = true } },
  },
}
