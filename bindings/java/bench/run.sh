#!/usr/bin/env bash
# Per-asset cost of the Java cursor (AssetCursor -> Asset) vs the C cursor
# (kili_cursor_next_page, JSON bytes), both end to end against one local emulator holding
# N generated assets.   bench/run.sh [N=5000] [ROUNDS=5]
# Needs target/debug/{libkili.so,kili-emulator} (cargo's target dir: CARGO_TARGET_DIR when set,
# relative to the repository root like cargo), target/kili-native-0.1.0.jar and the debug natives
# in target/natives/ (test.sh or `mvn -q package -DskipTests` builds them).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
n=${1:-5000}
rounds=${2:-5}
work=$(mktemp -d)
trap 'kill $emu 2>/dev/null || true; rm -rf "$work"' EXIT

cat >"$work/fixture.json" <<JSON
{"organizations":[{"id":"org","name":"Org"}],
 "users":[{"id":"u","email":"u@example.com","organization_id":"org","api_keys":[{"key":"bench-key"}]}],
 "projects":[{"id":"bench","title":"bench","input_type":"IMAGE","workflow_version":"V1","organization_id":"org",
   "json_interface":{"jobs":{}},"members":[{"user_id":"u","role":"ADMIN"}]}]}
JSON
exec 3< <(exec "$target/debug/kili-emulator" --port 0 --fixture "$work/fixture.json" \
  --generate-project bench --generate-assets "$n" 2>/dev/null)
emu=$!
read -r -t 60 url <&3
cat <&3 >/dev/null &
endpoint="$url/api/label/v2/graphql"

gcc -O2 -I"$root/include" -o "$work/c_cursor_bench" "$here/bench/c_cursor_bench.c" \
  -L"$target/debug" -lkili -Wl,-rpath,"$target/debug"
# one warm-up round each (connection pool, JIT), then the measured rounds
"$work/c_cursor_bench" "$endpoint" bench-key bench 1 >/dev/null
"$work/c_cursor_bench" "$endpoint" bench-key bench "$rounds"
java -cp "$here/target/kili-native-0.1.0.jar:$here/target/natives" "$here/bench/CursorBench.java" "$endpoint" bench-key bench "$rounds"
