-- Issue 15 item 3 for the rate and cadence items: a loss names the rows that caused it — the
-- persons without a (timely, planned) contract for a signing rate, the patients with a quarter
-- without 随访 (each with the quarters, "缺第1、2、3季度随访"), the places a cadre did not visit
-- in a month — not the village or cadre itself; one deduction per item and subject, its points
-- once, its keys joined by "、". Worked out by hand on this fixture:
--
--   C1 测试县 ── T1 甲镇 ── V1 甲村: P1 … P5 (H1 建档立卡)
--                       └─ V2 乙村: Q1 Q2 (H2 建档立卡)
--   cadres: K1 → V1 (village);  K2 → T1 (the whole township)
--
-- Signing (五督 12, deadline 2018-08-31; 包抓 8.2, the year): P1 P2 P3 signed 2018-03-01 with a
--   “一人一策” plan; P4 and P5 never signed. Q1 signed with a plan; Q2 signed without one.
--   五督 12, V1: 3/5 = 60% < 95%, 2 unsigned → 0; the persons not counted: P4、P5.
--   五督 12, V2: 1/2 = 50% < 95% (nobody unsigned) → 0; the person not counted: Q2.
--   with sign_rate = 0.5: V1 60% ≥ 50% but P4, P5 unsigned (应签尽签) → 0, still P4、P5;
--     V2 50% ≥ 50% and nobody unsigned → 4, no deduction.
--   包抓 8.2, K1 (V1): 3/5 = 60% < 95% → 0, P4、P5; K2 (V1 and V2): 4/7 = 57.1% → 0,
--     P4、P5、Q2.
-- Quarterly follow-up (五督 17, 后评估 3): P1 has 高血压 (四大慢病, no card needed) and 随访
--   only on 2018-12-05 and 2018-12-20: quarters 1, 2, 3 without one → 0/1 = 0% < 90% → 五督 17
--   V1 0, key P1, the reason ending "张一缺第1、2、3季度随访". V2: no 四大慢病 patient (den 0),
--   Q1 and Q2 need a card for 糖尿病 and hold none: 2 ≥ 2 → 0, keys Q1、Q2, each "无有效慢病卡
--   （糖尿病）". 后评估 3 (each case −0.2): P1 "四大慢病缺第1、2、3季度随访" among its problems.
-- Awareness (五督 26): in V1 P1 answered aware (S1), P2 not (S2): 1/2 = 50% < 95% → 0, key S2;
--   V2 nobody surveyed → 待核实, no deduction.
-- Monthly visits (包抓 8.1, from 2018-07-01; findings 是 for both cadres): K1 visited V1 in July,
--   October, November, December → August and September missing → 0, key V1, "甲村缺8、9月到村
--   记录". K2 visited V2 from July to November → December missing for the township → 0, keys
--   every village of T1 (V1、V2), the reason "甲镇（包抓到乡镇）缺12月到村记录" said once.
local T = require "kaohe.testing"
local WUDU = "scorecards/wudu_2018.lua"
local BAZHUA = "scorecards/bazhua_cadre_2018.lua"
local POST = "scorecards/post_assessment_deductions.lua"

local function fixture()
  local rows = {}
  rows.county = { { id = "C1", name = "测试县", province = "测试省" } }
  rows.township = { { id = "T1", county_id = "C1", name = "甲镇" } }
  rows.village = { { id = "V1", township_id = "T1", name = "甲村" },
                   { id = "V2", township_id = "T1", name = "乙村" } }
  rows.household = { { id = "H1", village_id = "V1", category = "建档立卡" },
                     { id = "H2", village_id = "V2", category = "建档立卡" } }
  rows.person = {
    { id = "P1", household_id = "H1", name = "张一" }, { id = "P2", household_id = "H1", name = "张二" },
    { id = "P3", household_id = "H1", name = "张三" }, { id = "P4", household_id = "H1", name = "张四" },
    { id = "P5", household_id = "H1", name = "张五" },
    { id = "Q1", household_id = "H2", name = "钱一" }, { id = "Q2", household_id = "H2", name = "钱二" },
  }
  rows.doctor_team = { { id = "TM1", township_id = "T1", levels = "省市,县,乡,村" } }
  rows.contract = {}
  for _, c in ipairs { { "P1", 1 }, { "P2", 1 }, { "P3", 1 }, { "Q1", 1 }, { "Q2", 0 } } do
    rows.contract[#rows.contract + 1] = {
      id = "K" .. c[1], person_id = c[1], team_id = "TM1", signed_on = "2018-03-01",
      expires_on = "2019-02-28", package = "初级", plan = c[2] }
  end
  rows.diagnosis = {
    { id = "D1", person_id = "P1", disease = "高血压", kind = "慢病", big4 = 1, needs_card = 0,
      diagnosed_on = "2016-01-01" },
    { id = "D2", person_id = "Q1", disease = "糖尿病", kind = "慢病", needs_card = 1,
      diagnosed_on = "2016-01-01" },
    { id = "D3", person_id = "Q2", disease = "糖尿病", kind = "慢病", needs_card = 1,
      diagnosed_on = "2016-01-01" },
  }
  rows.followup = {
    { id = "F1", person_id = "P1", visited_on = "2018-12-05", kind = "随访" },
    { id = "F2", person_id = "P1", visited_on = "2018-12-20", kind = "随访" },
  }
  rows.survey = { { id = "S1", person_id = "P1", surveyed_on = "2018-10-01", aware = 1 },
                  { id = "S2", person_id = "P2", surveyed_on = "2018-10-01", aware = 0 } }
  rows.cadre = { { id = "K1", name = "杨一", department = "卫计", role = "包村干部" },
                 { id = "K2", name = "杨二", department = "卫计", role = "科级干部" } }
  rows.cadre_assignment = { { cadre_id = "K1", township_id = "T1", village_id = "V1", year = 2018 },
                            { cadre_id = "K2", township_id = "T1", year = 2018 } }
  rows.cadre_visit = {}
  for _, v in ipairs { { "K1", "V1", { 7, 10, 11, 12 } }, { "K2", "V2", { 7, 8, 9, 10, 11 } } } do
    for _, m in ipairs(v[3]) do
      rows.cadre_visit[#rows.cadre_visit + 1] = {
        id = string.format("%s-%02d", v[1], m), cadre_id = v[1], village_id = v[2],
        visited_on = string.format("2018-%02d-10", m) }
    end
  end
  rows.finding = {}
  for _, k in ipairs { "K1", "K2" } do
    rows.finding[#rows.finding + 1] = {
      id = "G-" .. k, scorecard = "huining-bazhua-2018", item = "8.1", subject_kind = "cadre",
      subject_id = k, period = "2018", answer = "是", inspector = "王核查",
      inspected_on = "2018-12-28" }
  end
  return rows
