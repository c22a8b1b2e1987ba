#!/usr/bin/env bash
# 汇总 links each subject to its form with a reference Excel, WPS and LibreOffice all follow:
# 'sheet'!A1, an apostrophe in the sheet's name doubled ('It''s'!A1), as Excel writes it.
#
# Worked out by hand, on the hand-made fixture (fixtures/small/post_assessment.sql: county 测试县,
# townships 甲镇 T1 and 乙乡 T2): a one-item township form whose short title is "It's甲表" puts both
# townships' forms on the sheet "It's甲表-测试县各乡镇" (title, info, head, 1 item, total, sign, gap:
# 7 rows a form), 甲镇 (T1) at row 1, 乙乡 (T2) at row 8. So 汇总 links 甲镇 to
# 'It''s甲表-测试县各乡镇'!A1 and 乙乡 to 'It''s甲表-测试县各乡镇'!A8.
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
cat >"$T/q.lua" <<'LUA'
return scorecard {
  id = "t-quote", title = "It's 甲表", period = "2018", short = "It's甲表", subjects = { "township" },
  total = 5,
  item { no = "1", points = 5, text = "是否落实甲项工作。", rule = finding { yes = 5, no = 0 } },
}
LUA
KAOHE_RUN_TIME=1540000000 "$KAOHE" run --evidence "$T/ev.db" --period 2018 --out "$T/r.xlsx" \
  "$T/q.lua" >/dev/null || echo "run failed" >&2
out=$("$PY" - "$T/r.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("sheets", [n for n in wb.sheetnames if "-" in n])
s = wb["汇总"]
links = {c.value: c.hyperlink.location for c in s["B"] if c.hyperlink}
print("links", links.get("甲镇"), links.get("乙乡"))
# each link, read the way Excel reads it, lands on its subject's form
bad = 0
for name, loc in links.items():
    sheet, cell = loc.rsplit("!", 1)
    assert sheet[0] == sheet[-1] == "'"
    f = wb[sheet[1:-1].replace("''", "'")]
    bad += name not in (f.cell(int(cell[1:]) + 1, 1).value or "")
print("land", len(links), bad)
PY
)
echo "$out" >"$T/out.txt"
line() { grep "^$1 " "$T/out.txt" | head -1 | cut -d' ' -f2-; }
expect_eq "[\"It's甲表-测试县各乡镇\"]" "$(line sheets)" "the form sheet keeps the apostrophe of its short title"
expect_eq "'It''s甲表-测试县各乡镇'!A1 'It''s甲表-测试县各乡镇'!A8" "$(line links)" \
  "汇总's links double the apostrophe"
expect_eq "2 0" "$(line land)" "both links land on their subject's form"
finish
