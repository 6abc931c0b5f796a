//! The asset query path against the emulator: filters -> AssetWhere (checked in the request
//! log) and results, fields, default fields, pagination edges, de-duplication, warnings and
//! validation.

mod core_support;

use core_support::*;
use kili::{AssetQuery, CallOptions, Status};
use serde_json::{json, Value};
use std::collections::HashSet;

fn list(c: &kili::Client, args: Value) -> kili::Result<Vec<Value>> {
    c.assets_json(&args.to_string(), CallOptions::default())?
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn every_filter_round_trips_and_selects_the_right_assets() {
    let emu = emulator();
    let (c, _) = client(&emu);
    let base = json!({"project_id": "p1", "fields": ["id"]});
    // (extra args, the AssetWhere keys expected beyond project/label/issue, expected ids)
    let cases: Vec<(Value, Value, Vec<&str>)> = vec![
        (json!({}), json!({}), vec!["a1", "a2", "a3", "a4"]),
        (json!({"asset_id": "a2"}), json!({"id": "a2"}), vec!["a2"]),
        (
            json!({"asset_id_in": ["a1", "a3"]}),
            json!({"idIn": ["a1", "a3"]}),
            vec!["a1", "a3"],
        ),
        (
            json!({"asset_id_not_in": ["a1"]}),
            json!({"idNotIn": ["a1"]}),
            vec!["a2", "a3", "a4"],
        ),
        (
            json!({"external_id_strictly_in": ["ext-1", "ext"]}),
            json!({"externalIdStrictlyIn": ["ext-1", "ext"]}),
            vec!["a1"],
        ),
        (
            json!({"external_id_in": ["ext"]}),
            json!({"externalIdIn": ["ext"]}),
            vec!["a1", "a2", "a4"],
        ),
        (
            json!({"status_in": ["TODO", "REVIEWED"]}),
            json!({"statusIn": ["TODO", "REVIEWED"]}),
            vec!["a1", "a3"],
        ),
        (
            json!({"skipped": true}),
            json!({"skipped": true}),
            vec!["a3"],
        ),
        (
            json!({"consensus_mark_gte": 0.5, "consensus_mark_lte": 0.95}),
            json!({"consensusMarkGte": 0.5, "consensusMarkLte": 0.95}),
            vec!["a2", "a3"],
        ),
        (
            json!({"honeypot_mark_gte": 0.4}),
            json!({"honeypotMarkGte": 0.4}),
            vec!["a2", "a3"],
        ),
        (
            json!({"honeypot_mark_lte": 0.2}),
            json!({"honeypotMarkLte": 0.2}),
            vec!["a1"],
        ),
        (
            json!({"inference_mark_gte": 0.5, "inference_mark_lte": 0.8}),
            json!({"inferenceMarkGte": 0.5, "inferenceMarkLte": 0.8}),
            vec!["a2"],
        ),
        (
            json!({"created_at_gte": "2024-01-02", "created_at_lte": "2024-01-03"}),
            json!({"createdAtGte": "2024-01-02", "createdAtLte": "2024-01-03"}),
            vec!["a2", "a3"],
        ),
        (
            json!({"updated_at_gte": "2024-03-03"}),
            json!({"updatedAtGte": "2024-03-03"}),
            vec!["a3", "a4"],
        ),
        (
            json!({"metadata_where": {"color": "red"}}),
            json!({"metadata": {"color": "red"}}),
            vec!["a1", "a3"],
        ),
        (
            json!({"metadata_where": {"size": [2, 8]}}),
            json!({"metadata": {"size": [2, 8]}}),
            vec!["a1", "a2"],
        ),
        (
            json!({"assignee_in": ["u1"]}),
            json!({"assigneeIn": ["u1"]}),
            vec!["a1"],
        ),
        (
            json!({"label_type_in": ["REVIEW", "PREDICTION"]}),
            json!({"label": {"typeIn": ["REVIEW", "PREDICTION"]}}),
            vec!["a2", "a3"],
        ),
        (
            json!({"label_author_in": ["Ann"]}),
            json!({"label": {"authorIn": ["Ann"]}}),
            vec!["a1", "a3"],
        ),
        (
            json!({"label_created_at_gte": "2024-02-04"}),
            json!({"label": {"createdAtGte": "2024-02-04"}}),
            vec!["a2", "a3"],
        ),
        (
            json!({"label_consensus_mark_gte": 0.5}),
            json!({"label": {"consensusMarkGte": 0.5}}),
            vec!["a1"],
        ),
        (
            json!({"label_honeypot_mark_lte": 0.5}),
            json!({"label": {"honeypotMarkLte": 0.5}}),
            vec!["a2"],
        ),
        (
            json!({"label_category_search": "JOB.CAT_B.count > 0"}),
            json!({"label": {"search": "JOB.CAT_B.count > 0"}}),
            vec!["a2", "a3"],
        ),
        (
            json!({"label_category_search": "JOB.CAT_A.count > 0 AND JOB.CAT_B.count >= 1"}),
            json!({"label": {"search": "JOB.CAT_A.count > 0 AND JOB.CAT_B.count >= 1"}}),
            vec!["a3"],
        ),
        (
            json!({"issue_type": "QUESTION"}),
            json!({"issue": {"type": "QUESTION"}}),
            vec!["a3"],
        ),
        (
            json!({"issue_type": "ISSUE", "issue_status": "SOLVED"}),
            json!({"issue": {"type": "ISSUE", "status": "SOLVED"}}),
            vec!["a2"],
        ),
    ];
    for (extra, expected_keys, expected_ids) in cases {
        emu.clear_request_log();
        let mut args = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            args[k] = v.clone();
        }
        let got = list(&c, args.clone()).unwrap_or_else(|e| panic!("{args}: {e}"));
        assert_eq!(
            sorted(ids(&got)),
            sorted(expected_ids.iter().map(|s| s.to_string()).collect()),
            "ids for {extra}"
        );
        // The where sent to countAssets and to the pages.
        let count_where = &bodies(&emu, "countAssets")[0]["variables"]["where"];
        let mut want = json!({"project": {"id": "p1"}, "label": {}, "issue": {}});
        for (k, v) in expected_keys.as_object().unwrap() {
            want[k] = v.clone();
        }
        assert_eq!(count_where, &want, "where for {extra}");
        for b in bodies(&emu, "assets") {
            assert_eq!(&b["variables"]["where"], &want);
        }
        // And the count agrees.
        let mut count_args = args.clone();
        count_args.as_object_mut().unwrap().remove("fields");
        assert_eq!(
            c.count_assets_json(&count_args.to_string(), CallOptions::default())
                .unwrap(),
            expected_ids.len() as u64,
            "count for {extra}"
        );
    }
}

