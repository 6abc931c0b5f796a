//! Asset actions at scale: 20,000 generated assets reviewed, sent back, updated and deleted,
//! with every outcome checked (the paths that used to scan the whole project per call).

use std::collections::HashSet;

use serde_json::{json, Value};

use super::common::*;

const N: usize = 20_000;

fn outcome_query(field: &str) -> String {
    format!(
        "mutation($where: AssetWhere!) {{ data: {field}(where: $where) {{ succeeded {{ assetId externalId }} declined {{ assetId externalId }} failed {{ assetId externalId details }} }} }}"
    )
}

/// Runs `field` over `ids` in batches of `batch`; returns the merged (succeeded, declined,
/// failed) asset ids.
fn action(e: &str, field: &str, ids: &[String], batch: usize) -> [Vec<String>; 3] {
    let q = outcome_query(field);
    let mut out: [Vec<String>; 3] = Default::default();
    for chunk in ids.chunks(batch) {
        let d = data(e, ALICE, &q, json!({"where": {"idIn": chunk}}));
        for (k, key) in ["succeeded", "declined", "failed"].iter().enumerate() {
            out[k].extend(
                d["data"][key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x["assetId"].as_str().unwrap().to_string()),
            );
        }
    }
    out
}

fn count(e: &str, w: Value) -> i64 {
    data(
        e,
        ALICE,
        "query($w: AssetWhere!) { data: countAssets(where: $w) }",
        json!({"w": w}),
    )["data"]
        .as_i64()
        .unwrap()
}

/// Generated assets of proj-1 in listing order, as (id, externalId, status).
fn generated(e: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    loop {
        let d = data(
            e,
            ALICE,
            "query($w: AssetWhere!, $s: Int!) { data: assets(where: $w, skip: $s, first: 500) { id externalId status } }",
            json!({"w": {"project": {"id": "proj-1"}, "externalIdIn": ["gen-"]}, "s": out.len()}),
        );
        let page = d["data"].as_array().unwrap();
        if page.is_empty() {
            break;
        }
        out.extend(page.iter().map(|a| {
            (
                a["id"].as_str().unwrap().to_string(),
                a["externalId"].as_str().unwrap().to_string(),
                a["status"].as_str().unwrap().to_string(),
            )
        }));
    }
    out
}

#[test]
fn actions_on_20k_assets_report_every_asset_and_apply() {
    let emu = start();
    let e = emu.endpoint();
    assert_eq!(emu.generate_assets("proj-1", N as u64).unwrap(), N as u64);
    let assets = generated(&e);
    assert_eq!(assets.len(), N);
    let ids: Vec<String> = assets.iter().map(|a| a.0.clone()).collect();
    // The generator labels every other asset (odd index): those are LABELED, the rest TODO.
    let labeled: Vec<String> = assets
        .iter()
        .filter(|a| a.2 == "LABELED")
        .map(|a| a.0.clone())
        .collect();
    let todo: Vec<String> = assets
        .iter()
        .filter(|a| a.2 == "TODO")
        .map(|a| a.0.clone())
        .collect();
    assert_eq!((labeled.len(), todo.len()), (N / 2, N / 2));

    // Review in one big call (plus one unknown id), then in SDK-sized batches (idempotent).
    let mut with_unknown = ids.clone();
    with_unknown.push("no-such-asset".into());
    let [ok, declined, failed] = action(&e, "addAssetsToReview", &with_unknown, N + 1);
    assert_eq!(ok, labeled, "succeeded: the labeled ones, oldest first");
    assert_eq!(declined, todo);
    assert_eq!(failed, ["no-such-asset"]);
    let [ok, declined, _] = action(&e, "addAssetsToReview", &ids, 100);
    assert_eq!((ok.len(), declined.len()), (N / 2, N / 2));
    // a4 was already TO_REVIEW in the fixture.
    assert_eq!(
        count(
            &e,
            json!({"project": {"id": "proj-1"}, "statusIn": ["TO_REVIEW"]})
        ),
        (N / 2 + 1) as i64
    );

    // Back to queue: the reviewed half moves (priority + 1), the TODO half is declined.
    let [ok, declined, failed] = action(&e, "sendAssetsBackToQueue", &ids, 100);
    assert_eq!(ok, labeled);
    assert_eq!(declined, todo);
    assert!(failed.is_empty());
    assert_eq!(
        count(
            &e,
            json!({"project": {"id": "proj-1"}, "statusIn": ["ONGOING"], "externalIdIn": ["gen-"]})
        ),
        (N / 2) as i64
    );

    // Update 2,000 assets in one call: every item gets its own metadata and priority.
    let some: Vec<&String> = ids.iter().step_by(10).collect();
    let where_: Vec<Value> = some.iter().map(|id| json!({"id": id})).collect();
    let data_: Vec<Value> = some
        .iter()
        .enumerate()
        .map(|(k, _)| json!({"priority": 7, "jsonMetadata": format!("{{\"k\": {k}}}")}))
        .collect();
    let d = data(
        &e,
        ALICE,
        "mutation($w: [AssetWhere!]!, $d: [AssetData!]!) { data: updatePropertiesInAssets(where: $w, data: $d) { id jsonMetadata priority } }",
        json!({"w": where_, "d": data_}),
    );
    let updated = d["data"].as_array().unwrap();
    assert_eq!(updated.len(), some.len());
    for (k, (u, id)) in updated.iter().zip(&some).enumerate() {
        assert_eq!(u["id"].as_str().unwrap(), id.as_str());
        assert_eq!(u["jsonMetadata"], format!("{{\"k\": {k}}}"));
        assert_eq!(u["priority"], 7);
    }

    // Delete everything generated, half in one call, half in batches; the fixture remains.
    let [ok, _, failed] = action(&e, "deleteAssets", &ids[..N / 2], N / 2);
    assert_eq!(ok, ids[..N / 2]);
    assert!(failed.is_empty());
    let [ok, _, _] = action(&e, "deleteAssets", &ids, 100);
    assert_eq!(ok.len(), N, "already deleted ids succeed again");
    let unique: HashSet<&String> = ok.iter().collect();
    assert_eq!(unique.len(), N);
    assert_eq!(count(&e, json!({"project": {"id": "proj-1"}})), 6);
}
