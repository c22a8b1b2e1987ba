-- 村卫生室设置核查表 (scorecards/cunweishi_village_2018.lua, issue 14: 每村一个卫生室): every
-- item's 合格, 扣分, 不适用 and 待核实 path on a hand-made fixture, each value worked out by hand.
local T = require "kaohe.testing"

local CARD = "scorecards/cunweishi_village_2018.lua"
local ID = "huining-cunweishi-village-2018"

-- The fixture:
--   C1 ├── T1: V1 (重点村, S1), V2 (重点村, no 卫生室)
--      └── T2: V3 (S3), V4 (no 卫生室), V5 (重点村, S5a and S5b)
--   C2 └── T3: V6 (重点村): C2 has a 县医院 but no 村卫生室 at all → its register is not loaded
--   also C1's 县医院 H1 and T1's 卫生院 W1, which stands in V2 (not 村卫生室: neither counts for
--   a village, so V2 still has none)
-- Period 2018 (ends 2018-12-31, before item 2's 完成时限 2020-12-31):
--   item 1: V1 1 → 10; V2 0 → 扣分 0; V3 10; V4 扣分 0; V5 2 → 10 (two are no defect);
--           V6 待核实 (no 村卫生室 in C2)
--   item 2: every village 不适用 (deadline not reached), V6 too → 10 each
--   totals: V1 20, V2 10, V3 20, V4 10, V5 20, V6 待核实 (1 item)
--   T1 = (20 + 10) / 2 = 15; T2 = (20 + 10 + 20) / 3 = 16.666… → 16.67;
--   C1 = (20 + 10 + 20 + 10 + 20) / 5 = 16
-- Period 2018 with key_village_deadline = 2018-12-31 (the deadline is the period's end):
--   item 2: V1 重点村 with 1 → 10; V2 重点村 with none → 扣分 0; V3, V4 not 重点村 → 不适用;
--           V5 10; V6 待核实
--   totals: V2 0 + 0 = 0; T1 = (20 + 0) / 2 = 10
local function fixture()
  local rows = {
    county = { { id = "C1", name = "测试县", province = "测试省" },
               { id = "C2", name = "另一县", province = "测试省" } },
    township = { { id = "T1", county_id = "C1", name = "甲镇" },
                 { id = "T2", county_id = "C1", name = "乙乡" },
                 { id = "T3", county_id = "C2", name = "丙镇" } },
    village = { { id = "V1", township_id = "T1", name = "甲村", key_village = 1 },
                { id = "V2", township_id = "T1", name = "乙村", key_village = 1 },
                { id = "V3", township_id = "T2", name = "丙村", key_village = 0 },
                { id = "V4", township_id = "T2", name = "丁村", key_village = 0 },
                { id = "V5", township_id = "T2", name = "戊村", key_village = 1 },
                { id = "V6", township_id = "T3", name = "己村", key_village = 1 } },
    institution = {
      { id = "H1", name = "县医院", kind = "县级医院", county_id = "C1", in_county = 1 },
      { id = "H2", name = "另一县医院", kind = "县级医院", county_id = "C2", in_county = 1 },
      { id = "W1", name = "甲镇卫生院", kind = "乡镇卫生院", county_id = "C1", township_id = "T1",
        village_id = "V2", in_county = 1 } },
  }
  for _, c in ipairs({ { "S1", "V1", "T1" }, { "S3", "V3", "T2" }, { "S5a", "V5", "T2" },
                       { "S5b", "V5", "T2" } }) do
    rows.institution[#rows.institution + 1] = { id = c[1], name = c[1] .. "卫生室",
      kind = "村卫生室", county_id = "C1", township_id = c[3], village_id = c[2], in_county = 1 }
  end
  return rows
end

describe("村卫生室设置核查表 (issue 14: 每村一个卫生室)", function()
  local db = T.evidence(fixture())
  local r = T.run { scorecard = CARD, evidence = db, period = "2018", allow_empty = true }

  it("item 1: a village with a 村卫生室 passes, one without fails, two are no defect", function()
    local s = T.expect(r, "village", "V1", { ["1"] = 10 })
    assert.equal("该村有村卫生室1个", s["1"].reason)
    s = T.expect(r, "village", "V2", { ["1"] = { points = 0, status = "扣分" } })
    assert.equal("该村没有村卫生室，扣10分", s["1"].reason)
    T.expect(r, "village", "V3", { ["1"] = 10 })
    T.expect(r, "village", "V4", { ["1"] = { points = 0, status = "扣分" } })
    s = T.expect(r, "village", "V5", { ["1"] = 10 })
    assert.equal("该村有村卫生室2个", s["1"].reason)
  end)

  it("item 1: a county without any 村卫生室 in the evidence is 待核实, not failed", function()
    T.expect(r, "village", "V6", { ["1"] = "待核实", ["2"] = "不适用" })
    T.expect_total(r, "village", "V6", { pending = 1, grade = false })
  end)

  it("item 2: 不适用 while the period ends before the 2020 deadline", function()
    local s = T.expect(r, "village", "V2", { ["2"] = { points = 10, status = "不适用" } })
    assert.equal("完成时限为2020-12-31，本考核期末未到，按不适用得满分", s["2"].reason)
    T.expect(r, "village", "V1", { ["2"] = "不适用" })
  end)

  it("totals and the roll-up to township and county", function()
    T.expect_total(r, "village", "V1", { total = 20, grade = false })
    T.expect_total(r, "village", "V2", { total = 10 })
    T.expect_total(r, "village", "V4", { total = 10 })
    T.expect_total(r, "township", "T1", { total = 15, members = 2 })
    T.expect_total(r, "township", "T2", { total = 16.67, members = 3 })
    T.expect_total(r, "county", "C1", { total = 16, members = 5 })
  end)

  it("item 2 at its deadline: a 重点村 without a 卫生室 fails, other villages are 不适用", function()
    local r2 = T.run { scorecard = CARD, evidence = db, period = "2018", allow_empty = true,
                       params = { key_village_deadline = "2018-12-31" } }
    local s = T.expect(r2, "village", "V1", { ["2"] = { points = 10, status = "合格" } })
    assert.equal("该村是扶贫工作重点村，有村卫生室1个", s["2"].reason)
    s = T.expect(r2, "village", "V2", { ["2"] = { points = 0, status = "扣分" } })
    assert.equal("该村是扶贫工作重点村，截至考核期末没有村卫生室，扣10分", s["2"].reason)
    s = T.expect(r2, "village", "V3", { ["2"] = "不适用" })
    assert.equal("该村不是扶贫工作重点村，按不适用得满分", s["2"].reason)
    T.expect(r2, "village", "V4", { ["2"] = "不适用" })
    T.expect(r2, "village", "V5", { ["2"] = 10 })
    T.expect(r2, "village", "V6", { ["1"] = "待核实", ["2"] = "待核实" })
    T.expect_total(r2, "village", "V2", { total = 0 })
    T.expect_total(r2, "township", "T1", { total = 10, members = 2 })
  end)

  it("covers every item", function() assert.same({}, T.uncovered(ID)) end)
end)