#[test]
fn where_keys_follow_the_sdk_order() {
    let emu = emulator();
    let (c, _) = client(&emu);
    emu.clear_request_log();
    let args = json!({"project_id": "p1", "fields": ["id"], "issue_type": "QUESTION", "skipped": true, "metadata_where": {"k": null},
                      "asset_id": "a3", "status_in": ["REVIEWED"], "label_type_in": ["PREDICTION"]});
    let _ = list(&c, args).unwrap();
    let w = &bodies(&emu, "countAssets")[0]["variables"]["where"];
    let keys: Vec<&String> = w.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        vec!["id", "project", "statusIn", "metadata", "label", "skipped", "issue"]
    );
    assert_eq!(w["metadata"], json!({"k": null}), "metadata nulls are kept");
}

#[test]
fn step_and_group_filters() {
    let emu = emulator();
    let (c, rec) = client(&emu);
    let run = |args: Value| -> (Vec<String>, Value) {
        emu.clear_request_log();
        let got = list(&c, args.clone()).unwrap_or_else(|e| panic!("{args}: {e}"));
        (
            sorted(ids(&got)),
            bodies(&emu, "countAssets")[0]["variables"]["where"].clone(),
        )
    };
    let (got, w) = run(json!({"project_id": "p2", "fields": ["id"], "step_name_in": ["Review"]}));
    assert_eq!(got, vec!["b2", "b3"]);
    assert_eq!(w["stepIdIn"], json!(["s-review"]));
    let (got, w) =
        run(json!({"project_id": "p2", "fields": ["id"], "step_id_not_in": ["s-review"]}));
    assert_eq!(got, vec!["b1"]);
    assert_eq!(w["stepIdNotIn"], json!(["s-review"]));
    let (got, w) = run(json!({"project_id": "p2", "fields": ["id"], "step_status_in": ["DONE"]}));
    assert_eq!(got, vec!["b3"]);
    assert_eq!(w["stepStatusIn"], json!(["DONE"]));
    let (got, w) = run(
        json!({"project_id": "p2", "fields": ["id"], "step_name_and_status_in": [{"stepName": "Review", "status": "TO_DO"}]}),
    );
    assert_eq!(got, vec!["b2"]);
    assert_eq!(
        w["stepIdAndStatusIn"],
        json!([{"stepId": "s-review", "status": "TO_DO"}])
    );
    let (got, w) = run(
        json!({"project_id": "p2", "fields": ["id"], "step_id_and_status_not_in": [{"stepId": "s-review", "status": "TO_DO"}]}),
    );
    assert_eq!(got, vec!["b1", "b3"]);
    assert_eq!(
        w["stepIdAndStatusNotIn"],
        json!([{"stepId": "s-review", "status": "TO_DO"}])
    );
    // V3: names resolve across groups; group filters.
    let (got, w) = run(json!({"project_id": "p3", "fields": ["id"], "step_name_in": ["Label"]}));
    assert_eq!(got, vec!["c1", "c2"]);
    assert_eq!(w["stepIdIn"], json!(["s3-a", "s3-b"]));
    let (got, w) = run(json!({"project_id": "p3", "fields": ["id"], "group_name_in": ["G2"]}));
    assert_eq!(got, vec!["c2", "c3"]);
    assert_eq!(w["groupNameIn"], json!(["G2"]));
    let (got, w) = run(json!({"project_id": "p3", "fields": ["id"], "group_name_not_in": ["G2"]}));
    assert_eq!(got, vec!["c1"]);
    assert_eq!(w["groupNameNotIn"], json!(["G2"]));
    // DOING is deprecated but sent.
    rec.clear();
    let (_, w) = run(json!({"project_id": "p2", "fields": ["id"], "step_status_in": ["DOING"]}));
    assert_eq!(w["stepStatusIn"], json!(["DOING"]));
    assert!(
        rec.warnings().iter().any(|m| m.contains("DOING")),
        "{:?}",
        rec.warnings()
    );

    // Rules per workflow version: refused after the project lookup, before count/pages.
    for (args, needle) in [
        (
            json!({"project_id": "p1", "step_status_in": ["DONE"]}),
            "V1",
        ),
        (
            json!({"project_id": "p2", "group_name_in": []}),
            "group_name_in",
        ),
        (
            json!({"project_id": "p2", "status_in": ["TODO"], "step_status_in": ["DONE"]}),
            "status_in",
        ),
        (
            json!({"project_id": "p2", "step_name_in": ["Nope"]}),
            "Nope",
        ),
    ] {
        emu.clear_request_log();
        let e = list(&c, args.clone()).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument, "{args}");
        assert!(e.to_string().contains(needle), "{args}: {e}");
        assert!(bodies(&emu, "countAssets").is_empty() && bodies(&emu, "assets").is_empty());
        let mut cargs = args.clone();
        cargs.as_object_mut().unwrap().remove("fields");
        let e = c
            .count_assets_json(&cargs.to_string(), CallOptions::default())
            .unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument, "count {args}");
    }
    // count_assets looks the project up only when a step/status/group filter needs it.
    emu.clear_request_log();
    assert_eq!(
        c.count_assets_json(r#"{"project_id": "p2"}"#, CallOptions::default())
            .unwrap(),
        3
    );
    assert!(bodies(&emu, "projects").is_empty());
    assert_eq!(
        c.count_assets_json(
            r#"{"project_id": "p2", "step_name_in": ["Label"]}"#,
            CallOptions::default()
        )
        .unwrap(),
        1
    );
    assert_eq!(bodies(&emu, "projects").len(), 1);
}

