-- The combined example of scorecard language v2 (issue 13, "Done when"): one village form that
--   * scores its 村卫生室 as institution subjects — only 村卫生室, each under its village
--     (`subjects = { "village", institution = { kind = "村卫生室", parent = "village" } }`);
--   * takes the 受援医院 fact from the hospital linked to the village: the township's 乡镇卫生院,
--     which 组团式帮扶 supports (`finding { of = "institution", via = [[…]] }`): the fact is
--     recorded once, as a finding on the 卫生院, and every village of the township shows it;
--   * demands one 随访 per quarter of every 四大慢病 patient (kh_quarters_missing);
--   * applies an August deadline to the signing rate (`by`, bound as :item_by);
--   * caps a section (the 村卫生室 section loses at most 4 points);
--   * vetoes on another item (item 6 一票否决 when item 3 failed; a linked item must be outside a
--     capped section, so item 6 stands on its own).
--
--   section 村卫生室标准化建设 (institution, cap 4)
--     1  业务用房面积不低于80平方米                 5  institution.floor_m2
--     2  诊室、治疗室、公共卫生室、药房四室分开      5  institution.rooms_separated (空: 待核实)
--   section 家庭医生签约服务 (village)
--     3  四大慢病患者每季度至少随访一次             10  kh_quarters_missing over the year
--     4  8月底前家庭医生签约率达到95%以上            5  rate_at_least, by = 2018-08-31
--   5  受援医院是否建立支援人员考勤管理制度        10  the 乡镇卫生院's finding (related)
--   6  四大慢病患者是否全部签约（第3项未达要求的，一票否决）  5  veto_if_failed = "3"
--
-- A 村卫生室 scores out of 10 (items 1–2), a village out of 30 (items 3–6); the form's items
-- add up to 40. tests/e2e/village_form.sh runs it on the bundled evidence (build/evidence/
-- huining.db, the generator's seed 20180901) and checks its numbers against sqlite3 queries
-- written independently.
return scorecard {
  id = "example-village-form",
  title = "村级健康扶贫工作考核表（综合示例）",
  period = "2018",
  subjects = { "village", institution = { kind = "村卫生室", parent = "village" } },
  total = 40,
  params = {
    sign_rate = { 0.95, "签约率下限" },
    sign_deadline = { "2018-08-31", "签约完成时限（8月底前）" },
  },

  section "村卫生室标准化建设（本部分最多扣4分）" {
    cap = 4,
    accountable = "村医；乡镇卫生院。",
    -- the query lists every institution: the declared filter keeps the 村卫生室
    item { no = "1", points = 5, subjects = "institution",
      text = "村卫生室业务用房面积是否不低于80平方米。",
      rule = check {
        sql = [[
          SELECT id AS institution, coalesce(floor_m2, 0) AS m2,
                 coalesce(floor_m2, 0) < 80 AS failed
          FROM institution]],
        reason = "业务用房{m2}平方米，不足80平方米", ok_reason = "业务用房{m2}平方米" } },
    item { no = "2", points = 5, subjects = "institution",
      text = "村卫生室是否做到诊室、治疗室、公共卫生室、药房四室分开。",
      rule = check {
        sql = [[
          SELECT id AS institution, rooms_separated = 0 AS failed
          FROM institution WHERE rooms_separated IS NOT NULL]],
        reason = "未做到四室分开" } },
  },

  section "家庭医生签约服务" {
    accountable = "签约团队成员；健康专干。",
    item { no = "3", points = 10, subjects = "village",
      text = "四大慢病签约患者是否每季度至少随访一次。",
      rule = check {
        sql = [[
          WITH late AS (
            SELECT h.village_id, p.id AS person_id
            FROM person p JOIN household h ON h.id = p.household_id
            LEFT JOIN followup f ON f.person_id = p.id AND f.kind = '随访'
            WHERE EXISTS (SELECT 1 FROM diagnosis d WHERE d.person_id = p.id AND d.big4 = 1)
            GROUP BY p.id
            HAVING kh_quarters_missing(f.visited_on, :item_from, :item_until) > 0)
          SELECT v.id AS village, count(l.person_id) AS n, count(l.person_id) > 0 AS failed
          FROM village v LEFT JOIN late l ON l.village_id = v.id
          GROUP BY v.id]],
        reason = "{n}名四大慢病患者未做到每季度随访一次" } },
    item { no = "4", points = 5, subjects = "village", by = "sign_deadline",
      text = "8月底前，家庭医生签约率是否达到95%以上。",
      rule = rate_at_least { threshold = "sign_rate",
        sql = [[
          SELECT v.id AS village, count(p.id) AS den,
                 count(DISTINCT k.person_id) AS num, :item_by AS deadline
          FROM village v
          LEFT JOIN household h ON h.village_id = v.id
          LEFT JOIN person p ON p.household_id = h.id
          LEFT JOIN contract k ON k.person_id = p.id AND k.signed_on <= :item_by
          GROUP BY v.id]],
        reason = "截至{deadline}签约率未达标" } },
  },

  item { no = "5", points = 10, subjects = "village", accountable = "受援医院及负责人。",
    text = "受援医院是否建立支援人员考勤管理制度、安排支援人员具体医疗任务。",
    rule = finding { of = "institution",
      via = [[
        SELECT v.id AS village, i.id AS institution
        FROM village v
        JOIN institution i ON i.township_id = v.township_id AND i.kind = '乡镇卫生院']] } },

  item { no = "6", points = 5, subjects = "village", veto_if_failed = "3",
    text = "四大慢病患者是否全部签约家庭医生（第3项未达要求的，一票否决）。",
    rule = check {
      sql = [[
        SELECT v.id AS village, count(p.id) AS n, count(p.id) > 0 AS failed
        FROM village v
        LEFT JOIN household h ON h.village_id = v.id
        LEFT JOIN person p ON p.household_id = h.id
          AND EXISTS (SELECT 1 FROM diagnosis d WHERE d.person_id = p.id AND d.big4 = 1)
          AND NOT EXISTS (SELECT 1 FROM contract k WHERE k.person_id = p.id
                          AND k.signed_on <= :period_end AND k.expires_on >= :period_start)
        GROUP BY v.id]],
      reason = "{n}名四大慢病患者未签约" } },
}
