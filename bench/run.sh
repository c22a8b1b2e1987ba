#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): for the bundled county,
#   - kaohe import: rows per second, building the evidence from the CSV exports;
#   - kaohe run of every bundled scorecard, workbook and results database included: wall time
#     and peak memory;
#   - the SQL floor: the same queries the items run (kaohe check --print-sql), executed by the
#     sqlite3 shell with its output discarded — and the run's ratio to it.
# Each timing is the median of RUNS runs (default 3).
#   bench/run.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
scripts/setup.sh build
if [ ! -x /usr/bin/time ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -qq time >/dev/null
fi
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
build/kaohe-gen --out "$w/gen.db" >/dev/null
tables=$(scripts/evidence_to_csv.sh "$w/gen.db" "$w/csv")
csvs=$(for t in $tables; do echo "$w/csv/$t.csv"; done)
rows=$(($(cat $csvs | wc -l) - $(echo "$tables" | wc -l)))

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # label, then the command; prints "seconds peak_kb" medians
  local i t m
  : >"$w/times"
  : >"$w/mems"
  for i in $(seq "$runs"); do
    [ -n "${PREP:-}" ] && eval "$PREP"
    /usr/bin/time -f "%e %M" -o "$w/one" "$@" >/dev/null 2>&1
    read -r t m <"$w/one"
    echo "$t" >>"$w/times"
    echo "$m" >>"$w/mems"
  done
  echo "$(median <"$w/times") $(median <"$w/mems")"
}

PREP="rm -f $w/ev.db && build/kaohe schema --evidence $w/ev.db >/dev/null"
read -r import_s import_kb < <(measure build/kaohe import --evidence "$w/ev.db" $csvs)
PREP=""
rm -f "$w/ev.db" && build/kaohe schema --evidence "$w/ev.db" >/dev/null && build/kaohe import --evidence "$w/ev.db" $csvs >/dev/null
PREP="rm -f $w/r.db $w/r.xlsx"
read -r run_s run_kb < <(measure build/kaohe run --quiet --evidence "$w/ev.db" --out "$w/r.xlsx" --results "$w/r.db" scorecards/*.lua)
read -r eval_s eval_kb < <(measure build/kaohe run --quiet --evidence "$w/ev.db" scorecards/*.lua)
PREP=""
build/kaohe check --print-sql scorecards/*.lua >"$w/floor.sql"
(echo ".output /dev/null"; cat "$w/floor.sql") >"$w/floor.in"
read -r floor_s floor_kb < <(measure sh -c "sqlite3 -readonly '$w/ev.db' <'$w/floor.in'")

cat <<REPORT
kaohe bench — county (会宁县: $(sqlite3 "$w/ev.db" 'SELECT count(*) FROM person') persons, $rows evidence rows), median of $runs
machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')

  what                                   wall s   peak MB   vs floor
  import (all CSV exports)             $(printf '%8s %9d' "$import_s" $((import_kb / 1024)))            $(awk -v r="$rows" -v s="$import_s" 'BEGIN {printf "%.0f rows/s", r / s}')
  run: 3 scorecards, workbook, results $(printf '%8s %9d' "$run_s" $((run_kb / 1024)))   $(awk -v a="$run_s" -v b="$floor_s" 'BEGIN {printf "%.2fx", a / b}')
  run: evaluation only                 $(printf '%8s %9d' "$eval_s" $((eval_kb / 1024)))   $(awk -v a="$eval_s" -v b="$floor_s" 'BEGIN {printf "%.2fx", a / b}')
  SQL floor (sqlite3 shell, same SQL)  $(printf '%8s %9d' "$floor_s" $((floor_kb / 1024)))
REPORT
