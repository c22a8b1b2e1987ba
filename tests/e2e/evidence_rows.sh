#!/usr/bin/env bash
# Issue 15 item 3 — the evidence behind a loss is the rows that caused it: on a hand-made
# fixture, an all-or-nothing deposit item records its loss ONCE per village, naming exactly the
# admissions that took a deposit, with no row at 0 points; a per-case item keeps each case's
# amount; explain prints the rows with Chinese labels and readable values; 扣分明细 and the
# manifest carry the same rows. Then, over a generated county and the bundled forms: every
# item's deductions add up to what the item lost, and no all-or-nothing loss has a 0 row.
source "$(dirname "$0")/lib.bash"
: "${KAOHE_GEN:?}"
sqlite3 "$T/ev.db" <"$KAOHE_HOME/fixtures/evidence-schema.sql"
# Worked out by hand (period 2018):
#   item 1 (check, 5 points, all or nothing): a village fails when one of its people was charged
#     a deposit for an admission in 2018.
#     V1 甲村: A1 (张一, 2018-03-02, 1,000.00 元) and A3 (李二, 2018-06-01, 500.00 元) → 0;
#              the loss, 5, once; evidence A1、A3 (not A2: no deposit; not the persons)
#     V2 乙村: A5 took 300.00 元 but in 2017 (outside the period); A4 none → 5, no deduction
#   item 2 (per_case, 1.5 each, 4 points): admissions in 2018 without “一站式” settlement.
#     V1: A2 and A3 → 1.5 + 1.5 = 3 lost, one row each; V2: A4 → 1.5 lost
#   totals (9 points): V1 9 − 5 − 3 = 1; V2 9 − 1.5 = 7.5
#   deduction rows: V1 item 1 (5, A1、A3), V1 item 2 A2 (1.5), A3 (1.5), V2 item 2 A4 (1.5) = 4
sqlite3 "$T/ev.db" <<'SQL'
INSERT INTO county VALUES ('C1', '测试县', '测试省', NULL);
INSERT INTO township VALUES ('T1', 'C1', '甲镇');
INSERT INTO village (id, township_id, name) VALUES ('V1', 'T1', '甲村'), ('V2', 'T1', '乙村');
INSERT INTO household VALUES ('H1', 'V1', '建档立卡'), ('H2', 'V2', '建档立卡');
INSERT INTO person (id, household_id, name, low_income) VALUES
  ('P1', 'H1', '张一', 1), ('P2', 'H1', '李二', 1), ('P3', 'H2', '王三', 1);
INSERT INTO institution (id, name, kind, in_county) VALUES ('I1', '测试县人民医院', '县级医院', 1);
INSERT INTO admission (id, person_id, institution_id, kind, admitted_on, deposit_fen, one_stop,
                       total_fen, compliant_fen, self_fen) VALUES
  ('A1', 'P1', 'I1', '住院', '2018-03-02', 100000, 1, 500000, 400000, 100000),
  ('A2', 'P1', 'I1', '住院', '2018-05-10', 0, 0, 200000, 200000, 50000),
  ('A3', 'P2', 'I1', '住院', '2018-06-01', 50000, 0, 300000, 300000, 60000),
  ('A4', 'P3', 'I1', '住院', '2018-07-01', 0, 0, 100000, 100000, 20000),
  ('A5', 'P3', 'I1', '住院', '2017-12-01', 30000, 1, 100000, 100000, 20000);
