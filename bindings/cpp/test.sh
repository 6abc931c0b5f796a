#!/usr/bin/env bash
# Builds and runs the C++ wrapper's test suite: the kili library and the emulator (cargo,
# debug), then the GoogleTest suite, the -fno-exceptions test and the quickstart with
# CMake + Ninja and -fsanitize=address,undefined, then runs them through ctest.
# Exits non-zero on any failure. Needs: cargo, cmake >= 3.18, ninja, a C++17 compiler,
# GoogleTest (Debian: libgtest-dev).
#
# Environment: KILI_INCLUDE_DIR overrides the directory of kili.h (default: the repo's include/).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
# Cargo's target directory (honours CARGO_TARGET_DIR like cargo does).
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac
build="${KILI_CPP_BUILD_DIR:-$target/cpp-build}"

echo "== cargo build -p kili -p kili-emulator (debug)"
(cd "$root" && cargo build -q -p kili-capi -p kili-emulator)

echo "== configure (CMake + Ninja, ASan/UBSan)"
cmake_args=(-S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug
  -DKILI_CPP_BUILD_TESTS=ON -DKILI_CPP_BUILD_EXAMPLES=ON -DKILI_CPP_SANITIZE=ON
  -DKILI_LIBRARY="$target/debug/libkili.so" -DKILI_EMULATOR_BIN="$target/debug/kili-emulator")
[ -n "${KILI_INCLUDE_DIR:-}" ] && cmake_args+=(-DKILI_INCLUDE_DIR="$KILI_INCLUDE_DIR")
cmake "${cmake_args[@]}" >/dev/null

echo "== build"
cmake --build "$build" -j "${KILI_CPP_JOBS:-2}"

echo "== ctest"
# LeakSanitizer sees only malloc: the library's allocations go there too (src/alloc.rs).
export KILI_ALLOCATOR=system
# Two emulators at a time at most: the machine is small and shared.
ctest --test-dir "$build" --output-on-failure -j "${KILI_CPP_TEST_JOBS:-2}"

echo "== C++ wrapper: all tests passed"
