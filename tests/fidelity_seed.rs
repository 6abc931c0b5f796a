//! Fidelity to the reference Python SDK on three points where kili-native used to answer
//! differently (see docs/FIDELITY.md for the differences that are kept on purpose):
//!
//! * `update_properties_in_assets(to_be_labeled_by_array=[[...], None])`: a `null` entry clears
//!   that asset's assignment (the SDK sends `toBeLabeledBy: null` with
//!   `shouldResetToBeLabeledBy: true`);
//! * deprecated `*_gt` / `*_lt` aliases of `assets()` / `count_assets()` follow Python's
//!   `alias or new` rule: a falsy alias (`0`, `0.0`, `""`) is ignored;
//! * the step-status pair filters take the SDK's tuple form `[step, status]`, and `status_in`
//!   is combined with the step filters by the SDK's rules per workflow version;
//! * de-duplication by id only with `id` in the fields (plain path), over the whole listing
//!   (A.3; scripted pages from a small axum server);
//! * unknown or invisible projects: which calls raise `NotFound` and which requests are sent
//!   (A.5; `count_assets(skipped=...)` alone makes no project lookup);
//! * the V3 default fields' order, `jsonResponseUrl` (key removed; `{}` on failure only with
//!   `json_response_url_errors: "empty"`), `ocrMetadata` loaded whenever selected (A.4).
//!
//! Everything runs against the emulator; the `AssetWhere` checked is the one the client sent
//! (the emulator's request log).

mod core_support;
mod mock_support;

use core_support::*;
use kili::{CallOptions, Event, Status, WarningKind};
use serde_json::{json, Value};

fn count(c: &kili::Client, args: &Value) -> kili::Result<u64> {
    c.count_assets_json(&args.to_string(), CallOptions::default())
}

fn list(c: &kili::Client, args: &Value) -> kili::Result<Vec<Value>> {
    c.assets_json(&args.to_string(), CallOptions::default())?
        .collect()
}

/// The `where` of the last `countAssets` request.
fn last_where(emu: &kili_emulator::EmulatorHandle) -> Value {
    bodies(emu, "countAssets")
        .last()
        .expect("a countAssets request")["variables"]["where"]
        .clone()
}

fn deprecations(rec: &Recorder) -> Vec<String> {
    rec.events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Warning {
                kind: WarningKind::Deprecation,
                message,
                ..
            } => Some(message),
            _ => None,
        })
        .collect()
}

