//! Differential test of the `assets` fast path (emulator/src/gql/fast_assets.rs): the same
//! requests go to two emulators over the same data, one with `fast_paths` on and one with it
//! off (every request through async-graphql); the HTTP status and the answers must be equal,
//! byte for byte when the fast path answered. Each case also states which path must have
//! answered, so the comparisons are known to cover the fast path (and the fallbacks).

use serde_json::{json, Value};

use crate::common::{self, ALICE, BOB, MALLORY};
use crate::differential::{self, send, Pair, Path};

const DOCS: &str = include_str!("../data/sdk-documents.json");
const VARS: &str = include_str!("../data/sdk-variables.json");

/// common::fixture() with every timestamp explicit (the two servers must hold the same
/// data), plus a V2 project with every optional asset/label column set and a 250-asset
/// project shaped like `--generate-assets` (labels on every other asset).
fn fixture() -> Value {
    let mut fx = common::fixture();
    for (kind, n) in [("assets", 0), ("labels", 1), ("issues", 2)] {
        for (i, e) in fx[kind].as_array_mut().unwrap().iter_mut().enumerate() {
            if e.get("created_at").is_none() {
                e["created_at"] = json!(format!("2024-05-0{}T00:00:{:02}.000Z", n + 1, i));
            }
        }
    }
    let projects = fx["projects"].as_array_mut().unwrap();
    projects.push(json!({"id": "proj-rich", "title": "Rich", "input_type": "PDF", "workflow_version": "V2",
        "created_at": "2024-01-05T00:00:00.000Z",
        "members": [{"user_id": "user-alice", "role": "ADMIN"}, {"user_id": "user-bob", "role": "LABELER"}],
        "steps": [{"id": "r-label", "name": "Label", "type": "DEFAULT", "step_group_name": "Main"},
                  {"id": "r-review", "name": "Review", "type": "REVIEW", "step_group_name": "Check"}]}));
    projects.push(json!({"id": "proj-gen", "title": "Generated", "input_type": "IMAGE", "workflow_version": "V2",
        "created_at": "2024-01-06T00:00:00.000Z",
        "members": [{"user_id": "user-alice", "role": "ADMIN"}],
        "steps": [{"id": "g-label", "name": "Default", "type": "DEFAULT", "step_group_name": "G"}]}));
    let assets = fx["assets"].as_array_mut().unwrap();
    assets.extend([
        json!({"id": "r1", "project_id": "proj-rich", "external_id": "rich \"1\" é\n\u{1F600}\\", "content": "https://x/r1.pdf",
               "json_content": "https://x/r1.json", "json_metadata": {"k": "v", "n": 5, "nested": {"a": [1, 2.5, null]}},
               "created_at": "2024-06-01T00:00:00.000Z", "updated_at": "2024-06-02T00:00:00.000Z", "status": "LABELED",
               "is_honeypot": true, "skipped": false, "priority": 7, "consensus_mark": 0.125, "honeypot_mark": 1.0,
               "inference_mark": 0.3333333333333333, "is_used_for_consensus": true, "ocr_metadata": "{\"ocr\": 1}",
               "resolution": {"width": 1920, "height": 1080},
               "page_resolutions": [{"pageNumber": 1, "width": 600, "height": 800, "rotation": 90}, {"pageNumber": 2, "width": 600, "height": 800}],
               "geospatial_export_metadata": {"epsg": 4326, "bounds": [[0.5, 1], [2, 3.25]], "name": "tile"},
               "current_step": {"step_id": "r-review", "status": "IN_PROGRESS"}, "assigned_to": ["user-bob"]}),
        json!({"id": "r2", "project_id": "proj-rich", "external_id": "rich-2", "content": "",
               "created_at": "2024-06-01T00:00:01.000Z", "status": "TODO", "resolution": {"width": 10},
               "page_resolutions": [{"pageNumber": "not a number"}],
               "current_step": {"step_id": "r-label", "status": "REWORK"}}),
        json!({"id": "r3", "project_id": "proj-rich", "external_id": "rich-3",
               "created_at": "2024-06-01T00:00:02.000Z", "status": "ONGOING", "priority": -3}),
    ]);
    let labels = fx["labels"].as_array_mut().unwrap();
    labels.extend([
        json!({"id": "rl1", "asset_id": "r1", "author_id": "user-bob", "label_type": "DEFAULT", "created_at": "2024-06-03T00:00:00.000Z",
               "updated_at": "2024-06-04T00:00:00.000Z", "json_response": {"JOB": {"text": "a \"quoted\" é"}},
               "json_response_url": "https://x/rl1.json", "consensus_mark": 0.5, "honeypot_mark": 0.25, "inference_mark": 0.75,
               "is_latest": false, "seconds_to_label": 12.5, "model_name": "m-1", "is_sent_back_to_queue": true}),
        json!({"id": "rl2", "asset_id": "r1", "author_id": "user-bob", "label_type": "REVIEW", "created_at": "2024-06-03T00:00:01.000Z"}),
        json!({"id": "rl3", "asset_id": "r1", "label_type": "PREDICTION", "created_at": "2024-06-03T00:00:02.000Z",
               "json_response": {}, "model_name": "auto"}),
        json!({"id": "rl4", "asset_id": "r2", "author_id": "user-alice", "label_type": "AUTOSAVE", "created_at": "2024-06-03T00:00:03.000Z",
               "is_latest": false}),
    ]);
    let (mut gen_assets, mut gen_labels) = (Vec::new(), Vec::new());
    for i in 0..250u32 {
        let id = format!("gen{i:05}");
        let labeled = i % 2 == 1;
        gen_assets.push(json!({"id": id, "project_id": "proj-gen", "external_id": format!("gen-{i}"),
            "content": format!("https://storage.example.com/gen/{i}.png"),
            "json_metadata": {"i": i, "parity": if i % 2 == 0 { "even" } else { "odd" }},
            "created_at": format!("2024-07-01T00:{:02}:{:02}.000Z", i / 60, i % 60),
            "status": if labeled { "LABELED" } else { "TODO" },
            "current_step": {"step_id": "g-label", "status": if labeled { "DONE" } else { "TO_DO" }}}));
        if labeled {
            gen_labels.push(json!({"id": format!("{id}-l"), "asset_id": id, "author_id": "user-alice", "label_type": "DEFAULT",
                "created_at": format!("2024-07-02T00:{:02}:{:02}.000Z", i / 60, i % 60),
                "json_response": {"CLASSIFICATION_JOB": {"categories": [{"name": if i % 4 == 1 { "A" } else { "B" }}]}}}));
        }
    }
    fx["assets"].as_array_mut().unwrap().extend(gen_assets);
    fx["labels"].as_array_mut().unwrap().extend(gen_labels);
    fx
}

