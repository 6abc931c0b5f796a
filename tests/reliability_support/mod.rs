//! Shared set-up of the reliability suite (`tests/reliability_*.rs`): an emulator with the
//! suite's users and projects, fault scripts whose injected faults can be counted exactly,
//! clients whose events are recorded, the figures line printed at the end of each scenario,
//! and thin safe helpers over the C ABI (`kili::ffi`) for the C-ABI variants of the scenarios.
//!
//! Included by each test binary with `mod reliability_support;`.
#![allow(dead_code)]

use kili::client::Client;
use kili::config::ClientOptions;
use kili::{Event, EventSink};
use kili_emulator::{EmulatorConfig, EmulatorHandle, FaultConfig, FaultKind, FaultPhase};
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// API key of user `u1` (member of every `rel_*` project). Long and distinctive so that any
/// leak is found by a plain substring search.
pub const KEY: &str = "reliability-secret-key-7f3a9c21e5b04d68";
/// API key of user `u2`, member of `other_project` only.
pub const OTHER_KEY: &str = "other-user-secret-key-0d6e2b8a41c7f935";

/// The fixture: organisation, two users, V1 IMAGE projects `rel_list`, `rel_import`,
/// `rel_update`, `rel_actions`, `rel_conc` (u1) and `other_project` (u2 only).
pub fn fixture() -> Value {
    let mine = [
        "rel_list",
        "rel_import",
        "rel_update",
        "rel_actions",
        "rel_conc",
        "rel_crash",
        "rel_go",
    ];
    let mut projects: Vec<Value> = mine
        .iter()
        .map(|p| json!({"id": p, "title": p, "input_type": "IMAGE", "organization_id": "org1", "members": [{"user_id": "u1", "role": "ADMIN"}]}))
        .collect();
    projects.push(json!({"id": "rel_text", "title": "rel_text", "input_type": "TEXT", "organization_id": "org1",
                         "members": [{"user_id": "u1", "role": "ADMIN"}]}));
    projects.push(json!({"id": "other_project", "title": "Other's", "input_type": "IMAGE", "organization_id": "org1",
                         "members": [{"user_id": "u2", "role": "ADMIN"}]}));
    json!({
        "organizations": [{"id": "org1", "name": "Org", "upload_local_data": true}],
        "users": [
            {"id": "u1", "email": "one@example.com", "organization_id": "org1", "api_keys": [KEY]},
            {"id": "u2", "email": "two@example.com", "organization_id": "org1", "api_keys": [OTHER_KEY]}
        ],
        "projects": projects,
        "assets": [{"id": "other-a1", "project_id": "other_project", "external_id": "secret-asset"}]
    })
}

/// An in-process emulator loaded with [`fixture`].
pub fn emulator() -> EmulatorHandle {
    kili_emulator::start_blocking(EmulatorConfig {
        fixtures: vec![fixture()],
        ..Default::default()
    })
}

/// Client options for the fault scenarios: short backoffs (the waits are jitter on a few ms,
/// so that the suite stays fast), no client-side rate limit, and more attempts for queries of
/// uncertain outcome than the default 5: at a 20% fault rate, 5 consecutive failures of one of
/// ~1,500 requests is a real possibility (0.18^5 * 1500 ~ 0.3), 10 is not.
pub fn fast_options(endpoint: &str) -> ClientOptions {
    ClientOptions {
        api_key: Some(KEY.into()),
        api_endpoint: Some(endpoint.to_string()),
        backoff_base_ms: 2,
        max_backoff_ms: 20,
        rate_limit_per_minute: 0,
        max_attempts_uncertain: 10,
        ..Default::default()
    }
}

/// The same options as the JSON object of `kili_client_new`.
pub fn fast_options_json(endpoint: &str) -> String {
    json!({"api_key": KEY, "api_endpoint": endpoint, "backoff_base_ms": 2, "max_backoff_ms": 20,
           "rate_limit_per_minute": 0, "max_attempts_uncertain": 10})
    .to_string()
}

/// Every event a client emitted, recorded in order.
#[derive(Clone, Default)]
pub struct Recorder(pub Arc<Mutex<Vec<Event>>>);

