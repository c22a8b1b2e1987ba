-- Grades are declared policy (issue "The bundled forms, as printed", item 3): bands carry their
-- source, may be parameters, must descend; a form without bands grades nothing but a veto.
-- docs/examples/grades.lua: one item worth 10, scored from a finding (部分 with a score).
local kaohe = kh.kaohe
local T = require "kaohe.testing"

local card = "example-grades"
local function finding(id, village, answer, score)
  return { id = id, scorecard = card, item = "1", subject_kind = "village", subject_id = village,
           period = "2018", answer = answer, score = score, inspector = "督查组",
           inspected_on = "2018-12-01" }
end

describe("grades as declared policy (docs/examples/grades.lua)", function()
  -- V1 是 → 10; V2 部分 8 → 8; V3 部分 6.5 → 6.5; V4 no finding → 待核实.
  local db = T.evidence {
    county = { { id = "C1", name = "测试县", province = "测试省" } },
    township = { { id = "T1", county_id = "C1", name = "镇" } },
    village = { { id = "V1", township_id = "T1", name = "甲" }, { id = "V2", township_id = "T1", name = "乙" },
                { id = "V3", township_id = "T1", name = "丙" }, { id = "V4", township_id = "T1", name = "丁" } },
    finding = { finding("F1", "V1", "是"), finding("F2", "V2", "部分", 8),
                finding("F3", "V3", "部分", 6.5) },
  }

  it("grades by the declared bands: 好 ≥ 9, 较好 ≥ 7, 差 below", function()
    -- 10 ≥ 9 → 好; 8 ≥ 7 → 较好; 6.5 < 7 → 差; V4 待核实 (a form with bands: 待核实 until checked)
    local r = T.run { scorecard = "docs/examples/grades.lua", evidence = db, period = "2018" }
    T.expect_total(r, "village", "V1", { total = 10, grade = "好" })
    T.expect_total(r, "village", "V2", { total = 8, grade = "较好" })
    T.expect_total(r, "village", "V3", { total = 6.5, grade = "差" })
    T.expect_total(r, "village", "V4", { grade = "待核实", pending = 1 })
  end)

  it("takes a county's own bands from --param", function()
    -- grade_good = 8, grade_fair = 6: 8 ≥ 8 → 好; 6.5 ≥ 6 → 较好
    local r = T.run { scorecard = "docs/examples/grades.lua", evidence = db, period = "2018",
                      params = { grade_good = "8", grade_fair = "6" } }
    T.expect_total(r, "village", "V2", { total = 8, grade = "好" })
    T.expect_total(r, "village", "V3", { total = 6.5, grade = "较好" })
  end)

  it("refuses bands that no longer descend after --param", function()
    local ok, err = kaohe.run { scorecards = { kh.home .. "/docs/examples/grades.lua" },
                                evidence = db, period = "2018", params = { grade_fair = "9.5" } }
    assert.is_nil(ok)
    assert.matches("grades.lua:%d+: scorecard: grades: %-%-param grade_fair=9.5: grade 较好's " ..
                   "minimum is above 好's %(9%): bands must descend", err)
  end)
end)

describe("the language refuses grades", function()
  local function check(name, text)
    local path = kh.scorecard(name, text)
    local ok, err = kaohe.check { scorecards = { path } }
    assert.is_nil(ok)
    return err, path
  end
  local HEAD = 'return scorecard { id = "t", title = "测试", subjects = { "village" }, total = 10,\n'
  local ITEM = '  item { no = "1", points = 10, text = "x", rule = finding {} },\n}'

  it("without a source", function()
    local err, path = check("nosource.lua", HEAD .. '  grades = { { "好", 9 }, { "差", 0 } },\n' .. ITEM)
    assert.equal(path .. ":1: scorecard: grades: 'source' is required: say where the grade " ..
                 "bands come from, e.g. source = \"本地规定：县健康扶贫领导小组2018年考核细则\" (it " ..
                 "is printed on every form); a form whose document prints no bands declares no grades",
                 err)
  end)

  it("out of order, and a band naming an undeclared parameter", function()
    local err, path = check("order.lua", HEAD ..
      '  grades = { source = "本地规定", { "好", 6 }, { "较好", 8 }, { "一般", "grade_x" } },\n' .. ITEM)
    assert.equal(path .. ":1: scorecard: grade 3: parameter 'grade_x' is not declared in the " ..
                 "scorecard's params\n" ..
                 path .. ":1: scorecard: grades: 较好's minimum 8 is not below 好's 6: list the " ..
                 "bands from the highest down", err)
  end)

  it("a misspelt source field, with a suggestion", function()
    local err, path = check("sorce.lua", HEAD ..
      '  grades = { sorce = "本地规定", { "好", 9 } },\n' .. ITEM)
    assert.matches(path .. ":1: scorecard: grades: unknown field 'sorce' (did you mean 'source'?)",
                   err, 1, true)
  end)
end)

describe("a form without bands", function()
  -- The bundled 包抓 card declares none (seed 004 prints none): points give no grade, a veto
  -- gives 差 (tests/spec/bazhua_spec.lua K1–K3). Here: a one-item form without grades.
  it("gives no grade, also while 待核实", function()
    local path = kh.scorecard("nogrades.lua", [[
return scorecard { id = "ng", title = "测试", subjects = { "village" }, total = 10,
  item { no = "1", points = 10, text = "x", rule = finding {} },
}]])
    local db = T.evidence {
      county = { { id = "C1", name = "测试县", province = "测试省" } },
      township = { { id = "T1", county_id = "C1", name = "镇" } },
      village = { { id = "V1", township_id = "T1", name = "甲" }, { id = "V2", township_id = "T1", name = "乙" } },
      finding = { { id = "F1", scorecard = "ng", item = "1", subject_kind = "village",
                    subject_id = "V1", period = "2018", answer = "是", inspector = "督查组",
                    inspected_on = "2018-12-01" } },
    }
    local r = T.run { scorecard = path, evidence = db, period = "2018" }
    T.expect_total(r, "village", "V1", { total = 10, grade = false })
    T.expect_total(r, "village", "V2", { grade = false, pending = 1 })
  end)
end)
