//! The request log's operation of a document is memoised per (query text, operation name):
//! the same text with another operation name must still name the right root field.

use serde_json::json;

use super::common::*;

#[test]
fn memoised_operation_info_follows_the_operation_name() {
    let emu = start();
    let e = emu.endpoint();
    let doc = "query A { data: countAssets(where: {idIn: [\"a1\"]}) } \
               mutation B($w: AssetWhere!) { data: addAssetsToReview(where: $w) { succeeded { assetId } } }";
    let send = |op: &str, vars| {
        let client = reqwest::blocking::Client::new();
        let r = client
            .post(&e)
            .header("Authorization", format!("X-API-Key: {ALICE}"))
            .json(&json!({"query": doc, "operationName": op, "variables": vars}))
            .send()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
    };
    for _ in 0..2 {
        send("A", json!({}));
        send("B", json!({"w": {"idIn": ["a2"]}}));
    }
    let ops: Vec<Option<String>> = emu.request_log().into_iter().map(|r| r.operation).collect();
    let a = Some("countAssets".to_string());
    let b = Some("addAssetsToReview".to_string());
    assert_eq!(ops, [a.clone(), b.clone(), a, b]);
}