impl Recorder {
    pub fn sink(&self) -> EventSink {
        let v = self.0.clone();
        EventSink::new(move |e| v.lock().unwrap().push(e.clone()))
    }
    /// Log lines announcing a retry.
    pub fn retries(&self) -> usize {
        self.0.lock().unwrap().iter().filter(|e| matches!(e, Event::Log { message, .. } if message.to_ascii_lowercase().contains("retrying"))).count()
    }
    pub fn clear(&self) {
        self.0.lock().unwrap().clear();
    }
    /// Every event as text (Debug and JSON forms), for leak searches.
    pub fn all_text(&self) -> String {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|e| format!("{e:?}\n{}\n", e.to_json()))
            .collect()
    }
}

/// A client on `endpoint` with [`fast_options`] and a [`Recorder`].
pub fn client(endpoint: &str) -> (Client, Recorder) {
    let rec = Recorder::default();
    let c = Client::new(fast_options(endpoint))
        .unwrap()
        .with_events(rec.sink());
    (c, rec)
}

/// A fault script of `len` entries where each request gets a fault with probability `rate`,
/// drawn from the mix: 500/502/503/504, 429 with `Retry-After` (0 s, except the first
/// one which asks for 1 s, to show that waits are honoured), connection reset, truncated body,
/// 150 ms latency spike. Requests without a fault get `Latency { ms: 0 }` (a no-op), so that
/// the number of faults injected is known exactly: see [`FaultPlan::injected`].
pub struct FaultPlan {
    pub script: Vec<FaultKind>,
}

pub const NOOP: FaultKind = FaultKind::Latency { ms: 0 };

impl FaultPlan {
    pub fn new(seed: u64, len: usize, rate: f64) -> Self {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut first_429 = true;
        let script = (0..len)
            .map(|_| {
                if !rng.gen_bool(rate) {
                    return NOOP;
                }
                match rng.gen_range(0..9) {
                    0 => FaultKind::Http500,
                    1 => FaultKind::Http502,
                    2 => FaultKind::Http503,
                    3 => FaultKind::Http504,
                    4 => {
                        let secs = if first_429 { 1 } else { 0 };
                        first_429 = false;
                        FaultKind::Http429 {
                            retry_after_secs: secs,
                        }
                    }
                    5 => FaultKind::Reset,
                    6 => FaultKind::Truncated,
                    7 => FaultKind::Latency { ms: 150 },
                    _ => FaultKind::Http502,
                }
            })
            .collect();
        FaultPlan { script }
    }

    /// The emulator configuration: this script on every GraphQL operation, mutations' faults
    /// before or after applying at random (seeded).
    pub fn config(&self, seed: u64) -> FaultConfig {
        FaultConfig {
            script: self.script.clone(),
            seed: Some(seed),
            mutation_phase: FaultPhase::Random,
            ..Default::default()
        }
    }

    /// Faults injected into the first `requests` GraphQL requests (each consumes one entry).
    pub fn injected(&self, requests: usize) -> usize {
        assert!(
            requests <= self.script.len(),
            "the fault script ({}) is shorter than the requests ({requests}): lengthen it",
            self.script.len()
        );
        self.script[..requests]
            .iter()
            .filter(|k| **k != NOOP)
            .count()
    }
}

/// GraphQL requests the emulator received since its log was last cleared.
pub fn graphql_requests(emu: &EmulatorHandle) -> usize {
    emu.request_log()
        .iter()
        .filter(|r| r.path.contains("/graphql"))
        .count()
}

/// The figures line of a scenario.
pub struct Figures {
    pub scenario: &'static str,
    pub requests: usize,
    pub faults: usize,
    pub retries: usize,
    pub assets: usize,
    pub duplicates: usize,
    pub missing: usize,
    pub elapsed: std::time::Duration,
}

impl Figures {
    pub fn print(&self) {
        println!(
            "FIGURES {}: requests={} faults_injected={} retries={} assets={} duplicates={} missing={} elapsed={:.1}s",
            self.scenario,
            self.requests,
            self.faults,
            self.retries,
            self.assets,
            self.duplicates,
            self.missing,
            self.elapsed.as_secs_f64()
        );
    }
}

