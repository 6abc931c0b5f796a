#!/usr/bin/env bash
# The kili-native benchmark harness: ONE command, not part of CI.
#
#   bash bench/run.sh                          # full run: sizes 10k,100k,1M (~45 min on 2 cores)
#   bash bench/run.sh --sizes 10000 --runs 3   # quick run
#   bash bench/run.sh --report-only            # regenerate RESULTS.md and plots from results.json
#
# 1. builds in release: libkili, kili-emulator, bench/ (kili-bench), the C and C++ clients,
#    the Go client (through pkg-config on the release library) and the Java client (the
#    wrapper's classes + its JNI shim linked to the release library);
# 2. creates .venv with the official SDK kili==26.2.4 and matplotlib if missing;
# 3. runs bench/harness (python -m harness ...): starts its own emulators with generated
#    projects, measures every scenario, writes bench/results.json, bench/RESULTS.md and
#    bench/plots/*.png. Every argument is passed to the harness (--help lists them).
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$bench/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
rel=$target/release
out=$target/bench-clients
mkdir -p "$out"

if [[ " $* " != *" --report-only "* ]]; then
  echo "== building (release)"
  (cd "$root" && cargo build --release -q -p kili-capi -p kili-emulator -p kili-bench)

  cc -std=c11 -O2 -Wall -I"$root/include" "$bench/clients/c_list.c" -L"$rel" -lkili -Wl,-rpath,"$rel" -o "$out/c_list"
  c++ -std=c++17 -O2 -Wall -I"$root/include" -I"$root/bindings/cpp/include" "$bench/clients/cpp_list.cpp" \
    -L"$rel" -lkili -Wl,-rpath,"$rel" -o "$out/cpp_list"

  # Go: the wrapper's pkg-config mode, pointed at the release library.
  mkdir -p "$out/pkgconfig"
  cat >"$out/pkgconfig/kili.pc" <<PC
Name: kili
Description: kili-native (release build, for the benchmark)
Version: 0.1.0
Cflags: -I$root/include
Libs: -L$rel -lkili -Wl,-rpath,$rel
PC
  (cd "$bench/clients/go" && PKG_CONFIG_PATH="$out/pkgconfig" go build -tags kili_pkgconfig -o "$out/go_list" .)

  # Java: the wrapper's sources compiled here (classes + JNI header from one javac run, so the
  # shim always matches them) and its JNI shim linked to the release library; NativeLoader
  # finds it first through java.library.path.
  java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
  rm -rf "$out/java" && mkdir -p "$out/java/hdr"
  javac -d "$out/java" -h "$out/java/hdr" $(find "$root/bindings/java/src/main/java" -name '*.java') "$bench/clients/JavaList.java"
  gcc -std=c11 -O2 -fPIC -shared -I"$root/include" -I"$out/java/hdr" \
    -I"$java_home/include" -I"$java_home/include/linux" "$root/bindings/java/src/main/c/kili_jni.c" \
    -L"$rel" -lkili -Wl,-rpath,"$rel" -o "$out/java/libkilijni.so"
fi

if [[ ! -x $root/.venv/bin/python ]]; then python3 -m venv "$root/.venv"; fi
if ! "$root/.venv/bin/python" -c 'import kili, matplotlib, importlib.metadata as m; assert m.version("kili") == "26.2.4"' 2>/dev/null; then
  "$root/.venv/bin/pip" install -q "kili[image]==26.2.4" matplotlib
fi

cd "$bench"
exec "$root/.venv/bin/python" -m harness --target "$target" "$@"
