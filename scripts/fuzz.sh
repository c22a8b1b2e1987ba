#!/usr/bin/env bash
# Fuzzing with libFuzzer (clang, from Debian): the CSV importer, the scorecard loader/validator,
# the read-only evidence query API, the xlsx reader and the report's text path, each for SECONDS (default 600 — the campaign length the
# hardening work asks for; CI runs a short smoke run). Seed corpora live in fuzz/corpus/ (the
# scorecard target also seeds from scorecards/); the working corpus grows in
# build-fuzz/corpus/, crashes land in build-fuzz/artifacts/.
#   scripts/fuzz.sh [SECONDS] [csv|scorecard|query|xlsx|report ...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=${*:-csv scorecard query xlsx report}
scripts/setup.sh build >/dev/null # the engine's own packages
missing=()
for p in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
CC=clang cmake -S . -B build-fuzz -DKAOHE_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build build-fuzz -j "$(nproc)" >/dev/null
mkdir -p build-fuzz/artifacts
export KAOHE_HOME=$PWD
status=0
for t in $targets; do
  mkdir -p "build-fuzz/corpus/$t"
  echo "fuzz_$t: ${seconds}s"
  if ! build-fuzz/fuzz/fuzz_$t -max_total_time="$seconds" -timeout=20 -rss_limit_mb=3072 \
      -artifact_prefix="build-fuzz/artifacts/$t-" -print_final_stats=1 \
      "build-fuzz/corpus/$t" "fuzz/corpus/$t" $([ "$t" = scorecard ] && echo scorecards) \
      >"build-fuzz/fuzz_$t.log" 2>&1; then
    echo "fuzz_$t: FAILED — see build-fuzz/fuzz_$t.log and build-fuzz/artifacts/" >&2
    tail -30 "build-fuzz/fuzz_$t.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "build-fuzz/fuzz_$t.log" | tr '\n' ' '
    echo
  fi
done
exit $status
