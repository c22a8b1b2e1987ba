#!/usr/bin/env bash
# Crafted workbooks against the xlsx reader (issue 18, item 7), read by `kaohe reproduce
# --workbook` and `kaohe sample --import`: a zip bomb, too many shared strings, a giant cell,
# a column and a row past Excel's last, a document type declaration, a manifest "continued" in
# itself. Each is refused in seconds with exit 1 and the exact message naming the file; the
# evidence database is unchanged. The workbooks are made here, small (the bomb is 0.6 MB of zip).
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
ev_sum=$(sha256sum <"$T/ev.db")
cd "$T"

# craft NAME SHEET-XML-GENERATOR [SHARED-STRINGS-GENERATOR]: a workbook whose sheets
# kaohe_manifest and 抽查清单 are both xl/worksheets/sheet1.xml; the generators are Python
# expressions yielding the parts' text piece by piece, so that a big part is never held whole.
craft() {
  "$PY" - "$@" <<'PY'
import sys, zipfile
name, sheet, shared = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None
with zipfile.ZipFile(name + ".xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/workbook.xml",
               '<workbook xmlns:r="r"><sheets><sheet name="kaohe_manifest" r:id="rId1"/>'
               '<sheet name="抽查清单" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels",
               '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
    for part, gen in (("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", shared)):
        if gen:
            with z.open(part, "w", force_zip64=True) as f:
                for piece in eval(gen):
                    f.write(piece.encode())
PY
}
ROW='<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{a}</t></is></c><c r="B{r}" t="inlineStr"><is><t>{b}</t></is></c></row>'
# refused NAME EXPECTED-MESSAGE-AFTER-"kaohe: error: FILE: ": both readers, exit 1, evidence unchanged
refused() {
  local what=$1 expect=$2
  for cmd in "reproduce --workbook $what.xlsx --evidence ev.db" "sample --evidence ev.db --import $what.xlsx"; do
    local rc=0
    # CPU seconds, not wall-clock: a loaded test machine must not fail the test
    # shellcheck disable=SC2086
    { TIMEFORMAT='%0U+%0S' && time "$KAOHE" $cmd >out.txt 2>err.txt; } 2>cpu.txt || rc=$?
    expect_eq 1 "$rc" "$what (${cmd%% *}): exit code"
    expect_eq "kaohe: error: $what.xlsx: $expect" "$(cat err.txt)" "$what (${cmd%% *}): message"
    expect_eq 1 "$(($(cat cpu.txt) < 20))" "$what (${cmd%% *}): refused in seconds of CPU ($(cat cpu.txt))"
    expect_eq "$ev_sum" "$(sha256sum <ev.db)" "$what (${cmd%% *}): evidence unchanged"
  done
}

# 600 MiB of blanks inside <sheetData> (a zip of 0.6 MB): past the 512 MiB a part may inflate to
craft bomb '["<worksheet><sheetData>"] + [" " * (1 << 20)] * 600 + ["</sheetData></worksheet>"]'
refused bomb "xl/worksheets/sheet1.xml inflates to more than 512 MiB (a zip bomb?); refused"

# 4,000,001 shared strings (each empty): one more than the table may hold
craft strings '["<worksheet><sheetData/></worksheet>"]' \
  '["<sst>"] + ["<si><t/></si>" * 1000] * 4001 + ["</sst>"]'
refused strings "xl/sharedStrings.xml holds more than 4000000 shared strings; refused"

# one cell of 200,000 bytes: more than Excel's 32,767 characters could take (131,068 bytes)
craft giant '["<worksheet><sheetData>", """'"$ROW"'""".format(r=1, a="format", b="x" * 200000), "</sheetData></worksheet>"]'
refused giant "xl/worksheets/sheet1.xml a cell longer than 131068 bytes; refused"

# column letters past XFD (once a signed overflow in the column parser), a row past 1,048,576
craft columns '["<worksheet><sheetData><row r=\"1\"><c r=\"ZZZZZZZZZZZZZZ1\"><v>1</v></c></row></sheetData></worksheet>"]'
refused columns "xl/worksheets/sheet1.xml has a cell past column XFD (16384); refused"
craft rows '["<worksheet><sheetData><row r=\"99999999999999999999\"><c><v>1</v></c></row></sheetData></worksheet>"]'
refused rows "xl/worksheets/sheet1.xml has a row number past 1048576; refused"

# an entity-expansion bomb needs a DTD, which no workbook part has
craft doctype '["<!DOCTYPE worksheet [<!ENTITY a \"aaaaaaaaaa\">]><worksheet><sheetData/></worksheet>"]'
refused doctype "xl/worksheets/sheet1.xml has a document type declaration (no workbook part has one); refused"

# a manifest "continued" in itself was read for ever
craft selfcont '["<worksheet><sheetData>", """'"$ROW"'""".format(r=1, a="format", b="kaohe-manifest-1"), """'"$ROW"'""".format(r=2, a="continued", b="kaohe_manifest"), "</sheetData></worksheet>"]'
rc=0
timeout 20 "$KAOHE" reproduce --workbook selfcont.xlsx --evidence ev.db >out.txt 2>err.txt || rc=$?
expect_eq 1 "$rc" "self-continued manifest: exit code"
expect_eq "kaohe: error: selfcont.xlsx: sheet kaohe_manifest says the manifest continues in sheet 'kaohe_manifest', not in kaohe_manifest_2 (at most 1000 sheets); a damaged or crafted workbook" \
  "$(cat err.txt)" "self-continued manifest: message"
finish
