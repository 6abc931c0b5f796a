//! Reliability, concurrency (issue 10 §4): one C ABI client shared by 32 threads for a bounded
//! time, each mixing imports, counts, updates, deletes and listings whose cursors are
//! cancelled (through a cancel token triggered from another thread) or freed mid-page; at the
//! end the project holds exactly the assets the threads created and did not delete, each with
//! the priority its thread last set. The same with the Rust `Client` shared by 32 threads.

mod reliability_support;

use kili::ffi::assets::kili_assets_query;
use kili::ffi::call_options::kili_call_options_init;
use kili::ffi::cancel::{kili_cancel_free, kili_cancel_new, kili_cancel_trigger};
use kili::ffi::{kili_call_options_t, kili_cursor_t};
use reliability_support::cabi::{client_new, CClient, CCursor};
use reliability_support::*;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const THREADS: usize = 32;
const RUN_FOR: Duration = Duration::from_secs(6);

/// What one thread expects to find at the end: external id -> priority.
type Expected = HashMap<String, u64>;

#[derive(Default)]
struct Tally {
    imports: AtomicUsize,
    counts: AtomicUsize,
    updates: AtomicUsize,
    deletes: AtomicUsize,
    cursors_cancelled: AtomicUsize,
    cursors_freed_mid_page: AtomicUsize,
}

/// A listing of `rel_list` with a cancel token: one page read, then the token is triggered
/// from another thread and the cursor must end with `KILI_CANCELLED` (after at most the items
/// already buffered), or the cursor is freed right away mid-page.
fn cursor_mid_page(c: &CClient, cancel_it: bool, tally: &Tally) {
    unsafe {
        let token = kili_cancel_new();
        let mut opts: kili_call_options_t = std::mem::zeroed();
        kili_call_options_init(&mut opts);
        opts.cancel = token;
        let args = br#"{"project_id": "rel_list", "fields": ["id", "externalId"]}"#;
        let mut cur: *mut kili_cursor_t = std::ptr::null_mut();
        let st = kili_assets_query(
            c.0,
            args.as_ptr().cast(),
            args.len(),
            &opts,
            &mut cur,
            std::ptr::null_mut(),
        );
        assert_eq!(st, 0, "query starts");
        let mut cur = CCursor(cur);
        let page = cur.next_page(7).expect("first page").expect("not empty");
        assert_eq!(page.len(), 7);
        if cancel_it {
            let t = token as usize;
            std::thread::spawn(move || {
                assert_eq!(kili_cancel_trigger(t as *const _, std::ptr::null_mut()), 0)
            })
            .join()
            .unwrap();
            // Items already delivered to the cursor may still come; then CANCELLED, for good.
            let mut n = 0;
            let e = loop {
                match cur.next_page(50) {
                    Ok(Some(p)) => n += p.len(),
                    Ok(None) => {
                        panic!("a cancelled listing of 2,000 assets must not end as complete")
                    }
                    Err(e) => break e,
                }
                assert!(n < 2_000, "cancel had no effect");
            };
            assert_eq!(e.status, 9, "KILI_CANCELLED: {e:?}");
            assert_eq!(
                cur.next_page(50).unwrap_err().status,
                9,
                "the same final answer"
            );
            tally.cursors_cancelled.fetch_add(1, Ordering::Relaxed);
        } else {
            tally.cursors_freed_mid_page.fetch_add(1, Ordering::Relaxed);
        }
        drop(cur); // kili_cursor_free mid-listing: cancels the prefetch
        kili_cancel_free(token);
    }
}

