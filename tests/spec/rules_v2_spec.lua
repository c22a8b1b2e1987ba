-- Scorecard language v2 (issue "Scorecard language v2", items 7, 4 and 3): rate items honour
-- `failed` whatever the denominator; caps and floors on sections and on the whole form, and
-- amounts named by parameter; time windows, years, and the cadence SQL functions. The examples
-- of docs/examples/ run on one small fixture; every expected value is worked out by hand below.
local kaohe = kh.kaohe
local T = require "kaohe.testing"

-- The fixture, period 2018:
--   C1 测试县 ├── T1 甲镇: V1 甲村 (H1: P1 张一, P2 李二), V3 丙村 (H3: P3 王三)
--             └── T2 乙乡: V2 乙村 (H2: P5 赵五, P6 钱六)
--   住院, one_stop = 0: A01–A08 (P1/P2, 2018-03, before 06-29), A09 (P5, 2018-07-02),
--                        A10 (P1, 2017-12-20: outside 2018)
--   住院 with a deposit: A01, A02, A03 (T1)
--   门诊慢特病, one_stop = 0: M1, M2, M3 (P1, T1)
--   contracts signed: P1 2018-03-01, P2 2018-09-15, P3 2018-01-01, P5 and P6 2018-05-01
--   四大慢病: P1, P2, P3 (T1), P5 (T2)
--   随访: P1 02-01 05-01 08-01 11-01 (every quarter); P2 01-10 02-10 (Q1 only); P3 none;
--         P5 03-01 06-01 09-01 12-01
--   履约服务: P1 monthly 07-05 … 12-05; P2 06-20 (June), 07-20, 12-31; P3 and P5 none
local function fixture()
  local admission = {}
  local function adm(id, person, kind, on, one_stop, deposit)
    admission[#admission + 1] = { id = id, person_id = person, institution_id = "I1", kind = kind,
      admitted_on = on, one_stop = one_stop, deposit_fen = deposit or 0, total_fen = 100000,
      compliant_fen = 90000, self_fen = 10000 }
  end
  for i = 1, 8 do
    adm(string.format("A%02d", i), i % 2 == 1 and "P1" or "P2", "住院",
        string.format("2018-03-%02d", i), 0, i <= 3 and 50000 or 0)
  end
  adm("A09", "P5", "住院", "2018-07-02", 0)
  adm("A10", "P1", "住院", "2017-12-20", 0)
  for i = 1, 3 do adm("M" .. i, "P1", "门诊慢特病", "2018-04-0" .. i, 0) end
  local followup = {}
  local function visits(person, kind, dates)
    for _, d in ipairs(dates) do
      followup[#followup + 1] = { id = string.format("F%d", #followup + 1), person_id = person,
                                  visited_on = d, kind = kind }
    end
  end
  visits("P1", "随访", { "2018-02-01", "2018-05-01", "2018-08-01", "2018-11-01" })
  visits("P2", "随访", { "2018-01-10", "2018-02-10" })
  visits("P5", "随访", { "2018-03-01", "2018-06-01", "2018-09-01", "2018-12-01" })
  visits("P1", "履约服务", { "2018-07-05", "2018-08-05", "2018-09-05", "2018-10-05",
                             "2018-11-05", "2018-12-05" })
  visits("P2", "履约服务", { "2018-06-20", "2018-07-20", "2018-12-31" })
  local contract = {}
  for _, c in ipairs({ { "P1", "2018-03-01" }, { "P2", "2018-09-15" }, { "P3", "2018-01-01" },
                       { "P5", "2018-05-01" }, { "P6", "2018-05-01" } }) do
    contract[#contract + 1] = { id = "K" .. c[1], person_id = c[1], team_id = "TM1",
      signed_on = c[2], expires_on = "2020-12-31", package = "初级" }
  end
  local diagnosis = {}
  for _, p in ipairs({ "P1", "P2", "P3", "P5" }) do
    diagnosis[#diagnosis + 1] = { id = "D" .. p, person_id = p, disease = "高血压", kind = "慢病",
                                  big4 = 1, diagnosed_on = "2016-01-01" }
  end
  return {
    county = { { id = "C1", name = "测试县", province = "测试省" } },
    township = { { id = "T1", county_id = "C1", name = "甲镇" },
                 { id = "T2", county_id = "C1", name = "乙乡" } },
    village = { { id = "V1", township_id = "T1", name = "甲村" },
                { id = "V2", township_id = "T2", name = "乙村" },
                { id = "V3", township_id = "T1", name = "丙村" } },
    household = { { id = "H1", village_id = "V1", category = "建档立卡" },
                  { id = "H2", village_id = "V2", category = "建档立卡" },
                  { id = "H3", village_id = "V3", category = "建档立卡" } },
    person = { { id = "P1", household_id = "H1", name = "张一" },
               { id = "P2", household_id = "H1", name = "李二" },
               { id = "P3", household_id = "H3", name = "王三" },
               { id = "P5", household_id = "H2", name = "赵五" },
               { id = "P6", household_id = "H2", name = "钱六" } },
    institution = { { id = "I1", name = "县医院", kind = "县级医院", county_id = "C1",
                      in_county = 1 } },
    admission = admission,
    doctor_team = { { id = "TM1", township_id = "T1", levels = "省市,县,乡,村" } },
    contract = contract,
    diagnosis = diagnosis,
    followup = followup,
  }
