-- 健康扶贫医疗保障待遇落实核查表 — the 医疗保障 requirements of the seeds that no bundled form
-- scores (issue 14, item 4a). No document prints this form; each item is one clause, quoted in
-- its `text` with the document and 条款 it comes from (the `source` line lists them):
--   1  贫困人口个人负担医疗费用低于医疗总费用的10%     德州市扶贫领域突出问题整改工作方案（节选）
--                                                   二(三)3（seed 000）
--   2  住院费用实际报销比例达到90%                     健康脱贫大排查大整改实施方案 篇3 一（seed 003）
--   3  门诊特殊慢性病门诊医疗费用实际报销比例达到80%   同上
--   4  住院不合规医疗费用控制为零                       会宁县 县委办发〔2018〕83号 健康扶贫责任落实
--                                                   行动工作方案 三(一) 县卫计局 11（seed 004）
--   5  省定50种重大疾病集中救治；救治台账、回访          同上 干部包抓政策落实行动工作方案 三(四)；
--                                                   大排查大整改实施方案 篇6 三(二)（seed 003）
-- One form per village (its 建档立卡贫困人口: household category 建档立卡, 已脱贫, 兜底保障, as on
-- the bundled cards), averaged up to township and county.
--
-- Points: no document gives these clauses points, so every item weighs the same, 10 points
-- (本地规定, stated on the form). Grades: none (no document prints bands).
--
-- 待核实: items 1–4 judge a village's settlements; a village with a settlement whose parts
-- (基本医保 + 大病保险 + 医疗救助 + 其他 + 个人自付) do not add up to its 医疗总费用 gets no row, so
-- it is 待核实 (its amounts cannot be judged). Item 5's 台账/回访 clause is read from the
-- inspectors' finding on item 5 (`finding_clause`): no finding → 待核实.
--
-- The reading of every item (printed text, what is computed, population, window, why) is the
-- table docs/forms/yibao_2018.md, named on the workbook's 运行信息 sheet.

local POOR = [[
  poor AS (
    SELECT p.id, p.name, h.village_id FROM person p JOIN household h ON h.id = p.household_id
    WHERE h.category IN ('建档立卡', '已脱贫', '兜底保障'))]]

