#!/usr/bin/env bash
# The cost cache behind longest-first scheduling (issue 19 item 4, app/item_cost.h): a run
# keeps each item's CPU seconds in $XDG_CACHE_HOME/kaohe/item-cost/<scorecard sha256>.tsv and
# the next run of that scorecard starts its items longest first by them. It only orders work:
# the workbook and the results database must be byte-identical with no cache, with one, with
# one that orders the items against form order, and with every kind of damaged one (ignored,
# then rewritten). The card (post_assessment_deductions.lua) has four items, "1" to "4".
source "$(dirname "$0")/lib.bash"
CARD=$KAOHE_HOME/scorecards/post_assessment_deductions.lua
small_evidence "$T/ev.db"
sha=$(sha256sum "$CARD" | cut -d' ' -f1)
export XDG_CACHE_HOME=$T/cache
# the evidence hash cache off: a run that reuses the hash says so in its outputs (运行信息,
# run.evidence_hash_reused), which would differ from the first run's for that reason alone
export KAOHE_NO_HASH_CACHE=1
F=$XDG_CACHE_HOME/kaohe/item-cost/$sha.tsv

# run NAME: a run in $T/NAME (the same relative output names, so the command line recorded
# in both outputs is the same), -j 2, verbose; its last stderr line in $T/NAME/line
run() {
  mkdir -p "$T/$1"
  (cd "$T/$1" && KAOHE_RUN_TIME=1540000000 "$KAOHE" run --evidence ../ev.db --period 2018 -j 2 \
    --out r.xlsx --results r.db --quiet --verbose "$CARD" 2>err.txt) || fail "$1: run failed"
  grep '^kaohe: cost cache: ' "$T/$1/err.txt" >"$T/$1/line"
}
same_outputs() { # NAME: its workbook and results database are those of the first run
  if cmp -s "$T/first/r.xlsx" "$T/$1/r.xlsx" && cmp -s "$T/first/r.db" "$T/$1/r.db"; then ok; else
    fail "$1: outputs differ from the run without a cache"
  fi
}

run first
expect_eq "kaohe: cost cache: 0 of 4 items estimated" "$(cat "$T/first/line")" "no cache yet"
expect_eq "kaohe-item-cost-1" "$(head -1 "$F")" "the cache file's header"
expect_eq "1 2 3 4" "$(tail -n +2 "$F" | cut -f1 | tr '\n' ' ' | sed 's/ $//')" "one line per item"
expect_eq 4 "$(tail -n +2 "$F" | cut -f2 | grep -cE '^[0-9]+\.[0-9]{6}$')" "seconds per item"

run second
expect_eq "kaohe: cost cache: 4 of 4 items estimated, started longest first" \
  "$(cat "$T/second/line")" "the previous run's times read"
same_outputs second

# --verbose's help names the cache line it prints
expect_contains "$("$KAOHE" run --help | grep -- "-v, --verbose")" "item-cost and hash caches" "--verbose's help line"

# the reader's memory is a line's, not the largest file allowed (1 MiB, as it was): valgrind's
# heap total with the cache file read and with none differ by a few KiB (the FILE's buffer and
# the scheduling order; measured 1,021,037 bytes with the old reader, 4 items)
heap() { # the bytes a verbose -j 2 run allocated, valgrind's count
  (cd "$T/second" && valgrind "$KAOHE" run --evidence ../ev.db --period 2018 -j 2 --quiet \
    --verbose "$CARD" 2>&1 | sed -n 's/.*total heap usage:.* \([0-9,]*\) bytes allocated/\1/p' | tr -d ,)
}
if ! ldd "$KAOHE" | grep libasan >/dev/null && command -v valgrind >/dev/null; then
  with=$(heap)
  cp "$F" "$T/kept" && rm "$F"
  without=$(heap)
  cp "$T/kept" "$F"
  [[ "$with" =~ ^[0-9]+$ && "$without" =~ ^[0-9]+$ ]] || fail "valgrind's heap totals not read: '$with' '$without'"
  d=$((${with:-0} - ${without:-0}))
  expect_eq 1 "$((d > -65536 && d < 65536))" "cache read in bounded memory ($with vs $without bytes)"
fi

# against form order: item 4 the longest, then 3, 2, 1 (workers start 4 and 3 first)
printf 'kaohe-item-cost-1\n1\t0.1\n2\t0.2\n3\t0.3\n4\t0.4\n' >"$F"
run reversed
expect_eq "kaohe: cost cache: 4 of 4 items estimated, started longest first" \
  "$(cat "$T/reversed/line")" "a hand-written cache read"
same_outputs reversed

# damaged: each is no estimate at all (not half of one), the run is unchanged, and the file
# is written afresh afterwards
damaged() { # NAME CONTENT (printf format; @FILE: that file's bytes)
  rm -rf "$F"
  if [[ "$2" == @* ]]; then cp "${2#@}" "$F"; else printf "$2" >"$F"; fi
  run "$1"
  expect_eq "kaohe: cost cache: 0 of 4 items estimated" "$(cat "$T/$1/line")" "$1: ignored"
  same_outputs "$1"
  expect_eq "kaohe-item-cost-1" "$(head -1 "$F")" "$1: rewritten"
}
damaged no_header '1\t0.1\n2\t0.2\n3\t0.3\n4\t0.4\n'
damaged other_header 'kaohe-item-cost-9\n1\t0.1\n'
damaged unknown_item 'kaohe-item-cost-1\n1\t0.1\n9\t0.2\n'
damaged duplicate 'kaohe-item-cost-1\n1\t0.1\n1\t0.2\n'
damaged negative 'kaohe-item-cost-1\n1\t-0.1\n'
damaged nan 'kaohe-item-cost-1\n1\tnan\n2\tinf\n'
damaged not_a_number 'kaohe-item-cost-1\n1\t0.1s\n'
damaged empty_value 'kaohe-item-cost-1\n1\t\n'
damaged no_tab 'kaohe-item-cost-1\n1 0.1\n'
damaged nul 'kaohe-item-cost-1\n1\t0.1\0\n'
damaged empty ''
# larger than any real cache file (1 MiB): not read at all, although well-formed
{ printf 'kaohe-item-cost-1\n1\t0.1\n2\t0.2\n3\t0.3\n4\t0.4\n'; head -c 1100000 /dev/zero | tr '\0' '\n'; } >"$T/big"
damaged too_big "@$T/big"
expect_eq 1 "$(($(stat -c %s "$T/big") > 1048576))" "the too-big case is over 1 MiB"
# a directory where the file should be: not readable, and not replaceable either
rm -f "$F" && mkdir "$F"
run directory
expect_eq "kaohe: cost cache: 0 of 4 items estimated" "$(cat "$T/directory/line")" "a directory"
same_outputs directory
rmdir "$F"

# no usable cache directory: the run goes on without one
export XDG_CACHE_HOME=$T/afile
: >"$XDG_CACHE_HOME"
run unwritable
expect_eq "kaohe: cost cache: 0 of 4 items estimated" "$(cat "$T/unwritable/line")" "cache home a file"
same_outputs unwritable
(unset XDG_CACHE_HOME HOME && cd "$T" && mkdir -p nohome && cd nohome &&
  KAOHE_RUN_TIME=1540000000 "$KAOHE" run --evidence ../ev.db --period 2018 -j 2 --out r.xlsx \
    --results r.db --quiet --verbose "$CARD" 2>err.txt) || fail "no HOME: run failed"
expect_eq "kaohe: cost cache: 0 of 4 items estimated" "$(grep '^kaohe: cost cache: ' "$T/nohome/err.txt")" "no HOME"
same_outputs nohome
finish
