#!/usr/bin/env bash
# cmake --install into a temporary prefix, the prefix then moved elsewhere, and the installed
# kaohe run from another directory with a clean environment (no KAOHE_HOME): version, check,
# run, explain, reproduce on the hand-made fixture; the Lua module and kaohe.testing from
# lua5.4; the man page; bash completion; the docs. Expected values are those worked out in
# fixtures/small/post_assessment.sql (county -1.4, 14 deductions; 甲镇 item 2: admission A2).
source "$(dirname "$0")/lib.bash"
: "${BUILD:?}"
cache() { sed -n "s/^$1:[A-Z]*=//p" "$BUILD/CMakeCache.txt"; }

cmake --install "$BUILD" --prefix "$T/first" >/dev/null
# relocatable: the binary finds share/kaohe from its own location, not the configured prefix
mv "$T/first" "$T/p"
P=$T/p
mkdir "$T/work"
clean() { (cd "$T/work" && env -i PATH="$P/bin:/usr/bin:/bin" LANG=C.UTF-8 "$@"); }

for f in bin/kaohe share/kaohe/scripts/kaohe/dsl.lua share/kaohe/scripts/kaohe/testing.lua \
  share/kaohe/fixtures/evidence-schema.sql share/kaohe/fixtures/import/headers.tsv \
  share/lua/5.4/kaohe/testing.lua "$(cache CMAKE_INSTALL_LIBDIR)/lua/5.4/kaohe.so" \
  share/doc/kaohe/README.md share/doc/kaohe/docs/authoring.md \
  share/bash-completion/completions/kaohe; do
  if [ -f "$P/$f" ]; then ok; else fail "installed: $f missing"; fi
done
expect_eq "$(ls "$KAOHE_HOME/scorecards")" "$(ls "$P/share/kaohe/scorecards")" "bundled scorecards"

expect_eq "$("$KAOHE" version)" "$(clean kaohe version)" "installed kaohe version"
expect_eq "$("$KAOHE" version)" "$(clean kaohe --version)" "--version"

rc=0
out=$(clean kaohe check "$P"/share/kaohe/scorecards/*.lua 2>&1) || rc=$?
expect_eq 0 "$rc" "installed check of the installed scorecards: exit 0 ($out)"
expect_eq 7 "$(grep -c ': ok$' <<<"$out")" "the seven bundled scorecards ok"

small_evidence "$T/work/ev.db"
CARD=$P/share/kaohe/scorecards/post_assessment_deductions.lua
out=$(clean kaohe run --evidence ev.db --period 2018 --out r.xlsx --results r.db "$CARD")
expect_contains "$out" "13 条扣分记录" "installed run: deductions"
expect_eq "-1.4" "$(sqlite3 "$T/work/r.db" "SELECT total FROM result WHERE subject_id = 'C1'")" \
  "installed run: county total"
out=$(clean kaohe explain --results r.db --subject T1 --item 2)
expect_contains "$out" "admission A2" "installed explain: the evidence row"
rc=0
out=$(clean kaohe reproduce --results r.db) || rc=$?
expect_eq 0 "$rc" "installed reproduce: exit 0"
expect_contains "$out" "结果一致" "installed reproduce: identical"

# the installed language is the one read (the source tree is still on disk): a copy made to
# fail names itself; KAOHE_HOME still overrides
DSL=$P/share/kaohe/scripts/kaohe/dsl.lua
cp "$DSL" "$T/dsl.lua"
{ echo 'error("the installed copy was read")'; cat "$T/dsl.lua"; } >"$DSL"
rc=0
clean kaohe check "$CARD" >/dev/null 2>"$T/err" || rc=$?
expect_eq 1 "$rc" "a broken installed language: exit 1"
expect_contains "$(cat "$T/err")" "the installed copy was read" "the installed language is read"
rc=0
clean KAOHE_HOME="$KAOHE_HOME" kaohe check "$CARD" >/dev/null 2>&1 || rc=$?
expect_eq 0 "$rc" "KAOHE_HOME overrides the installed data"
cp "$T/dsl.lua" "$DSL"
rc=0
clean KAOHE_HOME="$T/work" kaohe run --evidence ev.db "$CARD" >/dev/null 2>"$T/err" || rc=$?
expect_eq 1 "$rc" "KAOHE_HOME without the language: exit 1"
expect_contains "$(cat "$T/err")" "$T/work/scripts/kaohe/dsl.lua" "the missing language file is named"

# the Lua module and kaohe.testing, from lua5.4 (not in a sanitizer build: the system Lua
# cannot load an ASan module)
if [ "$(cache KAOHE_SANITIZE)" != ON ]; then
  out=$(clean LUA_CPATH="$P/$(cache CMAKE_INSTALL_LIBDIR)/lua/5.4/?.so" \
    LUA_PATH="$P/share/lua/5.4/?.lua" lua5.4 -e \
    'local k = require "kaohe"; local T = require "kaohe.testing"; print(k.home .. " " .. type(T.run))')
  expect_eq "$(realpath "$P/share/kaohe") function" "$out" "the Lua module finds share/kaohe"
fi

# the man page, when scdoc was found at configure time
if [ -n "$(cache SCDOC)" ] && [ "$(cache SCDOC)" != SCDOC-NOTFOUND ]; then
  expect_eq "$P/share/man/man1/kaohe.1.gz" "$(clean MANPATH="$P/share/man" man -w kaohe)" "man -w"
  man=$(zcat "$P/share/man/man1/kaohe.1.gz")
  expect_contains "$man" "county-workbooks" "the man page lists run's options"
fi

# bash completion: commands, options, scorecard files
complete_words() { # cwd words...
  local dir=$1
  shift
  (cd "$dir" && env -i PATH="$P/bin:/usr/bin:/bin" bash -c \
    'source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _kaohe; echo "${COMPREPLY[*]}"' \
    "$P/share/bash-completion/completions/kaohe" "$@")
}
expect_eq "reproduce" "$(complete_words "$T" kaohe rep)" "completes a command"
expect_eq "--county-workbooks" "$(complete_words "$T" kaohe run --cou)" "completes an option"
expect_eq "gb18030" "$(complete_words "$T" kaohe import --encoding gb)" "completes a value"
expect_eq "wudu_2018.lua" "$(complete_words "$P/share/kaohe/scorecards" kaohe check w)" \
  "completes a scorecard file"
finish
