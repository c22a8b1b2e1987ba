#!/usr/bin/env bash
# docs/examples/village_form.lua (subjects v2, the combined example of issue 13) on the bundled
# evidence — the generator's 会宁县 with the seed scripts/demo.sh builds build/evidence/huining.db
# from — with two findings added on 乡镇卫生院. Every expected number is an sqlite3 query over the
# evidence written independently of the scorecard (plain joins and quarter arithmetic instead of
# the engine's filter, kh_quarters_missing and caps).
source "$(dirname "$0")/lib.bash"
: "${KAOHE_GEN:?}"
"$KAOHE_GEN" --out "$T/ev.db" --seed 20180901 --year 2018 >/dev/null
card=example-village-form
e() { sqlite3 "$T/ev.db" "$1"; }
# the 受援医院 fact, recorded once per 卫生院: 柴家门镇 否, 太平店镇 是; the other 26 have none
e "INSERT INTO finding VALUES
  ('RF1', '$card', '5', 'institution', 'W620422001', '2018', '否', NULL, '未建立考勤制度', '督查组', '2018-12-01', ''),
  ('RF2', '$card', '5', 'institution', 'W620422002', '2018', '是', NULL, '', '督查组', '2018-12-01', '')"

out=$("$KAOHE" check --evidence "$T/ev.db" docs/examples/village_form.lua 2>&1)
expect_contains "$out" "docs/examples/village_form.lua: ok" "kaohe check"
"$KAOHE" run --evidence "$T/ev.db" --period 2018 --out "$T/r.xlsx" --results "$T/r.db" \
  docs/examples/village_form.lua >/dev/null
q() { sqlite3 "$T/r.db" "$1"; }

# only the 村卫生室 are institution subjects (not the hospitals and 卫生院)
clinics=$(e "SELECT count(*) FROM institution WHERE kind = '村卫生室'")
expect_eq "$clinics" "$(q "SELECT count(*) FROM result WHERE subject_kind = 'institution'")" "村卫生室 subjects"
expect_eq "$(e "SELECT count(*) FROM village")" "$(q "SELECT count(*) FROM result WHERE subject_kind = 'village'")" "villages"

# items 1, 2 and the section cap of 4: a clinic failing either loses 4 in all (5 capped), one
# failing both still 4 → its total is 6; one failing neither 10
small=$(e "SELECT count(*) FROM institution WHERE kind = '村卫生室' AND coalesce(floor_m2, 0) < 80")
apart=$(e "SELECT count(*) FROM institution WHERE kind = '村卫生室' AND rooms_separated = 0")
either=$(e "SELECT count(*) FROM institution WHERE kind = '村卫生室'
            AND (coalesce(floor_m2, 0) < 80 OR rooms_separated = 0)")
expect_eq "$small" "$(q "SELECT count(*) FROM score WHERE item = '1' AND status = 'deducted'")" "item 1 failures"
expect_eq "$apart" "$(q "SELECT count(*) FROM score WHERE item = '2' AND status = 'deducted'")" "item 2 failures"
expect_eq "$either" "$(q "SELECT count(*) FROM result WHERE subject_kind = 'institution' AND total_x100 = 600")" \
  "clinics at 10 - 4 (cap)"
expect_eq "$((clinics - either))" "$(q "SELECT count(*) FROM result WHERE subject_kind = 'institution' AND total_x100 = 1000")" \
  "clinics at 10"

# item 3: villages with a 四大慢病 patient lacking a 随访 in some quarter of 2018
late=$(e "WITH b AS (SELECT DISTINCT person_id FROM diagnosis WHERE big4 = 1),
  q AS (SELECT b.person_id, count(DISTINCT (CAST(substr(f.visited_on, 6, 2) AS INTEGER) + 2) / 3) AS nq
        FROM b LEFT JOIN followup f ON f.person_id = b.person_id AND f.kind = '随访'
          AND f.visited_on BETWEEN '2018-01-01' AND '2018-12-31'
        GROUP BY b.person_id)
  SELECT count(DISTINCT h.village_id) FROM q JOIN person p ON p.id = q.person_id
  JOIN household h ON h.id = p.household_id WHERE q.nq < 4")
expect_eq "$late" "$(q "SELECT count(*) FROM score WHERE item = '3' AND status = 'deducted'")" "item 3 (每季度随访)"

# item 4: the signing rate by the August deadline below 95%
slow=$(e "SELECT count(*) FROM (SELECT count(*) AS den, sum(EXISTS (SELECT 1 FROM contract k
           WHERE k.person_id = p.id AND k.signed_on <= '2018-08-31')) AS num
         FROM person p JOIN household h ON h.id = p.household_id GROUP BY h.village_id)
       WHERE num * 100 < 95 * den")
expect_eq "$slow" "$(q "SELECT count(*) FROM score WHERE item = '4' AND status = 'deducted'")" "item 4 (8月底前)"

# item 5: every village of 柴家门镇 shows the one 否 (0, a deduction keyed RF1), every village of
# 太平店镇 the one 是 (10); the others are 待核实, naming their 卫生院
t1=$(e "SELECT count(*) FROM village WHERE township_id = '620422001'")
t2=$(e "SELECT count(*) FROM village WHERE township_id = '620422002'")
expect_eq "$t1|0" "$(q "SELECT count(*), sum(points_x100) FROM score WHERE item = '5' AND status = 'deducted'")" "item 5 否"
expect_eq "$t1" "$(q "SELECT count(*) FROM deduction WHERE item = '5' AND evidence_table = 'finding' AND evidence_key = 'RF1'")" \
  "item 5 deductions keyed RF1"
expect_eq "$t2" "$(q "SELECT count(*) FROM score WHERE item = '5' AND status = 'ok' AND points_x100 = 1000")" "item 5 是"
expect_eq "$(( $(e "SELECT count(*) FROM village") - t1 - t2 ))" \
  "$(q "SELECT count(*) FROM score WHERE item = '5' AND status = 'pending'")" "item 5 待核实"
expect_eq "据柴家门镇卫生院（医疗机构）核查结论：否（未建立考勤制度）；督查组 2018-12-01，扣10分" \
  "$(q "SELECT DISTINCT reason FROM score WHERE item = '5' AND status = 'deducted'")" "item 5 reason"
expect_eq "待核实：翟家所镇卫生院（医疗机构）尚无现场核查结论" \
  "$(q "SELECT reason FROM score WHERE item = '5' AND subject_id = '620422003001'")" "item 5 待核实 reason"

# item 6 vetoes exactly where item 3 failed
expect_eq "$late" "$(q "SELECT count(*) FROM score WHERE item = '6' AND veto = 1")" "item 6 veto"
expect_eq "$late" "$(q "SELECT count(*) FROM result WHERE subject_kind = 'village' AND vetoed_items > 0")" \
  "vetoed villages"
finish
