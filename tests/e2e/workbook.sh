#!/usr/bin/env bash
# The workbook an inspector prints: filled-in forms laid out like the seed's forms, 汇总 with
# links, chart and grade colours, 整改台账 in the seed's 进度表 columns, 运行信息 — read back with
# openpyxl and compared with the results database, number by number.
source "$(dirname "$0")/lib.bash"
: "${KAOHE_GEN:?}"
"$KAOHE_GEN" --out "$T/ev.db" --persons 12000 >/dev/null
KAOHE_RUN_TIME=1546300800 "$KAOHE" run --evidence "$T/ev.db" --period 2018 --out "$T/r.xlsx" \
  --results "$T/r.db" --deadline 2019-06-30 scorecards/*.lua >/dev/null
out=$("$PY" - "$T/r.xlsx" "$T/r.db" <<'PY'
import sys, sqlite3, zipfile, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
db = sqlite3.connect(sys.argv[2])
q = lambda sql, *a: db.execute(sql, a).fetchall()
names = wb.sheetnames
# the run has the 包抓 card, so its 问责名单 follows 整改台账 (tests/e2e/accountability.sh checks it)
print("fixed", names[:7] == ["汇总", "图表", "整改台账", "问责名单", "扣分明细", "考核明细", "运行信息"])
# the line under a form's title (考核对象, 考核期, 依据): the 医疗保障 card names four documents
# (161 characters, more than one printed line of its 9-column form), so its row is at least two
# 14-point lines tall; 五督-大沟镇's first line (76 characters: 新坪村（大沟镇）, 第 1 份, 118.9
# units at 1.9 a CJK character and 1.05 an ASCII one, of the 120.5 a 123-unit form leaves) stays
# one 18-point line
ibao, iwudu = wb["医保-柴家门镇"], wb["五督-大沟镇"]
print("infoline", ibao["A2"].value.startswith("考核对象："), ibao.row_dimensions[2].height >= 28,
      iwudu.row_dimensions[2].height)
print("sheets", "五督-柴家门镇" in names, "包抓-卫计" in names, "后评估-会宁县" in names)

# --- one township's village forms, every number against the results database
ws = wb["五督-柴家门镇"]
print("title", ws["A1"].value)
print("heads", [c.value for c in ws[3]])
merged = {str(m) for m in ws.merged_cells.ranges}
print("merged", all(m in merged for m in ["A1:G1", "A2:G2", "B4:B6", "B7:B12", "G4:G6", "A30:C30", "A31:G31"]))
print("print", ws.page_setup.paperSize, ws.page_setup.orientation, ws.page_setup.scale is not None,
      len(ws.row_breaks.brk), ws.oddFooter.center.text)
forms = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "健康扶贫先锋行动“五督”工作任务考核表"]
bad = 0
checked = 0
for top in forms:
    info = ws.cell(top + 1, 1).value
    vid = info.split("（村 ")[1].split("）")[0]
    for i in range(26):
        no, cell = ws.cell(top + 3 + i, 1).value, ws.cell(top + 3 + i, 5).value
        (pts, status), = q("SELECT points, status FROM score WHERE scorecard_id = 'huining-wudu-2018' "
                           "AND subject_id = ? AND item = ?", vid, no)
        want = "待核实" if status == "pending" else pts
        bad += cell != want
        checked += 1
    (total, grade), = q("SELECT total, grade FROM result WHERE scorecard_id = 'huining-wudu-2018' "
                        "AND subject_kind = 'village' AND subject_id = ?", vid)
    bad += ws.cell(top + 29, 5).value != total or ws.cell(top + 29, 1).value != "合　　计"
    # the 五督 plan defines no grade bands: the form says it grades nothing
    want_grade = ("等次：" + grade) if grade else "不定等次（考核表未规定等次分数线）"
    bad += want_grade not in ws.cell(top + 29, 6).value
    bad += not ws.cell(top + 30, 1).value.startswith("填报单位（公章）")
print("forms", len(forms), len(ws.row_breaks.brk) == len(forms) - 1, "cells", checked, "mismatches", bad)

# --- a vetoed cadre's form and a 待核实 item somewhere
veto = q("SELECT r.subject_id, s.item FROM result r JOIN score s ON s.subject_id = r.subject_id "
         "AND s.scorecard_id = r.scorecard_id AND s.veto = 1 WHERE r.vetoed_items > 0 LIMIT 1")
print("veto", bool(veto))
found_veto = found_pending = False
for n in names:
    if not n.startswith("包抓-"): continue
    for row in wb[n].iter_rows(values_only=True):
        if (row[0] or "").startswith("合　　计") and "否决" in (row[5] or ""): found_veto = True
        if row[4] == "待核实": found_pending = True
print("marks", found_veto, found_pending)

# --- 汇总: one table per form and level (its title row says which), subjects numbered and
# linked to their forms, grade colours
s = wb["汇总"]
titles = {t: sid for t, sid in q("SELECT title, scorecard_id FROM run_scorecard")}
links = bad_links = na_links = 0
for c in s["B"][2:]:
    if not c.hyperlink: continue
    links += 1
    sheet, cell = c.hyperlink.location.rsplit("!", 1)
    f = wb[sheet.strip("'")]
    top = int(cell[1:])
    # the link lands on a form's title row, and the form below it is this subject's; a subject
    # whose every item is 不适用 has no form: the link lands on the row of the sheet's last
    # page that names it ("S01 甲村卫生室")
    named = "%s %s" % (s.cell(c.row, 3).value, c.value)
    listed = named in (f.cell(top, 1).value or "")
    na_links += listed
    bad_links += not listed and not (f.cell(top, 1).value and c.value in (f.cell(top + 1, 1).value or ""))
print("links", links == len(q("SELECT 1 FROM result WHERE rollup = 0")), bad_links)
all_na = q("SELECT count(*) FROM (SELECT 1 FROM score GROUP BY scorecard_id, subject_kind, subject_id "
           "HAVING sum(status <> 'na') = 0)")[0][0]
print("nalinks", na_links == all_na, na_links)
mism = 0
rows_s = []
form = None
for r in s.iter_rows(min_row=3, values_only=True):
    if isinstance(r[0], str) and "　—　" in r[0]:
        form = titles[r[0].split("　—　")[0]]
    if isinstance(r[0], int):
        rows_s.append(r)
        roll = 1 if r[9] and "已评分" in r[9] else 0
        got = q("SELECT total, grade, rank, members, pending_items FROM result WHERE scorecard_id = ? "
                "AND subject_id = ? AND rollup = ?", form, r[2], roll)
        # a roll-up with no fully scored member has no mean: 待核实; a subject with items
        # 待核实 shows its total as 暂计 and no grade (decided by the database, not by the cell
        # under test)
        total, grade, rank, members, pending = got[0]
        want_total = ("待核实" if roll and members == 0 else
                      "暂计 %.2f" % total if not roll and pending else total)
        want_grade = "待核实" if not roll and pending else (grade or "")
        mism += (r[4] != want_total) + ((r[5] or "") != want_grade) + (r[6] != (rank or None))
print("summary", len(rows_s) == q("SELECT count(*) FROM result")[0][0], mism)
# sorted by rank within each group: ranks never go down between two rows of one group
order_bad = 0
prev = None
for r in s.iter_rows(min_row=3, values_only=True):
    if not isinstance(r[0], int):
        prev = None
        continue
    rank = r[6] or 10**9
    order_bad += prev is not None and rank < prev
    prev = rank
print("order", order_bad)
print("sign", "|".join(r[0] for r in s.iter_rows(min_row=s.max_row - 2, values_only=True)))
# every written cell of 汇总 (tables' titles and group heads included) names the CJK font
print("fonts", sorted({c.font.name for row in s.iter_rows() for c in row if c.value is not None}))
print("cf", sum(len(cf.rules) for cf in s.conditional_formatting))

# --- 整改台账 in the seed's columns, one row per lost item
l = wb["整改台账"]
print("ledgerheads", [c.value for c in l[2]])
rows = [r for r in l.iter_rows(min_row=3, values_only=True) if r[0] is not None]
rows = [r for r in rows if isinstance(r[0], (int, float))]  # not the signature block below
print("ledger", len(rows) == q("SELECT count(*) FROM score WHERE status IN ('deducted', 'pending')")[0][0],
      {r[6] for r in rows}, sorted({r[7] for r in rows}))
# Printed rows neither clip nor overlap: a row whose text surely wraps in its column (a CJK
# character is about two units wide; the columns are 18/40/48/16/22 units) is at least two
# 15-point lines tall; a row whose texts fit easily on one line (under three quarters of its
# columns) keeps the default height.
# (the ledger's rows all wrap; 扣分明细's reasons are both short and long)
units = lambda t: sum(2 if ord(ch) > 0x2E80 else 1 for ch in (t or ""))
def fitted(ws, wrapcols, last=None):
    tall = short = bad = 0
    for i, r in enumerate(ws.iter_rows(min_row=3, max_row=last, values_only=True), start=3):
        h = ws.row_dimensions[i].height
        if any(units(r[c]) > w * 1.2 for c, w in wrapcols.items()):
            tall += 1
            bad += not (h and h >= 30)
        elif all(units(r[c]) < w * 0.75 for c, w in wrapcols.items()):
            short += 1
            bad += h is not None
    return tall > 0, short > 0, bad
print("ledgerrows", *fitted(l, {1: 18, 2: 12, 3: 40, 4: 48, 5: 16, 8: 22}, 2 + len(rows))[::2])
print("deductionrows", *fitted(wb["扣分明细"], {10: 56, 13: 64}))  # 扣分原因, 证据（行）

# --- 运行信息, document properties, charts
info = {r[0].value: r[1].value for r in wb["运行信息"].iter_rows(min_row=3)}
print("run", info["整改完成时限"], info["运行时间(UTC)"], wb.properties.created.isoformat())
print("readings", " ".join(info.get("考核表 %d 解读表" % i, "-") for i in range(1, 10)))
z = zipfile.ZipFile(sys.argv[1])
print("charts", sorted((n for n in z.namelist() if n.startswith("xl/charts/chart")), key=lambda n: int(n[len("xl/charts/chart"):-len(".xml")])))
PY
)
echo "$out" >"$T/out.txt"
line() { grep "^$1 " "$T/out.txt" | head -1 | cut -d' ' -f2-; }
expect_eq "True" "$(line fixed)" "fixed sheets first, in order"
expect_eq "True True 18.0" "$(line infoline)" "a long 依据 line wraps in a taller row; a short one stays one line"
expect_eq "True True True" "$(line sheets)" "form sheets per township, department and county"
expect_eq "健康扶贫先锋行动“五督”工作任务考核表" "$(line title)" "form title"
expect_eq "['序号', '考核内容', '考核指标', '分值', '得分', '扣分说明', '问责主体']" "$(line heads)" "form header row"
expect_eq "True" "$(line merged)" "title, info, section and accountable cells merged as printed"
expect_eq "9 portrait True 10 第 &P 页" "$(line print)" "A4, 五督's tall forms one a page, page breaks, the sheet's page numbers"
expect_eq "11 True cells 286 mismatches 0" "$(line forms)" "every item and total of 柴家门镇's 11 village forms equals the results database"
expect_eq "True" "$(line veto)" "the generated county has a vetoed cadre"
expect_eq "True True" "$(line marks)" "veto and 待核实 visibly marked on the forms"
expect_eq "True 0" "$(line links)" "every subject in 汇总 links to its own form"
expect_contains "$(line nalinks)" "True" "a subject whose every item is 不适用 links to the line naming it on its sheet's last page"
expect_eq "True 0" "$(line summary)" "汇总: a row per result, totals, grades and ranks equal the results database"
expect_eq 0 "$(line order)" "汇总: rows sorted by rank within each group"
expect_eq "填报单位（公章）：|审核人：　　　　　　　　　　　　填报人：|日期：　　　　年　　月　　日" "$(line sign)" "汇总 ends with the signature block"
expect_eq "['宋体']" "$(line fonts)" "汇总: every cell in 宋体"
expect_eq 3 "$(line cf)" "grade colours: 好, 差, 待核实"
expect_eq "['序号', '单位', '责任人', '重点工作', '具体内容', '问责主体', '完成时限', '工作进度', '备注']" "$(line ledgerheads)" "ledger columns of the seed's 进度表, with 责任人 and 问责主体"
expect_eq "True {'2019-06-30'} ['待核实', '未整改']" "$(line ledger)" "one ledger row per lost or 待核实 item, with the deadline given"
expect_eq "True 0" "$(line ledgerrows)" "ledger rows as tall as their wrapped text"
expect_eq "True True 0" "$(line deductionrows)" "扣分明细 rows as tall as their reasons, one-line rows left alone"
expect_eq "2019-06-30 2019-01-01T00:00:00Z 2019-01-01T00:00:00" "$(line run)" "deadline, run time and created time in the workbook"
# 五督, 后评估, 医疗保障, 村卫生室, 村卫生室设置, 签约服务, 宣传 and 整改 by township (8), 包抓 by each of the
# evidence's 3 departments (3): 11 charts
expect_eq "$(for i in 1 2 3 4 5 6 7 8 9 10 11; do printf "%s'xl/charts/chart$i.xml'" "${sep-}"; sep=", "; done | sed 's/^/[/; s/$/]/')" \
  "$(line charts)" "a chart per township-level table, and one per department of cadres"
# issue 14: each bundled scorecard's reading table is named on 运行信息 (scorecards/*.lua order)
expect_eq "docs/forms/bazhua_cadre_2018.md docs/forms/cunweishi_2018.md docs/forms/cunweishi_village_2018.md docs/forms/post_assessment_deductions.md docs/forms/qianyue_2018.md docs/forms/wudu_2018.md docs/forms/xuanchuan_2018.md docs/forms/yibao_2018.md docs/forms/zhenggai_2018.md" \
  "$(line readings)" "运行信息 names each scorecard's reading table"
finish
