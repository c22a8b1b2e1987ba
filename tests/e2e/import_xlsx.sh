#!/usr/bin/env bash
# kaohe import of Excel workbooks (issue 17 item 4), made by openpyxl: each sheet a table by its
# name; a title above the header, a two-row header with merged cells, shared strings, numbers,
# date serials and text dates; an empty Sheet2 left out; --table for a workbook whose sheet has
# another name; a bad row named by file, sheet and Excel row, nothing written; a legacy .xls
# refused with how to convert it.
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
"$PY" - "$T" <<'PY'
import sys, datetime, openpyxl
t = sys.argv[1]
wb = openpyxl.Workbook()
ws = wb.active; ws.title = "person"
# row 1: a title merged over the columns; rows 2-3: the header, 身份证号/户编号/出生日期 merged
# down over both rows, 基本信息 merged over 姓名 and 性别 (Excel keeps a merged cell's text in
# its top-left cell only)
ws["A1"] = "2023年 人口名单"; ws.merge_cells("A1:E1")
ws["A2"] = "身份证号"; ws.merge_cells("A2:A3")
ws["B2"] = "户编号"; ws.merge_cells("B2:B3")
ws["C2"] = "基本信息"; ws.merge_cells("C2:D2")
ws["C3"] = "姓名"; ws["D3"] = "性别"
ws["E2"] = "出生日期"; ws.merge_cells("E2:E3")
ws.append(["610102198001010015", "H1", "王五", "男", datetime.datetime(1980, 1, 1)])  # a serial
ws.append(["610102198001010023", "H1", "王六", "女", "1980/1/2"])                     # text
ws.append(["610102198001010031", "H2", "王五", "男", 21916])  # 21916 typed: 1960-01-01
wb.create_sheet("Sheet2")  # empty: left out
ad = wb.create_sheet("admission")
ad.append(["结算单号", "身份证号", "机构编码", "就诊类别", "入院日期", "是否一站式结算",
           "医疗总费用(元)", "合规医疗费用（元）", "个人自付（元）"])
# 12.3 is stored as a double (12.300000000000001 in some writers): 1230 fen; 43160 is 2018-03-01
ad.append(["X1", "610102198001010015", "I1", "住院", 43160, "是", 12.3, 10, 2.3])
ad.append(["X2", "610102198001010023", "I1", "住院", datetime.date(2018, 5, 31), "否", 1000, 999.99, 0.01])
wb.save(t + "/book.xlsx")

# one sheet named otherwise (for --table): a bad date at Excel row 3, serial 60 at row 4, a
# reference to nobody at row 5 (a row is refused at its first bad value)
wb = openpyxl.Workbook(); ws = wb.active; ws.title = "Sheet1"
ws.append(["身份证号", "户编号", "姓名", "出生日期"])
ws.append(["61010219800101004X", "H1", "赵一", "1980-01-01"])
ws.append(["610102198001010058", "H1", "赵二", "1980-02-30"])
ws.append(["610102198001010066", "H1", "赵三", 60])  # serial 60: the 1900-02-29 that never was
ws.append(["610102198001010074", "NOPE", "赵四", None])
wb.save(t + "/bad.xlsx")
PY
"$KAOHE" import --evidence "$T/ev.db" "$T/book.xlsx" >"$T/out"
expect_eq "$T/book.xlsx[person] → person: 3 行，导入 3 行，拒收 0 行（xlsx）
$T/book.xlsx[admission] → admission: 2 行，导入 2 行，拒收 0 行（xlsx）" "$(cat "$T/out")" \
  "each sheet into the table of its name; the empty Sheet2 left out"
# 1980-01-01 from a datetime (serial 29221), 1980/1/2 typed as text, 21916 → 1960-01-01
expect_eq "610102198001010015|王五|男|1980-01-01 610102198001010023|王六|女|1980-01-02 610102198001010031|王五|男|1960-01-01" \
  "$(sqlite3 "$T/ev.db" "SELECT id, name, sex, birth_date FROM person WHERE id LIKE '6101021980010100%' ORDER BY id" | tr '\n' ' ' | sed 's/ $//')" \
  "title skipped, merged two-row header read, date serials and text dates"