#[test]
fn fields_selection_and_post_processing() {
    let emu = emulator();
    let (c, _) = client(&emu);
    emu.clear_request_log();
    let got = list(&c, json!({"project_id": "p1", "asset_id": "a1", "fields": ["id", "externalId", "labels.author.email", "jsonMetadata"]})).unwrap();
    assert_eq!(got.len(), 1);
    let a = &got[0];
    let mut keys: Vec<&String> = a.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, vec!["externalId", "id", "jsonMetadata", "labels"]);
    assert_eq!(
        a["jsonMetadata"],
        json!({"color": "red", "size": 3}),
        "jsonMetadata decoded"
    );
    assert_eq!(a["labels"], json!([{"author": {"email": "ann@x.com"}}]));
    let doc = bodies(&emu, "assets")[0]["query"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(doc.contains("labels { author { email } }"), "{doc}");

    // jsonResponse path: decoded, extra fields added, smaller pages.
    let got = list(
        &c,
        json!({"project_id": "p1", "asset_id": "a1", "fields": ["id", "labels.jsonResponse"]}),
    )
    .unwrap();
    assert_eq!(
        got[0]["labels"][0]["jsonResponse"],
        json!({"JOB": {"categories": [{"name": "CAT_A"}]}})
    );
    assert!(got[0].get("resolution").is_some() && got[0].get("content").is_some());

    // keep_json_raw keeps the text.
    let (raw, _) = client_with(kili::ClientOptions {
        keep_json_raw: true,
        ..options(&emu)
    });
    let got = list(&raw, json!({"project_id": "p1", "asset_id": "a1", "fields": ["jsonMetadata", "labels.jsonResponse"]})).unwrap();
    assert!(got[0]["jsonMetadata"].is_string());
    assert!(got[0]["labels"][0]["jsonResponse"].is_string());

    // Conflicting selections are refused before any call.
    emu.clear_request_log();
    let e = list(
        &c,
        json!({"project_id": "p1", "fields": ["labels", "labels.id"]}),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument);
    assert!(e.to_string().contains("labels"), "{e}");
    assert!(emu.request_log().is_empty());
}

