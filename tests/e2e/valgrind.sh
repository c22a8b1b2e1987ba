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
finish
