-- 家庭医生签约服务核查表 (scorecards/qianyue_2018.lua, issue 14 item 4: 签约服务): every item's
-- 合格, 扣分, 不适用 and 待核实 path on a hand-made fixture, each value worked out by hand below.
local T = require "kaohe.testing"

local CARD = "scorecards/qianyue_2018.lua"
local ID = "huining-qianyue-2018"

-- The fixture, period 2018. Population: households 建档立卡 / 已脱贫 / 兜底保障, not away.
-- Contracts "K" run one year from signing unless stated; plan = 1 unless stated.
--   C1 ├── T1: V1, V2
--      └── T2: V3, V4, V5
--   V1, everything met:
--     P1 建档立卡, K1 signed 2018-03-01 → item 1 1/1; 高血压 (big4) since 2015, 随访 02-10, 05-10,
--        08-10, 11-10: signed window 03-01..12-31 → Q1–Q4 due (March is in Q1), none missing
--     P2 兜底保障, K2 signed 2018-06-30 (the June deadline itself: in time) → item 2 1/1;
--        体检 2018-09-01 → served
--     A1 建档立卡 but away, unsigned: not counted; E1 边缘户, unsigned: not counted
--     item 3: P1, P2 both planned and in force on 08-31 → 2/2; item 4: P1 → 1/1;
--     item 5: P1 (随访 05-10 after signing), P2 (体检) → 2/2. Total 50.
--   V2, everything failed:
--     P3 建档立卡, K3 signed 2018-09-03 (after the August deadline), no service record
--     P4 建档立卡, K4 signed 2018-01-15; 糖尿病 (big4) since 2017; four 随访 all in December
--        (12-01, 12-08, 12-15, 12-22): window 01-15..12-31 → Q1–Q4 due, only Q4 covered → 3
--        quarters missing
--     P5 兜底保障, K5 signed 2018-07-02 (after the June deadline); 履约服务 2018-06-01, before
--        signing → not a service under the contract
--     P6 已脱贫, no contract; P8 已脱贫, K8 signed 2018-02-01 with plan = 0, 随访 2018-03-01
--     item 1: P3 late, P4 ok → 1/2 = 50% < 100%: 签约晚于截止日1人, evidence P3
--     item 2: P5 late → 0/1: evidence P5
--     item 3 (by 08-31): P3 late, P4 ok, P5 ok, P6 unsigned, P8 no plan → 2/5 = 40% < 95%:
--        晚1, 未签1, 无措施1; evidence P3、P6、P8
--     item 4: P4 the only patient (P3 has no diagnosis) → 0/1; 缺3个季度; evidence P4
--     item 5: signed P3, P4, P5, P8; served P4 (December 随访), P8 (随访 03-01) → 2/4 = 50%;
--        evidence P3、P5. Total 0.
--   V3, nothing applies: only E2 (边缘户, 高血压, signed, no 随访) → every den 0 → 不适用; 50
--   V4, nothing can be judged: P7 建档立卡, K7 signed 2018-04-01 expiring 2018-03-01 (before its
--     signing) → every item 待核实
--   V5, the 95% boundary and the windows:
--     Q01–Q20 已脱贫 (items 1 and 2: no 建档立卡 / 兜底保障 person → 不适用); Q01–Q19 signed
--     2018-08-31 (the deadline itself), Q20 unsigned → item 3 19/20 = 95% ≥ 95% → 合格 (应签尽签
--     is 五督 12's clause, not this item's)
--     Q01 高血压 since 2017: window 08-31..12-31 → Q3, Q4 due; 随访 07-05 (before signing, but in
--        Q3: counts for Q3) and 10-05 → none missing
--     Q02 高血压 diagnosed 2018-10-05 (after signing) → only Q4 due; 随访 12-01 → none missing
--     Q03 糖尿病 since 2016, never visited (a 履约服务 is not a 随访) → Q3, Q4 missing (2)
--     item 4: 2/3 = 66.6% < 100% → 0, evidence Q03. item 5: Q01 (10-05), Q02 (12-01), Q03–Q19
--     (履约服务 09-15) → 19/19.
--     Total 40 (items 1, 2 不适用 at full points).
-- Roll-up (mean of scored villages): T1 = (50 + 0) / 2 = 25; T2 = (50 + 40) / 2 = 45 (V4
-- 待核实, left out); C1 = (50 + 0 + 50 + 40) / 4 = 35.
local function fixture()
  local rows = kh.fixture_rows {
    townships = { "T1", "T2" },
    villages = { { "V1", "T1" }, { "V2", "T1" }, { "V3", "T2" }, { "V4", "T2" }, { "V5", "T2" } },
    households = { { "H1", "V1", "建档立卡" }, { "H2", "V1", "兜底保障" }, { "H3", "V1", "边缘户" },
                   { "H4", "V2", "建档立卡" }, { "H5", "V2", "兜底保障" }, { "H6", "V2", "已脱贫" },
                   { "H7", "V3", "边缘户" }, { "H8", "V4", "建档立卡" }, { "H9", "V5", "已脱贫" } },
    persons = { { "P1", "H1", "张一" }, { "A1", "H1", "张外", away = 1 }, { "P2", "H2", "李二" },
                { "E1", "H3", "赵边" }, { "P3", "H4", "王三" }, { "P4", "H4", "王四" },
                { "P5", "H5", "钱五" }, { "P6", "H6", "孙六" }, { "P8", "H6", "孙八" },
                { "E2", "H7", "周边" }, { "P7", "H8", "吴七" } },
    doctor_team = { { id = "DT1", township_id = "T1", levels = "省市,县,乡,村" },
                    { id = "DT2", township_id = "T2", levels = "省市,县,乡,村" } },
    diagnosis = {
      { id = "D1", person_id = "P1", disease = "高血压", kind = "慢病", big4 = 1,
        diagnosed_on = "2015-01-01" },
      { id = "D4", person_id = "P4", disease = "糖尿病", kind = "慢病", big4 = 1,
        diagnosed_on = "2017-06-01" },
      { id = "DE2", person_id = "E2", disease = "高血压", kind = "慢病", big4 = 1,
        diagnosed_on = "2016-01-01" },
      { id = "DQ01", person_id = "Q01", disease = "高血压", kind = "慢病", big4 = 1,
        diagnosed_on = "2017-01-01" },
      { id = "DQ02", person_id = "Q02", disease = "高血压", kind = "慢病", big4 = 1,
        diagnosed_on = "2018-10-05" },
      { id = "DQ03", person_id = "Q03", disease = "糖尿病", kind = "慢病", big4 = 1,
        diagnosed_on = "2016-03-01" } },
    contract = {}, followup = {},
  }
  local function sign(id, person, team, on, expires, plan)
    rows.contract[#rows.contract + 1] = { id = id, person_id = person, team_id = team,
      signed_on = on, expires_on = expires, package = "初级", plan = plan or 1 }
  end
  local nf = 0
  local function visit(person, kind, on)
    nf = nf + 1
    rows.followup[#rows.followup + 1] = { id = string.format("F%02d", nf), person_id = person,
                                          visited_on = on, kind = kind }
  end
  sign("K1", "P1", "DT1", "2018-03-01", "2019-02-28")
  sign("K2", "P2", "DT1", "2018-06-30", "2019-06-29")
  for _, on in ipairs({ "2018-02-10", "2018-05-10", "2018-08-10", "2018-11-10" }) do
    visit("P1", "随访", on)
  end
  visit("P2", "体检", "2018-09-01")
  sign("K3", "P3", "DT1", "2018-09-03", "2019-09-02")
  sign("K4", "P4", "DT1", "2018-01-15", "2019-01-14")
  sign("K5", "P5", "DT1", "2018-07-02", "2019-07-01")
  sign("K8", "P8", "DT1", "2018-02-01", "2019-01-31", 0)
  for _, on in ipairs({ "2018-12-01", "2018-12-08", "2018-12-15", "2018-12-22" }) do
    visit("P4", "随访", on)
  end
  visit("P5", "履约服务", "2018-06-01")
  visit("P8", "随访", "2018-03-01")
  sign("KE2", "E2", "DT2", "2018-02-01", "2019-01-31")
  sign("K7", "P7", "DT2", "2018-04-01", "2018-03-01")
  for i = 1, 20 do
    local id = string.format("Q%02d", i)
    rows.person[#rows.person + 1] = { id = id, household_id = "H9", name = "郑" .. i }
    if i <= 19 then
      sign("K" .. id, id, "DT2", "2018-08-31", "2019-08-30")
      if i >= 3 then visit(id, "履约服务", "2018-09-15") end
    end
  end
  visit("Q01", "随访", "2018-07-05")
  visit("Q01", "随访", "2018-10-05")
  visit("Q02", "随访", "2018-12-01")
  return rows
end

describe("家庭医生签约服务核查表 (issue 14, item 4: 签约服务)", function()
  local db = T.evidence(fixture())
  local r = T.run { scorecard = CARD, evidence = db, period = "2018" }

  it("V1 meets every clause; away and 边缘户 persons are not counted", function()
    local s = T.expect(r, "village", "V1", { ["1"] = 10, ["2"] = 10, ["3"] = 10, ["4"] = 10,
                                             ["5"] = 10 })
    assert.matches("1/1 = 100.0%", s["1"].reason, 1, true)
    assert.matches("1/1 = 100.0%", s["2"].reason, 1, true)
    assert.matches("2/2 = 100.0%", s["3"].reason, 1, true)
    assert.matches("1名四大慢病签约患者每个签约季度均有随访", s["4"].reason, 1, true)
    assert.matches("2名签约人员签约期内本年均有服务记录", s["5"].reason, 1, true)
    T.expect_total(r, "village", "V1", { total = 50, grade = false, pending = 0 })
  end)

  it("V2 fails every clause: late contracts, bunched visits, no service", function()
    local s = T.expect(r, "village", "V2", { ["1"] = 0, ["2"] = 0, ["3"] = 0, ["4"] = 0,
                                             ["5"] = "扣分" })
    assert.matches("1/2 = 50.0%", s["1"].reason, 1, true)
    assert.matches("截至2018-05-31：签约晚于截止日1人，未签约0人，按时签约但无有效的“一人一策”帮扶措施0人",
                   s["1"].reason, 1, true)
    assert.matches("0/1 = 0.0%", s["2"].reason, 1, true)
    assert.matches("截至2018-06-30：签约晚于截止日1人", s["2"].reason, 1, true)
    assert.matches("2/5 = 40.0%", s["3"].reason, 1, true)
    assert.matches("截至2018-08-31：签约晚于截止日1人，未签约1人，按时签约但无有效的“一人一策”帮扶措施1人",
                   s["3"].reason, 1, true)
    assert.matches("1名四大慢病签约患者中1人有季度未随访，共缺3个季度", s["4"].reason, 1, true)
    assert.matches("4名签约人员中2人签约期内本年无服务记录", s["5"].reason, 1, true)
    T.expect_total(r, "village", "V2", { total = 0, grade = false })
  end)

  it("V3 has nobody of the population: every item 不适用", function()
    local s = T.expect(r, "village", "V3", { ["1"] = "不适用", ["2"] = "不适用",
                                             ["3"] = "不适用", ["4"] = "不适用",
                                             ["5"] = { points = 10, status = "不适用" } })
    assert.matches("该村本年无四大慢病签约患者", s["4"].reason, 1, true)
    T.expect_total(r, "village", "V3", { total = 50 })
  end)

  it("V4's contract expires before it is signed: every item 待核实", function()
    T.expect(r, "village", "V4", { ["1"] = "待核实", ["2"] = "待核实", ["3"] = "待核实",
                                   ["4"] = "待核实", ["5"] = "待核实" })
    T.expect_total(r, "village", "V4", { pending = 5, grade = false })
  end)

  it("V5: 95% exactly passes; quarters are due only while signed and a patient", function()
    local s = T.expect(r, "village", "V5", { ["1"] = "不适用", ["2"] = "不适用", ["3"] = 10,
                                             ["4"] = 0, ["5"] = 10 })
    assert.matches("19/20 = 95.0%", s["3"].reason, 1, true)
    assert.matches("2/3 = 66.6%", s["4"].reason, 1, true)
    assert.matches("3名四大慢病签约患者中1人有季度未随访，共缺2个季度", s["4"].reason, 1, true)
    assert.matches("19/19 = 100.0%", s["5"].reason, 1, true)
    T.expect_total(r, "village", "V5", { total = 40 })
  end)

  it("rolls up to township and county, leaving 待核实 villages out", function()
    T.expect_total(r, "township", "T1", { total = 25, members = 2 })
    T.expect_total(r, "township", "T2", { total = 45, members = 2 })
    T.expect_total(r, "county", "C1", { total = 35, members = 4 })
  end)

  it("lists the persons behind each lost item", function()
    local keys = {}
    for _, d in ipairs(r.deductions) do
      if d.kind == "village" then keys[#keys + 1] = d.subject .. ":" .. d.item .. ":" .. d.key end
    end
    table.sort(keys)
    -- one deduction per lost item naming every causing person (authoring guide 十四)
    assert.same({ "V2:1:P3", "V2:2:P5", "V2:3:P3、P6、P8", "V2:4:P4", "V2:5:P3、P5",
                  "V5:4:Q03" }, keys)
  end)

  it("takes the thresholds and deadlines as parameters", function()
    -- sign_rate 0.96: V5's 95% < 96% → 0. sign_deadline 2018-09-30: V2's P3 (09-03) now in time
    -- → item 3 3/5 = 60%, still < 95%. doudi_deadline 2018-07-31: V2's P5 (07-02) in time → 10.
    -- fulfil_rate 0.5: V2's 2/4 = 50% ≥ 50% → 10.
    local r2 = T.run { scorecard = CARD, evidence = db, period = "2018",
                       params = { sign_rate = "0.96", sign_deadline = "2018-09-30",
                                  doudi_deadline = "2018-07-31", fulfil_rate = "0.5" } }
    local s = T.expect(r2, "village", "V2", { ["2"] = 10, ["3"] = 0, ["5"] = 10 })
    assert.matches("3/5 = 60.0%", s["3"].reason, 1, true)
    T.expect(r2, "village", "V5", { ["3"] = 0 })
  end)

  it("scores the 2018 milestones in 2018 only", function()
    -- 2019: items 1–3 不适用 (years); P1's K1 runs to 2019-02-28 with no 2019 随访 → Q1 missing
    local r3 = T.run { scorecard = CARD, evidence = db, period = "2019", allow_empty = true }
    local s = T.expect(r3, "village", "V1", { ["1"] = "不适用", ["2"] = "不适用",
                                              ["3"] = "不适用", ["4"] = 0 })
    assert.matches("共缺1个季度", s["4"].reason, 1, true)
  end)

  it("covers every item", function() assert.same({}, T.uncovered(ID)) end)
end)
