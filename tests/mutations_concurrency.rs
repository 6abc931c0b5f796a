//! Batches of one mutation call in flight together (`mutation_concurrency`), against a small
//! axum server that answers `updatePropertiesInAssets` and the asset actions itself and
//! records how many requests it held at once: the window is filled, answers keep the input
//! order, a call whose ids repeat runs one batch at a time, and an error that stops the call
//! leaves the batches not yet sent unsent and reported as not applied.
//!
//! Synchronisation: a request is held until `need` requests are in the server at once (or all
//! remaining batches have arrived); the timeout only bounds how long a broken build waits.

mod mock_support;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use kili::{AsyncClient, CallOptions, ClientOptions};
use serde_json::{json, Value};
use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::watch;

struct Server {
    /// (requests inside the handler now, arrivals released so far).
    state: watch::Sender<(usize, usize)>,
    peak: AtomicUsize,
    arrived: AtomicUsize,
    /// Release a request once this many are inside at once...
    need: usize,
    /// ... or once this many have arrived in all (the last window may be smaller).
    total: usize,
    hold: Duration,
    /// An HTTP 403 for the batch holding this id.
    forbid: Option<String>,
    /// The ids of each mutation request, in arrival order.
    seen: Mutex<Vec<Vec<String>>>,
}

fn body_json(headers: &HeaderMap, body: &[u8]) -> Value {
    let gz = headers
        .get("content-encoding")
        .is_some_and(|v| v.as_bytes() == b"gzip");
    let mut text = Vec::new();
    if gz {
        flate2::read::GzDecoder::new(body)
            .read_to_end(&mut text)
            .unwrap();
    } else {
        text = body.to_vec();
    }
    serde_json::from_slice(&text).unwrap()
}

async fn handle(
    s: axum::extract::State<Arc<Server>>,
    headers: HeaderMap,
    body: Bytes,
) -> axum::response::Response {
    let req = body_json(&headers, &body);
    let vars = &req["variables"];
    let ids: Vec<String> = match vars.get("whereArray") {
        Some(w) => w
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect(),
        None => vars["where"]["idIn"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect(),
    };
    if vars.get("first").is_some() {
        // A query (the actions read the project of the first asset): not a batch.
        return axum::Json(json!({"data": {"data": []}})).into_response();
    }
    s.seen.lock().unwrap().push(ids.clone());
    let me = s.arrived.fetch_add(1, Ordering::SeqCst) + 1;
    let (need, total) = (s.need, s.total);
    // (inside now, every arrival up to this index released): once `need` are inside, all of
    // them go on together, whatever order they wake up in.
    s.state.send_modify(|(live, released)| {
        *live += 1;
        s.peak.fetch_max(*live, Ordering::SeqCst);
        if *live >= need || me >= total {
            *released = me;
        }
    });
    let mut rx = s.state.subscribe();
    let _ = tokio::time::timeout(s.hold, rx.wait_for(|(_, released)| *released >= me)).await;
    s.state.send_modify(|(live, _)| *live -= 1);
    if s.forbid.as_ref().is_some_and(|f| ids.contains(f)) {
        return (StatusCode::FORBIDDEN, "forbidden").into_response();
    }
    let data = if vars.get("whereArray").is_some() {
        json!(ids.iter().map(|i| json!({"id": i})).collect::<Vec<_>>())
    } else {
        json!({
            "succeeded": ids.iter().map(|i| json!({"assetId": i, "externalId": null})).collect::<Vec<_>>(),
            "declined": [], "failed": []
        })
    };
    axum::Json(json!({"data": {"data": data}})).into_response()
}

struct Mock {
    server: Arc<Server>,
    client: AsyncClient,
    rt: tokio::runtime::Runtime,
}

fn mock(width: u32, need: usize, total: usize, hold_ms: u64, forbid: Option<&str>) -> Mock {
    let server = Arc::new(Server {
        state: watch::channel((0, 0)).0,
        peak: AtomicUsize::new(0),
        arrived: AtomicUsize::new(0),
        need,
        total,
        hold: Duration::from_millis(hold_ms),
        forbid: forbid.map(str::to_string),
        seen: Mutex::new(Vec::new()),
    });
    let app = Router::new()
        .route("/api/label/v2/graphql", post(handle))
        .with_state(server.clone());
    let (rt, endpoint) = mock_support::serve(app);
    let client = AsyncClient::new(ClientOptions {
        api_key: Some("concurrency-test-key-0123".into()),
        api_endpoint: Some(endpoint),
        rate_limit_per_minute: 0,
        mutation_concurrency: width,
        retry_deadline_ms: 2_000,
        backoff_base_ms: 5,
        max_backoff_ms: 20,
        ..Default::default()
    })
    .unwrap();
    Mock { server, client, rt }
}

impl Mock {
    fn run(&self, action: &str, args: Value) -> kili::Result<Value> {
        let c = self.client.clone();
        let action = action.to_string();
        // Spawned: also checks that the mutation future is `Send`.
        self.rt
            .block_on(self.rt.spawn(async move {
                c.mutate_json(&action, &args.to_string(), CallOptions::default())
                    .await
            }))
            .unwrap()
    }
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("a-{i:04}")).collect()
}