#[test]
fn default_fields_per_workflow_version() {
    let emu = emulator();
    let (c, rec) = client(&emu);
    for (pid, must, must_not) in [
        (
            "p1",
            vec!["status", "labels", "jsonMetadata", "isHoneypot"],
            vec!["currentStep"],
        ),
        ("p2", vec!["currentStep", "labels"], vec!["status"]),
        ("p3", vec!["currentStep", "labels"], vec!["status"]),
    ] {
        emu.clear_request_log();
        let got = list(&c, json!({"project_id": pid})).unwrap();
        assert!(!got.is_empty());
        for k in &must {
            assert!(got[0].get(*k).is_some(), "{pid}: {k} missing in {}", got[0]);
        }
        for k in &must_not {
            assert!(got[0].get(*k).is_none(), "{pid}: {k} present");
        }
        let doc = bodies(&emu, "assets")[0]["query"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(doc.contains("stepGroupName"), pid == "p3", "{doc}");
        assert!(got[0]["jsonMetadata"].is_object());
    }
    // status on V2: a deprecation warning.
    rec.clear();
    list(&c, json!({"project_id": "p2", "fields": ["id", "status"]})).unwrap();
    assert!(
        rec.warnings().iter().any(|w| w.contains("currentStep")),
        "{:?}",
        rec.warnings()
    );
}

#[test]
fn pagination_edges() {
    let emu = emulator();
    let (c, _) = client(&emu);
    let case = |args: Value| -> (Vec<Value>, Vec<(u64, u64)>) {
        emu.clear_request_log();
        let got = list(&c, args.clone()).unwrap_or_else(|e| panic!("{args}: {e}"));
        let mut p = pages(&emu);
        p.sort();
        (got, p)
    };
    // 0 assets: the count, no page.
    let (got, p) = case(json!({"project_id": "p0", "fields": ["id"]}));
    assert!(got.is_empty() && p.is_empty());
    assert_eq!(bodies(&emu, "countAssets").len(), 1);
    // skip beyond the end: no page.
    let (got, p) = case(json!({"project_id": "pbig", "fields": ["externalId"], "skip": 300}));
    assert!(got.is_empty() && p.is_empty());
    // first = 0: nothing.
    let (got, p) = case(json!({"project_id": "pbig", "fields": ["externalId"], "first": 0}));
    assert!(got.is_empty() && p.is_empty());
    // exactly one page.
    let (got, p) = case(json!({"project_id": "pbig", "fields": ["externalId"], "first": 100}));
    assert_eq!(got.len(), 100);
    assert_eq!(p, vec![(0, 100)]);
    // first smaller than a page.
    let (got, p) = case(json!({"project_id": "pbig", "fields": ["externalId"], "first": 7}));
    assert_eq!(got.len(), 7);
    assert_eq!(p, vec![(0, 7)]);
    // first larger than a page (observed SDK traffic: 10/100, 110/50).
    let (got, p) =
        case(json!({"project_id": "pbig", "fields": ["externalId"], "first": 150, "skip": 10}));
    assert_eq!(got.len(), 150);
    assert_eq!(p, vec![(10, 100), (110, 50)]);
    // unicity mode (id selected): full pages, stop after `first` unique ids.
    let (got, p) = case(json!({"project_id": "pbig", "fields": ["id"], "first": 150, "skip": 10}));
    assert_eq!(got.len(), 150);
    assert_eq!(p, vec![(10, 100), (110, 100)]);
    // unicity mode, N a multiple of the page: a full last page is confirmed by one more
    // (empty) page, like the SDK; without `id` the count alone ends the listing.
    let (got, p) = case(json!({"project_id": "pbig", "fields": ["id"], "skip": 50}));
    assert_eq!(got.len(), 200);
    assert_eq!(p, vec![(50, 100), (150, 100), (250, 100)]);
    let (got, p) = case(json!({"project_id": "pbig", "fields": ["externalId"], "skip": 50}));
    assert_eq!(got.len(), 200);
    assert_eq!(p, vec![(50, 100), (150, 100)]);
    // labels' jsonResponse: pages of 50 (observed: 5/50, 55/50, 105/20).
    let (got, p) = case(
        json!({"project_id": "pbig", "fields": ["externalId", "labels.jsonResponse"], "first": 120, "skip": 5}),
    );
    assert_eq!(got.len(), 120);
    assert_eq!(p, vec![(5, 50), (55, 50), (105, 20)]);
    // everything, in creation order, same as the sequential listing.
    let (all, _) = case(json!({"project_id": "pbig", "fields": ["id", "createdAt"]}));
    assert_eq!(all.len(), 250);
    let unique: HashSet<String> = ids(&all).into_iter().collect();
    assert_eq!(unique.len(), 250);
    let created: Vec<&str> = all
        .iter()
        .map(|a| a["createdAt"].as_str().unwrap())
        .collect();
    let mut sorted_created = created.clone();
    sorted_created.sort();
    assert_eq!(
        created, sorted_created,
        "creation order kept across prefetched pages"
    );
    let (seq_client, _) = client_with(kili::ClientOptions {
        prefetch_pages: 0,
        page_size: 30,
        ..options(&emu)
    });
    let seq: Vec<Value> = list(
        &seq_client,
        json!({"project_id": "pbig", "fields": ["id", "createdAt"]}),
    )
    .unwrap();
    assert_eq!(ids(&seq), ids(&all));
}

#[test]
fn cursor_pages_and_expected_total() {
    let emu = emulator();
    let (c, _) = client(&emu);
    let mut cur = c
        .assets_json(
            r#"{"project_id": "pbig", "fields": ["id"], "skip": 200}"#,
            CallOptions::default(),
        )
        .unwrap();
    assert_eq!(cur.expected_total(), Some(50));
    let mut n = 0;
    loop {
        let page = cur.next_page(20).unwrap();
        if page.is_empty() {
            break;
        }
        assert!(page.len() <= 20);
        n += page.len();
    }
    assert_eq!(n, 50);
    assert!(cur.next().is_none(), "stays finished");
    // Typed Rust API too.
    let mut q = AssetQuery::new("p1");
    q.fields = Some(vec!["id".into()]);
    q.filters.status_in = Some(vec!["TODO".into()]);
    let got: Vec<Value> = c
        .assets(q.clone(), CallOptions::default())
        .unwrap()
        .collect::<kili::Result<_>>()
        .unwrap();
    assert_eq!(ids(&got), vec!["a1"]);
    assert_eq!(c.count_assets(q, CallOptions::default()).unwrap(), 1);
}

#[test]
fn de_duplication_when_offsets_shift() {
    let emu = emulator();
    let (c, _) = client_with(kili::ClientOptions {
        prefetch_pages: 1,
        page_size: 10,
        ..options(&emu)
    });
    let mut cur = c
        .assets_json(
            r#"{"project_id": "pbig", "fields": ["id"]}"#,
            CallOptions::default(),
        )
        .unwrap();
    let mut seen = ids(&cur.next_page(10).unwrap());
    assert_eq!(seen.len(), 10);
    // An asset created "before" every other one shifts every later offset by one: each later
    // page repeats the last item of the previous one.
    emu.load_fixture(&json!({"assets": [{"id": "early", "project_id": "pbig", "external_id": "early", "created_at": "2000-01-01T00:00:00.000Z"}]}))
        .unwrap();
    for a in cur {
        seen.push(a.unwrap()["id"].as_str().unwrap().to_string());
    }
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "no duplicate");
    assert!(!unique.contains(&"early".to_string()));
    assert_eq!(seen.len(), 250, "no original asset lost");
}

