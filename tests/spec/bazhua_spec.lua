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
local SEP = "、" -- KH_KEY_SEP: the evidence keys of one loss, sorted

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

  -- 8.2 on a village of its own (issue 19: the unplanned persons are 6.3's set plus those whose
  -- contracts in force all lack a plan). H1 建档立卡: P1 a contract without a plan and one
  -- with, both in force → planned; P2 in force without a plan → unplanned; P3 no contract →
  -- unplanned (also 6.3's); P4 a plan that expired in 2017 and two contracts in force without
  -- one → unplanned, once; P5 a plan in force → planned; P6 away, unsigned → not counted.
  -- H2 边缘户: E1 not counted. Rate 2/5 = 0.40: full at sign_rate 0.40, 0 at 0.41 with the
  -- evidence P2, P3, P4.
  it("8.2 counts a person with several contracts once and lists the unplanned", function()
    local rows = kh.fixture_rows {
      townships = { "T1" }, villages = { { "V1", "T1" } },
      households = { { "H1", "V1", "建档立卡" }, { "H2", "V1", "边缘户" } },
      persons = { { "P1", "H1", "张一" }, { "P2", "H1", "张二" }, { "P3", "H1", "张三" },
                  { "P4", "H1", "张四" }, { "P5", "H1", "张五" }, { "P6", "H1", "张六", away = 1 },
                  { "E1", "H2", "赵边" } },
      doctor_team = { { id = "DT1", township_id = "T1", levels = "县,乡,村" } },
      contract = {},
      cadre = { { id = "K1", name = "杨卫东", department = "卫计", role = "包村干部" } },
      cadre_assignment = { { cadre_id = "K1", township_id = "T1", village_id = "V1",
                             year = 2018 } },
    }
    local function sign(id, person, on, expires, plan)
      rows.contract[#rows.contract + 1] = { id = id, person_id = person, team_id = "DT1",
        signed_on = on, expires_on = expires, package = "初级", plan = plan }
    end
    sign("C1a", "P1", "2018-01-10", "2019-01-09", 0)
    sign("C1b", "P1", "2018-03-01", "2019-02-28", 1)
    sign("C2", "P2", "2018-01-10", "2019-01-09", 0)
    sign("C4a", "P4", "2017-01-01", "2017-12-31", 1)
    sign("C4b", "P4", "2018-01-10", "2019-01-09", 0)
    sign("C4c", "P4", "2018-06-01", "2019-05-31", 0)
    sign("C5", "P5", "2018-02-01", "2019-01-31", 1)
    sign("CE1", "E1", "2018-02-01", "2019-01-31", 0)
    local db8 = T.evidence(rows)
    local pass = T.run { scorecard = CARD, evidence = db8, period = "2018",
                         params = { sign_rate = "0.40" } }
    T.expect(pass, "cadre", "K1", { ["8.2"] = 8, ["6.3"] = 0 })
    local fail = T.run { scorecard = CARD, evidence = db8, period = "2018",
                         params = { sign_rate = "0.41" } }
    T.expect(fail, "cadre", "K1", { ["8.2"] = 0 })
    local d = kh.deductions(fail, "K1", "8.2")
    assert.equal(1, #d)
    assert.truthy(d[1]:find("|person|P2" .. SEP .. "P3" .. SEP .. "P4|", 1, true), d[1])
  end)

  it("covers every item of the form in these specs", function()
    assert.same({}, T.uncovered(r.id))
  end)
end)
