-- Scorecard language v2, cadence checks (docs/authoring.md: 扣分上限与下限、参数化分值、时间窗口):
-- "没有达到每季度随访一次的签约服务承诺要求" (seed 003) counted with kh_quarters_missing, and
-- monthly 履约服务 from the second half of the year with kh_months_missing over the item's
-- window — no month arithmetic in SQL. tests/spec/rules_v2_spec.lua runs it and checks every
-- number by hand.

-- One row per 四大慢病 patient for whom `missing` — a cadence function of the dates of their
-- followups of `kind` — is above 0: the months or quarters without one.
local function patients_missing(kind, missing)
  return [[
    SELECT p.id AS key, v.township_id AS township, p.name AS name,
           ]] .. missing .. [[(f.visited_on, :item_from, :item_until) AS missing
    FROM person p JOIN household h ON h.id = p.household_id
    JOIN village v ON v.id = h.village_id
    LEFT JOIN followup f ON f.person_id = p.id AND f.kind = ']] .. kind .. [['
    WHERE EXISTS (SELECT 1 FROM diagnosis d WHERE d.person_id = p.id AND d.big4 = 1)
    GROUP BY p.id HAVING missing > 0]]
end

return scorecard {
  id = "cadence-example",
  title = "慢病签约服务随访考核表（示例）",
  period = "2018",
  mode = "deduction",
  subjects = { "township" },

  item { no = "1", per = "每发现1人次",
    text = "四大慢病签约患者未做到每季度随访一次的",
    rule = per_case { each = 0.2, evidence = "person",
      cases = patients_missing("随访", "kh_quarters_missing"),
      reason = "{name}有{missing}个季度未随访" } },

  item { no = "2", per = "每发现1人次", from = "2018-07-01",
    text = "下半年起四大慢病签约患者未做到每月履约服务的",
    rule = per_case { each = 0.2, evidence = "person",
      cases = patients_missing("履约服务", "kh_months_missing"),
      reason = "{name}有{missing}个月无履约服务" } },
}
