//! libFuzzer target: see `fuzz/src/targets.rs` (`category_search`).
#![no_main]

#[path = "../src/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::category_search(data));
