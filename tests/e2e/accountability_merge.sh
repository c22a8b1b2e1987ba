#!/usr/bin/env bash
# 问责名单 across runs and condition 5: a `kaohe merge` of two hand-made county runs lists exactly
# the rows each part had (with the county, since the list spans two), in the merged results,
# the merged workbook's 问责名单 sheet and `kaohe accountability`; a part written before parts
# kept a list merges with a note saying so; a sharded run (directory of shards, with
# --county-workbooks) lists the union of the per-county single runs. Condition 5 (其他相关情形)
# comes from an inspector's finding on the cadre (item 问责5), with its note as the evidence;
# findings on an unknown cadre, on a village, or 是 without a note are refused.
source "$(dirname "$0")/lib.bash"
cd "$T"
export KAOHE_RUN_TIME=1546300800
CARD="$KAOHE_HOME/scorecards/bazhua_cadre_2018.lua"

# county COUNTY_ID NAME TOWNSHIP_ID VILLAGE_PREFIX "CADRE..." > SQL: one township, a village per
# cadre (VILLAGE_PREFIX1, 2, …), every cadre a 包村干部 of 卫计 visiting every month Jul–Dec 2018;
# the callers add what makes a cadre meet a condition.
county() {
  local c=$1 name=$2 t=$3 vp=$4 k i=0
  echo "INSERT INTO county VALUES ('$c', '$name', '测试省', NULL);"
  echo "INSERT INTO township VALUES ('$t', '$c', '${name}镇');"
  for k in $5; do
    i=$((i + 1))
    echo "INSERT INTO village (id, township_id, name) VALUES ('$vp$i', '$t', '${name}${i}村');"
    echo "INSERT INTO cadre VALUES ('$k', '干部$k', '卫计', '包村干部');"
    echo "INSERT INTO cadre_assignment VALUES ('$k', '$t', '$vp$i', 2018);"
    for m in 07 08 09 10 11 12; do
      echo "INSERT INTO cadre_visit VALUES ('VIS$k$m', '$k', '$vp$i', '2018-$m-15', '');"
    done
  done
}
# County 一县 (C1): K1 (village A1) misses December → 情形1; K3 (A2) has a 通报 problem on A2 →
# 情形2; K5 (A3) meets none.
sqlite3 one.db <"$KAOHE_HOME/fixtures/evidence-schema.sql"
{
  county C1 一县 T1 A "K1 K3 K5"
  echo "DELETE FROM cadre_visit WHERE id = 'VISK112';"
  echo "INSERT INTO problem VALUES ('P3', '通报：县督查通报〔2018〕1号', 'village', 'A2', '签约服务', '签约医生未履约', '乡镇卫生院', '2018-09-30', '整改中', NULL);"
} | sqlite3 one.db
# County 二县 (C2): K2 (village B1) has 1.1 是 (a veto, grade 差) → 情形3; K4 (B2) has a 舆情
# problem on B2 → 情形4, and (below) an inspector's 问责5 finding → 情形5; K6 (B3) has a 问责5
# finding 否 → none.
sqlite3 two.db <"$KAOHE_HOME/fixtures/evidence-schema.sql"
{
  county C2 二县 T2 B "K2 K4 K6"
  echo "INSERT INTO finding (id, scorecard, item, subject_kind, subject_id, period, answer, inspector,"
  echo "  inspected_on) VALUES ('F2', 'huining-bazhua-2018', '1.1', 'cadre', 'K2', '2018', '是', '县督查组', '2018-12-01');"
  echo "INSERT INTO problem VALUES ('P4', '舆情：群众网上反映住院收押金', 'village', 'B2', '先诊疗后付费', '住院收取押金', '县医院', '2018-08-31', '未整改', NULL);"
} | sqlite3 two.db

