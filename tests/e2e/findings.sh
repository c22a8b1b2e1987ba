#!/usr/bin/env bash
# `kaohe findings list|remove|import`: findings (现场核查结论) managed rather than piled up.
# Import reuses the CSV import and the checklist round trip (the checklist with --replace is in
# tests/e2e/audit.sh); a finding that clashes with an earlier one (same scorecard, item,
# subject and period, another id: a run could not tell which to score) is refused, or replaces
# it with --replace; remove takes ids, all or none. Every refusal leaves the evidence file
# byte for byte as it was.
source "$(dirname "$0")/lib.bash"
cd "$T"
small_evidence ev.db
# A scorecard of two finding items for villages: item 1 (3 points) allows 部分, item 2 does not.
W=spot-test
cat >spot.lua <<'LUA'
return scorecard {
  id = "spot-test", title = "抽查测试", source = "测试", period = "2018",
  subjects = { "village" }, total = 5,
  grades = { source = "测试用等次", { "好", 4 }, { "差", 0 } },
  item { no = "1", points = 3, text = "x", rule = finding { yes = 3, no = 0, partial = true } },
  item { no = "2", points = 2, text = "y", rule = finding { yes = 2, no = 0 } },
}
LUA
CHECKED="kaohe: 对照考核表 $W 检查核查结论"

# code ARGS...: runs kaohe; exit code in $rc, stdout in out.txt, stderr in err.txt
code() {
  rc=0
  "$KAOHE" "$@" >out.txt 2>err.txt || rc=$?
}
HEAD=$(printf '核查编号\t考核表\t项目\t对象类别\t对象编码\t考核期\t核查结论\t得分\t核查人\t核查日期\t说明')
CSVHEAD=核查编号,考核表,项目序号,对象类别,对象编码,考核期,核查结论,得分,说明,核查人,核查日期

# Every finding is checked against the scorecards before anything is written; all problems
# are named at once (in id order): B1 a scorecard not checked against, B2 an item the
# scorecard lacks, B3 a kind it does not assess, B4 部分 on item 2 (是/否/不适用 only), B5 部分
# 3.5 on item 1 (3 points), B6 a period that is none, B7 a village not in the evidence (the
# fixture has V11 and V21).
cat >bad.csv <<CSV
$CSVHEAD
B1,nope-card,1,village,V11,2018,是,,,王明,2018-12-01
B2,$W,9,village,V11,2018,是,,,王明,2018-12-01
B3,$W,1,county,C1,2018,是,,,王明,2018-12-01
B4,$W,2,village,V11,2018,部分,1,,王明,2018-12-01
B5,$W,1,village,V11,2018,部分,3.5,,王明,2018-12-01
B6,$W,1,village,V21,x,是,,,王明,2018-12-01
B7,$W,1,village,V99,2018,是,,,王明,2018-12-01
CSV
sum=$(sha256sum <ev.db)
code findings import --evidence ev.db --scorecard spot.lua bad.csv
expect_eq "1|$CHECKED|kaohe: error: ev.db: finding B1: scorecard 'nope-card' is not one of those checked against ($W)
kaohe: error: ev.db: finding B2: scorecard $W has no item 9
kaohe: error: ev.db: finding B3: scorecard $W does not assess a county
kaohe: error: ev.db: finding B4: item 2 takes 是, 否 or 不适用, not 部分
kaohe: error: ev.db: finding B5: 部分 score 3.5 is not between 0 and the item's 3 points
kaohe: error: ev.db: finding B6: period 'x' is not an assessment period (a year such as 2018)
kaohe: error: ev.db: finding B7: no village 'V99' in the evidence" "$rc|$(cat out.txt)|$(cat err.txt)" \
  "every finding checked, every problem named"
expect_eq "$sum" "$(sha256sum <ev.db)" "… and nothing written"
# Without --scorecard the bundled scorecards are the reference: item 1 of 五督 is computed
cat >computed.csv <<CSV
$CSVHEAD
B8,huining-wudu-2018,1,village,V11,2018,是,,,王明,2018-12-01
CSV
code findings import --evidence ev.db computed.csv
expect_eq "1|kaohe: 对照考核表 huining-bazhua-2018, huining-cunweishi-2018, huining-cunweishi-village-2018, post-assessment-deductions, huining-qianyue-2018, huining-wudu-2018, huining-xuanchuan-2018, huining-yibao-2018, huining-zhenggai-2018 检查核查结论|kaohe: error: ev.db: finding B8: item 1 of huining-wudu-2018 is computed from the evidence, not from findings" \
  "$rc|$(cat out.txt)|$(cat err.txt)" "a computed item takes no finding (bundled scorecards, by file name)"
