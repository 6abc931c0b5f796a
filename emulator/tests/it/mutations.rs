//! Mutations of both generations, uploads, notifications, gzip.

use std::io::Write;

use serde_json::{json, Value};

use super::common::*;

const APPEND: &str = "mutation appendManyAssets($data: AppendManyAssetsData!, $where: ProjectWhere!) { data: appendManyAssets(data: $data, where: $where) { id externalId createdAt } }";

fn outcome(e: &str, field: &str, ids: &[&str]) -> Value {
    let q = format!(
        "mutation($where: AssetWhere!) {{ data: {field}(where: $where) {{ succeeded {{ assetId externalId }} declined {{ assetId externalId }} failed {{ assetId externalId details }} }} }}"
    );
    data(e, ALICE, &q, json!({"where": {"idIn": ids}}))["data"].clone()
}

fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x["assetId"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn append_keeps_client_ids_and_order_and_is_retry_safe() {
    let emu = start();
    let e = emu.endpoint();
    let vars = json!({"data": {"contentArray": ["https://x/a.png", "https://x/b.png", "https://x/c.png"],
        "externalIDArray": ["n-a", "n-b", "n-c"], "idArray": ["cid1", "cid2", "cid3"],
        "jsonMetadataArray": ["{\"k\": 1}", "{}", "{}"], "isHoneypotArray": [false, true, false]},
        "where": {"id": "proj-1"}});
    let d = data(&e, ALICE, APPEND, vars.clone());
    let created = d["data"].as_array().unwrap();
    assert_eq!(
        created
            .iter()
            .map(|a| a["id"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["cid1", "cid2", "cid3"]
    );
    let times: Vec<&str> = created
        .iter()
        .map(|a| a["createdAt"].as_str().unwrap())
        .collect();
    assert!(
        times[0] < times[1] && times[1] < times[2],
        "creation times must increase: {times:?}"
    );
    // Same call again (a client retry): same answer, no duplicates.
    let again = data(&e, ALICE, APPEND, vars.clone());
    assert_eq!(again["data"], d["data"]);
    assert_eq!(
        asset_ids(&e, ALICE, json!({"project": {"id": "proj-1"}})).len(),
        9
    );
    // An id reused with other values fails the whole call, and nothing is written.
    let mut conflict = vars.clone();
    conflict["data"]["idArray"] = json!(["cid4", "cid1", "cid5"]);
    let (_, body) = post(&e, Some(ALICE), APPEND, conflict);
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
    assert_eq!(
        asset_ids(&e, ALICE, json!({"project": {"id": "proj-1"}})).len(),
        9
    );
    // New assets start TODO (V1) / in the first step TO_DO (V2).
    let d = data(&e, ALICE, "{ data: assets(where: {idIn: [\"cid2\"]}, skip: 0, first: 1) { status isHoneypot jsonMetadata } }", json!({}));
    assert_eq!(
        d["data"],
        json!([{"status": "TODO", "isHoneypot": true, "jsonMetadata": "{}"}])
    );
    let d = data(
        &e,
        ALICE,
        APPEND,
        json!({"data": {"contentArray": ["x"], "idArray": ["cv2"]}, "where": {"id": "proj-v2"}}),
    );
    assert_eq!(d["data"][0]["id"], "cv2");
    let d = data(&e, ALICE, "{ data: assets(where: {idIn: [\"cv2\"]}, skip: 0, first: 1) { currentStep { name status } externalId } }", json!({}));
    assert_eq!(
        d["data"][0]["currentStep"],
        json!({"name": "Labeling", "status": "TO_DO"})
    );
    assert_eq!(d["data"][0]["externalId"].as_str().unwrap().len(), 32);
}

#[test]
fn append_rejects_mismatched_arrays_and_foreign_projects() {
    let emu = start();
    let e = emu.endpoint();
    let (_, body) = post(
        &e,
        Some(ALICE),
        APPEND,
        json!({"data": {"contentArray": ["a", "b"], "externalIDArray": ["x"]}, "where": {"id": "proj-1"}}),
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("externalIDArray"),
        "{body}"
    );
    let (_, body) = post(
        &e,
        Some(MALLORY),
        APPEND,
        json!({"data": {"contentArray": ["a"]}, "where": {"id": "proj-1"}}),
    );
    assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND");
}

#[test]
fn async_append_returns_a_successful_notification() {
    let emu = start();
    let e = emu.endpoint();
    let d = data(
        &e,
        ALICE,
        "mutation($data: AppendManyAssetsAsynchronouslyData!, $where: ProjectWhere!) { data: appendManyAssetsAsynchronously(data: $data, where: $where) { id } }",
        json!({"data": {"contentArray": ["https://x/t.tif"], "externalIDArray": ["tif"], "idArray": ["ctif"], "jsonMetadataArray": ["{}"], "uploadType": "TILED_IMAGE"}, "where": {"id": "proj-1"}}),
    );
    let nid = d["data"]["id"].as_str().unwrap().to_string();
    let d = data(&e, ALICE, "query($w: NotificationWhere!) { c: countNotifications(where: $w) n: notifications(where: $w, first: 1, skip: 0) { status } }", json!({"w": {"id": nid}}));
    assert_eq!(d, json!({"c": 1, "n": [{"status": "SUCCESS"}]}));
    assert_eq!(
        asset_ids(&e, ALICE, json!({"idIn": ["ctif"]})),
        vec!["ctif"]
    );
}

#[test]
fn update_properties_changes_only_given_fields() {
    let emu = start();
    let e = emu.endpoint();
    let q = "mutation($whereArray: [AssetWhere!]!, $dataArray: [AssetData!]!) { data: updatePropertiesInAssets(where: $whereArray, data: $dataArray) { id } }";
    let d = data(
        &e,
        ALICE,
        q,
        json!({"whereArray": [{"id": "a1"}, {"id": "a2"}], "dataArray": [
        {"priority": 4, "jsonMetadata": "{\"x\": 1}", "toBeLabeledBy": [], "shouldResetToBeLabeledBy": true, "pageResolutions": [{"pageNumber": 1, "width": 10, "height": 20}]},
        {"priority": null, "externalId": "renamed", "toBeLabeledBy": ["bob@example.com"], "shouldResetToBeLabeledBy": false}]}),
    );
    assert_eq!(d["data"], json!([{"id": "a1"}, {"id": "a2"}]));
    let d = data(&e, ALICE, "{ data: assets(where: {idIn: [\"a1\", \"a2\"]}, skip: 0, first: 2) { id priority jsonMetadata externalId assignedTo { email } pageResolutions { pageNumber width height } } }", json!({}));
    assert_eq!(
        d["data"][0],
        json!({"id": "a1", "priority": 4, "jsonMetadata": "{\"x\": 1}", "externalId": "img-1", "assignedTo": [], "pageResolutions": [{"pageNumber": 1, "width": 10, "height": 20}]})
    );
    assert_eq!(
        d["data"][1],
        json!({"id": "a2", "priority": 0, "jsonMetadata": "{\"split\":\"test\",\"score\":7}", "externalId": "renamed", "assignedTo": [{"email": "bob@example.com"}], "pageResolutions": null})
    );
    // isUsedForConsensus on a V3 project: a [deprecated] error the SDK translates.
    let (_, body) = post(
        &e,
        Some(ALICE),
        q,
        json!({"whereArray": [{"id": "v1"}], "dataArray": [{"isUsedForConsensus": true}]}),
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("[deprecated]"),
        "{body}"
    );
    let (_, body) = post(
        &e,
        Some(MALLORY),
        q,
        json!({"whereArray": [{"id": "a1"}], "dataArray": [{"priority": 1}]}),
    );
    assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND");
    // Plain `{id}` items take a batched path; any other filter the per-item one: same errors.
    let (_, general) = post(
        &e,
        Some(MALLORY),
        q,
        json!({"whereArray": [{"id": "a1", "statusIn": ["TODO", "ONGOING", "LABELED", "REVIEWED", "TO_REVIEW"]}], "dataArray": [{"priority": 1}]}),
    );
    assert_eq!(
        general["errors"][0]["message"],
        body["errors"][0]["message"]
    );
    assert_eq!(
        body["errors"][0]["message"],
        "where[0]: no asset matches a1 in the projects you can access"
    );
    // An unknown id in the batch fails the whole call: nothing before it was applied.
    let (_, body) = post(
        &e,
        Some(ALICE),
        q,
        json!({"whereArray": [{"id": "a1"}, {"id": "nope"}], "dataArray": [{"priority": 9}, {"priority": 9}]}),
    );
    assert_eq!(body["errors"][0]["extensions"]["code"], "NOT_FOUND");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("where[1]:"));
    let d = data(
        &e,
        ALICE,
        "{ data: assets(where: {id: \"a1\"}, skip: 0, first: 1) { priority } }",
        json!({}),
    );
    assert_eq!(d["data"][0]["priority"], 4, "rolled back");
}

/// What the reference SDK sends for `to_be_labeled_by_array=[..., None]`: `toBeLabeledBy: null`
/// with `shouldResetToBeLabeledBy: true` clears the assignment; a `null` list without the reset
/// flag (or with `false`) leaves it unchanged, like any other `null` property.
#[test]
fn update_properties_null_assignment_with_reset_clears_it() {
    let emu = start();
    let e = emu.endpoint();
    let q = "mutation($whereArray: [AssetWhere!]!, $dataArray: [AssetData!]!) { data: updatePropertiesInAssets(where: $whereArray, data: $dataArray) { id } }";
    let assigned = |id: &str| {
        data(&e, ALICE, &format!("{{ data: assets(where: {{id: \"{id}\"}}, skip: 0, first: 1) {{ assignedTo {{ email }} }} }}"), json!({}))["data"][0]["assignedTo"].clone()
    };
    let bob = json!([{"email": "bob@example.com"}]);
    let set = |d: Value| {
        data(
            &e,
            ALICE,
            q,
            json!({"whereArray": [{"id": "a1"}], "dataArray": [d]}),
        );
    };
    set(json!({"toBeLabeledBy": ["bob@example.com"], "shouldResetToBeLabeledBy": false}));
    assert_eq!(assigned("a1"), bob);
    set(json!({"toBeLabeledBy": null}));
    assert_eq!(assigned("a1"), bob, "null alone: unchanged");
    set(json!({"toBeLabeledBy": null, "shouldResetToBeLabeledBy": false}));
    assert_eq!(assigned("a1"), bob, "null without reset: unchanged");
    set(json!({"toBeLabeledBy": null, "shouldResetToBeLabeledBy": true}));
    assert_eq!(assigned("a1"), json!([]), "null with reset: cleared");
}

#[test]
fn asset_actions_report_every_asset_once() {
    let emu = start();
    let e = emu.endpoint();
    let o = outcome(&e, "addAssetsToReview", &["a1", "a2", "a3", "nope"]);
    assert_eq!(names(&o["succeeded"]), ["a2", "a3"]);
    assert_eq!(names(&o["declined"]), ["a1"]);
    assert_eq!(names(&o["failed"]), ["nope"]);
    assert_eq!(
        asset_ids(
            &e,
            ALICE,
            json!({"project": {"id": "proj-1"}, "statusIn": ["TO_REVIEW"]})
        ),
        ["a2", "a3", "a4"]
    );
    let o = outcome(&e, "sendAssetsBackToQueue", &["a1", "a2"]);
    assert_eq!(names(&o["succeeded"]), ["a2"]);
    assert_eq!(names(&o["declined"]), ["a1"]);
    let d = data(
        &e,
        ALICE,
        "{ data: assets(where: {idIn: [\"a2\"]}, skip: 0, first: 1) { status priority } }",
        json!({}),
    );
    assert_eq!(d["data"], json!([{"status": "ONGOING", "priority": 1}]));
    // V2/V3: done -> review step; skipped assets are declined by send-back.
    let o = outcome(&e, "addAssetsToReview", &["v1", "v2"]);
    assert_eq!(
        (names(&o["succeeded"]), names(&o["declined"])),
        (vec!["v2".to_string()], vec!["v1".to_string()])
    );
    let o = outcome(&e, "sendAssetsBackToQueue", &["v3", "v4", "v1"]);
    assert_eq!(names(&o["succeeded"]), ["v3"]);
    assert_eq!(names(&o["declined"]), ["v1", "v4"]);
    let d = data(&e, ALICE, "{ data: assets(where: {idIn: [\"v2\", \"v3\"]}, skip: 0, first: 2) { id currentStep { name status } } }", json!({}));
    assert_eq!(
        d["data"],
        json!([{"id": "v2", "currentStep": {"name": "Review", "status": "TO_DO"}}, {"id": "v3", "currentStep": {"name": "Labeling", "status": "REWORK"}}])
    );
    // Delete: already-deleted ids succeed again; foreign ids fail.
    let o = outcome(&e, "deleteAssets", &["a1", "m1"]);
    assert_eq!(names(&o["succeeded"]), ["a1"]);
    assert_eq!(o["succeeded"][0]["externalId"], "img-1");
    assert_eq!(names(&o["failed"]), ["m1"]);
    let o = outcome(&e, "deleteAssets", &["a1"]);
    assert_eq!(names(&o["succeeded"]), ["a1"]);
    assert_eq!(
        asset_ids(&e, ALICE, json!({"idIn": ["a1"]})),
        Vec::<String>::new()
    );
}

#[test]
fn legacy_mutations() {
    let emu = start();
    let e = emu.endpoint();
    let legacy = |field: &str, ids: &[&str]| {
        let q =
            format!("mutation($where: AssetWhere!) {{ data: {field}(where: $where) {{ id }} }}");
        data(&e, ALICE, &q, json!({"where": {"idIn": ids}}))["data"].clone()
    };
    assert_eq!(legacy("addAllLabeledAssetsToReview", &["a1"]), Value::Null);
    assert_eq!(
        legacy("addAllLabeledAssetsToReview", &["a2"]),
        json!({"id": "proj-1"})
    );
    assert_eq!(
        legacy("sendBackAssetsToQueue", &["a2"]),
        json!({"id": "proj-1"})
    );
    assert_eq!(
        asset_ids(
            &e,
            ALICE,
            json!({"project": {"id": "proj-1"}, "statusIn": ["ONGOING"]})
        ),
        ["a2", "a5"]
    );
    assert_eq!(
        legacy("deleteManyFromDataset", &["a2"]),
        json!({"id": "proj-1"})
    );
    assert_eq!(
        asset_ids(&e, ALICE, json!({"idIn": ["a2"]})),
        Vec::<String>::new()
    );
    let d = data(
        &e,
        ALICE,
        "mutation($data: AppendManyToDatasetData!, $where: ProjectWhere!) { data: appendManyToDataset(data: $data, where: $where) { id } }",
        json!({"data": {"contentArray": ["https://x/l.png"], "externalIDArray": ["legacy"], "statusArray": ["TODO"]}, "where": {"id": "proj-1"}}),
    );
    assert_eq!(d["data"], json!({"id": "proj-1"}));
    assert_eq!(
        asset_ids(
            &e,
            ALICE,
            json!({"project": {"id": "proj-1"}, "externalIdStrictlyIn": ["legacy"]})
        )
        .len(),
        1
    );
}

#[test]
fn signed_url_upload_and_file_read() {
    let emu = start();
    let e = emu.endpoint();
    let d = data(&e, ALICE, "query($filePaths: [String!]) { urls: createUploadBucketSignedUrls(filePaths: $filePaths) }", json!({"filePaths": ["projects/proj-1/assets/x/content"]}));
    let url = d["urls"][0].as_str().unwrap().to_string();
    assert!(
        url.starts_with(&emu.base_url()) && url.ends_with("&id=projects/proj-1/assets/x/content"),
        "{url}"
    );
    let put_url = &url[..url.find("&id=").unwrap()];
    let c = reqwest::blocking::Client::new();
    let r = c
        .put(put_url)
        .header("Content-Type", "image/png")
        .body(vec![1u8, 2, 3])
        .send()
        .unwrap();
    assert!(r.status().is_success());
    let r = c
        .get(format!(
            "{}/api/label/v2/files?id=projects/proj-1/assets/x/content",
            emu.base_url()
        ))
        .send()
        .unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().unwrap().to_vec(), vec![1u8, 2, 3]);
    assert_eq!(
        c.get(&url).send().unwrap().bytes().unwrap().to_vec(),
        vec![1u8, 2, 3]
    );
    assert_eq!(
        c.put(format!("{}/api/label/v2/upload?sig=forged", emu.base_url()))
            .body("x")
            .send()
            .unwrap()
            .status(),
        403
    );
    let d = data(&e, ALICE, "{ x: filterExistingAssets(projectID: \"proj-1\", externalIDs: [\"img-1\", \"zzz\", \"other-4\"]) }", json!({}));
    assert_eq!(d["x"], json!(["img-1", "other-4"]));
}

#[test]
fn gzip_request_and_response_bodies() {
    let emu = start();
    let body = json!({"query": "{ data: countAssets(where: {project: {id: \"proj-1\"}}) ids: assets(where: {project: {id: \"proj-1\"}}, skip: 0, first: 3) { id } }"}).to_string();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(body.as_bytes()).unwrap();
    let gz = enc.finish().unwrap();
    let raw = reqwest::blocking::Client::builder()
        .gzip(false)
        .build()
        .unwrap();
    let r = raw
        .post(emu.endpoint())
        .header("Authorization", format!("X-API-Key: {ALICE}"))
        .header("Content-Type", "application/json")
        .header("Content-Encoding", "gzip")
        .header("Accept-Encoding", "gzip")
        .body(gz)
        .send()
        .unwrap();
    assert_eq!(
        r.headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
    let mut out = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::GzDecoder::new(&r.bytes().unwrap()[..]),
        &mut out,
    )
    .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap(),
        json!({"data": {"data": 6, "ids": [{"id": "a1"}, {"id": "a2"}, {"id": "a3"}]}})
    );
    let log = emu.request_log();
    let rec = log
        .iter()
        .rev()
        .find(|r| r.operation.as_deref() == Some("countAssets"))
        .unwrap();
    assert!(rec.gzip);
    assert_eq!(rec.header("authorization"), Some("X-API-Key: alice-key"));
    emu.clear_request_log();
    assert!(emu.request_log().is_empty());
}
