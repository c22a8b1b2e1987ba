#!/usr/bin/env bash
# The whole run on the hand-made fixture under valgrind: no memory errors, no leaks.
# (Skipped in the ASan build, where AddressSanitizer's own leak check does this job.)
source "$(dirname "$0")/lib.bash"
# (not grep -q: it would stop reading early, and under pipefail the SIGPIPE of ldd fails the test)
if ldd "$KAOHE" | grep libasan >/dev/null; then
  echo "valgrind check skipped in the sanitizer build"
  exit 0
fi
small_evidence "$T/ev.db"
rc=0
valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible \
  --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
  "$KAOHE" run --evidence "$T/ev.db" --period 2018 --out "$T/r.xlsx" --results "$T/r.db" \
  scorecards/post_assessment_deductions.lua >/dev/null 2>"$T/vg.txt" || rc=$?
expect_eq 0 "$rc" "valgrind exit code (99 = memory error or leak; see below)"
[ "$rc" -eq 0 ] || cat "$T/vg.txt" >&2
# a failing run must not leak either
echo 'while true do end' >"$T/loop.lua"
rc=0
valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
  --error-exitcode=99 "$KAOHE" run --evidence "$T/ev.db" --instruction-limit 100000 \
  "$T/loop.lua" >/dev/null 2>"$T/vg2.txt" || rc=$?
expect_eq 1 "$rc" "failing run under valgrind exits 1, not 99"
[ "$rc" -eq 1 ] || cat "$T/vg2.txt" >&2
# the other commands, each under valgrind on the same fixture
vg() { # what, expected exit code, command...
  local what=$1 want=$2
  shift 2
  local rc=0
  valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite,indirect,possible \
    --error-exitcode=99 "$@" >/dev/null 2>"$T/vg.txt" || rc=$?
  expect_eq "$want" "$rc" "$what under valgrind (99 = memory error or leak)"
  [ "$rc" -eq "$want" ] || cat "$T/vg.txt" >&2
}
vg "check" 0 "$KAOHE" check --evidence "$T/ev.db" scorecards/post_assessment_deductions.lua
vg "reproduce" 0 "$KAOHE" reproduce --results "$T/r.db"
vg "reproduce from the workbook" 0 "$KAOHE" reproduce --workbook "$T/r.xlsx" --evidence "$T/ev.db"
vg "explain" 0 "$KAOHE" explain --results "$T/r.db" --subject C1
vg "diff" 0 "$KAOHE" diff --results "$T/r.db" 1 1
vg "sample" 0 "$KAOHE" sample --evidence "$T/ev.db" --seed 1 --period 2018 --scorecard huining-wudu-2018 --items 3,20 --out "$T/s.xlsx"
printf 'id,household_id,name\nP8,H1,x\nP8,NOPE,"y\n' >"$T/person.csv"
vg "a refused import" 1 "$KAOHE" import --evidence "$T/ev.db" "$T/person.csv"
printf 'id,household_id,name,birth_date\nP8,H1,x,2018/5/31\n' >"$T/person.csv"
vg "an import" 0 "$KAOHE" import --evidence "$T/ev.db" "$T/person.csv"
finish