expect_eq "$sum" "$(sha256sum <ev.db)" "… nothing written"
# … but 五督 item 2, computed, reads its clause 医保基金60%总额预付 from findings (finding_clause):
# a run takes such a finding, so import takes it too (into a copy: the rest of this file counts
# the findings of ev.db)
cp ev.db clause.db
cat >clause.csv <<CSV
$CSVHEAD
C1,huining-wudu-2018,2,village,V11,2018,否,,未实行总额预付,王明,2018-12-01
CSV
code findings import --evidence clause.db clause.csv
expect_eq "0|1" "$rc|$(sqlite3 clause.db "SELECT count(*) FROM finding WHERE id = 'C1' AND item = '2'")" \
  "a finding on a computed item's declared clause is imported"

# Two findings of the village 甲村 (V11): item 2 是, item 1 部分 with 1.5 of its 3 points.
cat >f1.csv <<CSV
$CSVHEAD
F1,$W,2,village,V11,2018,是,,,县督查组 王明,2018-12-01
F2,$W,1,village,V11,2018,部分,1.5,台账不全,县督查组 王明,2018-12-01
CSV
code findings import --evidence ev.db --scorecard spot.lua f1.csv
expect_eq "0|$CHECKED
f1.csv → finding: 2 行，导入 2 行，拒收 0 行（UTF-8）|" "$rc|$(cat out.txt)|$(cat err.txt)" \
  "import of a finding CSV"

# list: by scorecard, item, kind, subject, period, id; the filters narrow it
code findings list --evidence ev.db
expect_eq "0|$HEAD
F2	$W	1	village	V11	2018	部分	1.5	县督查组 王明	2018-12-01	台账不全
F1	$W	2	village	V11	2018	是		县督查组 王明	2018-12-01	
共 2 条核查结论" "$rc|$(cat out.txt)" "list, by item"
code findings list --evidence ev.db --item 2 --subject V11 --period 2018 --scorecard $W
expect_eq "$HEAD
F1	$W	2	village	V11	2018	是		县督查组 王明	2018-12-01	
共 1 条核查结论" "$(cat out.txt)" "list with every filter"
code findings list --evidence ev.db --period 2019
expect_eq "$HEAD
共 0 条核查结论" "$(cat out.txt)" "list: nothing in another period"

# A new finding F3 about item 2 of V11 in 2018 clashes with F1: refused, nothing written
sum=$(sha256sum <ev.db)
cat >f3.csv <<CSV
核查编号,考核表,项目序号,对象类别,对象编码,考核期,核查结论,得分,说明,核查人,核查日期
F3,$W,2,village,V11,2018,否,,复核,市督查组 李华,2018-12-10
CSV
code findings import --evidence ev.db --scorecard spot.lua f3.csv
expect_eq "1|kaohe: error: ev.db：核查结论 F3（$W 第2项，village V11，考核期 2018）与已录入的核查结论 F1（是，县督查组 王明 2018-12-01）重复：请删除其一（kaohe findings remove --evidence ev.db F1），或用 kaohe findings import --replace 导入以替换" \
  "$rc|$(cat err.txt)" "a clash with an earlier finding is refused"
expect_eq "$CHECKED" "$(cat out.txt)" "… after the check passed"
expect_eq "$sum" "$(sha256sum <ev.db)" "… and nothing is written"
# kaohe import of the same file is refused the same way: every writer of findings checks
code import --evidence ev.db --table finding f3.csv
expect_eq "1 1" "$rc $(grep -c '与已录入的核查结论 F1' err.txt)" "kaohe import refuses it too"
expect_eq "$sum" "$(sha256sum <ev.db)" "… and writes nothing"

