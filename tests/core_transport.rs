//! The transport against the emulator: retries under injected faults (no asset lost or
//! duplicated), give-up rules, mutations never resent on an uncertain outcome, rate limiter,
//! headers, gzip, auth prefix, timeouts/cancellation, and the API key never leaking.

mod core_support;

use core_support::*;
use kili::transport::{OpKind, Operation};
use kili::{CallOptions, CancelToken, Client, ClientOptions, Status};
use kili_emulator::{FaultConfig, FaultKind};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::time::{Duration, Instant};

fn script(ops: &[&str], kinds: Vec<FaultKind>) -> FaultConfig {
    FaultConfig {
        script: kinds,
        only_operations: ops.iter().map(|s| s.to_string()).collect(),
        seed: Some(7),
        ..Default::default()
    }
}

fn count_p1(c: &Client) -> kili::Result<u64> {
    c.count_assets_json(r#"{"project_id": "p1"}"#, CallOptions::default())
}

#[test]
fn retried_pages_lose_and_duplicate_nothing() {
    // Background pages (3 in flight) and pages fetched on the caller's thread (0).
    for prefetch in [3, 0] {
        retried_pages_with(prefetch);
    }
}

fn retried_pages_with(prefetch: u32) {
    let emu = emulator();
    let (c, rec) = client_with(ClientOptions {
        page_size: 20,
        prefetch_pages: prefetch,
        ..options(&emu)
    });
    for fields in [
        json!(["id"]),
        json!(["externalId", "id", "labels.jsonResponse"]),
    ] {
        // At most 4 uncertain outcomes (under the 5 attempts a page may take), however the
        // faults fall on the concurrent page requests; "not processed" ones are unlimited.
        // One request at a time takes the script in order: a pass (`Latency 0`) ends each
        // page's run of faults before it reaches 5 attempts.
        let pass = FaultKind::Latency { ms: 0 };
        let mut faults = vec![
            FaultKind::Http502,
            FaultKind::EnvoyNotForwarded,
            FaultKind::Reset,
            FaultKind::Http429 {
                retry_after_secs: 0,
            },
            FaultKind::Http503,
            FaultKind::EnvoyNotForwarded,
            FaultKind::Truncated,
        ];
        if prefetch == 0 {
            faults.insert(3, pass.clone());
            faults.insert(6, pass);
        }
        emu.set_faults(script(&["assets"], faults));
        emu.clear_request_log();
        let got: Vec<Value> = c
            .assets_json(
                &json!({"project_id": "pbig", "fields": fields}).to_string(),
                CallOptions::default(),
            )
            .unwrap()
            .collect::<kili::Result<_>>()
            .unwrap();
        assert_eq!(got.len(), 250, "prefetch {prefetch}: {fields}");
        let unique: HashSet<String> = ids(&got).into_iter().collect();
        assert_eq!(unique.len(), 250);
        // More requests than the fault-free run: the faults were hit and retried.
        let n = emu.request_log().len();
        let pages = 13; // 250 assets in pages of 20
        assert!(n >= pages + 2 + 7, "{n} requests");
    }
    assert!(rec
        .events()
        .iter()
        .any(|e| matches!(e, kili::Event::Log { message, .. } if message.contains("Retrying"))));
}

#[test]
fn give_up_rules_per_class() {
    let emu = emulator();
    let (c, _) = client(&emu);
    let attempts = |emu: &kili_emulator::EmulatorHandle| bodies(emu, "countAssets").len();
    // 500 and 504 on a (read-only) query: uncertain like the other 5xx, so up to
    // max_attempts_uncertain (5) attempts (the official SDK gives up at once / after 2).
    emu.set_faults(script(&["countAssets"], vec![FaultKind::Http500; 5]));
    emu.clear_request_log();
    let e = count_p1(&c).unwrap_err();
    assert_eq!(e.status(), Status::Server, "{e}");
    assert_eq!(e.details()["http_status"], 500);
    assert_eq!(attempts(&emu), 5);
    emu.set_faults(script(
        &["countAssets"],
        vec![FaultKind::Http500, FaultKind::Http504, FaultKind::Http500],
    ));
    emu.clear_request_log();
    assert_eq!(count_p1(&c).unwrap(), 4, "the 4th attempt succeeds");
    assert_eq!(attempts(&emu), 4);
    emu.set_faults(script(&["countAssets"], vec![FaultKind::Http504; 5]));
    emu.clear_request_log();
    assert_eq!(count_p1(&c).unwrap_err().status(), Status::Server);
    assert_eq!(attempts(&emu), 5);
    // 502: max_attempts_uncertain (5) attempts.
    emu.set_faults(script(&["countAssets"], vec![FaultKind::Http502; 6]));
    emu.clear_request_log();
    let e = count_p1(&c).unwrap_err();
    assert_eq!(e.details()["attempts"], 5, "{}", e.details());
    assert_eq!(attempts(&emu), 5);
    // ... and one less fault succeeds.
    emu.set_faults(script(&["countAssets"], vec![FaultKind::Http502; 4]));
    assert_eq!(count_p1(&c).unwrap(), 4);
    // Not processed (429, Envoy 503) is retried past the uncertain limit.
    emu.set_faults(script(
        &["countAssets"],
        vec![FaultKind::EnvoyNotForwarded; 7],
    ));
    emu.clear_request_log();
    assert_eq!(count_p1(&c).unwrap(), 4);
    assert_eq!(attempts(&emu), 8);
    // Retry-After is honoured.
    emu.set_faults(script(
        &["countAssets"],
        vec![FaultKind::Http429 {
            retry_after_secs: 1,
        }],
    ));
    let t = Instant::now();
    assert_eq!(count_p1(&c).unwrap(), 4);
    assert!(
        t.elapsed() >= Duration::from_millis(950),
        "{:?}",
        t.elapsed()
    );
    // 429 until the deadline: rate limited.
    let (short, _) = client_with(ClientOptions {
        retry_deadline_ms: 300,
        ..options(&emu)
    });
    emu.set_faults(script(
        &["countAssets"],
        vec![
            FaultKind::Http429 {
                retry_after_secs: 0
            };
            10_000
        ],
    ));
    let e = count_p1(&short).unwrap_err();
    assert_eq!(e.status(), Status::RateLimited, "{e}");
    assert_eq!(e.details()["outcome"], "not_processed");
    emu.set_faults(FaultConfig::default());
}

#[test]
fn connection_refused_is_retried_until_the_deadline() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let opts = ClientOptions {
        api_key: Some(KEY.into()),
        api_endpoint: Some(format!("http://127.0.0.1:{port}/api/label/v2/graphql")),
        retry_deadline_ms: 300,
        backoff_base_ms: 5,
        max_backoff_ms: 20,
        ..Default::default()
    };
    let (c, _) = client_with(opts);
    let t = Instant::now();
    let e = count_p1(&c).unwrap_err();
    assert_eq!(e.status(), Status::Network, "{e}");
    assert_eq!(e.details()["outcome"], "not_processed");
    assert!(
        e.details()["attempts"].as_u64().unwrap() > 2,
        "{}",
        e.details()
    );
    assert!(t.elapsed() >= Duration::from_millis(250));
}

