-- Roll-up policies (scorecard language v2): how the villages' totals are carried up to their
-- township and county. One item, scored per village from the inspectors' findings (部分 with a
-- score allowed), so that each village's total is simply what the finding says.
--
--   by = "mean"           each level the mean of the fully scored villages below it (the
--                         default: a county is the mean of its villages, not of its townships)
--   by = "mean_of_means"  each level the mean of the level below's means
--   by = "sum", "min"     the sum / the lowest of the villages' totals
--   pending = "exclude"   待核实 villages left out and counted (the default)
--   pending = "pending"   any 待核实 village makes the roll-up 待核实
--
-- The old form rollup = { "township", "county" } means by = "mean", pending = "exclude".
-- tests/spec/links_rollup_spec.lua runs it with every policy.
return scorecard {
  id = "example-rollup",
  title = "村级家庭医生签约服务考核表（示例）",
  period = "2018",
  subjects = { "village" },
  rollup = { to = { "township", "county" }, by = "mean_of_means", pending = "exclude" },
  total = 10,
  grades = { source = "示例：本地规定（等次分数线由县考核办确定）", { "好", 9 }, { "一般", 6 }, { "差", 0 } },

  item { no = "1", points = 10, text = "家庭医生签约服务是否规范（部分完成的酌情得分）。",
    rule = finding { partial = true } },
}
