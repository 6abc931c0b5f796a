//! Fidelity of the asset actions to the reference SDK (issue "[fidelity] Same answers as the
//! seed", rows A.6 and A.9): the `result` of `delete_many_from_dataset`, `add_to_review` and
//! `send_back_to_queue` computed as the reference computes it, the one naming of outcome keys,
//! and the recovery after an unknown outcome judged by the step state on V2/V3 projects.

mod mutations_support;

use kili_emulator::{FaultConfig, FaultKind, FaultPhase};
use mutations_support::*;
use serde_json::{json, Value};
use std::collections::HashMap;

const V2: &str = "p_v2";

fn faults(op: &str, script: Vec<FaultKind>, phase: FaultPhase) -> FaultConfig {
    FaultConfig {
        script,
        only_operations: vec![op.to_string()],
        mutation_phase: phase,
        ..Default::default()
    }
}

fn sends(env: &Env, operation: &str) -> usize {
    env.emu
        .request_log()
        .iter()
        .filter(|r| r.operation.as_deref() == Some(operation))
        .count()
}

/// A V2 project (label step, review step) whose assets `v0..v{n}` are in the label step with
/// status-in-step `step_status` and the legacy `status` `legacy`, each with a label; plus a
/// V1 fixture of labeled assets for the result tests.
fn v2_fixture(n: usize, step_status: &str, legacy: &str) -> Value {
    let base = fixture(json!({}));
    let mut projects = base["projects"].as_array().unwrap().clone();
    projects.push(json!({"id": V2, "title": "V2", "input_type": "TEXT", "workflow_version": "V2",
        "organization_id": "org1", "members": [{"user_id": "u1", "role": "ADMIN"}],
        "steps": [{"id": "s-label", "name": "Labeling", "type": "DEFAULT"},
                  {"id": "s-review", "name": "Review", "type": "REVIEW"}]}));
    let assets: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("v{i}"), "project_id": V2, "external_id": format!("vx{i}"),
            "status": legacy, "current_step": {"step_id": "s-label", "status": step_status}}))
        .collect();
    let labels: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("vl{i}"), "asset_id": format!("v{i}"), "author_id": "u1",
            "json_response": {}, "step_id": "s-label"}))
        .collect();
    json!({"projects": projects, "assets": assets, "labels": labels})
}

/// `(currentStep.id, currentStep.status)` of every asset of the V2 project, by id.
fn steps(env: &Env) -> HashMap<String, (Value, Value)> {
    env.assets(V2, &["id", "currentStep.id", "currentStep.status"])
        .into_iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                (r["currentStep"]["id"].clone(), r["currentStep"]["status"].clone()),
            )
        })
        .collect()
}

fn v2_ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("v{i}")).collect()
}

// ---------------------------------------------------------------------------------------------
// A.9: recovery on V2 judged by the step state

/// The request is lost before the server applies it; the assets' legacy `status` already says
/// `TO_REVIEW` (left from before a migration to the multi-step workflow) while their step says
/// they are still done in the label step. Judged by `status` they would count as moved without
/// ever being sent; judged by their step they are sent again and end in the review step.
#[test]
fn v2_review_lost_before_applying_is_resent_despite_a_stale_status() {
    let env = env(v2_fixture(5, "DONE", "TO_REVIEW"));
    env.emu.set_faults(faults(
        "addAssetsToReview",
        vec![FaultKind::Reset],
        FaultPhase::Before,
    ));
    let r = env
        .mutate("add_to_review", json!({"asset_ids": v2_ids(5)}))
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded").len(), 5, "{}", r["outcomes"]);
    assert_eq!(sends(&env, "addAssetsToReview"), 2, "sent, then resent once");
    for (id, (step, status)) in steps(&env) {
        assert_eq!((step, status), (json!("s-review"), json!("TO_DO")), "{id}");
    }
}

/// Same for back-to-queue: assets being labeled (`IN_PROGRESS`) have the legacy status
/// `ONGOING`, the status the V1 send-back produces. The lost request is sent again and the
/// assets end in `REWORK`.
#[test]
fn v2_back_to_queue_lost_before_applying_is_resent_for_assets_in_progress() {
    let env = env(v2_fixture(4, "IN_PROGRESS", "ONGOING"));
    env.emu.set_faults(faults(
        "sendAssetsBackToQueue",
        vec![FaultKind::Http500],
        FaultPhase::Before,
    ));
    let r = env
        .mutate("send_back_to_queue", json!({"asset_ids": v2_ids(4)}))
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded").len(), 4, "{}", r["outcomes"]);
    assert_eq!(sends(&env, "sendAssetsBackToQueue"), 2, "sent, then resent once");
    for (id, (step, status)) in steps(&env) {
        assert_eq!((step, status), (json!("s-label"), json!("REWORK")), "{id}");
    }
}

