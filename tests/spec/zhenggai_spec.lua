-- 乡镇问题整改台账核查表 (scorecards/zhenggai_2018.lua, issue 14 item 4): 限期, 逾期未销号 and
-- 逾期销号 over the `problem` table, every item's 合格, 扣分, 不适用 and 待核实 path on a hand-made
-- fixture, each value worked out by hand below.
local T = require "kaohe.testing"

local CARD = "scorecards/zhenggai_2018.lua"
local ID = "huining-zhenggai-2018"

-- The fixture, period 2018 (2018-01-01 … 2018-12-31). Problems (recorded on, deadline, status,
-- closed_on):
--   T1 甲镇 (V1):
--     P1 V1  2018-06-30 已销号 2018-06-20   on time
--     P2 T1  2019-03-31 整改中              not yet due
--     P3 V1  2017-12-31 已销号 2017-11-30   closed before the period: not on the ledger
--   T2 乙乡 (V2):
--     Q1 V2  (none)     未整改              item 1 fails
--     Q2 V2  2018-09-30 整改中              overdue at the period end (item 2)
--     Q3 T2  2018-05-31 已销号 2018-07-15   closed late (item 3); closed in the period (item 2 ok)
--     Q4 V2  2018-10-31 已销号 2019-01-10   still open at the period end (item 2); its closing
--                                            falls in the next period (not item 3's)
--     Q5 V2  2018-08-31 已销号 2018-08-31   closed on the deadline day: on time
--     Q6 V2  2018-04-30 已销号 ''           no closing day: cannot be told, but T2 fails anyway
--   T3 丙乡 (V3):
--     R1 V3  年底前     未整改              a deadline that is no date: item 1 待核实
--     R2 V3  2018-06-30 已销号 (NULL)       no closing day: items 2 and 3 待核实
--   T4 丁乡: no problem → every item 不适用
--   T5 戊镇 (V5):
--     S1 T5  (none)     未整改              item 1 fails; no dated problem → items 2, 3 不适用
--     S2 V5  2017-06-30 已销号 2017-05-01   closed before the period
--   C1 (the county): K1 2018-03-31 未整改 — recorded on the county, no township's
-- Expected:
--   T1: ledger P1, P2: 10 10 10 = 30
--   T2: ledger Q1..Q6 (6). Item 1: Q1 → 0. Item 2: dated Q2..Q6 (5): Q2 (open), Q4 (closed
--       after the period end) bad; Q6 unknown, outweighed → 0. Item 3: Q3 (07-15 > 05-31) bad
--       → 0. Total 0.
--   T3: 待核实 ×3 (pending 3, no total)
--   T4: 不适用 ×3 → 30
--   T5: item 1 0; items 2, 3 不适用 → 20
-- County: mean of the fully scored townships T1, T2, T4, T5: (30 + 0 + 30 + 20) / 4 = 20.
local function fixture()
  local rows = kh.fixture_rows {
    townships = { "T1", "T2", "T3", "T4", "T5" },
    villages = { { "V1", "T1" }, { "V2", "T2" }, { "V3", "T3" }, { "V5", "T5" } },
    problem = {},
  }
  local function problem(id, kind, subject, deadline, status, closed_on)
    rows.problem[#rows.problem + 1] = { id = id, source = "县督查组 2018年第3次督查",
      subject_kind = kind, subject_id = subject, item = "签约服务",
      description = "问题" .. id, responsible = "乡镇卫生院", deadline = deadline,
      status = status, closed_on = closed_on }
  end
  problem("P1", "village", "V1", "2018-06-30", "已销号", "2018-06-20")
  problem("P2", "township", "T1", "2019-03-31", "整改中")
  problem("P3", "village", "V1", "2017-12-31", "已销号", "2017-11-30")
  problem("Q1", "village", "V2", nil, "未整改")
  problem("Q2", "village", "V2", "2018-09-30", "整改中")
  problem("Q3", "township", "T2", "2018-05-31", "已销号", "2018-07-15")
  problem("Q4", "village", "V2", "2018-10-31", "已销号", "2019-01-10")
  problem("Q5", "village", "V2", "2018-08-31", "已销号", "2018-08-31")
  problem("Q6", "village", "V2", "2018-04-30", "已销号", "")
  problem("R1", "village", "V3", "年底前", "未整改")
  problem("R2", "village", "V3", "2018-06-30", "已销号")
  problem("S1", "township", "T5", nil, "未整改")
  problem("S2", "village", "V5", "2017-06-30", "已销号", "2017-05-01")
  problem("K1", "county", "C1", "2018-03-31", "未整改")
  return rows
end

-- The evidence keys behind one subject's loss on one item.
local function keys(r, subject, item)
  local out = {}
  for _, d in ipairs(r.deductions) do
    if d.subject == subject and d.item == item then out[#out + 1] = d.key end
  end
  table.sort(out)
  return out
end

describe("乡镇问题整改台账核查表 (issue 14, item 4)", function()
  local db = T.evidence(fixture())
  -- the fixture holds only problems, which carry no date of the period the run's emptiness
  -- check looks at (admissions, contracts, visits, surveys, findings)
  local r = T.run { scorecard = CARD, evidence = db, period = "2018", allow_empty = true }

  it("T1: every problem dated, closed in time or not yet due; a problem closed before the period is off the ledger", function()
    local s = T.expect(r, "township", "T1", { ["1"] = 10, ["2"] = 10, ["3"] = 10 })
    assert.equal("台账中2个问题均明确整改时限", s["1"].reason)
    assert.equal("台账中2个限期问题，到期的均已销号", s["2"].reason)
    assert.equal("台账中2个限期问题，无逾期销号", s["3"].reason)
    T.expect_total(r, "township", "T1", { total = 30, grade = false, pending = 0 })
  end)

  it("T2: no deadline, overdue at the period end, closed late — each with the problems behind it", function()
    local s = T.expect(r, "township", "T2", { ["1"] = { points = 0, status = "扣分" },
                                              ["2"] = { points = 0, status = "扣分" },
                                              ["3"] = { points = 0, status = "扣分" } })
    assert.equal("台账中6个问题，1个未明确整改时限，扣10分", s["1"].reason)
    assert.equal("台账中5个限期问题，2个逾期未销号，扣10分", s["2"].reason)
    assert.equal("台账中5个限期问题，1个逾期销号，扣10分", s["3"].reason)
    assert.same({ "Q1" }, keys(r, "T2", "1"))
    assert.same({ "Q2、Q4" }, keys(r, "T2", "2"))
    assert.same({ "Q3" }, keys(r, "T2", "3"))
    T.expect_total(r, "township", "T2", { total = 0, grade = false })
  end)

  it("T3: a deadline that is no date, a 销号 without its day: 待核实", function()
    T.expect(r, "township", "T3", { ["1"] = "待核实", ["2"] = "待核实", ["3"] = "待核实" })
    T.expect_total(r, "township", "T3", { pending = 3 })
  end)

  it("T4: no problem recorded: 不适用", function()
    local s = T.expect(r, "township", "T4", { ["1"] = { points = 10, status = "不适用" },
                                              ["2"] = { points = 10, status = "不适用" },
                                              ["3"] = { points = 10, status = "不适用" } })
    assert.equal("本乡镇台账中没有问题，按不适用得满分", s["1"].reason)
    T.expect_total(r, "township", "T4", { total = 30 })
  end)

  it("T5: an undated problem fails item 1 only; items 2 and 3 have nothing dated to judge", function()
    local s = T.expect(r, "township", "T5", { ["1"] = 0, ["2"] = "不适用", ["3"] = "不适用" })
    assert.equal("本乡镇台账中没有限期的问题，按不适用得满分", s["2"].reason)
    assert.same({ "S1" }, keys(r, "T5", "1"))
    T.expect_total(r, "township", "T5", { total = 20 })
  end)

  it("rolls up to the county over the fully scored townships; the county's own problem is no township's", function()
    T.expect_total(r, "county", "C1", { total = 20, members = 4 })
    assert.same({}, keys(r, "T1", "2"))
  end)

  it("covers every item", function() assert.same({}, T.uncovered(ID)) end)
end)
