//! AssetWhere semantics (the conformance suite covers the same through the official SDK).

use serde_json::json;

use super::common::*;

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn order_is_created_at_then_id_and_skip_first_are_exact() {
    let emu = start();
    let e = emu.endpoint();
    assert_eq!(
        asset_ids(&e, ALICE, json!({"project": {"id": "proj-1"}})),
        ids(&["a1", "a2", "a3", "a4", "a5", "a6"])
    );
    let d = data(
        &e,
        ALICE,
        "{ data: assets(where: {project: {id: \"proj-1\"}}, skip: 2, first: 3) { id } }",
        json!({}),
    );
    assert_eq!(d["data"], json!([{"id": "a3"}, {"id": "a4"}, {"id": "a5"}]));
}

#[test]
fn sequential_pages_match_offsets() {
    // The seek cache must give exactly what OFFSET gives, page after page and after writes.
    let emu = start();
    let e = emu.endpoint();
    let q = "query($s: Int!, $f: PageSize!) { data: assets(where: {project: {id: \"proj-1\"}}, skip: $s, first: $f) { id } }";
    let page = |s: i64, f: i64| -> Vec<String> {
        data(&e, ALICE, q, json!({"s": s, "f": f}))["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(page(0, 2), ids(&["a1", "a2"]));
    assert_eq!(page(2, 2), ids(&["a3", "a4"]));
    assert_eq!(page(4, 2), ids(&["a5", "a6"]));
    assert_eq!(page(3, 2), ids(&["a4", "a5"]));
    data(
        &e,
        ALICE,
        "mutation { data: deleteAssets(where: {idIn: [\"a2\"]}) { succeeded { assetId } } }",
        json!({}),
    );
    assert_eq!(page(2, 2), ids(&["a4", "a5"]));
    assert_eq!(page(4, 2), ids(&["a6"]));
}

#[test]
fn asset_fields_filters() {
    let emu = start();
    let e = emu.endpoint();
    let p = |mut w: serde_json::Value| {
        w["project"] = json!({"id": "proj-1"});
        asset_ids(&e, ALICE, w)
    };
    assert_eq!(
        p(json!({"externalIdIn": ["img"]})),
        ids(&["a1", "a2", "a3", "a6"])
    );
    assert_eq!(
        p(json!({"externalIdStrictlyIn": ["img", "other-4"]})),
        ids(&["a4"])
    );
    assert_eq!(
        p(json!({"statusIn": ["TODO", "ONGOING"]})),
        ids(&["a1", "a5", "a6"])
    );
    assert_eq!(p(json!({"consensusMarkGte": 0.5})), ids(&["a2", "a3"]));
    assert_eq!(
        p(json!({"consensusMarkGte": 0.2, "consensusMarkLte": 0.5})),
        ids(&["a1", "a2"])
    );
    assert_eq!(p(json!({"honeypotMarkGte": 0.7})), ids(&["a4"]));
    assert_eq!(p(json!({"inferenceMarkLte": 0.3})), ids(&["a5"]));
    assert_eq!(
        p(json!({"idNotIn": ["a1", "a6"]})),
        ids(&["a2", "a3", "a4", "a5"])
    );
    assert_eq!(p(json!({"skipped": true})), ids(&["a3"]));
    assert_eq!(p(json!({"idIn": []})), Vec::<String>::new());
}

#[test]
fn date_bounds_are_inclusive() {
    let emu = start();
    let e = emu.endpoint();
    let p = |mut w: serde_json::Value| {
        w["project"] = json!({"id": "proj-1"});
        asset_ids(&e, ALICE, w)
    };
    assert_eq!(
        p(json!({"createdAtLte": "2024-01-02"})),
        ids(&["a1", "a2", "a3"])
    );
    assert_eq!(
        p(json!({"createdAtGte": "2024-01-02", "createdAtLte": "2024-01-02"})),
        ids(&["a2", "a3"])
    );
    assert_eq!(
        p(json!({"createdAtGte": "2024-01-02T12:00:00.000Z"})),
        ids(&["a3", "a4", "a5", "a6"])
    );
    assert_eq!(
        p(json!({"createdAtLte": "2024-01-02T12:00:00Z"})),
        ids(&["a1", "a2", "a3"])
    );
    assert_eq!(
        p(json!({"label": {"createdAt": "2024-03-02"}})),
        ids(&["a3", "a4"])
    );
    assert_eq!(
        p(json!({"label": {"createdAtGte": "2024-03-03"}})),
        ids(&["a3"])
    );
}

#[test]
fn metadata_equality_any_of_and_range() {
    let emu = start();
    let e = emu.endpoint();
    let p = |m: serde_json::Value| {
        asset_ids(
            &e,
            ALICE,
            json!({"project": {"id": "proj-1"}, "metadata": m}),
        )
    };
    assert_eq!(p(json!({"split": "train"})), ids(&["a1", "a3"]));
    assert_eq!(p(json!({"split": ["test", "nope", "x"]})), ids(&["a2"]));
    assert_eq!(p(json!({"score": [5, 20]})), ids(&["a2", "a3"])); // "12" (a string) counts as 12
    assert_eq!(p(json!({"score": 3})), ids(&["a1"]));
    assert_eq!(p(json!({"split": "train", "score": [0, 5]})), ids(&["a1"]));
}

#[test]
fn label_criteria_bind_to_one_label() {
    let emu = start();
    let e = emu.endpoint();
    let p = |l: serde_json::Value| {
        asset_ids(&e, ALICE, json!({"project": {"id": "proj-1"}, "label": l}))
    };
    assert_eq!(p(json!({"typeIn": ["REVIEW"]})), ids(&["a3"]));
    assert_eq!(
        p(json!({"typeIn": []})),
        ids(&["a1", "a2", "a3", "a4", "a5", "a6"])
    );
    assert_eq!(p(json!({"authorIn": ["Bob"]})), ids(&["a2", "a3"]));
    assert_eq!(p(json!({"authorIn": ["Smith"]})), ids(&["a3", "a4"]));
    assert_eq!(
        p(json!({"authorIn": ["Alice Smith"], "typeIn": ["PREDICTION"]})),
        ids(&["a4"])
    );
    // a3 has a REVIEW label and a label by Bob, but no REVIEW label by Bob.
    assert_eq!(
        p(json!({"authorIn": ["Bob"], "typeIn": ["REVIEW"]})),
        Vec::<String>::new()
    );
    assert_eq!(p(json!({"consensusMarkGte": 0.7})), ids(&["a2"]));
    assert_eq!(p(json!({"search": "JOB.CAR.count >= 2"})), ids(&["a2"]));
    assert_eq!(
        p(json!({"search": "JOB.CAR.count == 1 OR CLS.YES.count > 0"})),
        ids(&["a3", "a4"])
    );
    assert_eq!(
        p(json!({"search": "JOB.PERSON.count == 1 AND JOB.CAR.count == 1"})),
        Vec::<String>::new()
    );
    assert_eq!(
        p(json!({"labelerIn": ["bob@example.com"]})),
        ids(&["a2", "a3"])
    );
    assert_eq!(p(json!({"reviewerIn": ["user-alice"]})), ids(&["a3"]));
    assert_eq!(
        p(json!({"reviewerNotIn": ["alice@example.com"]})),
        ids(&["a1", "a2", "a4", "a5", "a6"])
    );
    assert_eq!(
        p(json!({"labelerNotIn": ["bob@example.com"]})),
        ids(&["a1", "a4", "a5", "a6"])
    );
}

#[test]
fn assignee_and_issue_filters() {
    let emu = start();
    let e = emu.endpoint();
    let p = |mut w: serde_json::Value| {
        w["project"] = json!({"id": "proj-1"});
        asset_ids(&e, ALICE, w)
    };
    assert_eq!(p(json!({"assigneeIn": ["bob@example.com"]})), ids(&["a1"]));
    assert_eq!(p(json!({"assigneeIn": ["user-bob"]})), ids(&["a1"]));
    assert_eq!(p(json!({"assigneeNotIn": ["bob@example.com"]})).len(), 5);
    assert_eq!(p(json!({"issue": {"type": "ISSUE"}})), ids(&["a1"]));
    assert_eq!(
        p(json!({"issue": {"type": "QUESTION", "status": "SOLVED"}})),
        ids(&["a2"])
    );
    assert_eq!(
        p(json!({"issue": {"type": "QUESTION", "status": "OPEN"}})),
        Vec::<String>::new()
    );
}

#[test]
fn step_and_group_filters() {
    let emu = start();
    let e = emu.endpoint();
    let p = |mut w: serde_json::Value| {
        w["project"] = json!({"id": "proj-v2"});
        asset_ids(&e, ALICE, w)
    };
    assert_eq!(p(json!({"stepIdIn": ["s-label"]})), ids(&["v1", "v2"]));
    assert_eq!(p(json!({"stepIdNotIn": ["s-label"]})), ids(&["v3", "v4"]));
    assert_eq!(p(json!({"stepStatusIn": ["DOING"]})), ids(&["v3"]));
    assert_eq!(p(json!({"stepStatusIn": ["IN_PROGRESS"]})), ids(&["v3"]));
    assert_eq!(
        p(json!({"stepStatusNotIn": ["TO_DO", "DONE"]})),
        ids(&["v3", "v4"])
    );
    assert_eq!(
        p(
            json!({"stepIdAndStatusIn": [{"stepId": "s-label", "status": "DONE"}, {"stepId": "s-review2", "status": "SKIPPED"}]})
        ),
        ids(&["v2", "v4"])
    );
    assert_eq!(
        p(json!({"stepIdAndStatusNotIn": [{"stepId": "s-label", "status": "DONE"}]})),
        ids(&["v1", "v3", "v4"])
    );
    assert_eq!(p(json!({"groupNameIn": ["G2"]})), ids(&["v3", "v4"]));
    assert_eq!(p(json!({"groupNameNotIn": ["G2"]})), ids(&["v1", "v2"]));
    let d = data(&e, ALICE, "{ data: assets(where: {idIn: [\"v3\"]}, skip: 0, first: 1) { currentStep { id name status stepGroupName } } }", json!({}));
    assert_eq!(
        d["data"][0]["currentStep"],
        json!({"id": "s-review", "name": "Review", "status": "IN_PROGRESS", "stepGroupName": "G2"})
    );
}
