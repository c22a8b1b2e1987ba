#!/usr/bin/env bash
# kaohe import: the round trip (generate → CSV → import gives the same content hash), a GBK file
# saved the way WPS saves it, idempotent re-import, --partial with a rejects file, and every bad
# input refused with its exact message and the database left byte-for-byte as it was.
source "$(dirname "$0")/lib.bash"
: "${KAOHE_GEN:?}"
"$KAOHE_GEN" --out "$T/direct.db" --persons 9000 >/dev/null
tables=$(scripts/evidence_to_csv.sh "$T/direct.db" "$T/csv")
"$KAOHE" schema --evidence "$T/ev.db" >"$T/schema.txt"
expect_contains "$(cat "$T/schema.txt")" "CREATE TABLE admission" "schema printed"
rc=0
"$KAOHE" schema --evidence "$T/ev.db" >/dev/null 2>"$T/err" || rc=$?
expect_eq "1 kaohe: error: $T/ev.db: already exists (kaohe schema creates a new evidence database)" \
  "$rc $(cat "$T/err")" "schema refuses an existing file"
"$KAOHE" import --evidence "$T/ev.db" $(for t in $tables; do echo "$T/csv/$t.csv"; done) >"$T/out"
expect_eq "$("$KAOHE" hash --evidence "$T/direct.db")" "$("$KAOHE" hash --evidence "$T/ev.db")" \
  "round trip: generate → CSV → import gives the generator's content hash"
expect_eq "$(echo "$tables" | wc -l)" "$(sqlite3 "$T/ev.db" 'SELECT count(*) FROM import_log')" "one import_log row per file"
expect_eq "$(sha256sum <"$T/csv/admission.csv" | cut -d' ' -f1)" \
  "$(sqlite3 "$T/ev.db" "SELECT sha256 FROM import_log WHERE tbl = 'admission'")" "import_log holds the file's SHA-256"

# re-importing a file changes nothing (upsert on the key)
before=$("$KAOHE" hash --evidence "$T/ev.db")
"$KAOHE" import --evidence "$T/ev.db" "$T/csv/person.csv" "$T/csv/chronic_card.csv" "$T/csv/cadre_assignment.csv" >/dev/null
expect_eq "$before" "$("$KAOHE" hash --evidence "$T/ev.db")" "re-import is idempotent (keyed and key-less tables)"

hh=$(sqlite3 "$T/ev.db" "SELECT id FROM household ORDER BY id LIMIT 1")
# a GBK file the way WPS saves it: GB18030 bytes, CRLF line ends, Chinese headers, no BOM
mkdir -p "$T/in"
printf '身份证号,户编号,姓名,性别,出生日期,是否残疾\r\n11010519491231002X,%s,张三丰,男,1949年12月31日,是\r\n44052418800101001X,%s,"李四，字""小四""",女,1980/1/1,否\r\n' "$hh" "$hh" |
  iconv -f UTF-8 -t GB18030 >"$T/in/gbk.csv"
# (44052418800101001's check digit is 4, not X: fix it before the good import)
sed -i 's/44052418800101001X/440524188001010014/' "$T/in/gbk.csv"
"$KAOHE" import --evidence "$T/ev.db" --table person "$T/in/gbk.csv" >"$T/out"
expect_contains "$(cat "$T/out")" "2 行，导入 2 行，拒收 0 行（GB18030）" "GBK file detected and imported"
# GB18030's own byte order mark (84 31 95 33) is not part of the first header
printf '\x84\x31\x95\x33' | cat - "$T/in/gbk.csv" >"$T/in/gbk_bom.csv"
"$KAOHE" import --evidence "$T/ev.db" --table person "$T/in/gbk_bom.csv" >"$T/out"
expect_contains "$(cat "$T/out")" "2 行，导入 2 行，拒收 0 行（GB18030）" "GB18030 file with its BOM imported"
expect_eq "张三丰|男|1949-12-31|1 李四，字\"小四\"|女|1980-01-01|0" \
  "$(sqlite3 "$T/ev.db" "SELECT name, sex, birth_date, disabled FROM person WHERE id IN ('11010519491231002X', '440524188001010014') ORDER BY id" | tr '\n' ' ' | sed 's/ $//')" \
  "Chinese text, quotes, commas, dates and flags come through"

