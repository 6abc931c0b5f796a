#!/usr/bin/env bash
# Publishes the Go module of kili-native into a file-based Go module proxy under DIST/go, so
# that Go users build with plain `go build`: no cargo, no checkout of this repository.
#
# Usage: bindings/go/release.sh DIST [GOOS_GOARCH=]STAGE ...
#   STAGE  an install tree of a release build (scripts/release.sh makes it):
#          STAGE/include/kili.h and STAGE/lib/libkili.a (debug info already stripped), and
#          the system libraries that library needs (rustc --print native-static-libs) in
#          STAGE/share/kili/packaging/static-libs or the Libs.private of
#          STAGE/lib/pkgconfig/kili.pc (for Linux, else packaging/static-libs).
#          Its platform is `go env GOOS` and the architecture of the library's objects, or
#          the GOOS_GOARCH given, e.g. linux_arm64=/tmp/stage-arm64. One STAGE per platform.
#
# It writes, for the version of STAGE's kili.h (KILI_VERSION, e.g. v0.1.0):
#   DIST/go/<module path>/@v/list, vX.Y.Z.info, vX.Y.Z.mod, vX.Y.Z.zip
#   DIST/go/README   how to use it (GOPROXY=file://...), the go.sum lines
# The zip holds the module's files as git tracks them (bindings/go, minus what .gitignore
# excludes) plus, generated here: kili/include/kili.h, kili/lib/<GOOS>_<GOARCH>/libkili.a,
# kili/bundled_<GOOS>_<GOARCH>.go (cgo directives linking it) and kili/bundled.go (imports
# the two directories as packages so that `go mod vendor` copies them); nobundle.go's build
# constraint is narrowed to the platforms without a library. Nothing is written into the
# source tree. The result is checked by extracting it with `go mod download` (offline);
# tests/dist/go.sh builds and runs a consumer against it.
set -euo pipefail

usage() { echo "usage: $0 DIST [GOOS_GOARCH=]STAGE ..." >&2; exit 2; }
die() { echo "release.sh: $*" >&2; exit 1; }
[ $# -ge 2 ] || usage
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
mkdir -p "$1"
dist="$(cd "$1" && pwd)"
shift

command -v go >/dev/null || die "go is not on PATH"
module="$(sed -n 's/^module[[:space:]]\{1,\}//p' "$here/go.mod")"
[ -n "$module" ] || die "no module directive in $here/go.mod"

# The GOARCH of an ELF static library, from its objects' machine; empty when it is not ELF.
elf_goarch() { # archive
  local hdr machine
  hdr="$(LC_ALL=C readelf -h "$1" 2>/dev/null)" || return 0
  machine="$(sed -n 's/^ *Machine: *//p' <<<"$hdr" | sort -u)"
  [ -n "$machine" ] || return 0
  [ "$(wc -l <<<"$machine")" -eq 1 ] || die "$1 mixes objects for several machines: $machine"
  case "$machine:$(sed -n 's/^ *Data: *//p' <<<"$hdr" | sort -u)" in
    *X86-64*) echo amd64 ;;
    *AArch64*) echo arm64 ;;
    *80386*) echo 386 ;;
    ARM:*) echo arm ;;
    *RISC-V*) echo riscv64 ;;
    *PowerPC64*little*) echo ppc64le ;;
    *PowerPC64*) echo ppc64 ;;
    *S/390*) echo s390x ;;
    *LoongArch*) echo loong64 ;;
    *) die "$1 is for machine '$machine', which this script cannot name: pass GOOS_GOARCH=$1" ;;
  esac
}

# The platforms and their stages, in argument order. A stage without GOOS_GOARCH= is for
# `go env GOOS` and the architecture of its library (so that a cross build of
# scripts/release.sh --target is labelled right); a given GOARCH must match the library.
plats=()
stages=()
for arg in "$@"; do
  case "$arg" in
    *=*) plat=${arg%%=*} stage=${arg#*=} ;;
    *) plat="" stage=$arg ;;
  esac
  [ -f "$stage/lib/libkili.a" ] || die "$stage/lib/libkili.a is missing"
  arch="$(elf_goarch "$stage/lib/libkili.a")"
  if [ -z "$plat" ]; then
    plat="$(go env GOOS)_${arch:-$(go env GOARCH)}"
  elif [ -n "$arch" ] && [ "${plat#*_}" != "$arch" ]; then
    die "$stage/lib/libkili.a is for $arch, not $plat"
  fi
  plats+=("$plat")
  stages+=("$stage")
done
known="$(go tool dist list)"
for i in "${!plats[@]}"; do
  plat=${plats[$i]}
  grep -qx "${plat/_//}" <<<"$known" || die "$plat is not a GOOS_GOARCH pair the go command knows"
  for j in "${!plats[@]}"; do
    [ "$j" -le "$i" ] || [ "${plats[$j]}" != "$plat" ] || die "platform $plat given twice"
  done
  stage=${stages[$i]}
  [ -f "$stage/include/kili.h" ] || die "$stage/include/kili.h is missing"
  [ "$(head -c 8 "$stage/lib/libkili.a")" = '!<arch>' ] || die "$stage/lib/libkili.a is not an ar archive"
  # The Go code of this tree is written against this tree's header: a stage from another
  # version would publish a mismatched module.
  cmp -s "$stage/include/kili.h" "$root/include/kili.h" ||
    die "$stage/include/kili.h differs from $root/include/kili.h: the stage is not a build of this tree"
