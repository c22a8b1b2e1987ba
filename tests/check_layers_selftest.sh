#!/usr/bin/env bash
# The layer check catches what it is for: on a copy of engine/, each planted violation makes
# tests/check_layers.sh fail with a message naming the file, and the clean copy passes.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
plant() { # FILE LINE EXPECTED-MESSAGE
  rm -rf "$tmp/engine"
  cp -r "$root/engine" "$tmp/engine"
  printf '\n%s\n' "$2" >>"$tmp/engine/$1" # on a line of its own even after a file without a final newline
  if out=$(bash "$root/tests/check_layers.sh" "$tmp" 2>&1); then
    echo "FAIL: '$2' in $1 was not caught"
    fails=$((fails + 1))
  elif ! grep -qF "$3" <<<"$out"; then
    echo "FAIL: '$2' in $1: expected '$3' in: $out"
    fails=$((fails + 1))
  else
    echo "ok: $1: $3"
  fi
}
rm -rf "$tmp/engine" && cp -r "$root/engine" "$tmp/engine"
bash "$root/tests/check_layers.sh" "$tmp" || { echo "FAIL: the clean tree does not pass"; exit 1; }
plant core/eval.c '#include <sqlite3.h>' 'engine/core/eval.c:'
plant app/run.c '#include <sqlite3.h>' '<sqlite3.h> belongs to evidence, store, not app'
plant report/report.c '#include <lua.h>' '<lua.h> belongs to lua, lua/module, not report'
plant store/results.c '#include <xlsxwriter.h>' '<xlsxwriter.h> belongs to report, not store'
plant store/results.c '#include "report/report.h"' 'store may not call report'
plant core/eval.c '#include "store/results.h"' 'core may not call store'
plant base/strbuf.c '#include "evidence/evidence.h"' 'base may not call evidence'
plant app/run.c '#include "store/store_internal.h"' 'store/store_internal.h is internal to store'
plant store/results.h '#include <sqlite3.h>' 'public header includes <sqlite3.h>'
echo "$((9 - fails)) passed, $fails failed"
[ $fails -eq 0 ]
