#!/usr/bin/env bash
# Installs the C SDK of kili-native under PREFIX:
#   PREFIX/include/kili.h
#   PREFIX/lib/libkili.so, PREFIX/lib/libkili.a
#   PREFIX/lib/pkgconfig/kili.pc
#   PREFIX/lib/cmake/kili/kiliConfig.cmake, kiliConfigVersion.cmake   (find_package(kili) -> kili::kili)
#
# Usage: packaging/install.sh PREFIX [--lib-dir DIR]
#   Without --lib-dir it runs `cargo build --release -p kili --lib` and installs from
#   target/release. With --lib-dir it installs the libraries found in DIR (at least one of
#   libkili.so / libkili.a) without building.
set -euo pipefail

usage() { echo "usage: $0 PREFIX [--lib-dir DIR]" >&2; exit 2; }
[ $# -ge 1 ] || usage
PREFIX=$1
shift
LIB_DIR=""
while [ $# -gt 0 ]; do
  case "$1" in
    --lib-dir) [ $# -ge 2 ] || usage; LIB_DIR=$2; shift 2 ;;
    *) usage ;;
  esac
done

ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "$LIB_DIR" ]; then
  (cd "$ROOT" && cargo build --release -p kili --lib)
  LIB_DIR="${CARGO_TARGET_DIR:-$ROOT/target}/release"
fi
if [ ! -f "$LIB_DIR/libkili.so" ] && [ ! -f "$LIB_DIR/libkili.a" ]; then
  echo "error: no libkili.so or libkili.a in $LIB_DIR" >&2
  exit 1
fi

VERSION=$(sed -n 's/^#define KILI_VERSION "\(.*\)"$/\1/p' "$ROOT/include/kili.h")
ABI_VERSION=$(sed -n 's/^#define KILI_ABI_VERSION \([0-9]*\)$/\1/p' "$ROOT/include/kili.h")
[ -n "$VERSION" ] && [ -n "$ABI_VERSION" ] || { echo "error: no version macros in include/kili.h" >&2; exit 1; }
# Native libraries a static Rust library needs (rustc --print native-static-libs on Linux).
STATIC_LIBS="-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc"

mkdir -p "$PREFIX/include" "$PREFIX/lib/pkgconfig" "$PREFIX/lib/cmake/kili"
PREFIX=$(cd "$PREFIX" && pwd)
install -m 644 "$ROOT/include/kili.h" "$PREFIX/include/kili.h"
for lib in libkili.so libkili.a; do
  if [ -f "$LIB_DIR/$lib" ]; then
    mode=644; [ "$lib" = libkili.so ] && mode=755
    install -m "$mode" "$LIB_DIR/$lib" "$PREFIX/lib/$lib"
  fi
done

render() { # template output
  sed -e "s|@PREFIX@|$PREFIX|g" -e "s|@VERSION@|$VERSION|g" -e "s|@ABI_VERSION@|$ABI_VERSION|g" \
      -e "s|@STATIC_LIBS@|$STATIC_LIBS|g" "$1" > "$2"
}
render "$ROOT/packaging/kili.pc.in" "$PREFIX/lib/pkgconfig/kili.pc"
render "$ROOT/packaging/cmake/kiliConfig.cmake.in" "$PREFIX/lib/cmake/kili/kiliConfig.cmake"
render "$ROOT/packaging/cmake/kiliConfigVersion.cmake.in" "$PREFIX/lib/cmake/kili/kiliConfigVersion.cmake"

echo "installed kili $VERSION (ABI $ABI_VERSION) under $PREFIX"
