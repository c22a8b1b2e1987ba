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
--   host.suggest(word, list) -> the entry of `list` nearest to a mistyped `word`, or nil (the
--                       host's one "did you mean" rule, base/suggest.c).
--   host.seal(decl)  -> a token standing for the finished declaration: the host keeps `decl`
--                       where no scorecard can reach it, so the loader converts exactly what
--                       scorecard() checked, and nothing else passes for a declaration.

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
                      rule = true, note = true, veto = true,
                      -- scorecard language v2, time windows (`to`: Lua reserves `until`)
                      from = true, to = true, by = true, years = true,
                      -- language v2: linked items and mixed levels (check_links, item_v2)
                      veto_if_failed = true, zero_if_failed = true, na_if_na = true,
                      subjects = true,
                      -- the bundled forms as printed (issue 14): clauses read from findings
                      finding_clause = true }
local SCORECARD_FIELDS = { id = true, title = true, source = true, period = true,
                           subjects = true, mode = true, total = true, params = true,
                           grades = true, note = true, rollup = true, veto_grade = true,
                           short = true,
                           -- scorecard language v2, caps and floors
                           cap = true, floor = true,
                           -- shared sets (language v2 item 6)
                           sets = true,
                           -- the bundled forms as printed (issue 14): the reading table
                           reading = true }

