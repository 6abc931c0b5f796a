#!/usr/bin/env bash
# Tests the C/C++ release artifacts the way a user meets them, in a fresh directory outside the
# repository: checks the tarball's checksum and contents, installs it with DESTDIR and a prefix
# (default libdir, then a multiarch one), and builds and runs against a kili-emulator
#   - a C program with pkg-config: shared (kili) and static (kili-static, --static);
#   - a C++17 program with CMake find_package(kili CONFIG) and kili::cpp, shared and, with
#     KILI_USE_STATIC, static; a C program with kili::kili_static;
#   - a C program with pkg-config straight from the extracted tree (relocatable, no install).
# Dynamically linked programs must need libkili.so.ABI (the SONAME) and load it from the
# install directory.
#
# Usage: KILI_EMULATOR=/path/to/kili-emulator bash tests/dist/c_cpp.sh DIST
#   DIST holds kili-VERSION-linux-ARCH.tar.gz and its .sha256 (scripts/release.sh --out DIST).
#   Nothing else of the repository is used but the consumer sources in tests/dist/consumer/.
#   KILI_DIST_KEEP=1 keeps the scratch directory for a look after a failure.
set -euo pipefail

fail() { echo "c_cpp.sh: FAIL: $*" >&2; exit 1; }
step() { echo; echo "== $*"; }

