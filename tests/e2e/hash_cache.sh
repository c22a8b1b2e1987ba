#!/usr/bin/env bash
# The evidence hash cache (issue 19 item 3, app/hash_cache.c): `kaohe run` reuses the per-table
# content hashes of an evidence file unchanged since they were computed — same realpath, device,
# inode, size, mtime, ctime and SQLite header counters — and says so (--verbose,
# run.evidence_hash_reused, 运行信息). Any change to the file recomputes; so does a file changed
# less than 2 s before the hash began, one with a -wal beside it, a damaged entry, no cache
# directory. `kaohe hash` and `reproduce` never read the cache, so reproduce exposes an entry
# that lied. The expected hashes are `kaohe hash`'s own on the same file (computed without the
# cache), and the changed file's must differ from the first.
source "$(dirname "$0")/lib.bash"
CARD=$KAOHE_HOME/scorecards/post_assessment_deductions.lua
export XDG_CACHE_HOME=$T/cache
D=$XDG_CACHE_HOME/kaohe/evidence-hash
unset KAOHE_NO_HASH_CACHE KAOHE_HASH_CACHE_SETTLE_MS

# run NAME [OPTIONS]: a run in $T/NAME on ../ev.db, verbose; its hash line in $T/NAME/line,
# its recorded (hash, reused) in $T/NAME/rec, its per-table rows as `kaohe hash` prints them
run() {
  local name=$1
  shift
  mkdir -p "$T/$name"
  (cd "$T/$name" && "$KAOHE" run --evidence ../ev.db --period 2018 -j 2 --out r.xlsx \
    --results r.db --quiet --verbose "$@" "$CARD" 2>err.txt) || fail "$name: run failed"
  grep '^kaohe: evidence hash: ' "$T/$name/err.txt" | sed 's/^kaohe: evidence hash: //' >"$T/$name/line"
  sqlite3 "$T/$name/r.db" "SELECT evidence_hash, evidence_hash_reused FROM run" >"$T/$name/rec"
  sqlite3 -separator $'\t' "$T/$name/r.db" \
    "SELECT tbl, rows, sha256 FROM run_evidence ORDER BY rowid" >"$T/$name/tables"
}
line() { cat "$T/$1/line"; }
entries() { find "$D" -type f 2>/dev/null | wc -l; }
hash_now() { "$KAOHE" hash --evidence "$T/ev.db"; } # table<TAB>rows<TAB>sha256; last "evidence - TOTAL"

small_evidence "$T/ev.db"
hash_now >"$T/hash0"
[ "$(wc -l <"$T/hash0")" -gt 10 ] || fail "kaohe hash printed $(wc -l <"$T/hash0") lines"

# 1. a file made just now (less than 2 s before the run): computed, and no entry kept
run fresh
expect_eq "computed (the file changed less than 2 s before the hash began)" "$(line fresh)" "fresh file"
expect_eq 0 "$(entries)" "fresh file: no entry"

# from here the tests do not wait 2 s per file: the settling time is theirs to set
export KAOHE_HASH_CACHE_SETTLE_MS=0

# 2. the first run computes and keeps; the second reuses, recording the same hashes
run first
expect_eq "computed (cache entry written)" "$(line first)" "first run"
expect_eq 1 "$(entries)" "first run: one entry"
run second
expect_contains "$(line second)" "reused from the cache" "second run"
h1=$(cut -d'|' -f1 "$T/first/rec")
expect_eq "$h1|0" "$(cat "$T/first/rec")" "first run recorded as computed"
expect_eq "$h1|1" "$(cat "$T/second/rec")" "second run recorded as reused, same hash"
if cmp -s "$T/first/tables" "$T/second/tables"; then ok; else fail "run_evidence differs"; fi
# the recorded tables are `kaohe hash`'s table lines (its last line is the total)
expect_eq "$(head -n -1 "$T/hash0")" "$(cat "$T/second/tables")" "run_evidence equals kaohe hash's tables"
expect_eq "$(printf 'evidence\t-\t%s' "$h1")" "$(tail -1 "$T/hash0")" "kaohe hash's total equals the recorded one"
# the workbook's 运行信息 says which
info() { # NAME: the 证据哈希 row of the workbook's 运行信息
  "$PY" - "$T/$1/r.xlsx" <<'EOF'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["运行信息"]
print([r[1] for r in ws.iter_rows(values_only=True) if r[0] == "证据哈希"][0])
EOF
}
expect_eq "本次计算（逐表读取全部行）" "$(info first)" "运行信息: computed"
expect_contains "$(info second)" "沿用缓存（证据文件未变" "运行信息: reused"