end

local db = T.evidence(fixture())

-- Runs of other periods than 2018 are intended here (an item of other years, an empty
-- window): the fixture's evidence is 2018's, so they say allow_empty (--allow-empty).
local function run(card, params, period)
  return T.run { scorecard = card, evidence = db, period = period or "2018", params = params,
                 allow_empty = period ~= nil }
end

-- The deductions of one subject and item: { key = points_x100 }, and their reasons.
local function deductions(r, kind, subject, item)
  local points, reasons = {}, {}
  for _, d in ipairs(r.deductions) do
    if d.kind == kind and d.subject == subject and d.item == item then
      points[d.key], reasons[d.key] = d.points_x100, d.reason
    end
  end
  return points, reasons
end

-- An example must pass `kaohe check` before it is run.
local function it_passes_check(card)
  it("passes check", function()
    assert.is_true(kaohe.check { evidence = db, scorecards = { card } })
  end)
end

local function check(name, text)
  local path = kh.scorecard(name, text)
  local ok, err = kaohe.check { evidence = db, scorecards = { path } }
  return ok, err, path
end

local function run_text(name, text, params, period)
  local path = kh.scorecard(name, text)
  local r, err = kaohe.run { evidence = db, scorecards = { path }, period = period or "2018",
                             params = params, allow_empty = period ~= nil }
  return r, err, path
end

