#!/usr/bin/env bash
# The annual assessment run on the bundled 会宁县 evidence:
# installs and builds if needed, generates the evidence (deterministic, seed 20180901) as the
# CSV exports a source system would give, builds the evidence database from them with
# `kaohe import` (the same path real exports take), runs every bundled scorecard and writes
# out/考核结果-2018.xlsx and out/results.db.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
mkdir -p build/evidence out
# the generator is kaohe_gen.c and the files it includes (fixtures/gen/*.c)
stale=$(find fixtures/gen -name '*.c' -newer build/evidence/huining.db 2>/dev/null | head -1 || true)
if [ ! -f build/evidence/huining.db ] || [ -n "$stale" ] ||
  [ fixtures/evidence-schema.sql -nt build/evidence/huining.db ]; then
  rm -rf build/evidence/csv build/evidence/generated.db build/evidence/huining.db
  build/kaohe-gen --out build/evidence/generated.db --seed 20180901 --year 2018
  tables=$(scripts/evidence_to_csv.sh build/evidence/generated.db build/evidence/csv)
  build/kaohe schema --evidence build/evidence/huining.tmp.db >/dev/null
  build/kaohe import --evidence build/evidence/huining.tmp.db \
    $(for t in $tables; do echo "build/evidence/csv/$t.csv"; done) >/dev/null
  mv build/evidence/huining.tmp.db build/evidence/huining.db
fi
rm -f out/results.db
build/kaohe run --evidence build/evidence/huining.db --period 2018 \
  --out out/考核结果-2018.xlsx --results out/results.db scorecards/*.lua
