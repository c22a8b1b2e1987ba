-- Shared by the specs: the engine module, a scratch directory, and fixture builders.
local kaohe = require "kaohe"

local H = {}
H.kaohe = kaohe
H.home = os.getenv("KAOHE_HOME") or "."
H.tmp = os.tmpname()
os.remove(H.tmp)
os.execute("mkdir -p " .. H.tmp)

function H.path(name) return H.tmp .. "/" .. name end

-- Builds an evidence database from the schema and the given fixture files.
function H.evidence(name, ...)
  local files = { H.home .. "/fixtures/evidence-schema.sql" }
  for _, f in ipairs({ ... }) do files[#files + 1] = H.home .. "/" .. f end
  local db = H.path(name)
  assert(kaohe.build_evidence(db, files))
  return db
end

-- Writes a scorecard file from text and returns its path.
function H.scorecard(name, text)
  local p = H.path(name)
  local f = assert(io.open(p, "w"))
  f:write(text)
  f:close()
  return p
end

-- A finding row (the finding table) of period 2018, by 督查组 on 2018-12-01.
function H.finding(id, card, item, kind, subject, answer, score, note)
  return { id = id, scorecard = card, item = item, subject_kind = kind, subject_id = subject,
           period = "2018", answer = answer, score = score, note = note, inspector = "督查组",
           inspected_on = "2018-12-01" }
end

-- A run's deductions for one subject and item, as sorted "points|table|key|reason" lines.
function H.deductions(r, subject, item)
  local out = {}
  for _, d in ipairs(r.deductions) do
    if d.subject == subject and d.item == item then
      out[#out + 1] = string.format("%g|%s|%s|%s", d.points, d.table, d.key, d.reason)
    end
  end
  table.sort(out)
  return out
end

-- The names of the fixtures' townships and villages, by id.
local NAMES = { T1 = "甲镇", T2 = "乙乡", T3 = "丙乡", T4 = "丁乡", T5 = "戊镇",
                V1 = "甲村", V2 = "乙村", V3 = "丙村", V4 = "丁村", V5 = "戊村" }

-- The rows most scorecard specs start from: the county C1 (测试县, 测试省) and the townships,
-- villages, households and persons each spec lists compactly (the names of townships and
-- villages from NAMES):
--   townships = { "T1", "T2" }
--   villages = { { "V1", "T1" }, … }                (id, township)
--   households = { { "H1", "V1", "建档立卡" }, … }   (id, village, category)
--   persons = { { "P1", "H1", "张一", away = 1 }, … } (id, household, name, other columns)
-- households and persons may be left out (then there is no such table). Every other key of
-- spec is a table of rows, copied as it is (diagnosis = { … }, finding = {}).
function H.fixture_rows(spec)
  local rows = { county = { { id = "C1", name = "测试县", province = "测试省" } },
                 township = {}, village = {},
                 household = spec.households and {}, person = spec.persons and {} }
  for i, t in ipairs(spec.townships) do
    rows.township[i] = { id = t, county_id = "C1", name = assert(NAMES[t], t) }
  end
  for i, v in ipairs(spec.villages) do
    rows.village[i] = { id = v[1], township_id = v[2], name = assert(NAMES[v[1]], v[1]) }
  end
  for i, h in ipairs(spec.households or {}) do
    rows.household[i] = { id = h[1], village_id = h[2], category = h[3] }
  end
  for i, p in ipairs(spec.persons or {}) do
    local row = { id = p[1], household_id = p[2], name = p[3] }
    for k, v in pairs(p) do
      if type(k) == "string" then row[k] = v end
    end
    rows.person[i] = row
  end
  local shaped = { townships = 1, villages = 1, households = 1, persons = 1 }
  for k, v in pairs(spec) do
    if not shaped[k] then rows[k] = v end
  end
  return rows
end

_G.kh = H
return H
