# Shared by the end-to-end tests: paths, a scratch directory, assertions.
set -euo pipefail
: "${KAOHE:?}" "${KAOHE_HOME:?}"
PY=/usr/bin/python3 # Debian's python3, which has python3-openpyxl
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
passes=0
ok() { passes=$((passes + 1)); }
fail() {
  echo "FAIL: $*" >&2
  fails=$((fails + 1))
}
expect_eq() { # expected actual what
  if [ "$1" == "$2" ]; then ok; else fail "$3: expected '$1', got '$2'"; fi
}
expect_contains() { # haystack needle what
  if [[ "$1" == *"$2"* ]]; then ok; else fail "$3: expected '$2' in '$1'"; fi
}
small_evidence() { # path
  sqlite3 "$1" <"$KAOHE_HOME/fixtures/evidence-schema.sql"
  sqlite3 "$1" <"$KAOHE_HOME/fixtures/small/post_assessment.sql"
}
refused_run() { # scorecard, expected stderr after "kaohe: error: ", run options...
  # `kaohe run --evidence ev.db OPTIONS SCORECARD` (in the current directory) must fail with exit
  # 1 and exactly that message, in seconds of CPU (not wall-clock: the machine may be loaded);
  # the timeout ends a hang without the defence
  local file=$1 expect=$2 rc=0
  shift 2
  { TIMEFORMAT='%0U+%0S' && time timeout 120 "$KAOHE" run --evidence ev.db "$@" "$file" \
    >out.txt 2>err.txt; } 2>cpu.txt || rc=$?
  expect_eq 1 "$rc" "$file: exit code"
  expect_eq "kaohe: error: $expect" "$(cat err.txt)" "$file: message"
  # under AddressSanitizer the copying of cat.lua's ~3 GiB took 13+7 s of CPU on a loaded
  # machine: three times the bound there (the message already says which limit stopped it)
  local bound=20
  ldd "$KAOHE" | grep -q libasan && bound=60
  expect_eq 1 "$(($(cat cpu.txt) < bound))" "$file: refused in seconds of CPU ($(cat cpu.txt))"
}
finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