fn pair() -> Pair {
    differential::pair(fixture())
}

impl Pair {
    /// [`Pair::compare`] of `body` (the assets fast path has no other effect to compare).
    fn check(&self, key: Option<&str>, body: Value, path: Path) -> Value {
        self.compare(key, &body, path)
    }

    /// [`Pair::check`] where the schema's own answer decides: an error answer must come from
    /// the schema (the fast path steps aside on any failure), a success from `path_if_ok`.
    fn auto(&self, key: Option<&str>, body: Value, path_if_ok: Path) -> Path {
        let (_, b) = send(&self.slow.endpoint(), key, &body);
        let slow: Value = serde_json::from_slice(&b).unwrap();
        let path = if slow.get("errors").is_some() {
            Path::Schema
        } else {
            path_if_ok
        };
        self.check(key, body, path);
        path
    }
}

/// kili-native's page document (src/assets/query.rs `page_document`).
fn native_doc(selection: &str) -> String {
    format!("query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {{\n  data: assets(where: $where, skip: $skip, first: $first) {{ {selection} }}\n}}")
}

fn vars(project: &str, skip: i64, first: i64) -> Value {
    json!({"where": {"project": {"id": project}, "label": {}, "issue": {}}, "skip": skip, "first": first})
}

/// Documents whose selections stay inside the fast path's fields.
fn expected_path(doc: &str) -> Path {
    let outside = [
        "annotations",
        "labelOf",
        "assignedTo",
        "issues",
        "project {",
        "__typename",
    ];
    if outside.iter().any(|f| doc.contains(f)) {
        Path::Schema
    } else {
        Path::Fast
    }
}

