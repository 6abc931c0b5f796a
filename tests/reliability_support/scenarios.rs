//! The fault scenarios of the reliability suite, written once against [`Sdk`] and run through
//! the Rust API (`tests/reliability_faults.rs`) and through the C ABI
//! (`tests/reliability_faults_c_abi.rs`).
//!
//! Each scenario: set up data without faults, clear the emulator's request log, install a
//! seeded fault script (20% of the GraphQL requests), run the SDK call(s), turn faults off,
//! verify the final data with a fault-free listing, print a figures line.
#![allow(dead_code)]

use super::*;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

/// What a scenario needs from an SDK surface.
pub trait Sdk {
    /// Every asset of the query `args` (a JSON object of `assets()` arguments).
    fn list(&self, args: &Value) -> Result<Vec<Value>, String>;
    /// The assets of `args` until the end or the first error: (rows received, the error's
    /// status name and details JSON).
    fn list_partial(&self, args: &Value) -> (Vec<Value>, Option<(String, Value)>);
    /// One mutation; `Err` carries "status: message".
    fn mutate(&self, action: &str, args: &Value) -> Result<Value, String>;
    /// Retries announced by the client's log events so far.
    fn retries(&self) -> usize;
    /// Label of the surface for the figures line.
    fn surface(&self) -> &'static str;
}

impl Sdk for (Client, Recorder) {
    fn list(&self, args: &Value) -> Result<Vec<Value>, String> {
        let mut cur = self.0.assets_json(&args.to_string(), kili::CallOptions::default()).map_err(|e| e.to_string())?;
        let mut all = Vec::new();
        loop {
            let page = cur.next_page(1000).map_err(|e| e.to_string())?;
            if page.is_empty() {
                return Ok(all);
            }
            all.extend(page);
        }
    }
    fn list_partial(&self, args: &Value) -> (Vec<Value>, Option<(String, Value)>) {
        let mut all = Vec::new();
        let mut cur = match self.0.assets_json(&args.to_string(), kili::CallOptions::default()) {
            Ok(c) => c,
            Err(e) => return (all, Some((e.status().name().to_string(), e.details()))),
        };
        loop {
            match cur.next_page(1000) {
                Ok(p) if p.is_empty() => return (all, None),
                Ok(p) => all.extend(p),
                Err(e) => return (all, Some((e.status().name().to_string(), e.details()))),
            }
        }
    }
    fn mutate(&self, action: &str, args: &Value) -> Result<Value, String> {
        self.0.mutate_json(action, &args.to_string(), kili::CallOptions::default()).map_err(|e| format!("{}: {e}", e.status().name()))
    }
    fn retries(&self) -> usize {
        self.1.retries()
    }
    fn surface(&self) -> &'static str {
        "rust"
    }
}

impl Sdk for cabi::CClient {
    fn list(&self, args: &Value) -> Result<Vec<Value>, String> {
        let mut cur = self.query(args.to_string().as_bytes()).map_err(|e| format!("{e:?}"))?;
        cur.collect_all().map_err(|e| format!("{e:?}"))
    }
    fn list_partial(&self, args: &Value) -> (Vec<Value>, Option<(String, Value)>) {
        let mut all = Vec::new();
        let named = |e: cabi::CErr| (kili::Status::from_code(e.status).map_or("?".into(), |s| s.name().to_string()), serde_json::from_str(&e.details).unwrap());
        let mut cur = match self.query(args.to_string().as_bytes()) {
            Ok(c) => c,
            Err(e) => return (all, Some(named(e))),
        };
        loop {
            match cur.next_page(1000) {
                Ok(Some(p)) => all.extend(p),
                Ok(None) => return (all, None),
                Err(e) => return (all, Some(named(e))),
            }
        }
    }
    fn mutate(&self, action: &str, args: &Value) -> Result<Value, String> {
        cabi::CClient::mutate(self, action.as_bytes(), args.to_string().as_bytes()).map_err(|e| format!("{}: {}", e.status, e.message))
    }
    fn retries(&self) -> usize {
        cabi::CClient::retries(self)
    }
    fn surface(&self) -> &'static str {
        "c-abi"
    }
}

