#!/usr/bin/env bash
# Scorecard queries that would run for minutes (issue 18 item 2), each refused in seconds with
# exit 1 and a message naming the scorecard, its line and item: an endless recursive CTE
# (stopped by the query's time limit, --time-limit, long before its 5×10¹⁰ steps), and printf
# with a huge width or precision, literal or from an argument (refused by the bounded printf of
# evidence/ev_printf.c; without it each row builds a 16 MB string and the run takes minutes).
# A query step that ignores the progress handler is ended by the item's watchdog (see below).
# An item whose query gives more deduction rows than --item-rows is refused (rows are spilled
# between items, so this bounds what one item holds in memory).
# The cards are the bundled deduction card with one query changed.
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
cd "$T"
card="$KAOHE_HOME/scorecards/post_assessment_deductions.lua"
change() { # new file, old text, new text
  "$PY" - "$card" "$1" "$2" "$3" <<'PY'
import sys
src, dst, old, new = sys.argv[1:]
s = open(src, encoding="utf-8").read()
assert old in s, old
open(dst, "w", encoding="utf-8").write(s.replace(old, new, 1))
PY
}
change cte.lua "WHERE a.one_stop = 0" \
  "WHERE a.one_stop = 0 AND (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n) > 0"
deposit="printf('%d.%02d', a.deposit_fen / 100, a.deposit_fen % 100)"
change width.lua "$deposit" "printf('%.*c', 2147483647, 'x')"
change width2.lua "$deposit" "format('%2147483647d', a.deposit_fen)"
# messages name the line of each item's rule: the first and second `rule = per_case {`
line1=$(grep -n 'rule = per_case' "$card" | sed -n 1p | cut -d: -f1)
line2=$(grep -n 'rule = per_case' "$card" | sed -n 2p | cut -d: -f1)

refused_run cte.lua "cte.lua:$line1: item 1: query stopped: it ran longer than its time limit of 2 s" --time-limit 2
refused_run cte.lua "cte.lua:$line1: item 1: query stopped: it ran longer than its time limit of 2 s" --time-limit 2 -j 2
# One SQLite step that never reaches the progress handler: instr() of a 2 MB needle ("a"×2,000,000
# then "b") in a 4 MB haystack of "a" compares the needle at each of ~2×10^6 positions, ~4×10^12
# byte comparisons inside one function call (minutes). The item's watchdog (core/item_watch.c)
# interrupts the connection at the time limit; the step ignores that too, so after the grace
# period (5 s) the watchdog ends the process naming the scorecard and the item, with nothing
# written. Without the watchdog the run goes on until the timeout.
a1000="printf('%.*c', 1000, 'a')"
hay="replace(replace($a1000, 'a', $a1000), 'a', 'aaaa')"
change instr.lua "WHERE a.one_stop = 0" "WHERE a.one_stop = 0 AND instr($hay, substr($hay, 1, 2000000) || 'b') >= 0"
STUCK="time limit of 2 s exceeded and the work did not stop within 5 s more; the process is ended (nothing was written)"
for jobs in 1 2; do
  rm -rf out && mkdir out
  refused_run instr.lua "instr.lua:$line1: item 1: $STUCK" --time-limit 2 -j $jobs --out out/r.xlsx --results out/r.db
  expect_eq "" "$(ls out)" "instr.lua -j $jobs: nothing written"
done
# A query whose temporary storage passes the ceiling on SQLite's memory (evidence/ev_temp.c:
# 2 GiB for the whole process, lowered here to 32 MiB by KAOHE_SQLITE_HEAP_LIMIT_MIB) fails naming
# the scorecard and item, and nothing is written: count(DISTINCT …) keeps 200,000 distinct values
# of ~1,000 bytes (~200 MB) in a temporary b-tree in memory. Under the full ceiling it runs.
change heap.lua "WHERE a.one_stop = 0" "WHERE a.one_stop = 0 AND (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 200000) SELECT count(DISTINCT printf('%.1000c', 'x') || i) FROM n) > 0"
rm -rf out && mkdir out
KAOHE_SQLITE_HEAP_LIMIT_MIB=32 refused_run heap.lua \
  "heap.lua:$line1: item 1: query stopped: its temporary storage (sorting, grouping) exceeded the limit of 32 MiB of SQLite memory" \
  --out out/r.xlsx --results out/r.db
expect_eq "" "$(ls out)" "heap.lua: nothing written"
"$KAOHE" run --evidence ev.db --results out/r.db heap.lua >/dev/null && ok || fail "heap.lua within 2 GiB"
WIDTH="SQL error while reading evidence: printf/format: a width or precision of 2147483647 is larger than 1000 (the most a scorecard query may ask for)"
refused_run width.lua "width.lua:$line2: item 2: $WIDTH"
refused_run width2.lua "width2.lua:$line2: item 2: $WIDTH"
# one item's deduction rows are bounded by --item-rows: item 2 gives 4 rows on the small fixture
# (2 cases, each charged to its township and its county: see results' deduction table); crossed
# with 1,001 numbers it gives 4,004 — over 4,003, within 4,004
"$PY" - "$card" rows.lua <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
i, j = s.index('no = "2"'), s.index('no = "3"')
item = s[i:j].replace("SELECT a.id AS key", "SELECT a.id || '-' || n.i AS key", 1).replace(
    "FROM admission a", "FROM admission a, (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
    "SELECT i + 1 FROM n LIMIT 1001) SELECT i FROM n) n", 1)
open(sys.argv[2], "w", encoding="utf-8").write(s[:i] + item + s[j:])
PY
refused_run rows.lua "rows.lua:$line2: item 2: the query gives more than 4003 deduction rows (1 more were dropped; --item-rows sets the bound): narrow the query to the cases" --item-rows 4003
"$KAOHE" run --evidence ev.db --item-rows 4004 rows.lua >/dev/null && ok || fail "rows.lua: 4,004 rows within 4,004"
# the bundled card itself, with its printf('%d.%02d', …), runs as before
"$KAOHE" run --evidence ev.db --time-limit 2 "$card" >/dev/null && ok || fail "the bundled card runs"
finish
