//! The bodies of the fuzz targets, shared by the libFuzzer targets (`fuzz_targets/*.rs`, run
//! with `cargo fuzz`) and by the stable-toolchain random driver
//! (`tests/reliability_fuzz_driver.rs`, run by `scripts/fuzz.sh` when cargo-fuzz is missing
//! and, with a small budget, by `cargo test`).
//!
//! Each target feeds arbitrary bytes to one JSON entry point of the C ABI, exactly as a C
//! caller would (`ptr, len`), and checks the invariants every call must keep whatever the
//! input: no panic escapes, never `KILI_INTERNAL`, a failed call has an error object whose
//! code equals the returned status and whose message is non-empty and whose details are JSON,
//! out-params are NULL/0 on failure. A violated invariant panics (= a crash for libFuzzer).
//!
//! The client used by the query/count/mutate targets points at a closed loopback port with a
//! 1 ms retry deadline, so inputs that pass validation fail fast with a network error.
#![allow(dead_code)]

use kili::ffi::assets::{kili_assets_count, kili_assets_mutate, kili_assets_query};
use kili::ffi::bytes::kili_bytes_free;
use kili::ffi::client::{kili_client_free, kili_client_new};
use kili::ffi::cursor::kili_cursor_free;
use kili::ffi::error::{
    kili_error_code, kili_error_details_json, kili_error_free, kili_error_message,
};
use kili::ffi::{kili_bytes_t, kili_client_t, kili_cursor_t, kili_error_t};
use std::ffi::{c_char, CStr};
use std::sync::OnceLock;

const INTERNAL: i32 = 13;

/// The actions of `kili_assets_mutate`; the mutate target picks one with the first byte.
pub const ACTIONS: &[&str] = &[
    "append_many_to_dataset",
    "update_properties_in_assets",
    "change_asset_external_ids",
    "delete_many_from_dataset",
    "add_to_review",
    "send_back_to_queue",
];

unsafe fn check(what: &str, status: i32, err: *mut kili_error_t, input: &[u8]) {
    assert_ne!(
        status,
        INTERNAL,
        "{what}: KILI_INTERNAL on input {:?}: {}",
        String::from_utf8_lossy(input),
        msg(err)
    );
    if status == 0 {
        assert!(err.is_null(), "{what}: error object on success");
        return;
    }
    assert!(
        !err.is_null(),
        "{what}: status {status} without an error object"
    );
    assert_eq!(
        kili_error_code(err),
        status,
        "{what}: error code differs from the status"
    );
    assert!(!msg(err).is_empty(), "{what}: empty error message");
    let details = CStr::from_ptr(kili_error_details_json(err))
        .to_string_lossy()
        .into_owned();
    assert!(
        serde_json::from_str::<serde_json::Value>(&details).is_ok(),
        "{what}: details are not JSON: {details}"
    );
    kili_error_free(err);
}

unsafe fn msg(err: *mut kili_error_t) -> String {
    if err.is_null() {
        return String::new();
    }
    CStr::from_ptr(kili_error_message(err))
        .to_string_lossy()
        .into_owned()
}

/// A client on a closed loopback port (created once per process).
fn dead_client() -> *const kili_client_t {
    static C: OnceLock<usize> = OnceLock::new();
    *C.get_or_init(|| unsafe {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let opts = format!(
            r#"{{"api_key": "fuzz-key-0123456789", "api_endpoint": "http://127.0.0.1:{port}/api/label/v2/graphql", "retry_deadline_ms": 1, "connect_timeout_ms": 50, "request_timeout_ms": 50, "rate_limit_per_minute": 0, "backoff_base_ms": 1, "max_backoff_ms": 1}}"#
        );
        let mut c: *mut kili_client_t = std::ptr::null_mut();
        let st = kili_client_new(opts.as_ptr().cast(), opts.len(), &mut c, std::ptr::null_mut());
        assert_eq!(st, 0);
        c as usize
    }) as *const kili_client_t
}

