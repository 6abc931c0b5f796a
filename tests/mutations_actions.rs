//! update_properties_in_assets, change_asset_external_ids, delete_many_from_dataset,
//! add_to_review and send_back_to_queue against the emulator: every parameter, validation
//! errors before any request, empty lists, status transitions read back through assets(),
//! per-item outcomes of declined assets, progress events.

mod mutations_support;

use kili::{Status, WarningKind};
use mutations_support::*;
use serde_json::{json, Value};

fn assets_fixture(n: usize) -> Value {
    let p = project("IMAGE");
    let mut assets: Vec<Value> = (0..n)
        .map(|i| json!({"id": format!("a{i}"), "project_id": p, "external_id": format!("x{i}"), "content": format!("https://h/{i}.png")}))
        .collect();
    // Two labeled assets and one to review, for the status machine.
    assets.push(json!({"id": "lab1", "project_id": p, "external_id": "lab1", "status": "LABELED"}));
    assets.push(json!({"id": "lab2", "project_id": p, "external_id": "lab2", "status": "LABELED"}));
    assets
        .push(json!({"id": "rev1", "project_id": p, "external_id": "rev1", "status": "TO_REVIEW"}));
    json!({
        "assets": assets,
        "labels": [
            {"id": "l1", "asset_id": "lab1", "author_id": "u1", "json_response": {}},
            {"id": "l2", "asset_id": "lab2", "author_id": "u1", "json_response": {}},
            {"id": "l3", "asset_id": "rev1", "author_id": "u1", "json_response": {}}
        ]
    })
}

fn by_id(rows: &[Value], id: &str) -> Value {
    rows.iter()
        .find(|r| r["id"] == id)
        .cloned()
        .unwrap_or(Value::Null)
}

#[test]
fn update_every_property_and_null_leaves_unchanged() {
    let env = env(assets_fixture(3));
    let r = env
        .mutate(
            "update_properties_in_assets",
            json!({
                "asset_ids": ["a0", "a1"],
                "priorities": [3, null],
                "json_metadatas": [{"k": 1}, "{\"b\": 2}"],
                "consensus_marks": [0.5, null],
                "honeypot_marks": [null, 0.7],
                "to_be_labeled_by_array": [["admin@example.com"], null],
                "contents": ["https://h/new0.png", null],
                "json_contents": [null, "[1]"],
                "is_used_for_consensus_array": [true, null],
                "is_honeypot_array": [null, true],
                "resolution_array": [{"width": 10, "height": 20}, null],
                "page_resolutions_array": [null, [{"width": 1, "height": 2, "pageNumber": 1}]]
            }),
        )
        .unwrap();
    assert_eq!(r["result"], json!([{"id": "a0"}, {"id": "a1"}]));
    assert_eq!(outcome_ids(&r, "succeeded"), vec!["a0", "a1"]);
    let rows = env.assets(
        &project("IMAGE"),
        &[
            "id",
            "priority",
            "jsonMetadata",
            "consensusMark",
            "honeypotMark",
            "content",
            "jsonContent",
            "isUsedForConsensus",
            "isHoneypot",
            "resolution.width",
            "resolution.height",
        ],
    );
    let (a0, a1, a2) = (by_id(&rows, "a0"), by_id(&rows, "a1"), by_id(&rows, "a2"));
    assert_eq!(a0["priority"], 3);
    assert_eq!(a1["priority"], 0, "null priority leaves it unchanged");
    assert_eq!(a0["jsonMetadata"], json!({"k": 1}));
    assert_eq!(a1["jsonMetadata"], json!({"b": 2}));
    assert_eq!(a0["consensusMark"], 0.5);
    assert_eq!(a1["honeypotMark"], 0.7);
    assert_eq!(a0["content"], "https://h/new0.png");
    assert_eq!(
        a1["content"], "https://h/1.png",
        "null content leaves it unchanged"
    );
    assert_eq!(a1["jsonContent"], "[1]");
    assert_eq!(a0["isUsedForConsensus"], true);
    assert_eq!(a1["isHoneypot"], true);
    assert_eq!(a0["isHoneypot"], false);
    assert_eq!(a0["resolution"]["width"], 10);
    assert_eq!(a2["priority"], 0, "an asset not named is untouched");
    // Deprecated-but-applied arguments warned.
    let dep = env.warnings(WarningKind::Deprecation);
    assert!(
        dep.iter().any(|m| m.starts_with("priorities"))
            && dep.iter().any(|m| m.starts_with("to_be_labeled_by_array")),
        "{dep:?}"
    );
}