#[test]
fn mutations_are_resent_only_when_not_processed() {
    let emu = emulator();
    let c = async_client(&emu);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let doc = "query countAssets($where: AssetWhere!) {\n  data: countAssets(where: $where)\n}";
    let op = || Operation {
        document: doc,
        variables: json!({"where": {"project": {"id": "p1"}}}),
        kind: OpKind::Mutation,
        root_field: "countAssets",
    };
    let ctx = c.ctx("test_mutation", &CallOptions::default());
    for kind in [FaultKind::Http502, FaultKind::Reset, FaultKind::Http503] {
        emu.set_faults(script(&["countAssets"], vec![kind.clone()]));
        emu.clear_request_log();
        let e = rt.block_on(c.transport().graphql(op(), &ctx)).unwrap_err();
        assert_eq!(
            e.details()["outcome"],
            "unknown",
            "{kind:?}: {}",
            e.details()
        );
        assert_eq!(
            bodies(&emu, "countAssets").len(),
            1,
            "{kind:?} must not be resent"
        );
    }
    for kind in [
        FaultKind::Http429 {
            retry_after_secs: 0,
        },
        FaultKind::EnvoyNotForwarded,
    ] {
        emu.set_faults(script(&["countAssets"], vec![kind.clone()]));
        emu.clear_request_log();
        let data = rt.block_on(c.transport().graphql(op(), &ctx)).unwrap();
        assert_eq!(data["data"], 4);
        assert_eq!(bodies(&emu, "countAssets").len(), 2, "{kind:?} is resent");
    }
    // The same 502 on a query is retried.
    emu.set_faults(script(&["countAssets"], vec![FaultKind::Http502]));
    let q = Operation {
        kind: OpKind::Query,
        ..op()
    };
    assert_eq!(
        rt.block_on(c.transport().graphql(q, &ctx)).unwrap()["data"],
        4
    );
}