/// Runs `f` under a 20% fault script and returns (its result, requests, faults injected,
/// retries, elapsed).
fn under_faults<T>(emu: &EmulatorHandle, sdk: &dyn Sdk, seed: u64, f: impl FnOnce() -> T) -> (T, usize, usize, usize, std::time::Duration) {
    let plan = FaultPlan::new(seed, 20_000, 0.2);
    let retries0 = sdk.retries();
    emu.clear_request_log();
    emu.set_faults(plan.config(seed));
    let t = Instant::now();
    let out = f();
    let elapsed = t.elapsed();
    emu.set_faults(FaultConfig::default());
    let requests = graphql_requests(emu);
    (out, requests, plan.injected(requests), sdk.retries() - retries0, elapsed)
}

/// Listing `n` generated assets of `project` under faults returns each id exactly once.
///
/// The SDK keeps the official SDK's retry classes for queries (kili-wire-query.md §3.1): a
/// 500 is raised at once and a 504 retried once, so at a 20% fault rate over ~1,300 requests
/// some listings stop with such an error. The caller then resumes with `skip` = the number of
/// assets received (the order is stable and `skip` exact). The scenario checks that every stop
/// was one of those two documented give-ups (never a 502/503/429/reset/truncated body, which
/// the SDK must absorb) and that the resumed listing has every id exactly once.
pub fn list_under_faults(emu: &EmulatorHandle, sdk: &dyn Sdk, project: &str, n: u64) {
    emu.generate_assets(project, n).unwrap();
    let (result, requests, faults, retries, elapsed) = under_faults(emu, sdk, 11, || {
        let mut rows: Vec<Value> = Vec::new();
        let mut stops: Vec<(String, Value)> = Vec::new();
        loop {
            let args = json!({"project_id": project, "fields": ["id"], "skip": rows.len()});
            let (got, err) = sdk.list_partial(&args);
            rows.extend(got);
            match err {
                None => return (rows, stops),
                Some(e) => stops.push(e),
            }
            assert!(stops.len() < 50, "the listing keeps failing: {stops:?}");
        }
    });
    let (rows, stops) = result;
    // The expected set: a fault-free listing (the project holds exactly the generated assets).
    let args = json!({"project_id": project, "fields": ["id"]});
    let want: HashSet<String> = sdk.list(&args).unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(want.len() as u64, n);
    let (total, dups, missing) = dup_missing(rows.iter().map(|r| r["id"].as_str().unwrap()), &want);
    Figures { scenario: leak("list", sdk), requests, faults, retries, assets: total, duplicates: dups, missing, elapsed }.print();
    println!("  listing resumed {} time(s) after the documented give-ups: {:?}", stops.len(), stops.iter().map(|(s, d)| format!("{s}/{}", d["http_status"])).collect::<Vec<_>>());
    for (status, details) in &stops {
        let http = details["http_status"].as_u64();
        assert!(status == "SERVER" && matches!(http, Some(500) | Some(504)), "only 500 (no retry) and 504 (one retry) may stop a query: {status} {details}");
    }
    assert!(faults > requests / 10, "faults were injected ({faults} of {requests})");
    assert_eq!((total as u64, dups, missing), (n, 0, 0), "every id exactly once");
}

