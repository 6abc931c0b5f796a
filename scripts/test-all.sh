#!/usr/bin/env bash
# Runs every test suite of kili-native. Installs what it needs itself (crates through cargo,
# the official Python SDK in .venv for the conformance suite). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

echo "== Rust: core, emulator, C ABI (cargo test --workspace)"
cargo test --workspace --no-fail-fast

echo "== Conformance: the official Python SDK against the emulator"
bash tests/conformance/run.sh

echo "== all suites passed"
