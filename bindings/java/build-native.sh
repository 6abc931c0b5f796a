#!/usr/bin/env bash
# Builds the native half of the Java binding; run by Maven (process-classes) and usable alone.
#
#   build-native.sh debug   KILI_ROOT JNI_HEADER_DIR OUT_DIR VERSION
#   build-native.sh release STAGE     JNI_HEADER_DIR OUT_DIR VERSION
#
# debug (the default build, used by the test suite; fast to rebuild):
#   1. `cargo build -p kili-capi` (debug) in KILI_ROOT -> target/debug/libkili.so (under
#      CARGO_TARGET_DIR when set; a relative value is relative to KILI_ROOT, like cargo);
#      KILI_SKIP_CARGO=1 reuses an existing one
#   2. gcc of src/main/c/kili_jni.c against KILI_ROOT/include/kili.h and the javac-generated JNI
#      header, linked to libkili.so with rpath $ORIGIN -> OUT_DIR/libkilijni.so
#   3. libkili.so (without debug info) copied beside it
# release (profile kili-release; no cargo): STAGE is an install tree of a release build
#   (STAGE/include/kili.h, STAGE/lib/libkili.a). The shim is linked with the static libkili.a
#   into one self-contained OUT_DIR/libkilijni.so: one file per platform, no SONAME
#   (libkili.so.1) to find at run time, the Rust symbols hidden (--exclude-libs,ALL) so that
#   only Java_* and JNI_OnLoad are exported; checked below.
# Both write OUT_DIR/kili-native.properties (version=VERSION), which NativeLoader compares with
# the version of its classes.
set -euo pipefail

usage() { echo "usage: $0 debug|release KILI_ROOT|STAGE JNI_HEADER_DIR OUT_DIR VERSION" >&2; exit 2; }
[[ $# -eq 5 ]] || usage
mode=$1
case "$2" in '${'*) echo "build-native.sh: $2 is unset (mvn -Pkili-release needs -Dkili.stage=STAGE)" >&2; exit 2 ;; esac
src=$(cd "$2" && pwd)
headers=$3
out=$4
version=$5
here=$(cd "$(dirname "$0")" && pwd)

java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
# -fvisibility=hidden: only the JNIEXPORT functions leave the shim.
cflags=(-std=c11 -O2 -Wall -Wextra -Werror -fPIC -fvisibility=hidden -shared
  -I"$headers" -I"$java_home/include" -I"$java_home/include/linux")
mkdir -p "$out"
# A stale libkili.so beside a release shim would be loaded by NativeLoader: start clean.
rm -f "$out/libkili.so" "$out/libkilijni.so" "$out/kili-native.properties"

case "$mode" in
debug)
  if [[ "${KILI_SKIP_CARGO:-0}" != 1 ]]; then
    (cd "$src" && cargo build -q -p kili-capi)
  fi
  target="${CARGO_TARGET_DIR:-$src/target}"
  case "$target" in /*) ;; *) target="$src/$target" ;; esac
  lib="$target/debug/libkili.so"
  [[ -f "$lib" ]] || { echo "build-native.sh: $lib not found (cargo build -p kili-capi failed?)" >&2; exit 1; }
  # Debug info makes the debug library ~100 MB; the natives directory carries it without.
  objcopy --strip-debug "$lib" "$out/libkili.so"
  gcc "${cflags[@]}" -g -I"$src/include" -o "$out/libkilijni.so" "$here/src/main/c/kili_jni.c" \
    -L"$out" -lkili -Wl,-rpath,'$ORIGIN' -Wl,--no-undefined -lpthread
  ;;
release)
  for f in include/kili.h lib/libkili.a; do
    [[ -f "$src/$f" ]] || { echo "build-native.sh: $src/$f not found (STAGE must be a release install tree)" >&2; exit 1; }
  done
  # The system libraries a Rust static library needs: kili.pc's Libs.private when the stage has
  # it, else what `rustc --print native-static-libs` prints on Linux.
  syslibs="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"
  pc="$src/lib/pkgconfig/kili.pc"
  if [[ -f "$pc" ]] && grep -q '^Libs.private:' "$pc"; then
    syslibs=$(sed -n 's/^Libs.private:[[:space:]]*//p' "$pc")
  fi
  # --gc-sections drops the Rust code the shim never reaches; no -g: a release artifact.
  # shellcheck disable=SC2086 # syslibs is a list of -l flags
  gcc "${cflags[@]}" -I"$src/include" -o "$out/libkilijni.so" "$here/src/main/c/kili_jni.c" "$src/lib/libkili.a" \
    -Wl,-soname,libkilijni.so -Wl,--exclude-libs,ALL -Wl,--gc-sections -Wl,--no-undefined -Wl,-z,relro,-z,now \
    $syslibs
  objcopy --strip-debug "$out/libkilijni.so"
  # Self-check of what the natives jar promises (tests/dist/java.sh checks the jar again).
  if readelf -d "$out/libkilijni.so" | grep -E 'NEEDED.*libkili'; then
    echo "build-native.sh: the release shim must not need libkili.so" >&2; exit 1
  fi
  exported=$(nm -D --defined-only "$out/libkilijni.so" | awk '{print $NF}')
  stray=$(grep -Ev '^(Java_com_kili_nativesdk_|JNI_OnLoad$)' <<<"$exported" || true)
  if [[ -n "$stray" ]]; then
    echo "build-native.sh: the release shim exports more than its JNI functions:" >&2
    head -20 <<<"$stray" >&2
    exit 1
  fi
  ;;
*) usage ;;
esac

printf '# the kili-native version these natives belong to (checked by NativeLoader)\nversion=%s\n' "$version" \
  >"$out/kili-native.properties"
