//! The asset methods of the reference SDK beyond the first six, through the mutation
//! dispatcher against the emulator: `set_assets_priority`, `assign_assets_to_labelers`,
//! `update_asset_consensus`, `add_metadata`, `set_metadata` and `skip_or_unskip` (arguments,
//! batching, per-item outcomes, results, validation before any request, and recovery of lost
//! answers without duplicated or lost effects).

mod mutations_support;

use kili::Status;
use kili_emulator::{FaultConfig, FaultKind, FaultPhase};
use mutations_support::*;
use serde_json::{json, Value};
use std::collections::HashMap;

/// `p_image` with `n` assets `a0..` (external ids `x0..`, status `TODO`, metadata
/// `{"k": i, "text": "t"}`) plus `done` (`LABELED`), a second member `u2`, and `p_v2`, a V2
/// project with consensus whose asset `v_todo` waits in the labeling step and `v_done` is done.
fn world(n: usize) -> Value {
    let base = fixture(json!({}));
    let mut projects = base["projects"].as_array().unwrap().clone();
    for p in projects.iter_mut() {
        if p["id"] == project("IMAGE") {
            p["members"]
                .as_array_mut()
                .unwrap()
                .push(json!({"user_id": "u2", "role": "LABELER"}));
        }
    }
    projects.push(json!({"id": "p_v2", "title": "V2", "input_type": "TEXT", "workflow_version": "V2",
        "organization_id": "org1", "consensus_tot_coverage": 100,
        "members": [{"user_id": "u1", "role": "ADMIN"}],
        "steps": [{"id": "s-label", "name": "Labeling", "type": "DEFAULT"}, {"id": "s-review", "name": "Review", "type": "REVIEW"}]}));
    let mut users = base["users"].as_array().unwrap().clone();
    users.push(json!({"id": "u2", "email": "two@example.com", "organization_id": "org1"}));
    let mut assets: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("a{i}"), "project_id": project("IMAGE"), "external_id": format!("x{i}"),
            "created_at": format!("2024-01-01T00:{:02}:{:02}.000Z", i / 60, i % 60),
            "json_metadata": {"k": i, "text": "t"}}))
        .collect();
    assets.push(json!({"id": "done", "project_id": project("IMAGE"), "external_id": "done", "status": "LABELED",
        "created_at": "2024-02-01T00:00:00.000Z"}));
    assets.push(json!({"id": "v_todo", "project_id": "p_v2", "external_id": "vt", "current_step": {"step_id": "s-label", "status": "TO_DO"}}));
    assets.push(json!({"id": "v_done", "project_id": "p_v2", "external_id": "vd", "current_step": {"step_id": "s-label", "status": "DONE"}}));
    json!({"projects": projects, "users": users, "assets": assets})
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("a{i}")).collect()
}

/// `field` of every asset of `project`, by id.
fn by_id(env: &Env, project_id: &str, field: &str) -> HashMap<String, Value> {
    env.assets(project_id, &["id", field])
        .into_iter()
        .map(|r| {
            let key = field.split('.').next().unwrap();
            (r["id"].as_str().unwrap().to_string(), r[key].clone())
        })
        .collect()
}

/// Number of requests of root field `op` the emulator received.
fn sent(env: &Env, op: &str) -> usize {
    env.emu
        .request_log()
        .iter()
        .filter(|r| r.operation.as_deref() == Some(op))
        .count()
}

