-- kaohe.testing — test a scorecard without a programmer: build a small evidence database
-- from Lua tables, run the scorecard, state the expected outcome item by item, and see which
-- items no test exercised.
--
--   local T = require "kaohe.testing"
--   local db = T.evidence {
--     county = { { id = "C1", name = "测试县", province = "测试省" } },
--     township = { { id = "T1", county_id = "C1", name = "甲镇" } },
--     ...
--   }
--   local r = T.run { scorecard = "scorecards/wudu_2018.lua", evidence = db, period = "2018" }
--   T.expect(r, "village", "V1", {
--     ["1"] = 5,                              -- points
--     ["3"] = "待核实",                        -- or a status: 合格 扣分 不适用 待核实
--     ["7"] = { points = 4, status = "不适用" },
--   })
--   T.expect_total(r, "village", "V1", { total = 81, grade = "较好" })
--   print(T.coverage_report())               -- items no expectation covered
--
-- Runs under busted (errors are assertion failures) or plain lua5.4.
--
-- Every table given here is strict, like the scorecard language's: a key it does not take
-- fails with "unknown field 'point' (did you mean 'points'?)" instead of being ignored (an
-- expectation that is never checked would still count the item as covered).

local kaohe = require "kaohe"

local T = {}

local STATUS = { ["合格"] = "ok", ["扣分"] = "deducted", ["不适用"] = "na", ["待核实"] = "pending",
                 ok = "ok", deducted = "deducted", na = "na", pending = "pending" }

local counter = 0
local tmpdir

local function scratch(name)
  if not tmpdir then
    tmpdir = os.tmpname()
    os.remove(tmpdir)
    assert(os.execute("mkdir -p '" .. tmpdir .. "'"))
  end
  counter = counter + 1
  return string.format("%s/%d-%s", tmpdir, counter, name)
end

local function fail(level, fmt, ...)
  error(string.format(fmt, ...), level + 1)
end

-- The names a table takes, both as a list (for kaohe.suggest) and as a set: NAMES[name] == true.
local function names(...)
  local t = { ... }
  for _, name in ipairs(t) do t[name] = true end
  return t
end

-- Fails, `level` above the caller, on the key of `t` that `fields` does not take (the first
-- in sorted order, so that the message never depends on hash order): "WHAT: unknown field
-- 'point' (did you mean 'points'?)".
local function refuse_unknown(t, fields, level, what)
  local first
  for k in pairs(t) do
    if fields[k] ~= true and (first == nil or tostring(k) < tostring(first)) then first = k end
  end
  if first == nil then return end
  local near = type(first) == "string" and kaohe.suggest(first, fields)
  fail(level + 1, "%s: unknown field '%s'%s", what, tostring(first),
       near and string.format(" (did you mean '%s'?)", near) or "")
end

local RUN_FIELDS = names("allow_empty", "evidence", "out", "params", "period", "results",
                         "scorecard")
local EXPECT_FIELDS = names("points", "status", "veto")
local TOTAL_FIELDS = names("grade", "members", "pending", "rank", "total", "vetoed")
local STATUS_NAMES = names("合格", "扣分", "不适用", "待核实", "ok", "deducted", "na", "pending")

-- Builds an evidence database from tables of rows; returns its path.
function T.evidence(tables, path)
  path = path or scratch("evidence.db")
  local ok, err = kaohe.evidence_from_tables(path, tables)
  if not ok then error("evidence: " .. err, 2) end
  return path
end

-- What each run covered: [scorecard id] = { items = {no...}, seen = { [no] = { status = true } } }
local coverage = {}

