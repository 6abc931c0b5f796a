//! Fidelity to the reference Python SDK on three points where kili-native used to answer
//! differently (see docs/FIDELITY.md for the differences that are kept on purpose):
//!
//! * `update_properties_in_assets(to_be_labeled_by_array=[[...], None])`: a `null` entry clears
//!   that asset's assignment (the SDK sends `toBeLabeledBy: null` with
//!   `shouldResetToBeLabeledBy: true`);
//! * deprecated `*_gt` / `*_lt` aliases of `assets()` / `count_assets()` follow Python's
//!   `alias or new` rule: a falsy alias (`0`, `0.0`, `""`) is ignored;
//! * the step-status pair filters take the SDK's tuple form `[step, status]`, and `status_in`
//!   is combined with the step filters by the SDK's rules per workflow version.
//!
//! Everything runs against the emulator; the `AssetWhere` checked is the one the client sent
//! (the emulator's request log).

mod core_support;

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
