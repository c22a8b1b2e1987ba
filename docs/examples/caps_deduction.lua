-- Scorecard language v2, caps (docs/authoring.md: 扣分上限与下限、参数化分值、时间窗口): a
-- deduction-mode form that "最多扣1分" as a whole (the scorecard's own cap, given by a
-- parameter). Cases past the cap are still listed, at 0 points. tests/spec/rules_v2_spec.lua
-- runs it and checks every number by hand.

-- The 住院 admissions where `condition` holds in the item's window, each charged to its township.
local function cases(condition)
  return [[
    SELECT a.id AS key, v.township_id AS township FROM admission a
    JOIN person p ON p.id = a.person_id JOIN household h ON h.id = p.household_id
    JOIN village v ON v.id = h.village_id
    WHERE a.kind = '住院' AND ]] .. condition .. [[
      AND a.admitted_on BETWEEN :item_from AND :item_until]]
end

return scorecard {
  id = "caps-deduction-example",
  title = "健康扶贫成果后评估扣分表（示例：全表最多扣1分）",
  period = "2018",
  mode = "deduction",
  subjects = { "township" },
  cap = "most_lost",
  params = { most_lost = { 1, "全表最多扣分" } },

  item { no = "1", per = "每发现1人次",
    text = "未按规定落实县域内“一站式”结算的",
    rule = per_case { each = 0.2, evidence = "admission",
      cases = cases("a.one_stop = 0") } },
  item { no = "2", per = "每发现1人次",
    text = "未实现“先诊疗后付费”政策应享尽享的",
    rule = per_case { each = 0.2, evidence = "admission",
      cases = cases("a.deposit_fen > 0") } },
}
