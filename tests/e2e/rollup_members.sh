#!/usr/bin/env bash
# Scorecard language v2 in the outputs: a roll-up says in 汇总 how many members it covers and
# the results database keeps members_total (also when added to a database written before the
# column existed); a mixed-level form shows each kind only its own items.
# The fixture is tests/spec/links_rollup_spec.lua's: T1 has V1 (10), V2 (4) and V3 (待核实),
# T2 has V4 (9).
source "$(dirname "$0")/lib.bash"
ev="$T/ev.db"
sqlite3 "$ev" <"$KAOHE_HOME/fixtures/evidence-schema.sql"
sqlite3 "$ev" <<'SQL'
INSERT INTO county VALUES ('C1', '测试县', '测试省', NULL);
INSERT INTO township VALUES ('T1', 'C1', '甲镇'), ('T2', 'C1', '乙镇');
INSERT INTO village (id, township_id, name) VALUES ('V1', 'T1', '一村'), ('V2', 'T1', '二村'),
  ('V3', 'T1', '三村'), ('V4', 'T2', '四村');
INSERT INTO finding (id, scorecard, item, subject_kind, subject_id, period, answer, score,
                     inspector, inspected_on) VALUES
  ('F1', 'example-rollup', '1', 'village', 'V1', '2018', '是', NULL, '督查组', '2018-12-01'),
  ('F2', 'example-rollup', '1', 'village', 'V2', '2018', '部分', 4, '督查组', '2018-12-01'),
  ('F4', 'example-rollup', '1', 'village', 'V4', '2018', '部分', 9, '督查组', '2018-12-01'),
  ('M1', 'example-mixed-levels', '1', 'county', 'C1', '2018', '是', NULL, '督查组', '2018-12-01'),
  ('M2', 'example-mixed-levels', '2', 'township', 'T1', '2018', '否', NULL, '督查组', '2018-12-01'),
  ('M3', 'example-mixed-levels', '3', 'county', 'C1', '2018', '是', NULL, '督查组', '2018-12-01'),
  ('M4', 'example-mixed-levels', '3', 'township', 'T1', '2018', '是', NULL, '督查组', '2018-12-01');
-- docs/examples/linked_items.lua: T1 aware, T2 not; T1 answers 否 on item 3 and 不适用 on 5
INSERT INTO household VALUES ('H1', 'V1', '建档立卡'), ('H4', 'V4', '建档立卡');
INSERT INTO person (id, household_id, name) VALUES ('P1', 'H1', '甲'), ('P4', 'H4', '乙');
INSERT INTO survey VALUES ('S1', 'P1', '2018-06-01', 1), ('S4', 'P4', '2018-06-01', 0);
INSERT INTO finding (id, scorecard, item, subject_kind, subject_id, period, answer, inspector,
                     inspected_on)
  SELECT 'L' || t.id || i.no, 'example-linked-items', i.no, 'township', t.id, '2018',
         CASE WHEN t.id = 'T1' AND i.no = '3' THEN '否' WHEN t.id = 'T1' AND i.no = '5'
              THEN '不适用' ELSE '是' END, '督查组', '2018-12-01'
  FROM township t, (SELECT '2' AS no UNION SELECT '3' UNION SELECT '4' UNION SELECT '5'
                    UNION SELECT '6') i;
SQL

# A results database as written before members_total: runs can still be added to it.
sqlite3 "$T/r.db" "CREATE TABLE result (run_id INTEGER NOT NULL, scorecard_id TEXT NOT NULL,
  subject_kind TEXT NOT NULL, subject_id TEXT NOT NULL, total REAL NOT NULL, grade TEXT,
  rank INTEGER NOT NULL, pending_items INTEGER NOT NULL, total_x100 INTEGER NOT NULL,
  vetoed_items INTEGER NOT NULL DEFAULT 0, rollup INTEGER NOT NULL DEFAULT 0,
  members INTEGER NOT NULL DEFAULT 0);"
"$KAOHE" run --evidence "$ev" --period 2018 --out "$T/r.xlsx" --results "$T/r.db" --quiet \
  docs/examples/rollup.lua docs/examples/mixed_levels.lua
