#!/usr/bin/env bash
# shellcheck disable=SC2034 # the template variables are read by render() through ${!name}
# Installs kili-native's C/C++ SDK:
#   PREFIX/include/kili.h, kili.hpp
#   PREFIX/LIBDIR/libkili.so.VERSION, libkili.so.ABI -> libkili.so.VERSION, libkili.so -> libkili.so.ABI
#   PREFIX/LIBDIR/libkili.a
#   PREFIX/LIBDIR/pkgconfig/kili.pc, kili-static.pc
#   PREFIX/LIBDIR/cmake/kili/kiliConfig.cmake, kiliConfigVersion.cmake
#     (find_package(kili) -> kili::kili, kili::kili_shared, kili::kili_static, kili::cpp)
#
# Usage: install.sh [--prefix DIR] [--libdir DIR] [--relocatable] [--libs-from DIR]
#                   [--static-libs FLAGS] [PREFIX]
#   --prefix DIR       where to install (default /usr/local); a lone PREFIX argument is the same
#   --libdir DIR       the library directory, relative to the prefix or absolute inside it
#                      (default lib; e.g. lib64, lib/x86_64-linux-gnu)
#   DESTDIR=ROOT       (environment) stage the files under ROOT; they still name PREFIX
#   --relocatable      kili.pc finds its prefix from its own location instead of naming PREFIX
#                      (the CMake files always do)
#   --libs-from DIR    install libkili.so / libkili.a from DIR (at least one)
#   --static-libs F    the system libraries a static link needs (default: the file static-libs
#                      next to the templates)
#
# Runs from two places, with one code path:
#   - an extracted release, kili-VERSION-PLATFORM/install.sh: installs that tree's files
#     (templates in its share/kili/packaging/);
#   - the repository, packaging/install.sh: headers from include/ and bindings/cpp/include/,
#     libraries from --libs-from DIR, or else from `cargo build --release -p kili-capi`.
#     scripts/release.sh lays out the release tree this way.
# A library with the SONAME libkili.so.ABI is installed with the versioned names above; one
# without SONAME (a plain cargo build) only as libkili.so, with a warning.
set -euo pipefail

die() { echo "install.sh: error: $*" >&2; exit 1; }
usage() {
  echo "usage: $0 [--prefix DIR] [--libdir DIR] [--relocatable] [--libs-from DIR] [--static-libs FLAGS] [PREFIX]" >&2
  exit 2
}

PREFIX=""
LIBDIR="lib"
RELOCATABLE=0
LIBS_FROM=""
STATIC_LIBS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || usage; PREFIX=$2; shift 2 ;;
    --prefix=*) PREFIX=${1#*=}; shift ;;
    --libdir) [ $# -ge 2 ] || usage; LIBDIR=$2; shift 2 ;;
    --libdir=*) LIBDIR=${1#*=}; shift ;;
    --relocatable) RELOCATABLE=1; shift ;;
    --libs-from) [ $# -ge 2 ] || usage; LIBS_FROM=$2; shift 2 ;;
    --libs-from=*) LIBS_FROM=${1#*=}; shift ;;
    --static-libs) [ $# -ge 2 ] || usage; STATIC_LIBS=$2; shift 2 ;;
    --static-libs=*) STATIC_LIBS=${1#*=}; shift ;;
    # The old name of --libs-from, refused rather than kept: one hyphen away from --libdir,
    # which means the destination.
    --lib-dir|--lib-dir=*) die "--lib-dir is gone: use --libs-from DIR (where the libraries are) or --libdir DIR (where they go)" ;;
    -h|--help) sed -n '/^# shellcheck/d; 2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    -*) echo "install.sh: unknown option $1" >&2; usage ;;
    *) [ -z "$PREFIX" ] || usage; PREFIX=$1; shift ;;
  esac
done
PREFIX=${PREFIX:-/usr/local}
DESTDIR=${DESTDIR:-}

