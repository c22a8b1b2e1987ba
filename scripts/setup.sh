#!/usr/bin/env bash
# Installs what kaohe needs from Debian (only what is missing) and builds it.
#   scripts/setup.sh [BUILD_DIR] [extra cmake args...]
# Packages and why:
#   build-essential cmake pkg-config  — the C build
#   liblua5.4-dev lua5.4              — the embedded scorecard language; lua5.4 runs busted
#   libsqlite3-dev sqlite3            — evidence and results; the sqlite3 shell for tests
#   libxlsxwriter-dev                 — the Excel workbook
#   libssl-dev                        — SHA-256 for the run manifest (OpenSSL's libcrypto)
#   libcsv-dev                        — the CSV parser of kaohe import (quoting, embedded newlines)
#   libzip-dev libexpat1-dev          — reading a workbook back (reproduce from it, filled checklists)
#   zlib1g-dev                        — packing the workbook manifest's records (report/manifest_pack.c)
#   lua-busted                        — the Lua test runner
#   python3-openpyxl                  — end-to-end tests read the workbook back
#   valgrind                          — the leak check in the test suite
#   scdoc                             — the man page kaohe(1) (docs/kaohe.1.scd)
#   slurm-wlm munge                   — tests/e2e/slurm.sh runs the README's province recipe
#                                       on a single-node Slurm cluster it starts
#   libreoffice-calc-nogui poppler-utils fonts-wqy-microhei
#                                     — the rendered test (tests/e2e/rendered.sh): the workbook
#                                       converted to PDF and read back with pdfinfo/pdftotext
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
pkgs=(build-essential cmake pkg-config liblua5.4-dev lua5.4 libsqlite3-dev sqlite3
  libxlsxwriter-dev libssl-dev lua-busted python3-openpyxl valgrind libcsv-dev libzip-dev
  libexpat1-dev zlib1g-dev scdoc slurm-wlm munge libreoffice-calc-nogui poppler-utils
  fonts-wqy-microhei)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "kaohe setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j "$(nproc)" >/dev/null
