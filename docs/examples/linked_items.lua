-- Linked items (scorecard language v2): an item whose outcome follows another item's, for the
-- same subject. A township form of 宣传与签约 work; the readings come from seed 004 (乡镇:
-- "群众对健康扶贫政策知晓率达到 95%以上，并实行一票否决").
--
--   1  知晓率 ≥ 95% from the survey table; no survey → 待核实
--   2  宣传阵地   veto_if_failed = "1": 知晓率未达标的，宣传工作一票否决 (grade 差), scores 0
--   3  签约覆盖
--   4  履约服务   zero_if_failed = "3": 签约未到位的，履约不予得分
--   5  大病救治   不适用 where the township had no 大病 patient
--   6  大病转诊   na_if_na = "5": 无大病患者，转诊亦不适用
--
-- A linked item whose source is 待核实 is 待核实 too. tests/spec/links_rollup_spec.lua runs it.
return scorecard {
  id = "example-linked-items",
  title = "乡镇健康扶贫宣传与签约服务考核表（示例）",
  period = "2018",
  subjects = { "township" },
  total = 40,
  grades = { source = "示例：本地规定（等次分数线由县考核办确定）", { "好", 36 }, { "一般", 24 }, { "差", 0 } },
  params = { awareness_rate = { 0.95, "群众知晓率下限" } },

  item { no = "1", points = 10, text = "健康扶贫政策群众知晓率是否达到95%以上。",
    rule = rate_at_least {
      threshold = "awareness_rate", when_none = "pending",
      sql = [[
        SELECT t.id AS township, count(s.id) AS den, coalesce(sum(s.aware), 0) AS num
        FROM township t
        LEFT JOIN village v ON v.township_id = t.id
        LEFT JOIN household h ON h.village_id = v.id
        LEFT JOIN person p ON p.household_id = h.id
        LEFT JOIN survey s ON s.person_id = p.id
                          AND s.surveyed_on BETWEEN :period_start AND :period_end
        GROUP BY t.id]],
    } },
  item { no = "2", points = 5, veto_if_failed = "1",
    text = "是否建立健康扶贫文化广场、刷写政策宣传标语（知晓率未达95%的，一票否决）。",
    rule = finding {} },
  item { no = "3", points = 10, text = "家庭医生签约是否全覆盖。", rule = finding {} },
  item { no = "4", points = 5, zero_if_failed = "3",
    text = "签约服务是否按约履行（签约未到位的，本项不予得分）。", rule = finding {} },
  item { no = "5", points = 5, text = "大病患者是否落实县级专家救治。", rule = finding {} },
  item { no = "6", points = 5, na_if_na = "5", text = "需转诊的大病患者是否落实转诊。",
    rule = finding {} },
}