fn assignees(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .map(|a| {
            a.iter()
                .map(|u| u["id"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn invalid(r: kili::Result<Value>, path: &str) -> String {
    let e = r.unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument, "{e}");
    assert_eq!(e.details()["path"], path, "{e}");
    e.to_string()
}

#[test]
fn set_assets_priority_in_batches_with_the_sdk_outcome_as_result() {
    let env = env(world(150));
    let mut given = ids(150);
    given.push("done".into());
    let r = env
        .mutate(
            "set_assets_priority",
            json!({"priority": 4, "asset_ids": given}),
        )
        .unwrap();
    assert_eq!(sent(&env, "setAssetsPriority"), 2, "batches of 100");
    assert_eq!(outcome_ids(&r, "succeeded"), ids(150));
    assert_eq!(outcome_ids(&r, "declined"), ["done"]);
    // The reference's return value: the server's lists merged.
    let res = &r["result"];
    assert_eq!(res["succeeded"].as_array().unwrap().len(), 150);
    assert_eq!(
        res["succeeded"][0],
        json!({"assetId": "a0", "externalId": "x0"})
    );
    assert_eq!(
        res["declined"],
        json!([{"assetId": "done", "externalId": "done"}])
    );
    assert_eq!(res["failed"], json!([]));
    let prio = by_id(&env, &project("IMAGE"), "priority");
    assert!(ids(150).iter().all(|i| prio[i] == 4));
    assert_eq!(prio["done"], 0);
    // By external ids.
    let r = env
        .mutate(
            "set_assets_priority",
            json!({"priority": 9, "external_ids": ["x3"], "project_id": project("IMAGE")}),
        )
        .unwrap();
    assert_eq!(outcome_ext(&r, "succeeded"), ["x3"]);
    assert_eq!(by_id(&env, &project("IMAGE"), "priority")["a3"], 9);
}

#[test]
fn validation_names_the_argument_before_any_request() {
    let env = env(world(2));
    let before = env.graphql_requests();
    invalid(
        env.mutate("set_assets_priority", json!({"asset_ids": ["a0"]})),
        "priority",
    );
    invalid(
        env.mutate(
            "set_assets_priority",
            json!({"priority": -1, "asset_ids": ["a0"]}),
        ),
        "priority",
    );
    invalid(
        env.mutate(
            "set_assets_priority",
            json!({"priority": 1.5, "asset_ids": ["a0"]}),
        ),
        "priority",
    );
    let m = invalid(
        env.mutate(
            "assign_assets_to_labelers",
            json!({"asset_ids": ["a0", "a1"], "to_be_labeled_by_array": [["u2"]]}),
        ),
        "to_be_labeled_by_array",
    );
    assert!(
        m.contains("as many assets as there are lists of labelers"),
        "{m}"
    );
    invalid(
        env.mutate(
            "assign_assets_to_labelers",
            json!({"asset_ids": ["a0"], "to_be_labeled_by_array": [[""]]}),
        ),
        "to_be_labeled_by_array[0][0]",
    );
    invalid(
        env.mutate(
            "update_asset_consensus",
            json!({"project_id": "p_v2", "is_consensus": true}),
        ),
        "asset_id",
    );
    invalid(
        env.mutate(
            "update_asset_consensus",
            json!({"project_id": "p_v2", "asset_id": "v_todo"}),
        ),
        "is_consensus",
    );
    invalid(
        env.mutate(
            "add_metadata",
            json!({"json_metadata": [{"a": 1}], "asset_ids": ["a0"]}),
        ),
        "project_id",
    );
    invalid(
        env.mutate(
            "set_metadata",
            json!({"json_metadata": [{"a": 1}], "project_id": "p", "asset_ids": ["a0", "a1"]}),
        ),
        "json_metadata",
    );
    invalid(
        env.mutate(
            "add_metadata",
            json!({"json_metadata": [{"a": [1]}], "project_id": "p", "asset_ids": ["a0"]}),
        ),
        "json_metadata[0].a",
    );
    invalid(
        env.mutate("add_metadata", json!({"json_metadata": [{"a": 1}], "project_id": "p", "asset_ids": ["a0"], "external_ids": ["x0"]})),
        "external_ids",
    );
    let m = invalid(
        env.mutate(
            "skip_or_unskip",
            json!({"action": "skip", "asset_id": "a0", "project_id": "p"}),
        ),
        "reason",
    );
    assert!(
        m.contains("You must provide a reason to skip an asset"),
        "{m}"
    );
    invalid(
        env.mutate(
            "skip_or_unskip",
            json!({"action": "hop", "asset_id": "a0", "project_id": "p"}),
        ),
        "action",
    );
    assert_eq!(
        env.graphql_requests(),
        before,
        "no request for invalid arguments"
    );
}

#[test]
fn assign_groups_assets_by_labeler_list() {
    let env = env(world(4));
    let r = env
        .mutate(
            "assign_assets_to_labelers",
            json!({"asset_ids": ids(4), "to_be_labeled_by_array": [["u2"], ["u1", "u2"], ["u2"], []]}),
        )
        .unwrap();
    assert_eq!(
        sent(&env, "assignAssets"),
        3,
        "one request per distinct list"
    );
    // Outcomes follow the groups, in order of first appearance (as the reference merges them).
    assert_eq!(outcome_ids(&r, "succeeded"), ["a0", "a2", "a1", "a3"]);
    assert_eq!(r["result"]["succeeded"].as_array().unwrap().len(), 4);
    let got = by_id(&env, &project("IMAGE"), "assignedTo.id");
    assert_eq!(assignees(&got["a0"]), ["u2"]);
    assert_eq!(assignees(&got["a1"]), ["u1", "u2"]);
    assert!(assignees(&got["a3"]).is_empty());
    // A user outside the project: that asset fails, the call reports it.
    let e = env
        .mutate(
            "assign_assets_to_labelers",
            json!({"asset_ids": ["a0"], "to_be_labeled_by_array": [["u9"]]}),
        )
        .unwrap_err();
    assert_eq!(e.status(), Status::PartialFailure, "{e}");
    assert!(e.details()["outcomes"]["failed"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("u9"));
}

#[test]
fn update_asset_consensus_returns_the_value_set() {
    let env = env(world(1));
    let r = env
        .mutate(
            "update_asset_consensus",
            json!({"project_id": "p_v2", "is_consensus": true, "asset_id": "v_todo"}),
        )
        .unwrap();
    assert_eq!(r["result"], true);
    assert_eq!(outcome_ids(&r, "succeeded"), ["v_todo"]);
    assert_eq!(by_id(&env, "p_v2", "isUsedForConsensus")["v_todo"], true);
    let r = env
        .mutate(
            "update_asset_consensus",
            json!({"project_id": "p_v2", "is_consensus": false, "external_id": "vt"}),
        )
        .unwrap();
    assert_eq!(r["result"], false);
    assert_eq!(outcome_ext(&r, "succeeded"), ["vt"]);
    assert_eq!(by_id(&env, "p_v2", "isUsedForConsensus")["v_todo"], false);
    // A refused precondition (the asset is done) fails the item with the server's reason.
    let e = env
        .mutate(
            "update_asset_consensus",
            json!({"project_id": "p_v2", "is_consensus": true, "asset_id": "v_done"}),
        )
        .unwrap_err();
    assert_eq!(e.status(), Status::PartialFailure);
    assert_eq!(e.details()["result"], Value::Null);
    assert!(
        e.details()["outcomes"]["failed"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("TO_DO"),
        "{e}"
    );
}

#[test]
fn add_and_set_metadata_merge_with_what_is_stored() {
    let env = env(world(3));
    let p = project("IMAGE");
    // Given in reverse creation order: each object still goes to its own asset.
    let r = env
        .mutate("add_metadata", json!({"project_id": p, "asset_ids": ["a2", "a0"], "json_metadata": [{"n": "two"}, {"n": "zero", "k": 10}]}))
        .unwrap();
    let mut res: Vec<&str> = r["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    res.sort();
    assert_eq!(res, ["a0", "a2"]);
    let meta = by_id(&env, &p, "jsonMetadata");
    assert_eq!(meta["a2"], json!({"k": 2, "text": "t", "n": "two"}));
    assert_eq!(meta["a0"], json!({"k": 10, "text": "t", "n": "zero"}));
    // set: replaced, except the keys Kili relies on.
    let r = env
        .mutate(
            "set_metadata",
            json!({"project_id": p, "external_ids": ["x1"], "json_metadata": [{"only": 1.5}]}),
        )
        .unwrap();
    assert_eq!(outcome_ext(&r, "succeeded"), ["x1"]);
    assert_eq!(
        by_id(&env, &p, "jsonMetadata")["a1"],
        json!({"text": "t", "only": 1.5})
    );
    // An id outside the project fails alone; the others are written.
    let e = env
        .mutate("set_metadata", json!({"project_id": p, "asset_ids": ["a0", "v_todo"], "json_metadata": [{"z": 1}, {"z": 2}]}))
        .unwrap_err();
    assert_eq!(e.status(), Status::PartialFailure);
    assert_eq!(e.details()["outcomes"]["failed"][0]["asset_id"], "v_todo");
    assert_eq!(e.details()["result"], json!([{"id": "a0"}]));
    assert_eq!(
        by_id(&env, &p, "jsonMetadata")["a0"],
        json!({"text": "t", "z": 1})
    );
    assert_eq!(by_id(&env, "p_v2", "jsonMetadata")["v_todo"], json!({}));
}

#[test]
fn skip_or_unskip_returns_the_asset_id() {
    let env = env(world(1));
    let p = project("IMAGE");
    let r = env
        .mutate(
            "skip_or_unskip",
            json!({"action": "skip", "asset_id": "a0", "project_id": p, "reason": "blurry"}),
        )
        .unwrap();
    assert_eq!(r["result"], "a0");
    assert_eq!(by_id(&env, &p, "skipped")["a0"], true);
    let r = env
        .mutate(
            "skip_or_unskip",
            json!({"action": "unskip", "asset_id": "a0", "project_id": p}),
        )
        .unwrap();
    assert_eq!(r["result"], "a0");
    assert_eq!(by_id(&env, &p, "skipped")["a0"], false);
    // An asset of another project: the server refuses, the item fails.
    let e = env
        .mutate(
            "skip_or_unskip",
            json!({"action": "skip", "asset_id": "v_todo", "project_id": p, "reason": "x"}),
        )
        .unwrap_err();
    assert_eq!(e.status(), Status::PartialFailure, "{e}");
}

fn faults(op: &str, script: Vec<FaultKind>, phase: FaultPhase) -> FaultConfig {
    FaultConfig {
        script,
        only_operations: vec![op.to_string()],
        mutation_phase: phase,
        ..Default::default()
    }
}

#[test]
fn lost_answers_are_checked_not_resent() {
    let env = env(world(150));
    let p = project("IMAGE");
    // Applied, answer lost: the state read back confirms it, nothing is sent twice.
    env.emu.set_faults(faults(
        "setAssetsPriority",
        vec![FaultKind::Http500, FaultKind::Reset],
        FaultPhase::After,
    ));
    let r = env
        .mutate(
            "set_assets_priority",
            json!({"priority": 6, "asset_ids": ids(150)}),
        )
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded").len(), 150, "{}", r["outcomes"]);
    assert_eq!(sent(&env, "setAssetsPriority"), 2, "each batch sent once");
    assert!(by_id(&env, &p, "priority")
        .iter()
        .filter(|(k, _)| k.starts_with('a'))
        .all(|(_, v)| *v == 6));

    env.emu.set_faults(faults(
        "assignAssets",
        vec![FaultKind::Truncated],
        FaultPhase::After,
    ));
    let r = env
        .mutate(
            "assign_assets_to_labelers",
            json!({"asset_ids": ["a0", "a1"], "to_be_labeled_by_array": [["u2"], ["u2"]]}),
        )
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded"), ["a0", "a1"]);
    assert_eq!(sent(&env, "assignAssets"), 1);

    env.emu.set_faults(faults(
        "skipAsset",
        vec![FaultKind::Http500],
        FaultPhase::After,
    ));
    let r = env
        .mutate(
            "skip_or_unskip",
            json!({"action": "skip", "asset_id": "a5", "project_id": p, "reason": "r"}),
        )
        .unwrap();
    assert_eq!(r["result"], "a5");
    assert_eq!(sent(&env, "skipAsset"), 1);

    env.emu.set_faults(faults(
        "setAssetConsensus",
        vec![FaultKind::Reset],
        FaultPhase::After,
    ));
    let r = env
        .mutate(
            "update_asset_consensus",
            json!({"project_id": "p_v2", "is_consensus": true, "asset_id": "v_todo"}),
        )
        .unwrap();
    assert_eq!(r["result"], true);
    assert_eq!(sent(&env, "setAssetConsensus"), 1);
}

#[test]
fn unapplied_requests_are_resent_once_applied() {
    let env = env(world(150));
    let p = project("IMAGE");
    // Not applied: the state read back shows it, and only the missing batch is sent again.
    env.emu.set_faults(faults(
        "assignAssets",
        vec![FaultKind::Http502, FaultKind::Reset],
        FaultPhase::Before,
    ));
    let lists: Vec<Value> = (0..150).map(|_| json!(["u2"])).collect();
    let r = env
        .mutate(
            "assign_assets_to_labelers",
            json!({"asset_ids": ids(150), "to_be_labeled_by_array": lists}),
        )
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded").len(), 150, "{}", r["outcomes"]);
    assert_eq!(sent(&env, "assignAssets"), 4, "2 batches + 2 resends");
    let got = by_id(&env, &p, "assignedTo.id");
    assert!(ids(150).iter().all(|i| assignees(&got[i]) == ["u2"]));

    env.emu.set_faults(faults(
        "unskipAsset",
        vec![FaultKind::Http504],
        FaultPhase::Before,
    ));
    env.mutate(
        "skip_or_unskip",
        json!({"action": "skip", "asset_id": "a7", "project_id": p, "reason": "r"}),
    )
    .unwrap();
    let r = env
        .mutate(
            "skip_or_unskip",
            json!({"action": "unskip", "asset_id": "a7", "project_id": p}),
        )
        .unwrap();
    assert_eq!(r["result"], "a7");
    assert_eq!(
        sent(&env, "unskipAsset"),
        2,
        "sent again after the state showed it skipped"
    );
    assert_eq!(by_id(&env, &p, "skipped")["a7"], false);

    // Metadata: an update re-applied after a lost answer leaves the merged value once.
    env.emu.set_faults(faults(
        "updatePropertiesInAssets",
        vec![FaultKind::Http500],
        FaultPhase::After,
    ));
    env.mutate(
        "add_metadata",
        json!({"project_id": p, "asset_ids": ["a9"], "json_metadata": [{"n": 1}]}),
    )
    .unwrap();
    assert_eq!(
        by_id(&env, &p, "jsonMetadata")["a9"],
        json!({"k": 9, "text": "t", "n": 1})
    );
}
