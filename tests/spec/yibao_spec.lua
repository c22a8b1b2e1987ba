-- 健康扶贫医疗保障待遇落实核查表 (scorecards/yibao_2018.lua, issue 14 item 4a): every item's
-- 合格, 扣分, 不适用 and 待核实 path on a hand-made fixture, each value worked out by hand below.
local T = require "kaohe.testing"

local CARD = "scorecards/yibao_2018.lua"
local ID = "huining-yibao-2018"

-- The fixture, period 2018; every household 建档立卡 unless marked. Amounts in fen
-- (100000 = 1000元); "parts" = basic + serious + aid + other + self.
--   C1 ├── T1: V1 (H1: P1; H2 边缘户: E1), V2 (H3: P2, P3)
--      └── T2: V3 (H4: P4), V4 (H5: P5), V5 (H6: P6)
--   V1, everything met:
--     A1 P1 住院   total = compliant 100000; basic 80000, serious 5000, aid 5000, other 2000,
--                  self 8000 → reimbursed 92000/100000 = 92% ≥ 90%; no non-compliant cost
--     A2 P1 门诊慢特病 total = compliant 10000; basic 8000, self 2000 → 8000/10000 = 80% ≥ 80%
--                  (exactly the threshold: passes)
--     burden: self (8000 + 2000) / total 110000 = 9.09% < 10% → "9.0%" (cut, not rounded)
--     A9 E1 住院 (边缘户: not in the population) total 100000, compliant 50000, self 100000:
--                  would fail items 1, 2 and 4, and is not counted
--     P1 胃癌 (major50) diagnosed 2018-03-01, A1 admitted 2018-05-01 → treated; finding 是
--   V2, everything failed:
--     A3 P2 住院   total 100000, compliant 90000; basic 70000, self 30000 → 70000/90000 = 77.7%;
--                  non-compliant 10000 (100元)
--     A4 P2 门诊慢特病 total = compliant 10000; basic 7900, self 2100 → 79% < 80%
--     burden: (30000 + 2100) / 110000 = 29.18% → "29.1%"
--     P3 肺癌 (major50) diagnosed 2018-02-01, no settlement → untreated; finding 是 (the
--     computed failure wins)
--   V3, nothing applies: P4 has no settlement; P4's 肝癌 is diagnosed 2019-01-05 (after the
--     period: not counted); a finding 否 on item 5 is recorded but the item is 不适用
--   V4, nothing can be judged:
--     A6 P5 住院 total = compliant 100000; parts 90000 + 5000 = 95000 ≠ 100000
--     A7 P5 门诊慢特病 total = compliant 10000; parts 9000 ≠ 10000
--     → items 1–4 待核实; P5 胃癌 diagnosed 2018-01-10, treated by A6 (2018-06-01), no
--     finding on item 5 → 待核实
--   V5, boundaries and the finding:
--     A8 P6 门诊慢特病 total = compliant 10000; basic 9000, self 1000 → burden exactly 10%: not
--                  "低于10%" → item 1 扣分 ("10.0%"); 90% ≥ 80% → item 3 合格; no 住院 → items
--                  2 and 4 不适用
--     P6 白血病 (major50) diagnosed 2016-01-01, A8 (2018-04-01) → treated; finding 否 → 扣分
-- Totals (each item 10 points, 不适用 full): V1 50; V2 0; V3 50; V4 待核实 (5 items);
-- V5 0 + 10 + 10 + 10 + 0 = 30. T1 = (50 + 0) / 2 = 25; T2 = (50 + 30) / 2 = 40 (V4 left out);
-- C1 = (50 + 0 + 50 + 30) / 4 = 32.5.
local function fixture()
  local rows = kh.fixture_rows {
    townships = { "T1", "T2" },
    villages = { { "V1", "T1" }, { "V2", "T1" }, { "V3", "T2" }, { "V4", "T2" }, { "V5", "T2" } },
    households = { { "H1", "V1", "建档立卡" }, { "H2", "V1", "边缘户" }, { "H3", "V2", "建档立卡" },
                   { "H4", "V3", "已脱贫" }, { "H5", "V4", "兜底保障" }, { "H6", "V5", "建档立卡" } },
    persons = { { "P1", "H1", "张一" }, { "E1", "H2", "张边" }, { "P2", "H3", "王二" },
                { "P3", "H3", "王三" }, { "P4", "H4", "赵四" }, { "P5", "H5", "钱五" },
                { "P6", "H6", "孙六" } },
    institution = {
      { id = "I1", name = "县医院", kind = "县级医院", county_id = "C1", in_county = 1 } },
    diagnosis = {
      { id = "D1", person_id = "P1", disease = "胃癌", kind = "大病", major50 = 1,
        diagnosed_on = "2018-03-01" },
      { id = "D2", person_id = "P3", disease = "肺癌", kind = "大病", major50 = 1,
        diagnosed_on = "2018-02-01" },
      { id = "D3", person_id = "P4", disease = "肝癌", kind = "大病", major50 = 1,
        diagnosed_on = "2019-01-05" },
      { id = "D4", person_id = "P5", disease = "胃癌", kind = "大病", major50 = 1,
        diagnosed_on = "2018-01-10" },
      { id = "D5", person_id = "P6", disease = "儿童白血病", kind = "大病", major50 = 1,
        diagnosed_on = "2016-01-01" } },
    admission = {}, finding = {},
  }
  local function adm(id, person, kind, on, total, compliant, parts)
    rows.admission[#rows.admission + 1] = {
      id = id, person_id = person, institution_id = "I1", kind = kind, admitted_on = on,
      one_stop = 1, total_fen = total, compliant_fen = compliant, basic_fen = parts.basic or 0,
      serious_fen = parts.serious or 0, aid_fen = parts.aid or 0, other_fen = parts.other or 0,
      self_fen = parts.self or 0 }
  end
  adm("A1", "P1", "住院", "2018-05-01", 100000, 100000,
      { basic = 80000, serious = 5000, aid = 5000, other = 2000, self = 8000 })
  adm("A2", "P1", "门诊慢特病", "2018-07-01", 10000, 10000, { basic = 8000, self = 2000 })
  adm("A9", "E1", "住院", "2018-05-01", 100000, 50000, { self = 100000 })
  adm("A3", "P2", "住院", "2018-05-01", 100000, 90000, { basic = 70000, self = 30000 })
  adm("A4", "P2", "门诊慢特病", "2018-07-01", 10000, 10000, { basic = 7900, self = 2100 })
  adm("A6", "P5", "住院", "2018-06-01", 100000, 100000, { basic = 90000, self = 5000 })
  adm("A7", "P5", "门诊慢特病", "2018-07-01", 10000, 10000, { basic = 9000 })
  adm("A8", "P6", "门诊慢特病", "2018-04-01", 10000, 10000, { basic = 9000, self = 1000 })
  for _, f in ipairs({ { "V1", "是" }, { "V2", "是" }, { "V3", "否" }, { "V5", "否" } }) do
    rows.finding[#rows.finding + 1] = { id = "G-" .. f[1], scorecard = ID, item = "5",
      subject_kind = "village", subject_id = f[1], period = "2018", answer = f[2],
      inspector = "县督查组", inspected_on = "2018-12-01" }
  end
  return rows
