-- 健康扶贫先锋行动“五督”工作任务考核表 — 会宁县 县委办发〔2018〕83号 附件4 附表 (seed 004).
-- 26 items. The form prints no total and its points add up to 95, not 100: this scorecard
-- says 95. One filled-in form per 签约村 (village), averaged up to township and county.
--
-- Computed from evidence: 1 2 10 11 12 13 14 15 16 17 19 26. From the inspectors' findings
-- (scorecard id "huining-wudu-2018", subject_kind "village"): 3–9, 18, 20–25. Items 7 and 8
-- print "无任务的得4分": a finding of 不适用 gives full points.
--
-- Item 2 also has a clause no evidence table shows (医保基金60%总额预付): it is read from the
-- inspector's finding on item 2; a computed failure fails the item whatever the finding says,
-- and no failure without a finding is 待核实. Item 8 is a 2019 task: 不适用 in other periods.
--
-- The reading of every computed item (printed text, what is computed, population, window,
-- why) is the table docs/forms/wudu_2018.md, named on the workbook's 运行信息 sheet.
--   grades: the 五督 work plan defines none, so the card declares none and prints no grade
--   ("不定等次（考核表未规定等次分数线）"); until 2026-12 it used 好 ≥ 85.5, 较好 ≥ 76, 一般 ≥ 57
--   (90/80/60% of 95), which no document issued.

local POOR = [[
  poor AS (
    SELECT p.*, h.village_id, h.category FROM person p JOIN household h ON h.id = p.household_id)]]

-- The shared sets of this card (docs/authoring.md, 共享集合): each per-person item's failing
-- persons, made once per run before any item and indexed by village, read by both the item's
-- score query and its evidence query (before, each query rebuilt them: issue 19).
local SETS = {}

-- Every village gets a row; the set `name` (made from `bad`) lists the failing persons
-- (person_id, village_id, and for `cause` = "admission" the admission_id behind each). The
-- evidence rows are what caused the failure (issue 15 item 3): the admissions where the rule
-- is about an admission, else the persons. `bad` reads the CTE `poor` (POOR) unless `own_poor`
-- says it joins person and household itself (issue 19: after its own tests, for the few who
-- fail, instead of for every row).
local function per_person_check(name, bad, what, cause, own_poor)
  SETS[name] = { sql = own_poor and bad or "WITH " .. POOR .. " " .. bad, index = { "village_id" } }
  local key = cause == "admission" and "admission_id" or "person_id"
  return {
    sql = [[
      SELECT v.id AS village, count(DISTINCT b.person_id) AS n,
             count(DISTINCT b.person_id) > 0 AS failed
      FROM village v LEFT JOIN sets.]] .. name .. [[ b ON b.village_id = v.id GROUP BY v.id]],
    reason = "发现{n}人" .. what,
    evidence = {
      table = cause or "person",
      sql = "SELECT DISTINCT village_id AS village, " .. key .. " AS key FROM sets." .. name,
    },
  }
end

local INPATIENTS = [[
  SELECT a.*, poor.village_id, poor.disabled, poor.category,
         EXISTS (SELECT 1 FROM diagnosis d WHERE d.person_id = a.person_id AND d.kind = '大病')
           AS major
  FROM admission a JOIN poor ON poor.id = a.person_id
  WHERE a.kind = '住院' AND a.admitted_on BETWEEN :period_start AND :period_end]]

-- Items 13–16 read the period's inpatients of the poor from one shared set, made once.
SETS.wudu_inpatient = { sql = "WITH " .. POOR .. " " .. INPATIENTS, index = { "village_id" } }
local IP = "WITH ip AS NOT MATERIALIZED (SELECT * FROM sets.wudu_inpatient)"