-- scorecard language v2, caps and floors: a section's own fields (its items are its list part)
local SECTION_FIELDS = { accountable = true, note = true, cap = true, floor = true }
local RULE_FIELDS = {
  per_case = { each = true, cap = true, cases = true, evidence = true, reason = true },
  deduct_if = { deduct = true, sql = true, reason = true, ok_reason = true,
                na_reason = true, evidence = true },
  check = { sql = true, reason = true, ok_reason = true, na_reason = true, evidence = true },
  finding = { yes = true, no = true, partial = true,
              of = true, via = true, when_none = true }, -- subjects v2: related findings
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

-- ---- strict declarations: every table refuses a field it does not take --------------------

-- " (did you mean 'points'?)" when one of the names in the set `fields` is near `key`, else "".
local function did_you_mean(key, fields)
  local near = type(key) == "string" and host.suggest(key, sorted_keys(fields))
  return near and string.format(" (did you mean '%s'?)", near) or ""
end

-- "unknown field 'pionts' (did you mean 'points'?)"
local function unknown_field(key, fields)
  return string.format("unknown field '%s'%s", tostring(key), did_you_mean(key, fields))
end

-- Reports, through bad(), each key of `t` that is neither in `fields` nor (when `list` is
-- given) an index 1..list of its array part. `what` prefixes the message; `hint` ends it when
-- no field name is near. Returns true when there was none.
local function refuse_unknown(t, fields, bad, what, list, hint)
  local clean = true
  for _, k in ipairs(sorted_keys(t)) do
    local is_index = list and math.type(k) == "integer" and k >= 1 and k <= list
    if not is_index and not fields[k] then
      local msg = unknown_field(k, fields)
      if hint and not msg:find("did you mean", 1, true) then msg = msg .. " " .. hint end
      bad("%s%s", what, msg)
      clean = false
    end
  end
  return clean
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

-- The fields of a rule's `evidence = { table = "...", sql = [[...]] }`.
local EVIDENCE_FIELDS = { table = true, sql = true }

-- ---- scorecard language v2: amounts named by parameter, caps and floors, time windows ------

-- An amount written as a parameter's name must name a declared parameter whose default is a
-- number of points. Returns the default (what the loader reads and `kaohe check` uses; a run
-- binds the --param value in its place, core/amounts.c), or nil after reporting the problem.
local function param_amount(name, field, what, bad, params)
  local v = params[name]
  if v == nil then
    bad("%s: '%s' parameter '%s' is not declared in the scorecard's params", what, field, name)
  elseif not is_points(v) or v < 0 then
    bad("%s: parameter '%s' ('%s') must default to a non-negative number of points", what, name,
        field)
  else
    return v
  end
end

-- each/deduct, cap, yes and no may name a parameter instead of a number. Returns a copy of the
-- rule's fields with those names replaced by the parameters' defaults (so that the checks of
-- normalise_rule see numbers), and the names as each_param, cap_param, yes_param, no_param.
local AMOUNT_PARAMS = { { "each", "each_param" }, { "deduct", "each_param" },
                        { "cap", "cap_param" }, { "yes", "yes_param" }, { "no", "no_param" } }
local function amounts_by_parameter(rule, prefix, bad, params)
  local spec, named = {}, {}
  for k, v in pairs(rule.spec) do spec[k] = v end
  for _, a in ipairs(AMOUNT_PARAMS) do
    local field, out = a[1], a[2]
    if type(spec[field]) == "string" and RULE_FIELDS[rule.kind][field] then
      named[out] = spec[field]
      spec[field] = param_amount(spec[field], field, prefix .. rule.kind, bad, params) or 0
    end
  end
  return spec, named
end

-- The limits of a section or of the whole form (`where` names it in messages): cap, the most its
-- items together can lose ("本部分扣完为止", "最多扣10分"), and in points mode floor, the least it
-- can score; each a number of points or a parameter's name.
local function limits(spec, where, bad, params, mode)
  local out = {}
  for _, f in ipairs({ "cap", "floor" }) do
    local v = spec[f]
    if type(v) == "string" then
      out[f .. "_param"] = v
      v = param_amount(v, f, where, bad, params)
    elseif v ~= nil and (not is_points(v) or v < 0) then
      bad("%s: '%s' must be a non-negative number of points or a parameter name", where, f)
      v = nil
    end
    out[f] = v
  end
  if spec.floor ~= nil and mode == "deduction" then
    bad("%s: 'floor' is the least a points-mode form can score; in deduction mode write 'cap' (the most it can lose)",
        where)
  end
  return out
end

-- A section as the loader reads it: number (1, 2, … in form order), title, line, accountable,
-- and its limits. Fields other than accountable, cap and floor are reported, not ignored.
local function normalise_section(entry, no, problems, params, mode)
  local bad = checker(problems, entry.line)
  local where = string.format("section %q", entry.title)
  refuse_unknown(entry.body, SECTION_FIELDS, bad, where .. ": ", #entry.body)
  for _, f in ipairs({ "accountable", "note" }) do
    local v = entry.body[f]
    if v ~= nil and type(v) ~= "string" then bad("%s: '%s' must be text", where, f) end
  end
  local sec = limits(entry.body, where, bad, params, mode)
  sec.no, sec.title, sec.line = no, entry.title, entry.line
  sec.accountable, sec.note = entry.body.accountable, entry.body.note
  return sec
end

-- A floor above what the section (or the form) is worth could never be met.
-- A linked item's outcome is decided after every item's own evaluation (core/links.c), and
-- caps and floors are applied during it (core/caps.c): a link that takes points away in a
-- limited part would make the part lose more than its limit. Refused until the two are
-- applied together; a link from a limited item to an item outside is fine.
local function check_links_in_limits(items, sections, form, problems)
  local limited = {}
  for _, sec in ipairs(sections) do limited[sec.no] = sec.cap or sec.floor end
  for _, n in ipairs(items) do
    local part = n.section_no and limited[n.section_no] and "its section's" or
                 ((form.cap or form.floor) and "the form's") or nil
    if part and n.links and #n.links > 0 then
      checker(problems, n.line)("item %s: %s is linked to item %s, but %s cap or floor limits its points: a linked item must be outside any part with a cap or floor (move it out of the section, or drop the link)",
        n.no, n.links[1].field, n.links[1].no, part)
    end
  end
end

local function check_floors(sections, items, form_floor, total, problems, line)
  local worth = {}
  for _, it in ipairs(items) do
    if it.section_no and it.points then
      worth[it.section_no] = (worth[it.section_no] or 0) + it.points
    end
  end
  for _, sec in ipairs(sections) do
    if sec.floor and sec.floor > (worth[sec.no] or 0) then
      checker(problems, sec.line)("section %q: 'floor' %g is above the section's points (%g)",
                                  sec.title, sec.floor, worth[sec.no] or 0)
    end
  end
  if form_floor and is_points(total) and form_floor > total then
    checker(problems, line)("scorecard: 'floor' %g is above the form's total (%g)", form_floor, total)
  end
end

local function is_date(v)
  local y, m, d = v:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  if not y then return false end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  local feb = (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) and 29 or 28
  local days = { 31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
  return m >= 1 and m <= 12 and d >= 1 and d <= days[m]
end

-- One of an item's dates (from, to, by): a date "2018-06-29" or a declared parameter whose
-- default is one. Returns the text as written and the date it stands for now.
local function window_date(v, field, prefix, bad, params)
  if type(v) ~= "string" then
    bad(prefix .. "'%s' must be a date such as \"2018-06-29\" or a parameter name", field)
  elseif v:match("^%d") then
    if is_date(v) then return v, v end
    bad(prefix .. "'%s' %s is not a date: write YYYY-MM-DD, e.g. \"2018-06-29\"", field, v)
  elseif params[v] == nil then
    bad(prefix .. "'%s' parameter '%s' is not declared in the scorecard's params", field, v)
  elseif type(params[v]) ~= "string" or not is_date(params[v]) then
    bad(prefix .. "parameter '%s' ('%s') must default to a date such as \"2018-06-29\"", v, field)
  else
    return v, params[v]
  end
end

-- An item's time window: from and to (Lua reserves `until`; the SQL sees :item_from and
-- :item_until), by (a deadline, :item_by), and years (the only years the item applies in).
-- Adds from, until, by and years to the normalised item n.
local function normalise_window(it, n, problems, params)
  local s, bad = it.spec, checker(problems, it.line)
  local prefix = "item " .. n.no .. ": "
  local dates = {}
  for _, f in ipairs({ { "from", "from" }, { "to", "until" }, { "by", "by" } }) do
    if s[f[1]] ~= nil then
      n[f[2]], dates[f[2]] = window_date(s[f[1]], f[1], prefix, bad, params)
    end
  end
  if dates.from and dates["until"] and dates.from > dates["until"] then
    bad(prefix .. "'from' %s is after 'to' %s: the window is empty", dates.from, dates["until"])
  end
  if s.years ~= nil then
    local ok = type(s.years) == "table" and #s.years > 0
    for _, y in ipairs(ok and s.years or {}) do
      ok = ok and math.type(y) == "integer" and y >= 1000 and y <= 9999
    end
    if ok then n.years = s.years else
      bad(prefix .. "'years' must list the years the item applies in, e.g. { 2019 }")
    end
  end
end

-- ---- subjects v2: findings about a related subject ----------------------------------------
-- finding { of = "institution", via = [[SELECT v.id AS village, i.id AS institution FROM …]] }:
-- the answer is the finding recorded on the related subject (subject_kind = of) that `via`
-- links each subject to; `when_none` says what a subject linked to nothing is ("pending", the
-- default: 待核实; or "na": 不适用). Sets out.of, out.via, out.when_none.
local function related_finding(s, out, bad, prefix)
  local example = 'e.g. via = [[SELECT v.id AS village, i.id AS institution FROM village v JOIN institution i ON i.township_id = v.township_id AND i.kind = \'乡镇卫生院\']]'
  if s.of == nil then
    if s.via ~= nil then
      bad(prefix .. "finding: 'via' needs 'of', the kind of subject the query links each subject to (e.g. of = \"institution\")")
    end
    if s.when_none ~= nil then
      bad(prefix .. "finding: 'when_none' applies only to a finding about a related subject (with 'of' and 'via')")
    end
    return
  end
  if type(s.of) ~= "string" or not SUBJECT_KINDS[s.of] then
    local near = type(s.of) == "string" and host.suggest(s.of, SUBJECT_ORDER)
    bad(prefix .. "finding: 'of' %s is not a kind of subject (known: %s)%s", tostring(s.of),
        table.concat(SUBJECT_ORDER, ", "), near and string.format("; did you mean %q?", near) or "")
  else
    out.of = s.of
  end
  if type(s.via) ~= "string" or not s.via:find("%S") then
    bad(prefix .. "finding: 'of' needs 'via', the query linking each subject to its %s (%s)",
        tostring(s.of), example)
  else
    out.via = s.via
  end
  if s.when_none ~= nil and s.when_none ~= "na" and s.when_none ~= "pending" then
    bad(prefix .. "finding: 'when_none' must be \"pending\" (未找到关联对象：待核实) or \"na\" (不适用)")
  end
  out.when_none = s.when_none
end

-- A related finding's `of` must not be a kind the item is itself scored for: the finding rows
-- of that kind would then mean two things.
local function check_related(items, subjects, problems)
  for _, n in ipairs(items) do
    local of = n.rule and n.rule.of
    for _, k in ipairs(of and (n.for_kinds or subjects) or {}) do
      if k == of then
        checker(problems, n.rule.line)("item %s: finding: 'of' names %s, which this item is itself scored for: a related finding takes its answer from another kind (say subjects = \"%s\" on the item, or drop 'of')",
          n.no, of, subjects[1] ~= of and subjects[1] or "village")
      end
    end
  end
end

local function normalise_rule(rule, item_no, problems, item_line, item_points, params)
  local bad = checker(problems, rule and rule.line or item_line)
  local prefix = "item " .. item_no .. ": "
  if getmetatable(rule) ~= RULE_TAG then
    checker(problems, item_line)(prefix .. "rule is missing or is not a rule (use finding{...}, check{...}, rate_at_least{...}, per_case{...} or deduct_if{...})")
    return nil
  end
  local s, named = amounts_by_parameter(rule, prefix, bad, params)
  local out = { kind = rule.kind, line = rule.line }
  refuse_unknown(s, RULE_FIELDS[rule.kind], bad, prefix .. rule.kind .. ": ")
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
    related_finding(s, out, bad, prefix) -- subjects v2
  end
  if NEEDS_POINTS[rule.kind] and item_points == nil then
    bad(prefix .. "%s awards the item's points, so the item needs 'points' (分值)", rule.kind)
  end
  if rule.kind == "rate_at_least" then
    local t = s.threshold
    if type(t) == "string" then
      if not params[t] then
        bad(prefix .. "rate_at_least: threshold parameter '%s' is not declared in the scorecard's params%s",
            t, did_you_mean(t, params))
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
      if type(ev) == "table" and
         not refuse_unknown(ev, EVIDENCE_FIELDS, bad, prefix .. rule.kind .. ": evidence: ") then
        -- reported field by field
      elseif type(ev) ~= "table" or type(ev.table) ~= "string" or type(ev.sql) ~= "string" then
        bad(prefix .. rule.kind .. ": 'evidence' must be { table = \"...\", sql = [[SELECT ...]] }")
      else
        out.evidence_table, out.evidence_sql = ev.table, ev.sql
      end
    end
  end
  for k, v in pairs(named) do out[k] = v end
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
  refuse_unknown(s, ITEM_FIELDS, bad, "item " .. no .. ": ")
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
    -- scorecard and section notes (考核评价)
    section_note = section and section.note,
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

-- ---- language v2: linked items, mixed levels, roll-up policies ---------------------------

-- The link fields of an item, in the order they are read, and what each is called in the
-- normalised declaration (lua/loader.c reads it; core/links.c applies it).
local LINK_FIELDS = { { "veto_if_failed", "veto" }, { "zero_if_failed", "zero" },
                      { "na_if_na", "na" } }

-- A list of names given as one name or a list of them ("1", 1, { "1", "2" }); nil if the value
-- is neither.
local function name_list(v)
  if type(v) == "string" or type(v) == "number" then return { tostring(v) } end
  if type(v) ~= "table" or #v == 0 then return nil end
  local out = {}
  for i, x in ipairs(v) do
    if type(x) ~= "string" and type(x) ~= "number" then return nil end
    out[i] = tostring(x)
  end
  return out
end

-- Reads an item's links and `subjects` into its normalised table n: n.links = { { kind =
-- "veto"|"zero"|"na", no = "1" }, ... }, n.for_kinds = { "county", ... } or nil (every kind).
local function item_v2(it, n, problems, subjects, mode)
  local s, bad = it.spec, checker(problems, it.line)
  n.links = {}
  for _, f in ipairs(LINK_FIELDS) do
    if s[f[1]] ~= nil then
      local nos = name_list(s[f[1]])
      if not nos then
        bad("item %s: '%s' must be an item number or a list of item numbers", n.no, f[1])
      end
      for _, no in ipairs(nos or {}) do
        n.links[#n.links + 1] = { kind = f[2], no = no, field = f[1] }
      end
    end
  end
  if s.zero_if_failed ~= nil and mode ~= "points" then
    bad("item %s: zero_if_failed (不予得分) needs points mode: in deduction mode an item has no points to withhold", n.no)
  end
  if s.subjects == nil then return end
  local kinds = name_list(s.subjects)
  if not kinds then
    bad("item %s: 'subjects' must name the kinds the item is scored for, e.g. subjects = \"township\"", n.no)
    return
  end
  local declared = {}
  for _, k in ipairs(subjects) do declared[k] = true end
  n.for_kinds = {}
  for _, k in ipairs(kinds) do
    if not declared[k] then
      bad("item %s: subjects: %q is not one of the scorecard's subjects (%s)", n.no, k,
          table.concat(subjects, ", "))
    else
      n.for_kinds[#n.for_kinds + 1] = k
    end
  end
end

-- The bundled forms as printed (issue 14): `finding_clause` names the clauses of a computed item
-- that no evidence table shows ("医保基金60%总额预付"): its query reads them from the inspectors'
-- findings on the item's own number, which the host then accepts instead of refusing them as
-- findings on a computed item. Adds finding_clause to the normalised item n.
local function item_finding_clause(it, n, problems)
  local s, bad = it.spec, checker(problems, it.line)
  if s.finding_clause == nil then return end
  if type(s.finding_clause) ~= "string" or s.finding_clause == "" then
    bad("item %s: 'finding_clause' must name the clauses read from findings, e.g. \"医保基金60%%总额预付\"", n.no)
  elseif n.rule and n.rule.kind == "finding" then
    bad("item %s: 'finding_clause' is for a computed item; a finding item reads its findings already", n.no)
  else
    n.finding_clause = s.finding_clause
  end
end

-- The header's optional texts: where the form comes from, its period, its note (考核评价).
local function check_header_texts(spec, bad)
  for _, f in ipairs({ "source", "period", "note", "reading" }) do
    if spec[f] ~= nil and type(spec[f]) ~= "string" then
      bad("scorecard: '%s' must be text%s", f, f == "period" and " such as \"2018\"" or "")
    end
  end
end

-- A parameter is `name = default` or `name = { default, "说明" }`: nothing else in the braces.
local function check_param_entry(name, v, bad)
  if type(v) ~= "table" then return true end
  local what = string.format("scorecard: parameter %s: ", tostring(name))
  if not refuse_unknown(v, {}, bad, what, 2, "(a parameter is { default, \"说明\" })") then
    return false
  end
  if v[2] ~= nil and type(v[2]) ~= "string" then
    bad("%sits description (the second entry) must be text", what)
    return false
  end
  return true
end

-- A points-mode form that assesses several kinds must say which kind each item is for: an
-- item not meant for a kind would otherwise give it 不适用 full points. (In deduction mode
-- 不适用 costs and gives nothing, so `subjects` is optional there.)
local function check_mixed_levels(items, subjects, mode, problems)
  if #subjects < 2 or mode ~= "points" then return end
  for _, n in ipairs(items) do
    if not n.for_kinds then
      checker(problems, n.line)("item %s: the scorecard assesses %s: say which this item is scored for (subjects = \"%s\", or a list); an item left unsaid would give the other kinds 不适用 full points",
        n.no, english_list(subjects), subjects[1])
    end
  end
end

-- Follows the links from item `no` depth first; a link back to an item on the way is a cycle,
-- reported once at the first item of it in form order.
local function find_cycles(items, by_no, problems)
  local state, stack, reported = {}, {}, {}
  local function visit(no)
    state[no] = "open"
    stack[#stack + 1] = no
    for _, l in ipairs(by_no[no].links) do
      if by_no[l.no] and state[l.no] == "open" then
        local from = #stack
        while stack[from] ~= l.no do from = from - 1 end
        local cycle, first = {}, nil
        for i = from, #stack do
          cycle[#cycle + 1] = stack[i]
          if not first or by_no[stack[i]].index < by_no[cycle[first]].index then first = #cycle end
        end
        local path = {}
        for i = 0, #cycle do path[#path + 1] = cycle[(first - 1 + i) % #cycle + 1] end
        local key = table.concat(path, " → ")
        if not reported[key] then
          reported[key] = true
          local at = by_no[path[1]]
          checker(problems, at.line)("item %s: linked items form a cycle: %s (an item cannot depend on its own outcome)",
            at.no, key)
        end
      elseif by_no[l.no] and not state[l.no] then
        visit(l.no)
      end
    end
    stack[#stack] = nil
    state[no] = "done"
  end
  for _, n in ipairs(items) do
    if not state[n.no] then visit(n.no) end
  end
end

-- Every link names an item of the form, scored for every kind the linked item is (an item
-- that does not say is scored for all the scorecard's subjects), and the links form no cycle.
local function check_links(items, subjects, problems)
  local by_no = {}
  for i, n in ipairs(items) do
    if not by_no[n.no] then by_no[n.no] = n; n.index = i end
  end
  for _, n in ipairs(items) do
    local bad = checker(problems, n.line)
    for _, l in ipairs(n.links or {}) do
      local src = by_no[l.no]
      if not src then
        bad("item %s: %s names item %s, which this scorecard does not have", n.no, l.field, l.no)
      elseif src.for_kinds then
        local has = {}
        for _, k in ipairs(src.for_kinds) do has[k] = true end
        for _, k in ipairs(n.for_kinds or subjects) do
          if not has[k] then
            bad("item %s: links to item %s, which is not scored for %s", n.no, l.no, k)
          end
        end
      end
    end
    n.links = n.links or {}
  end
  find_cycles(items, by_no, problems)
end

local filter_values, subject_listings -- subjects v2, defined below

-- ---- subjects v2: filters and declared parents --------------------------------------------
-- subjects = { "village", institution = { kind = "村卫生室", parent = "village" } }: a kind
-- given as a field takes a filter on the columns its host.kinds entry lists (one value, or a
-- list: any of them) and a parent its subjects roll up through. Returns the listings
-- ({ kind, parent, filters = { { column, values } } }, in kind order) and their kinds.
local function one_listing(kind, spec, bad)
  local where = "scorecard: subjects: " .. kind .. ": "
  local def = SUBJECT_KINDS[kind]
  if not def.filters then
    local takes = {}
    for _, k in ipairs(SUBJECT_ORDER) do
      if SUBJECT_KINDS[k].filters then takes[#takes + 1] = k end
    end
    bad("%s%s takes no filter or parent (only %s do); list it as \"%s\"", where, kind,
        english_list(takes), kind)
    return nil
  end
  if type(spec) ~= "table" then
    bad("%sgive its filter and parent as a table, e.g. %s = { %s }", where, kind,
        kind == "institution" and 'kind = "村卫生室", parent = "village"' or "parent = \"" .. (def.parents[1] or "") .. "\"")
    return nil
  end
  local fields = { parent = true }
  for col in pairs(def.filters) do fields[col] = true end
  local l = { kind = kind, filters = {} }
  for _, key in ipairs(sorted_keys(spec)) do
    local v = spec[key]
    if key == "parent" then
      local ok = false
      for _, p in ipairs(def.parents) do ok = ok or p == v end
      if ok then l.parent = v else
        local near = type(v) == "string" and host.suggest(v, def.parents)
        bad("%sparent %q is not a level %s rolls up through (%s)%s", where, tostring(v), kind,
            table.concat(def.parents, ", "), near and string.format("; did you mean %q?", near) or "")
      end
    elseif not fields[key] then
      bad("%sunknown filter '%s'%s; %s takes %s", where, tostring(key), did_you_mean(key, fields),
          kind, table.concat(sorted_keys(fields), ", "))
    else
      l.filters[#l.filters + 1] = filter_values(kind, key, v, def.filters[key], bad, where)
    end
  end
  return l
end

-- A filter's value(s) as { column, values }; an enumerated column (allowed: its values) refuses
-- a value it does not take, suggesting the nearest.
function filter_values(kind, column, v, allowed, bad, where)
  local list = type(v) == "table" and v or { v }
  local values = {}
  for _, x in ipairs(list) do
    if type(x) == "boolean" then x = x and 1 or 0 end
    if type(x) ~= "string" and math.type(x) ~= "integer" then
      bad("%s'%s' must be text or a whole number, or a list of them", where, column)
    elseif type(allowed) == "table" then
      local ok = false
      for _, a in ipairs(allowed) do ok = ok or a == x end
      if ok then values[#values + 1] = x else
        local near = type(x) == "string" and host.suggest(x, allowed)
        bad("%s%s %q is not one of %s%s", where, column, tostring(x), table.concat(allowed, ", "),
            near and string.format(" (did you mean %q?)", near) or "")
      end
    else
      values[#values + 1] = x
    end
  end
  if #list == 0 or type(v) == "table" and #list ~= #sorted_keys(v) then
    bad("%s'%s' must be a value or a list of values, e.g. %s = { \"a\", \"b\" }", where, column, column)
  end
  return { column = column, values = values }
end

function subject_listings(given, bad)
  local listings, kinds = {}, {}
  if type(given) ~= "table" then return listings, kinds end
  for _, key in ipairs(sorted_keys(given)) do
    if type(key) == "string" then
      if not SUBJECT_KINDS[key] then
        local near = host.suggest(key, SUBJECT_ORDER)
        bad("scorecard: unknown subject kind %q (known: %s)%s", key,
            table.concat(SUBJECT_ORDER, ", "), near and string.format("; did you mean %q?", near) or "")
      else
        for _, k in ipairs(given) do
          if k == key then
            bad("scorecard: subjects: %s is listed twice (as \"%s\" and as %s = {...}): keep the one with its filter", key, key, key)
          end
        end
        kinds[#kinds + 1] = key
        listings[#listings + 1] = one_listing(key, given[key], bad)
      end
    elseif math.type(key) ~= "integer" or key < 1 or key > #given then
      bad("scorecard: subjects: entry [%s] is neither a kind (\"village\") nor kind = { filter }", tostring(key))
    end
  end
  return listings, kinds
end

local ROLLUP_BY = { mean = true, mean_of_means = true, sum = true, min = true }
local ROLLUP_PENDING = { exclude = true, pending = true }

-- The roll-up as declared: a level or a list of levels (today's form: the mean of the fully
-- scored subjects, 待核实 ones left out), or { to = levels, by = ..., pending = ... }. Returns
-- the levels, `by` and `pending`.
local function rollup_policy(r, bad)
  if type(r) == "string" then return { r }, "mean", "exclude" end
  if type(r) ~= "table" then
    if r ~= nil then
      bad("scorecard: 'rollup' must list the levels to roll up to, or be { to = {...}, by = \"mean\", pending = \"exclude\" }")
    end
    return {}, "mean", "exclude"
  end
  if r.to == nil and r.by == nil and r.pending == nil then return r, "mean", "exclude" end
  for _, k in ipairs(sorted_keys(r)) do
    if k ~= "to" and k ~= "by" and k ~= "pending" then
      bad("scorecard: rollup: unknown field '%s' (rollup = { to = {...}, by = ..., pending = ... })",
          tostring(k))
    end
  end
  local by, pending = r.by or "mean", r.pending or "exclude"
  if not ROLLUP_BY[by] then
    bad("scorecard: rollup: 'by' must be \"mean\", \"mean_of_means\", \"sum\" or \"min\", not %q",
        tostring(by))
    by = "mean"
  end
  if not ROLLUP_PENDING[pending] then
    bad("scorecard: rollup: 'pending' must be \"exclude\" (待核实的对象不计入) or \"pending\" (有待核实的对象则汇总待核实), not %q",
        tostring(pending))
    pending = "exclude"
  end
  local to = type(r.to) == "string" and { r.to } or r.to
  if type(to) ~= "table" or #to == 0 then
    bad("scorecard: rollup: 'to' is required: the levels to roll up to, e.g. to = { \"township\", \"county\" }")
    to = {}
  end
  return to, by, pending
end

-- Grades are declared policy (issue "The bundled forms, as printed", item 3). None of the seeds
-- prints grade bands, and a 差 can be a ground for 问责: a form that states bands says where
-- they come from (`source`, printed on every form beside the grade), and a band's minimum may
-- name a parameter so that a county sets its own with --param. A form without bands declares
-- no grades and prints no grade (a veto item still sets the veto grade: the form says so).
-- Returns the bands { name, min, min_param } and the source.
local function grade_policy(g, bad, declared)
  local grades = {}
  if g == nil then return grades, nil end
  if type(g) ~= "table" then
    bad("scorecard: 'grades' must be a list of { \"等次\", minimum } with a source")
    return grades, nil
  end
  refuse_unknown(g, { source = true }, bad, "scorecard: grades: ", #g)
  local source = g.source
  if source ~= nil and (type(source) ~= "string" or source == "") then
    bad("scorecard: grades: 'source' must be text: where the grade bands come from")
    source = nil
  end
  for i, band in ipairs(g) do
    local min, param = type(band) == "table" and band[2] or nil, nil
    if type(min) == "string" then
      param, min = min, declared[min]
      if min == nil then
        bad("scorecard: grade %d: parameter '%s' is not declared in the scorecard's params", i, param)
      elseif not is_points(min) then
        bad("scorecard: grade %d: parameter '%s' must default to a number of points", i, param)
      end
    end
    if type(band) == "table" and
       not refuse_unknown(band, {}, bad, string.format("scorecard: grade %d: ", i), 2,
                          "(a grade is { \"等次\", minimum points })") then
      -- reported
    elseif type(band) ~= "table" or type(band[1]) ~= "string" or not is_points(min) then
      if not param then bad("scorecard: grade %d must be { \"等次\", minimum points }", i) end
    else
      grades[#grades + 1] = { name = band[1], min = min, min_param = param }
    end
  end
  for i = 2, #grades do
    if grades[i].min >= grades[i - 1].min then
      bad("scorecard: grades: %s's minimum %g is not below %s's %g: list the bands from the highest down",
          grades[i].name, grades[i].min, grades[i - 1].name, grades[i - 1].min)
    end
  end
  if #grades > 0 and not source and g.source == nil then
    bad("scorecard: grades: 'source' is required: say where the grade bands come from, e.g. " ..
        "source = \"本地规定：县健康扶贫领导小组2018年考核细则\" (it is printed on every form); " ..
        "a form whose document prints no bands declares no grades")
  end
  return grades, source
end

-- subjects v2: the levels a kind's subjects roll up to, through its declared parent if any.
local function chain_above(kind, listings)
  for _, l in ipairs(listings) do
    if l.kind == kind and l.parent then
      local above = { l.parent }
      for _, up in ipairs(ABOVE[l.parent]) do above[#above + 1] = up end
      return above
    end
  end
  return ABOVE[kind]
end

-- "; institution rolls up once its parent is declared: subjects = { institution = { parent = … } }"
local function parent_hint(subjects)
  local def = #subjects == 1 and SUBJECT_KINDS[subjects[1]]
  if not def or not def.parents or #def.parents == 0 then return "" end
  return string.format("; %s rolls up once its parent is declared: subjects = { %s = { parent = \"%s\" } }",
    subjects[1], subjects[1], def.parents[1])
end

function M.scorecard(spec)
  local line = host.line(2)
  if type(spec) ~= "table" then
    error("scorecard { ... } expects a table of fields", 2)
  end
  local problems = {}
  local bad = checker(problems, line)
  refuse_unknown(spec, SCORECARD_FIELDS, bad, "scorecard: ", #spec)
  check_header_texts(spec, bad)
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
  local listings, declared_kinds = subject_listings(given, bad) -- subjects v2
  if type(given) ~= "table" or (#given == 0 and #declared_kinds == 0) then
    bad("scorecard: 'subjects' must list what is assessed, e.g. { \"county\", \"township\" }")
    given = {}
  end
  local wanted = {}
  for _, k in ipairs(declared_kinds) do wanted[k] = true end
  for _, k in ipairs(given) do
    if not SUBJECT_KINDS[k] then
      local near = type(k) == "string" and host.suggest(k, SUBJECT_ORDER)
      bad("scorecard: unknown subject kind %q (known: %s)%s", tostring(k),
          table.concat(SUBJECT_ORDER, ", "), near and string.format("; did you mean %q?", near) or "")
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
    if not check_param_entry(name, v, bad) then
      -- reported
    elseif type(name) ~= "string" or not name:match("^[%a_][%w_]*$") then
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
  local form = limits(spec, "scorecard", bad, declared, mode) -- v2: caps and floors
  local items, seen, sections = {}, {}, {}
  local function add(it, section)
    local n = normalise_item(it, section, problems, declared)
    n.section_no = section and section.no -- v2: caps and floors
    normalise_window(it, n, problems, declared) -- v2: time windows
    item_v2(it, n, problems, subjects, mode)
    item_finding_clause(it, n, problems) -- issue 14: clauses read from findings
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
      local sec = normalise_section(entry, #sections + 1, problems, declared, mode)
      sections[#sections + 1] = sec
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
  check_floors(sections, items, form.floor, spec.total, problems, line)

  check_links(items, subjects, problems)
  check_mixed_levels(items, subjects, mode, problems)
  check_links_in_limits(items, sections, form, problems)
  check_related(items, subjects, problems) -- subjects v2

  local rollup, rollup_by, rollup_pending = {}, "mean", "exclude"
  if spec.rollup ~= nil then
    local r
    r, rollup_by, rollup_pending = rollup_policy(spec.rollup, bad)
    for _, k in ipairs(r) do
      local above = {}
      for _, up in ipairs(#subjects == 1 and chain_above(subjects[1], listings) or {}) do
        above[up] = true
      end
      if not above[k] then
        bad("scorecard: cannot roll %s up to %q (%s%s)", table.concat(subjects, ","), tostring(k),
            rollups_allowed(), parent_hint(subjects))
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

  local grades, grade_source = grade_policy(spec.grades, bad, declared)

  return host.seal {
    id = spec.id, title = spec.title, source = spec.source, period = spec.period,
    mode = mode, total = spec.total, subjects = subjects, params = params,
    grades = grades, grade_source = grade_source, items = items, problems = problems, line = line,
    rollup = rollup, veto_grade = spec.veto_grade, short = spec.short,
    -- scorecard and section notes (考核评价)
    note = spec.note,
    -- scorecard language v2, caps and floors
    sections = sections, cap = form.cap, floor = form.floor, cap_param = form.cap_param,
    floor_param = form.floor_param,
    -- language v2
    rollup_by = rollup_by, rollup_pending = rollup_pending,
    sets = sets, set_problems = set_problems, includes = includes, -- language v2 item 6
    reading = spec.reading, -- issue 14: where the reading table is
    listings = listings, -- subjects v2
  }
end

return M
