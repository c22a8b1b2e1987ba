-- Every bundled scorecard states its reading (issue 14, item 2): it declares `reading`, the file
-- exists, and every computed item (any rule but finding{}) has a row "| <item> |" in that table.
-- The scorecards are read here with stand-ins for the language's constructors, so this spec
-- sees each item's number and rule kind exactly as the file writes them.
-- Every file under scorecards/ (sorted as the shell sorts scorecards/*.lua), so that a card added
-- later cannot go without a reading table; the spec below checks that the known cards are there.
local CARDS = {}
do
  local ls = assert(io.popen("ls scorecards/*.lua"))
  for path in ls:lines() do CARDS[#CARDS + 1] = path end
  ls:close()
end

-- The declaration of `path`, read with constructors that only record what they are given.
local function declaration(path)
  local env = setmetatable({}, { __index = _G })
  env.scorecard = function(spec) return spec end
  env.item = function(spec) return { item = spec } end
  env.section = function(title) return function(body) return { section = title, body = body } end end
  for _, kind in ipairs({ "check", "finding", "rate_at_least", "per_case", "deduct_if" }) do
    env[kind] = function(spec) return { kind = kind, spec = spec } end
  end
  return assert(loadfile(path, "t", env))()
end

-- The items of a declaration, in form order.
local function items(decl)
  local out = {}
  for _, entry in ipairs(decl) do
    for _, it in ipairs(entry.body or { entry }) do out[#out + 1] = it.item end
  end
  return out
end

local function read(path)
  local f = io.open(path)
  if not f then return nil end
  local text = f:read("a")
  f:close()
  return text
end

-- The item numbers in the first column of the markdown tables of `text`.
local function rows(text)
  local found = {}
  for no in text:gmatch("\n| ([%d%.]+) |") do found[no] = true end
  return found
end

-- The computed items of `decl` without a row in `text`.
local function missing_rows(decl, text)
  local have, missing = rows(text), {}
  for _, it in ipairs(items(decl)) do
    if it.rule.kind ~= "finding" and not have[it.no] then missing[#missing + 1] = it.no end
  end
  return missing
end

describe("every bundled scorecard states its reading", function()
  it("finds the bundled scorecards, and sees items and rule kinds", function()
    -- the 包抓 form has 20 items, 10 of them computed (see its header)
    local its, computed = items(declaration(CARDS[1])), 0
    for _, it in ipairs(its) do computed = computed + (it.rule.kind ~= "finding" and 1 or 0) end
    assert.equal(20, #its)
    assert.equal(10, computed)
  end)

  it("reads every bundled card (the glob found them all)", function()
    local found = {}
    for _, card in ipairs(CARDS) do found[card:match("([^/]+)%.lua$")] = true end
    for _, name in ipairs({ "bazhua_cadre_2018", "cunweishi_2018", "cunweishi_village_2018",
                            "post_assessment_deductions", "qianyue_2018", "wudu_2018",
                            "xuanchuan_2018", "yibao_2018", "zhenggai_2018" }) do
      assert.is_true(found[name] == true, name)
    end
  end)

  for _, card in ipairs(CARDS) do
    it(card .. " has a row for every computed item in its reading table", function()
      local decl = declaration(card)
      local name = card:match("([^/]+)%.lua$")
      assert.equal("docs/forms/" .. name .. ".md", decl.reading)
      local text = read(decl.reading)
      assert.is_not_nil(text, decl.reading .. " is missing")
      assert.same({}, missing_rows(decl, text))
    end)
  end

  it("notices a missing row", function()
    -- the check itself: a table without item 8.2's row misses exactly 8.2
    local text = read("docs/forms/bazhua_cadre_2018.md"):gsub("\n| 8%.2 |[^\n]*", "")
    assert.same({ "8.2" }, missing_rows(declaration(CARDS[1]), text))
  end)
end)
