-- Shared sets (scorecard language v2, item 6): named SELECTs the engine makes once per run,
-- before any item, as the read-only tables sets.NAME.
--
-- Fixture: fixtures/small/post_assessment.sql, period 2018. Worked out by hand:
--   poor_person (docs/examples/shared/health_sets.lua: low_income = 1 and household 建档立卡 /
--     已脱贫 / 兜底保障): P1 (H1 建档立卡, 甲镇) and P3 (H2 已脱贫, 乙乡) → 2 rows.
--     P2 is not low-income; P4's household H3 is 边缘户.
--   admission_in_county (2018, institution in_county = 1): A1 A2 A3 A4 A5 A8 → 6 rows.
--     A6 was at I4 (out of county); A7 was admitted 2017-12-20.
--   deposit_taken (docs/examples/shared_sets.lua: 住院, deposit > 0, 2018): A2 (500.00 元, I3),
--     A4 (1000.00 元, I2), A6 (2000.00 元, I4) → 3 rows. A8 is 门诊慢特病.
local kaohe = kh.kaohe

local db = kh.evidence("sets.db", "fixtures/small/post_assessment.sql")
local EXAMPLE = kh.home .. "/docs/examples/shared_sets.lua"
local SHARED = kh.home .. "/docs/examples/shared/health_sets.lua"

-- The shared file's SQL, read as plain Lua (sets { ... } returns its table), for writing the
-- same queries inline.
local SQL = {}
do
  local chunk = assert(loadfile(SHARED, "t", { sets = function(t) return t end }))
  for name, set in pairs(chunk()) do SQL[name] = set.sql end
end

-- A scratch folder holding the shared file as shared/health_sets.lua, for scorecards there.
local dir = kh.path("cards")
os.execute("mkdir -p " .. dir .. "/shared")
local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  return path
end
write(dir .. "/shared/health_sets.lua", assert(io.open(SHARED)):read("a"))

local function card(name, text) return write(dir .. "/" .. name, text) end

-- Two scorecards reading poor_person and admission_in_county, with the sets (use_sets) or the
-- same SQL written inline as subqueries.
local function card_a(id, use_sets)
  local function from(set) return use_sets and ("sets." .. set) or ("(" .. SQL[set] .. ")") end
  return card(id .. ".lua", string.format([==[
return scorecard { id = %q, title = "A", mode = "deduction", subjects = { "county", "township" },
  %s
  item { no = "1", text = "一站式", rule = per_case { each = 0.2, evidence = "admission",
    cases = [[SELECT a.id AS key, pp.county_id AS county, pp.township_id AS township
              FROM %s a JOIN %s pp ON pp.id = a.person_id WHERE a.one_stop = 0]] } },
  item { no = "2", text = "住院", rule = per_case { each = 0.1, evidence = "admission",
    cases = [[SELECT a.id AS key, pp.county_id AS county, pp.township_id AS township
              FROM %s a JOIN %s pp ON pp.id = a.person_id WHERE a.kind = '住院']] } },
}]==], id, use_sets and 'sets = { include "shared/health_sets.lua" },' or "",
    from("admission_in_county"), from("poor_person"), from("admission_in_county"),
    from("poor_person")))
end

local function card_b(id, use_sets)
  local from = use_sets and "sets.poor_person" or ("(" .. SQL.poor_person .. ")")
  return card(id .. ".lua", string.format([==[
return scorecard { id = %q, title = "B", mode = "deduction", subjects = { "township" },
  %s
  item { no = "1", text = "未签约", rule = per_case { each = 0.5, evidence = "person",
    cases = [[SELECT pp.id AS key, pp.township_id AS township FROM %s pp
              WHERE NOT EXISTS (SELECT 1 FROM contract k WHERE k.person_id = pp.id)]] } },
}]==], id, use_sets and 'sets = { include "shared/health_sets.lua" },' or "", from))
end

local function check(path)
  return kaohe.check { evidence = db, scorecards = type(path) == "table" and path or { path } }
end

local function run(paths, opts)
  opts = opts or {}
  return kaohe.run { evidence = db, scorecards = paths, period = "2018", jobs = opts.jobs,
                     params = opts.params, results = opts.results }
end

