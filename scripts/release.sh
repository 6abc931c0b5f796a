#!/usr/bin/env bash
# Builds the release artifacts of kili-native for users who do not build this repository:
#   DIST/kili-VERSION-PLATFORM/          an install tree: include/kili.h, kili.hpp;
#                                        lib/libkili.so.VERSION (+ libkili.so.ABI, libkili.so
#                                        links), lib/libkili.a, lib/pkgconfig/, lib/cmake/kili/;
#                                        install.sh and its templates (share/kili/packaging/)
#   DIST/kili-VERSION-PLATFORM.tar.gz    that tree, and its .sha256
# then, when present, bindings/go/release.sh and bindings/java/release.sh, each called as
# `bash SCRIPT DIST STAGE` (STAGE = the absolute path of the install tree).
# VERSION and ABI are KILI_VERSION and KILI_ABI_VERSION of include/kili.h.
#
# Usage: scripts/release.sh [--out DIR] [--target TRIPLE] [--skip-go] [--skip-java]
#   --out DIR        where the artifacts go (default: dist/ in the repository)
#   --target TRIPLE  a Rust target other than the host's (its toolchain and linker set up
#                    beforehand); STRIP names its strip program (default TRIPLE's
#                    binutils prefix when found, else strip)
#   --skip-go, --skip-java   leave out that binding's release step
set -euo pipefail

die() { echo "release.sh: error: $*" >&2; exit 1; }
usage() { echo "usage: $0 [--out DIR] [--target TRIPLE] [--skip-go] [--skip-java]" >&2; exit 2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIST=$ROOT/dist
TARGET=""
SKIP_GO=0
SKIP_JAVA=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || usage; DIST=$2; shift 2 ;;
    --out=*) DIST=${1#*=}; shift ;;
    --target) [ $# -ge 2 ] || usage; TARGET=$2; shift 2 ;;
    --target=*) TARGET=${1#*=}; shift ;;
    --skip-go) SKIP_GO=1; shift ;;
    --skip-java) SKIP_JAVA=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) usage ;;
  esac
done
for tool in cargo rustc readelf tar gzip sha256sum; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found on PATH"
done
mkdir -p "$DIST"
DIST=$(cd "$DIST" && pwd)
START=$(date +%s)

VERSION=$(sed -n 's/^#define KILI_VERSION "\(.*\)"$/\1/p' "$ROOT/include/kili.h")
ABI=$(sed -n 's/^#define KILI_ABI_VERSION \([0-9]*\)$/\1/p' "$ROOT/include/kili.h")
[ -n "$VERSION" ] && [ -n "$ABI" ] || die "no KILI_VERSION / KILI_ABI_VERSION in include/kili.h"
SONAME=libkili.so.$ABI

TRIPLE=${TARGET:-$(rustc -vV | sed -n 's/^host: //p')}
# Platform names: linux-x86_64 for the usual glibc build, linux-musl-<arch> for musl, the
# triple itself otherwise.
ARCH=${TRIPLE%%-*}
case "$TRIPLE" in
  *-linux-gnu*) PLATFORM=linux-$ARCH ;;
  *-linux-musl*) PLATFORM=linux-musl-$ARCH ;;
  *) PLATFORM=$TRIPLE ;;
esac
NAME=kili-$VERSION-$PLATFORM
STAGE=$DIST/$NAME
case "$TRIPLE" in
  *-linux-*) ;;
  *) die "only Linux targets are packaged (ELF, SONAME); got $TRIPLE" ;;
esac
if [ -n "${STRIP:-}" ]; then :
elif [ -n "$TARGET" ] && command -v "${ARCH}-linux-gnu-strip" >/dev/null 2>&1; then STRIP=${ARCH}-linux-gnu-strip
else STRIP="strip"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kili-release.XXXXXX")
RESTORE=0
on_exit() {
  # Even when a later step failed, the target directory gets its plain library back.
  if [ "$RESTORE" = 1 ]; then
    restore_plain_build || echo "release.sh: warning: target/release/libkili.so may still carry the SONAME: run cargo build --release -p kili-capi" >&2
  fi
  rm -rf "$WORK"
}
trap on_exit EXIT

