#!/usr/bin/env bash
# The filled-in forms and 整改台账 as printed (issue 16 items 4 and 5), on the hand-made fixture
# (fixtures/small/post_assessment.sql) plus two small forms written here, read back cell by cell.
#
# Worked out by hand:
# - 后评估 (post_assessment.sql's header): county 测试县 loses on items 1–4 (-1.4), 甲镇 on
#   1 and 2 (-0.6), 乙乡 on 2 and 3 (-0.6): 8 ledger rows. The printed 后评估 list has no
#   考核内容, 考核评价 or 问责主体, so its form is 序号 / 考核指标 / 扣分标准 / 扣分 / 扣分说明;
#   its ledger rows say the form names no 问责主体. The county's form is on "后评估-测试县" (one
#   county: named for it, no 名次), the two townships' on "后评估-测试县各乡镇" (tied: 名次 1).
# - 甲表 (below, townships): one section, one item with a printed 考核评价 and no 问责主体.
#   甲镇 answered 否 → 0 of 5, deducted; 乙乡 has no finding → 待核实. The form prints
#   考核评价 instead of 分值 (as the 包抓 form does), so the total's label carries the full marks:
#   合计（满分5分）. Ledger: 甲镇 未整改, 乙乡 待核实.
# - 乙表 (below, cadres): K1 (卫计·包村干部) is assigned the whole of 甲镇 and 乙乡's 乙村;
#   K2 (民政·健康专干) 甲镇's 甲村; each line lists townships in id order, villages in id order.
#   K1 answered 否 → lost 5, deducted: ledger 单位 卫计, 责任人 赵一（包村干部）, 问责主体 from the
#   section: 包抓干部本人. K2 answered 是.
# - Print layout of 甲表's sheet (2 forms): columns 序号 5 + 考核内容 12 + 考核指标 44 + 考核评价 22
#   + 得分 7 + 扣分说明 34 = 124 units (no 分值: 考核评价 states the points; 124 > 123, no spare
#   width), 124 × 7.1 + 6 × 4 = 904.4 pt wide. A form is title 40 + info 18 + heads 26 + item
#   (考核评价 in two lines) 36 + total 24 + signature 34 = 178 pt, 190 with the gap row.
#   Landscape: 755.6 / 904.4 → 83%, a page 527.8 / 0.83 = 635.9 pt, filled to 94%: 597.7 pt,
#   3 forms. Portrait: 537.4 / 904.4 → 59%, 6 forms. Both print the 2 forms on one page, so the
#   one that shrinks less: landscape 83%, no page break, the forms numbered 第 1 份, 第 2 份.
#   With --one-form-per-page: the same, and a break before the second form (row 7, 0-based).
# Ledger order is the scores' (scorecard as given, kind, subject, item): 后评估 county, 甲镇,
# 甲镇, 乙乡, 乙乡 … then 甲表 T1, T2, then 乙表 K1: 8 + 2 + 1 = 11 rows, then a blank row, the
# note and the signature line.
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
sqlite3 "$T/ev.db" <<'SQL'
INSERT INTO cadre VALUES ('K1', '赵一', '卫计', '包村干部'), ('K2', '钱二', '民政', '健康专干');
INSERT INTO cadre_assignment VALUES ('K1', 'T1', NULL, 2018), ('K1', 'T2', 'V21', 2018),
                                    ('K2', 'T1', 'V11', 2018), ('K2', 'T2', 'V21', 2017);
INSERT INTO finding (id, scorecard, item, subject_kind, subject_id, period, answer, inspector,
                     inspected_on) VALUES
  ('F1', 't-jia', '1', 'township', 'T1', '2018', '否', '孙三', '2018-11-01'),
  ('F2', 't-yi', '1', 'cadre', 'K1', '2018', '否', '孙三', '2018-11-01'),
  ('F3', 't-yi', '1', 'cadre', 'K2', '2018', '是', '孙三', '2018-11-01');