end

-- The deductions of `item` about `subject`, each "table:key=points".
local function rows_of(r, subject, item)
  local out = {}
  for _, d in ipairs(r.deductions) do
    if d.subject == subject and d.item == item then
      out[#out + 1] = d.table .. ":" .. d.key .. "=" .. d.points_x100
    end
  end
  return out
end

local function reason_of(r, subject, item)
  for _, d in ipairs(r.deductions) do
    if d.subject == subject and d.item == item then return d.reason end
  end
end

describe("the rows behind a rate or cadence loss (issue 15 item 3)", function()
  local db = T.evidence(fixture())

  describe("五督", function()
    local r = T.run { scorecard = WUDU, evidence = db, period = "2018" }

    it("12 names the persons not signed with a plan by the deadline", function()
      T.expect(r, "village", "V1", { ["12"] = 0 })
      T.expect(r, "village", "V2", { ["12"] = 0 })
      assert.same({ "person:P4、P5=400" }, rows_of(r, "V1", "12"))
      assert.same({ "person:Q2=400" }, rows_of(r, "V2", "12"))
      assert.matches("3/5 = 60.0%", reason_of(r, "V1", "12"), 1, true)
    end)

    it("12 with the rate met names only the unsigned (应签尽签)", function()
      local r2 = T.run { scorecard = WUDU, evidence = db, period = "2018",
                         params = { sign_rate = 0.5 } }
      T.expect(r2, "village", "V1", { ["12"] = 0 })
      T.expect(r2, "village", "V2", { ["12"] = 4 })
      assert.same({ "person:P4、P5=400" }, rows_of(r2, "V1", "12"))
      assert.same({}, rows_of(r2, "V2", "12"))
    end)

    it("17 names the patient with quarters missed, and the quarters", function()
      T.expect(r, "village", "V1", { ["17"] = 0 })
      assert.same({ "person:P1=400" }, rows_of(r, "V1", "17"))
      assert.equal("0/1 = 0.0%，未达到90%；应纳入慢病卡而无有效慢病卡0人；张一缺第1、2、3季度随访",
                   reason_of(r, "V1", "17"))
    end)

    it("17 names the persons without a card when the cards fail it", function()
      T.expect(r, "village", "V2", { ["17"] = 0 })
      assert.same({ "person:Q1、Q2=400" }, rows_of(r, "V2", "17"))
      assert.equal("无应考核对象（分母为0）；应纳入慢病卡而无有效慢病卡2人；"
                   .. "钱一无有效慢病卡（糖尿病）；钱二无有效慢病卡（糖尿病）", reason_of(r, "V2", "17"))
    end)

    it("26 names the survey answers that were not aware", function()
      T.expect(r, "village", "V1", { ["26"] = 0 })
      T.expect(r, "village", "V2", { ["26"] = "待核实" })
      assert.same({ "survey:S2=500" }, rows_of(r, "V1", "26"))
      assert.same({}, rows_of(r, "V2", "26"))
    end)
  end)

  describe("包抓", function()
    local r = T.run { scorecard = BAZHUA, evidence = db, period = "2018" }

    it("8.2 names the persons of the cadre's villages not signed with a plan", function()
      T.expect(r, "cadre", "K1", { ["8.2"] = 0 })
      T.expect(r, "cadre", "K2", { ["8.2"] = 0 })
      assert.same({ "person:P4、P5=800" }, rows_of(r, "K1", "8.2"))
      assert.same({ "person:P4、P5、Q2=800" }, rows_of(r, "K2", "8.2"))
    end)

    it("8.1 names the places not visited, with the months", function()
      T.expect(r, "cadre", "K1", { ["8.1"] = 0 })
      T.expect(r, "cadre", "K2", { ["8.1"] = 0 })
      assert.same({ "village:V1=300" }, rows_of(r, "K1", "8.1"))
      assert.same({ "village:V1、V2=300" }, rows_of(r, "K2", "8.1"))
      assert.matches("；甲村缺8、9月到村记录$", reason_of(r, "K1", "8.1"))
      -- the township's reason once, though both its villages give it
      assert.matches("；现场核查：已建立健康管理工作台账、患病人员核实准确；甲镇（包抓到乡镇）缺12月到村记录$",
                     reason_of(r, "K2", "8.1"))
    end)
  end)

  describe("后评估", function()
    it("3 names the quarters a 四大慢病 patient missed", function()
      local r = T.run { scorecard = POST, evidence = db, period = "2018" }
      local reason = nil
      for _, d in ipairs(r.deductions) do
        if d.kind == "township" and d.item == "3" and d.key == "P1" then reason = d.reason end
      end
      assert.equal("慢病患者张一：四大慢病缺第1、2、3季度随访", reason)
    end)
  end)
end)
