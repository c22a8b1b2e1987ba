#!/usr/bin/env bash
# 运行信息 (issue 15 item 8): the run's number in the results database, the time in local time
# (Beijing unless TZ names another zone), each parameter with the scorecard's description and
# the value run with, and files named under KAOHE_HOME or by file name — never an absolute path
# of the machine, nor the build directory the binary runs from.
source "$(dirname "$0")/lib.bash"
cd "$T"
small_evidence ev.db
CARD=$KAOHE_HOME/fixtures/small/post_assessment_param.lua
info() { # workbook key → that row's value on 运行信息
  "$PY" - "$1" "$2" <<'PY'
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
rows = {r[0]: r[1] for r in wb["运行信息"].iter_rows(min_row=3, values_only=True)}
print(rows.get(sys.argv[2], "(no row %s)" % sys.argv[2]))
PY
}
# 1545271200 = 2018-12-20T02:00:00Z = 10:00:00 in Beijing (UTC+8)
KAOHE_RUN_TIME=1545271200 "$KAOHE" run --evidence ev.db --results r.db "$CARD" >/dev/null
KAOHE_RUN_TIME=1545271200 "$KAOHE" run --evidence ev.db --results r.db --out two.xlsx \
  --param big4_followups=3 "$CARD" >/dev/null
expect_eq "运行 2（结果库中的编号，用于 --run 2）" "$(info two.xlsx 运行编号)" \
  "the second run into r.db is run 2 (kaohe runs agrees: $("$KAOHE" runs --results r.db | grep -c '^运行') runs)"
expect_eq "2018-12-20 10:00:00（北京时间）|2018-12-20T02:00:00Z" \
  "$(info two.xlsx 运行时间)|$(info two.xlsx '运行时间(UTC)')" "local (Beijing) time, and UTC"
# the card's one parameter: its description from the card, the value run with, the default
expect_eq "四大慢病患者本年随访次数下限（每季度1次）（post-assessment-deductions.big4_followups）：3（本次设定；默认 4）" \
  "$(info two.xlsx 参数)" "the parameter, described, set by --param"
expect_eq "kaohe run --evidence ev.db --results r.db --out two.xlsx --param big4_followups=3 KAOHE_HOME/fixtures/small/post_assessment_param.lua" \
  "$(info two.xlsx 命令行)" "the command line: the program as kaohe, the card under KAOHE_HOME"
expect_eq "KAOHE_HOME/scripts/kaohe/dsl.lua" "$(info two.xlsx 考核表语言文件)" "the language file"
expect_eq "0" "$("$PY" - two.xlsx "$KAOHE_HOME" "$(dirname "$KAOHE")" <<'PY'
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
cells = [str(c) for r in wb["运行信息"].iter_rows(values_only=True) for c in r if c]
print(sum(sys.argv[2] in c or sys.argv[3] in c or "/build" in c for c in cells))
PY
)" "no cell names the source tree, the build directory or /build"

# the same command twice writes the same workbook, whether or not the first run's output is
# still there: an output under KAOHE_HOME is shown as KAOHE_HOME/out/x.xlsx both times (it was
# "x.xlsx" when the file did not exist yet and "KAOHE_HOME/out/x.xlsx" when it did)
H2=$T/outhome
mkdir -p "$H2/out"
for d in scripts fixtures scorecards; do ln -s "$KAOHE_HOME/$d" "$H2/$d"; done
# (the hash cache off: a second run reusing the evidence hash says so in 运行信息's 证据哈希)
for i in 1 2; do
  (cd "$H2" && KAOHE_HOME=$H2 KAOHE_RUN_TIME=1545271200 KAOHE_NO_HASH_CACHE=1 "$KAOHE" run --evidence "$T/ev.db" \
    --out out/x.xlsx "$CARD" >/dev/null)
  cp "$H2/out/x.xlsx" "x$i.xlsx"
done
expect_eq "kaohe run --evidence ev.db --out KAOHE_HOME/out/x.xlsx post_assessment_param.lua" \
  "$(info x1.xlsx 命令行)" "an output not yet written is shown under KAOHE_HOME"
expect_eq "same" "$(cmp -s x1.xlsx x2.xlsx && echo same || echo differ)" \
  "the second run over the first one's output writes the same bytes"

# TZ names another zone; no --results: no run number; the default value alone
TZ=UTC KAOHE_RUN_TIME=1545271200 "$KAOHE" run --evidence ev.db --out one.xlsx "$CARD" >/dev/null
expect_eq "（未写入结果库）|2018-12-20 02:00:00（UTC）" \
  "$(info one.xlsx 运行编号)|$(TZ=UTC info one.xlsx 运行时间)" "no results database; TZ=UTC"
expect_eq "四大慢病患者本年随访次数下限（每季度1次）（post-assessment-deductions.big4_followups）：4" \
  "$(info one.xlsx 参数)" "the default, not marked"

# A run whose deductions spill (--spill-after 1: the workbook is read back from the results
# transaction) numbers the run as well: r.db's third
"$KAOHE" run --evidence ev.db --results r.db --out three.xlsx --spill-after 1 "$CARD" >/dev/null
expect_eq "运行 3（结果库中的编号，用于 --run 3）" "$(info three.xlsx 运行编号)" "a spilled run: run 3"

# The binary in a build directory under KAOHE_HOME, the evidence beside it: the evidence is
# named by its file name (its hash is on the next row), not as KAOHE_HOME/build/…; a file
# under KAOHE_HOME elsewhere is named below it.
mkdir -p home/scripts/kaohe home/build home/cards
cp "$KAOHE_HOME/scripts/kaohe/dsl.lua" home/scripts/kaohe/
cp "$KAOHE" home/build/kaohe
cp ev.db home/build/ev.db
cp "$CARD" home/cards/card.lua
KAOHE_HOME=$T/home home/build/kaohe run --evidence "$T/home/build/ev.db" --out b.xlsx \
  "$T/home/cards/card.lua" >/dev/null
expect_eq "ev.db|kaohe run --evidence ev.db --out b.xlsx KAOHE_HOME/cards/card.lua" \
  "$(info b.xlsx 证据库)|$(info b.xlsx 命令行)" "the build directory's evidence by name"
# The binary elsewhere, the evidence in a CMake build directory under KAOHE_HOME (a folder
# holding CMakeCache.txt, as build/ after scripts/demo.sh): named by file name too.
mkdir home/out && touch home/out/CMakeCache.txt && cp ev.db home/out/demo.db
KAOHE_HOME=$T/home "$KAOHE" run --evidence "$T/home/out/demo.db" --out c.xlsx "$CARD" >/dev/null
expect_eq "demo.db" "$(info c.xlsx 证据库)" "a CMake build directory's evidence by name"
finish
