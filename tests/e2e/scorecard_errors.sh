#!/usr/bin/env bash
# Every error names its scorecard, and its line where one is known (issue 18 item 5): an error
# object that is nil or a table (whose __tostring loops: it is not called), a C stack overflow
# from deeply nested source, a file over 16 MiB, and a declaration of more items than a
# scorecard may hold (1000: refused in one line, not converted and reported item by item).
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
cd "$T"
card="$KAOHE_HOME/scorecards/post_assessment_deductions.lua"

echo 'error(nil)' >nil.lua
printf 'local t = setmetatable({}, {__tostring = function(s) while true do end end})\nerror(t)\n' >loop.lua
"$PY" -c "print('local x = ' + '{' * 300 + '}' * 300)" >deep.lua
head -c $((16 * 1024 * 1024 + 1)) /dev/zero | tr '\0' ' ' >huge.lua
"$PY" - "$card" many.lua <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
at = s.index("  item {")
item = ('  item { no = "%d", text = "x", rule = per_case { each = 0.1, evidence = "person", '
        'cases = [[SELECT p.id AS key, NULL AS county, NULL AS township FROM person p WHERE 0]], '
        'reason = "x" } },\n')
extra = "".join(item % (100 + i) for i in range(1001))
open(sys.argv[2], "w", encoding="utf-8").write(s[:at] + extra + s[at:])
PY

refused_run nil.lua "nil.lua:1: (error object is a nil value)"
refused_run loop.lua "loop.lua:2: (error object is a table value)"
refused_run deep.lua "deep.lua: C stack overflow"
refused_run huge.lua "huge.lua: larger than 16 MiB (a scorecard is a text of a few hundred lines)"
# the bundled card's 4 items and 1001 more
refused_run many.lua "many.lua: declares 1005 items, more than the 1000 a scorecard may hold"
finish