# bad inputs: exit 1, the exact message, and the database untouched
file_sum=$(sha256sum <"$T/ev.db")
content=$("$KAOHE" hash --evidence "$T/ev.db")
bad() { # name, expected message, then import arguments
  local what=$1 expect=$2
  shift 2
  local rc=0
  "$KAOHE" import --evidence "$T/ev.db" "$@" >/dev/null 2>"$T/err" || rc=$?
  expect_eq 1 "$rc" "$what: exit code"
  expect_eq "$expect" "$(cat "$T/err")" "$what: message"
  expect_eq "$file_sum" "$(sha256sum <"$T/ev.db")" "$what: database file unchanged"
  expect_eq "$content" "$("$KAOHE" hash --evidence "$T/ev.db")" "$what: content hash unchanged"
}
P=$T/in/person.csv
printf '身份证号,户编号,姓名\n610102198001010015,%s,王五\n' "$hh" | iconv -f UTF-8 -t GB18030 >"$T/in/person_gbk.csv"
bad "wrong encoding" "kaohe: error: $T/in/person_gbk.csv:1: not valid UTF-8 (the file looks like GB18030/GBK, as Excel and WPS save it: use --encoding gb18030)" \
  --encoding utf-8 --table person "$T/in/person_gbk.csv"
printf '身份证号,姓名\n610102198001010015,王五\n' >"$P"
bad "missing required column" "kaohe: error: $P:1: missing required column household_id（户编号） for table person" "$P"
printf '身份证号,户编号,姓名,籍贯\n610102198001010015,%s,王五,甘肃\n' "$hh" >"$P"
bad "unknown column" "kaohe: error: $P:1: column 4 '籍贯': unknown column for table person (add it to the header mapping, or use a column name of the table)" "$P"
printf '身份证号,户编号,姓名,出生日期\n610102198001010015,%s,王五,1980-02-30\n' "$hh" >"$P"
bad "malformed date" "kaohe: error: $P:2: column 出生日期: '1980-02-30' is not a date (write 2018-05-31, 2018/5/31, 2018年5月31日 or 20180531)" "$P"
printf '身份证号,户编号,姓名\n110105194912310021,%s,王五\n' "$hh" >"$P"
bad "bad 身份证号 check digit" "kaohe: error: $P:2: column 身份证号: 身份证号 110105194912310021 has check digit 1, but its first 17 digits give X" "$P"
printf '身份证号,户编号,姓名\n610102198001010015,%s,王五\n610102198001010015,%s,王六\n' "$hh" "$hh" >"$P"
bad "duplicate key within a file" "kaohe: error: $P:3: duplicate key 610102198001010015 (also at line 2)" "$P"
printf '身份证号,户编号,姓名\n610102198001010015,NOPE,王五\n' >"$P"
bad "reference to a missing row" "kaohe: error: $P:2: column 户编号: 'NOPE' names no row of household (import household first?)" "$P"
A=$T/in/admission.csv
pid=$(sqlite3 "$T/ev.db" "SELECT id FROM person ORDER BY id LIMIT 1")
ins=$(sqlite3 "$T/ev.db" "SELECT id FROM institution ORDER BY id LIMIT 1")
printf '结算单号,身份证号,机构编码,就诊类别,入院日期,是否一站式结算,医疗总费用（元）,合规医疗费用（元）,个人自付（元）\nX1,%s,%s,住院,2018-03-01,是,-5,0,0\n' "$pid" "$ins" >"$A"
bad "negative amount" "kaohe: error: $A:2: column 医疗总费用（元）: negative amount -5 元" "$A"
printf '结算单号,身份证号,机构编码,就诊类别,入院日期,是否一站式结算,医疗总费用（元）,合规医疗费用（元）,个人自付（元）\nX1,NOPE,%s,住院,2018-03-01,是,5,5,5\n' "$ins" >"$A"
bad "reference to a missing person" "kaohe: error: $A:2: column 身份证号: 'NOPE' names no row of person (import person first?)" "$A"
printf '结算单号,身份证号,机构编码,就诊类别,入院日期,是否一站式结算,医疗总费用（元）,合规医疗费用（元）,个人自付（元）\nX1,%s,%s,住院,2018-03-01,是,5,6,5\n' "$pid" "$ins" >"$A"
bad "a CHECK constraint of the schema" "kaohe: error: $A:2: refused by the schema: CHECK constraint failed: total_fen >= compliant_fen AND compliant_fen >= 0" "$A"
printf '身份证号,户编号,姓名\n610102198001010015,%s,王五\n610102198001010023,%s,"王\n' "$hh" "$hh" >"$P"
bad "truncated file" "kaohe: error: $P:3: the file ends inside a quoted field (truncated?)" "$P"
: >"$P"
bad "empty file" "kaohe: error: $P: empty file (no header row)" "$P"
# a NUL byte inside a quoted value was stored cut short ("abc\0def" → "abc"): refused at its line
printf '身份证号,户编号,姓名\n610102198001010015,%s,王五\n610102198001010023,%s,"abc\000def"\n' "$hh" "$hh" >"$P"
bad "NUL byte" "kaohe: error: $P:3: a NUL byte in the text (not a CSV file, or saved as UTF-16? save it as CSV in UTF-8 or GB18030)" "$P"
# two exports joined: the second one's BOM (line 3) would have gone into an id
printf '\xEF\xBB\xBF身份证号,户编号,姓名\n610102198001010015,%s,王五\n\xEF\xBB\xBF身份证号,户编号,姓名\n' "$hh" >"$P"
bad "BOM after the start" "kaohe: error: $P:3: a byte order mark (BOM) after the start of the file (two files joined into one? import each file on its own)" "$P"
# a device would be read until memory runs out, a FIFO would block: only regular files
bad "a device" "kaohe: error: /dev/zero: not a regular file (a device, pipe or directory cannot be imported)" \
  --table person /dev/zero