describe("v2 item 7: a rate item's failed column whatever the denominator", function()
  -- num and den are 0 everywhere (no one to assess); failed is 1 for V1 only, na 1 for V3.
  -- Before: every village 不适用 (or 待核实). Now: V1 fails whatever den is, 0 points, the
  -- reason saying both; V2 (nothing failed, den 0) 不适用, full 4; V3 (na, nothing failed)
  -- 不适用. With when_none = "pending": V1 still fails, V2 待核实.
  local function card(when_none)
    return [[
return scorecard { id = "r7", title = "测试", total = 4, subjects = { "village" },
  item { no = "1", points = 4, text = "x", rule = rate_at_least { threshold = 0.9,
    when_none = "]] .. when_none .. [[",
    sql = [=[SELECT v.id AS village, 0 AS num, 0 AS den, v.id = 'V1' AS failed,
                   v.id = 'V3' AS na, 2 AS nocard FROM village v]=],
    reason = "应纳入慢病卡而无有效慢病卡{nocard}人" } } }]]
  end

  it("fails the item where failed = 1 and den = 0; 不适用 only where nothing failed", function()
    local r = assert(run_text("r7na.lua", card("na")))
    local s = r.scores.r7.village
    assert.equal("deducted", s.V1["1"].status)
    assert.equal(0, s.V1["1"].points_x100)
    assert.equal("无应考核对象（分母为0）；应纳入慢病卡而无有效慢病卡2人，扣4分", s.V1["1"].reason)
    assert.equal("na", s.V2["1"].status)
    assert.equal(400, s.V2["1"].points_x100)
    assert.equal("na", s.V3["1"].status)
  end)

  it("fails it under when_none = \"pending\" too; 待核实 only where nothing failed", function()
    local r = assert(run_text("r7pending.lua", card("pending")))
    local s = r.scores.r7.village
    assert.equal("deducted", s.V1["1"].status)
    assert.equal("pending", s.V2["1"].status)
  end)

  it("scores 五督 17 at 0 in a village without 四大慢病 patients but 2 persons without 慢病卡",
     function()
    -- small_county's V3 丙村 has no 四大慢病 patient (den = 0: 不适用 before); give P5 and P6
    -- a diagnosis needing a card and no card: 2 persons, "超过2人（含）" → 0 points.
    local rows = dofile("tests/spec/fixtures/small_county.lua")
    local more = {}
    for k, v in pairs(rows) do more[k] = v end
    more.diagnosis = {}
    for _, d in ipairs(rows.diagnosis) do more.diagnosis[#more.diagnosis + 1] = d end
    for _, p in ipairs({ "P5", "P6" }) do
      more.diagnosis[#more.diagnosis + 1] = { id = "DN" .. p, person_id = p, disease = "慢阻肺",
        kind = "慢病", needs_card = 1, diagnosed_on = "2017-03-01" }
    end
    local r = T.run { scorecard = "scorecards/wudu_2018.lua", evidence = T.evidence(more),
                      period = "2018" }
    T.expect(r, "village", "V3", { ["17"] = { points = 0, status = "扣分" } })
    assert.matches("无应考核对象（分母为0）；应纳入慢病卡而无有效慢病卡2人",
                   r.scores[r.id].village.V3["17"].reason, 1, true)
  end)
end)

describe("v2 item 4: caps and floors (docs/examples/caps.lua)", function()
  local CARD = "docs/examples/caps.lua"

  it_passes_check(CARD)

  -- Defaults: each_case 0.5, deposit_cap 1. 甲镇 T1:
  --   1: A01–A08, 8 × 0.5 = 4 (cap 10) → 3 - 4 = -1; the section (6 points, floor 0) has
  --      lost 4 of its 6
  --   2: M1–M3, 3 × 1 = 3, but only 2 left in the section → loses 2: 3 - 2 = 1; M1, M2 1 each,
  --      M3 listed at 0. Section: -1 + 1 = 0, not below its floor.
  --   3: A01–A03 with a deposit, 3 × 0.5 = 1.5, section cap 1 → loses 1: 4 - 1 = 3; A01, A02
  --      0.5 each, A03 at 0
  --   total -1 + 1 + 3 = 3
  -- 乙乡 T2: 1: A09 → 2.5; 2: 3; 3: 4 → 9.5 (its ledger is its own)
  it("stops a section at its floor and its cap, in form order", function()
    local r = run(CARD)
    T.expect(r, "township", "T1", {
      ["1"] = { points = -1, status = "扣分" }, ["2"] = { points = 1, status = "扣分" },
      ["3"] = { points = 3, status = "扣分" } })
    T.expect_total(r, "township", "T1", { total = 3 })
    T.expect(r, "township", "T2", { ["1"] = 2.5, ["2"] = { points = 3, status = "合格" }, ["3"] = 4 })
    T.expect_total(r, "township", "T2", { total = 9.5 })
    local s = r.scores[r.id].township.T1
    assert.equal("发现8人次，每人次扣0.5分，共扣4分", s["1"].reason)
    assert.equal("发现3人次，每人次扣1分，共扣3分（本部分扣分已达上限6分，本项实扣2分）",
                 s["2"].reason)
    assert.equal("发现3人次，每人次扣0.5分，共扣1.5分（本部分扣分已达上限1分，本项实扣1分）",
                 s["3"].reason)
  end)

  it("cuts the deductions to what the item still loses, listing every case", function()
    local r = run(CARD)
    local points, reasons = deductions(r, "township", "T1", "2")
    assert.same({ M1 = 100, M2 = 100, M3 = 0 }, points)
    assert.equal("张一门诊慢特病未落实“一站式”结算（本部分扣分已达上限6分）", reasons.M3)
    assert.equal("张一门诊慢特病未落实“一站式”结算", reasons.M1)
    points = deductions(r, "township", "T1", "3")
    assert.same({ A01 = 50, A02 = 50, A03 = 0 }, points)
  end)

  -- --param each_case=1: T1 1: 8 × 1 = 8 (cap 10), the section's 6 → 3 - 6 = -3; 2: nothing
  -- left → 3 (still 扣分: the cases were found, and listed at 0); 3: 3 × 1 = 3, cap 1 → 3.
  -- Total -3 + 3 + 3 = 3. T2: 1: 1 case → 2; total 2 + 3 + 4 = 9.
  it("binds amounts and caps named by parameter from --param", function()
    local r = run(CARD, { each_case = 1 })
    T.expect(r, "township", "T1", { ["1"] = -3, ["2"] = { points = 3, status = "扣分" }, ["3"] = 3 })
    T.expect_total(r, "township", "T1", { total = 3 })
    T.expect_total(r, "township", "T2", { total = 9 })
    assert.equal("发现3人次，每人次扣1分，共扣3分（本部分扣分已达上限6分，本项实扣0分）",
                 r.scores[r.id].township.T1["2"].reason)
    -- deposit_cap=0: item 3 loses nothing → 4; T1 total -1 + 1 + 4 = 4
    r = run(CARD, { deposit_cap = 0 })
    T.expect(r, "township", "T1", { ["3"] = 4 })
    T.expect_total(r, "township", "T1", { total = 4 })
    -- deposit_cap=0.5 (its default, 1, is whole; points may still have decimals): 4 - 0.5
    r = run(CARD, { deposit_cap = "0.5" })
    T.expect(r, "township", "T1", { ["3"] = 3.5 })
  end)

  it("refuses an override that is not points, naming file, line, item and parameter", function()
    local ok, err = kaohe.run { evidence = db, scorecards = { CARD }, period = "2018",
                                params = { each_case = "0.125" } }
    assert.is_nil(ok)
    assert.matches("docs/examples/caps.lua:33: item 1: --param each_case=0.125: 'each' must be a non-negative number of points with at most two decimals",
                   err, 1, true)
    ok, err = kaohe.run { evidence = db, scorecards = { CARD }, period = "2018",
                          params = { deposit_cap = "0.125" } }
    assert.is_nil(ok)
    assert.matches("docs/examples/caps.lua:43: section \"“先诊疗后付费”（本部分最多扣1分）\": --param deposit_cap=0.125: 'cap' must be a non-negative number of points with at most two decimals",
                   err, 1, true)
  end)

  -- docs/examples/caps_deduction.lua, the whole form "最多扣1分". T1: 1: 8 × 0.2 = 1.6 → the
  -- form's 1 → -1, A01–A05 0.2 each, A06–A08 at 0; 2: 3 × 0.2 = 0.6, nothing left → 0 (扣分,
  -- every case at 0). Total -1. T2: 1: A09 → -0.2; 2: none → 0. Total -0.2.
  it("caps a deduction form as a whole", function()
    local r = run("docs/examples/caps_deduction.lua")
    T.expect(r, "township", "T1", { ["1"] = -1, ["2"] = { points = 0, status = "扣分" } })
    T.expect_total(r, "township", "T1", { total = -1 })
    T.expect_total(r, "township", "T2", { total = -0.2 })
    local points, reasons = deductions(r, "township", "T1", "1")
    assert.same({ A01 = 20, A02 = 20, A03 = 20, A04 = 20, A05 = 20, A06 = 0, A07 = 0, A08 = 0 },
                points)
    assert.equal("（全表扣分已达上限1分）", reasons.A06)
    assert.same({ A01 = 0, A02 = 0, A03 = 0 }, (deductions(r, "township", "T1", "2")))
    assert.equal("发现3人次，每人次扣0.2分，共扣0.6分（全表扣分已达上限1分，本项实扣0分）",
                 r.scores[r.id].township.T1["2"].reason)
    -- --param most_lost=2: 1.6 + 0.6 = 2.2 → item 2 keeps 0.4 of its 0.6; total -2
    r = run("docs/examples/caps_deduction.lua", { most_lost = 2 })
    T.expect(r, "township", "T1", { ["1"] = -1.6, ["2"] = -0.4 })
  end)

  it("caps a points form as a whole with the scorecard's floor", function()
    -- floor = 2 on a 4-point form: at most 4 - 2 = 2 may be lost in all. Two per_case items that
    -- may each lose 4 (cap = 4): item 1, A01–A08, 8 × 0.5 = 4 → only 2 → 2 - 2 = 0; item 2,
    -- M1–M3, 3 × 0.5 = 1.5 → nothing left → 2 (扣分, 0 lost). Total 2, the floor.
    local r = assert(run_text("formfloor.lua", [[
return scorecard { id = "ff", title = "测试", total = 4, floor = 2, subjects = { "township" },
  item { no = "1", points = 2, text = "x", rule = per_case { each = 0.5, cap = 4,
    evidence = "admission", cases = [=[SELECT a.id AS key, 'T1' AS township FROM admission a
      WHERE a.kind = '住院' AND a.one_stop = 0 AND a.admitted_on >= :period_start
        AND a.person_id IN ('P1', 'P2')]=] } },
  item { no = "2", points = 2, text = "y", rule = per_case { each = 0.5, cap = 4,
    evidence = "admission", cases = [=[SELECT a.id AS key, 'T1' AS township FROM admission a
      WHERE a.kind = '门诊慢特病']=] } } }]]))
    assert.equal(0, r.scores.ff.township.T1["1"].points_x100)
    assert.equal("发现8人次，每人次扣0.5分，共扣4分（全表扣分已达上限2分，本项实扣2分）",
                 r.scores.ff.township.T1["1"].reason)
    assert.equal(200, r.scores.ff.township.T1["2"].points_x100)
    assert.equal(200, r.totals.ff.township.T1.total_x100)
  end)
end)

