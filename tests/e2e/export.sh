#!/usr/bin/env bash
# `kaohe export`: a run's results, scores, deductions and findings as CSV (UTF-8 with BOM) and
# JSON Lines. The run is the hand-made post-assessment fixture (fixtures/small/
# post_assessment.sql, whose header works the numbers out): 3 result rows — 测试县 -1.40 and
# 甲镇, 乙乡 -0.60 each, all rank 1, no grade (a deduction card) — 12 score rows (3 subjects ×
# 4 items) and 13 deduction rows. Loading each CSV into SQLite gives the table back.
source "$(dirname "$0")/lib.bash"
cd "$T"
small_evidence ev.db
"$KAOHE" run --evidence ev.db --results r.db \
  "$KAOHE_HOME/fixtures/small/post_assessment_param.lua" >/dev/null
# A second run, so that the latest (the default) and --run 1 can be told apart: same numbers,
# another parameter value.
"$KAOHE" run --evidence ev.db --results r.db --param big4_followups=3 \
  "$KAOHE_HOME/fixtures/small/post_assessment_param.lua" >/dev/null

# -- results, CSV: the BOM, a quoted header, texts quoted, numbers bare, NULL (grade) empty, CRLF
rc=0
"$KAOHE" export --results r.db --run 1 --format csv --what results >res.csv 2>err.txt || rc=$?
expect_eq "0|" "$rc|$(cat err.txt)" "export results: exit 0, nothing on stderr"
expected=$(printf '\xef\xbb\xbf"run_id","scorecard_id","subject_kind","subject_id","total","grade","rank","pending_items","total_x100","vetoed_items","rollup","members","members_total"\r
1,"post-assessment-deductions","county","C1",-1.4,,1,0,-140,0,0,0,0\r
1,"post-assessment-deductions","township","T1",-0.6,,1,0,-60,0,0,0,0\r
1,"post-assessment-deductions","township","T2",-0.6,,1,0,-60,0,0,0,0\r
x')
expect_eq "$expected" "$(cat res.csv; echo x)" "the results CSV, byte for byte"
expect_eq "2," "$("$KAOHE" export --results r.db --format csv --what results | sed -n 2p | cut -c1-2)" \
  "without --run: the latest run (2)"

# -- the round trip: each CSV loaded into a table made with the results table's own schema
# equals the run's rows of it. The reader is written here from the format README documents (a
# quoted field is a text, "" an empty one; a bare field a number; an empty bare field NULL), so
# that it does not share the exporter's code.
for what in results scores deductions; do
  "$KAOHE" export --results r.db --run 1 --format csv --what $what --raw >$what.csv
  # (no text of this run starts with = + - @: the default and --raw are the same bytes here)
  expect_eq "$(sha256sum <$what.csv)" "$("$KAOHE" export --results r.db --run 1 --format csv --what $what | sha256sum)" "$what: no text protected"
done
"$PY" - r.db <<'PY' >roundtrip.txt
import sqlite3, sys
def fields(line):
    out, i = [], 0
    while True:
        if line.startswith('"', i):
            j, v = i + 1, ''
            while True:
                k = line.index('"', j)
                if line.startswith('""', k):
                    v += line[j:k] + '"'; j = k + 2
                else:
                    v += line[j:k]; i = k + 1; break
            out.append(v)
        else:
            k = line.find(',', i); k = len(line) if k < 0 else k
            t = line[i:k]; i = k
            out.append(None if t == '' else (float(t) if '.' in t else int(t)))
        if i >= len(line): return out
        assert line[i] == ','; i += 1
db = sqlite3.connect(sys.argv[1], isolation_level=None)
for what, table in (('results', 'result'), ('scores', 'score'), ('deductions', 'deduction')):
    data = open(what + '.csv', 'rb').read()
    assert data.startswith(b'\xef\xbb\xbf'), what
    lines = data[3:].decode('utf-8').split('\r\n')
    assert lines[-1] == '', what
    header, rows = fields(lines[0]), [fields(l) for l in lines[1:-1]]
    ddl = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    db.execute("ATTACH ':memory:' AS back")
    db.execute(ddl.replace('CREATE TABLE ' + table, 'CREATE TABLE back.' + table, 1))
    db.executemany('INSERT INTO back.%s (%s) VALUES (%s)' % (table, ','.join(header),
                   ','.join('?' * len(header))), rows)
    orig = 'SELECT * FROM main.%s WHERE run_id = 1' % table
    back = 'SELECT * FROM back.%s' % table
    n = db.execute('SELECT count(*) FROM back.%s' % table).fetchone()[0]
    d1 = db.execute('%s EXCEPT %s' % (orig, back)).fetchall()
    d2 = db.execute('%s EXCEPT %s' % (back, orig)).fetchall()
    # typeof: a number loaded back is a number, a text a text
    t = db.execute("SELECT count(*) FROM (SELECT typeof(total), typeof(grade) FROM back.%s "
                   "EXCEPT SELECT typeof(total), typeof(grade) FROM main.%s)" % (table, table)
                   ).fetchone()[0] if table == 'result' else 0
    print(what, n, len(d1), len(d2), t)
    db.execute("DETACH back")
PY
expect_eq "results 3 0 0 0
scores 12 0 0 0
deductions 13 0 0 0" "$(cat roundtrip.txt)" "CSV → SQLite gives each table back (rows, 0 missing, 0 extra)"

# -- JSON Lines: one object a row, numbers as numbers, NULL as null
"$KAOHE" export --results r.db --run 1 --format json --what results >res.jsonl
expect_eq '{"run_id":1,"scorecard_id":"post-assessment-deductions","subject_kind":"county","subject_id":"C1","total":-1.4,"grade":null,"rank":1,"pending_items":0,"total_x100":-140,"vetoed_items":0,"rollup":0,"members":0,"members_total":0}' \
  "$(head -1 res.jsonl)" "the first result as JSON"
"$KAOHE" export --results r.db --run 1 --format json --what deductions >ded.jsonl
expect_eq "13 -260" "$("$PY" -c "
import json
rows = [json.loads(l) for l in open('ded.jsonl', encoding='utf-8')]
print(len(rows), sum(r['points_x100'] * (-1) for r in rows))")" \
  "13 deductions, 2.60 points in all (county 1.40 + 甲镇 0.60 + 乙乡 0.60; item 4's loss is one row naming I1、I2)"

# -- findings: from the run's evidence, only the run's period and scorecards. F1 and F3 are the
# run's (post-assessment, 2018); F2 is another period, F4 another scorecard.
sqlite3 ev.db "INSERT INTO finding (id, scorecard, item, subject_kind, subject_id, period,
  answer, score, note, inspector, inspected_on) VALUES
  ('F1', 'post-assessment-deductions', '4', 'county', 'C1', '2018', '部分', 0.1, '说明, \"引号\"', '王五', '2019-01-05'),
  ('F2', 'post-assessment-deductions', '4', 'county', 'C1', '2017', '是', NULL, '', '王五', '2018-01-05'),
  ('F3', 'post-assessment-deductions', '1', 'township', 'T1', '2018', '否', NULL, '', '李四', '2019-01-06'),
  ('F4', 'other-card', '1', 'county', 'C1', '2018', '是', NULL, '', '王五', '2019-01-05')"