SQL
cat >"$T/card.lua" <<'LUA'
return scorecard {
  id = "evidence-rows", title = "证据行测试表", period = "2018", subjects = { "village" },
  total = 9,
  item { no = "1", points = 5, text = "住院是否免收押金。",
    rule = check {
      sql = [[
        SELECT v.id AS village, count(a.id) AS n, count(a.id) > 0 AS failed
        FROM village v
        LEFT JOIN household h ON h.village_id = v.id
        LEFT JOIN person p ON p.household_id = h.id
        LEFT JOIN admission a ON a.person_id = p.id AND a.deposit_fen > 0
                             AND a.admitted_on BETWEEN :period_start AND :period_end
        GROUP BY v.id]],
      reason = "{n}人次住院被收取押金",
      evidence = { table = "admission", sql = [[
        SELECT h.village_id AS village, a.id AS key FROM admission a
        JOIN person p ON p.id = a.person_id JOIN household h ON h.id = p.household_id
        WHERE a.deposit_fen > 0 AND a.admitted_on BETWEEN :period_start AND :period_end]] },
    } },
  item { no = "2", points = 4, text = "是否落实“一站式”结算。",
    rule = per_case { each = 1.5, evidence = "admission", cases = [[
      SELECT a.id AS key, h.village_id AS village, p.name AS name FROM admission a
      JOIN person p ON p.id = a.person_id JOIN household h ON h.id = p.household_id
      WHERE a.one_stop = 0 AND a.admitted_on BETWEEN :period_start AND :period_end]],
      reason = "{name}未落实“一站式”结算" } },
}
LUA
KAOHE_RUN_TIME=1540000000 "$KAOHE" run --evidence "$T/ev.db" --period 2018 --out "$T/r.xlsx" \
  --results "$T/r.db" "$T/card.lua" --quiet
q() { sqlite3 "$T/r.db" "$1"; }
expect_eq "V1|1|admission|A1、A3|500
V1|2|admission|A2|150
V1|2|admission|A3|150
V2|2|admission|A4|150" \
  "$(q "SELECT subject_id, item, evidence_table, evidence_key, points_x100 FROM deduction ORDER BY 1, 2, 4")" \
  "deductions: item 1's loss once with the admissions that took a deposit; item 2 one row per case"
expect_eq "V1|100
V2|750" "$(q "SELECT subject_id, total_x100 FROM result WHERE subject_kind = 'village' ORDER BY 1")" \
  "totals worked out by hand"

# explain: the loss once, then the admissions with Chinese labels and readable values
"$KAOHE" explain --results "$T/r.db" --subject V1 --item 1 >"$T/out"
out=$(cat "$T/out")
expect_eq 1 "$(grep -c '扣 ' "$T/out")" "explain: one loss line for the all-or-nothing item"
expect_contains "$out" "  扣 5.0 分：2人次住院被收取押金" "explain: the points once, with the reason"
expect_contains "$out" "证据（admission，2 行）：" "explain: the two causing rows"
expect_contains "$out" "· A1：姓名 张一，身份证号 P1，类别 住院，入院日期 2018-03-02，机构 测试县人民医院，押金 1,000.00 元，“一站式”结算 是" \
  "explain: A1 labelled, 押金 in 元"
expect_contains "$out" "· A3：姓名 李二，身份证号 P2，类别 住院，入院日期 2018-06-01，机构 测试县人民医院，押金 500.00 元，“一站式”结算 否" \
  "explain: A3 labelled"
expect_eq 0 "$(grep -c '2018-05-10\|扣 0\|deposit_fen' "$T/out")" "explain: no A2, no zero row, no raw column"
"$KAOHE" explain --results "$T/r.db" --subject V1 --item 2 >"$T/out"
expect_eq 2 "$(grep -c '  扣 1.5 分：' "$T/out")" "explain: a per-case item shows each case's amount"

# 扣分明细 and the manifest carry the same rows
"$PY" - "$T/r.xlsx" >"$T/wb" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
import base64, zlib
# 扣分明细's columns: 考核对象 (E), 项目序号 (I), 扣分 (J), 证据表 (L), 证据编号 (M)
for r in wb["扣分明细"].iter_rows(min_row=3, values_only=True):
    if r[0] is not None:
        print(r[4], r[8], r[9], r[11], r[12], sep="|")
# the manifest packs its records (zlib, base64, in "packed" cells): unpack and count
blob = "".join(r[1] for r in wb["kaohe_manifest"].iter_rows(values_only=True) if r[0] == "packed")
records = zlib.decompress(base64.b64decode(blob)).decode().splitlines()
print("manifest", sum(1 for l in records
                      if l.split("\t")[0] == "deduction" and "A1、A3" in l.split("\t")))