/// Duplicates and missing entries of `got` against the expected set `want`.
pub fn dup_missing<'a>(
    got: impl IntoIterator<Item = &'a str>,
    want: &std::collections::HashSet<String>,
) -> (usize, usize, usize) {
    let mut seen = std::collections::HashSet::new();
    let mut dups = 0;
    let mut total = 0;
    for g in got {
        total += 1;
        if !seen.insert(g.to_string()) {
            dups += 1;
        }
    }
    let missing = want.iter().filter(|w| !seen.contains(w.as_str())).count();
    (total, dups, missing)
}

/// Safe helpers over the C ABI functions (`extern "C"` in `kili::ffi`), called from Rust
/// exactly as a C program would call them.
pub mod cabi {
    use kili::ffi::assets::{kili_assets_count, kili_assets_mutate, kili_assets_query};
    use kili::ffi::bytes::kili_bytes_free;
    use kili::ffi::client::{kili_client_free, kili_client_new, kili_client_set_event_callback};
    use kili::ffi::cursor::{kili_cursor_free, kili_cursor_next_page};
    use kili::ffi::error::{
        kili_error_code, kili_error_details_json, kili_error_free, kili_error_message,
    };
    use kili::ffi::{
        kili_bytes_t, kili_client_t, kili_cursor_t, kili_error_t, kili_event_callback_t,
    };
    use std::ffi::{c_char, c_void, CStr};
    use std::sync::{Arc, Mutex};

    /// An error read out of a `kili_error_t` (which is then freed).
    #[derive(Debug, Clone)]
    pub struct CErr {
        pub status: i32,
        pub message: String,
        pub details: String,
    }

    unsafe fn take_err(status: i32, err: *mut kili_error_t) -> CErr {
        if err.is_null() {
            return CErr {
                status,
                message: "<no error object>".into(),
                details: "{}".into(),
            };
        }
        let e = CErr {
            status: kili_error_code(err),
            message: CStr::from_ptr(kili_error_message(err))
                .to_string_lossy()
                .into_owned(),
            details: CStr::from_ptr(kili_error_details_json(err))
                .to_string_lossy()
                .into_owned(),
        };
        assert_eq!(
            e.status, status,
            "kili_error_code agrees with the returned status"
        );
        kili_error_free(err);
        e
    }

    unsafe fn take_bytes(b: &mut kili_bytes_t) -> Vec<u8> {
        let v = std::slice::from_raw_parts(b.data, b.len).to_vec();
        kili_bytes_free(b);
        v
    }

    /// A client handle; freed on drop.
    pub struct CClient(pub *mut kili_client_t, pub Arc<Mutex<Vec<String>>>);
    unsafe impl Send for CClient {}
    unsafe impl Sync for CClient {}

    unsafe extern "C" fn on_event(user: *mut c_void, json: *const c_char, len: usize) {
        let events = &*(user as *const Mutex<Vec<String>>);
        let s = String::from_utf8_lossy(std::slice::from_raw_parts(json as *const u8, len))
            .into_owned();
        events.lock().unwrap().push(s);
    }
    unsafe extern "C" fn on_drop(user: *mut c_void) {
        drop(Arc::from_raw(user as *const Mutex<Vec<String>>));
    }

    /// `kili_client_new` on raw bytes, then an event callback recording every event JSON.
    pub fn client_new(options: &[u8]) -> Result<CClient, CErr> {
        unsafe {
            let mut c: *mut kili_client_t = std::ptr::null_mut();
            let mut err: *mut kili_error_t = std::ptr::null_mut();
            let st = kili_client_new(
                options.as_ptr() as *const c_char,
                options.len(),
                &mut c,
                &mut err,
            );
            if st != 0 {
                assert!(c.is_null(), "out-param is NULL on failure");
                return Err(take_err(st, err));
            }
            assert!(err.is_null());
            let events = Arc::new(Mutex::new(Vec::new()));
            let cb = kili_event_callback_t {
                user_data: Arc::into_raw(events.clone()) as *mut c_void,
                call: Some(on_event),
                drop: Some(on_drop),
            };
            let st = kili_client_set_event_callback(c, &cb, std::ptr::null_mut());
            assert_eq!(st, 0);
            Ok(CClient(c, events))
        }
    }

