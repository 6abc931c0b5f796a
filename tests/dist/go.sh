#!/usr/bin/env bash
# The Go release artifact as a user gets it:   tests/dist/go.sh DIST
#
# DIST/go/ is the file-based module proxy that bindings/go/release.sh wrote. KILI_EMULATOR
# names the kili-emulator binary. Everything runs in a fresh directory outside the
# repository, with cargo and rustc removed from PATH, an empty environment (no CGO_* flags,
# no library paths) and empty module and build caches, offline (GOPROXY is DIST/go only):
#  1. a consumer module `go get`s the kili package at the version of include/kili.h; the
#     module's bundled libkili.a is a release build without debug sections
#  2. it takes the quickstart's source from the downloaded module and builds it with plain
#     `go build`; the binary needs no libkili.so (ldd), and runs the whole lifecycle against
#     a --seed-demo emulator (demo-project, 20 assets)
#  3. vendored (`go mod vendor`, -mod=vendor), it builds and runs the same way
#  4. CGO_ENABLED=0 fails with the message saying cgo is needed; -tags kili_system fails
#     at link time for want of a system libkili (the bundled one is not used); a platform
#     without a bundled library gets nobundle.go (whose message bindings/go/test.sh checks)
set -euo pipefail

[[ $# -eq 1 ]] || { echo "usage: $0 DIST" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
proxy="$(cd "$1" && pwd)/go"
# shellcheck source=tests/dist/emulator.sh
source "$root/tests/dist/emulator.sh"
fail() { echo "FAIL: $*" >&2; exit 1; }

module=github.com/kili-technology/kili-native/bindings/go
pkg=$module/kili
version="v$(sed -n 's/^#define KILI_VERSION "\(.*\)"$/\1/p' "$root/include/kili.h")"
[[ "$version" != v ]] || fail "no KILI_VERSION in include/kili.h"
grep -qx "$version" "$proxy/$module/@v/list" || fail "$proxy does not list $module $version"
echo "== go dist: $module@$version from $proxy"

work=$(mktemp -d)
case "$work" in "$root"/*) fail "the temporary directory $work is inside the repository" ;; esac
cleanup() {
  stop_emulator
  chmod -R u+w "$work" 2>/dev/null || true # the module cache is read-only
  rm -rf "$work"
}
trap cleanup EXIT

# PATH without the Rust toolchain: every directory holding cargo, rustc or rustup is dropped.
path=''
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [[ -n "$d" && ! -e "$d/cargo" && ! -e "$d/rustc" && ! -e "$d/rustup" ]] || continue
  path+="${path:+:}$d"
done
mkdir -p "$work/home" "$work/tmp" "$work/consumer"
# An empty environment but for these: nothing from the developer's Go configuration
# (GOENV=off), caches or CGO_* flags, no LD_LIBRARY_PATH or LIBRARY_PATH reaching a libkili.
clean=(env -i PATH="$path" HOME="$work/home" TMPDIR="$work/tmp" LANG=C.UTF-8
  GOENV=off GOTOOLCHAIN=local GOWORK=off GOPATH="$work/gopath" GOMODCACHE="$work/gomodcache"
  GOCACHE="$work/gocache" GOPROXY="file://$proxy" GONOSUMDB=github.com/kili-technology/kili-native
  GOFLAGS=-mod=mod CGO_ENABLED=1)
if "${clean[@]}" bash -c 'command -v cargo || command -v rustc'; then fail "cargo or rustc is still on PATH"; fi
"${clean[@]}" bash -c 'command -v go >/dev/null && command -v cc >/dev/null' || fail "go or cc is not on PATH without the Rust directories"
cd "$work/consumer"

echo "== 1. get $pkg@$version"
"${clean[@]}" go mod init example.com/kili-consumer
"${clean[@]}" go get "$pkg@$version"
# (indirect until a source file imports it)
grep -Eqx "require $module $version( // indirect)?" go.mod || fail "go.mod does not require $module $version: $(cat go.mod)"
# The go.sum line the release's README publishes is the one the go command computed.
sum=$(grep "^$module $version h1:" go.sum) || fail "no go.sum line for $module $version"
grep -qxF "$sum" "$proxy/README" || fail "DIST/go/README does not carry the go.sum line $sum"
dir=$("${clean[@]}" go list -m -f '{{.Dir}}' "$module")
case "$dir" in "$work/gomodcache/"*) ;; *) fail "the module came from $dir, not the fresh module cache" ;; esac
plat="$("${clean[@]}" go env GOOS)_$("${clean[@]}" go env GOARCH)"
lib="$dir/kili/lib/$plat/libkili.a"
[[ -f "$lib" ]] || fail "the module bundles no libkili.a for $plat"
# Listings in files, not pipes: a `grep -q` that stops early would make the lister die of
# SIGPIPE, and pipefail would turn the match into a pass.
readelf -S --wide "$lib" >"$work/sections" 2>/dev/null || fail "readelf cannot read $lib"
nm "$lib" >"$work/symbols" 2>/dev/null || fail "nm cannot read $lib"
# DWARF sections (.debug_gdb_scripts, a loaded section naming gdb helpers, is not debug info)
if grep -E '\] \.z?debug_' "$work/sections" | grep -v '\.debug_gdb_scripts '; then
  fail "the bundled libkili.a has debug sections"
fi
# A debug Rust build keeps overflow checks, which call core's panic_const_add_overflow; the
# precompiled std of a release staticlib has none.
if grep -q panic_const_add_overflow "$work/symbols"; then fail "the bundled libkili.a is a debug build"; fi

echo "== 2. build and run the quickstart"
cp "$dir/examples/quickstart/main.go" main.go
grep -q "\"$pkg\"" main.go || fail "the quickstart does not import $pkg"
"${clean[@]}" go build -o quickstart .
if ! "${clean[@]}" ldd ./quickstart >ldd.out; then cat ldd.out >&2; fail "ldd ./quickstart failed"; fi
if grep -E 'libkili|not found' ldd.out; then fail "the quickstart needs libkili.so or a missing library at run time"; fi

start_emulator "$work"
url=$EMU_URL

run_quickstart() { # binary; prints its output
  local out
  bad() { echo "$out" >&2; cat "$work/quickstart.err" >&2; fail "$@"; }
  out=$("${clean[@]}" KILI_API_KEY=demo-api-key KILI_API_ENDPOINT="$url/api/label/v2/graphql" \
    "$1" 2>"$work/quickstart.err") || bad "$1 failed"
  echo "$out"
  # The steps of the lifecycle, each checked: the library is the release's, the demo project
  # has 20 assets before and again after the import/delete round trip, both imports got ids,
  # and a not-found project is reported as such.
  [[ "$(head -n 1 <<<"$out")" == "kili-native ${version#v}" ]] || bad "$1 did not load libkili ${version#v}"
  [[ $(grep -cx 'assets in demo-project: 20' <<<"$out") -eq 2 ]] || bad "$1 did not count 20 assets before and after"
  grep -Eq '^append_many_to_dataset: \[[^ ]+ [^ ]+\]$' <<<"$out" || bad "$1 did not import two assets"
  grep -q '^delete_many_from_dataset: ' <<<"$out" || bad "$1 did not delete"
  grep -q '^expected error: .*NOT_FOUND' <<<"$out" || bad "$1 did not report the unknown project as not found"
}
run_quickstart ./quickstart

echo "== 3. vendored"
"${clean[@]}" go mod vendor
[[ -f "vendor/$pkg/lib/$plat/libkili.a" && -f "vendor/$pkg/include/kili.h" ]] ||
  fail "go mod vendor left out the bundled library or header"
"${clean[@]}" go build -mod=vendor -o quickstart-vendored .
run_quickstart ./quickstart-vendored >/dev/null
rm -rf vendor

echo "== 4. build failures"
if out=$("${clean[@]}" CGO_ENABLED=0 go build -o nocgo . 2>&1); then fail "CGO_ENABLED=0 go build succeeded"; fi
grep -q 'undefined: kili_needs_cgo__build_with_CGO_ENABLED_1_and_a_C_compiler_gcc_or_clang_on_PATH$' <<<"$out" ||
  fail "CGO_ENABLED=0 go build did not say that cgo is needed: $out"
# kili_system must not fall back on the bundled library: with none on the system it cannot link.
if out=$("${clean[@]}" go build -tags kili_system -o system . 2>&1); then fail "-tags kili_system linked without a system libkili"; fi
grep -q -- '-lkili' <<<"$out" || fail "-tags kili_system failed for another reason than a missing libkili: $out"
# Where nothing is bundled (here linux/arm64 when only the host's library is: go list reads
# the build constraints without a cross compiler) nobundle.go builds instead, and with the
# bundled platform it does not.
files() { "${clean[@]}" "${@:2}" go list -f '{{join .CgoFiles " "}}' "$1"; }
host_files=" $(files "$pkg") "
[[ "$host_files" == *" bundled_$plat.go "* && "$host_files" != *" nobundle.go "* ]] ||
  fail "on $plat the package builds $host_files"
if [[ "$plat" != linux_arm64 && ! -d "$dir/kili/lib/linux_arm64" ]]; then
  other_files=" $(files "$pkg" GOOS=linux GOARCH=arm64) "
  [[ "$other_files" == *" nobundle.go "* && "$other_files" != *" bundled_"* ]] ||
    fail "on linux_arm64 (not bundled) the package builds $other_files"
fi
echo "== go dist: OK"