#[test]
fn deprecated_aliases_warn_and_map() {
    let emu = emulator();
    let (c, rec) = client(&emu);
    emu.clear_request_log();
    let got = list(
        &c,
        json!({"project_id": "p1", "fields": ["id"], "consensus_mark_gt": 0.5, "honeypot_mark_lt": 0.95, "external_id_contains": ["ext-2", "other-3"],
               "label_created_at_gt": "2024-01-01", "label_consensus_mark_lt": 0.9, "label_honeypot_mark_gt": 0.1,
               "label_consensus_mark_gt": 0.1, "label_created_at_lt": "2025-01-01", "label_honeypot_mark_lt": 0.9, "consensus_mark_lt": 1.0, "honeypot_mark_gt": 0.0}),
    )
    .unwrap();
    assert_eq!(sorted(ids(&got)), vec!["a2"]);
    let w = &bodies(&emu, "countAssets")[0]["variables"]["where"];
    assert_eq!(w["consensusMarkGte"], json!(0.5));
    assert_eq!(w["honeypotMarkLte"], json!(0.95));
    assert_eq!(w["externalIdStrictlyIn"], json!(["ext-2", "other-3"]));
    assert_eq!(w["label"]["createdAtGte"], "2024-01-01");
    let deps: Vec<kili::Event> = rec
        .events()
        .into_iter()
        .filter(|e| {
            matches!(
                e,
                kili::Event::Warning {
                    kind: kili::WarningKind::Deprecation,
                    ..
                }
            )
        })
        .collect();
    assert_eq!(deps.len(), 11, "{deps:?}");
}

