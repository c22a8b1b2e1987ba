#!/usr/bin/env bash
# `kaohe check` from the command line: without --evidence (and KAOHE_EVIDENCE unset) it checks
# against the bundled schema in memory, so it works where build/evidence/huining.db was never
# built — here a fresh KAOHE_HOME holding only scripts/ and fixtures/. Its first line says what
# it checked against; every problem of every file is one line on stderr naming file, line of the
# query, item, rule and fix; exit codes 0 (all pass), 1 (problems), 2 (usage).
source "$(dirname "$0")/lib.bash"
SRC=$KAOHE_HOME
H=$T/home
mkdir -p "$H"
cp -r "$SRC/scripts" "$SRC/fixtures" "$H/"
export KAOHE_HOME=$H
unset KAOHE_EVIDENCE
cd "$T"

# run_check ARGS...: exit code in $rc, stdout in out.txt, stderr in err.txt
run_check() {
  rc=0
  "$KAOHE" check "$@" >out.txt 2>err.txt || rc=$?
}

# every bundled scorecard and the example, against the schema alone
run_check "$SRC"/scorecards/*.lua "$SRC/docs/examples/check.lua"
expect_eq 0 "$rc" "bundled scorecards: exit code"
expect_eq "kaohe: 对照证据库结构（内置 fixtures/evidence-schema.sql）检查 10 张考核表
$SRC/scorecards/bazhua_cadre_2018.lua: ok
$SRC/scorecards/cunweishi_2018.lua: ok
$SRC/scorecards/cunweishi_village_2018.lua: ok
$SRC/scorecards/post_assessment_deductions.lua: ok
$SRC/scorecards/qianyue_2018.lua: ok
$SRC/scorecards/wudu_2018.lua: ok
$SRC/scorecards/xuanchuan_2018.lua: ok
$SRC/scorecards/yibao_2018.lua: ok
$SRC/scorecards/zhenggai_2018.lua: ok
$SRC/docs/examples/check.lua: ok" "$(cat out.txt)" "bundled scorecards: what was checked against, and ok"
expect_eq "" "$(cat err.txt)" "bundled scorecards: nothing on stderr"
expect_eq "fixtures scripts" "$(ls "$H" | tr '\n' ' ' | sed 's/ $//')" "no evidence was built in KAOHE_HOME"

# one file with a mistake of each kind; a second file with one more: all reported at once
cat >bad.lua <<'LUA'
return scorecard { id = "bad", title = "测试", mode = "deduction", subjects = { "county", "township" },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "admission",
    cases = "SELECT id AS kye, 'C1' AS county FROM admission", reason = "{nmae}住院" } },
  item { no = "2", text = "x", rule = deduct_if { deduct = 1,
    sql = [[SELECT id AS county, 1 AS lost FROM county]],
    evidence = { table = "admission",
      sql = [[SELECT id AS key FROM admission]] } } },
  item { no = "3", text = "x", rule = deduct_if { deduct = 1,
    sql = [[SELECT id AS county, 1 AS failed FROM county WHERE id = :county]] } },
}
LUA
cat >rate.lua <<'LUA'
return scorecard { id = "rate", title = "测试", total = 4, subjects = { "village" },
  item { no = "1", points = 4, text = "x",
    rule = rate_at_least { threshold = 0.9,
      sql = [[SELECT id AS village, 1 AS num FROM village]] } },
}
LUA
run_check bad.lua rate.lua
expect_eq 1 "$rc" "mistakes: exit code"
expect_eq "kaohe: 对照证据库结构（内置 fixtures/evidence-schema.sql）检查 2 张考核表" "$(cat out.txt)" \
  "mistakes: what was checked against"
expect_eq "kaohe: error: bad.lua:2: item 1: per_case: the query returns no column 'key' (return the id of the admission row behind each case AS key; is 'kye' a typo?)
kaohe: error: bad.lua:2: item 1: per_case: reason uses {nmae}, but the query returns no column 'nmae' (return it AS nmae, or take the placeholder out)
kaohe: error: bad.lua:4: item 2: deduct_if: the query returns no column 'failed' or 'passed' (return 1 AS failed where the subject loses the points)
kaohe: error: bad.lua:7: item 2: deduct_if: evidence.sql returns no subject column 'county' (return the id of the county each row is about AS county)
kaohe: error: bad.lua:8: item 3: SQL uses unknown parameter :county (known: :period, :period_start, :period_end, :year, :item_from, :item_until, :item_by)
kaohe: error: rate.lua:3: item 1: rate_at_least: the query returns no column 'den' (return the count of all who should meet it AS den)" \
  "$(cat err.txt)" "mistakes: one line each, file, line, item, rule, fix"

# a Lua syntax error names the item it is probably in
cat >syntax.lua <<'LUA'
return scorecard { id = "syn", title = "测试", mode = "deduction", subjects = { "county" },
  item { no = "1", text = "x", rule = per_case { each = 0.2, evidence = "admission",
    cases = "SELECT id AS key, 'C1' AS county FROM admission" } },
  item { no = "2", text = "x", rule = per_case { each = 0.2, evidence = "admission"
    cases = "SELECT id AS key, 'C1' AS county FROM admission" } },
}
LUA
run_check syntax.lua
expect_eq 1 "$rc" "syntax error: exit code"
expect_eq "kaohe: error: syntax.lua:5: '}' expected (to close '{' at line 4) near 'cases' (in item 2?)" \
  "$(cat err.txt)" "syntax error: the item named"

# --evidence, or KAOHE_EVIDENCE, names the database checked against
small_evidence ev.db
run_check --evidence ev.db "$SRC/scorecards/post_assessment_deductions.lua"
expect_eq 0 "$rc" "--evidence: exit code"
expect_eq "kaohe: 对照证据库 ev.db 检查 1 张考核表" "$(head -1 out.txt)" "--evidence: named"
KAOHE_EVIDENCE=ev.db run_check "$SRC/scorecards/post_assessment_deductions.lua"
expect_eq 0 "$rc" "KAOHE_EVIDENCE: exit code"
expect_eq "kaohe: 对照证据库 ev.db 检查 1 张考核表" "$(head -1 out.txt)" "KAOHE_EVIDENCE: named"
run_check --evidence nosuch.db "$SRC/scorecards/post_assessment_deductions.lua"
expect_eq 1 "$rc" "missing evidence: exit code"
expect_eq "kaohe: error: nosuch.db: cannot open evidence database: No such file or directory" \
  "$(cat err.txt)" "missing evidence: message"

# without the bundled schema there is nothing to check against: said so, not a crash
rm "$H/fixtures/evidence-schema.sql"
run_check "$SRC/scorecards/post_assessment_deductions.lua"
expect_eq 1 "$rc" "no schema: exit code"
expect_eq "kaohe: error: $H/fixtures/evidence-schema.sql: cannot read the evidence schema: No such file or directory" \
  "$(cat err.txt)" "no schema: message"

# usage
run_check
expect_eq 2 "$rc" "no scorecard: exit code"
expect_contains "$(cat err.txt)" "kaohe: error: check: no scorecard given" "no scorecard: message"
finish