SQL
cat >"$T/jia.lua" <<'LUA'
return scorecard {
  id = "t-jia", title = "甲表", period = "2018", short = "甲表", subjects = { "township" }, total = 5,
  section "甲部分" {
    item { no = "1", points = 5, text = "是否落实甲项工作。", note = "如“是”得5分，如“否”得0分",
      rule = finding { yes = 5, no = 0 } },
  },
}
LUA
cat >"$T/yi.lua" <<'LUA'
return scorecard {
  id = "t-yi", title = "乙表", period = "2018", short = "乙表", subjects = { "cadre" }, total = 5,
  section "乙部分" { accountable = "包抓干部本人",
    item { no = "1", points = 5, text = "是否落实乙项工作。", rule = finding { yes = 5, no = 0 } },
  },
}
LUA
KAOHE_RUN_TIME=1540000000 "$KAOHE" run --evidence "$T/ev.db" --period 2018 --out "$T/r.xlsx" \
  --results "$T/r.db" --deadline 2019-06-30 scorecards/post_assessment_deductions.lua \
  "$T/jia.lua" "$T/yi.lua" >/dev/null || echo "run failed" >&2
KAOHE_RUN_TIME=1540000000 "$KAOHE" run --evidence "$T/ev.db" --period 2018 --out "$T/r1.xlsx" \
  --deadline 2019-06-30 --one-form-per-page scorecards/post_assessment_deductions.lua \
  "$T/jia.lua" "$T/yi.lua" >/dev/null || echo "run --one-form-per-page failed" >&2
out=$("$PY" - "$T/r.xlsx" "$T/r1.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for tag, book in (("pack", wb), ("one", openpyxl.load_workbook(sys.argv[2]))):
    s = book["甲表-测试县各乡镇"]
    print(tag, s.page_setup.orientation, s.page_setup.scale, [b.id for b in s.row_breaks.brk],
          s["A2"].value.split("　　")[2], s["A9"].value.split("　　")[2])
print("sheets", [n for n in wb.sheetnames if "-" in n])
row = lambda ws, r: [c.value for c in ws[r]]
c = wb["后评估-测试县"]
print("county", row(c, 1)[0], "|", row(c, 3), "|", c["C4"].value.replace("\n", "/"), "|",
      c["A8"].value, c["D8"].value, c["E8"].value)
t = wb["后评估-测试县各乡镇"]
print("townships", [t.cell(r, 5).value for r in (8, 18)])
j = wb["甲表-测试县各乡镇"]
print("jia", row(j, 3), "|", row(j, 4), "|", row(j, 5)[:5])
print("jia2", row(j, 11)[4], "|", j["F12"].value)
y = wb["乙表-卫计"]
print("yi", y["A3"].value, "|", row(y, 4), "|", y["A5"].value, y["E5"].value)
print("yi2", wb["乙表-民政"]["A3"].value)
print("footer", y.oddFooter.left.text, "|", y.oddFooter.center.text, y.page_setup.useFirstPageNumber)
l = wb["整改台账"]
print("heads", row(l, 2))
data = [r for r in l.iter_rows(min_row=3, values_only=True) if isinstance(r[0], (int, float))]
print("rows", len(data))
for r in data:
    print("r", "|".join(str(v) if v is not None else "" for v in (r[0], r[1], r[2], r[5], r[7])))
last = 3 + len(data)
print("blank", all(v is None for v in row(l, last)))
print("sign", row(l, last + 1)[0][:9], "|", row(l, last + 2)[0][:8],
      "审核人" in row(l, last + 2)[0], "主要负责人（签字）" in row(l, last + 2)[0])
print("merged", f"A{last + 2}:I{last + 2}" in {str(m) for m in l.merged_cells.ranges},
      l.auto_filter.ref)
print("fonts", {l["B3"].font.name, c["B4"].font.name, y["A1"].font.name, l["A1"].font.name})
PY
)
echo "$out" >"$T/out.txt"
line() { grep "^$1 " "$T/out.txt" | head -1 | cut -d' ' -f2-; }
expect_eq "['后评估-测试县', '后评估-测试县各乡镇', '甲表-测试县各乡镇', '乙表-卫计', '乙表-民政']" \
  "$(line sheets)" "form sheets named for the level they hold"
