#!/usr/bin/env bash
# kaohe-gen's 医疗保障 mix and edge cases (fixtures/gen/gen_yibao.inc.c, issue 14 item 5) on the
# default 会宁县 (seed 20180901, 292 villages): each card item gets a realistic minority of
# failing villages made of real cases, and the edge cases the fixed readings need exist. Every
# figure is counted here with sqlite3 from the rows, not taken from the generator.
source "$(dirname "$0")/lib.bash"
: "${KAOHE_GEN:?}"
"$KAOHE_GEN" --out "$T/ev.db" >/dev/null
q() { sqlite3 "$T/ev.db" "$1"; }
POOR="SELECT p.id, h.village_id FROM person p JOIN household h ON h.id = p.household_id
      WHERE h.category IN ('建档立卡', '已脱贫', '兜底保障')"
# between LO HI N WHAT: LO <= N <= HI
between() {
  if [ "$3" -ge "$1" ] && [ "$3" -le "$2" ]; then ok; else fail "$4: $3 not in $1..$2"; fi
}

expect_eq 292 "$(q 'SELECT count(*) FROM village')" "the default county"
expect_eq 0 "$(q 'SELECT count(*) FROM admission WHERE basic_fen + serious_fen + aid_fen + other_fen
  + self_fen <> total_fen OR min(basic_fen, serious_fen, aid_fen, other_fen, self_fen) < 0
  OR compliant_fen > total_fen')" "every settlement's parts add up, none negative"

# 不合规费用 (yibao item 4): in a minority of villages (~8%), and there on some settlements only
nc=$(q "WITH poor AS ($POOR) SELECT count(DISTINCT poor.village_id) FROM admission a
        JOIN poor ON poor.id = a.person_id WHERE a.kind = '住院' AND a.total_fen > a.compliant_fen")
between 10 44 "$nc" "villages whose 贫困人口 had 住院 with non-compliant cost (of 292)"
share=$(q "WITH poor AS ($POOR), v AS (SELECT DISTINCT poor.village_id FROM admission a
           JOIN poor ON poor.id = a.person_id WHERE a.total_fen > a.compliant_fen)
           SELECT 100 * sum(a.total_fen > a.compliant_fen) / count(*) FROM admission a
           JOIN poor ON poor.id = a.person_id WHERE poor.village_id IN (SELECT village_id FROM v)")
between 15 50 "$share" "% of settlements with non-compliant cost in those villages"

# 住院 actual reimbursement (yibao item 2, ≥ 90% summed per village): a minority below
low=$(q "WITH poor AS ($POOR) SELECT count(*) FROM (SELECT poor.village_id FROM admission a
         JOIN poor ON poor.id = a.person_id WHERE a.kind = '住院' GROUP BY 1
         HAVING 100 * sum(a.basic_fen + a.serious_fen + a.aid_fen + a.other_fen)
                < 90 * sum(a.compliant_fen))")
between 10 58 "$low" "villages whose 贫困人口 住院 were reimbursed below 90% (of 292)"
burden=$(q "WITH poor AS ($POOR) SELECT count(*) FROM (SELECT poor.village_id FROM admission a
            JOIN poor ON poor.id = a.person_id GROUP BY 1
            HAVING 100 * sum(a.self_fen) >= 10 * sum(a.total_fen))")
between 10 58 "$burden" "villages where 贫困人口 bore 10% or more of the total cost (of 292)"

# 50种重大疾病 without a settlement since the diagnosis (yibao item 5): a minority of villages
untreated=$(q "WITH poor AS ($POOR), m AS (SELECT d.person_id, min(d.diagnosed_on) AS since
               FROM diagnosis d WHERE d.major50 = 1 AND d.diagnosed_on <= '2018-12-31' GROUP BY 1)
               SELECT count(DISTINCT poor.village_id) FROM m JOIN poor ON poor.id = m.person_id
               WHERE NOT EXISTS (SELECT 1 FROM admission a WHERE a.person_id = m.person_id
                 AND a.admitted_on BETWEEN max(m.since, '2018-01-01') AND '2018-12-31')")
between 5 29 "$untreated" "villages with an untreated 50种大病 patient (of 292)"

# 五督 17's edge: a village without any 四大慢病 patient whose persons lack valid 慢病卡
expect_eq "620422008011|6" "$(q "WITH nocard AS (SELECT h.village_id, count(DISTINCT p.id) AS n
  FROM person p JOIN household h ON h.id = p.household_id JOIN diagnosis d ON d.person_id = p.id
  AND d.needs_card = 1 WHERE NOT EXISTS (SELECT 1 FROM chronic_card c WHERE c.person_id = p.id
  AND c.disease = d.disease AND c.expires_on >= '2018-12-31') GROUP BY 1)
  SELECT v.id, coalesce(n.n, 0) FROM village v LEFT JOIN nocard n ON n.village_id = v.id
  WHERE NOT EXISTS (SELECT 1 FROM person p JOIN household h ON h.id = p.household_id
    JOIN diagnosis d ON d.person_id = p.id AND d.big4 = 1 WHERE h.village_id = v.id)")" \
  "one village has no 四大慢病 patient, and 6 persons without a valid 慢病卡"
expect_eq 0 "$(q "SELECT count(*) FROM (SELECT person_id, disease FROM diagnosis
  GROUP BY 1, 2 HAVING count(*) > 1)")" "no person has the same disease twice (renamed diagnoses)"

# 每村一个卫生室: a few villages without one, and no finding left about a removed 卫生室
between 1 15 "$(q "SELECT count(*) FROM village v WHERE NOT EXISTS (SELECT 1 FROM institution i
  WHERE i.village_id = v.id AND i.kind = '村卫生室')")" "villages without a 村卫生室 (of 292)"
expect_eq 0 "$(q "SELECT count(*) FROM finding f WHERE subject_kind = 'institution'
  AND NOT EXISTS (SELECT 1 FROM institution i WHERE i.id = f.subject_id)")" \
  "no finding about a 村卫生室 that is not there"
finish
