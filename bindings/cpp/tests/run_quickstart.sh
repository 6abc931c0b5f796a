#!/usr/bin/env bash
# Runs the C++ quickstart against a fresh kili-emulator with the demo data set.
# Usage: run_quickstart.sh EMULATOR_BIN QUICKSTART_BIN
set -euo pipefail
emulator="$1"; quickstart="$2"
out="$(mktemp)"
coproc EMU { exec "$emulator" --port 0 --seed-demo; }
trap 'kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; rm -f "$out"' EXIT
# The first line of the emulator's stdout is its base URL (a blocking read, no polling).
read -r line <&"${EMU[0]}"
url="$(grep -o 'http://[0-9.:]*' <<<"$line")"
# Keep draining its stdout so it never blocks on a full pipe.
cat <&"${EMU[0]}" >/dev/null &
export KILI_API_ENDPOINT="$url/api/label/v2/graphql" KILI_API_KEY="demo-api-key"
"$quickstart" | tee "$out"
grep -q '^append_many_to_dataset: ' "$out"
grep -q '^expected error: KILI_NOT_FOUND' "$out"
