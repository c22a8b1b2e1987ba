-- Subjects v2 (issue 13 item 1): filters and declared parents on a scorecard's subjects, the
-- department kind, findings about a related subject, and every message the language, `kaohe
-- check` and a run give about them. Every value is worked out by hand in the comments.
local kaohe = kh.kaohe
local T = require "kaohe.testing"

local deductions = kh.deductions -- helper.lua
local function finding(id, card, item, kind, subject, answer, note)
  return kh.finding(id, card, item, kind, subject, answer, nil, note)
end


local function count(t)
  local n = 0
  for _ in pairs(t or {}) do n = n + 1 end
  return n
end

-- The small county of these specs: townships T1 (villages V1, V2) and T2 (V3, V4); one 县级医院
-- H1, a 乡镇卫生院 in each township (W1, W2), and a 村卫生室 in each village (R1–R4, floor
-- 100, 60, 90 and 50 m²).
local COUNTY = {
  county = { { id = "C1", name = "测试县", province = "测试省" } },
  township = { { id = "T1", county_id = "C1", name = "甲镇" },
               { id = "T2", county_id = "C1", name = "乙镇" } },
  village = { { id = "V1", township_id = "T1", name = "一村" },
              { id = "V2", township_id = "T1", name = "二村" },
              { id = "V3", township_id = "T2", name = "三村" },
              { id = "V4", township_id = "T2", name = "四村" } },
}
local function institution(id, name, kind, township, village, floor)
  return { id = id, name = name, kind = kind, county_id = "C1", township_id = township,
           village_id = village, in_county = 1, floor_m2 = floor }
end
local INSTITUTIONS = {
  institution("H1", "测试县人民医院", "县级医院"),
  institution("W1", "甲镇卫生院", "乡镇卫生院", "T1"),
  institution("W2", "乙镇卫生院", "乡镇卫生院", "T2"),
  institution("R1", "一村卫生室", "村卫生室", "T1", "V1", 100),
  institution("R2", "二村卫生室", "村卫生室", "T1", "V2", 60),
  institution("R3", "三村卫生室", "村卫生室", "T2", "V3", 90),
  institution("R4", "四村卫生室", "村卫生室", "T2", "V4", 50),
}
local function county_with(extra)
  local t = {}
  for k, v in pairs(COUNTY) do t[k] = v end
  t.institution = INSTITUTIONS
  for k, v in pairs(extra or {}) do t[k] = v end
  return T.evidence(t)
end

-- ---- a filter and a declared parent: docs/examples/clinics.lua ----------------------------
-- Item 1: R1 100 m² → 5, R2 60 → 0, R3 90 → 5, R4 50 → 0. Item 2: R1 是 → 5, R2 是 → 5,
-- R3 否 → 0, R4 no finding → 待核实; W1 has a finding too, but a 卫生院 is not on this form:
-- passed over. Totals: R1 10, R2 5, R3 5, R4 0 with 1 item 待核实.
-- Roll-up (mean of the fully scored, 待核实 left out) through the villages:
--   T1 = (10 + 5) / 2 = 7.5 (2 members); T2 = R3's 5 (1 of 2 members scored);
--   C1 = (10 + 5 + 5) / 3 = 6.666… → 6.67 (3 members).
describe("subjects with a filter and a parent (docs/examples/clinics.lua)", function()
  local card = "example-clinics"
  local db = county_with {
    finding = { finding("F1", card, "2", "institution", "R1", "是"),
                finding("F2", card, "2", "institution", "R2", "是"),
                finding("F3", card, "2", "institution", "R3", "否"),
                finding("F4", card, "2", "institution", "W1", "否") },
  }
  local r = T.run { scorecard = "docs/examples/clinics.lua", evidence = db, period = "2018" }

  it("lists only the 村卫生室", function()
    assert.equal(4, count(r.scores[card].institution))
    for _, other in ipairs({ "H1", "W1", "W2" }) do
      assert.is_nil(r.scores[card].institution[other])
    end
  end)

  it("scores them", function()
    T.expect(r, "institution", "R1", { ["1"] = 5, ["2"] = 5 })
    T.expect(r, "institution", "R2", { ["1"] = 0, ["2"] = 5 })
    T.expect(r, "institution", "R3", { ["1"] = 5, ["2"] = 0 })
    T.expect(r, "institution", "R4", { ["1"] = 0, ["2"] = "待核实" })
    T.expect_total(r, "institution", "R1", { total = 10 })
    T.expect_total(r, "institution", "R4", { total = 0, pending = 1 })
  end)

  it("rolls them up through their villages to township and county", function()
    T.expect_total(r, "township", "T1", { total = 7.5, members = 2 })
    T.expect_total(r, "township", "T2", { total = 5, members = 1 })
    T.expect_total(r, "county", "C1", { total = 6.67, members = 3 })
    assert.is_true(r.totals[card].county.C1.rollup)
  end)
end)