-- Items 13–16: among the admissions `which`, none → 不适用; any failing `bad_when` → 0.
local function inpatient_check(which, bad_when, what, none)
  return {
    sql = IP .. [[
      SELECT v.id AS village, count(ip.id) AS cases,
             coalesce(sum(]] .. bad_when .. [[), 0) AS bad,
             count(ip.id) = 0 AS na
      FROM village v LEFT JOIN ip ON ip.village_id = v.id AND (]] .. which .. [[)
      GROUP BY v.id]],
    na_reason = none,
    reason = "{cases}例中{bad}例" .. what,
    ok_reason = "{cases}例均已落实",
    evidence = {
      table = "admission",
      sql = IP .. [[
        SELECT village_id AS village, id AS key FROM ip WHERE (]] .. which .. [[) AND (]] .. bad_when .. [[)]],
    },
  }
end

-- Items 15–16: among the admissions `which`, none → 不适用; none sent by the team → 0. The
-- evidence behind a failure is every such admission.
local function sent_by_team(which, none, reason, ok_reason)
  local ip = IP
  return {
    sql = ip .. [[
      SELECT v.id AS village, count(ip.id) AS cases, coalesce(sum(ip.sent_by_team), 0) AS sent,
             count(ip.id) = 0 AS na, coalesce(sum(ip.sent_by_team), 0) = 0 AS failed
      FROM village v LEFT JOIN ip ON ip.village_id = v.id AND (]] .. which .. [[)
      GROUP BY v.id]],
    na_reason = none, reason = reason, ok_reason = ok_reason,
    evidence = { table = "admission",
                 sql = ip .. " SELECT village_id AS village, id AS key FROM ip WHERE " .. which },
  }
end

-- The inspector's finding on the clauses of item `no` that no evidence table shows, combined
-- with a computed check (rows: village, n, failed): failed if either fails; with no computed
-- failure and no single finding (two findings count as none) the village gets no row
-- (待核实). The clause concerns 人社 and the hospitals; until findings can name an institution
-- or department it is recorded against the village whose form it is.
local function with_clause(spec, no, what)
  spec.sql = string.format([[
    WITH clause AS (
      SELECT subject_id, count(*) AS n, max(answer IN ('否', '部分')) AS no FROM finding
      WHERE scorecard = 'huining-wudu-2018' AND item = '%s' AND subject_kind = 'village'
        AND period = :period
      GROUP BY subject_id)]], no) .. [[
    SELECT q.village AS village, q.failed OR coalesce(cl.n = 1 AND cl.no, 0) AS failed,
           iif(q.n > 0, replace(']] .. spec.reason .. [[', '{n}', q.n) || '；', '') AS found,
           CASE WHEN cl.n = 1 AND cl.no THEN '现场核查：]] .. what .. [[未落实'
                WHEN cl.n = 1 THEN '现场核查：]] .. what .. [[已落实'
                ELSE ']] .. what .. [[无唯一的现场核查结论' END AS clause
    FROM (]] .. spec.sql .. [[) q LEFT JOIN clause cl ON cl.subject_id = q.village
    WHERE q.failed OR cl.n = 1]]
  spec.reason = "{found}{clause}"
  spec.ok_reason = "未发现问题；{clause}"
  return spec
end

-- check{} needs `failed`: derive it from `bad` for the inpatient checks.
local function failed_if_bad(spec)
  spec.sql = "SELECT *, bad > 0 AS failed FROM (" .. spec.sql .. ")"
  return spec
end

