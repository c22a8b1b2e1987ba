#!/usr/bin/env bash
# Evidence whose tables are not the schema's, or whose file changes under a run (issue 18 item
# 3). A missing column and a column of another type are refused when the file is opened, naming
# the file, the table and the column (before: "listing village subjects: SQL error: no such
# column: v.name", without the file). A file truncated before the run, or by another program
# while a query reads it, is an error naming the file, exit 1, never SIGBUS (the evidence is
# read through pread, not mmap: evidence/evidence.c says why).
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
cd "$T"
card="$KAOHE_HOME/scorecards/post_assessment_deductions.lua"
SCHEMA="fixtures/evidence-schema.sql"

cp ev.db nocol.db
sqlite3 nocol.db "ALTER TABLE village DROP COLUMN name"
cp ev.db retyped.db
sqlite3 retyped.db "CREATE TABLE v2 (id TEXT PRIMARY KEY, township_id TEXT NOT NULL, name ANY,
  key_village INTEGER NOT NULL DEFAULT 0) STRICT; INSERT INTO v2 SELECT * FROM village;
  DROP TABLE village; ALTER TABLE v2 RENAME TO village"

refused() { # name, expected message, command...
  local name=$1 expect=$2 rc=0
  shift 2
  local sum
  sum=$(sha256sum <"$name.db")
  timeout 60 "$@" >out.txt 2>err.txt || rc=$?
  expect_eq 1 "$rc" "$name ($1 $2): exit code"
  expect_eq "kaohe: error: $expect" "$(cat err.txt)" "$name ($1 $2): message"
  expect_eq "$sum" "$(sha256sum <"$name.db")" "$name: file unchanged"
}
for cmd in run hash; do
  refused nocol "nocol.db: evidence table village has no column name (TEXT), which the evidence schema ($SCHEMA) defines; rebuild the evidence with kaohe import" \
    "$KAOHE" $cmd --evidence nocol.db $([ $cmd = run ] && echo "$card")
  refused retyped "retyped.db: evidence column village.name is declared ANY; the evidence schema ($SCHEMA) declares it TEXT" \
    "$KAOHE" $cmd --evidence retyped.db $([ $cmd = run ] && echo "$card")
done

# truncated before the run: the first page (the schema) is whole, the tables are not
cp ev.db cut.db
truncate -s 16384 cut.db
rc=0
"$KAOHE" run --evidence cut.db "$card" >out.txt 2>err.txt || rc=$?
expect_eq 1 "$rc" "truncated: exit code"
expect_contains "$(cat err.txt)" "cut.db" "truncated: the file is named"
expect_contains "$(cat err.txt)" "malformed" "truncated: what is wrong"

# truncated while a query reads it: item 1 counts a 5,000,000-row join first (seconds), and the
# file is emptied meanwhile. Evidence is read through mmap, so the read past the new end is a
# SIGBUS: reported naming the file, exit 1 (without ev_sigbus.c's handler: killed, exit 135).
"$PY" - "$card" slow.lua <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
old = "WHERE a.one_stop = 0"
assert old in s
s = s.replace(old, old + " AND (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
              " LIMIT 5000000) SELECT count(*) FROM n, person q WHERE q.name <> '') > 0", 1)
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
cp ev.db moving.db
rc=0
"$KAOHE" run --evidence moving.db slow.lua >out.txt 2>err.txt &
pid=$!
sleep 1.5
truncate -s 0 moving.db
wait $pid || rc=$?
expect_eq 1 "$rc" "truncated during the run: exit code (135 would be SIGBUS)"
expect_eq "kaohe: error: moving.db: the evidence file was truncated or changed by another program during the run (a read past its new end through its memory mapping); nothing was written" \
  "$(cat err.txt)" "truncated during the run: message"
# the ordinary file still runs
"$KAOHE" run --evidence ev.db "$card" >/dev/null && ok || fail "the ordinary evidence runs"
finish
