#!/usr/bin/env bash
# 问责名单 (issue 14 item 4): the 包抓 cadres meeting a 问责情形 of 县委办发〔2018〕83号 附件3 五(一)
# 1–4, each with the evidence, from `kaohe accountability` (text and CSV) and the workbook's
# 问责名单 sheet (openpyxl), on a hand-made county where each cadre meets one condition and one
# meets none. The expected lines are worked out by hand below.
source "$(dirname "$0")/lib.bash"
cd "$T"
# One township T1, five villages V1..V5, one 包村干部 per village (2018):
#   K1 甲 卫计 V1: visits Jul–Nov, none in December → 8.1 lost on visits → 情形1
#   K2 乙 民政 V2: every month; problem P2 on V2, source 通报：… (open)     → 情形2
#   K3 丙 人社 V3: every month; finding 1.1 = 是 (veto, grade 差)           → 情形3
#   K4 丁 卫计 V4: every month; problem P4 on V4, source 舆情：…           → 情形4
#   K5 戊 卫计 V5: every month, but 8.1's 台账 finding 否 (8.1 lost, not on visits); P5 on V5 from
#      an ordinary inspection; P6, a 通报 closed in 2017 (not the period's); P7, a 通报 recorded
#      on the township, not on a village                                    → none
#   K6 己 卫计: assigned nowhere in 2018 (not a cadre of this run), yet "visits" V2 → none
sqlite3 ev.db <"$KAOHE_HOME/fixtures/evidence-schema.sql"
{
  echo "INSERT INTO county VALUES ('C1', '测试县', '测试省', NULL);"
  echo "INSERT INTO township VALUES ('T1', 'C1', '甲镇');"
  echo "INSERT INTO village (id, township_id, name) VALUES ('V1', 'T1', '一村'), ('V2', 'T1', '二村'),"
  echo "  ('V3', 'T1', '三村'), ('V4', 'T1', '四村'), ('V5', 'T1', '五村');"
  echo "INSERT INTO cadre VALUES ('K1', '甲', '卫计', '包村干部'), ('K2', '乙', '民政', '包村干部'),"
  echo "  ('K3', '丙', '人社', '包村干部'), ('K4', '丁', '卫计', '包村干部'), ('K5', '戊', '卫计', '包村干部'),"
  echo "  ('K6', '己', '卫计', '包村干部');"
  for k in 1 2 3 4 5; do
    echo "INSERT INTO cadre_assignment VALUES ('K$k', 'T1', 'V$k', 2018);"
    for m in 07 08 09 10 11 12; do
      [ "$k$m" = 112 ] && continue # K1: no visit in December
      echo "INSERT INTO cadre_visit VALUES ('VIS$k$m', 'K$k', 'V$k', '2018-$m-15', '');"
    done
  done
  echo "INSERT INTO cadre_assignment VALUES ('K6', 'T1', 'V2', 2017);"
  echo "INSERT INTO cadre_visit VALUES ('VIS6', 'K6', 'V2', '2018-07-15', '');"
  echo "INSERT INTO finding (id, scorecard, item, subject_kind, subject_id, period, answer, inspector,"
  echo "  inspected_on) VALUES ('F3', 'huining-bazhua-2018', '1.1', 'cadre', 'K3', '2018', '是', '县督查组', '2018-12-01'),"
  echo "  ('F5', 'huining-bazhua-2018', '8.1', 'cadre', 'K5', '2018', '否', '县督查组', '2018-12-01');"
  echo "INSERT INTO problem VALUES"
  echo "  ('P2', '通报：县脱贫攻坚督查通报〔2018〕1号', 'village', 'V2', '签约服务', '签约医生未履约', '乡镇卫生院', '2018-09-30', '整改中', NULL),"
  echo "  ('P4', '舆情：群众网上反映住院收押金', 'village', 'V4', '先诊疗后付费', '住院收取押金', '县医院', '2018-08-31', '已销号', '2018-08-20'),"
  echo "  ('P5', '县督查组 第二季度督查', 'village', 'V5', '慢病管理', '慢病卡未办', '乡镇卫生院', '2018-10-31', '未整改', NULL),"
  echo "  ('P6', '通报：2017年度考核通报', 'village', 'V5', '慢病管理', '随访不全', '乡镇卫生院', '2017-10-31', '已销号', '2017-10-01'),"
  echo "  ('P7', '通报：县脱贫攻坚督查通报〔2018〕2号', 'township', 'T1', '政策宣传', '标语未刷写', '乡镇人民政府', '2018-10-31', '未整改', NULL);"
} | sqlite3 ev.db

export KAOHE_RUN_TIME=1546300800
"$KAOHE" run --quiet --evidence ev.db --period 2018 --results r.db --out a.xlsx \
  "$KAOHE_HOME/scorecards/bazhua_cadre_2018.lua"

