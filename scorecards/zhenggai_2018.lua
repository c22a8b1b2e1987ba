-- 乡镇问题整改台账核查表 — the 整改台账's 限期 and 销号 checked from the evidence's `problem`
-- table (issue 14, item 4). No document prints this form; it scores three requirements of seed
-- 000 (德卫办函〔2018〕119号 and the notices it forwards):
--   鲁扶贫组字〔2018〕3号 二(二) “对所有问题实行销号管理，……明确责任主体和工作期限，限期完成整改”;
--   德卫办函〔2018〕119号 “建立本单位问题整改台账，按照时间节点高标准、高质量完成整改任务”
--   (its 附件3 进度表 has a 完成时限 column for every 问题).
--   1  每个问题明确整改时限（限期）        problem.deadline present
--   2  到期问题按期销号（无逾期未销号）    deadline ≤ period end → 已销号 by the period end
--   3  销号不超过时限（无逾期销号）        已销号 in the period → closed_on ≤ deadline
-- One form per township: the problems recorded on the township and on its villages (a village's
-- problems roll up to the village's township); averaged up to the county. Problems recorded on
-- other kinds (county, cadre, institution) are not this form's. The problems on the ledger in
-- the period are those not closed (已销号) before it began. Points: no document gives points;
-- each item weighs 10 (本地规定, stated on the form). Grades: none (no document prints bands).
-- The reading of every item is docs/forms/zhenggai_2018.md.

-- The township's problems on the ledger in the period, with `dl` the deadline when it is a
-- date and `closed` the closing day when it is one (a text that is not a date is NULL there).
local LEDGER = [[
  rec AS (
    SELECT pr.*, t.id AS township FROM problem pr
    JOIN township t ON pr.subject_kind = 'township' AND t.id = pr.subject_id
    UNION ALL
    SELECT pr.*, v.township_id FROM problem pr
    JOIN village v ON pr.subject_kind = 'village' AND v.id = pr.subject_id),
  dated AS (
    SELECT rec.*, iif(date(deadline) IS deadline, deadline, NULL) AS dl,
           iif(status = '已销号' AND date(closed_on) IS closed_on, closed_on, NULL) AS closed
    FROM rec),
  ledger AS (
    SELECT * FROM dated WHERE closed IS NULL OR closed >= :period_start)]]

-- Item 2's and 3's judgement of one problem: 1 failed, 0 met, NULL cannot be told (a problem
-- 已销号 with no closing date); `judged` marks the problems the item looks at.
local OVERDUE = [[
  judged AS (
    SELECT *,
           CASE WHEN dl > :period_end THEN 0
                WHEN closed IS NOT NULL THEN closed > :period_end
                WHEN status = '已销号' THEN NULL
                ELSE 1 END AS bad
    FROM ledger WHERE dl IS NOT NULL)]]
local LATE = [[
  judged AS (
    SELECT *,
           CASE WHEN status <> '已销号' THEN 0
                WHEN closed IS NULL THEN NULL
                WHEN closed > :period_end THEN 0
                ELSE closed > dl END AS bad
    FROM ledger WHERE dl IS NOT NULL)]]

-- A check over `judged`: failed if any problem is bad, pending (no row) if none is bad and one
-- cannot be told, 不适用 if the township has no problem the item looks at.
local function judged_check(cte, what, ok)
  return check {
    sql = "WITH " .. LEDGER .. "," .. cte .. [[
      SELECT t.id AS township, count(j.id) AS total, coalesce(sum(j.bad = 1), 0) AS n,
             coalesce(sum(j.bad = 1), 0) > 0 AS failed, count(j.id) = 0 AS na
      FROM township t LEFT JOIN judged j ON j.township = t.id
      GROUP BY t.id
      HAVING failed OR coalesce(sum(j.id IS NOT NULL AND j.bad IS NULL), 0) = 0]],
    reason = "台账中{total}个限期问题，{n}个" .. what,
    ok_reason = "台账中{total}个限期问题，" .. ok,
    na_reason = "本乡镇台账中没有限期的问题",
    evidence = { table = "problem", sql = "WITH " .. LEDGER .. "," .. cte .. [[
      SELECT township, id AS key FROM judged WHERE bad = 1]] },
  }
end

return scorecard {
  id = "huining-zhenggai-2018",
  title = "乡镇问题整改台账核查表",
  source = "德卫办函〔2018〕119号 转发 鲁扶贫组字〔2018〕3号 二(二)“销号管理……限期完成整改”及附件3 整改工作进度表“完成时限”",
  period = "2018",
  short = "整改",
  reading = "docs/forms/zhenggai_2018.md",
  note = "各项分值：所据文件未规定分值，本表每项10分、各项等权（本地规定）；文件未规定等次分数线，不定等次。问题按记录对象归属：记在乡镇及其所辖村的问题计入该乡镇。",
  subjects = { "township" },
  rollup = { "county" },
  total = 30,

  section "问题整改台账" {
    accountable = "乡镇人民政府（问题的责任单位见台账“责任单位”栏）。",
    item { no = "1", points = 10,
      text = "台账中每个问题是否明确整改时限（限期完成整改）。",
      rule = check {
        sql = "WITH " .. LEDGER .. [[
          SELECT t.id AS township, count(l.id) AS total,
                 coalesce(sum(nullif(l.deadline, '') IS NULL), 0) AS n,
                 coalesce(sum(nullif(l.deadline, '') IS NULL), 0) > 0 AS failed,
                 count(l.id) = 0 AS na
          FROM township t LEFT JOIN ledger l ON l.township = t.id
          GROUP BY t.id
          HAVING failed OR coalesce(sum(l.id IS NOT NULL AND l.dl IS NULL), 0) = 0]],
        reason = "台账中{total}个问题，{n}个未明确整改时限",
        ok_reason = "台账中{total}个问题均明确整改时限",
        na_reason = "本乡镇台账中没有问题",
        evidence = { table = "problem", sql = "WITH " .. LEDGER .. [[
          SELECT township, id AS key FROM ledger WHERE nullif(deadline, '') IS NULL]] },
      } },
    item { no = "2", points = 10,
      text = "到期的问题是否按期销号（考核期末无逾期未销号的问题）。",
      rule = judged_check(OVERDUE, "逾期未销号", "到期的均已销号") },
    item { no = "3", points = 10,
      text = "已销号的问题是否在整改时限内销号（无逾期销号）。",
      rule = judged_check(LATE, "逾期销号", "无逾期销号") },
  },
}
