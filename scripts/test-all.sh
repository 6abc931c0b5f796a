#!/usr/bin/env bash
# Runs every test suite of kili-native. Installs what it needs itself (crates through cargo,
# Go modules, Maven artifacts, the official Python SDK in .venv for the conformance suite,
# Doxygen through apt-get for the API reference).
# Exits non-zero on any failure; prints a summary line per suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

suite() {
  local name="$1"; shift
  local start=$SECONDS
  echo
  echo "==================== $name"
  "$@"
  echo "==================== $name: passed in $((SECONDS - start)) s"
}

suite "Rust: core, emulator, CLI, category search, C ABI incl. ASan/valgrind runs (cargo test --workspace)" \
  cargo test --workspace --no-fail-fast
suite "Conformance: the official Python SDK (kili 26.2.4) against the emulator" \
  bash tests/conformance/run.sh
suite "C++ wrapper (GoogleTest, ASan/UBSan)" bash bindings/cpp/test.sh
suite "Go wrapper (go vet, go test -race, cgocheck)" bash bindings/go/test.sh
suite "Java wrapper (mvn verify, -Xcheck:jni, Temurin 25)" bash bindings/java/test.sh
suite "Distribution: release build, C/C++/Go/Java consumers from clean directories, API docs" \
  bash tests/dist/run.sh

echo
echo "all suites passed"
