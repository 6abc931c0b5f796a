//! API-key authentication and per-user project visibility.

use serde_json::json;

use super::common::*;

#[test]
fn viewer_check_needs_a_valid_key() {
    let emu = start();
    let (status, body) = post(
        &emu.endpoint(),
        Some(ALICE),
        "{ viewer { id email } }",
        json!({}),
    );
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"data": {"viewer": {"id": "user-alice", "email": "alice@example.com"}}})
    );
    for key in [None, Some("unknown-key")] {
        let (status, body) = post(&emu.endpoint(), key, "{ viewer { id email } }", json!({}));
        assert_eq!(status, 401, "key {key:?}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
        assert!(body["data"].is_null());
    }
}

#[test]
fn introspection_works_without_key() {
    let emu = start();
    let (status, body) = post(
        &emu.endpoint(),
        None,
        "{ __schema { description queryType { name } directives { name isRepeatable } } }",
        json!({}),
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");
}

#[test]
fn other_users_projects_are_invisible() {
    let emu = start();
    let e = emu.endpoint();
    assert_eq!(
        asset_ids(&e, MALLORY, json!({"project": {"id": "proj-1"}})),
        Vec::<String>::new()
    );
    assert_eq!(
        asset_ids(&e, MALLORY, json!({"idIn": ["a1", "a2"]})),
        Vec::<String>::new()
    );
    let d = data(
        &e,
        MALLORY,
        "{ data: projects(where: {id: \"proj-1\"}, first: 10, skip: 0) { id } }",
        json!({}),
    );
    assert_eq!(d["data"], json!([]));
    let d = data(
        &e,
        MALLORY,
        "{ data: projects(where: {}, first: 10, skip: 0) { id } }",
        json!({}),
    );
    assert_eq!(d["data"], json!([{"id": "proj-m"}]));
    assert_eq!(
        asset_ids(&e, BOB, json!({"project": {"id": "proj-1"}})).len(),
        6
    );
    // A filter without project still only sees the viewer's projects.
    assert_eq!(
        asset_ids(&e, MALLORY, json!({"externalIdStrictlyIn": ["img-1"]})),
        vec!["m1"]
    );
}

#[test]
fn api_keys_query_returns_the_expiry_of_the_key_in_use() {
    let emu = start();
    let d = data(
        &emu.endpoint(),
        ALICE,
        "query apiKeys($where: ApiKeyWhere!) { data: apiKeys(where: $where, skip: 0, first: 1) { expiryDate } }",
        json!({"where": {"key": ALICE}}),
    );
    assert_eq!(
        d["data"],
        json!([{"expiryDate": "2099-12-31T23:59:59.000Z"}])
    );
}
