-- 贫困村卫生室标准化建设核查表 (scorecards/cunweishi_2018.lua, issue 14 item 4b): every item's
-- 合格, 扣分, 不适用 and 待核实 path on a hand-made fixture, each value worked out by hand below.
local T = require "kaohe.testing"

local CARD = "scorecards/cunweishi_2018.lua"
local ID = "huining-cunweishi-2018"

-- The fixture, period 2018:
--   C1 ├── T1: V1 (重点村), V2 (重点村)
--      └── T2: V3 (not a 重点村), V4 (重点村), V5 (重点村)
--   村卫生室 (floor m², 四室分开, 执业医护, 服务人口; item 5 finding):
--     S1 in V1: 80, 1, 5, 2000; 是    → every bound met (80 and 2000 inclusive; 5 staff is
--                                       more than 4, not a defect) → 50
--     S2 in V2: 79, 0, 1, 4001; 否    → every item 扣分 → 0
--     S3 in V3: 50, 0, 1, 500; 否     → V3 is no 重点村: every item 不适用 (full) → 50
--     S4 in V4: nothing recorded, no finding → every item 待核实
--     S5 in V5: 100, 1, 2, 1999; 部分 → item 4 (1999 < 2000) and item 5 (部分) 扣分 → 30
--   also a 县医院 and V1's township 卫生院: not 村卫生室, not on this form.
-- Roll-up through the villages: T1 = (50 + 0) / 2 = 25; T2 = (50 + 30) / 2 = 40 (S4 left out);
-- C1 = (50 + 0 + 50 + 30) / 4 = 32.5.
local function fixture()
  local rows = {
    county = { { id = "C1", name = "测试县", province = "测试省" } },
    township = { { id = "T1", county_id = "C1", name = "甲镇" },
                 { id = "T2", county_id = "C1", name = "乙乡" } },
    village = { { id = "V1", township_id = "T1", name = "甲村", key_village = 1 },
                { id = "V2", township_id = "T1", name = "乙村", key_village = 1 },
                { id = "V3", township_id = "T2", name = "丙村", key_village = 0 },
                { id = "V4", township_id = "T2", name = "丁村", key_village = 1 },
                { id = "V5", township_id = "T2", name = "戊村", key_village = 1 } },
    institution = {
      { id = "H1", name = "县医院", kind = "县级医院", county_id = "C1", in_county = 1 },
      { id = "W1", name = "甲镇卫生院", kind = "乡镇卫生院", county_id = "C1", township_id = "T1",
        in_county = 1 } },
    finding = {},
  }
  local function clinic(id, village, township, floor, rooms, staff, served)
    rows.institution[#rows.institution + 1] = { id = id, name = id .. "卫生室", kind = "村卫生室",
      county_id = "C1", township_id = township, village_id = village, in_county = 1,
      floor_m2 = floor, rooms_separated = rooms, licensed_staff = staff,
      service_population = served }
  end
  clinic("S1", "V1", "T1", 80, 1, 5, 2000)
  clinic("S2", "V2", "T1", 79, 0, 1, 4001)
  clinic("S3", "V3", "T2", 50, 0, 1, 500)
  clinic("S4", "V4", "T2")
  clinic("S5", "V5", "T2", 100, 1, 2, 1999)
  for _, f in ipairs({ { "S1", "是" }, { "S2", "否" }, { "S3", "否" }, { "S5", "部分" } }) do
    rows.finding[#rows.finding + 1] = { id = "G-" .. f[1], scorecard = ID, item = "5",
      subject_kind = "institution", subject_id = f[1], period = "2018", answer = f[2],
      score = f[2] == "部分" and 5 or nil, inspector = "县督查组", inspected_on = "2018-12-01" }
  end
  return rows
end

describe("贫困村卫生室标准化建设核查表 (issue 14, item 4b)", function()
  local db = T.evidence(fixture())
  local r = T.run { scorecard = CARD, evidence = db, period = "2018" }

  it("lists only the 村卫生室", function()
    local n = 0
    for id in pairs(r.scores[ID].institution) do
      n = n + 1
      assert.matches("^S%d$", id)
    end
    assert.equal(5, n)
  end)

  it("S1 meets every bound, inclusive", function()
    local s = T.expect(r, "institution", "S1", { ["1"] = 10, ["2"] = 10, ["3"] = 10, ["4"] = 10,
                                                 ["5"] = 10 })
    assert.equal("业务用房80平方米", s["1"].reason)
    assert.equal("执业医护人员5名", s["3"].reason)
    assert.equal("现场核查：服务半径、常用诊疗设备符合标准", s["5"].reason)
    T.expect_total(r, "institution", "S1", { total = 50, grade = false })
  end)

  it("S2 misses every bound", function()
    local s = T.expect(r, "institution", "S2", { ["1"] = 0, ["2"] = "扣分", ["3"] = 0, ["4"] = 0,
                                                 ["5"] = 0 })
    assert.equal("业务用房79平方米，不足80平方米，扣10分", s["1"].reason)
    assert.equal("执业医护人员1名，不足2名，扣10分", s["3"].reason)
    assert.equal("服务人口4001人，不在2000—4000人之间，扣10分", s["4"].reason)
    T.expect_total(r, "institution", "S2", { total = 0 })
  end)

  it("S3 is not in a 重点村: every item 不适用, its finding 否 notwithstanding", function()
    local s = T.expect(r, "institution", "S3", { ["1"] = "不适用", ["2"] = "不适用",
      ["3"] = "不适用", ["4"] = "不适用", ["5"] = { points = 10, status = "不适用" } })
    assert.equal("所在村不是省定贫困村（重点村），本标准不适用，按不适用得满分", s["1"].reason)
    T.expect_total(r, "institution", "S3", { total = 50 })
  end)

  it("S4 has nothing recorded and no finding: every item 待核实", function()
    T.expect(r, "institution", "S4", { ["1"] = "待核实", ["2"] = "待核实", ["3"] = "待核实",
                                       ["4"] = "待核实", ["5"] = "待核实" })
    T.expect_total(r, "institution", "S4", { pending = 5, grade = false })
  end)

  it("S5: 1999 served is below 2000, and a 部分 finding fails item 5", function()
    T.expect(r, "institution", "S5", { ["1"] = 10, ["2"] = 10, ["3"] = 10, ["4"] = 0,
                                       ["5"] = 0 })
    T.expect_total(r, "institution", "S5", { total = 30 })
  end)

  it("rolls up through the villages to township and county", function()
    T.expect_total(r, "township", "T1", { total = 25, members = 2 })
    T.expect_total(r, "township", "T2", { total = 40, members = 2 })
    T.expect_total(r, "county", "C1", { total = 32.5, members = 4 })
  end)

  it("takes the bounds as parameters", function()
    -- min_population 0: S5's 1999 is within 0–4000 → 10; min_floor_m2 79: S2's 79 m² → 10
    local r2 = T.run { scorecard = CARD, evidence = db, period = "2018",
                       params = { min_population = "0", min_floor_m2 = "79" } }
    T.expect(r2, "institution", "S5", { ["4"] = 10 })
    T.expect(r2, "institution", "S2", { ["1"] = 10, ["4"] = 0 })
  end)

  it("covers every item", function() assert.same({}, T.uncovered(ID)) end)
end)
