#!/usr/bin/env bash
# The annual assessment run on the bundled 会宁县 evidence:
# installs and builds if needed, generates the evidence (deterministic, seed 20180901), runs
# every bundled scorecard and writes out/考核结果-2018.xlsx and out/results.db.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
mkdir -p build/evidence out
if [ ! -f build/evidence/huining.db ] || [ fixtures/gen/kaohe_gen.c -nt build/evidence/huining.db ] ||
  [ fixtures/evidence-schema.sql -nt build/evidence/huining.db ]; then
  build/kaohe-gen --out build/evidence/huining.db --seed 20180901 --year 2018
fi
rm -f out/results.db
build/kaohe run --evidence build/evidence/huining.db --period 2018 \
  --out out/考核结果-2018.xlsx --results out/results.db scorecards/*.lua
