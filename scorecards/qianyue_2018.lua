-- 家庭医生签约服务核查表 — the 签约服务 requirements of the seeds that no bundled form scores
-- (issue 14, item 4: the 签约 milestones, quarterly follow-up, 履约). No document prints this
-- form; each item is one clause, quoted in its `text` with the document and 条款 it comes from
-- (the `source` line lists them):
--   1  5月底前完成建档立卡贫困人口帮扶措施制定        会宁县 县委办发〔2018〕83号 附件1
--   2  6月底前完成农村兜底保障户帮扶措施制定           签约服务提质增效行动工作方案 三(二)
--   3  8月底前签约率和“一人一策”落实率均达到95%        （seed 004）
--   4  四大慢病签约患者每季度随访一次                  健康脱贫大排查大整改实施方案 篇5 一(三)4
--   5  签约人员获得履约服务                            同上 篇2 二(一)、篇5 一(三)4（seed 003）
-- One form per village, averaged up to township and county (as the 医保 card).
--
-- Population: the 签约对象 of the 方案 (一): persons of households 建档立卡, 已脱贫, 兜底保障, not
-- 长期外出 (`away`) — the population 五督 12 uses (docs/forms/wudu_2018.md). Item 1 takes the
-- 建档立卡 households of it, item 2 the 兜底保障 households.
--
-- Points: no document gives these clauses points, so every item weighs the same, 10 points
-- (本地规定, stated on the form). Grades: none (no document prints bands).
--
-- 待核实: a contract of the population whose 到期日 is before its 签约日 makes every date of the
-- village's contracts doubtful, so the village gets no row for any item (待核实), never 0 or full.
--
-- The reading of every item (printed text, what is computed, population, window, why) is the
-- table docs/forms/qianyue_2018.md, named on the workbook's 运行信息 sheet.

local POP = [[
  pop AS (
    SELECT p.id, p.name, h.village_id, h.category FROM person p
    JOIN household h ON h.id = p.household_id
    WHERE h.category IN ('建档立卡', '已脱贫', '兜底保障') AND p.away = 0),
  bad AS (
    SELECT DISTINCT pop.village_id FROM pop JOIN contract k ON k.person_id = pop.id
    WHERE k.expires_on < k.signed_on)]]

-- The villages whose contracts can be judged (see 待核实 above).
local JUDGED = "WHERE v.id NOT IN (SELECT village_id FROM bad)"

