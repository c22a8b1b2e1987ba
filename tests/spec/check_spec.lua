-- kaohe check catches every query mistake before a run (Scorecard language v2, item 9): each
-- query is prepared against the evidence schema (never run) and must return the columns its
-- rule reads. The example docs/examples/check.lua is broken one column at a time; each problem
-- names the file, the line of the query, the item, the rule and the fix.
local kaohe = kh.kaohe
local T = require "kaohe.testing"

local EXAMPLE = "docs/examples/check.lua"

local function read(path)
  local f = assert(io.open(path))
  local text = f:read("a")
  f:close()
  return text
end

-- The example with one textual change (plain text, first occurrence); fails if it is absent.
local function variant(name, from, to, text)
  text = text or read(EXAMPLE)
  local at = text:find(from, 1, true)
  assert(at, "not in the example: " .. from)
  local changed = text:sub(1, at - 1) .. to .. text:sub(at + #from)
  return kh.scorecard(name, changed), changed
end

-- The first line of text holding needle (from line `from` on).
local function line_of(text, needle, from)
  local n = 0
  for l in (text .. "\n"):gmatch("(.-)\n") do
    n = n + 1
    if n >= (from or 1) and l:find(needle, 1, true) then return n end
  end
  error("not found: " .. needle)
end

-- One mistake each, made in the example: what is replaced, by what, the line the message must
-- name (the first holding this text after the change: the rule's line for the main query, the
-- line where evidence.sql starts for that one), and the message after "FILE:LINE: ".
local MISTAKES = {
  { "a check query without failed or passed",
    "count(p.id) > 0 AS failed", "count(p.id) > 0 AS lost", "rule = check {",
    "item 1: check: the query returns no column 'failed' or 'passed' (return 1 AS failed where" ..
    " the subject loses the points)" },
  { "a likely typo of a column the rule reads",
    "count(p.id) > 0 AS failed", "count(p.id) > 0 AS faild", "rule = check {",
    "item 1: check: the query returns no column 'failed' or 'passed' (return 1 AS failed where" ..
    " the subject loses the points; is 'faild' a typo?)" },
  -- the query returns village, n, failed: {m} is one edit from n
  { "a reason placeholder the query does not return, and the column meant",
    "{n}人未参加", "{m}人未参加", "rule = check {",
    "item 1: check: reason uses {m}, but the query returns no column 'm' (did you mean {n}?)" },
  { "an ok_reason placeholder like no column",
    '"全部参保"', '"全部{village_name}参保"', "rule = check {",
    "item 1: check: ok_reason uses {village_name}, but the query returns no column" ..
    " 'village_name' (return it AS village_name, or take the placeholder out)" },
  { "evidence.sql without key, at the line where that query starts",
    "p.id AS key", "p.id AS person", "p.id AS person",
    "item 1: check: evidence.sql returns no column 'key' (return the id of the person row" ..
    " behind the failure AS key)" },
  { "evidence.sql without the subject column (a run would list none of its rows)",
    "h.village_id AS village, p.id AS key", "h.village_id, p.id AS key", "h.village_id, p.id",
    "item 1: check: evidence.sql returns no subject column 'village' (return the id of the" ..
    " village each row is about AS village; is 'village_id' a typo?)" },
  { "a rate query without den",
    "count(DISTINCT p.id) AS den", "count(DISTINCT p.id) AS total", "rule = rate_at_least {",
    "item 2: rate_at_least: the query returns no column 'den' (return the count of all who" ..
    " should meet it AS den)" },
  { "a per_case query without key",
    "SELECT a.id AS key,", "SELECT a.id,", "rule = per_case {",
    "item 3: per_case: the query returns no column 'key' (return the id of the admission row" ..
    " behind each case AS key)" },
  { "a per_case query without its subject column",
    "h.village_id AS village, p.name", "h.village_id AS vilage, p.name", "rule = per_case {",
    "item 3: per_case: the query returns no subject column 'village' (return the id of the" ..
    " village each row is about AS village; is 'vilage' a typo?)" },
  { "an unknown named parameter, listing those known",
    "AND :period_end", "AND :period_ends", "rule = per_case {",
    "item 3: SQL uses unknown parameter :period_ends (known: :period, :period_start," ..
    " :period_end, :year, :sign_rate, :item_from, :item_until, :item_by)" },
  { "a table the bundled schema does not have",
    "JOIN person p ON p.id = a.person_id", "JOIN persons p ON p.id = a.person_id",
    "rule = per_case {", "item 3: SQL error: no such table: persons" },
}

describe("kaohe check, column by column", function()
  it("passes the example and every bundled scorecard against the bundled schema alone", function()
    assert.is_true(kaohe.check { scorecards = { EXAMPLE } })
    assert.is_true(kaohe.check { scorecards = {
      "scorecards/post_assessment_deductions.lua", "scorecards/bazhua_cadre_2018.lua",
      "scorecards/wudu_2018.lua" } })
  end)

  for i, m in ipairs(MISTAKES) do
    it("names " .. m[1], function()
      local path, text = variant("mistake" .. i .. ".lua", m[2], m[3])
      local ok, err = kaohe.check { scorecards = { path } } -- against the bundled schema
      assert.is_nil(ok)
      assert.equal(path .. ":" .. line_of(text, m[4]) .. ": " .. m[5], err)
    end)
  end

  it("reports every problem of every file at once, one per line, in form order", function()
    local a, text = variant("all-a.lua", "count(p.id) > 0 AS failed", "count(p.id) > 0 AS lost")
    a, text = variant("all-a.lua", "count(DISTINCT c.person_id) AS num", "count(DISTINCT c.person_id) AS n", text)
    a, text = variant("all-a.lua", "SELECT a.id AS key,", "SELECT a.id,", text)
    local b, btext = variant("all-b.lua", 'id = "example-check"', 'id = "example-check-b"')
    b, btext = variant("all-b.lua", "p.id AS key", "p.id AS person", btext)
    local ok, err = kaohe.check { scorecards = { a, b } }
    assert.is_nil(ok)
    assert.equal(table.concat({
      a .. ":" .. line_of(text, "rule = check {") .. ": item 1: check: the query returns no column" ..
        " 'failed' or 'passed' (return 1 AS failed where the subject loses the points)",
      a .. ":" .. line_of(text, "rule = rate_at_least {") .. ": item 2: rate_at_least: the query" ..
        " returns no column 'num' (return the count of those meeting the standard AS num)",
      a .. ":" .. line_of(text, "rule = per_case {") .. ": item 3: per_case: the query returns no" ..
        " column 'key' (return the id of the admission row behind each case AS key)",
      b .. ":" .. line_of(btext, "p.id AS person") .. ": item 1: check: evidence.sql returns no" ..
        " column 'key' (return the id of the person row behind the failure AS key)",
    }, "\n"), err)
  end)

  it("names the item a Lua syntax error is probably in", function()
    local path, text = variant("syntax.lua", 'rule = rate_at_least { threshold = "sign_rate",',
                               'rule = rate_at_least { threshold = "sign_rate"')
    local ok, err = kaohe.check { scorecards = { path } }
    assert.is_nil(ok)
    assert.equal(path .. ":" .. line_of(text, "sql = [[", line_of(text, "rate_at_least")) ..
      ": '}' expected (to close '{' at line " .. line_of(text, "rule = rate_at_least {") ..
      ") near 'sql' (in item 2?)", err)
  end)
end)

describe("kaohe check and kaohe run read reason templates alike", function()
  -- The fixture, worked by hand for the example:
  --   V1 甲村: P1 insured, signed; P2 not insured (item 1: n = 1 → failed, 0 of 4), not signed
  --            (item 2: 1/2 = 50% < 90% → 0 of 4); no admission (item 3: 2 of 2). Total 2.
  --   V2 乙村: P3 insured and signed (item 1: 4; item 2: 1/1 → 4); admission A1 with a deposit
  --            of 500 yuan (item 3: one case, 1 point lost → 1). Total 9.
  local db = T.evidence {
    county = { { id = "C1", name = "测试县", province = "测试省" } },
    township = { { id = "T1", county_id = "C1", name = "甲镇" } },
    village = { { id = "V1", township_id = "T1", name = "甲村" },
                { id = "V2", township_id = "T1", name = "乙村" } },
    household = { { id = "H1", village_id = "V1", category = "建档立卡" },
                  { id = "H2", village_id = "V2", category = "建档立卡" } },
    person = { { id = "P1", household_id = "H1", name = "张一" },
               { id = "P2", household_id = "H1", name = "张二" },
               { id = "P3", household_id = "H2", name = "李三" } },
    enrollment = { { person_id = "P1", year = 2018, basic = 1, serious_illness = 1, medical_aid = 0 },
                   { person_id = "P3", year = 2018, basic = 1, serious_illness = 1, medical_aid = 0 } },
    doctor_team = { { id = "D1", township_id = "T1", levels = "县,乡,村" } },
    contract = { { id = "K1", person_id = "P1", team_id = "D1", signed_on = "2018-01-10",
                   expires_on = "2018-12-31", package = "初级" },
                 { id = "K3", person_id = "P3", team_id = "D1", signed_on = "2018-01-10",
                   expires_on = "2018-12-31", package = "初级" } },
    institution = { { id = "I1", name = "县医院", kind = "县级医院", in_county = 1 } },
    admission = { { id = "A1", person_id = "P3", institution_id = "I1", kind = "住院",
                    admitted_on = "2018-05-01", deposit_fen = 50000, one_stop = 1,
                    total_fen = 100000, compliant_fen = 90000, self_fen = 10000 } },
  }

  it("runs the example as worked out by hand, after check passed it on the same evidence", function()
    assert.is_true(kaohe.check { evidence = db, scorecards = { EXAMPLE } })
    local r = T.run { scorecard = EXAMPLE, evidence = db }
    T.expect(r, "village", "V1", { ["1"] = { points = 0, status = "扣分" },
                                   ["2"] = { points = 0, status = "扣分" }, ["3"] = 2 })
    T.expect(r, "village", "V2", { ["1"] = 4, ["2"] = 4, ["3"] = { points = 1, status = "扣分" } })
    T.expect_total(r, "village", "V1", { total = 2 })
    T.expect_total(r, "village", "V2", { total = 9 })
    assert.equal("1人未参加基本医保，扣4分", r.scores[r.id].village.V1["1"].reason)
    assert.same({}, T.uncovered(r.id))
  end)

  -- Each reason: does check pass it, and does the run (which compiles it against the cursor)?
  local CASES = {
    { "{name}住院被收取押金{yuan}元", true },
    { "{name}住院被收取押金{yuan元", true },   -- no closing brace: the rest is literal, for both
    { "{name}住院被收取押金{}元", false },      -- an empty name is no column, for both
    { "{name}住院被收取押金{ yuan }元", false }, -- the name is " yuan ", spaces and all
  }
  for _, case in ipairs(CASES) do
    it("agrees on " .. case[1], function()
      local path = variant("agree.lua", "{name}住院被收取押金{yuan}元", case[1])
      local checked = kaohe.check { evidence = db, scorecards = { path } } == true
      local ran = kaohe.run { evidence = db, scorecards = { path } } ~= nil
      assert.equal(case[2], checked)
      assert.equal(case[2], ran)
    end)
  end

  it("renders an unclosed brace literally, as check read it", function()
    local path = variant("literal.lua", "{name}住院被收取押金{yuan}元", "{name}住院被收取押金{yuan元")
    local r = T.run { scorecard = path, evidence = db }
    local reasons = {}
    for _, d in ipairs(r.deductions) do
      if d.item == "3" then reasons[#reasons + 1] = d.reason end
    end
    assert.same({ "李三住院被收取押金{yuan元" }, reasons)
  end)
end)