-- ---- departments, cadres rolled up to them, a related finding: docs/examples/departments.lua
-- Cadres K1, K2 (卫计), K3 (民政) have 2018 assignments; K4 (人社) has none, so neither K4 nor
-- 人社 is assessed. Item 1: K1 visited V1, K3 visited V3, K2 never → K1 5, K2 0, K3 5.
-- Item 2: 卫计 否 (one finding, DF1), 民政 none → K1 0 and K2 0, both with DF1's reason and a
-- deduction keyed DF1; K3 待核实 naming 民政. Totals: K1 5, K2 0, K3 5 (1 待核实).
-- Roll-up to departments: 卫计 = (5 + 0) / 2 = 2.5; 民政: its only cadre is 待核实 → 待核实.
describe("departments and findings about a related subject (docs/examples/departments.lua)", function()
  local card = "example-departments"
  local function cadre(id, name, dept) return { id = id, name = name, department = dept, role = "包村干部" } end
  local function assign(id, year) return { cadre_id = id, township_id = "T1", village_id = "V1", year = year } end
  local db = T.evidence {
    county = COUNTY.county, township = COUNTY.township, village = COUNTY.village,
    cadre = { cadre("K1", "甲", "卫计"), cadre("K2", "乙", "卫计"), cadre("K3", "丙", "民政"),
              cadre("K4", "丁", "人社") },
    cadre_assignment = { assign("K1", 2018), assign("K2", 2018), assign("K3", 2018), assign("K4", 2017) },
    cadre_visit = { { id = "CV1", cadre_id = "K1", village_id = "V1", visited_on = "2018-05-01" },
                    { id = "CV2", cadre_id = "K3", village_id = "V3", visited_on = "2018-06-01" } },
    finding = { finding("DF1", card, "2", "department", "卫计", "否", "未制定方案") },
  }
  local r = T.run { scorecard = "docs/examples/departments.lua", evidence = db, period = "2018" }
  local WHY = "据卫计（包抓部门）核查结论：否（未制定方案）；督查组 2018-12-01"

  it("gives every cadre of a department the department's one finding", function()
    T.expect(r, "cadre", "K1", { ["1"] = 5, ["2"] = 0 })
    T.expect(r, "cadre", "K2", { ["1"] = 0, ["2"] = 0 })
    assert.equal(WHY .. "，扣5分", r.scores[card].cadre.K1["2"].reason)
    assert.equal(WHY .. "，扣5分", r.scores[card].cadre.K2["2"].reason)
    assert.same({ "5|finding|DF1|" .. WHY }, deductions(r, "K1", "2"))
    assert.same({ "5|finding|DF1|" .. WHY }, deductions(r, "K2", "2"))
  end)

  it("leaves a cadre whose department has no finding 待核实, naming the department", function()
    T.expect(r, "cadre", "K3", { ["1"] = 5, ["2"] = "待核实" })
    assert.equal("待核实：民政（包抓部门）尚无现场核查结论", r.scores[card].cadre.K3["2"].reason)
    assert.is_nil(r.scores[card].cadre.K4)
  end)

  it("rolls cadres up to their departments", function()
    T.expect_total(r, "department", "卫计", { total = 2.5, members = 2 })
    -- no value: none of its 1 member is fully scored
    T.expect_total(r, "department", "民政", { members = 0, pending = 1, rank = 0 })
    assert.is_nil(r.totals[card].department["人社"])
  end)
end)