-- score rows of scorecard `id` as "kind subject item points_x100 status cases reason" lines
local function score_lines(r, id)
  local lines = {}
  for kind, subjects in pairs(r.scores[id]) do
    for subject, items in pairs(subjects) do
      for no, s in pairs(items) do
        lines[#lines + 1] = table.concat({ kind, subject, no, tostring(s.points_x100), s.status,
                                           tostring(s.cases), s.reason }, " ")
      end
    end
  end
  table.sort(lines)
  return lines
end

local function deduction_lines(r, id)
  local lines = {}
  for _, d in ipairs(r.deductions) do
    if d.scorecard == id then
      lines[#lines + 1] = table.concat({ d.kind, d.subject, d.item, d.table, d.key,
                                         tostring(d.points_x100) }, " ")
    end
  end
  table.sort(lines)
  return lines
end

describe("shared sets", function()
  it("the example: two items read two shared sets and one of the scorecard's own", function()
    local r = assert(run({ EXAMPLE }))
    local s = r.scores["shared-sets-example"]
    -- item 1: one_stop = 0 among poor persons' in-county admissions: A1, A2 (P1, 甲镇).
    --   A3 is P2's, A5 P4's (not poor); A4 and A8 were settled one-stop.
    -- item 2: deposits taken in county from poor persons: A2 (P1, 甲镇), A4 (P3, 乙乡);
    --   A6's deposit was out of county.
    assert.equal(-40, s.township.T1["1"].points_x100)
    assert.equal(2, s.township.T1["1"].cases)
    assert.equal("ok", s.township.T2["1"].status)
    assert.equal(-20, s.township.T1["2"].points_x100)
    assert.equal(-20, s.township.T2["2"].points_x100)
    assert.equal(-40, s.county.C1["1"].points_x100)
    assert.equal(-40, s.county.C1["2"].points_x100)
    local t = r.totals["shared-sets-example"]
    assert.equal(-80, t.county.C1.total_x100)   -- 0.4 + 0.4
    assert.equal(-60, t.township.T1.total_x100) -- 0.4 + 0.2
    assert.equal(-20, t.township.T2.total_x100) -- 0.2
    local found = {}
    for _, d in ipairs(r.deductions) do
      if d.kind == "township" then found[#found + 1] = d.item .. " " .. d.key .. " " .. d.reason end
    end
    table.sort(found)
    assert.same({ "1 A1 张一于2018-03-01在甲镇卫生院就诊，未落实“一站式”结算",
                  "1 A2 张一于2018-05-01在测试县人民医院就诊，未落实“一站式”结算",
                  "2 A2 张一于2018-05-01在测试县人民医院住院被收取押金500.00元",
                  "2 A4 李三于2018-07-01在乙乡卫生院住院被收取押金1000.00元" }, found)
    -- each set made once: two items read poor_person and admission_in_county
    assert.equal(3, r.sets_materialised)
    assert.equal(2, r.sets.poor_person.rows)
    assert.equal(6, r.sets.admission_in_county.rows)
    assert.equal(3, r.sets.deposit_taken.rows)
    assert.equal(SHARED, r.sets.poor_person.file)
    assert.equal(EXAMPLE, r.sets.deposit_taken.file)
  end)

  it("read by two items and two scorecards, a set gives what the inline SQL gives, made once",
     function()
    local paths = { card_a("a", true), card_b("b", true), card_a("a-inline", false),
                    card_b("b-inline", false) }
    assert.is_true(check(paths))
    for _, jobs in ipairs({ 1, 2 }) do
      local r = assert(run(paths, { jobs = jobs }))
      -- A item 1: A1, A2 (甲镇) as in the example; item 2 (住院, 0.1 each): A1, A2 (甲镇),
      -- A4 (乙乡); A8 is 门诊. B: P3 has no contract (乙乡); P1 has K1.
      assert.equal(-40, r.scores.a.township.T1["1"].points_x100)
      assert.equal(-20, r.scores.a.township.T1["2"].points_x100)
      assert.equal(-10, r.scores.a.township.T2["2"].points_x100)
      assert.equal(-30, r.scores.a.county.C1["2"].points_x100)
      assert.equal(-50, r.scores.b.township.T2["1"].points_x100)
      assert.equal("ok", r.scores.b.township.T1["1"].status)
      assert.same(score_lines(r, "a-inline"), score_lines(r, "a"))
      assert.same(score_lines(r, "b-inline"), score_lines(r, "b"))
      assert.same(deduction_lines(r, "a-inline"), deduction_lines(r, "a"))
      assert.same(deduction_lines(r, "b-inline"), deduction_lines(r, "b"))
      -- poor_person is read by three items of two scorecards, and made once
      assert.equal(2, r.sets_materialised)
      assert.equal(2, r.sets.poor_person.rows)
    end
  end)

  it("records each set's file and hash with the run", function()
    local results = kh.path("sets-results.db")
    local r = assert(run({ card_a("rec", true) }, { results = results }))
    assert.equal(2, r.sets_materialised)
    local p = io.popen("sqlite3 " .. results ..
                       " 'SELECT name, file, rows, length(sha256) FROM run_set ORDER BY name'")
    local out = p:read("a")
    p:close()
    assert.equal("admission_in_county|" .. dir .. "/shared/health_sets.lua|6|64\n" ..
                 "poor_person|" .. dir .. "/shared/health_sets.lua|2|64\n", out)
  end)

  it("leaves no TEMP table behind: the sets are the read-only schema sets", function()
    local path = card("temp.lua", [[
return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "county" },
  sets = { include "shared/health_sets.lua" },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "SELECT id AS key, county_id AS county FROM temp.poor_person" } } }]])
    local ok, err = check(path)
    assert.is_nil(ok)
    assert.equal(path .. ":3: item 1: SQL error: no such table: temp.poor_person", err)
    ok, err = run({ path })
    assert.is_nil(ok)
    assert.equal(path .. ":3: item 1: SQL error: no such table: temp.poor_person", err)
  end)
