#!/usr/bin/env bash
# Shared sets (language v2 item 6) through the CLI: the --print-sql script makes the sets
# first and runs in the sqlite3 shell on read-only evidence; -j 2 (item workers attaching the
# published sets) gives what -j 1 gives; reproduce names a changed shared file. Values are
# worked out in tests/spec/sets_spec.lua.
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
mkdir -p "$T/cards/shared"
cp "$KAOHE_HOME/docs/examples/shared_sets.lua" "$T/cards/"
cp "$KAOHE_HOME/docs/examples/shared/health_sets.lua" "$T/cards/shared/"
cd "$T/cards"

"$KAOHE" check --evidence "$T/ev.db" --print-sql shared_sets.lua >"$T/floor.sql"
expect_eq 3 "$(grep -c '^CREATE TABLE sets\.' "$T/floor.sql")" "--print-sql: one CREATE per set"
first_set=$(grep -n '^CREATE TABLE sets\.' "$T/floor.sql" | head -1 | cut -d: -f1)
first_item=$(grep -n '^-- item 1$' "$T/floor.sql" | cut -d: -f1)
expect_eq 1 "$((first_set < first_item))" "--print-sql: the sets come before the items"
# items 1 and 2 over the whole county: A1, A2 (item 1); A2, A4 (item 2)
rows=$(sqlite3 -readonly "$T/ev.db" <"$T/floor.sql" | wc -l)
expect_eq 4 "$rows" "--print-sql: the shell finds the rows the engine deducts"

for j in 1 2; do
  "$KAOHE" run --quiet --evidence "$T/ev.db" --period 2018 -j $j --results "$T/r$j.db" shared_sets.lua
done
q() { sqlite3 "$1" "SELECT subject_kind, subject_id, item, points_x100, status, reason FROM score
  ORDER BY 1, 2, 3; SELECT subject_kind, subject_id, item, evidence_key, reason FROM deduction
  ORDER BY 1, 2, 3, 4"; }
expect_eq "$(q "$T/r1.db")" "$(q "$T/r2.db")" "-j 2 gives what -j 1 gives"
expect_eq 4 "$(sqlite3 "$T/r2.db" "SELECT count(*) FROM deduction WHERE subject_kind = 'county'")" \
  "-j 2: the county's deductions"
expect_eq "admission_in_county|shared/health_sets.lua|6
deposit_taken|shared_sets.lua|3
poor_person|shared/health_sets.lua|2" \
  "$(sqlite3 "$T/r1.db" 'SELECT name, file, rows FROM run_set ORDER BY name')" "run_set rows"
expect_eq "$(sha256sum shared/health_sets.lua | cut -d' ' -f1)" \
  "$(sqlite3 "$T/r1.db" "SELECT sha256 FROM run_set WHERE name = 'poor_person'")" "shared file hash"

out=$("$KAOHE" reproduce --results "$T/r1.db")
expect_contains "$out" "结果一致" "reproduce: unchanged"
echo "-- edited" >>shared/health_sets.lua
out=$("$KAOHE" reproduce --results "$T/r1.db")
expect_contains "$out" "共享集合文件已改动：shared/health_sets.lua（admission_in_county、poor_person）" \
  "reproduce names the changed shared file and its sets"
finish
