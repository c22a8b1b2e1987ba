-- Scorecard language v2, caps and floors (docs/authoring.md: 扣分上限与下限、参数化分值、时间
-- 窗口): a points-mode form whose first section is "扣完为止" (floor = 0: the section never
-- scores below 0 however many cases are found) and whose second section "最多扣1分" (cap, given
-- by a parameter), with the deduction per case a parameter too. tests/spec/rules_v2_spec.lua
-- runs it on a small fixture and checks every number by hand.

-- The cases of one township: admissions of `kind` where `condition` holds, in the item's window.
local function cases(kind, condition)
  return [[
    SELECT a.id AS key, v.township_id AS township, p.name AS name
    FROM admission a JOIN person p ON p.id = a.person_id
    JOIN household h ON h.id = p.household_id JOIN village v ON v.id = h.village_id
    WHERE a.kind = ']] .. kind .. "' AND " .. condition .. [[
      AND a.admitted_on BETWEEN :item_from AND :item_until]]
end

return scorecard {
  id = "caps-example",
  title = "“一站式”结算与“先诊疗后付费”考核表（示例）",
  period = "2018",
  subjects = { "township" },
  total = 10,
  params = {
    each_case = { 0.5, "每发现1人次扣分" },
    deposit_cap = { 1, "“先诊疗后付费”部分最多扣分" },
  },

  section "“一站式”结算（本部分扣完为止）" {
    floor = 0,
    -- cap = 10 lets an item lose more than its own points: the section's floor is the limit
    item { no = "1", points = 3, per = "每发现1人次",
      text = "住院患者是否落实“一站式”结算。",
      rule = per_case { each = "each_case", cap = 10, evidence = "admission",
        cases = cases("住院", "a.one_stop = 0"),
        reason = "{name}住院未落实“一站式”结算" } },
    item { no = "2", points = 3, per = "每发现1人次",
      text = "门诊慢特病患者是否落实“一站式”结算。",
      rule = per_case { each = 1, cap = 10, evidence = "admission",
        cases = cases("门诊慢特病", "a.one_stop = 0"),
        reason = "{name}门诊慢特病未落实“一站式”结算" } },
  },

  section "“先诊疗后付费”（本部分最多扣1分）" {
    cap = "deposit_cap",
    item { no = "3", points = 4, per = "每发现1人次",
      text = "是否对住院的贫困患者收取押金。",
      rule = per_case { each = "each_case", evidence = "admission",
        cases = cases("住院", "a.deposit_fen > 0"),
        reason = "{name}住院被收取押金" } },
  },
}
