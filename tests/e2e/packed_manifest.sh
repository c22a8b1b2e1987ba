#!/usr/bin/env bash
# The workbook's hidden manifest packs its scores and deductions (issue 19 item 2): the packed
# records are exactly the results database's rows; reproduce --workbook reads them, and reads a
# manifest of the earlier format (a row of cells per record) alike; a packed blob that is
# damaged, truncated, miscounted or holds an endless record is refused with a message.
# Counts from fixtures/small/post_assessment.sql: 12 scores, 13 deductions (run_small.sh; the county's item 4 loss is one row naming I1、I2).
source "$(dirname "$0")/lib.bash"
CARD=scorecards/post_assessment_deductions.lua
small_evidence "$T/ev.db"
cd "$T"
KAOHE_RUN_TIME=1540000000 "$KAOHE" run --evidence ev.db --period 2018 --out r.xlsx \
  --results r.db "$KAOHE_HOME/$CARD" >/dev/null

# manifest.py WORKBOOK: the manifest's rows (shared or inline strings) as tab-separated lines;
# with "records" the packed blob's records instead (base64, zlib: decoded here, not by kaohe)
cat >manifest.py <<'PY'
import base64, re, sys, zipfile, zlib
from xml.etree import ElementTree as ET
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
def rows(path):
    z = zipfile.ZipFile(path)
    wb = z.read("xl/workbook.xml").decode()
    rid = re.search(r'<sheet name="kaohe_manifest"[^>]*r:id="(rId\d+)"', wb).group(1)
    rels = z.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(r'Id="%s"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="%s"' % (rid, rid), rels)
    target = "xl/" + (target.group(1) or target.group(2)).lstrip("/").replace("xl/", "")
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(NS + "si"):
            shared.append("".join(t.text or "" for t in si.iter(NS + "t")))
    for row in ET.fromstring(z.read(target)).iter(NS + "row"):
        cells = []
        for c in row.iter(NS + "c"):
            v = c.find(NS + "v")
            cells.append(shared[int(v.text)] if c.get("t") == "s" else "".join(t.text or "" for t in c.iter(NS + "t")))
        yield cells
rs = list(rows(sys.argv[1]))
if len(sys.argv) > 2:
    blob = "".join(r[1] for r in rs if r[0] == "packed")
    sys.stdout.write(zlib.decompress(base64.b64decode(blob)).decode())
else:
    for r in rs:
        print("\t".join(r))
PY
# write.py OUT < lines: a workbook whose only sheet is kaohe_manifest, one row per tab-separated
# line, inline strings (what kaohe of the earlier format wrote, as far as the reader is concerned)
cat >write.py <<'PY'
import sys, zipfile
from xml.sax.saxutils import escape
rows = [l.rstrip("\n").split("\t") for l in sys.stdin]
def col(i): return chr(65 + i) if i < 26 else "A" + chr(65 + i - 26)
xml = ["<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"]
for r, cells in enumerate(rows, 1):
    xml.append('<row r="%d">' % r + "".join('<c r="%s%d" t="inlineStr"><is><t>%s</t></is></c>' % (col(i), r, escape(v)) for i, v in enumerate(cells)) + "</row>")
xml.append("</sheetData></worksheet>")
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="kaohe_manifest" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", "".join(xml))
PY

"$PY" manifest.py r.xlsx >rows.txt
"$PY" manifest.py r.xlsx records >records.txt
expect_eq "format	kaohe-manifest-2" "$(head -1 rows.txt)" "format 2"
expect_eq 0 "$(grep -c -E '^(score|deduction)	' rows.txt || true)" "no score or deduction rows of their own"
expect_eq "packed_end	25" "$(tail -1 rows.txt)" "packed_end: 12 scores + 13 deductions"
# the packed records are the results database's rows, field by field
{
  sqlite3 -separator $'\t' r.db "SELECT 'score', scorecard_id, subject_kind, subject_id, item,
    status, CASE WHEN status = 'pending' THEN '' ELSE points_x100 END FROM score"
  sqlite3 -separator $'\t' r.db "SELECT 'deduction', scorecard_id, subject_kind, subject_id, item,
    evidence_table, evidence_key, points_x100 FROM deduction"
} | sort >db.txt
expect_eq "$(cat db.txt)" "$(sort records.txt)" "packed records = the results database's rows"
expect_eq 25 "$(wc -l <records.txt)" "25 records"

