-- Scorecard language v2, time windows (docs/authoring.md: 扣分上限与下限、参数化分值、时间窗口),
-- after the 会宁县 先锋行动 plan (seed 004): "8月底前，家庭医生签约率……达到95%以上" is a deadline
-- (`by`, bound as :item_by), a policy in force "自2018年6月29日起" a window (`from`, and `to`:
-- Lua reserves `until`; bound as :item_from and :item_until), and a "2019年" task an item of that
-- year only (`years`): in any other period it is 不适用 and its query is not run.
-- tests/spec/rules_v2_spec.lua runs it and checks every number by hand.
return scorecard {
  id = "window-example",
  title = "家庭医生签约进度考核表（示例）",
  period = "2018",
  subjects = { "village" },
  total = 10,
  params = {
    sign_rate = { 0.95, "签约率下限" },
    sign_deadline = { "2018-08-31", "签约完成时限（8月底前）" },
  },

  item { no = "1", points = 4, by = "sign_deadline",
    text = "8月底前，家庭医生签约率是否达到95%以上。",
    rule = rate_at_least { threshold = "sign_rate",
      sql = [[
        SELECT v.id AS village, count(p.id) AS den,
               count(DISTINCT k.person_id) AS num, :item_by AS deadline
        FROM village v
        LEFT JOIN household h ON h.village_id = v.id
        LEFT JOIN person p ON p.household_id = h.id
        LEFT JOIN contract k ON k.person_id = p.id AND k.signed_on <= :item_by
        GROUP BY v.id]],
      reason = "截至{deadline}签约率未达标" } },

  item { no = "2", points = 3, from = "2018-06-29",
    text = "2018年6月29日起住院的贫困患者是否均落实“一站式”结算。",
    rule = check {
      sql = [[
        SELECT v.id AS village, count(a.id) AS n, count(a.id) > 0 AS failed
        FROM village v
        LEFT JOIN household h ON h.village_id = v.id
        LEFT JOIN person p ON p.household_id = h.id
        LEFT JOIN admission a ON a.person_id = p.id AND a.kind = '住院' AND a.one_stop = 0
                             AND a.admitted_on BETWEEN :item_from AND :item_until
        GROUP BY v.id]],
      reason = "{n}例住院未落实“一站式”结算" } },

  item { no = "3", points = 3, years = { 2019 },
    text = "2019年：村卫生室是否完成标准化建设。",
    rule = finding { yes = 3, no = 0 } },
}