-- The settlements of the village's poor persons admitted in the period, made once per run as the
-- shared set sets.yibao_settlements (docs/authoring.md, 共享集合) and indexed by village: items
-- 1–4 read it for their scores and their evidence rows, where each of the eight queries used to
-- join every admission to its person and household again (issue 19, the items' cost). `bad_sum`
-- marks one whose parts do not add up to its total.
local SETTLEMENTS = "WITH " .. POOR .. [[
  SELECT a.*, poor.village_id,
         a.basic_fen + a.serious_fen + a.aid_fen + a.other_fen + a.self_fen <> a.total_fen
           AS bad_sum
  FROM admission a JOIN poor ON poor.id = a.person_id
  WHERE a.admitted_on BETWEEN :period_start AND :period_end]]

-- Those of the set that `kinds` takes, as `s` (the items' evidence rows); `kinds` is an SQL
-- condition on a (the admission).
local function settlements(kinds)
  return "WITH s AS NOT MATERIALIZED (SELECT * FROM sets.yibao_settlements a WHERE "
    .. kinds .. ")"
end

-- The scores' shape: the set's `kinds` settlements summed per village first, as `s` (village_id,
-- cases, bad_sum and the `sums`, each "sum(…) AS name"), then joined to every village. Summing
-- before the join costs 11–13% less than joining every settlement to its village and grouping
-- by village (issue 19; the same rows, callgrind of the sqlite3 shell).
local function per_village(kinds, sums)
  return "WITH s AS MATERIALIZED (SELECT village_id, count(*) AS cases, sum(bad_sum) AS bad_sum, "
    .. sums .. " FROM sets.yibao_settlements a WHERE " .. kinds .. " GROUP BY village_id)"
end

-- Per village: one row unless a settlement does not add up (then none: 待核实).
local CONSISTENT = "WHERE coalesce(s.bad_sum, 0) = 0 ORDER BY v.id"

-- Items 2 and 3: the village's actual reimbursement ratio of `kind` settlements,
-- (基本医保 + 大病保险 + 医疗救助 + 其他) / 合规医疗费用, summed over the village.
local function reimbursement(kind, threshold)
  return rate_at_least {
    threshold = threshold,
    sql = per_village("a.kind = '" .. kind .. "'",
                      "sum(basic_fen + serious_fen + aid_fen + other_fen) AS paid, "
                      .. "sum(compliant_fen) AS compliant") .. [[
      SELECT v.id AS village, coalesce(s.cases, 0) AS cases,
             coalesce(s.paid, 0) AS num,
             coalesce(s.compliant, 0) AS den,
             format('%.2f', coalesce(s.compliant, 0) / 100.0) AS compliant_yuan,
             format('%.2f', coalesce(s.paid, 0) / 100.0) AS paid_yuan
      FROM village v LEFT JOIN s ON s.village_id = v.id ]] .. CONSISTENT,
    reason = "{cases}人次合规医疗费用{compliant_yuan}元，报销{paid_yuan}元",
    ok_reason = "{cases}人次合规医疗费用{compliant_yuan}元，报销{paid_yuan}元",
    na_reason = "该村贫困人口本年无" .. kind .. "结算",
    evidence = { table = "admission", sql = settlements("a.kind = '" .. kind .. "'") .. [[
      SELECT village_id AS village, id AS key FROM s]] },
  }
end

-- Item 5's clause (救治台账健全、回访及时) from the inspectors' finding on item 5 of this form.
local CLAUSE = [[
  clause AS (
    SELECT subject_id, count(*) AS n, max(answer IN ('否', '部分')) AS no FROM finding
    WHERE scorecard = 'huining-yibao-2018' AND item = '5' AND subject_kind = 'village'
      AND period = :period
    GROUP BY subject_id)]]

-- Item 5's patients: poor persons with a 50种重大疾病 diagnosed by the period's end, and whether
-- a settlement (住院 or 门诊慢特病) was admitted in the period on or after the diagnosis.
-- `how` is 'MATERIALIZED ' for the score (issue 19): it reads m.treated four times, and with m
-- inlined each read ran the EXISTS (an admission_person search) again per patient; the evidence
-- reads it once, where making the table costs more than it saves.
local function major50(how) return [[
  m0 AS (
    SELECT poor.id, poor.village_id, min(d.diagnosed_on) AS since
    FROM poor JOIN diagnosis d ON d.person_id = poor.id
    WHERE d.major50 = 1 AND d.diagnosed_on <= :period_end
    GROUP BY poor.id),
  m AS ]] .. how .. [[(
    SELECT m0.*, EXISTS (SELECT 1 FROM admission a WHERE a.person_id = m0.id
                           AND a.admitted_on BETWEEN max(m0.since, :period_start) AND :period_end)
                   AS treated
    FROM m0)]]
end

return scorecard {
  id = "huining-yibao-2018",
  title = "健康扶贫医疗保障待遇落实核查表",
  source = "德州市扶贫领域突出问题整改工作方案（节选）二(三)3；健康脱贫大排查大整改实施方案 篇3 一、篇6 三(二)；会宁县 县委办发〔2018〕83号 干部包抓政策落实行动工作方案 三(四)、健康扶贫责任落实行动工作方案 三(一)11",
  period = "2018",
  short = "医保",
  reading = "docs/forms/yibao_2018.md",
  note = "各项分值：所据文件均未规定分值，本表每项10分、各项等权（本地规定）；所据文件未规定等次分数线，本表不定等次。",
  subjects = { "village" },
  rollup = { "township", "county" },
  total = 50,
  sets = { yibao_settlements = { sql = SETTLEMENTS, index = { "village_id" } } },
  params = {
    burden_pct = { 10, "个人负担占医疗总费用比例上限（%，低于此数为达标）" },
    inpatient_ratio = { 0.9, "住院合规医疗费用实际报销比例下限" },
    outpatient_ratio = { 0.8, "门诊特殊慢性病合规医疗费用实际报销比例下限" },
  },

  section "医疗费用负担与报销" {
    accountable = "县人社局（医保）、县民政局、县卫计局，各定点医疗机构。",
    item { no = "1", points = 10,
      text = "是否确保贫困人口个人负担医疗费用低于医疗总费用的10%。",
      rule = check {
        sql = per_village("1", "sum(self_fen) AS self_fen, sum(total_fen) AS total_fen") .. [[
          SELECT v.id AS village, coalesce(s.cases, 0) AS cases,
                 format('%.1f', (coalesce(s.self_fen, 0) * 1000
                                 / max(coalesce(s.total_fen, 0), 1)) / 10.0) AS pct,
                 format('%.2f', coalesce(s.self_fen, 0) / 100.0) AS self_yuan,
                 format('%.2f', coalesce(s.total_fen, 0) / 100.0) AS total_yuan,
                 coalesce(s.total_fen, 0) = 0 AS na,
                 coalesce(s.total_fen, 0) > 0
                   AND s.self_fen * 100 >= :burden_pct * s.total_fen AS failed
          FROM village v LEFT JOIN s ON s.village_id = v.id ]] .. CONSISTENT,
        reason = "{cases}人次医疗总费用{total_yuan}元，个人负担{self_yuan}元，占{pct}%，未低于10%",
        ok_reason = "{cases}人次医疗总费用{total_yuan}元，个人负担{self_yuan}元，占{pct}%",
        na_reason = "该村贫困人口本年无住院或门诊慢特病结算",
        evidence = { table = "admission", sql = settlements("1") .. [[
          SELECT village_id AS village, id AS key FROM s WHERE self_fen > 0]] },
      } },
    item { no = "2", points = 10,
      text = "建档立卡贫困人口符合规定的住院费用实际报销比例是否达到90%。",
      rule = reimbursement("住院", "inpatient_ratio") },
    item { no = "3", points = 10,
      text = "建档立卡贫困人口门诊特殊慢性病门诊医疗费用实际报销比例是否达到80%。",
      rule = reimbursement("门诊慢特病", "outpatient_ratio") },
    item { no = "4", points = 10, accountable = "县卫计局；各定点医疗机构。",
      text = "建档立卡贫困人口住院不合规医疗费用是否控制为零（如发生不合规医疗费用，由定点医疗机构自行承担）。",
      rule = check {
        sql = per_village("a.kind = '住院'", "sum(total_fen > compliant_fen) AS bad, "
                          .. "sum(total_fen - compliant_fen) AS over_fen") .. [[
          SELECT v.id AS village, coalesce(s.cases, 0) AS cases,
                 coalesce(s.bad, 0) AS bad,
                 format('%.2f', coalesce(s.over_fen, 0) / 100.0) AS yuan,
                 coalesce(s.cases, 0) = 0 AS na,
                 coalesce(s.bad, 0) > 0 AS failed
          FROM village v LEFT JOIN s ON s.village_id = v.id ]] .. CONSISTENT,
        reason = "{cases}人次住院中{bad}人次发生不合规医疗费用，共{yuan}元",
        ok_reason = "{cases}人次住院均未发生不合规医疗费用",
        na_reason = "该村建档立卡贫困人口本年无住院",
        evidence = { table = "admission", sql = settlements("a.kind = '住院'") .. [[
          SELECT village_id AS village, id AS key FROM s WHERE total_fen > compliant_fen]] },
      } },
  },

  section "省定50种重大疾病集中救治" {
    accountable = "县卫计局；各定点医疗机构；签约团队。",
    item { no = "5", points = 10, finding_clause = "大病患者救治台账健全、回访及时",
      text = "是否落实省定50种重大疾病集中救治；大病患者救治台账是否健全、回访是否及时。",
      rule = check {
        sql = "WITH " .. POOR .. ", " .. major50("MATERIALIZED ") .. ", " .. CLAUSE .. [[
          SELECT v.id AS village,
                 CASE WHEN count(m.id) > coalesce(sum(m.treated), 0)
                   THEN count(m.id) || '名50种重大疾病患者中'
                        || (count(m.id) - sum(m.treated)) || '人本年未获救治'
                   ELSE count(m.id) || '名50种重大疾病患者本年均获救治' END AS treatment,
                 count(m.id) = 0 AS na,
                 count(m.id) > 0 AND (count(m.id) > coalesce(sum(m.treated), 0)
                                      OR coalesce(cl.n = 1 AND cl.no, 0)) AS failed,
                 CASE WHEN cl.n = 1 AND cl.no THEN '现场核查：救治台账或回访未落实'
                      WHEN cl.n = 1 THEN '现场核查：救治台账健全、回访及时'
                      ELSE '救治台账、回访无唯一的现场核查结论' END AS clause
          FROM village v LEFT JOIN m ON m.village_id = v.id
          LEFT JOIN clause cl ON cl.subject_id = v.id
          GROUP BY v.id
          HAVING na OR failed OR cl.n = 1]],
        reason = "{treatment}；{clause}",
        ok_reason = "{treatment}；{clause}",
        na_reason = "该村贫困人口中无省定50种重大疾病患者；{clause}",
        evidence = { table = "person", sql = "WITH " .. POOR .. ", " .. major50("") .. [[
          SELECT village_id AS village, id AS key FROM m WHERE NOT treated]] },
      } },
  },
}
