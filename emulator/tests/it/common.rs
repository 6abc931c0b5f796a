//! Helpers: a fixture with known contents, and a small GraphQL client.

use kili_emulator::{start_blocking, EmulatorConfig, EmulatorHandle};
use serde_json::{json, Value};

pub const ALICE: &str = "alice-key";
pub const BOB: &str = "bob-key";
pub const MALLORY: &str = "mallory-key";

/// Users alice (admin of proj-1 and proj-v2), bob (labeler of proj-1), mallory (own project
/// only); proj-1 (V1 IMAGE) has 6 assets a1..a6 with labels and issues; proj-v2 (V3 TEXT) has
/// 3 steps in two groups and 4 assets.
pub fn fixture() -> Value {
    json!({
      "organizations": [{"id": "org-1", "name": "Acme", "upload_local_data": true}],
      "users": [
        {"id": "user-alice", "email": "alice@example.com", "firstname": "Alice", "lastname": "Smith", "organization_id": "org-1",
         "api_keys": [{"key": ALICE, "expiry_date": "2099-12-31T23:59:59.000Z"}]},
        {"id": "user-bob", "email": "bob@example.com", "firstname": "Bob", "lastname": "Jones", "organization_id": "org-1",
         "api_keys": [BOB]},
        {"id": "user-mallory", "email": "mallory@example.com", "firstname": "Mallory", "lastname": "Evil", "organization_id": "org-1",
         "api_keys": [MALLORY]}
      ],
      "projects": [
        {"id": "proj-1", "title": "Images", "input_type": "IMAGE", "workflow_version": "V1", "created_at": "2024-01-01T00:00:00.000Z",
         "json_interface": {"jobs": {}},
         "members": [{"user_id": "user-alice", "role": "ADMIN"}, {"user_id": "user-bob", "role": "LABELER"}]},
        {"id": "proj-v2", "title": "Texts", "input_type": "TEXT", "workflow_version": "V3", "created_at": "2024-01-02T00:00:00.000Z",
         "members": [{"user_id": "user-alice", "role": "ADMIN"}],
         "steps": [{"id": "s-label", "name": "Labeling", "type": "DEFAULT", "step_group_name": "G1"},
                   {"id": "s-review", "name": "Review", "type": "REVIEW", "step_group_name": "G2"},
                   {"id": "s-review2", "name": "Review 2", "type": "REVIEW", "step_group_name": "G2"}]},
        {"id": "proj-m", "title": "Mallory's", "input_type": "IMAGE", "members": [{"user_id": "user-mallory"}]}
      ],
      "assets": [
        {"id": "a1", "project_id": "proj-1", "external_id": "img-1", "content": "https://x/1.png", "json_metadata": {"split": "train", "score": 3},
         "created_at": "2024-01-01T00:00:00.000Z", "status": "TODO", "assigned_to": ["user-bob"], "consensus_mark": 0.2},
        {"id": "a2", "project_id": "proj-1", "external_id": "img-2", "content": "https://x/2.png", "json_metadata": {"split": "test", "score": 7},
         "created_at": "2024-01-02T00:00:00.000Z", "status": "LABELED", "consensus_mark": 0.5},
        {"id": "a3", "project_id": "proj-1", "external_id": "img-3", "content": "https://x/3.png", "json_metadata": {"split": "train", "score": "12"},
         "created_at": "2024-01-02T12:00:00.000Z", "status": "REVIEWED", "consensus_mark": 0.9, "skipped": true},
        {"id": "a4", "project_id": "proj-1", "external_id": "other-4", "content": "https://x/4.png",
         "created_at": "2024-01-03T00:00:00.000Z", "status": "TO_REVIEW", "honeypot_mark": 0.7},
        {"id": "a5", "project_id": "proj-1", "external_id": "other-5", "content": "https://x/5.png",
         "created_at": "2024-01-04T00:00:00.000Z", "status": "ONGOING", "inference_mark": 0.3},
        {"id": "a6", "project_id": "proj-1", "external_id": "img-6", "content": "https://x/6.png",
         "created_at": "2024-01-04T00:00:00.000Z", "status": "TODO"},
        {"id": "v1", "project_id": "proj-v2", "external_id": "t1", "created_at": "2024-02-01T00:00:00.000Z",
         "current_step": {"step_id": "s-label", "status": "TO_DO"}},
        {"id": "v2", "project_id": "proj-v2", "external_id": "t2", "created_at": "2024-02-02T00:00:00.000Z",
         "current_step": {"step_id": "s-label", "status": "DONE"}},
        {"id": "v3", "project_id": "proj-v2", "external_id": "t3", "created_at": "2024-02-03T00:00:00.000Z",
         "current_step": {"step_id": "s-review", "status": "DOING"}},
        {"id": "v4", "project_id": "proj-v2", "external_id": "t4", "created_at": "2024-02-04T00:00:00.000Z",
         "current_step": {"step_id": "s-review2", "status": "SKIPPED"}},
        {"id": "m1", "project_id": "proj-m", "external_id": "img-1"}
      ],
      "labels": [
        {"id": "l2", "asset_id": "a2", "author_id": "user-bob", "label_type": "DEFAULT", "created_at": "2024-03-01T10:00:00.000Z",
         "json_response": {"JOB": {"annotations": [{"mid": "x", "categories": [{"name": "CAR"}]}, {"mid": "y", "categories": [{"name": "CAR"}]}]}},
         "consensus_mark": 0.8},
        {"id": "l3", "asset_id": "a3", "author_id": "user-bob", "label_type": "DEFAULT", "created_at": "2024-03-02T10:00:00.000Z",
         "json_response": {"JOB": {"annotations": [{"mid": "z", "categories": [{"name": "CAR"}]}]}}},
        {"id": "l3r", "asset_id": "a3", "author_id": "user-alice", "label_type": "REVIEW", "created_at": "2024-03-03T10:00:00.000Z",
         "json_response": {"JOB": {"annotations": [{"mid": "z", "categories": [{"name": "PERSON"}]}]}}},
        {"id": "lv2", "asset_id": "v2", "author_id": "user-bob", "label_type": "DEFAULT", "created_at": "2024-03-05T10:00:00.000Z"},
        {"id": "l4", "asset_id": "a4", "author_id": "user-alice", "label_type": "PREDICTION", "created_at": "2024-03-02T11:00:00.000Z",
         "json_response": {"CLS": {"categories": [{"name": "YES"}]}}}
      ],
      "issues": [
        {"id": "i1", "asset_id": "a1", "type": "ISSUE", "status": "OPEN", "author_id": "user-bob"},
        {"id": "i2", "asset_id": "a2", "type": "QUESTION", "status": "SOLVED", "author_id": "user-bob"}
      ]
    })
}

