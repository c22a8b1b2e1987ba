-- 乡镇健康扶贫政策宣传核查表 — the township's 宣传 duty with the 知晓率 一票否决 (issue 14, item
-- 4d). No document prints this form; it scores one clause of 会宁县 县委办发〔2018〕83号 健康扶贫
-- 责任落实行动工作方案 三、责任清单 (八) 乡镇人民政府 4 (seed 004):
--   “组织乡镇医保、民政、卫生计生机构和包村工作人员、村干部，靠实责任，全面做好健康扶贫政策宣传
--    工作；建立健康扶贫文化广场，刷写政策宣传标语，群众对健康扶贫政策知晓率达到 95%以上，并实行
--    一票否决。”
--   1  全面做好健康扶贫政策宣传工作   finding, 0 if item 4 failed (zero_if_failed)
--   2  建立健康扶贫文化广场           finding, 0 if item 4 failed
--   3  刷写政策宣传标语               finding, 0 if item 4 failed
--   4  群众知晓率达到95%以上（含）     survey, rate; veto: failed → 一票否决 (grade 差)
-- One form per township (乡镇人民政府), averaged up to the county. Points: no document gives
-- points; each item weighs 10 (本地规定, stated on the form). Grades: none by points (no document
-- prints bands); the veto grades 差, as the clause says. The reading of every item is
-- docs/forms/xuanchuan_2018.md.

return scorecard {
  id = "huining-xuanchuan-2018",
  title = "乡镇健康扶贫政策宣传核查表",
  source = "会宁县 县委办发〔2018〕83号 健康扶贫责任落实行动工作方案 三(八)4",
  period = "2018",
  short = "宣传",
  reading = "docs/forms/xuanchuan_2018.md",
  note = "各项分值：所据文件未规定分值，本表每项10分、各项等权（本地规定）；文件未规定等次分数线，不按分数定等次。知晓率未达95%的，一票否决（等次为差），第1—3项亦不得分。",
  subjects = { "township" },
  rollup = { "county" },
  total = 40,
  params = { awareness_rate = { 0.95, "群众健康扶贫政策知晓率下限" } },

  section "健康扶贫政策宣传" {
    accountable = "乡镇人民政府；乡镇医保、民政、卫生计生机构，包村工作人员，村干部。",
    item { no = "1", points = 10, zero_if_failed = "4",
      text = "是否组织乡镇医保、民政、卫生计生机构和包村工作人员、村干部，靠实责任，全面做好健康扶贫政策宣传工作。",
      rule = finding { yes = 10, no = 0 } },
    item { no = "2", points = 10, zero_if_failed = "4",
      text = "是否建立健康扶贫文化广场。",
      rule = finding { yes = 10, no = 0 } },
    item { no = "3", points = 10, zero_if_failed = "4",
      text = "是否刷写政策宣传标语。",
      rule = finding { yes = 10, no = 0 } },
    item { no = "4", points = 10, veto = true,
      text = "群众对健康扶贫政策知晓率是否达到95%以上（含95%），并实行一票否决。",
      rule = rate_at_least {
        threshold = "awareness_rate",
        when_none = "pending",
        -- The survey rows first, each looking up its person's township; 无居民 through the
        -- village → household → person indexes. (Every resident was made into a table and
        -- scanned once per township before; issue 19, the items' cost.)
        sql = [[
          WITH q AS (
            SELECT v.township_id, s.aware FROM survey s JOIN person p ON p.id = s.person_id
            JOIN household h ON h.id = p.household_id JOIN village v ON v.id = h.village_id
            WHERE s.surveyed_on BETWEEN :period_start AND :period_end)
          SELECT t.id AS township, count(q.aware) AS den, coalesce(sum(q.aware), 0) AS num,
                 count(q.aware) - coalesce(sum(q.aware), 0) AS unaware,
                 NOT EXISTS (SELECT 1 FROM village v JOIN household h ON h.village_id = v.id
                             JOIN person p ON p.household_id = h.id
                             WHERE v.township_id = t.id) AS na
          FROM township t LEFT JOIN q ON q.township_id = t.id
          GROUP BY t.id]],
        reason = "调查{den}人，{unaware}人不知晓",
        ok_reason = "调查{den}人，{unaware}人不知晓",
        na_reason = "本乡镇证据库中没有居民",
        evidence = { table = "survey", sql = [[
          SELECT v.township_id AS township, s.id AS key FROM survey s
          JOIN person p ON p.id = s.person_id JOIN household h ON h.id = p.household_id
          JOIN village v ON v.id = h.village_id
          WHERE s.aware = 0 AND s.surveyed_on BETWEEN :period_start AND :period_end]] },
      } },
  },
}
