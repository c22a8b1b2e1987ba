-- Shared sets for health scorecards (docs/authoring.md, 共享集合 / Shared sets). Several
-- scorecards include this file with `sets = { include "shared/health_sets.lua" }`; the engine
-- makes each set once per run, before any item, and items read it as sets.NAME.
return sets {
  -- 脱贫人口中的农村低收入人口: low-income persons of 建档立卡 / 已脱贫 / 兜底保障 households,
  -- with the village, township and county a case about them is charged to.
  poor_person = {
    sql = [[
      SELECT p.id, p.name, h.village_id, v.township_id, t.county_id
      FROM person p
      JOIN household h ON h.id = p.household_id
      JOIN village v ON v.id = h.village_id
      JOIN township t ON t.id = v.township_id
      WHERE p.low_income = 1 AND h.category IN ('建档立卡', '已脱贫', '兜底保障')]],
    index = { "id" },
  },

  -- The period's settlements at in-county institutions (县域内), with the institution's name.
  admission_in_county = {
    sql = [[
      SELECT a.id, a.person_id, a.kind, a.admitted_on, a.one_stop, a.deposit_fen,
             i.name AS institution
      FROM admission a
      JOIN institution i ON i.id = a.institution_id
      WHERE i.in_county = 1 AND a.admitted_on BETWEEN :period_start AND :period_end]],
    index = { "person_id" },
  },
}
