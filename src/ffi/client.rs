//! `kili_client_t`: a connection to one Kili endpoint with one API key.

use super::boundary::ensure_blocking_allowed;
use super::error::kili_error_t;
use super::events::{kili_event_callback_t, EventSlot};
use super::input::{check_json_object, handle, out_param, utf8};
use super::status::{kili_status_t, KILI_OK};
use crate::client::Client;
use crate::config::ClientOptions;
use crate::error::Error;
use std::ffi::c_char;
use std::sync::Arc;

/// A Kili client: endpoint, API key, HTTP connection pool, retry and rate-limit state.
///
/// Ownership: created by `kili_client_new`, released by `kili_client_free`. Cursors keep what
/// they need alive, so the client may be freed before its cursors.
/// Thread-safety: fully thread-safe; one client may be used by any number of threads at once
/// (only `kili_client_free` must not race with other calls on the same client).
pub struct kili_client_t {
    pub(crate) client: Client,
    pub(crate) events: Arc<EventSlot>,
}

impl Drop for kili_client_t {
    fn drop(&mut self) {
        self.events.release();
    }
}

/// Creates a client from a JSON options object (UTF-8, `len` bytes, no NUL needed).
///
/// Options (all optional): `api_key` (else env `KILI_API_KEY`), `api_endpoint` (else env
/// `KILI_API_ENDPOINT`, else Kili's cloud), `verify_tls`, `ca_bundle`, `connect_timeout_ms`,
/// `request_timeout_ms`, `retry_deadline_ms`, `max_attempts_uncertain`,
/// `rate_limit_per_minute`, `rate_limit_window_ms`, `page_size`, `prefetch_pages`,
/// `mutation_concurrency`, `allow_insecure_http`, `client_name`, `keep_json_raw`,
/// `backoff_base_ms`, `max_backoff_ms` (see the README's configuration table). An empty
/// string (or `NULL, 0`) means `{}`.
///
/// Ownership: on `KILI_OK`, `*out_client` is a new client owned by the caller (free with
/// `kili_client_free`); on failure it is NULL and `*err` (if `err` is not NULL) receives an
/// error to free with `kili_error_free`.
/// Thread-safety: any thread. Blocking: may contact the server to check the key.
/// Statuses: `KILI_OK`; `KILI_INVALID_ARGUMENT` (NULL `out_client`, invalid UTF-8/JSON,
/// unknown or ill-typed option, no API key); `KILI_AUTH`; `KILI_NETWORK`; `KILI_TIMEOUT`;
/// `KILI_SERVER`; `KILI_INVALID_STATE` (called from an event callback); `KILI_INTERNAL`.
#[no_mangle]
pub unsafe extern "C" fn kili_client_new(
    options_json: *const c_char,
    options_len: usize,
    out_client: *mut *mut kili_client_t,
    err: *mut *mut kili_error_t,
) -> kili_status_t {
    ffi_boundary!(err, {
        let out = out_param(out_client, "out_client", std::ptr::null_mut())?;
        let text = utf8(options_json, options_len, "options_json")?;
        let text = if text.trim().is_empty() { "{}" } else { text };
        check_json_object(text, "options_json")?;
        ensure_blocking_allowed("kili_client_new")?;
        let opts = ClientOptions::from_json(text)?;
        let events = EventSlot::new();
        let client = Client::new(opts)?.with_events(events.sink());
        *out = Box::into_raw(Box::new(kili_client_t { client, events }));
        Ok(KILI_OK)
    })
}

/// Installs the event callback of a client and of the cursors it creates (progress,
/// warnings, logs), replacing any previous one (whose `drop` then runs once its in-flight
/// calls have returned). `callback == NULL` uninstalls. See `kili_event_callback_t` for the
/// threading rules.
///
/// Ownership: on `KILI_OK` the library takes `callback->user_data` and calls
/// `callback->drop(user_data)` exactly once later; on failure it does not take it. The struct
/// itself is copied.
/// Thread-safety: any thread. Non-blocking.
/// Statuses: `KILI_OK`; `KILI_INVALID_ARGUMENT` (NULL `client`, or NULL `callback->call`).
#[no_mangle]
pub unsafe extern "C" fn kili_client_set_event_callback(
    client: *const kili_client_t,
    callback: *const kili_event_callback_t,
    err: *mut *mut kili_error_t,
) -> kili_status_t {
    ffi_boundary!(err, {
        let c = handle(client, "client")?;
        let cb = callback.as_ref().copied();
        if let Some(cb) = &cb {
            if cb.call.is_none() {
                return Err(Error::invalid_arg("callback.call", "must not be NULL"));
            }
        }
        c.events.install(cb);
        Ok(KILI_OK)
    })
}

/// Releases a client. `kili_client_free(NULL)` is a no-op. Cursors created from it keep
/// working until they are freed; the event callback stays installed until they are.
///
/// Ownership: takes `client`. Thread-safety: once, when no other thread uses this handle.
/// Non-blocking. Never fails.
#[no_mangle]
pub unsafe extern "C" fn kili_client_free(client: *mut kili_client_t) {
    if !client.is_null() {
        super::boundary::run_or((), || drop(Box::from_raw(client)));
    }
}