-- Items 1–3: the persons of `categories` due by the item's deadline (:item_by), whether each has
-- a contract with a 一人一策 plan signed by then and still in force then (`ok`), and the date of
-- the person's first contract (to tell 签约晚于截止日 from 未签约).
local function due(categories)
  return "WITH " .. POP .. [[,
    due AS (
      SELECT pop.id, pop.village_id,
             EXISTS (SELECT 1 FROM contract k WHERE k.person_id = pop.id AND k.plan = 1
                       AND k.signed_on <= :item_by AND k.expires_on >= :item_by) AS ok,
             (SELECT min(k.signed_on) FROM contract k WHERE k.person_id = pop.id) AS first_signed
      FROM pop WHERE pop.category IN (]] .. categories .. "))"
end

-- Items 1–3 as a rate: planned persons / due persons ≥ `threshold`; the reason counts the
-- persons not counted by cause; the evidence rows are those persons.
local function milestone(categories, threshold, none)
  return rate_at_least {
    threshold = threshold,
    sql = due(categories) .. [[
      SELECT v.id AS village, count(due.id) AS den, coalesce(sum(due.ok), 0) AS num,
             :item_by AS deadline,
             coalesce(sum(NOT due.ok AND due.first_signed > :item_by), 0) AS late,
             coalesce(sum(NOT due.ok AND due.first_signed IS NULL), 0) AS unsigned,
             coalesce(sum(NOT due.ok AND due.first_signed <= :item_by), 0) AS noplan
      FROM village v LEFT JOIN due ON due.village_id = v.id ]] .. JUDGED .. " GROUP BY v.id",
    reason = "截至{deadline}：签约晚于截止日{late}人，未签约{unsigned}人，"
      .. "按时签约但无有效的“一人一策”帮扶措施{noplan}人",
    ok_reason = "截至{deadline}：签约晚于截止日{late}人，未签约{unsigned}人，"
      .. "按时签约但无有效的“一人一策”帮扶措施{noplan}人",
    na_reason = none,
    evidence = { table = "person", sql = due(categories) .. [[
      SELECT village_id AS village, id AS key FROM due WHERE NOT ok]] },
  }
end

-- Item 4's patients: persons of the population with a 四大慢病 diagnosis, while they were signed
-- in the period: from the latest of the period's start, the first 四大慢病 diagnosis and the first
-- contract in force in the period, to the earlier of the period's end and the last such
-- contract's expiry; `missing` counts the calendar quarters of that window with no 随访 (a 随访
-- anywhere in the period counts for its quarter).
local PATIENTS = "WITH " .. POP .. [[,
  pw AS (
    SELECT pop.id, pop.village_id,
           max(:period_start,
               (SELECT min(d.diagnosed_on) FROM diagnosis d
                WHERE d.person_id = pop.id AND d.big4 = 1),
               (SELECT min(k.signed_on) FROM contract k WHERE k.person_id = pop.id
                  AND k.signed_on <= :period_end AND k.expires_on >= :period_start)) AS since,
           min(:period_end,
               (SELECT max(k.expires_on) FROM contract k WHERE k.person_id = pop.id
                  AND k.signed_on <= :period_end AND k.expires_on >= :period_start)) AS till
    FROM pop
    WHERE EXISTS (SELECT 1 FROM diagnosis d WHERE d.person_id = pop.id AND d.big4 = 1
                    AND d.diagnosed_on <= :period_end)
      AND EXISTS (SELECT 1 FROM contract k WHERE k.person_id = pop.id
                    AND k.signed_on <= :period_end AND k.expires_on >= :period_start)),
  gaps AS (
    SELECT pw.id, pw.village_id, kh_quarters_missing(f.visited_on, pw.since, pw.till) AS missing
    FROM pw LEFT JOIN followup f ON f.person_id = pw.id AND f.kind = '随访'
      AND f.visited_on BETWEEN :period_start AND :period_end
    WHERE pw.since <= pw.till
    GROUP BY pw.id)]]

-- Item 5's signed persons: a contract in force some day of the period; `ok` when a service
-- record (随访, 送医上门, 体检 or 履约服务) falls between the first such contract's signing (or the
-- period's start) and the last one's expiry (or the period's end).
local SIGNED = "WITH " .. POP .. [[,
  sw AS (
    SELECT pop.id, pop.village_id, max(:period_start, min(k.signed_on)) AS since,
           min(:period_end, max(k.expires_on)) AS till
    FROM pop JOIN contract k ON k.person_id = pop.id
      AND k.signed_on <= :period_end AND k.expires_on >= :period_start
    GROUP BY pop.id),
  served AS (
    SELECT sw.id, sw.village_id,
           EXISTS (SELECT 1 FROM followup f WHERE f.person_id = sw.id
                     AND f.visited_on BETWEEN sw.since AND sw.till) AS ok
    FROM sw)]]

return scorecard {
  id = "huining-qianyue-2018",
  title = "家庭医生签约服务核查表",
  source = "会宁县 县委办发〔2018〕83号 附件1 签约服务提质增效行动工作方案 一、三(二)；健康脱贫大排查大整改实施方案 篇2 二(一)、篇5 一(三)4",
  period = "2018",
  short = "签约",
  reading = "docs/forms/qianyue_2018.md",
  note = "没有文件印发本表：各项摘自所据文件的条款；所据文件均未规定分值，本表每项10分、各项等权（本地规定）；所据文件未规定等次分数线，本表不定等次。",
  subjects = { "village" },
  rollup = { "township", "county" },
  total = 50,
  params = {
    plan_deadline = { "2018-05-31", "建档立卡贫困人口帮扶措施制定的完成时限（5月底前）" },
    doudi_deadline = { "2018-06-30", "农村兜底保障户帮扶措施制定的完成时限（6月底前）" },
    sign_deadline = { "2018-08-31", "家庭医生签约率与一人一策落实率的完成时限（8月底前）" },
    milestone_rate = { 1, "5月底、6月底节点的完成率下限（“完成”读作100%）" },
    sign_rate = { 0.95, "家庭医生签约率与一人一策落实率下限" },
    followup_rate = { 1, "四大慢病签约患者每季度随访一次的比例下限（承诺对每名患者，读作100%）" },
    fulfil_rate = { 1, "签约人员获得履约服务的比例下限（“签约一人……履约一人”读作100%）" },
  },

  section "签约服务工作进度" {
    accountable = "县卫计局；各医疗机构；签约团队。",
    item { no = "1", points = 10, years = { 2018 }, by = "plan_deadline",
      text = "2018年5月底前是否完成建档立卡贫困人口的入户巡诊和帮扶措施制定。",
      rule = milestone("'建档立卡'", "milestone_rate",
        "该村无建档立卡户人员（不含长期外出）") },
    item { no = "2", points = 10, years = { 2018 }, by = "doudi_deadline",
      text = "6月底前是否完成农村兜底保障户等其他人群的入户巡诊和帮扶措施制定。",
      rule = milestone("'兜底保障'", "milestone_rate",
        "该村无兜底保障户人员（不含长期外出）") },
    item { no = "3", points = 10, years = { 2018 }, by = "sign_deadline",
      text = "8月底前，家庭医生签约率和“一人一策”帮扶措施落实率是否均达到95%以上。",
      rule = milestone("'建档立卡', '已脱贫', '兜底保障'", "sign_rate",
        "该村无应签约人员（建档立卡、已脱贫、兜底保障户，不含长期外出）") },
  },

  section "履约服务" {
    accountable = "签约团队；乡镇卫生院；村医。",
    item { no = "4", points = 10,
      text = "四大慢病签约患者是否达到每季度随访一次的签约服务承诺要求。",
      rule = rate_at_least {
        threshold = "followup_rate",
        sql = PATIENTS .. [[
          SELECT v.id AS village, count(g.id) AS den, coalesce(sum(g.missing = 0), 0) AS num,
                 coalesce(sum(g.missing > 0), 0) AS short,
                 coalesce(sum(g.missing), 0) AS quarters
          FROM village v LEFT JOIN gaps g ON g.village_id = v.id ]] .. JUDGED .. [[
          GROUP BY v.id]],
        reason = "{den}名四大慢病签约患者中{short}人有季度未随访，共缺{quarters}个季度",
        ok_reason = "{den}名四大慢病签约患者每个签约季度均有随访",
        na_reason = "该村本年无四大慢病签约患者",
        evidence = { table = "person", sql = PATIENTS .. [[
          SELECT village_id AS village, id AS key FROM gaps WHERE missing > 0]] },
      } },
    item { no = "5", points = 10,
      text = "家庭医生是否按签约协议内容提供履约服务，做到“签约一人，管理一人，履约一人”。",
      rule = rate_at_least {
        threshold = "fulfil_rate",
        sql = SIGNED .. [[
          SELECT v.id AS village, count(s.id) AS den, coalesce(sum(s.ok), 0) AS num,
                 count(s.id) - coalesce(sum(s.ok), 0) AS unserved
          FROM village v LEFT JOIN served s ON s.village_id = v.id ]] .. JUDGED .. [[
          GROUP BY v.id]],
        reason = "{den}名签约人员中{unserved}人签约期内本年无服务记录",
        ok_reason = "{den}名签约人员签约期内本年均有服务记录",
        na_reason = "该村本年无签约人员（不含长期外出）",
        evidence = { table = "person", sql = SIGNED .. [[
          SELECT village_id AS village, id AS key FROM served WHERE NOT ok]] },
      } },
  },
}