/// `kili_client_new` on arbitrary options bytes.
pub fn client_options(data: &[u8]) {
    unsafe {
        let mut c: *mut kili_client_t = std::ptr::null_mut();
        let mut err: *mut kili_error_t = std::ptr::null_mut();
        let st = kili_client_new(data.as_ptr() as *const c_char, data.len(), &mut c, &mut err);
        if st != 0 {
            assert!(c.is_null(), "client out-param set on failure");
        }
        check("kili_client_new", st, err, data);
        kili_client_free(c);
    }
}

/// `kili_assets_query` on arbitrary argument bytes (and one `next` if it started).
pub fn query(data: &[u8]) {
    unsafe {
        let mut cur: *mut kili_cursor_t = std::ptr::null_mut();
        let mut err: *mut kili_error_t = std::ptr::null_mut();
        let st = kili_assets_query(
            dead_client(),
            data.as_ptr() as *const c_char,
            data.len(),
            std::ptr::null(),
            &mut cur,
            &mut err,
        );
        if st != 0 {
            assert!(cur.is_null(), "cursor out-param set on failure");
        }
        check("kili_assets_query", st, err, data);
        if !cur.is_null() {
            let mut item = kili_bytes_t {
                data: std::ptr::null(),
                len: 0,
            };
            let mut err: *mut kili_error_t = std::ptr::null_mut();
            let st = kili::ffi::cursor::kili_cursor_next(cur, &mut item, &mut err);
            if st == 0 {
                kili_bytes_free(&mut item);
            }
            if st > 1 {
                check("kili_cursor_next", st, err, data);
            }
            kili_cursor_free(cur);
        }
    }
}

/// `kili_assets_count` on arbitrary argument bytes.
pub fn count(data: &[u8]) {
    unsafe {
        let mut n: u64 = 99;
        let mut err: *mut kili_error_t = std::ptr::null_mut();
        let st = kili_assets_count(
            dead_client(),
            data.as_ptr() as *const c_char,
            data.len(),
            std::ptr::null(),
            &mut n,
            &mut err,
        );
        if st != 0 {
            assert_eq!(n, 0, "count out-param not 0 on failure");
        }
        check("kili_assets_count", st, err, data);
    }
}

/// `kili_assets_mutate`: the first byte picks the action (values past the list are fed as a
/// raw action name made of the next bytes), the rest is the argument bytes.
pub fn mutate(data: &[u8]) {
    let Some((&sel, rest)) = data.split_first() else {
        return;
    };
    let (action, args): (&[u8], &[u8]) = match ACTIONS.get(sel as usize % (ACTIONS.len() + 1)) {
        Some(a) => (a.as_bytes(), rest),
        None => rest.split_at(rest.len().min(24)),
    };
    unsafe {
        let mut out = kili_bytes_t {
            data: std::ptr::null(),
            len: 0,
        };
        let mut err: *mut kili_error_t = std::ptr::null_mut();
        let st = kili_assets_mutate(
            dead_client(),
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
                "result out-param set on failure"
            );
        } else {
            kili_bytes_free(&mut out);
        }
        check("kili_assets_mutate", st, err, data);
    }
}

/// The category-search parser (kili-label-format.md §3.2) on arbitrary text; a parsed query
/// is evaluated on a small label so that the evaluator runs too.
pub fn category_search(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match kili_category_search::parse(text) {
        Ok(q) => {
            let label = serde_json::json!({"JOB": {"categories": [{"name": "A"}, {"name": "B"}]}});
            let _ = q.evaluate(&label);
        }
        Err(e) => assert!(!e.to_string().is_empty(), "empty parse error for {text:?}"),
    }
}

/// One target: its name and its body.
pub type Target = (&'static str, fn(&[u8]));

/// Every target by name.
pub const TARGETS: &[Target] = &[
    ("client_options", client_options),
    ("query", query),
    ("count", count),
    ("mutate", mutate),
    ("category_search", category_search),
];
