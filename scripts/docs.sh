#!/usr/bin/env bash
# Generates the API reference of every language into one directory (default
# target/api-docs, or the first argument), with an index.html:
#   rust/  rustdoc of the `kili` crate (C ABI and allocator features on, so all is shown)
#   c/     Doxygen of include/kili.h and the C++ header bindings/cpp/include/kili.hpp
#   java/  javadoc of com.kili.nativesdk
#   go/    `go doc -all` of the Go package (godoc's text; its runnable examples are the
#          Example* functions in bindings/go/kili/example_test.go, run by `go test`)
# Fails on a broken doc link in Rust or a javadoc error, so that the references cannot rot.
# Installs Doxygen with apt-get when it is missing (root only; otherwise it says so).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/target/api-docs}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac

echo "== rustdoc"
RUSTDOCFLAGS="-D warnings" cargo doc -q -p kili --no-deps --features capi,mimalloc
rm -rf "$out/rust" && cp -r "$target/doc" "$out/rust"

echo "== Doxygen (C and C++ headers)"
if ! command -v doxygen >/dev/null; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    (apt-get install -y -qq doxygen >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq doxygen; }) >/dev/null
  else
    echo "docs.sh: doxygen is not installed (apt-get install doxygen)" >&2; exit 1
  fi
fi
version=$(sed -n 's/^#define KILI_VERSION "\(.*\)"$/\1/p' include/kili.h)
rm -rf "$out/c" && mkdir -p "$out/c"
doxy_log=$(mktemp); trap 'rm -f "$doxy_log"' EXIT
doxygen - >"$doxy_log" 2>&1 <<DOXY || { cat "$doxy_log" >&2; exit 1; }
PROJECT_NAME = "kili-native C and C++ API"
PROJECT_NUMBER = $version
INPUT = $root/include/kili.h $root/bindings/cpp/include/kili.hpp $root/packaging/README.md
USE_MDFILE_AS_MAINPAGE = $root/packaging/README.md
OUTPUT_DIRECTORY = $out/c
GENERATE_LATEX = NO
EXTRACT_ALL = YES
JAVADOC_AUTOBRIEF = YES
QUIET = YES
WARN_IF_UNDOCUMENTED = NO
MACRO_EXPANSION = YES
PREDEFINED = KILI_API=
DOXY
[[ -f "$out/c/html/index.html" ]] || { cat "$doxy_log" >&2; echo "docs.sh: Doxygen wrote no index" >&2; exit 1; }

echo "== javadoc"
rm -rf "$out/java"
javadoc -quiet -Xdoclint:all,-missing -d "$out/java" -sourcepath bindings/java/src/main/java \
  -subpackages com.kili.nativesdk -windowtitle "kili-native Java API $version" >/dev/null

echo "== go doc"
mkdir -p "$out/go"
pkg=./kili; [[ -d bindings/go/kili ]] || pkg=.
(cd bindings/go && go doc -all "$pkg") >"$out/go/kili.txt"
grep -q '^func NewClient' "$out/go/kili.txt" || { echo "docs.sh: go doc lacks NewClient" >&2; exit 1; }

cat >"$out/index.html" <<HTML
<!doctype html><meta charset="utf-8"><title>kili-native $version API reference</title>
<h1>kili-native $version API reference</h1>
<ul>
<li><a href="rust/kili/index.html">Rust</a> (crate <code>kili</code>)</li>
<li><a href="c/html/index.html">C and C++</a> (<code>kili.h</code>, <code>kili.hpp</code>)</li>
<li><a href="java/index.html">Java</a> (<code>com.kili.nativesdk</code>)</li>
<li><a href="go/kili.txt">Go</a> (<code>go doc -all</code>)</li>
</ul>
HTML
echo "API reference written to $out/index.html"
