#!/usr/bin/env bash
# Every test: installs and builds if needed, then runs C tests, busted specs and end-to-end
# tests under ctest, in the normal build and again in an AddressSanitizer+UBSan build (which
# runs the C and end-to-end tests; busted loads the engine into the system Lua, which an ASan
# build cannot join).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
(cd build && ctest --output-on-failure -j 2)
scripts/setup.sh build-asan -DKAOHE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j 2)
# a short libFuzzer smoke run of each target (the campaigns are scripts/fuzz.sh 600)
scripts/fuzz.sh 10