describe("v2 item 4: mistakes in caps, floors and parameter amounts", function()
  local HEAD = 'return scorecard { id = "t", title = "测试", total = 6, subjects = { "township" },\n'
  local RULE = [[per_case { each = 0.5, cap = 6, evidence = "admission",
    cases = "SELECT id AS key, 'T1' AS township FROM admission" }]]

  it("names an undeclared parameter and a parameter that is not points", function()
    local ok, err, path = check("p1.lua", HEAD .. [[
  params = { word = { "x", "文字" } },
  item { no = "1", points = 3, text = "x", rule = per_case { each = "eech", evidence = "admission",
    cases = "SELECT id AS key, 'T1' AS township FROM admission" } },
  item { no = "2", points = 3, text = "y", rule = finding { yes = "word" } } }]])
    assert.is_nil(ok)
    assert.matches(path .. ":3: item 1: per_case: 'each' parameter 'eech' is not declared in the scorecard's params",
                   err, 1, true)
    assert.matches(path .. ":5: item 2: finding: parameter 'word' ('yes') must default to a non-negative number of points",
                   err, 1, true)
  end)

  it("names a wrong cap, an unknown section field and a floor in deduction mode", function()
    local ok, err, path = check("p2.lua", HEAD .. [[
  section "甲" { cap = -1, cpa = 2,
    item { no = "1", points = 6, text = "x", rule = ]] .. RULE .. [[ } } }]])
    assert.is_nil(ok)
    assert.matches(path .. ":2: section \"甲\": 'cap' must be a non-negative number of points or a parameter name",
                   err, 1, true)
    assert.matches(path .. ":2: section \"甲\": unknown field 'cpa' (did you mean 'cap'?)",
                   err, 1, true)
    ok, err, path = check("p3.lua", [[
return scorecard { id = "t", title = "测试", mode = "deduction", floor = 0, subjects = { "township" },
  item { no = "1", text = "x", rule = ]] .. RULE .. [[ } }]])
    assert.is_nil(ok)
    assert.matches(path .. ":1: scorecard: 'floor' is the least a points-mode form can score; in deduction mode write 'cap' (the most it can lose)",
                   err, 1, true)
  end)

  it("refuses a floor above what its section or form is worth, and a third decimal", function()
    local ok, err, path = check("p4.lua", [[
return scorecard { id = "t", title = "测试", total = 6, floor = 7, subjects = { "township" },
  section "甲" { floor = 4, cap = 0.125,
    item { no = "1", points = 3, text = "x", rule = ]] .. RULE .. [[ } },
  item { no = "2", points = 3, text = "y", rule = ]] .. RULE .. [[ } }]])
    assert.is_nil(ok)
    assert.matches(path .. ":2: section \"甲\": 'floor' 4 is above the section's points (3)", err, 1, true)
    assert.matches(path .. ":1: scorecard: 'floor' 7 is above the form's total (6)", err, 1, true)
    assert.matches(path .. ":2: section \"甲\": cap 0.125 has more than two decimals", err, 1, true)
  end)

  it("refuses overrides out of range for a threshold, a finding and a floor", function()
    local path = kh.scorecard("p5.lua", HEAD .. [[
  params = { rate = { 0.9, "率" }, yes_points = { 3, "是" }, least = { 1.5, "下限" } },
  section "甲" { floor = "least",
    item { no = "1", points = 3, text = "x", rule = rate_at_least { threshold = "rate",
      sql = "SELECT id AS township, 1 AS num, 1 AS den FROM township" } } },
  item { no = "2", points = 3, text = "y", rule = finding { yes = "yes_points" } } }]])
    local function run_with(params)
      local ok, err = kaohe.run { evidence = db, scorecards = { path }, period = "2018",
                                  params = params }
      assert.is_nil(ok)
      return err
    end
    assert.matches(path .. ":4: item 1: --param rate=1.5: 'threshold' must be a rate above 0 and at most 1 (e.g. 0.95)",
                   run_with({ rate = "1.5" }), 1, true)
    assert.matches(path .. ":6: item 2: --param yes_points=4: finding 'yes' exceeds the item's 分值 3",
                   run_with({ yes_points = "4" }), 1, true)
    assert.matches(path .. ":3: section \"甲\": --param least=3.5: 'floor' is above the section's points (3)",
                   run_with({ least = "3.5" }), 1, true)
  end)
