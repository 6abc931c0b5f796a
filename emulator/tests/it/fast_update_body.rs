//! The `updatePropertiesInAssets` fast path reads its variables straight from the request
//! body's bytes (emulator/src/http/graphql.rs + gql/fast_update.rs). Raw bodies (key order,
//! escapes, duplicate keys, odd but valid fields) go to a server with the fast paths and to
//! one without: status, answer bytes and the rows written must be equal, and the case states
//! which path must have answered.

use kili_emulator::{start_blocking, EmulatorConfig, EmulatorHandle};
use serde_json::{json, Value};

use super::common::{self, ALICE};

fn server(fast_paths: bool) -> EmulatorHandle {
    let mut fx = common::fixture();
    for (i, a) in fx["assets"].as_array_mut().unwrap().iter_mut().enumerate() {
        a["created_at"] = json!(format!("2024-05-01T00:00:{i:02}.000Z"));
    }
    start_blocking(EmulatorConfig {
        fixtures: vec![fx],
        fast_paths,
        ..Default::default()
    })
}

fn send(h: &EmulatorHandle, body: &str) -> (u16, Vec<u8>) {
    let r = reqwest::blocking::Client::new()
        .post(h.endpoint())
        .header("Authorization", format!("X-API-Key: {ALICE}"))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .unwrap();
    (r.status().as_u16(), r.bytes().unwrap().to_vec())
}

fn rows(h: &EmulatorHandle) -> Value {
    common::data(
        &h.endpoint(),
        ALICE,
        "{ data: assets(where: {project: {id: \"proj-1\"}}, skip: 0, first: 50) { id priority jsonMetadata externalId } }",
        json!({}),
    )
}

const DOC: &str = r#""mutation ($w: [AssetWhere!]!, $d: [AssetData!]!) {\n  data: updatePropertiesInAssets(where: $w, data: $d) {\n    id\n  }\n}""#;

#[test]
fn raw_bodies_answer_as_the_schema_does() {
    let (fast, slow) = (server(true), server(false));
    let cases: Vec<(String, bool)> = vec![
        // As clients send it (escaped newlines in the query text).
        (
            format!(
                r#"{{"query": {DOC}, "variables": {{"w": [{{"id": "a1"}}], "d": [{{"priority": 1}}]}}}}"#
            ),
            true,
        ),
        // Variables before the query, extra variables, null operationName and extensions.
        (
            format!(
                r#"{{"variables": {{"x": [1, {{"y": null}}], "d": [{{"jsonMetadata": "{{\"k\": \"\u00e9\"}}"}}], "w": [{{"id": "a2"}}]}}, "operationName": null, "extensions": {{"e": 1}}, "query": {DOC}}}"#
            ),
            true,
        ),
        // Unknown top-level field: ignored by both readings.
        (
            format!(
                r#"{{"query": {DOC}, "foo": [1], "variables": {{"w": [{{"id": "a3"}}], "d": [{{"priority": 3}}]}}}}"#
            ),
            true,
        ),
        // Escaped key names.
        (
            format!(
                r#"{{"query": {DOC}, "vari\u0061bles": {{"\u0077": [{{"id": "a1"}}], "d": [{{"externalId": "x1"}}]}}}}"#
            ),
            true,
        ),
        // Duplicate variable: the schema keeps the last one; the fast path declines.
        (
            format!(
                r#"{{"query": {DOC}, "variables": {{"w": [{{"id": "a1"}}], "w": [{{"id": "a2"}}], "d": [{{"priority": 7}}]}}}}"#
            ),
            false,
        ),
        // Strict types: a float for an Int, a single object for a list: schema (coercion or error).
        (
            format!(
                r#"{{"query": {DOC}, "variables": {{"w": [{{"id": "a1"}}], "d": [{{"priority": 2.5}}]}}}}"#
            ),
            false,
        ),
        (
            format!(
                r#"{{"query": {DOC}, "variables": {{"w": {{"id": "a1"}}, "d": [{{"priority": 2}}]}}}}"#
            ),
            false,
        ),
        // Missing variable / null variables: the schema's error.
        (
            format!(r#"{{"query": {DOC}, "variables": {{"w": [{{"id": "a1"}}]}}}}"#),
            false,
        ),
        (format!(r#"{{"query": {DOC}, "variables": null}}"#), false),
        // Not a request body: 400 on both (duplicate field, wrong types, trailing bytes).
        (
            format!(r#"{{"query": {DOC}, "query": {DOC}, "variables": {{"w": [], "d": []}}}}"#),
            false,
        ),
        (
            format!(r#"{{"query": {DOC}, "variables": {{"w": [], "d": []}}, "extensions": 5}}"#),
            false,
        ),
        (
            format!(r#"{{"query": {DOC}, "variables": [], "d": []}}"#),
            false,
        ),
        (
            format!(r#"{{"query": {DOC}, "operationName": 3, "variables": {{"w": [], "d": []}}}}"#),
            false,
        ),
        (
            format!(r#"{{"query": {DOC}, "variables": {{"w": [], "d": []}}}} x"#),
            false,
        ),
    ];
    for (body, fast_path) in cases {
        let before = fast.fast_path_answers();
        let (sf, bf) = send(&fast, &body);
        let (ss, bs) = send(&slow, &body);
        assert_eq!(
            (sf, String::from_utf8_lossy(&bf)),
            (ss, String::from_utf8_lossy(&bs)),
            "answers differ for {body}"
        );
        assert_eq!(
            fast.fast_path_answers() - before == 1,
            fast_path,
            "path for {body}: {}",
            String::from_utf8_lossy(&bf)
        );
        assert_eq!(rows(&fast), rows(&slow), "rows differ after {body}");
    }
    // The log shows the body as sent on both servers.
    let (lf, ls) = (fast.request_log(), slow.request_log());
    let bodies = |l: &[kili_emulator::RequestRecord]| {
        l.iter()
            .map(|r| (r.body.clone(), r.operation.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(bodies(&lf), bodies(&ls));
    assert!(lf.iter().any(
        |r| r.operation.as_deref() == Some("updatePropertiesInAssets")
            && r.body
                .as_ref()
                .is_some_and(|b| b["variables"]["w"][0]["id"] == "a2")
    ));
}