mkfifo "$T/in/fifo.csv"
bad "a FIFO" "kaohe: error: $T/in/fifo.csv: not a regular file (a device, pipe or directory cannot be imported)" \
  --table person "$T/in/fifo.csv"
# a good file and a bad one in one invocation: neither is imported
printf '身份证号,户编号,姓名\n610102198001010015,%s,王五\n' "$hh" >"$T/in/good.csv"
printf '身份证号,户编号,姓名\n610102198001010023,NOPE,王六\n' >"$P"
bad "all files or none" "kaohe: error: $P:2: column 户编号: 'NOPE' names no row of household (import household first?)" \
  --table person "$T/in/good.csv" "$P"

# --partial: the good rows go in, the bad ones to the rejects file with line and reason
printf '身份证号,户编号,姓名,出生日期\n610102198001010015,%s,王五,1980-01-01\n610102198001010023,%s,王六,1980-02-30\n610102198001010031,%s,王七,1980-01-03\n' "$hh" "$hh" "$hh" >"$P"
"$KAOHE" import --evidence "$T/ev.db" --partial "$P" >"$T/out"
expect_contains "$(cat "$T/out")" "3 行，导入 2 行，拒收 1 行（UTF-8）；拒收明细：$P.rejects.csv" "partial import counts"
# the rejected row is the file's line 3 (line 1 is the header); the rejects file starts with a
# BOM so that Excel reads it as UTF-8
expect_eq "行号,原因,身份证号,户编号,姓名,出生日期|3,\"column 出生日期: '1980-02-30' is not a date (write 2018-05-31, 2018/5/31, 2018年5月31日 or 20180531)\",\"610102198001010023\",\"$hh\",\"王六\",\"1980-02-30\"" \
  "$(sed '1s/^\xEF\xBB\xBF//' "$P.rejects.csv" | tr '\n' '|' | sed 's/|$//')" "rejects file: line number, reason, the row"
expect_eq "2" "$(sqlite3 "$T/ev.db" "SELECT count(*) FROM person WHERE id IN ('610102198001010015', '610102198001010031')")" "good rows imported"
expect_eq "3|2|1" "$(sqlite3 "$T/ev.db" "SELECT rows_read, accepted, rejected FROM import_log ORDER BY id DESC LIMIT 1")" "import_log counts"
# a rejected value that Excel would run as a formula is written with a leading ' (OWASP's
# CSV-injection rule): =HYPERLINK(…) and @SUM(…) stay text when the rejects file is opened
R=$T/in/formula.csv
printf '身份证号,户编号,姓名,出生日期\n610102198001010015,%s,"=HYPERLINK(""http://x"")",1980-02-31\n' "$hh" >"$R"
printf '610102198001010023,%s,@SUM(1),1980-02-31\n' "$hh" >>"$R"
"$KAOHE" import --evidence "$T/ev.db" --partial --table person "$R" >/dev/null
expect_eq "2,\"column 出生日期: '1980-02-31' is not a date (write 2018-05-31, 2018/5/31, 2018年5月31日 or 20180531)\",\"610102198001010015\",\"$hh\",\"'=HYPERLINK(\"\"http://x\"\")\",\"1980-02-31\"|3,\"column 出生日期: '1980-02-31' is not a date (write 2018-05-31, 2018/5/31, 2018年5月31日 or 20180531)\",\"610102198001010023\",\"$hh\",\"'@SUM(1)\",\"1980-02-31\"" \
  "$(sed 1d "$R.rejects.csv" | tr '\n' '|' | sed 's/|$//')" "rejects file: formula-looking values escaped"
# a run's manifest names the imports its evidence rests on
"$KAOHE" run --evidence "$T/ev.db" --results "$T/r.db" scorecards/post_assessment_deductions.lua >/dev/null
expect_eq "$(sqlite3 "$T/ev.db" 'SELECT file, sha256 FROM import_log ORDER BY id')" \
  "$(sqlite3 "$T/r.db" 'SELECT file, sha256 FROM run_import')" "run_import lists every import, in order"
finish
