#!/usr/bin/env bash
# The print set as LibreOffice renders it (issue 16 item 7): a small generated county (3
# townships, 31 villages, 20 cadres) run through all bundled scorecards, converted to PDF by
# LibreOffice headless with a profile directory of its own (a concurrent soffice — another
# test, a desktop session — cannot make it wait on a shared profile's lock), then read back
# with pdfinfo/pdftotext. Page numbers restart on every sheet, so the PDF splits into sheets
# at each "第 1 页" footer.
source "$(dirname "$0")/lib.bash"
: "${KAOHE_GEN:?}"
for tool in soffice pdfinfo pdftotext; do
  command -v "$tool" >/dev/null || { fail "$tool missing (scripts/setup.sh installs libreoffice-calc-nogui poppler-utils)"; finish; }
done
# three townships of the real county and the cadres assigned to them (header lines kept)
awk -F'\t' '/^#/ || $1 == "township" || $1 == "柴家门镇" || $1 == "丁家沟镇" || $1 == "中川镇"' \
  fixtures/huining/villages.tsv >"$T/v.tsv"
awk -F'\t' '/^#/ || $1 == "department" || $4 == "柴家门镇" || $4 == "丁家沟镇" || $4 == "中川镇"' \
  fixtures/huining/cadres.tsv >"$T/c.tsv"
