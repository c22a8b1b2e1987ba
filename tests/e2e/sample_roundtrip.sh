#!/usr/bin/env bash
# Issue 15 — the spot-check round trip as one test, on a small generated county: run, draw a
# checklist for 五督 item 3 (a finding item: 是 → 4 points, 否 → 0), fill it with openpyxl,
# import it, run again into the same results database, reproduce that run (identical, exit 0),
# then change one finding and reproduce again (differs, exit 3, naming the score).
#
# Worked out by hand: the generator records a finding for item 3 of (nearly) every village, so
# the two villages checked (A, B: the checklist's first two rows, one village per township)
# have theirs removed first (kaohe findings remove): in run 1 item 3 of A and B is 待核实
# (status pending, no points). The inspector answers 否 for A and 是 for B; in run 2
# A's item 3 is deducted (0 of 4, one deduction of 4 keyed by its finding) and B's is 4 of 4.
# Then A's finding is replaced by a 是: reproducing run 2 finds A's item 3 now 4 (was 0) and
# its deduction gone; nothing else differs.
source "$(dirname "$0")/lib.bash"
: "${KAOHE_GEN:?}"
W=huining-wudu-2018
CARD=$KAOHE_HOME/scorecards/wudu_2018.lua
"$KAOHE_GEN" --out "$T/ev.db" --persons 9000 >/dev/null # reads fixtures/ from the source tree
cd "$T"
"$KAOHE" sample --evidence ev.db --seed 7 --period 2018 --scorecard $W --items 3 --per-stratum 1 \
  --out ck.xlsx >s.txt
A=$(sed -n 1p s.txt | cut -f2)
B=$(sed -n 2p s.txt | cut -f2)
expect_eq "1|1" "$([ -n "$A" ] && echo 1)|$([ -n "$B" ] && [ "$A" != "$B" ] && echo 1)" \
  "two villages drawn ($A, $B)"
old=$(sqlite3 ev.db "SELECT id FROM finding WHERE scorecard = '$W' AND item = '3' AND period = '2018'
  AND subject_id IN ('$A', '$B') ORDER BY id")
# shellcheck disable=SC2086 # one id a word
"$KAOHE" findings remove --evidence ev.db $old >/dev/null
expect_eq 0 "$(sqlite3 ev.db "SELECT count(*) FROM finding WHERE scorecard = '$W' AND item = '3'
  AND subject_id IN ('$A', '$B')")" "their earlier item 3 findings removed"

item3() { # run: A's and B's item 3 as status:points_x100 (- when 待核实: none counted), then
  # the deductions' keys and points
  sqlite3 r.db "SELECT subject_id || ':' || status || ':' || coalesce(points_x100, '-') FROM score WHERE run_id = $1
    AND scorecard_id = '$W' AND item = '3' AND subject_id IN ('$A', '$B') ORDER BY subject_id = '$B'" |
    paste -sd' '
  sqlite3 r.db "SELECT subject_id || ':' || evidence_key || ':' || points_x100 FROM deduction
    WHERE run_id = $1 AND scorecard_id = '$W' AND item = '3' AND subject_id IN ('$A', '$B')"
}
"$KAOHE" run --evidence ev.db --period 2018 --results r.db "$CARD" --quiet
expect_eq "$A:pending:- $B:pending:-" "$(item3 1)" "run 1: item 3 of A and B 待核实, no deduction"

# the checklist's first two rows (A, B): 否 and 是, with inspector and date; the rest blank
"$PY" - ck.xlsx filled.xlsx <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1]); ws = wb["抽查清单"]
for r, answer in ((3, "否"), (4, "是")):
    ws.cell(r, 6).value = answer
    ws.cell(r, 8).value = "现场核查"
    ws.cell(r, 9).value = "县督查组 王明"
    ws.cell(r, 10).value = "2019-01-05"
wb.save(sys.argv[2])
PY
rc=0; "$KAOHE" sample --evidence ev.db --import filled.xlsx >out.txt 2>err.txt || rc=$?
expect_eq "0|" "$rc|$(cat err.txt)" "the filled checklist imported"
expect_eq "CK7-$W-$A-3|否
CK7-$W-$B-3|是" "$(sqlite3 ev.db "SELECT id || '|' || answer FROM finding WHERE scorecard = '$W'
  AND item = '3' AND subject_id IN ('$A', '$B') ORDER BY subject_id = '$B'")" \
  "two findings, keyed by seed, scorecard, subject and item"

"$KAOHE" run --evidence ev.db --period 2018 --results r.db "$CARD" --quiet
expect_eq "$A:deducted:0 $B:ok:400
$A:CK7-$W-$A-3:400" "$(item3 2)" "run 2: A 0 of 4 (one deduction of 4, its finding), B 4 of 4"
expect_eq "2" "$(sqlite3 r.db "SELECT count(*) FROM run")" "both runs in one results database"

rc=0; "$KAOHE" reproduce --results r.db --run 2 >out.txt 2>err.txt || rc=$?
expect_eq "0|" "$rc|$(cat err.txt)" "reproduce of run 2 on the same evidence: exit 0"
expect_contains "$(tail -1 out.txt)" "结果一致：" "… identical"

# A's finding changed: removed, and a 是 imported in its place
"$KAOHE" findings remove --evidence ev.db "CK7-$W-$A-3" >/dev/null
cat >a.csv <<CSV
核查编号,考核表,项目序号,对象类别,对象编码,考核期,核查结论,得分,说明,核查人,核查日期
R1,$W,3,village,$A,2018,是,,复查,县督查组 李强,2019-02-01
CSV
"$KAOHE" findings import --evidence ev.db a.csv >/dev/null
rc=0; "$KAOHE" reproduce --results r.db --run 2 >out.txt 2>err.txt || rc=$?
expect_eq "3|" "$rc|$(cat err.txt)" "reproduce after the change: exit 3 (differs)"
expect_eq "  得分不同 $W|village|$A|3：原 deducted 0.00 → 现 ok 4.00" "$(grep '得分不同' out.txt)" \
  "… A's item 3 now 4, was 0; no other score"
expect_eq "  扣分证据不同 $W|village|$A|3：原有现无 finding|CK7-$W-$A-3|400" \
  "$(grep '扣分证据不同' out.txt)" "… and its deduction gone"
finish