const PROJECTS: [&str; 4] = ["proj-1", "proj-v2", "proj-rich", "proj-gen"];

#[test]
fn sdk_and_native_documents_answer_identically() {
    let p = pair();
    let docs: Vec<Value> = serde_json::from_str(DOCS).unwrap();
    let mut seen = std::collections::HashSet::new();
    let mut queries: Vec<String> = docs
        .iter()
        .filter_map(|d| d["query"].as_str())
        .filter(|q| q.contains("assets(where"))
        .filter(|q| seen.insert(q.to_string()))
        .map(str::to_string)
        .collect();
    assert!(
        queries.len() >= 20,
        "SDK assets documents: {}",
        queries.len()
    );
    let v1 = "content createdAt externalId id isHoneypot jsonMetadata labels { author { id email } createdAt id jsonResponse } skipped status";
    let v2 = "content createdAt externalId id isHoneypot jsonMetadata labels { author { id email } createdAt id jsonResponse } skipped currentStep { name status }";
    let v3 = "content createdAt externalId id isHoneypot jsonMetadata labels { author { id email } createdAt id jsonResponse } skipped currentStep { name status stepGroupName }";
    for sel in [v1, v2, v3, "id externalId"] {
        queries.push(native_doc(sel));
    }
    let mut fast = 0;
    for q in &queries {
        let path = expected_path(q);
        for project in PROJECTS {
            for (skip, first) in [(0, 100), (2, 3)] {
                let ans = p.check(
                    Some(ALICE),
                    json!({"query": q, "variables": vars(project, skip, first), "operationName": "assets"}),
                    path,
                );
                assert!(ans["data"]["data"].is_array(), "{ans}");
                p.check(
                    Some(ALICE),
                    json!({"query": q, "variables": vars(project, skip, first)}),
                    path,
                );
            }
        }
        fast += (path == Path::Fast) as usize;
    }
    assert!(fast >= 15, "fast-path documents: {fast}");
    // A populated answer, to make sure the comparisons compare something.
    let ans = p.check(
        Some(ALICE),
        json!({"query": native_doc(v2), "variables": vars("proj-gen", 0, 100)}),
        Path::Fast,
    );
    assert_eq!(ans["data"]["data"].as_array().unwrap().len(), 100);
    assert_eq!(ans["data"]["data"][1]["labels"][0]["id"], "gen00001-l");
}

