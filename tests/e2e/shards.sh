#!/usr/bin/env bash
# A province in shards: three small counties run as one evidence database, as a directory of
# shards (-j 1 and -j 2), and as three separate runs merged with `kaohe merge` (what a batch
# scheduler's array jobs do) must give exactly the same results; the city and county roll-ups
# and the province-wide ranks are checked against SQL written independently here.
source "$(dirname "$0")/lib.bash"
: "${KAOHE_GEN:?}"
export KAOHE_RUN_TIME=1546300800 # a fixed run time: workbooks comparable byte for byte
"$KAOHE_GEN" --counties 3 --persons 9000 --out "$T/province.db" >/dev/null
"$KAOHE_GEN" --counties 3 --persons 9000 --shards "$T/shards" -j 2 >/dev/null
expect_eq "620011.db 620012.db 620422.db" "$(cd "$T/shards" && echo *.db)" "one shard per county"

# the three printed forms: the counts below are theirs (cards added later are not in them)
cards=(scorecards/bazhua_cadre_2018.lua scorecards/post_assessment_deductions.lua scorecards/wudu_2018.lua)
"$KAOHE" run --quiet --evidence "$T/province.db" --results "$T/single.db" --out "$T/single.xlsx" "${cards[@]}"
"$KAOHE" run --quiet --evidence "$T/shards" -j 1 --results "$T/j1.db" --out "$T/j1.xlsx" "${cards[@]}"
"$KAOHE" run --quiet --evidence "$T/shards" -j 2 --results "$T/j2.db" --out "$T/j2.xlsx" "${cards[@]}"
# deductions spilled to a scratch database past 1,000 (the default is 200,000)
"$KAOHE" run --quiet --spill-after 1000 --evidence "$T/province.db" --results "$T/spilled.db" --out "$T/spilled.xlsx" "${cards[@]}"
"$KAOHE" run --quiet --spill-after 1000 --evidence "$T/shards" -j 2 --results "$T/j2s.db" "${cards[@]}"
# the array-job way: one run per shard, anywhere, then one merge
for s in "$T"/shards/*.db; do
  "$KAOHE" run --quiet --evidence "$s" --results "$T/part-$(basename "$s")" "${cards[@]}"
done
"$KAOHE" merge --quiet --results "$T/merged.db" --out "$T/merged.xlsx" "$T"/part-*.db

# two workbooks: "True N" if they have the same N sheets, then "differs: NAME" for every sheet
# whose cells differ (运行信息 is skipped: it names the command line)
same_sheets() { # a.xlsx b.xlsx
  "$PY" - "$1" "$2" <<'EOF'
import sys, openpyxl
a, b = (openpyxl.load_workbook(p, read_only=True) for p in sys.argv[1:3])
print(a.sheetnames == b.sheetnames, len(a.sheetnames))
for n in a.sheetnames:
    if n != "运行信息" and list(a[n].iter_rows(values_only=True)) != list(b[n].iter_rows(values_only=True)):
        print("differs:", n)
EOF
}
# every results table, row for row in stored order, without the run id
dump() { # db
  for t in subject item score deduction result; do
    echo "== $t"
    sqlite3 "$1" "SELECT * FROM $t ORDER BY rowid" | cut -d'|' -f2-
  done
}
dump "$T/single.db" >"$T/single.txt"
for r in j1 j2 merged spilled j2s; do
  dump "$T/$r.db" >"$T/$r.txt"
  if cmp -s "$T/single.txt" "$T/$r.txt"; then ok; else
    fail "$r: results differ from the single-database run: $(diff "$T/single.txt" "$T/$r.txt" | head -5)"
  fi
done
# one county merged on its own keeps its scores for the full workbook, and equals its own run
"$KAOHE" merge --quiet --results "$T/one.db" --out "$T/one.xlsx" "$T/part-620012.db"
dump "$T/part-620012.db" >"$T/own.txt"
dump "$T/one.db" >"$T/one.txt"
if cmp -s "$T/own.txt" "$T/one.txt"; then ok; else fail "merge of one part differs from the part"; fi
"$PY" - "$T/one.xlsx" >"$T/one-sheets.txt" <<'EOF'
import sys, openpyxl
print(len(openpyxl.load_workbook(sys.argv[1], read_only=True).sheetnames))
EOF
[ "$(cat "$T/one-sheets.txt")" -gt 20 ] && ok || fail "merge of one county: full workbook with forms ($(cat "$T/one-sheets.txt") sheets)"
# one database, its items on 1 or 2 threads: the same results (and the same as above)
"$KAOHE" run --quiet -j 1 --evidence "$T/province.db" --results "$T/items1.db" "${cards[@]}"
"$KAOHE" run --quiet -j 2 --evidence "$T/province.db" --results "$T/items2.db" "${cards[@]}"
for r in items1 items2; do
  dump "$T/$r.db" >"$T/$r.txt"
  if cmp -s "$T/single.txt" "$T/$r.txt"; then ok; else fail "$r: results differ from the single-database run"; fi
done
# and a failing item is the same item, with the same message, however many threads run
e1=$("$KAOHE" run --quiet -j 1 --query-limit 20000 --evidence "$T/province.db" "${cards[@]}" 2>&1) && fail "-j 1: query limit not hit" || ok
e2=$("$KAOHE" run --quiet -j 2 --query-limit 20000 --evidence "$T/province.db" "${cards[@]}" 2>&1) && fail "-j 2: query limit not hit" || ok
expect_eq "$e1" "$e2" "the first failing item in form order, whatever the threads"
expect_contains "$e1" "bazhua_cadre_2018.lua:" "the failing item is named"
q() { sqlite3 "$T/single.db" "$1"; }
# the comparison compares something: 3 × (292 villages × 26 + 120 cadres × 20 + 29 × 4) scores
expect_eq $((3 * (292 * 26 + 120 * 20 + 29 * 4))) "$(q 'SELECT count(*) FROM score')" "score rows"
expect_eq "0" "$(q "SELECT count(*) = 0 FROM deduction")" "deductions present"
expect_eq 3 "$(sqlite3 "$T/merged.db" 'SELECT count(*) FROM run_part')" "merged run records its 3 parts"

# Roll-ups, independently: a county's and a city's 五督 score is the mean of their fully scored
# villages' totals (in hundredths, halves away from zero); villages with items 待核实 are counted
# as pending instead.
expect_eq "" "$(q "
  WITH v AS (SELECT r.subject_id, r.total_x100, r.pending_items, t.parent_id AS county
             FROM result r JOIN subject s ON s.run_id = r.run_id AND s.kind = 'village' AND s.id = r.subject_id
             JOIN subject t ON t.run_id = r.run_id AND t.kind = 'township' AND t.id = s.parent_id
             WHERE r.scorecard_id = 'huining-wudu-2018' AND r.subject_kind = 'village'),
       vc AS (SELECT v.*, c.parent_id AS city FROM v JOIN subject c ON c.kind = 'county' AND c.id = v.county),
       want AS (SELECT 'county' AS kind, county AS id, sum(total_x100) FILTER (WHERE pending_items = 0) AS s,
                       count(*) FILTER (WHERE pending_items = 0) AS n FROM vc GROUP BY county
                UNION ALL
                SELECT 'city', city, sum(total_x100) FILTER (WHERE pending_items = 0),
                       count(*) FILTER (WHERE pending_items = 0) FROM vc GROUP BY city)
  SELECT w.kind, w.id, w.s, w.n, r.total_x100, r.members FROM want w
  LEFT JOIN result r ON r.scorecard_id = 'huining-wudu-2018' AND r.subject_kind = w.kind AND r.subject_id = w.id
  WHERE r.total_x100 IS NOT (CASE WHEN w.s < 0 THEN -((-w.s * 2 + w.n) / (2 * w.n)) ELSE (w.s * 2 + w.n) / (2 * w.n) END)
     OR r.members IS NOT w.n")" "county and city roll-ups = means of their villages"
expect_eq "2|3" "$(q "SELECT
  (SELECT count(*) FROM result WHERE subject_kind = 'city' AND rollup = 1),
  (SELECT count(*) FROM result WHERE subject_kind = 'county' AND rollup = 1)")" "2 cities, 3 counties rolled up"
# 模拟01市 (620010) holds the two synthetic counties, 白银市 (620400) 会宁县 alone
expect_eq "620010|620011,620012;620400|620422" "$(q "SELECT group_concat(c || '|' || m, ';') FROM
  (SELECT parent_id AS c, group_concat(id, ',') AS m FROM (SELECT * FROM subject WHERE kind = 'county' ORDER BY id)
   GROUP BY parent_id ORDER BY parent_id)")" "counties under their cities"
# Ranks are province-wide: each scored village's rank is 1 + the villages strictly better (not
# vetoed, or vetoed like it, with more points), counted here over all three counties at once.
expect_eq "" "$(q "
  WITH v AS (SELECT subject_id, total_x100, vetoed_items > 0 AS vetoed, rank FROM result
             WHERE scorecard_id = 'huining-wudu-2018' AND subject_kind = 'village' AND pending_items = 0)
  SELECT a.subject_id, a.rank FROM v a
  WHERE a.rank != 1 + (SELECT count(*) FROM v b WHERE (b.vetoed < a.vetoed)
                         OR (b.vetoed = a.vetoed AND b.total_x100 > a.total_x100))")" "village ranks across the province"
# rank 1 is shared by every unvetoed, fully scored village at the province's best total
expect_eq "$(q "SELECT count(*) FROM result WHERE subject_kind = 'village' AND pending_items = 0 AND vetoed_items = 0
  AND total_x100 = (SELECT max(total_x100) FROM result WHERE subject_kind = 'village' AND pending_items = 0)")" \
  "$(q "SELECT count(*) FROM result WHERE subject_kind = 'village' AND rank = 1")" "rank 1 across the province"

# The workbooks say the same: 汇总 of the merged run equals the single run's, cell for cell.
summary() { # workbook [sheet]
  "$PY" - "$1" "${2:-汇总}" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)[sys.argv[2]]
for row in ws.iter_rows(min_row=3, values_only=True):
    print("|".join("" if v is None else str(v) for v in row))
EOF
}
summary "$T/single.xlsx" >"$T/s1.txt"
summary "$T/merged.xlsx" >"$T/s2.txt"
expect_eq "$(sha256sum <"$T/s1.txt")" "$(sha256sum <"$T/s2.txt")" "汇总 of merged = single"
# 整改台账 too: its 备注 counts each lost item's causing rows (the keys of its deductions: "A1、A3"
# is two), which a merge counts anew
summary "$T/single.xlsx" 整改台账 >"$T/l1.txt"
summary "$T/merged.xlsx" 整改台账 >"$T/l2.txt"
expect_eq "$(sha256sum <"$T/l1.txt")" "$(sha256sum <"$T/l2.txt")" "整改台账 of merged = single"
# 问责名单 too: the shards' lists joined are the single run's list, with the county of each
summary "$T/single.xlsx" 问责名单 >"$T/w1.txt"
summary "$T/merged.xlsx" 问责名单 >"$T/w2.txt"
expect_eq "$(sha256sum <"$T/w1.txt")" "$(sha256sum <"$T/w2.txt")" "问责名单 of merged = single"
expect_eq "$(sqlite3 "$T/single.db" 'SELECT count(*) FROM accountability')" "$(grep -c '^[0-9]' "$T/w2.txt")" \
  "问责名单: a row per listed condition"
# (and under the rows a blank row, the note and the signature line)
expect_eq "$(sqlite3 "$T/single.db" "SELECT count(*) + 3 FROM score WHERE status IN ('deducted', 'pending')")" \
  "$(wc -l <"$T/l1.txt")" "整改台账: a row per lost or 待核实 item, then the signature block"
expect_eq "$(sqlite3 "$T/single.db" "SELECT group_concat(evidence_key, '、') FROM deduction" | sed 's/、/\n/g' | wc -l)" \
  "$(grep -o '证据[0-9]*条' "$T/l2.txt" | tr -dc '0-9\n' | awk '{s += $1} END {print s}')" "整改台账: evidence counts add up to the deductions' keys"
# (subject rows are numbered; table titles, group heads and the signature block are not)
expect_eq "$(q 'SELECT count(*) FROM result')" "$(grep -c '^[0-9]' "$T/s1.txt")" "汇总 has every result row"
expect_contains "$(cat "$T/s2.txt")" "模拟01市" "the city is in 汇总"
# the provincial report: summary sheets only, and notes saying where the rows are
"$PY" - "$T/merged.xlsx" >"$T/shape.txt" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
print(",".join(wb.sheetnames))
print(wb["扣分明细"].cell(3, 1).value)
# each chart's numbers stand in column M beside it: its title ("form：各县…"), 单位, the units
charts = []
for r in wb["图表"].iter_rows(values_only=True):
    v = r[12] if len(r) > 12 else None
    if v is None or v == "单位": continue
    if v.endswith("（得分）") or v.endswith("（扣分合计）") or "未列入" in v: charts.append([v])
    else: charts[-1].append(v)
# the units' charts ("form：各县…"; a scorecard of cadres has one per department besides)
print(",".join(c[0].split("：")[0] + "," + ",".join(sorted(c[1:])) for c in charts if "：各" in c[0]))
EOF
# (问责名单: the 包抓 card's list, carried from the shards since tests/e2e/accountability_merge.sh)
expect_eq "汇总,图表,整改台账,问责名单,扣分明细,考核明细,运行信息,kaohe_manifest" "$(sed -n 1p "$T/shape.txt")" \
  "provincial report: summary sheets, no forms"
expect_contains "$(sed -n 2p "$T/shape.txt")" "共 $(sqlite3 "$T/merged.db" 'SELECT count(*) FROM deduction') 条扣分记录" \
  "扣分明细 note gives the count"
# 后评估 is charted by county (3 of them), 五督 by city (2): the highest level with several
expect_eq "健康扶贫成果后评估指标体系,会宁县,模拟001县,模拟002县,健康扶贫先锋行动“五督”工作任务考核表,模拟01市,白银市" \
  "$(sed -n 3p "$T/shape.txt")" "图表: counties and cities"
# every sheet of the spilled run's workbook equals the in-memory run's (运行信息 names the command)
same_sheets "$T/single.xlsx" "$T/spilled.xlsx" >"$T/sheets.txt"
expect_eq "True" "$(head -1 "$T/sheets.txt" | cut -d' ' -f1)" "spilled workbook: the same sheets"
expect_eq "" "$(grep differs "$T/sheets.txt" || true)" "spilled workbook = in-memory workbook, sheet for sheet"
# scratch space that cannot be written: a clear error, and nothing written
: >"$T/not-a-directory"
out=$(TMPDIR="$T/not-a-directory" "$KAOHE" run --quiet --spill-after 1000 --evidence "$T/province.db" \
  --results "$T/noscratch.db" --out "$T/noscratch.xlsx" "${cards[@]}" 2>&1) && fail "unwritable scratch accepted" || ok
expect_contains "$out" "cannot make a scratch file for deductions" "unwritable TMPDIR message"
[ ! -e "$T/noscratch.db" ] && [ ! -e "$T/noscratch.xlsx" ] && ok || fail "a run with no scratch space wrote output"

# Bad paths. The same county twice: refused, naming both, and nothing written.
cp "$T/shards/620011.db" "$T/dup.db"
out=$("$KAOHE" run --quiet --evidence "$T/shards" --evidence "$T/dup.db" --results "$T/bad.db" --out "$T/bad.xlsx" "${cards[@]}" 2>&1) && fail "duplicate shard accepted" || ok
expect_contains "$out" "both assess" "duplicate shard message"
expect_contains "$out" "dup.db" "duplicate shard message names the file"
[ ! -e "$T/bad.db" ] && [ ! -e "$T/bad.xlsx" ] && ok || fail "a refused run wrote output"
# --county-workbooks: each county's own full workbook (its forms, ranks within the county),
# the same, sheet for sheet, as the county's own run would write (运行信息 names the command)
"$KAOHE" run --quiet --evidence "$T/shards" -j 2 --county-workbooks "$T/counties" --results "$T/cw.db" "${cards[@]}"
expect_eq "620011.xlsx 620012.xlsx 620422.xlsx" "$(cd "$T/counties" && echo *)" "one workbook per county"
"$KAOHE" run --quiet --evidence "$T/shards/620012.db" --out "$T/own.xlsx" "${cards[@]}"
same_sheets "$T/own.xlsx" "$T/counties/620012.xlsx" >"$T/cw.txt"
expect_eq "True" "$(head -1 "$T/cw.txt" | cut -d' ' -f1)" "county workbook: the county's own sheets"
[ "$(head -1 "$T/cw.txt" | cut -d' ' -f2)" -gt 20 ] && ok || fail "county workbook has its forms: $(head -1 "$T/cw.txt")"
expect_eq "" "$(grep differs "$T/cw.txt" || true)" "county workbook = the county's own run's workbook"
# the one county merged alone (above) keeps its scores in memory for the full workbook: their
# evidence counts (整改台账's 备注 "证据N条") must be the county's own, cell for cell, not unset
"$PY" - "$T/own.xlsx" "$T/one.xlsx" >"$T/ledger1.txt" <<'EOF'
import sys, openpyxl
own, one = ([list(r) for r in openpyxl.load_workbook(p, read_only=True)["整改台账"].iter_rows(values_only=True)]
            for p in sys.argv[1:3])
print(len(own), sum("证据" in str(c) for r in own for c in r))
for i, (a, b) in enumerate(zip(own, one)):
    if a != b:
        print("row", i + 1, a, "vs", b)
        break
if len(own) != len(one):
    print("rows", len(own), "vs", len(one))
EOF
[ "$(head -1 "$T/ledger1.txt" | cut -d' ' -f2)" -gt 10 ] && ok || fail "one county's 整改台账 has evidence counts to compare: $(head -1 "$T/ledger1.txt")"
expect_eq "" "$(tail -n +2 "$T/ledger1.txt")" "整改台账 of one county merged = the county's own run's"
# a failed run leaves the county workbooks as they were
touch -d 2001-01-01 "$T/counties/620011.xlsx"
"$KAOHE" run --quiet --evidence "$T/shards" --evidence "$T/dup.db" --county-workbooks "$T/counties" "${cards[@]}" 2>/dev/null &&
  fail "duplicate shard accepted (county workbooks)" || ok
expect_eq "2001" "$(date -r "$T/counties/620011.xlsx" +%Y)" "a failed run does not replace county workbooks"
expect_eq "620011.xlsx 620012.xlsx 620422.xlsx" "$(cd "$T/counties" && echo *)" "and leaves nothing else there"
out=$("$KAOHE" run --quiet --evidence "$T/province.db" --county-workbooks "$T/x" "${cards[@]}" 2>&1) && fail "--county-workbooks on one database accepted" || ok
expect_contains "$out" "--county-workbooks needs the evidence as shards" "--county-workbooks without shards"
# parts of different runs: another period
# a 2019 run on 2018's evidence is refused unless intended (--allow-empty): intended here
"$KAOHE" run --quiet --period 2019 --allow-empty --evidence "$T/shards/620012.db" --results "$T/p2019.db" "${cards[@]}"
out=$("$KAOHE" merge --results "$T/bad.db" "$T/part-620011.db" "$T/p2019.db" 2>&1) && fail "mixed periods merged" || ok
expect_contains "$out" "p2019.db: its run differs from" "mixed periods message"
expect_contains "$out" "period ('2019' vs '2018')" "mixed periods message names both"
[ ! -e "$T/bad.db" ] && ok || fail "a refused merge wrote output"
# a scorecard edited after the parts were run
mkdir -p "$T/cards"
cp scorecards/*.lua "$T/cards/"
"$KAOHE" run --quiet --evidence "$T/shards/620012.db" --results "$T/pe.db" "$T"/cards/*.lua
echo "-- edited" >>"$T/cards/wudu_2018.lua"
out=$("$KAOHE" merge --results "$T/bad.db" "$T/pe.db" 2>&1) && fail "changed scorecard merged" || ok
expect_contains "$out" "wudu_2018.lua: changed since" "changed scorecard message"
out=$("$KAOHE" merge --results "$T/bad.db" "$T/missing.db" 2>&1) && fail "missing part merged" || ok
expect_contains "$out" "missing.db: cannot open results database" "missing part message"
rc=0
out=$("$KAOHE" merge --results "$T/merged.db" "$T/merged.db" 2>&1) || rc=$?
expect_eq 2 "$rc" "output = input is a usage error"
expect_contains "$out" "is both an input and the output" "output = input message"
out=$("$KAOHE" run --quiet --evidence "$T/shards" -j 0 "${cards[@]}" 2>&1) && fail "-j 0 accepted" || ok
expect_contains "$out" "-j 0: expected a number of workers" "-j 0 message"
mkdir -p "$T/empty"
out=$("$KAOHE" run --quiet --evidence "$T/empty" "${cards[@]}" 2>&1) && fail "empty directory accepted" || ok
expect_contains "$out" "no evidence databases (*.db) in this directory" "empty directory message"
# reproduce a merged run: the same parts run and merged again give the same results …
rc=0
out=$("$KAOHE" reproduce --results "$T/j2.db" 2>&1) || rc=$?
expect_eq 0 "$rc" "reproduce merged run: exit 0"
expect_contains "$out" "结果一致：$(sqlite3 "$T/j2.db" 'SELECT count(*) FROM score') 条评分、$(sqlite3 "$T/j2.db" 'SELECT count(*) FROM deduction') 条扣分记录与原运行完全相同" \
  "reproduce merged run: every score and deduction"
out=$("$KAOHE" reproduce --workbook "$T/j2.xlsx" 2>&1) && fail "summary workbook reproduced" || ok
expect_contains "$out" "a provincial summary workbook" "reproduce --workbook of a provincial summary"
# … and a changed shard is named, with the scores that moved
sqlite3 "$T/shards/620012.db" "UPDATE finding SET answer = '否' WHERE id = (SELECT min(id) FROM finding WHERE answer = '是' AND scorecard = 'huining-wudu-2018')"
rc=0
out=$("$KAOHE" reproduce --results "$T/j2.db" 2>&1) || rc=$?
expect_eq 3 "$rc" "reproduce after a shard changed: exit 3 (differs)"
expect_contains "$out" "证据库已改动：$T/shards/620012.db" "the changed shard is named"
expect_contains "$out" "结果不同" "and the results differ"
finish