mkdir elsewhere
(cd elsewhere && "$KAOHE" export --results ../r.db --format csv --what findings >../f.csv 2>../err.txt) || true
expected=$(printf '\xef\xbb\xbf"id","scorecard","item","subject_kind","subject_id","period","answer","score","note","inspector","inspected_on"\r
"F3","post-assessment-deductions","1","township","T1","2018","否",,"","李四","2019-01-06"\r
"F1","post-assessment-deductions","4","county","C1","2018","部分",0.1,"说明, ""引号""","王五","2019-01-05"\r
x')
expect_eq "$expected|" "$(cat f.csv; echo x)|$(cat err.txt)" \
  "findings of the run's period and scorecard, the evidence found beside the results database"

# -- formulas: a text that Excel or WPS would run (= + - @, tab, CR first) gets an apostrophe
# before it in the default CSV, which is for people; --raw and JSON keep it exactly. F5's note
# and inspector, F6's note (tab first) and inspector (CR first); numbers are never touched: F5's
# score -0.5 stays a bare number (a text column only is protected)
sqlite3 ev.db "INSERT INTO finding (id, scorecard, item, subject_kind, subject_id, period,
  answer, score, note, inspector, inspected_on) VALUES
  ('F5', 'post-assessment-deductions', '2', 'township', 'T2', '2018', '部分', -0.5, '=HYPERLINK(\"http://x\")', '-王五', '2019-01-07'),
  ('F6', 'post-assessment-deductions', '3', 'township', 'T2', '2018', '否', NULL, char(9) || '+1', char(13) || '@A1', '2019-01-07')"
