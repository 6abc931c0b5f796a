//! libFuzzer target: see `fuzz/src/targets.rs` (`query`).
#![no_main]

#[path = "../src/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::query(data));
