-- 家庭医生签约服务核查表 (scorecards/qianyue_2018.lua): persons with more than one contract.
-- The shared set qianyue_people reads a person's one contract as it is and aggregates only the
-- persons with two or more (issue 19); this fixture gives every person of V1 two contracts whose
-- clauses come from different ones, so that a person read by one contract only scores otherwise.
-- Period 2018; every value below worked out by hand.
local T = require "kaohe.testing"

local CARD = "scorecards/qianyue_2018.lua"

-- V1 (township T1, county C1), households 建档立卡:
--   M1: KA signed 2017-01-01, expires 2017-12-31, plan = 1 (over before the period);
--       KB signed 2018-05-01, expires 2019-04-30, plan = 0.
--       first_signed 2017-01-01; no planned contract in force on 05-31 or 08-31 → items 1, 3:
--       按时签约但无有效的“一人一策”帮扶措施. In force in 2018: KB only → signed window
--       05-01..12-31; 体检 2018-03-01 is before it → not served (item 5).
--   M2: KC signed 2018-02-01, expires 2018-04-30, plan = 1;
--       KD signed 2018-05-15, expires 2019-05-14, plan = 1.
--       KD is planned and in force on 05-31 and 08-31 → items 1, 3 ok. Signed window: from the
--       first contract in force (KC, 02-01) to the last one's expiry (KD, past 12-31) →
--       02-01..12-31. 糖尿病 (big4) since 2016; 随访 05-20, 08-01, 11-01 → Q2–Q4 covered,
--       Q1 due (KC) and missing → 1 quarter (read by KD alone: 05-15.. → Q2–Q4, none missing).
--       Served (随访 05-20 in the window).
--   item 1 (建档立卡 by 05-31): 1/2 = 50% < 100% → 0; 签约晚于截止日0人，未签约0人，无措施1人;
--   item 2: no 兜底保障 person → 不适用; item 3: 1/2 = 50% < 95% → 0;
--   item 4: M2 the only patient → 0/1, 缺1个季度; item 5: M2 served, M1 not → 1/2 → 扣分.
-- V2: M3 建档立卡 with K1 signed 2018-03-01 expiring 2019-02-28 (plan = 1) and K2 signed
--   2018-06-01 expiring 2018-05-01 (before its signing) → the village is 待核实 on every item.
local function fixture()
  local rows = kh.fixture_rows {
    townships = { "T1" },
    villages = { { "V1", "T1" }, { "V2", "T1" } },
    households = { { "H1", "V1", "建档立卡" }, { "H2", "V2", "建档立卡" } },
    persons = { { "M1", "H1", "甲一" }, { "M2", "H1", "甲二" }, { "M3", "H2", "乙三" } },
    doctor_team = { { id = "DT1", township_id = "T1", levels = "省市,县,乡,村" } },
    diagnosis = {
      { id = "D2", person_id = "M2", disease = "糖尿病", kind = "慢病", big4 = 1,
        diagnosed_on = "2016-03-01" } },
    contract = {}, followup = {},
  }
  local function sign(id, person, on, expires, plan)
    rows.contract[#rows.contract + 1] = { id = id, person_id = person, team_id = "DT1",
      signed_on = on, expires_on = expires, package = "初级", plan = plan }
  end
  local function visit(id, person, kind, on)
    rows.followup[#rows.followup + 1] = { id = id, person_id = person, visited_on = on,
                                          kind = kind }
  end
  sign("KA", "M1", "2017-01-01", "2017-12-31", 1)
  sign("KB", "M1", "2018-05-01", "2019-04-30", 0)
  sign("KC", "M2", "2018-02-01", "2018-04-30", 1)
  sign("KD", "M2", "2018-05-15", "2019-05-14", 1)
  sign("K1", "M3", "2018-03-01", "2019-02-28", 1)
  sign("K2", "M3", "2018-06-01", "2018-05-01", 1)
  visit("F1", "M1", "体检", "2018-03-01")
  visit("F2", "M2", "随访", "2018-05-20")
  visit("F3", "M2", "随访", "2018-08-01")
  visit("F4", "M2", "随访", "2018-11-01")
  return rows
end

describe("家庭医生签约服务核查表: persons with more than one contract", function()
  local db = T.evidence(fixture())
  local r = T.run { scorecard = CARD, evidence = db, period = "2018" }

  it("takes each clause from whichever contract meets it", function()
    local s = T.expect(r, "village", "V1", { ["1"] = 0, ["2"] = "不适用", ["3"] = 0, ["4"] = 0,
                                             ["5"] = "扣分" })
    assert.matches("1/2 = 50.0%", s["1"].reason, 1, true)
    assert.matches("截至2018-05-31：签约晚于截止日0人，未签约0人，按时签约但无有效的“一人一策”帮扶措施1人",
                   s["1"].reason, 1, true)
    assert.matches("1/2 = 50.0%", s["3"].reason, 1, true)
    assert.matches("1名四大慢病签约患者中1人有季度未随访，共缺1个季度", s["4"].reason, 1, true)
    assert.matches("2名签约人员中1人签约期内本年无服务记录", s["5"].reason, 1, true)
  end)

  it("a person's second contract expiring before its signing makes the village 待核实", function()
    T.expect(r, "village", "V2", { ["1"] = "待核实", ["2"] = "待核实", ["3"] = "待核实",
                                   ["4"] = "待核实", ["5"] = "待核实" })
  end)

  it("lists each person once", function()
    local keys = {}
    for _, d in ipairs(r.deductions) do
      if d.kind == "village" then keys[#keys + 1] = d.subject .. ":" .. d.item .. ":" .. d.key end
    end
    table.sort(keys)
    assert.same({ "V1:1:M1", "V1:3:M1", "V1:4:M2", "V1:5:M1" }, keys)
  end)
end)
