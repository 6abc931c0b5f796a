//! Differential test of the `updatePropertiesInAssets` fast path
//! (emulator/src/gql/fast_update.rs): the same requests go to two emulators over the same
//! data, one with `fast_paths` on and one with it off (every request through async-graphql).
//! After each request the HTTP status and the answers must be equal (byte for byte when the
//! fast path answered), and so must every asset row (all fields, assignees included; of
//! `updatedAt` only whether it was stamped by an update). Each case states which path must
//! have answered, so the comparisons are known to cover the fast path and its fallbacks.

use kili_emulator::EmulatorHandle;
use serde_json::{json, Value};

use crate::common::{self, ALICE, BOB, MALLORY};
use crate::differential::{self, Pair, Path};

/// What the SDK and kili-native send (src/assets/mutate/documents.rs).
const DOC: &str = "mutation ($whereArray: [AssetWhere!]!, $dataArray: [AssetData!]!) {\n  data: updatePropertiesInAssets(where: $whereArray, data: $dataArray) {\n    id\n  }\n}";

/// Every stored asset field (the schema answers this selection; `assignedTo` keeps it off the
/// assets fast path, so rows are read the same way on both servers).
const ROWS: &str = "query($w: AssetWhere!) { data: assets(where: $w, skip: 0, first: 500) { id externalId content jsonContent \
    jsonMetadata createdAt updatedAt isHoneypot skipped status priority consensusMark honeypotMark inferenceMark \
    isUsedForConsensus ocrMetadata resolution { width height } pageResolutions { pageNumber width height rotation } \
    currentStep { id status } assignedTo { email } } }";

fn pair() -> Pair {
    // Explicit creation times: the two servers must hold the same rows.
    let mut fx = common::fixture();
    for (i, a) in fx["assets"].as_array_mut().unwrap().iter_mut().enumerate() {
        if a.get("created_at").is_none() {
            a["created_at"] = json!(format!("2024-05-01T00:00:{i:02}.000Z"));
        }
    }
    differential::pair(fx)
}

/// Every asset the three users can see, `updatedAt` reduced to "stamped by this test run"
/// (the fixture's times are all in 2024).
fn rows(h: &EmulatorHandle) -> Vec<Value> {
    let mut out = Vec::new();
    for (key, project) in [(ALICE, "proj-1"), (ALICE, "proj-v2"), (MALLORY, "proj-m")] {
        let d = common::data(
            &h.endpoint(),
            key,
            ROWS,
            json!({"w": {"project": {"id": project}}}),
        );
        for mut a in d["data"].as_array().unwrap().clone() {
            let stamped = a["updatedAt"].as_str().unwrap() > "2025";
            a["updatedAt"] = json!(stamped);
            out.push(a);
        }
    }
    out
}

impl Pair {
    /// Sends `body` to both servers; asserts equal status, answers and rows, and that `path`
    /// answered on the fast server. Returns the decoded answer.
    fn check_rows(&self, key: Option<&str>, body: Value, path: Path) -> Value {
        let answer = self.compare(key, &body, path);
        let (r_fast, r_slow) = (rows(&self.fast), rows(&self.slow));
        assert_eq!(r_fast.len(), 11);
        for (f, s) in r_fast.iter().zip(&r_slow) {
            assert_eq!(f, s, "rows differ after {body}");
        }
        answer
    }

    fn update(&self, key: Option<&str>, wheres: Value, data: Value, path: Path) -> Value {
        self.check_rows(
            key,
            json!({"query": DOC, "variables": {"whereArray": wheres, "dataArray": data}}),
            path,
        )
    }
}

fn ids(v: &[&str]) -> Value {
    Value::Array(v.iter().map(|i| json!({ "id": i })).collect())
}