#[test]
fn graphql_errors_keep_message_extensions_and_status() {
    let emu = emulator();
    let c = async_client(&emu);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ctx = c.ctx("test", &CallOptions::default());
    let op = Operation {
        document: "query { data: nonexistentField }",
        variables: json!({}),
        kind: OpKind::Query,
        root_field: "nonexistentField",
    };
    emu.clear_request_log();
    let e = rt.block_on(c.transport().graphql(op, &ctx)).unwrap_err();
    assert_eq!(e.status(), Status::Graphql);
    assert!(e.to_string().contains("nonexistentField"), "{e}");
    let d = e.details();
    assert!(d["errors"].as_array().is_some_and(|a| !a.is_empty()), "{d}");
    assert!(d["errors"][0].get("extensions").is_some(), "{d}");
    assert!(d["http_status"].is_u64());
    assert_eq!(emu.request_log().len(), 1, "a GraphQL error is not retried");
}

#[test]
fn rate_limiter_spaces_calls() {
    let emu = emulator();
    let (limited, _) = client_with(ClientOptions {
        rate_limit_per_minute: 4,
        rate_limit_window_ms: 400,
        ..options(&emu)
    });
    let t = Instant::now();
    for _ in 0..12 {
        count_p1(&limited).unwrap();
    }
    // A burst of 4, then one call every 100 ms.
    assert!(
        t.elapsed() >= Duration::from_millis(700),
        "{:?}",
        t.elapsed()
    );
    let (free, _) = client(&emu);
    let t = Instant::now();
    for _ in 0..12 {
        count_p1(&free).unwrap();
    }
    assert!(
        t.elapsed() < Duration::from_millis(700),
        "unlimited: {:?}",
        t.elapsed()
    );
}

