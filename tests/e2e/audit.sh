#!/usr/bin/env bash
# Audit: reproduce a run from its results database and from its workbook alone, locate a
# one-row evidence change and an edited scorecard, explain a lost point with the evidence rows,
# redraw a seeded sample, bring a filled checklist back as findings, and 回头看 between two runs
# on the hand-made fixture with counts worked out by hand.
source "$(dirname "$0")/lib.bash"
: "${KAOHE_GEN:?}"
"$KAOHE_GEN" --out "$T/ev.db" --persons 9000 >/dev/null
cp scorecards/post_assessment_deductions.lua "$T/post.lua"
cards="scorecards/wudu_2018.lua scorecards/bazhua_cadre_2018.lua $T/post.lua"
"$KAOHE" run --evidence "$T/ev.db" --out "$T/r.xlsx" --results "$T/r.db" $cards >/dev/null

rc=0; "$KAOHE" reproduce --results "$T/r.db" --run 1 >"$T/out" || rc=$?
expect_eq 0 "$rc" "reproduce from the results database: exit 0"
expect_contains "$(cat "$T/out")" "结果一致：" "reproduce: identical"
rc=0; "$KAOHE" reproduce --workbook "$T/r.xlsx" --evidence "$T/ev.db" >"$T/out" || rc=$?
expect_eq 0 "$rc" "reproduce from the workbook alone: exit 0"
expect_contains "$(cat "$T/out")" "结果一致：" "reproduce from the workbook: identical"
# a workbook whose hidden manifest has no language row cannot say which language it was run
# with: refused with a message saying so (it used to crash comparing the missing hash)
"$PY" - "$T/r.xlsx" "$T/nolang.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["kaohe_manifest"]
rows = [c.row for c in ws["A"] if c.value == "language"]
assert len(rows) == 1, rows
ws.delete_rows(rows[0])
wb.save(sys.argv[2])
PY
rc=0; "$KAOHE" reproduce --workbook "$T/nolang.xlsx" --evidence "$T/ev.db" >"$T/out" 2>"$T/err" || rc=$?
expect_eq "1 kaohe: error: $T/nolang.xlsx: the kaohe_manifest sheet does not record the scorecard language (no language row with its SHA-256); reproduce it from its results database (--results)" \
  "$rc $(cat "$T/err")" "a workbook without the language row is refused, saying so"
expect_eq "" "$(cat "$T/out")" "… before anything is re-run"

