#!/usr/bin/env bash
# Faults: an import killed with SIGKILL at random points leaves the evidence exactly as before
# or exactly as after; a full disk while writing the workbook or the results leaves no partial
# file, the previous report intact and no partial run; two runs writing one results database
# at once both land intact.
source "$(dirname "$0")/lib.bash"
: "${KAOHE_GEN:?}"
"$KAOHE_GEN" --out "$T/gen.db" --persons 9000 >/dev/null
tables=$(scripts/evidence_to_csv.sh "$T/gen.db" "$T/csv")
"$KAOHE" schema --evidence "$T/base.db" >/dev/null
# parents first; the big followup file is the one the kills interrupt
parents=$(for t in $tables; do case $t in followup|finding|survey|problem) ;; *) echo "$T/csv/$t.csv";; esac; done)
"$KAOHE" import --evidence "$T/base.db" $parents >/dev/null
before=$("$KAOHE" hash --evidence "$T/base.db")
cp "$T/base.db" "$T/after.db"
"$KAOHE" import --evidence "$T/after.db" "$T/csv/followup.csv" >/dev/null
after=$("$KAOHE" hash --evidence "$T/after.db")
[ "$before" != "$after" ] && ok || fail "the import changes the evidence"
states=""
for delay in 0.005 0.02 0.05 0.08 0.12 0.2 0.3 0.5; do
  cp "$T/base.db" "$T/kill.db"
  "$KAOHE" import --evidence "$T/kill.db" "$T/csv/followup.csv" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  now=$("$KAOHE" hash --evidence "$T/kill.db")
  if [ "$now" == "$before" ]; then states+="B"; elif [ "$now" == "$after" ]; then states+="A"; else states+="X"; fi
  expect_eq ok "$(sqlite3 "$T/kill.db" 'PRAGMA integrity_check')" "killed after ${delay}s: database intact"
done
expect_eq "" "$(echo "$states" | tr -d AB)" "every kill left the evidence exactly before or after the import ($states)"

# An import killed mid-transaction leaves a hot journal, which a read-only connection cannot
# roll back ("attempt to write a readonly database" — the kills above sometimes left one):
# kaohe rolls it back and reads the evidence exactly as it was before that import.
cp "$T/base.db" "$T/hot.db"
"$PY" - "$T/hot.db" <<'EOF'
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA cache_size = 1")  # spill: the journal and the changed pages reach the disk
c.execute("BEGIN")
c.execute("UPDATE person SET name = name || '改'")
os._exit(0)  # no commit, no rollback: a crashed import
EOF
[ -s "$T/hot.db-journal" ] && ok || fail "the crashed writer left no journal"
expect_eq "$before" "$("$KAOHE" hash --evidence "$T/hot.db" 2>&1)" "hot journal rolled back: the evidence as before the import"
expect_eq ok "$(sqlite3 "$T/hot.db" 'PRAGMA integrity_check')" "hot journal rolled back: database intact"

