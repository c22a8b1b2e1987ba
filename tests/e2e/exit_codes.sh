#!/usr/bin/env bash
# Exit codes, the same for every command (README.md, `kaohe help`): 0 success, 1 the run or
# check failed, 2 usage error, 3 differences found (reproduce, diff). Each code is asserted for
# several commands with the exact first line on stderr, and where a command failed, that nothing
# was written.
source "$(dirname "$0")/lib.bash"
SC=$KAOHE_HOME/scorecards/post_assessment_deductions.lua
cd "$T"

# code ARGS...: runs kaohe; exit code in $rc, first stderr line in $e1, stderr lines in $nerr
code() {
  rc=0
  "$KAOHE" "$@" >out.txt 2>err.txt || rc=$?
  e1=$(head -1 err.txt)
  nerr=$(wc -l <err.txt)
}
# expect RC FIRST_STDERR_LINE WHAT ARGS...
expect() {
  local want=$1 msg=$2 what=$3
  shift 3
  code "$@"
  expect_eq "$want|$msg" "$rc|$e1" "$what"
}

# The small fixture (fixtures/small/post_assessment.sql): run 1, then A4's deposit refunded and
# run 2. Between them only 乙乡 (T2) item 2 changes (rectified; the county keeps A2 for its item
# 2), so diff 1 2 finds a difference and reproduce of run 1 on the changed evidence differs.
small_evidence ev.db
"$KAOHE" run --evidence ev.db --results r.db "$SC" >/dev/null
sqlite3 ev.db "UPDATE admission SET deposit_fen = 0 WHERE id = 'A4'"
"$KAOHE" run --evidence ev.db --results r.db "$SC" >/dev/null

# 0: success
expect 0 "" "version" version
expect 0 "" "help" help
expect 0 "" "help run" help run
expect 0 "" "hash" hash --evidence ev.db
expect 0 "" "check" check --evidence ev.db "$SC"
expect 0 "" "reproduce of the latest run on the same evidence" reproduce --results r.db
expect 0 "" "explain" explain --results r.db --subject T2
expect 0 "" "diff of a run with itself: nothing rectified, nothing new" diff --results r.db 2 2
expect_eq "回头看：运行 2 → 2：已整改（已销号）0 项，仍存在 7 项，新发现 0 项" "$(head -1 out.txt)" \
  "… and only persisting problems (county 1-4, 甲镇 1 2, 乙乡 3)"
code help
expect_contains "$(cat out.txt)" "  3  differences found: reproduce's results differ" "help lists the exit codes"

# 1: the run or check failed
expect 1 "kaohe: error: nope.db: cannot open evidence database: No such file or directory" \
  "run on missing evidence" run --evidence nope.db --out n.xlsx --results n.db "$SC"
expect_eq "1 " "$nerr $(ls n.xlsx n.db 2>/dev/null)" "… one message, and nothing written"
expect 1 "kaohe: error: nope.db: cannot open evidence database: No such file or directory" \
  "hash of missing evidence" hash --evidence nope.db
echo 'return 1' >bad.lua
expect 1 "kaohe: error: bad.lua: does not return a scorecard (the file must end with \`return scorecard { ... }\`)" \
  "check of a file that is no scorecard" check bad.lua
expect 1 "kaohe: error: nope.db: no such results database" "reproduce of a missing results database" \
  reproduce --results nope.db
expect 1 "kaohe: error: r.db: run 2 has no subject ZZ" "explain of an unknown subject" \
  explain --results r.db --subject ZZ
expect 1 "kaohe: error: r.db: no run 3 (see: kaohe runs --results r.db)" \
  "diff with a run that does not exist" diff --results r.db 1 3
printf 'a,b\n1,2\n' >zz.csv
expect 1 "kaohe: error: zz.csv: no evidence table named 'zz' (name the file after its table, e.g. admission.csv, or give --table)" \
  "import of a file no table is named after" import --evidence ev.db zz.csv
expect 1 "kaohe: error: ev.db: already exists (kaohe schema creates a new evidence database)" \
  "schema over an existing database" schema --evidence ev.db