rc=0; "$KAOHE" reproduce --workbook r.xlsx --evidence ev.db >out.txt 2>err.txt || rc=$?
expect_eq 0 "$rc" "reproduce from the packed manifest: exit 0"
expect_contains "$(cat out.txt)" "结果一致：12 条评分、13 条扣分记录与原运行完全相同" "packed: identical"

# the earlier format: the same manifest with a row per record instead of the packed rows
{ grep -v -E '^(packed|packed_end)	' rows.txt; cat records.txt; } >old.txt
"$PY" write.py old.xlsx <old.txt
rc=0; "$KAOHE" reproduce --workbook old.xlsx --evidence ev.db >out.txt 2>err.txt || rc=$?
expect_eq 0 "$rc" "reproduce from a format-1 manifest: exit 0"
expect_contains "$(cat out.txt)" "结果一致：12 条评分、13 条扣分记录与原运行完全相同" "format 1: identical"
# … and a score changed in it is found (the reader did read the rows)
first=$(grep -m1 -P '^score\t.*\tdeducted\t' records.txt)
changed=$(printf '%s' "$first" | awk -F'\t' -v OFS='\t' '{$7 = $7 - 10; print}')
{ grep -v -E '^(packed|packed_end)	' rows.txt; grep -v -F -x "$first" records.txt; echo "$changed"; } >old2.txt
"$PY" write.py old2.xlsx <old2.txt
rc=0; "$KAOHE" reproduce --workbook old2.xlsx --evidence ev.db >out.txt 2>err.txt || rc=$?
expect_eq 3 "$rc" "format 1 with a changed score: exit 3 (differs)"
expect_contains "$(cat out.txt)" "得分不同" "format 1 with a changed score: reported"

# refused NAME MESSAGE-AFTER-"FILE: ": exit 1, that message, nothing re-run
refused() {
  local rc=0
  "$KAOHE" reproduce --workbook "$1.xlsx" --evidence ev.db >out.txt 2>err.txt || rc=$?
  expect_eq 1 "$rc" "$1: exit code"
  expect_eq "kaohe: error: $1.xlsx: $2" "$(cat err.txt)" "$1: message"
  expect_eq "" "$(cat out.txt)" "$1: nothing re-run"
}
packed() { grep -E '^packed	' rows.txt; }
head_rows() { grep -v -E '^(packed|packed_end)	' rows.txt; }
tail_msg="(a damaged or edited workbook); reproduce it from its results database (--results)"
# a character of the blob that is not base64
{ head_rows; packed | sed '1s/\t./\t!/'; echo "packed_end	25"; } | "$PY" write.py notb64.xlsx
refused notb64 "the kaohe_manifest sheet's packed records hold a cell that is not base64 $tail_msg"
# the count says one more record than the blob holds
{ head_rows; packed; echo "packed_end	27"; } | "$PY" write.py count.xlsx
refused count "the kaohe_manifest sheet's packed records hold 25 records, not the 27 they say $tail_msg"
# no packed_end row: a manifest cut short
{ head_rows; packed; } | "$PY" write.py noend.xlsx
refused noend "the kaohe_manifest sheet's packed records have no packed_end row (a truncated workbook); reproduce it from its results database (--results)"
# the blob cut in half (its last bytes missing: zlib has not seen its end)
half=$(packed | cut -f2 | head -c 40)
{ head_rows; printf 'packed\t%s\n' "$half"; echo "packed_end	25"; } | "$PY" write.py cut.xlsx
refused cut "the kaohe_manifest sheet's packed records end early $tail_msg"
# bytes changed inside the stream: zlib's checksum (or its codes) find it
"$PY" - records.txt <<'PY' >bad.b64
import base64, sys, zlib
raw = bytearray(zlib.compress(open(sys.argv[1], "rb").read()))
raw[len(raw) // 2] ^= 0xFF
print(base64.b64encode(bytes(raw)).decode())
PY
{ head_rows; printf 'packed\t%s\n' "$(cat bad.b64)"; echo "packed_end	25"; } | "$PY" write.py flipped.xlsx
refused flipped "the kaohe_manifest sheet's packed records do not inflate $tail_msg"
# a record of 2 MiB with no end: past the 1 MiB a record may have (held, never grown for ever)
"$PY" - <<'PY' >long.b64
import base64, zlib
print(base64.b64encode(zlib.compress(b"score\t" + b"x" * (2 << 20))).decode())
PY
{ head_rows; printf 'packed\t%s\n' "$(cat long.b64)"; echo "packed_end	1"; } | "$PY" write.py long.xlsx
refused long "a packed manifest record is longer than 1048576 bytes (a damaged or crafted workbook)"
finish
