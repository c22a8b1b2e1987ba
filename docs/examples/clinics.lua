-- Subjects v2, a filter and a declared parent: a form for 村卫生室 only. `subjects = {
-- institution = { kind = "村卫生室", parent = "village" } }` lists the institutions of that kind
-- (the engine applies the filter; a query may return every institution, the others are passed
-- over) and puts each under its village, so the form rolls up to township and county through
-- the villages. Without the filter every hospital and 卫生院 would be listed (and be 待核实 on
-- a 村卫生室 form); without the parent an institution cannot be rolled up at all.
--
--   1  业务用房面积不低于80平方米   5  institution.floor_m2
--   2  是否公示服务项目和收费标准   5  the inspector's finding on the 村卫生室
--
-- tests/spec/subjects_spec.lua runs it on a small fixture and checks every number by hand.
return scorecard {
  id = "example-clinics",
  title = "村卫生室标准化建设考核表（示例）",
  period = "2018",
  subjects = { institution = { kind = "村卫生室", parent = "village" } },
  total = 10,
  rollup = { "township", "county" },

  item { no = "1", points = 5, text = "村卫生室业务用房面积是否不低于80平方米。",
    rule = check {
      sql = [[
        SELECT id AS institution, coalesce(floor_m2, 0) AS m2, coalesce(floor_m2, 0) < 80 AS failed
        FROM institution]],
      reason = "业务用房{m2}平方米，不足80平方米" } },
  item { no = "2", points = 5, text = "村卫生室是否公示服务项目和收费标准。",
    rule = finding {} },
}
