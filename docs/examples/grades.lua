-- Grades are declared policy. None of the seeds prints grade bands, and a 包抓 cadre graded 差
-- can be held to account (问责): a form that grades says where its bands come from, and every
-- printed form shows it beside the grade:
--   合计 … 等次：较好（等次划分：本地规定：县健康扶贫领导小组2018年考核细则：好≥9分，较好≥7分，其下为差）
-- A band's minimum may name a parameter, so that a county sets its own without editing the
-- form (kaohe run --param grade_good=8.5). A form whose document prints no bands declares no
-- `grades` at all and prints "不定等次（考核表未规定等次分数线）"; a veto item still sets the
-- veto grade, because the form says so ("年度考核直接定为“差”等").
-- tests/spec/grades_spec.lua runs it.
return scorecard {
  id = "example-grades",
  title = "村级健康扶贫工作考核表（等次示例）",
  period = "2018",
  subjects = { "village" },
  total = 10,
  params = {
    grade_good = { 9, "“好”等最低分" },
    grade_fair = { 7, "“较好”等最低分" },
  },
  grades = { source = "本地规定：县健康扶贫领导小组2018年考核细则",
    { "好", "grade_good" }, { "较好", "grade_fair" }, { "差", 0 } },

  item { no = "1", points = 10, text = "健康扶贫工作是否落实（部分完成的酌情得分）。",
    rule = finding { partial = true } },
}
