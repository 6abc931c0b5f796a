#!/usr/bin/env bash
# The main job: build what is needed, start a kili-emulator with the demo project on a free
# loopback port, run the quickstarts against it (Rust: list and count with filters; C: the whole
# asset lifecycle through the C ABI), and stop the emulator. Honours CARGO_TARGET_DIR like cargo
# (a relative value is relative to the repository root).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
echo "== building libkili, the emulator and the examples"
cargo build -q -p kili-capi -p kili-emulator --lib --bins
cargo build -q -p kili --example quickstart
mkdir -p "$target/quickstart"
cc -std=c11 -Wall -Wextra -o "$target/quickstart/quickstart_c" examples/quickstart.c \
  -Iinclude -L"$target/debug" -lkili -Wl,-rpath,"$target/debug"

log="$(mktemp)"
"$target/debug/kili-emulator" --port 0 --seed-demo >"$log" 2>&1 &
emu_pid=$!
trap 'kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; rm -f "$log"' EXIT
# The emulator prints its base URL on its first line once it listens.
url=""
for _ in $(seq 1 400); do
  url="$(head -n1 "$log" | grep -o 'http://[0-9.:]*' || true)"
  [ -n "$url" ] && break
  kill -0 "$emu_pid" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.05
done
[ -n "$url" ] || { echo "emulator did not start"; cat "$log"; exit 1; }

export KILI_API_ENDPOINT="$url/api/label/v2/graphql"
export KILI_API_KEY="demo-api-key"
echo
echo "== Rust quickstart (examples/quickstart.rs) against $KILI_API_ENDPOINT"
"$target/debug/examples/quickstart"
echo
echo "== C quickstart (examples/quickstart.c): the whole lifecycle through the C ABI"
"$target/quickstart/quickstart_c"
