//! Page requests of a listing in flight (`prefetch_pages`), against a small axum server that
//! answers `countAssets` and `assets` pages itself and records how many page requests it
//! held at once and how many arrived: one request at a time for prefetch 0 and 1, every asset
//! once and in order, no page request beyond the count (and the confirmation page); with
//! prefetch 0 the listing runs on the thread that calls the cursor.

mod mock_support;

use axum::body::Bytes;
use axum::routing::post;
use axum::Router;
use kili::{CallOptions, Client, ClientOptions};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::watch;

const TOTAL: usize = 200;
const PAGE: usize = 20;

struct Server {
    inside: AtomicUsize,
    peak: AtomicUsize,
    /// Page requests arrived so far (`first` > 1).
    arrived: watch::Sender<usize>,
}

async fn handle(s: axum::extract::State<Arc<Server>>, body: Bytes) -> axum::Json<Value> {
    let req: Value = serde_json::from_slice(&body).unwrap();
    let vars = &req["variables"];
    if req["query"].as_str().unwrap().contains("countAssets") {
        return axum::Json(json!({"data": {"data": TOTAL}}));
    }
    let skip = vars["skip"].as_u64().unwrap() as usize;
    let first = vars["first"].as_u64().unwrap() as usize;
    let now = s.inside.fetch_add(1, Ordering::SeqCst) + 1;
    s.peak.fetch_max(now, Ordering::SeqCst);
    // The one-asset request the client sends before the pages is not a page.
    if first > 1 {
        s.arrived.send_modify(|n| *n += 1);
    }
    // Yield once so that a second request, if the client sent one, is inside at the same time.
    tokio::task::yield_now().await;
    let items: Vec<Value> = (skip..(skip + first).min(TOTAL))
        .map(|i| json!({"id": format!("a-{i:04}"), "jsonMetadata": format!("{{\"i\": {i}}}")}))
        .collect();
    s.inside.fetch_sub(1, Ordering::SeqCst);
    axum::Json(json!({"data": {"data": items}}))
}

struct Mock {
    server: Arc<Server>,
    client: Client,
    _rt: tokio::runtime::Runtime,
}

fn mock(prefetch: u32) -> Mock {
    mock_with_events(prefetch, kili::EventSink::none())
}

fn mock_with_events(prefetch: u32, events: kili::EventSink) -> Mock {
    let server = Arc::new(Server {
        inside: AtomicUsize::new(0),
        peak: AtomicUsize::new(0),
        arrived: watch::channel(0).0,
    });
    let app = Router::new()
        .route("/api/label/v2/graphql", post(handle))
        .with_state(server.clone());
    let (rt, endpoint) = mock_support::serve(app);
    let client = Client::new(ClientOptions {
        api_key: Some("prefetch-test-key-0123".into()),
        api_endpoint: Some(endpoint),
        rate_limit_per_minute: 0,
        prefetch_pages: prefetch,
        page_size: PAGE as u32,
        ..Default::default()
    })
    .unwrap()
    .with_events(events);
    Mock {
        server,
        client,
        _rt: rt,
    }
}

impl Mock {
    fn cursor(&self) -> kili::AssetCursor {
        self.client
            .assets_json(
                r#"{"project_id": "p", "fields": ["id", "jsonMetadata"]}"#,
                CallOptions::default(),
            )
            .unwrap()
    }

    fn arrivals(&self) -> usize {
        *self.server.arrived.borrow()
    }
}

fn expected_ids() -> Vec<String> {
    (0..TOTAL).map(|i| format!("a-{i:04}")).collect()
}

#[test]
fn prefetch_0_and_1_keep_one_request_in_flight_and_the_order() {
    for prefetch in [0, 1] {
        let m = mock(prefetch);
        let got: Vec<Value> = m.cursor().collect::<kili::Result<_>>().unwrap();
        let ids: Vec<String> = got
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            ids,
            expected_ids(),
            "prefetch {prefetch}: every asset once, in order"
        );
        assert_eq!(got[7]["jsonMetadata"], json!({"i": 7}), "metadata decoded");
        assert_eq!(
            m.server.peak.load(Ordering::SeqCst),
            1,
            "prefetch {prefetch}: one page request at a time"
        );
        // The pages, then one confirmation page after the full last one (as the SDK does).
        assert_eq!(m.arrivals(), TOTAL / PAGE + 1, "no other page request");
    }
}

/// The threads on which the listing's progress events were emitted (the page loop emits one
/// per page, where it runs).
fn progress_threads(prefetch: u32) -> (Vec<Value>, Vec<std::thread::ThreadId>) {
    let threads = Arc::new(std::sync::Mutex::new(Vec::new()));
    let t = threads.clone();
    let m = mock_with_events(
        prefetch,
        kili::EventSink::new(move |e| {
            if matches!(e, kili::Event::Progress { .. }) {
                t.lock().unwrap().push(std::thread::current().id());
            }
        }),
    );
    let mut cur = m.cursor();
    let mut got = Vec::new();
    loop {
        let page = cur.next_page(PAGE).unwrap();
        if page.is_empty() {
            break;
        }
        got.extend(page);
    }
    drop(cur);
    let threads = threads.lock().unwrap().clone();
    (got, threads)
}

#[test]
fn prefetch_0_runs_the_listing_on_the_calling_thread() {
    let me = std::thread::current().id();
    let (got, threads) = progress_threads(0);
    assert_eq!(got.len(), TOTAL);
    assert_eq!(
        threads.len(),
        TOTAL / PAGE + 1,
        "one progress event per page"
    );
    assert!(
        threads.iter().all(|t| *t == me),
        "prefetch 0: every page is fetched and decoded on the caller's thread"
    );
    // The background mode, for contrast: the page loop runs on the runtime's workers.
    let (got, threads) = progress_threads(1);
    assert_eq!(got.len(), TOTAL);
    assert!(
        threads.iter().all(|t| *t != me),
        "prefetch 1: in the background"
    );
}

#[test]
fn a_prefetch_0_cursor_moves_between_threads() {
    let m = mock(0);
    let mut cur = m.cursor();
    let mut got = cur.next_page(PAGE).unwrap();
    assert_eq!(got.len(), PAGE);
    // Like a goroutine resumed on another OS thread between two cgo calls.
    let (cur, rest) = std::thread::spawn(move || {
        let rest: Vec<Value> = cur
            .by_ref()
            .take(TOTAL / 2)
            .collect::<kili::Result<_>>()
            .unwrap();
        (cur, rest)
    })
    .join()
    .unwrap();
    got.extend(rest);
    got.extend(cur.collect::<kili::Result<Vec<Value>>>().unwrap());
    let ids: Vec<String> = got
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, expected_ids());
    assert_eq!(m.server.peak.load(Ordering::SeqCst), 1);
}

#[test]
fn a_prefetch_0_cursor_dropped_mid_listing_stops_its_requests() {
    let m = mock(0);
    let mut cur = m.cursor();
    assert_eq!(cur.next_page(PAGE).unwrap().len(), PAGE);
    let before = m.arrivals();
    drop(cur);
    // Nothing drives the listing any more: at most the request already sent is answered.
    // A fresh listing on the same client then runs to its end (the client is unaffected).
    let all: Vec<Value> = m.cursor().collect::<kili::Result<_>>().unwrap();
    assert_eq!(all.len(), TOTAL);
    assert!(before <= 2, "{before} page requests after one page");
    assert!(
        m.arrivals() <= before + 1 + TOTAL / PAGE + 1,
        "the dropped cursor sent nothing after its drop: {} requests",
        m.arrivals()
    );
}
