//! Throughput smoke checks of the import and update paths (ignored by default: run with
//! `cargo test --release --test mutations_perf -- --ignored --nocapture`). They print timings
//! and assert only correctness; the comparison with the official SDK lives in `bench/`.

mod mutations_support;

use mutations_support::*;
use serde_json::json;
use std::time::Instant;

fn n() -> usize {
    std::env::var("KILI_PERF_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

#[test]
#[ignore]
fn import_then_update_text_assets() {
    let env = env(json!({}));
    let n = n();
    let p = project("TEXT");
    let texts: Vec<String> = (0..n).map(|i| format!("asset text number {i}")).collect();
    let ext: Vec<String> = (0..n).map(|i| format!("e{i}")).collect();
    let t = Instant::now();
    let r = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": p, "content_array": texts, "external_id_array": ext}),
        )
        .unwrap();
    let ids = r["result"]["asset_ids"].as_array().unwrap().clone();
    assert_eq!(ids.len(), n);
    println!(
        "import of {n} raw text assets: {:.2} s",
        t.elapsed().as_secs_f64()
    );
    let prios: Vec<i64> = (0..n as i64).collect();
    let t = Instant::now();
    let r = env
        .mutate(
            "update_properties_in_assets",
            json!({"asset_ids": ids, "priorities": prios}),
        )
        .unwrap();
    assert_eq!(r["result"].as_array().unwrap().len(), n);
    println!("update of {n} assets: {:.2} s", t.elapsed().as_secs_f64());
}