code() { # runs kaohe with the arguments; rc, out.txt and err.txt
  rc=0
  "$KAOHE" "$@" >out.txt 2>err.txt || rc=$?
}
# ---- condition 5: the inspector's finding, checked on import --------------------------------
HEAD=id,scorecard,item,subject_kind,subject_id,period,answer,score,note,inspector,inspected_on,evidence_ref
cat >bad5.csv <<CSV
$HEAD
G1,huining-bazhua-2018,问责5,cadre,K99,2018,是,,推诿扯皮,县纪委,2018-12-20,
G2,huining-bazhua-2018,问责5,village,B2,2018,是,,推诿扯皮,县纪委,2018-12-20,
G3,huining-bazhua-2018,问责5,cadre,K4,2018,是,,,县纪委,2018-12-20,
G4,huining-bazhua-2018,问责5,cadre,K4,2018,部分,1,推诿扯皮,县纪委,2018-12-20,
CSV
sum=$(sha256sum <two.db)
code findings import --evidence two.db --scorecard "$CARD" bad5.csv
expect_eq 1 "$rc" "bad 问责5 findings: exit code"
expect_eq "kaohe: error: two.db: finding G1: no cadre 'K99' in the evidence
kaohe: error: two.db: finding G2: a 问责5 finding (问责情形5, 其他相关情形) is about a 包抓 cadre: subject_kind must be cadre, not village
kaohe: error: two.db: finding G3: a 问责5 finding 是 (问责情形5) must say in its note which 其他相关情形 the inspector found: the 问责名单 prints it as the evidence
kaohe: error: two.db: finding G4: a 问责5 finding (问责情形5) takes 是 or 否, not 部分" \
  "$(grep -v '^kaohe: 对照' err.txt)" "unknown cadre, a village, 是 without a note, 部分: each refused, named"
expect_eq "$sum" "$(sha256sum <two.db)" "… and nothing written"
cat >f5.csv <<CSV
$HEAD
G5,huining-bazhua-2018,问责5,cadre,K4,2018,是,,对群众反映的问题推诿扯皮,县纪委 张三,2018-12-20,纪检函〔2018〕9号
G6,huining-bazhua-2018,问责5,cadre,K6,2018,否,,,县纪委 张三,2018-12-20,
CSV
code findings import --evidence two.db --scorecard "$CARD" f5.csv
expect_eq "0|" "$rc|$(cat err.txt)" "问责5 findings on K4 (是) and K6 (否) accepted"

# ---- the two county runs, and their merge ----------------------------------------------------
code run --quiet --evidence one.db --period 2018 --results r1.db --out one.xlsx "$CARD"
expect_eq "0|" "$rc|$(cat err.txt)" "run of 一县"
code run --quiet --evidence two.db --period 2018 --results r2.db --out two.xlsx "$CARD"
expect_eq "0|" "$rc|$(cat err.txt)" "run of 二县"
C=符合问责情形，由县委、县政府按程序认定
W1=思想认识不到位，不服从全县统一安排，对包抓工作消极对待，1年内现场包抓频次不够的。
W2=在各级脱贫攻坚考核、检查、评估中，所包抓村健康扶贫领域存在问题被通报的。
W3=所包抓村健康扶贫工作推动不力、相关政策落实不到位，年终考核等级为“差”的。
W4=对所包抓村健康扶贫领域苗头性、倾向性舆情信息掌握不及时、督促处置不到位，导致发生重大舆情事件、造成不良影响的。
W5=《健康扶贫责任落实行动工作方案》规定的其他相关情形等。
# the evidence, as tests/e2e/accountability.sh works it out for the same facts; K4's 情形5 is the
# finding G5: id, inspector and date, note, 佐证
E1="第8.1项扣3分：1处包抓点中1处自2018-07-01起有月份未到村（最多缺1个月）；健康管理工作台账无唯一的现场核查结论，扣3分"
E3="问题P3（一县2村）：签约医生未履约；来源：通报：县督查通报〔2018〕1号"
E2="第1.1项否决：现场核查：是；县督查组 2018-12-01，扣5分【否决项：年度考核直接定为“差”等】"
E4="问题P4（二县2村）：住院收取押金；来源：舆情：群众网上反映住院收押金"
E5="核查结论G5（县纪委 张三 2018-12-20）：对群众反映的问题推诿扯皮；佐证：纪检函〔2018〕9号"
rows() { sqlite3 "$1" "SELECT cadre_id, condition, county, evidence FROM accountability ORDER BY seq"; }
expect_eq "K1|1|一县|$E1
K3|2|一县|$E3" "$(rows r1.db)" "一县's list: K1 情形1, K3 情形2 (K5 none)"
expect_eq "K2|3|二县|$E2
K4|4|二县|$E4
K4|5|二县|$E5" "$(rows r2.db)" "二县's list: K2 情形3, K4 情形4 and 情形5 (K6's 否 not listed)"
code accountability --results r2.db
expect_eq "运行 1 的问责名单（会宁县 县委办发〔2018〕83号 附件3 五(一) 问责情形1—5）：2 名干部，3 条。kaohe 只列出符合情形者及其依据，不作认定。
K2 干部K2（卫计） 情形3：$W3 依据：$E2 —— $C
K4 干部K4（卫计） 情形4：$W4 依据：$E4 —— $C
K4 干部K4（卫计） 情形5：$W5 依据：$E5 —— $C" "$(cat out.txt)" "one county: condition 5 listed with the finding, no county shown"

