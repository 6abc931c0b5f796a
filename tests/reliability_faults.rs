//! Reliability, faults (issue 10 §1), through the Rust API: at a 20% fault rate (500/502/503/
//! 504, 429 with Retry-After, resets, truncated bodies, latency spikes) a 100,000-asset listing
//! yields every id once, a 10,000-asset import ends with exactly those assets and an accurate
//! per-item report, bulk updates and actions end in the expected state. Each scenario prints a
//! `FIGURES` line (run with `--nocapture` to see them).

mod reliability_support;

use reliability_support::scenarios::*;
use reliability_support::*;

#[test]
fn listing_100k_under_faults() {
    let emu = emulator();
    let sdk = client(&emu.endpoint());
    list_under_faults(&emu, &sdk, "rel_list", 100_000);
}

#[test]
fn import_10k_under_faults() {
    let emu = emulator();
    let sdk = client(&emu.endpoint());
    import_under_faults(&emu, &sdk, "rel_import", 10_000, false);
}

#[test]
fn import_text_under_faults_with_uploads() {
    let emu = emulator();
    let sdk = client(&emu.endpoint());
    import_under_faults(&emu, &sdk, "rel_text", 2_000, true);
}

#[test]
fn bulk_updates_under_faults() {
    let emu = emulator();
    let sdk = client(&emu.endpoint());
    updates_under_faults(&emu, &sdk, "rel_update", 2_000);
}

#[test]
fn actions_under_faults_end_in_expected_state() {
    let emu = emulator();
    let sdk = client(&emu.endpoint());
    actions_under_faults(&emu, &sdk, "rel_actions", 2_000);
}
