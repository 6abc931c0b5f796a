//! The asset mutations of the SDK's methods `set_assets_priority` (`setAssetsPriority`),
//! `assign_assets_to_labelers` (`assignAssets`), `update_asset_consensus`
//! (`setAssetConsensus`) and `skip_or_unskip` (`skipAsset` / `unskipAsset`).

use kili_emulator::{start_blocking, EmulatorConfig, EmulatorHandle};
use serde_json::{json, Value};

use super::common::*;

const OUTCOME: &str = "succeeded { assetId externalId } declined { assetId externalId } failed { assetId externalId details }";

/// The common fixture with `tweak` applied.
fn start_with(tweak: impl FnOnce(&mut Value)) -> EmulatorHandle {
    let mut fx = fixture();
    tweak(&mut fx);
    start_blocking(EmulatorConfig {
        fixtures: vec![fx],
        ..Default::default()
    })
}

fn ids(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x["assetId"].as_str().unwrap())
        .collect()
}

/// `fields` of the assets `ids` as alice sees them, by id.
fn read(e: &str, ids: &[&str], fields: &str) -> std::collections::HashMap<String, Value> {
    let q = format!("query($w: AssetWhere!) {{ data: assets(where: $w, skip: 0, first: 100) {{ id {fields} }} }}");
    data(e, ALICE, &q, json!({"w": {"idIn": ids}}))["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap().to_string(), a.clone()))
        .collect()
}

fn errors(body: &Value) -> (String, String) {
    let e = &body["errors"][0];
    (
        e["extensions"]["code"].as_str().unwrap_or("").to_string(),
        e["message"].as_str().unwrap_or("").to_string(),
    )
}

#[test]
fn set_assets_priority_sets_waiting_assets_and_declines_the_others() {
    let emu = start();
    let e = emu.endpoint();
    let q = format!("mutation($where: AssetWhere!, $priority: Int!) {{ data: setAssetsPriority(where: $where, priority: $priority) {{ {OUTCOME} }} }}");
    // a1 TODO, a5 ONGOING wait for work; a2 LABELED is done; a3 is skipped; m1 is mallory's.
    let vars = json!({"where": {"idIn": ["a1", "a2", "a3", "a5", "m1", "gone"]}, "priority": 7});
    let d = data(&e, ALICE, &q, vars.clone())["data"].clone();
    assert_eq!(ids(&d["succeeded"]), ["a1", "a5"]);
    assert_eq!(ids(&d["declined"]), ["a2", "a3"]);
    assert_eq!(ids(&d["failed"]), ["m1", "gone"]);
    let got = read(&e, &["a1", "a2", "a3", "a5"], "priority");
    assert_eq!(got["a1"]["priority"], 7);
    assert_eq!(got["a5"]["priority"], 7);
    assert_eq!(
        got["a2"]["priority"], 0,
        "declined assets keep their priority"
    );
    // A resent batch gives the same outcome and changes nothing more.
    let again = data(&e, ALICE, &q, vars)["data"].clone();
    assert_eq!(again, d);
    // V3: TO_DO waits for work, DOING and SKIPPED do not.
    let d = data(
        &e,
        ALICE,
        &q,
        json!({"where": {"idIn": ["v1", "v3", "v4"]}, "priority": 2}),
    )["data"]
        .clone();
    assert_eq!(ids(&d["succeeded"]), ["v1"]);
    assert_eq!(ids(&d["declined"]), ["v3", "v4"]);
    let (_, body) = post(
        &e,
        Some(ALICE),
        &q,
        json!({"where": {"idIn": ["a1"]}, "priority": -1}),
    );
    assert_eq!(errors(&body).0, "BAD_USER_INPUT");
}

#[test]
fn assign_assets_replaces_assignees_and_spares_labelers_with_drafts() {
    let emu = start_with(|fx| {
        // bob has a draft on a6, which he is assigned to.
        fx["assets"][5]["assigned_to"] = json!(["user-bob"]);
        fx["labels"].as_array_mut().unwrap().push(
            json!({"id": "draft6", "asset_id": "a6", "author_id": "user-bob",
            "label_type": "AUTOSAVE", "created_at": "2024-03-09T10:00:00.000Z"}),
        );
    });
    let e = emu.endpoint();
    let q = format!("mutation assignAssets($where: AssetWhere!, $userIds: [String!]!) {{ data: assignAssets(where: $where, userIds: $userIds) {{ {OUTCOME} }} }}");
    let d = data(
        &e,
        ALICE,
        &q,
        json!({"where": {"idIn": ["a1", "a2", "a6"]}, "userIds": ["user-alice"]}),
    )["data"]
        .clone();
    assert_eq!(ids(&d["succeeded"]), ["a1", "a2"]);
    assert_eq!(ids(&d["declined"]), ["a6"], "bob's draft keeps him on a6");
    let who = |got: &Value| -> Vec<String> {
        let mut v: Vec<String> = got["assignedTo"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].as_str().unwrap().to_string())
            .collect();
        v.sort();
        v
    };
    let got = read(&e, &["a1", "a2", "a6"], "assignedTo { id }");
    assert_eq!(who(&got["a1"]), ["user-alice"], "replaced, not added");
    assert_eq!(who(&got["a2"]), ["user-alice"]);
    assert_eq!(
        who(&got["a6"]),
        ["user-bob"],
        "a declined asset is unchanged"
    );
    // Keeping bob (plus alice) is allowed even with his draft; an empty list unassigns.
    let d = data(
        &e,
        ALICE,
        &q,
        json!({"where": {"idIn": ["a6"]}, "userIds": ["user-bob", "user-alice"]}),
    )["data"]
        .clone();
    assert_eq!(ids(&d["succeeded"]), ["a6"]);
    let d = data(
        &e,
        ALICE,
        &q,
        json!({"where": {"idIn": ["a1"]}, "userIds": []}),
    )["data"]
        .clone();
    assert_eq!(ids(&d["succeeded"]), ["a1"]);
    assert!(who(&read(&e, &["a1"], "assignedTo { id }")["a1"]).is_empty());
    // A user outside the project fails the asset; an unknown user fails the call.
    let d = data(
        &e,
        ALICE,
        &q,
        json!({"where": {"idIn": ["a2"]}, "userIds": ["user-mallory"]}),
    )["data"]
        .clone();
    assert_eq!(ids(&d["failed"]), ["a2"]);
    assert!(d["failed"][0]["details"]
        .as_str()
        .unwrap()
        .contains("not a member"));
    let (_, body) = post(
        &e,
        Some(ALICE),
        &q,
        json!({"where": {"idIn": ["a2"]}, "userIds": ["nobody"]}),
    );
    let (code, msg) = errors(&body);
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(msg.contains("userIds[0]"), "{msg}");
    assert_eq!(
        who(&read(&e, &["a2"], "assignedTo { id }")["a2"]),
        ["user-alice"]
    );
}

