-- 贫困村卫生室标准化建设核查表 — the 村卫生室 standard of the seeds that no bundled form scores
-- (issue 14, item 4b). No document prints this form; the standard is quoted from
--   省卫生计生委健康扶贫“问题整改落实季”整改台账 (seed 000, 德卫办函〔2018〕119号 附件1),
--   重点工作“村卫生室建设” 具体内容 1: 省定贫困村卫生室符合“2000-4000 服务人口，2.5 公里服务半径，
--   80 平方米以上，做到诊断室、治疗室、药房、观察室‘四室分开’，2-4 名执业医护人员，配齐常用诊疗
--   设备”标准要求（整改时限 12月31日前）.
--   1  业务用房80平方米以上          institution.floor_m2
--   2  四室分开                      institution.rooms_separated
--   3  2–4名执业医护人员             institution.licensed_staff (at least 2; more is not a defect)
--   4  服务人口2000–4000             institution.service_population
--   5  2.5公里服务半径、配齐常用诊疗设备   the inspectors' finding on item 5 (finding_clause)
-- Subjects: every 村卫生室 (`institution` filtered on kind, each under its village), rolled up
-- through its village to township and county. The standard is for 省定贫困村 (key_village = 1):
-- a 村卫生室 of another village is 不适用 on every item. A field not recorded (NULL) is 待核实,
-- as is item 5 without a finding.
--
-- Points: no document gives points; each item weighs 10 (本地规定, stated on the form). Grades:
-- none. The reading of every item is docs/forms/cunweishi_2018.md.

-- The 村卫生室 with their village's key flag; `cond` is the item's failing condition on i,
-- `field` the evidence column (NULL → no row → 待核实).
local function standard(field, cond)
  return [[
    SELECT i.id AS institution, coalesce(i.]] .. field .. [[, '') AS value,
           v.key_village = 0 AS na, v.key_village = 1 AND (]] .. cond .. [[) AS failed
    FROM institution i JOIN village v ON v.id = i.village_id
    WHERE i.kind = '村卫生室' AND (v.key_village = 0 OR i.]] .. field .. [[ IS NOT NULL)]]
end

local NOT_KEY = "所在村不是省定贫困村（重点村），本标准不适用"

return scorecard {
  id = "huining-cunweishi-2018",
  title = "贫困村卫生室标准化建设核查表",
  source = "省卫生计生委健康扶贫“问题整改落实季”整改台账（德卫办函〔2018〕119号 附件1）“村卫生室建设”1",
  period = "2018",
  short = "村卫生室",
  reading = "docs/forms/cunweishi_2018.md",
  note = "各项分值：所据文件未规定分值，本表每项10分、各项等权（本地规定）；所据文件未规定等次分数线，本表不定等次。标准适用于省定贫困村（重点村）的村卫生室。",
  subjects = { institution = { kind = "村卫生室", parent = "village" } },
  rollup = { "township", "county" },
  total = 50,
  params = {
    min_floor_m2 = { 80, "业务用房面积下限（平方米）" },
    min_staff = { 2, "执业医护人员下限（人）" },
    min_population = { 2000, "服务人口下限（人）" },
    max_population = { 4000, "服务人口上限（人）" },
  },

  section "村卫生室建设标准" {
    accountable = "乡镇卫生院；县卫计局。",
    item { no = "1", points = 10, text = "村卫生室业务用房是否达到80平方米以上。",
      rule = check {
        sql = standard("floor_m2", "i.floor_m2 < :min_floor_m2"),
        reason = "业务用房{value}平方米，不足80平方米", ok_reason = "业务用房{value}平方米",
        na_reason = NOT_KEY } },
    item { no = "2", points = 10, text = "村卫生室是否做到诊断室、治疗室、药房、观察室“四室分开”。",
      rule = check {
        sql = standard("rooms_separated", "i.rooms_separated = 0"),
        reason = "未做到四室分开", ok_reason = "四室分开", na_reason = NOT_KEY } },
    item { no = "3", points = 10, text = "村卫生室是否有2—4名执业医护人员。",
      rule = check {
        sql = standard("licensed_staff", "i.licensed_staff < :min_staff"),
        reason = "执业医护人员{value}名，不足2名", ok_reason = "执业医护人员{value}名",
        na_reason = NOT_KEY } },
    item { no = "4", points = 10, text = "村卫生室服务人口是否在2000—4000人之间。",
      rule = check {
        sql = standard("service_population",
                       "i.service_population NOT BETWEEN :min_population AND :max_population"),
        reason = "服务人口{value}人，不在2000—4000人之间", ok_reason = "服务人口{value}人",
        na_reason = NOT_KEY } },
    item { no = "5", points = 10, finding_clause = "2.5公里服务半径、配齐常用诊疗设备",
      text = "村卫生室是否符合2.5公里服务半径，是否配齐常用诊疗设备。",
      rule = check {
        sql = [[
          WITH clause AS (
            SELECT subject_id, count(*) AS n, max(answer IN ('否', '部分')) AS no FROM finding
            WHERE scorecard = 'huining-cunweishi-2018' AND item = '5'
              AND subject_kind = 'institution' AND period = :period
            GROUP BY subject_id)
          SELECT i.id AS institution, v.key_village = 0 AS na,
                 v.key_village = 1 AND cl.no AS failed
          FROM institution i JOIN village v ON v.id = i.village_id
          LEFT JOIN clause cl ON cl.subject_id = i.id
          WHERE i.kind = '村卫生室' AND (v.key_village = 0 OR cl.n = 1)]],
        reason = "现场核查：服务半径或常用诊疗设备不符合标准",
        ok_reason = "现场核查：服务半径、常用诊疗设备符合标准", na_reason = NOT_KEY } },
  },
}