-- ---- department subjects on their own ------------------------------------------------------
-- 卫计 and 民政 have 2018 assignments, 人社 only 2017: a department form lists 卫计 and 民政,
-- each with its own finding (是 → 4, 否 → 0).
describe("department subjects", function()
  it("are the departments with a 包抓 assignment in the year, by name", function()
    local card = "t-dept"
    local path = kh.scorecard("dept.lua", [[
return scorecard { id = "t-dept", title = "部门考核", subjects = { "department" }, total = 4,
  item { no = "1", points = 4, text = "是否制定方案", rule = finding {} } }]])
    local db = T.evidence {
      county = COUNTY.county, township = COUNTY.township, village = COUNTY.village,
      cadre = { { id = "K1", name = "甲", department = "卫计", role = "包村干部" },
                { id = "K3", name = "丙", department = "民政", role = "包村干部" },
                { id = "K4", name = "丁", department = "人社", role = "包村干部" } },
      cadre_assignment = { { cadre_id = "K1", township_id = "T1", year = 2018 },
                           { cadre_id = "K3", township_id = "T1", year = 2018 },
                           { cadre_id = "K4", township_id = "T1", year = 2017 } },
      finding = { finding("D1", card, "1", "department", "卫计", "是"),
                  finding("D2", card, "1", "department", "民政", "否") },
    }
    local r = T.run { scorecard = path, evidence = db, period = "2018" }
    T.expect(r, "department", "卫计", { ["1"] = 4 })
    T.expect(r, "department", "民政", { ["1"] = 0 })
    assert.equal(2, count(r.scores[card].department))
  end)
end)

-- ---- related findings: no link, when_none, and the errors of a run ---------------------------
-- A village form whose item 1 takes the 受援医院 fact from the township's 乡镇卫生院. Here T2 has
-- no 卫生院 (W2 left out): V3 and V4 are linked to nothing.
describe("a finding about a related subject", function()
  local card = "t-rel"
  local VIA = [=[ [[
        SELECT v.id AS village, i.id AS institution FROM village v
        JOIN institution i ON i.township_id = v.township_id AND i.kind = '乡镇卫生院']]]=]
  -- the item on line 2, its rule on line 3, the via query from line 4
  local function form(extra, via)
    return kh.scorecard("rel.lua",
      'return scorecard { id = "t-rel", title = "村级考核", subjects = { "village" }, total = 10,\n' ..
      '  item { no = "1", points = 10, text = "受援医院是否建立考勤制度",\n' ..
      '    rule = finding { of = "institution", ' .. (extra or "") .. '\n' ..
      '      via = ' .. (via or VIA) .. ' } } }')
  end
  local function db(findings, institutions)
    local t = {}
    for k, v in pairs(COUNTY) do t[k] = v end
    t.institution = institutions or { INSTITUTIONS[1], INSTITUTIONS[2] } -- H1, W1
    t.finding = findings
    return T.evidence(t)
  end

  -- W1 是: V1 and V2 10 each, the same reason; V3, V4 linked to nothing → 待核实 (the default)
  it("gives each linked village the hospital's answer; one linked to nothing is 待核实", function()
    local r = T.run { scorecard = form(), evidence = db { finding("RF1", card, "1", "institution", "W1", "是") },
                      period = "2018" }
    T.expect(r, "village", "V1", { ["1"] = 10 })
    T.expect(r, "village", "V2", { ["1"] = 10 })
    assert.equal("据甲镇卫生院（医疗机构）核查结论：是；督查组 2018-12-01",
                 r.scores[card].village.V2["1"].reason)
    T.expect(r, "village", "V3", { ["1"] = "待核实" })
    assert.equal("待核实：未找到与该村关联的医疗机构", r.scores[card].village.V3["1"].reason)
  end)

  -- when_none = "na": V3 and V4 are 不适用, full points in points mode
  it("makes a subject linked to nothing 不适用 with when_none = \"na\"", function()
    local r = T.run { scorecard = form('when_none = "na", '),
                      evidence = db { finding("RF1", card, "1", "institution", "W1", "否") },
                      period = "2018" }
    T.expect(r, "village", "V1", { ["1"] = 0 })
    T.expect(r, "village", "V4", { ["1"] = { points = 10, status = "不适用" } })
    assert.equal("未找到与该村关联的医疗机构，按不适用得满分", r.scores[card].village.V4["1"].reason)
  end)

  -- the via query below links V1 to both W1 and W2 (every 卫生院 of the county)
  it("refuses a village linked to two institutions", function()
    local path = form(nil, [=[ [[
        SELECT v.id AS village, i.id AS institution FROM village v
        JOIN institution i ON i.kind = '乡镇卫生院']]]=])
    local ok, err = kaohe.run { evidence = db({}, INSTITUTIONS), scorecards = { path }, period = "2018",
      allow_empty = true --[[ no dated evidence, on purpose ]] }
    assert.is_nil(ok)
    assert.equal(path .. ":3: item 1: finding: via links village 'V1' to two institution subjects " ..
                 "('W1' and 'W2'): a related finding takes its answer from exactly one", err)
  end)

  it("refuses a finding recorded on the village itself", function()
    local path = form()
    local ok, err = kaohe.run { evidence = db { finding("RF9", card, "1", "village", "V1", "是") },
                                scorecards = { path }, period = "2018" }
    assert.is_nil(ok)
    assert.equal(path .. ":2: item 1: finding RF9 is about a village, but this item takes its " ..
                 "answer from the institution linked to it: record the finding on the institution " ..
                 "(subject_kind institution)", err)
  end)

  it("refuses a via naming an institution the evidence does not have", function()
    local path = form(nil, "[[SELECT id AS village, 'W9' AS institution FROM village]]")
    local ok, err = kaohe.run { evidence = db {}, scorecards = { path }, period = "2018",
      allow_empty = true --[[ no dated evidence, on purpose ]] }
    assert.is_nil(ok)
    assert.equal(path .. ":3: item 1: finding: via names institution 'W9', which is not in the " ..
                 "institution table", err)
  end)

  -- kaohe check prepares via and checks its columns (here: the institution column is missing),
  -- naming the line the via query is written on (4), not the rule's (3)
  it("is checked by kaohe check: the via query's columns", function()
    local path = form(nil, "[[SELECT v.id AS village, v.township_id AS hospital FROM village v]]")
    local ok, err = kaohe.check { evidence = db {}, scorecards = { path } }
    assert.is_nil(ok)
    assert.equal(path .. ":4: item 1: finding: via returns no column 'institution' (return the id " ..
                 "of the institution each subject takes its answer from AS institution)", err)
  end)
end)

