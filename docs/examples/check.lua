-- What `kaohe check` asks of each query (docs/authoring.md, 五、kaohe check 逐列检查查询).
-- A complete scorecard with one rule of each kind that queries evidence; the comments say which
-- columns each rule reads. `kaohe check docs/examples/check.lua` passes it without any evidence
-- database (it prepares every query against fixtures/evidence-schema.sql); tests/spec/check_spec.lua
-- breaks it one column at a time and runs it on a small fixture.
return scorecard {
  id = "example-check", title = "示例：kaohe check 逐列检查", period = "2018",
  subjects = { "village" }, total = 10,
  params = { sign_rate = { 0.9, "家庭医生签约率下限" } },

  -- check: a subject column (village), failed (or passed), and every {name} of the reasons;
  -- evidence.sql: the subject column and key (the person row behind a failure)
  item { no = "1", points = 4, text = "村内人员是否全部参加基本医保。",
    rule = check {
      sql = [[
        SELECT v.id AS village, count(p.id) AS n, count(p.id) > 0 AS failed
        FROM village v
        LEFT JOIN household h ON h.village_id = v.id
        LEFT JOIN person p ON p.household_id = h.id AND NOT EXISTS (
          SELECT 1 FROM enrollment e WHERE e.person_id = p.id AND e.year = :year AND e.basic = 1)
        GROUP BY v.id]],
      reason = "{n}人未参加基本医保",
      ok_reason = "全部参保",
      evidence = { table = "person", sql = [[
        SELECT h.village_id AS village, p.id AS key
        FROM person p JOIN household h ON h.id = p.household_id
        WHERE NOT EXISTS (
          SELECT 1 FROM enrollment e WHERE e.person_id = p.id AND e.year = :year AND e.basic = 1)]] },
    } },

  -- rate_at_least: the subject column, num and den
  item { no = "2", points = 4, text = "家庭医生签约率是否达到90%。",
    rule = rate_at_least { threshold = "sign_rate",
      sql = [[
        SELECT v.id AS village, count(DISTINCT c.person_id) AS num, count(DISTINCT p.id) AS den
        FROM village v
        LEFT JOIN household h ON h.village_id = v.id
        LEFT JOIN person p ON p.household_id = h.id
        LEFT JOIN contract c ON c.person_id = p.id
          AND c.signed_on <= :period_end AND c.expires_on >= :period_start
        GROUP BY v.id]] } },

  -- per_case: key (the admission row behind each case), the subject column, the reason's {names}
  item { no = "3", points = 2, text = "住院是否收取押金，每发现1例扣1分。",
    rule = per_case { each = 1, evidence = "admission",
      cases = [[
        SELECT a.id AS key, h.village_id AS village, p.name AS name, a.deposit_fen / 100 AS yuan
        FROM admission a
        JOIN person p ON p.id = a.person_id JOIN household h ON h.id = p.household_id
        WHERE a.kind = '住院' AND a.deposit_fen > 0
          AND a.admitted_on BETWEEN :period_start AND :period_end]],
      reason = "{name}住院被收取押金{yuan}元" } },
}
