//! Realistic-link mode: latency, bandwidth cap, server-side rate limit with Retry-After, the
//! counters of `/emulator/link`, and no change at all when it is off.

use std::time::{Duration, Instant};

use kili_emulator::{start_blocking, EmulatorConfig, EmulatorHandle, LinkConfig, ADMIN_HEADER};
use serde_json::{json, Value};

use super::common::*;

const COUNT: &str = "{ data: countAssets(where: {project: {id: \"proj-1\"}}) }";
/// Every asset of proj-1 with many fields: a few KB of answer.
const PAGE: &str = "{ data: assets(where: {project: {id: \"proj-1\"}}, first: 100, skip: 0) { id externalId content jsonMetadata createdAt status consensusMark honeypotMark labels { id jsonResponse createdAt author { email firstname lastname } } } }";

fn start_with(link: LinkConfig) -> EmulatorHandle {
    start_blocking(EmulatorConfig {
        fixtures: vec![fixture()],
        admin_token: Some("admin".into()),
        link,
        ..Default::default()
    })
}

fn post(
    http: &reqwest::blocking::Client,
    endpoint: &str,
    query: &str,
) -> reqwest::blocking::Response {
    http.post(endpoint)
        .header("Authorization", format!("X-API-Key: {ALICE}"))
        // identity: the bandwidth test needs the body size that crossed the link
        .header("Accept-Encoding", "identity")
        .json(&json!({ "query": query }))
        .send()
        .unwrap()
}

fn link_stats(emu: &EmulatorHandle) -> Value {
    reqwest::blocking::Client::new()
        .get(format!("{}/emulator/link", emu.base_url()))
        .header(ADMIN_HEADER, "admin")
        .send()
        .unwrap()
        .json()
        .unwrap()
}

#[test]
fn latency_is_added_to_every_api_request() {
    let emu = start_with(LinkConfig {
        latency_ms: 150,
        jitter_ms: 50,
        seed: Some(1),
        ..Default::default()
    });
    let http = reqwest::blocking::Client::new();
    // Warm the connection, so what is measured below is the link, not the TCP handshake.
    assert_eq!(post(&http, &emu.endpoint(), COUNT).status(), 200);
    for _ in 0..3 {
        let t = Instant::now();
        let r = post(&http, &emu.endpoint(), COUNT);
        assert_eq!(r.json::<Value>().unwrap()["data"]["data"], 6);
        assert!(
            t.elapsed() >= Duration::from_millis(150),
            "{:?}",
            t.elapsed()
        );
    }
    // Not only GraphQL: the other Kili routes cross the same link.
    let t = Instant::now();
    let r = http
        .get(format!("{}/api/label/v2/version", emu.base_url()))
        .send()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        t.elapsed() >= Duration::from_millis(150),
        "{:?}",
        t.elapsed()
    );
    let s = link_stats(&emu);
    assert_eq!(
        (s["enabled"].as_bool(), s["graphql_requests"].as_u64()),
        (Some(true), Some(4))
    );
    assert_eq!(
        s["api_requests"], 5,
        "the version request crossed the link too"
    );
    assert_eq!(s["rate_limited"], 0);
}

#[test]
fn bandwidth_cap_delays_answers_by_their_size() {
    let emu = start_with(LinkConfig {
        bandwidth_kbps: 16, // 2,000 bytes per second
        ..Default::default()
    });
    let http = reqwest::blocking::Client::new();
    let t = Instant::now();
    let r = post(&http, &emu.endpoint(), PAGE);
    let body = r.bytes().unwrap();
    let took = t.elapsed();
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["data"]["data"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    // The answer alone needs len / 2000 s on the down-link (the request adds its own time).
    let min = Duration::from_secs_f64(body.len() as f64 / 2000.0);
    assert!(body.len() > 1000, "a page of several KB: {}", body.len());
    assert!(took >= min, "{took:?} < {min:?} for {} bytes", body.len());
    let s = link_stats(&emu);
    assert_eq!(s["bytes_down"].as_u64(), Some(body.len() as u64));
    assert!(s["bytes_up"].as_u64().unwrap() > PAGE.len() as u64);
}

#[test]
fn rate_limit_answers_429_with_retry_after_then_recovers() {
    // 3 requests per 1-second window: the 4th within the window is refused.
    let emu = start_with(LinkConfig {
        rate_limit_per_minute: 3,
        rate_limit_window_ms: 1000,
        ..Default::default()
    });
    let http = reqwest::blocking::Client::new();
    let e = emu.endpoint();
    for _ in 0..3 {
        assert_eq!(post(&http, &e, COUNT).status(), 200);
    }
    emu.clear_request_log();
    let r = post(&http, &e, COUNT);
    assert_eq!(r.status(), 429);
    let retry_after: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(retry_after, 1, "whole seconds until the first slot frees");
    assert!(
        emu.request_log().is_empty(),
        "a rate-limited request is not processed"
    );
    let s = link_stats(&emu);
    assert_eq!(
        (s["graphql_requests"].as_u64(), s["rate_limited"].as_u64()),
        (Some(4), Some(1))
    );
    // Waiting out what Retry-After names (the window configured above) frees a slot.
    std::thread::sleep(Duration::from_secs(retry_after));
    let r = post(&http, &e, COUNT);
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().unwrap()["data"]["data"], 6);
    // The admin reset starts a fresh window at once (benchmarks use it between runs).
    while post(&http, &e, COUNT).status() == 200 {}
    let reset = http
        .delete(format!("{}/emulator/link", emu.base_url()))
        .header(ADMIN_HEADER, "admin")
        .send()
        .unwrap();
    assert_eq!(reset.status(), 204);
    assert_eq!(post(&http, &e, COUNT).status(), 200);
    assert_eq!(link_stats(&emu)["rate_limited"], 0);
}

#[test]
fn off_by_default_changes_nothing() {
    assert!(!LinkConfig::default().is_active());
    let emu = start();
    let http = reqwest::blocking::Client::new();
    // Far beyond any limit a link config would set: never a 429, never a Retry-After.
    for _ in 0..600 {
        let r = post(&http, &emu.endpoint(), COUNT);
        assert_eq!(r.status(), 200);
        assert!(r.headers().get("retry-after").is_none());
    }
    assert_eq!(link_stats(&emu), json!({"enabled": false}));
}
