//! Reliability, faults (issue 10 §1), through the C ABI: the scenarios of
//! `reliability_faults.rs` calling the `extern "C"` functions of `kili.h` (`kili_client_new`,
//! `kili_assets_query` + `kili_cursor_next_page`, `kili_assets_mutate`) exactly as a C program
//! would, on raw pointers and lengths.

mod reliability_support;

use reliability_support::scenarios::*;
use reliability_support::*;

fn c_client(endpoint: &str) -> cabi::CClient {
    cabi::client_new(fast_options_json(endpoint).as_bytes()).unwrap()
}

#[test]
fn c_abi_listing_100k_under_faults() {
    let emu = emulator();
    let sdk = c_client(&emu.endpoint());
    list_under_faults(&emu, &sdk, "rel_list", 100_000);
}

#[test]
fn c_abi_import_10k_under_faults() {
    let emu = emulator();
    let sdk = c_client(&emu.endpoint());
    import_under_faults(&emu, &sdk, "rel_import", 10_000, false);
}

#[test]
fn c_abi_import_text_under_faults_with_uploads() {
    let emu = emulator();
    let sdk = c_client(&emu.endpoint());
    import_under_faults(&emu, &sdk, "rel_text", 1_000, true);
}

#[test]
fn c_abi_updates_and_actions_under_faults() {
    let emu = emulator();
    let sdk = c_client(&emu.endpoint());
    updates_under_faults(&emu, &sdk, "rel_update", 1_000);
    actions_under_faults(&emu, &sdk, "rel_actions", 1_000);
}
