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
    projects.push(
        json!({"id": V2, "title": "V2", "input_type": "TEXT", "workflow_version": "V2",
        "organization_id": "org1", "members": [{"user_id": "u1", "role": "ADMIN"}],
        "steps": [{"id": "s-label", "name": "Labeling", "type": "DEFAULT"},
                  {"id": "s-review", "name": "Review", "type": "REVIEW"}]}),
    );
    let assets: Vec<Value> = (0..n)
        .map(|i| {
            json!({"id": format!("v{i}"), "project_id": V2, "external_id": format!("vx{i}"),
            "status": legacy, "current_step": {"step_id": "s-label", "status": step_status}})
        })
        .collect();
    let labels: Vec<Value> = (0..n)
        .map(|i| {
            json!({"id": format!("vl{i}"), "asset_id": format!("v{i}"), "author_id": "u1",
            "json_response": {}, "step_id": "s-label"})
        })
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
                (
                    r["currentStep"]["id"].clone(),
                    r["currentStep"]["status"].clone(),
                ),
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
    assert_eq!(
        sends(&env, "addAssetsToReview"),
        2,
        "sent, then resent once"
    );
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
    assert_eq!(
        sends(&env, "sendAssetsBackToQueue"),
        2,
        "sent, then resent once"
    );
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
    assert_eq!(
        sends(&env, "addAssetsToReview"),
        2,
        "two batches, each sent once"
    );
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
        .mutate(
            "add_to_review",
            json!({"asset_ids": ["l2", "t0", "l0", "l1"]}),
        )
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
    assert_eq!(
        r["result"],
        json!({"id": project("IMAGE"), "asset_ids": []})
    );
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
    projects.push(
        json!({"id": "p_hidden", "title": "hidden", "input_type": "IMAGE",
        "organization_id": "org1", "members": []}),
    );
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
                let mut keys: Vec<&str> = item
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(|k| k.as_str())
                    .collect();
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
        .mutate(
            "set_assets_priority",
            json!({"asset_ids": ["t0", "l0"], "priority": 2}),
        )
        .unwrap();
    check(&r);
    assert!(
        r["result"]["succeeded"][0].get("assetId").is_some(),
        "{}",
        r["result"]
    );
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
    assert!(
        e.to_string()
            .contains("all given external_ids already exist in the project"),
        "{e}"
    );
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

/// The reference raises "all given external_ids already exist" only when the number of
/// existing external ids equals the number of input assets. External ids repeated in the input
/// are dropped (every copy) and never looked up, so `[existing, dup, dup]` imports nothing and
/// answers `{"id", "asset_ids": []}` without an error; `[dup, dup]` makes no
/// `filterExistingAssets` request at all.
#[test]
fn duplicated_external_ids_do_not_count_as_existing_like_the_seed() {
    let env = env(v1_fixture(2, 0));
    let p = project("IMAGE");
    let r = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": p,
                   "content_array": ["https://h/a.png", "https://h/b.png", "https://h/c.png"],
                   "external_id_array": ["x-t0", "d", "d"]}),
        )
        .unwrap();
    assert_eq!(r["result"], json!({"id": p, "asset_ids": []}));
    let mut declined = outcome_ext(&r, "declined");
    declined.sort();
    assert_eq!(declined, vec!["d", "d", "x-t0"]);
    assert_eq!(sends(&env, "appendManyAssets"), 0);
    assert_eq!(env.assets(&p, &["id"]).len(), 2, "nothing created");

    let before = sends(&env, "filterExistingAssets");
    let r = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": p, "content_array": ["https://h/a.png", "https://h/b.png"],
                   "external_id_array": ["x-t0", "x-t0"]}),
        )
        .unwrap();
    assert_eq!(r["result"], json!({"id": p, "asset_ids": []}));
    assert_eq!(
        sends(&env, "filterExistingAssets"),
        before,
        "no id to look up"
    );
}

