-- 乡镇健康扶贫政策宣传核查表 (scorecards/xuanchuan_2018.lua, issue 14 item 4d): the 知晓率
-- veto, the items linked to it, and every item's 合格, 扣分, 不适用 and 待核实 path on a hand-made
-- fixture, each value worked out by hand below.
local T = require "kaohe.testing"

local CARD = "scorecards/xuanchuan_2018.lua"
local ID = "huining-xuanchuan-2018"

-- The fixture, period 2018:
--   C1 ├── T1: V1 (20 residents A1..A20)  surveys 2018: 19 aware of 20 = 95.0% ≥ 95% (含);
--      │                                  a 2017 survey of A1 (not aware) is outside the period
--      ├── T2: V2 (20 residents B1..B20)  surveys 2018: 18 of 20 = 90.0% < 95% → veto
--      ├── T3: V3 (5 residents, no survey) → item 4 待核实 (when_none = "pending")
--      └── T4: no village, no resident     → item 4 不适用
--   findings (items 1, 2, 3): T1 是 是 是; T2 是 是 是; T3 是 是 是; T4 否, 不适用, none
-- Expected:
--   T1: 10 10 10 10 = 40
--   T2: item 4 0 (veto); items 1–3 0 by the link (因第4项未达标不予得分) → 0, vetoed, grade 差
--   T3: item 4 待核实; items 1–3 待核实 by the link → pending 4
--   T4: item 1 否 → 0; item 2 不适用 → 10; item 3 no finding → 待核实; item 4 不适用 → 10
-- County: the mean of the fully scored townships, T1 and T2: (40 + 0) / 2 = 20.
local function fixture()
  local rows = kh.fixture_rows {
    townships = { "T1", "T2", "T3", "T4" },
    villages = { { "V1", "T1" }, { "V2", "T2" }, { "V3", "T3" } },
    households = { { "H1", "V1", "建档立卡" }, { "H2", "V2", "边缘户" }, { "H3", "V3", "建档立卡" } },
    persons = {}, survey = {}, finding = {},
  }
  local function residents(prefix, household, n, unaware)
    for i = 1, n do
      local id = prefix .. i
      rows.person[#rows.person + 1] = { id = id, household_id = household, name = "居民" .. id }
      if unaware then
        rows.survey[#rows.survey + 1] = { id = "Q" .. id, person_id = id,
          surveyed_on = "2018-10-01", aware = i <= unaware and 0 or 1 }
      end
    end
  end
  residents("A", "H1", 20, 1)
  residents("B", "H2", 20, 2)
  residents("C", "H3", 5)
  rows.survey[#rows.survey + 1] = { id = "QA1-2017", person_id = "A1", surveyed_on = "2017-12-01",
                                    aware = 0 }
  local function finding(township, item, answer)
    rows.finding[#rows.finding + 1] = { id = "G-" .. township .. "-" .. item, scorecard = ID,
      item = item, subject_kind = "township", subject_id = township, period = "2018",
      answer = answer, inspector = "县督查组", inspected_on = "2018-12-01" }
  end
  for _, t in ipairs({ "T1", "T2", "T3" }) do
    for _, item in ipairs({ "1", "2", "3" }) do finding(t, item, "是") end
  end
  finding("T4", "1", "否")
  finding("T4", "2", "不适用")
  return rows
end

describe("乡镇健康扶贫政策宣传核查表 (issue 14, item 4d)", function()
  local db = T.evidence(fixture())
  local r = T.run { scorecard = CARD, evidence = db, period = "2018" }

  it("T1: 95.0% is 95% (含); every item met", function()
    local s = T.expect(r, "township", "T1", { ["1"] = 10, ["2"] = 10, ["3"] = 10, ["4"] = 10 })
    assert.matches("19/20 = 95.0%，达到95%；调查20人，1人不知晓", s["4"].reason, 1, true)
    T.expect_total(r, "township", "T1", { total = 40, grade = false, vetoed = 0 })
  end)

  it("T2: 90.0% vetoes the township and zeroes the 宣传 items linked to it", function()
    local s = T.expect(r, "township", "T2", { ["1"] = 0, ["2"] = 0, ["3"] = 0,
                                              ["4"] = { points = 0, status = "扣分", veto = true } })
    assert.matches("因第4项未达标不予得分", s["1"].reason, 1, true)
    assert.matches("18/20 = 90.0%，未达到95%", s["4"].reason, 1, true)
    T.expect_total(r, "township", "T2", { total = 0, grade = "差", vetoed = 1 })
  end)

  it("T3: no survey: 知晓率 待核实, and so are the items linked to it", function()
    T.expect(r, "township", "T3", { ["1"] = "待核实", ["2"] = "待核实", ["3"] = "待核实",
                                    ["4"] = "待核实" })
    T.expect_total(r, "township", "T3", { pending = 4 })
  end)

  it("T4: no residents: 知晓率 不适用; the findings' own 扣分, 不适用 and 待核实", function()
    T.expect(r, "township", "T4", { ["1"] = "扣分", ["2"] = "不适用", ["3"] = "待核实",
                                    ["4"] = { points = 10, status = "不适用" } })
    T.expect_total(r, "township", "T4", { pending = 1 })
  end)

  it("rolls up to the county over the fully scored townships", function()
    T.expect_total(r, "county", "C1", { total = 20, members = 2 })
  end)

  it("lists the unaware answers of the period behind the veto", function()
    local keys = {}
    for _, d in ipairs(r.deductions) do
      if d.subject == "T2" and d.item == "4" then keys[#keys + 1] = d.key end
    end
    table.sort(keys)
    -- one deduction for the veto, naming both unaware answers (authoring guide 十四)
    assert.same({ "QB1、QB2" }, keys)
  end)

  it("takes the threshold as a parameter", function()
    -- awareness_rate 0.9: T2's 90.0% passes, no veto, items 1–3 score → 40
    local r2 = T.run { scorecard = CARD, evidence = db, period = "2018",
                       params = { awareness_rate = "0.9" } }
    T.expect_total(r2, "township", "T2", { total = 40, vetoed = 0 })
  end)

  it("covers every item", function() assert.same({}, T.uncovered(ID)) end)
end)
