//! Transport behaviours the emulator does not produce, against a tiny hand-written HTTP/1.1
//! server with scripted answers: gzip refusal (415) fallback, non-GraphQL 401 retried until
//! the deadline, protocol errors, `data: null`, transient GraphQL errors, server deprecations;
//! plus the resolution of the key and endpoint from the environment.

use kili::transport::{OpKind, Operation};
use kili::{AsyncClient, CallOptions, ClientOptions, Event, EventSink, Status};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// One scripted answer: status, extra header lines, body.
type Answer = (u16, &'static str, String);

#[derive(Default)]
struct Mock {
    script: Mutex<VecDeque<Answer>>,
    /// (headers lower-cased, body bytes) of each request.
    seen: Mutex<Vec<(String, Vec<u8>)>>,
}

fn start(script: Vec<Answer>) -> (Arc<Mock>, String) {
    let mock = Arc::new(Mock {
        script: Mutex::new(script.into()),
        ..Default::default()
    });
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/api/label/v2/graphql",
        listener.local_addr().unwrap()
    );
    let m = mock.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            let m = m.clone();
            std::thread::spawn(move || serve(conn, &m));
        }
    });
    (mock, url)
}

fn serve(mut conn: TcpStream, mock: &Mock) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    loop {
        // Read one request: headers, then Content-Length bytes.
        let head_end = loop {
            if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break p + 4;
            }
            match conn.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
        let len: usize = head
            .lines()
            .find_map(|l| {
                l.strip_prefix("content-length:")
                    .map(|v| v.trim().parse().unwrap_or(0))
            })
            .unwrap_or(0);
        while buf.len() < head_end + len {
            match conn.read(&mut chunk) {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
        let body = buf[head_end..head_end + len].to_vec();
        buf.drain(..head_end + len);
        mock.seen.lock().unwrap().push((head, body));
        let (status, extra, text) = mock.script.lock().unwrap().pop_front().unwrap_or((
            200,
            "",
            json!({"data": {"data": 42}}).to_string(),
        ));
        let resp = format!(
            "HTTP/1.1 {status} S\r\nContent-Length: {}\r\nContent-Type: application/json\r\n{extra}\r\n{text}",
            text.len()
        );
        if conn.write_all(resp.as_bytes()).is_err() {
            return;
        }
    }
}

fn client(url: &str) -> (AsyncClient, Arc<Mutex<Vec<Event>>>) {
    let events = Arc::new(Mutex::new(Vec::new()));
    let e2 = events.clone();
    let opts = ClientOptions {
        api_key: Some("mock-key-123456789".into()),
        api_endpoint: Some(url.to_string()),
        rate_limit_per_minute: 0,
        backoff_base_ms: 2,
        max_backoff_ms: 10,
        retry_deadline_ms: 400,
        ..Default::default()
    };
    let c = AsyncClient::new(opts)
        .unwrap()
        .with_events(EventSink::new(move |e| e2.lock().unwrap().push(e.clone())));
    (c, events)
}

fn query(c: &AsyncClient, variables: Value) -> kili::Result<Value> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let ctx = c.ctx("mock", &CallOptions::default());
    rt.block_on(c.transport().graphql(
        Operation {
            document: "query countAssets($where: AssetWhere!) { data: countAssets(where: $where) }",
            variables,
            kind: OpKind::Query,
            root_field: "countAssets",
        },
        &ctx,
    ))
}

#[test]
fn gzip_refused_with_415_is_resent_plain_and_compression_stops() {
    let (mock, url) = start(vec![(415, "", "unsupported".into())]);
    let (c, events) = client(&url);
    let big = json!({"where": {"project": {"id": "p"}, "externalIdIn": ["x".repeat(1_200_000)]}});
    assert_eq!(query(&c, big.clone()).unwrap()["data"], 42);
    assert_eq!(query(&c, big).unwrap()["data"], 42);
    let seen = mock.seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert!(seen[0].0.contains("content-encoding: gzip"));
    assert!(
        !seen[1].0.contains("content-encoding: gzip"),
        "resent uncompressed"
    );
    assert!(
        !seen[2].0.contains("content-encoding: gzip"),
        "compression switched off"
    );
    let plain: Value = serde_json::from_slice(&seen[1].1).unwrap();
    assert!(plain["query"].is_string());
    assert!(events
        .lock()
        .unwrap()
        .iter()
        .any(|e| matches!(e, Event::Log { message, .. } if message.contains("compression"))));
}

#[test]
fn bare_401_is_retried_until_the_deadline_then_auth() {
    let (mock, url) = start(vec![(401, "", "nope".into()); 10_000]);
    let (c, _) = client(&url);
    let e = query(&c, json!({"where": {}})).unwrap_err();
    assert_eq!(e.status(), Status::Auth, "{e}");
    assert!(mock.seen.lock().unwrap().len() > 2);
    assert!(!e.to_string().contains("mock-key-123456789"));
    // ... and two 401s then success: attempt 3 succeeds.
    let (mock, url) = start(vec![(401, "", "nope".into()), (401, "", "nope".into())]);
    let (c, _) = client(&url);
    assert_eq!(query(&c, json!({})).unwrap()["data"], 42);
    assert_eq!(mock.seen.lock().unwrap().len(), 3);
}

