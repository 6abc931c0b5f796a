//! The C ABI exercised by C programs (`tests/c/*.c`, built with the system C compiler against
//! `include/kili.h` and `libkili.so`) against an in-process emulator with the demo data set.

#[path = "c/harness.rs"]
mod harness;

use harness::{against, check, demo_emulator, program, run};
use kili_emulator::{FaultConfig, FaultKind};

fn run_program(name: &str, args: &[&str], emu: &kili_emulator::Emulator) -> String {
    let exe = program(name, "plain", &[]);
    let out = run(against(&exe, emu).args(args));
    check(&format!("{name} {args:?}"), &out);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn lifecycle_through_the_c_api() {
    let emu = demo_emulator();
    assert!(run_program("lifecycle", &[], &emu).contains("lifecycle: ok"));
}

#[test]
fn misuse_never_crashes() {
    let emu = demo_emulator();
    assert!(run_program("misuse", &[], &emu).contains("misuse: ok"));
}

#[test]
fn one_client_used_by_eight_threads() {
    let emu = demo_emulator();
    assert!(run_program("threads", &["shared"], &emu).contains("threads shared: ok"));
}

#[test]
fn cancellation_from_a_second_thread() {
    let emu = demo_emulator();
    emu.set_faults(FaultConfig {
        rate: 1.0,
        kinds: vec![FaultKind::Latency { ms: 10_000 }],
        ..Default::default()
    });
    assert!(run_program("threads", &["cancel"], &emu).contains("threads cancel: ok"));
}

/// Runs `probe` expecting `want`.
fn probe(
    emu: &kili_emulator::Emulator,
    op: &str,
    want: &str,
    options: &str,
    args: &str,
    timeout_ms: Option<u32>,
) {
    let mut argv = vec![
        op.to_string(),
        want.to_string(),
        options.to_string(),
        args.to_string(),
    ];
    if let Some(t) = timeout_ms {
        argv.push(t.to_string());
    }
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    run_program("probe", &argv, emu);
}

const PROJECT: &str = r#"{"project_id": "demo-project"}"#;

#[test]
fn status_invalid_argument() {
    let emu = demo_emulator();
    probe(
        &emu,
        "count",
        "KILI_INVALID_ARGUMENT",
        "{}",
        r#"{"project_id": 5}"#,
        None,
    );
    probe(
        &emu,
        "new",
        "KILI_INVALID_ARGUMENT",
        r#"{"page_size": "many"}"#,
        "{}",
        None,
    );
}

#[test]
fn status_invalid_state_inside_a_callback() {
    let emu = demo_emulator();
    probe(
        &emu,
        "reenter",
        "KILI_INVALID_STATE",
        "{}",
        r#"{"project_id": "demo-project", "first": 3}"#,
        None,
    );
}

#[test]
fn status_auth() {
    let emu = demo_emulator();
    probe(
        &emu,
        "count",
        "KILI_AUTH",
        r#"{"api_key": "not-a-key"}"#,
        PROJECT,
        None,
    );
}

#[test]
fn status_not_found() {
    let emu = demo_emulator();
    probe(
        &emu,
        "mutate:delete_many_from_dataset",
        "KILI_NOT_FOUND",
        "{}",
        r#"{"project_id": "demo-project", "external_ids": ["no-such-external-id"]}"#,
        None,
    );
}

#[test]
fn status_timeout() {
    let emu = demo_emulator();
    emu.set_faults(FaultConfig {
        rate: 1.0,
        kinds: vec![FaultKind::Latency { ms: 3_000 }],
        ..Default::default()
    });
    probe(&emu, "count", "KILI_TIMEOUT", "{}", PROJECT, Some(300));
}

#[test]
fn status_rate_limited() {
    let emu = demo_emulator();
    emu.set_faults(FaultConfig {
        rate: 1.0,
        kinds: vec![FaultKind::Http429 {
            retry_after_secs: 1,
        }],
        ..Default::default()
    });
    probe(
        &emu,
        "count",
        "KILI_RATE_LIMITED",
        r#"{"retry_deadline_ms": 300}"#,
        PROJECT,
        None,
    );
}

#[test]
fn status_server() {
    let emu = demo_emulator();
    emu.set_faults(FaultConfig {
        rate: 1.0,
        kinds: vec![FaultKind::Http500],
        ..Default::default()
    });
    probe(
        &emu,
        "count",
        "KILI_SERVER",
        r#"{"retry_deadline_ms": 300}"#,
        PROJECT,
        None,
    );
}

#[test]
fn status_network() {
    let emu = demo_emulator();
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let options = format!(
        r#"{{"api_endpoint": "http://127.0.0.1:{port}/api/label/v2/graphql", "retry_deadline_ms": 300}}"#
    );
    probe(&emu, "count", "KILI_NETWORK", &options, PROJECT, None);
}

#[test]
fn status_graphql() {
    let emu = demo_emulator();
    probe(
        &emu,
        "list",
        "KILI_GRAPHQL",
        "{}",
        r#"{"project_id": "demo-project", "fields": ["doesNotExist"]}"#,
        None,
    );
}

#[test]
fn status_partial_failure() {
    let emu = demo_emulator();
    probe(
        &emu,
        "mutate:update_properties_in_assets",
        "KILI_PARTIAL_FAILURE",
        "{}",
        r#"{"asset_ids": ["demo-asset-01", "no-such-asset"], "priorities": [1, 2]}"#,
        None,
    );
}
