//! libFuzzer target: see `fuzz/src/targets.rs` (`client_options`).
#![no_main]

#[path = "../src/targets.rs"]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| targets::client_options(data));
