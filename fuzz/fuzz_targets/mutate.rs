//! libFuzzer target: see `fuzz/src/targets.rs` (`mutate`).
#![no_main]

#[path = "../src/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::mutate(data));