-- Runs one scorecard; returns the result with the scorecard's id and items attached.
function T.run(opts)
  if type(opts) ~= "table" then fail(2, "T.run: expects a table { scorecard = , evidence = , ... }") end
  refuse_unknown(opts, RUN_FIELDS, 2, "T.run")
  local r, err = kaohe.run {
    evidence = opts.evidence, scorecards = { opts.scorecard }, period = opts.period,
    params = opts.params, out = opts.out, results = opts.results, allow_empty = opts.allow_empty,
  }
  if not r then error("run: " .. err, 2) end
  local id = next(r.totals)
  r.id = id
  coverage[id] = coverage[id] or { items = {}, seen = {}, file = opts.scorecard }
  local items = coverage[id].items
  if #items == 0 then
    -- item numbers in form order, from any subject's scores
    local _, kinds = next(r.scores[id])
    local _, subject = next(kinds)
    for no in pairs(subject) do items[#items + 1] = no end
    table.sort(items, function(a, b)
      local function key(s)
        local x, y = s:match("^(%d+)%.?(%d*)$")
        return tonumber(x or 0) * 1000 + tonumber(y ~= "" and y or 0)
      end
      return key(a) < key(b)
    end)
  end
  return r
end

-- The checks of one item's expectation, given as a table: only the fields T.expect compares,
-- of the types it compares, and at least one of them.
local function check_expectation(want, where)
  refuse_unknown(want, EXPECT_FIELDS, 3, where)
  if next(want) == nil then fail(3, "%s: the expectation states nothing (give points, status or veto)", where) end
  if want.points ~= nil and type(want.points) ~= "number" then
    fail(3, "%s: 'points' must be a number", where)
  end
  if want.veto ~= nil and type(want.veto) ~= "boolean" then
    fail(3, "%s: 'veto' must be true or false", where)
  end
end

-- Asserts item outcomes for one subject. Each expectation is points (a number), a status
-- (合格/扣分/不适用/待核实), or { points = , status = , veto = }.
function T.expect(r, kind, subject, expected)
  local id = r.id
  local scores = ((r.scores[id] or {})[kind] or {})[subject]
  if not scores then fail(2, "%s: no %s '%s' in the results", id, kind, subject) end
  local seen = coverage[id].seen
  for no, want in pairs(expected) do
    local got = scores[no]
    if not got then fail(2, "%s %s: the scorecard has no item %s", kind, subject, no) end
    if type(want) ~= "table" then
      want = type(want) == "number" and { points = want } or { status = want }
    else
      check_expectation(want, string.format("T.expect %s %s item %s", kind, subject, no))
    end
    if want.status then
      local near = type(want.status) == "string" and kaohe.suggest(want.status, STATUS_NAMES)
      local code = STATUS[want.status] or fail(2, "unknown status %q%s", tostring(want.status),
                                               near and string.format(" (did you mean %q?)", near) or "")
      if got.status ~= code then
        fail(2, "%s %s item %s: expected status %s, got %s (%s)", kind, subject, no,
             want.status, got.status, got.reason)
      end
    end
    if want.points then
      local x100 = math.floor(want.points * 100 + 0.5)
      if got.points_x100 ~= x100 then
        fail(2, "%s %s item %s: expected %s points, got %s (%s)", kind, subject, no,
             tostring(want.points), tostring(got.points), got.reason)
      end
    end
    if want.veto ~= nil and got.veto ~= want.veto then
      fail(2, "%s %s item %s: expected veto %s", kind, subject, no, tostring(want.veto))
    end
    seen[no] = seen[no] or {}
    seen[no][got.status] = true
  end
  return scores
end

-- Asserts a subject's total, grade (false: none), rank or number of 待核实 items.
function T.expect_total(r, kind, subject, expected)
  refuse_unknown(expected, TOTAL_FIELDS, 2, string.format("T.expect_total %s %s", kind, subject))
  local t = ((r.totals[r.id] or {})[kind] or {})[subject]
  if not t then fail(2, "%s: no total for %s '%s'", r.id, kind, subject) end
  if expected.total and t.total_x100 ~= math.floor(expected.total * 100 + 0.5) then
    fail(2, "%s %s: expected total %s, got %s", kind, subject, expected.total, t.total)
  end
  for _, f in ipairs({ "grade", "rank", "pending", "vetoed", "members" }) do
    -- grade = false: no grade at all (a form that declares no bands grades nothing)
    local want = expected[f]
    if want == false and f == "grade" then want = nil end
    if expected[f] ~= nil and t[f] ~= want then
      fail(2, "%s %s: expected %s %s, got %s", kind, subject, f, tostring(expected[f]),
           tostring(t[f]))
    end
  end
  return t
end

-- Items of each scorecard that no expectation exercised, and the outcomes that were.
function T.coverage_report()
  local lines = {}
  local ids = {}
  for id in pairs(coverage) do ids[#ids + 1] = id end
  table.sort(ids)
  for _, id in ipairs(ids) do
    local c = coverage[id]
    local missing, covered = {}, 0
    for _, no in ipairs(c.items) do
      if c.seen[no] then covered = covered + 1 else missing[#missing + 1] = no end
    end
    lines[#lines + 1] = string.format("%s (%s): %d/%d items exercised%s", id, c.file, covered,
      #c.items, #missing > 0 and ("; not exercised: " .. table.concat(missing, " ")) or "")
  end
  return table.concat(lines, "\n")
end

-- The items of scorecard `id` no expectation exercised (a list of item numbers).
function T.uncovered(id)
  local c = coverage[id] or { items = {}, seen = {} }
  local missing = {}
  for _, no in ipairs(c.items) do if not c.seen[no] then missing[#missing + 1] = no end end
  return missing
end

return T