# --- Destination paths ----------------------------------------------------------------------
if [ -n "$DESTDIR" ]; then
  case "$PREFIX" in /*) ;; *) die "with DESTDIR the prefix must be absolute (got $PREFIX)" ;; esac
else
  case "$PREFIX" in /*) ;; *) PREFIX=$PWD/$PREFIX ;; esac
fi
PREFIX=$(printf '%s' "$PREFIX" | sed 's|//*|/|g; s|/\./|/|g; s|/\./|/|g; s|/\.$||; s|\(.\)/$|\1|')
LIBDIR=$(printf '%s' "$LIBDIR" | sed 's|//*|/|g; s|/$||')
case "$LIBDIR" in
  /*) [ "${LIBDIR#"$PREFIX"/}" != "$LIBDIR" ] || die "--libdir $LIBDIR is not inside the prefix $PREFIX"
      LIBDIR=${LIBDIR#"$PREFIX"/} ;;
esac
case "/$LIBDIR/" in
  //|*/./*|*/../*) die "--libdir must name a directory below the prefix (got '$LIBDIR')" ;;
esac
# "../" once per directory level of LIBDIR: the way up from LIBDIR to the prefix.
UP=$(printf '%s' "$LIBDIR" | sed 's|[^/][^/]*|..|g')

# --- Where the inputs are -------------------------------------------------------------------
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ -f "$HERE/kili.pc.in" ] && [ -f "$HERE/../include/kili.h" ]; then
  # The repository.
  ROOT=$(cd "$HERE/.." && pwd)
  TEMPLATES=$HERE
  HEADER=$ROOT/include/kili.h
  HEADER_CPP=$ROOT/bindings/cpp/include/kili.hpp
  if [ -z "$LIBS_FROM" ]; then
    (cd "$ROOT" && cargo build --release -p kili-capi)
    LIBS_FROM="${CARGO_TARGET_DIR:-$ROOT/target}/release"
  fi
elif [ -f "$HERE/share/kili/packaging/kili.pc.in" ]; then
  # An extracted release tree.
  TEMPLATES=$HERE/share/kili/packaging
  HEADER=$HERE/include/kili.h
  HEADER_CPP=$HERE/include/kili.hpp
  LIBS_FROM=${LIBS_FROM:-$HERE/lib}
else
  die "cannot find the templates: run the install.sh of a release tree or packaging/install.sh of the repository"
fi
for f in "$HEADER" "$HEADER_CPP" "$TEMPLATES/kili.pc.in" "$TEMPLATES/kili-static.pc.in" \
         "$TEMPLATES/cmake/kiliConfig.cmake.in" "$TEMPLATES/cmake/kiliConfigVersion.cmake.in"; do
  [ -f "$f" ] || die "missing input $f"
done
[ -d "$LIBS_FROM" ] || die "no directory $LIBS_FROM (--libs-from)"

VERSION=$(sed -n 's/^#define KILI_VERSION "\(.*\)"$/\1/p' "$HEADER")
ABI=$(sed -n 's/^#define KILI_ABI_VERSION \([0-9]*\)$/\1/p' "$HEADER")
[ -n "$VERSION" ] && [ -n "$ABI" ] || die "no KILI_VERSION / KILI_ABI_VERSION in $HEADER"

if [ -z "$STATIC_LIBS" ]; then
  [ -f "$TEMPLATES/static-libs" ] || die "missing $TEMPLATES/static-libs (or pass --static-libs)"
  STATIC_LIBS=$(grep -v '^#' "$TEMPLATES/static-libs" | grep -m1 . || true)
  [ -n "$STATIC_LIBS" ] || die "$TEMPLATES/static-libs lists no library"
fi

# --- The libraries --------------------------------------------------------------------------
SO_SRC=""
for name in "libkili.so.$VERSION" libkili.so; do
  if [ -f "$LIBS_FROM/$name" ]; then SO_SRC=$LIBS_FROM/$name; break; fi
done
A_SRC=""
[ -f "$LIBS_FROM/libkili.a" ] && A_SRC=$LIBS_FROM/libkili.a
[ -n "$SO_SRC" ] || [ -n "$A_SRC" ] || die "neither libkili.so nor libkili.a in $LIBS_FROM"

# The SONAME decides the layout; it must be the header's ABI version, or a user's program
# would record a name that the next compatible release does not provide.
soname_of() {
  if command -v readelf >/dev/null 2>&1; then
    LC_ALL=C readelf -d "$1" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p'
  elif command -v objdump >/dev/null 2>&1; then
    LC_ALL=C objdump -p "$1" | awk '$1 == "SONAME" { print $2 }'
  elif [ "${1##*/}" = "libkili.so.$VERSION" ]; then
    echo "libkili.so.$ABI" # without binutils, trust the release tree's file name
  fi
}
SO_LAYOUT=""
if [ -n "$SO_SRC" ]; then
  SONAME=$(soname_of "$SO_SRC")
  case "$SONAME" in
    "libkili.so.$ABI") SO_LAYOUT=versioned ;;
    "") SO_LAYOUT=plain
        echo "install.sh: warning: $SO_SRC has no SONAME (a development build): installed as libkili.so only; release builds come from scripts/release.sh" >&2 ;;
    *) die "$SO_SRC has the SONAME $SONAME but $HEADER says KILI_ABI_VERSION $ABI" ;;
  esac