"$KAOHE_GEN" --out "$T/ev.db" --persons 1500 --villages "$T/v.tsv" --cadres "$T/c.tsv" >/dev/null
KAOHE_RUN_TIME=1546300800 "$KAOHE" run --evidence "$T/ev.db" --period 2018 --out "$T/r.xlsx" \
  --results "$T/r.db" scorecards/*.lua >/dev/null
q() { sqlite3 "$T/r.db" "$1"; }
expect_eq "3|31|20" "$(q "SELECT (SELECT count(*) FROM subject WHERE kind = 'township'),
  (SELECT count(*) FROM subject WHERE kind = 'village'), (SELECT count(*) FROM subject WHERE kind = 'cadre')")" \
  "the small county: 3 townships, 31 villages, 20 cadres"

rc=0
(cd "$T" && timeout 600 soffice -env:UserInstallation="file://$T/lo" --headless --convert-to pdf \
  --outdir "$T/pdf" r.xlsx >"$T/soffice.log" 2>&1) || rc=$?
expect_eq "0 True" "$rc $([ -s "$T/pdf/r.pdf" ] && echo True)" "LibreOffice converts the workbook ($(tail -1 "$T/soffice.log"))"
pdftotext -layout "$T/pdf/r.pdf" "$T/r.txt"

out=$("$PY" - "$T/r.xlsx" "$T/r.db" "$T/r.txt" "$(pdfinfo "$T/pdf/r.pdf" | awk '/^Pages:/ {print $2}')" <<'PY'
import re, sys, sqlite3, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
db = sqlite3.connect(sys.argv[2])
q = lambda sql: db.execute(sql).fetchall()
pages = open(sys.argv[3], encoding="utf-8").read().split("\f")[:int(sys.argv[4])]
print("pages", int(sys.argv[4]) == len(pages))
# split at every page whose footer restarts at 1; one part per printed (visible) sheet
# (a form sheet prints one page per form, each "第 1 页，共 1 页" with "第 N 份" of the sheet
# beside it: a form sheet starts at its 第 1 份)
parts = []
for p in pages:
    n = re.search(r"第\s*(\d+)\s*份", p)
    if re.search(r"第\s*1\s*页", p) and (n is None or n.group(1) == "1") or not parts:
        parts.append([])
    parts[-1].append(p)
visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
# the fixed sheets before the forms: 汇总 图表 整改台账 (问责名单: the run has the 包抓 card) 扣分明细
# 考核明细 运行信息
NF = 6 + ("问责名单" in wb.sheetnames)
print("sheets", len(parts) == len(visible), len(parts), len(visible))
got = {ws.title: len(part) for ws, part in zip(visible, parts)}
text = {ws.title: "".join(part) for ws, part in zip(visible, parts)}
# the forms: one printed page per form, every form sheet; as many forms as results that are
# not roll-ups, less the subjects whose every item is 不适用: they get no form, and a sheet
# that has any ends with one page listing them
# (a form begins with its scorecard's title in column A, the list with "…（未出考核表的对象）")
titles = {t for (t,) in q("SELECT title FROM run_scorecard")}
colA = {ws.title: [r[0] for r in ws.iter_rows(min_col=1, max_col=1, values_only=True)]
        for ws in visible[NF:]}
forms = {n: sum(1 for v in a if v in titles) for n, a in colA.items()}
lists = {n: sum(1 for v in a if isinstance(v, str) and v.endswith("（未出考核表的对象）")) for n, a in colA.items()}
all_na = q("SELECT count(*) FROM (SELECT 1 FROM score GROUP BY scorecard_id, subject_kind, subject_id "
           "HAVING sum(status <> 'na') = 0)")[0][0]
print("forms", sum(forms.values()) == q("SELECT count(*) FROM result WHERE rollup = 0")[0][0] - all_na,
      sum(got[n] != k + lists[n] for n, k in forms.items()))
listed = "".join(text[n] for n in lists if lists[n])
print("nalist", sum(lists.values()), all_na, all_na > 0, max(lists.values()),
      len(re.findall(r"以下\s*(\d+)\s*个对象全部项目不适用", listed)))
# 汇总: each form's tables start a page, and each fits one (e.g. 20 cadres in 3 groups; 31
# villages in 3 groups, 3 townships, the county, the city; 3 townships and the county)
print("summary", got["汇总"] == q("SELECT count(DISTINCT scorecard_id) FROM result")[0][0], got["汇总"])
# 图表: one page per chart: the townships of every form scored or averaged at township level
# (五督, 后评估, 医疗保障, 村卫生室, 宣传), and one per department that has a ranked cadre
depts = q("SELECT count(DISTINCT substr(parent, 1, instr(parent, '·') - 1)) FROM subject s JOIN result r "
          "ON r.subject_id = s.id AND r.subject_kind = s.kind WHERE s.kind = 'cadre' AND r.rank > 0")[0][0]
towns = q("SELECT count(DISTINCT scorecard_id) FROM result WHERE subject_kind = 'township'")[0][0]
print("charts", got["图表"] == towns + depts, got["图表"], towns, depts)
# the data sheets print their title and header only: one page each, saying how many rows
n_ded = q("SELECT count(*) FROM deduction")[0][0]
print("data", got["扣分明细"], got["考核明细"], "共 %d 条" % n_ded in text["扣分明细"].replace(",", ""))
# the print set: 汇总 + 图表 + 整改台账 + 问责名单 + the forms, and the data sheets' one page each
print("total", len(pages) == got["汇总"] + got["图表"] + got["整改台账"] + got.get("问责名单", 0) + sum(forms.values())
      + sum(lists.values()) + got["扣分明细"] + got["考核明细"] + got["运行信息"])
# every subject of every table in 汇总 is printed (its id on the 汇总 pages), and the
# signature block closes it
ids = [r[0] for r in q("SELECT DISTINCT subject_id FROM result")]
print("rows", sum(i not in text["汇总"] for i in ids), len(ids))
last = parts[0][-1]
print("sign", all(w in last for w in ("填报单位（公章）", "审核人", "日期")))
# every form page carries its own signature line (the list of subjects without a form has none)
print("formsign", sum("填报单位（公章）" not in p and "未出考核表" not in p
                      for ws, part in zip(visible[NF:], parts[NF:]) for p in part))
# no footer counts the whole print job: LibreOffice's &N is every sheet's pages, so a page
# saying "共 N 页" with N > 1 would say "第 1 页，共 1812 页" on a one-page sheet
print("jobtotal", sum(1 for p in pages for n in re.findall(r"页，共\s*(\d+)\s*页", p) if int(n) > 1))
PY
)
echo "$out" >"$T/out.txt"
line() { grep "^$1 " "$T/out.txt" | head -1 | cut -d' ' -f2-; }
expect_eq "True" "$(line pages)" "pdftotext reads every page"
expect_contains "$(line sheets)" "True" "the PDF splits into the visible sheets at each restarted page number"
expect_eq "True 0" "$(line forms)" "one page per form, every form but the all-不适用 subjects'"
na=$(line nalist)
expect_eq "True 1" "$(echo "$na" | cut -d' ' -f3-4)" "the generated county has all-不适用 subjects, listed on one page per sheet"
expect_eq "$(echo "$na" | cut -d' ' -f1)" "$(echo "$na" | cut -d' ' -f5)" "each list page says how many it lists"
expect_contains "$(line summary)" "True" "汇总: a page per form's tables"
expect_contains "$(line charts)" "True" "图表: a page per chart"
expect_eq "1 1 True" "$(line data)" "扣分明细 and 考核明细 print one page each, with the row count"
expect_eq "True" "$(line total)" "the print set's pages add up"
expect_contains "$(line rows)" "0 " "汇总: every subject printed"
expect_eq "True" "$(line sign)" "汇总 ends with the signature block"
expect_eq "0" "$(line formsign)" "every form page has its signature line"
expect_eq "0" "$(line jobtotal)" "no page numbered against the whole workbook (共 N 页)"
finish
