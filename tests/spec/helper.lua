-- Shared by the specs: the engine module, a scratch directory, and a fixture builder.
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

_G.kh = H
return H