end)

describe("v2 item 3: time windows and years (docs/examples/time_window.lua)", function()
  local CARD = "docs/examples/time_window.lua"

  it_passes_check(CARD)

  -- 1 (by 2018-08-31): V1 P1 signed 03-01, P2 09-15 → 1/2 = 50% < 95% → 0; V2 P5, P6 05-01
  --   → 2/2 → 4; V3 P3 01-01 → 1/1 → 4.
  -- 2 (from 2018-06-29): V1's A01–A08 are in March, before the window → 0 cases → 3; V2's
  --   A09 on 07-02 → 0.
  -- 3 (years {2019}) → 不适用 in 2018, full 3, its finding query not run.
  -- V1 0 + 3 + 3 = 6; V2 4 + 0 + 3 = 7; V3 4 + 3 + 3 = 10.
  it("binds :item_by, :item_from and :item_until, and leaves a 2019 task out of 2018", function()
    local r = run(CARD)
    T.expect(r, "village", "V1", { ["1"] = { points = 0, status = "扣分" }, ["2"] = 3,
                                   ["3"] = { points = 3, status = "不适用" } })
    T.expect(r, "village", "V2", { ["1"] = 4, ["2"] = { points = 0, status = "扣分" } })
    T.expect_total(r, "village", "V1", { total = 6 })
    T.expect_total(r, "village", "V2", { total = 7 })
    T.expect_total(r, "village", "V3", { total = 10 })
    local s = r.scores[r.id].village
    assert.equal("1/2 = 50.0%，未达到95%；截至2018-08-31签约率未达标，扣4分", s.V1["1"].reason)
    assert.equal("2019年任务，本考核期不适用，按不适用得满分", s.V1["3"].reason)
  end)

  it("takes the deadline from --param, and runs a year's task in its year", function()
    -- sign_deadline=2018-12-31: V1 2/2 → 4, total 10
    local r = run(CARD, { sign_deadline = "2018-12-31" })
    T.expect(r, "village", "V1", { ["1"] = 4 })
    -- period 2019: item 3 is run and has no finding → 待核实
    r = run(CARD, nil, "2019")
    T.expect(r, "village", "V1", { ["3"] = "待核实" })
  end)

  it("does not look at the window of an item of other years", function()
    -- item 1 is a 2019 task whose window lies in 2019: in 2018 it is 不适用, and neither the
    -- run nor the check complains that 2019-03-01 … 2019-06-30 is outside the period
    local text = [[
return scorecard { id = "y", title = "测试", total = 1, subjects = { "village" },
  item { no = "1", points = 1, text = "x", years = { 2019 }, from = "2019-03-01", to = "2019-06-30",
    rule = check { sql = "SELECT id AS village, :item_from > :item_until AS failed FROM village" } } }]]
    local r = assert(run_text("years.lua", text))
    assert.equal("na", r.scores.y.village.V1["1"].status)
    assert.is_true(check("years.lua", text))
    -- in 2019 the window applies: 2019-03-01 ≤ 2019-06-30, nothing failed
    r = assert(run_text("years.lua", text, nil, "2019"))
    assert.equal("ok", r.scores.y.village.V1["1"].status)
  end)

  it("names a deadline parameter whose value is not a date, and an empty window", function()
    local ok, err = kaohe.run { evidence = db, scorecards = { CARD }, period = "2018",
                                params = { sign_deadline = "2018-02-30" } }
    assert.is_nil(ok)
    assert.matches(CARD .. ":18: item 1: --param sign_deadline=2018-02-30: 'by' must be a date such as 2018-06-29",
                   err, 1, true)
    ok, err = kaohe.run { evidence = db, scorecards = { CARD }, period = "2017", allow_empty = true }
    assert.is_nil(ok)
    assert.matches(CARD .. ":31: item 2: its window from 2018-06-29 to 2017-12-31 is empty (a task of other years? give the item years = { ... })",
                   err, 1, true)
  end)

  it("names wrong dates, parameters and years when checking", function()
    local ok, err, path = check("w1.lua", [[
return scorecard { id = "t", title = "测试", total = 4, subjects = { "village" },
  params = { n = { 3, "数" } },
  item { no = "1", points = 1, text = "x", from = 20180629, rule = finding {} },
  item { no = "2", points = 1, text = "x", from = "2018-02-30", to = "2018-1-1", rule = finding {} },
  item { no = "3", points = 1, text = "x", by = "deadline", to = "n", rule = finding {} },
  item { no = "4", points = 1, text = "x", from = "2018-12-31", to = "2018-06-29", years = 2019,
    rule = finding {} } }]])
    assert.is_nil(ok)
    for _, want in ipairs({
      ":3: item 1: 'from' must be a date such as \"2018-06-29\" or a parameter name",
      ":4: item 2: 'from' 2018-02-30 is not a date: write YYYY-MM-DD, e.g. \"2018-06-29\"",
      ":4: item 2: 'to' 2018-1-1 is not a date: write YYYY-MM-DD, e.g. \"2018-06-29\"",
      ":5: item 3: 'by' parameter 'deadline' is not declared in the scorecard's params",
      ":5: item 3: parameter 'n' ('to') must default to a date such as \"2018-06-29\"",
      ":6: item 4: 'from' 2018-12-31 is after 'to' 2018-06-29: the window is empty",
      ":6: item 4: 'years' must list the years the item applies in, e.g. { 2019 }",
    }) do
      assert.matches(path .. want, err, 1, true)
    end
  end)
end)

