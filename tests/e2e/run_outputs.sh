#!/usr/bin/env bash
# issue 15 item 1: no silent wrong run. `run` has no default evidence: without --evidence or
# KAOHE_EVIDENCE it is a usage error (exit 2) and writes nothing, even where --out and
# --results are given. A run that writes nothing (no --out, no --results) says so as the last
# line of its summary, exit 0: a trial run is allowed, but cannot be taken for a saved one.
source "$(dirname "$0")/lib.bash"
CARD=$KAOHE_HOME/fixtures/small/post_assessment_param.lua
cd "$T"
small_evidence ev.db
mkdir work
cd work
unset KAOHE_EVIDENCE
listing() { ls -A; }

# -- no evidence at all: exit 2, the message and the usage, nothing written
for env in unset empty; do
  rc=0
  if [ $env = unset ]; then
    "$KAOHE" run --out r.xlsx --results r.db "$CARD" >out.txt 2>err.txt || rc=$?
  else
    KAOHE_EVIDENCE= "$KAOHE" run --out r.xlsx --results r.db "$CARD" >out.txt 2>err.txt || rc=$?
  fi
  expect_eq "2|kaohe: error: run: no evidence given: --evidence DB|DIR (or KAOHE_EVIDENCE) is required|usage: kaohe run --evidence DB|DIR... [-j N] [--period P]||err.txt out.txt" \
    "$rc|$(sed -n 1p err.txt)|$(sed -n 2p err.txt)|$(cat out.txt)|$(listing | tr '\n' ' ' | sed 's/ $//')" \
    "KAOHE_EVIDENCE $env: exit 2, the message, nothing on stdout, no workbook or results database"
  rm -f out.txt err.txt
done

# -- KAOHE_EVIDENCE names it: the run goes on and the summary names it
rc=0
KAOHE_EVIDENCE=../ev.db "$KAOHE" run --results r.db "$CARD" >out.txt 2>err.txt || rc=$?
expect_eq "0|evidence: ../ev.db (sha256" "$rc|$(grep '^evidence:' out.txt | cut -d' ' -f1-3)" \
  "KAOHE_EVIDENCE: used, and named in the summary"
expect_eq "1" "$(sqlite3 r.db 'SELECT count(*) FROM run')" "KAOHE_EVIDENCE: the run recorded"
rm -f r.db out.txt err.txt

# -- nothing written: exit 0, the summary (4 items: 测试县 -1.40, 甲镇 and 乙乡 -0.60, worked out
# in fixtures/small/post_assessment.sql) ends by saying so; the folder stays empty
rc=0
"$KAOHE" run --evidence ../ev.db "$CARD" >../out.txt 2>../err.txt || rc=$?
expect_eq "0|nothing written: no --out FILE.xlsx and no --results DB (the summary above is all this run keeps)||" \
  "$rc|$(tail -1 ../out.txt)|$(cat ../err.txt)|$(listing)" "a trial run: said, nothing written"
expect_contains "$(cat ../out.txt)" "
         测试县  -1.40" "the trial run's summary is there (the only county: no rank)"
# with an output, no such line
"$KAOHE" run --evidence ../ev.db --out r.xlsx "$CARD" >../out.txt
expect_eq "workbook: r.xlsx" "$(tail -1 ../out.txt)" "with --out: the workbook named, no 'nothing written'"
# --quiet stays quiet
expect_eq "" "$("$KAOHE" run --quiet --evidence ../ev.db "$CARD" 2>&1)" "--quiet: nothing at all"
finish
