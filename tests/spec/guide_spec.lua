-- The authoring guide's example, run exactly as docs/authoring.md shows it: a scorecard written
-- by following the guide must work. Worked out by hand: 甲村 has no person, so item 1's rate
-- has den = 0 → 不适用, full 4; item 2's finding is 否 → 0. Total 4 → 差 (below 6).
local T = require "kaohe.testing"
describe("我的考核表", function()
  local db = T.evidence {
    county = { { id = "C1", name = "测试县", province = "测试省" } },
    township = { { id = "T1", county_id = "C1", name = "甲镇" } },
    village = { { id = "V1", township_id = "T1", name = "甲村" } },
    finding = { { id = "G1", scorecard = "my-county-2019", item = "2", subject_kind = "village",
                  subject_id = "V1", period = "2019", answer = "否",
                  inspector = "督查组", inspected_on = "2019-12-01" } },
  }
  local r = T.run { scorecard = "docs/example_scorecard.lua", evidence = db, period = "2019" }
  it("甲村", function()
    T.expect(r, "village", "V1", { ["1"] = "不适用", ["2"] = { points = 0, status = "扣分" } })
    T.expect_total(r, "village", "V1", { total = 4, grade = "差" })
  end)
  it("每一项都测到了", function() assert.same({}, T.uncovered(r.id)) end)
  it("reports coverage in words", function()
    assert.matches("my-county-2019 (docs/example_scorecard.lua): 2/2 items exercised",
                   T.coverage_report(), 1, true)
  end)
end)