#[test]
fn update_by_external_ids_and_unknown_external_id() {
    let env = env(assets_fixture(3));
    let r = env
        .mutate("update_properties_in_assets", json!({"external_ids": ["x2", "x0"], "project_id": project("IMAGE"), "priorities": [7, 8]}))
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded"), vec!["a2", "a0"]);
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["x2", "x0"]);
    let rows = env.assets(&project("IMAGE"), &["id", "priority"]);
    assert_eq!(by_id(&rows, "a2")["priority"], 7);
    assert_eq!(by_id(&rows, "a0")["priority"], 8);
    let e = env
        .mutate("update_properties_in_assets", json!({"external_ids": ["x1", "nope"], "project_id": project("IMAGE"), "priorities": [1, 1]}))
        .unwrap_err();
    assert_eq!(e.status(), Status::NotFound);
    assert!(e.to_string().contains("nope"), "{e}");
    assert_eq!(
        by_id(&env.assets(&project("IMAGE"), &["id", "priority"]), "a1")["priority"],
        0,
        "nothing applied"
    );
}

#[test]
fn validation_errors_happen_before_any_request() {
    let env = env(assets_fixture(2));
    let before = env.graphql_requests();
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "update_properties_in_assets",
            json!({"asset_ids": ["a0", "a1"], "consensus_marks": [0.5, 2.0]}),
            "consensus_marks[1]",
        ),
        (
            "update_properties_in_assets",
            json!({"asset_ids": ["a0", "a1"], "honeypot_marks": [0.1]}),
            "honeypot_marks",
        ),
        (
            "update_properties_in_assets",
            json!({"asset_ids": ["a0"], "external_ids": ["x0"], "priorities": [1]}),
            "external_ids",
        ),
        (
            "update_properties_in_assets",
            json!({"external_ids": ["x0"], "priorities": [1]}),
            "project_id",
        ),
        (
            "update_properties_in_assets",
            json!({"asset_ids": ["a0"], "priorites": [1]}),
            "priorites",
        ),
        (
            "update_properties_in_assets",
            json!({"asset_ids": ["a0"], "page_resolutions_array": [[{"width": 1, "height": 1, "pageNumber": 1, "rotation": 45}]]}),
            "page_resolutions_array[0][0].rotation",
        ),
        (
            "change_asset_external_ids",
            json!({"new_external_ids": ["n", "n"], "asset_ids": ["a0", "a1"]}),
            "new_external_ids[1]",
        ),
        (
            "change_asset_external_ids",
            json!({"new_external_ids": ["n"], "asset_ids": ["a0", "a1"]}),
            "new_external_ids",
        ),
        (
            "delete_many_from_dataset",
            json!({"asset_ids": ["a0"], "external_ids": ["x0"]}),
            "external_ids",
        ),
        ("add_to_review", json!({}), "asset_ids"),
        (
            "send_back_to_queue",
            json!({"asset_ids": "a0"}),
            "asset_ids",
        ),
        (
            "append_many_to_dataset",
            json!({"project_id": project("IMAGE")}),
            "content_array",
        ),
        (
            "append_many_to_dataset",
            json!({"project_id": project("IMAGE"), "content_array": ["https://h/a.png"], "multi_layer_content_array": [[{"path": "x.tif"}]]}),
            "multi_layer_content_array",
        ),
        (
            "append_many_to_dataset",
            json!({"project_id": project("TEXT"), "from_csv": "/x.csv", "content_array": ["a"]}),
            "from_csv",
        ),
        (
            "append_many_to_dataset",
            json!({"project_id": project("IMAGE"), "content_array": ["https://h/a.png", "https://h/b.png"], "external_id_array": ["a"]}),
            "external_id_array",
        ),
    ];
    for (action, args, path) in cases {
        let e = env.mutate(action, args.clone()).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument, "{action} {args}: {e}");
        assert_eq!(e.details()["path"], path, "{action} {args}: {e}");
    }
    let e = env
        .mutate("add_to_reviews", json!({"asset_ids": ["a0"]}))
        .unwrap_err();
    assert!(
        e.to_string().contains("did you mean `add_to_review`"),
        "{e}"
    );
    assert_eq!(
        env.graphql_requests(),
        before,
        "no request for invalid input"
    );
}