fn worker(c: &CClient, t: usize, deadline: Instant, tally: &Tally) -> Expected {
    let mut mine = Expected::new();
    let mut r = 0u64;
    while Instant::now() < deadline {
        let ext: Vec<String> = (0..3).map(|k| format!("t{t}-r{r}-k{k}")).collect();
        let urls: Vec<String> = ext
            .iter()
            .map(|e| format!("https://storage.example.com/{e}.png"))
            .collect();
        let res = c
            .mutate(
                b"append_many_to_dataset",
                json!({"project_id": "rel_conc", "content_array": urls, "external_id_array": ext})
                    .to_string()
                    .as_bytes(),
            )
            .expect("import");
        let ids: Vec<String> = res["result"]["asset_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids.len(), 3);
        tally.imports.fetch_add(1, Ordering::Relaxed);
        let n = c
            .count(
                json!({"project_id": "rel_conc", "external_id_strictly_in": ext})
                    .to_string()
                    .as_bytes(),
            )
            .expect("count");
        assert_eq!(n, 3, "thread {t} sees its own 3 new assets");
        tally.counts.fetch_add(1, Ordering::Relaxed);
        c.mutate(
            b"update_properties_in_assets",
            json!({"asset_ids": ids, "priorities": [r, r, r]})
                .to_string()
                .as_bytes(),
        )
        .expect("update");
        tally.updates.fetch_add(1, Ordering::Relaxed);
        for e in &ext {
            mine.insert(e.clone(), r);
        }
        if r % 2 == 1 {
            c.mutate(
                b"delete_many_from_dataset",
                json!({"asset_ids": [ids[0]]}).to_string().as_bytes(),
            )
            .expect("delete");
            mine.remove(&ext[0]);
            tally.deletes.fetch_add(1, Ordering::Relaxed);
        }
        cursor_mid_page(c, (t + r as usize) & 1 == 0, tally);
        r += 1;
    }
    mine
}

#[test]
fn c_abi_client_shared_by_32_threads() {
    let emu = emulator();
    emu.generate_assets("rel_list", 2_000).unwrap();
    // Prefetch a few pages so that a freed cursor usually has fetches in flight.
    let opts = json!({"api_key": KEY, "api_endpoint": emu.endpoint(), "rate_limit_per_minute": 0, "page_size": 20, "prefetch_pages": 3});
    let c = client_new(opts.to_string().as_bytes()).unwrap();
    let tally = Tally::default();
    let t0 = Instant::now();
    let deadline = t0 + RUN_FOR;
    let expected: Vec<Expected> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..THREADS)
            .map(|t| {
                s.spawn({
                    let (c, tally) = (&c, &tally);
                    move || worker(c, t, deadline, tally)
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let elapsed = t0.elapsed();
    let want: HashMap<String, u64> = expected.into_iter().flatten().collect();
    let rows = c
        .query(br#"{"project_id": "rel_conc", "fields": ["id", "externalId", "priority"]}"#)
        .unwrap()
        .collect_all()
        .unwrap();
    let want_keys: HashSet<String> = want.keys().cloned().collect();
    let (total, dups, missing) = dup_missing(
        rows.iter().map(|r| r["externalId"].as_str().unwrap()),
        &want_keys,
    );
    let wrong: Vec<&Value> = rows
        .iter()
        .filter(|r| {
            want.get(r["externalId"].as_str().unwrap())
                .map(|p| json!(p))
                != Some(r["priority"].clone())
        })
        .collect();
    println!(
        "FIGURES concurrency[c-abi, {THREADS} threads, {:.1}s]: imports={} counts={} updates={} deletes={} cursors_cancelled={} cursors_freed_mid_page={} requests={} assets={total} duplicates={dups} missing={missing} wrong={}",
        elapsed.as_secs_f64(),
        tally.imports.load(Ordering::Relaxed),
        tally.counts.load(Ordering::Relaxed),
        tally.updates.load(Ordering::Relaxed),
        tally.deletes.load(Ordering::Relaxed),
        tally.cursors_cancelled.load(Ordering::Relaxed),
        tally.cursors_freed_mid_page.load(Ordering::Relaxed),
        graphql_requests(&emu),
        wrong.len()
    );
    assert!(
        tally.imports.load(Ordering::Relaxed) >= THREADS,
        "every thread did at least one round"
    );
    assert!(
        tally.cursors_cancelled.load(Ordering::Relaxed) > 0
            && tally.cursors_freed_mid_page.load(Ordering::Relaxed) > 0
    );
    assert_eq!(
        (total, dups, missing),
        (want.len(), 0, 0),
        "exactly the assets created and not deleted"
    );
    assert!(wrong.is_empty(), "priorities: {wrong:?}");
}

#[test]
fn rust_client_shared_by_32_threads() {
    let emu = emulator();
    let (c, _rec) = client(&emu.endpoint());
    let t0 = Instant::now();
    let deadline = t0 + RUN_FOR / 2;
    let rounds = AtomicUsize::new(0);
    let expected: Vec<HashSet<String>> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..THREADS)
            .map(|t| {
                let (c, rounds) = (&c, &rounds);
                s.spawn(move || {
                    let mut mine = HashSet::new();
                    let mut r = 0;
                    while Instant::now() < deadline {
                        let ext: Vec<String> = (0..2).map(|k| format!("rt{t}-r{r}-k{k}")).collect();
                        let urls: Vec<String> = ext.iter().map(|e| format!("https://s.example.com/{e}.png")).collect();
                        let args = json!({"project_id": "rel_conc", "content_array": urls, "external_id_array": ext});
                        c.mutate_json("append_many_to_dataset", &args.to_string(), kili::CallOptions::default()).unwrap();
                        let n = c
                            .count_assets_json(&json!({"project_id": "rel_conc", "external_id_strictly_in": ext}).to_string(), kili::CallOptions::default())
                            .unwrap();
                        assert_eq!(n, 2);
                        let got: Vec<Value> = c
                            .assets_json(&json!({"project_id": "rel_conc", "external_id_strictly_in": ext, "fields": ["externalId"]}).to_string(), kili::CallOptions::default())
                            .unwrap()
                            .map(|r| r.unwrap())
                            .collect();
                        assert_eq!(got.len(), 2);
                        mine.extend(ext);
                        r += 1;
                        rounds.fetch_add(1, Ordering::Relaxed);
                    }
                    mine
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let want: HashSet<String> = expected.into_iter().flatten().collect();
    let rows: Vec<Value> = c
        .assets_json(
            r#"{"project_id": "rel_conc", "fields": ["externalId"]}"#,
            kili::CallOptions::default(),
        )
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let (total, dups, missing) = dup_missing(
        rows.iter().map(|r| r["externalId"].as_str().unwrap()),
        &want,
    );
    println!(
        "FIGURES concurrency[rust, {THREADS} threads, {:.1}s]: rounds={} assets={total} duplicates={dups} missing={missing}",
        t0.elapsed().as_secs_f64(),
        rounds.load(Ordering::Relaxed)
    );
    assert_eq!((total, dups, missing), (want.len(), 0, 0));
}
