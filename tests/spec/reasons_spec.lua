-- docs/examples/reasons.lua: reasons in 元 and percentages, word for word.
-- V1: 3 poor persons, 2 signed in 2018 → 2/3 = 66.66…%, printed cut to 66.6% (never rounded
--     up towards the line) < 95% → item 1 lost (5), 1 unsigned; one admission with a deposit
--     of 123456 fen = 1234.56元 → item 2 lost (5).
-- V2: 1 poor person, signed → 1/1 = 100.0% ≥ 95%; no deposit → both items pass.
local T = require "kaohe.testing"

describe("reasons a reader can read (docs/examples/reasons.lua)", function()
  local person = function(id, h) return { id = id, household_id = h, name = id } end
  local contract = function(id, p) return { id = id, person_id = p, team_id = "D1",
    signed_on = "2018-03-01", expires_on = "2019-02-28", package = "初级" } end
  local db = T.evidence {
    county = { { id = "C1", name = "测试县", province = "测试省" } },
    township = { { id = "T1", county_id = "C1", name = "镇" } },
    village = { { id = "V1", township_id = "T1", name = "甲" }, { id = "V2", township_id = "T1", name = "乙" } },
    household = { { id = "H1", village_id = "V1", category = "建档立卡" },
                  { id = "H2", village_id = "V2", category = "建档立卡" } },
    person = { person("P1", "H1"), person("P2", "H1"), person("P3", "H1"), person("P4", "H2") },
    doctor_team = { { id = "D1", township_id = "T1", levels = "县,乡,村" } },
    contract = { contract("K1", "P1"), contract("K2", "P2"), contract("K4", "P4") },
    institution = { { id = "I1", name = "县医院", kind = "县级医院", county_id = "C1", in_county = 1 } },
    admission = { { id = "A1", person_id = "P1", institution_id = "I1", kind = "住院",
                    admitted_on = "2018-05-02", deposit_fen = 123456, one_stop = 1,
                    total_fen = 500000, compliant_fen = 400000, self_fen = 0 } },
  }
  local r = T.run { scorecard = "docs/examples/reasons.lua", evidence = db, period = "2018" }
  local reason = function(v, item) return r.scores[r.id].village[v][item].reason end

  it("prints a rate as a percentage and money in 元", function()
    T.expect(r, "village", "V1", { ["1"] = 0, ["2"] = 0 })
    assert.equal("2/3 = 66.6%，未达到95%；1人未签约，扣5分", reason("V1", "1"))
    assert.equal("1人次住院收取押金，共1234.56元，扣5分", reason("V1", "2"))
  end)

  it("says why an item passed", function()
    T.expect(r, "village", "V2", { ["1"] = 5, ["2"] = 5 })
    assert.equal("1/1 = 100.0%，达到95%；均已签约", reason("V2", "1"))
    assert.equal("未发现收取押金", reason("V2", "2"))
  end)
end)
