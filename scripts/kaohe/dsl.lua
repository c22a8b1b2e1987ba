-- kaohe scorecard language (考核表描述语言).
--
-- The host loads this file once per run, before any scorecard, and hands every scorecard the
-- table it returns as its vocabulary: scorecard, section, item, and the rule constructors.
-- A scorecard is plain Lua that reads like the printed form:
--
--   return scorecard {
--     id = "post-assessment-deductions", title = "健康扶贫成果后评估指标体系",
--     source = "健康脱贫大排查大整改实施方案 篇1 二", mode = "deduction",
--     subjects = { "county", "township" },
--     item { no = "1", text = "…", per = "每发现1人次",
--            rule = per_case { each = 0.2, evidence = "admission", cases = [[SELECT …]],
--                              reason = "{name} {admitted_on} 住院未落实一站式结算" } },
--   }
--
-- This file only describes and checks; the host evaluates. Every mistake found here becomes
-- a message "FILE:LINE: item N: what is wrong" collected in decl.problems, so that `kaohe check`
-- can report all of them at once instead of stopping at the first.
--
-- `host` (the chunk's first argument) is the host's small helper table:
--   host.line(level) -> the current line of the function `level` calls up (0 = host.line).
--   host.kinds       -> the kinds of subject, from the host's one table (core/kinds.c): an
--                       array of { name = "township", label = "乡镇", parent = "county" }, in
--                       the order a scorecard's subjects are listed. The language keeps no list
--                       of its own, so it accepts exactly the kinds the host can evaluate.

local host = ...

local M = {}

-- The kinds by name, their order, and for each the kinds above it in the administrative chain
-- (what its subjects' totals can be averaged up to), nearest first.
local SUBJECT_KINDS, SUBJECT_ORDER, ABOVE = {}, {}, {}
for _, k in ipairs(host.kinds) do
  SUBJECT_KINDS[k.name] = k
  SUBJECT_ORDER[#SUBJECT_ORDER + 1] = k.name
end
for _, name in ipairs(SUBJECT_ORDER) do
  local above, up = {}, SUBJECT_KINDS[name].parent
  while up and #above < #SUBJECT_ORDER do
    above[#above + 1] = up
    up = SUBJECT_KINDS[up] and SUBJECT_KINDS[up].parent
  end
  ABOVE[name] = above
end

-- "a, b and c"
local function english_list(words)
  if #words <= 1 then return words[1] or "" end
  return table.concat(words, ", ", 1, #words - 1) .. " and " .. words[#words]
end

-- For the message refusing a roll-up: "village rolls up to township, county and city,
-- township to county and city, county to city" (the bottom of the chain first).
local function rollups_allowed()
  local parts = {}
  for i = #SUBJECT_ORDER, 1, -1 do
    local name = SUBJECT_ORDER[i]
    if #ABOVE[name] > 0 then
      parts[#parts + 1] = name .. (#parts == 0 and " rolls up to " or " to ") ..
                          english_list(ABOVE[name])
    end
  end
  return table.concat(parts, ", ")
end

local MODES = { deduction = "扣分制：无基础分，合计为各项扣分之和",
                points = "计分制：各项得分之和为总分" }

-- Fields each constructor accepts; anything else is almost always a typo worth reporting.
local ITEM_FIELDS = { no = true, text = true, points = true, per = true, accountable = true,
                      rule = true, note = true, veto = true }
local SCORECARD_FIELDS = { id = true, title = true, source = true, period = true,
                           subjects = true, mode = true, total = true, params = true,
                           grades = true, note = true, rollup = true, veto_grade = true,
                           short = true,
                           -- shared sets (language v2 item 6)
                           sets = true }
local RULE_FIELDS = {
  per_case = { each = true, cap = true, cases = true, evidence = true, reason = true },
  deduct_if = { deduct = true, sql = true, reason = true, ok_reason = true,
                na_reason = true, evidence = true },
  check = { sql = true, reason = true, ok_reason = true, na_reason = true, evidence = true },
  finding = { yes = true, no = true, partial = true },
  rate_at_least = { threshold = true, sql = true, reason = true, ok_reason = true,
                    na_reason = true, evidence = true, when_none = true },
}
-- Rules that award the item's own points need the item to have points.
local NEEDS_POINTS = { check = true, finding = true, rate_at_least = true }

local ITEM_TAG, SECTION_TAG, RULE_TAG = {}, {}, {}

local function sorted_keys(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  return keys
end

-- A rule constructor records where it was written and which fields it was given; the
-- checks happen in scorecard(), where the item number is known for the message.
local function rule_constructor(kind)
  return function(spec)
    local line = host.line(2)
    if type(spec) ~= "table" then
      error(string.format("%s { ... } expects a table of fields", kind), 2)
    end
    return setmetatable({ kind = kind, spec = spec, line = line }, RULE_TAG)
  end
end

M.per_case = rule_constructor("per_case")
M.deduct_if = rule_constructor("deduct_if")
M.check = rule_constructor("check")
M.finding = rule_constructor("finding")
M.rate_at_least = rule_constructor("rate_at_least")

function M.item(spec)
  local line = host.line(2)
  if type(spec) ~= "table" then
    error("item { ... } expects a table of fields", 2)
  end
  return setmetatable({ spec = spec, line = line }, ITEM_TAG)
end

function M.section(title)
  local line = host.line(2)
  if type(title) ~= "string" then
    error('section expects its title: section "标题" { item {...}, ... }', 2)
  end
  return function(body)
    if type(body) ~= "table" then
      error('section "' .. title .. '" expects a table of items', 2)
    end
    return setmetatable({ title = title, body = body, line = line }, SECTION_TAG)
  end
end

-- ---- shared sets (language v2 item 6) -----------------------------------------------------
-- A set is a named SELECT over the evidence that the host makes once per run, before any
-- item, as the table sets.NAME (with the indexes asked for); items read it like an evidence
-- table. Declared under the scorecard's `sets`, or in a shared file that returns
-- `sets { ... }` and that a scorecard pulls in with `sets = { include "shared/x.lua", ... }`
-- (a path relative to the scorecard's folder; the host reads the file, in this sandbox).
-- A set reads only the evidence, not another set. The host checks what only it can: the
-- included files, the SQL, and that items use only the sets their scorecard declares.

local INCLUDE_TAG = {}
local SET_FIELDS = { sql = true, index = true, note = true }

function M.include(path)
  local line = host.line(2)
  local bad
  if type(path) ~= "string" or path == "" then
    bad = "include expects a file name: include \"shared/health_sets.lua\""
  elseif not path:match("%.lua$") then
    bad = string.format("include %q: a shared file is Lua and its name ends in .lua", path)
  elseif path:sub(1, 1) == "/" or path:find("\\", 1, true)
         or ("/" .. path .. "/"):find("/%.%./") then
    bad = string.format("include %q: give a path inside the scorecard's folder, without '..' (e.g. \"shared/health_sets.lua\")", path)
  end
  return setmetatable({ path = path, line = line, bad = bad }, INCLUDE_TAG)
end

-- index = { "id", "village_id, year" }: one index per entry, each a list of column names.
local function set_index(name, index, bad)
  if index == nil then return {} end
  if type(index) == "string" then index = { index } end
  if type(index) ~= "table" then
    bad(name, "set %s: 'index' must list columns, e.g. { \"id\", \"village_id, year\" }", name)
    return {}
  end
  local out = {}
  for _, cols in ipairs(index) do
    local ok = type(cols) == "string" and cols:find("%S") ~= nil
    for col in (type(cols) == "string" and cols or ""):gmatch("[^,]+") do
      ok = ok and col:match("^%s*[%a_][%w_]*%s*$") ~= nil
    end
    if ok then
      out[#out + 1] = cols
    else
      bad(name, "set %s: index %s: list column names, e.g. \"id\" or \"village_id, year\"",
          name, type(cols) == "string" and string.format("%q", cols) or tostring(cols))
    end
  end
  return out
end

local function normalise_set(name, spec, bad)
  if type(spec) ~= "table" then
    bad(name, "set %s: must be { sql = [[SELECT ...]], index = { \"column\", ... } }", name)
    return nil
  end
  for _, k in ipairs(sorted_keys(spec)) do
    if not SET_FIELDS[k] then bad(name, "set %s: unknown field '%s'", name, tostring(k)) end
  end
  if type(spec.sql) ~= "string" or not spec.sql:find("%S") then
    bad(name, "set %s: 'sql' is required: one SELECT over the evidence", name)
    return nil
  end
  if spec.note ~= nil and type(spec.note) ~= "string" then
    bad(name, "set %s: 'note' must be text", name)
  end
  return { name = name, sql = spec.sql, index = set_index(name, spec.index, bad) }
end

-- The sets of a `sets` table, in name order, and its includes (nil: includes are not allowed
-- here). Problems carry the set's name: the host finds the line where it is written.
local function normalise_sets(given, problems, includes)
  local function bad(set, fmt, ...)
    problems[#problems + 1] = { set = set, message = string.format(fmt, ...) }
  end
  local sets = {}
  if type(given) ~= "table" then
    bad(nil, "sets: must be a table of name = { sql = [[SELECT ...]] } (and include \"shared/file.lua\")")
    return sets
  end
  for i, entry in ipairs(given) do
    if getmetatable(entry) ~= INCLUDE_TAG then
      bad(nil, "sets: entry %d is neither name = { sql = [[SELECT ...]] } nor include \"file.lua\"", i)
    elseif entry.bad then
      problems[#problems + 1] = { line = entry.line, message = entry.bad }
    elseif not includes then
      problems[#problems + 1] = { line = entry.line, message = string.format(
        "include %q: a shared file cannot include another; include both from the scorecard", entry.path) }
    else
      includes[#includes + 1] = { path = entry.path, line = entry.line }
    end
  end
  for _, name in ipairs(sorted_keys(given)) do
    if type(name) == "string" and name:match("^[%a_][%w_]*$") and #name <= 60 then
      sets[#sets + 1] = normalise_set(name, given[name], bad)
    elseif type(name) ~= "number" then
      bad(nil, "set %q: a set name is a plain identifier (letters, digits, _), e.g. poor_person",
          tostring(name))
    end
  end
  return sets
end

-- A shared file: return sets { name = { sql = [[...]], index = {...} }, ... }
function M.sets(spec)
  if type(spec) ~= "table" then
    error("sets { ... } expects a table of name = { sql = [[SELECT ...]] }", 2)
  end
  local problems = {}
  return { kaohe_sets = true, sets = normalise_sets(spec, problems, nil), problems = problems }
end

-- The scorecard's own `sets` field: its sets, their problems and its includes.
local function scorecard_sets(given)
  local problems, includes = {}, {}
  if given == nil then return {}, problems, includes end
  return normalise_sets(given, problems, includes), problems, includes
end

-- ---- checking and normalising ------------------------------------------------------------

local function checker(problems, line)
  return function(fmt, ...)
    problems[#problems + 1] = { line = line, message = string.format(fmt, ...) }
  end
end

local function is_points(v)
  return type(v) == "number" and v == v and v > -1e6 and v < 1e6
end

local function normalise_rule(rule, item_no, problems, item_line, item_points, params)
  local bad = checker(problems, rule and rule.line or item_line)
  local prefix = "item " .. item_no .. ": "
  if getmetatable(rule) ~= RULE_TAG then
    checker(problems, item_line)(prefix .. "rule is missing or is not a rule (use finding{...}, check{...}, rate_at_least{...}, per_case{...} or deduct_if{...})")
    return nil
  end
  local s, out = rule.spec, { kind = rule.kind, line = rule.line }
  for _, k in ipairs(sorted_keys(s)) do
    if not RULE_FIELDS[rule.kind][k] then
      bad(prefix .. "%s: unknown field '%s'", rule.kind, tostring(k))
    end
  end
  local function text_field(name, required)
    local v = s[name]
    if v == nil then
      if required then bad(prefix .. "%s: '%s' is required", rule.kind, name) end
      return nil
    end
    if type(v) ~= "string" or v == "" then
      bad(prefix .. "%s: '%s' must be non-empty text", rule.kind, name)
      return nil
    end
    return v
  end
  local function points_field(name, required)
    local v = s[name]
    if v == nil then
      if required then bad(prefix .. "%s: '%s' is required", rule.kind, name) end
      return nil
    end
    if not is_points(v) or v < 0 then
      bad(prefix .. "%s: '%s' must be a non-negative number of points", rule.kind, name)
      return nil
    end
    return v
  end
  if rule.kind == "per_case" then
    out.each = points_field("each", true)
    out.cap = points_field("cap", false)
    out.sql = text_field("cases", true)
    out.evidence_table = text_field("evidence", true)
    out.reason = text_field("reason", false)
  elseif rule.kind == "finding" then
    out.yes = points_field("yes", false)
    out.no = points_field("no", false)
    if s.partial ~= nil and type(s.partial) ~= "boolean" then
      bad(prefix .. "finding: 'partial' must be true or false")
    end
    out.partial = s.partial and 1 or 0
  end
  if NEEDS_POINTS[rule.kind] and item_points == nil then
    bad(prefix .. "%s awards the item's points, so the item needs 'points' (分值)", rule.kind)
  end
  if rule.kind == "rate_at_least" then
    local t = s.threshold
    if type(t) == "string" then
      if not params[t] then
        bad(prefix .. "rate_at_least: threshold parameter '%s' is not declared in the scorecard's params", t)
      elseif type(params[t]) ~= "number" or params[t] <= 0 or params[t] > 1 then
        bad(prefix .. "rate_at_least: parameter '%s' must default to a rate between 0 and 1", t)
      end
      out.threshold_param = t
    elseif type(t) == "number" and t > 0 and t <= 1 then
      out.threshold = t
    else
      bad(prefix .. "rate_at_least: 'threshold' must be a rate between 0 and 1 (0.95) or a parameter name")
    end
    if s.when_none ~= nil and s.when_none ~= "na" and s.when_none ~= "pending" then
      bad(prefix .. "rate_at_least: 'when_none' must be \"na\" (不适用，得满分) or \"pending\" (待核实)")
    end
    out.when_none = s.when_none
  end
  if rule.kind == "deduct_if" or rule.kind == "check" or rule.kind == "rate_at_least" then
    if rule.kind == "deduct_if" then out.each = points_field("deduct", true) end
    out.sql = text_field("sql", true)
    out.reason = text_field("reason", false)
    out.ok_reason = text_field("ok_reason", false)
    out.na_reason = text_field("na_reason", false)
    local ev = s.evidence
    if ev ~= nil then
      if type(ev) ~= "table" or type(ev.table) ~= "string" or type(ev.sql) ~= "string" then
        bad(prefix .. rule.kind .. ": 'evidence' must be { table = \"...\", sql = [[SELECT ...]] }")
      else
        out.evidence_table, out.evidence_sql = ev.table, ev.sql
      end
    end
  end
  return out
end

local function normalise_item(it, section, problems, params)
  local s = it.spec
  local bad = checker(problems, it.line)
  local no = s.no
  if type(no) == "number" then no = tostring(no) end
  if type(no) ~= "string" or no == "" then
    bad("item without a number: give it no = \"...\" as printed on the form")
    no = "?"
  end
  for _, k in ipairs(sorted_keys(s)) do
    if not ITEM_FIELDS[k] then bad("item %s: unknown field '%s'", no, tostring(k)) end
  end
  if type(s.text) ~= "string" or s.text == "" then
    bad("item %s: 'text' (考核指标) is required", no)
  end
  if s.points ~= nil and (not is_points(s.points) or s.points < 0) then
    bad("item %s: 'points' must be a non-negative number", no)
  end
  if s.veto ~= nil and type(s.veto) ~= "boolean" then
    bad("item %s: 'veto' must be true or false", no)
  end
  for _, f in ipairs({ "per", "accountable", "note" }) do
    if s[f] ~= nil and type(s[f]) ~= "string" then bad("item %s: '%s' must be text", no, f) end
  end
  return {
    no = no, text = s.text, points = s.points, per = s.per,
    accountable = s.accountable or (section and section.accountable),
    note = s.note, section = section and section.title, line = it.line,
    veto = s.veto and 1 or 0,
    rule = normalise_rule(s.rule, no, problems, it.line, s.points, params),
  }
end

-- Item numbers as printed run 1, 2, 3 … or 1.1, 1.2, 2.1 …; a gap is almost always an item
-- left out while copying the form. Numbers that are neither shape are left alone.
local function check_numbering(items, problems)
  local prev
  for _, it in ipairs(items) do
    local a, b = it.no:match("^(%d+)%.(%d+)$")
    local n = tonumber(it.no:match("^(%d+)$"))
    local cur = n and { n } or (a and { tonumber(a), tonumber(b) }) or nil
    if cur and prev then
      local expected
      if #cur == 1 then
        expected = cur[1] == prev[1] + 1
      elseif cur[1] == prev[1] then
        expected = cur[2] == (prev[2] or 0) + 1
      else
        expected = cur[1] == prev[1] + 1 and cur[2] == 1
      end
      if not expected then
        checker(problems, it.line)("item %s: numbering jumps from %s to %s (an item missing or out of order?)",
          it.no, table.concat(prev, "."), it.no)
      end
    end
    prev = cur or prev
  end
end

function M.scorecard(spec)
  local line = host.line(2)
  if type(spec) ~= "table" then
    error("scorecard { ... } expects a table of fields", 2)
  end
  local problems = {}
  local bad = checker(problems, line)
  for _, k in ipairs(sorted_keys(spec)) do
    if type(k) ~= "number" and not SCORECARD_FIELDS[k] then
      bad("scorecard: unknown field '%s'", tostring(k))
    end
  end
  for _, f in ipairs({ "id", "title" }) do
    if type(spec[f]) ~= "string" or spec[f] == "" then
      bad("scorecard: '%s' is required text", f)
    end
  end
  local mode = spec.mode or "points"
  if not MODES[mode] then
    bad("scorecard: mode must be \"points\" (计分制) or \"deduction\" (扣分制), not %q",
        tostring(mode))
    mode = "points"
  end
  if spec.total ~= nil and not is_points(spec.total) then
    bad("scorecard: 'total' must be a number of points")
  end
  if mode == "points" and spec.total == nil then
    bad("scorecard: 'total' is required in points mode: state what the form's points add up to")
  end

  -- subjects, in the fixed order of host.kinds whatever order they are declared in
  local subjects = {}
  local given = spec.subjects
  if type(given) == "string" then given = { given } end
  if type(given) ~= "table" or #given == 0 then
    bad("scorecard: 'subjects' must list what is assessed, e.g. { \"county\", \"township\" }")
    given = {}
  end
  local wanted = {}
  for _, k in ipairs(given) do
    if not SUBJECT_KINDS[k] then
      bad("scorecard: unknown subject kind %q (known: %s)", tostring(k),
          table.concat(SUBJECT_ORDER, ", "))
    else
      wanted[k] = true
    end
  end
  for _, k in ipairs(SUBJECT_ORDER) do
    if wanted[k] then subjects[#subjects + 1] = k end
  end

  -- parameters, sorted by name so the run manifest never depends on hash order
  local params = {}
  if spec.params ~= nil and type(spec.params) ~= "table" then
    bad("scorecard: 'params' must be a table of name = default")
  end
  for _, name in ipairs(sorted_keys(spec.params or {})) do
    local v = spec.params[name]
    local value, desc = v, nil
    if type(v) == "table" then value, desc = v[1], v[2] end
    if type(name) ~= "string" or not name:match("^[%a_][%w_]*$") then
      bad("scorecard: parameter name %q is not a plain identifier", tostring(name))
    elseif name:match("^period") or name == "year" then
      bad("scorecard: parameter %q is reserved (the host binds :period, :period_start, :period_end, :year)", name)
    elseif type(value) ~= "number" and type(value) ~= "string" then
      bad("scorecard: parameter %s: default must be a number or text", name)
    else
      params[#params + 1] = { name = name, value = value, desc = desc }
    end
  end

  -- items, flattened out of sections, in form order
  local declared = {}
  for _, p in ipairs(params) do declared[p.name] = p.value end
  local items, seen = {}, {}
  local function add(it, section)
    local n = normalise_item(it, section, problems, declared)
    if seen[n.no] then
      checker(problems, n.line)("item %s: duplicate item number (first at line %d)", n.no, seen[n.no])
    else
      seen[n.no] = n.line
    end
    if mode == "points" and n.points == nil then
      checker(problems, n.line)("item %s: 'points' (分值) is required in points mode", n.no)
    end
    items[#items + 1] = n
  end
  for i, entry in ipairs(spec) do
    local mt = getmetatable(entry)
    if mt == ITEM_TAG then
      add(entry, nil)
    elseif mt == SECTION_TAG then
      local sec = { title = entry.title, accountable = entry.body.accountable }
      for _, it in ipairs(entry.body) do
        if getmetatable(it) == ITEM_TAG then
          add(it, sec)
        else
          checker(problems, entry.line)("section %q: entry %d is not an item {...}", entry.title, _)
        end
      end
    else
      bad("scorecard: entry %d is neither an item {...} nor a section \"...\" {...}", i)
    end
  end
  if #items == 0 then bad("scorecard: no items") end
  check_numbering(items, problems)

  local rollup = {}
  if spec.rollup ~= nil then
    local r = type(spec.rollup) == "string" and { spec.rollup } or spec.rollup
    for _, k in ipairs(type(r) == "table" and r or {}) do
      local above = {}
      for _, up in ipairs(#subjects == 1 and ABOVE[subjects[1]] or {}) do above[up] = true end
      if not above[k] then
        bad("scorecard: cannot roll %s up to %q (%s)", table.concat(subjects, ","), tostring(k),
            rollups_allowed())
      else
        rollup[#rollup + 1] = k
      end
    end
  end
  if spec.short ~= nil and (type(spec.short) ~= "string" or utf8.len(spec.short) == nil
                            or utf8.len(spec.short) > 8) then
    bad("scorecard: 'short' (the name on the workbook's sheet tabs) must be text of at most 8 characters")
  end
  if spec.veto_grade ~= nil and type(spec.veto_grade) ~= "string" then
    bad("scorecard: 'veto_grade' must be text such as \"差\"")
  end

  local sets, set_problems, includes = scorecard_sets(spec.sets) -- language v2 item 6

  local grades = {}
  if spec.grades ~= nil then
    if type(spec.grades) ~= "table" then
      bad("scorecard: 'grades' must be a list of { \"等次\", minimum }")
    else
      for i, g in ipairs(spec.grades) do
        if type(g) ~= "table" or type(g[1]) ~= "string" or not is_points(g[2]) then
          bad("scorecard: grade %d must be { \"等次\", minimum points }", i)
        else
          grades[#grades + 1] = { name = g[1], min = g[2] }
        end
      end
    end
  end

  return {
    kaohe_scorecard = true,
    id = spec.id, title = spec.title, source = spec.source, period = spec.period,
    mode = mode, total = spec.total, subjects = subjects, params = params,
    grades = grades, items = items, problems = problems, line = line,
    rollup = rollup, veto_grade = spec.veto_grade, short = spec.short,
    sets = sets, set_problems = set_problems, includes = includes, -- language v2 item 6
  }
end

return M
