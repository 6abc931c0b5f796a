#!/usr/bin/env bash
# Builds libkili and the emulator with cargo, then runs the Go wrapper's whole suite:
# go vet, the tests and examples under the race detector with cgocheck, the quickstart,
# and a short benchmark smoke run, plus the build failures that must say what to do.
# Exits non-zero on any failure.
# Honours CARGO_TARGET_DIR like cargo (a relative value is relative to the repository root).
#
# The source tree has no bundled libkili.a (only released modules do: release.sh), so the
# suite builds with -tags kili_system against cargo's debug libkili.so: fast, no release
# build. tests/dist/go.sh tests the bundled, released module.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac

cd "$root"
cargo build -p kili-capi -p kili-emulator

cd "$here"
# Without a bundled library or cgo the build must fail with the message that says what to
# do (nobundle.go, nocgo.go), not with a missing header or undefined C symbols.
expect_build_failure() { # message, then env assignments for `go build`
  local want=$1 out
  shift
  if out=$(env "$@" go build -tags= ./kili 2>&1); then
    echo "FAIL: go build ./kili with $* succeeded; want an error naming $want" >&2
    exit 1
  fi
  if ! grep -q "undefined: $want\$" <<<"$out"; then
    echo "FAIL: go build ./kili with $* did not report $want:" >&2
    echo "$out" >&2
    exit 1
  fi
}
expect_build_failure kili_bundles_no_libkili_for_this_GOOS_GOARCH__build_with_tags_kili_system_or_kili_pkgconfig__see_README CGO_ENABLED=1
expect_build_failure kili_needs_cgo__build_with_CGO_ENABLED_1_and_a_C_compiler_gcc_or_clang_on_PATH CGO_ENABLED=0

export GODEBUG=cgocheck=1
export GOFLAGS="${GOFLAGS:-} -count=1 -tags=kili_system"
export KILI_EMULATOR="$target/debug/kili-emulator"
# kili_system links -lkili; these say where (the repository's header, cargo's debug
# library, with an rpath so that nothing else is needed at run time). internal/cbench
# links <repo>/target/debug itself; cgo puts CGO_* before the directives, so these win
# (CARGO_TARGET_DIR). TestLinkedLibkili checks which library was loaded.
export CGO_CFLAGS="-I$root/include ${CGO_CFLAGS:--g -O2}" # -g -O2: cgo's default
export CGO_LDFLAGS="-L$target/debug -Wl,-rpath,$target/debug ${CGO_LDFLAGS:--g -O2}"
export KILI_TEST_LIBKILI="$target/debug/libkili.so"
go vet ./...
go test -race -timeout 5m ./...
# The benchmarks once each, so that they cannot rot; real numbers: see README.md.
go test -run '^$' -bench . -benchtime 1x -timeout 5m ./kili