#[test]
fn protocol_errors_nulls_and_transient_graphql_errors() {
    // A non-JSON 200 is an uncertain outcome: retried.
    let (mock, url) = start(vec![(200, "", "<html>oops</html>".into())]);
    let (c, _) = client(&url);
    assert_eq!(query(&c, json!({})).unwrap()["data"], 42);
    assert_eq!(mock.seen.lock().unwrap().len(), 2);
    // data: null without errors: a server error, not retried.
    let (mock, url) = start(vec![(200, "", r#"{"data": null}"#.into())]);
    let (c, _) = client(&url);
    assert_eq!(query(&c, json!({})).unwrap_err().status(), Status::Server);
    assert_eq!(mock.seen.lock().unwrap().len(), 1);
    // A transient GraphQL error is retried; another one is not.
    let transient =
        json!({"errors": [{"message": "Failed to fetch data connection", "extensions": {}}]})
            .to_string();
    let (mock, url) = start(vec![(200, "", transient.clone()), (200, "", transient)]);
    let (c, _) = client(&url);
    assert_eq!(query(&c, json!({})).unwrap()["data"], 42);
    assert_eq!(mock.seen.lock().unwrap().len(), 3);
    let other = json!({"errors": [{"message": "boom", "path": ["data"], "extensions": {"code": "X", "context": {"a": 1}}}], "data": null}).to_string();
    let (mock, url) = start(vec![(500, "", other)]);
    let (c, _) = client(&url);
    let e = query(&c, json!({})).unwrap_err();
    assert_eq!(e.status(), Status::Graphql);
    assert_eq!(
        e.details()["http_status"],
        500,
        "a GraphQL body wins over the status"
    );
    assert_eq!(
        e.details()["errors"][0]["extensions"]["context"],
        json!({"a": 1})
    );
    assert_eq!(mock.seen.lock().unwrap().len(), 1);
    // A 400 non-GraphQL answer is a definitive failure.
    let (mock, url) = start(vec![(400, "", "bad".into())]);
    let (c, _) = client(&url);
    assert_eq!(
        query(&c, json!({})).unwrap_err().details()["http_status"],
        400
    );
    assert_eq!(mock.seen.lock().unwrap().len(), 1);
}

#[test]
fn server_deprecations_become_warnings_and_nulls_are_stripped() {
    let answer = json!({"data": {"data": 1}, "extensions": {"deprecations": [{"path": "assets.status", "reason": "use currentStep"}]}}).to_string();
    let (mock, url) = start(vec![(200, "", answer)]);
    let (c, events) = client(&url);
    query(
        &c,
        json!({"where": {"id": null, "label": {"search": null}}, "first": null}),
    )
    .unwrap();
    assert!(events
        .lock()
        .unwrap()
        .iter()
        .any(|e| matches!(e, Event::Warning { message, .. } if message.contains("assets.status") && message.contains("use currentStep"))));
    let seen = mock.seen.lock().unwrap();
    let body: Value = serde_json::from_slice(&seen[0].1).unwrap();
    assert_eq!(body["variables"], json!({"where": {"label": {}}}));
    assert!(seen[0]
        .0
        .contains("authorization: x-api-key: mock-key-123456789"));
    assert!(seen[0].0.contains("kili-client-method-name: mock"));
}

#[test]
fn key_and_endpoint_from_the_environment() {
    // The only test of this binary that touches these variables.
    let (mock, url) = start(vec![]);
    std::env::set_var("KILI_API_KEY", "env-key-abcdef123");
    std::env::set_var("KILI_API_ENDPOINT", &url);
    let c = AsyncClient::new(ClientOptions {
        rate_limit_per_minute: 0,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(c.transport().endpoint(), url);
    assert_eq!(query(&c, json!({})).unwrap()["data"], 42);
    assert!(mock.seen.lock().unwrap()[0]
        .0
        .contains("x-api-key: env-key-abcdef123"));
    // Explicit options win over the environment.
    let c = AsyncClient::new(ClientOptions {
        api_key: Some("explicit-key-0000".into()),
        api_endpoint: Some("https://example.com/api/label/v2/graphql".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(
        c.transport().endpoint(),
        "https://example.com/api/label/v2/graphql"
    );
    assert_eq!(c.transport().redacted_key(), "****0000");
    std::env::remove_var("KILI_API_KEY");
    std::env::remove_var("KILI_API_ENDPOINT");
    let e = AsyncClient::new(ClientOptions::default()).unwrap_err();
    assert_eq!(e.status(), Status::Auth);
    assert!(e.to_string().contains("KILI_API_KEY"));
    assert_eq!(
        ClientOptions::default().resolved_endpoint(),
        kili::config::DEFAULT_ENDPOINT
    );
}
