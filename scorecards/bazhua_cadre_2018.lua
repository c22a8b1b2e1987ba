-- 健康扶贫先锋行动包抓干部工作考核表 — 会宁县 县委办发〔2018〕83号 附件3 附表3-1 (seed 004).
-- 20 indicators, 100 points. One filled-in form per 包抓 cadre, judged over the villages the
-- cadre is assigned to in 附表3-2/3-3/3-4 (cadre_assignment; a NULL village means every
-- village of the township).
--
-- What the evidence can show is computed; the rest comes from the inspectors' findings
-- (finding table, scorecard id "huining-bazhua-2018", subject_kind "cadre"):
--   computed: 3.1 3.2 4.2 4.3 5.1 5.2 5.3 6.3 8.1 8.2      findings: 1.1 1.2 2.1 2.2 4.1 6.1
--   6.2 7.1 7.2 9 (9 allows 部分 with the inspector's score)
-- 1.1 and 1.2 are veto items: 是 sets the annual grade to 差 whatever the points.
--
-- Readings of the form, stated so an auditor can disagree with something concrete:
--   建档立卡贫困人口  household category 建档立卡, 已脱贫 or 兜底保障
--   实际补偿比        per person and year: (基本医保+大病保险+医疗救助+其他) / 合规费用
--   大病保险起付线    a person whose compliant cost after 基本医保 exceeds the threshold in the
--                     year but received no 大病保险 payment shows the threshold was not lowered
--   3000元兜底        the compliant cost left after 基本医保 and 大病保险, above 3000元, must be
--                     covered by 医疗救助
--   每月到村 (8.1)    "包抓干部每1个月到所包抓村" (附件3 四(二)): a cadre assigned villages must
--                     visit each of them in every month; a cadre assigned a whole township must
--                     visit the township in every month (cadre_visit, 到村工作日志)
--   grades            the form and seed 004 print no grade bands, so the card declares none and
--                     prints no grade from points ("不定等次（考核表未规定等次分数线）"). The one
--                     grade the form does state is the veto: 1.1 or 1.2 answered 是 → "年度考核
--                     直接定为“差”等". (Until 2026-12 the card used 好 ≥ 90, 较好 ≥ 80, 一般 ≥ 60,
--                     which nobody had issued: with them one failing person, zeroing an item for
--                     a cadre with ~20 villages, made 44 of 120 demo cadres 差 on points.) A county
--                     that has issued bands declares them with their source:
--                     grades = { source = "…", { "好", "grade_good" }, … } (docs/authoring.md).

-- The villages each cadre answers for in the period's year.
local CADRE_VILLAGES = [[
  cv AS (
    SELECT DISTINCT a.cadre_id, v.id AS village_id
    FROM cadre_assignment a
    JOIN village v ON v.id = a.village_id
                   OR (a.village_id IS NULL AND v.township_id = a.township_id)
    WHERE a.year = :year)]]

-- The 建档立卡 poor of a village.
local POOR = [[
  poor AS NOT MATERIALIZED (
    SELECT p.*, h.village_id FROM person p JOIN household h ON h.id = p.household_id
    WHERE h.category IN ('建档立卡', '已脱贫', '兜底保障'))]]

-- A check over persons: `bad` lists the failing persons (person_id, village_id); each cadre
-- fails if any of its villages has one. The evidence rows are those persons.
local function per_person_check(bad, what)
  return {
    sql = "WITH " .. CADRE_VILLAGES .. ", " .. POOR .. ", bad AS MATERIALIZED (" .. bad .. [[)
      SELECT c.id AS cadre, count(DISTINCT b.person_id) AS n, count(DISTINCT b.person_id) > 0 AS failed
      FROM cadre c
      JOIN (SELECT DISTINCT cadre_id FROM cv) k ON k.cadre_id = c.id
      LEFT JOIN cv ON cv.cadre_id = c.id
      LEFT JOIN bad b ON b.village_id = cv.village_id
      GROUP BY c.id]],
    reason = "所包抓村中发现{n}人" .. what,
    evidence = {
      table = "person",
      sql = "WITH " .. CADRE_VILLAGES .. ", " .. POOR .. ", bad AS MATERIALIZED (" .. bad .. [[)
        SELECT DISTINCT cv.cadre_id AS cadre, b.person_id AS key
        FROM cv JOIN bad b ON b.village_id = cv.village_id]],
    },
  }
