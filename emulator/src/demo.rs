//! The `--seed-demo` data set: one organization, three users (API key `demo-api-key` for
//! Alice), a V1 IMAGE project with 20 assets, labels with real jsonResponses and issues, and a
//! V2 TEXT project with two steps.

use serde_json::{json, Value};

/// The API key of the demo user (printed on startup).
pub const DEMO_API_KEY: &str = "demo-api-key";

/// The demo fixture.
pub fn fixture() -> Value {
    let interface = json!({"jobs": {
        "CLASSIFICATION_JOB": {"mlTask": "CLASSIFICATION", "required": 1, "isChild": false,
            "content": {"input": "radio", "categories": {"CAT": {"name": "Cat"}, "DOG": {"name": "Dog"}}}},
        "OBJECT_DETECTION_JOB": {"mlTask": "OBJECT_DETECTION", "required": 0, "isChild": false, "tools": ["rectangle"],
            "content": {"input": "radio", "categories": {"CAR": {"name": "Car"}, "PERSON": {"name": "Person"}}}}
    }});
    let mut assets = Vec::new();
    let mut labels = Vec::new();
    let mut issues = Vec::new();
    for i in 0..20 {
        let id = format!("demo-asset-{i:02}");
        let status = match i % 5 {
            0 | 1 => "TODO",
            2 => "ONGOING",
            3 => "LABELED",
            _ => "REVIEWED",
        };
        assets.push(json!({
            "id": id, "project_id": "demo-project", "external_id": format!("image-{i:02}"),
            "content": format!("https://storage.example.com/demo/image-{i:02}.jpg"),
            "json_metadata": {"split": if i % 2 == 0 {"train"} else {"test"}, "score": i},
            "created_at": format!("2024-01-{:02}T10:00:00.000Z", i + 1),
            "status": status, "priority": i % 3,
            "assigned_to": if i % 4 == 0 { vec!["user-bob"] } else { vec![] },
        }));
        if matches!(status, "LABELED" | "REVIEWED" | "ONGOING") {
            let cat = if i % 2 == 0 { "CAT" } else { "DOG" };
            let mut resp =
                json!({"CLASSIFICATION_JOB": {"categories": [{"name": cat, "confidence": 100}]}});
            if i % 3 == 0 {
                resp["OBJECT_DETECTION_JOB"] = json!({"annotations": [
                    {"mid": format!("m{i}a"), "type": "rectangle", "categories": [{"name": "CAR"}],
                     "boundingPoly": [{"normalizedVertices": [{"x": 0.1, "y": 0.1}, {"x": 0.1, "y": 0.5}, {"x": 0.5, "y": 0.5}, {"x": 0.5, "y": 0.1}]}]},
                    {"mid": format!("m{i}b"), "type": "rectangle", "categories": [{"name": "PERSON"}],
                     "boundingPoly": [{"normalizedVertices": [{"x": 0.6, "y": 0.6}, {"x": 0.6, "y": 0.9}, {"x": 0.9, "y": 0.9}, {"x": 0.9, "y": 0.6}]}]}
                ]});
            }
            labels.push(json!({
                "id": format!("demo-label-{i:02}"), "asset_id": id, "author_id": "user-bob", "label_type": "DEFAULT",
                "created_at": format!("2024-02-{:02}T12:00:00.000Z", i + 1), "json_response": resp,
                "seconds_to_label": 12.5
            }));
            if status == "REVIEWED" {
                labels.push(json!({
                    "id": format!("demo-review-{i:02}"), "asset_id": id, "author_id": "user-alice", "label_type": "REVIEW",
                    "created_at": format!("2024-03-{:02}T12:00:00.000Z", i + 1), "json_response": resp
                }));
            }
        }
        if i % 6 == 0 {
            issues.push(json!({"id": format!("demo-issue-{i:02}"), "asset_id": id,
                "type": if i % 12 == 0 {"ISSUE"} else {"QUESTION"}, "status": "OPEN", "author_id": "user-carol",
                "created_at": format!("2024-04-{:02}T09:00:00.000Z", i + 1)}));
        }
    }
    for i in 0..5 {
        assets.push(json!({
            "id": format!("demo-text-{i}"), "project_id": "demo-text-project", "external_id": format!("text-{i}"),
            "content": format!("https://storage.example.com/demo/text-{i}.txt"),
            "created_at": format!("2024-05-{:02}T10:00:00.000Z", i + 1),
            "current_step": {"step_id": if i < 3 {"demo-step-label"} else {"demo-step-review"}, "status": if i == 0 {"TO_DO"} else {"DONE"}}
        }));
    }
    json!({
        "organizations": [{"id": "demo-org", "name": "Demo Org", "upload_local_data": true}],
        "users": [
            {"id": "user-alice", "email": "alice@example.com", "firstname": "Alice", "lastname": "Smith", "organization_id": "demo-org",
             "api_keys": [{"key": DEMO_API_KEY, "expiry_date": "2099-12-31T23:59:59.000Z"}]},
            {"id": "user-bob", "email": "bob@example.com", "firstname": "Bob", "lastname": "Jones", "organization_id": "demo-org",
             "api_keys": [{"key": "demo-api-key-bob"}]},
            {"id": "user-carol", "email": "carol@example.com", "firstname": "Carol", "lastname": "White", "organization_id": "demo-org",
             "api_keys": [{"key": "demo-api-key-carol"}]}
        ],
        "projects": [
            {"id": "demo-project", "title": "Demo images", "input_type": "IMAGE", "workflow_version": "V1",
             "created_at": "2024-01-01T00:00:00.000Z", "organization_id": "demo-org", "json_interface": interface,
             "members": [{"user_id": "user-alice", "role": "ADMIN"}, {"user_id": "user-bob", "role": "LABELER"},
                         {"user_id": "user-carol", "role": "REVIEWER"}]},
            {"id": "demo-text-project", "title": "Demo texts (V2 workflow)", "input_type": "TEXT", "workflow_version": "V2",
             "created_at": "2024-05-01T00:00:00.000Z", "organization_id": "demo-org",
             "json_interface": {"jobs": {"CLASSIFICATION_JOB": {"mlTask": "CLASSIFICATION", "required": 1, "isChild": false,
                 "content": {"input": "radio", "categories": {"POSITIVE": {"name": "Positive"}, "NEGATIVE": {"name": "Negative"}}}}}},
             "members": [{"user_id": "user-alice", "role": "ADMIN"}],
             "steps": [{"id": "demo-step-label", "name": "Labeling", "type": "DEFAULT"},
                       {"id": "demo-step-review", "name": "Review", "type": "REVIEW"}]}
        ],
        "assets": assets,
        "labels": labels,
        "issues": issues
    })
}
