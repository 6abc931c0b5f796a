#!/usr/bin/env bash
# Regenerates the checked-in C header include/kili.h from src/ffi/ (cbindgen, via build.rs).
# Run it after changing the C ABI; tests/c_abi_header.rs fails while the header is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
KILI_REGEN_HEADER=1 cargo build -p kili --lib --features capi
echo "include/kili.h regenerated"