end

describe("医疗保障待遇落实核查表 (issue 14, item 4a)", function()
  local db = T.evidence(fixture())
  local r = T.run { scorecard = CARD, evidence = db, period = "2018" }

  it("V1 meets every clause; the 边缘户's settlement is not counted", function()
    local s = T.expect(r, "village", "V1", { ["1"] = 10, ["2"] = 10, ["3"] = 10, ["4"] = 10,
                                             ["5"] = 10 })
    assert.equal("2人次医疗总费用1100.00元，个人负担100.00元，占9.0%", s["1"].reason)
    assert.matches("92000/100000 = 92.0%，达到90%", s["2"].reason, 1, true)
    assert.matches("8000/10000 = 80.0%，达到80%", s["3"].reason, 1, true)
    assert.equal("1人次住院均未发生不合规医疗费用", s["4"].reason)
    assert.equal("1名50种重大疾病患者本年均获救治；现场核查：救治台账健全、回访及时",
                 s["5"].reason)
    T.expect_total(r, "village", "V1", { total = 50, grade = false, pending = 0 })
  end)

  it("V2 fails every clause", function()
    local s = T.expect(r, "village", "V2", { ["1"] = "扣分", ["2"] = 0, ["3"] = 0, ["4"] = 0,
                                             ["5"] = 0 })
    assert.equal("2人次医疗总费用1100.00元，个人负担321.00元，占29.1%，未低于10%，扣10分",
                 s["1"].reason)
    assert.matches("70000/90000 = 77.7%，未达到90%", s["2"].reason, 1, true)
    assert.matches("7900/10000 = 79.0%，未达到80%", s["3"].reason, 1, true)
    assert.equal("1人次住院中1人次发生不合规医疗费用，共100.00元，扣10分", s["4"].reason)
    assert.equal("1名50种重大疾病患者中1人本年未获救治；现场核查：救治台账健全、回访及时，扣10分",
                 s["5"].reason)
    T.expect_total(r, "village", "V2", { total = 0, grade = false })
  end)

  it("V3 has nothing to judge: every item 不适用 (a diagnosis after the period does not count)",
     function()
    T.expect(r, "village", "V3", { ["1"] = "不适用", ["2"] = "不适用", ["3"] = "不适用",
                                   ["4"] = "不适用", ["5"] = { points = 10, status = "不适用" } })
    T.expect_total(r, "village", "V3", { total = 50 })
  end)

  it("V4's settlements do not add up and item 5 has no finding: every item 待核实", function()
    T.expect(r, "village", "V4", { ["1"] = "待核实", ["2"] = "待核实", ["3"] = "待核实",
                                   ["4"] = "待核实", ["5"] = "待核实" })
    T.expect_total(r, "village", "V4", { pending = 5, grade = false })
  end)

  it("V5: a burden of exactly 10% is not below 10%; the 台账 finding 否 fails item 5", function()
    local s = T.expect(r, "village", "V5", { ["1"] = 0, ["2"] = "不适用", ["3"] = 10,
                                             ["4"] = "不适用", ["5"] = 0 })
    assert.equal("1人次医疗总费用100.00元，个人负担10.00元，占10.0%，未低于10%，扣10分",
                 s["1"].reason)
    assert.equal("1名50种重大疾病患者本年均获救治；现场核查：救治台账或回访未落实，扣10分",
                 s["5"].reason)
    T.expect_total(r, "village", "V5", { total = 30 })
  end)

  it("rolls up to township and county, leaving 待核实 villages out", function()
    T.expect_total(r, "township", "T1", { total = 25, members = 2 })
    T.expect_total(r, "township", "T2", { total = 40, members = 2 })
    T.expect_total(r, "county", "C1", { total = 32.5, members = 4 })
  end)

  it("lists the settlements and persons behind each lost item", function()
    local keys = {}
    for _, d in ipairs(r.deductions) do
      if d.kind == "village" and d.subject == "V2" then
        keys[#keys + 1] = d.item .. ":" .. d.key
      end
    end
    table.sort(keys)
    -- item 1: A3, A4 (both carry a self payment); 2: A3 (the 住院); 3: A4 (the 门诊慢特病);
    -- 4: A3 (non-compliant cost); 5: P3 (untreated). An all-or-nothing loss is one deduction
    -- naming every causing row (authoring guide 十四): item 1's is "A3、A4".
    assert.same({ "1:A3、A4", "2:A3", "3:A4", "4:A3", "5:P3" }, keys)
  end)

  it("takes the thresholds as parameters", function()
    -- burden_pct 30: V2's 29.18% is below 30% → 10; inpatient_ratio 0.75: 77.7% → 10
    local r2 = T.run { scorecard = CARD, evidence = db, period = "2018",
                       params = { burden_pct = "30", inpatient_ratio = "0.75" } }
    T.expect(r2, "village", "V2", { ["1"] = 10, ["2"] = 10, ["3"] = 0 })
  end)

  it("covers every item", function() assert.same({}, T.uncovered(ID)) end)
end)
