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

-- Every person of the population with what the items read, made once per run as the shared set
-- sets.qianyue_people (docs/authoring.md, 共享集合) and indexed by village; each item groups it by
-- village and takes its evidence rows from it. Per person:
--   bad                a contract expiring before its signing (the village is then 待核实)
--   first_signed       the first contract's signing date (签约晚于截止日 vs 未签约)
--   ok_may/_june/_aug  a contract with a 一人一策 plan signed by the deadline and still in force
--                      then (items 1–3; the deadlines are the parameters the items' `by` names)
--   since, till        the part of the period the person was signed: from the first contract in
--                      force in the period (or the period's start) to the last one's expiry (or
--                      the period's end); NULL when no contract was in force in the period
--   served             a service record (随访, 送医上门, 体检 or 履约服务) between since and till
--   big4_since         the first 四大慢病 diagnosis, when one was made by the period's end
--   missing            item 4: the calendar quarters of the signed-and-patient window (from the
--                      latest of since and big4_since to till) with no 随访 in the period; NULL
--                      for a person who was never a signed 四大慢病 patient in the period
-- Why this shape (issue 19, the items' cost): one pass over person in rowid order with no
-- GROUP BY. A person has one contract as a rule, and grouping the join to aggregate it cost more
-- than everything else (an aggregate context per column and a copy of every grouped column per
-- person: 0.76 G of the set's 2.5 G instructions in the shell). So `k` states each contract's
-- columns once; a person with one contract reads that row as it is (for one row the min/max of
-- the aggregates are the row's values), and only the persons with two or more (`multi`, found
-- in one pass over contract_person) are aggregated, in `km`, and joined instead of their
-- contracts; `k` is NOT MATERIALIZED so that its columns are read straight from contract, `w`
-- MATERIALIZED so that big4_since's diagnosis lookup runs once per person and not once per use
-- below. For each person exactly one of k and km has a row (none without a contract), so
-- coalesce(km.x, k.x) is that row's value. `missing` takes the window's quarters without any
-- 随访 from kh_quarters_missing(NULL, …) when the person has no 随访 in the period (a row of its
-- own for the window, since the aggregate would otherwise belong to the outer query) instead of a
-- UNION ALL with a NULL row. Same rows, in the same order, with the same declared types, as the
-- GROUP BY form; 0.84x its instructions (bench/README.md).
local PEOPLE = [[
  WITH k AS NOT MATERIALIZED (
    SELECT c.person_id, c.signed_on,
           c.expires_on < c.signed_on AS bad,
           c.plan = 1 AND c.signed_on <= :plan_deadline
             AND c.expires_on >= :plan_deadline AS ok_may,
           c.plan = 1 AND c.signed_on <= :doudi_deadline
             AND c.expires_on >= :doudi_deadline AS ok_june,
           c.plan = 1 AND c.signed_on <= :sign_deadline
             AND c.expires_on >= :sign_deadline AS ok_aug,
           CASE WHEN c.signed_on <= :period_end AND c.expires_on >= :period_start
             THEN c.signed_on END AS in_force_from,
           CASE WHEN c.signed_on <= :period_end AND c.expires_on >= :period_start
             THEN c.expires_on END AS in_force_till
    FROM contract c),
  multi AS MATERIALIZED (
    SELECT person_id FROM contract GROUP BY person_id HAVING count(*) > 1),
  km AS MATERIALIZED (
    SELECT person_id, min(signed_on) AS signed_on, max(bad) AS bad, max(ok_may) AS ok_may,
           max(ok_june) AS ok_june, max(ok_aug) AS ok_aug,
           min(in_force_from) AS in_force_from, max(in_force_till) AS in_force_till
    FROM k WHERE person_id IN multi GROUP BY person_id),
  w AS MATERIALIZED (
    SELECT p.id, h.village_id, h.category, coalesce(km.signed_on, k.signed_on) AS first_signed,
           coalesce(km.bad, k.bad, 0) AS bad,
           coalesce(km.ok_may, k.ok_may, 0) AS ok_may,
           coalesce(km.ok_june, k.ok_june, 0) AS ok_june,
           coalesce(km.ok_aug, k.ok_aug, 0) AS ok_aug,
           max(:period_start, coalesce(km.in_force_from, k.in_force_from)) AS since,
           min(:period_end, coalesce(km.in_force_till, k.in_force_till)) AS till,
           (SELECT min(d.diagnosed_on) FROM diagnosis d WHERE d.person_id = p.id
              AND d.big4 = 1 AND d.diagnosed_on <= :period_end) AS big4_since
    FROM person p JOIN household h ON h.id = p.household_id
    LEFT JOIN k ON k.person_id = p.id AND k.person_id NOT IN multi
    LEFT JOIN km ON km.person_id = p.id
    WHERE h.category IN ('建档立卡', '已脱贫', '兜底保障') AND p.away = 0)
  SELECT w.*,
         w.since IS NOT NULL AND EXISTS (SELECT 1 FROM followup f WHERE f.person_id = w.id
                                          AND f.visited_on BETWEEN w.since AND w.till) AS served,
         CASE WHEN w.since IS NOT NULL AND w.big4_since IS NOT NULL
                   AND max(w.since, w.big4_since) <= w.till
           THEN coalesce(
                  (SELECT kh_quarters_missing(f.visited_on, max(w.since, w.big4_since), w.till)
                   FROM followup f WHERE f.person_id = w.id AND f.kind = '随访'
                     AND f.visited_on BETWEEN :period_start AND :period_end),
                  (SELECT kh_quarters_missing(NULL, x.since, x.till)
                   FROM (SELECT max(w.since, w.big4_since) AS since, w.till AS till) x))
         END AS missing
  FROM w]]

-- The villages whose contracts can be judged (see 待核实 above).
local JUDGED = [[
  v.id NOT IN (SELECT village_id FROM sets.qianyue_people WHERE bad)]]

-- Items 1–3 as a rate over the persons of `categories`: those with `flag` (a planned contract in
-- force at the deadline) / all ≥ `threshold`; the reason counts the others by cause; the
-- evidence rows are those persons.
-- Why FILTER and the order of the evidence's WHERE (issue 19, the items' cost): most persons
-- have `flag`, and the date comparisons of the three causes cost more than the aggregate step,
-- so they are made only for the persons without it (sum(NOT flag AND x) over all persons is the
-- same sum: a person with `flag` adds 0; none at all gives NULL, hence the coalesce as before);
-- likewise the evidence tests the integer `flag` before the category's text. Item 3: 250 → 179
-- M instructions for the score, 65 → 30 M for the evidence (bench/README.md).
local function milestone(categories, flag, threshold, none)
  local who = "q.category IN (" .. categories .. ")"
  return rate_at_least {
    threshold = threshold,
    sql = [[
      SELECT v.id AS village, count(q.id) AS den, coalesce(sum(q.]] .. flag .. [[), 0) AS num,
             :item_by AS deadline,
             coalesce(sum(q.first_signed > :item_by)
                        FILTER (WHERE NOT q.]] .. flag .. [[), 0) AS late,
             coalesce(sum(q.first_signed IS NULL)
                        FILTER (WHERE NOT q.]] .. flag .. [[), 0) AS unsigned,
             coalesce(sum(q.first_signed <= :item_by)
                        FILTER (WHERE NOT q.]] .. flag .. [[), 0) AS noplan
      FROM village v LEFT JOIN sets.qianyue_people q ON q.village_id = v.id AND ]] .. who .. [[
      WHERE ]] .. JUDGED .. [[
      GROUP BY v.id]],
    reason = "截至{deadline}：签约晚于截止日{late}人，未签约{unsigned}人，"
      .. "按时签约但无有效的“一人一策”帮扶措施{noplan}人",
    ok_reason = "截至{deadline}：签约晚于截止日{late}人，未签约{unsigned}人，"
      .. "按时签约但无有效的“一人一策”帮扶措施{noplan}人",
    na_reason = none,
    evidence = { table = "person", sql = [[
      SELECT q.village_id AS village, q.id AS key FROM sets.qianyue_people q
      WHERE NOT q.]] .. flag .. " AND " .. who },
  }
end

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
  sets = { qianyue_people = { sql = PEOPLE, index = { "village_id" } } },
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
      rule = milestone("'建档立卡'", "ok_may", "milestone_rate",
        "该村无建档立卡户人员（不含长期外出）") },
    item { no = "2", points = 10, years = { 2018 }, by = "doudi_deadline",
      text = "6月底前是否完成农村兜底保障户等其他人群的入户巡诊和帮扶措施制定。",
      rule = milestone("'兜底保障'", "ok_june", "milestone_rate",
        "该村无兜底保障户人员（不含长期外出）") },
    item { no = "3", points = 10, years = { 2018 }, by = "sign_deadline",
      text = "8月底前，家庭医生签约率和“一人一策”帮扶措施落实率是否均达到95%以上。",
      rule = milestone("'建档立卡', '已脱贫', '兜底保障'", "ok_aug", "sign_rate",
        "该村无应签约人员（建档立卡、已脱贫、兜底保障户，不含长期外出）") },
  },

  section "履约服务" {
    accountable = "签约团队；乡镇卫生院；村医。",
    -- FILTER: `missing` is NULL for all but the 四大慢病 patients (about one person in eight),
    -- whose sums alone are taken; the same sums (NULL adds nothing), 153 → 139 M instructions.
    item { no = "4", points = 10,
      text = "四大慢病签约患者是否达到每季度随访一次的签约服务承诺要求。",
      rule = rate_at_least {
        threshold = "followup_rate",
        sql = [[
          SELECT v.id AS village, count(q.missing) AS den,
                 coalesce(sum(q.missing = 0) FILTER (WHERE q.missing NOT NULL), 0) AS num,
                 coalesce(sum(q.missing > 0) FILTER (WHERE q.missing NOT NULL), 0) AS short,
                 coalesce(sum(q.missing) FILTER (WHERE q.missing NOT NULL), 0) AS quarters
          FROM village v LEFT JOIN sets.qianyue_people q ON q.village_id = v.id
          WHERE ]] .. JUDGED .. [[
          GROUP BY v.id]],
        reason = "{den}名四大慢病签约患者中{short}人有季度未随访，共缺{quarters}个季度",
        ok_reason = "{den}名四大慢病签约患者每个签约季度均有随访",
        na_reason = "该村本年无四大慢病签约患者",
        evidence = { table = "person", sql = [[
          SELECT village_id AS village, id AS key FROM sets.qianyue_people WHERE missing > 0]] },
      } },
    item { no = "5", points = 10,
      text = "家庭医生是否按签约协议内容提供履约服务，做到“签约一人，管理一人，履约一人”。",
      rule = rate_at_least {
        threshold = "fulfil_rate",
        sql = [[
          SELECT v.id AS village, count(q.since) AS den, coalesce(sum(q.served), 0) AS num,
                 count(q.since) - coalesce(sum(q.served), 0) AS unserved
          FROM village v LEFT JOIN sets.qianyue_people q ON q.village_id = v.id
          WHERE ]] .. JUDGED .. [[
          GROUP BY v.id]],
        reason = "{den}名签约人员中{unserved}人签约期内本年无服务记录",
        ok_reason = "{den}名签约人员签约期内本年均有服务记录",
        na_reason = "该村本年无签约人员（不含长期外出）",
        evidence = { table = "person", sql = [[
          SELECT village_id AS village, id AS key FROM sets.qianyue_people
          WHERE since IS NOT NULL AND NOT served]] },
      } },
  },
}