fn error_text(ans: &Value) -> String {
    ans["errors"][0]["message"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

#[test]
fn plain_batches_and_every_field() {
    let p = pair();
    // The benchmark's batch: jsonMetadata per item.
    let ans = p.update(
        Some(ALICE),
        ids(&["a1", "a2", "v1"]),
        json!([{"jsonMetadata": "{\"batch\": 0, \"i\": 0}"}, {"jsonMetadata": "{\"i\": 1}"}, {"jsonMetadata": "{}"}]),
        Path::Fast,
    );
    assert_eq!(
        ans,
        json!({"data": {"data": [{"id": "a1"}, {"id": "a2"}, {"id": "v1"}]}})
    );
    assert!(rows(&p.fast)[0]["jsonMetadata"]
        .to_string()
        .contains("batch"));
    // Each AssetData field alone, then all together.
    let fields = [
        json!({"externalId": "renamed \"1\" é"}),
        json!({"priority": 5}),
        json!({"priority": -2147483648}),
        json!({"jsonMetadata": "{\"nested\": {\"a\": [1, 2.5, null]}}"}),
        json!({"consensusMark": 0.25}),
        json!({"consensusMark": 1}),
        json!({"honeypotMark": 0.75}),
        json!({"toBeLabeledBy": ["bob@example.com", "user-alice"]}),
        json!({"shouldResetToBeLabeledBy": true}),
        json!({"shouldResetToBeLabeledBy": false}),
        json!({"toBeLabeledBy": []}),
        json!({"content": "https://x/new.png"}),
        json!({"jsonContent": "https://x/new.json"}),
        json!({"isUsedForConsensus": true}),
        json!({"isHoneypot": true}),
        json!({"pageResolutions": [{"pageNumber": 1, "width": 600, "height": 800, "rotation": 90}, {"pageNumber": 2, "width": 1, "height": 2}]}),
        json!({"pageResolutions": []}),
        json!({"resolution": {"width": 1920, "height": 1080}}),
        json!({"jsonMetadata": null, "priority": null, "resolution": null}),
        json!({}),
        json!({"externalId": "all", "priority": 3, "jsonMetadata": "[1]", "consensusMark": 0.5, "honeypotMark": 0.5,
               "toBeLabeledBy": ["alice@example.com"], "shouldResetToBeLabeledBy": true, "content": "c", "jsonContent": "j",
               "isUsedForConsensus": false, "isHoneypot": false, "pageResolutions": [{"pageNumber": 3, "width": 4, "height": 5, "rotation": null}],
               "resolution": {"width": 7, "height": 8}}),
    ];
    for d in &fields {
        p.update(Some(ALICE), ids(&["a3"]), json!([d]), Path::Fast);
    }
    // A V3 asset: everything but isUsedForConsensus (refused on that workflow: schema error).
    p.update(
        Some(ALICE),
        ids(&["v2"]),
        json!([{"priority": 9, "toBeLabeledBy": ["alice@example.com"]}]),
        Path::Fast,
    );
    let ans = p.update(
        Some(ALICE),
        ids(&["v2"]),
        json!([{"isUsedForConsensus": true}]),
        Path::Schema,
    );
    assert!(error_text(&ans).contains("isUsedForConsensus"), "{ans}");
    // Repeated ids, empty data (nothing written, ids checked), aliases, operation name.
    p.update(
        Some(ALICE),
        ids(&["a4", "a4"]),
        json!([{"priority": 1}, {"priority": 2}]),
        Path::Fast,
    );
    p.update(Some(ALICE), ids(&["a5", "a6"]), json!([]), Path::Fast);
    p.update(Some(ALICE), ids(&[]), json!([]), Path::Fast);
    let aliased = "mutation upd($w: [AssetWhere!]!, $d: [AssetData!]!) { out: updatePropertiesInAssets(where: $w, data: $d) { x: id id } }";
    let ans = p.check_rows(
        Some(ALICE),
        json!({"query": aliased, "variables": {"w": ids(&["a5"]), "d": [{"priority": 4}]}, "operationName": "upd"}),
        Path::Fast,
    );
    assert_eq!(ans, json!({"data": {"out": [{"x": "a5", "id": "a5"}]}}));
    // Bob (labeler of proj-1) sees proj-1's assets.
    p.update(
        Some(BOB),
        ids(&["a6"]),
        json!([{"priority": 6}]),
        Path::Fast,
    );
    assert!(p.fast.fast_path_answers() >= 28);
}

#[test]
fn errors_roll_back_and_come_from_the_schema() {
    let p = pair();
    // Invalid JSON text in the second item: nothing of the batch is written.
    let ans = p.update(
        Some(ALICE),
        ids(&["a1", "a2"]),
        json!([{"jsonMetadata": "{\"ok\": 1}"}, {"jsonMetadata": "{not json"}]),
        Path::Schema,
    );
    assert_eq!(
        error_text(&ans),
        "data[1].jsonMetadata is not valid JSON text"
    );
    assert!(!rows(&p.fast)[0]["jsonMetadata"].to_string().contains("ok"));
    // Unknown id, an asset of a project alice cannot see, one bob cannot see.
    for (key, id) in [(ALICE, "nope"), (ALICE, "m1"), (BOB, "v1")] {
        let ans = p.update(
            Some(key),
            ids(&["a1", id]),
            json!([{"priority": 1}, {"priority": 2}]),
            Path::Schema,
        );
        assert_eq!(
            error_text(&ans),
            format!("where[1]: no asset matches {id} in the projects you can access")
        );
    }
    // Unknown e-mail in toBeLabeledBy.
    let ans = p.update(
        Some(ALICE),
        ids(&["a1"]),
        json!([{"toBeLabeledBy": ["ghost@example.com"]}]),
        Path::Schema,
    );
    assert!(error_text(&ans).contains("ghost@example.com"), "{ans}");
    // Length mismatch.
    let ans = p.update(
        Some(ALICE),
        ids(&["a1", "a2"]),
        json!([{"priority": 1}]),
        Path::Schema,
    );
    assert!(
        error_text(&ans).contains("data has 1 items but where has 2"),
        "{ans}"
    );
    // No key.
    let ans = p.update(None, ids(&["a1"]), json!([{"priority": 1}]), Path::Schema);
    assert!(error_text(&ans).contains("Unauthenticated"), "{ans}");
}

#[test]
fn other_shapes_fall_back_to_the_schema() {
    let p = pair();
    // Variables async-graphql validates or coerces differently from strict deserialisation:
    // each must be answered by the schema (error or coerced success), never by the fast path.
    let cases = [
        (json!([{"id": "a1"}]), json!([{"priority": "high"}])),
        (json!([{"id": "a1"}]), json!([{"priority": 1.5}])),
        (json!([{"id": "a1"}]), json!([{"priority": 2147483648i64}])),
        (json!([{"id": "a1"}]), json!([{"consensusMark": "0.5"}])),
        (
            json!([{"id": "a1"}]),
            json!([{"jsonMetadata": {"not": "a string"}}]),
        ),
        (json!([{"id": "a1"}]), json!([{"isHoneypot": "true"}])),
        (json!([{"id": "a1"}]), json!([{"unknownField": 1}])),
        (json!([{"id": "a1"}]), json!([null])),
        (
            json!([{"id": "a1"}]),
            json!([{"toBeLabeledBy": "bob@example.com"}]),
        ),
        (
            json!([{"id": "a1"}]),
            json!([{"pageResolutions": [{"pageNumber": 1, "width": 2}]}]),
        ),
        (
            json!([{"id": "a1"}]),
            json!([{"pageResolutions": {"pageNumber": 1, "width": 2, "height": 3}}]),
        ),
        (
            json!([{"id": "a1"}]),
            json!([{"resolution": {"width": 1, "height": 2, "depth": 3}}]),
        ),
        (json!([{"id": "a1"}]), json!({"priority": 3})),
        (json!([{"id": "a1"}]), json!(null)),
        (json!({"id": "a1"}), json!([{"priority": 3}])),
        (json!([{"id": 5}]), json!([{"priority": 3}])),
        (json!([{"id": null}]), json!([{"priority": 3}])),
        (json!([{}]), json!([{"priority": 3}])),
        (
            json!([{"id": "a1", "project": {"id": "proj-1"}}]),
            json!([{"priority": 3}]),
        ),
        (json!([{"idIn": ["a1", "a2"]}]), json!([{"priority": 3}])),
        (json!([{"id": "a1", "nope": 1}]), json!([{"priority": 3}])),
    ];
    for (w, d) in cases {
        p.update(Some(ALICE), w, d, Path::Schema);
    }
    // Missing variable, and documents outside the served shape.
    p.check_rows(
        Some(ALICE),
        json!({"query": DOC, "variables": {"whereArray": ids(&["a1"])}}),
        Path::Schema,
    );
    let vars = json!({"w": ids(&["a2"]), "d": [{"priority": 8}]});
    for doc in [
        "mutation($w: [AssetWhere!]!, $d: [AssetData!]!) { data: updatePropertiesInAssets(where: $w, data: $d) { id jsonMetadata priority } }",
        "mutation($w: [AssetWhere!]!, $d: [AssetData!]!) { data: updatePropertiesInAssets(where: $w, data: $d) { id __typename } }",
        "mutation($w: [AssetWhere!]!, $d: [AssetData!]!) { data: updatePropertiesInAssets(where: $w, data: $d) { ...F } } fragment F on Asset { id }",
        "mutation($w: [AssetWhere!], $d: [AssetData!]!) { data: updatePropertiesInAssets(where: $w, data: $d) { id } }",
        "mutation($w: [AssetWhere!]!, $d: [AssetData]!) { data: updatePropertiesInAssets(where: $w, data: $d) { id } }",
        "mutation($w: [AssetWhere!]!, $d: [AssetData!]!, $x: Int) { data: updatePropertiesInAssets(where: $w, data: $d) { id } }",
        "mutation($w: [AssetWhere!]!, $d: [AssetData!]!) { data: updatePropertiesInAssets(where: $w, data: $d) { id @include(if: true) } }",
        "mutation($w: [AssetWhere!]!, $d: [AssetData!]!) { data: updatePropertiesInAssets(where: $w, data: $d) { id } other: updatePropertiesInAssets(where: $w, data: []) { id } }",
        "mutation($d: [AssetData!]!) { data: updatePropertiesInAssets(where: [{id: \"a2\"}], data: $d) { id } }",
        "mutation($w: [AssetWhere!]!, $d: [AssetData!]!) { data: updatePropertiesInAssets(where: $w, data: $d) { idd } }",
        "query($w: [AssetWhere!]!, $d: [AssetData!]!) { data: updatePropertiesInAssets(where: $w, data: $d) { id } }",
    ] {
        p.check_rows(Some(ALICE), json!({"query": doc, "variables": vars.clone()}), Path::Schema);
    }
    assert_eq!(p.fast.fast_path_answers(), 0);
}
