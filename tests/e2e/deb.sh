#!/usr/bin/env bash
# The Debian package: cpack -G DEB from the build, its Depends (worked out here independently:
# the package owning each shared library the binary and the Lua module load), its contents
# (binary, module where lua5.4 looks, language, scorecards, man page, completion, docs), then
# the package unpacked into a scratch root (dpkg-deb -x; nothing is installed on the machine)
# and run from there: version, man -w, a run of its scorecards on the hand-made fixture
# (county -1.4 and 14 deductions, worked out in fixtures/small/post_assessment.sql). Where
# apt-get is present, `apt-get install --simulate ./kaohe_*.deb` must resolve every Depends.
source "$(dirname "$0")/lib.bash"
: "${BUILD:?}"
cache() { sed -n "s/^$1:[A-Z]*=//p" "$BUILD/CMakeCache.txt"; }
if [ "$(cache KAOHE_SANITIZE)" = ON ]; then
  echo "deb: not packaged from a sanitizer build (the release build's test covers it)"
  exit 0
fi
for tool in cpack dpkg-deb dpkg-shlibdeps; do
  command -v "$tool" >/dev/null || {
    echo "FAIL: $tool is missing (apt-get install cmake dpkg-dev)" >&2
    exit 1
  }
done

cpack -G DEB -B "$T/pkg" --config "$BUILD/CPackConfig.cmake" >"$T/cpack.log" 2>&1 ||
  fail "cpack -G DEB: $(tail -5 "$T/cpack.log")"
version=$("$KAOHE" version | cut -d' ' -f2)
deb=$T/pkg/kaohe_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] && ok || fail "no package $deb ($(ls "$T/pkg"))"

# Depends: the package owning each library the binary and the module link directly (NEEDED),
# found where ldd resolves it (under /lib or /usr/lib: merged /usr)
owner() { # path
  local c
  for c in "$1" "${1#/usr}" "/usr$1"; do
    dpkg -S "$c" 2>/dev/null | head -1 | cut -d: -f1 && return
  done
}
depends=$(dpkg-deb -f "$deb" Depends)
for elf in "$BUILD/kaohe" "$BUILD/kaohe.so"; do
  for soname in $(objdump -p "$elf" | awk '$1 == "NEEDED" {print $2}'); do
    path=$(ldd "$elf" | awk -v s="$soname" '$1 == s {print $3}')
    pkg=$(owner "$path")
    if [ -z "$pkg" ]; then
      fail "$soname ($path): no package owns it"
      continue
    fi
    expect_contains "$depends" "$pkg" "Depends names $pkg (for $soname)"
  done
done
expect_eq "kaohe" "$(dpkg-deb -f "$deb" Package)" "package name"

contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in usr/bin/kaohe usr/share/kaohe/scripts/kaohe/dsl.lua \
  usr/share/kaohe/scorecards/post_assessment_deductions.lua \
  usr/share/kaohe/fixtures/evidence-schema.sql usr/share/kaohe/fixtures/import/headers.tsv \
  usr/share/bash-completion/completions/kaohe usr/share/doc/kaohe/docs/authoring.md \
  usr/share/lua/5.4/kaohe/testing.lua; do
  expect_contains "$contents" "./$f" "the package holds $f"
done
if [ -f "$BUILD/kaohe.1.gz" ]; then
  expect_contains "$contents" "./usr/share/man/man1/kaohe.1.gz" "the package holds the man page"
fi
# the module is where the system's lua5.4 looks for C modules
so=$(grep '/kaohe\.so$' <<<"$contents" | sed 's|^\.||')
cpath=$(lua5.4 -e 'print(package.cpath)')
expect_contains ";$cpath;" ";${so%/kaohe.so}/?.so;" "kaohe.so ($so) is on lua5.4's package.cpath"

dpkg-deb -x "$deb" "$T/root"
R=$T/root/usr
mkdir "$T/work"
clean() { (cd "$T/work" && env -i PATH="$R/bin:/usr/bin:/bin" LANG=C.UTF-8 "$@"); }
expect_eq "$("$KAOHE" version)" "$(clean kaohe version)" "the packaged kaohe runs"
if [ -f "$BUILD/kaohe.1.gz" ]; then
  expect_eq "$R/share/man/man1/kaohe.1.gz" "$(clean MANPATH="$R/share/man" man -w kaohe)" "man -w kaohe"
fi
small_evidence "$T/work/ev.db"
out=$(clean kaohe run --evidence ev.db --period 2018 --results r.db \
  "$R/share/kaohe/scorecards/post_assessment_deductions.lua")
expect_contains "$out" "13 条扣分记录" "packaged run: deductions"
expect_eq "-1.4" "$(sqlite3 "$T/work/r.db" "SELECT total FROM result WHERE subject_id = 'C1'")" \
  "packaged run: county total"

if command -v apt-get >/dev/null && [ "$(id -u)" -eq 0 ]; then
  rc=0
  apt-get install --simulate "$deb" >"$T/apt.log" 2>&1 || rc=$?
  expect_eq "0" "$rc" "apt-get install --simulate resolves the Depends ($(tail -3 "$T/apt.log"))"
  expect_contains "$(cat "$T/apt.log")" "Inst kaohe" "apt-get would install kaohe"
fi
finish
