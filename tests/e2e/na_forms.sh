#!/usr/bin/env bash
# A subject whose every item is 不适用 gets no form (issue 16): the form sheet ends with one page
# naming such subjects instead, and their results, 汇总 rows and data rows stay as they are.
#
# Worked out by hand, on the hand-made fixture (fixtures/small/post_assessment.sql) with three
# 村卫生室 added and the bundled 村卫生室 card (scorecards/cunweishi_2018.lua, 5 items, its
# standard for 重点村 only):
# - S11 甲村卫生室 (甲村, 甲镇, 重点村): 90 m², 四室分开, 3 staff, 3000 people → items 1–4 ok,
#   item 5 has no finding → 待核实. A form.
# - S12 丙村卫生室 (丙村, 甲镇, 重点村): 60 m² → item 1 deducted, 2–4 ok, 5 待核实. A form.
# - S21 乙村卫生室 (乙村, 乙乡, not a 重点村): every item 不适用. No form.
# The three are one sheet (村卫生室 are grouped under their kind): form rows are 5 items + title,
# info, head, total, sign, gap = 11, so S11's form starts at row 1, S12's at row 12 and the list
# at row 23. The two forms share a page and the list has one of its own (one break, before
# row 23, 0-based 22): a 村卫生室 form is some 300–500 pt tall at 100% (its items' texts wrap),
# and two of them fit a portrait page at 59% (746 pt / 0.59 × 94% = 1,188 pt), not a landscape
# one at 83% (527.8 / 0.83 × 94% = 598 pt). The list: its title, "以下 1 个对象全部项目不适用，
# 未出考核表：" in row 24 and "乙乡（1 个）：S21 乙村卫生室" in row 25, where 汇总 links S21.
# 考核明细 keeps all 3 × 5 rows; 汇总's institution table all three subjects.
# And a one-item cadre form (乙表, below): K1 (卫计) answered 否, K2 (民政) 不适用 → 乙表-卫计 holds
# K1's form; 乙表-民政 holds no form, only the list: its title in row 1, "以下 1 个…" in row 2,
# "民政（1 个）：K2 钱二" in row 3 (a cadre is listed under its department).
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
sqlite3 "$T/ev.db" <<'SQL'
UPDATE village SET key_village = 1 WHERE id = 'V11';
INSERT INTO village (id, township_id, name, key_village) VALUES ('V12', 'T1', '丙村', 1);
INSERT INTO institution (id, name, kind, county_id, township_id, village_id, in_county, floor_m2,
                         rooms_separated, licensed_staff, service_population) VALUES
  ('S11', '甲村卫生室', '村卫生室', 'C1', 'T1', 'V11', 1, 90, 1, 3, 3000),
  ('S12', '丙村卫生室', '村卫生室', 'C1', 'T1', 'V12', 1, 60, 1, 3, 3000),
  ('S21', '乙村卫生室', '村卫生室', 'C1', 'T2', 'V21', 1, NULL, NULL, NULL, NULL);
INSERT INTO cadre VALUES ('K1', '赵一', '卫计', '包村干部'), ('K2', '钱二', '民政', '健康专干');
INSERT INTO cadre_assignment VALUES ('K1', 'T1', NULL, 2018), ('K2', 'T2', 'V21', 2018);
INSERT INTO finding (id, scorecard, item, subject_kind, subject_id, period, answer, inspector,
                     inspected_on) VALUES
  ('F2', 't-yi', '1', 'cadre', 'K1', '2018', '否', '孙三', '2018-11-01'),
  ('F3', 't-yi', '1', 'cadre', 'K2', '2018', '不适用', '孙三', '2018-11-01');
