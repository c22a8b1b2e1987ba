-- Typical authoring mistakes and the exact message each gets (Scorecard language v2, items 8
-- and 10: strict declarations, and a loader that cannot be crashed). Every table the language
-- and kaohe.testing take refuses a field it does not take, naming the nearest one it does;
-- whatever a file returns or raises, the message names the file and the line.
local kaohe = kh.kaohe
local T = require "kaohe.testing"

local db = kh.evidence("mistakes.db", "fixtures/small/post_assessment.sql")

-- Checks the scorecard `text` (written as `name`); returns the error and the file's path.
local function refused(name, text)
  local path = kh.scorecard(name, text)
  local ok, err = kaohe.check { evidence = db, scorecards = { path } }
  assert.is_nil(ok, "accepted: " .. text)
  return err, path
end

-- The header and a rule most cases share: deduction mode needs neither points nor a total.
local HEAD = 'return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "county" },\n'
local RULE = 'deduct_if { deduct = 1, sql = "SELECT \'C1\' AS county, 0 AS failed" }'

-- "FILE:LINE" of the caller's line: where an error raised at level 2 of a kaohe.testing call
-- written on that same line points.
local function here()
  local info = debug.getinfo(2, "Sl")
  return info.short_src .. ":" .. info.currentline
end

-- The message `fn` fails with.
local function error_of(fn)
  local ok, err = pcall(fn)
  assert.is_false(ok)
  return err
end