/// Rich text (a TEXT call with `json_content`): the reference counts the call as hosted (it
/// has no content), so it makes no licence check, and uploads each `json_content` as JSON text
/// to `<asset>/jsonContent`, sending `contentArray: [""]` and the signed URL in
/// `jsonContentArray`.
#[test]
fn rich_text_import_makes_no_licence_check_like_the_seed() {
    let env =
        env(json!({"organizations": [{"id": "org1", "name": "Org", "upload_local_data": false}]}));
    let p = project("TEXT");
    let r = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": p, "json_content_array": [[{"children": [{"text": "hé"}], "type": "p"}]],
                   "external_id_array": ["rich"], "id_array": ["rich1"]}),
        )
        .unwrap();
    assert_eq!(r["result"], json!({"id": p, "asset_ids": ["rich1"]}));
    let log = env.emu.request_log();
    assert!(
        !log.iter().any(|r| matches!(
            r.operation.as_deref(),
            Some("viewer" | "countOrganizations" | "organizations")
        )),
        "no licence check"
    );
    let sent = log
        .iter()
        .find(|r| r.operation.as_deref() == Some("appendManyAssets"))
        .and_then(|r| r.body.clone())
        .unwrap();
    let data = &sent["variables"]["data"];
    assert_eq!(data["contentArray"], json!([""]));
    let url = data["jsonContentArray"][0].as_str().unwrap();
    assert!(
        url.contains("projects/p_text/assets/rich1/jsonContent"),
        "{url}"
    );
    // The uploaded text is Python's `json.dumps` of the value, byte for byte.
    let id = url.split("&id=").nth(1).expect("a signed URL with &id=");
    let files = format!(
        "{}?id={id}",
        env.emu.endpoint().replace("/graphql", "/files")
    );
    let body = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            reqwest::Client::new()
                .get(&files)
                .header("Authorization", format!("X-API-Key: {KEY}"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        });
    assert_eq!(
        body,
        r#"[{"children": [{"text": "h\u00e9"}], "type": "p"}]"#
    );
}

/// The reference decides "rich text" for the whole TEXT call: as soon as one asset has a
/// `json_content`, any asset with a content fails the call with "Cannot import content when
/// importing a Rich Text asset", before anything is created.
#[test]
fn rich_text_call_refuses_any_content_like_the_seed() {
    let env = env(json!({}));
    let p = project("TEXT");
    let e = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": p, "content_array": ["plain text", ""],
                   "json_content_array": [null, [{"children": []}]],
                   "external_id_array": ["raw", "rich"]}),
        )
        .unwrap_err();
    assert_eq!(e.status(), kili::Status::InvalidArgument, "{e}");
    assert!(
        e.to_string()
            .contains("Cannot import content when importing a Rich Text asset"),
        "{e}"
    );
    assert_eq!(e.details()["path"], "content_array[0]");
    assert!(env.assets(&p, &["id"]).is_empty(), "nothing created");
}

/// Asynchronous imports (deliberate difference, docs/FIDELITY.md): the reference returns `[]`
/// for a batch it waited for and the literal string `"id"` for one it did not. kili-native
/// lists the ids of the assets it verified, and lists none it did not wait for (those are
/// `pending` outcomes).
#[test]
fn async_import_lists_verified_ids_only() {
    let env = env(json!({}));
    let p = project("VIDEO");
    let r = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": p, "content_array": ["https://h/v.mp4"], "external_id_array": ["v"],
                   "id_array": ["vid1"], "wait_until_availability": true}),
        )
        .unwrap();
    assert_eq!(r["result"], json!({"id": p, "asset_ids": ["vid1"]}));
    let r = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": p, "content_array": ["https://h/w.mp4"], "external_id_array": ["w"],
                   "id_array": ["vid2"], "wait_until_availability": false}),
        )
        .unwrap();
    assert_eq!(r["result"], json!({"id": p, "asset_ids": []}));
    assert_eq!(outcome_ids(&r, "pending"), vec!["vid2"]);
}

