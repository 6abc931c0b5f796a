//! Reliability, security (issue 10 §5): the API key never appears in events, error messages,
//! error details or `Debug` output, through the Rust API and the C ABI, across auth failures,
//! injected faults and retries, partial failures, connection and TLS failures; TLS
//! verification is on by default (a self-signed endpoint is refused, accepted with its
//! `ca_bundle`); plain HTTP to a non-loopback host is refused before any connection; the
//! emulator never shows one user's project to another user's key.
//!
//! The TLS endpoint is a small TLS-terminating proxy (tokio-rustls) in front of the emulator,
//! with the self-signed certificate of `tests/reliability_support/tls/` (P-256, SAN
//! 127.0.0.1/localhost, valid 100 years, generated once with openssl).

mod reliability_support;

use kili::client::Client;
use kili::config::ClientOptions;
use kili::{CallOptions, Status};
use kili_emulator::{FaultConfig, FaultKind};
use reliability_support::cabi::client_new;
use reliability_support::*;
use serde_json::json;
use std::sync::Arc;
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

const TLS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reliability_support/tls");

fn assert_no_key(what: &str, text: &str, key: &str) {
    assert!(!text.contains(key), "the API key leaked in {what}: {text}");
    // Not even a long prefix of it (e.g. a key cut by a truncated message).
    assert!(
        !text.contains(&key[..key.len() / 2]),
        "half of the API key leaked in {what}: {text}"
    );
}