[ $# -eq 1 ] || { echo "usage: KILI_EMULATOR=/path/to/kili-emulator bash $0 DIST" >&2; exit 2; }
[ -d "$1" ] || fail "no directory $1"
DIST=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CONSUMER=$HERE/consumer
REPO=$(cd "$HERE/../.." && pwd)
[ -n "${KILI_EMULATOR:-}" ] && [ -x "$KILI_EMULATOR" ] \
  || fail "KILI_EMULATOR must name the kili-emulator binary (got '${KILI_EMULATOR:-}')"
KILI_EMULATOR=$(cd "$(dirname "$KILI_EMULATOR")" && pwd)/$(basename "$KILI_EMULATOR")
# shellcheck source=tests/dist/emulator.sh
source "$HERE/emulator.sh"
CC=${CC:-cc}
CXX=${CXX:-c++}
for tool in tar sha256sum pkg-config cmake readelf ldd "$CC" "$CXX"; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool not found on PATH"
done

ARCH=$(uname -m)
shopt -s nullglob
tarballs=("$DIST"/kili-[0-9]*-linux-"$ARCH".tar.gz)
shopt -u nullglob
[ ${#tarballs[@]} -eq 1 ] || fail "expected one kili-VERSION-linux-$ARCH.tar.gz in $DIST, found ${#tarballs[@]}: ${tarballs[*]:-}"
TARBALL=${tarballs[0]}
NAME=$(basename "$TARBALL" .tar.gz)
VERSION=${NAME#kili-}
VERSION=${VERSION%-linux-"$ARCH"}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kili-dist-c-cpp.XXXXXX")
case "$WORK/" in "$REPO"/*) fail "the scratch directory $WORK is inside the repository" ;; esac
cleanup() {
  local rc=$?
  # On failure, what the emulator said (before it is told to stop).
  if [ "$rc" != 0 ] && [ -s "$WORK/emulator.err" ]; then
    echo "--- emulator stderr (last lines)" >&2
    tail -n 20 "$WORK/emulator.err" >&2
  fi
  stop_emulator
  if [ "${KILI_DIST_KEEP:-0}" = 1 ]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cd "$WORK"

# --- Helpers ----------------------------------------------------------------------------------
# Runs a consumer against the emulator (no LD_LIBRARY_PATH: the program must find the library
# by itself) and checks that each expected line is in its output.
run_consumer() { # exe expected-line...
  local exe=$1 out line
  out=$WORK/$(basename "$1").$RANDOM.out
  shift
  if ! env -u LD_LIBRARY_PATH KILI_API_ENDPOINT="$URL/api/label/v2/graphql" KILI_API_KEY=demo-api-key \
      "$exe" demo-project "dist-$RANDOM" >"$out" 2>&1; then
    cat "$out" >&2
    fail "$exe exited with an error"
  fi
  for line in "$@"; do
    grep -qxF -- "$line" "$out" || { cat "$out" >&2; fail "$exe: no line '$line' in its output"; }
  done
  echo "ran $exe: $(tail -n 1 "$out")"
}
C_EXPECTED=()
CPP_EXPECTED=()
set_expectations() { # after ABI is known
  C_EXPECTED=("version=$VERSION" "header_version=$VERSION" "abi=$ABI" count=20 todo=8 listed=20 duplicates=0
              first_external_id=image-00 last_external_id=image-19 "c consumer: ok")
  CPP_EXPECTED=("version=$VERSION" count=20 listed=20 distinct_ids=20 count_after_import=21 found_imported=1
                count_after_delete=20 bad_argument=InvalidArgumentError "cpp consumer: ok")
}
# A dynamically linked program records the SONAME and loads it from LIBDIR.
check_shared_link() { # exe libdir
  local needed resolved
  needed=$(LC_ALL=C readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(libkili[^]]*\)\].*/\1/p')
  [ "$needed" = "libkili.so.$ABI" ] || fail "$1 needs '${needed:-no libkili}', not libkili.so.$ABI"
  resolved=$(env -u LD_LIBRARY_PATH ldd "$1" | awk -v lib="libkili.so.$ABI" '$1 == lib { print $3 }')
  [ -n "$resolved" ] && [ "$(readlink -f "$resolved")" = "$(readlink -f "$2/libkili.so.$ABI")" ] \
    || fail "$1 loads libkili.so.$ABI from '${resolved:-nowhere}', not from $2: $(ldd "$1" | grep kili || true)"
  echo "$1: NEEDED libkili.so.$ABI, loaded from $resolved"
}
check_static_link() { # exe
  ! LC_ALL=C readelf -d "$1" | grep -q 'NEEDED.*libkili' \
    || fail "$1 should be linked statically but needs $(readelf -d "$1" | grep 'NEEDED.*libkili')"
  echo "$1: no libkili dependency (static)"
}
# pkg-config restricted to one directory (no system modules); SYSROOT maps a DESTDIR install.
pc() { PKG_CONFIG_LIBDIR=$PCDIR PKG_CONFIG_PATH="" PKG_CONFIG_SYSROOT_DIR=$SYSROOT pkg-config "$@"; }
C_FLAGS=(-std=c11 -Wall -Wextra -Werror -pedantic)
build_c_pkgconfig_shared() { # out libdir
  local flags
  [ "$(pc --modversion kili)" = "$VERSION" ] || fail "pkg-config --modversion kili: $(pc --modversion kili), not $VERSION"
  flags=$(pc --cflags --libs kili)
  echo "pkg-config --cflags --libs kili: $flags"
  # shellcheck disable=SC2086 # flags are words
  "$CC" "${C_FLAGS[@]}" "$WORK/consumer/consumer.c" -o "$1" $flags -Wl,-rpath,"$2"
}
build_c_pkgconfig_static() { # out
  local flags
  flags=$(pc --static --cflags --libs kili-static)
  echo "pkg-config --static --cflags --libs kili-static: $flags"
  # shellcheck disable=SC2086
  "$CC" "${C_FLAGS[@]}" "$WORK/consumer/consumer.c" -o "$1" $flags
}
build_cmake() { # build-dir prefix expected-config-dir expected-libdir [cmake args...]
  local build=$1 prefix=$2 config_dir=$3 libdir=$4 log=$1.configure.log
  shift 4
  cmake -S "$WORK/consumer" -B "$build" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF "$@" >"$log" 2>&1 || { cat "$log" >&2; fail "cmake configure failed"; }
  for line in "-- kili $VERSION (ABI $ABI) from $config_dir" \
              "-- kili::kili_shared -> $libdir/libkili.so.$VERSION" \
              "-- kili::kili_static -> $libdir/libkili.a"; do
    grep -qxF -- "$line" "$log" || { cat "$log" >&2; fail "cmake configure: no line '$line'"; }
  done
  cmake --build "$build" --parallel 2 >"$build.build.log" 2>&1 || { cat "$build.build.log" >&2; fail "cmake --build failed"; }
  echo "built $build with CMake (kili from $config_dir)"
}
# The exact files an install must lay out (and nothing else), relative to DESTDIR.
check_installed_files() { # destdir prefix libdir
  local expected actual p=${2#/}/ l=${2#/}/$3/
  expected=$(printf '%s\n' "${p}include/kili.h" "${p}include/kili.hpp" "${l}libkili.so.$VERSION" \
    "${l}libkili.so.$ABI -> libkili.so.$VERSION" "${l}libkili.so -> libkili.so.$ABI" "${l}libkili.a" \
    "${l}pkgconfig/kili.pc" "${l}pkgconfig/kili-static.pc" "${l}cmake/kili/kiliConfig.cmake" \
    "${l}cmake/kili/kiliConfigVersion.cmake" | sort)
  actual=$(cd "$1" && find . -mindepth 1 \( -type f -printf '%P\n' -o -type l -printf '%P -> %l\n' \) | sort)
  [ "$expected" = "$actual" ] || fail "installed files differ from the expected layout:
$(diff <(echo "$expected") <(echo "$actual") || true)"
  echo "installed files: as expected ($(echo "$actual" | wc -l) entries under $1)"
}

# --- 1. The tarball -----------------------------------------------------------------------------
step "tarball $TARBALL"
[ -f "$TARBALL.sha256" ] || fail "no $TARBALL.sha256"
(cd "$DIST" && sha256sum --quiet -c "$NAME.tar.gz.sha256") || fail "checksum mismatch for $TARBALL"
tops=$(tar -tzf "$TARBALL" | cut -d/ -f1 | sort -u)
[ "$tops" = "$NAME" ] || fail "the tarball should hold only $NAME/, it holds: $tops"
tar -C "$WORK" -xzf "$TARBALL"
TREE=$WORK/$NAME
ABI=$(sed -n 's/^#define KILI_ABI_VERSION \([0-9]*\)$/\1/p' "$TREE/include/kili.h")
header_version=$(sed -n 's/^#define KILI_VERSION "\(.*\)"$/\1/p' "$TREE/include/kili.h")
[ -n "$ABI" ] || fail "no KILI_ABI_VERSION in the tarball's kili.h"
[ "$header_version" = "$VERSION" ] || fail "kili.h says version $header_version, the tarball's name $VERSION"
set_expectations
for f in include/kili.h include/kili.hpp lib/libkili.a lib/pkgconfig/kili.pc lib/pkgconfig/kili-static.pc \
         lib/cmake/kili/kiliConfig.cmake lib/cmake/kili/kiliConfigVersion.cmake share/kili/packaging/kili.pc.in \
         share/kili/packaging/static-libs README.md; do
  [ -f "$TREE/$f" ] || fail "$f missing from the tarball"
done
[ -x "$TREE/install.sh" ] || fail "install.sh missing from the tarball, or not executable"
[ -f "$TREE/lib/libkili.so.$VERSION" ] && [ ! -L "$TREE/lib/libkili.so.$VERSION" ] \
  || fail "lib/libkili.so.$VERSION is not a regular file"
[ "$(readlink "$TREE/lib/libkili.so.$ABI")" = "libkili.so.$VERSION" ] || fail "lib/libkili.so.$ABI should link to libkili.so.$VERSION"
[ "$(readlink "$TREE/lib/libkili.so")" = "libkili.so.$ABI" ] || fail "lib/libkili.so should link to libkili.so.$ABI"
soname=$(LC_ALL=C readelf -d "$TREE/lib/libkili.so.$VERSION" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
[ "$soname" = "libkili.so.$ABI" ] || fail "SONAME of libkili.so.$VERSION is '$soname', not libkili.so.$ABI"
echo "SONAME: $soname (KILI_ABI_VERSION $ABI)"
for f in "lib/libkili.so.$VERSION" lib/libkili.a; do
  ! LC_ALL=C readelf -S "$TREE/$f" | grep -q '\.debug_' || fail "$f still has debug sections"
done
exported=$(LC_ALL=C readelf --dyn-syms -W "$TREE/lib/libkili.so.$VERSION" | awk '$7 != "UND" && $5 == "GLOBAL" { print $8 }' | grep -vc '^kili_' || true)
[ "$exported" = 0 ] || fail "libkili.so exports $exported symbols outside kili_*"
# Relocatable: nothing in the pkg-config and CMake files names the place the tree was built in.
if grep -rlF "$DIST" "$TREE/lib/pkgconfig" "$TREE/lib/cmake"; then fail "the files above name $DIST"; fi
echo "contents: ok (debug info stripped, only kili_* exported, relocatable)"

# --- 2. The emulator --------------------------------------------------------------------------
step "emulator $KILI_EMULATOR"
start_emulator "$WORK"
URL=$EMU_URL
echo "emulator at $URL"
cp -r "$CONSUMER" "$WORK/consumer"

# --- 3. The extracted tree used in place --------------------------------------------------------
step "extracted tree, pkg-config without install (relocatable kili.pc)"
PCDIR=$TREE/lib/pkgconfig SYSROOT=""
build_c_pkgconfig_shared "$WORK/c-tree" "$TREE/lib"
check_shared_link "$WORK/c-tree" "$TREE/lib"
run_consumer "$WORK/c-tree" "${C_EXPECTED[@]}"

# --- 4. DESTDIR + prefix, default libdir --------------------------------------------------------
PREFIX_A=/opt/kili-dist-test-$$
[ ! -e "$PREFIX_A" ] || fail "$PREFIX_A exists already"
step "install.sh --prefix $PREFIX_A with DESTDIR=$WORK/destdir-a"
DESTDIR="$WORK/destdir-a" "$TREE/install.sh" --prefix "$PREFIX_A"
[ ! -e "$PREFIX_A" ] || fail "install.sh wrote to $PREFIX_A instead of under DESTDIR"
check_installed_files "$WORK/destdir-a" "$PREFIX_A" lib
grep -qxF "prefix=$PREFIX_A" "$WORK/destdir-a$PREFIX_A/lib/pkgconfig/kili.pc" || fail "kili.pc does not name the prefix $PREFIX_A"
LIB_A=$WORK/destdir-a$PREFIX_A/lib
PCDIR=$LIB_A/pkgconfig SYSROOT=$WORK/destdir-a

step "C, pkg-config, shared"
build_c_pkgconfig_shared "$WORK/c-shared-a" "$LIB_A"
check_shared_link "$WORK/c-shared-a" "$LIB_A"
run_consumer "$WORK/c-shared-a" "${C_EXPECTED[@]}"

step "C, pkg-config --static kili-static"
build_c_pkgconfig_static "$WORK/c-static-a"
check_static_link "$WORK/c-static-a"
run_consumer "$WORK/c-static-a" "${C_EXPECTED[@]}"

step "C++ with CMake find_package(kili) and kili::cpp; C with kili::kili_static"
build_cmake "$WORK/cmake-a" "$WORK/destdir-a$PREFIX_A" "$LIB_A/cmake/kili" "$LIB_A"
check_shared_link "$WORK/cmake-a/consumer_cpp" "$LIB_A"
run_consumer "$WORK/cmake-a/consumer_cpp" "${CPP_EXPECTED[@]}"
check_static_link "$WORK/cmake-a/consumer_c_static"
run_consumer "$WORK/cmake-a/consumer_c_static" "${C_EXPECTED[@]}"

# --- 5. DESTDIR + /usr, a multiarch libdir (lib64 where the compiler has no multiarch name) -----
MULTIARCH=$("$CC" -print-multiarch 2>/dev/null || true)
LIBDIR_B=${MULTIARCH:+lib/$MULTIARCH}
LIBDIR_B=${LIBDIR_B:-lib64}
step "install.sh --prefix /usr --libdir $LIBDIR_B with DESTDIR=$WORK/destdir-b"
real_before=$(ls -d "/usr/$LIBDIR_B/libkili.so.$VERSION" 2>/dev/null || true)
DESTDIR="$WORK/destdir-b" "$TREE/install.sh" --prefix /usr --libdir "$LIBDIR_B"
[ "$(ls -d "/usr/$LIBDIR_B/libkili.so.$VERSION" 2>/dev/null || true)" = "$real_before" ] \
  || fail "install.sh wrote to /usr/$LIBDIR_B instead of under DESTDIR"
check_installed_files "$WORK/destdir-b" /usr "$LIBDIR_B"
LIB_B=$WORK/destdir-b/usr/$LIBDIR_B
for line in "prefix=/usr" "libdir=\${exec_prefix}/$LIBDIR_B"; do
  grep -qxF -- "$line" "$LIB_B/pkgconfig/kili.pc" || fail "kili.pc lacks the line $line"
done
PCDIR=$LIB_B/pkgconfig SYSROOT=$WORK/destdir-b

step "C, pkg-config, shared ($LIBDIR_B)"
build_c_pkgconfig_shared "$WORK/c-shared-b" "$LIB_B"
check_shared_link "$WORK/c-shared-b" "$LIB_B"
run_consumer "$WORK/c-shared-b" "${C_EXPECTED[@]}"

# CMake looks in <prefix>/lib/<multiarch>/cmake and <prefix>/lib64/cmake by itself.
step "C++ with CMake, KILI_USE_STATIC=ON ($LIBDIR_B)"
build_cmake "$WORK/cmake-b" "$WORK/destdir-b/usr" "$LIB_B/cmake/kili" "$LIB_B" -DKILI_USE_STATIC=ON
check_static_link "$WORK/cmake-b/consumer_cpp"
run_consumer "$WORK/cmake-b/consumer_cpp" "${CPP_EXPECTED[@]}"

echo
echo "c_cpp.sh: all checks passed for $NAME (SONAME libkili.so.$ABI)"
