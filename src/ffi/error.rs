//! `kili_error_t`: the error object returned through the optional last `kili_error_t **err`
//! parameter of every fallible call.

use super::status::{kili_status_t, KILI_OK};
use crate::error::Error;
use std::ffi::{c_char, CString};

/// An error: a status code, a message and a details JSON object. Opaque; created by the
/// library, owned by the caller, released with `kili_error_free`.
///
/// Thread-safety: immutable, so it may be read from any thread and moved between threads;
/// free it exactly once.
pub struct kili_error_t {
    status: kili_status_t,
    message: CString,
    details: CString,
}

impl kili_error_t {
    pub(crate) fn new(e: &Error) -> Self {
        kili_error_t {
            status: e.status() as kili_status_t,
            message: to_cstring(e.to_string()),
            details: to_cstring(e.details().to_string()),
        }
    }
}

/// A C string from text that might contain NUL bytes (they would truncate it in C).
fn to_cstring(s: String) -> CString {
    CString::new(s).unwrap_or_else(|e| {
        let cleaned: Vec<u8> = e.into_vec().into_iter().filter(|b| *b != 0).collect();
        CString::new(cleaned).unwrap_or_default()
    })
}

/// Stores a new error object in `*err` when `err` is not NULL.
pub(crate) fn set_error(err: *mut *mut kili_error_t, e: &Error) {
    if err.is_null() {
        return;
    }
    let boxed = Box::new(kili_error_t::new(e));
    // SAFETY: `err` is a writable slot supplied by the caller (checked non-NULL above).
    unsafe { *err = Box::into_raw(boxed) };
}

/// The status code of an error; `KILI_OK` when `err` is NULL (no error).
///
/// Ownership: borrows `err`. Thread-safety: any thread. Non-blocking. Never fails.
#[no_mangle]
pub unsafe extern "C" fn kili_error_code(err: *const kili_error_t) -> kili_status_t {
    match err.as_ref() {
        Some(e) => e.status,
        None => KILI_OK,
    }
}

/// The human-readable message of an error, NUL-terminated UTF-8; `""` when `err` is NULL.
/// Never contains the API key.
///
/// Ownership: borrowed from `err`, valid until `kili_error_free(err)`; do not free it.
/// Thread-safety: any thread. Non-blocking. Never fails.
#[no_mangle]
pub unsafe extern "C" fn kili_error_message(err: *const kili_error_t) -> *const c_char {
    match err.as_ref() {
        Some(e) => e.message.as_ptr(),
        None => c"".as_ptr(),
    }
}

/// The details of an error as a NUL-terminated JSON object: always `"status"` (the status
/// name without `KILI_`), plus when known `"path"` (the failing argument, e.g.
/// `"status_in[1]"`), the HTTP status, GraphQL `"errors"`, and per-item outcomes for
/// `KILI_PARTIAL_FAILURE`. `"{}"` when `err` is NULL.
///
/// Ownership: borrowed from `err`, valid until `kili_error_free(err)`; do not free it.
/// Thread-safety: any thread. Non-blocking. Never fails.
#[no_mangle]
pub unsafe extern "C" fn kili_error_details_json(err: *const kili_error_t) -> *const c_char {
    match err.as_ref() {
        Some(e) => e.details.as_ptr(),
        None => c"{}".as_ptr(),
    }
}

/// Releases an error object. `kili_error_free(NULL)` is a no-op.
///
/// Ownership: takes `err`; it must not be used afterwards (nor its message/details strings).
/// Thread-safety: any thread, once. Non-blocking. Never fails.
#[no_mangle]
pub unsafe extern "C" fn kili_error_free(err: *mut kili_error_t) {
    if !err.is_null() {
        let _ = super::boundary::run_or((), || drop(Box::from_raw(err)));
    }
}