/// Importing `n` assets under faults ends with exactly those assets and an accurate report.
pub fn import_under_faults(emu: &EmulatorHandle, sdk: &dyn Sdk, project: &str, n: usize) {
    let urls: Vec<String> = (0..n).map(|i| format!("https://storage.example.com/imp/{i}.png")).collect();
    let ext: Vec<String> = (0..n).map(|i| format!("imp-{i}")).collect();
    let meta: Vec<Value> = (0..n).map(|i| json!({"i": i})).collect();
    let args = json!({"project_id": project, "content_array": urls, "external_id_array": ext, "json_metadata_array": meta});
    let (res, requests, faults, retries, elapsed) = under_faults(emu, sdk, 22, || sdk.mutate("append_many_to_dataset", &args));
    let res = res.expect("the import survives a 20% fault rate");
    let rows = sdk.list(&json!({"project_id": project, "fields": ["id", "externalId", "jsonMetadata", "content"]})).unwrap();
    let want: HashSet<String> = ext.iter().cloned().collect();
    let (total, dups, missing) = dup_missing(rows.iter().map(|r| r["externalId"].as_str().unwrap()), &want);
    Figures { scenario: leak("import", sdk), requests, faults, retries, assets: total, duplicates: dups, missing, elapsed }.print();
    assert!(faults > requests / 10, "faults were injected ({faults} of {requests})");
    assert_eq!((total, dups, missing), (n, 0, 0), "exactly the imported assets");
    // Contents and metadata landed on the right asset.
    for r in &rows {
        let i: usize = r["externalId"].as_str().unwrap()["imp-".len()..].parse().unwrap();
        assert_eq!(r["content"], json!(urls[i]));
        assert_eq!(r["jsonMetadata"], json!({"i": i}), "{r}");
    }
    // The per-item report matches the project exactly: every asset succeeded once, with its
    // real id and external id; nothing declined or failed.
    let actual: HashMap<String, String> =
        rows.iter().map(|r| (r["id"].as_str().unwrap().to_string(), r["externalId"].as_str().unwrap().to_string())).collect();
    let succeeded = res["outcomes"]["succeeded"].as_array().unwrap();
    assert_eq!(succeeded.len(), n, "one outcome per item");
    for o in succeeded {
        let id = o["asset_id"].as_str().expect("succeeded item has its asset id");
        assert_eq!(actual.get(id).map(String::as_str), o["external_id"].as_str(), "report entry {o} matches the project");
    }
    assert!(res["outcomes"]["declined"].as_array().unwrap().is_empty());
    assert!(res["outcomes"]["failed"].as_array().unwrap().is_empty());
    let ids: HashSet<&str> = res["result"]["asset_ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(ids.len(), n);
    assert!(ids.iter().all(|id| actual.contains_key(*id)));
}

/// Bulk updates (priorities, metadata, external ids) under faults end in the expected state.
pub fn updates_under_faults(emu: &EmulatorHandle, sdk: &dyn Sdk, project: &str, n: u64) {
    emu.generate_assets(project, n).unwrap();
    let before = sdk.list(&json!({"project_id": project, "fields": ["id", "externalId"]})).unwrap();
    let ids: Vec<String> = before.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    let prios: Vec<u64> = (0..ids.len() as u64).map(|i| i % 7 + 1).collect();
    let metas: Vec<Value> = (0..ids.len()).map(|i| json!({"rel": i, "tag": "updated"})).collect();
    let new_ext: Vec<String> = (0..ids.len()).map(|i| format!("renamed-{i}")).collect();
    let ((r1, r2), requests, faults, retries, elapsed) = under_faults(emu, sdk, 33, || {
        let r1 = sdk.mutate("update_properties_in_assets", &json!({"asset_ids": ids, "priorities": prios, "json_metadatas": metas}));
        let r2 = sdk.mutate("change_asset_external_ids", &json!({"asset_ids": ids, "new_external_ids": new_ext}));
        (r1, r2)
    });
    let r1 = r1.expect("update survives faults");
    let r2 = r2.expect("rename survives faults");
    assert_eq!(r1["outcomes"]["succeeded"].as_array().unwrap().len(), ids.len(), "one outcome per updated asset");
    assert_eq!(r2["outcomes"]["succeeded"].as_array().unwrap().len(), ids.len(), "one outcome per renamed asset");
    let after = sdk.list(&json!({"project_id": project, "fields": ["id", "externalId", "priority", "jsonMetadata"]})).unwrap();
    let pos: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, id)| (id.as_str(), i)).collect();
    let mut wrong = 0;
    for r in &after {
        let i = pos[r["id"].as_str().unwrap()];
        if r["priority"] != json!(prios[i]) || r["jsonMetadata"] != metas[i] || r["externalId"] != json!(new_ext[i]) {
            wrong += 1;
        }
    }
    let want: HashSet<String> = ids.iter().cloned().collect();
    let (total, dups, missing) = dup_missing(after.iter().map(|r| r["id"].as_str().unwrap()), &want);
    Figures { scenario: leak("update", sdk), requests, faults, retries, assets: total, duplicates: dups, missing, elapsed }.print();
    assert!(faults > 0, "faults were injected ({faults} of {requests})");
    assert_eq!((total as u64, dups, missing, wrong), (n, 0, 0, 0), "every asset updated, none lost or added");
}

