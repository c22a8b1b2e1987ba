#!/usr/bin/env bash
# Runs the busted specs against the engine module built in $1 (the directory holding kaohe.so).
# A wrapper because LUA_CPATH's ";;" (append the default path) cannot pass through CMake's
# ENVIRONMENT property, where ';' separates entries.
set -euo pipefail
moddir=$1
shift
export LUA_CPATH="$moddir/?.so;;"
export LUA_PATH="$(pwd)/scripts/?.lua;;"
export KAOHE_HOME=${KAOHE_HOME:-$(pwd)}
exec lua5.4 "$(command -v busted)" --helper=tests/spec/helper.lua -o utfTerminal "$@" tests/spec
