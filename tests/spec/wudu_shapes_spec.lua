-- 五督: the branches that the card's sets and items test on one table before they look up the
-- others (issue 19: a test on the admission, the survey or the per-person sums first, person
-- and household only for the rows that can fail). The small county of wudu_spec.lua with rows
-- added so that each branch decides an item on its own. Worked out by hand:
--
-- 1 (V1): A3, P2's (建档立卡) admission: compliant 20 000元, basic 12 000, serious 3 000,
--   other 2 000, aid 0. 85%: reimbursed 17 000 × 100 = 1 700 000 is not < 85 × 20 000 =
--   1 700 000; 起付线: serious ≠ 0; 3000元兜底: aid 0 < 20 000 − 12 000 − 3 000 − 3 000 = 2 000
--   → fails on the 兜底 clause alone → 0.
-- 1 (V2): A4, the same amounts for P7 (低保, household H6 边缘户, not registered): the 85% and
--   兜底 clauses are for the registered only and serious ≠ 0 → V2 keeps 5 (A2 passes, as in
--   wudu_spec).
-- 2 (V3): A5, P5's (建档立卡) admission: no deposit, compliant 1 000元, basic 0 (a 起付线 was
--   set) → fails with A5 as its evidence → 0 (the clause finding is 是).
-- 12 (V1): P2's contract has no “一人一策” plan: all three signed, 2 of 3 planned = 66.7% < 95%
--   → 0; the person behind the loss is P2 alone (signed, so not for 应签尽签).
-- 17 (V1): P2 (慢阻肺, card expired 2018-06-30) and P3 (慢阻肺, no card) need a 慢病卡 → 2 ≥ 2
--   → 0 although P1's 随访 rate is 1/1; the evidence is P2 and P3.
-- 11 (V1) stays 4: P2 is now ill (慢病) but signed (KP2) and served in 2018 (F7 体检).
-- 26 (V3): the only answer (S5, 2017-10-01) is outside the period → no answer → 待核实.
local T = require "kaohe.testing"
local CARD = "scorecards/wudu_2018.lua"

local function copy(t)
  if type(t) ~= "table" then return t end
  local c = {}
  for k, v in pairs(t) do c[k] = copy(v) end
  return c
end

local function add(list, ...)
  for _, row in ipairs({ ... }) do list[#list + 1] = row end
end

describe("五督: the tests made before the person and household lookups", function()
  local rows = copy(dofile("tests/spec/fixtures/small_county.lua"))
  add(rows.household, { id = "H6", village_id = "V2", category = "边缘户" })
  add(rows.person, { id = "P7", household_id = "H6", name = "孙七", dibao = 1 })
  add(rows.enrollment, { person_id = "P7", year = 2018, basic = 1, serious_illness = 1,
                         medical_aid = 1, premium_paid_by_state = 1 })
  local function big_bill(id, person)
    return { id = id, person_id = person, institution_id = "I1", kind = "住院",
             admitted_on = "2018-07-01", deposit_fen = 0, one_stop = 1, total_fen = 2100000,
             compliant_fen = 2000000, basic_fen = 1200000, serious_fen = 300000, aid_fen = 0,
             other_fen = 200000, self_fen = 400000 }
  end
  add(rows.admission, big_bill("A3", "P2"), big_bill("A4", "P7"),
      { id = "A5", person_id = "P5", institution_id = "I1", kind = "住院",
        admitted_on = "2018-09-01", deposit_fen = 0, one_stop = 1, total_fen = 100000,
        compliant_fen = 100000, basic_fen = 0, self_fen = 100000 })
  for _, k in ipairs(rows.contract) do
    if k.person_id == "P2" then k.plan = 0 end
  end
  add(rows.diagnosis,
      { id = "D6", person_id = "P2", disease = "慢阻肺", kind = "慢病", needs_card = 1,
        diagnosed_on = "2017-01-01" },
      { id = "D7", person_id = "P3", disease = "慢阻肺", kind = "慢病", needs_card = 1,
        diagnosed_on = "2017-01-01" })
  add(rows.chronic_card, { person_id = "P2", disease = "慢阻肺", issued_on = "2016-07-01",
                           expires_on = "2018-06-30" })
  add(rows.followup, { id = "F7", person_id = "P2", visited_on = "2018-04-01", kind = "体检" })
  add(rows.survey, { id = "S5", person_id = "P5", surveyed_on = "2017-10-01", aware = 1 })

  local db = T.evidence(rows)
  local r = T.run { scorecard = CARD, evidence = db, period = "2018" }

  local function keys(subject, item)
    local out = {}
    for _, d in ipairs(r.deductions) do
      if d.subject == subject and d.item == item then out[#out + 1] = d.table .. ":" .. d.key end
    end
    table.sort(out)
    return out
  end

  it("fails 1 on the 3000元兜底 clause alone, for the registered only", function()
    T.expect(r, "village", "V1", { ["1"] = 0 })
    T.expect(r, "village", "V2", { ["1"] = 5 })
    assert.same({ "person:P2" }, keys("V1", "1"))
  end)

  it("fails 2 on an admission without basic reimbursement, no deposit charged", function()
    T.expect(r, "village", "V3", { ["2"] = 0 })
    assert.same({ "admission:A5" }, keys("V3", "2"))
  end)

  it("names the person signed without a plan where 12's rate fell short", function()
    T.expect(r, "village", "V1", { ["12"] = 0, ["11"] = 4 })
    assert.same({ "person:P2" }, keys("V1", "12"))
  end)

  it("counts an expired card as none for 17", function()
    T.expect(r, "village", "V1", { ["17"] = 0 })
    -- one deduction, its evidence keys sorted and joined (core/cause_keys.c)
    assert.same({ "person:P2、P3" }, keys("V1", "17"))
  end)

  it("leaves an answer outside the period out of 26", function()
    T.expect(r, "village", "V3", { ["26"] = "待核实" })
  end)
end)
