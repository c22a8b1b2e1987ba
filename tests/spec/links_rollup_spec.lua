-- Scorecard language v2: linked items, roll-up policies and mixed levels. Every value below is
-- worked out by hand in the comments; the examples are those of docs/examples/.
local kaohe = kh.kaohe
local T = require "kaohe.testing"

local function read(path)
  local f = assert(io.open(kh.home .. "/" .. path))
  local text = f:read("a")
  f:close()
  return text
end

local finding, deductions = kh.finding, kh.deductions -- helper.lua

-- ---- linked items ---------------------------------------------------------------------------
-- docs/examples/linked_items.lua on five townships of one county, one village each. Items:
-- 1 知晓率 (10, survey), 2 宣传 (5, veto_if_failed 1), 3 签约 (10), 4 履约 (5, zero_if_failed 3),
-- 5 大病救治 (5), 6 转诊 (5, na_if_na 5). Findings 是 unless said otherwise.
--   T1 1 person surveyed, aware → 100% ≥ 95% (so for T2 and T4): everything full → 40, 好,
--      rank 1
--   T2 item 3 否 → 0; item 4 是 on its own, but 3 failed → 0 (因第3项未达标不予得分), its 5
--      points listed as a deduction against T2 itself → 10+5+0+0+5+5 = 25, 一般, rank 3
--   T3 2 surveyed, 1 aware → 50% < 95% → item 1 0; item 2 是 on its own, but 1 failed → 0
--      and vetoed → 0+0+10+5+5+5 = 25, grade 差 (veto), ranked after the others: 4
--   T4 item 5 不适用 (full 5); item 6 has no finding (待核实 on its own) but 5 is 不适用 →
--      不适用, full 5 → 40, 好, rank 1 (tied with T1)
--   T5 no survey → item 1 待核实 → item 2 待核实 (取决于第1项); item 5 不适用 but item 6 否 →
--      the two disagree → 待核实; counted: 3 (10) + 4 (5) + 5 (5) = 20, 3 pending, 待核实,
--      not ranked
describe("linked items (docs/examples/linked_items.lua)", function()
  local card = "example-linked-items"
  local townships, villages, households, persons, surveys, findings = {}, {}, {}, {}, {}, {}
  for i = 1, 5 do
    local t, v = "T" .. i, "V" .. i
    townships[i] = { id = t, county_id = "C1", name = "镇" .. i }
    villages[i] = { id = v, township_id = t, name = "村" .. i }
    households[i] = { id = "H" .. i, village_id = v, category = "建档立卡" }
  end
  local function person(n, h)
    persons[#persons + 1] = { id = "P" .. n, household_id = h, name = "人" .. n }
  end
  for n, h in ipairs({ "H1", "H2", "H3", "H3", "H4" }) do person(n, h) end
  for n, aware in ipairs({ 1, 1, 1, 0, 1 }) do
    surveys[n] = { id = "S" .. n, person_id = "P" .. n, surveyed_on = "2018-06-01", aware = aware }
  end
  local answers = { T2 = { ["3"] = "否" }, T4 = { ["5"] = "不适用", ["6"] = false },
                    T5 = { ["5"] = "不适用", ["6"] = "否" } }
  for i = 1, 5 do
    local t = "T" .. i
    for item = 2, 6 do
      local a = (answers[t] or {})[tostring(item)]
      if a ~= false then
        findings[#findings + 1] = finding("F" .. i .. item, card, tostring(item), "township", t,
                                          a or "是")
      end
    end
  end
  local db = T.evidence {
    county = { { id = "C1", name = "测试县", province = "测试省" } },
    township = townships, village = villages, household = households, person = persons,
    survey = surveys, finding = findings,
  }
  local r = T.run { scorecard = "docs/examples/linked_items.lua", evidence = db, period = "2018" }

  it("T1: nothing linked fires", function()
    T.expect(r, "township", "T1", { ["1"] = 10, ["2"] = 5, ["4"] = 5, ["6"] = 5 })
    T.expect_total(r, "township", "T1", { total = 40, grade = "好", rank = 1 })
  end)

  it("T2: 不予得分 when the linked item failed, the lost points listed against the township",
     function()
    local s = T.expect(r, "township", "T2", { ["3"] = { points = 0, status = "扣分" },
                                              ["4"] = { points = 0, status = "扣分", veto = false } })
    assert.matches("^因第3项未达标不予得分$", s["4"].reason)
    assert.same({ "5|township|T2|因第3项未达标不予得分" }, deductions(r, "T2", "4"))
    T.expect_total(r, "township", "T2", { total = 25, grade = "一般", rank = 3, vetoed = 0 })
  end)

  it("T3: a failed 知晓率 vetoes through item 2", function()
    local s = T.expect(r, "township", "T3", { ["1"] = { points = 0, status = "扣分" },
                                              ["2"] = { points = 0, status = "扣分", veto = true } })
    assert.equal("因第1项未达标，本项一票否决【否决项：年度考核直接定为“差”等】", s["2"].reason)
    assert.same({ "5|township|T3|因第1项未达标，本项一票否决" }, deductions(r, "T3", "2"))
    T.expect_total(r, "township", "T3", { total = 25, grade = "差", vetoed = 1, rank = 4 })
  end)

  it("T4: 不适用 follows 不适用, even over an item with no finding", function()
    local s = T.expect(r, "township", "T4", { ["5"] = { points = 5, status = "不适用" },
                                              ["6"] = { points = 5, status = "不适用" } })
    assert.equal("因第5项不适用，本项不适用，按不适用得满分", s["6"].reason)
    T.expect_total(r, "township", "T4", { total = 40, grade = "好", rank = 1 })
  end)

  it("T5: a 待核实 source leaves the linked item 待核实, and a contradiction is 待核实 too",
     function()
    local s = T.expect(r, "township", "T5", { ["1"] = "待核实", ["2"] = "待核实",
                                              ["6"] = "待核实" })
    assert.equal("待核实：第1项待核实，本项取决于该项，无法判定", s["2"].reason)
    assert.matches("^待核实：第5项不适用，但本项发现问题，二者矛盾，需核实（本项自身：现场核查：否",
                   s["6"].reason)
    T.expect_total(r, "township", "T5", { total = 20, pending = 3, grade = "待核实", rank = 0 })
  end)

  it("every item of the example was exercised", function()
    assert.same({}, T.uncovered(card))
  end)
end)

-- Links are applied in dependency order, not form order: item 1 follows 2, which follows 3.
-- V1: 3 否 → 2 scores 0 → 1 scores 0 (in form order 1 would still have seen 2 as 合格).
-- Total 0 + 0 + 0 = 0; the scores still list 1, 2, 3 in form order.
describe("linked items in dependency order", function()
  it("an item linked to a linked item sees its final outcome", function()
    local path = kh.scorecard("chain.lua", [[
return scorecard { id = "chain", title = "链", subjects = { "village" }, total = 3,
  item { no = "1", points = 1, text = "a", zero_if_failed = "2", rule = finding {} },
  item { no = "2", points = 1, text = "b", zero_if_failed = 3, rule = finding {} },
  item { no = "3", points = 1, text = "c", rule = finding {} },
}]])
    local db = T.evidence {
      county = { { id = "C1", name = "县", province = "省" } },
      township = { { id = "T1", county_id = "C1", name = "镇" } },
      village = { { id = "V1", township_id = "T1", name = "村" } },
      finding = { finding("F1", "chain", "1", "village", "V1", "是"),
                  finding("F2", "chain", "2", "village", "V1", "是"),
                  finding("F3", "chain", "3", "village", "V1", "否") },
    }
    local r = T.run { scorecard = path, evidence = db, period = "2018" }
    local s = T.expect(r, "village", "V1", { ["1"] = 0, ["2"] = 0, ["3"] = 0 })
    assert.equal("因第2项未达标不予得分", s["1"].reason)
    T.expect_total(r, "village", "V1", { total = 0 })
  end)
end)

-- ---- roll-up policies -------------------------------------------------------------------------
-- docs/examples/rollup.lua: one item of 10 points, a village's total is its finding.
--   T1: V1 是 → 10, V2 部分 4 → 4, V3 no finding → 待核实.   T2: V4 部分 9 → 9.   County C1.
--   mean (the villages):    T1 (10+4)/2 = 7, 2 of 3 scored; T2 9, 1 of 1;
--                           C1 (10+4+9)/3 = 7.666… → 7.67, 3 of 4 scored
--   mean_of_means:          T1 7, T2 9 as above; C1 (7+9)/2 = 8 over 2 of 2 townships
--   sum:                    T1 14, T2 9, C1 23
--   min:                    T1 4, T2 9, C1 4
--   pending = "pending":    T1 待核实 (V3), members 0 of 3; T2 9; C1 待核实 (mean: 0 of 4 with
--                           1 pending; mean_of_means: T1 has no value → 1 of 2 townships
--                           pending)
describe("roll-up policies (docs/examples/rollup.lua)", function()
  local db = T.evidence {
    county = { { id = "C1", name = "测试县", province = "测试省" } },
    township = { { id = "T1", county_id = "C1", name = "甲镇" },
                 { id = "T2", county_id = "C1", name = "乙镇" } },
    village = { { id = "V1", township_id = "T1", name = "一村" },
                { id = "V2", township_id = "T1", name = "二村" },
                { id = "V3", township_id = "T1", name = "三村" },
                { id = "V4", township_id = "T2", name = "四村" } },
    finding = { finding("F1", "example-rollup", "1", "village", "V1", "是"),
                finding("F2", "example-rollup", "1", "village", "V2", "部分", 4),
                finding("F4", "example-rollup", "1", "village", "V4", "部分", 9) },
  }
  local example = read("docs/examples/rollup.lua")

  -- The example with its policy replaced by `rollup` (nil: the example as it is).
  local function run(name, rollup)
    local text = example
    if rollup then
      text = text:gsub('rollup = %b{},', function() return "rollup = " .. rollup .. "," end)
    end
    return T.run { scorecard = kh.scorecard(name, text), evidence = db, period = "2018" }
  end

  local function total(r, kind, id)
    return r.totals["example-rollup"][kind][id]
  end

  local function expect(r, kind, id, want)
    local t = total(r, kind, id)
    assert.equal(want[1], t.members_total - t.pending, kind .. " " .. id .. " scored")
    assert.equal(want[2], t.members_total, kind .. " " .. id .. " members_total")
    if want.total then
      T.expect_total(r, kind, id, { total = want.total, members = want[1] })
    else
      T.expect_total(r, kind, id, { members = 0, grade = "待核实", rank = 0 })
    end
  end

  it("the list form keeps today's policy: the mean of the fully scored villages", function()
    local r = run("rollup-list.lua", '{ "township", "county" }')
    expect(r, "township", "T1", { 2, 3, total = 7 })
    expect(r, "township", "T2", { 1, 1, total = 9 })
    expect(r, "county", "C1", { 3, 4, total = 7.67 })
    T.expect_total(r, "county", "C1", { pending = 1, grade = "一般", rank = 1 })
  end)

  it("mean_of_means (the example as written): a county is the mean of its townships", function()
    local r = run("rollup-example.lua")
    expect(r, "township", "T1", { 2, 3, total = 7 })
    expect(r, "county", "C1", { 2, 2, total = 8 })
    T.expect_total(r, "county", "C1", { pending = 0 })
  end)

  it("sum and min", function()
    local s = run("rollup-sum.lua", '{ to = { "township", "county" }, by = "sum" }')
    expect(s, "township", "T1", { 2, 3, total = 14 })
    expect(s, "county", "C1", { 3, 4, total = 23 })
    local m = run("rollup-min.lua", '{ to = "county", by = "min" }')
    expect(m, "county", "C1", { 3, 4, total = 4 })
    assert.is_nil(m.totals["example-rollup"].township, "only the levels in `to` are listed")
  end)

  it("pending = \"pending\": a roll-up with a 待核实 member is 待核实", function()
    local r = run("rollup-pending.lua", '{ to = { "township", "county" }, pending = "pending" }')
    expect(r, "township", "T1", { 2, 3 })
    expect(r, "township", "T2", { 1, 1, total = 9 })
    expect(r, "county", "C1", { 3, 4 })
    local mm = run("rollup-mm-pending.lua",
                   '{ to = { "township", "county" }, by = "mean_of_means", pending = "pending" }')
    expect(mm, "county", "C1", { 1, 2 })
  end)
end)

-- ---- mixed levels -----------------------------------------------------------------------------
-- docs/examples/mixed_levels.lua: item 1 county only, 2 township only, 3 both; all 是.
-- C1 is scored on items 1 and 3 only → 20 (not 30 with a 不适用 item 2); T1 on 2 and 3 → 20.
describe("mixed levels (docs/examples/mixed_levels.lua)", function()
  local card = "example-mixed-levels"
  local db = T.evidence {
    county = { { id = "C1", name = "测试县", province = "测试省" } },
    township = { { id = "T1", county_id = "C1", name = "甲镇" } },
    finding = { finding("F1", card, "1", "county", "C1", "是"),
                finding("F2", card, "2", "township", "T1", "是"),
                finding("F3", card, "3", "county", "C1", "是"),
                finding("F4", card, "3", "township", "T1", "是") },
  }
  local r = T.run { scorecard = "docs/examples/mixed_levels.lua", evidence = db, period = "2018" }

  it("scores each kind on its own items only", function()
    T.expect(r, "county", "C1", { ["1"] = 10, ["3"] = 10 })
    T.expect(r, "township", "T1", { ["2"] = 10, ["3"] = 10 })
    assert.is_nil(r.scores[card].county.C1["2"])
    assert.is_nil(r.scores[card].township.T1["1"])
    T.expect_total(r, "county", "C1", { total = 20 })
    T.expect_total(r, "township", "T1", { total = 20 })
  end)

  it("refuses a finding on an item not scored for its kind", function()
    -- item 1 is declared at line 18 of the example
    local bad = T.evidence {
      county = { { id = "C1", name = "测试县", province = "测试省" } },
      township = { { id = "T1", county_id = "C1", name = "甲镇" } },
      finding = { finding("F9", card, "1", "township", "T1", "是") },
    }
    local ok, err = kaohe.run { evidence = bad, scorecards = { "docs/examples/mixed_levels.lua" },
                                period = "2018" }
    assert.is_nil(ok)
    assert.matches("docs/examples/mixed_levels.lua:18: item 1: finding F9 is about a township, " ..
                   "but the item is not scored for township (see its subjects)", err, 1, true)
  end)
end)

-- ---- what the language refuses ----------------------------------------------------------------
describe("the language refuses", function()
  local db = T.evidence { county = { { id = "C1", name = "测试县", province = "测试省" } } }

  local function check(name, text)
    local path = kh.scorecard(name, text)
    local ok, err = kaohe.check { evidence = db, scorecards = { path } }
    assert.is_nil(ok)
    return err, path
  end

  local HEAD = 'return scorecard { id = "t", title = "测试", subjects = { "county" }, total = 3,\n'

  it("a cycle of links, at the first item of it", function()
    local err, path = check("cycle.lua", HEAD .. [[
  item { no = "1", points = 1, text = "a", rule = finding {} },
  item { no = "2", points = 1, text = "b", zero_if_failed = "3", rule = finding {} },
  item { no = "3", points = 1, text = "c", na_if_na = { "1", "2" }, rule = finding {} },
}]])
    assert.equal(path .. ":3: item 2: linked items form a cycle: 2 → 3 → 2 (an item cannot " ..
                 "depend on its own outcome)", err)
  end)

  it("an item linked to itself", function()
    local err, path = check("self.lua", HEAD .. [[
  item { no = "1", points = 1, text = "a", rule = finding {} },
  item { no = "2", points = 1, text = "b", rule = finding {} },
  item { no = "3", points = 1, text = "c", veto_if_failed = "3", rule = finding {} },
}]])
    assert.equal(path .. ":4: item 3: linked items form a cycle: 3 → 3 (an item cannot depend " ..
                 "on its own outcome)", err)
  end)

  it("a link to an item the form does not have", function()
    local err, path = check("unknown.lua", HEAD .. [[
  item { no = "1", points = 1, text = "a", rule = finding {} },
  item { no = "2", points = 1, text = "b", veto_if_failed = "9", rule = finding {} },
  item { no = "3", points = 1, text = "c", rule = finding {} },
}]])
    assert.equal(path .. ":3: item 2: veto_if_failed names item 9, which this scorecard does " ..
                 "not have", err)
  end)

  it("a link that is not an item number", function()
    local err, path = check("linktype.lua", HEAD .. [[
  item { no = "1", points = 3, text = "a", na_if_na = { true }, rule = finding {} },
}]])
    assert.equal(path .. ":2: item 1: 'na_if_na' must be an item number or a list of item " ..
                 "numbers", err)
  end)

  -- Caps are applied while items are evaluated, links after: a linked item in a capped part
  -- could make the part lose more than its cap (section cap 1: item 1 loses 1, then item 2
  -- zeroed by the link would lose 1 more). Refused; the same link outside the section is fine.
  it("a linked item inside a section with a cap or floor", function()
    local err, path = check("linkcap.lua", HEAD .. [[
  section "甲" { cap = 1,
    item { no = "1", points = 1, text = "a", rule = finding {} },
    item { no = "2", points = 1, text = "b", zero_if_failed = "1", rule = finding {} } },
  item { no = "3", points = 1, text = "c", veto_if_failed = "1", rule = finding {} },
}]])
    assert.equal(path .. ":4: item 2: zero_if_failed is linked to item 1, but its section's " ..
                 "cap or floor limits its points: a linked item must be outside any part with " ..
                 "a cap or floor (move it out of the section, or drop the link)", err)
  end)

  it("不予得分 in deduction mode", function()
    local err, path = check("zero-deduction.lua", [[
return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "county" },
  item { no = "1", text = "a", rule = per_case { each = 1, evidence = "county",
    cases = "SELECT id AS key, id AS county FROM county" } },
  item { no = "2", text = "b", zero_if_failed = "1", rule = per_case { each = 1,
    evidence = "county", cases = "SELECT id AS key, id AS county FROM county" } },
}]])
    assert.equal(path .. ":4: item 2: zero_if_failed (不予得分) needs points mode: in deduction " ..
                 "mode an item has no points to withhold", err)
  end)

  it("a roll-up policy with a bad name, and an unknown roll-up field", function()
    local card = [[
return scorecard { id = "t", title = "测试", subjects = { "village" }, total = 1,
  rollup = %s,
  item { no = "1", points = 1, text = "a", rule = finding {} },
}]]
    local err, path = check("by.lua", card:format('{ to = "county", by = "average" }'))
    assert.equal(path .. ':1: scorecard: rollup: \'by\' must be "mean", "mean_of_means", "sum" ' ..
                 'or "min", not "average"', err)
    err, path = check("pending.lua", card:format('{ to = "county", pending = "skip" }'))
    assert.equal(path .. ':1: scorecard: rollup: \'pending\' must be "exclude" (待核实的对象不计入) ' ..
                 'or "pending" (有待核实的对象则汇总待核实), not "skip"', err)
    err, path = check("field.lua", card:format('{ to = "county", bye = "sum" }'))
    assert.equal(path .. ":1: scorecard: rollup: unknown field 'bye' (rollup = { to = {...}, " ..
                 "by = ..., pending = ... })", err)
    err, path = check("to.lua", card:format('{ by = "sum" }'))
    assert.equal(path .. ':1: scorecard: rollup: \'to\' is required: the levels to roll up to, ' ..
                 'e.g. to = { "township", "county" }', err)
  end)

  it("a points-mode form of several kinds whose items do not say which they are for", function()
    local err, path = check("mixed.lua", [[
return scorecard { id = "t", title = "测试", subjects = { "county", "township" }, total = 2,
  item { no = "1", points = 1, text = "a", subjects = "county", rule = finding {} },
  item { no = "2", points = 1, text = "b", rule = finding {} },
}]])
    assert.equal(path .. ':3: item 2: the scorecard assesses county and township: say which ' ..
                 'this item is scored for (subjects = "county", or a list); an item left ' ..
                 'unsaid would give the other kinds 不适用 full points', err)
  end)

  it("an item for a kind the form does not assess, and a link across kinds", function()
    local err, path = check("kinds.lua", [[
return scorecard { id = "t", title = "测试", subjects = { "county", "township" }, total = 3,
  item { no = "1", points = 1, text = "a", subjects = "county", rule = finding {} },
  item { no = "2", points = 1, text = "b", subjects = "township", zero_if_failed = "1",
         rule = finding {} },
  item { no = "3", points = 1, text = "c", subjects = "village", rule = finding {} },
}]])
    -- each item's own fields are checked as it is read, the links once every item is in
    assert.equal(path .. ':5: item 3: subjects: "village" is not one of the scorecard\'s ' ..
                 "subjects (county, township)\n" ..
                 path .. ":3: item 2: links to item 1, which is not scored for township", err)
    -- in deduction mode an item that does not say is scored for every kind
    err, path = check("kinds-deduction.lua", [[
return scorecard { id = "t", title = "测试", mode = "deduction", subjects = { "county", "township" },
  item { no = "1", text = "a", subjects = "county", rule = per_case { each = 1,
    evidence = "county", cases = "SELECT id AS key, id AS county FROM county" } },
  item { no = "2", text = "b", veto_if_failed = "1", rule = per_case { each = 1,
    evidence = "county", cases = "SELECT id AS key, id AS county FROM county" } },
}]])
    assert.equal(path .. ":4: item 2: links to item 1, which is not scored for township", err)
  end)
end)
