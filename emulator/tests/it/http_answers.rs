//! The GraphQL endpoint's HTTP envelope: answers are gzip-compressed by the handler itself
//! (pooled compressors) with the negotiation and headers of the router's CompressionLayer,
//! and the request log records the JSON body parsed from the bytes received.

use std::io::{Read, Write};

use reqwest::blocking::{Client, Response};
use serde_json::{json, Value};

use super::common::*;

fn raw_client() -> Client {
    // No automatic decoding: the test looks at the bytes and headers as sent.
    Client::builder().gzip(false).build().unwrap()
}

fn send(e: &str, body: Vec<u8>, accept: Option<&str>, gzip_body: bool) -> Response {
    let mut req = raw_client()
        .post(e)
        .header("Authorization", format!("X-API-Key: {ALICE}"))
        .header("Content-Type", "application/json");
    if let Some(a) = accept {
        req = req.header("Accept-Encoding", a);
    }
    let body = if gzip_body {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&body).unwrap();
        req = req.header("Content-Encoding", "gzip");
        enc.finish().unwrap()
    } else {
        body
    };
    req.body(body).send().unwrap()
}

fn header(r: &Response, name: &str) -> Option<String> {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

/// (content-encoding, vary, decoded body bytes).
fn answer(r: Response) -> (Option<String>, Option<String>, Vec<u8>) {
    let enc = header(&r, "content-encoding");
    let vary = header(&r, "vary");
    let bytes = r.bytes().unwrap().to_vec();
    let body = if enc.as_deref() == Some("gzip") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .unwrap();
        out
    } else {
        bytes
    };
    (enc, vary, body)
}

#[test]
fn answers_are_compressed_as_negotiated_with_the_same_bytes() {
    let emu = start();
    let e = emu.endpoint();
    let list = json!({"query": "query($w: AssetWhere!) { data: assets(where: $w, skip: 0, first: 10) { id externalId } }",
                      "variables": {"w": {"project": {"id": "proj-1"}}}});
    let count = json!({"query": "{ data: countAssets(where: {project: {id: \"proj-1\"}}) other: projects(where: {id: \"proj-1\"}) { id } }"});
    let update = |n: usize| {
        json!({"query": "mutation($w: [AssetWhere!]!, $d: [AssetData!]!) { data: updatePropertiesInAssets(where: $w, data: $d) { id } }",
               "variables": {"w": [{"id": "a1"}, {"id": "a2"}], "d": [{"priority": n}, {"priority": n}]}})
    };
    let cases = [list.clone(), count, update(1), update(2)];
    for (i, q) in cases.iter().enumerate() {
        let body = q.to_string().into_bytes();
        let (enc, vary, plain) = answer(send(&e, body.clone(), None, false));
        assert_eq!(enc, None, "case {i}");
        // The layer marks an uncompressed answer it could have compressed.
        assert_eq!(vary.as_deref(), Some("accept-encoding"), "case {i}");
        for accept in ["gzip", "deflate, gzip;q=0.5", "x-gzip"] {
            let (enc, vary, decoded) = answer(send(&e, body.clone(), Some(accept), false));
            assert_eq!(enc.as_deref(), Some("gzip"), "case {i} accept {accept}");
            assert_eq!(vary.as_deref(), Some("accept-encoding"), "case {i}");
            assert_eq!(decoded, plain, "case {i}: same bytes compressed or not");
        }
        let (enc, _, refused) = answer(send(&e, body.clone(), Some("gzip;q=0, br"), false));
        assert_eq!(enc, None, "case {i}: gzip refused by q=0");
        assert_eq!(refused, plain);
    }
    let v: Value =
        serde_json::from_slice(&answer(send(&e, list.to_string().into_bytes(), None, false)).2)
            .unwrap();
    assert_eq!(v["data"]["data"].as_array().unwrap().len(), 6);

    // Below 32 bytes nothing is compressed, and no Vary is added (as the layer does).
    let tiny = json!({"query": "{__typename}"}).to_string().into_bytes();
    let (enc, vary, body) = answer(send(&e, tiny, Some("gzip"), false));
    assert_eq!(body, br#"{"data":{"__typename":"Query"}}"#.to_vec());
    assert_eq!((enc, vary), (None, None));

    // Same headers as another route compressed by the layer.
    let r = raw_client()
        .get(format!("{}/emulator/requests", emu.base_url()))
        .header("x-emulator-admin-token", "admin")
        .header("Accept-Encoding", "gzip")
        .send()
        .unwrap();
    let (enc, vary, _) = answer(r);
    assert_eq!(enc.as_deref(), Some("gzip"));
    assert_eq!(vary.as_deref(), Some("accept-encoding"));
}

#[test]
fn the_request_log_holds_the_json_body_received() {
    let emu = start();
    let e = emu.endpoint();
    let q = json!({"query": "query($w: AssetWhere!) { data: countAssets(where: $w) }",
                   "variables": {"w": {"idIn": ["a1", "a2"]}, "n": 1.5, "z": null},
                   "operationName": null});
    emu.clear_request_log();
    assert_eq!(
        send(&e, q.to_string().into_bytes(), None, false).status(),
        200
    );
    assert_eq!(
        send(&e, q.to_string().into_bytes(), Some("gzip"), true).status(),
        200
    );
    assert_eq!(send(&e, b"{not json".to_vec(), None, false).status(), 400);
    assert_eq!(send(&e, b"[1, 2]".to_vec(), None, true).status(), 400);
    let log = emu.request_log();
    assert_eq!(log.len(), 4);
    assert_eq!(log[0].body.as_ref(), Some(&q));
    assert_eq!(log[0].operation.as_deref(), Some("countAssets"));
    assert!(!log[0].gzip);
    assert_eq!(log[1].body.as_ref(), Some(&q));
    assert!(log[1].gzip);
    assert_eq!(log[2].body, None);
    assert_eq!(log[2].operation, None);
    assert_eq!(log[3].body, Some(json!([1, 2])));
    assert!(log[3].gzip);
    // Key order of the body is kept (the log's JSON is what the client sent).
    let keys: Vec<&String> = log[0]
        .body
        .as_ref()
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(keys, ["query", "variables", "operationName"]);
}