end)

describe("shared sets: mistakes", function()
  local HEAD = 'return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "county" },\n'

  it("names a set the scorecard does not declare, and the nearest one", function()
    local path = card("unknown.lua", HEAD .. [[
  sets = { include "shared/health_sets.lua" },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "SELECT id AS key, county_id AS county FROM sets.poor_persons" } } }]])
    local ok, err = check(path)
    assert.is_nil(ok)
    assert.equal(path .. ":3: item 1: uses sets.poor_persons, which this scorecard does not " ..
                 "declare (declared: admission_in_county, poor_person); did you mean " ..
                 "sets.poor_person? Or declare it in sets = { poor_persons = { sql = [[SELECT ...]] } } " ..
                 "or include the shared file that declares it", err)
  end)

  it("names a set no scorecard declares, even when another scorecard of the run does", function()
    local path = card("undeclared.lua", HEAD .. [[
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "SELECT id AS key, county_id AS county FROM sets.poor_person" } } }]])
    local ok, err = run({ card_a("other", true), path })
    assert.is_nil(ok)
    assert.equal(path .. ":2: item 1: uses sets.poor_person, which this scorecard does not " ..
                 "declare (declared: none); declare it in sets = { poor_person = { sql = " ..
                 "[[SELECT ...]] } } or include the shared file that declares it", err)
  end)

  it("names the shared file and line of a set whose SQL is wrong", function()
    local shared = write(dir .. "/shared/broken_sets.lua", [==[
-- a shared file with a typo
return sets {
  poor = { sql = [[SELECT p.id, h.vilage_id FROM person p
                   JOIN household h ON h.id = p.household_id]] },
}
]==])
    local path = card("broken.lua", HEAD .. [[
  sets = { include "shared/broken_sets.lua" },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "SELECT id AS key, 'C1' AS county FROM sets.poor" } } }]])
    local ok, err = check(path)
    assert.is_nil(ok)
    assert.equal(shared .. ":3: set poor: SQL error: no such column: h.vilage_id", err)
    ok, err = run({ path })
    assert.is_nil(ok)
    assert.equal(shared .. ":3: set poor: SQL error: no such column: h.vilage_id", err)
  end)

  it("refuses one name for two different SQLs, naming both places", function()
    local path = card("other_poor.lua", [[
return scorecard { id = "t2", title = "测试2", mode = "deduction", subjects = { "county" },
  sets = {
    poor_person = { sql = [==[SELECT id FROM person]==] },
  },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "SELECT id AS key, 'C1' AS county FROM sets.poor_person" } } }]])
    local want = path .. ":3: set poor_person: declared again with a different SQL (first at " ..
                 dir .. "/shared/health_sets.lua:7); one name is one set in a run: rename one of them"
    local ok, err = run({ card_a("first", true), path })
    assert.is_nil(ok)
    assert.equal(want, err)
    ok, err = check({ card_a("first", true), path })
    assert.is_nil(ok)
    assert.equal(want, err)
  end)

  it("refuses one set bound to different parameter values by two scorecards", function()
    local function big(id, fen)
      return card(id .. ".lua", string.format([[
return scorecard { id = %q, title = "测试", mode = "deduction", subjects = { "county" },
  params = { big_fen = %d },
  sets = { big = { sql = "SELECT id, person_id FROM admission WHERE total_fen >= :big_fen" } },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "admission",
    cases = "SELECT id AS key, 'C1' AS county FROM sets.big" } } }]], id, fen))
    end
    local first, second = big("big1", 1000000), big("big2", 2000000)
    local ok, err = run({ first, second })
    assert.is_nil(ok)
    assert.equal(second .. ":3: set big: binds :big_fen = 2000000 here but :big_fen = 1000000 " ..
                 "where first declared (" .. first .. ":3); a set is made once per run: give " ..
                 "the parameters the same values, or the sets two names", err)
    -- the same values: one set, made once; of the admissions only A6 (5000000 fen) reaches
    -- 1000000 fen (A2, the next largest, is 900000)
    local r = assert(run({ first, big("big3", 1000000) }))
    assert.equal(1, r.sets_materialised)
    assert.equal(1, r.sets.big.rows)
  end)

  it("refuses an item query that writes to a set", function()
    local path = card("write.lua", HEAD .. [[
  sets = { include "shared/health_sets.lua" },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "DELETE FROM sets.poor_person" } } }]])
    local want = path .. ":3: item 1: evidence is read-only: the query tries to change a " ..
                 "shared set (the host makes the sets; queries only read them) (not authorized)"
    local ok, err = check(path)
    assert.is_nil(ok)
    assert.equal(want, err)
    ok, err = run({ path })
    assert.is_nil(ok)
    assert.equal(want, err)
  end)

  it("refuses a set that reads another set", function()
    local path = card("setset.lua", HEAD .. [[
  sets = { include "shared/health_sets.lua",
    mine = { sql = "SELECT id FROM sets.poor_person" } },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "SELECT id AS key, 'C1' AS county FROM sets.mine" } } }]])
    local want = path .. ":3: set mine: its SQL reads sets.poor_person, but a set reads only " ..
                 "the evidence (the sets are made side by side, before any item): select from " ..
                 "the evidence tables"
    local ok, err = check(path)
    assert.is_nil(ok)
    assert.equal(want, err)
    -- refused before anything runs, so the sets may be made on several connections at once
    ok, err = run({ path }, { jobs = 2 })
    assert.is_nil(ok)
    assert.equal(want, err)
  end)

  it("refuses a column name given twice, which the table would rename silently", function()
    local path = card("dupcol.lua", HEAD .. [[
  sets = { two = { sql = "SELECT p.id, h.id FROM person p JOIN household h ON h.id = p.household_id" } },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "SELECT id AS key, 'C1' AS county FROM sets.two" } } }]])
    local ok, err = check(path)
    assert.is_nil(ok)
    assert.equal(path .. ":2: set two: column id appears twice in its SELECT; name each column " ..
                 "once (e.g. h.id AS household_id)", err)
  end)

  it("names an index on a column the set does not have", function()
    local path = card("index.lua", HEAD .. [[
  sets = { ids = { sql = "SELECT id FROM person", index = { "id", "idd" } } },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "SELECT id AS key, 'C1' AS county FROM sets.ids" } } }]])
    local ok, err = check(path)
    assert.is_nil(ok)
    assert.equal(path .. ':2: set ids: index "idd": no such column: idd', err)
  end)

  it("names an include that cannot be read, or that leaves the scorecard's folder", function()
    local path = card("missing.lua", HEAD .. [[
  sets = { include "shared/nope.lua",
           include "../elsewhere.lua" },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "SELECT id AS key, 'C1' AS county FROM person" } } }]])
    local ok, err = check(path)
    assert.is_nil(ok)
    assert.equal(path .. ":3: include \"../elsewhere.lua\": give a path inside the scorecard's " ..
                 "folder, without '..' (e.g. \"shared/health_sets.lua\")\n" ..
                 path .. ":2: include \"shared/nope.lua\": " .. dir ..
                 "/shared/nope.lua: cannot open: No such file or directory", err)
  end)

  it("names a shared file that does not return sets { ... }", function()
    local shared = write(dir .. "/shared/not_sets.lua", "return { }\n")
    local path = card("notsets.lua", HEAD .. [[
  sets = { include "shared/not_sets.lua" },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "SELECT id AS key, 'C1' AS county FROM person" } } }]])
    local ok, err = check(path)
    assert.is_nil(ok)
    assert.equal(path .. ":2: include \"shared/not_sets.lua\": " .. shared ..
                 " does not return sets (a shared file ends with `return sets { ... }`)", err)
  end)

  it("names a set's mistakes at the line of its name, in a shared file too", function()
    local shared = write(dir .. "/shared/typo_sets.lua", [[
return sets {
  fine = { sql = "SELECT id FROM person" },
  typo = { sql = "SELECT id FROM person", indx = { "id" } },
  nosql = { index = "id" },
}
]])
    local path = card("typo.lua", HEAD .. [[
  sets = { include "shared/typo_sets.lua",
    ["bad name"] = { sql = "SELECT 1" } },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "SELECT id AS key, 'C1' AS county FROM sets.fine" } } }]])
    local ok, err = check(path)
    assert.is_nil(ok)
    assert.equal(path .. ':2: set "bad name": a set name is a plain identifier (letters, ' ..
                 'digits, _), e.g. poor_person\n' ..
                 shared .. ":4: set nosql: 'sql' is required: one SELECT over the evidence\n" ..
                 shared .. ":3: set typo: unknown field 'indx'", err)
  end)
