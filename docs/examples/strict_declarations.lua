-- Strict declarations (Scorecard language v2, item 8): a small complete scorecard that uses
-- every table the language takes — header, params, grades, a section with its 问责主体 and
-- note, items, two rule kinds and an `evidence` sub-table. Each table refuses a field it does
-- not take, naming the nearest one it does: `acountable = "…"` in the section below would stop
-- `kaohe check` with
--   FILE:LINE: section "村卫生室建设": unknown field 'acountable' (did you mean 'accountable'?)
-- instead of silently dropping the 问责主体. The notes (考核评价) of the scorecard, of the
-- section and of an item are part of the declaration and are stored with every run in the
-- results database: run_scorecard.note, item.section_note and item.note.
-- tests/spec/mistakes_spec.lua runs it.
return scorecard {
  id = "strict-example-2019",
  title = "村级卫生服务考核表（示例）",
  source = "示例 附件1",
  period = "2019",
  subjects = { "village" },
  total = 10,
  note = "年度考核；9分以上为好",
  grades = { source = "示例：本地规定（等次分数线由县考核办确定）", { "好", 9 }, { "差", 0 } },
  params = { clinic_kind = { "村卫生室", "计入本项的机构类别" } },

  section "村卫生室建设" {
    accountable = "乡镇卫生院。",
    note = "以机构名册和现场核查为准",
    item { no = "1", points = 6, text = "是否设有村卫生室。", note = "有得6分，无不得分",
      rule = check {
        sql = [[
          SELECT v.id AS village, count(i.id) = 0 AS failed
          FROM village v
          LEFT JOIN institution i ON i.village_id = v.id AND i.kind = :clinic_kind
          GROUP BY v.id]],
        reason = "本村没有村卫生室",
        ok_reason = "本村设有村卫生室",
        evidence = { table = "village", sql = [[
          SELECT v.id AS village, v.id AS key FROM village v
          WHERE NOT EXISTS (SELECT 1 FROM institution i
                            WHERE i.village_id = v.id AND i.kind = :clinic_kind)]] },
      } },
    item { no = "2", points = 4, text = "村医是否按时上报工作台账。",
      rule = finding { yes = 4, no = 0 } },
  },
}