#[test]
fn validation_errors_make_no_call() {
    let emu = emulator();
    let (c, _) = client(&emu);
    emu.clear_request_log();
    let cases = [
        (
            r#"{"project_id": "p1", "status_in": ["TODO", "FINISHED"]}"#,
            "status_in[1]",
        ),
        (
            r#"{"project_id": "p1", "label_type_in": ["NOPE"]}"#,
            "label_type_in[0]",
        ),
        (
            r#"{"project_id": "p1", "issue_status": "CLOSED"}"#,
            "issue_status",
        ),
        (
            r#"{"project_id": "p1", "step_status_in": ["FINISHED"]}"#,
            "step_status_in[0]",
        ),
        (
            r#"{"project_id": "p1", "created_at_gte": "yesterday"}"#,
            "created_at_gte",
        ),
        (
            r#"{"project_id": "p1", "label_created_at": "2024/01/01"}"#,
            "label_created_at",
        ),
        (r#"{"project_id": "p1", "first": -1}"#, "first"),
        (r#"{"project_id": "p1", "skip": -5}"#, "skip"),
        (r#"{"project_id": "p1", "first": "ten"}"#, "first"),
        (
            r#"{"project_id": "p1", "label_category_search": "JOB.CAT.count != 1"}"#,
            "label_category_search",
        ),
        (
            r#"{"project_id": "p1", "label_category_search": "JOB.CAT > 1"}"#,
            "label_category_search",
        ),
        (
            r#"{"project_id": "p1", "statuss_in": ["TODO"]}"#,
            "status_in",
        ),
        (r#"{"project_id": "p1", "fields": "id"}"#, "fields"),
        (r#"{"project_id": "p1", "fields": ["a b"]}"#, "fields[0]"),
        (r#"{"project_id": "p1", "format": "pandas"}"#, "format"),
        (
            r#"{"project_id": "p1", "download_media": true, "fields": ["id"]}"#,
            "content",
        ),
        (
            r#"{"project_id": "p1", "label_output_format": "parsed"}"#,
            "label_output_format",
        ),
        (
            r#"{"project_id": "p1", "local_media_dir": ""}"#,
            "local_media_dir",
        ),
        (
            r#"{"project_id": "p1", "step_id_in": ["s"], "step_name_in": ["n"]}"#,
            "step_id_in",
        ),
        (
            r#"{"project_id": "p1", "metadata_where": [1]}"#,
            "metadata_where",
        ),
        (r#"{"project_id": "p1", "skipped": "yes"}"#, "skipped"),
        (r#"{"project_id": ""}"#, "project_id"),
        (r#"{"asset_id": "a1"}"#, "project_id"),
        (r#"{"project_id": "p1",}"#, "column"),
        (r#"["p1"]"#, "object"),
    ];
    for (args, needle) in cases {
        let e = c.assets_json(args, CallOptions::default()).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument, "{args}");
        assert!(e.to_string().contains(needle), "{args}: {e}");
    }
    // count_assets refuses listing arguments and the same bad filters.
    for (args, needle) in [
        (r#"{"project_id": "p1", "fields": ["id"]}"#, "fields"),
        (
            r#"{"project_id": "p1", "status_in": ["X"]}"#,
            "status_in[0]",
        ),
        (
            r#"{"project_id": "p1", "label_category_search": "A.B.count >"}"#,
            "label_category_search",
        ),
    ] {
        let e = c
            .count_assets_json(args, CallOptions::default())
            .unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument, "{args}");
        assert!(e.to_string().contains(needle), "{args}: {e}");
    }
    assert!(emu.request_log().is_empty(), "no request for invalid input");
    // Python-only arguments are accepted.
    list(&c, json!({"project_id": "p1", "as_generator": true, "disable_tqdm": true, "format": null, "fields": ["id"]})).unwrap();
}

#[test]
fn unknown_or_hidden_project_is_not_found() {
    let emu = emulator();
    let (c, _) = client(&emu);
    for pid in ["nope", "hidden"] {
        let e = list(&c, json!({"project_id": pid})).unwrap_err();
        assert_eq!(e.status(), Status::NotFound, "{pid}: {e}");
        assert!(e.to_string().contains(pid));
    }
}

#[test]
fn async_api_streams() {
    let emu = emulator();
    let c = async_client(&emu);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut q = AssetQuery::new("pbig");
        q.fields = Some(vec!["id".into()]);
        let mut s = c.assets(q.clone(), CallOptions::default()).await.unwrap();
        let mut n = 0;
        while let Some(a) = s.next().await {
            a.unwrap();
            n += 1;
        }
        assert_eq!(n, 250);
        assert_eq!(
            c.count_assets(q, CallOptions::default()).await.unwrap(),
            250
        );
    });
    // Blocking from inside a runtime is refused, not a panic.
    let (bc, _) = client(&emu);
    let e = rt
        .block_on(async { bc.count_assets_json(r#"{"project_id": "p1"}"#, CallOptions::default()) })
        .unwrap_err();
    assert_eq!(e.status(), Status::InvalidState);
}