/// An import batch that the server refuses with a GraphQL error (deliberate difference,
/// docs/FIDELITY.md): the reference raises that error and never sends the later batches;
/// kili-native fails that batch's assets, still creates the later batches, and ends with
/// `PARTIAL_FAILURE` listing every asset.
#[test]
fn import_batches_after_a_graphql_error_still_run() {
    let env = env(v1_fixture(1, 0));
    let p = project("IMAGE");
    // The first asset reuses the id of an existing asset with other values: the server refuses
    // the whole first batch.
    let mut ids = vec!["t0".to_string()];
    ids.extend((1..101).map(|i| format!("new{i}")));
    let n = ids.len();
    let e = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": p,
                   "content_array": (0..n).map(|i| format!("https://h/{i}.png")).collect::<Vec<_>>(),
                   "external_id_array": (0..n).map(|i| format!("e{i}")).collect::<Vec<_>>(),
                   "id_array": ids}),
        )
        .unwrap_err();
    assert_eq!(e.status(), kili::Status::PartialFailure, "{e}");
    let d = e.details();
    assert_eq!(d["outcomes"]["failed"].as_array().unwrap().len(), 100);
    assert_eq!(outcome_ids(&d, "succeeded"), vec!["new100"]);
    assert_eq!(d["result"], json!({"id": p, "asset_ids": ["new100"]}));
    assert_eq!(sends(&env, "appendManyAssets"), 2);
}

// ---------------------------------------------------------------------------------------------
// A.7: updates

/// `update_properties_in_assets` with no property list: the reference resolves the assets and
/// sends `whereArray` with one item per asset and `dataArray: []`, and returns the server's
/// answer (the emulator changes nothing and returns the assets).
#[test]
fn update_with_no_property_sends_an_empty_data_array_like_the_seed() {
    let env = env(v1_fixture(2, 0));
    let r = env
        .mutate(
            "update_properties_in_assets",
            json!({"asset_ids": ["t0", "t1"], "status_array": ["TODO", "TODO"]}),
        )
        .unwrap();
    assert_eq!(r["result"], json!([{"id": "t0"}, {"id": "t1"}]));
    let sent: Vec<Value> = env
        .emu
        .request_log()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("updatePropertiesInAssets"))
        .filter_map(|r| r.body.clone())
        .collect();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0]["variables"],
        json!({"whereArray": [{"id": "t0"}, {"id": "t1"}], "dataArray": []})
    );
    // By external ids: resolved first, as in the reference.
    let r = env
        .mutate(
            "update_properties_in_assets",
            json!({"external_ids": ["x-t1"], "project_id": project("IMAGE")}),
        )
        .unwrap();
    assert_eq!(r["result"], json!([{"id": "t1"}]));
}

/// An update batch refused with a GraphQL error (deliberate difference, docs/FIDELITY.md): the
/// reference raises `GraphQL error at index <i>` and never sends the later batches;
/// kili-native fails that batch's assets, still applies the later batches, and ends with
/// `PARTIAL_FAILURE`.
#[test]
fn update_batches_after_a_graphql_error_still_run() {
    let env = env(v1_fixture(100, 0));
    // The first batch (100 items) holds an unknown id: the server refuses all of it.
    let mut ids = vec!["nope".to_string()];
    ids.extend((0..100).map(|i| format!("t{i}")));
    let n = ids.len();
    let e = env
        .mutate(
            "update_properties_in_assets",
            json!({"asset_ids": ids, "priorities": vec![2; n]}),
        )
        .unwrap_err();
    assert_eq!(e.status(), kili::Status::PartialFailure, "{e}");
    let d = e.details();
    assert_eq!(d["outcomes"]["failed"].as_array().unwrap().len(), 100);
    assert_eq!(outcome_ids(&d, "succeeded"), vec!["t99"]);
    assert_eq!(d["result"], json!([{"id": "t99"}]));
    let prio: HashMap<String, Value> = env
        .assets(&project("IMAGE"), &["id", "priority"])
        .into_iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r["priority"].clone()))
        .collect();
    assert_eq!(prio["t99"], json!(2));
    assert_eq!(prio["t0"], json!(0));
}
