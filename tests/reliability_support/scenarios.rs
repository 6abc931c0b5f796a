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

/// A failed mutation: (status name, message, details JSON).
pub type MutErr = (String, String, Value);

/// Whether a failure is a documented give-up: a 5xx that stayed after `max_attempts_uncertain`
/// attempts of a query (src/transport/retry.rs), alone or as the reason of every failed item.
/// (Rare at a 20% fault rate: it takes ten faults in a row.)
fn is_documented_give_up((status, _, details): &MutErr) -> bool {
    let http_give_up = |s: &str| (500..=504).any(|c| s.contains(&format!("HTTP {c}")));
    match status.as_str() {
        "SERVER" => matches!(details["http_status"].as_u64(), Some(500..=504)),
        "PARTIAL_FAILURE" => details["outcomes"]["failed"].as_array().is_some_and(|f| {
            f.iter()
                .all(|o| http_give_up(o["reason"].as_str().unwrap_or("")))
        }),
        _ => false,
    }
}

/// Runs a mutation and, after a documented give-up (see [`is_documented_give_up`]), runs the
/// same call again, as a caller would; any other failure fails the test. Returns every
/// report (the final result, and the `result`/`outcomes` of partial failures) and the number
/// of re-runs.
pub fn mutate_rerunning(sdk: &dyn Sdk, action: &str, args: &Value) -> (Vec<Value>, Value, usize) {
    let mut reports = vec![];
    let mut reruns = 0;
    loop {
        match sdk.mutate(action, args) {
            Ok(v) => {
                reports.push(v.clone());
                return (reports, v, reruns);
            }
            Err(e) => {
                assert!(
                    is_documented_give_up(&e),
                    "{action}: only the documented give-ups may fail the call: {} {} {}",
                    e.0,
                    e.1,
                    e.2
                );
                if e.0 == "PARTIAL_FAILURE" {
                    reports.push(json!({"result": e.2["result"], "outcomes": e.2["outcomes"]}));
                }
                reruns += 1;
                assert!(reruns < 20, "{action} keeps failing: {}", e.1);
            }
        }
    }
}

/// What a scenario needs from an SDK surface.
pub trait Sdk {
    /// Every asset of the query `args` (a JSON object of `assets()` arguments).
    fn list(&self, args: &Value) -> Result<Vec<Value>, String>;
    /// The assets of `args` until the end or the first error: (rows received, the error's
    /// status name and details JSON).
    fn list_partial(&self, args: &Value) -> (Vec<Value>, Option<(String, Value)>);
    /// One mutation; `Err` carries (status name, message, details).
    fn mutate(&self, action: &str, args: &Value) -> Result<Value, MutErr>;
    /// Retries announced by the client's log events so far.
    fn retries(&self) -> usize;
    /// Label of the surface for the figures line.
    fn surface(&self) -> &'static str;
}

