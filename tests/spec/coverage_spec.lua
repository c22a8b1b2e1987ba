-- No silent wrong run (issue "Honest results", item 1): a run whose period the evidence does
-- not reach is refused with each dated table's dates, unless allow_empty (--allow-empty).
local kaohe = kh.kaohe
local T = require "kaohe.testing"

describe("a run refuses evidence that does not cover its period", function()
  local card = kh.scorecard("coverage.lua", [[
return scorecard { id = "cov", title = "测试", subjects = { "village" }, total = 1,
  item { no = "1", points = 1, text = "x", rule = check {
    sql = [=[SELECT v.id AS village, count(c.id) = 0 AS failed FROM village v
             LEFT JOIN household h ON h.village_id = v.id LEFT JOIN person p ON p.household_id = h.id
             LEFT JOIN contract c ON c.person_id = p.id
              AND c.signed_on BETWEEN :period_start AND :period_end GROUP BY v.id]=] } } }]])
  -- Contracts K1 2018-03-01 and K2 2018-11-30; admission A1 2019-01-05 (another year's).
  local db = T.evidence {
    county = { { id = "C1", name = "测试县", province = "测试省" } },
    township = { { id = "T1", county_id = "C1", name = "镇" } },
    village = { { id = "V1", township_id = "T1", name = "甲" } },
    household = { { id = "H1", village_id = "V1", category = "建档立卡" } },
    person = { { id = "P1", household_id = "H1", name = "甲" } },
    institution = { { id = "I1", name = "县医院", kind = "县级医院", county_id = "C1", in_county = 1 } },
    doctor_team = { { id = "D1", township_id = "T1", levels = "县,乡,村" } },
    contract = { { id = "K1", person_id = "P1", team_id = "D1", signed_on = "2018-03-01",
                   expires_on = "2019-02-28", package = "初级" },
                 { id = "K2", person_id = "P1", team_id = "D1", signed_on = "2018-11-30",
                   expires_on = "2019-11-29", package = "初级" } },
    admission = { { id = "A1", person_id = "P1", institution_id = "I1", kind = "住院",
                    admitted_on = "2019-01-05", total_fen = 100, compliant_fen = 100,
                    one_stop = 1, self_fen = 0 } },
  }

  local TABLES = "  admission.admitted_on 2019-01-05..2019-01-05（1 行，期内 %d）\n" ..
                 "  contract.signed_on 2018-03-01..2018-11-30（2 行，期内 %d）\n" ..
                 "  followup.visited_on 无记录\n  cadre_visit.visited_on 无记录\n" ..
                 "  survey.surveyed_on 无记录\n  finding.period 无记录\n" ..
                 "check --period and --evidence; give --allow-empty if this is intended"

  it("a period with no record at all (2017: nothing dated 2017)", function()
    local ok, err = kaohe.run { evidence = db, scorecards = { card }, period = "2017" }
    assert.is_nil(ok)
    assert.equal(db .. ": no record in period 2017 (2017-01-01..2017-12-31):\n" ..
                 string.format(TABLES, 0, 0), err)
  end)

  it("a table with rows, none of them in the period (2018: the admission is 2019's)", function()
    local ok, err = kaohe.run { evidence = db, scorecards = { card }, period = "2018" }
    assert.is_nil(ok)
    assert.equal(db .. ": admission: rows, but none in period 2018 (2018-01-01..2018-12-31):\n" ..
                 string.format(TABLES, 0, 2), err)
  end)

  it("runs when told it is intended, and scores what there is", function()
    -- 2018 with allow_empty: V1 has K1 and K2 in 2018 → not failed → 1 point
    local r = T.run { scorecard = card, evidence = db, period = "2018", allow_empty = true }
    T.expect(r, "village", "V1", { ["1"] = 1 })
  end)
end)