# one admission row changed: a deposit charged to a poor person in a village with no deposit
cp "$T/ev.db" "$T/ev2.db"
row=$(sqlite3 "$T/ev2.db" "SELECT a.id, v.id, v.township_id FROM admission a JOIN institution i ON i.id = a.institution_id
  JOIN person p ON p.id = a.person_id JOIN household h ON h.id = p.household_id JOIN village v ON v.id = h.village_id
  WHERE a.kind = '住院' AND i.in_county = 1 AND p.low_income = 1 AND h.category = '建档立卡'
    AND a.admitted_on LIKE '2018%' AND NOT EXISTS (SELECT 1 FROM admission a2 JOIN person p2 ON p2.id = a2.person_id
      JOIN household h2 ON h2.id = p2.household_id WHERE h2.village_id = v.id AND a2.deposit_fen > 0)
  ORDER BY a.id LIMIT 1")
IFS='|' read -r adm vil twp <<<"$row"
sqlite3 "$T/ev2.db" "UPDATE admission SET deposit_fen = 50000 WHERE id = '$adm'"
rc=0; "$KAOHE" reproduce --results "$T/r.db" --evidence "$T/ev2.db" >"$T/out" || rc=$?
expect_eq 3 "$rc" "reproduce after a one-row change: exit 3 (differs)"
expect_eq "  证据表已改动：admission" "$(grep '证据表' "$T/out")" "the changed table, and only it, is named"
# the evidence behind exactly these items changes: 后评估 item 2 of the township and county,
# 五督 item 2 of the village, 包抓 4.2 and 4.3 of every cadre answering for the village (since
# issue 14, 4.3 reads a deposit in the county as “先诊疗，后付费” not applied)
cadres=$(sqlite3 "$T/ev2.db" "SELECT DISTINCT cadre_id FROM cadre_assignment WHERE year = 2018 AND
  (village_id = '$vil' OR (village_id IS NULL AND township_id = '$twp')) ORDER BY 1")
expected=$( { echo "post-assessment-deductions|county|620422|2"; echo "post-assessment-deductions|township|$twp|2"
  echo "huining-wudu-2018|village|$vil|2"; for k in $cadres; do echo "huining-bazhua-2018|cadre|$k|4.2"; echo "huining-bazhua-2018|cadre|$k|4.3"; done; } | sort)
got=$(grep '扣分证据不同' "$T/out" | sed 's/^  扣分证据不同 \([^：]*\)：.*/\1/' | sort)
expect_eq "$expected" "$got" "exactly the affected items are reported"
expect_eq "" "$(grep '得分不同' "$T/out" | sed 's/^  得分不同 \([^：]*\)：.*/\1/' | sort | comm -23 - <(echo "$expected"))" \
  "every changed score is one of the affected items"
expect_contains "$(grep '得分不同' "$T/out")" "post-assessment-deductions|county|620422|2" "the county's 后评估 item 2 changes"
expect_contains "$(cat "$T/out")" "现有原无 admission|$adm|20" "the new evidence row is named"

# an edited scorecard is named
sed -i 's/each = 0.2,/each = 0.3,/' "$T/post.lua"
rc=0; "$KAOHE" reproduce --results "$T/r.db" >"$T/out" || rc=$?
expect_eq 3 "$rc" "reproduce after editing a scorecard: exit 3 (differs)"
expect_contains "$(cat "$T/out")" "考核表文件已改动：$T/post.lua（post-assessment-deductions）" "the edited file is named"
cp scorecards/post_assessment_deductions.lua "$T/post.lua"

# explain: the rows behind a lost point — for 五督 2, the admissions that took a deposit (or
# were not reimbursed), the loss once (issue 15 item 3), each row labelled in Chinese
v2=$(sqlite3 "$T/r.db" "SELECT subject_id FROM deduction WHERE scorecard_id = 'huining-wudu-2018' AND item = '2' AND evidence_table = 'admission' LIMIT 1")
keys=$(sqlite3 "$T/r.db" "SELECT evidence_key FROM deduction WHERE scorecard_id = 'huining-wudu-2018' AND subject_id = '$v2' AND item = '2'")
key=${keys%%、*}
name=$(sqlite3 "$T/ev.db" "SELECT p.name FROM admission a JOIN person p ON p.id = a.person_id WHERE a.id = '$key'")
"$KAOHE" explain --results "$T/r.db" --subject "$v2" --item 2 >"$T/out"
expect_eq 1 "$(grep -c '^  扣 5.0 分：' "$T/out")" "explain states the loss once"
expect_contains "$(cat "$T/out")" "姓名 $name，身份证号 " "explain prints the evidence row, labelled"
expect_contains "$(cat "$T/out")" "押金 " "… with its values"

# sample: same seed → same sample, another seed → another
"$KAOHE" sample --evidence "$T/ev.db" --seed 42 --period 2018 --scorecard huining-wudu-2018 --items 3,20 --per-stratum 1 --out "$T/ck.xlsx" >"$T/s1"
"$KAOHE" sample --evidence "$T/ev.db" --seed 42 --period 2018 --scorecard huining-wudu-2018 --items 3,20 --per-stratum 1 --out "$T/ck2.xlsx" >"$T/s2"
"$KAOHE" sample --evidence "$T/ev.db" --seed 43 --period 2018 --scorecard huining-wudu-2018 --items 3,20 --per-stratum 1 --out "$T/ck3.xlsx" >"$T/s3"
expect_eq "$(grep -v 抽查样本 "$T/s1")" "$(grep -v 抽查样本 "$T/s2")" "same seed, same sample"
expect_eq "28 28" "$(grep -c '^' <(grep -v 抽查样本 "$T/s1")) $(cut -f1 "$T/s1" | grep -v 抽查样本 | sort -u | wc -l)" "one village from each of the 28 townships"
[ "$(cat "$T/s1")" != "$(cat "$T/s3")" ] && ok || fail "another seed draws another sample"

# the checklist filled in by an inspector comes back as findings
before=$(sqlite3 "$T/ev.db" "SELECT count(*) FROM finding")
"$PY" - "$T/ck.xlsx" "$T/filled.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["抽查清单"]
for r in range(3, 3 + 4):              # the first four rows checked, the rest left blank
    ws.cell(r, 6).value = "否" if r == 3 else "是"
    ws.cell(r, 8).value = "现场核查"
    ws.cell(r, 9).value = "县督查组 王明"
    ws.cell(r, 10).value = "2018年12月5日"
wb.save(sys.argv[2])
PY
# The generated evidence already has findings for items 3 and 20 of (nearly) every village: the
# checked rows clash with them (a run could not tell which to score), so the checklist is
# refused, evidence untouched, until it is imported to replace them (tests/e2e/findings.sh
# has the details).
sum=$(sha256sum <"$T/ev.db")
rc=0; "$KAOHE" sample --evidence "$T/ev.db" --import "$T/filled.xlsx" >"$T/out" 2>"$T/err" || rc=$?
expect_eq "1 4" "$rc $(grep -c '与已录入的核查结论' "$T/err")" "the four checked rows clash with earlier findings"
expect_eq "$sum" "$(sha256sum <"$T/ev.db")" "a clashing checklist leaves the evidence untouched"
"$KAOHE" findings import --evidence "$T/ev.db" --replace "$T/filled.xlsx" >"$T/out"
expect_contains "$(cat "$T/out")" "56 行，导入 4 条核查结论" "four checked rows imported, the blank ones skipped"
first=$(head -1 "$T/s1" | cut -f2)
expect_eq "否|县督查组 王明|2018-12-05" "$(sqlite3 "$T/ev.db" "SELECT answer, inspector, inspected_on FROM finding WHERE id = 'CK42-huining-wudu-2018-$first-3'")" \
  "the finding is keyed by seed, scorecard, subject and item"
expect_eq $((before + 4 - $(grep -c ' 替换 ' "$T/out"))) "$(sqlite3 "$T/ev.db" "SELECT count(*) FROM finding")" \
  "finding rows added, less those they replaced"
"$PY" - "$T/ck.xlsx" "$T/bad.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["抽查清单"]
ws.cell(3, 6).value = "是"; ws.cell(4, 6).value = "是"; ws.cell(4, 10).value = "2018-12-05"
wb.save(sys.argv[2])
PY
sum=$(sha256sum <"$T/ev.db")
rc=0; "$KAOHE" sample --evidence "$T/ev.db" --import "$T/bad.xlsx" 2>"$T/err" || rc=$?
expect_eq "1 kaohe: error: $T/bad.xlsx: row 3: 核查人 is empty (found 核查结论 '是', 核查日期 '')" "$rc $(cat "$T/err")" \
  "an answer without inspector is refused with its row"
expect_eq "$sum" "$(sha256sum <"$T/ev.db")" "a refused checklist leaves the evidence untouched"

# a 部分 score is points with at most two decimals: "3分" typed as text (row 4) or the number
# 0.125 (row 3) is refused, naming file, row and column G (得分（部分时填）); the good row before it
# (row 3 = 1.5 in the first list) is not written either. Then 1.5 alone goes in as 1.5.
# 部分 is an answer only an item that takes one accepts (sample --import checks each row against
# the bundled scorecards): 包抓 item 9 (部分完成酌情扣分, 5 points), drawn one cadre per
# department. The generated evidence's own item-9 findings on the drawn cadres are removed
# first: the checklist's rows would clash with them.
"$KAOHE" sample --evidence "$T/ev.db" --seed 42 --period 2018 --scorecard huining-bazhua-2018 --kind cadre --items 9 --per-stratum 1 --out "$T/ckb.xlsx" >"$T/sb"
cadre=$(head -1 "$T/sb" | cut -f2)
for c in $(grep -v 抽查样本 "$T/sb" | cut -f2); do
  for id in $(sqlite3 "$T/ev.db" "SELECT id FROM finding WHERE scorecard = 'huining-bazhua-2018' AND item = '9' AND subject_id = '$c' AND period = '2018'"); do
    "$KAOHE" findings remove --evidence "$T/ev.db" "$id" >/dev/null
  done
done
# 部分 on 五督 item 3 (是 4 分 / 否 0 分, no 部分): refused, naming the row and the item
"$PY" - "$T/ck.xlsx" "$T/partial3.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["抽查清单"]
ws.cell(3, 6).value = "部分"; ws.cell(3, 7).value = 2
ws.cell(3, 9).value = "县督查组 王明"; ws.cell(3, 10).value = "2018-12-06"
wb.save(sys.argv[2])
PY
sum=$(sha256sum <"$T/ev.db")
rc=0; "$KAOHE" sample --evidence "$T/ev.db" --import "$T/partial3.xlsx" 2>"$T/err" || rc=$?
expect_eq "1" "$rc" "部分 on an item that takes none: refused"
expect_contains "$(cat "$T/err")" "finding CK42-huining-wudu-2018-$first-3: item 3 takes 是, 否 or 不适用, not 部分" \
  "… naming the finding (seed, scorecard, subject, item) and why"
expect_eq "$sum" "$(sha256sum <"$T/ev.db")" "… and the evidence untouched"
"$PY" - "$T/ckb.xlsx" "$T" <<'PY'
import sys, openpyxl
def fill(out, scores):
    wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["抽查清单"]
    for r, score in scores.items():
        ws.cell(r, 6).value = "部分"; ws.cell(r, 7).value = score
        ws.cell(r, 9).value = "县督查组 王明"; ws.cell(r, 10).value = "2018-12-06"
    wb.save(f"{sys.argv[2]}/{out}")
fill("score_text.xlsx", {3: 1.5, 4: "3分"})
fill("score_decimals.xlsx", {3: 0.125})
fill("score_ok.xlsx", {3: 1.5})
PY
hash_before=$("$KAOHE" hash --evidence "$T/ev.db")
sum=$(sha256sum <"$T/ev.db")
rc=0; "$KAOHE" sample --evidence "$T/ev.db" --import "$T/score_text.xlsx" 2>"$T/err" || rc=$?
expect_eq "1 kaohe: error: $T/score_text.xlsx: row 4: column G 得分（部分时填）: '3分' is not a score (a number of points with at most two decimals, e.g. 1.5)" \
  "$rc $(cat "$T/err")" "a score typed with its unit is refused with file, row and column"
rc=0; "$KAOHE" sample --evidence "$T/ev.db" --import "$T/score_decimals.xlsx" 2>"$T/err" || rc=$?
expect_eq "1 kaohe: error: $T/score_decimals.xlsx: row 3: column G 得分（部分时填）: '0.125' is not a score (a number of points with at most two decimals, e.g. 1.5)" \
  "$rc $(cat "$T/err")" "a score with three decimals is refused"
expect_eq "$hash_before" "$("$KAOHE" hash --evidence "$T/ev.db")" "refused scores leave the evidence's content hash as it was"
expect_eq "$sum" "$(sha256sum <"$T/ev.db")" "… and the file untouched (no import_log line either)"
"$KAOHE" sample --evidence "$T/ev.db" --import "$T/score_ok.xlsx" >"$T/out"
expect_contains "$(cat "$T/out")" "3 行，导入 1 条核查结论" "a well-formed score is imported"
expect_eq "部分|1.5|2018-12-06" "$(sqlite3 "$T/ev.db" "SELECT answer, score, inspected_on FROM finding WHERE id = 'CK42-huining-bazhua-2018-$cadre-9'")" \
  "the score is stored as the points typed"
# Excel stores a 1.1 typed into a cell as the number 1.1000000000000001 (the double's shortest
# round-trip text): a number cell within 1e-9 of a hundredth is that hundredth. openpyxl writes
# "1.1", so the sheet's XML is edited to the long form Excel writes. The same text typed as text
# stays refused: only what the spreadsheet stored as a number is rounded.
"$PY" - "$T/ckb.xlsx" "$T" <<'PY'
import sys, zipfile, openpyxl
def fill(out, score):
    wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["抽查清单"]
    ws.cell(3, 6).value = "部分"; ws.cell(3, 7).value = score
    ws.cell(3, 9).value = "县督查组 王明"; ws.cell(3, 10).value = "2018-12-07"
    wb.save(f"{sys.argv[2]}/{out}")
fill("score_float.xlsx", 1.1)
fill("score_longtext.xlsx", "1.1000000000000001")
path = f"{sys.argv[2]}/score_float.xlsx"
parts = {}
with zipfile.ZipFile(path) as z:
    for n in z.namelist():
        parts[n] = z.read(n)
sheet = parts["xl/worksheets/sheet1.xml"].decode()
assert sheet.count('<c r="G3" s="3" t="n"><v>1.1</v></c>') == 1, "G3 is not the number 1.1"
parts["xl/worksheets/sheet1.xml"] = sheet.replace("<v>1.1</v>", "<v>1.1000000000000001</v>").encode()
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
    for n, data in parts.items():
        z.writestr(n, data)
PY
rc=0; "$KAOHE" sample --evidence "$T/ev.db" --import "$T/score_float.xlsx" >"$T/out" 2>"$T/err" || rc=$?
expect_eq "0 " "$rc $(cat "$T/err")" "a number cell 1.1000000000000001 is accepted"
expect_contains "$(cat "$T/out")" "3 行，导入 1 条核查结论" "a number cell 1.1000000000000001 is imported"
expect_eq "部分|1.1|2018-12-07" "$(sqlite3 "$T/ev.db" "SELECT answer, score, inspected_on FROM finding WHERE id = 'CK42-huining-bazhua-2018-$cadre-9'")" \
  "… as 1.1"
rc=0; "$KAOHE" sample --evidence "$T/ev.db" --import "$T/score_longtext.xlsx" 2>"$T/err" || rc=$?
expect_eq "1 kaohe: error: $T/score_longtext.xlsx: row 3: column G 得分（部分时填）: '1.1000000000000001' is not a score (a number of points with at most two decimals, e.g. 1.5)" \
  "$rc $(cat "$T/err")" "the same digits typed as text are refused"

# 回头看 on the hand-made fixture. Run A on fixtures/small/post_assessment.sql: lost items are
# county 1 2 3 4, 甲镇 1 2, 乙乡 2 3. Run B after: A4's deposit refunded (乙乡 2 rectified; the
# county keeps A2), 乙乡卫生院 meets the standard (county 4 rectified), household H3 re-registered
# 建档立卡 (A5 becomes an item-1 case: 乙乡 1 new). So rectified 2 (county 4, 乙乡 2),
# persisting 6 (county 1 2 3, 甲镇 1 2, 乙乡 3), new 1 (乙乡 1).
small_evidence "$T/small.db"
"$KAOHE" run --evidence "$T/small.db" --results "$T/d.db" scorecards/post_assessment_deductions.lua >/dev/null
sqlite3 "$T/small.db" "UPDATE admission SET deposit_fen = 0 WHERE id = 'A4';
  UPDATE institution SET capability_met = 1 WHERE id = 'I2'; UPDATE household SET category = '建档立卡' WHERE id = 'H3'"
"$KAOHE" run --evidence "$T/small.db" --results "$T/d.db" scorecards/post_assessment_deductions.lua >/dev/null
rc=0; "$KAOHE" diff --results "$T/d.db" 1 2 --out "$T/ledger.xlsx" >"$T/out" || rc=$?
expect_eq 3 "$rc" "回头看 with problems rectified and new: exit 3 (differences)"
expect_eq "回头看：运行 1 → 2：已整改（已销号）2 项，仍存在 6 项，新发现 1 项" "$(head -1 "$T/out")" "回头看 counts, first"
expect_eq "已销号 县 测试县（C1）第4项|已销号 乡镇 乙乡（T2）第2项" \
  "$(grep '^已销号' "$T/out" | tr '\t' ' ' | tr '\n' '|' | sed 's/|$//')" "the rectified problems"
ledger=$("$PY" -c "
import openpyxl; ws = openpyxl.load_workbook('$T/ledger.xlsx')['整改台账']
print(sorted((r[1], r[3], r[6]) for r in ws.iter_rows(min_row=3, values_only=True)))")
expect_contains "$ledger" "('乙乡', '2', '已销号')" "the ledger marks rectified problems 已销号"
expect_contains "$ledger" "('乙乡', '1', '未整改')" "… and new ones 未整改"
finish