#[test]
fn every_field_one_at_a_time() {
    let p = pair();
    let asset_scalars = [
        "id",
        "externalId",
        "content",
        "jsonContent",
        "jsonMetadata",
        "createdAt",
        "updatedAt",
        "isHoneypot",
        "skipped",
        "status",
        "priority",
        "consensusMark",
        "honeypotMark",
        "inferenceMark",
        "isUsedForConsensus",
        "ocrMetadata",
        "geospatialExportMetadata",
    ];
    let label_scalars = [
        "id",
        "createdAt",
        "updatedAt",
        "jsonResponse",
        "jsonResponseUrl",
        "labelType",
        "isLatestLabelForUser",
        "isLastForStep",
        "isSentBackToQueue",
        "modelName",
        "secondsToLabel",
        "honeypotMark",
        "consensusMark",
        "inferenceMark",
        "author { id }",
        "author { email }",
        "author { firstname }",
        "author { lastname }",
        "author { lastname firstname email id }",
    ];
    let mut sels: Vec<String> = asset_scalars.iter().map(|s| s.to_string()).collect();
    for head in ["labels", "latestLabel", "latestLabels"] {
        for l in label_scalars {
            sels.push(format!("{head} {{ {l} }}"));
        }
    }
    for s in [
        "resolution { width }",
        "resolution { height }",
        "resolution { height width }",
        "pageResolutions { pageNumber }",
        "pageResolutions { width height rotation }",
        "currentStep { id }",
        "currentStep { name }",
        "currentStep { status }",
        "currentStep { stepGroupName }",
        "currentStep { stepGroupName status name id }",
        // Aliases, several heads at once, everything the fast path knows in one document.
        "a: id b: externalId c: labels { d: id e: author { f: email } }",
        "labels { id } latestLabel { id } latestLabels { id }",
    ] {
        sels.push(s.to_string());
    }
    sels.push(format!(
        "{} labels {{ {} }} resolution {{ width height }} pageResolutions {{ pageNumber width height rotation }} currentStep {{ id name status stepGroupName }}",
        asset_scalars.join(" "),
        label_scalars.join(" ").replace("author { id } author { email } author { firstname } author { lastname } ", "")
    ));
    for sel in &sels {
        for project in PROJECTS {
            p.check(
                Some(ALICE),
                json!({"query": native_doc(sel), "variables": vars(project, 0, 100)}),
                Path::Fast,
            );
        }
    }
}

#[test]
fn filters_paging_access_and_literals() {
    let p = pair();
    let q = native_doc("id externalId status jsonMetadata currentStep { id name status } labels { id labelType author { email } }");
    let wheres = [
        json!({"project": {"id": "proj-1"}, "metadata": {"split": "train"}}),
        json!({"project": {"id": "proj-1"}, "metadata": {"score": 7}}),
        json!({"project": {"id": "proj-gen"}, "metadata": {"parity": "odd"}}),
        json!({"project": {"id": "proj-1"}, "statusIn": ["LABELED", "REVIEWED"]}),
        json!({"project": {"id": "proj-1"}, "statusIn": []}),
        json!({"project": {"id": "proj-1"}, "externalIdIn": ["img"]}),
        json!({"project": {"id": "proj-1"}, "externalIdStrictlyIn": ["img-1", "other-4", "nope"]}),
        json!({"project": {"id": "proj-gen"}, "externalIdStrictlyIn": ["gen-3", "gen-200"]}),
        json!({"project": {"id": "proj-1"}, "idIn": ["a1", "a3"], "idNotIn": ["a3"]}),
        json!({"project": {"id": "proj-1"}, "consensusMarkGte": 0.3, "consensusMarkLte": 1}),
        json!({"project": {"id": "proj-1"}, "skipped": true}),
        json!({"project": {"id": "proj-1"}, "label": {"typeIn": ["REVIEW"]}, "issue": {}}),
        json!({"project": {"id": "proj-1"}, "issue": {"type": "QUESTION", "status": "SOLVED"}}),
        json!({"project": {"id": "proj-1"}, "assigneeIn": ["bob@example.com"]}),
        json!({"project": {"id": "proj-v2"}, "stepIdIn": ["s-label"]}),
        json!({"project": {"id": "proj-v2"}, "stepStatusIn": ["DONE", "DOING"]}),
        json!({"project": {"id": "proj-v2"}, "stepIdAndStatusIn": [{"stepId": "s-label", "status": "TO_DO"}]}),
        json!({"project": {"id": "proj-v2"}, "groupNameIn": ["G2"]}),
        json!({"project": {"id": "proj-rich"}, "createdAtGte": "2024-06-01T00:00:01.000Z"}),
        json!({"id": "a2"}),
        json!({}),
    ];
    let mut fast = 0;
    for w in &wheres {
        let path = p.auto(
            Some(ALICE),
            json!({"query": q, "variables": {"where": w, "skip": 0, "first": 100}}),
            Path::Fast,
        );
        fast += (path == Path::Fast) as usize;
    }
    assert_eq!(fast, wheres.len(), "every filter here is valid");
    // Paging edges on the 250-asset project (fresh and cached seek positions).
    for (skip, first) in [
        (0, 0),
        (0, 1),
        (1, 1),
        (99, 2),
        (100, 100),
        (200, 100),
        (249, 1),
        (250, 10),
        (251, 10),
        (10_000, 10),
        (0, 1000),
        (100, 100),
        (2_147_483_647, 1),
    ] {
        p.check(
            Some(ALICE),
            json!({"query": q, "variables": vars("proj-gen", skip, first)}),
            Path::Fast,
        );
    }
    // Visibility: bob (labeler) sees proj-1, mallory none of it; unknown project.
    p.check(
        Some(BOB),
        json!({"query": q, "variables": vars("proj-1", 0, 100)}),
        Path::Fast,
    );
    // Whatever the schema says (empty list or error), the fast path agrees or steps aside.
    for key in [MALLORY, ALICE] {
        for project in ["proj-1", "proj-nope"] {
            let body = json!({"query": q, "variables": vars(project, 0, 100)});
            p.auto(Some(key), body, Path::Fast);
        }
    }
    // Literals and an alias other than `data`.
    p.check(
        Some(ALICE),
        json!({"query": "{ page: assets(where: {project: {id: \"proj-1\"}, statusIn: [TODO, LABELED]}, skip: 1, first: 3) { id externalId } }"}),
        Path::Fast,
    );
    p.check(
        Some(ALICE),
        json!({"query": "query q($w: AssetWhere!) { assets(first: 2, where: $w, skip: 0) { id } }", "variables": {"w": {"project": {"id": "proj-gen"}}}}),
        Path::Fast,
    );
}