#[test]
fn empty_lists_warn_and_return_the_reference_value_without_requests() {
    let env = env(json!({}));
    let before = env.graphql_requests();
    let p = project("IMAGE");
    let cases = [
        (
            "update_properties_in_assets",
            json!({"asset_ids": [], "priorities": []}),
            json!([]),
        ),
        (
            "update_properties_in_assets",
            json!({"external_ids": [], "project_id": p}),
            json!([]),
        ),
        (
            "change_asset_external_ids",
            json!({"new_external_ids": [], "asset_ids": []}),
            json!([]),
        ),
        (
            "delete_many_from_dataset",
            json!({"asset_ids": []}),
            Value::Null,
        ),
        (
            "add_to_review",
            json!({"external_ids": [], "project_id": p}),
            Value::Null,
        ),
        ("send_back_to_queue", json!({"asset_ids": []}), Value::Null),
        (
            "append_many_to_dataset",
            json!({"project_id": p, "content_array": []}),
            json!({"id": p, "asset_ids": []}),
        ),
        (
            "append_many_to_dataset",
            json!({"project_id": p, "json_content_array": []}),
            json!({"id": p, "asset_ids": []}),
        ),
        (
            "append_many_to_dataset",
            json!({"project_id": p, "multi_layer_content_array": []}),
            json!({"id": p, "asset_ids": []}),
        ),
    ];
    for (i, (action, args, expected)) in cases.iter().enumerate() {
        let r = env.mutate(action, args.clone()).unwrap();
        assert_eq!(r["result"], *expected, "{action}");
        assert_eq!(
            r["outcomes"],
            json!({"succeeded": [], "declined": [], "failed": []})
        );
        assert_eq!(
            env.warnings(WarningKind::EmptyList).len(),
            i + 1,
            "{action} warned once"
        );
    }
    assert!(env.warnings(WarningKind::EmptyList)[0]
        .contains("did nothing because the following argument is empty: asset_ids"));
    assert_eq!(env.graphql_requests(), before);
}

#[test]
fn change_external_ids() {
    let env = env(assets_fixture(2));
    let r = env
        .mutate(
            "change_asset_external_ids",
            json!({"new_external_ids": ["n0", "n1"], "asset_ids": ["a0", "a1"]}),
        )
        .unwrap();
    assert_eq!(r["result"], json!([{"id": "a0"}, {"id": "a1"}]));
    let r = env
        .mutate("change_asset_external_ids", json!({"new_external_ids": ["m1"], "external_ids": ["n1"], "project_id": project("IMAGE")}))
        .unwrap();
    assert_eq!(outcome_ids(&r, "succeeded"), vec!["a1"]);
    let rows = env.assets(&project("IMAGE"), &["id", "externalId"]);
    assert_eq!(by_id(&rows, "a0")["externalId"], "n0");
    assert_eq!(by_id(&rows, "a1")["externalId"], "m1");
}

#[test]
fn delete_reports_the_project_and_removes_the_assets() {
    let env = env(assets_fixture(3));
    let r = env
        .mutate(
            "delete_many_from_dataset",
            json!({"asset_ids": ["a0", "a2"]}),
        )
        .unwrap();
    assert_eq!(r["result"], json!({"id": project("IMAGE")}));
    let mut ok = outcome_ids(&r, "succeeded");
    ok.sort();
    assert_eq!(ok, vec!["a0", "a2"]);
    let ids: Vec<Value> = env
        .assets(&project("IMAGE"), &["id"])
        .into_iter()
        .map(|r| r["id"].clone())
        .collect();
    assert!(
        !ids.contains(&json!("a0")) && !ids.contains(&json!("a2")) && ids.contains(&json!("a1"))
    );
    let r = env
        .mutate(
            "delete_many_from_dataset",
            json!({"external_ids": ["x1"], "project_id": project("IMAGE")}),
        )
        .unwrap();
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["x1"]);
}

