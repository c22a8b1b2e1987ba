#!/usr/bin/env bash
# Bad input to `kaohe run`: each gives exit code 1 and ONE line on stderr naming the file (and
# line where there is one), writes no workbook, keeps the previous workbook and results intact,
# and never changes the evidence database.
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
ev_sum=$(sha256sum <"$T/ev.db")
cd "$T"
echo previous >r.xlsx
"$KAOHE" run --evidence ev.db --results r.db "$KAOHE_HOME/scorecards/post_assessment_deductions.lua" >/dev/null
runs_before=$(sqlite3 r.db 'SELECT count(*) FROM run')

card() { # name, then the text on stdin
  cat >"$1"
}
# expect_failure NAME EXPECTED-STDERR-LINE-PREFIX ARGS...
expect_failure() {
  local what=$1 expect=$2
  shift 2
  local rc=0
  "$KAOHE" run --evidence ev.db --out r.xlsx --results r.db "$@" >out.txt 2>err.txt || rc=$?
  expect_eq 1 "$rc" "$what: exit code"
  expect_eq 1 "$(wc -l <err.txt)" "$what: one line on stderr"
  expect_contains "$(cat err.txt)" "$expect" "$what: message"
  expect_eq previous "$(cat r.xlsx)" "$what: previous workbook intact"
  expect_eq "" "$(ls | grep -F .tmp- || true)" "$what: no temporary file left"
  expect_eq "$runs_before" "$(sqlite3 r.db 'SELECT count(*) FROM run')" "$what: no partial run"
  expect_eq "$ev_sum" "$(sha256sum <ev.db)" "$what: evidence unchanged"
}

expect_failure "missing scorecard" "kaohe: error: nosuch.lua: cannot open: No such file or directory" nosuch.lua

card syntax.lua <<'LUA'
return scorecard {
  id = "x", title = "x",
  item { no = "1" text = "x" },
}
LUA
expect_failure "syntax error" "kaohe: error: syntax.lua:3: '}' expected near 'text'" syntax.lua

card loop.lua <<'LUA'
local n = 0
while true do n = n + 1 end
LUA
expect_failure "endless loop" "kaohe: error: loop.lua:2: instruction budget exceeded (limit 1000000 instructions)" \
  --instruction-limit 1000000 loop.lua

card bomb.lua <<'LUA'
local t = {}
for i = 1, 1e9 do t[i] = ("x"):rep(100) .. i end
LUA
expect_failure "memory bomb" "kaohe: error: bomb.lua: memory limit exceeded (limit 16 MiB)" --memory-limit 16 bomb.lua

card write.lua <<'LUA'
return scorecard {
  id = "w", title = "写证据", mode = "deduction", subjects = { "county" }, period = "2018",
  item { no = "1", text = "x",
    rule = per_case { each = 0.2, evidence = "admission",
      cases = "DELETE FROM admission RETURNING id AS key, 'C1' AS county" } },
}
LUA
expect_failure "write to evidence" "kaohe: error: write.lua:4: item 1: evidence is read-only" write.lua

card global.lua <<'LUA'
return scorecard {
  id = "g", title = "x", mode = "deduction", subjects = { "county" },
  item { no = "1", text = "x", rule = per_cas { each = 0.2 } },
}
LUA
expect_failure "undeclared global (a typo)" "kaohe: error: global.lua:3: undeclared global 'per_cas'" global.lua

# a precompiled chunk (what luac writes) is refused before Lua reads it
printf '\033LuaT\000\031\223\r\n\032\n' >binary.lua
expect_failure "bytecode scorecard" "kaohe: error: binary.lua: is a precompiled (binary) chunk; scorecards must be Lua text" binary.lua

expect_failure "missing evidence" "kaohe: error: /nonexistent/ev.db: cannot open evidence database" \
  --evidence /nonexistent/ev.db "$KAOHE_HOME/scorecards/post_assessment_deductions.lua"

expect_failure "bad period" "kaohe: error: --period 18: the assessment period must be a year" \
  --period 18 "$KAOHE_HOME/scorecards/post_assessment_deductions.lua"

# every date the CLI takes goes through the one date parser (import's): 31 February is no date
expect_failure "impossible deadline" "kaohe: error: --deadline 2019-02-31: expected a date such as 2019-03-31" \
  --deadline 2019-02-31 "$KAOHE_HOME/scorecards/post_assessment_deductions.lua"
rc=0
"$KAOHE" merge --results merged.db --out merged.xlsx --deadline nonsense r.db >out.txt 2>err.txt || rc=$?
expect_eq "1 kaohe: error: --deadline nonsense: expected a date such as 2019-03-31" "$rc $(cat err.txt)" \
  "merge: a deadline that is no date"
expect_eq "" "$(ls merged.* 2>/dev/null || true)" "merge: nothing written"
# … and a date written another way is the same date, written YYYY-MM-DD in the ledger
"$KAOHE" run --evidence ev.db --out d.xlsx --deadline 2019/6/30 "$KAOHE_HOME/scorecards/post_assessment_deductions.lua" >/dev/null
expect_eq "2019-06-30" "$("$PY" -c 'import openpyxl, sys; print(openpyxl.load_workbook(sys.argv[1])["整改台账"]["G3"].value)' d.xlsx)" \
  "a deadline typed 2019/6/30 is 2019-06-30"
rm -f d.xlsx

# usage errors exit 2
rc=0
"$KAOHE" run --nosuch x.lua 2>err.txt || rc=$?
expect_eq 2 "$rc" "unknown option exits 2"
expect_contains "$(head -1 err.txt)" "kaohe: error: run: unknown option '--nosuch'" "unknown option message"
rc=0
"$KAOHE" frobnicate 2>err.txt || rc=$?
expect_eq 2 "$rc" "unknown command exits 2"

# an output path that cannot be written: no workbook, no partial run
rc=0
"$KAOHE" run --evidence ev.db --out /nonexistent/dir/r.xlsx --results r.db \
  "$KAOHE_HOME/scorecards/post_assessment_deductions.lua" >/dev/null 2>err.txt || rc=$?
expect_eq 1 "$rc" "unwritable workbook path exits 1"
expect_contains "$(cat err.txt)" "/nonexistent/dir/r.xlsx" "unwritable workbook path named"
expect_eq "$runs_before" "$(sqlite3 r.db 'SELECT count(*) FROM run')" "unwritable workbook: no run recorded"
finish