impl Sdk for (Client, Recorder) {
    fn list(&self, args: &Value) -> Result<Vec<Value>, String> {
        let mut cur = self
            .0
            .assets_json(&args.to_string(), kili::CallOptions::default())
            .map_err(|e| e.to_string())?;
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
        let mut cur = match self
            .0
            .assets_json(&args.to_string(), kili::CallOptions::default())
        {
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
    fn mutate(&self, action: &str, args: &Value) -> Result<Value, MutErr> {
        self.0
            .mutate_json(action, &args.to_string(), kili::CallOptions::default())
            .map_err(|e| (e.status().name().to_string(), e.to_string(), e.details()))
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
        let mut cur = self
            .query(args.to_string().as_bytes())
            .map_err(|e| format!("{e:?}"))?;
        cur.collect_all().map_err(|e| format!("{e:?}"))
    }
    fn list_partial(&self, args: &Value) -> (Vec<Value>, Option<(String, Value)>) {
        let mut all = Vec::new();
        let named = |e: cabi::CErr| {
            (
                kili::Status::from_code(e.status).map_or("?".into(), |s| s.name().to_string()),
                serde_json::from_str(&e.details).unwrap(),
            )
        };
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
    fn mutate(&self, action: &str, args: &Value) -> Result<Value, MutErr> {
        cabi::CClient::mutate(self, action.as_bytes(), args.to_string().as_bytes()).map_err(|e| {
            (
                kili::Status::from_code(e.status).map_or("?".into(), |s| s.name().to_string()),
                e.message,
                serde_json::from_str(&e.details).unwrap(),
            )
        })
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
/// `KILI_RELIABILITY_SEED` (default 0) shifts every scenario's seed, to try other fault
/// sequences.
fn under_faults<T>(
    emu: &EmulatorHandle,
    sdk: &dyn Sdk,
    seed: u64,
    f: impl FnOnce() -> T,
) -> (T, usize, usize, usize, std::time::Duration) {
    let seed = seed
        + std::env::var("KILI_RELIABILITY_SEED")
            .ok()
            .and_then(|s| s.parse::<u64>().ok())
            .unwrap_or(0)
            * 1000;
    let plan = FaultPlan::new(seed, 20_000, 0.2);
    let retries0 = sdk.retries();
    emu.clear_request_log();
    emu.set_faults(plan.config(seed));
    let t = Instant::now();
    let out = f();
    let elapsed = t.elapsed();
    emu.set_faults(FaultConfig::default());
    let requests = graphql_requests(emu);
    (
        out,
        requests,
        plan.injected(requests),
        sdk.retries() - retries0,
        elapsed,
    )
}

/// Listing `n` generated assets of `project` under faults returns each id exactly once.
///
/// Queries retry every uncertain 5xx (500, 502, 503, 504), resets and truncated bodies up to
/// `max_attempts_uncertain` (10 here) and 429 until the deadline, so at a 20% fault rate a
/// listing stops only after ten faults in a row (about once in 10^7 requests). Should it
/// happen, the caller resumes with `skip` = the number of assets received (the order is stable
/// and `skip` exact). The scenario checks that a stop can only be such an exhausted 5xx
/// (never a 429/reset/truncated body, which the SDK must absorb) and that the resumed listing
/// has every id exactly once.
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
    let want: HashSet<String> = sdk
        .list(&args)
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(want.len() as u64, n);
    let (total, dups, missing) = dup_missing(rows.iter().map(|r| r["id"].as_str().unwrap()), &want);
    Figures {
        scenario: leak("list", sdk),
        requests,
        faults,
        retries,
        assets: total,
        duplicates: dups,
        missing,
        elapsed,
    }
    .print();
    println!(
        "  listing resumed {} time(s) after the documented give-ups: {:?}",
        stops.len(),
        stops
            .iter()
            .map(|(s, d)| format!("{s}/{}", d["http_status"]))
            .collect::<Vec<_>>()
    );
    for (status, details) in &stops {
        let http = details["http_status"].as_u64();
        assert!(
            status == "SERVER" && matches!(http, Some(500..=504)),
            "only an exhausted 5xx may stop a query: {status} {details}"
        );
    }
    assert!(
        faults > requests / 10,
        "faults were injected ({faults} of {requests})"
    );
    assert_eq!(
        (total as u64, dups, missing),
        (n, 0, 0),
        "every id exactly once"
    );
}

/// Importing `n` assets under faults ends with exactly those assets and an accurate report.
///
/// `text` = raw texts into a TEXT project (uploaded to the bucket through signed URLs, then
/// created), else hosted image URLs with metadata. The import pipeline's own queries
/// (`filterExistingAssets`, `createUploadBucketSignedUrls`, existence checks) retry 5xx up to
/// `max_attempts_uncertain`; after a give-up (rare) the caller re-runs the same call, which
/// creates only what is missing (existing external ids are reported, not duplicated).
pub fn import_under_faults(
    emu: &EmulatorHandle,
    sdk: &dyn Sdk,
    project: &str,
    n: usize,
    text: bool,
) {
    let contents: Vec<String> = (0..n)
        .map(|i| {
            if text {
                format!("reliability text number {i}")
            } else {
                format!("https://storage.example.com/imp/{i}.png")
            }
        })
        .collect();
    let ext: Vec<String> = (0..n).map(|i| format!("imp-{i}")).collect();
    let meta: Vec<Value> = (0..n).map(|i| json!({"i": i})).collect();
    let args = json!({"project_id": project, "content_array": contents, "external_id_array": ext, "json_metadata_array": meta});
    let ((reports, last, reruns), requests, faults, retries, elapsed) =
        under_faults(emu, sdk, if text { 55 } else { 22 }, || {
            mutate_rerunning(sdk, "append_many_to_dataset", &args)
        });
    let rows = sdk.list(&json!({"project_id": project, "fields": ["id", "externalId", "jsonMetadata", "content"]})).unwrap();
    let want: HashSet<String> = ext.iter().cloned().collect();
    let (total, dups, missing) = dup_missing(
        rows.iter().map(|r| r["externalId"].as_str().unwrap()),
        &want,
    );
    let scenario = leak(if text { "import-text" } else { "import" }, sdk);
    Figures {
        scenario,
        requests,
        faults,
        retries,
        assets: total,
        duplicates: dups,
        missing,
        elapsed,
    }
    .print();
    println!("  re-runs of the same call after a documented give-up: {reruns}");
    assert!(
        faults > requests / 10,
        "faults were injected ({faults} of {requests})"
    );
    assert_eq!(
        (total, dups, missing),
        (n, 0, 0),
        "exactly the imported assets"
    );
    // Contents and metadata landed on the right asset.
    for r in &rows {
        let i: usize = r["externalId"].as_str().unwrap()["imp-".len()..]
            .parse()
            .unwrap();
        if text {
            assert!(
                r["content"].as_str().unwrap().starts_with("http"),
                "the text was uploaded: {r}"
            );
        } else {
            assert_eq!(r["content"], json!(contents[i]));
        }
        assert_eq!(r["jsonMetadata"], json!({"i": i}), "{r}");
    }
    // The per-item reports match the project exactly: across the runs every asset was created
    // (succeeded) exactly once, with its real id and external id.
    let actual: HashMap<String, String> = rows
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["externalId"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut created: HashMap<String, usize> = HashMap::new();
    for rep in &reports {
        for o in rep["outcomes"]["succeeded"].as_array().unwrap() {
            let id = o["asset_id"]
                .as_str()
                .expect("succeeded item has its asset id");
            assert_eq!(
                actual.get(id).map(String::as_str),
                o["external_id"].as_str(),
                "report entry {o} matches the project"
            );
            *created.entry(id.to_string()).or_default() += 1;
        }
        // Every item of a run is reported once.
        let items: usize = ["succeeded", "declined", "failed"]
            .iter()
            .map(|k| rep["outcomes"][k].as_array().unwrap().len())
            .sum();
        assert_eq!(items, n, "one outcome per item in every run");
    }
    assert!(
        created.values().all(|c| *c == 1),
        "no asset reported created twice"
    );
    // The final run: nothing failed; what earlier runs created is declined as existing, so
    // that every asset of the project is accounted for: reported created by one run, or
    // (when a run could not confirm the creation) declined as existing by the final run.
    assert!(last["outcomes"]["failed"].as_array().unwrap().is_empty());
    let declined: HashSet<&str> = last["outcomes"]["declined"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["external_id"].as_str())
        .collect();
    if let Some(o) = last["outcomes"]["declined"].as_array().unwrap().first() {
        println!("  a declined item of the final run: {o}");
    }
    let unreported: Vec<&String> = actual
        .iter()
        .filter(|(id, e)| !created.contains_key(*id) && !declined.contains(e.as_str()))
        .map(|(_, e)| e)
        .collect();
    assert!(
        unreported.is_empty(),
        "{} assets never reported: {:?}",
        unreported.len(),
        &unreported[..unreported.len().min(5)]
    );
    println!(
        "  assets reported created by a run: {}, declined as existing by the final run: {}",
        created.len(),
        declined.len()
    );
    let ids: HashSet<&str> = last["result"]["asset_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(ids.iter().all(|id| actual.contains_key(*id)));
}

/// Bulk updates (priorities, metadata, external ids) under faults end in the expected state.
pub fn updates_under_faults(emu: &EmulatorHandle, sdk: &dyn Sdk, project: &str, n: u64) {
    emu.generate_assets(project, n).unwrap();
    let before = sdk
        .list(&json!({"project_id": project, "fields": ["id", "externalId"]}))
        .unwrap();
    let ids: Vec<String> = before
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let prios: Vec<u64> = (0..ids.len() as u64).map(|i| i % 7 + 1).collect();
    let metas: Vec<Value> = (0..ids.len())
        .map(|i| json!({"rel": i, "tag": "updated"}))
        .collect();
    let new_ext: Vec<String> = (0..ids.len()).map(|i| format!("renamed-{i}")).collect();
    let ((r1, r2), requests, faults, retries, elapsed) = under_faults(emu, sdk, 33, || {
        let r1 = mutate_rerunning(
            sdk,
            "update_properties_in_assets",
            &json!({"asset_ids": ids, "priorities": prios, "json_metadatas": metas}),
        )
        .1;
        let r2 = mutate_rerunning(
            sdk,
            "change_asset_external_ids",
            &json!({"asset_ids": ids, "new_external_ids": new_ext}),
        )
        .1;
        (r1, r2)
    });
    assert_eq!(
        r1["outcomes"]["succeeded"].as_array().unwrap().len(),
        ids.len(),
        "one outcome per updated asset"
    );
    assert_eq!(
        r2["outcomes"]["succeeded"].as_array().unwrap().len(),
        ids.len(),
        "one outcome per renamed asset"
    );
    let after = sdk.list(&json!({"project_id": project, "fields": ["id", "externalId", "priority", "jsonMetadata"]})).unwrap();
    let pos: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();
    let mut wrong = 0;
    for r in &after {
        let i = pos[r["id"].as_str().unwrap()];
        if r["priority"] != json!(prios[i])
            || r["jsonMetadata"] != metas[i]
            || r["externalId"] != json!(new_ext[i])
        {
            wrong += 1;
        }
    }
    let want: HashSet<String> = ids.iter().cloned().collect();
    let (total, dups, missing) =
        dup_missing(after.iter().map(|r| r["id"].as_str().unwrap()), &want);
    Figures {
        scenario: leak("update", sdk),
        requests,
        faults,
        retries,
        assets: total,
        duplicates: dups,
        missing,
        elapsed,
    }
    .print();
    assert!(faults > 0, "faults were injected ({faults} of {requests})");
    assert_eq!(
        (total as u64, dups, missing, wrong),
        (n, 0, 0, 0),
        "every asset updated, none lost or added"
    );
}

/// Review, send back and delete under faults end in the expected statuses and count.
pub fn actions_under_faults(emu: &EmulatorHandle, sdk: &dyn Sdk, project: &str, n: u64) {
    emu.generate_assets(project, n).unwrap();
    let before = sdk
        .list(&json!({"project_id": project, "fields": ["id", "status"]}))
        .unwrap();
    let all: Vec<String> = before
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let labeled: HashSet<String> = before
        .iter()
        .filter(|r| r["status"] == "LABELED")
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    let todo: Vec<String> = all
        .iter()
        .filter(|id| !labeled.contains(*id))
        .cloned()
        .collect();
    assert_eq!(labeled.len() as u64, n / 2);
    let ((review, back, del), requests, faults, retries, elapsed) =
        under_faults(emu, sdk, 44, || {
            let review = mutate_rerunning(sdk, "add_to_review", &json!({"asset_ids": all})).1;
            let back = mutate_rerunning(sdk, "send_back_to_queue", &json!({"asset_ids": all})).1;
            let del =
                mutate_rerunning(sdk, "delete_many_from_dataset", &json!({"asset_ids": todo})).1;
            (review, back, del)
        });
    let set = |v: &Value, k: &str| -> HashSet<String> {
        v["outcomes"][k]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["asset_id"].as_str().unwrap().to_string())
            .collect()
    };
    let todo_set: HashSet<String> = todo.iter().cloned().collect();
    // Review: labeled assets move, TODO ones are declined; each item reported once.
    assert_eq!(set(&review, "succeeded"), labeled);
    assert_eq!(set(&review, "declined"), todo_set);
    assert!(set(&review, "failed").is_empty());
    assert_eq!(set(&back, "succeeded"), labeled);
    assert_eq!(set(&back, "declined"), todo_set);
    assert_eq!(set(&del, "succeeded"), todo_set);
    let after = sdk
        .list(&json!({"project_id": project, "fields": ["id", "status"]}))
        .unwrap();
    let (total, dups, missing) =
        dup_missing(after.iter().map(|r| r["id"].as_str().unwrap()), &labeled);
    let wrong = after.iter().filter(|r| r["status"] != "ONGOING").count();
    Figures {
        scenario: leak("actions", sdk),
        requests,
        faults,
        retries,
        assets: total,
        duplicates: dups,
        missing,
        elapsed,
    }
    .print();
    assert!(faults > 0, "faults were injected ({faults} of {requests})");
    assert_eq!(
        (total as u64, dups, missing, wrong),
        (n / 2, 0, 0, 0),
        "only the labeled assets remain, all sent back (ONGOING)"
    );
}

fn leak(what: &str, sdk: &dyn Sdk) -> &'static str {
    Box::leak(format!("{what}[{}]", sdk.surface()).into_boxed_str())
}