#[test]
fn headers_gzip_and_auth_prefix() {
    let emu = emulator();
    let (c, _) = client(&emu);
    emu.clear_request_log();
    let _ = c
        .assets_json(
            r#"{"project_id": "p1", "fields": ["id"]}"#,
            CallOptions::default(),
        )
        .unwrap()
        .count();
    count_p1(&c).unwrap();
    let log = emu.request_log();
    let page = log
        .iter()
        .find(|r| r.operation.as_deref() == Some("assets"))
        .unwrap();
    assert_eq!(
        page.header("authorization"),
        Some(format!("X-API-Key: {KEY}").as_str())
    );
    assert_eq!(page.header("kili-client-method-name"), Some("assets"));
    assert_eq!(page.header("content-type"), Some("application/json"));
    assert!(
        page.header("apollographql-client-name").is_some()
            && page.header("kili-client-call-uuid").is_some()
    );
    assert!(page.body.as_ref().unwrap().get("operationName").is_none());
    let count = log
        .iter()
        .rev()
        .find(|r| r.operation.as_deref() == Some("countAssets"))
        .unwrap();
    assert_eq!(
        count.header("kili-client-method-name"),
        Some("count_assets")
    );
    assert!(!count.gzip);

    // A body over 1 MB is gzipped, and answered correctly.
    let big = "x".repeat(1_100_000);
    emu.clear_request_log();
    let n = c
        .count_assets_json(
            &json!({"project_id": "p1", "metadata_where": {"color": big}}).to_string(),
            CallOptions::default(),
        )
        .unwrap();
    assert_eq!(n, 0);
    let n = c.count_assets_json(&json!({"project_id": "p1", "metadata_where": {"color": "red", "pad": null}, "asset_id_in": ["a1", "a2", "a3"],
        "label_author_in": [big]}).to_string(), CallOptions::default());
    assert_eq!(n.unwrap(), 0);
    assert!(emu.request_log().iter().any(|r| r.gzip), "gzip body");

    // Plain GETs carry the key only under the endpoint's /api/label/v2 prefix.
    let ac = c.asyncc().clone();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let ctx = ac.ctx("test", &CallOptions::default());
    emu.clear_request_log();
    let under = format!("{}/api/label/v2/version", emu.base_url());
    let other = under.replace("127.0.0.1", "localhost");
    rt.block_on(async {
        ac.transport().get(&under, &ctx).await.unwrap();
        ac.transport().get(&other, &ctx).await.unwrap();
    });
    let log = emu.request_log();
    assert_eq!(log.len(), 2);
    assert!(log[0].header("authorization").is_some());
    assert!(log[1].header("authorization").is_none());
}

#[test]
fn timeouts_and_cancellation() {
    let emu = emulator();
    let (c, _) = client(&emu);
    emu.set_faults(script(
        &["countAssets"],
        vec![FaultKind::Latency { ms: 3000 }],
    ));
    let t = Instant::now();
    let e = c
        .count_assets_json(
            r#"{"project_id": "p1"}"#,
            CallOptions::with_timeout(Duration::from_millis(200)),
        )
        .unwrap_err();
    assert_eq!(e.status(), Status::Timeout);
    assert!(t.elapsed() < Duration::from_millis(2000));
    emu.set_faults(FaultConfig::default());
    let token = CancelToken::new();
    token.cancel();
    let e = c
        .count_assets_json(
            r#"{"project_id": "p1"}"#,
            CallOptions {
                timeout: None,
                cancel: Some(token.clone()),
            },
        )
        .unwrap_err();
    assert_eq!(e.status(), Status::Cancelled);
    let e = c
        .assets_json(
            r#"{"project_id": "p1"}"#,
            CallOptions {
                timeout: None,
                cancel: Some(token),
            },
        )
        .unwrap_err();
    assert_eq!(e.status(), Status::Cancelled);
}

#[test]
fn a_listing_on_the_callers_thread_times_out_and_cancels() {
    let emu = emulator();
    let (c, _) = client_with(ClientOptions {
        page_size: 20,
        prefetch_pages: 0,
        ..options(&emu)
    });
    // The timer runs on the cursor's private runtime: a slow page ends in Timeout, early.
    emu.set_faults(script(
        &["assets"],
        vec![FaultKind::Latency { ms: 3000 }; 50],
    ));
    let t = Instant::now();
    let opts = CallOptions::with_timeout(Duration::from_millis(300));
    let e = match c.assets_json(r#"{"project_id": "pbig", "fields": ["id"]}"#, opts) {
        Err(e) => e,
        Ok(mut cur) => cur.next().expect("an outcome").unwrap_err(),
    };
    assert_eq!(e.status(), Status::Timeout, "{e}");
    assert!(
        t.elapsed() < Duration::from_millis(2500),
        "{:?}",
        t.elapsed()
    );
    emu.set_faults(FaultConfig::default());
    // A token cancelled between two pages stops the listing at the next page.
    let token = CancelToken::new();
    let mut cur = c
        .assets_json(
            r#"{"project_id": "pbig", "fields": ["id"]}"#,
            CallOptions {
                timeout: None,
                cancel: Some(token.clone()),
            },
        )
        .unwrap();
    assert_eq!(cur.next_page(20).unwrap().len(), 20);
    token.cancel();
    let e = loop {
        match cur.next_page(20) {
            Ok(p) if !p.is_empty() => continue, // at most the page already received
            Ok(_) => panic!("the listing ended despite the cancellation"),
            Err(e) => break e,
        }
    };
    assert_eq!(e.status(), Status::Cancelled, "{e}");
}