/// Answers lost after the server applied them: the step state read back confirms every asset,
/// nothing is sent twice, and assets the server declined stay where they were.
#[test]
fn v2_review_and_back_to_queue_lost_after_applying_are_not_resent() {
    let env = env(v2_fixture(150, "DONE", "LABELED"));
    env.emu.set_faults(faults(
        "addAssetsToReview",
        vec![FaultKind::Http500, FaultKind::Truncated],
        FaultPhase::After,
    ));
    let r = env
        .mutate("add_to_review", json!({"asset_ids": v2_ids(150)}))
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded").len(), 150, "{}", r["outcomes"]);
    assert_eq!(sends(&env, "addAssetsToReview"), 2, "two batches, each sent once");
    assert!(steps(&env)
        .values()
        .all(|s| *s == (json!("s-review"), json!("TO_DO"))));

    env.emu.set_faults(faults(
        "sendAssetsBackToQueue",
        vec![FaultKind::Reset, FaultKind::Http502],
        FaultPhase::After,
    ));
    let r = env
        .mutate("send_back_to_queue", json!({"asset_ids": v2_ids(150)}))
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded").len(), 150, "{}", r["outcomes"]);
    assert_eq!(sends(&env, "sendAssetsBackToQueue"), 2);
    assert!(steps(&env)
        .values()
        .all(|s| *s == (json!("s-label"), json!("REWORK"))));
}

// ---------------------------------------------------------------------------------------------
// A.6: results as the reference computes them

/// V1 assets of the IMAGE project: `t{i}` still to do (no label), `l{i}` labeled, created in
/// index order.
fn v1_fixture(todo: usize, labeled: usize) -> Value {
    let p = project("IMAGE");
    let mut assets = Vec::new();
    let mut labels = Vec::new();
    let mut k = 0;
    for (prefix, n, status) in [("t", todo, "TODO"), ("l", labeled, "LABELED")] {
        for i in 0..n {
            let id = format!("{prefix}{i}");
            assets.push(json!({"id": id, "project_id": p, "external_id": format!("x-{id}"),
                "status": status, "created_at": format!("2024-01-01T00:{:02}:{:02}.000Z", k / 60, k % 60)}));
            if status == "LABELED" {
                labels.push(json!({"id": format!("lab-{id}"), "asset_id": id, "author_id": "u1", "json_response": {}}));
            }
            k += 1;
        }
    }
    json!({"assets": assets, "labels": labels})
}

/// `asset_ids` are the given assets now in `TO_REVIEW`, in the server's listing order (not
/// the order given); an asset already in review before the call is listed too.
#[test]
fn review_asset_ids_are_listed_like_the_seed() {
    let env = env(v1_fixture(1, 3));
    env.mutate("add_to_review", json!({"asset_ids": ["l1"]}))
        .unwrap();
    let r = env
        .mutate("add_to_review", json!({"asset_ids": ["l2", "t0", "l0", "l1"]}))
        .unwrap();
    assert_eq!(
        r["result"],
        json!({"id": project("IMAGE"), "asset_ids": ["l0", "l1", "l2"]})
    );
    assert_eq!(outcome_ids(&r, "declined"), vec!["t0"]);
}

/// The reference's `result` is `None` when the first batch (the first 100 ids) moved nothing,
/// even if a later batch did: the outcomes still name the moved asset.
#[test]
fn review_result_is_null_when_the_first_batch_moved_nothing() {
    let env = env(v1_fixture(100, 1));
    let mut ids: Vec<String> = (0..100).map(|i| format!("t{i}")).collect();
    ids.push("l0".into());
    let r = env
        .mutate("add_to_review", json!({"asset_ids": ids}))
        .unwrap();
    assert_eq!(r["result"], Value::Null);
    assert_eq!(outcome_ids(&r, "succeeded"), vec!["l0"]);
    assert_eq!(outcome_ids(&r, "declined").len(), 100);
}

/// Back to queue always answers the project, with the given assets now `ONGOING` (possibly
/// none), as the reference does.
#[test]
fn back_to_queue_answers_the_project_even_when_nothing_moved() {
    let env = env(v1_fixture(2, 2));
    let r = env
        .mutate("send_back_to_queue", json!({"asset_ids": ["t1", "t0"]}))
        .unwrap();
    assert_eq!(r["result"], json!({"id": project("IMAGE"), "asset_ids": []}));
    assert_eq!(outcome_ids(&r, "declined").len(), 2);
    let r = env
        .mutate(
            "send_back_to_queue",
            json!({"external_ids": ["x-l1", "x-t0", "x-l0"], "project_id": project("IMAGE")}),
        )
        .unwrap();
    assert_eq!(
        r["result"],
        json!({"id": project("IMAGE"), "asset_ids": ["l0", "l1"]})
    );
}