"$KAOHE" export --results r.db --format csv --what findings | grep -a '^"F[56]"' >f56.csv
expect_eq "$(printf '"F5","post-assessment-deductions","2","township","T2","2018","部分",-0.5,"\x27=HYPERLINK(""http://x"")","\x27-王五","2019-01-07"\r
"F6","post-assessment-deductions","3","township","T2","2018","否",,"\x27\t+1","\x27\r@A1","2019-01-07"\r
x')" "$(cat f56.csv; echo x)" "CSV: an apostrophe before each text a spreadsheet would run, the number bare"
"$KAOHE" export --results r.db --format csv --what findings --raw | grep -a '^"F[56]"' >f56raw.csv
expect_eq "$(printf '"F5","post-assessment-deductions","2","township","T2","2018","部分",-0.5,"=HYPERLINK(""http://x"")","-王五","2019-01-07"\r
"F6","post-assessment-deductions","3","township","T2","2018","否",,"\t+1","\r@A1","2019-01-07"\r
x')" "$(cat f56raw.csv; echo x)" "--raw: the texts exactly"
expect_eq '{"id":"F5","scorecard":"post-assessment-deductions","item":"2","subject_kind":"township","subject_id":"T2","period":"2018","answer":"部分","score":-0.5,"note":"=HYPERLINK(\"http://x\")","inspector":"-王五","inspected_on":"2019-01-07"}' \
  "$("$KAOHE" export --results r.db --format json --what findings | grep '"id":"F5"')" "JSON: the texts exactly"
sqlite3 ev.db "DELETE FROM finding WHERE id IN ('F5', 'F6')"

# -- --out: the file complete, or nothing
rc=0
"$KAOHE" export --results r.db --run 1 --format csv --what results --out out.csv >stdout.txt || rc=$?
expect_eq "0||$(sha256sum <res.csv | cut -c1-64)" \
  "$rc|$(cat stdout.txt)|$(sha256sum <out.csv | cut -c1-64)" "--out: the same bytes, stdout empty"

# -- bad paths: exit 2 for usage, 1 when the database cannot give the rows; nothing written
bad() { # expected-rc expected-stderr-first-line what args...
  local want_rc=$1 want=$2 what=$3
  shift 3
  rm -f bad.out
  local rc=0
  "$KAOHE" export "$@" >stdout.txt 2>err.txt || rc=$?
  expect_eq "$want_rc|$want||0" "$rc|$(head -1 err.txt)|$(cat stdout.txt)|$(ls "$T" | grep -c '^bad\.out' || true)" "$what"
}
bad 2 "kaohe: error: export: --format xml: expected csv or json" "unknown format" \
  --results r.db --format xml --what results
bad 2 "kaohe: error: export: --what score: expected results, scores, deductions or findings" \
  "unknown --what" --results r.db --format csv --what score
bad 2 "kaohe: error: export: --results DB, --format csv|json and --what results|scores|deductions|findings are required" \
  "no --what" --results r.db --format csv
bad 2 "kaohe: error: --run 0: expected a run number" "run 0" \
  --results r.db --run 0 --format csv --what results
bad 2 "kaohe: error: export: --evidence is for --what findings only (the others are read from the results database)" \
  "--evidence with results" --results r.db --evidence ev.db --format csv --what results
bad 2 "kaohe: error: export: --raw is for --format csv (JSON Lines are always exact)" \
  "--raw with JSON" --results r.db --format json --what results --raw
bad 2 "kaohe: error: export: unknown option '--period'" "an unknown option" \
  --results r.db --period 2018 --format csv --what results
bad 1 "kaohe: error: r.db: no run 9 (see: kaohe runs --results r.db)" "no such run" \
  --results r.db --run 9 --format csv --what results --out bad.out
bad 1 "kaohe: error: nope.db: no such results database" "no such database" \
  --results nope.db --format csv --what results --out bad.out
bad 1 "kaohe: error: ev.db: not a kaohe results database (no such table: run)" \
  "an evidence database" --results ev.db --format json --what scores --out bad.out
bad 1 "kaohe: error: gone.db: cannot open evidence database" "findings, evidence missing" \
  --results r.db --format csv --what findings --evidence gone.db
expect_eq "" "$(ls | grep tmp- || true)" "no temporary file left"
finish