-- ---- a filter the run applies to rows, and scorecards that list a kind differently ---------
describe("a filtered kind in a run", function()
  it("refuses two scorecards of one run listing a kind differently", function()
    local all = kh.scorecard("all_inst.lua", [[
return scorecard { id = "t-all", title = "全部机构", subjects = { "institution" }, total = 1,
  item { no = "1", points = 1, text = "x", rule = finding {} } }]])
    local ok, err = kaohe.run { evidence = county_with(), period = "2018",
      allow_empty = true --[[ no dated evidence, on purpose ]],
                                scorecards = { kh.home .. "/docs/examples/clinics.lua", all } }
    assert.is_nil(ok)
    assert.equal(all .. ": lists institution subjects as {all, the kind's own}, but another " ..
                 "scorecard of this run lists them as {kind = 村卫生室, parent = village}: " ..
                 "scorecards run together must list a kind alike (run them separately, or " ..
                 "declare the same filter and parent)", err)
  end)

  -- kind = { "乡镇卫生院", "县级医院" }: any of them → H1, W1, W2 (3 subjects); in_county = true
  -- is the integer 1
  it("takes a list of values and a flag", function()
    local path = kh.scorecard("many.lua", [=[
return scorecard { id = "t-many", title = "医院", total = 1,
  subjects = { institution = { kind = { "乡镇卫生院", "县级医院" }, in_county = true } },
  item { no = "1", points = 1, text = "x",
    rule = check { sql = [[SELECT id AS institution, 0 AS failed FROM institution]] } } }]=])
    local r = T.run { scorecard = path, evidence = county_with(), period = "2018",
      allow_empty = true --[[ no dated evidence, on purpose ]] }
    assert.equal(3, count(r.scores["t-many"].institution))
    T.expect(r, "institution", "H1", { ["1"] = 1 })
  end)
end)

