#!/usr/bin/env bash
# Conformance suite: the unmodified official Python SDK (kili==26.2.4) against kili-emulator.
# 1. creates .venv at the repo root if missing and installs kili[image]==26.2.4 + pytest;
# 2. builds the emulator; 3. runs pytest (extra arguments are passed to pytest).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c "import kili, pytest, imagesize" 2>/dev/null || \
   [ "$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("kili"))')" != "26.2.4" ]; then
  .venv/bin/pip install -q "kili[image]==26.2.4" pytest
fi
# Same package set as the wrappers' scripts, so cargo reuses one feature set of the deps.
cargo build -q -p kili-capi -p kili-emulator
exec .venv/bin/python -m pytest -q -p no:cacheprovider tests/conformance "$@"
