#!/usr/bin/env bash
# kaohe import reports, not stops (issue 17 item 5): every bad row of every file in one pass, each
# with its file, line and the column's Chinese header, nothing written; --max-errors; headers in
# their variants (half-width brackets, spaces, full-width letters, a unit left off); a unit that
# changes the scale (万元) is not taken for 元.
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
sum=$(sha256sum <"$T/ev.db")
P=$T/person.csv A=$T/admission.csv
# person: line 2 good, line 3 a bad date, line 4 a household that does not exist
printf '身份证号,户编号,姓名,出生日期\n610102198001010015,H1,王五,1980-01-01\n610102198001010023,H1,王六,1980-02-30\n610102198001010031,NOPE,王七,1980-01-03\n' >"$P"
# admission: line 3 an amount with three decimals (line 2 is good)
printf '结算单号,身份证号,机构编码,就诊类别,入院日期,是否一站式结算,医疗总费用（元）,合规医疗费用（元）,个人自付（元）\nX1,610102198001010015,I1,住院,2018-03-01,是,5,5,0\nX2,610102198001010015,I1,住院,2018-03-01,是,1.234,0,0\n' >"$A"
rc=0
"$KAOHE" import --evidence "$T/ev.db" "$P" "$A" >"$T/out" 2>"$T/err" || rc=$?
expect_eq 1 "$rc" "bad rows in two files: exit 1"
expect_eq "kaohe: error: $P:3: column 出生日期: '1980-02-30' is not a date (write 2018-05-31, 2018/5/31, 2018年5月31日 or 20180531)
kaohe: error: $P:4: column 户编号: 'NOPE' names no row of household (import household first?)
kaohe: error: $A:3: column 医疗总费用（元）: '1.234' is not an amount in 元 (at most two decimals, e.g. 12.30)
kaohe: error: 3 problems in the files: nothing was imported; fix them and import again, or import the good rows with --partial" \
  "$(cat "$T/err")" "every bad row of both files listed, then the count"
expect_eq "$sum" "$(sha256sum <"$T/ev.db")" "nothing written when any row is bad"
# --max-errors: reading stops after N, and says so
rc=0
"$KAOHE" import --evidence "$T/ev.db" --max-errors 2 "$P" "$A" >"$T/out" 2>"$T/err" || rc=$?
expect_eq "1|3" "$rc|$(wc -l <"$T/err")" "--max-errors 2: two problems and the stop"
expect_eq "kaohe: error: stopped after 2 problems (--max-errors): nothing was imported; fix these and import again" \
  "$(tail -1 "$T/err")" "--max-errors: the stop named"
rc=0
"$KAOHE" import --evidence "$T/ev.db" --max-errors 0 "$P" 2>"$T/err" || rc=$?
expect_eq "2 kaohe: error: --max-errors 0: expected a number of errors from 1 to 1000000" "$rc $(head -1 "$T/err")" "--max-errors 0 refused"
# a header problem in one file and a bad row in another: both listed
printf '身份证号,户编号,姓名,籍贯\n610102198001010015,H1,王五,甘肃\n' >"$T/p2.csv"
rc=0
"$KAOHE" import --evidence "$T/ev.db" --table person "$T/p2.csv" "$P" 2>"$T/err" || rc=$?
expect_eq "1|4" "$rc|$(wc -l <"$T/err")" "a header problem and two bad rows: three lines and the count"
expect_contains "$(head -1 "$T/err")" "$T/p2.csv:1: column 4 '籍贯': unknown column for table person" "the header problem listed first"
expect_eq "$sum" "$(sha256sum <"$T/ev.db")" "still nothing written"

# header variants: half-width brackets, a space inside, full-width letters, the unit left off
printf '身份证号,户编号,姓名,ｂｉｒｔｈ＿ｄａｔｅ\n610102198001010015,H1,王五,1980-01-01\n' >"$P"
printf '结算单号,身份证号,机构编码,就诊类别,入院日期,是否一站式结算,医疗总费用(元),合规医疗费用 （元）,个人自付\nX1,610102198001010015,I1,住院,2018-03-01,否,12.30,10,2.3\n' >"$A"
"$KAOHE" import --evidence "$T/ev.db" "$P" "$A" >"$T/out"
# 12.30 元 = 1230 fen, 10 元 = 1000, 2.3 元 = 230
expect_eq "1980-01-01|1230|1000|230" \
  "$(sqlite3 "$T/ev.db" "SELECT p.birth_date, a.total_fen, a.compliant_fen, a.self_fen FROM admission a JOIN person p ON p.id = a.person_id WHERE a.id = 'X1'")" \
  "header variants mapped: (元), spaces, full-width letters, no unit"
# 万元 would scale the amounts by 10,000: not the same column
printf '结算单号,身份证号,机构编码,就诊类别,入院日期,是否一站式结算,医疗总费用（万元）,合规医疗费用（元）,个人自付（元）\nX2,610102198001010015,I1,住院,2018-03-01,否,1,0,0\n' >"$A"
rc=0
"$KAOHE" import --evidence "$T/ev.db" "$A" 2>"$T/err" || rc=$?
expect_eq "1 kaohe: error: $A:1: column 7 '医疗总费用（万元）': unknown column for table admission (add it to the header mapping, or use a column name of the table)" \
  "$rc $(head -1 "$T/err")" "万元 is not 元"

# --partial: the rejects file keeps the file's own headers and adds 行号 and 原因
printf '身份证号,户编号,姓名,出生日期 \n610102198001010023,H1,王六,1980-02-30\n' >"$P"
"$KAOHE" import --evidence "$T/ev.db" --partial "$P" >"$T/out"
expect_eq "行号,原因,身份证号,户编号,姓名,出生日期" "$(head -1 "$P.rejects.csv" | sed 's/^\xEF\xBB\xBF//')" \
  "rejects: the original headers after 行号 and 原因"
finish