describe("v2 item 3: cadence functions (docs/examples/cadence.lua)", function()
  local CARD = "docs/examples/cadence.lua"

  it_passes_check(CARD)

  -- 1 (each quarter of 2018): P1 visited every quarter → no case; P2 only in Q1 → 3 missing;
  --   P3 never → 4; P5 every quarter. T1: P2, P3 → 2 × 0.2 = -0.4; T2: none.
  -- 2 (each month from 2018-07-01: July … December due): P1 every month → none; P2 July and
  --   December (June's is in no month due) → 4 missing; P3 none → 6; P5 none → 6.
  --   T1: P2, P3 → -0.4; T2: P5 → -0.2.
  -- Totals: T1 -0.8, T2 -0.2.
  it("counts the quarters and months without a visit", function()
    local r = run(CARD)
    T.expect(r, "township", "T1", { ["1"] = -0.4, ["2"] = -0.4 })
    T.expect(r, "township", "T2", { ["1"] = { points = 0, status = "合格" }, ["2"] = -0.2 })
    T.expect_total(r, "township", "T1", { total = -0.8 })
    T.expect_total(r, "township", "T2", { total = -0.2 })
    local _, reasons = deductions(r, "township", "T1", "1")
    assert.same({ P2 = "李二有3个季度未随访", P3 = "王三有4个季度未随访" }, reasons)
    _, reasons = deductions(r, "township", "T1", "2")
    assert.same({ P2 = "李二有4个月无履约服务", P3 = "王三有6个月无履约服务" }, reasons)
  end)
end)

describe("v2 examples", function()
  it("every example is exercised on every item", function()
    for _, id in ipairs({ "caps-example", "caps-deduction-example", "window-example",
                          "cadence-example" }) do
      assert.same({}, T.uncovered(id))
    end
  end)
end)
