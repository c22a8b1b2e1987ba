-- 包抓干部工作考核表 on the small county of fixtures/small_county.lua. Worked out by hand:
--
-- K1 包村干部 (V1, V2): 2.2 finding 是 → 0; 4.2 A2 deposit in V2 → 0; 4.3 the same deposit
--   means “先诊疗，后付费” was not applied (issue 14: 4.3 reads it, seed 004 卫计 4 "县域内各医疗
--   机构住院不得收取押金") → 0; 8.1 V2 not visited in December (monthly from July) → 0; 9 部分
--   3.5; everything else full (the clause findings of 4.2, 4.3, 8.1 are 是).
--   5+5+5+0 + 5+5 + 5+0+0 + 6+6+6 + 3+3+5 + 5+5 + 0+8 + 3.5 = 80.5 → 较好, rank 1.
-- K2 科级干部 (T2 → V3): 3.2 P6 premium not paid → 0; 6.3 P6 unsigned → 0; 8.2 1/2 signed →
--   0; 7.2 no finding → 待核实. 100 − 5 − 5 − 8 − 5 (pending) = 77, no grade (the card declares no bands), not ranked.
-- K3 医共体包抓领导 (T1 → V1, V2): 1.1 finding 是 → veto, 0; 4.2, 4.3 A2 deposit → 0, 0.
--   100 − 5 − 5 − 5 = 85, but vetoed → 差, ranked after every cadre not vetoed: rank 2.
-- K9 has no 2018 assignment and is not assessed.
local T = require "kaohe.testing"
local CARD = "scorecards/bazhua_cadre_2018.lua"

describe("包抓干部工作考核表", function()
  local db = T.evidence(dofile("tests/spec/fixtures/small_county.lua"))
  local r = T.run { scorecard = CARD, evidence = db, period = "2018" }

  it("passes check", function()
    assert.is_true(kh.kaohe.check { evidence = db, scorecards = { CARD } })
  end)

  it("scores K1 with a partial credit and a missed month", function()
    T.expect(r, "cadre", "K1", {
      ["1.1"] = 5, ["1.2"] = 5, ["2.1"] = 5, ["2.2"] = 0, ["3.1"] = 5, ["3.2"] = 5,
      ["4.1"] = 5, ["4.2"] = 0, ["4.3"] = 0, ["5.1"] = 6, ["5.2"] = 6, ["5.3"] = 6,
      ["6.1"] = 3, ["6.2"] = 3, ["6.3"] = 5, ["7.1"] = 5, ["7.2"] = 5,
      ["8.1"] = { points = 0, status = "扣分" }, ["8.2"] = 8,
      ["9"] = { points = 3.5, status = "扣分" },
    })
    T.expect_total(r, "cadre", "K1", { total = 80.5, grade = false, rank = 1, vetoed = 0 })
  end)

  it("leaves K2 待核实 for the missing finding", function()
    T.expect(r, "cadre", "K2", { ["3.2"] = 0, ["6.3"] = 0, ["8.2"] = 0, ["7.2"] = "待核实",
                                 ["8.1"] = 3 })
    T.expect_total(r, "cadre", "K2", { total = 77, grade = false, rank = 0, pending = 1 })
  end)

  it("grades the vetoed K3 差 whatever its points", function()
    T.expect(r, "cadre", "K3", { ["1.1"] = { points = 0, veto = true }, ["4.2"] = 0, ["4.3"] = 0 })
    T.expect_total(r, "cadre", "K3", { total = 85, grade = "差", vetoed = 1, rank = 2 })
  end)

  it("assesses only cadres with an assignment in the period", function()
    assert.is_nil(r.totals[r.id].cadre.K9)
  end)

  it("covers every item of the form in these specs", function()
    assert.same({}, T.uncovered(r.id))
  end)
end)
