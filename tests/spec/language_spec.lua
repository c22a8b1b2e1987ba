-- The scorecard language catches inspectors' mistakes with file, line and item.
local kaohe = kh.kaohe

local db = kh.evidence("lang.db", "fixtures/small/post_assessment.sql")

local function check(name, text)
  local path = kh.scorecard(name, text)
  local ok, err = kaohe.check { evidence = db, scorecards = { path } }
  return ok, err, path
end

local RULE = [[per_case { each = 0.2, evidence = "admission",
    cases = "SELECT id AS key, 'C1' AS county FROM admission" }]]

describe("scorecard language", function()
  it("accepts a minimal scorecard", function()
    assert.is_true(check("ok.lua", [[
return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "county" },
  item { no = "1", text = "x", rule = ]] .. RULE .. [[ } }]]))
  end)

  it("accepts exactly the kinds of subject in the host's table (core/kinds.c), city included",
     function()
    local function declare(kind)
      return check("kind-" .. kind .. ".lua", string.format([[
return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { %q },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "admission",
    cases = "SELECT id AS key, 'X' AS %s FROM admission" } } }]], kind, kind))
    end
    local names = {}
    for _, k in ipairs(kaohe.kinds) do
      names[#names + 1] = k.name
      local ok, err = declare(k.name)
      assert.is_true(ok, err)
    end
    assert.is_truthy(table.concat(names, " "):find("city", 1, true))
    local ok, err, path = declare("province")
    assert.is_nil(ok)
    assert.matches(path .. ':1: scorecard: unknown subject kind "province" (known: ' ..
                   table.concat(names, ", ") .. ")", err, 1, true)
  end)

  it("reports a duplicate item number with both lines", function()
    local ok, err, path = check("dup.lua", [[
return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "county" },
  item { no = "1", text = "x", rule = ]] .. RULE .. [[ },
  item { no = "1", text = "y", rule = ]] .. RULE .. [[ },
}]])
    assert.is_nil(ok)
    assert.matches(path .. ":4: item 1: duplicate item number (first at line 2)", err, 1, true)
  end)

  it("refuses points that do not add up to the declared total, showing the arithmetic", function()
    local ok, err, path = check("total.lua", [[
return scorecard { id = "t", title = "测试", total = 100, subjects = { "county" },
  item { no = "1", text = "x", points = 50, rule = ]] .. RULE .. [[ },
  item { no = "2", text = "y", points = 45, rule = ]] .. RULE .. [[ },
}]])
    assert.is_nil(ok)
    assert.matches(path .. ":1: scorecard: item points add up to 95 (50+45), not the declared total 100",
                   err, 1, true)
  end)

  it("names an unknown field in an item", function()
    local ok, err, path = check("field.lua", [[
return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "county" },
  item { no = "7", text = "x", pionts = 3, rule = ]] .. RULE .. [[ } }]])
    assert.is_nil(ok)
    assert.matches(path .. ":2: item 7: unknown field 'pionts'", err, 1, true)
  end)

  it("names SQL that does not prepare against the evidence schema", function()
    local ok, err, path = check("sql.lua", [[
return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "county" },
  item { no = "3", text = "x",
    rule = per_case { each = 0.2, evidence = "admission",
      cases = "SELECT id AS key, county AS county FROM admision" } } }]])
    assert.is_nil(ok)
    assert.matches(path .. ":3: item 3: SQL error: no such table: admision", err, 1, true)
  end)

  it("names a missing rule", function()
    local ok, err, path = check("norule.lua", [[
return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "county" },
  item { no = "2", text = "x" } }]])
    assert.is_nil(ok)
    assert.matches(path .. ":2: item 2: rule is missing", err, 1, true)
  end)

  it("refuses a third decimal in points", function()
    local ok, err, path = check("dec.lua", [[
return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "county" },
  item { no = "1", text = "x", rule = per_case { each = 0.125, evidence = "admission",
    cases = "SELECT id AS key, 'C1' AS county FROM admission" } } }]])
    assert.is_nil(ok)
    assert.matches(path .. ":2: item 1: each 0.125 has more than two decimals", err, 1, true)
  end)

  it("reports a file that does not return a scorecard", function()
    local ok, err, path = check("noreturn.lua", "local x = 1\n")
    assert.is_nil(ok)
    assert.matches(path .. ": does not return a scorecard", err, 1, true)
  end)

  it("refuses a subject id the subject table does not have, rather than dropping the case",
     function()
    local path = kh.scorecard("ghost.lua", [[
return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "township" },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "admission",
    cases = "SELECT id AS key, 'T9' AS township FROM admission" } } }]])
    local ok, err = kaohe.run { evidence = db, scorecards = { path }, period = "2018" }
    assert.is_nil(ok)
    assert.matches(path .. ":2: item 1: a row names township 'T9', which is not in the township table",
                   err, 1, true)
  end)

  it("marks a subject the deduct_if query does not return as 待核实, not as 0 or full", function()
    local path = kh.scorecard("pending.lua", [[
return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "township" },
  item { no = "1", text = "x", rule = deduct_if { deduct = 1,
    sql = "SELECT 'T1' AS township, 1 AS failed" } } }]])
    local r = assert(kaohe.run { evidence = db, scorecards = { path }, period = "2018" })
    assert.equal(-100, r.scores.t.township.T1["1"].points_x100)
    assert.equal("pending", r.scores.t.township.T2["1"].status)
    assert.is_nil(r.scores.t.township.T2["1"].points_x100)
    assert.equal(1, r.totals.t.township.T2.pending)
  end)

  it("caps a per-case deduction and still records every case", function()
    -- 8 admissions in the fixture, 0.2 each = 1.6, capped at 1 → -1; all 8 listed
    local path = kh.scorecard("cap.lua", [[
return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "county" },
  item { no = "1", text = "x", rule = per_case { each = 0.2, cap = 1, evidence = "admission",
    cases = "SELECT id AS key, 'C1' AS county FROM admission" } } }]])
    local r = assert(kaohe.run { evidence = db, scorecards = { path }, period = "2018" })
    assert.equal(-100, r.scores.t.county.C1["1"].points_x100)
    assert.equal(8, #r.deductions)
    local sum = 0
    for _, d in ipairs(r.deductions) do sum = sum + d.points_x100 end
    assert.equal(100, sum)
  end)
