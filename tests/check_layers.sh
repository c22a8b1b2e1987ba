#!/usr/bin/env bash
# The engine's layer boundaries (docs/architecture.md), checked on every build (target
# layer_check) and as a test. Linking a third-party library PRIVATE to its layer is not enough on
# its own: sqlite3.h and xlsxwriter.h live in /usr/include, where every file can reach them. So
# this script reads each #include of engine/ and fails, naming file and line, when
#   - a third-party header is included outside the layer allowed to use it;
#   - a header of the engine is included from a layer below the one it belongs to;
#   - a *_internal.h header (the only headers that may expose a third-party type) is included
#     from outside its own folder, or a public header includes a third-party one.
#   tests/check_layers.sh [SOURCE_DIR]
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root/engine"

# Layers, lowest first, and what each may include of the engine.
declare -A below=(
  [base]="base"
  [evidence]="base evidence"
  [core]="base evidence core"
  [lua]="base evidence core lua"
  [store]="base evidence core store"
  [report]="base evidence core report"
  [app]="base evidence core lua store report app"
  [lua/module]="base evidence core lua store report app"
  [cli]="base evidence core lua store report app cli"
)
# Third-party headers and the layers allowed to include them.
declare -A owner=(
  [sqlite3.h]="evidence store"
  [lua.h]="lua lua/module" [lauxlib.h]="lua lua/module" [lualib.h]="lua lua/module"
  [xlsxwriter.h]="report" [zip.h]="report" [expat.h]="report"
  [csv.h]="evidence" [openssl/evp.h]="evidence"
)

status=0
fail() {
  echo "check_layers: $1" >&2
  status=1
}

while IFS= read -r file; do
  layer=${file%/*}
  [ -n "${below[$layer]+x}" ] || {
    fail "engine/$file: not in a layer folder (${!below[*]})"
    continue
  }
  base=${file##*/}
  while IFS=: read -r line text; do
    if [[ $text =~ ^#include\ \<([^>]+)\> ]]; then
      h=${BASH_REMATCH[1]}
      [ -n "${owner[$h]+x}" ] || continue
      case " ${owner[$h]} " in
      *" $layer "*) ;;
      *) fail "engine/$file:$line: <$h> belongs to ${owner[$h]// /, }, not $layer" ;;
      esac
      if [[ $base == *.h && $base != *_internal.h ]]; then
        fail "engine/$file:$line: public header includes <$h>; only a *_internal.h may"
      fi
    elif [[ $text =~ ^#include\ \"([^\"]+)\" ]]; then
      h=${BASH_REMATCH[1]}
      [[ $h == */* ]] || continue # kaohe_config.h (generated) and the like
      hl=${h%/*}
      case " ${below[$layer]} " in
      *" $hl "*) ;;
      *) fail "engine/$file:$line: includes $h, but $layer may not call $hl (a layer above it)" ;;
      esac
      if [[ $h == *_internal.h && $hl != "$layer" ]]; then
        fail "engine/$file:$line: $h is internal to $hl"
      fi
    fi
  done < <(grep -n '^#include' "$file" || true)
done < <(find . -name '*.[ch]' -printf '%P\n' | sort)

if [ $status -ne 0 ]; then
  echo "check_layers: FAILED (see docs/architecture.md for what each layer may include)" >&2
fi
exit $status
