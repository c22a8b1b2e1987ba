#!/usr/bin/env bash
# Scorecards that would outlive their limits (issue 18, item 1). Each runs its hostile code while
# it loads, in a Lua state of its own, and is stopped in seconds with exit 1 and a message naming
# the scorecard and its line: a coroutine resumed again and again under pcall (the kill must reach
# every thread), a finalizer that loops (__gc runs with hooks off: refused), table.sort of a
# million elements again and again, string.find and string.rep over 100 MB again and again (C
# work the count hook never sees: charged to the budget by lua/meter.c), and plain endless
# Lua under --time-limit; huge concatenations in a loop (charged by what they allocate). A scorecard loaded after a hostile one gets a budget of its own.
source "$(dirname "$0")/lib.bash"
small_evidence "$T/ev.db"
cd "$T"
good="$KAOHE_HOME/scorecards/post_assessment_deductions.lua"

# the outer pcall catches each raise of the main thread: without the re-arm this loops for ever
cat >co.lua <<'LUA'
local spin = function() while true do end end
local function round()
  for i = 1, 100 do
    pcall(coroutine.wrap(spin))
    pcall(coroutine.resume, coroutine.create(spin))
  end
end
while true do pcall(round) end
LUA
cat >gc.lua <<'LUA'
local t = setmetatable({}, {__gc = function() while true do end end})
LUA
cat >sort.lua <<'LUA'
local t = {}
for i = 1, 1000000 do t[i] = -i end
while true do table.sort(t) end
LUA
cat >find.lua <<'LUA'
local s = ("a"):rep(10000):rep(10000)
while true do if s:find("b", 1, true) then break end end
LUA
cat >rep.lua <<'LUA'
while true do local x = string.rep("x", 100000000) end
LUA
# `..` is one instruction however long its operands (the count hook cannot see the copy), so
# these are stopped by the allocation charge (lua/sandbox.c: 64 instructions per KiB allocated
# past the first 16 MiB), not by the time limit: a 1 MiB string concatenated with itself again
# and again, the results discarded, spends the budget of 2×10^8 after ~3 GiB of copying (~3,000
# turns); doubling a string stops at the memory ceiling (256 MiB) after ~28 turns.
cat >cat.lua <<'LUA'
local big = ("x"):rep(1048576)
local x
while true do x = big .. big end
LUA
cat >double.lua <<'LUA'
local s = "x"
while true do s = s .. s end
LUA
cat >slow.lua <<'LUA'
local x = 0
while true do x = x + 1 end
LUA

BUDGET="instruction budget exceeded (limit 200000000 instructions)"
refused_run co.lua "co.lua:1: $BUDGET"
refused_run gc.lua "gc.lua:1: setmetatable: a metatable with __gc is not allowed (finalizers would run outside the scorecard's limits)"
refused_run sort.lua "sort.lua:3: $BUDGET"
refused_run find.lua "find.lua:2: $BUDGET"
refused_run rep.lua "rep.lua:1: $BUDGET"
refused_run cat.lua "cat.lua:3: $BUDGET" --time-limit 60
refused_run double.lua "double.lua: memory limit exceeded (limit 256 MiB)" --time-limit 60
# with a budget of 10^7 the doubling is stopped by its charge first: 2^26 bytes take 2^27
# allocated in all, 112 MiB charged = 7,340,032 instructions; the next turn's 128 MiB passes 10^7
refused_run double.lua "double.lua:2: instruction budget exceeded (limit 10000000 instructions)" \
  --time-limit 60 --instruction-limit 10000000
# plain Lua with a budget too large to matter: the wall clock stops it
refused_run slow.lua "slow.lua:2: time limit exceeded (limit 2 s per scorecard)" \
  --time-limit 2 --instruction-limit 100000000000

# one state per scorecard: a card that spends nearly all of a budget does not leave the next one
# the rest. The loop spends 2 instructions a turn, 9,998,000 of the 10,000,000; the language
# file takes one or two thousand of what is left, the good card a few thousand more (it fails
# with a budget of 1,000 and loads with 5,000): in a state of its own it has the whole budget.
cat >spender.lua <<'LUA'
local x = 0
for i = 1, 4999000 do x = x + i end
LUA
cp "$good" good.lua
rc=0
"$KAOHE" run --evidence ev.db --instruction-limit 10000000 spender.lua good.lua >out.txt 2>err.txt || rc=$?
expect_eq 1 "$rc" "spender: exit code"
expect_eq "kaohe: error: spender.lua: does not return a scorecard (the file must end with \`return scorecard { ... }\`)" \
  "$(cat err.txt)" "spender: its own fault only, good.lua not blamed"
finish
