-- Reasons a reader can read (docs/authoring.md 十三): every rule's `reason` (why points were
-- lost), `ok_reason` (why the item passed) and `na_reason` (why it does not apply) are
-- templates whose {name} is that column of the query's row. The evidence keeps money in fen
-- and rates as fractions. A rate item's reason starts with the rate as the engine computed it,
-- as a percentage cut (not rounded) to one decimal, so that 94.99% never reads "95.0%，未达到
-- 95%": "2/3 = 66.6%，未达到95%；" — the template adds who. Money is turned into 元 by the
-- query, with SQL's format(), so that a form never prints "押金 123456" (fen).
-- tests/spec/reasons_spec.lua runs it and checks each reason word for word.
return scorecard {
  id = "reasons-example",
  title = "家庭医生签约与住院费用考核表（扣分说明示例）",
  period = "2018",
  subjects = { "village" },
  total = 10,
  params = { sign_rate = { 0.95, "签约率下限" } },

  item { no = "1", points = 5, text = "建档立卡贫困人口家庭医生签约率达到95%。",
    rule = rate_at_least { threshold = "sign_rate",
      sql = [[
        SELECT v.id AS village,
               count(DISTINCT c.person_id) AS num, count(DISTINCT p.id) AS den,
               count(DISTINCT p.id) - count(DISTINCT c.person_id) AS unsigned
        FROM village v
        JOIN household h ON h.village_id = v.id AND h.category = '建档立卡'
        JOIN person p ON p.household_id = h.id
        LEFT JOIN contract c ON c.person_id = p.id
                            AND c.signed_on BETWEEN :period_start AND :period_end
        GROUP BY v.id]],
      reason = "{unsigned}人未签约",
      ok_reason = "均已签约" } },

  item { no = "2", points = 5, text = "建档立卡贫困人口住院不收取押金。",
    rule = check {
      sql = [[
        SELECT v.id AS village, count(a.id) > 0 AS failed, count(a.id) AS n,
               format('%.2f', coalesce(sum(a.deposit_fen), 0) / 100.0) AS yuan
        FROM village v
        LEFT JOIN household h ON h.village_id = v.id AND h.category = '建档立卡'
        LEFT JOIN person p ON p.household_id = h.id
        LEFT JOIN admission a ON a.person_id = p.id AND a.deposit_fen > 0
                             AND a.admitted_on BETWEEN :period_start AND :period_end
        GROUP BY v.id]],
      reason = "{n}人次住院收取押金，共{yuan}元",
      ok_reason = "未发现收取押金" } },
}