C=符合问责情形，由县委、县政府按程序认定
W1=思想认识不到位，不服从全县统一安排，对包抓工作消极对待，1年内现场包抓频次不够的。
W2=在各级脱贫攻坚考核、检查、评估中，所包抓村健康扶贫领域存在问题被通报的。
W3=所包抓村健康扶贫工作推动不力、相关政策落实不到位，年终考核等级为“差”的。
W4=对所包抓村健康扶贫领域苗头性、倾向性舆情信息掌握不及时、督促处置不到位，导致发生重大舆情事件、造成不良影响的。
# K1's 8.1 reason is the card's: 1 place, short from 2018-07-01 by one month (December), no
# 台账 finding; 3 points lost. K3's 1.1 reason is the finding's 是 on a veto item.
E1="第8.1项扣3分：1处包抓点中1处自2018-07-01起有月份未到村（最多缺1个月）；健康管理工作台账无唯一的现场核查结论，扣3分"
E2="问题P2（二村）：签约医生未履约；来源：通报：县脱贫攻坚督查通报〔2018〕1号"
E3="第1.1项否决：现场核查：是；县督查组 2018-12-01，扣5分【否决项：年度考核直接定为“差”等】"
E4="问题P4（四村）：住院收取押金；来源：舆情：群众网上反映住院收押金"
expect_eq "deducted|1" "$(sqlite3 r.db "SELECT status, veto FROM score WHERE subject_id = 'K3' AND item = '1.1'")" "K3: 1.1 是 is a veto"
expect_eq "差" "$(sqlite3 r.db "SELECT grade FROM result WHERE subject_id = 'K3'")" "K3: graded 差 by the veto"
expect_eq "deducted" "$(sqlite3 r.db "SELECT status FROM score WHERE subject_id = 'K5' AND item = '8.1'")" "K5: 8.1 lost on the 台账 finding"

"$KAOHE" accountability --results r.db >out.txt
expect_eq "运行 1 的问责名单（会宁县 县委办发〔2018〕83号 附件3 五(一) 问责情形1—4）：4 名干部，4 条。kaohe 只列出符合情形者及其依据，不作认定。
K1 甲（卫计） 情形1：$W1 依据：$E1 —— $C
K2 乙（民政） 情形2：$W2 依据：$E2 —— $C
K3 丙（人社） 情形3：$W3 依据：$E3 —— $C
K4 丁（卫计） 情形4：$W4 依据：$E4 —— $C" "$(cat out.txt)" "text: one line per cadre and condition, K5 and K6 not listed"

"$KAOHE" accountability --results r.db --run 1 --format csv >out.csv
expect_eq $'\xEF\xBB\xBF"干部编号","姓名","部门","情形","问责情形","依据","结论"\r' "$(head -1 out.csv)" "csv: BOM and header"
expect_eq "\"K2\",\"乙\",\"民政\",2,\"$W2\",\"$E2\",\"$C\""$'\r' "$(sed -n 3p out.csv)" "csv: K2's row"
expect_eq 5 "$(wc -l <out.csv)" "csv: header and 4 rows"

# the workbook's sheet: the same rows, and the words that kaohe lists and does not decide
"$PY" - a.xlsx >sheet.txt <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print("order", wb.sheetnames.index("问责名单") == wb.sheetnames.index("整改台账") + 1)
ws = wb["问责名单"]
rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
print("heads", rows[1])
for r in rows[2:6]:
    print("row", "|".join(str(c) for c in r))
print("types", " ".join(type(c).__name__ for c in rows[2][:5]))
print("note", "只列出，不作认定" in rows[6][0] and "由县委、县政府按程序认定" in rows[6][0], len(rows))
PY
line() { grep "^$1 " sheet.txt | sed "s/^$1 //"; }
expect_eq "True" "$(line order)" "问责名单 follows 整改台账"
expect_eq "['序号', '干部编号', '姓名', '部门', '情形', '问责情形（原文）', '依据', '结论']" "$(line heads)" "sheet heads"
expect_eq "1|K1|甲|卫计|1|$W1|$E1|$C
2|K2|乙|民政|2|$W2|$E2|$C
3|K3|丙|人社|3|$W3|$E3|$C
4|K4|丁|卫计|4|$W4|$E4|$C" "$(line row)" "sheet rows as the command prints them"
expect_eq "int str str str int" "$(line types)" "序号 and 情形 are number cells, the rest text"
expect_eq "True 7" "$(line note)" "the sheet says kaohe lists and the county decides"

# a run without the 包抓 card: no sheet, and the command says why there is no list
"$KAOHE" run --quiet --evidence ev.db --period 2018 --results r.db --out b.xlsx \
  "$KAOHE_HOME/scorecards/zhenggai_2018.lua"
expect_eq "False" "$("$PY" -c 'import sys, openpyxl; print("问责名单" in openpyxl.load_workbook(sys.argv[1]).sheetnames)' b.xlsx)" "no 包抓 card: no sheet"
rc=0
"$KAOHE" accountability --results r.db >out.txt 2>err.txt || rc=$?
expect_eq "1|kaohe: error: r.db: run 2 has no 包抓 scorecard (huining-bazhua-2018): the 问责名单 is made from its results" \
  "$rc|$(cat err.txt)" "no 包抓 card: refused, saying why"
expect_eq "" "$(cat out.txt)" "no 包抓 card: nothing on stdout"
# bad usage and a run that is not there
rc=0
"$KAOHE" accountability --results r.db --format xml >out.txt 2>err.txt || rc=$?
expect_eq "2|kaohe: error: accountability: --format xml: expected text or csv
usage: kaohe accountability --results DB [--run N] [--format text|csv]" "$rc|$(cat err.txt)" "bad --format"
rc=0
"$KAOHE" accountability --results r.db --run 9 >out.txt 2>err.txt || rc=$?
expect_eq 1 "$rc" "no run 9: exit code"
expect_contains "$(cat err.txt)" "no run 9" "no run 9: named"
rc=0
"$KAOHE" accountability >out.txt 2>err.txt || rc=$?
expect_eq 2 "$rc" "--results required"
finish