# Two rows of one file about the same thing: refused even with --replace
cat >f45.csv <<CSV
核查编号,考核表,项目序号,对象类别,对象编码,考核期,核查结论,得分,说明,核查人,核查日期
F4,$W,2,village,V21,2018,是,,,县督查组 王明,2018-12-02
F5,$W,2,village,V21,2018,否,,,县督查组 王明,2018-12-02
CSV
code findings import --evidence ev.db --scorecard spot.lua --replace f45.csv
expect_eq "1|kaohe: error: ev.db：核查结论 F4 与 F5 都是 $W 第2项、village V21、考核期 2018 的结论，请保留其一" \
  "$rc|$(cat err.txt)" "two new findings about one thing"
expect_eq "$sum" "$(sha256sum <ev.db)" "… nothing written"

# (an evidence file made before table finding_removed: the first removal makes it)
sqlite3 ev.db 'DROP TABLE finding_removed'
cp ev.db two.db # for the replacement among two files, below
# With --replace, F3 replaces F1: F1 is deleted, F3's note records what it replaced
code findings import --evidence ev.db --scorecard spot.lua --replace f3.csv
expect_eq "0|$CHECKED
f3.csv → finding: 1 行，导入 1 行，拒收 0 行（UTF-8）
F3 替换 F1（$W 第2项，village V11，考核期 2018；原结论 是，县督查组 王明 2018-12-01）|" \
  "$rc|$(cat out.txt)|$(cat err.txt)" "--replace says what replaced what"
code findings list --evidence ev.db --item 2
expect_eq "$HEAD
F3	$W	2	village	V11	2018	否		市督查组 李华	2018-12-10	复核；替换 F1（原结论 是，县督查组 王明 2018-12-01）
共 1 条核查结论" "$(cat out.txt)" "F1 gone, F3 noting it"
# importing F3 again is no clash (the same id updates itself)
code findings import --evidence ev.db --scorecard spot.lua f3.csv
expect_eq "0|$CHECKED
f3.csv → finding: 1 行，导入 1 行，拒收 0 行（UTF-8）" "$rc|$(cat out.txt)" "re-import of the same finding"
# Of two files imported together, the record names the one the replacing finding came from:
# F3 from f3.csv (given first), not f1.csv (given last; it rewrites F1 and F2 unchanged)
code findings import --evidence two.db --scorecard spot.lua --replace f3.csv f1.csv
expect_eq "0|F3|replaced by F3 from f3.csv (import --replace)" \
  "$rc|$(sqlite3 two.db 'SELECT group_concat(id) FROM finding WHERE id IN ('"'F1','F3'"')')|$(sqlite3 two.db 'SELECT how FROM finding_removed')" \
  "the replacing finding's file is named among two"

# remove: an id that is not a finding refuses the lot, naming it; nothing removed
sum=$(sha256sum <ev.db)
code findings remove --evidence ev.db F2 F1 nope
expect_eq "1||kaohe: error: ev.db: no finding 'F1', 'nope' (see: kaohe findings list --evidence ev.db); nothing was removed" \
  "$rc|$(cat out.txt)|$(cat err.txt)" "remove of ids that are not findings (F1 was replaced)"
expect_eq "$sum" "$(sha256sum <ev.db)" "… removes nothing, F2 included"
# … and the ids given say what went (an id given twice goes once)
code findings remove --evidence ev.db F2 F2
expect_eq "0|已删除 F2：$W 第1项，village V11，考核期 2018；核查结论 部分 得分 1.5，县督查组 王明 2018-12-01
ev.db：删除 1 条核查结论|" "$rc|$(cat out.txt)|$(cat err.txt)" "remove says what it removed"
expect_eq "F3" "$(sqlite3 ev.db 'SELECT group_concat(id) FROM finding')" "only F3 is left"
expect_eq "ok" "$(sqlite3 ev.db 'PRAGMA integrity_check')" "the evidence database is sound"
# every removal is kept with when (UTC), who and how: F1 replaced by F3's import, then F2
# removed (the refused removal above recorded nothing); the rows as they were (small fixture)
code findings list --evidence ev.db --removed
me=$(id -un)
expect_eq "0|$HEAD	删除时间	操作人	方式
F1	$W	2	village	V11	2018	是		县督查组 王明	2018-12-01		T	$me	replaced by F3 from f3.csv (import --replace)
F2	$W	1	village	V11	2018	部分	1.5	县督查组 王明	2018-12-01	台账不全	T	$me	kaohe findings remove
共 2 条已删除的核查结论" \
  "$rc|$(sed -E 's/\t20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\t/\tT\t/' out.txt)" "findings list --removed"
