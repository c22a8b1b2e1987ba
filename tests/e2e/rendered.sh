#!/usr/bin/env bash
# The print set as LibreOffice renders it (issue 16 item 7): a small generated county (3
# townships, 31 villages, 20 cadres) run through all bundled scorecards, converted to PDF by
# LibreOffice headless with a profile directory of its own (a concurrent soffice — another
# test, a desktop session — cannot make it wait on a shared profile's lock), then read back
# with pdfinfo/pdftotext. Page numbers restart on every sheet, so the PDF splits into sheets
# at each "第 1 页" footer.
#
# Forms are packed: as many whole forms a page as fit at the sheet's scale (report_forms.c,
# plan_pages). Worked out for this county (31 villages: 柴家门镇 11, 中川镇 10, 丁家沟镇 10; 20
# cadres: 卫计 9, 民政 6, 人社 5; 21 村卫生室 with forms and some all 不适用; 3 townships), a page
# being 746 pt portrait / 527.8 pt landscape at the scale, filled to 94%, each form with its
# 12-pt gap; the wide forms (904 pt) print at 59% portrait (1,188 pt of forms a page) or 83%
# landscape (598 pt):
#   五督 (26 items, ~1,470 pt: 49% portrait) 1 a page: 11 + 10 + 10 = 31 pages
#   包抓 (~1,250–1,300 pt: 59%) 1 a page: 9 + 6 + 5 = 20
#   签约, 医保 (~420–480 pt) 2 a page at 59% (landscape: 1): ⌈11/2⌉ + ⌈10/2⌉ + ⌈10/2⌉ = 16 each
#   村卫生室 (~310–380 pt) 3 a page: ⌈21/3⌉ = 7, and the page listing the all-不适用 ones: 8
#   村室设置 (2 items, ~256 pt) 4 a page: ⌈11/4⌉ + ⌈10/4⌉ + ⌈10/4⌉ = 9
#   后评估, 宣传, 整改 (~320–400 pt) the 3 townships on 1 page each; 后评估's county form 1
# 104 form pages in all. With --one-form-per-page every form is a page of its own and each sheet
# takes the orientation that shrinks it least: 175 forms + the list = 176 pages.
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
KAOHE_RUN_TIME=1546300800 "$KAOHE" run --evidence "$T/ev.db" --period 2018 --out "$T/r1.xlsx" \
  --one-form-per-page scorecards/*.lua >/dev/null
q() { sqlite3 "$T/r.db" "$1"; }
expect_eq "3|31|20" "$(q "SELECT (SELECT count(*) FROM subject WHERE kind = 'township'),
  (SELECT count(*) FROM subject WHERE kind = 'village'), (SELECT count(*) FROM subject WHERE kind = 'cadre')")" \
  "the small county: 3 townships, 31 villages, 20 cadres"

rc=0
(cd "$T" && timeout 900 soffice -env:UserInstallation="file://$T/lo" --headless --convert-to pdf \
  --outdir "$T/pdf" r.xlsx r1.xlsx >"$T/soffice.log" 2>&1) || rc=$?
expect_eq "0 True True" "$rc $([ -s "$T/pdf/r.pdf" ] && echo True) $([ -s "$T/pdf/r1.pdf" ] && echo True)" \
  "LibreOffice converts both workbooks ($(tail -1 "$T/soffice.log"))"
pdftotext -layout "$T/pdf/r.pdf" "$T/r.txt"
pdftotext -layout "$T/pdf/r1.pdf" "$T/r1.txt"

npages() { pdfinfo "$1" | awk '/^Pages:/ {print $2}'; }
out=$("$PY" - "$T/r.xlsx" "$T/r.db" "$T/r.txt" "$(npages "$T/pdf/r.pdf")" "$T/r1.xlsx" "$T/r1.txt" \
  "$(npages "$T/pdf/r1.pdf")" <<'PY'
import math, re, sys, sqlite3, openpyxl
db = sqlite3.connect(sys.argv[2])
q = lambda sql: db.execute(sql).fetchall()
titles = {t for (t,) in q("SELECT title FROM run_scorecard")}

def read(xlsx, txt, n):
    """The workbook's visible sheets and the PDF's pages split into them: page numbers restart
    at 1 on every sheet, so a part begins at each page whose footer says 第 1 页."""
    wb = openpyxl.load_workbook(xlsx)
    pages = open(txt, encoding="utf-8").read().split("\f")[:int(n)]
    parts = []
    for p in pages:
        if re.search(r"第\s*1\s*页", p) or not parts:
            parts.append([])
        parts[-1].append(p)
    return wb, pages, parts, [ws for ws in wb.worksheets if ws.sheet_state == "visible"]

def form_sheets(tag, wb, visible, parts, NF):
    """Per form sheet, the plan (its forms' title rows and page breaks) against the PDF: pages =
    ⌈forms / per page⌉ (+ the list page), the plan's breaks every per-page-th form, each page
    whole forms — as many "第 N 份" numbers as signature lines, N running 1, 2, … through the
    sheet — and every page but the sheet's last form page full. Returns the form pages."""
    bad = {"pages": 0, "breaks": 0, "split": 0, "order": 0, "fill": 0}
    total = 0
    for ws, part in zip(visible[NF:], parts[NF:]):
        col = [r[0] for r in ws.iter_rows(min_col=1, max_col=1, values_only=True)]
        tops = [i for i, v in enumerate(col) if v in titles]  # 0-based, as breaks are
        na = [i for i, v in enumerate(col) if isinstance(v, str) and v.endswith("（未出考核表的对象）")]
        brk = [b.id for b in ws.row_breaks.brk]
        k = tops.index(brk[0]) if brk and brk[0] in tops else max(len(tops), 1)
        want = math.ceil(len(tops) / k) + len(na)
        bad["pages"] += len(part) != want
        bad["breaks"] += brk != [tops[j] for j in range(k, len(tops), k)] + (na if tops else [])
        nos, form_pages = [], [p for p in part if "未出考核表" not in p]
        for j, p in enumerate(form_pages):
            here = [int(x) for x in re.findall(r"第\s*(\d+)\s*份", p)]
            bad["split"] += len(here) != p.count("填报单位（公章）") or not here
            bad["fill"] += j + 1 < len(form_pages) and len(here) != k
            nos += here
        bad["order"] += nos != list(range(1, len(tops) + 1))
        total += len(part)
    print(tag, total, " ".join("%s=%d" % kv for kv in bad.items()))

wb, pages, parts, visible = read(sys.argv[1], sys.argv[3], sys.argv[4])
print("pages", int(sys.argv[4]) == len(pages))
# the fixed sheets before the forms: 汇总 图表 整改台账 (问责名单: the run has the 包抓 card) 扣分明细
# 考核明细 运行信息
NF = 6 + ("问责名单" in wb.sheetnames)
print("sheets", len(parts) == len(visible), len(parts), len(visible))
got = {ws.title: len(part) for ws, part in zip(visible, parts)}
text = {ws.title: "".join(part) for ws, part in zip(visible, parts)}
# the forms: as many as results that are not roll-ups, less the subjects whose every item is
# 不适用: they get no form, and a sheet that has any ends with one page listing them (a form
# begins with its scorecard's title in column A, the list with "…（未出考核表的对象）")
colA = {ws.title: [r[0] for r in ws.iter_rows(min_col=1, max_col=1, values_only=True)]
        for ws in visible[NF:]}
forms = {n: sum(1 for v in a if v in titles) for n, a in colA.items()}
lists = {n: sum(1 for v in a if isinstance(v, str) and v.endswith("（未出考核表的对象）")) for n, a in colA.items()}
all_na = q("SELECT count(*) FROM (SELECT 1 FROM score GROUP BY scorecard_id, subject_kind, subject_id "
           "HAVING sum(status <> 'na') = 0)")[0][0]
print("forms", sum(forms.values()) == q("SELECT count(*) FROM result WHERE rollup = 0")[0][0] - all_na,
      sum(forms.values()))
form_sheets("packed", wb, visible, parts, NF)
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
# the print set: 汇总 + 图表 + 整改台账 + 问责名单 + the forms' pages, and the data sheets' one page each
print("total", len(pages) == got["汇总"] + got["图表"] + got["整改台账"] + got.get("问责名单", 0)
      + sum(got[n] for n in forms) + got["扣分明细"] + got["考核明细"] + got["运行信息"])
# every subject of every table in 汇总 is printed (its id on the 汇总 pages), and the
# signature block closes it
ids = [r[0] for r in q("SELECT DISTINCT subject_id FROM result")]
print("rows", sum(i not in text["汇总"] for i in ids), len(ids))
last = parts[0][-1]
print("sign", all(w in last for w in ("填报单位（公章）", "审核人", "日期")))
# every form page carries signature lines (the list of subjects without a form has none)
print("formsign", sum("填报单位（公章）" not in p and "未出考核表" not in p
                      for ws, part in zip(visible[NF:], parts[NF:]) for p in part))
# no footer counts the whole print job: LibreOffice's &N is every sheet's pages, so a page
# saying "共 N 页" with N > 1 would say "第 1 页，共 1812 页" on a one-page sheet
print("jobtotal", sum(1 for p in pages for n in re.findall(r"页，共\s*(\d+)\s*页", p) if int(n) > 1))
# the same workbook run with --one-form-per-page
wb1, pages1, parts1, visible1 = read(sys.argv[5], sys.argv[6], sys.argv[7])
print("sheets1", len(parts1) == len(visible1), [ws.title for ws in visible1] == [ws.title for ws in visible])
form_sheets("one", wb1, visible1, parts1, NF)
PY
)
echo "$out" >"$T/out.txt"
line() { grep "^$1 " "$T/out.txt" | head -1 | cut -d' ' -f2-; }
expect_eq "True" "$(line pages)" "pdftotext reads every page"
expect_contains "$(line sheets)" "True" "the PDF splits into the visible sheets at each restarted page number"
expect_eq "True 175" "$(line forms)" "a form for every subject but the all-不适用 ones"
expect_eq "104 pages=0 breaks=0 split=0 order=0 fill=0" "$(line packed)" \
  "packed: 104 form pages (see the top); per sheet ⌈forms / per page⌉, no form split, pages full"
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
expect_eq "True True" "$(line sheets1)" "--one-form-per-page: the same sheets, split at their first pages"
expect_eq "176 pages=0 breaks=0 split=0 order=0 fill=0" "$(line one)" \
  "--one-form-per-page: 175 forms and the list page, one form a page"
finish