/// Delete answers `{"id": project}` whether or not anything was deleted; `null` when the
/// project cannot be known (no project given and the first asset does not exist), never
/// `{"id": null}`.
#[test]
fn delete_answers_the_project_even_when_nothing_was_deleted() {
    let mut fx = v1_fixture(2, 0);
    let base = fixture(json!({}));
    let mut projects = base["projects"].as_array().unwrap().clone();
    projects.push(json!({"id": "p_hidden", "title": "hidden", "input_type": "IMAGE",
        "organization_id": "org1", "members": []}));
    fx["projects"] = json!(projects);
    fx["assets"]
        .as_array_mut()
        .unwrap()
        .push(json!({"id": "hid", "project_id": "p_hidden", "external_id": "hid"}));
    let env = env(fx);
    // Nothing deleted: the asset is in a project the key cannot see.
    let e = env
        .mutate(
            "delete_many_from_dataset",
            json!({"asset_ids": ["hid"], "project_id": project("IMAGE")}),
        )
        .unwrap_err();
    assert_eq!(e.status(), kili::Status::PartialFailure, "{e}");
    assert_eq!(e.details()["result"], json!({"id": project("IMAGE")}));
    // Deleted, then deleted again without a project: the project is unknown.
    let r = env
        .mutate("delete_many_from_dataset", json!({"asset_ids": ["t0"]}))
        .unwrap();
    assert_eq!(r["result"], json!({"id": project("IMAGE")}));
    let r = env
        .mutate("delete_many_from_dataset", json!({"asset_ids": ["t0"]}))
        .unwrap();
    assert_eq!(r["result"], Value::Null);
    assert_eq!(outcome_ids(&r, "succeeded"), vec!["t0"]);
}

/// Outcome items are named in snake_case everywhere (`asset_id`, `external_id`, `reason`),
/// including for methods whose `result` is the SDK's camelCase lists.
#[test]
fn outcome_keys_are_snake_case_for_every_action() {
    let env = env(v1_fixture(2, 2));
    let check = |r: &Value| {
        for key in ["succeeded", "declined", "failed"] {
            for item in r["outcomes"][key].as_array().unwrap() {
                let mut keys: Vec<&str> = item.as_object().unwrap().keys().map(|k| k.as_str()).collect();
                keys.sort();
                let expected: &[&str] = if key == "succeeded" {
                    &["asset_id", "external_id"]
                } else {
                    &["asset_id", "external_id", "reason"]
                };
                assert_eq!(keys, expected, "{key}: {item}");
            }
        }
    };
    let r = env
        .mutate("add_to_review", json!({"asset_ids": ["l0", "t0"]}))
        .unwrap();
    check(&r);
    let r = env
        .mutate("set_assets_priority", json!({"asset_ids": ["t0", "l0"], "priority": 2}))
        .unwrap();
    check(&r);
    assert!(r["result"]["succeeded"][0].get("assetId").is_some(), "{}", r["result"]);
    let r = env
        .mutate("send_back_to_queue", json!({"asset_ids": ["l0", "t1"]}))
        .unwrap();
    check(&r);
    let r = env
        .mutate("delete_many_from_dataset", json!({"asset_ids": ["l1"]}))
        .unwrap();
    check(&r);
}

// ---------------------------------------------------------------------------------------------
// A.7: imports

/// When every given external id is already in the project the reference raises
/// `ImportValidationError("No assets to import, all given external_ids already exist in the
/// project")`; an import where some are new imports those and declines the others.
#[test]
fn import_of_only_existing_external_ids_is_an_error_like_the_seed() {
    let env = env(v1_fixture(2, 0));
    let p = project("IMAGE");
    let e = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": p, "content_array": ["https://h/a.png", "https://h/b.png"],
                   "external_id_array": ["x-t0", "x-t1"]}),
        )
        .unwrap_err();
    assert_eq!(e.status(), kili::Status::InvalidArgument, "{e}");
    assert!(e.to_string().contains("all given external_ids already exist in the project"), "{e}");
    assert_eq!(env.assets(&p, &["id"]).len(), 2, "nothing created");
    let r = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": p, "content_array": ["https://h/a.png", "https://h/c.png"],
                   "external_id_array": ["x-t0", "new"]}),
        )
        .unwrap();
    assert_eq!(outcome_ext(&r, "declined"), vec!["x-t0"]);
    assert_eq!(r["result"]["asset_ids"].as_array().unwrap().len(), 1);
}
