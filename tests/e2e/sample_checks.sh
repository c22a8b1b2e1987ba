#!/usr/bin/env bash
# issue 15 item 6: `sample` checks --scorecard and --items before it draws (a mistyped id
# answered with the nearest one), offers no checklist whose answers no scorecard reads (the old
# household checklist), and `sample --import` checks each row against the scorecards as
# `findings import` does. And the clash of two findings names the period (it said "(null)"
# when the items ran in parallel).
source "$(dirname "$0")/lib.bash"
cd "$T"
small_evidence ev.db
sum=$(sha256sum <ev.db)
code() { # kaohe ARGS: exit code in $rc, stdout in out.txt, stderr in err.txt
  rc=0
  "$KAOHE" "$@" >out.txt 2>err.txt || rc=$?
}
ALL="huining-bazhua-2018, huining-cunweishi-2018, huining-cunweishi-village-2018, post-assessment-deductions, huining-qianyue-2018, huining-wudu-2018, huining-xuanchuan-2018, huining-yibao-2018, huining-zhenggai-2018"

# -- up front, nothing drawn: exit 1 for what the scorecards refuse, 2 for usage
code sample --evidence ev.db --seed 1 --period 2018 --scorecard huining-wudu-201 --items 3 --out ck.xlsx
expect_eq "1|kaohe: error: sample --scorecard huining-wudu-201 --kind village --items 3: scorecard 'huining-wudu-201' is not one of those checked against ($ALL) (did you mean 'huining-wudu-2018'?)||" \
  "$rc|$(cat err.txt)|$(cat out.txt)|$(ls ck.xlsx 2>/dev/null)" "a mistyped scorecard: the nearest named"
code sample --evidence ev.db --seed 1 --period 2018 --scorecard huining-wudu-2018 --items , --out ck.xlsx
expect_eq "1|kaohe: error: sample --items ',': no item number in it (e.g. --items 3,20)|" \
  "$rc|$(cat err.txt)|$(ls ck.xlsx 2>/dev/null)" "--items with no item"
code sample --evidence ev.db --seed 1 --period 2018 --out ck.xlsx
expect_eq "2|kaohe: error: sample: --scorecard ID --items N,M is required (the items of a scorecard scored from findings, e.g. --scorecard huining-wudu-2018 --items 3,20)||" \
  "$rc|$(head -1 err.txt)|$(cat out.txt)|$(ls ck.xlsx 2>/dev/null)" "no household checklist"

# -- a checklist drawn for 五督 items 3 and 20 (villages V11 甲村, V21 乙村: one per township),
# its hidden scorecard cell edited to one nothing scores: refused with its row, nothing written
code sample --evidence ev.db --seed 1 --period 2018 --scorecard huining-wudu-2018 --items 3,20 --out ck.xlsx
expect_eq "0|4" "$rc|$("$PY" -c "
import openpyxl; ws = openpyxl.load_workbook('ck.xlsx')['抽查清单']; print(ws.max_row - 2)")" \
  "the checklist: 2 villages × 2 items = 4 rows"
"$PY" - <<'PY'
import openpyxl
wb = openpyxl.load_workbook("ck.xlsx"); ws = wb["抽查清单"]
for r in (3, 4):
    ws.cell(r, 6).value = "是"; ws.cell(r, 9).value = "王明"; ws.cell(r, 10).value = "2018-12-05"
wb.save("good.xlsx")
ws.cell(4, 11).value = "spot-check"          # the scorecard the household checklist used
wb.save("bad.xlsx")
PY
code sample --evidence ev.db --import bad.xlsx
expect_eq "1" "$rc" "a row for a scorecard nothing reads: refused"
expect_contains "$(cat err.txt)" "scorecard 'spot-check' is not one of those checked against ($ALL)" \
  "the refusal says why"
expect_eq "$sum" "$(sha256sum <ev.db)" "refused: the evidence untouched"
code sample --evidence ev.db --import good.xlsx
expect_eq "0|2" "$rc|$(sqlite3 ev.db "SELECT count(*) FROM finding WHERE scorecard = 'huining-wudu-2018'")" \
  "the good checklist: its two answered rows imported"

# -- two findings about one village, item and period (written by hand: every import refuses
# the clash): the run names the period, with the items run in parallel as by default
cat >spot.lua <<'LUA'
return scorecard {
  id = "spot-test", title = "抽查测试", source = "测试", period = "2018",
  subjects = { "village" }, total = 5,
  grades = { source = "测试用等次", { "好", 4 }, { "差", 0 } },
  item { no = "1", points = 3, text = "x", rule = finding { yes = 3, no = 0, partial = true } },
  item { no = "2", points = 2, text = "y", rule = finding { yes = 2, no = 0 } },
}
LUA
sqlite3 ev.db "INSERT INTO finding (id, scorecard, item, subject_kind, subject_id, period, answer,
  score, note, inspector, inspected_on) VALUES
  ('D1', 'spot-test', '2', 'village', 'V11', '2018', '是', NULL, '', '王五', '2019-01-05'),
  ('D2', 'spot-test', '2', 'village', 'V11', '2018', '否', NULL, '', '李四', '2019-01-06')"
for j in 1 2; do
  code run -j $j --evidence ev.db --results r$j.db spot.lua
  expect_eq "1|kaohe: error: spot.lua:6: 第2项：村 V11 在考核期 2018 有两条核查结论（D1、D2），请删除其一（kaohe findings remove --evidence ev.db D2）|" \
    "$rc|$(cat err.txt)|$(ls r$j.db 2>/dev/null)" "-j $j: the clash names period 2018, nothing written"
done
finish