const CONSENSUS: &str = "mutation setAssetConsensus($assetId: ID, $externalId: String, $projectId: ID!, $isConsensus: Boolean!) { data: setAssetConsensus(assetId: $assetId, externalId: $externalId, projectId: $projectId, isConsensus: $isConsensus) }";

#[test]
fn set_asset_consensus_checks_the_server_preconditions() {
    let emu = start_with(|fx| {
        fx["projects"][1]["consensus_tot_coverage"] = json!(100);
    });
    let e = emu.endpoint();
    // v1 waits in the labeling step (TO_DO).
    let d = data(
        &e,
        ALICE,
        CONSENSUS,
        json!({"assetId": "v1", "projectId": "proj-v2", "isConsensus": true}),
    );
    assert_eq!(d["data"], true);
    assert_eq!(
        read(&e, &["v1"], "isUsedForConsensus")["v1"]["isUsedForConsensus"],
        true
    );
    let d = data(
        &e,
        ALICE,
        CONSENSUS,
        json!({"externalId": "t1", "projectId": "proj-v2", "isConsensus": false}),
    );
    assert_eq!(d["data"], false);
    assert_eq!(
        read(&e, &["v1"], "isUsedForConsensus")["v1"]["isUsedForConsensus"],
        false
    );
    // v2 is DONE, a1 is in a legacy project, bob is no admin, ids that do not agree.
    for (vars, code, text) in [
        (
            json!({"assetId": "v2", "projectId": "proj-v2", "isConsensus": true}),
            "BAD_USER_INPUT",
            "TO_DO",
        ),
        (
            json!({"assetId": "a1", "projectId": "proj-1", "isConsensus": true}),
            "BAD_USER_INPUT",
            "legacy",
        ),
        (
            json!({"assetId": "v1", "externalId": "t2", "projectId": "proj-v2", "isConsensus": true}),
            "NOT_FOUND",
            "v1",
        ),
        (
            json!({"projectId": "proj-v2", "isConsensus": true}),
            "BAD_USER_INPUT",
            "assetId",
        ),
    ] {
        let (_, body) = post(&e, Some(ALICE), CONSENSUS, vars.clone());
        let (c, m) = errors(&body);
        assert_eq!(c, code, "{vars}: {body}");
        assert!(m.contains(text), "{vars}: {m}");
    }
    let (_, body) = post(
        &e,
        Some(BOB),
        CONSENSUS,
        json!({"assetId": "a1", "projectId": "proj-1", "isConsensus": true}),
    );
    assert_eq!(errors(&body).0, "FORBIDDEN", "{body}");
    // Without consensus on the project, nothing is accepted.
    let plain = start();
    let (_, body) = post(
        &plain.endpoint(),
        Some(ALICE),
        CONSENSUS,
        json!({"assetId": "v1", "projectId": "proj-v2", "isConsensus": true}),
    );
    assert!(errors(&body).1.contains("not enabled"), "{body}");
}

