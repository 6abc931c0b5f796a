#!/usr/bin/env bash
# Builds libkili and the emulator with cargo, then runs the Go wrapper's whole suite:
# go vet, the tests and examples under the race detector with cgocheck, the quickstart,
# and a short benchmark smoke run. Exits non-zero on any failure.
# Honours CARGO_TARGET_DIR like cargo (a relative value is relative to the repository root).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac

cd "$root"
cargo build -p kili -p kili-emulator

cd "$here"
export GODEBUG=cgocheck=1
export GOFLAGS="${GOFLAGS:-} -count=1"
export KILI_EMULATOR="$target/debug/kili-emulator"
# ffi.go (and internal/cbench) link against <repo>/target/debug; cgo puts CGO_LDFLAGS before
# those directives, so this -L and rpath win. TestLinkedLibkili checks the loaded library.
export CGO_LDFLAGS="-L$target/debug -Wl,-rpath,$target/debug ${CGO_LDFLAGS:--g -O2}" # -g -O2: cgo's default
export KILI_TEST_LIBKILI="$target/debug/libkili.so"
go vet ./...
go test -race -timeout 5m ./...
# The benchmarks once each, so that they cannot rot; real numbers: see README.md.
go test -run '^$' -bench . -benchtime 1x -timeout 5m .