# 3. turned off: --no-hash-cache, KAOHE_NO_HASH_CACHE=1
run off1 --no-hash-cache
expect_eq "computed (cache off)" "$(line off1)" "--no-hash-cache"
KAOHE_NO_HASH_CACHE=1 run off2
expect_eq "computed (cache off)" "$(line off2)" "KAOHE_NO_HASH_CACHE=1"
expect_eq "$h1|0" "$(cat "$T/off2/rec")" "cache off: computed, same hash"

# 4. one value changed in place, bytes only (no SQLite: the header's change counter, the size
# and the inode stay), mtime put back to the nanosecond: only ctime tells — recomputed, and
# the hash differs (王四 → 王五 in person)
old_ctime=$(stat -c %Z "$T/ev.db")
sleep 1.1 # a ctime tick later than the entry's, even on a coarse-grained file system
"$PY" - "$T/ev.db" <<'EOF'
import os, sys
p = sys.argv[1]
st = os.stat(p)
data = open(p, "rb").read()
old, new = "王四".encode(), "王五".encode()
assert data.count(old) == 1, data.count(old)
with open(p, "r+b") as f:
    f.seek(data.index(old))
    f.write(new)
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
EOF
[ "$(stat -c %Z "$T/ev.db")" != "$old_ctime" ] || fail "the bytes edit did not move ctime"
run edited
expect_eq "computed (cache entry written)" "$(line edited)" "bytes edited, mtime restored"
h2=$(cut -d'|' -f1 "$T/edited/rec")
[ "$h2" != "$h1" ] && ok || fail "edited file: the hash did not change ($h2)"
expect_contains "$(hash_now)" "$h2" "edited file: kaohe hash agrees"

# 5. sqlite3 UPDATE of one value, mtime put back: recomputed, the hash differs again
sleep 1.1
mt=$(stat -c %y "$T/ev.db")
sqlite3 "$T/ev.db" "UPDATE person SET name = '王六' WHERE id = 'P4'"
touch -d "$mt" "$T/ev.db"
expect_eq "$mt" "$(stat -c %y "$T/ev.db")" "mtime put back"
expect_eq 2 "$(entries)" "one entry per state of the file so far"
rm -rf "$D" # from here one entry: the updated file's
run updated
expect_eq "computed (cache entry written)" "$(line updated)" "UPDATE, mtime restored"
h3=$(cut -d'|' -f1 "$T/updated/rec")
[ "$h3" != "$h2" ] && [ "$h3" != "$h1" ] && ok || fail "updated file: the hash did not change"
run updated2
expect_contains "$(line updated2)" "reused from the cache" "unchanged since: reused"
expect_eq "$h3|1" "$(cat "$T/updated2/rec")" "reused: the updated file's hash"