# 12.3 元 → 1230 fen, 10 → 1000, 2.3 → 230; 1000 → 100000, 999.99 → 99999, 0.01 → 1
expect_eq "X1|2018-03-01|1|1230|1000|230 X2|2018-05-31|0|100000|99999|1" \
  "$(sqlite3 "$T/ev.db" "SELECT id, admitted_on, one_stop, total_fen, compliant_fen, self_fen FROM admission WHERE id IN ('X1','X2') ORDER BY id" | tr '\n' ' ' | sed 's/ $//')" \
  "amounts typed as numbers to exact fen, a date serial and a date cell"
expect_eq "$(sha256sum <"$T/book.xlsx" | cut -d' ' -f1)|person" \
  "$(sqlite3 "$T/ev.db" "SELECT sha256, tbl FROM import_log ORDER BY id LIMIT 1")" "import_log: the workbook's SHA-256"

# bad rows: named by file[sheet] and the Excel row, all of them, nothing written
sum=$(sha256sum <"$T/ev.db")
rc=0
"$KAOHE" import --evidence "$T/ev.db" --table person "$T/bad.xlsx" >"$T/out" 2>"$T/err" || rc=$?
expect_eq 1 "$rc" "bad workbook: exit 1"
expect_eq "kaohe: error: $T/bad.xlsx[Sheet1]:3: column 出生日期: '1980-02-30' is not a date (write 2018-05-31, 2018/5/31, 2018年5月31日 or 20180531)
kaohe: error: $T/bad.xlsx[Sheet1]:4: column 出生日期: '60' is not a date (write 2018-05-31, 2018/5/31, 2018年5月31日 or 20180531)
kaohe: error: $T/bad.xlsx[Sheet1]:5: column 户编号: 'NOPE' names no row of household (import household first?)
kaohe: error: 3 problems in the files: nothing was imported; fix them and import again, or import the good rows with --partial" \
  "$(cat "$T/err")" "bad rows: file[sheet]:row, the Chinese header, what is wrong"
expect_eq "$sum" "$(sha256sum <"$T/ev.db")" "bad workbook: nothing written"
# without --table the sheet's name is no table
rc=0
"$KAOHE" import --evidence "$T/ev.db" "$T/bad.xlsx" 2>"$T/err" || rc=$?
expect_eq "1 kaohe: error: $T/bad.xlsx[Sheet1]: no evidence table named 'Sheet1' (name the file after its table, e.g. admission.csv, or give --table)" \
  "$rc $(cat "$T/err")" "a sheet not named after a table"
# --partial: the good row in, the bad ones to FILE.TABLE.rejects.csv with the sheet's headers
"$KAOHE" import --evidence "$T/ev.db" --table person --partial "$T/bad.xlsx" >"$T/out"
expect_contains "$(cat "$T/out")" "4 行，导入 1 行，拒收 3 行（xlsx）；拒收明细：$T/bad.xlsx.person.rejects.csv" "partial workbook import"
expect_eq "行号,原因,身份证号,户编号,姓名,出生日期" "$(head -1 "$T/bad.xlsx.person.rejects.csv" | sed 's/^\xEF\xBB\xBF//')" \
  "workbook rejects: the sheet's headers"

# a legacy .xls: how to convert it
printf 'not really' >"$T/old.xls"
rc=0
"$KAOHE" import --evidence "$T/ev.db" "$T/old.xls" 2>"$T/err" || rc=$?
expect_eq "1 kaohe: error: $T/old.xls: a legacy Excel file (.xls), which kaohe cannot read: save it as .xlsx (Excel or WPS: 另存为 .xlsx), or convert it with soffice --headless --convert-to xlsx $T/old.xls" \
  "$rc $(cat "$T/err")" ".xls refused with how to convert it"
# not a workbook at all
printf 'PK garbage' >"$T/fake.xlsx"
rc=0
"$KAOHE" import --evidence "$T/ev.db" "$T/fake.xlsx" 2>"$T/err" || rc=$?
expect_eq "1 kaohe: error: $T/fake.xlsx: cannot read as a workbook (not an .xlsx file?)" "$rc $(cat "$T/err")" "a damaged .xlsx"
finish