end)

-- With -j N the sets are made on N connections at once and combined (core/sets_parallel.c).
-- A set that fails only while it runs (the check prepares it, and makes it empty, without
-- error) fails on whichever connection made it; the run names the set declared first of those
-- that fail, as -j 1 does, and writes nothing.
describe("shared sets made on several connections", function()
  local HEAD = 'return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "county" },\n'
  -- printf's width from a value: beyond the bound only when the row is read (ev_printf.c).
  -- The fixture has 4 persons, so each of these fails at its first row.
  local function wide(w) return "SELECT id, printf('%*d', " .. w .. " + length(id), 1) AS w FROM person" end

  local function runs_nothing_written(path, want)
    for _, jobs in ipairs({ 1, 2, 3, 2, 3 }) do
      local out, results = kh.path("par-" .. jobs .. ".xlsx"), kh.path("par-" .. jobs .. ".db")
      os.remove(out)
      os.remove(results)
      local ok, err = kaohe.run { evidence = db, scorecards = { path }, period = "2018",
                                  jobs = jobs, out = out, results = results }
      assert.is_nil(ok)
      assert.equal(want, err)
      assert.is_nil(io.open(out), "-j " .. jobs .. ": no workbook")
      assert.is_nil(io.open(results), "-j " .. jobs .. ": no results database")
    end
  end

  it("names the first failing set declared, whichever connection made it", function()
    -- sets sorted by name: a_fine, b_wide, c_wider, d_fine; b_wide and c_wider fail
    local path = card("par_runtime.lua", HEAD .. [[
  sets = {
    a_fine = { sql = "SELECT id FROM person" },
    b_wide = { sql = "]] .. wide(100000000) .. [[" },
    c_wider = { sql = "]] .. wide(200000000) .. [[" },
    d_fine = { sql = "SELECT id FROM household" },
  },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "SELECT id AS key, 'C1' AS county FROM sets.a_fine" } } }]])
    assert.is_true(check(path))
    -- P1..P4: length('P1') = 2, so the first row asks for a width of 100000002
    runs_nothing_written(path, path .. ":4: set b_wide: SQL error: printf/format: a width or " ..
                         "precision of 100000002 is larger than 1000 (the most a scorecard " ..
                         "query may ask for)")
  end)

  it("names a set failing while it runs before a later set that does not prepare", function()
    -- with -j N the sets are checked (prepared) first and made afterwards; the run still
    -- names a_wide, declared before b_typo, as one connection making them in order does
    local path = card("par_order.lua", HEAD .. [[
  sets = {
    a_wide = { sql = "]] .. wide(100000000) .. [[" },
    b_typo = { sql = "SELECT idd FROM person" },
  },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "person",
    cases = "SELECT id AS key, 'C1' AS county FROM person" } } }]])
    runs_nothing_written(path, path .. ":3: set a_wide: SQL error: printf/format: a width or " ..
                         "precision of 100000002 is larger than 1000 (the most a scorecard " ..
                         "query may ask for)")
  end)
end)
