#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): issue 19 item 6. The machine is noisy, so every figure
# of a county comes from RUNS rounds in which each measurement runs once, interleaved; the
# report gives medians and ranges (min–max) of the times and of the per-round ratios.
#
# County (the generated 会宁县), per round:
#   e2e     kaohe run of every bundled scorecard, workbook and results database, the evidence
#           hashed (--no-hash-cache: what a run on a new or changed file costs; e2e, results
#           and eval all hash)
#   e2ec    the same with the evidence hash reused from the cache (a repeated run on an
#           unchanged file; the cache is the bench's own, under its temporary directory)
#   results kaohe run with the results database only (the peer's counterpart)
#   eval    kaohe run, evaluation alone (no outputs)
#   floor   the mmap floor: the items' SQL and shared sets (kaohe check --print-sql) in the
#           sqlite3 shell with kaohe's pragmas (query_only, mmap 1 GiB, temp_store MEMORY) and
#           kaohe's cadence functions loaded from bench/cadence_ext.c (floor_sql.py)
#   scan    the scan bound: every value of every evidence table read once (scan_sql.py)
#   import  kaohe import of all the CSV exports into a fresh schema
#   shimp   the shell's .import of the same files with conversion (shell_import.py)
#   peer    a plain-Python sqlite3 script writing the deduction table (peer.py)
# Province (for each N of COUNTIES, shards of 会宁县's shape): kaohe run -j <cores> with
# workbook and results, and its mmap floor (<cores> shells at a time over the shards), with
# peak memory; PROVINCE_RUNS rounds (default 1).
#   bench/run.sh [RUNS] [COUNTIES]     RUNS default 5; COUNTIES default "10 100", "" or 0 skips
# BENCH_DIR=DIR keeps the generated shards (minutes and ~43 MB per county) between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
counties=${2-10 100}
scripts/setup.sh build
if [ ! -x /usr/bin/time ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -qq time >/dev/null
fi
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cores=$(nproc)
K=$PWD/build/kaohe
B=$PWD/bench
build/kaohe-gen --out "$w/gen.db" >/dev/null
tables=$(scripts/evidence_to_csv.sh "$w/gen.db" "$w/csv")
csvs=$(for t in $tables; do echo "$w/csv/$t.csv"; done)
rows=$(($(cat $csvs | wc -l) - $(echo "$tables" | wc -l)))
rm -f "$w/ev.db" && $K schema --evidence "$w/ev.db" >/dev/null && $K import --evidence "$w/ev.db" $csvs >/dev/null
$K check --print-sql scorecards/*.lua >"$w/printed.sql"
# kaohe's cadence functions for the shell and the peer, from the engine's own source
cc -shared -fPIC -O2 -I engine "$B/cadence_ext.c" engine/base/strbuf.c -o "$w/cadence_ext.so"
# the peer loads it: Debian's python3 allows extensions (a pyenv build may not)
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3
python3 "$B/floor_sql.py" "$w/printed.sql" "$w/cadence_ext.so" >"$w/floor.sql" 2>"$w/floor_note"
python3 "$B/scan_sql.py" "$w/ev.db" >"$w/scan.sql"
$K schema --evidence "$w/si0.db" >/dev/null
python3 "$B/shell_import.py" "$w/si0.db" $csvs >"$w/si.sql"

# one NAME COMMAND...: runs it once, appends "round NAME wall cpu peak_kb" to $w/res
round=0
one() {
  local name=$1
  shift
  /usr/bin/time -f "%e %U %S %M" -o "$w/one" "$@" >/dev/null 2>"$w/err" || {
    echo "bench: $name failed:" >&2
    cat "$w/err" >&2
    exit 1
  }
  read -r e u s m <<<"$(tail -1 "$w/one")"
  echo "$round $name $e $(awk -v u="$u" -v s="$s" 'BEGIN {print u + s}') $m" >>"$w/res"
}
fresh() { rm -f "$1" && cp "$w/si0.db" "$1"; } # an empty evidence schema
: >"$w/res"
# the hash cache keeps an entry only for a file last changed over 2 s before (app/hash_cache.c)
export XDG_CACHE_HOME=$w/cache
sleep 3
$K run --quiet --evidence "$w/ev.db" scorecards/*.lua >/dev/null
for round in $(seq "$runs"); do
  rm -f "$w/r.db" "$w/r.xlsx" "$w/r2.db"
  one e2e $K run --quiet --no-hash-cache --evidence "$w/ev.db" --out "$w/r.xlsx" --results "$w/r.db" scorecards/*.lua
  rm -f "$w/r.db" "$w/r.xlsx"
  one e2ec $K run --quiet --evidence "$w/ev.db" --out "$w/r.xlsx" --results "$w/r.db" scorecards/*.lua
  one floor sh -c "sqlite3 -readonly '$w/ev.db' <'$w/floor.sql'"
  one eval $K run --quiet --no-hash-cache --evidence "$w/ev.db" scorecards/*.lua
  one scan sh -c "sqlite3 -readonly '$w/ev.db' <'$w/scan.sql'"
  one results $K run --quiet --no-hash-cache --evidence "$w/ev.db" --results "$w/r2.db" scorecards/*.lua
  one peer $py "$B/peer.py" "$w/printed.sql" "$w/cadence_ext.so" "$w/ev.db" "$w/peer.db"
  fresh "$w/imp.db"
  one import $K import --evidence "$w/imp.db" $csvs
  fresh "$w/imp.db"
  one shimp sh -c "sqlite3 '$w/imp.db' <'$w/si.sql'"
done

# med NAME FIELD: "median (min–max)" of a column (3 wall, 4 cpu, 5 peak kB) over the rounds
med() {
  awk -v n="$1" -v f="$2" '$2 == n {print $f}' "$w/res" | sort -g |
    awk -v kb="$([ "$2" = 5 ] && echo 1 || echo 0)" '{a[NR] = kb ? $1 / 1024 : $1}
      END {fmt = kb ? "%.0f" : "%.2f"; printf fmt " (" fmt "–" fmt ")", a[int((NR + 1) / 2)], a[1], a[NR]}'
}
# ratio A B FIELD [rows]: per-round A/B (or rows/A ÷ rows/B inverted for rates), median (range)
ratio() {
  awk -v a="$1" -v b="$2" -v f="$3" '$2 == a {x[$1] = $f} $2 == b {y[$1] = $f}
    END {for (r in x) if (y[r] > 0) print x[r] / y[r]}' "$w/res" | sort -g |
    awk '{a[NR] = $1} END {printf "%.2f× (%.2f–%.2f)", a[int((NR + 1) / 2)], a[1], a[NR]}'
}
row() { printf '  %-34s %-20s %-20s %s\n' "$@"; }
persons=$(sqlite3 "$w/ev.db" 'SELECT count(*) FROM person')
cat <<REPORT
kaohe bench — machine: $cores cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)
county (会宁县: $persons persons, $rows evidence rows), $runs interleaved rounds: median (min–max)
$(sed 's/^/  /' "$w/floor_note")
$(row "what" "wall s" "CPU s" "peak MB")
$(row "e2e: run, workbook and results" "$(med e2e 3)" "$(med e2e 4)" "$(med e2e 5)")
$(row "e2e, evidence hash reused" "$(med e2ec 3)" "$(med e2ec 4)" "$(med e2ec 5)")
$(row "run, results database only" "$(med results 3)" "$(med results 4)" "$(med results 5)")
$(row "eval: run, evaluation only" "$(med eval 3)" "$(med eval 4)" "$(med eval 5)")
$(row "mmap floor (sqlite3 shell)" "$(med floor 3)" "$(med floor 4)" "$(med floor 5)")
$(row "scan bound (every value once)" "$(med scan 3)" "$(med scan 4)" "$(med scan 5)")
$(row "kaohe import" "$(med import 3)" "$(med import 4)" "$(med import 5)")
$(row "shell .import with conversion" "$(med shimp 3)" "$(med shimp 4)" "$(med shimp 5)")
$(row "peer: Python deduction table" "$(med peer 3)" "$(med peer 4)" "$(med peer 5)")
paired ratios, per round: median (min–max)
$(row "" "wall" "CPU")
$(row "e2e / mmap floor" "$(ratio e2e floor 3)" "$(ratio e2e floor 4)")
$(row "eval / mmap floor" "$(ratio eval floor 3)" "$(ratio eval floor 4)")
$(row "eval / scan bound" "$(ratio eval scan 3)" "$(ratio eval scan 4)")
$(row "kaohe import / shell .import" "$(ratio import shimp 3)" "$(ratio import shimp 4)")
$(row "peer / run with results" "$(ratio peer results 3)" "$(ratio peer results 4)")
  import rows/s (median wall): kaohe $(awk -v r="$rows" '$2 == "import" {print r / $3}' "$w/res" | sort -g | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]}'), shell $(awk -v r="$rows" '$2 == "shimp" {print r / $3}' "$w/res" | sort -g | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]}')
REPORT

[ -n "$counties" ] && [ "$counties" != 0 ] || exit 0
max=$(echo $counties | tr ' ' '\n' | sort -n | tail -1)
p=${BENCH_DIR:-$w/province}
mkdir -p "$p"
if [ "$(ls "$p"/shards/*.db 2>/dev/null | wc -l)" -lt "$max" ]; then
  rm -rf "$p/shards"
  /usr/bin/time -f "%e" -o "$w/gen_time" build/kaohe-gen --counties "$max" --shards "$p/shards" -j "$cores" >"$p/gen.txt"
  echo "province: generated $max counties' shards in $(cat "$w/gen_time") s"
fi
echo "province: kaohe run -j $cores (workbook and results) vs its mmap floor ($cores shells at a time); ${PROVINCE_RUNS:-1} round(s)"
row "counties" "run wall s / CPU s" "floor wall s / CPU s" "run/floor wall, peak MB"
for n in $counties; do
  d="$w/p$n"
  mkdir -p "$d"
  for s in $(ls "$p"/shards/*.db | head -n "$n"); do ln -sf "$s" "$d/"; done
  : >"$w/res"
  for round in $(seq "${PROVINCE_RUNS:-1}"); do
    rm -f "$w/p.db" "$w/p.xlsx"
    one prun $K run --quiet --evidence "$d" -j "$cores" --out "$w/p.xlsx" --results "$w/p.db" scorecards/*.lua
    one pfloor sh -c "ls '$d'/*.db | xargs -P $cores -I{} sh -c \"sqlite3 -readonly {} <'$w/floor.sql'\""
  done
  row "$n" "$(med prun 3) / $(med prun 4)" "$(med pfloor 3) / $(med pfloor 4)" \
    "$(ratio prun pfloor 3), $(med prun 5)"
done