SQL
cat >"$T/yi.lua" <<'LUA'
return scorecard {
  id = "t-yi", title = "乙表", period = "2018", short = "乙表", subjects = { "cadre" }, total = 5,
  item { no = "1", points = 5, text = "是否落实乙项工作。", rule = finding { yes = 5, no = 0 } },
}
LUA
KAOHE_RUN_TIME=1540000000 "$KAOHE" run --evidence "$T/ev.db" --period 2018 --out "$T/r.xlsx" \
  --results "$T/r.db" scorecards/cunweishi_2018.lua "$T/yi.lua" >/dev/null || echo "run failed" >&2
expect_eq "S11|ok ok ok ok pending
S12|deducted ok ok ok pending
S21|na na na na na" "$(sqlite3 "$T/r.db" "SELECT subject_id, group_concat(status, ' ') FROM
  (SELECT * FROM score WHERE subject_kind = 'institution' ORDER BY subject_id, item) GROUP BY 1")" \
  "the three clinics score as worked out above"
out=$("$PY" - "$T/r.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
forms = [n for n in wb.sheetnames if n.startswith("村卫生室-")]
print("sheets", forms)
f = wb[forms[0]]
col_a = {r: f.cell(r, 1).value for r in range(1, f.max_row + 1)}
title = "贫困村卫生室标准化建设核查表"
print("forms", [r for r, v in col_a.items() if v == title])
print("who", [f.cell(r + 1, 1).value.split("　")[0] for r, v in col_a.items() if v == title])
print("breaks", [b.id for b in f.row_breaks.brk])
print("list", col_a.get(23), "|", col_a.get(24), "|", col_a.get(25), "|", f.max_row)
s = wb["汇总"]
links = {c.value: c.hyperlink.location for c in s["B"] if c.hyperlink}
print("links", links.get("乙村卫生室"), links.get("甲村卫生室"), links.get("丙村卫生室"))
print("summary", sorted(c.value for c in s["C"] if c.value in ("S11", "S12", "S21")))
print("items", sum(1 for r in wb["考核明细"].iter_rows(values_only=True) if "S21" in r),
      sum(1 for r in wb["考核明细"].iter_rows(values_only=True) if "S11" in r))
y = wb["乙表-民政"]
print("cadres", [n for n in wb.sheetnames if n.startswith("乙表-")], y["A1"].value, "|", y["A2"].value,
      "|", y["A3"].value, "|", y.max_row, "|", wb["乙表-卫计"]["A1"].value)
PY
)
echo "$out" >"$T/out.txt"
line() { grep "^$1 " "$T/out.txt" | head -1 | cut -d' ' -f2-; }
expect_eq "['村卫生室-村卫生室各医疗机构']" "$(line sheets)" "one sheet of 村卫生室 forms"
expect_eq "[1, 12]" "$(line forms)" "two forms, at rows 1 and 12"
expect_eq "['考核对象：甲村卫生室（村卫生室）', '考核对象：丙村卫生室（村卫生室）']" "$(line who)" \
  "the forms are S11's and S12's: none for the all-不适用 S21"
expect_eq "[22]" "$(line breaks)" "both forms on one page, a page break before the list"
expect_eq "贫困村卫生室标准化建设核查表（未出考核表的对象） | 以下 1 个对象全部项目不适用，未出考核表： | 乙乡（1 个）：S21 乙村卫生室 | 25" \
  "$(line list)" "the sheet ends with the list: id, name, township"
expect_eq "'村卫生室-村卫生室各医疗机构'!A25 '村卫生室-村卫生室各医疗机构'!A1 '村卫生室-村卫生室各医疗机构'!A12" \
  "$(line links)" "汇总 links S21 to its line in the list, S11 and S12 to their forms"
expect_eq "['S11', 'S12', 'S21']" "$(line summary)" "汇总 still lists all three"
expect_eq "5 5" "$(line items)" "考核明细 still has S21's five rows"
expect_eq "['乙表-卫计', '乙表-民政'] 乙表（未出考核表的对象） | 以下 1 个对象全部项目不适用，未出考核表： | 民政（1 个）：K2 钱二 | 3 | 乙表" \
  "$(line cadres)" "a department whose one cadre is all 不适用: its sheet holds only the list, by department"
finish