q() { sqlite3 "$T/r.db" "$1"; }
# mean_of_means: T1 = (10 + 4) / 2 = 7 over 2 of its 3 villages; C1 = (7 + 9) / 2 = 8 over its
# 2 townships
expect_eq "T1|7.0|2|3|1
T2|9.0|1|1|0" "$(q "SELECT subject_id, total, members, members_total, pending_items FROM result
  WHERE scorecard_id = 'example-rollup' AND subject_kind = 'township' ORDER BY 1")" "township roll-ups and their members"
expect_eq "8.0|2|2" "$(q "SELECT total, members, members_total FROM result
  WHERE scorecard_id = 'example-rollup' AND subject_kind = 'county'")" "county: mean of means"
expect_eq 0 "$(q "SELECT count(*) FROM result WHERE rollup = 0 AND members_total != 0")" \
  "members_total is for roll-ups only"

# linked items: T1 item 4 loses its 5 through item 3, item 6 is 不适用 through item 5 →
# 10 + 5 + 0 + 0 + 5 + 5 = 25, 一般; T2's 知晓率 (0/1) fails and item 2 vetoes →
# 0 + 0 + 10 + 5 + 5 + 5 = 25, graded 差
"$KAOHE" run --evidence "$ev" --period 2018 --results "$T/l.db" --quiet docs/examples/linked_items.lua
l() { sqlite3 "$T/l.db" "$1"; }
expect_eq "T1|4|5.0|township|T1|因第3项未达标不予得分
T2|2|5.0|township|T2|因第1项未达标，本项一票否决" "$(l "SELECT subject_id, item, points, evidence_table,
  evidence_key, reason FROM deduction WHERE item IN ('2', '4') ORDER BY 1")" "deductions through links"
expect_eq "T1|6|na|5.0
T2|2|deducted|0.0" "$(l "SELECT subject_id, item, status, points FROM score
  WHERE (subject_id, item) IN (VALUES ('T1', '6'), ('T2', '2')) ORDER BY 1")" "linked scores"
expect_eq "T1|25.0|一般|0
T2|25.0|差|1" "$(l "SELECT subject_id, total, grade, vetoed_items FROM result ORDER BY 1")" "linked totals"

# a scorecard opting for a sum: its 汇总 says 合计, not 平均
sed 's/by = "mean_of_means"/by = "sum"/' docs/examples/rollup.lua >"$T/sum.lua"
"$KAOHE" run --evidence "$ev" --period 2018 --out "$T/s.xlsx" --quiet "$T/sum.lua"

cells=$("$PY" - "$T/r.xlsx" "$T/s.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
# subject rows are the numbered ones (the others: table titles, group heads, signatures); 说明 is
# the last column
rows = [r for r in wb["汇总"].iter_rows(min_row=3, values_only=True) if isinstance(r[0], int)]
print(sorted(r[9] for r in rows if "（" in (r[9] or "")))
# the township's mixed-level form: items 2 and 3 only, 分值 20
for ws in wb.worksheets:
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    for i, row in enumerate(cells):
        if isinstance(row[0], str) and row[0].startswith("考核对象：甲镇"):
            items, j = [], i + 2
            while cells[j][0] != "合　　计":
                items.append(cells[j][0])
                j += 1
            head = cells[i + 1]  # the form's columns: those the items use (report_forms.c)
            print(items, cells[j][head.index("分值")], cells[j][head.index("得分")])
s = openpyxl.load_workbook(sys.argv[2])["汇总"]
print(sorted(r[9] for r in s.iter_rows(min_row=3, values_only=True) if isinstance(r[0], int) and "（" in (r[9] or "")))
PY
)
mapfile -t c <<<"$cells"
expect_eq "['乡镇（平均）：1村中1村已评分', '乡镇（平均）：3村中2村已评分', '县（平均）：2乡镇中2乡镇已评分']" \
  "${c[0]}" "汇总: what each roll-up covers (mean_of_means: the county over townships)"
expect_eq "['2', '3'] 20 10" "${c[1]}" "a township's form has only its own items"
expect_eq "['乡镇（合计）：1村中1村已评分', '乡镇（合计）：3村中2村已评分', '县（合计）：4村中3村已评分']" \
  "${c[2]}" "汇总 of a sum roll-up"
finish