describe("strict declarations: a misspelt field is refused with the nearest it could be", function()
  it("1. in an item", function()
    local err, path = refused("m1.lua", HEAD .. '  item { no = "7", text = "x", pionts = 3, rule = ' .. RULE .. ' } }')
    assert.equal(path .. ":2: item 7: unknown field 'pionts' (did you mean 'points'?)", err)
  end)

  it("2. in a section: the 问责主体 is no longer dropped in silence", function()
    local err, path = refused("m2.lua", HEAD .. '  section "甲" { acountable = "签约团队。",\n' ..
                              '    item { no = "1", text = "x", rule = ' .. RULE .. ' } } }')
    assert.equal(path .. ":2: section \"甲\": unknown field 'acountable' (did you mean 'accountable'?)", err)
  end)

  it("3. in a rule (and the field it meant is then missing)", function()
    local err, path = refused("m3.lua", HEAD .. '  item { no = "1", text = "x",\n' ..
                              '    rule = deduct_if { dedcut = 1, sql = "SELECT 1" } } }')
    assert.equal(path .. ":3: item 1: deduct_if: unknown field 'dedcut' (did you mean 'deduct'?)\n" ..
                 path .. ":3: item 1: deduct_if: 'deduct' is required", err)
  end)

  it("4. a rule kind: an undeclared global, with the kind it is nearest", function()
    local err, path = refused("m4.lua", HEAD .. '  item { no = "1", text = "x", rule = findng { } } }')
    assert.equal(path .. ":2: undeclared global 'findng' (not a rule kind or function of the scorecard " ..
                 "language; declare your own variables with 'local'); did you mean 'finding'?", err)
  end)

  it("5. in the scorecard's header (and the field it meant is then missing)", function()
    local err, path = refused("m5.lua", 'return scorecard { id = "t", titel = "测试", mode = "deduction",\n' ..
                              '  subjects = { "county" }, item { no = "1", text = "x", rule = ' .. RULE .. ' } }')
    assert.equal(path .. ":1: scorecard: unknown field 'titel' (did you mean 'title'?)\n" ..
                 path .. ":1: scorecard: 'title' is required text", err)
  end)

  it("6. in a rule's evidence = { table =, sql = }", function()
    local err, path = refused("m6.lua", HEAD .. '  item { no = "1", text = "x",\n' ..
                              '    rule = deduct_if { deduct = 1, sql = "SELECT 1",\n' ..
                              '      evidence = { tabel = "county", sql = "SELECT 1" } } } }')
    assert.equal(path .. ":3: item 1: deduct_if: evidence: unknown field 'tabel' (did you mean 'table'?)", err)
  end)

  it("7. in a parameter: it is { default, \"说明\" } and nothing else", function()
    local err, path = refused("m7.lua", HEAD .. '  params = { rate = { 0.9, desc = "下限" } },\n' ..
                              '  item { no = "1", text = "x", rule = ' .. RULE .. ' } }')
    assert.equal(path .. ":1: scorecard: parameter rate: unknown field 'desc' (a parameter is { default, \"说明\" })", err)
  end)

  it("8. in a grade: it is { \"等次\", minimum } and nothing else", function()
    local err, path = refused("m8.lua", HEAD .. '  grades = { { "好", 90, max = 100 } },\n' ..
                              '  item { no = "1", text = "x", rule = ' .. RULE .. ' } }')
    assert.equal(path .. ":1: scorecard: grade 1: unknown field 'max' (a grade is { \"等次\", minimum points })", err)
  end)

  it("9. a subject kind", function()
    local err, path = refused("m9.lua", 'return scorecard { id = "t", title = "测试", mode = "deduction",\n' ..
                              '  subjects = { "vilage" }, item { no = "1", text = "x", rule = ' .. RULE .. ' } }')
    local names = {}
    for _, k in ipairs(kaohe.kinds) do names[#names + 1] = k.name end
    assert.equal(path .. ':1: scorecard: unknown subject kind "vilage" (known: ' .. table.concat(names, ", ") ..
                 '); did you mean "village"?', err)
  end)

  it("10. a threshold parameter", function()
    local err, path = refused("m10.lua", 'return scorecard { id = "t", title = "测试", total = 4,\n' ..
                              '  subjects = { "county" }, params = { sign_rate = { 0.95, "签约率下限" } },\n' ..
                              '  item { no = "1", text = "x", points = 4,\n' ..
                              '    rule = rate_at_least { threshold = "sign_rat", sql = "SELECT 1" } } }')
    assert.equal(path .. ":4: item 1: rate_at_least: threshold parameter 'sign_rat' is not declared " ..
                 "in the scorecard's params (did you mean 'sign_rate'?)", err)
  end)
end)

describe("strict declarations: values of the wrong kind", function()
  it("11. a section's note must be text", function()
    local err, path = refused("m11.lua", HEAD .. '  section "甲" { note = 5,\n' ..
                              '    item { no = "1", text = "x", rule = ' .. RULE .. ' } } }')
    assert.equal(path .. ":2: section \"甲\": 'note' must be text", err)
  end)

  it("12. a parameter's default must be a number or text", function()
    local err, path = refused("m12.lua", HEAD .. '  params = { rate = { true, "下限" } },\n' ..
                              '  item { no = "1", text = "x", rule = ' .. RULE .. ' } }')
    assert.equal(path .. ":1: scorecard: parameter rate: default must be a number or text", err)
  end)

  it("13. a grade needs its minimum", function()
    local err, path = refused("m13.lua", HEAD .. '  grades = { { "好" } },\n' ..
                              '  item { no = "1", text = "x", rule = ' .. RULE .. ' } }')
    assert.equal(path .. ':1: scorecard: grade 1 must be { "等次", minimum points }', err)
  end)

  it("14. the period is text", function()
    local err, path = refused("m14.lua", 'return scorecard { id = "t", title = "测试", period = 2018,\n' ..
                              '  mode = "deduction", subjects = { "county" },\n' ..
                              '  item { no = "1", text = "x", rule = ' .. RULE .. ' } }')
    assert.equal(path .. ':1: scorecard: \'period\' must be text such as "2018"', err)
  end)

  it("15. points have at most two decimals (and then the total is not added up)", function()
    local err, path = refused("m15.lua", 'return scorecard { id = "t", title = "测试", total = 5, subjects = { "county" },\n' ..
                              '  item { no = "1", text = "x", points = 2.125, rule = ' .. RULE .. ' },\n' ..
                              '  item { no = "2", text = "y", points = 2.875, rule = ' .. RULE .. ' } }')
    assert.equal(path .. ":2: item 1: points 2.125 has more than two decimals\n" ..
                 path .. ":3: item 2: points 2.875 has more than two decimals", err)
  end)
end)

describe("declarations that do not add up", function()
  it("16. duplicate item numbers (which the numbering check sees as well)", function()
    local err, path = refused("m16.lua", HEAD .. '  item { no = "1", text = "x", rule = ' .. RULE .. ' },\n' ..
                              '  item { no = "1", text = "y", rule = ' .. RULE .. ' } }')
    assert.equal(path .. ":3: item 1: duplicate item number (first at line 2)\n" ..
                 path .. ":3: item 1: numbering jumps from 1 to 1 (an item missing or out of order?)", err)
  end)

  it("17. a total the items do not add up to", function()
    local err, path = refused("m17.lua", 'return scorecard { id = "t", title = "测试", total = 10, subjects = { "county" },\n' ..
                              '  item { no = "1", text = "x", points = 4, rule = ' .. RULE .. ' },\n' ..
                              '  item { no = "2", text = "y", points = 5, rule = ' .. RULE .. ' } }')
    assert.equal(path .. ":1: scorecard: item points add up to 9 (4+5), not the declared total 10", err)
  end)
end)

describe("the loader cannot be crashed or fooled", function()
  it("18. a table that only looks like a declaration", function()
    local err, path = refused("m18.lua", "return { kaohe_scorecard = true }\n")
    assert.equal(path .. ": does not return a scorecard (the file must end with `return scorecard { ... }`)", err)
  end)

  it("19. an error object whose __tostring never returns", function()
    local err, path = refused("m19.lua", "error(setmetatable({}, {__tostring = function() while true do end end}))\n")
    assert.equal(path .. ":1: (error object is a table value)", err)
  end)

  it("20. a rule forged by hand", function()
    local err, path = refused("m20.lua", HEAD .. '  item { no = "1", text = "x", rule = { kind = "finding" } } }')
    assert.equal(path .. ":2: item 1: rule is missing or is not a rule (use finding{...}, check{...}, " ..
                 "rate_at_least{...}, per_case{...} or deduct_if{...})", err)
  end)

  it("21. a declaration changed after the language checked it", function()
    local err, path = refused("m21.lua", "local card = " .. HEAD:gsub("^return ", "") ..
                              '  item { no = "1", text = "x", rule = ' .. RULE .. ' } }\n' ..
                              "card.total = 100\nreturn card\n")
    assert.equal(path .. ":3: a scorecard declaration cannot be read or changed after scorecard { ... } " ..
                 "has checked it: return it as it is", err)
  end)

  it("22. a variable without `local`", function()
    local err, path = refused("m22.lua", 'SQL = "SELECT 1"\n' .. HEAD ..
                              '  item { no = "1", text = "x", rule = ' .. RULE .. ' } }')
    assert.equal(path .. ":1: assignment to undeclared global 'SQL' (declare it with 'local')", err)
  end)
end)

describe("kaohe.testing is as strict as the language", function()
  -- One county C1; item 1's query returns failed = 0 for it, so it is 合格 with nothing lost.
  local ev = T.evidence { county = { { id = "C1", name = "测试县", province = "测试省" } } }
  local card = kh.scorecard("mistakes_testing.lua", 'return scorecard { id = "mistakes", title = "测试",\n' ..
                            '  mode = "deduction", subjects = { "county" },\n' ..
                            '  item { no = "1", text = "x", rule = ' .. RULE .. ' } }')
  -- the evidence holds a county and nothing dated: intended here (--allow-empty)
  local r = T.run { scorecard = card, evidence = ev, period = "2018", allow_empty = true }

  it("23. T.expect with a misspelt key fails instead of passing and counting as covered", function()
    local at, err = here(), error_of(function() T.expect(r, "county", "C1", { ["1"] = { point = 99 } }) end)
    assert.equal(at .. ": T.expect county C1 item 1: unknown field 'point' (did you mean 'points'?)", err)
    assert.same({ "1" }, T.uncovered("mistakes"))
  end)

  it("24. T.expect with an expectation that states nothing", function()
    local at, err = here(), error_of(function() T.expect(r, "county", "C1", { ["1"] = {} }) end)
    assert.equal(at .. ": T.expect county C1 item 1: the expectation states nothing (give points, status or veto)", err)
  end)

  it("25. T.expect with a misspelt status", function()
    local at, err = here(), error_of(function() T.expect(r, "county", "C1", { ["1"] = "合各" }) end)
    assert.equal(at .. ': unknown status "合各" (did you mean "合格"?)', err)
  end)

  it("26. T.expect_total with a misspelt key", function()
    local at, err = here(), error_of(function() T.expect_total(r, "county", "C1", { grad = "好" }) end)
    assert.equal(at .. ": T.expect_total county C1: unknown field 'grad' (did you mean 'grade'?)", err)
  end)

  it("27. T.run with a misspelt option", function()
    local at, err = here(), error_of(function() T.run { scorecards = card, evidence = ev } end)
    assert.equal(at .. ": T.run: unknown field 'scorecards' (did you mean 'scorecard'?)", err)
  end)

  it("and the expectations as meant pass", function()
    T.expect(r, "county", "C1", { ["1"] = { points = 0, status = "合格" } })
    T.expect_total(r, "county", "C1", { total = 0, rank = 1 })
    assert.same({}, T.uncovered("mistakes"))
  end)
end)

describe("docs/examples/strict_declarations.lua", function()
  -- Worked out by hand. 甲村 V1 has a 村卫生室 (I1): item 1 合格, 6; its finding for item 2 is
  -- 是: 4; total 10 → 好 (9 and above). 乙村 V2 has none: item 1 扣分, 0, with V2 itself as the
  -- evidence row behind the 6 lost points; its finding G2 is 否: 0, the finding row behind the
  -- 4 lost; total 0 → 差. Two deduction rows, both V2's.
  local function finding(id, village, answer)
    return { id = id, scorecard = "strict-example-2019", item = "2", subject_kind = "village",
             subject_id = village, period = "2019", answer = answer, inspector = "督查组",
             inspected_on = "2019-12-01" }
  end
  local ev = T.evidence {
    county = { { id = "C1", name = "测试县", province = "测试省" } },
    township = { { id = "T1", county_id = "C1", name = "甲镇" } },
    village = { { id = "V1", township_id = "T1", name = "甲村" }, { id = "V2", township_id = "T1", name = "乙村" } },
    institution = { { id = "I1", name = "甲村卫生室", kind = "村卫生室", village_id = "V1", in_county = 1 } },
    finding = { finding("G1", "V1", "是"), finding("G2", "V2", "否") },
  }
  local results = kh.path("strict_example_results.db")
  local r = T.run { scorecard = "docs/examples/strict_declarations.lua", evidence = ev, period = "2019",
                    results = results }

  it("scores as worked out by hand", function()
    T.expect(r, "village", "V1", { ["1"] = { points = 6, status = "合格" }, ["2"] = 4 })
    T.expect_total(r, "village", "V1", { total = 10, grade = "好" })
    T.expect(r, "village", "V2", { ["1"] = { points = 0, status = "扣分" }, ["2"] = { points = 0, status = "扣分" } })
    T.expect_total(r, "village", "V2", { total = 0, grade = "差" })
    assert.same({}, T.uncovered("strict-example-2019"))
    local rows = {}
    for _, d in ipairs(r.deductions) do
      rows[#rows + 1] = table.concat({ d.subject, d.item, d.points_x100, d.table, d.key }, " ")
    end
    table.sort(rows)
    assert.same({ "V2 1 600 village V2", "V2 2 400 finding G2" }, rows)
  end)

  -- The rows `sql` selects from the database at `path`, as sqlite3 prints them.
  local function query(path, sql)
    local p = assert(io.popen(string.format("sqlite3 -separator '|' %q %q", path, sql)))
    local out = p:read("a")
    p:close()
    return out
  end

  it("stores the notes of the scorecard, its section and its items with the run", function()
    local run = " WHERE run_id = " .. r.run_id
    assert.equal("年度考核；9分以上为好\n", query(results, "SELECT note FROM run_scorecard" .. run))
    assert.equal("1|以机构名册和现场核查为准|有得6分，无不得分\n2|以机构名册和现场核查为准|\n",
                 query(results, "SELECT item, section_note, note FROM item" .. run .. " ORDER BY seq"))
  end)

  it("adds the note columns, at the end, to a results database written before them", function()
    local old = kh.path("old_results.db")
    os.remove(old)
    assert(os.execute(string.format("sqlite3 %q %q", old,
      "CREATE TABLE run_scorecard (run_id INTEGER NOT NULL, scorecard_id TEXT NOT NULL, title TEXT," ..
      " source TEXT, file TEXT NOT NULL, sha256 TEXT NOT NULL, mode TEXT NOT NULL, total REAL);" ..
      "CREATE TABLE item (run_id INTEGER NOT NULL, scorecard_id TEXT NOT NULL, seq INTEGER NOT NULL," ..
      " item TEXT NOT NULL, section TEXT, text TEXT, per TEXT, max_points REAL, accountable TEXT);")))
    T.run { scorecard = "docs/examples/strict_declarations.lua", evidence = ev, period = "2019", results = old }
    assert.equal("total|note\n", query(old, "SELECT group_concat(name, '|') FROM " ..
      "(SELECT name FROM pragma_table_info('run_scorecard') WHERE cid >= 7)"))
    assert.equal("1|乡镇卫生院。|有得6分，无不得分|以机构名册和现场核查为准\n",
                 query(old, "SELECT item, accountable, note, section_note FROM item WHERE seq = 1"))
  end)

  it("refuses the section's 问责主体 misspelt", function()
    local f = assert(io.open("docs/examples/strict_declarations.lua"))
    local text = f:read("a")
    f:close()
    local changed, n = text:gsub('accountable = "乡镇卫生院。"', 'acountable = "乡镇卫生院。"')
    assert.equal(1, n)
    local line = select(2, text:sub(1, text:find('section "村卫生室建设" {', 1, true)):gsub("\n", "")) + 1
    local path = kh.scorecard("strict_misspelt.lua", changed)
    local ok, err = kaohe.check { evidence = db, scorecards = { path } }
    assert.is_nil(ok)
    assert.equal(path .. ":" .. line .. ": section \"村卫生室建设\": unknown field 'acountable' " ..
                 "(did you mean 'accountable'?)", err)
  end)
end)