fn with(base: &Value, extra: Value) -> Value {
    let mut v = base.clone();
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

// ---- A.1: to_be_labeled_by_array with a null entry -------------------------------------------

fn assignees(c: &kili::Client) -> Vec<(String, Vec<String>)> {
    list(
        c,
        &json!({"project_id": "p1", "fields": ["id", "assignedTo.email"], "asset_id_in": ["a1", "a2"]}),
    )
    .unwrap()
    .into_iter()
    .map(|a| {
        let emails = a["assignedTo"]
            .as_array()
            .map(|l| {
                l.iter()
                    .map(|u| u["email"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default();
        (a["id"].as_str().unwrap().to_string(), emails)
    })
    .collect()
}

#[test]
fn to_be_labeled_by_null_entry_clears_the_assignment() {
    let emu = emulator();
    let (c, _) = client(&emu);
    // The fixture assigns a1 to ann and a2 to bob.
    assert_eq!(
        assignees(&c),
        vec![
            ("a1".to_string(), vec!["ann@x.com".to_string()]),
            ("a2".to_string(), vec!["bob@x.com".to_string()])
        ]
    );
    emu.clear_request_log();
    // The reference SDK's own docstring example.
    let out = c
        .mutate_json(
            "update_properties_in_assets",
            &json!({"asset_ids": ["a1", "a2"], "to_be_labeled_by_array": [["bob@x.com"], null]})
                .to_string(),
            CallOptions::default(),
        )
        .unwrap();
    assert_eq!(out["result"], json!([{"id": "a1"}, {"id": "a2"}]));
    // Read back: a1 now bob's, a2 no longer assigned.
    assert_eq!(
        assignees(&c),
        vec![
            ("a1".to_string(), vec!["bob@x.com".to_string()]),
            ("a2".to_string(), vec![])
        ]
    );
    // On the wire: exactly what the SDK sends for None.
    let sent = bodies(&emu, "updatePropertiesInAssets");
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0]["variables"]["dataArray"],
        json!([
            {"toBeLabeledBy": ["bob@x.com"], "shouldResetToBeLabeledBy": false},
            {"toBeLabeledBy": null, "shouldResetToBeLabeledBy": true}
        ])
    );
}

/// The SDK's typeguard rejects a `None` at index 0 only (it checks the first item); JSON has
/// no such quirk, so a `null` anywhere clears (docs/FIDELITY.md).
#[test]
fn to_be_labeled_by_null_first_entry_also_clears() {
    let emu = emulator();
    let (c, _) = client(&emu);
    c.mutate_json(
        "update_properties_in_assets",
        &json!({"asset_ids": ["a1", "a2"], "to_be_labeled_by_array": [null, []]}).to_string(),
        CallOptions::default(),
    )
    .unwrap();
    assert_eq!(
        assignees(&c),
        vec![("a1".to_string(), vec![]), ("a2".to_string(), vec![])]
    );
}

// ---- A.2: deprecated aliases with a falsy value --------------------------------------------

/// (alias, where path of its new name).
const NUMERIC_ALIASES: [(&str, &[&str]); 8] = [
    ("consensus_mark_gt", &["consensusMarkGte"]),
    ("consensus_mark_lt", &["consensusMarkLte"]),
    ("honeypot_mark_gt", &["honeypotMarkGte"]),
    ("honeypot_mark_lt", &["honeypotMarkLte"]),
    ("label_consensus_mark_gt", &["label", "consensusMarkGte"]),
    ("label_consensus_mark_lt", &["label", "consensusMarkLte"]),
    ("label_honeypot_mark_gt", &["label", "honeypotMarkGte"]),
    ("label_honeypot_mark_lt", &["label", "honeypotMarkLte"]),
];
const DATE_ALIASES: [(&str, &[&str]); 2] = [
    ("label_created_at_gt", &["label", "createdAtGte"]),
    ("label_created_at_lt", &["label", "createdAtLte"]),
];

fn at<'a>(w: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(w, |v, k| &v[*k])
}

#[test]
fn falsy_deprecated_aliases_are_ignored_like_the_seed() {
    let emu = emulator();
    let (c, rec) = client(&emu);
    let all = count(&c, &json!({"project_id": "p1"})).unwrap();
    assert_eq!(all, 4);
    let mut cases: Vec<(&str, &[&str], Value)> = Vec::new();
    for (alias, path) in NUMERIC_ALIASES {
        for v in [json!(0), json!(0.0), json!(-0.0)] {
            cases.push((alias, path, v));
        }
    }
    for (alias, path) in DATE_ALIASES {
        cases.push((alias, path, json!("")));
    }
    for (alias, path, v) in cases {
        rec.clear();
        let args = json!({"project_id": "p1", alias: v});
        // count_assets and assets(): nothing sent for the alias, so no asset is filtered out
        // (honeypot_mark_gte=0 would drop a4, whose mark is null).
        assert_eq!(count(&c, &args).unwrap(), all, "{args}");
        assert!(
            at(&last_where(&emu), path).is_null(),
            "{args}: {}",
            last_where(&emu)
        );
        let got = list(&c, &with(&args, json!({"fields": ["id"]}))).unwrap();
        assert_eq!(got.len() as u64, all, "{args}");
        assert!(at(&last_where(&emu), path).is_null(), "{args}");
        // The deprecation event is kept, and says that the value is ignored.
        let deps = deprecations(&rec);
        assert_eq!(deps.len(), 2, "one per call: {deps:?}");
        assert!(
            deps.iter()
                .all(|m| m.contains(alias) && m.contains("ignored")),
            "{deps:?}"
        );
    }
}

#[test]
fn falsy_alias_gives_way_to_the_new_name_and_truthy_alias_wins() {
    let emu = emulator();
    let (c, rec) = client(&emu);
    // alias falsy + new name: the new name's value (`honeypot_mark_gt or honeypot_mark_gte`).
    for (args, path, want) in [
        (
            json!({"honeypot_mark_gt": 0, "honeypot_mark_gte": 0.5}),
            &["honeypotMarkGte"][..],
            json!(0.5),
        ),
        (
            json!({"consensus_mark_lt": 0.0, "consensus_mark_lte": 0}),
            &["consensusMarkLte"][..],
            json!(0.0),
        ),
        (
            json!({"label_created_at_lt": "", "label_created_at_lte": "2024-02-06"}),
            &["label", "createdAtLte"][..],
            json!("2024-02-06"),
        ),
        // A truthy alias wins, even over the new name.
        (
            json!({"honeypot_mark_gt": 0.5, "honeypot_mark_gte": 0.1}),
            &["honeypotMarkGte"][..],
            json!(0.5),
        ),
        (
            json!({"label_created_at_gt": "2024-02-04", "label_created_at_gte": "2024-01-01"}),
            &["label", "createdAtGte"][..],
            json!("2024-02-04"),
        ),
    ] {
        rec.clear();
        let args = with(&json!({"project_id": "p1"}), args);
        count(&c, &args).unwrap();
        assert_eq!(at(&last_where(&emu), path), &want, "{args}");
        assert_eq!(deprecations(&rec).len(), 1, "{args}");
    }
    // The answers follow: honeypot >= 0.5 keeps a2 (0.5) and a3 (0.9).
    assert_eq!(
        count(
            &c,
            &json!({"project_id": "p1", "honeypot_mark_gt": 0, "honeypot_mark_gte": 0.5})
        )
        .unwrap(),
        2
    );
    // external_id_contains: the new name wins when non-empty; an empty list is not sent but
    // still reported as deprecated (`is not None` in the seed).
    for (args, want) in [
        (
            json!({"external_id_strictly_in": ["ext-1"], "external_id_contains": ["ext-2"]}),
            json!(["ext-1"]),
        ),
        (
            json!({"external_id_strictly_in": [], "external_id_contains": ["ext-2"]}),
            json!(["ext-2"]),
        ),
        (json!({"external_id_contains": []}), Value::Null),
    ] {
        rec.clear();
        let args = with(&json!({"project_id": "p1"}), args);
        count(&c, &args).unwrap();
        assert_eq!(last_where(&emu)["externalIdStrictlyIn"], want, "{args}");
        assert_eq!(deprecations(&rec).len(), 1, "{args}");
    }
}

// ---- A.8: step-status pairs as tuples, and status_in rules ---------------------------------

#[test]
fn step_pairs_accept_the_sdk_tuple_form() {
    let emu = emulator();
    let (c, _) = client(&emu);
    for (args, want_ids, key, want_where) in [
        (
            json!({"project_id": "p2", "step_name_and_status_in": [["Review", "TO_DO"]]}),
            vec!["b2"],
            "stepIdAndStatusIn",
            json!([{"stepId": "s-review", "status": "TO_DO"}]),
        ),
        (
            json!({"project_id": "p2", "step_id_and_status_not_in": [["s-review", "TO_DO"]]}),
            vec!["b1", "b3"],
            "stepIdAndStatusNotIn",
            json!([{"stepId": "s-review", "status": "TO_DO"}]),
        ),
        (
            json!({"project_id": "p2", "step_id_and_status_in": [["s-label", "TO_DO"], {"stepId": "s-review", "status": "DONE"}]}),
            vec!["b1", "b3"],
            "stepIdAndStatusIn",
            json!([{"stepId": "s-label", "status": "TO_DO"}, {"stepId": "s-review", "status": "DONE"}]),
        ),
        // V3: a name several groups use expands to one pair per step.
        (
            json!({"project_id": "p3", "step_name_and_status_not_in": [["Label", "TO_DO"]]}),
            vec!["c3"],
            "stepIdAndStatusNotIn",
            json!([{"stepId": "s3-a", "status": "TO_DO"}, {"stepId": "s3-b", "status": "TO_DO"}]),
        ),
    ] {
        assert_eq!(count(&c, &args).unwrap(), want_ids.len() as u64, "{args}");
        assert_eq!(last_where(&emu)[key], want_where, "{args}");
        let got = list(&c, &with(&args, json!({"fields": ["id"]}))).unwrap();
        assert_eq!(ids(&got), want_ids, "{args}");
    }
}

#[test]
fn bad_step_pairs_are_refused_naming_the_item_before_any_call() {
    let emu = emulator();
    let (c, _) = client(&emu);
    for (pairs, path) in [
        (json!([["Review"]]), "step_name_and_status_in[0]"),
        (
            json!([["Review", "TO_DO", "x"]]),
            "step_name_and_status_in[0]",
        ),
        (json!([["Review", "NOPE"]]), "step_name_and_status_in[0][1]"),
        (json!([[1, "DONE"]]), "step_name_and_status_in[0][0]"),
        (json!([["Review", null]]), "step_name_and_status_in[0][1]"),
        (json!(["Review"]), "step_name_and_status_in[0]"),
        (json!("Review"), "step_name_and_status_in"),
        (
            json!([{"stepName": "Review"}]),
            "step_name_and_status_in[0].status",
        ),
    ] {
        emu.clear_request_log();
        let args = json!({"project_id": "p2", "step_name_and_status_in": pairs});
        for e in [count(&c, &args).unwrap_err(), list(&c, &args).unwrap_err()] {
            assert_eq!(e.status(), Status::InvalidArgument, "{args}");
            assert_eq!(e.details()["path"], path, "{args}: {e}");
        }
        assert!(emu.request_log().is_empty(), "{args}: no request at all");
    }
}

/// Refused before any count or page request (after the project lookup that tells the version).
fn refused(emu: &kili_emulator::EmulatorHandle, c: &kili::Client, args: &Value) -> String {
    emu.clear_request_log();
    let e = list(c, &with(args, json!({"fields": ["id"]}))).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument, "{args}: {e}");
    let ec = count(c, args).unwrap_err();
    assert_eq!(ec.status(), Status::InvalidArgument, "{args}: {ec}");
    assert_eq!(ec.details()["path"], e.details()["path"]);
    assert!(
        bodies(emu, "countAssets").is_empty() && bodies(emu, "assets").is_empty(),
        "{args}"
    );
    format!("{} {}", e.details()["path"].as_str().unwrap_or(""), e)
}

#[test]
fn status_in_with_step_filters_on_v2_v3_follows_the_sdk() {
    let emu = emulator();
    let (c, rec) = client(&emu);
    for project in ["p2", "p3"] {
        // Refused: status_in with step_status_in, any step-id filter, or step_name_in.
        for (other, v) in [
            ("step_status_in", json!(["DONE"])),
            ("step_id_in", json!(["s-review"])),
            ("step_id_not_in", json!(["s-review"])),
            ("step_id_and_status_in", json!([["s-review", "DONE"]])),
            ("step_id_and_status_not_in", json!([["s-review", "DONE"]])),
            ("step_name_in", json!(["Review"])),
        ] {
            let args = json!({"project_id": project, "status_in": ["TODO"], other: v});
            let msg = refused(&emu, &c, &args);
            assert!(
                msg.starts_with("status_in ") && msg.contains(other),
                "{args}: {msg}"
            );
        }
        // Accepted: both sent, with a warning about status_in.
        for (other, v, key) in [
            ("step_status_not_in", json!(["DONE"]), "stepStatusNotIn"),
            ("step_name_not_in", json!(["Review"]), "stepIdNotIn"),
            (
                "step_name_and_status_in",
                json!([["Review", "DONE"]]),
                "stepIdAndStatusIn",
            ),
            (
                "step_name_and_status_not_in",
                json!([["Review", "DONE"]]),
                "stepIdAndStatusNotIn",
            ),
        ] {
            rec.clear();
            let args = json!({"project_id": project, "status_in": ["TODO"], other: v});
            count(&c, &args).unwrap_or_else(|e| panic!("{args}: {e}"));
            let w = last_where(&emu);
            assert_eq!(w["statusIn"], json!(["TODO"]), "{args}");
            assert!(w[key].is_array(), "{args}: {w}");
            list(&c, &with(&args, json!({"fields": ["id"]})))
                .unwrap_or_else(|e| panic!("{args}: {e}"));
            assert!(
                rec.warnings().iter().any(|m| m.contains("status_in")),
                "{args}: {:?}",
                rec.warnings()
            );
        }
    }
    // Group filters stay V3-only, whatever else is given.
    let msg = refused(
        &emu,
        &c,
        &json!({"project_id": "p2", "status_in": ["TODO"], "group_name_not_in": []}),
    );
    assert!(msg.starts_with("group_name_not_in "), "{msg}");
}

#[test]
fn every_step_filter_is_refused_on_v1() {
    let emu = emulator();
    let (c, _) = client(&emu);
    for (arg, v) in [
        ("step_id_in", json!(["s"])),
        ("step_id_not_in", json!(["s"])),
        ("step_id_and_status_in", json!([["s", "DONE"]])),
        ("step_id_and_status_not_in", json!([["s", "DONE"]])),
        ("step_name_in", json!(["Label"])),
        ("step_status_in", json!(["DONE"])),
        ("step_name_and_status_in", json!([["Label", "DONE"]])),
        ("step_name_and_status_not_in", json!([["Label", "DONE"]])),
        // Accepted by the SDK on V1 (dropped / sent to the server): refused here, see
        // docs/FIDELITY.md.
        ("step_name_not_in", json!(["Label"])),
        ("step_status_not_in", json!(["DONE"])),
    ] {
        let args = json!({"project_id": "p1", arg: v});
        let msg = refused(&emu, &c, &args);
        assert!(
            msg.starts_with(&format!("{arg} ")) && msg.contains("status_in"),
            "{args}: {msg}"
        );
    }
}

// ---- A.3: de-duplication only in unicity mode, over the whole listing -------------------------

/// A server whose `assets` pages are scripted by offset (`skip` -> ids), with a fixed count and a
/// V1 IMAGE project: offset shifts the emulator cannot produce deterministically.
mod scripted {
    use axum::body::Bytes;
    use axum::routing::post;
    use axum::Router;
    use serde_json::{json, Value};
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    pub struct Script {
        pub count: u64,
        pub pages: HashMap<u64, Vec<&'static str>>,
        /// (skip, first) of every page request.
        pub asked: Mutex<Vec<(u64, u64)>>,
    }

    async fn handle(s: axum::extract::State<Arc<Script>>, body: Bytes) -> axum::Json<Value> {
        let req: Value = serde_json::from_slice(&body).unwrap();
        let q = req["query"].as_str().unwrap();
        if q.contains("countAssets") {
            return axum::Json(json!({"data": {"data": s.count}}));
        }
        if q.contains("projects(") {
            return axum::Json(json!({"data": {"data": [{"id": "pm", "steps": [],
                "workflowVersion": "V1", "inputType": "IMAGE", "jsonInterface": "{}"}]}}));
        }
        let skip = req["variables"]["skip"].as_u64().unwrap();
        let first = req["variables"]["first"].as_u64().unwrap();
        s.asked.lock().unwrap().push((skip, first));
        let ids = s.pages.get(&skip).cloned().unwrap_or_default();
        let items: Vec<Value> = ids
            .iter()
            .take(first as usize)
            .map(|id| {
                json!({"id": id, "externalId": format!("x-{id}"), "content": "", "jsonContent": "",
                       "resolution": null, "labels": []})
            })
            .collect();
        axum::Json(json!({"data": {"data": items}}))
    }

    pub fn serve(
        count: u64,
        pages: &[(u64, &[&'static str])],
    ) -> (Arc<Script>, tokio::runtime::Runtime, String) {
        let s = Arc::new(Script {
            count,
            pages: pages.iter().map(|(k, v)| (*k, v.to_vec())).collect(),
            asked: Mutex::new(vec![]),
        });
        let app = Router::new()
            .route("/api/label/v2/graphql", post(handle))
            .with_state(s.clone());
        let (rt, endpoint) = super::mock_support::serve(app);
        (s, rt, endpoint)
    }
}

fn scripted_client(endpoint: &str, prefetch: u32, page_size: u32) -> kili::Client {
    kili::Client::new(kili::ClientOptions {
        api_key: Some("fidelity-scripted-key-01".into()),
        api_endpoint: Some(endpoint.to_string()),
        rate_limit_per_minute: 0,
        prefetch_pages: prefetch,
        page_size,
        ..Default::default()
    })
    .unwrap()
}

fn id_list(items: &[Value]) -> Vec<&str> {
    items.iter().map(|a| a["id"].as_str().unwrap()).collect()
}

/// With `id` in the fields the seed remembers every id of the listing (`unicity_values`): an
/// asset pushed two pages further by inserts is still yielded once, and the listing goes on
/// until a short page.
#[test]
fn unicity_mode_remembers_every_id_of_the_listing() {
    // Pages of 2: the third page repeats the first one (two pages back), the fourth is short.
    let pages: &[(u64, &[&str])] = &[
        (0, &["a0", "a1"]),
        (2, &["a2", "a3"]),
        (4, &["a0", "a1"]),
        (6, &["a4"]),
    ];
    for prefetch in [0, 1, 3] {
        let (script, _rt, endpoint) = scripted::serve(5, pages);
        let c = scripted_client(&endpoint, prefetch, 2);
        let got = list(
            &c,
            &json!({"project_id": "pm", "fields": ["id", "externalId"]}),
        )
        .unwrap();
        assert_eq!(
            id_list(&got),
            vec!["a0", "a1", "a2", "a3", "a4"],
            "prefetch {prefetch}"
        );
        // The seed's requests: full pages until the short one (sorted: with prefetch they
        // may arrive in any order).
        let mut asked = script.asked.lock().unwrap().clone();
        asked.sort();
        assert_eq!(
            asked,
            vec![(0, 2), (2, 2), (4, 2), (6, 2)],
            "prefetch {prefetch}"
        );
        // `first` counts unique ids, as `len(unicity_values) >= first`.
        let (_s, _rt2, endpoint) = scripted::serve(5, pages);
        let c = scripted_client(&endpoint, prefetch, 2);
        let got = list(
            &c,
            &json!({"project_id": "pm", "fields": ["id"], "first": 5}),
        )
        .unwrap();
        assert_eq!(id_list(&got), vec!["a0", "a1", "a2", "a3", "a4"]);
    }
}

/// Without a unicity field the seed yields what the pages hold, repeats included: on the label
/// path (`*.jsonResponse` selected) even with `id` in the fields.
#[test]
fn no_de_duplication_outside_unicity_mode() {
    // Count 4, pages of 2: an insert shifted the second page by one.
    let pages: &[(u64, &[&str])] = &[(0, &["a0", "a1"]), (2, &["a1", "a2"])];
    for prefetch in [0, 2] {
        let (script, _rt, endpoint) = scripted::serve(4, pages);
        let c = scripted_client(&endpoint, prefetch, 2);
        let got = list(
            &c,
            &json!({"project_id": "pm", "fields": ["id", "labels.jsonResponse"]}),
        )
        .unwrap();
        assert_eq!(
            id_list(&got),
            vec!["a0", "a1", "a1", "a2"],
            "prefetch {prefetch}"
        );
        let mut asked = script.asked.lock().unwrap().clone();
        asked.sort();
        assert_eq!(asked, vec![(0, 2), (2, 2)]);
    }
}

// ---- A.5: unknown or invisible project ----------------------------------------------------------

/// Root fields of the requests logged since the last clear, in order.
fn ops(emu: &kili_emulator::EmulatorHandle) -> Vec<String> {
    emu.request_log()
        .into_iter()
        .filter_map(|r| r.operation)
        .collect()
}

#[test]
fn unknown_or_invisible_project_follows_the_seed() {
    let emu = emulator();
    let (c, rec) = client(&emu);
    // "hidden" exists but the key's user is not a member; "nope" does not exist.
    for project in ["hidden", "nope"] {
        let msg = format!(
            "project ID: {project}. The project does not exist or you do not have access to it."
        );
        // assets() with plain fields: the seed's steps/version lookup raises NotFound; nothing else
        // is sent.
        emu.clear_request_log();
        let e = list(
            &c,
            &json!({"project_id": project, "fields": ["id", "externalId"]}),
        )
        .unwrap_err();
        assert_eq!(e.status(), Status::NotFound, "{project}: {e}");
        assert!(e.to_string().contains(&msg), "{e}");
        assert_eq!(ops(&emu), vec!["projects"], "{project}");
        // count_assets(status_in=...): status_in needs the lookup, which raises NotFound.
        emu.clear_request_log();
        let e = count(&c, &json!({"project_id": project, "status_in": ["TODO"]})).unwrap_err();
        assert_eq!(e.status(), Status::NotFound, "{project}: {e}");
        assert!(e.to_string().contains(&msg), "{e}");
        assert_eq!(ops(&emu), vec!["projects"], "{project}");
        // count_assets(skipped=...): no lookup in the seed, so no NotFound: one countAssets,
        // answered by the server (0: the emulator counts no asset of a project the key cannot
        // see).
        for skipped in [true, false] {
            emu.clear_request_log();
            rec.clear();
            let n = count(&c, &json!({"project_id": project, "skipped": skipped})).unwrap();
            assert_eq!(n, 0, "{project}");
            assert_eq!(ops(&emu), vec!["countAssets"], "{project}");
            assert_eq!(
                last_where(&emu),
                json!({"project": {"id": project}, "label": {}, "skipped": skipped, "issue": {}})
            );
            assert!(rec.warnings().is_empty(), "{:?}", rec.warnings());
        }
        // count_assets without any step/status filter: the same single countAssets.
        emu.clear_request_log();
        assert_eq!(count(&c, &json!({"project_id": project})).unwrap(), 0);
        assert_eq!(ops(&emu), vec!["countAssets"], "{project}");
    }
}

/// `skipped` alone on a V2/V3 project: the seed's `count_assets` neither looks the project up
/// nor warns (its workflow check runs only with a step, status or group filter); `assets()`
/// always looks it up and warns. With another step filter, `count_assets` warns too.
#[test]
fn count_assets_skipped_alone_makes_no_lookup_and_no_warning() {
    let emu = emulator();
    let (c, rec) = client(&emu);
    for project in ["p2", "p3"] {
        emu.clear_request_log();
        rec.clear();
        count(&c, &json!({"project_id": project, "skipped": false})).unwrap();
        assert_eq!(ops(&emu), vec!["countAssets"]);
        assert!(rec.warnings().is_empty(), "{:?}", rec.warnings());
        rec.clear();
        list(
            &c,
            &json!({"project_id": project, "skipped": false, "fields": ["id"]}),
        )
        .unwrap();
        assert!(
            rec.warnings().iter().any(|m| m.contains("skipped")),
            "{:?}",
            rec.warnings()
        );
        emu.clear_request_log();
        rec.clear();
        count(
            &c,
            &json!({"project_id": project, "skipped": false, "step_status_in": ["TO_DO"]}),
        )
        .unwrap();
        assert_eq!(ops(&emu), vec!["projects", "countAssets"]);
        assert!(
            rec.warnings().iter().any(|m| m.contains("skipped")),
            "{:?}",
            rec.warnings()
        );
    }
}

// ---- A.4: default fields, jsonResponseUrl, ocrMetadata ------------------------------------------

/// The seed's V3 default fields put `currentStep.stepGroupName` first inside `currentStep`: the
/// selection and the returned object's keys follow that order.
#[test]
fn v3_default_fields_in_the_seed_order() {
    let emu = emulator();
    let (c, _) = client(&emu);
    emu.clear_request_log();
    let got = list(&c, &json!({"project_id": "p3", "first": 1})).unwrap();
    let doc = bodies(&emu, "assets")[0]["query"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        doc.contains("currentStep { stepGroupName name status }"),
        "{doc}"
    );
    let keys: Vec<&str> = got[0]["currentStep"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, vec!["stepGroupName", "name", "status"]);
}

mod extras_support;

fn url_fixture(m: &extras_support::MediaServer) -> Value {
    json!({
        "projects": [{"id": "purlmix", "title": "purlmix", "input_type": "IMAGE", "workflow_version": "V1",
                      "members": [{"user_id": "u1", "role": "ADMIN"}]},
                     {"id": "pocr", "title": "pocr", "input_type": "IMAGE", "workflow_version": "V1",
                      "members": [{"user_id": "u1", "role": "ADMIN"}]}],
        "assets": [
            {"id": "m1", "project_id": "purlmix", "external_id": "m-1", "content": "x", "created_at": "2024-01-01T00:00:00.000Z"},
            {"id": "o1", "project_id": "pocr", "external_id": "o-1", "content": "x", "created_at": "2024-01-01T00:00:00.000Z",
             "ocr_metadata": m.url("label/ocr.json")},
            {"id": "o2", "project_id": "pocr", "external_id": "o-2", "content": "x", "created_at": "2024-01-02T00:00:00.000Z",
             "ocr_metadata": ""},
            {"id": "o3", "project_id": "pocr", "external_id": "o-3", "content": "x", "created_at": "2024-01-03T00:00:00.000Z"},
            {"id": "o4", "project_id": "pocr", "external_id": "o-4", "content": "x", "created_at": "2024-01-04T00:00:00.000Z",
             "ocr_metadata": "{\"a\": 1}"}
        ],
        "labels": [
            {"id": "lm1", "asset_id": "m1", "author_id": "u1", "created_at": "2024-02-01T00:00:00.000Z",
             "json_response": "{}", "json_response_url": m.url("notjson")},
            {"id": "lm2", "asset_id": "m1", "author_id": "u1", "created_at": "2024-02-02T00:00:00.000Z",
             "json_response": "{}", "json_response_url": m.url("label/lm2.json")},
            {"id": "lm3", "asset_id": "m1", "author_id": "u1", "created_at": "2024-02-03T00:00:00.000Z",
             "json_response": "{\"K\": 1}"}
        ]
    })
}

fn extras_list(c: &kili::Client, args: Value) -> kili::Result<Vec<Value>> {
    list(c, &args)
}

/// A downloaded `jsonResponseUrl` replaces `jsonResponse` and the key is removed (seed). On a
/// failed download the seed puts `{}` and removes the key: kili-native does so with
/// `json_response_url_errors: "empty"`, and by default fails the listing (docs/FIDELITY.md).
#[test]
fn json_response_url_follows_the_seed_or_fails_on_purpose() {
    let m = extras_support::MediaServer::start();
    let emu = extras_support::emulator(&m);
    emu.load_fixture(&url_fixture(&m)).unwrap();
    let rec = Recorder::default();
    let c = extras_support::client(&emu).with_events(rec.sink());
    let served = json!({"JOB": {"categories": [{"name": "FROM_URL"}]}});
    let fields = json!(["id", "labels.id", "labels.jsonResponse"]);

    // Success: the key is gone.
    let a = extras_list(&c, json!({"project_id": "purl", "fields": fields})).unwrap();
    let label = a[0]["labels"][0].as_object().unwrap();
    assert_eq!(label["jsonResponse"], served);
    assert!(!label.contains_key("jsonResponseUrl"), "{label:?}");

    // Default: a failure is an error (404 here, a body that is not JSON below).
    let e = extras_list(&c, json!({"project_id": "purl404", "fields": fields})).unwrap_err();
    assert_eq!(e.status(), Status::NotFound, "{e}");
    let e = extras_list(&c, json!({"project_id": "purlmix", "fields": fields})).unwrap_err();
    assert_eq!(e.status(), Status::Server, "{e}");
    assert_eq!(e.details()["label_id"], "lm1");
    let e = extras_list(
        &c,
        json!({"project_id": "purlmix", "fields": fields, "json_response_url_errors": "raise"}),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::Server, "{e}");

    // "empty": the seed's answer, plus a warning naming the label.
    rec.clear();
    let a = extras_list(
        &c,
        json!({"project_id": "purl404", "fields": fields, "json_response_url_errors": "empty"}),
    )
    .unwrap();
    let label = a[0]["labels"][0].as_object().unwrap();
    assert_eq!(label["jsonResponse"], json!({}));
    assert!(!label.contains_key("jsonResponseUrl"), "{label:?}");
    assert!(
        rec.warnings().iter().any(|w| w.contains("lu2")),
        "{:?}",
        rec.warnings()
    );
    let a = extras_list(
        &c,
        json!({"project_id": "purlmix", "fields": fields, "json_response_url_errors": "empty"}),
    )
    .unwrap();
    let labels = a[0]["labels"].as_array().unwrap();
    assert_eq!(labels[0]["jsonResponse"], json!({}), "not JSON");
    assert_eq!(labels[1]["jsonResponse"], served, "downloaded");
    assert_eq!(
        labels[2]["jsonResponse"],
        json!({"K": 1}),
        "no URL: decoded"
    );
    for l in &labels[..2] {
        assert!(
            !l.as_object().unwrap().contains_key("jsonResponseUrl"),
            "{l}"
        );
    }
    // A label without an http(s) URL keeps whatever jsonResponseUrl the server sent (null).
    assert!(labels[2]
        .as_object()
        .unwrap()
        .contains_key("jsonResponseUrl"));

    // The call's own timeout still ends the listing in "empty" mode.
    let cur = c.assets_json(
        &json!({"project_id": "purlhang", "fields": fields, "json_response_url_errors": "empty"})
            .to_string(),
        CallOptions::with_timeout(std::time::Duration::from_millis(1500)),
    );
    let e = match cur {
        Ok(cur) => cur.collect::<kili::Result<Vec<_>>>().unwrap_err(),
        Err(e) => e,
    };
    assert_eq!(e.status(), Status::Timeout, "{e}");

    // Any other value is refused before any call.
    let e = extras_list(
        &c,
        json!({"project_id": "purl", "fields": fields, "json_response_url_errors": "ignore"}),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument);
    assert_eq!(e.details()["path"], "json_response_url_errors");
}

/// `ocrMetadata` in the fields is loaded whenever it is selected (seed: `load_json_from_link`):
/// a URL is downloaded as JSON, any other non-null value becomes `{}`, null stays null.
#[test]
fn ocr_metadata_in_fields_is_loaded_like_the_seed() {
    let m = extras_support::MediaServer::start();
    let emu = extras_support::emulator(&m);
    emu.load_fixture(&url_fixture(&m)).unwrap();
    let c = extras_support::client(&emu);
    let a = extras_list(
        &c,
        json!({"project_id": "pocr", "fields": ["id", "ocrMetadata"]}),
    )
    .unwrap();
    assert_eq!(
        a.iter()
            .map(|x| x["ocrMetadata"].clone())
            .collect::<Vec<_>>(),
        vec![
            json!({"JOB": {"categories": [{"name": "FROM_URL"}]}}),
            json!({}),
            Value::Null,
            json!({})
        ]
    );
    assert_eq!(m.hits.get("GET", "/label/ocr.json"), 1);
    // A failed download fails the listing, as the seed's raise_for_status does.
    emu.load_fixture(
        &json!({"assets": [{"id": "o5", "project_id": "pocr", "external_id": "o-5", "content": "x",
        "created_at": "2024-01-05T00:00:00.000Z", "ocr_metadata": m.url("nothing/ocr.json")}]}),
    )
    .unwrap();
    let e = extras_list(
        &c,
        json!({"project_id": "pocr", "fields": ["id", "ocrMetadata"]}),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::NotFound, "{e}");
    assert_eq!(e.details()["asset_id"], "o5");
}