#[test]
fn endpoint_and_key_checks() {
    let bad = ClientOptions {
        api_key: Some(KEY.into()),
        api_endpoint: Some("http://example.com/api/label/v2/graphql".into()),
        ..Default::default()
    };
    let e = Client::new(bad.clone()).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument);
    assert!(e.to_string().contains("allow_insecure_http"), "{e}");
    Client::new(ClientOptions {
        allow_insecure_http: true,
        ..bad
    })
    .unwrap();
    let e = Client::new(ClientOptions {
        api_key: Some(KEY.into()),
        page_size: 0,
        ..Default::default()
    })
    .unwrap_err();
    assert!(e.to_string().contains("page_size"));
    let e = Client::from_json(r#"{"api_key": "k", "rate_limit_per_minut": 1}"#).unwrap_err();
    assert!(e.to_string().contains("rate_limit_per_minute"), "{e}");
}

#[test]
fn the_api_key_never_leaks() {
    let emu = emulator();
    let secret = "zz-unknown-secret-key-4242";
    let rec = Recorder::default();
    let opts = ClientOptions {
        api_key: Some(secret.into()),
        retry_deadline_ms: 300,
        ..options(&emu)
    };
    assert!(!format!("{opts:?}").contains(secret));
    assert!(format!("{opts:?}").contains("****4242"));
    let c = Client::new(opts).unwrap().with_events(rec.sink());
    assert!(!format!("{c:?}").contains(secret));
    let mut errors = vec![];
    errors.push(
        c.count_assets_json(r#"{"project_id": "p1"}"#, CallOptions::default())
            .unwrap_err(),
    );
    errors.push(
        c.assets_json(r#"{"project_id": "p1"}"#, CallOptions::default())
            .unwrap_err(),
    );
    assert_eq!(errors[0].status(), Status::Auth, "{}", errors[0]);
    // Faults, retries and logs with the unknown key.
    emu.set_faults(script(
        &[],
        vec![
            FaultKind::Http502,
            FaultKind::Http429 {
                retry_after_secs: 0,
            },
            FaultKind::Http500,
        ],
    ));
    errors.push(
        c.count_assets_json(r#"{"project_id": "p1"}"#, CallOptions::default())
            .unwrap_err(),
    );
    // Connection refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = Client::new(ClientOptions {
        api_key: Some(secret.into()),
        api_endpoint: Some(format!("http://127.0.0.1:{port}/api/label/v2/graphql")),
        retry_deadline_ms: 100,
        backoff_base_ms: 5,
        ..Default::default()
    })
    .unwrap()
    .with_events(rec.sink());
    errors.push(
        dead.count_assets_json(r#"{"project_id": "p1"}"#, CallOptions::default())
            .unwrap_err(),
    );
    for e in &errors {
        let text = format!("{e} {e:?} {}", e.details());
        assert!(!text.contains(secret), "leak in {text}");
    }
    for ev in rec.events() {
        assert!(!ev.to_json().contains(secret), "leak in {}", ev.to_json());
    }
    assert!(!rec.events().is_empty());
}
