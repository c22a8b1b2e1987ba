#!/usr/bin/env bash
# Evidence files that would run their author's code (issue 18, item 3): a view in place of a
# table (here: village over an endless recursive CTE), a trigger (on township, deleting every
# person, which fired during `kaohe import`), a generated column (printf with a huge width, which
# the content hash computed for any scorecard). Each is refused before the first query, by run,
# hash and import alike: exit 1, the exact message naming the file and the object, the file
# unchanged. The hostile files are made here from the small fixture.
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
cd "$T"
card="$KAOHE_HOME/scorecards/post_assessment_deductions.lua"
GUARD="evidence may hold ordinary tables only (no view, virtual table or trigger: each would run the file author's code when the evidence is read or written)"

hostile() { # name, SQL that makes the file hostile
  cp ev.db "$1.db"
  sqlite3 "$1.db" "$2"
}
hostile view "ALTER TABLE village RENAME TO village_data;
  CREATE VIEW village AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
  SELECT v.* FROM village_data v, n"
hostile trigger "CREATE TRIGGER wipe AFTER INSERT ON township BEGIN DELETE FROM person; END"
hostile generated "ALTER TABLE county ADD COLUMN pad TEXT GENERATED ALWAYS AS (printf('%.*c', 2147483647, 'x')) VIRTUAL"

refused() { # name, expected message after "kaohe: error: NAME.db: ", command...
  local name=$1 expect=$2
  shift 2
  local sum rc=0
  sum=$(sha256sum <"$name.db")
  # CPU seconds, not wall-clock (a loaded machine); the timeout ends a hang without the guard
  { TIMEFORMAT='%0U+%0S' && time timeout 60 "$@" >out.txt 2>err.txt; } 2>cpu.txt || rc=$?
  expect_eq 1 "$rc" "$name ($1): exit code"
  expect_eq "kaohe: error: $name.db: $expect" "$(cat err.txt)" "$name ($1): message"
  expect_eq 1 "$(($(cat cpu.txt) < 10))" "$name ($1): refused in seconds of CPU ($(cat cpu.txt))"
  expect_eq "$sum" "$(sha256sum <"$name.db")" "$name ($1): evidence file unchanged"
}
for name in view trigger generated; do
  case $name in
  view) why="evidence holds a view 'village'; $GUARD" ;;
  trigger) why="evidence holds a trigger 'wipe'; $GUARD" ;;
  generated) why="evidence table county has a generated column pad; evidence columns must hold values, not compute them" ;;
  esac
  refused $name "$why" "$KAOHE" run --evidence $name.db "$card"
  refused $name "$why" "$KAOHE" hash --evidence $name.db
done
# the trigger would have deleted every person when a township was imported
printf 'id,county_id,name\nT9,%s,新乡\n' "$(sqlite3 ev.db 'SELECT id FROM county LIMIT 1')" >township.csv
persons=$(sqlite3 trigger.db 'SELECT count(*) FROM person')
refused trigger "evidence holds a trigger 'wipe'; $GUARD" "$KAOHE" import --evidence trigger.db township.csv
expect_eq "$persons" "$(sqlite3 trigger.db 'SELECT count(*) FROM person')" "trigger: no person deleted"
# the untouched file still runs
"$KAOHE" run --evidence ev.db "$card" >/dev/null && ok || fail "the ordinary evidence runs"
finish