fn listed(v: &Value, key: &str) -> Vec<String> {
    v["outcomes"][key]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["asset_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn updates_fill_the_window_and_keep_the_input_order() {
    let n = 700; // 7 batches of 100
    let m = mock(3, 3, 7, 20_000, None);
    let all = ids(n);
    let metas: Vec<Value> = (0..n).map(|i| json!({"i": i})).collect();
    let r = m
        .run(
            "update_properties_in_assets",
            json!({"asset_ids": all, "json_metadatas": metas}),
        )
        .unwrap();
    assert_eq!(
        m.server.peak.load(Ordering::SeqCst),
        3,
        "3 batches in flight"
    );
    let result: Vec<&str> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(result, all, "the result keeps the input order");
    assert_eq!(listed(&r, "succeeded"), all);
    // Each asset sent exactly once.
    let mut sent: Vec<String> = m.server.seen.lock().unwrap().concat();
    sent.sort();
    assert_eq!(sent, all);
}

#[test]
fn actions_fill_the_window() {
    let n = 500;
    let m = mock(4, 4, 5, 20_000, None);
    let all = ids(n);
    let r = m.run("add_to_review", json!({"asset_ids": all})).unwrap();
    assert_eq!(m.server.peak.load(Ordering::SeqCst), 4);
    assert_eq!(listed(&r, "succeeded"), all);
    // The mock answers no asset to the project lookup: the project is unknown, and the
    // reference's result is then `None`.
    assert_eq!(r["result"], Value::Null);
}

#[test]
fn repeated_ids_run_one_batch_at_a_time() {
    // A request waits up to 300 ms for a second one: a concurrent build would be seen.
    let m = mock(4, 2, usize::MAX, 300, None);
    let mut all = ids(300);
    all.push("a-0000".into()); // updated twice: the later value must be applied last
    let metas: Vec<Value> = (0..all.len()).map(|i| json!({"i": i})).collect();
    let r = m
        .run(
            "update_properties_in_assets",
            json!({"asset_ids": all, "json_metadatas": metas}),
        )
        .unwrap();
    assert_eq!(m.server.peak.load(Ordering::SeqCst), 1);
    assert_eq!(m.server.seen.lock().unwrap().len(), 4);
    assert_eq!(listed(&r, "succeeded").len(), 301);
}

#[test]
fn a_stopping_error_leaves_later_batches_unsent() {
    let n = 1000; // 10 batches; batch 4 is refused with HTTP 403
    let m = mock(3, 1, 0, 0, Some("a-0450"));
    let all = ids(n);
    let r = m.run("delete_many_from_dataset", json!({"asset_ids": all}));
    let e = r.expect_err("some items failed");
    let details = e.details();
    let sent = m.server.seen.lock().unwrap().len();
    assert!(
        (5..=7).contains(&sent),
        "batches 0-4 sent, at most the 2 in flight beside batch 4, none later: {sent}"
    );
    let ok = listed(&details, "succeeded");
    let failed = &details["outcomes"]["failed"];
    assert_eq!(ok.len(), (sent - 1) * 100, "every answered batch counts");
    assert_eq!(
        ok.len() + failed.as_array().unwrap().len(),
        n,
        "each item once"
    );
    for f in failed.as_array().unwrap() {
        let why = f["reason"].as_str().unwrap();
        assert!(why.contains("not applied"), "{f}");
    }
    assert!(failed
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["asset_id"] == "a-0450"));
}

#[test]
fn width_one_is_sequential() {
    let m = mock(1, 2, usize::MAX, 200, None);
    let r = m
        .run("send_back_to_queue", json!({"asset_ids": ids(300)}))
        .unwrap();
    assert_eq!(m.server.peak.load(Ordering::SeqCst), 1);
    assert_eq!(listed(&r, "succeeded").len(), 300);
}