# 2: usage errors; the message, then the command's usage
expect 2 "kaohe: error: unknown command 'bogus' (try 'kaohe help')" "unknown command" bogus
# the short help goes to stderr, so that a script that forgot its argument reads nothing
expect 2 "usage: kaohe COMMAND [ARGS]" "no command at all (the help is printed)"
expect_eq "" "$(cat out.txt)" "… and nothing on stdout"
expect 2 "kaohe: error: run: unknown option '--bogus'" "run: unknown option" run --bogus "$SC"
expect_eq "usage: kaohe run --evidence DB|DIR... [-j N] [--period P]" \
  "$(sed -n 2p err.txt)" "… followed by run's usage"
expect 2 "kaohe: error: -j 0: expected a number of workers (1 to 256)" "run -j 0" run -j 0 "$SC"
expect 2 "kaohe: error: --period needs a value" "run: option without its value" run "$SC" --period
expect 2 "kaohe: error: check: no scorecard given" "check without a scorecard" check
expect 2 "kaohe: error: --run 0: expected a run number" "reproduce --run 0" reproduce --results r.db --run 0
expect 2 "kaohe: error: reproduce: give --results DB (with --run N) or --workbook FILE.xlsx" \
  "reproduce with neither source" reproduce
expect 2 "kaohe: error: explain: --results DB and --subject ID are required" "explain without --subject" \
  explain --results r.db
expect 2 "kaohe: error: diff: give two run numbers, RUN_A (before) and RUN_B (after)" \
  "diff with one run" diff --results r.db 1
expect 2 "kaohe: error: diff: --results DB is required (the database holding both runs)" \
  "diff without --results" diff 1 2
expect 2 "kaohe: error: --run x: expected a run number" "diff with a run that is no number" \
  diff --results r.db 1 x
expect 2 "kaohe: error: sample: --seed N is required (anyone can redraw the sample from it)" \
  "sample without --seed" sample --evidence ev.db
expect 2 "kaohe: error: import: --evidence DB is required (the database to import into)" \
  "import without --evidence" import zz.csv
expect 2 "kaohe: error: merge: --results OUT.db is required (the merged run is written there)" \
  "merge without --results" merge r.db
expect 2 "kaohe: error: hash: unknown option '--x'" "hash: unknown option" hash --x
# hash names its evidence as run does: the bundled demo database is never hashed silently
unset KAOHE_EVIDENCE
expect 2 "kaohe: error: hash: no evidence given: --evidence DB (or KAOHE_EVIDENCE) is required" \
  "hash without --evidence" hash
expect_eq "2|usage: kaohe hash --evidence DB|" "$nerr|$(tail -1 err.txt)|$(cat out.txt)" \
  "… the message and the usage line, no hash printed"
expect_eq "$("$KAOHE" hash --evidence ev.db)" "$(KAOHE_EVIDENCE=ev.db "$KAOHE" hash)" \
  "KAOHE_EVIDENCE names the database as --evidence does"
expect 2 "kaohe: error: version: unknown argument 'x'" "version with an argument" version x
expect 2 "kaohe: error: help: unknown command 'zz' (try 'kaohe help')" "help of an unknown command" help zz
expect 2 "kaohe: error: help: unknown argument 'x'" "help with two arguments" help run x
expect_eq "" "$(ls n.xlsx n.db 2>/dev/null)" "nothing was written by any of these"

# 3: differences found. Run 1 had A4's deposit (乙乡 item 2, the county's item 2); reproduced on
# the changed evidence both lose it: 2 scores and 2 deduction rows differ.
expect 3 "" "reproduce of run 1 on changed evidence" reproduce --results r.db --run 1
expect_eq "结果不同：2 项得分、2 项扣分证据与原运行不同" "$(tail -1 out.txt)" "… what differs"
expect 3 "" "diff 1 → 2: one problem rectified" diff --results r.db 1 2
expect_eq "回头看：运行 1 → 2：已整改（已销号）1 项，仍存在 7 项，新发现 0 项" "$(head -1 out.txt)" \
  "… 乙乡 item 2 rectified, the other 7 persisting"
expect 3 "" "diff 2 → 1: the same problem new" diff --results r.db 2 1
expect_eq "回头看：运行 2 → 1：已整改（已销号）0 项，仍存在 7 项，新发现 1 项" "$(head -1 out.txt)" \
  "… seen backwards, it is new"
finish
