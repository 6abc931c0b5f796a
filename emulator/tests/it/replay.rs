//! Replays every document the official SDK sends (sdk-documents.json with the variables of
//! sdk-variables.json, and legacy-sdk-documents.json) against a running emulator: none may
//! fail parsing, validation or variable coercion, and every error must carry
//! `extensions.code`.

use serde_json::{json, Value};

const DOCS: &str = include_str!("../data/sdk-documents.json");
const LEGACY: &str = include_str!("../data/legacy-sdk-documents.json");
const VARS: &str = include_str!("../data/sdk-variables.json");

/// The projects and key the captured variables name.
fn capture_fixture() -> Value {
    let mut projects = Vec::new();
    for (it, wf) in [
        ("AUDIO", "V2"),
        ("GEOSPATIAL", "V3"),
        ("IMAGE", "V1"),
        ("IMAGE", "V2"),
        ("IMAGE", "V3"),
        ("LLM_INSTR_FOLLOWING", "V2"),
        ("LLM_STATIC", "V2"),
        ("PDF", "V2"),
        ("TEXT", "V2"),
        ("VIDEO", "V2"),
        ("IMAGE", "p1"),
    ] {
        let (id, wf) = if wf == "p1" {
            ("p1".to_string(), "V1")
        } else {
            (format!("proj-{it}-{wf}"), wf)
        };
        projects.push(json!({"id": id, "title": id, "input_type": it, "workflow_version": wf, "organization_id": "org-1",
            "members": [{"user_id": "u-test"}],
            "steps": if wf == "V1" { json!([]) } else { json!([{"id": format!("{id}-s1"), "name": "Default", "step_group_name": "G"}]) }}));
    }
    json!({"organizations": [{"id": "org-1", "name": "Org"}],
           "users": [{"id": "u-test", "email": "test@example.com", "organization_id": "org-1", "api_keys": ["x-test-key-1234"]}],
           "projects": projects})
}

fn check(
    endpoint: &str,
    origin: &str,
    query: &str,
    variables: Value,
    failures: &mut Vec<String>,
    other: &mut Vec<String>,
) {
    let (_, body) = super::common::post(endpoint, Some("x-test-key-1234"), query, variables);
    if body.get("data").is_none() && body.get("errors").is_none() {
        failures.push(format!("{origin}: neither data nor errors: {body}"));
    }
    if body.get("data") == Some(&Value::Null) && body.get("errors").is_none() {
        failures.push(format!("{origin}: data null without errors"));
    }
    for e in body["errors"].as_array().into_iter().flatten() {
        let code = e["extensions"]["code"].as_str().unwrap_or("");
        if code.is_empty() {
            failures.push(format!("{origin}: error without extensions.code: {e}"));
        } else if code == "GRAPHQL_VALIDATION_FAILED" || e.get("path").is_none() {
            failures.push(format!("{origin}: {e}"));
        } else {
            other.push(format!("{origin}: {code} {}", e["message"]));
        }
    }
}

#[test]
fn every_captured_document_validates_and_runs() {
    let emu = super::common::start();
    emu.load_fixture(&capture_fixture()).unwrap();
    let endpoint = emu.endpoint();
    let docs: Vec<Value> = serde_json::from_str(DOCS).unwrap();
    let vars: Vec<Value> = serde_json::from_str(VARS).unwrap();
    let legacy: Vec<Value> = serde_json::from_str(LEGACY).unwrap();
    let mut failures = Vec::new();
    let mut other = Vec::new();
    let mut runs = 0;
    for d in &docs {
        let q = d["query"].as_str().unwrap();
        let origin = d["origin"].as_str().unwrap_or("?");
        let samples: Vec<&Value> = vars.iter().filter(|v| v["query"] == d["query"]).collect();
        if samples.is_empty() {
            assert!(
                !q.contains('$'),
                "{origin}: a document with variables has no sample"
            );
            check(&endpoint, origin, q, json!({}), &mut failures, &mut other);
            runs += 1;
        }
        for s in samples {
            check(
                &endpoint,
                origin,
                q,
                s["variables"].clone(),
                &mut failures,
                &mut other,
            );
            runs += 1;
        }
    }
    for d in &legacy {
        let q = d["query"].as_str().unwrap();
        let origin = d["origin"].as_str().unwrap_or("?");
        for v in d["variables"].as_array().into_iter().flatten() {
            check(&endpoint, origin, q, v.clone(), &mut failures, &mut other);
            runs += 1;
        }
    }
    assert!(runs >= 76 + 4, "replayed only {runs} requests");
    assert!(
        failures.is_empty(),
        "{} of {runs} requests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Resolver-level errors (e.g. unknown asset ids in captured variables) are allowed but
    // must stay rare: the captured traffic was made against a working server.
    assert!(
        other.len() * 4 <= runs,
        "too many resolver errors:\n{}",
        other.join("\n")
    );
    eprintln!(
        "replayed {runs} requests; resolver errors:\n{}",
        other.join("\n")
    );
}
