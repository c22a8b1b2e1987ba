-- 后评估 item 3 (慢病签约服务, scorecards/post_assessment_deductions.lua): patients with more than
-- one chronic-disease card or contract. The item reads each card as the latest expiry of the
-- patient's cards for the disease, and the contracts in force in one look-up (issue 19); this
-- fixture has a renewed card and a second contract, so that a reading of the first card or
-- contract only gives other cases. Period 2018; every value worked out by hand below.
local T = require "kaohe.testing"

local CARD = "scorecards/post_assessment_deductions.lua"

-- V1 (T1, C1), household H1 建档立卡. Every patient has a 体检 in 2018 (served) and none is
-- 四大慢病 (no quarters due), unless stated.
--   R1 高血压 (needs a card) since 2015: card 2014-01-01..2016-12-31 renewed 2017-01-01..
--      2019-12-31 → valid at 2018-12-31; contract in force, handbook ok → no problem, no case
--   R2 糖尿病 (needs a card) since 2016: one card 2016-01-01..2017-12-31 → 慢病卡已到期;
--      contracts 2017-06-01..2018-05-31 (handbook ok) and 2018-06-01..2019-05-31 (handbook
--      not ok), both in force in 2018 → 手册信息与该户人口信息不符
--   R3 高血压 (needs a card, none issued) and 糖尿病 (needs a card, valid one) → 应办慢病卡未办
--   R4 a diagnosis of kind 其他 only, no card, no contract → not a 慢病 patient, no case
--   R5 慢病 diagnosed 2019-03-01, after the period → not a patient in 2018, no case
-- Cases: R2, R3 → T1 and C1 lose 2 × 0.2 = 0.4.
local function fixture()
  local rows = kh.fixture_rows {
    townships = { "T1" },
    villages = { { "V1", "T1" } },
    households = { { "H1", "V1", "建档立卡" } },
    persons = { { "R1", "H1", "甲一" }, { "R2", "H1", "甲二" }, { "R3", "H1", "甲三" },
                { "R4", "H1", "甲四" }, { "R5", "H1", "甲五" } },
    doctor_team = { { id = "DT1", township_id = "T1", levels = "省市,县,乡,村" } },
    diagnosis = {
      { id = "D1", person_id = "R1", disease = "高血压", kind = "慢病", needs_card = 1,
        diagnosed_on = "2015-01-01" },
      { id = "D2", person_id = "R2", disease = "糖尿病", kind = "慢病", needs_card = 1,
        diagnosed_on = "2016-01-01" },
      { id = "D3", person_id = "R3", disease = "高血压", kind = "慢病", needs_card = 1,
        diagnosed_on = "2017-01-01" },
      { id = "D4", person_id = "R3", disease = "糖尿病", kind = "慢病", needs_card = 1,
        diagnosed_on = "2017-01-01" },
      { id = "D5", person_id = "R4", disease = "骨折", kind = "其他", needs_card = 1,
        diagnosed_on = "2017-01-01" },
      { id = "D6", person_id = "R5", disease = "高血压", kind = "慢病", needs_card = 1,
        diagnosed_on = "2019-03-01" } },
    chronic_card = {
      { person_id = "R1", disease = "高血压", issued_on = "2014-01-01", expires_on = "2016-12-31" },
      { person_id = "R1", disease = "高血压", issued_on = "2017-01-01", expires_on = "2019-12-31" },
      { person_id = "R2", disease = "糖尿病", issued_on = "2016-01-01", expires_on = "2017-12-31" },
      { person_id = "R3", disease = "糖尿病", issued_on = "2017-01-01", expires_on = "2019-12-31" } },
    contract = {
      { id = "K1", person_id = "R1", team_id = "DT1", signed_on = "2018-01-01",
        expires_on = "2018-12-31", package = "初级" },
      { id = "K2a", person_id = "R2", team_id = "DT1", signed_on = "2017-06-01",
        expires_on = "2018-05-31", package = "初级", handbook_ok = 1 },
      { id = "K2b", person_id = "R2", team_id = "DT1", signed_on = "2018-06-01",
        expires_on = "2019-05-31", package = "初级", handbook_ok = 0 },
      { id = "K3", person_id = "R3", team_id = "DT1", signed_on = "2018-01-01",
        expires_on = "2018-12-31", package = "初级" } },
    followup = {
      { id = "F1", person_id = "R1", visited_on = "2018-05-01", kind = "体检" },
      { id = "F2", person_id = "R2", visited_on = "2018-05-01", kind = "体检" },
      { id = "F3", person_id = "R3", visited_on = "2018-05-01", kind = "体检" } },
  }
  return rows
end

describe("后评估 item 3: renewed cards and second contracts", function()
  local db = T.evidence(fixture())
  local r = T.run { scorecard = CARD, evidence = db, period = "2018" }

  it("charges each patient once, with every problem of every card and contract", function()
    local reasons = {}
    for _, d in ipairs(r.deductions) do
      if d.kind == "township" and d.item == "3" then reasons[d.key] = d.reason end
    end
    assert.same({ R2 = "慢病患者甲二：手册信息与该户人口信息不符；慢病卡已到期",
                  R3 = "慢病患者甲三：应办慢病卡未办" }, reasons)
    assert.equal(-40, r.scores[r.id].township.T1["3"].points_x100)
    assert.equal(-40, r.scores[r.id].county.C1["3"].points_x100)
  end)
end)