# --- 1. The release build, with a SONAME -------------------------------------------------------
# The SONAME is a link argument of the kili-capi crate only (`cargo rustc`), so the dependencies
# are the shared target directory's ordinary release build. Cargo keeps the arguments in that
# crate's fingerprint but writes the same file names: right after copying the libraries out we
# build the crate again without them, so that target/release/libkili.so stays what every other
# release build expects (no SONAME). Measured here, each of those two links takes about one
# second; the alternatives were a second target directory (the whole release build again) or
# patchelf (a tool to install).
target_args=()
[ -n "$TARGET" ] && target_args=(--target "$TARGET")
build_with_soname() {
  cargo rustc --manifest-path "$ROOT/Cargo.toml" --release -p kili-capi --lib "${target_args[@]}" \
    --message-format=json-render-diagnostics --color never \
    -- -C "link-arg=-Wl,-soname,$SONAME" --print native-static-libs \
    2>&1 >"$WORK/cargo.json" | tee "$WORK/cargo.log" >&2
}
restore_plain_build() {
  cargo build --manifest-path "$ROOT/Cargo.toml" --release -p kili-capi "${target_args[@]}" --quiet
}
mkdir -p "$WORK/libs"
# Another release build may relink the library between our build and our copy (cargo's lock
# is released in between): the copy is checked and the build retried.
for attempt in 1 2 3; do
  echo "release.sh: cargo rustc --release -p kili-capi ${target_args[*]} (SONAME $SONAME)" >&2
  RESTORE=1
  build_with_soname || die "the release build failed"
  # The artifact message names the files cargo produced (target dir and triple included).
  artifacts=$(grep '"reason":"compiler-artifact"' "$WORK/cargo.json" | grep '#kili-capi@' \
    | grep -o '"filenames":\[[^]]*\]' | grep -o '"[^"]*"' | tr -d '"' | grep -v '^filenames$' || true)
  SO=$(printf '%s\n' "$artifacts" | grep '/libkili\.so$' || true)
  A=$(printf '%s\n' "$artifacts" | grep '/libkili\.a$' || true)
  [ -f "$SO" ] && [ -f "$A" ] || die "cargo reported no libkili.so / libkili.a (artifacts: ${artifacts:-none})"
  cp "$SO" "$WORK/libs/libkili.so"
  cp "$A" "$WORK/libs/libkili.a"
  got=$(LC_ALL=C readelf -d "$WORK/libs/libkili.so" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
  [ "$got" = "$SONAME" ] && break
  echo "release.sh: the copied libkili.so has SONAME '${got}', not $SONAME (rebuilt meanwhile?): again" >&2
  [ "$attempt" = 3 ] && die "could not get a libkili.so with SONAME $SONAME"
done
restore_plain_build || die "rebuilding target/release/libkili.so without SONAME failed"
RESTORE=0

# The system libraries of a static link, as rustc printed them for this very build.
STATIC_LIBS=$(sed -n 's/^note: native-static-libs: //p' "$WORK/cargo.log" | tail -1)
if [ -z "$STATIC_LIBS" ]; then
  STATIC_LIBS=$(grep -v '^#' "$ROOT/packaging/static-libs" | grep -m1 .)
  echo "release.sh: warning: rustc printed no native-static-libs; using packaging/static-libs: $STATIC_LIBS" >&2
fi

# Debug info stripped (the release profile keeps line tables for the repository's own
# profiling); symbols stay, so backtraces and profilers still name functions.
for f in "$WORK/libs/libkili.so" "$WORK/libs/libkili.a"; do
  "$STRIP" --strip-debug "$f" || die "$STRIP --strip-debug failed on ${f##*/} (set STRIP for another target)"
  ! LC_ALL=C readelf -S "$f" | grep -q '\.debug_info' || die "${f##*/} still has debug info after $STRIP"
done

# --- 2. The install tree, laid out by packaging/install.sh ------------------------------------
rm -rf "$STAGE" "$STAGE.tar.gz" "$STAGE.tar.gz.sha256"
bash "$ROOT/packaging/install.sh" --prefix "$STAGE" --relocatable \
  --libs-from "$WORK/libs" --static-libs "$STATIC_LIBS"
# The installer travels with the tree, so that users can install it under another prefix or
# libdir; its templates sit where it looks for them.
install -m 755 "$ROOT/packaging/install.sh" "$STAGE/install.sh"
install -d "$STAGE/share/kili/packaging/cmake"
install -m 644 "$ROOT/packaging/kili.pc.in" "$ROOT/packaging/kili-static.pc.in" "$STAGE/share/kili/packaging/"
install -m 644 "$ROOT/packaging/cmake/kiliConfig.cmake.in" "$ROOT/packaging/cmake/kiliConfigVersion.cmake.in" \
  "$STAGE/share/kili/packaging/cmake/"
{
  echo "# The system libraries that a program linking libkili.a needs: what rustc printed for this"
  echo "# build ($TRIPLE). Read by install.sh."
  echo "$STATIC_LIBS"
} > "$STAGE/share/kili/packaging/static-libs"
install -m 644 "$ROOT/packaging/README.md" "$STAGE/README.md"
for f in LICENSE CHANGELOG.md; do
  [ -f "$ROOT/$f" ] && install -m 644 "$ROOT/$f" "$STAGE/$f"
done

# --- 3. The tarball ---------------------------------------------------------------------------
# Reproducible: sorted names, no owners, one timestamp (the last commit's, or SOURCE_DATE_EPOCH),
# gzip without name or time.
EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || date +%s)}
tar -C "$DIST" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$EPOCH" \
  --format=gnu -cf - "$NAME" | gzip -n > "$STAGE.tar.gz"
