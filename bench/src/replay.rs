//! The bare-HTTP baseline: POSTs recorded GraphQL request bodies (one JSON object per line,
//! captured from the emulator's request log of a kili-native listing) sequentially on one
//! keep-alive connection, with gzip like the client, and parses every answer as JSON. That is
//! the least work any sequential client must do, so no client can beat it without prefetch.

use serde_json::{json, Value};
use std::time::Instant;

/// `replay BODIES_FILE`: returns `{secs, items, requests}` (items = assets received).
pub fn run(args: &[String]) -> Result<Value, String> {
    let file = args.first().ok_or("missing argument BODIES_FILE")?;
    let text = std::fs::read_to_string(file).map_err(|e| format!("BODIES_FILE {file}: {e}"))?;
    let bodies: Vec<Vec<u8>> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.as_bytes().to_vec())
        .collect();
    let endpoint =
        std::env::var("KILI_API_ENDPOINT").map_err(|_| "KILI_API_ENDPOINT is not set")?;
    // Authorization header built from the environment; never echoed.
    let auth = format!(
        "X-API-Key: {}",
        std::env::var("KILI_API_KEY").map_err(|_| "KILI_API_KEY is not set")?
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let http = reqwest::Client::builder()
            .gzip(true)
            .build()
            .map_err(|e| e.to_string())?;
        let t = Instant::now();
        let mut items = 0u64;
        for b in &bodies {
            let resp = http
                .post(&endpoint)
                .header("Authorization", &auth)
                .header("Content-Type", "application/json")
                .body(b.clone())
                .send()
                .await
                .map_err(|e| format!("request: {e}"))?;
            let bytes = resp.bytes().await.map_err(|e| format!("body: {e}"))?;
            let v: Value =
                serde_json::from_slice(&bytes).map_err(|e| format!("answer is not JSON: {e}"))?;
            if v.get("errors").is_some() {
                return Err("the server answered with GraphQL errors".to_string());
            }
            let is_page = String::from_utf8_lossy(b).contains("data: assets(");
            if let (true, Some(a)) = (is_page, v["data"]["data"].as_array()) {
                items += a.len() as u64;
            }
        }
        Ok(json!({ "secs": t.elapsed().as_secs_f64(), "items": items, "requests": bodies.len() }))
    })
}