PY
expect_eq "甲村|1|5|admission|A1、A3
甲村|2|1.5|admission|A2
甲村|2|1.5|admission|A3
乙村|2|1.5|admission|A4
manifest 1" "$(cat "$T/wb")" "扣分明细: the loss once with its admissions, each case with its amount; the manifest too"
rc=0; "$KAOHE" reproduce --workbook "$T/r.xlsx" --evidence "$T/ev.db" >/dev/null || rc=$?
expect_eq 0 "$rc" "reproduce --workbook reads the key lists back"

# 整改台账's 备注 counts the causing rows (the keys), not the deduction rows: V1 item 1 lost 5
# through A1 and A3 (one deduction row, 2 rows of evidence); V1 item 2 lost 1.5 + 1.5 (A2, A3);
# V2 item 2 lost 1.5 (A4). The same when the deductions spill and the workbook is read back from
# the results database (its count is an SQL query over the stored key lists).
KAOHE_RUN_TIME=1540000000 "$KAOHE" run --evidence "$T/ev.db" --period 2018 --out "$T/s.xlsx" \
  --results "$T/s.db" --spill-after 1 "$T/card.lua" --quiet
ledger() {
  "$PY" - "$1" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["整改台账"]
# 单位 (B), 重点工作 (D: "… 第N项：…"), 备注 (I)
for r in ws.iter_rows(min_row=3, values_only=True):
    if isinstance(r[0], (int, float)):
        print(r[1], r[3].split("：")[0].split(" ")[-1], r[8], sep="|")
PY
}
LEDGER="甲村（甲镇）|第1项|失5分；证据2条，见扣分明细
甲村（甲镇）|第2项|失3分；证据2条，见扣分明细
乙村（甲镇）|第2项|失1.5分；证据1条，见扣分明细"
expect_eq "$LEDGER" "$(ledger "$T/r.xlsx")" "整改台账: 证据N条 counts the causing rows"
expect_eq "$LEDGER" "$(ledger "$T/s.xlsx")" "整改台账 read back from a spilled run: the same counts"

# 扣分明细's 证据（行） (column N): each causing row as explain labels it, one a line. V1 item 1:
# A1 then A3 (key order), the loss once; each per-case row its one admission. The run reads them
# and stores them in the results (deduction.evidence_rows), so the workbook read back from a
# spilled run prints the same cells.
rows_col() {
  "$PY" - "$1" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["扣分明细"]
for r in ws.iter_rows(min_row=3, values_only=True):
    if r[0] is not None:
        lines = (r[13] or "").split("\n")
        # each line cut after 押金 (the labels themselves are row_label.c's, tested by explain)
        print(r[4], r[8], len(lines), " / ".join(l.split("，“一站式”")[0] for l in lines), sep="|")
PY
}
ROWS="甲村|1|2|A1：姓名 张一，身份证号 P1，类别 住院，入院日期 2018-03-02，机构 测试县人民医院，押金 1,000.00 元 / A3：姓名 李二，身份证号 P2，类别 住院，入院日期 2018-06-01，机构 测试县人民医院，押金 500.00 元
甲村|2|1|A2：姓名 张一，身份证号 P1，类别 住院，入院日期 2018-05-10，机构 测试县人民医院，押金 0.00 元
甲村|2|1|A3：姓名 李二，身份证号 P2，类别 住院，入院日期 2018-06-01，机构 测试县人民医院，押金 500.00 元
乙村|2|1|A4：姓名 王三，身份证号 P3，类别 住院，入院日期 2018-07-01，机构 测试县人民医院，押金 0.00 元"
expect_eq "$ROWS" "$(rows_col "$T/r.xlsx")" "扣分明细 证据（行）: the labelled causing rows"
expect_eq "$ROWS" "$(rows_col "$T/s.xlsx")" "… the same read back from the results of a spilled run"
expect_eq "$(q "SELECT evidence_rows FROM deduction ORDER BY rowid")" \
  "$(sqlite3 "$T/s.db" "SELECT evidence_rows FROM deduction ORDER BY rowid")" "… and stored alike"

# A merge copies the stored rows; a part written before the column existed (dropped here by
# hand) merges with none rather than failing
"$KAOHE" merge --quiet --results "$T/m.db" "$T/r.db"
expect_eq "$(q "SELECT evidence_rows FROM deduction ORDER BY rowid")" \
  "$(sqlite3 "$T/m.db" "SELECT evidence_rows FROM deduction ORDER BY rowid")" "merge: the rows copied"