#[test]
fn sdk_captured_variables_answer_identically() {
    let p = pair();
    let entries: Vec<Value> = serde_json::from_str(VARS).unwrap();
    let mut n = 0;
    for e in entries
        .iter()
        .filter(|e| e["query"].as_str().unwrap().contains("assets(where"))
    {
        let q = e["query"].as_str().unwrap();
        // As captured (projects unknown here), then pointed at each project of the fixture.
        p.auto(
            Some(ALICE),
            json!({"query": q, "variables": e["variables"]}),
            expected_path(q),
        );
        for project in PROJECTS {
            let mut v = e["variables"].clone();
            v["where"]["project"]["id"] = json!(project);
            p.auto(
                Some(ALICE),
                json!({"query": q, "variables": v}),
                expected_path(q),
            );
        }
        n += 1;
    }
    assert!(n >= 30, "captured assets calls: {n}");
}

#[test]
fn everything_else_falls_back_to_the_schema() {
    let p = pair();
    let v = vars("proj-1", 0, 10);
    let sel_cases = [
        "... on Asset { id }",
        "...F",
        "id unknownField",
        "__typename id",
        "labels { __typename id }",
        "id @include(if: true)",
        "labels @skip(if: false) { id }",
        "id id",
        "i: id i: externalId",
        "labels",
        "id { x }",
        "labels { labelOf { id } }",
        "project { id }",
        "assignedTo { id }",
        "issues { id }",
        "labels { annotations { id } }",
        "labels(first: 1) { id }",
        "resolution",
    ];
    for sel in sel_cases {
        let mut q = native_doc(sel);
        if sel == "...F" {
            q.push_str("\nfragment F on Asset { id }");
        }
        p.check(
            Some(ALICE),
            json!({"query": q, "variables": v}),
            Path::Schema,
        );
    }
    let q = native_doc("id");
    let bodies = [
        // Variables the schema rejects or coerces differently.
        json!({"query": q, "variables": {"where": {"project": {"id": "proj-1"}, "bogus": 1}, "skip": 0, "first": 10}}),
        json!({"query": q, "variables": {"where": {"project": {"id": "proj-1"}, "statusIn": ["NOPE"]}, "skip": 0, "first": 10}}),
        json!({"query": q, "variables": {"where": {"project": {"id": "proj-1"}, "statusIn": "TODO"}, "skip": 0, "first": 10}}),
        json!({"query": q, "variables": {"where": {"stepIdAndStatusIn": [{"stepId": "s"}]}, "skip": 0, "first": 10}}),
        json!({"query": q, "variables": {"where": null, "skip": 0, "first": 10}}),
        json!({"query": q, "variables": {"where": {}, "skip": -1, "first": 10}}),
        json!({"query": q, "variables": {"where": {}, "skip": 0, "first": -1}}),
        json!({"query": q, "variables": {"where": {}, "skip": "0", "first": 10}}),
        json!({"query": q, "variables": {"where": {}, "skip": 1.5, "first": 10}}),
        json!({"query": q, "variables": {"where": {}, "skip": 0}}),
        json!({"query": q}),
        // Operation shapes.
        json!({"query": q, "variables": v, "operationName": "other"}),
        json!({"query": "query a($where: AssetWhere!, $first: Int!, $skip: Int!) { assets(where: $where, skip: $skip, first: $first) { id } }", "variables": v}),
        json!({"query": "query a($where: AssetWhere, $first: PageSize!, $skip: Int!) { assets(where: $where, skip: $skip, first: $first) { id } }", "variables": v}),
        json!({"query": "query a($where: AssetWhere!, $first: PageSize!, $skip: Int!, $x: Int) { assets(where: $where, skip: $skip, first: $first) { id } }", "variables": v}),
        json!({"query": "query a($where: AssetWhere!, $first: PageSize!, $skip: Int! = 0) { assets(where: $where, skip: $skip, first: $first) { id } }", "variables": v}),
        json!({"query": "query a($where: AssetWhere!, $first: PageSize!) { assets(where: $where, skip: 0, first: $first) { id } countAssets(where: $where) }", "variables": v}),
        json!({"query": "query a($where: AssetWhere!, $first: PageSize!) { assets(where: $where, first: $first) { id } }", "variables": v}),
        json!({"query": "query a($p: ID!) { assets(where: {project: {id: $p}}, skip: 0, first: 5) { id } }", "variables": {"p": "proj-1"}}),
        json!({"query": "{ assets(where: {project: {id: \"proj-1\"}, bogus: 1}, skip: 0, first: 5) { id } }"}),
        json!({"query": "{ assets(where: {}, skip: 0, first: 5, extra: 1) { id } }"}),
        json!({"query": "query a { assets(where: {}, skip: 0, first: 5) { id } } query b { assets(where: {}, skip: 0, first: 1) { id } }", "operationName": "b"}),
        json!({"query": "{ countAssets(where: {project: {id: \"proj-1\"}}) }"}),
        json!({"query": "{ __schema { queryType { name } } }"}),
        json!({"query": "mutation { assets(where: {}, skip: 0, first: 1) { id } }"}),
        json!({"query": "query { assets(where: {}, skip: 0, first: 1) { id } "}),
    ];
    for b in bodies {
        p.check(Some(ALICE), b, Path::Schema);
    }
    // An ID given as a number is valid for the schema too: answered identically.
    p.check(
        Some(ALICE),
        json!({"query": q, "variables": {"where": {"project": {"id": 12}}, "skip": 0, "first": 10}}),
        Path::Fast,
    );
    // No key, a bad key: the schema's UNAUTHENTICATED answer (HTTP 401).
    for key in [None, Some("no-such-key")] {
        p.check(key, json!({"query": q, "variables": v}), Path::Schema);
    }
}