fi

# Pointer size of the libraries (the ELF class byte), for the CMake version check.
POINTER_BITS=""
if [ -n "$SO_SRC" ]; then
  case "$(od -An -tu1 -j4 -N1 "$SO_SRC" | tr -d ' ')" in
    1) POINTER_BITS=32 ;;
    2) POINTER_BITS=64 ;;
  esac
fi
POINTER_BYTES=""
[ -n "$POINTER_BITS" ] && POINTER_BYTES=$((POINTER_BITS / 8))

DEST=$DESTDIR$PREFIX
L=$DEST/$LIBDIR
same_file() { [ -e "$2" ] && [ "$(readlink -f "$1")" = "$(readlink -f "$2")" ]; }
for f in "$HEADER" "${SO_SRC:-/nonexistent}" "${A_SRC:-/nonexistent}"; do
  for d in "$DEST/include/${f##*/}" "$L/${f##*/}"; do
    ! same_file "$f" "$d" || die "$f would be installed onto itself: choose another prefix"
  done
done

if [ "$RELOCATABLE" = 1 ]; then
  PC_PREFIX="\${pcfiledir}/../$UP"
  INSTALL_PREFIX=""
else
  PC_PREFIX=$PREFIX
  INSTALL_PREFIX=$PREFIX
fi

# --- Install --------------------------------------------------------------------------------
install -d "$DEST/include" "$L/pkgconfig" "$L/cmake/kili"
install -m 644 "$HEADER" "$DEST/include/kili.h"
install -m 644 "$HEADER_CPP" "$DEST/include/kili.hpp"
# Each file is removed before being written: a running program keeps the old inode instead of
# seeing its mapped library change under it.
case "$SO_LAYOUT" in
  versioned)
    rm -f "$L/libkili.so.$VERSION" "$L/libkili.so.$ABI" "$L/libkili.so"
    install -m 755 "$SO_SRC" "$L/libkili.so.$VERSION"
    ln -s "libkili.so.$VERSION" "$L/libkili.so.$ABI"
    ln -s "libkili.so.$ABI" "$L/libkili.so" ;;
  plain)
    rm -f "$L/libkili.so"
    install -m 755 "$SO_SRC" "$L/libkili.so" ;;
esac
if [ -n "$A_SRC" ]; then
  rm -f "$L/libkili.a"
  install -m 644 "$A_SRC" "$L/libkili.a"
fi

# "-lfoo -lbar" -> "foo;bar" for CMake's INTERFACE_LINK_LIBRARIES.
# shellcheck disable=SC2086 # one word per flag, on purpose
STATIC_LIBS_CMAKE=$(set -f; printf '%s\n' $STATIC_LIBS | sed 's/^-l//' | paste -sd ';' -)
# bash 5.2 would read '&' in a replacement as the matched text.
shopt -u patsub_replacement 2>/dev/null || true
render() { # template output
  local v out
  out=$(<"$1")
  for v in VERSION ABI_VERSION PC_PREFIX LIBDIR STATIC_LIBS STATIC_LIBS_CMAKE CMAKE_TO_PREFIX \
           INSTALL_PREFIX POINTER_BITS POINTER_BYTES; do
    out=${out//"@$v@"/"${!v}"}
  done
  [[ ! $out =~ @[A-Z_]+@ ]] || die "unrendered ${BASH_REMATCH[0]} left in $1"
  printf '%s\n' "$out" > "$2"
  chmod 644 "$2"
}
ABI_VERSION=$ABI
CMAKE_TO_PREFIX="../../$UP"
render "$TEMPLATES/kili.pc.in" "$L/pkgconfig/kili.pc"
render "$TEMPLATES/kili-static.pc.in" "$L/pkgconfig/kili-static.pc"
render "$TEMPLATES/cmake/kiliConfig.cmake.in" "$L/cmake/kili/kiliConfig.cmake"
render "$TEMPLATES/cmake/kiliConfigVersion.cmake.in" "$L/cmake/kili/kiliConfigVersion.cmake"

case "$SO_LAYOUT" in
  versioned) libs="libkili.so.$VERSION (SONAME libkili.so.$ABI)" ;;
  plain) libs="libkili.so (no SONAME)" ;;
  *) libs="" ;;
esac
[ -n "$A_SRC" ] && libs="${libs:+$libs, }libkili.a"
echo "installed kili $VERSION (ABI $ABI) into ${DESTDIR:+$DESTDIR + }$PREFIX: include/kili.h, include/kili.hpp, $LIBDIR/{$libs, pkgconfig, cmake/kili}"