-- ---- what the language refuses: the exact messages ------------------------------------------
describe("the language refuses", function()
  local db = T.evidence { county = COUNTY.county }
  local function check(text)
    local path = kh.scorecard("bad_subjects.lua", text)
    local ok, err = kaohe.check { evidence = db, scorecards = { path } }
    assert.is_nil(ok)
    return err, path
  end
  local ITEM = 'item { no = "1", points = 1, text = "x", rule = finding {} } }'
  local function subjects(s)
    return check('return scorecard { id = "t", title = "t", total = 1,\n  subjects = ' .. s .. ',\n  ' .. ITEM)
  end

  it("an unknown filter, with a suggestion", function()
    local err, path = subjects('{ institution = { knd = "村卫生室" } }')
    assert.equal(path .. ":1: scorecard: subjects: institution: unknown filter 'knd' (did you mean " ..
                 "'kind'?); institution takes in_county, kind, parent", err)
  end)

  it("a value an enumerated filter does not take", function()
    local err, path = subjects('{ institution = { kind = "村卫生所" } }')
    assert.equal(path .. ':1: scorecard: subjects: institution: kind "村卫生所" is not one of 省级医院, ' ..
                 '市级医院, 县级医院, 乡镇卫生院, 社区卫生服务中心, 村卫生室 (did you mean "村卫生室"?)', err)
  end)

  it("a parent the kind does not roll up through", function()
    local err, path = subjects('{ institution = { parent = "vilage" } }')
    assert.equal(path .. ':1: scorecard: subjects: institution: parent "vilage" is not a level ' ..
                 'institution rolls up through (village, township, county); did you mean "village"?', err)
  end)

  it("a filter on a kind that takes none", function()
    local err, path = subjects('{ township = { parent = "county" } }')
    assert.equal(path .. ':1: scorecard: subjects: township: township takes no filter or parent ' ..
                 '(only village, cadre and institution do); list it as "township"', err)
  end)

  it("a kind listed twice", function()
    local err, path = subjects('{ "institution", institution = { kind = "村卫生室" } }')
    assert.equal(path .. ':1: scorecard: subjects: institution is listed twice (as "institution" ' ..
                 'and as institution = {...}): keep the one with its filter', err)
  end)

  it("a filter value that is neither text nor a number", function()
    local err, path = subjects('{ institution = { kind = { 1.5 } } }')
    assert.equal(path .. ":1: scorecard: subjects: institution: 'kind' must be text or a whole " ..
                 "number, or a list of them", err)
  end)

  it("a roll-up of institutions without a parent, saying how to declare one", function()
    local err, path = check('return scorecard { id = "t", title = "t", total = 1,\n' ..
                            '  subjects = { "institution" }, rollup = { "township" },\n  ' .. ITEM)
    assert.equal(path .. ':1: scorecard: cannot roll institution up to "township" (village rolls ' ..
                 'up to township, county and city, township to county and city, county to city; ' ..
                 'institution rolls up once its parent is declared: subjects = { institution = ' ..
                 '{ parent = "village" } })', err)
  end)

  local function rule(r)
    return check('return scorecard { id = "t", title = "t", total = 1, subjects = { "village" },\n' ..
                 '  item { no = "1", points = 1, text = "x",\n    rule = ' .. r .. ' } }')
  end

  it("'of' without 'via'", function()
    local err, path = rule('finding { of = "institution" }')
    assert.equal(path .. ":3: item 1: finding: 'of' needs 'via', the query linking each subject " ..
                 "to its institution (e.g. via = [[SELECT v.id AS village, i.id AS institution " ..
                 "FROM village v JOIN institution i ON i.township_id = v.township_id AND i.kind = " ..
                 "'乡镇卫生院']])", err)
  end)

  it("'via' without 'of'", function()
    local err, path = rule('finding { via = "SELECT 1" }')
    assert.equal(path .. ":3: item 1: finding: 'via' needs 'of', the kind of subject the query " ..
                 "links each subject to (e.g. of = \"institution\")", err)
  end)

  it("'of' naming no kind, with a suggestion", function()
    local err, path = rule('finding { of = "instituion", via = "SELECT 1" }')
    local names = {}
    for _, k in ipairs(kaohe.kinds) do names[#names + 1] = k.name end
    assert.equal(path .. ":3: item 1: finding: 'of' instituion is not a kind of subject (known: " ..
                 table.concat(names, ", ") .. '); did you mean "institution"?', err)
  end)

  it("'when_none' without 'of', and a bad value", function()
    local err, path = rule('finding { when_none = "na" }')
    assert.equal(path .. ":3: item 1: finding: 'when_none' applies only to a finding about a " ..
                 "related subject (with 'of' and 'via')", err)
    err, path = rule('finding { of = "institution", via = "SELECT 1", when_none = "zero" }')
    assert.equal(path .. ":3: item 1: finding: 'when_none' must be \"pending\" (未找到关联对象：待核实) " ..
                 "or \"na\" (不适用)", err)
  end)

  it("'of' naming the kind the item is scored for", function()
    local err, path = rule('finding { of = "village", via = "SELECT 1" }')
    assert.equal(path .. ":3: item 1: finding: 'of' names village, which this item is itself " ..
                 "scored for: a related finding takes its answer from another kind (say subjects = " ..
                 "\"village\" on the item, or drop 'of')", err)
  end)

  it("a misspelt field of a finding, with a suggestion", function()
    local err, path = rule('finding { of = "institution", vai = "SELECT 1" }')
    assert.matches(path .. ":3: item 1: finding: unknown field 'vai' (did you mean 'via'?)", err, 1, true)
  end)
end)