    impl Drop for CClient {
        fn drop(&mut self) {
            unsafe { kili_client_free(self.0) }
        }
    }

    impl CClient {
        /// Log events announcing a retry.
        pub fn retries(&self) -> usize {
            self.1
                .lock()
                .unwrap()
                .iter()
                .filter(|e| e.contains("\"log\"") && e.to_ascii_lowercase().contains("retrying"))
                .count()
        }

        pub fn count(&self, args: &[u8]) -> Result<u64, CErr> {
            unsafe {
                let mut n: u64 = 77;
                let mut err: *mut kili_error_t = std::ptr::null_mut();
                let st = kili_assets_count(
                    self.0,
                    args.as_ptr() as *const c_char,
                    args.len(),
                    std::ptr::null(),
                    &mut n,
                    &mut err,
                );
                if st != 0 {
                    assert_eq!(n, 0, "out_count is 0 on failure");
                    return Err(take_err(st, err));
                }
                Ok(n)
            }
        }

        pub fn mutate(&self, action: &[u8], args: &[u8]) -> Result<serde_json::Value, CErr> {
            unsafe {
                let mut out = kili_bytes_t {
                    data: std::ptr::null(),
                    len: 0,
                };
                let mut err: *mut kili_error_t = std::ptr::null_mut();
                let st = kili_assets_mutate(
                    self.0,
                    action.as_ptr() as *const c_char,
                    action.len(),
                    args.as_ptr() as *const c_char,
                    args.len(),
                    std::ptr::null(),
                    &mut out,
                    &mut err,
                );
                if st != 0 {
                    assert!(
                        out.data.is_null() && out.len == 0,
                        "out_result is {{NULL, 0}} on failure"
                    );
                    return Err(take_err(st, err));
                }
                Ok(serde_json::from_slice(&take_bytes(&mut out)).expect("mutate result is JSON"))
            }
        }

        pub fn query(&self, args: &[u8]) -> Result<CCursor, CErr> {
            unsafe {
                let mut cur: *mut kili_cursor_t = std::ptr::null_mut();
                let mut err: *mut kili_error_t = std::ptr::null_mut();
                let st = kili_assets_query(
                    self.0,
                    args.as_ptr() as *const c_char,
                    args.len(),
                    std::ptr::null(),
                    &mut cur,
                    &mut err,
                );
                if st != 0 {
                    assert!(cur.is_null(), "out_cursor is NULL on failure");
                    return Err(take_err(st, err));
                }
                Ok(CCursor(cur))
            }
        }
    }

    /// A cursor handle; freed on drop.
    #[derive(Debug)]
    pub struct CCursor(pub *mut kili_cursor_t);
    unsafe impl Send for CCursor {}

    impl CCursor {
        /// Next page of up to `max` items; `Ok(None)` at `KILI_DONE`.
        pub fn next_page(&mut self, max: usize) -> Result<Option<Vec<serde_json::Value>>, CErr> {
            unsafe {
                let mut out = kili_bytes_t {
                    data: std::ptr::null(),
                    len: 0,
                };
                let mut err: *mut kili_error_t = std::ptr::null_mut();
                let st = kili_cursor_next_page(self.0, max, &mut out, &mut err);
                match st {
                    0 => Ok(Some(
                        serde_json::from_slice(&take_bytes(&mut out))
                            .expect("page is a JSON array"),
                    )),
                    1 => Ok(None),
                    _ => Err(take_err(st, err)),
                }
            }
        }

        /// Every remaining item.
        pub fn collect_all(&mut self) -> Result<Vec<serde_json::Value>, CErr> {
            let mut all = Vec::new();
            while let Some(p) = self.next_page(1000)? {
                all.extend(p);
            }
            Ok(all)
        }
    }

    impl Drop for CCursor {
        fn drop(&mut self) {
            unsafe { kili_cursor_free(self.0) }
        }
    }
}

pub mod scenarios;
