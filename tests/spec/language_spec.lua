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
