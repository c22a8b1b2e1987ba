-- 村卫生室设置核查表 — "每个行政村有1个卫生室", the requirement about villages that the
-- 村卫生室 card (cunweishi_2018.lua, one form per 村卫生室) cannot score: a village without a
-- 卫生室 has no form there. No document prints this form; each item is one clause:
--   1  每个行政村是否有1个卫生室          健康脱贫大排查大整改实施方案 篇2 二(四)（seed 003）
--   2  扶贫工作重点村村村有卫生室          省卫生计生委健康扶贫“问题整改落实季”整改台账
--      （2020年底前）                      （seed 000, 德卫办函〔2018〕119号 附件1）“村卫生室建设”2
-- One form per village, averaged up to township and county. A village passes with at least one
-- 村卫生室 in `institution` (two are not a defect: the clause asks that none is missing).
-- 待核实: a county whose evidence has no 村卫生室 at all (the register was not loaded) gets no
-- row, so each of its villages is 待核实 rather than failed. Item 2 is 不适用 for a village that is
-- not a 重点村, and for every village while the period ends before its 完成时限 (2020-12-31,
-- parameter key_village_deadline).
--
-- Points: no document gives points; each item weighs 10 (本地规定, stated on the form). Grades:
-- none. The reading of every item (and why this is a card of its own rather than a village item
-- on the 村卫生室 card) is docs/forms/cunweishi_village_2018.md.

-- The villages of counties whose evidence holds any 村卫生室, with their number of 村卫生室.
local VILLAGES = [[
  WITH clinic AS (
    SELECT village_id, count(*) AS n FROM institution WHERE kind = '村卫生室' GROUP BY village_id),
  loaded AS (
    SELECT DISTINCT t.county_id FROM institution i JOIN village v ON v.id = i.village_id
    JOIN township t ON t.id = v.township_id WHERE i.kind = '村卫生室'),
  vc AS (
    SELECT v.id, v.key_village, coalesce(clinic.n, 0) AS n FROM village v
    JOIN township t ON t.id = v.township_id LEFT JOIN clinic ON clinic.village_id = v.id
    WHERE t.county_id IN (SELECT county_id FROM loaded))]]

return scorecard {
  id = "huining-cunweishi-village-2018",
  title = "村卫生室设置核查表",
  source = "健康脱贫大排查大整改实施方案 篇2 二(四)；省卫生计生委健康扶贫“问题整改落实季”整改台账（德卫办函〔2018〕119号 附件1）“村卫生室建设”2",
  period = "2018",
  short = "村室设置",
  reading = "docs/forms/cunweishi_village_2018.md",
  note = "各项分值：所据文件未规定分值，本表每项10分、各项等权（本地规定）；所据文件未规定等次分数线，本表不定等次。第2项完成时限2020年12月31日，考核期在此之前结束的不适用。",
  subjects = { "village" },
  rollup = { "township", "county" },
  total = 20,
  params = {
    key_village_deadline = { "2020-12-31", "重点村村村有卫生室的完成时限（考核期末早于此日不适用）" },
  },

  section "村卫生室设置" {
    accountable = "乡镇人民政府；乡镇卫生院；县卫计局。",
    item { no = "1", points = 10, text = "每个行政村是否有1个卫生室。",
      rule = check {
        sql = VILLAGES .. " SELECT id AS village, n, n = 0 AS failed FROM vc",
        reason = "该村没有村卫生室",
        ok_reason = "该村有村卫生室{n}个",
        evidence = { table = "village", sql = VILLAGES .. [[
          SELECT id AS village, id AS key FROM vc WHERE n = 0]] },
      } },
    item { no = "2", points = 10,
      text = "扶贫工作重点村是否村村有卫生室（2020年底前全部扶贫工作重点村村村有卫生室）。",
      rule = check {
        sql = [[
          SELECT id AS village, n, :key_village_deadline AS deadline,
                 key_village = 0 OR :period_end < :key_village_deadline AS na,
                 CASE WHEN :period_end < :key_village_deadline
                   THEN '完成时限为' || :key_village_deadline || '，本考核期末未到'
                   ELSE '该村不是扶贫工作重点村' END AS why,
                 key_village = 1 AND :period_end >= :key_village_deadline AND n = 0 AS failed
          FROM (]] .. VILLAGES .. [[ SELECT * FROM vc)
          UNION ALL
          SELECT v.id, 0, :key_village_deadline, 1, '完成时限为' || :key_village_deadline ||
                 '，本考核期末未到', 0
          FROM village v WHERE :period_end < :key_village_deadline
            AND v.id NOT IN (SELECT id FROM (]] .. VILLAGES .. [[ SELECT id FROM vc))]],
        reason = "该村是扶贫工作重点村，截至考核期末没有村卫生室",
        ok_reason = "该村是扶贫工作重点村，有村卫生室{n}个",
        na_reason = "{why}",
        evidence = { table = "village", sql = VILLAGES .. [[
          SELECT id AS village, id AS key FROM vc
          WHERE key_village = 1 AND :period_end >= :key_village_deadline AND n = 0]] },
      } },
  },
}