expect_eq 2 "$(sqlite3 ev.db "SELECT count(*) FROM finding_removed WHERE removed_at BETWEEN strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-10 minutes') AND strftime('%Y-%m-%dT%H:%M:%SZ', 'now')")" \
  "removal times are now, in UTC"
# the record is history, not evidence: the content hash is that of the file without it
cp ev.db bare.db
sqlite3 bare.db 'DROP TABLE finding_removed'
expect_eq "$("$KAOHE" hash --evidence bare.db)" "$("$KAOHE" hash --evidence ev.db)" "finding_removed is left out of the hash"
code findings list --evidence bare.db --removed
expect_eq "0|$HEAD	删除时间	操作人	方式
共 0 条已删除的核查结论" "$rc|$(cat out.txt)" "no removal recorded in a file without the table"
code findings list --evidence ev.db --removed --item 2
expect_eq "2|kaohe: error: findings list: --removed lists every removal; it takes no filter" "$rc|$(head -1 err.txt)" "--removed with a filter"

# usage errors: exit 2, nothing written
sum=$(sha256sum <ev.db)
for args in "findings" "findings bogus" "findings list" "findings list --evidence ev.db x" \
  "findings remove --evidence ev.db" "findings remove F3" "findings remove --evidence ev.db --replace F3" \
  "findings import --evidence ev.db" "findings import --evidence ev.db a.xlsx f3.csv"; do
  code $args
  expect_eq 2 "$rc" "usage: kaohe $args"
done
code findings
expect_eq "kaohe: error: findings: list, remove or import?" "$(head -1 err.txt)" "findings alone"
code findings remove --evidence ev.db
expect_eq "kaohe: error: findings remove: no finding id given (see: kaohe findings list)" \
  "$(head -1 err.txt)" "remove without ids"
code findings import --evidence ev.db a.xlsx f3.csv
expect_eq "kaohe: error: findings import: a filled checklist (a.xlsx) is imported alone" \
  "$(head -1 err.txt)" "a checklist with other files"
expect_eq "$sum" "$(sha256sum <ev.db)" "no usage error wrote anything"
# sample checks --scorecard, --kind and --items against the (bundled) scorecards before it
# draws anything: 五督 (huining-wudu-2018) assesses villages; its items 3 and 20 are findings,
# item 1 is computed, there is no item 99
ALL="huining-bazhua-2018, huining-cunweishi-2018, huining-cunweishi-village-2018, post-assessment-deductions, huining-qianyue-2018, huining-wudu-2018, huining-xuanchuan-2018, huining-yibao-2018, huining-zhenggai-2018"
for case in "nonsense|village|3|scorecard 'nonsense' is not one of those checked against ($ALL)" \
  "huining-wudu-2018|village|3,99|scorecard huining-wudu-2018 has no item 99" \
  "huining-wudu-2018|village|1|item 1 of huining-wudu-2018 is computed from the evidence, not from findings" \
  "huining-wudu-2018|cadre|3|scorecard huining-wudu-2018 does not assess a cadre"; do
  IFS='|' read -r card kind items why <<<"$case"
  code sample --evidence ev.db --seed 1 --period 2018 --scorecard "$card" --kind "$kind" --items "$items" --out ck.xlsx
  expect_eq "1|kaohe: error: sample --scorecard $card --kind $kind --items $items: $why|" \
    "$rc|$(cat err.txt)|$(ls ck.xlsx 2>/dev/null)" "sample --scorecard $card --kind $kind --items $items: refused, no checklist"
done
code sample --evidence ev.db --seed 1 --period 2018 --scorecard huining-wudu-2018 --items 3,20 --out ck.xlsx
expect_eq "0|ck.xlsx" "$rc|$(ls ck.xlsx)" "finding items 3 and 20 of 五督 are sampled"

# failures: exit 1
code findings list --evidence nope.db
expect_eq "1|kaohe: error: nope.db: cannot open evidence database" "$rc|$(cat err.txt)" "list of a missing database"
code findings remove --evidence nope.db F3
expect_eq "1|kaohe: error: nope.db: cannot open evidence database for writing" "$rc|$(cat err.txt)" \
  "remove from a missing database"
finish