done

header="${stages[0]}/include/kili.h"
version="v$(sed -n 's/^#define KILI_VERSION "\(.*\)"$/\1/p' "$header")"
[ "$version" != v ] || die "no KILI_VERSION in $header"

# The system libraries a static libkili needs on one platform (what rustc's
# --print native-static-libs said for that build), from the stage: the list
# scripts/release.sh writes, else kili.pc's Libs.private; for Linux, else the repository's
# list for a glibc build.
native_libs() { # stage goos
  local libs="" f
  first_line() { sed -n '/^[[:space:]]*#/d; /[^[:space:]]/{p;q}' "$1"; } # first non-comment line
  f="$1/share/kili/packaging/static-libs"
  if [ -f "$f" ]; then libs="$(first_line "$f")"; fi
  f="$1/lib/pkgconfig/kili.pc"
  if [ -z "$libs" ] && [ -f "$f" ]; then libs="$(sed -n 's/^Libs\.private:[[:space:]]*//p' "$f")"; fi
  f="$root/packaging/static-libs"
  if [ -z "$libs" ] && [ "$2" = linux ] && [ -f "$f" ]; then libs="$(first_line "$f")"; fi
  [ -n "$libs" ] || die "$1 does not say which system libraries libkili.a needs on $2 (share/kili/packaging/static-libs or Libs.private of lib/pkgconfig/kili.pc)"
  # Only flags cgo accepts in a #cgo LDFLAGS directive of a dependency.
  local prev=""
  for f in $libs; do
    if [ "$prev" = -framework ]; then
      [[ "$f" =~ ^[A-Za-z0-9_]+$ ]] || die "bad framework name in $1's system libraries: $f"
    else
      [[ "$f" =~ ^(-l[A-Za-z0-9_+.-]+|-framework)$ ]] || die "unexpected flag in $1's system libraries: $f"
    fi
    prev=$f
  done
  echo "$libs"
}

work="$(mktemp -d)"
trap 'chmod -R u+w "$work" 2>/dev/null || true; rm -rf "$work"' EXIT
src="$work/module"
mkdir -p "$src"

# The module's files: what git tracks or would track (respecting .gitignore), so that
# neither built files nor a developer's leftovers are published. Needs the git work tree.
git -C "$here" rev-parse --is-inside-work-tree >/dev/null 2>&1 ||
  die "$here is not in a git work tree (the published files are those git tracks or would track)"
(cd "$here" && git ls-files -z --cached --others --exclude-standard -- .) |
  while IFS= read -r -d '' f; do
    # The index still lists files deleted from the work tree: publish the work tree.
    [ -f "$here/$f" ] || continue
    mkdir -p "$src/$(dirname "$f")"
    cp -p "$here/$f" "$src/$f"
  done
[ -f "$src/go.mod" ] && [ -f "$src/kili/ffi.go" ] || die "staging $here failed"
shopt -s nullglob
for p in "$src/kili/include" "$src/kili/lib" "$src"/kili/bundled*.go; do
  [ ! -e "$p" ] || die "${p#"$src/"} is in $here and not ignored by git: it would be published"
done
shopt -u nullglob

pkg="$module/kili"
mkdir -p "$src/kili/include"
cp "$header" "$src/kili/include/kili.h"
cat >"$src/kili/include/include.go" <<'EOF'
// Code generated by bindings/go/release.sh. DO NOT EDIT.

// Package include holds kili.h, the header of the bundled libkili. It has no API: package
// kili imports it so that `go mod vendor` copies the header along.
package include
EOF