#[test]
fn api_key_never_leaks() {
    let emu = emulator();
    let rec = Recorder::default();
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut push_err = |what: &str, e: &kili::Error| {
        texts.push((what.to_string(), format!("{e}\n{e:?}\n{}", e.details())))
    };

    // Debug output of options and clients.
    let opts = fast_options(&emu.endpoint());
    let c = Client::new(opts.clone()).unwrap().with_events(rec.sink());
    let debug = format!("{opts:?}\n{c:?}\n{:?}", c.asyncc());

    // Faults and retries (the retry log lines), then a partial failure with item details.
    emu.set_faults(FaultConfig {
        script: vec![
            FaultKind::Http502,
            FaultKind::Http429 {
                retry_after_secs: 0,
            },
            FaultKind::Reset,
            FaultKind::Truncated,
            FaultKind::Http503,
        ],
        ..Default::default()
    });
    c.count_assets_json(r#"{"project_id": "rel_list"}"#, CallOptions::default())
        .unwrap();
    // max_attempts_uncertain is 10 in fast_options: ten 500s end the query.
    emu.set_faults(FaultConfig {
        script: vec![FaultKind::Http500; 10],
        ..Default::default()
    });
    push_err(
        "500 on a query",
        &c.count_assets_json(r#"{"project_id": "rel_list"}"#, CallOptions::default())
            .unwrap_err(),
    );
    let e = c
        .mutate_json(
            "add_to_review",
            r#"{"asset_ids": ["nope-1", "other-a1"]}"#,
            CallOptions::default(),
        )
        .unwrap_err();
    assert_eq!(e.status(), Status::PartialFailure, "{e}");
    push_err("partial failure", &e);
    if let Err(e) = c.assets_json(r#"{"project_id": "other_project"}"#, CallOptions::default()) {
        push_err("not found", &e);
    }
    push_err(
        "bad argument",
        &c.count_assets_json(
            &format!(r#"{{"project_id": "{KEY}", "status_in": [1]}}"#),
            CallOptions::default(),
        )
        .unwrap_err(),
    );

    // A wrong key: the auth error must not echo it either.
    let wrong = "wrong-but-secret-key-5c1e9d7a3b2f8e60";
    let bad = Client::new(ClientOptions {
        api_key: Some(wrong.into()),
        ..fast_options(&emu.endpoint())
    })
    .map(|c| c.with_events(rec.sink()));
    let auth_err = match bad {
        Err(e) => e,
        Ok(b) => b
            .count_assets_json(r#"{"project_id": "rel_list"}"#, CallOptions::default())
            .unwrap_err(),
    };
    assert_eq!(auth_err.status(), Status::Auth, "{auth_err}");
    let auth_text = format!("{auth_err}\n{auth_err:?}\n{}", auth_err.details());

    // Connection refused and timeouts.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dead = Client::new(ClientOptions {
        retry_deadline_ms: 200,
        ..fast_options(&format!("http://127.0.0.1:{port}/api/label/v2/graphql"))
    })
    .unwrap()
    .with_events(rec.sink());
    push_err(
        "connection refused",
        &dead
            .count_assets_json(r#"{"project_id": "p"}"#, CallOptions::default())
            .unwrap_err(),
    );

    // The C ABI: error messages and details, event JSON.
    let cc = client_new(fast_options_json(&emu.endpoint()).as_bytes()).unwrap();
    emu.set_faults(FaultConfig {
        script: [vec![FaultKind::Http502], vec![FaultKind::Http500; 9]].concat(),
        ..Default::default()
    });
    let ce = cc.count(br#"{"project_id": "rel_list"}"#).unwrap_err();
    let ce2 = cc
        .mutate(
            b"delete_many_from_dataset",
            br#"{"asset_ids": ["other-a1"]}"#,
        )
        .unwrap_err();
    let ce3 = client_new(
        json!({"api_key": KEY, "api_endpoint": "http://example.com/graphql"})
            .to_string()
            .as_bytes(),
    )
    .err()
    .unwrap();
    let c_events = cc.1.lock().unwrap().join("\n");
    assert!(
        c_events.to_lowercase().contains("retrying"),
        "the C client logged its retry: {c_events}"
    );

    for (what, t) in &texts {
        assert_no_key(what, t, KEY);
    }
    assert_no_key("Debug output", &debug, KEY);
    assert!(
        debug.contains(&kili::config::redact(KEY)),
        "the Debug output shows the redacted form: {debug}"
    );
    assert_no_key("auth error", &auth_text, wrong);
    assert_no_key("events", &rec.all_text(), KEY);
    assert_no_key("events", &rec.all_text(), wrong);
    assert!(rec.retries() > 0, "the retries were logged (and checked)");
    for e in [&ce, &ce2, &ce3] {
        assert_no_key("C error", &format!("{} {}", e.message, e.details), KEY);
    }
    assert_no_key("C events", &c_events, KEY);
    println!(
        "FIGURES security[key]: texts_checked={} events_checked={} c_errors=3 c_events={} leaks=0",
        texts.len() + 2,
        rec.0.lock().unwrap().len(),
        cc.1.lock().unwrap().len()
    );
}

/// A TLS proxy on 127.0.0.1:0 in front of `target`, serving the certificate `name`.
fn tls_proxy(target: std::net::SocketAddr, name: &str) -> (String, std::thread::JoinHandle<()>) {
    let certs: Vec<CertificateDer<'static>> =
        CertificateDer::pem_file_iter(format!("{TLS_DIR}/{name}-cert.pem"))
            .unwrap()
            .map(|c| c.unwrap())
            .collect();
    let key = PrivateKeyDer::from_pem_file(format!("{TLS_DIR}/{name}-key.pem")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(cfg));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!(
        "https://127.0.0.1:{}/api/label/v2/graphql",
        listener.local_addr().unwrap().port()
    );
    let h = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    return;
                };
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A refused handshake (the client distrusts the certificate) just ends here.
                    let Ok(mut tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let Ok(mut up) = tokio::net::TcpStream::connect(target).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut up).await;
                });
            }
        })
    });
    (url, h)
}