-- Item 12's population (建档立卡, not away) with whether each is signed, and signed with a
-- “一人一策” plan, by the deadline (`sign_deadline`, the item's `by`): read by the item's score
-- query and by its evidence query (the persons behind a loss).
SETS.wudu_12_due = {
  -- One pass over person in rowid order, each person's contracts aggregated in place: one
  -- lookup of them instead of an EXISTS each for `signed` and `planned` (same rows, same order;
  -- issue 19, the items' cost). Only the contracts valid at the deadline join (plan is 0 or
  -- 1): signed = any joined, planned = any joined with a plan, without testing the dates twice
  -- per contract (1,046 → 998 M instructions; the rest is a household and a contract lookup
  -- per person and the index).
  sql = [[
    SELECT p.id, h.village_id, count(k.plan) > 0 AS signed, coalesce(max(k.plan), 0) AS planned
    FROM person p JOIN household h ON h.id = p.household_id
    LEFT JOIN contract k ON k.person_id = p.id
      AND k.signed_on <= :sign_deadline AND k.expires_on >= :sign_deadline
    WHERE p.away = 0 AND h.category IN ('建档立卡', '已脱贫', '兜底保障')
    GROUP BY p.rowid]],
  index = { "village_id" },
}

-- Item 17's 四大慢病 patients (diagnosed by the period's end), each with the calendar quarters
-- of the period without a 随访 — counted (`missing`) and named (`missed`, "第2、3季度") — and the
-- persons (with the disease) who need a 慢病卡 and hold no valid one; read by the item's score
-- query and by its evidence query. The window is the period (item 17 declares none).
SETS.wudu_17_big4 = {
  -- Each patient's 随访 are read once, for the list; the count is the list's number of quarters
  -- (kh_quarters_missing_list names each missing quarter once, joined by "、", '' for none).
  -- Two correlated subqueries, one per aggregate, read them twice (issue 19: 531 → 381 M
  -- instructions, same rows in the same order). MATERIALIZED keeps SQLite from copying the
  -- subquery into each use of `missed`. The patients are made distinct before their person
  -- and household are looked up (once per patient, not per diagnosis: 385 → 364 M); NOT
  -- INDEXED keeps the scan in diagnosis rowid order, so the patients come in the order of their
  -- first diagnosis, as before (through diagnosis_person they would come by person id).
  sql = "WITH " .. POOR .. [[,
    ill AS (SELECT DISTINCT d.person_id FROM diagnosis d NOT INDEXED
            WHERE d.big4 = 1 AND d.diagnosed_on <= :period_end),
    big4 AS (SELECT poor.id, poor.village_id, poor.name FROM ill
             CROSS JOIN poor ON poor.id = ill.person_id),
    listed AS MATERIALIZED (
      SELECT big4.id AS person_id, big4.village_id, big4.name,
             coalesce((SELECT kh_quarters_missing_list(f.visited_on, :period_start, :period_end)
                       FROM followup f WHERE f.person_id = big4.id AND f.kind = '随访'
                         AND f.visited_on BETWEEN :period_start AND :period_end),
                      (SELECT kh_quarters_missing_list(NULL, :period_start, :period_end))) AS missed
      FROM big4)
    SELECT person_id, village_id, name,
           iif(missed = '', 0, length(missed) - length(replace(missed, '、', '')) + 1) AS missing,
           missed
    FROM listed]],
  index = { "village_id" },
}
SETS.wudu_17_nocard = {
  -- The card test reads the diagnosis alone (d.person_id, not poor.id), so SQLite makes it
  -- before the person and household lookups, which only the ~300 without a card then need;
  -- CROSS JOIN keeps diagnosis the outer loop, so the rows keep its order (issue 19: 123 → 86
  -- M instructions).
  sql = "WITH " .. POOR .. [[
    SELECT DISTINCT poor.id AS person_id, poor.village_id, poor.name, d.disease FROM diagnosis d
    CROSS JOIN poor ON poor.id = d.person_id
    WHERE d.needs_card = 1 AND d.diagnosed_on <= :period_end
      AND NOT EXISTS (SELECT 1 FROM chronic_card c WHERE c.person_id = d.person_id
                        AND c.disease = d.disease AND c.expires_on >= :period_end)]],
  index = { "village_id" },
}

-- Item 17 per village: `served` (den: 四大慢病 patients; num: those with every quarter visited)
-- and `nocard` (n: persons without a valid card), for its score and its evidence query.
local CHRONIC_17 = [[
  WITH served AS (SELECT village_id, count(*) AS den, sum(missing = 0) AS num
                  FROM sets.wudu_17_big4 GROUP BY village_id),
  nocard AS (SELECT village_id, count(DISTINCT person_id) AS n FROM sets.wudu_17_nocard
             GROUP BY village_id)]]