# 6. damaged entries: computed (and the run succeeds with the right hash), entry rewritten
damaged() { # NAME CONTENT (printf format)
  for f in "$D"/*; do printf "$2" >"$f"; done
  run "$1"
  expect_eq "computed (cache entry written)" "$(line "$1")" "$1: recomputed"
  expect_eq "$h3|0" "$(cat "$T/$1/rec")" "$1: the right hash"
}
damaged garbage 'not an entry\n\0\377'
damaged empty ''
entry=$(ls "$D"/*)
good=$(cat "$entry")
damaged truncated "$(printf '%s' "$good" | head -n -1 | sed 's/%/%%/g')\n"
damaged bad_sha "$(printf '%s' "$good" | sed 's/\t[0-9a-f]\{64\}$/\tnothex/; s/%/%%/g')\n"
damaged extra_line "$(printf '%s' "$good" | sed 's/%/%%/g')\nmore\n"
{ printf '%s\n' "$good"; head -c 1100000 /dev/zero | tr '\0' 'x'; } >"$T/big"
for f in "$D"/*; do cp "$T/big" "$f"; done
run too_big
expect_eq "computed (cache entry written)" "$(line too_big)" "entry over 1 MiB: not read"

# 7. an entry that lies (well-formed, another hash): the run believes it — the documented
# limit — and `kaohe reproduce`, which recomputes, names the table
printf '%s\n' "$good" | sed 's/^\(person\t[0-9]*\t\)[0-9a-f]\{64\}$/\1'"$(printf '0%.0s' {1..64})"'/' >"$entry"
run lied
expect_contains "$(line lied)" "reused from the cache" "a lying entry is used by run"
rc=0
"$KAOHE" reproduce --results "$T/lied/r.db" --run 1 --evidence "$T/ev.db" >"$T/repro" 2>&1 || rc=$?
expect_contains "$(cat "$T/repro")" "证据表已改动：person" "reproduce exposes the lying entry"
printf '%s\n' "$good" >"$entry"

# 8. a -wal (or -journal) beside the file: never reused, never kept
: >"$T/ev.db-wal"
run wal
expect_eq "computed (a -wal, -shm or -journal file is beside it)" "$(line wal)" "-wal beside"
rm "$T/ev.db-wal"
: >"$T/ev.db-journal"
run journal
expect_eq "computed (a -wal, -shm or -journal file is beside it)" "$(line journal)" "-journal beside"
rm "$T/ev.db-journal"

# 8b. shards: each shard's file its own entry; the merged run records each part's in run_part
# (a second county: the fixture with every id of the county's places renamed)
mkdir -p "$T/shards/ev"
cp "$T/ev.db" "$T/shards/ev/a.db"
cp "$T/ev.db" "$T/shards/ev/b.db"
sqlite3 "$T/shards/ev/b.db" "PRAGMA foreign_keys = OFF; UPDATE county SET id = 'C2', name = '乙县';
  UPDATE township SET county_id = 'C2', id = id || 'b'; UPDATE village SET id = id || 'b',
  township_id = township_id || 'b'; UPDATE household SET village_id = village_id || 'b';
  UPDATE institution SET county_id = 'C2' WHERE county_id = 'C1';
  UPDATE institution SET township_id = township_id || 'b' WHERE township_id IS NOT NULL"
shards() { # NAME: a sharded run of ev/a.db and ev/b.db; each part's reused flag, in order
  (cd "$T/shards" && "$KAOHE" run --evidence ev --period 2018 --results "$1.db" --quiet "$CARD") ||
    fail "$1: sharded run failed"
  sqlite3 "$T/shards/$1.db" "SELECT group_concat(evidence_hash_reused, ' ') FROM run_part"
}
expect_eq "0 0" "$(shards s1)" "shards: both computed"
expect_eq 2 "$(find "$D" -type f -newer "$T/shards/ev/b.db" | wc -l)" "shards: an entry each"
expect_eq "1 1" "$(shards s2)" "shards: both reused"
expect_eq "" "$(sqlite3 "$T/shards/s2.db" "SELECT evidence_hash_reused FROM run")" \
  "a merged run: NULL on run (its parts say)"

# 9. no cache directory: the run succeeds and computes
rm -rf "$XDG_CACHE_HOME"
: >"$XDG_CACHE_HOME" # a file where the directory should be
run unwritable
expect_eq "computed (the cache entry could not be written)" "$(line unwritable)" "cache home a file"
expect_eq "$h3|0" "$(cat "$T/unwritable/rec")" "cache home a file: right hash"
(unset XDG_CACHE_HOME HOME && run nohome)
expect_eq "computed (no cache directory (\$XDG_CACHE_HOME, \$HOME))" "$(line nohome)" "no HOME"
expect_eq "$h3|0" "$(cat "$T/nohome/rec")" "no HOME: right hash"

# --verbose's and --no-hash-cache's help lines
expect_contains "$("$KAOHE" run --help | grep -- "--no-hash-cache")" "hash the evidence even if unchanged" "--no-hash-cache help"
finish
