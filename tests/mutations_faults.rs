//! Mutations under injected faults (5xx, resets, truncated answers, 429) before or after the
//! server applied them: imports end with exactly the expected assets (none lost, none
//! duplicated) and actions/updates with the expected state, every item reported once.

mod mutations_support;

use kili_emulator::{FaultConfig, FaultKind, FaultPhase};
use mutations_support::*;
use serde_json::{json, Value};
use std::collections::HashSet;

fn faults(ops: &[&str], script: Vec<FaultKind>, phase: FaultPhase) -> FaultConfig {
    FaultConfig {
        script,
        only_operations: ops.iter().map(|s| s.to_string()).collect(),
        mutation_phase: phase,
        ..Default::default()
    }
}

/// Imports `n` hosted images and checks the project ends with exactly those external ids once.
fn import_exactly(env: &Env, n: usize, prefix: &str) -> Value {
    let p = project("IMAGE");
    let urls: Vec<String> = (0..n)
        .map(|i| format!("https://h/{prefix}{i}.png"))
        .collect();
    let ext: Vec<String> = (0..n).map(|i| format!("{prefix}{i}")).collect();
    let r = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": p, "content_array": urls, "external_id_array": ext}),
        )
        .unwrap();
    let rows = env.assets(&p, &["id", "externalId"]);
    let mine: Vec<&Value> = rows
        .iter()
        .filter(|r| r["externalId"].as_str().unwrap().starts_with(prefix))
        .collect();
    let got: HashSet<&str> = mine
        .iter()
        .map(|r| r["externalId"].as_str().unwrap())
        .collect();
    assert_eq!(mine.len(), n, "no duplicate");
    assert_eq!(got.len(), n, "none lost");
    assert_eq!(outcome_ids(&r, "succeeded").len(), n, "{}", r["outcomes"]);
    assert_eq!(r["result"]["asset_ids"].as_array().unwrap().len(), n);
    r
}

#[test]
fn import_recovers_when_the_answer_is_lost_after_applying() {
    let env = env(json!({}));
    env.emu.set_faults(faults(
        &["appendManyAssets"],
        vec![FaultKind::Http500, FaultKind::Reset, FaultKind::Truncated],
        FaultPhase::After,
    ));
    import_exactly(&env, 250, "after");
    // Each lost answer led to a check of which assets exist, and no resend was needed.
    let creates = env
        .emu
        .request_log()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("appendManyAssets"))
        .count();
    assert_eq!(creates, 3, "the three batches were sent once each");
    // One existence check per lost answer.
    let checks: HashSet<String> = env
        .emu
        .request_log()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("assets"))
        .filter_map(|r| r.body.as_ref().map(|b| b["variables"]["where"].clone()))
        .filter(|w| w.get("idIn").is_some())
        .map(|w| w.to_string())
        .collect();
    assert_eq!(checks.len(), 3, "one existence check per lost answer");
}

#[test]
fn import_resends_what_was_not_applied() {
    let env = env(json!({}));
    env.emu.set_faults(faults(
        &["appendManyAssets"],
        vec![FaultKind::Http502, FaultKind::Reset, FaultKind::Http504],
        FaultPhase::Before,
    ));
    import_exactly(&env, 150, "before");
    let creates = env
        .emu
        .request_log()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("appendManyAssets"))
        .count();
    assert_eq!(creates, 5, "2 batches + 3 resends");
}

#[test]
fn import_under_random_faults_and_429() {
    let env = env(json!({}));
    env.emu.set_faults(FaultConfig {
        rate: 0.5,
        kinds: vec![
            FaultKind::Http500,
            FaultKind::Reset,
            FaultKind::Truncated,
            FaultKind::Http503,
            FaultKind::Http429 {
                retry_after_secs: 0,
            },
        ],
        only_operations: vec!["appendManyAssets".into()],
        seed: Some(42),
        mutation_phase: FaultPhase::Random,
        ..Default::default()
    });
    import_exactly(&env, 600, "rand");
}

#[test]
fn local_text_import_with_faults_on_uploads_and_creation() {
    let env = env(json!({}));
    env.emu.set_faults(faults(
        &["createUploadBucketSignedUrls", "appendManyAssets"],
        vec![FaultKind::Http502, FaultKind::Truncated, FaultKind::Reset],
        FaultPhase::Random,
    ));
    let p = project("TEXT");
    let texts: Vec<String> = (0..40).map(|i| format!("text number {i}")).collect();
    let ext: Vec<String> = (0..40).map(|i| format!("t{i}")).collect();
    let r = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": p, "content_array": texts, "external_id_array": ext}),
        )
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded").len(), 40);
    let rows = env.assets(&p, &["externalId"]);
    let got: HashSet<String> = rows
        .iter()
        .map(|r| r["externalId"].as_str().unwrap().to_string())
        .collect();
    assert_eq!((rows.len(), got.len()), (40, 40));
}

#[test]
fn async_import_recovers_a_lost_answer() {
    let env = env(json!({}));
    env.emu.set_faults(faults(
        &["appendManyAssetsAsynchronously"],
        vec![FaultKind::Http500],
        FaultPhase::After,
    ));
    let p = project("VIDEO");
    let r = env
        .mutate("append_many_to_dataset", json!({"project_id": p, "content_array": ["https://h/a.mp4", "https://h/b.mp4"], "external_id_array": ["a", "b"]}))
        .unwrap();
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["a", "b"], "{r}");
    assert_eq!(env.assets(&p, &["id"]).len(), 2);
}