(cd "$DIST" && sha256sum "$NAME.tar.gz" > "$NAME.tar.gz.sha256")

# --- 4. The other languages' release steps ----------------------------------------------------
for lang in go java; do
  script=$ROOT/bindings/$lang/release.sh
  skip=$SKIP_GO
  [ "$lang" = java ] && skip=$SKIP_JAVA
  if [ "$skip" = 1 ]; then
    echo "release.sh: $lang release step skipped (--skip-$lang)" >&2
  elif [ -f "$script" ]; then
    echo "release.sh: bash bindings/$lang/release.sh $DIST $STAGE" >&2
    bash "$script" "$DIST" "$STAGE" || die "bindings/$lang/release.sh failed"
  else
    echo "release.sh: no bindings/$lang/release.sh: $lang release step left out" >&2
  fi
done

# --- 5. What was produced ---------------------------------------------------------------------
GLIBC=$(LC_ALL=C objdump -T "$STAGE/lib/libkili.so.$VERSION" 2>/dev/null \
  | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1 || true)
echo
echo "kili $VERSION (ABI $ABI, SONAME $SONAME) for $TRIPLE${GLIBC:+, needs glibc >= ${GLIBC#GLIBC_}}, in $(( $(date +%s) - START )) s:"
echo "  $STAGE/"
(cd "$STAGE" && find . -mindepth 1 \( -type f -o -type l \) | sort | sed 's|^\./|    |')
# Everything in DIST written by this run (the Go and Java steps' artifacts too).
find "$DIST" -mindepth 1 -maxdepth 1 -newermt "@$START" ! -name "$NAME" | sort | while read -r f; do
  if [ -d "$f" ]; then echo "  $f/"; else echo "  $f ($(du -h "$f" | cut -f1))"; fi
done
echo "  sha256: $(cut -d' ' -f1 "$STAGE.tar.gz.sha256")"
