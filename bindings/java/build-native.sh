#!/usr/bin/env bash
# Builds the native half of the Java binding; run by Maven (process-classes) and usable alone.
#
#   build-native.sh KILI_ROOT JNI_HEADER_DIR OUT_DIR
#
# 1. `cargo build -p kili` (debug) in KILI_ROOT -> target/debug/libkili.so (under
#    CARGO_TARGET_DIR when set; a relative value is relative to KILI_ROOT, like cargo)
# 2. gcc of src/main/c/kili_jni.c against KILI_ROOT/include/kili.h and the javac-generated JNI
#    header, linked to libkili.so with rpath $ORIGIN -> OUT_DIR/libkilijni.so
# 3. libkili.so copied beside it, so the jar's /native/linux-x86_64/ holds both.
# Set KILI_SKIP_CARGO=1 to reuse an existing target/debug/libkili.so.
set -euo pipefail

root=$(cd "$1" && pwd)
headers=$2
out=$3
here=$(cd "$(dirname "$0")" && pwd)

if [[ "${KILI_SKIP_CARGO:-0}" != 1 ]]; then
  (cd "$root" && cargo build -q -p kili)
fi
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
lib="$target/debug/libkili.so"
[[ -f "$lib" ]] || { echo "build-native.sh: $lib not found (cargo build -p kili failed?)" >&2; exit 1; }

java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
mkdir -p "$out"
# Debug info makes the debug library ~100 MB; the jar carries it without.
objcopy --strip-debug "$lib" "$out/libkili.so"
gcc -std=c11 -O2 -g -Wall -Wextra -Werror -fPIC -shared \
  -I"$root/include" -I"$headers" -I"$java_home/include" -I"$java_home/include/linux" \
  -o "$out/libkilijni.so" "$here/src/main/c/kili_jni.c" \
  -L"$out" -lkili -Wl,-rpath,'$ORIGIN' -Wl,--no-undefined -lpthread
