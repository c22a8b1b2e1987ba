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
W=huining-wudu-2018

# code ARGS...: runs kaohe; exit code in $rc, stdout in out.txt, stderr in err.txt
code() {
  rc=0
  "$KAOHE" "$@" >out.txt 2>err.txt || rc=$?
}
HEAD=$(printf '核查编号\t考核表\t项目\t对象类别\t对象编码\t考核期\t核查结论\t得分\t核查人\t核查日期\t说明')

# Two findings of the village 甲村 (V11): item 3 是, item 20 部分 with 1.5 points.
cat >f1.csv <<CSV
核查编号,考核表,项目序号,对象类别,对象编码,考核期,核查结论,得分,说明,核查人,核查日期
F1,$W,3,village,V11,2018,是,,,县督查组 王明,2018-12-01
F2,$W,20,village,V11,2018,部分,1.5,台账不全,县督查组 王明,2018-12-01
CSV
code findings import --evidence ev.db f1.csv
expect_eq "0|f1.csv → finding: 2 行，导入 2 行，拒收 0 行（UTF-8）|" "$rc|$(cat out.txt)|$(cat err.txt)" \
  "import of a finding CSV"

# list: by scorecard, item, kind, subject, period, id; the filters narrow it
code findings list --evidence ev.db
expect_eq "0|$HEAD
F2	$W	20	village	V11	2018	部分	1.5	县督查组 王明	2018-12-01	台账不全
F1	$W	3	village	V11	2018	是		县督查组 王明	2018-12-01	
共 2 条核查结论" "$rc|$(cat out.txt)" "list: item '20' sorts before '3' (items are text, as printed)"
code findings list --evidence ev.db --item 3 --subject V11 --period 2018 --scorecard $W
expect_eq "$HEAD
F1	$W	3	village	V11	2018	是		县督查组 王明	2018-12-01	
共 1 条核查结论" "$(cat out.txt)" "list with every filter"
code findings list --evidence ev.db --period 2019
expect_eq "$HEAD
共 0 条核查结论" "$(cat out.txt)" "list: nothing in another period"

# A new finding F3 about item 3 of V11 in 2018 clashes with F1: refused, nothing written
sum=$(sha256sum <ev.db)
cat >f3.csv <<CSV
核查编号,考核表,项目序号,对象类别,对象编码,考核期,核查结论,得分,说明,核查人,核查日期
F3,$W,3,village,V11,2018,否,,复核,市督查组 李华,2018-12-10
CSV
code findings import --evidence ev.db f3.csv
expect_eq "1|kaohe: error: ev.db: finding F3 ($W 第3项, village V11, 考核期 2018) clashes with finding F1 already recorded (是, 县督查组 王明 2018-12-01): remove one (kaohe findings remove --evidence ev.db F1) or import it with kaohe findings import --replace" \
  "$rc|$(cat err.txt)" "a clash with an earlier finding is refused"
expect_eq "$sum" "$(sha256sum <ev.db)" "… and nothing is written"
# kaohe import of the same file is refused the same way: every writer of findings checks
code import --evidence ev.db --table finding f3.csv
expect_eq "1 1" "$rc $(grep -c 'clashes with finding F1' err.txt)" "kaohe import refuses it too"
expect_eq "$sum" "$(sha256sum <ev.db)" "… and writes nothing"

# Two rows of one file about the same thing: refused even with --replace
cat >f45.csv <<CSV
核查编号,考核表,项目序号,对象类别,对象编码,考核期,核查结论,得分,说明,核查人,核查日期
F4,$W,4,village,V21,2018,是,,,县督查组 王明,2018-12-02
F5,$W,4,village,V21,2018,否,,,县督查组 王明,2018-12-02
CSV
code findings import --evidence ev.db --replace f45.csv
expect_eq "1|kaohe: error: ev.db: findings F4 and F5 are both about $W 第4项, village V21, 考核期 2018: keep one" \
  "$rc|$(cat err.txt)" "two new findings about one thing"
expect_eq "$sum" "$(sha256sum <ev.db)" "… nothing written"

# With --replace, F3 replaces F1: F1 is deleted, F3's note records what it replaced
code findings import --evidence ev.db --replace f3.csv
expect_eq "0|f3.csv → finding: 1 行，导入 1 行，拒收 0 行（UTF-8）
F3 替换 F1（$W 第3项，village V11，考核期 2018；原结论 是，县督查组 王明 2018-12-01）|" \
  "$rc|$(cat out.txt)|$(cat err.txt)" "--replace says what replaced what"
code findings list --evidence ev.db --item 3
expect_eq "$HEAD
F3	$W	3	village	V11	2018	否		市督查组 李华	2018-12-10	复核；替换 F1（原结论 是，县督查组 王明 2018-12-01）
共 1 条核查结论" "$(cat out.txt)" "F1 gone, F3 noting it"
# importing F3 again is no clash (the same id updates itself)
code findings import --evidence ev.db f3.csv
expect_eq "0|f3.csv → finding: 1 行，导入 1 行，拒收 0 行（UTF-8）" "$rc|$(cat out.txt)" "re-import of the same finding"

# remove: an id that is not a finding refuses the lot, naming it; nothing removed
sum=$(sha256sum <ev.db)
code findings remove --evidence ev.db F2 F1 nope
expect_eq "1||kaohe: error: ev.db: no finding 'F1', 'nope' (see: kaohe findings list --evidence ev.db); nothing was removed" \
  "$rc|$(cat out.txt)|$(cat err.txt)" "remove of ids that are not findings (F1 was replaced)"
expect_eq "$sum" "$(sha256sum <ev.db)" "… removes nothing, F2 included"
# … and the ids given say what went (an id given twice goes once)
code findings remove --evidence ev.db F2 F2
expect_eq "0|已删除 F2：$W 第20项，village V11，考核期 2018；核查结论 部分 得分 1.5，县督查组 王明 2018-12-01
ev.db：删除 1 条核查结论|" "$rc|$(cat out.txt)|$(cat err.txt)" "remove says what it removed"
expect_eq "F3" "$(sqlite3 ev.db 'SELECT group_concat(id) FROM finding')" "only F3 is left"
expect_eq "ok" "$(sqlite3 ev.db 'PRAGMA integrity_check')" "the evidence database is sound"

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
# failures: exit 1
code findings list --evidence nope.db
expect_eq "1|kaohe: error: nope.db: cannot open evidence database" "$rc|$(cat err.txt)" "list of a missing database"
code findings remove --evidence nope.db F3
expect_eq "1|kaohe: error: nope.db: cannot open evidence database for writing" "$rc|$(cat err.txt)" \
  "remove from a missing database"
finish