#[test]
fn review_and_back_to_queue_move_statuses_and_report_declined_assets() {
    let env = env(assets_fixture(1));
    // a0 is TODO without labels: declined by review; lab1/lab2 move to TO_REVIEW.
    let r = env
        .mutate(
            "add_to_review",
            json!({"asset_ids": ["lab1", "a0", "lab2"]}),
        )
        .unwrap();
    let mut moved = r["result"]["asset_ids"].as_array().unwrap().clone();
    moved.sort_by_key(|v| v.to_string());
    assert_eq!(r["result"]["id"], project("IMAGE"));
    assert_eq!(moved, vec![json!("lab1"), json!("lab2")]);
    assert_eq!(outcome_ids(&r, "declined"), vec!["a0"]);
    assert!(r["outcomes"]["declined"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("declined"));
    let rows = env.assets(&project("IMAGE"), &["id", "status"]);
    assert_eq!(by_id(&rows, "lab1")["status"], "TO_REVIEW");
    assert_eq!(by_id(&rows, "a0")["status"], "TODO");

    // Back to queue: TO_REVIEW -> ONGOING; TODO declined.
    let r = env
        .mutate(
            "send_back_to_queue",
            json!({"external_ids": ["lab1", "x0", "rev1"], "project_id": project("IMAGE")}),
        )
        .unwrap();
    let mut moved: Vec<String> = r["result"]["asset_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    moved.sort();
    assert_eq!(moved, vec!["lab1", "rev1"]);
    assert_eq!(outcome_ext(&r, "declined"), vec!["x0"]);
    let rows = env.assets(&project("IMAGE"), &["id", "status", "priority"]);
    assert_eq!(by_id(&rows, "lab1")["status"], "ONGOING");
    assert_eq!(by_id(&rows, "rev1")["status"], "ONGOING");
    assert_eq!(by_id(&rows, "lab2")["status"], "TO_REVIEW");

    // Nothing moves: result null, every item declined.
    let r = env
        .mutate("add_to_review", json!({"asset_ids": ["a0"]}))
        .unwrap();
    assert_eq!(r["result"], Value::Null);
    assert_eq!(outcome_ids(&r, "declined"), vec!["a0"]);
}

#[test]
fn bulk_update_in_batches_reports_progress() {
    let env = env(assets_fixture(250));
    let ids: Vec<String> = (0..250).map(|i| format!("a{i}")).collect();
    let prios: Vec<i64> = (0..250).collect();
    let r = env
        .mutate(
            "update_properties_in_assets",
            json!({"asset_ids": ids, "priorities": prios}),
        )
        .unwrap();
    assert_eq!(r["result"].as_array().unwrap().len(), 250);
    assert_eq!(
        env.progress("update_properties_in_assets"),
        vec![
            (0, Some(250)),
            (100, Some(250)),
            (200, Some(250)),
            (250, Some(250))
        ]
    );
    let rows = env.assets(&project("IMAGE"), &["id", "priority"]);
    assert_eq!(by_id(&rows, "a249")["priority"], 249);
    assert_eq!(by_id(&rows, "a100")["priority"], 100);
}

#[test]
fn assignment_is_applied_and_cleared() {
    let env = env(assets_fixture(2));
    env.mutate(
        "update_properties_in_assets",
        json!({"asset_ids": ["a0", "a1"], "to_be_labeled_by_array": [["admin@example.com"], null]}),
    )
    .unwrap();
    let rows = env.assets(&project("IMAGE"), &["id", "assignedTo.email"]);
    assert_eq!(
        by_id(&rows, "a0")["assignedTo"],
        json!([{"email": "admin@example.com"}])
    );
    env.mutate(
        "update_properties_in_assets",
        json!({"asset_ids": ["a0"], "to_be_labeled_by_array": [[]]}),
    )
    .unwrap();
    let rows = env.assets(&project("IMAGE"), &["id", "assignedTo.email"]);
    assert!(
        by_id(&rows, "a0")["assignedTo"]
            .as_array()
            .is_none_or(|a| a.is_empty()),
        "{rows:?}"
    );
}

#[test]
fn a_failing_batch_is_a_partial_failure_with_per_item_reasons() {
    let env = env(assets_fixture(150));
    let ids: Vec<String> = (0..150).map(|i| format!("a{i}")).collect();
    // Asset 120 (second batch) names an unknown labeler: the server refuses that batch.
    let users: Vec<Value> = (0..150)
        .map(|i| {
            if i == 120 {
                json!(["nobody@example.com"])
            } else {
                json!(["admin@example.com"])
            }
        })
        .collect();
    let e = env
        .mutate(
            "update_properties_in_assets",
            json!({"asset_ids": ids, "to_be_labeled_by_array": users}),
        )
        .unwrap_err();
    assert_eq!(e.status(), Status::PartialFailure);
    let d = e.details();
    assert_eq!(d["outcomes"]["succeeded"].as_array().unwrap().len(), 100);
    assert_eq!(d["outcomes"]["failed"].as_array().unwrap().len(), 50);
    assert!(
        d["outcomes"]["failed"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("nobody@example.com"),
        "{}",
        d["outcomes"]["failed"][0]
    );
    assert_eq!(d["result"].as_array().unwrap().len(), 100);
    let rows = env.assets(&project("IMAGE"), &["id", "assignedTo.email"]);
    assert_eq!(
        by_id(&rows, "a0")["assignedTo"],
        json!([{"email": "admin@example.com"}])
    );
    assert!(by_id(&rows, "a149")["assignedTo"]
        .as_array()
        .is_none_or(|a| a.is_empty()));
}

#[test]
fn deprecated_server_messages_are_translated() {
    let p = "p_v2";
    let env = env(json!({
        "projects": [{"id": p, "input_type": "IMAGE", "workflow_version": "V2", "organization_id": "org1",
                      "members": [{"user_id": "u1", "role": "ADMIN"}], "steps": [{"id": "s1", "name": "Label", "type": "DEFAULT"}]}],
        "assets": [{"id": "v0", "project_id": p, "external_id": "v0"}]
    }));
    let e = env
        .mutate(
            "update_properties_in_assets",
            json!({"asset_ids": ["v0"], "is_used_for_consensus_array": [true]}),
        )
        .unwrap_err();
    assert_eq!(e.status(), Status::PartialFailure, "{e}");
    let reason = e.details()["outcomes"]["failed"][0]["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        reason.starts_with("`update_properties_in_assets`")
            && reason.contains("`update_asset_consensus`"),
        "{reason}"
    );
}
