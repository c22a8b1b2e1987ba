-- Subjects v2, departments: the 包抓 cadres of a county, each under the department that sent
-- them (卫计, 民政, 人社 …: a kind of subject of its own, `department`, whose id is its name as
-- cadre.department writes it — the evidence gives a department no other code). The cadres roll
-- up to their departments (`parent = "department"`), and item 2 is a fact about the department,
-- not the cadre: recorded once, as a finding on the department (subject_kind "department"),
-- it is every one of its cadres' answer (`finding { of = "department", via = … }`), and the
-- reason names the department judged.
--
--   1  到村开展工作   5  at least one cadre_visit in the year
--   2  派出部门是否制定包抓工作方案   5  the finding on the cadre's department
--
-- tests/spec/subjects_spec.lua runs it on a small fixture and checks every number by hand.
return scorecard {
  id = "example-departments",
  title = "包抓干部履职考核表（示例）",
  period = "2018",
  subjects = { cadre = { parent = "department" } },
  total = 10,
  rollup = { "department" },

  item { no = "1", points = 5, text = "是否到包抓村开展工作。",
    rule = check {
      sql = [[
        SELECT c.id AS cadre, count(w.id) AS visits, count(w.id) = 0 AS failed
        FROM cadre c
        JOIN (SELECT DISTINCT cadre_id FROM cadre_assignment WHERE year = :year) a
          ON a.cadre_id = c.id
        LEFT JOIN cadre_visit w ON w.cadre_id = c.id
                               AND w.visited_on BETWEEN :period_start AND :period_end
        GROUP BY c.id]],
      reason = "全年无到村工作记录", ok_reason = "到村{visits}次" } },
  item { no = "2", points = 5, accountable = "派出部门。",
    text = "派出部门是否制定包抓工作方案并督促落实。",
    -- every cadre's department; rows about cadres not assessed this year link nothing
    rule = finding { of = "department", via = [[SELECT id AS cadre, department FROM cadre]] } },
}
