-- Mixed levels (scorecard language v2): one form for counties and townships. Each item says
-- which kind it is scored for (`subjects`); a subject is not scored at all on the other kind's
-- items, so a township neither gains 不适用 full points from a county item nor shows it on its
-- form. In points mode a form with several kinds must say it for every item.
--
--   1  county only       县级专家组
--   2  township only     乡镇卫生院
--   3  both              政策宣传
-- A county can score 20 (items 1 and 3), a township 20 (items 2 and 3); the form's items add
-- up to 30. tests/spec/links_rollup_spec.lua runs it.
return scorecard {
  id = "example-mixed-levels",
  title = "县乡健康扶贫工作考核表（示例）",
  period = "2018",
  subjects = { "county", "township" },
  total = 30,

  item { no = "1", points = 10, subjects = "county",
    text = "是否组建县级大病救治专家组。", rule = finding {} },
  item { no = "2", points = 10, subjects = "township",
    text = "乡镇卫生院是否达到服务能力基本标准。", rule = finding {} },
  item { no = "3", points = 10, subjects = { "county", "township" },
    text = "是否开展健康扶贫政策宣传。", rule = finding {} },
}
