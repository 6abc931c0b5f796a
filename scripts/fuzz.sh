#!/usr/bin/env bash
# Runs every fuzz target of kili-native for a bounded time (default 60 s each).
#
#   scripts/fuzz.sh [seconds]          # all targets
#   FUZZ_TARGETS="query mutate" scripts/fuzz.sh 300
#
# With cargo-fuzz and a nightly toolchain: libFuzzer (coverage-guided, AddressSanitizer) on
# the targets of fuzz/fuzz_targets/, corpus in fuzz/corpus/<target>/, crashes in
# fuzz/artifacts/<target>/. Without them (or with FUZZ_ENGINE=driver): the stable random
# driver tests/reliability_fuzz_driver.rs with the same target bodies (fuzz/src/targets.rs).
# Not part of CI. Turn every crash into a regression: copy the input to fuzz/regressions/
# (replayed by `cargo test`, tests/reliability_bad_input.rs and the driver's seeds) and fix.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-60}"
TARGETS="${FUZZ_TARGETS:-client_options query count mutate category_search}"
ENGINE="${FUZZ_ENGINE:-auto}"

have_libfuzzer() {
  rustup toolchain list 2>/dev/null | grep -q '^nightly' && cargo fuzz --version >/dev/null 2>&1
}

if [ "$ENGINE" = auto ]; then
  if have_libfuzzer; then ENGINE=libfuzzer
  elif rustup toolchain list 2>/dev/null | grep -q '^nightly' && [ "${FUZZ_INSTALL:-0}" = 1 ]; then
    echo "installing cargo-fuzz (FUZZ_INSTALL=1)..." >&2
    cargo install cargo-fuzz --locked && ENGINE=libfuzzer
  else
    echo "cargo-fuzz or the nightly toolchain is missing: using the stable random driver" >&2
    echo "(install with: rustup toolchain install nightly && cargo install cargo-fuzz, or FUZZ_INSTALL=1)" >&2
    ENGINE=driver
  fi
fi

status=0
for t in $TARGETS; do
  echo "=== $t ($ENGINE, ${SECONDS_PER_TARGET}s)"
  if [ "$ENGINE" = libfuzzer ]; then
    mkdir -p "fuzz/corpus/$t"
    # -max_len: the JSON entry points take documents, not megabytes; -timeout: one input.
    (cd fuzz && cargo +nightly fuzz run "$t" "corpus/$t" -- \
        -max_total_time="$SECONDS_PER_TARGET" -max_len=8192 -timeout=10 -print_final_stats=1) || status=1
  else
    KILI_FUZZ_SECONDS="$SECONDS_PER_TARGET" KILI_FUZZ_TARGET="$t" KILI_FUZZ_SEED="${KILI_FUZZ_SEED:-$RANDOM}" \
      cargo test -q -p kili --test reliability_fuzz_driver -- --nocapture || status=1
  fi
done
exit $status