expect_eq "健康扶贫成果后评估指标体系 | ['序号', '考核指标', '扣分标准', '扣分', '扣分说明'] | 每发现1人次/扣0.2分 | 合　　计 -1.4 不定等次（考核表未规定等次分数线）" \
  "$(line county)" "后评估 county form: the printed columns, no rank for a single county"
expect_eq "[\"不定等次（考核表未规定等次分数线）；名次：1\", \"不定等次（考核表未规定等次分数线）；名次：1\"]" \
  "$(line townships | tr "'" '"')" "townships ranked (tied)"
expect_eq "['序号', '考核内容', '考核指标', '考核评价', '得分', '扣分说明'] | ['1', '甲部分', '是否落实甲项工作。', '如“是”得5分，如“否”得0分', 0, '现场核查：否；孙三 2018-11-01，扣5分'] | ['合\\u3000\\u3000计（满分5分）', None, None, None, 0]" \
  "$(line jia)" "考核评价 printed, no 分值 or 问责主体 column, full marks in the total's label"
expect_eq "待核实 | 待核实 1 项，合计为暂计；不定等次（考核表未规定等次分数线）" "$(line jia2)" \
  "乙乡's item 待核实, its total provisional and unranked"
expect_eq "包抓村：甲镇：全镇各村；乙乡：乙村 | ['序号', '考核内容', '考核指标', '分值', '得分', '扣分说明', '问责主体'] | 1 0" \
  "$(line yi)" "cadre form: K1's villages under the title, 问责主体 from the section"
expect_eq "包抓村：甲镇：甲村" "$(line yi2)" "K2's villages: 2017's assignment left out"
expect_eq "&A | 第 &P 页 True" "$(line footer)" "the sheet's own page numbers"
expect_eq "landscape 83 [] 第 1 份 第 2 份" "$(line pack)" "甲表's two forms on one page, each numbered within the sheet"
expect_eq "landscape 83 [7] 第 1 份 第 2 份" "$(line one)" "--one-form-per-page: a break before the second form"
expect_eq "['序号', '单位', '责任人', '重点工作', '具体内容', '问责主体', '完成时限', '工作进度', '备注']" \
  "$(line heads)" "ledger columns: the seed's 进度表 with 责任人 and 问责主体"
expect_eq 11 "$(line rows)" "8 后评估 rows, 甲表 deducted and pending, 乙表 K1"
rows=$(grep '^r ' "$T/out.txt" | cut -d' ' -f2-)
expect_eq "1|测试县（测试省）||（考核表未列）|未整改
2|测试县（测试省）||（考核表未列）|未整改
3|测试县（测试省）||（考核表未列）|未整改
4|测试县（测试省）||（考核表未列）|未整改
5|甲镇（测试县）||（考核表未列）|未整改
6|甲镇（测试县）||（考核表未列）|未整改
7|乙乡（测试县）||（考核表未列）|未整改
8|乙乡（测试县）||（考核表未列）|未整改
9|甲镇（测试县）||（考核表未列）|未整改
10|乙乡（测试县）||（考核表未列）|待核实
11|卫计|赵一（包村干部）|包抓干部本人|未整改" "$rows" "ledger: unit, 责任人, 问责主体, progress"
expect_eq "True" "$(line blank)" "a blank row after the table"
expect_eq "说明：本台账经本单 | 填报单位（公章） True True" "$(line sign)" "note and signature block"
expect_eq "True A2:I13" "$(line merged)" "signature line across the table; filter over the rows only"
expect_eq "{'宋体'}" "$(line fonts)" "a CJK font (宋体) in the forms' and the ledger's formats"
finish