code merge --quiet --results m.db --out m.xlsx r1.db r2.db
expect_eq "0|" "$rc|$(cat err.txt)" "merge of the two county runs"
# the merged list: both parts' rows, in list order (cadre id: the counties' cadres interleave)
expect_eq "K1|1|一县|$E1
K2|3|二县|$E2
K3|2|一县|$E3
K4|4|二县|$E4
K4|5|二县|$E5" "$(rows m.db)" "merged results: exactly the parts' rows, by cadre"
code accountability --results m.db
expect_eq "运行 1 的问责名单（会宁县 县委办发〔2018〕83号 附件3 五(一) 问责情形1—5）：4 名干部，5 条。kaohe 只列出符合情形者及其依据，不作认定。
K1 干部K1（卫计，一县） 情形1：$W1 依据：$E1 —— $C
K2 干部K2（卫计，二县） 情形3：$W3 依据：$E2 —— $C
K3 干部K3（卫计，一县） 情形2：$W2 依据：$E3 —— $C
K4 干部K4（卫计，二县） 情形4：$W4 依据：$E4 —— $C
K4 干部K4（卫计，二县） 情形5：$W5 依据：$E5 —— $C" "$(cat out.txt)" "merged: the command prints the list with the county"
code accountability --results m.db --format csv
expect_eq $'\xEF\xBB\xBF"干部编号","姓名","部门","情形","问责情形","依据","结论","县"\r' "$(head -1 out.txt)" "merged csv: a 县 column"
expect_eq "\"K3\",\"干部K3\",\"卫计\",2,\"$W2\",\"$E3\",\"$C\",\"一县\""$'\r' "$(sed -n 4p out.txt)" "merged csv: K3's row"
sheet() { # workbook: the 问责名单 sheet's title, heads, rows and last row
  "$PY" - "$1" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["问责名单"]
rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
print("title", rows[0][0])
print("heads", rows[1])
for r in rows[2:-1]:
    print("row", "|".join("" if c is None else str(c) for c in r))
print("last", rows[-1][0])
PY
}
line() { grep "^$1 " sheet.txt | sed "s/^$1 //"; }
sheet m.xlsx >sheet.txt
expect_eq "包抓干部问责情形名单（会宁县 县委办发〔2018〕83号 附件3 五、考核问责（一）问责情形1—5）" "$(line title)" "merged sheet: title names 1—5"
expect_eq "['序号', '干部编号', '姓名', '部门', '县', '情形', '问责情形（原文）', '依据', '结论']" "$(line heads)" "merged sheet: a 县 column"
expect_eq "1|K1|干部K1|卫计|一县|1|$W1|$E1|$C
2|K2|干部K2|卫计|二县|3|$W3|$E2|$C
3|K3|干部K3|卫计|一县|2|$W2|$E3|$C
4|K4|干部K4|卫计|二县|4|$W4|$E4|$C
5|K4|干部K4|卫计|二县|5|$W5|$E5|$C" "$(line row)" "merged sheet: the rows the command prints"
expect_contains "$(line last)" "列出的是督查组在包抓干部上录入的核查结论（第“问责5”项" "merged sheet: the note says where 情形5 comes from"

# a part written before parts kept a list (no table accountability): merged with a note, on the
# merge's stderr, in the command's output and on the sheet — not an empty list that looks whole
cp r2.db old2.db
sqlite3 old2.db 'DROP TABLE accountability; DROP TABLE accountability_merge'
NOTE="第2部分 old2.db（运行 1）由不保存问责名单的 kaohe 写成，其包抓干部未列入本名单，请用本版本重新运行该部分后再合并"
code merge --quiet --results mo.db --out mo.xlsx r1.db old2.db
expect_eq "0|kaohe: 问责名单: $NOTE" "$rc|$(cat err.txt)" "old part: merged, the note on stderr"
code accountability --results mo.db
expect_eq "运行 1 的问责名单（会宁县 县委办发〔2018〕83号 附件3 五(一) 问责情形1—4）：2 名干部，2 条。kaohe 只列出符合情形者及其依据，不作认定。
K1 干部K1（卫计） 情形1：$W1 依据：$E1 —— $C
K3 干部K3（卫计） 情形2：$W2 依据：$E3 —— $C
注意：$NOTE。" "$(cat out.txt)" "old part: 一县's rows, then the note"
sheet mo.xlsx >sheet.txt
expect_eq "注意：$NOTE。" "$(line row | tail -1 | sed "s/|*$//")" "old part: the sheet says so under the rows"
# a merge written by a kaohe that carried no list: refused, saying so
sqlite3 mo.db 'DELETE FROM accountability_merge'
code accountability --results mo.db
expect_eq "1|kaohe: error: mo.db: run 1 was merged from 2 runs by a kaohe that did not carry their 问责名单: merge them again with this version, or see each part's results" \
  "$rc|$(cat err.txt)" "a merge without the list's record: refused"

