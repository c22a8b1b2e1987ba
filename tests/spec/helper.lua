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

_G.kh = H
return H