pub fn start() -> EmulatorHandle {
    start_blocking(EmulatorConfig {
        fixtures: vec![fixture()],
        admin_token: Some("admin".into()),
        ..Default::default()
    })
}

/// POSTs a GraphQL request; returns (HTTP status, body JSON).
pub fn post(endpoint: &str, key: Option<&str>, query: &str, variables: Value) -> (u16, Value) {
    let client = reqwest::blocking::Client::new();
    let mut req = client
        .post(endpoint)
        .json(&json!({"query": query, "variables": variables}));
    if let Some(k) = key {
        req = req.header("Authorization", format!("X-API-Key: {k}"));
    }
    let resp = req.send().expect("request sent");
    let status = resp.status().as_u16();
    let body: Value = resp.json().expect("JSON body");
    (status, body)
}

/// POSTs and returns `data`, panicking on errors.
pub fn data(endpoint: &str, key: &str, query: &str, variables: Value) -> Value {
    let (status, body) = post(endpoint, Some(key), query, variables);
    assert!(
        body.get("errors").is_none(),
        "unexpected errors (HTTP {status}): {body}"
    );
    body["data"].clone()
}

/// Ids of the assets matching `where` (as sent by the SDK: project + label/issue objects).
pub fn asset_ids(endpoint: &str, key: &str, mut w: Value) -> Vec<String> {
    if w.get("label").is_none() {
        w["label"] = json!({});
    }
    if w.get("issue").is_none() {
        w["issue"] = json!({});
    }
    let d = data(
        endpoint,
        key,
        "query($w: AssetWhere!) { data: assets(where: $w, skip: 0, first: 100) { id } c: countAssets(where: $w) }",
        json!({"w": w}),
    );
    let ids: Vec<String> = d["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        d["c"].as_i64().unwrap() as usize,
        ids.len(),
        "countAssets disagrees with assets for {w}"
    );
    ids
}