/// Review, send back and delete under faults end in the expected statuses and count.
pub fn actions_under_faults(emu: &EmulatorHandle, sdk: &dyn Sdk, project: &str, n: u64) {
    emu.generate_assets(project, n).unwrap();
    let before = sdk.list(&json!({"project_id": project, "fields": ["id", "status"]})).unwrap();
    let all: Vec<String> = before.iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    let labeled: HashSet<String> = before.iter().filter(|r| r["status"] == "LABELED").map(|r| r["id"].as_str().unwrap().to_string()).collect();
    let todo: Vec<String> = all.iter().filter(|id| !labeled.contains(*id)).cloned().collect();
    assert_eq!(labeled.len() as u64, n / 2);
    let ((review, back, del), requests, faults, retries, elapsed) = under_faults(emu, sdk, 44, || {
        let review = sdk.mutate("add_to_review", &json!({"asset_ids": all}));
        let back = sdk.mutate("send_back_to_queue", &json!({"asset_ids": all}));
        let del = sdk.mutate("delete_many_from_dataset", &json!({"asset_ids": todo}));
        (review, back, del)
    });
    let (review, back, del) = (review.expect("review"), back.expect("send back"), del.expect("delete"));
    let set = |v: &Value, k: &str| -> HashSet<String> {
        v["outcomes"][k].as_array().unwrap().iter().map(|o| o["asset_id"].as_str().unwrap().to_string()).collect()
    };
    let todo_set: HashSet<String> = todo.iter().cloned().collect();
    // Review: labeled assets move, TODO ones are declined; each item reported once.
    assert_eq!(set(&review, "succeeded"), labeled);
    assert_eq!(set(&review, "declined"), todo_set);
    assert!(set(&review, "failed").is_empty());
    assert_eq!(set(&back, "succeeded"), labeled);
    assert_eq!(set(&back, "declined"), todo_set);
    assert_eq!(set(&del, "succeeded"), todo_set);
    let after = sdk.list(&json!({"project_id": project, "fields": ["id", "status"]})).unwrap();
    let (total, dups, missing) = dup_missing(after.iter().map(|r| r["id"].as_str().unwrap()), &labeled);
    let wrong = after.iter().filter(|r| r["status"] != "ONGOING").count();
    Figures { scenario: leak("actions", sdk), requests, faults, retries, assets: total, duplicates: dups, missing, elapsed }.print();
    assert!(faults > 0, "faults were injected ({faults} of {requests})");
    assert_eq!((total as u64, dups, missing, wrong), (n / 2, 0, 0, 0), "only the labeled assets remain, all sent back (ONGOING)");
}

fn leak(what: &str, sdk: &dyn Sdk) -> &'static str {
    Box::leak(format!("{what}[{}]", sdk.surface()).into_boxed_str())
}
