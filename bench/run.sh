#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail).
#
# County (the bundled 会宁县):
#   - kaohe import: rows per second, building the evidence from the CSV exports;
#   - kaohe run of every bundled scorecard, workbook and results database included: wall time
#     and peak memory; and evaluation alone;
#   - the SQL floor: the same queries the items run (kaohe check --print-sql), executed by the
#     sqlite3 shell with its output discarded — and each run's ratio to it.
# Province (COUNTIES counties of 会宁县's shape, one evidence database per county):
#   - generating the shards;
#   - kaohe run over the shards with -j <cores>, workbook and results database included: wall
#     time and peak memory (of the whole process: every worker thread and the merge);
#   - the SQL floor: the same SQL over every shard, <cores> sqlite3 shells at a time.
# County timings are medians of RUNS runs (default 3); the province is run once.
#   bench/run.sh [RUNS] [COUNTIES]        COUNTIES: default 100; 0 skips the province
# BENCH_DIR=DIR keeps the generated province there between invocations (it takes minutes and
# ~43 MB per county); otherwise it goes to a temporary directory removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
counties=${2:-100}
scripts/setup.sh build
if [ ! -x /usr/bin/time ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -qq time >/dev/null
fi
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cores=$(nproc)
build/kaohe-gen --out "$w/gen.db" >/dev/null
tables=$(scripts/evidence_to_csv.sh "$w/gen.db" "$w/csv")
csvs=$(for t in $tables; do echo "$w/csv/$t.csv"; done)
rows=$(($(cat $csvs | wc -l) - $(echo "$tables" | wc -l)))

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # the command; prints "seconds peak_kb", medians of $runs
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
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2fx", a / b}'; }
line() { printf '  %-40s %8s %9d   %s\n' "$1" "$2" $(($3 / 1024)) "${4:-}"; }

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
kaohe bench — machine: $cores cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')

county (会宁县: $(sqlite3 "$w/ev.db" 'SELECT count(*) FROM person') persons, $rows evidence rows), median of $runs
  what                                       wall s   peak MB   vs floor
$(line "import (all CSV exports)" "$import_s" "$import_kb" "$(awk -v r="$rows" -v s="$import_s" 'BEGIN {printf "%.0f rows/s", r / s}')")
$(line "run: 3 scorecards, workbook, results" "$run_s" "$run_kb" "$(ratio "$run_s" "$floor_s")")
$(line "run: evaluation only" "$eval_s" "$eval_kb" "$(ratio "$eval_s" "$floor_s")")
$(line "SQL floor (sqlite3 shell, same SQL)" "$floor_s" "$floor_kb")
REPORT

[ "$counties" -gt 0 ] || exit 0
p=${BENCH_DIR:-$w/province}
mkdir -p "$p"
gen_s="(kept)"
if [ "$(ls "$p"/shards/*.db 2>/dev/null | wc -l)" -ne "$counties" ]; then
  rm -rf "$p/shards"
  /usr/bin/time -f "%e" -o "$w/gen_time" build/kaohe-gen --counties "$counties" --shards "$p/shards" -j "$cores" >"$p/gen.txt"
  gen_s=$(cat "$w/gen_time")
fi
persons=$(grep -o '[0-9]* persons' "$p/gen.txt" | head -1)
admissions=$(grep -o '[0-9]* admissions' "$p/gen.txt" | head -1)
mb=$(du -sm "$p/shards" | cut -f1)
rm -f "$w/p.db" "$w/p.xlsx"
/usr/bin/time -f "%e %M" -o "$w/one" build/kaohe run --quiet --evidence "$p/shards" -j "$cores" \
  --out "$w/p.xlsx" --results "$w/p.db" scorecards/*.lua >/dev/null 2>&1
read -r prov_s prov_kb <"$w/one"
/usr/bin/time -f "%e %M" -o "$w/one" sh -c "ls '$p'/shards/*.db | xargs -P $cores -I{} sh -c \"sqlite3 -readonly {} <'$w/floor.in'\""
read -r pfloor_s pfloor_kb <"$w/one"
xlsx_mb=$(($(stat -c %s "$w/p.xlsx") / 1048576))
# the same run over the first tenth of the counties: peak memory should hardly move
small=$((counties / 10))
if [ "$small" -ge 2 ]; then
  mkdir -p "$w/tenth"
  for s in $(ls "$p"/shards/*.db | head -n "$small"); do ln -s "$s" "$w/tenth/"; done
  rm -f "$w/t.db" "$w/t.xlsx"
  /usr/bin/time -f "%e %M" -o "$w/one" build/kaohe run --quiet --evidence "$w/tenth" -j "$cores" \
    --out "$w/t.xlsx" --results "$w/t.db" scorecards/*.lua >/dev/null 2>&1
  read -r tenth_s tenth_kb <"$w/one"
fi
cat <<REPORT

province ($counties counties in shards: $persons, $admissions, $mb MB of evidence), one run
  what                                       wall s   peak MB   vs floor
  generate the shards (-j $cores)                $(printf '%8s' "$gen_s")
$(line "run -j $cores: 3 scorecards, workbook, results" "$prov_s" "$prov_kb" "$(ratio "$prov_s" "$pfloor_s")")
$(line "SQL floor ($cores sqlite3 shells at a time)" "$pfloor_s" "$pfloor_kb")
$([ "$small" -ge 2 ] && line "the same run over $small counties" "$tenth_s" "$tenth_kb")
  results: $(sqlite3 "$w/p.db" "SELECT (SELECT count(*) FROM score) || ' scores, ' || (SELECT count(*) FROM deduction) || ' deductions, ' || (SELECT count(*) FROM result) || ' results'"); workbook $xlsx_mb MB
REPORT
