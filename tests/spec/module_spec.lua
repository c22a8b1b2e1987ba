-- The Lua module's API checks every argument before it uses it (issue 18, item 9): a wrong type
-- raises naming the argument and the field or entry, instead of a segfault (a row that was not
-- a table), a silent nil (a field of the wrong type), or memory and a temporary file leaked by
-- a raise halfway through. Expected messages are the module's own words, written out here.
local kaohe = kh.kaohe

-- The error a call raises (fails if it does not raise).
local function raised(f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok)
  return err
end

-- Files in the scratch directory whose name starts with `prefix`.
local function beside(prefix)
  local found = {}
  local p = io.popen("ls -a " .. kh.tmp)
  for name in p:lines() do
    if name:sub(1, #prefix) == prefix then found[#found + 1] = name end
  end
  p:close()
  return found
end

local COUNTY = { id = "C1", name = "测试县", province = "测试省" }

describe("kaohe.evidence_from_tables refuses rows it cannot write", function()
  it("a row that is not a table (once a segfault): raised, nothing left beside the path", function()
    local path = kh.path("rows.db")
    assert.are.equal("evidence_from_tables: county row 2: a number, not a table of column = value",
      raised(kaohe.evidence_from_tables, path, { county = { COUNTY, 5 } }))
    -- the writer is aborted as the raise unwinds (a to-be-closed box), not at some later
    -- collection: no database, no temporary file, right away
    assert.are.same({}, beside("rows.db"))
  end)

  it("a value of no column type, a key that is not a column name", function()
    local path = kh.path("values.db")
    assert.are.equal("evidence_from_tables: county row 1 column name: a table, not a number, string or boolean",
      raised(kaohe.evidence_from_tables, path, { county = { { id = "C1", name = {}, province = "p" } } }))
    assert.are.equal("evidence_from_tables: county row 1: a key of type number, not a column name",
      raised(kaohe.evidence_from_tables, path, { county = { { "C1" } } }))
    assert.are.same({}, beside("values.db"))
  end)

  it("an unknown table: nil and the message (once the table's name came back first)", function()
    local ok, err = kaohe.evidence_from_tables(kh.path("unknown.db"), { nosuch = {} })
    assert.is_nil(ok)
    assert.are.equal("unknown evidence table 'nosuch'", err)
    assert.are.same({}, beside("unknown.db"))
  end)

  it("arguments of the wrong type", function()
    assert.are.equal("bad argument #1 to 'kaohe.evidence_from_tables' (string expected, got number)",
      raised(kaohe.evidence_from_tables, 1, {}))
    assert.are.equal("bad argument #2 to 'kaohe.evidence_from_tables' (table expected, got string)",
      raised(kaohe.evidence_from_tables, kh.path("x.db"), "county"))
    assert.are.equal("bad argument #3 to 'kaohe.evidence_from_tables' (string expected, got table)",
      raised(kaohe.evidence_from_tables, kh.path("x.db"), {}, {}))
  end)

  it("good rows still make a database", function()
    local path = kh.path("good.db")
    assert.is_true(kaohe.evidence_from_tables(path, { county = { COUNTY } }))
    assert.are.same({ "good.db" }, beside("good.db"))
  end)
end)

describe("kaohe.run, kaohe.check and kaohe.build_evidence check their fields", function()
  it("names the field or the entry that is wrong", function()
    assert.are.equal("bad argument #1 to 'kaohe.run' (field evidence: a string expected, got table)",
      raised(kaohe.run, { evidence = {}, scorecards = {} }))
    assert.are.equal("bad argument #1 to 'kaohe.run' (scorecards[2]: a file name expected, got number)",
      raised(kaohe.run, { evidence = "x.db", scorecards = { "a.lua", 42 } }))
    assert.are.equal("bad argument #1 to 'kaohe.run' (field params: a parameter name expected, got number)",
      raised(kaohe.run, { evidence = "x.db", scorecards = { "a.lua" }, params = { "x" } }))
    assert.are.equal("bad argument #1 to 'kaohe.run' (field params: a table of name = value expected, got string)",
      raised(kaohe.run, { evidence = "x.db", scorecards = { "a.lua" }, params = "x" }))
    assert.are.equal("bad argument #1 to 'kaohe.run' (field memory_limit: an integer expected, got string)",
      raised(kaohe.run, { evidence = "x.db", scorecards = { "a.lua" }, memory_limit = "lots" }))
    assert.are.equal("bad argument #1 to 'kaohe.check' (field scorecards: a file name or a list of them expected, got number)",
      raised(kaohe.check, { scorecards = 5 }))
    assert.are.equal("bad argument #2 to 'kaohe.build_evidence' (files[1]: a file name expected, got number)",
      raised(kaohe.build_evidence, kh.path("b.db"), { 1 }))
  end)

  it("a period given as a number is still the period", function()
    local db = kh.evidence("period.db", "fixtures/small/post_assessment.sql")
    local r = assert(kaohe.run { evidence = db, period = 2018,
      scorecards = { kh.home .. "/scorecards/post_assessment_deductions.lua" } })
    assert.are.equal("2018", r.period)
  end)
end)
