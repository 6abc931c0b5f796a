#!/usr/bin/env bash
# The distribution suite: what a user gets without building this repository.
#  1. `cargo package --no-verify` of the crates meant for crates.io (manifests, versions on
#     path dependencies, included files);
#  2. one release build into a temporary dist/ (scripts/release.sh: tarball, Go module proxy
#     tree, Java artifacts installed into the local Maven repository);
#  3. the consumer tests, each from its own temporary directory outside the repository:
#     C and C++ (pkg-config, CMake), Go (plain `go build`, no cargo on PATH), Java (Maven
#     coordinates);
#  4. the API reference of every language (scripts/docs.sh), so that it cannot rot.
# The consumers run against the debug kili-emulator of the other suites (a test server, not
# part of what is shipped).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
case "$target" in /*) ;; *) target="$root/$target" ;; esac

step() { echo; echo "-- $*"; }
passed=0
ok() { passed=$((passed + 1)); echo "ok: $*"; }

step "cargo package (crates.io manifests)"
cargo package -q --no-verify --allow-dirty -p kili-category-search -p kili -p kili-emulator -p kili-cli 2>&1 \
  | grep -v '^warning: ignoring \(test\|example\|bench\)' || true
for c in kili-category-search kili kili-emulator kili-cli; do
  [[ -f "$target/package/$c-0.1.0.crate" ]] || { echo "FAIL: no $c .crate file" >&2; exit 1; }
done
ok "cargo package"

step "emulator for the consumer tests"
cargo build -q -p kili-emulator
export KILI_EMULATOR="$target/debug/kili-emulator"

work=$(mktemp -d /tmp/kili-dist.XXXXXX)
trap 'rm -rf "$work"' EXIT
step "scripts/release.sh --out $work/dist"
bash scripts/release.sh --out "$work/dist"
ok "release"

for t in c_cpp go java; do
  step "tests/dist/$t.sh"
  bash "tests/dist/$t.sh" "$work/dist"
  ok "$t consumer"
done

step "scripts/docs.sh"
bash scripts/docs.sh "$work/api-docs"
ok "API reference"

echo
echo "distribution: $passed passed, 0 failed"
