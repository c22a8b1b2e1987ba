-- Shared sets (docs/authoring.md, 共享集合 / Shared sets): two items that read the same two
-- sets, declared once in a shared file. tests/spec/sets_spec.lua runs it on the small fixture
-- (fixtures/small/post_assessment.sql) and works the values out by hand.
return scorecard {
  id = "shared-sets-example",
  title = "共享集合示例",
  period = "2018",
  mode = "deduction",
  subjects = { "county", "township" },
  sets = {
    include "shared/health_sets.lua",
    -- a set of the scorecard's own: admissions that took a deposit (先诊疗后付费 not applied)
    deposit_taken = {
      sql = [[SELECT id, person_id, admitted_on, institution,
                     printf('%d.%02d', deposit_fen / 100, deposit_fen % 100) AS deposit
              FROM admission a
              JOIN (SELECT id AS iid, name AS institution FROM institution) ON iid = a.institution_id
              WHERE a.kind = '住院' AND a.deposit_fen > 0
                AND a.admitted_on BETWEEN :period_start AND :period_end]],
      index = { "person_id" },
    },
  },

  item {
    no = "1", per = "每发现1人次",
    text = "脱贫人口中的农村低收入人口未按规定落实县域内“一站式”结算的",
    rule = per_case {
      each = 0.2,
      evidence = "admission",
      cases = [[
        SELECT a.id AS key, pp.county_id AS county, pp.township_id AS township,
               pp.name AS name, a.institution AS institution, a.admitted_on AS admitted_on
        FROM sets.admission_in_county a
        JOIN sets.poor_person pp ON pp.id = a.person_id
        WHERE a.one_stop = 0]],
      reason = "{name}于{admitted_on}在{institution}就诊，未落实“一站式”结算",
    },
  },

  item {
    no = "2", per = "每发现1人次",
    text = "脱贫人口中的农村低收入人口在县域内住院被收取押金的",
    rule = per_case {
      each = 0.2,
      evidence = "admission",
      cases = [[
        SELECT d.id AS key, pp.county_id AS county, pp.township_id AS township,
               pp.name AS name, d.institution AS institution, d.admitted_on AS admitted_on,
               d.deposit AS deposit
        FROM sets.deposit_taken d
        JOIN sets.admission_in_county a ON a.id = d.id
        JOIN sets.poor_person pp ON pp.id = d.person_id]],
      reason = "{name}于{admitted_on}在{institution}住院被收取押金{deposit}元",
    },
  },
}