const SKIP: &str = "mutation SkipAsset($reason: String!, $where: AssetWhere!) { skipAsset(reason: $reason, where: $where) { id } }";
const UNSKIP: &str = "mutation UnskipAsset($projectId: ID!, $assetId: ID!) { unskipAsset(projectId: $projectId, assetId: $assetId) }";

#[test]
fn skip_and_unskip_are_idempotent_and_spare_consensus_assets() {
    let emu = start_with(|fx| {
        fx["assets"][5]["is_used_for_consensus"] = json!(true);
    });
    let e = emu.endpoint();
    let skip = |id: &str, project: &str| {
        post(
            &e,
            Some(ALICE),
            SKIP,
            json!({"reason": "blurry", "where": {"id": id, "project": {"id": project}}}),
        )
        .1
    };
    for _ in 0..2 {
        let b = skip("a1", "proj-1");
        assert_eq!(b["data"]["skipAsset"]["id"], "a1", "{b}");
    }
    assert_eq!(read(&e, &["a1"], "skipped")["a1"]["skipped"], true);
    // V3: the step status follows, and unskip puts the asset back to do.
    assert_eq!(skip("v1", "proj-v2")["data"]["skipAsset"]["id"], "v1");
    let got = read(&e, &["v1"], "skipped currentStep { status }");
    assert_eq!(got["v1"]["currentStep"]["status"], "SKIPPED");
    for _ in 0..2 {
        let d = data(
            &e,
            ALICE,
            UNSKIP,
            json!({"projectId": "proj-v2", "assetId": "v1"}),
        );
        assert_eq!(d["unskipAsset"], "v1");
    }
    let got = read(&e, &["v1"], "skipped currentStep { status }");
    assert_eq!(
        (
            got["v1"]["skipped"].clone(),
            got["v1"]["currentStep"]["status"].clone()
        ),
        (json!(false), json!("TO_DO"))
    );
    let d = data(
        &e,
        ALICE,
        UNSKIP,
        json!({"projectId": "proj-1", "assetId": "a1"}),
    );
    assert_eq!(d["unskipAsset"], "a1");
    assert_eq!(read(&e, &["a1"], "skipped")["a1"]["skipped"], false);
    // Consensus asset, wrong project, foreign asset.
    let (code, msg) = errors(&skip("a6", "proj-1"));
    assert_eq!(code, "BAD_USER_INPUT");
    assert!(msg.contains("consensus"), "{msg}");
    assert_eq!(read(&e, &["a6"], "skipped")["a6"]["skipped"], false);
    assert_eq!(errors(&skip("a1", "proj-v2")).0, "NOT_FOUND");
    assert_eq!(errors(&skip("m1", "proj-m")).0, "NOT_FOUND");
    let (_, b) = post(
        &e,
        Some(ALICE),
        UNSKIP,
        json!({"projectId": "proj-v2", "assetId": "a1"}),
    );
    assert_eq!(errors(&b).0, "NOT_FOUND");
}
