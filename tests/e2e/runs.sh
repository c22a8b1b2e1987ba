#!/usr/bin/env bash
# `kaohe runs --results DB`: the runs of a results database, for an 80-column terminal. Two
# small runs on the hand-made fixture, at fixed times (KAOHE_RUN_TIME), the second with a
# parameter changed and a second scorecard; the expected listing is worked out below.
source "$(dirname "$0")/lib.bash"
SC=$KAOHE_HOME/scorecards
cd "$T"
small_evidence ev.db
# 1545271200 = 2018-12-20T02:00:00Z = 2018-12-20 10:00:00 in Beijing (UTC+8);
# 1545357599 = 86399 s later = 2018-12-21T01:59:59Z = 09:59:59 in Beijing.
KAOHE_RUN_TIME=1545271200 "$KAOHE" run --evidence ev.db --results r.db \
  "$KAOHE_HOME/fixtures/small/post_assessment_param.lua" >/dev/null
KAOHE_RUN_TIME=1545357599 "$KAOHE" run --evidence ev.db --results r.db --param big4_followups=3 \
  "$KAOHE_HOME/fixtures/small/post_assessment_param.lua" "$SC/wudu_2018.lua" >/dev/null
h=$("$KAOHE" hash --evidence ev.db | awk '$1 == "evidence" { print substr($3, 1, 12) }')

# (post_assessment_param.lua is the post-assessment card with its one parameter, big4_followups:
# a test fixture; the bundled card has none since it reads 每季度随访一次.)
# The parameters as applied, in name order: post-assessment's one (big4_followups, now 3), then
# 五督's eight. A line breaks after "; " where the next parameter would pass 80 columns;
# "  参数：" is 8 columns wide, as is the indent. Line 1: 8 + "post-assessment-deductions.
# big4_followups=3;" (44) = 52, and the next (" huining-wudu-2018.aid_floor=3000;", 34) would
# make 86. Line 2: 8 + 33 + " …awareness_rate=0.95;" (1 + 38) = 80 exactly, so
# chronic_service_rate (43 more) goes on, alone, to line 3; every later line holds one: no two
# neighbours fit in the 72 columns after the indent.
unset TZ
before=$(sha256sum r.db)
rc=0
"$KAOHE" runs --results r.db >out.txt 2>err.txt || rc=$?
expect_eq "0|" "$rc|$(cat err.txt)" "runs: exit 0, nothing on stderr"
expect_eq "运行 1  2018-12-20 10:00:00（北京时间）  考核期 2018
  考核表：post-assessment-deductions
  证据库：ev.db（内容哈希 $h）
  参数：post-assessment-deductions.big4_followups=4

运行 2  2018-12-21 09:59:59（北京时间）  考核期 2018
  考核表：post-assessment-deductions, huining-wudu-2018
  证据库：ev.db（内容哈希 $h）
  参数：post-assessment-deductions.big4_followups=3;
        huining-wudu-2018.aid_floor=3000; huining-wudu-2018.awareness_rate=0.95;
        huining-wudu-2018.chronic_service_rate=0.9;
        huining-wudu-2018.missing_cards=2;
        huining-wudu-2018.reimburse_ratio=0.85;
        huining-wudu-2018.serious_deductible=2000;
        huining-wudu-2018.sign_deadline=2018-08-31;
        huining-wudu-2018.sign_rate=0.95" "$(cat out.txt)" "the two runs"
widest=$("$PY" -c "
import sys, unicodedata
print(max(sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in l.rstrip('\n'))
          for l in open('out.txt', encoding='utf-8')))")
expect_eq 80 "$widest" "the widest line is 80 columns (the second parameter line)"

# TZ names another zone: the time is shown there
expect_eq "运行 1  2018-12-20 02:00:00（UTC）  考核期 2018" \
  "$(TZ=UTC "$KAOHE" runs --results r.db | head -1)" "TZ=UTC"

# A merged run: its parts counted, its evidence not the parts' joined paths. (The two run_part
# rows are written by hand here; tests/e2e/shards.sh makes real merges.)
cp r.db m.db
sqlite3 m.db "INSERT INTO run_part (run_id, seq, results_file, part_run_id, evidence_path,
  evidence_hash, started_at) VALUES (2, 1, 'a.db', 1, 'a/ev.db', 'x', '2018-12-21T01:00:00Z'),
  (2, 2, 'b.db', 1, 'b/ev.db', 'y', '2018-12-21T01:00:00Z')"
expect_eq "  证据库：由 2 个分片运行合并（内容哈希 $h）" \
  "$("$KAOHE" runs --results m.db | grep '证据库' | tail -1)" "a merged run's parts"

# A results database with no run yet (its runs deleted by hand)
sqlite3 m.db "DELETE FROM run"
rc=0
"$KAOHE" runs --results m.db >out.txt 2>err.txt || rc=$?
expect_eq "0|m.db：还没有运行|" "$rc|$(cat out.txt)|$(cat err.txt)" "no run yet"

# Bad paths: exit 1 for a database that is not one of results, 2 for usage
rc=0
"$KAOHE" runs --results ev.db >out.txt 2>err.txt || rc=$?
expect_eq "1||kaohe: error: ev.db: not a results database (it has no run table)" \
  "$rc|$(cat out.txt)|$(cat err.txt)" "an evidence database"
rc=0
"$KAOHE" runs --results nope.db 2>err.txt || rc=$?
expect_eq "1|kaohe: error: nope.db: no such results database" "$rc|$(cat err.txt)" "a missing file"
echo "not sqlite" >junk.db
rc=0
"$KAOHE" runs --results junk.db 2>err.txt || rc=$?
expect_eq "1|kaohe: error: junk.db: cannot read the runs: file is not a database" \
  "$rc|$(cat err.txt)" "a file that is no database"
rc=0
"$KAOHE" runs 2>err.txt || rc=$?
expect_eq "2|kaohe: error: runs: --results DB is required (the results database to list)" \
  "$rc|$(head -1 err.txt)" "no --results"
rc=0
"$KAOHE" runs --results r.db 3 2>err.txt || rc=$?
expect_eq "2|kaohe: error: runs: unknown argument '3'" "$rc|$(head -1 err.txt)" "a stray argument"
expect_eq "$before" "$(sha256sum r.db)" "listing changed nothing in the database"
finish
