#!/usr/bin/env bash
# CLI conventions: -h/--help on every subcommand (exit 0, usage and one line per option, every
# option its usage line names and every option its cmd_*.c accepts listed), `kaohe help CMD`
# the same, bare `kaohe` (short help on stderr, exit 2), no line of any of them or of `kaohe
# help` wider than 80 columns, --version, "did you mean" for commands, options and parameters, the man page listing every
# option, and a progress bar that fits a 40-column terminal and draws nothing on a pipe.
source "$(dirname "$0")/lib.bash"
SRC=$(cd "$(dirname "$0")/../.." && pwd)

# display width of each line of stdin wider than $1 columns (汉字 count two)
too_wide() {
  "$PY" -c '
import sys, unicodedata
for l in sys.stdin.read().split("\n"):
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l)
    if w > int(sys.argv[1]): print(w, l)' "$1"
}

commands=$("$KAOHE" help --complete)
expect_contains "$(tr '\n' ' ' <<<"$commands")" "run merge check import schema hash reproduce runs explain diff sample findings export accountability version help" \
  "the command list"
for cmd in $commands; do
  rc=0
  "$KAOHE" "$cmd" --help >"$T/help" 2>"$T/err" || rc=$?
  expect_eq "0" "$rc" "$cmd --help: exit code"
  expect_eq "" "$(cat "$T/err")" "$cmd --help: nothing on stderr"
  help=$(cat "$T/help")
  expect_contains "$(head -1 "$T/help")" "usage: kaohe $cmd" "$cmd --help: the usage line first"
  expect_eq "$help" "$("$KAOHE" "$cmd" -h)" "$cmd -h is --help"
  expect_eq "$help" "$("$KAOHE" help "$cmd")" "help $cmd is $cmd --help"
  # --help wins wherever it is, even after an option that would fail
  expect_eq "$help" "$("$KAOHE" "$cmd" --nosuch x --help)" "$cmd --nosuch x --help"
  opts=$(sed -n '/^options:$/,$p' "$T/help")
  # the usage names options (up to "options:"), the source accepts them ("--x" literals)
  usage=$(sed '/^options:$/,$d' "$T/help")
  src="$SRC/engine/cli/cmd_$cmd.c"
  accepted=$( (grep -oE -- '(^|[[ ])--?[a-z][a-z-]*' <<<"$usage" | tr -d '[ ' || true
    [ -f "$src" ] && grep -oE -- '"--?[a-z][a-z-]*' "$src" | tr -d '"' || true) | sort -u)
  for o in $accepted; do
    if grep -qE -- "(^|[ ,])$o( |,|$)" <<<"$opts"; then ok; else fail "$cmd --help does not list $o"; fi
  done
  # one line per option: each line of the list starts with an option or an operand
  expect_eq "" "$(tail -n +2 <<<"$opts" | grep -vE '^  (-|[A-Z])' || true)" "$cmd --help: one line each"
  expect_eq "" "$(too_wide 80 <"$T/help")" "$cmd --help: every line fits 80 columns"
done

# bare kaohe: short help on stderr, nothing on stdout, exit 2 (git's convention)
rc=0
"$KAOHE" >"$T/out" 2>"$T/err" || rc=$?
expect_eq "2" "$rc" "bare kaohe: exit 2"
expect_eq "" "$(cat "$T/out")" "bare kaohe: stdout empty"
expect_contains "$(cat "$T/err")" "usage: kaohe COMMAND" "bare kaohe: usage on stderr"
expect_contains "$(cat "$T/err")" "kaohe COMMAND --help" "bare kaohe: says where the options are"
for h in help --help -h; do
  rc=0
  out=$("$KAOHE" $h) || rc=$?
  expect_eq "0" "$rc" "kaohe $h: exit 0"
  expect_contains "$out" "  reproduce" "kaohe $h lists the commands"
done
expect_eq "$("$KAOHE" version)" "$("$KAOHE" --version)" "--version is version"
# the overview and bare kaohe's list fit an 80-column terminal too
expect_eq "" "$("$KAOHE" help | too_wide 80)" "kaohe help: every line fits 80 columns"
expect_eq "" "$("$KAOHE" 2>&1 | too_wide 80)" "bare kaohe: every line fits 80 columns"
expect_contains "$("$KAOHE" --version)" "kaohe " "--version names kaohe"

# did you mean: commands, options, parameters; a word far from all gets the pointer to help
usage_error() { # expected-message args...
  local want=$1 rc=0
  shift
  "$KAOHE" "$@" >/dev/null 2>"$T/err" || rc=$?
  expect_eq "2 kaohe: error: $want" "$rc $(head -1 "$T/err")" "kaohe $*"
}
usage_error "unknown command 'rnu' (did you mean 'run'?)" rnu
usage_error "unknown command 'frobnicate' (try 'kaohe help')" frobnicate
usage_error "help: unknown command 'exlpain' (did you mean 'explain'?)" help exlpain
usage_error "run: unknown option '--parm' (did you mean '--param'?)" run --parm x=1 a.lua
usage_error "run: unknown option '--nosuch'" run --nosuch a.lua
usage_error "hash: unknown option '--evidenc=x.db' (did you mean '--evidence'?)" hash --evidenc=x.db
usage_error "import: unknown option '--partail' (did you mean '--partial'?)" import --partail a.csv
usage_error "explain: unknown argument 'C1'" explain --results r.db C1
small_evidence "$T/ev.db"
rc=0
"$KAOHE" run --evidence "$T/ev.db" --param big4_folowups=3 \
  "$KAOHE_HOME/fixtures/small/post_assessment_param.lua" >/dev/null 2>"$T/err" || rc=$?
# the scorecard declares big4_followups only (its params block)
expect_eq "1 kaohe: error: --param big4_folowups: no scorecard in this run declares a parameter big4_folowups (did you mean 'big4_followups'? declared: big4_followups)" \
  "$rc $(cat "$T/err")" "a mistyped parameter"

# the man page (built when scdoc is found) lists every option of every command
if [ -f "$BUILD/kaohe.1.gz" ]; then
  man=$(zcat "$BUILD/kaohe.1.gz")
  for cmd in $commands; do
    for o in $("$KAOHE" help --complete "$cmd" | cut -d' ' -f1 | grep '^-'); do
      if grep -qF -- "$o" <<<"$man"; then ok; else fail "man page: $cmd $o missing"; fi
    done
  done
fi

# progress: in a 40-column terminal every redraw fits (39 columns: the last is left free);
# on a pipe nothing is drawn
script -qec "stty cols 40; $KAOHE run -j 1 --evidence $T/ev.db $KAOHE_HOME/scorecards/post_assessment_deductions.lua >/dev/null" \
  "$T/tty" >/dev/null 2>&1
draws=$(tr '\r' '\n' <"$T/tty" | grep -a '^.\[K\[' | sed 's/^.\[K//')
expect_eq "4" "$(grep -c '/4 项' <<<"$draws" || true)" "a redraw before each of the 4 items (0/4 to 3/4)"
expect_eq "" "$(too_wide 39 <<<"$draws")" "every redraw fits the terminal"
"$KAOHE" run --evidence "$T/ev.db" "$KAOHE_HOME/scorecards/post_assessment_deductions.lua" \
  >/dev/null 2>"$T/err"
expect_eq "" "$(cat "$T/err")" "nothing drawn on a pipe"
finish
