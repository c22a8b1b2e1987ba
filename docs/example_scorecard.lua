-- The complete example of docs/authoring.md: two items, one computed from evidence and one
-- from the inspectors' findings. tests/spec/guide_spec.lua runs it exactly as the guide shows.
return scorecard {
  id = "my-county-2019",
  title = "某某工作考核表",
  source = "某县 某发〔2019〕1号 附件2",
  period = "2019",
  subjects = { "village" },
  rollup = { "township", "county" },
  total = 10,
  grades = { source = "示例：本地规定（等次分数线由县考核办确定）", { "好", 9 }, { "较好", 8 }, { "一般", 6 }, { "差", 0 } },
  params = { sign_rate = { 0.95, "签约率下限" } },

  section "家庭医生签约" {
    accountable = "签约团队；健康专干。",
    item { no = "1", points = 4, text = "签约率是否达到95%以上。",
      rule = rate_at_least {
        threshold = "sign_rate",
        sql = [[
          SELECT v.id AS village, count(p.id) AS den,
                 count(k.id) AS num
          FROM village v
          LEFT JOIN household h ON h.village_id = v.id
          LEFT JOIN person p ON p.household_id = h.id
          LEFT JOIN contract k ON k.person_id = p.id
                              AND k.signed_on <= :period_end AND k.expires_on >= :period_start
          GROUP BY v.id]],
      } },
    item { no = "2", points = 6, text = "是否建立工作台账。",
      rule = finding { yes = 6, no = 0 } },
  },
}