fn labeled(n: usize) -> Value {
    let p = project("IMAGE");
    let assets: Vec<Value> = (0..n).map(|i| json!({"id": format!("a{i}"), "project_id": p, "external_id": format!("x{i}"), "status": "LABELED"})).collect();
    let labels: Vec<Value> = (0..n).map(|i| json!({"id": format!("l{i}"), "asset_id": format!("a{i}"), "author_id": "u1", "json_response": {}})).collect();
    json!({"assets": assets, "labels": labels})
}

#[test]
fn actions_and_updates_verify_state_after_lost_answers() {
    let env = env(labeled(150));
    let ids: Vec<String> = (0..150).map(|i| format!("a{i}")).collect();
    let all = |env: &Env, field: &str| -> Vec<Value> {
        env.assets(&project("IMAGE"), &["id", field])
            .into_iter()
            .map(|r| r[field].clone())
            .collect()
    };

    env.emu.set_faults(faults(
        &["updatePropertiesInAssets"],
        vec![FaultKind::Http500, FaultKind::Reset],
        FaultPhase::After,
    ));
    let prios: Vec<i64> = (0..150).map(|_| 5).collect();
    let r = env
        .mutate(
            "update_properties_in_assets",
            json!({"asset_ids": ids, "priorities": prios}),
        )
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded").len(), 150);
    assert!(all(&env, "priority").iter().all(|p| *p == 5));

    env.emu.set_faults(faults(
        &["addAssetsToReview"],
        vec![FaultKind::Http500, FaultKind::Truncated],
        FaultPhase::After,
    ));
    let r = env
        .mutate("add_to_review", json!({"asset_ids": ids}))
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded").len(), 150, "{}", r["outcomes"]);
    assert_eq!(r["result"]["asset_ids"].as_array().unwrap().len(), 150);
    assert!(all(&env, "status").iter().all(|s| s == "TO_REVIEW"));

    env.emu.set_faults(faults(
        &["sendAssetsBackToQueue"],
        vec![FaultKind::Reset],
        FaultPhase::Before,
    ));
    let r = env
        .mutate("send_back_to_queue", json!({"asset_ids": ids}))
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded").len(), 150);
    assert!(all(&env, "status").iter().all(|s| s == "ONGOING"));

    env.emu.set_faults(faults(
        &["deleteAssets"],
        vec![FaultKind::Http502],
        FaultPhase::After,
    ));
    let r = env
        .mutate(
            "delete_many_from_dataset",
            json!({"asset_ids": ids, "project_id": project("IMAGE")}),
        )
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded").len(), 150);
    assert_eq!(r["result"], json!({"id": project("IMAGE")}));
    assert!(env.assets(&project("IMAGE"), &["id"]).is_empty());
}

/// Sends of `operation` the emulator received.
fn sends(env: &Env, operation: &str) -> usize {
    env.emu
        .request_log()
        .iter()
        .filter(|r| r.operation.as_deref() == Some(operation))
        .count()
}

fn always_unknown(operation: &str) -> FaultConfig {
    faults(
        &[operation],
        vec![FaultKind::Http500; 60],
        FaultPhase::Before,
    )
}

#[test]
fn unknown_outcomes_are_resent_at_most_max_attempts_uncertain_times() {
    let env = env_with(labeled(10), |o| o.max_attempts_uncertain = 2);
    let ids: Vec<String> = (0..10).map(|i| format!("a{i}")).collect();

    env.emu.set_faults(always_unknown("addAssetsToReview"));
    let e = env
        .mutate("add_to_review", json!({"asset_ids": ids}))
        .unwrap_err();
    assert_eq!(e.status(), kili::Status::PartialFailure, "{e}");
    assert_eq!(sends(&env, "addAssetsToReview"), 2, "1 send + 1 resend");
    let failed = e.details()["outcomes"]["failed"].clone();
    assert_eq!(failed.as_array().unwrap().len(), 10, "{failed}");
    assert!(failed[0]["reason"]
        .as_str()
        .unwrap()
        .contains("outcome unknown after 2 attempts"));

    env.emu
        .set_faults(always_unknown("updatePropertiesInAssets"));
    let _ = env.mutate(
        "update_properties_in_assets",
        json!({"asset_ids": ids, "priorities": vec![3; 10]}),
    );
    assert_eq!(sends(&env, "updatePropertiesInAssets"), 2);

    env.emu.set_faults(always_unknown("appendManyAssets"));
    let _ = env.mutate(
        "append_many_to_dataset",
        json!({"project_id": project("IMAGE"), "content_array": ["https://h/n.png"], "external_id_array": ["n"]}),
    );
    assert_eq!(sends(&env, "appendManyAssets"), 2);
    env.emu.set_faults(FaultConfig::default());
    assert_eq!(
        env.assets(&project("IMAGE"), &["id"]).len(),
        10,
        "nothing created"
    );
}

#[test]
fn unknown_outcomes_are_not_resent_after_the_retry_deadline() {
    // Pauses of at least 50 ms and a 300 ms deadline: far fewer than the 50 allowed attempts.
    let env = env_with(labeled(10), |o| {
        o.max_attempts_uncertain = 50;
        o.retry_deadline_ms = 300;
        o.backoff_base_ms = 100;
        o.max_backoff_ms = 100;
    });
    let ids: Vec<String> = (0..10).map(|i| format!("a{i}")).collect();
    env.emu.set_faults(always_unknown("sendAssetsBackToQueue"));
    let e = env
        .mutate("send_back_to_queue", json!({"asset_ids": ids}))
        .unwrap_err();
    assert_eq!(e.status(), kili::Status::PartialFailure, "{e}");
    let n = sends(&env, "sendAssetsBackToQueue");
    assert!((1..=7).contains(&n), "{n} sends within a 300 ms deadline");
    let failed = e.details()["outcomes"]["failed"].as_array().unwrap().len();
    assert_eq!(failed, 10);
}
