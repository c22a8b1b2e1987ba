-- 健康扶贫成果后评估指标体系 — the deduction table of 健康脱贫大排查大整改实施方案 篇1 二
-- (seed 003). Four items, each "扣0.2分"; the form prints no base score and no cap, so this
-- scorecard is in deduction mode (扣分制): a subject's total is minus what it lost.
--
-- Scored per county and per township. Items 1–3 count person-times (人次) found in the
-- evidence and charge each to the township and county of the person's village. Item 4 is a
-- county-level requirement (至少1家乡镇卫生院或社区卫生服务中心达标); townships get 不适用.
--
-- The reading of every item (printed text, what is computed, population, window, why) is the
-- table docs/forms/post_assessment_deductions.md, named on the workbook's 运行信息 sheet.

-- Every person-level query attributes the case to its village's township and county.
local WHERE_PERSON = [[
  JOIN household h ON h.id = p.household_id
  JOIN village v ON v.id = h.village_id
  JOIN township t ON t.id = v.township_id]]

return scorecard {
  id = "post-assessment-deductions",
  title = "健康扶贫成果后评估指标体系",
  source = "健康脱贫大排查大整改实施方案 篇1 二（健康扶贫成果后评估指标体系）",
  period = "2018",
  short = "后评估",
  reading = "docs/forms/post_assessment_deductions.md",
  mode = "deduction",
  subjects = { "county", "township" },

  item {
    no = "1", per = "每发现1人次",
    text = "脱贫人口中的农村低收入人口未按规定落实县域内“一站式”结算的",
    rule = per_case {
      each = 0.2,
      evidence = "admission",
      cases = [[
        SELECT a.id AS key, t.county_id AS county, t.id AS township,
               p.name AS name, i.name AS institution, a.admitted_on AS admitted_on
        FROM admission a
        JOIN person p ON p.id = a.person_id ]] .. WHERE_PERSON .. [[
        JOIN institution i ON i.id = a.institution_id
        WHERE a.one_stop = 0 AND i.in_county = 1 AND p.low_income = 1
          AND h.category IN ('建档立卡', '已脱贫', '兜底保障')
          AND a.admitted_on BETWEEN :period_start AND :period_end]],
      reason = "{name}于{admitted_on}在{institution}就诊，未落实“一站式”结算",
    },
  },

  item {
    no = "2", per = "每发现1人次",
    text = "未实现“先诊疗后付费”政策应享尽享的（符合享受“先诊疗后付费”的人员被收取住院押金）",
    rule = per_case {
      each = 0.2,
      evidence = "admission",
      cases = [[
        SELECT a.id AS key, t.county_id AS county, t.id AS township,
               p.name AS name, i.name AS institution, a.admitted_on AS admitted_on,
               printf('%d.%02d', a.deposit_fen / 100, a.deposit_fen % 100) AS deposit
        FROM admission a
        JOIN person p ON p.id = a.person_id ]] .. WHERE_PERSON .. [[
        JOIN institution i ON i.id = a.institution_id
        WHERE a.kind = '住院' AND a.deposit_fen > 0 AND i.in_county = 1 AND p.low_income = 1
          AND a.admitted_on BETWEEN :period_start AND :period_end]],
      reason = "{name}于{admitted_on}在{institution}住院被收取押金{deposit}元",
    },
  },

  item {
    no = "3", per = "每发现1人次",
    text = "未按规定做好慢性病签约服务的（签约、手册信息相符、慢病卡办理或到期、本年服务记录、四大慢病随访次数）",
    rule = per_case {
      each = 0.2,
      evidence = "person",
      -- Why this shape (issue 19): the card checks read each person's diagnoses in the pass
      -- that finds the 慢病 patients (grouped in diagnosis_person's order, the order DISTINCT
      -- gave), one card look-up of each kind per diagnosis, instead of a second and a third
      -- diagnosis look-up per patient; one contract look-up gives both 未签约 (no contract in
      -- force: NULL) and the handbook (1 when one in force has handbook_ok = 0); and `checked`
      -- is MATERIALIZED so that the WHERE and the list read each check once.
      cases = [[
        WITH chronic AS (
          SELECT d.person_id,
                 max(d.big4 = 1) AS big4,
                 max(d.needs_card = 1
                     AND NOT EXISTS (SELECT 1 FROM chronic_card cc
                                     WHERE cc.person_id = d.person_id
                                       AND cc.disease = d.disease)) AS card_missing,
                 -- a card, but none valid at the period's end
                 max(d.needs_card = 1
                     AND (SELECT max(cc.expires_on) FROM chronic_card cc
                          WHERE cc.person_id = d.person_id
                            AND cc.disease = d.disease) < :period_end) AS card_expired
          FROM diagnosis d WHERE d.diagnosed_on <= :period_end
          GROUP BY d.person_id HAVING max(d.kind = '慢病')),
        checked AS MATERIALIZED (
          SELECT c.person_id, c.card_missing, c.card_expired,
            (SELECT max(k.handbook_ok = 0) FROM contract k WHERE k.person_id = c.person_id
               AND k.signed_on <= :period_end AND k.expires_on >= :period_start) AS signed_bad,
            NOT EXISTS (SELECT 1 FROM followup f WHERE f.person_id = c.person_id
                          AND f.visited_on BETWEEN :period_start AND :period_end)
              AS no_service,
            -- a 四大慢病 patient's quarters without 随访, named ("第2、3季度"; '' when none)
            iif(c.big4,
                coalesce((SELECT kh_quarters_missing_list(f.visited_on, :item_from, :item_until)
                          FROM followup f WHERE f.person_id = c.person_id AND f.kind = '随访'
                            AND f.visited_on BETWEEN :item_from AND :item_until),
                         (SELECT kh_quarters_missing_list(NULL, :item_from, :item_until))),
                '') AS missed_quarters
          FROM chronic c)
        SELECT k.person_id AS key, t.county_id AS county, t.id AS township, p.name AS name,
               rtrim(iif(signed_bad IS NULL, '未签约；', '')
                     || iif(signed_bad, '手册信息与该户人口信息不符；', '')
                     || iif(card_missing, '应办慢病卡未办；', '') || iif(card_expired, '慢病卡已到期；', '')
                     || iif(no_service, '无本年服务记录；', '')
                     || iif(missed_quarters <> '', '四大慢病缺' || missed_quarters || '随访；', ''),
                     '；') AS problems
        FROM checked k
        JOIN person p ON p.id = k.person_id ]] .. WHERE_PERSON .. [[
        WHERE signed_bad IS NULL OR signed_bad OR card_missing OR card_expired OR no_service
           OR missed_quarters <> '']],
      reason = "慢病患者{name}：{problems}",
    },
  },

  item {
    no = "4", per = "未实现",
    text = "县内至少要有1家乡镇卫生院或社区卫生服务中心达到《乡镇卫生院服务能力标准》《社区卫生服务中心服务能力标准》基本标准，未实现的",
    rule = deduct_if {
      deduct = 0.2,
      sql = [[
        SELECT c.id AS county, count(i.id) AS centres,
               coalesce(sum(i.capability_met = 1), 0) AS met,
               coalesce(sum(i.capability_met = 1), 0) = 0 AS failed
        FROM county c
        LEFT JOIN institution i ON i.county_id = c.id
                               AND i.kind IN ('乡镇卫生院', '社区卫生服务中心')
        GROUP BY c.id]],
      reason = "全县{centres}家乡镇卫生院/社区卫生服务中心均未达到服务能力基本标准",
      ok_reason = "全县{centres}家中有{met}家达到服务能力基本标准",
      evidence = {
        table = "institution",
        sql = [[
          SELECT county_id AS county, id AS key FROM institution
          WHERE kind IN ('乡镇卫生院', '社区卫生服务中心')
            AND coalesce(capability_met, 0) = 0]],
      },
    },
  },
}
