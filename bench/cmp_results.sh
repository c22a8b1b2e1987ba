#!/usr/bin/env bash
# bench/cmp_results.sh A.db B.db — shows that a change in how results are computed (a card's
# SQL, the engine) left them as they were. A and B are results databases of one run each
# (run both binaries and card sets on the same evidence with `-j 1 --results`). Compares, row
# by row in insertion (rowid) order and every column but run_id, the tables a reader sees:
# item, subject, score, deduction (with evidence_rows), result, accountability; and each shared
# set's name and row count (run_set; its sha256 is the card file's, which any edit changes).
# A table neither database has (a run without the 包抓 card writes no accountability) is
# skipped and said so. Prints IDENTICAL or the first differences per table; exit 0 only when
# identical.
set -euo pipefail
a=$1 b=$2
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
has() { [ "$(sqlite3 "$1" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '$2'")" = 1 ]; }
st=0
for t in item subject score deduction result accountability run_set; do
  if ! has "$a" "$t" && ! has "$b" "$t"; then
    echo "neither has: $t"
    continue
  fi
  cols=$(sqlite3 "$a" "SELECT group_concat(quote(name), ',') FROM pragma_table_info('$t') WHERE name <> 'run_id'" | tr "'" '"')
  [ "$t" = run_set ] && cols='name, rows'
  sqlite3 -separator $'\t' "$a" "SELECT $cols FROM $t ORDER BY rowid" >"$w/a"
  sqlite3 -separator $'\t' "$b" "SELECT $cols FROM $t ORDER BY rowid" >"$w/b"
  if cmp -s "$w/a" "$w/b"; then
    echo "same: $t ($(wc -l <"$w/a") rows)"
  else
    echo "DIFFER: $t ($(wc -l <"$w/a") vs $(wc -l <"$w/b") rows)"
    diff "$w/a" "$w/b" | head -8 || true
    st=1
  fi
done
[ $st = 0 ] && echo IDENTICAL
exit $st