imports=("$pkg/include")
exclude=""
for i in "${!plats[@]}"; do
  plat=${plats[$i]} stage=${stages[$i]}
  goos=${plat%%_*} goarch=${plat#*_}
  libs="$(native_libs "$stage" "$goos")"
  mkdir -p "$src/kili/lib/$plat"
  cp "$stage/lib/libkili.a" "$src/kili/lib/$plat/libkili.a"
  cat >"$src/kili/lib/$plat/lib.go" <<EOF
// Code generated by bindings/go/release.sh. DO NOT EDIT.

// Package lib holds libkili.a for $goos/$goarch. It has no API: package kili imports it
// so that \`go mod vendor\` copies the library along.
package lib
EOF
  cat >"$src/kili/bundled_$plat.go" <<EOF
// Code generated by bindings/go/release.sh. DO NOT EDIT.

//go:build cgo && !kili_system && !kili_pkgconfig

package kili

// The default link mode on $goos/$goarch (the file name restricts it to that platform):
// the static libkili.a of kili-native ${version#v} bundled in this module, then the system
// libraries it needs. Nothing of libkili is needed at run time.

// #cgo LDFLAGS: \${SRCDIR}/lib/$plat/libkili.a $libs
import "C"
EOF
  imports+=("$pkg/lib/$plat")
  exclude+=" && !($goos && $goarch)"
done
{
  echo '// Code generated by bindings/go/release.sh. DO NOT EDIT.'
  echo
  echo 'package kili'
  echo
  echo '// The directories of the bundled header and libraries are packages imported here, so'
  echo '// that `go mod vendor` (which copies only the directories of imported packages) keeps'
  echo '// them next to the sources that link them.'
  echo 'import ('
  for imp in "${imports[@]}"; do printf '\t_ "%s"\n' "$imp"; done
  echo ')'
} >"$src/kili/bundled.go"

# nobundle.go (the clear error where nothing is bundled) must no longer build on the
# platforms that now have a library.
want='//go:build cgo && !kili_system && !kili_pkgconfig'
[ "$(head -n 1 "$src/kili/nobundle.go")" = "$want" ] ||
  die "the first line of kili/nobundle.go is no longer '$want': update release.sh"
{ echo "$want$exclude"; tail -n +2 "$src/kili/nobundle.go"; } >"$work/nobundle.go"
mv "$work/nobundle.go" "$src/kili/nobundle.go"
unformatted="$(gofmt -l "$src/kili")" || die "generated Go files do not parse"
[ -z "$unformatted" ] || die "generated Go files are not gofmt-formatted: $unformatted"

# The version's time: SOURCE_DATE_EPOCH (reproducible builds), else the commit's time.
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
  stamp="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%dT%H:%M:%SZ)"
else
  stamp="$(git -C "$root" log -1 --format=%cI 2>/dev/null || date -u +%Y-%m-%dT%H:%M:%SZ)"
fi

proxy="$dist/go"
mkdir -p "$proxy"
(cd "$here" && env GOWORK=off GOFLAGS= CGO_ENABLED=0 go run ./internal/modproxy \
  -src "$src" -version "$version" -time "$stamp" -out "$proxy")

# Check the result the way a user gets it: the go command downloads and extracts it from
# the proxy (verifying the zip's format and limits) into an empty module cache, offline.
check="$work/check"
mkdir -p "$check/home"
json="$(cd "$check" && env -i PATH="$PATH" HOME="$check/home" GOENV=off GOTOOLCHAIN=local \
  GOPROXY="file://$proxy" GONOSUMDB="$module" GOMODCACHE="$check/mod" GOCACHE="$check/cache" \
  GOFLAGS=-mod=mod go mod download -json "$module@$version")" ||
  die "go mod download $module@$version from $proxy failed: $json"
field() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}$/\1/p" <<<"$json"; }
dir="$(field Dir)" sum="$(field Sum)" modsum="$(field GoModSum)"
[ -n "$dir" ] && [ -n "$sum" ] && [ -n "$modsum" ] || die "unexpected go mod download output: $json"
for i in "${!plats[@]}"; do
  cmp -s "${stages[$i]}/lib/libkili.a" "$dir/kili/lib/${plats[$i]}/libkili.a" ||
    die "the downloaded module has no intact kili/lib/${plats[$i]}/libkili.a"
done
cmp -s "$header" "$dir/kili/include/kili.h" || die "the downloaded module has no intact kili/include/kili.h"

listed=""
for plat in "${plats[@]}"; do listed+=" ${plat/_//}"; done
title="Go module $module $version (kili-native ${version#v})"
cat >"$proxy/README" <<EOF
$title
${title//?/=}

This directory is a Go module proxy on disk (the layout proxy.golang.org serves). The module
bundles the header and a static libkili.a for:$listed
so plain \`go build\` builds and links it: no Rust toolchain, no kili-native checkout, and
programs do not need libkili.so at run time. cgo and a C compiler (gcc or clang) are needed.

Use it (replace $proxy by where this directory is):

    export GOPROXY=file://$proxy,https://proxy.golang.org
    export GONOSUMDB=github.com/kili-technology/kili-native   # not in sum.golang.org
    go get $module@$version

    import "$pkg"

(Or offline, with only this directory: GOPROXY=file://$proxy and GOFLAGS=-mod=mod.)
Without network access for anything, unzip the module instead and point a replace
directive at it:

    unzip $proxy/$(sed 's/[A-Z]/!\L&/g' <<<"$module")/@v/$version.zip -d /opt/kili-go
    go mod edit -require=$module@$version -replace=$module=/opt/kili-go/$module@$version

On another platform, or to use a libkili installed on the system, build with
\`-tags kili_system\` (with CGO_CFLAGS=-I<prefix>/include and
CGO_LDFLAGS="-L<prefix>/lib -Wl,-rpath,<prefix>/lib" when needed) or \`-tags kili_pkgconfig\`.
With cgo disabled, or on a platform without a bundled library and without those tags, the
build stops with an error naming what to do. \`go mod vendor\` keeps the bundled files.

go.sum lines of this version:

$module $version $sum
$module $version/go.mod $modsum
EOF

echo "published $module@$version ($sum) for$listed under $proxy"
