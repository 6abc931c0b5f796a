//! Regression: a client `page_size` below the adaptive sizer's minimum (10) used to panic in the
//! page loop, and the panic surfaced as a normal, silently truncated end of the listing.

mod core_support;
use core_support::*;
use kili::{CallOptions, ClientOptions};
use serde_json::json;

#[test]
fn page_size_below_ten_lists_every_asset() {
    let emu = emulator();
    for page_size in [1u32, 5, 9] {
        let (client, _) = client_with(ClientOptions {
            page_size,
            ..options(&emu)
        });
        let args = json!({"project_id": "pbig", "fields": ["id"]}).to_string();
        let got: Vec<_> = client
            .assets_json(&args, CallOptions::default())
            .expect("cursor")
            .collect::<Result<Vec<_>, _>>()
            .expect("listing");
        assert_eq!(got.len(), 250, "page_size {page_size}");
        let mut ids = ids(&got);
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 250, "no duplicates with page_size {page_size}");
        // Every page request honoured the configured size.
        assert!(pages(&emu)
            .iter()
            .all(|&(_, first)| first <= page_size as u64));
        emu.clear_request_log();
    }
}