end

-- Admissions of the poor in the period, with the institution.
local ADMITTED = [[
  SELECT a.*, poor.village_id, i.in_county FROM admission a
  JOIN poor ON poor.id = a.person_id
  JOIN institution i ON i.id = a.institution_id
  WHERE a.admitted_on BETWEEN :period_start AND :period_end]]

-- Per person and year: what the settlements add up to.
local YEARLY = [[
  SELECT person_id, village_id, sum(compliant_fen) AS compliant,
         sum(basic_fen) AS basic, sum(serious_fen) AS serious, sum(aid_fen) AS aid,
         sum(basic_fen + serious_fen + aid_fen + other_fen) AS reimbursed
  FROM (]] .. ADMITTED .. [[) GROUP BY person_id]]

return scorecard {
  id = "huining-bazhua-2018",
  title = "健康扶贫先锋行动包抓干部工作考核表",
  source = "会宁县 县委办发〔2018〕83号 附件3 附表3-1",
  period = "2018",
  short = "包抓",
  subjects = { "cadre" },
  total = 100,
  veto_grade = "差",
  params = {
    reimburse_ratio = { 0.85, "建档立卡贫困人口合规医疗费用实际补偿比下限" },
    serious_deductible = { 2000, "大病保险起付线（元）" },
    aid_floor = { 3000, "个人自负合规费用年累计超过此数（元）的部分由医疗救助兜底" },
    sign_rate = { 0.95, "家庭医生签约率与一人一策落实率下限" },
    visit_months = { 12, "包抓干部全年应到村的月数（每月1次）" },
  },

  section "年度健康扶贫工作完成情况" {
    item { no = "1.1", points = 5, veto = true,
      text = "在各级、第三方机构等督查考核健康扶贫工作中是否出现重大问题。",
      note = "如“是”，年度考核直接定为“差”等；如“否”得5分",
      rule = finding { yes = 0, no = 5 } },
    item { no = "1.2", points = 5, veto = true,
      text = "有关部门或医疗机构是否存在因不配合、推诿扯皮、延误时间，导致健康扶贫重点任务无法完成。",
      note = "如“是”，年度考核直接定为“差”等；如“否”得5分",
      rule = finding { yes = 0, no = 5 } },
  },

  section "是否发生健康扶贫重大事件" {
    item { no = "2.1", points = 5,
      text = "有关部门是否存在对各项健康扶贫保障政策落实不力、不到位的情况。",
      note = "如“是”得0分，如“否”得5分",
      rule = finding { yes = 0, no = 5 } },
    item { no = "2.2", points = 5,
      text = "有关部门是否存在对健康扶贫苗头性、倾向性舆情信息掌握不及时，处置不到位，发生重大舆情事件、造成不良影响的情况。",
      note = "如“是”得0分，如“否”得5分",
      rule = finding { yes = 0, no = 5 } },
  },

  section "建档立卡贫困户基本医疗保险工作" {
    item { no = "3.1", points = 5,
      text = "是否落实将建档立卡贫困人口全部纳入基本医保、大病保险、医疗救助保障范围。",
      rule = check(per_person_check([[
        SELECT poor.id AS person_id, poor.village_id FROM poor
        LEFT JOIN enrollment e ON e.person_id = poor.id AND e.year = :year
        WHERE coalesce(e.basic, 0) = 0 OR coalesce(e.serious_illness, 0) = 0
           OR coalesce(e.medical_aid, 0) = 0]], "未全部纳入基本医保、大病保险、医疗救助")) },
    item { no = "3.2", points = 5,
      text = "是否落实建档立卡贫困人口城乡居民基本医保个人参保费用代缴工作，建档立卡贫困户基本医疗保险参保率达到100%。",
      rule = check(per_person_check([[
        SELECT poor.id AS person_id, poor.village_id FROM poor
        LEFT JOIN enrollment e ON e.person_id = poor.id AND e.year = :year
        WHERE coalesce(e.basic, 0) = 0 OR coalesce(e.premium_paid_by_state, 0) = 0]],
        "未参保或个人参保费用未代缴")) },
  },

  section "“一站式”结报工作落实情况" {
    item { no = "4.1", points = 5,
      text = "是否实现医疗、基本医保、大病保险、民政医疗救助等信息系统建设和互联互通、数据共享。",
      rule = finding { yes = 5, no = 0 } },
    item { no = "4.2", points = 5,
      text = "是否落实医保基金60%总额预付，农村贫困人口在县域内定点医疗机构就诊和50种重大疾病在大病救治定点医疗机构就诊免收押金，建档立卡贫困人口在各级定点医疗机构就诊不设起付线等惠民政策。",
      rule = check(per_person_check([[
        SELECT person_id, village_id FROM (]] .. ADMITTED .. [[)
        WHERE kind = '住院' AND in_county = 1 AND deposit_fen > 0]],
        "在县域内住院被收取押金")) },
    item { no = "4.3", points = 5,
      text = "是否落实“先诊疗，后付费”和基本医保、大病保险、民政医疗救助“一站式”结算，在医疗机构设立“一站式”结算服务窗口。",
      rule = check(per_person_check([[
        SELECT person_id, village_id FROM (]] .. ADMITTED .. [[)
        WHERE in_county = 1 AND one_stop = 0]], "在县域内就诊未落实“一站式”结算")) },
  },

  section "提高基本医保报销比例落实情况" {
    item { no = "5.1", points = 6,
      text = "是否落实建档立卡贫困人口合规医疗费用实际补偿比不低于85%的政策。",
      rule = check(per_person_check([[
        SELECT person_id, village_id FROM (]] .. YEARLY .. [[)
        WHERE compliant > 0 AND reimbursed * 100 < round(:reimburse_ratio * 100) * compliant]],
        "全年合规医疗费用实际补偿比低于标准")) },
    item { no = "5.2", points = 6,
      text = "是否落实建档立卡贫困人口、城乡低保、特困供养人员大病保险起付线降低至2000元的政策。",
      rule = check(per_person_check([[
        SELECT person_id, village_id FROM (]] .. YEARLY .. [[)
        WHERE compliant - basic > :serious_deductible * 100 AND serious = 0]],
        "基本医保报销后合规费用超过大病保险起付线却未获大病保险报销")) },
    item { no = "5.3", points = 6,
      text = "是否落实建档立卡贫困人口住院合规医疗费用经基本医保、大病保险报销后，个人自负合规费用年累计超过3000元以上部分由民政医疗救助兜底解决。",
      rule = check(per_person_check([[
        SELECT person_id, village_id FROM (]] .. YEARLY .. [[)
        WHERE aid < compliant - basic - serious - :aid_floor * 100]],
        "个人自负合规费用超过3000元的部分未获医疗救助兜底")) },
  },

  section "“三个一批”健康扶贫行动落实情况" {
    item { no = "6.1", points = 3, text = "是否落实省定50种重大疾病进行集中救治。",
      rule = finding { yes = 3, no = 0 } },
    item { no = "6.2", points = 3, text = "是否及时更新“全国健康扶贫动态管理系统”有关数据。",
      rule = finding { yes = 3, no = 0 } },
    item { no = "6.3", points = 5,
      text = "建档立卡贫困户签约服务管理是否做到应签尽签、应帮尽帮。",
      rule = check(per_person_check([[
        SELECT poor.id AS person_id, poor.village_id FROM poor
        WHERE poor.away = 0 AND NOT EXISTS (
          SELECT 1 FROM contract k WHERE k.person_id = poor.id
            AND k.signed_on <= :period_end AND k.expires_on >= :period_start)]],
        "应签未签（不含登记造册的长期外出人员）")) },
  },

  section "“组团式”健康帮扶工作落实情况" {
    item { no = "7.1", points = 5,
      text = "支援医院是否在受援医院加挂分院牌子，是否按要求帮助薄弱学科和重点专科建设、人才培养、改善管理等工作任务。",
      rule = finding { yes = 5, no = 0 } },
    item { no = "7.2", points = 5,
      text = "受援的县级医院常见病、多发病的诊治能力大幅提升，诊疗病种每年是否增加10%以上，到2020年县级医院分级诊疗病种是否可以达到250种以上。",
      rule = finding { yes = 5, no = 0 } },
  },

  section "家庭医生签约服务“一人一策”健康帮扶落实情况" {
    item { no = "8.1", points = 3,
      text = "对建档立卡贫困人口患病人数动态掌握是否及时、因病致贫返贫家庭及患病人员核实是否准确，是否建立健康管理工作台账。",
      note = "以到村工作日志核实：包抓干部每1个月到所包抓村评估掌握具体情况",
      rule = check {
        sql = [[
          WITH months AS (
            -- village assignments: months with a visit to that village
            SELECT a.cadre_id, a.village_id AS place,
                   (SELECT count(DISTINCT substr(cv.visited_on, 1, 7)) FROM cadre_visit cv
                    WHERE cv.cadre_id = a.cadre_id AND cv.village_id = a.village_id
                      AND cv.visited_on BETWEEN :period_start AND :period_end) AS n
            FROM cadre_assignment a WHERE a.year = :year AND a.village_id IS NOT NULL
            UNION ALL
            -- township assignments: months with a visit anywhere in the township
            SELECT a.cadre_id, a.township_id,
                   (SELECT count(DISTINCT substr(cv.visited_on, 1, 7)) FROM cadre_visit cv
                    JOIN village v ON v.id = cv.village_id
                    WHERE cv.cadre_id = a.cadre_id AND v.township_id = a.township_id
                      AND cv.visited_on BETWEEN :period_start AND :period_end)
            FROM cadre_assignment a WHERE a.year = :year AND a.village_id IS NULL)
          SELECT cadre_id AS cadre, count(*) AS places, sum(n < :visit_months) AS short,
                 :visit_months AS visit_months,
                 sum(n < :visit_months) > 0 AS failed, min(n) AS fewest
          FROM months GROUP BY cadre_id]],
        reason = "{places}处包抓点中{short}处全年到村不足{visit_months}个月（最少{fewest}个月）",
        ok_reason = "{places}处包抓点均每月到村",
      } },
    item { no = "8.2", points = 8,
      text = "是否有效落实家庭医生签约率和“一人一策、一病一方”帮扶措施。",
      rule = rate_at_least {
        threshold = "sign_rate",
        sql = "WITH " .. CADRE_VILLAGES .. ", " .. POOR .. [[,
          per_village AS (
            SELECT poor.village_id, count(*) AS den,
                   sum(EXISTS (SELECT 1 FROM contract k WHERE k.person_id = poor.id
                                 AND k.plan = 1 AND k.signed_on <= :period_end
                                 AND k.expires_on >= :period_start)) AS num
            FROM poor WHERE poor.away = 0 GROUP BY poor.village_id)
          SELECT cv.cadre_id AS cadre, coalesce(sum(pv.num), 0) AS num,
                 coalesce(sum(pv.den), 0) AS den
          FROM cv LEFT JOIN per_village pv ON pv.village_id = cv.village_id
          GROUP BY cv.cadre_id]],
        reason = "签约并落实“一人一策”的贫困人口比例未达标",
      } },
  },

  section "基层医疗卫生人才队伍建设情况" {
    item { no = "9", points = 5,
      text = "是否按要求落实农村订单定向医学生岗位，按要求选派村医参加培训，乡镇卫生院具有执业资格、能看病的医师是否达标。",
      note = "如三项全部完成得5分，部分完成酌情扣分",
      rule = finding { yes = 5, no = 0, partial = true } },
  },
}
