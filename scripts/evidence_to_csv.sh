#!/usr/bin/env bash
# Writes every evidence table of DB as DIR/<table>.csv, the way a source system would export it
# (column names as headers, amounts in 元 with two decimals), and prints the tables in the order
# they must be imported (parents first). Used to build the bundled evidence through
# `kaohe import` and to test the round trip.
#   scripts/evidence_to_csv.sh DB DIR
set -euo pipefail
db=$1
dir=$2
mkdir -p "$dir"
for t in $(sqlite3 "$db" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT IN ('import_log', 'finding_removed') ORDER BY rowid"); do
  cols=$(sqlite3 "$db" "SELECT group_concat(CASE WHEN name LIKE '%\_fen' ESCAPE '\\'
      THEN printf('printf(''%%d.%%02d'', %s / 100, %s %% 100) AS %s', name, name, name) ELSE name END, ', ')
    FROM pragma_table_info('$t')")
  sqlite3 -csv -header "$db" "SELECT $cols FROM $t ORDER BY rowid" >"$dir/$t.csv"
  # an empty table still gets its header row (the shell prints none when there are no rows)
  [ -s "$dir/$t.csv" ] || sqlite3 "$db" "SELECT group_concat(name, ',') FROM pragma_table_info('$t')" >"$dir/$t.csv"
  echo "$t"
done