cp "$T/r.db" "$T/old.db"
sqlite3 "$T/old.db" "ALTER TABLE deduction DROP COLUMN evidence_rows"
rc=0; "$KAOHE" merge --quiet --results "$T/m2.db" "$T/old.db" 2>"$T/err" || rc=$?
expect_eq "0||4|0" "$rc|$(cat "$T/err")|$(sqlite3 "$T/m2.db" "SELECT count(*), count(evidence_rows) FROM deduction")" \
  "merge of an older part: its 4 deductions, without rows"

# Bounded: with two more deposits in 2018 (A6, A7 for 张一) V1 item 1 names 4 admissions; the
# cell shows the first 3 in key order (A1, A3, A6) and "等共 4 条"
cp "$T/ev.db" "$T/ev4.db"
sqlite3 "$T/ev4.db" "INSERT INTO admission (id, person_id, institution_id, kind, admitted_on,
  deposit_fen, one_stop, total_fen, compliant_fen, self_fen) VALUES
  ('A6', 'P1', 'I1', '住院', '2018-08-01', 20000, 1, 100000, 100000, 20000),
  ('A7', 'P1', 'I1', '住院', '2018-09-01', 20000, 1, 100000, 100000, 20000)"
"$KAOHE" run --evidence "$T/ev4.db" --period 2018 --results "$T/r4.db" "$T/card.lua" --quiet
expect_eq "A1、A3、A6、A7|4|A1：|A3：|A6：|等共 4 条" \
  "$(sqlite3 "$T/r4.db" "SELECT evidence_key FROM deduction WHERE item = '1'")|$(sqlite3 "$T/r4.db" \
    "SELECT evidence_rows FROM deduction WHERE item = '1'" | wc -l)|$(sqlite3 "$T/r4.db" "SELECT evidence_rows FROM deduction WHERE item = '1'" |
    sed 's/：.*/：/' | paste -sd'|')" "at most 3 rows, then how many in all"

# Over a generated county and the bundled forms: what each item lost is what its deduction
# rows add up to, for every subject; and an all-or-nothing item has no row at 0 points.
"$KAOHE_GEN" --out "$T/county.db" --persons 9000 >/dev/null
"$KAOHE" run --evidence "$T/county.db" --period 2018 --results "$T/c.db" \
  scorecards/wudu_2018.lua scorecards/bazhua_cadre_2018.lua scorecards/post_assessment_deductions.lua \
  --quiet
c() { sqlite3 "$T/c.db" "$1"; }
expect_eq 0 "$(c "SELECT count(*) FROM score s WHERE s.status = 'deducted' AND
  coalesce(s.max_points * 100, 0) - s.points_x100 != (SELECT coalesce(sum(points_x100), 0)
    FROM deduction d WHERE d.scorecard_id = s.scorecard_id AND d.subject_kind = s.subject_kind
      AND d.subject_id = s.subject_id AND d.item = s.item)")" "every loss equals its deductions"
expect_eq 0 "$(c "SELECT count(*) FROM result r WHERE r.rollup = 0 AND r.pending_items = 0 AND
  (SELECT coalesce(sum(points_x100), 0) FROM deduction d WHERE d.scorecard_id = r.scorecard_id
     AND d.subject_kind = r.subject_kind AND d.subject_id = r.subject_id)
  != coalesce((SELECT total * 100 FROM run_scorecard WHERE scorecard_id = r.scorecard_id), 0) - r.total_x100")" \
  "every form's losses equal its deduction rows"
expect_eq 0 "$(c "SELECT count(*) FROM deduction WHERE points_x100 = 0")" "no deduction row at 0 points"
expect_eq 0 "$(c "SELECT count(*) FROM (SELECT 1 FROM deduction d WHERE d.evidence_table != 'finding'
  AND d.scorecard_id != 'post-assessment-deductions' GROUP BY scorecard_id, subject_kind, subject_id, item
  HAVING count(*) > 1)")" "an all-or-nothing item has one deduction row per subject"
finish