end)

describe("kaohe check on broken variants of the official forms", function()
  local T = require "kaohe.testing"
  local rows = dofile("tests/spec/fixtures/small_county.lua")

  -- Copies a bundled scorecard with one textual change; fails if the change did not apply.
  local function variant(name, from, pattern, replacement)
    local f = assert(io.open(from))
    local text = f:read("a")
    f:close()
    local changed, n = text:gsub(pattern, replacement, 1)
    assert(n == 1, "pattern not found in " .. from .. ": " .. pattern)
    return kh.scorecard(name, changed), changed
  end

  local function line_of(text, needle)
    local n = 0
    for l in (text .. "\n"):gmatch("(.-)\n") do
      n = n + 1
      if l:find(needle, 1, true) then return n end
    end
  end

  it("passes the three bundled scorecards", function()
    assert.is_true(kaohe.check { evidence = db, scorecards = {
      "scorecards/post_assessment_deductions.lua", "scorecards/bazhua_cadre_2018.lua",
      "scorecards/wudu_2018.lua" } })
  end)

  it("refuses a 五督 scorecard claiming 100 points, with the arithmetic", function()
    local path, text = variant("wudu100.lua", "scorecards/wudu_2018.lua", "total = 95,", "total = 100,")
    local ok, err = kaohe.check { evidence = db, scorecards = { path } }
    assert.is_nil(ok)
    assert.matches(path .. ":" .. line_of(text, "return scorecard {") ..
      ": scorecard: item points add up to 95 (5+5+4+4+4+4+4+4+4+4+4+4+5+5+4+4+4+4+2+2+2+2+2+2+2+5), not the declared total 100",
      err, 1, true)
  end)

  it("names a missing item number", function()
    local path, text = variant("gap.lua", "scorecards/wudu_2018.lua", 'no = "5", points = 4,', 'no = "50", points = 4,')
    local ok, err = kaohe.check { evidence = db, scorecards = { path } }
    assert.is_nil(ok)
    assert.matches(path .. ":" .. line_of(text, 'no = "50"') ..
      ": item 50: numbering jumps from 4 to 50 (an item missing or out of order?)", err, 1, true)
  end)

  it("names an unknown rule kind", function()
    local path, text = variant("kind.lua", "scorecards/wudu_2018.lua", "rule = finding { yes = 4, no = 0 } },",
                               "rule = findng { yes = 4, no = 0 } },")
    local ok, err = kaohe.check { evidence = db, scorecards = { path } }
    assert.is_nil(ok)
    assert.matches(path .. ":" .. line_of(text, "findng") .. ": undeclared global 'findng' (not a rule kind",
                   err, 1, true)
  end)

  it("names a threshold parameter the scorecard does not declare", function()
    local path, text = variant("param.lua", "scorecards/wudu_2018.lua", 'threshold = "awareness_rate"',
                               'threshold = "awarenes_rate"')
    local ok, err = kaohe.check { evidence = db, scorecards = { path } }
    assert.is_nil(ok)
    -- the message points at the rule (`rule = rate_at_least {`), one line above the threshold
    assert.matches(path .. ":" .. (line_of(text, "awarenes_rate") - 1) ..
      ": item 26: rate_at_least: threshold parameter 'awarenes_rate' is not declared in the scorecard's params",
      err, 1, true)
  end)

  it("names SQL that uses an undeclared parameter", function()
    local path, text = variant("sqlparam.lua", "scorecards/wudu_2018.lua", ">= :missing_cards AS failed",
                               ">= :missing_card AS failed")
    local ok, err = kaohe.check { evidence = db, scorecards = { path } }
    assert.is_nil(ok)
    assert.matches(": item 17: SQL uses unknown parameter :missing_card (known: :period, :period_start",
                   err, 1, true)
  end)

  it("names SQL with an unknown column", function()
    local path = variant("col.lua", "scorecards/wudu_2018.lua", "coalesce%(sum%(s.aware%), 0%) AS num",
                         "coalesce(sum(s.awareness), 0) AS num")
    local ok, err = kaohe.check { evidence = db, scorecards = { path } }
    assert.is_nil(ok)
    assert.matches(path .. ":%d+: item 26: SQL error: no such column: s.awareness", err)
  end)

  it("names a finding whose item number is not on the form", function()
    local bad = {}
    for k, v in pairs(rows) do bad[k] = v end
    bad.finding = { { id = "G-X", scorecard = "huining-bazhua-2018", item = "3.3",
      subject_kind = "cadre", subject_id = "K1", period = "2018", answer = "是",
      inspector = "x", inspected_on = "2018-12-01" } }
    local db2 = T.evidence(bad)
    local ok, err = kaohe.check { evidence = db2, scorecards = { "scorecards/bazhua_cadre_2018.lua" } }
    assert.is_nil(ok)
    assert.equal("scorecards/bazhua_cadre_2018.lua finding G-X names item 3.3, which scorecard huining-bazhua-2018 does not have", err)
  end)

  it("names a finding recorded for an item computed from evidence", function()
    local bad = {}
    for k, v in pairs(rows) do bad[k] = v end
    bad.finding = { { id = "G-Y", scorecard = "huining-bazhua-2018", item = "3.1",
      subject_kind = "cadre", subject_id = "K1", period = "2018", answer = "是",
      inspector = "x", inspected_on = "2018-12-01" } }
    local ok, err = kaohe.check { evidence = T.evidence(bad), scorecards = { "scorecards/bazhua_cadre_2018.lua" } }
    assert.is_nil(ok)
    assert.matches("item 3.1: finding G-Y is recorded, but this item is computed from evidence", err, 1, true)
  end)

  it("refuses a 部分 score outside the item's points when running", function()
    local bad = {}
    for k, v in pairs(rows) do bad[k] = v end
    bad.finding = { { id = "G-Z", scorecard = "huining-bazhua-2018", item = "9",
      subject_kind = "cadre", subject_id = "K1", period = "2018", answer = "部分", score = 7,
      inspector = "x", inspected_on = "2018-12-01" } }
    local ok, err = kaohe.run { evidence = T.evidence(bad), scorecards = { "scorecards/bazhua_cadre_2018.lua" } }
    assert.is_nil(ok)
    assert.matches("item 9: finding G-Z: 部分 needs a score between 0 and 5 (found '7.0')", err, 1, true)
  end)
end)

describe("points mode", function()
  it("floors a per-case deduction at zero", function()
    -- 8 admissions × 1 point against an item worth 3: 3 lost, not 8; the item scores 0
    local path = kh.scorecard("floor.lua", [[
return scorecard { id = "f", title = "测试", total = 3, subjects = { "county" }, period = "2018",
  item { no = "1", text = "x", points = 3, rule = per_case { each = 1, evidence = "admission",
    cases = "SELECT id AS key, 'C1' AS county FROM admission" } } }]])
    local r = assert(kaohe.run { evidence = db, scorecards = { path } })
    assert.equal(0, r.scores.f.county.C1["1"].points_x100)
    assert.equal(0, r.totals.f.county.C1.total_x100)
    local sum = 0
    for _, d in ipairs(r.deductions) do sum = sum + d.points_x100 end
    assert.equal(300, sum)
  end)
end)