# a full disk while writing the workbook (a file-size limit: writes fail with EFBIG)
cp "$T/after.db" "$T/ev.db"
"$KAOHE" import --evidence "$T/ev.db" "$T/csv/finding.csv" "$T/csv/survey.csv" >/dev/null
cd "$T"
echo previous >r.xlsx
"$KAOHE" run --evidence ev.db --results r.db "$KAOHE_HOME/scorecards/post_assessment_deductions.lua" >/dev/null
runs=$(sqlite3 r.db 'SELECT count(*) FROM run')
rc=0
(trap '' XFSZ; ulimit -f 200; "$KAOHE" run --evidence ev.db --out r.xlsx --results r.db \
  "$KAOHE_HOME"/scorecards/*.lua >/dev/null 2>err.txt) || rc=$?
expect_eq 1 "$rc" "disk full while writing the workbook: exit 1"
expect_contains "$(cat err.txt)" "kaohe: error: r.xlsx: cannot write workbook" "the workbook is named"
expect_eq previous "$(cat r.xlsx)" "the previous workbook is intact"
expect_eq "" "$(ls | grep -F .tmp- || true)" "no partial file left"
expect_eq "$runs" "$(sqlite3 r.db 'SELECT count(*) FROM run')" "no run recorded"
# … and while writing the results database
cp r.db r_before.db
rc=0
(trap '' XFSZ; ulimit -f "$(( $(stat -c %s r.db) / 1024 + 8 ))"; "$KAOHE" run --evidence ev.db \
  --results r.db "$KAOHE_HOME"/scorecards/*.lua >/dev/null 2>err.txt) || rc=$?
expect_eq 1 "$rc" "disk full while writing the results: exit 1"
expect_contains "$(cat err.txt)" "kaohe: error: r.db: cannot write results" "the results database is named"
expect_eq "$runs" "$(sqlite3 r.db 'SELECT count(*) FROM run')" "no partial run in the results database"
expect_eq ok "$(sqlite3 r.db 'PRAGMA integrity_check')" "results database intact"

# two runs writing one results database at once
rm -f both.db
"$KAOHE" run --evidence ev.db --results both.db "$KAOHE_HOME"/scorecards/*.lua >/dev/null 2>e1.txt &
p1=$!
"$KAOHE" run --evidence ev.db --results both.db "$KAOHE_HOME"/scorecards/*.lua >/dev/null 2>e2.txt &
p2=$!
r1=0; r2=0
wait $p1 || r1=$?
wait $p2 || r2=$?
expect_eq "0 0" "$r1 $r2" "both concurrent runs succeed ($(cat e1.txt e2.txt))"
expect_eq 2 "$(sqlite3 both.db 'SELECT count(*) FROM run')" "both runs recorded"
expect_eq 1 "$(sqlite3 both.db 'SELECT count(DISTINCT n) FROM (SELECT count(*) AS n FROM score GROUP BY run_id)')" \
  "both runs complete, with the same number of scores"
expect_eq ok "$(sqlite3 both.db 'PRAGMA integrity_check')" "results database intact"

# A run killed with SIGKILL leaves its temporary workbook (r.xlsx.tmp-HOST-PID-XXXXXX); the next
# run of the same output removes it, and keeps the results and the previous workbook.
echo previous >k.xlsx
"$KAOHE" run --evidence ev.db --out k.xlsx --results k.db "$KAOHE_HOME"/scorecards/*.lua >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 2000); do ls k.xlsx.tmp-* >/dev/null 2>&1 && break; sleep 0.005; done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
expect_eq 1 "$(ls k.xlsx.tmp-* 2>/dev/null | wc -l)" "the killed run left its temporary workbook"
expect_eq previous "$(cat k.xlsx)" "the killed run left the previous workbook"
"$KAOHE" run --evidence ev.db --out k.xlsx --results k.db "$KAOHE_HOME/scorecards/post_assessment_deductions.lua" >/dev/null
expect_eq "" "$(ls k.xlsx.tmp-* 2>/dev/null || true)" "the next run removed the killed run's temporary workbook"
expect_eq 1 "$(sqlite3 k.db 'SELECT count(*) FROM run')" "the results of the next run are there"

# What is removed: files of this output, of this host, whose process is gone (SQLite's -journal
# beside them too). Kept: a live process's file (a concurrent run), another host's (a shared
# directory: its pids mean nothing here), another output's.
host=$(hostname | tr -c 'A-Za-z0-9._\n' '_' | cut -c1-40)
dead=$(sh -c 'echo $$') # a process that has exited
sleep 60 &
live=$!
mkdir -p tmp
touch "r.xlsx.tmp-$host-$dead-AAAAAA" "r.xlsx.tmp-$host-$dead-BBBBBB-journal" \
  "r.xlsx.tmp-$host-$live-CCCCCC" "r.xlsx.tmp-elsewhere-$dead-DDDDDD" "x.xlsx.tmp-$host-$dead-EEEEEE" \
  "tmp/kaohe-deductions-$host-$dead-FFFFFF" "tmp/kaohe-deductions-$host-$live-GGGGGG"
# (a spilled run makes scratch deductions in TMPDIR)
TMPDIR=$T/tmp "$KAOHE" run --evidence ev.db --out r.xlsx --results r.db --spill-after 1 \
  "$KAOHE_HOME/scorecards/post_assessment_deductions.lua" >/dev/null
expect_eq "$(printf "%s\n" "r.xlsx.tmp-$host-$live-CCCCCC" "r.xlsx.tmp-elsewhere-$dead-DDDDDD" "x.xlsx.tmp-$host-$dead-EEEEEE" | sort | tr "\n" " " | sed "s/ $//")" \
  "$(ls ./*.tmp-* | sed 's|^\./||' | sort | tr '\n' ' ' | sed 's/ $//')" "stale temporary workbooks swept, the others kept"
expect_eq "kaohe-deductions-$host-$live-GGGGGG" "$(ls tmp)" "stale scratch files swept, a live one kept"

# A sharded run works in a scratch directory of its own ($TMPDIR/kaohe-shards-HOST-PID-XXXXXX:
# each county's part and workbook). Killed with SIGKILL it leaves that directory behind; the
# next sharded run removes it with what it holds, keeps a live run's, and removes its own at
# its end. (Before, the directory was kaohe-shards-XXXXXX and stayed for ever.)
(cd "$KAOHE_HOME" && "$KAOHE_GEN" --counties 2 --persons 9000 --shards "$T/shards" >/dev/null)
mkdir -p tmp2 "tmp2/kaohe-shards-$host-$live-HHHHHH"
TMPDIR=$T/tmp2 "$KAOHE" run --quiet --evidence shards -j 1 --county-workbooks cw --results s.db \
  "$KAOHE_HOME"/scorecards/*.lua >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 2000); do ls tmp2/kaohe-shards-"$host-$pid"-*/part-* >/dev/null 2>&1 && break; sleep 0.005; done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
left=$(ls -d tmp2/kaohe-shards-"$host-$pid"-* 2>/dev/null || true)
[ -n "$left" ] && [ -n "$(ls "$left")" ] && ok || fail "the killed sharded run left its working directory with its parts ($left)"
TMPDIR=$T/tmp2 "$KAOHE" run --quiet --evidence shards --results s.db \
  "$KAOHE_HOME/scorecards/post_assessment_deductions.lua" >/dev/null
expect_eq "kaohe-shards-$host-$live-HHHHHH" "$(ls tmp2)" "the next sharded run removed the killed run's directory, kept a live one's and removed its own"
expect_eq 1 "$(sqlite3 s.db 'SELECT count(*) FROM run')" "the results of the next sharded run are there"
kill "$live"
finish