#[test]
fn tls_verification_on_by_default() {
    let emu = emulator();
    let (url, _proxy) = tls_proxy(emu.addr(), "server");
    let count = |opts: ClientOptions| -> kili::Result<u64> {
        Client::new(opts)?
            .count_assets_json(r#"{"project_id": "rel_list"}"#, CallOptions::default())
    };
    let base = ClientOptions {
        retry_deadline_ms: 300,
        ..fast_options(&url)
    };

    // Default: the self-signed certificate is refused, and not retried into a long wait.
    let t = std::time::Instant::now();
    let e = count(base.clone()).unwrap_err();
    let text = format!("{e} {}", e.details()).to_lowercase();
    assert!(
        text.contains("certificate") || text.contains("tls"),
        "the error names the TLS failure: {e} {}",
        e.details()
    );
    assert_ne!(e.status(), Status::Ok);
    let refused_in = t.elapsed();
    // Another certificate as the bundle: still refused.
    let other = ClientOptions {
        ca_bundle: Some(format!("{TLS_DIR}/other-cert.pem").into()),
        ..base.clone()
    };
    assert!(
        count(other).is_err(),
        "a bundle with another certificate does not make the endpoint trusted"
    );
    // Its own certificate as `ca_bundle`: accepted, and the query goes through TLS.
    let trusted = ClientOptions {
        ca_bundle: Some(format!("{TLS_DIR}/server-cert.pem").into()),
        ..base.clone()
    };
    assert_eq!(
        count(trusted).unwrap(),
        0,
        "with ca_bundle the TLS endpoint is trusted"
    );
    // The explicit opt-out also works (documented for local set-ups only).
    assert_eq!(
        count(ClientOptions {
            verify_tls: false,
            ..base.clone()
        })
        .unwrap(),
        0
    );
    // The C ABI: same default.
    let ce = client_new(
        json!({"api_key": KEY, "api_endpoint": url, "retry_deadline_ms": 300})
            .to_string()
            .as_bytes(),
    )
    .and_then(|c| c.count(br#"{"project_id": "rel_list"}"#));
    assert!(
        ce.is_err(),
        "the C ABI refuses the self-signed endpoint by default"
    );
    let cok = client_new(json!({"api_key": KEY, "api_endpoint": url, "ca_bundle": format!("{TLS_DIR}/server-cert.pem")}).to_string().as_bytes())
        .unwrap()
        .count(br#"{"project_id": "rel_list"}"#);
    assert_eq!(cok.unwrap(), 0);
    println!(
        "FIGURES security[tls]: self-signed refused by default ({}: {:.0} ms), other bundle refused, own ca_bundle accepted, C ABI same",
        e.status().name(),
        refused_in.as_secs_f64() * 1000.0
    );
}

#[test]
fn plain_http_to_a_non_loopback_host_is_refused() {
    // Nothing listens on these addresses: a refusal that came from a connection attempt
    // would be a NETWORK error, not INVALID_ARGUMENT.
    for ep in [
        "http://example.com/api/label/v2/graphql",
        "http://10.255.255.1:8080/api/label/v2/graphql",
        "http://[2001:db8::1]/graphql",
        "HTTP://Example.COM/x",
    ] {
        let e = Client::new(ClientOptions {
            api_key: Some(KEY.into()),
            api_endpoint: Some(ep.into()),
            ..Default::default()
        })
        .and_then(|c| c.count_assets_json(r#"{"project_id": "p"}"#, CallOptions::default()))
        .unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument, "{ep}: {e}");
        assert!(e.to_string().contains("allow_insecure_http"), "{ep}: {e}");
        assert_no_key("endpoint error", &format!("{e} {}", e.details()), KEY);
        let ce = client_new(
            json!({"api_key": KEY, "api_endpoint": ep})
                .to_string()
                .as_bytes(),
        )
        .err()
        .expect(ep);
        assert_eq!(ce.status, 2, "{ep}: {ce:?}");
    }
    // Loopback plain HTTP is fine (the emulator), and the explicit opt-in lets others through.
    let emu = emulator();
    let (c, _) = client(&emu.endpoint());
    assert_eq!(
        c.count_assets_json(r#"{"project_id": "rel_list"}"#, CallOptions::default())
            .unwrap(),
        0
    );
    let localhost = emu.endpoint().replace("127.0.0.1", "localhost");
    let (c, _) = client(&localhost);
    assert_eq!(
        c.count_assets_json(r#"{"project_id": "rel_list"}"#, CallOptions::default())
            .unwrap(),
        0
    );
    assert!(Client::new(ClientOptions {
        api_key: Some(KEY.into()),
        api_endpoint: Some("http://example.com/x".into()),
        allow_insecure_http: true,
        ..Default::default()
    })
    .is_ok());
    println!("FIGURES security[http]: 4 non-loopback http endpoints refused before connecting (Rust + C ABI); loopback accepted");
}

#[test]
fn one_users_project_is_invisible_to_another_key() {
    let emu = emulator();
    let (mine, _) = client(&emu.endpoint());
    let theirs = Client::new(ClientOptions {
        api_key: Some(OTHER_KEY.into()),
        ..fast_options(&emu.endpoint())
    })
    .unwrap();
    // The owner sees it.
    assert_eq!(
        theirs
            .count_assets_json(r#"{"project_id": "other_project"}"#, CallOptions::default())
            .unwrap(),
        1
    );
    // Another key: not found, on every path; nothing of it is shown.
    // count_assets sends one countAssets (as the official SDK): the server answers 0.
    assert_eq!(
        mine.count_assets_json(r#"{"project_id": "other_project"}"#, CallOptions::default())
            .unwrap(),
        0
    );
    let listing = mine.assets_json(
        r#"{"project_id": "other_project", "fields": ["id", "externalId", "content"]}"#,
        CallOptions::default(),
    );
    match listing {
        Err(e) => assert_eq!(e.status(), Status::NotFound, "{e}"),
        Ok(cur) => {
            let rows: Vec<_> = cur.collect();
            assert!(
                rows.iter().all(|r| r.is_err()),
                "no asset of another user's project: {rows:?}"
            );
        }
    }
    // By asset id: an action on it fails for that item and changes nothing.
    let e = mine
        .mutate_json(
            "delete_many_from_dataset",
            r#"{"asset_ids": ["other-a1"]}"#,
            CallOptions::default(),
        )
        .unwrap_err();
    assert!(
        matches!(e.status(), Status::PartialFailure | Status::NotFound),
        "{e}"
    );
    assert!(
        !format!("{e} {}", e.details()).contains("secret-asset"),
        "its external id is not revealed: {e} {}",
        e.details()
    );
    let e = mine
        .mutate_json(
            "update_properties_in_assets",
            r#"{"asset_ids": ["other-a1"], "priorities": [9]}"#,
            CallOptions::default(),
        )
        .unwrap_err();
    assert!(
        matches!(e.status(), Status::PartialFailure | Status::NotFound),
        "{e}"
    );
    // Import into it: refused.
    let e = mine
        .mutate_json(
            "append_many_to_dataset",
            r#"{"project_id": "other_project", "content_array": ["https://x/1.png"]}"#,
            CallOptions::default(),
        )
        .unwrap_err();
    assert!(
        matches!(e.status(), Status::NotFound | Status::PartialFailure),
        "{e}"
    );
    // The owner's data is intact.
    let rows: Vec<_> = theirs
        .assets_json(
            r#"{"project_id": "other_project", "fields": ["id", "priority"]}"#,
            CallOptions::default(),
        )
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert_eq!(rows, vec![json!({"id": "other-a1", "priority": 0})]);
    // And the owner does not see the first user's projects.
    emu.generate_assets("rel_list", 3).unwrap();
    assert_eq!(
        mine.count_assets_json(r#"{"project_id": "rel_list"}"#, CallOptions::default())
            .unwrap(),
        3
    );
    assert_eq!(
        theirs
            .count_assets_json(r#"{"project_id": "rel_list"}"#, CallOptions::default())
            .unwrap(),
        0
    );
    let rows: Vec<_> = theirs
        .assets_json(
            r#"{"project_id": "rel_list", "fields": ["id"]}"#,
            CallOptions::default(),
        )
        .map(|c| c.collect::<Vec<_>>())
        .unwrap_or_default();
    assert!(rows.iter().all(|r| r.is_err()), "{rows:?}");
    println!("FIGURES security[visibility]: count/list/delete/update/import on another user's project refused; owner's data intact");
}