local SECTION_ACCOUNTABLE = "各相关部门，各医疗机构。"

return scorecard {
  id = "huining-wudu-2018",
  title = "健康扶贫先锋行动“五督”工作任务考核表",
  source = "会宁县 县委办发〔2018〕83号 附件4 附表",
  period = "2018",
  short = "五督",
  reading = "docs/forms/wudu_2018.md",
  subjects = { "village" },
  rollup = { "township", "county", "city" },
  total = 95,
  sets = SETS, -- filled by the per-person items below (per_person_check)
  params = {
    reimburse_ratio = { 0.85, "合规医疗费用实际补偿比下限" },
    serious_deductible = { 2000, "大病保险起付线（元）" },
    aid_floor = { 3000, "医疗救助兜底线（元）" },
    sign_rate = { 0.95, "家庭医生签约率与一人一策落实率下限" },
    chronic_service_rate = { 0.9, "慢病服务规范率下限" },
    sign_deadline = { "2018-08-31", "家庭医生签约率与一人一策落实率的完成时限（8月底前）" },
    missing_cards = { 2, "应纳入慢病卡而未办卡人数达到此数即不得分" },
    awareness_rate = { 0.95, "健康扶贫政策群众知晓率下限" },
  },

  section "相关部门配套政策制定、出台和执行情况" {
    accountable = SECTION_ACCOUNTABLE,
    item { no = "1", points = 5,
      text = "是否落实建档立卡贫困人口、城乡低保、特困供养人员大病保险起付线降低至 2000 元的政策。建档立卡贫困人口合规医疗费用实际补偿比不低于 85% 的政策，医疗救助 3000 元兜底保障政策。",
      -- Each person's admissions summed first (in person_id order, as before), then person and
      -- household looked up only for the persons who would fail were they registered — the
      -- first WHERE term, which reads `s` alone and so is tested before the lookups (CROSS
      -- JOIN keeps that order); the second and third are the rule itself. Before, all 23k
      -- admissions were joined to person and household (issue 19: 403 → 188 M instructions).
      rule = check(per_person_check("wudu_1_failed", [[
        WITH s AS (
          SELECT a.person_id, sum(a.compliant_fen) AS compliant, sum(a.basic_fen) AS basic,
                 sum(a.serious_fen) AS serious, sum(a.aid_fen) AS aid,
                 sum(a.basic_fen + a.serious_fen + a.aid_fen + a.other_fen) AS reimbursed
          FROM admission a WHERE a.admitted_on BETWEEN :period_start AND :period_end
          GROUP BY a.person_id)
        SELECT s.person_id, h.village_id FROM s
        CROSS JOIN person p ON p.id = s.person_id
        CROSS JOIN household h ON h.id = p.household_id
        WHERE ((s.compliant > 0 AND s.reimbursed * 100 < round(:reimburse_ratio * 100) * s.compliant)
               OR (s.compliant - s.basic > :serious_deductible * 100 AND s.serious = 0)
               OR s.aid < s.compliant - s.basic - s.serious - :aid_floor * 100)
          AND (h.category IN ('建档立卡', '已脱贫', '兜底保障') OR p.dibao = 1 OR p.tekun = 1)
          AND ((h.category IN ('建档立卡', '已脱贫', '兜底保障') AND s.compliant > 0
                AND s.reimbursed * 100 < round(:reimburse_ratio * 100) * s.compliant)
               OR (s.compliant - s.basic > :serious_deductible * 100 AND s.serious = 0)
               OR (h.category IN ('建档立卡', '已脱贫', '兜底保障')
                   AND s.aid < s.compliant - s.basic - s.serious - :aid_floor * 100))]],
        "未享受起付线、85%补偿比或3000元兜底政策", nil, true)) },
    -- The set's third WHERE term is implied by the fourth, but reads the admission alone:
    -- SQLite tests it before the person, household and institution lookups, which only ~1 in
    -- 50 admissions then needs (issue 19: 127 → 33 M instructions).
    item { no = "2", points = 5, finding_clause = "医保基金60%总额预付",
      text = "是否落实医保基金 60% 总额预付，农村贫困人口在县域内定点医疗机构就诊和城乡居民患 50 种重大疾病在大病救治定点医疗机构就诊免收押金，建档立卡贫困人口在各级定点医疗机构就诊不设起付线等政策。",
      rule = check(with_clause(per_person_check("wudu_2_failed", [[
        SELECT a.person_id, poor.village_id, a.id AS admission_id FROM admission a
        JOIN poor ON poor.id = a.person_id JOIN institution i ON i.id = a.institution_id
        WHERE a.kind = '住院' AND a.admitted_on BETWEEN :period_start AND :period_end
          AND (a.deposit_fen > 0 OR (a.compliant_fen > 0 AND a.basic_fen = 0))
          AND ((a.deposit_fen > 0
                AND ((i.in_county = 1 AND poor.category IN ('建档立卡', '已脱贫', '兜底保障'))
                     OR EXISTS (SELECT 1 FROM diagnosis d WHERE d.person_id = a.person_id
                                  AND d.major50 = 1 AND d.diagnosed_on <= a.admitted_on)))
               OR (a.compliant_fen > 0 AND a.basic_fen = 0
                   AND poor.category IN ('建档立卡', '已脱贫', '兜底保障')))]],
        "（贫困人口）在县域内住院或（城乡居民）患50种重大疾病住院被收取押金，或贫困人口住院合规费用未获基本医保报销（设了起付线）",
        "admission"),
        "2", "医保基金60%总额预付")) },
    item { no = "3", points = 4, text = "健康扶贫签约团队服务经费是否足额筹集拨付、发放。",
      rule = finding { yes = 4, no = 0 } },
  },

  section "医疗机构“组团式”帮扶工作" {
    item { no = "4", points = 4, accountable = "支援医生。",
      text = "帮扶措施是否落实，选派人员是否固定，帮扶作用是否发挥，帮扶成效是否达标。",
      rule = finding { yes = 4, no = 0 } },
    item { no = "5", points = 4, accountable = "受援医院及负责人。",
      text = "受援医院是否建立支援人员考勤管理制度、安排支援人员具体医疗任务。",
      rule = finding { yes = 4, no = 0 } },
    item { no = "6", points = 4, accountable = "受援医院及负责人。",
      text = "受援医院是否积极妥善安排支援医院派驻人员生活、工作、安全保障等工作。",
      rule = finding { yes = 4, no = 0 } },
    item { no = "7", points = 4, accountable = "受援医院及负责人。",
      text = "2018 年，下达任务的医疗机构是否完成重点专科和薄弱学科建设任务，是否完成检验、病理、心电和消毒供应等 4 个县级医学中心建设（年度内有 1 个未开工或建设进度较慢的不得分，无任务的得 4 分）。",
      rule = finding { yes = 4, no = 0 } },
    item { no = "8", points = 4, accountable = "受援医院及负责人。", years = { 2019 },
      text = "2019 年，下达任务的医疗机构是否完成薄弱学科建设任务，是否完成影像中心建设任务（年度内有 1 个未开工或建设进度较慢的不得分，当年无建设任务得 4 分）。",
      rule = finding { yes = 4, no = 0 } },
    item { no = "9", points = 4, accountable = "受援医院及负责人。",
      text = "到 2018 年底远程会诊网络能否覆盖县级医院和 80% 的乡镇卫生院；能否到 2020 年县域内首诊比例达到 90% 以上。",
      rule = finding { yes = 4, no = 0 } },
  },

  section "家庭医生签约团队及成员履职尽责情况" {
    accountable = "签约团队成员；健康专干。",
    item { no = "10", points = 4, text = "市、县、乡、村级医务人员签约团队是否健全，分工是否明确。",
      rule = check {
        sql = [[
          SELECT v.id AS village, coalesce(group_concat(dt.levels, '/'), '无') AS levels,
                 NOT coalesce(max(instr(dt.levels, '省市') > 0 AND instr(dt.levels, '县') > 0
                                  AND instr(dt.levels, '乡') > 0 AND instr(dt.levels, '村') > 0), 0)
                   AS failed
          FROM village v LEFT JOIN doctor_team dt ON dt.township_id = v.township_id
          GROUP BY v.id]],
        reason = "乡镇签约团队层级为“{levels}”，缺少市级（省市）、县、乡、村中的一级",
        ok_reason = "签约团队含市、县、乡、村四级",
      } },
    item { no = "11", points = 4, text = "各级医务人员是否对因病致贫返贫人员入户见人并建立帮扶关系。",
      -- From the ~13k ill persons (diagnosis) rather than a diagnosis lookup for each of the
      -- 63k persons; household only for those who fail (CROSS JOIN keeps that order); ORDER BY
      -- p.rowid keeps the rows in person order, as before (issue 19: 412 → 270 M instructions).
      rule = check(per_person_check("wudu_11_failed", [[
        WITH ill AS (SELECT DISTINCT d.person_id FROM diagnosis d
                     WHERE d.kind IN ('大病', '慢病') AND d.diagnosed_on <= :period_end)
        SELECT p.id AS person_id, h.village_id FROM ill
        CROSS JOIN person p ON p.id = ill.person_id
        CROSS JOIN household h ON h.id = p.household_id
        WHERE NOT EXISTS (SELECT 1 FROM contract k WHERE k.person_id = p.id
                            AND k.signed_on <= :period_end AND k.expires_on >= :period_start)
           OR NOT EXISTS (SELECT 1 FROM followup f WHERE f.person_id = p.id
                            AND f.visited_on BETWEEN :period_start AND :period_end)
        ORDER BY p.rowid]],
        "因病致贫返贫人员未签约或本年无入户服务记录", nil, true)) },
    item { no = "12", points = 4, by = "sign_deadline",
      text = "2018 年 8 月底前，家庭医生签约率和“一人一策”帮扶措施落实率是否达到 95% 以上，是否做到应签尽签。",
      rule = rate_at_least {
        threshold = "sign_rate",
        sql = [[
          SELECT v.id AS village, count(due.id) AS den, coalesce(sum(due.planned), 0) AS num,
                 count(due.id) - coalesce(sum(due.signed), 0) AS unsigned,
                 count(due.id) > coalesce(sum(due.signed), 0) AS failed, :item_by AS deadline
          FROM village v LEFT JOIN sets.wudu_12_due due ON due.village_id = v.id
          GROUP BY v.id]],
        reason = "截至{deadline}签约并落实“一人一策”的比例未达标，或有{unsigned}人应签未签",
        ok_reason = "截至{deadline}应签尽签",
        -- The persons behind a loss: those not signed by the deadline (应签尽签), and, where the
        -- rate fell short, also those signed without a “一人一策” plan (the rate compared as
        -- the engine does: num × 10000 < round(threshold × 10000) × den). The villages that
        -- fell short are listed once and each row scanned once, rather than every row looked
        -- up again through the village index after the rates (the engine sorts the keys, so
        -- the row order is free; issue 19: 143 → 109 M instructions).
        evidence = {
          table = "person",
          sql = [[
            WITH short AS (SELECT village_id FROM sets.wudu_12_due GROUP BY village_id
                           HAVING sum(planned) * 10000 < round(:sign_rate * 10000) * count(*))
            SELECT due.village_id AS village, due.id AS key FROM sets.wudu_12_due due
            WHERE NOT due.signed OR (NOT due.planned AND due.village_id IN short)]],
        },
      } },
    item { no = "13", points = 5, accountable = "市、县级签约专家",
      text = "村医、乡镇卫生院医生上报的患重大疾病人员，县级专家是否落实了帮扶措施（考核签约村，如该村当年有住院患者，县级专家没有发挥相应作用的不予得分）。",
      rule = check(failed_if_bad(inpatient_check("ip.major = 1", "coalesce(ip.expert_acted, 0) = 0",
        "重大疾病住院患者县级专家未落实帮扶措施", "该村当年无重大疾病住院患者"))) },
    item { no = "14", points = 5, accountable = "市、县级签约专家",
      text = "确需到上一级医院住院治疗的，省（市）级专家是否与县级专家商定方案、联系了床位和专家（考核签约村，如该村当年有住院患者，省（市）级专家没有发挥相应作用的不予得分）。",
      rule = check(failed_if_bad(inpatient_check("ip.major = 1 AND ip.referred_up = 1",
        "coalesce(ip.expert_acted, 0) = 0", "转上级医院的患者省（市）级专家未发挥作用",
        "该村当年无转上级医院住院的重大疾病患者"))) },
    item { no = "15", points = 4, accountable = "签约团队成员，健康专干。",
      text = "对有病看不了、看病就医难等贫困人群“送医上门”、“送人就医”服务机制是否建立并落实（考核签约村，如该村当年住院患者中无“送人就医”病例的不予得分）。",
      rule = check(sent_by_team("1 = 1", "该村当年无住院患者",
        "当年{cases}例住院患者中无“送人就医”病例", "当年{cases}例住院患者中{sent}例为“送人就医”")) },
    item { no = "16", points = 4, accountable = "签约团队成员，健康专干。",
      text = "对兜底保障户、失能和残疾人等，是否与村干部、卫生计生、民政、残联专干等共同落实“送人就医”服务（考核签约村，如该村当年住院患者中无1例“送人就医”病例的不予得分）。",
      rule = check(sent_by_team("ip.disabled = 1 OR ip.category = '兜底保障'",
        "该村当年无兜底保障户、失能或残疾住院患者",
        "{cases}例兜底保障户、失能或残疾住院患者中无“送人就医”病例",
        "{cases}例中{sent}例为“送人就医”")) },
    item { no = "17", points = 4, accountable = "签约团队成员，健康专干。",
      text = "村医、乡医是否按照所定的“策”定期进行健康管理和服务，对需要纳入慢病门诊管理的人员是否都建立了管理卡（考核签约村，如慢病服务规范率未达到90%、应纳入慢病卡人员超过2人（含）的不予得分）。",
      rule = rate_at_least {
        threshold = "chronic_service_rate",
        sql = CHRONIC_17 .. [[
          SELECT v.id AS village, coalesce(s.num, 0) AS num, coalesce(s.den, 0) AS den,
                 coalesce(n.n, 0) AS nocard, coalesce(n.n, 0) >= :missing_cards AS failed
          FROM village v LEFT JOIN served s ON s.village_id = v.id
          LEFT JOIN nocard n ON n.village_id = v.id]],
        reason = "应纳入慢病卡而无有效慢病卡{nocard}人",
        ok_reason = "应纳入慢病卡而无有效慢病卡{nocard}人",
        -- The persons behind a loss, each with its reason: where the rate fell short (compared
        -- as the engine does), the 四大慢病 patients with a quarter without 随访 ("张三缺第2、3季度
        -- 随访"); where the missing cards reached `missing_cards`, the persons without one.
        evidence = {
          table = "person",
          sql = CHRONIC_17 .. [[
            SELECT b.village_id AS village, b.person_id AS key,
                   b.name || '缺' || b.missed || '随访' AS reason
            FROM sets.wudu_17_big4 b JOIN served s ON s.village_id = b.village_id
            WHERE b.missing > 0
              AND s.num * 10000 < round(:chronic_service_rate * 10000) * s.den
            UNION ALL
            SELECT c.village_id, c.person_id,
                   c.name || '无有效慢病卡（' || replace(group_concat(DISTINCT c.disease), ',', '、')
                   || '）'
            FROM sets.wudu_17_nocard c JOIN nocard n ON n.village_id = c.village_id
            WHERE n.n >= :missing_cards
            GROUP BY c.village_id, c.person_id]],
        },
      } },
    item { no = "18", points = 4, accountable = "乡镇卫生院主要负责人，村医，健康专干。",
      text = "村医、乡医是否主动将需转诊的患病人员信息报告县级医生联系床位、预约专家，请县级专家指导，县级专家是否给予了科学指导。",
      rule = finding { yes = 4, no = 0 } },
  },

  section "健康专干工作情况" {
    accountable = "健康专干。",
    item { no = "19", points = 2, text = "是否帮助帮扶对象享受到了医保参保政策和补助。",
      -- The enrollment tested first, household only for the ~1.4k persons who fail it (CROSS
      -- JOIN keeps that order; before, every person's household was looked up first; issue 19:
      -- 459 → 261 M instructions).
      rule = check(per_person_check("wudu_19_failed", [[
        SELECT p.id AS person_id, h.village_id FROM person p
        LEFT JOIN enrollment e ON e.person_id = p.id AND e.year = :year
        CROSS JOIN household h ON h.id = p.household_id
        WHERE (coalesce(e.basic, 0) = 0 OR coalesce(e.premium_paid_by_state, 0) = 0)
          AND h.category IN ('建档立卡', '已脱贫', '兜底保障')]],
        "未参保或未享受参保补助（代缴）", nil, true)) },
    item { no = "20", points = 2, text = "是否对帮扶对象进行健康权益保护、医保政策知识、科学规范就诊等宣传教育。",
      rule = finding { yes = 2, no = 0 } },
    item { no = "21", points = 2, text = "是否帮助帮扶对象落实有病时找村医、找签约团队的治病看病措施。",
      rule = finding { yes = 2, no = 0 } },
    item { no = "22", points = 2, text = "是否帮助督促签约团队落实帮扶措施。",
      rule = finding { yes = 2, no = 0 } },
    item { no = "23", points = 2, text = "是否帮助帮扶对象落实各项医保报销政策。",
      rule = finding { yes = 2, no = 0 } },
    item { no = "24", points = 2, text = "是否对帮扶对象的医保报销情况进行核对。",
      rule = finding { yes = 2, no = 0 } },
    item { no = "25", points = 2, text = "是否对签约服务落实情况进行跟踪核实。",
      rule = finding { yes = 2, no = 0 } },
  },

  section "健康扶贫政策宣传情况" {
    accountable = "签约团队，健康专干。",
    item { no = "26", points = 5,
      text = "是否广泛开展社会宣传、新闻宣传，宣传内容和形式是否喜闻乐见、群众看得懂、听得明白，健康扶贫政策群众知晓率是否达到95%以上（含95%）。",
      rule = rate_at_least {
        threshold = "awareness_rate", when_none = "pending",
        -- The period's ~3k answers taken to their person and household first (in a subquery
        -- that SQLite makes once and indexes by village), rather than from each village through
        -- all its 63k residents to a survey lookup each (issue 19: 277 → 48 M instructions).
        sql = [[
          SELECT v.id AS village, count(s.id) AS den, coalesce(sum(s.aware), 0) AS num
          FROM village v LEFT JOIN (
            SELECT h.village_id, s.id, s.aware FROM survey s
            JOIN person p ON p.id = s.person_id JOIN household h ON h.id = p.household_id
            WHERE s.surveyed_on BETWEEN :period_start AND :period_end) s ON s.village_id = v.id
          GROUP BY v.id]],
        reason = "政策知晓率未达标",
        -- The rows behind a loss: the period's survey answers of the village that were not
        -- aware (26 fails only on the rate, so every one of them counts against it).
        evidence = {
          table = "survey",
          sql = [[
            SELECT h.village_id AS village, s.id AS key FROM survey s
            JOIN person p ON p.id = s.person_id JOIN household h ON h.id = p.household_id
            WHERE s.aware = 0 AND s.surveyed_on BETWEEN :period_start AND :period_end]],
        },
      } },
  },
}
