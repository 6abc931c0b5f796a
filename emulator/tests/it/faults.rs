//! Fault injection: scripted and random faults, operation filter, mutation phases.

use std::time::{Duration, Instant};

use kili_emulator::{FaultConfig, FaultKind, FaultPhase};
use serde_json::json;

use super::common::*;

fn send(endpoint: &str, query: &str) -> Result<reqwest::blocking::Response, reqwest::Error> {
    reqwest::blocking::Client::new()
        .post(endpoint)
        .header("Authorization", format!("X-API-Key: {ALICE}"))
        .json(&json!({"query": query}))
        .send()
}

const COUNT: &str = "{ data: countAssets(where: {project: {id: \"proj-1\"}}) }";

#[test]
fn scripted_faults_then_normal_answers() {
    let emu = start();
    let e = emu.endpoint();
    emu.set_faults(FaultConfig {
        script: vec![
            FaultKind::Http503,
            FaultKind::Http429 {
                retry_after_secs: 7,
            },
            FaultKind::EnvoyNotForwarded,
            FaultKind::Http502,
            FaultKind::Http504,
            FaultKind::Http500,
        ],
        ..Default::default()
    });
    let r = send(&e, COUNT).unwrap();
    assert_eq!(r.status(), 503);
    assert!(!r.text().unwrap().contains("no healthy upstream"));
    let r = send(&e, COUNT).unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "7");
    let r = send(&e, COUNT).unwrap();
    assert_eq!(
        (r.status().as_u16(), r.text().unwrap()),
        (503, "no healthy upstream".to_string())
    );
    for code in [502, 504, 500] {
        let r = send(&e, COUNT).unwrap();
        assert_eq!(r.status().as_u16(), code);
        assert!(
            serde_json::from_str::<serde_json::Value>(&r.text().unwrap()).is_err(),
            "fault bodies are not GraphQL answers"
        );
    }
    assert_eq!(
        send(&e, COUNT)
            .unwrap()
            .json::<serde_json::Value>()
            .unwrap(),
        json!({"data": {"data": 6}})
    );
}

#[test]
fn reset_and_truncated() {
    let emu = start();
    let e = emu.endpoint();
    emu.set_faults(FaultConfig {
        script: vec![FaultKind::Reset, FaultKind::Truncated],
        ..Default::default()
    });
    assert!(send(&e, COUNT).is_err(), "a reset gives no answer");
    let r = send(&e, COUNT);
    let body = r.and_then(|r| r.bytes());
    assert!(
        body.is_err(),
        "a truncated body cannot be read in full: {body:?}"
    );
    assert_eq!(
        send(&e, COUNT)
            .unwrap()
            .json::<serde_json::Value>()
            .unwrap(),
        json!({"data": {"data": 6}})
    );
}

#[test]
fn only_named_operations_get_faults_and_latency_delays() {
    let emu = start();
    let e = emu.endpoint();
    emu.set_faults(FaultConfig {
        rate: 1.0,
        kinds: vec![FaultKind::Latency { ms: 300 }],
        only_operations: vec!["countAssets".into()],
        seed: Some(1),
        ..Default::default()
    });
    let t = Instant::now();
    assert_eq!(send(&e, "{ viewer { id } }").unwrap().status(), 200);
    assert!(t.elapsed() < Duration::from_millis(300));
    let t = Instant::now();
    assert_eq!(send(&e, COUNT).unwrap().status(), 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
}

#[test]
fn random_faults_follow_the_rate() {
    let emu = start();
    let e = emu.endpoint();
    emu.set_faults(FaultConfig {
        rate: 0.5,
        kinds: vec![FaultKind::Http502],
        seed: Some(42),
        ..Default::default()
    });
    let failed = (0..40)
        .filter(|_| send(&e, COUNT).unwrap().status() == 502)
        .count();
    assert!(
        (8..=32).contains(&failed),
        "{failed} of 40 failed at rate 0.5"
    );
}

#[test]
fn mutation_faults_before_or_after_applying() {
    let emu = start();
    let e = emu.endpoint();
    let del = |id: &str| {
        format!("mutation {{ data: deleteAssets(where: {{idIn: [\"{id}\"]}}) {{ succeeded {{ assetId }} }} }}")
    };
    emu.set_faults(FaultConfig {
        script: vec![FaultKind::Http500],
        mutation_phase: FaultPhase::After,
        ..Default::default()
    });
    assert_eq!(send(&e, &del("a1")).unwrap().status(), 500);
    assert!(
        asset_ids(&e, ALICE, json!({"idIn": ["a1"]})).is_empty(),
        "applied although the answer was lost"
    );
    emu.set_faults(FaultConfig {
        script: vec![FaultKind::Reset],
        mutation_phase: FaultPhase::Before,
        ..Default::default()
    });
    assert!(send(&e, &del("a2")).is_err());
    assert_eq!(
        asset_ids(&e, ALICE, json!({"idIn": ["a2"]})),
        vec!["a2"],
        "not applied"
    );
    emu.set_faults(FaultConfig {
        script: vec![FaultKind::Http429 {
            retry_after_secs: 1,
        }],
        mutation_phase: FaultPhase::After,
        ..Default::default()
    });
    assert_eq!(send(&e, &del("a2")).unwrap().status(), 429);
    assert_eq!(
        asset_ids(&e, ALICE, json!({"idIn": ["a2"]})),
        vec!["a2"],
        "429 is never processed"
    );
}
