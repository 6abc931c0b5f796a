#!/usr/bin/env bash
# Builds libkili and the emulator with cargo, then runs the Go wrapper's whole suite:
# go vet, the tests and examples under the race detector with cgocheck, the quickstart,
# and a short benchmark smoke run. Exits non-zero on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

cd "$root"
cargo build -p kili -p kili-emulator

cd "$here"
export GODEBUG=cgocheck=1
export GOFLAGS="${GOFLAGS:-} -count=1"
export KILI_EMULATOR="$root/target/debug/kili-emulator"
go vet ./...
go test -race -timeout 5m ./...
# The benchmarks once each, so that they cannot rot; real numbers: see README.md.
go test -run '^$' -bench . -benchtime 1x -timeout 5m .
