#!/usr/bin/env bash
# Hostile and honest texts on their way to the workbook (issue 18, item 4): a scorecard title and
# a county's name in the evidence with bytes that are not UTF-8 (its name names the sheet of the
# county's own form and goes into a reason), and an honest
# item text of 400 Chinese characters (once cut mid-character in a 1,024-byte buffer of the
# ledger, which damaged the workbook). The run succeeds; the workbook is well-formed XML
# (openpyxl reads it), a bad byte shows as U+FFFD, the long text is whole, and the results
# database keeps the bytes as they were.
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
cd "$T"
county=$(sqlite3 ev.db 'SELECT name FROM county LIMIT 1')
province=$(sqlite3 ev.db 'SELECT province FROM county LIMIT 1')
# TEXT ending in the byte FF (the province names the county forms' sheet)
sqlite3 ev.db "UPDATE county SET name = name || x'FF', province = province || x'FF'"
long=$("$PY" -c 'print("考核指标" * 100)') # 400 characters
printf 'return scorecard {\n  id = "hostile", title = "标题\377坏", short = "短", mode = "deduction",\n' >h.lua
cat >>h.lua <<LUA
  subjects = { "county" }, period = "2018",
  item { no = "1", text = "$long",
    rule = per_case { each = 0.2, evidence = "county",
      cases = "SELECT id AS key, id AS county, name AS bad FROM county",
      reason = "{bad}原因" } },
}
LUA
rc=0
"$KAOHE" run --evidence ev.db --out r.xlsx --results r.db h.lua >out.txt 2>err.txt || rc=$?
expect_eq 0 "$rc" "hostile texts: run exit code ($(cat err.txt))"
out=$("$PY" - r.xlsx "$long" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("sheets", [n for n in wb.sheetnames if n.startswith("短")])
print("title", wb["汇总"]["A3"].value)  # the table's title row: the form title once
ledger = wb["整改台账"]
print("work-whole", ledger["D3"].value == "短 第1项：" + sys.argv[2])
print("reason", wb["扣分明细"]["K3"].value)
PY
)
expect_contains "$out" "sheets ['短-$county�']" "sheet name: bad byte shown as U+FFFD"
expect_contains "$out" "title 标题�坏" "title: bad byte shown as U+FFFD"
expect_contains "$out" "work-whole True" "400-character item text written whole"
expect_contains "$out" "reason $county�原因" "evidence value: bad byte shown as U+FFFD"
# the results database keeps the bytes as they were (hex FF after the county's name)
expect_eq "FF" "$(sqlite3 r.db "SELECT substr(hex(reason), length(hex('$county')) + 1, 2) FROM deduction")" \
  "results keep the original bytes"
finish