# a results database written before column county: read with county "", and a new run into it
# appends the column (so the database keeps taking runs)
cp r1.db pre.db
sqlite3 pre.db 'ALTER TABLE accountability DROP COLUMN county; DROP TABLE accountability_merge'
code accountability --results pre.db --format csv
expect_eq "0|3" "$rc|$(wc -l <out.txt)" "a table without county: read (header and K1, K3)"
code run --quiet --evidence one.db --period 2018 --results pre.db "$CARD"
expect_eq "0|K1|1||K3|2||K1|1|一县|K3|2|一县" "$rc|$(sqlite3 pre.db "SELECT group_concat(cadre_id || '|' || condition || '|' || county, '|') FROM (SELECT * FROM accountability ORDER BY run_id, seq)")" \
  "a table without county: column appended, the new run's rows have it"

# ---- a sharded run: the union of the per-county single runs ----------------------------------
mkdir shards
cp one.db shards/620001.db
cp two.db shards/620002.db
code run --quiet --evidence shards -j 2 --period 2018 --results s.db --out s.xlsx --county-workbooks cw "$CARD"
expect_eq "0|" "$rc|$(cat err.txt)" "sharded run"
union() { sqlite3 r1.db "ATTACH 'r2.db' AS b; SELECT cadre_id, condition, county, evidence FROM
  (SELECT * FROM main.accountability UNION ALL SELECT * FROM b.accountability) ORDER BY cadre_id, condition, evidence"; }
expect_eq "$(union)" "$(rows s.db)" "sharded run's list = union of the county runs' lists"
sheet one.xlsx >a.txt
sheet cw/620001.xlsx >b.txt
expect_eq "$(cat a.txt)" "$(cat b.txt)" "the county workbook's 问责名单 = its single run's"

# the same on generated counties (two, each with dozens of listed cadres): the sharded run's
# rows are exactly the per-county runs' rows, in one list order
(cd "$KAOHE_HOME" && "${KAOHE_GEN:?}" --counties 2 --persons 9000 --shards "$T/gen" -j 1 >/dev/null)
code run --quiet --evidence gen -j 2 --period 2018 --results gs.db "$CARD"
expect_eq "0|" "$rc|$(cat err.txt)" "sharded run of the generated counties"
for f in gen/*.db; do "$KAOHE" run --quiet --evidence "$f" --period 2018 --results "p-$(basename "$f")" "$CARD"; done
gunion() { sqlite3 p-620011.db "ATTACH 'p-620422.db' AS b; SELECT cadre_id, condition, county, evidence FROM
  (SELECT * FROM main.accountability UNION ALL SELECT * FROM b.accountability) ORDER BY cadre_id, condition, evidence"; }
expect_eq "$(gunion)" "$(rows gs.db)" "generated: sharded list = union of the county runs' lists"
expect_eq 2 "$(sqlite3 gs.db 'SELECT count(DISTINCT county) FROM accountability WHERE condition IN (1, 3)')" "… with rows of both counties"

# a finding 问责5 written straight into the evidence on a cadre the run does not assess: the run
# refuses it rather than drop it
sqlite3 two.db "INSERT INTO cadre VALUES ('K7', '干部K7', '卫计', '包村干部');
  INSERT INTO finding (id, scorecard, item, subject_kind, subject_id, period, answer, note, inspector, inspected_on)
  VALUES ('G7', 'huining-bazhua-2018', '问责5', 'cadre', 'K7', '2018', '是', '失职', '县纪委', '2018-12-20')"
code run --quiet --evidence two.db --period 2018 --results r3.db "$CARD"
expect_eq "1|kaohe: error: finding G7 (问责5, 问责情形5) names cadre 'K7', who is not a 包抓 cadre of this run (no 包抓 assignment in the period's year): correct or remove it (kaohe findings remove)" \
  "$rc|$(cat err.txt)" "a 问责5 finding on a cadre not assessed: the run refuses"
finish
