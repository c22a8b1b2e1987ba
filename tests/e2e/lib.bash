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
finish() {
  echo "$passes passed, $fails failed"
  [ "$fails" -eq 0 ]
}
