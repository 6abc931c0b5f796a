//! `kili_cursor_t`: a stream of assets with `sqlite3_step` semantics.

use super::boundary::ensure_blocking_allowed;
use super::bytes::kili_bytes_t;
use super::error::{kili_error_t, set_error};
use super::events::EventSlot;
use super::input::{handle, handle_mut, out_param};
use super::status::{kili_status_t, KILI_DONE, KILI_OK};
use crate::call::CancelToken;
use crate::client::AssetCursor;
use crate::error::{Error, Result};
use std::sync::Arc;

/// A cursor over the assets of a query, created by `kili_assets_query`. Pages are prefetched
/// in the background while the caller consumes items; with the client option
/// `prefetch_pages` 0 they are fetched on the calling thread, inside the cursor's calls.
///
/// Ownership: owned by the caller, released by `kili_cursor_free`, which also cancels any
/// in-flight fetch. It keeps its client's internals alive, so the client may be freed first.
/// Thread-safety: one thread at a time (it may move between threads); `kili_cursor_free` must
/// not race with another call on the same cursor.
pub struct kili_cursor_t {
    inner: AssetCursor,
    /// Final answer once reached: `None` while items may follow.
    end: Option<End>,
    /// Set while a call is inside the core: still set on entry means that call panicked.
    busy: bool,
    /// Cancelled by `kili_cursor_free` to stop background prefetching.
    stop: CancelToken,
    events: Arc<EventSlot>,
}

/// How a cursor ended: every later call gives the same answer.
enum End {
    Done,
    Failed(Error),
}

impl kili_cursor_t {
    pub(crate) fn new(inner: AssetCursor, stop: CancelToken, events: Arc<EventSlot>) -> Self {
        events.retain();
        kili_cursor_t {
            inner,
            end: None,
            busy: false,
            stop,
            events,
        }
    }

    /// Runs `step` on the core cursor unless the cursor already ended; records DONE/errors.
    /// `Ok(None)` means DONE.
    fn step<T>(
        &mut self,
        step: impl FnOnce(&mut AssetCursor) -> Result<Option<T>>,
    ) -> std::result::Result<Option<T>, &Error> {
        if self.end.is_none() && self.busy {
            self.end = Some(End::Failed(Error::Internal(
                "the cursor is unusable: an earlier call on it panicked".into(),
            )));
        }
        if self.end.is_none() {
            self.busy = true;
            let r = step(&mut self.inner);
            self.busy = false;
            match r {
                Ok(Some(v)) => return Ok(Some(v)),
                Ok(None) => self.end = Some(End::Done),
                Err(e) => self.end = Some(End::Failed(e)),
            }
        }
        match self.end.as_ref() {
            Some(End::Failed(e)) => Err(e),
            _ => Ok(None),
        }
    }
}

impl Drop for kili_cursor_t {
    fn drop(&mut self) {
        self.stop.cancel();
        self.events.release();
    }
}

/// Reports a recorded failure again: a fresh error object and the same status.
fn replay(err: *mut *mut kili_error_t, e: &Error) -> Result<kili_status_t> {
    set_error(err, e);
    Ok(e.status() as kili_status_t)
}

/// Fetches the next asset as a JSON object into `*out_item`.
///
/// Returns `KILI_OK` with an item, `KILI_DONE` (and `{NULL, 0}`) when the query is exhausted,
/// or an error; after `KILI_DONE` or an error every later call returns the same status (and an
/// equal error).
///
/// Ownership: on `KILI_OK` the caller owns `*out_item` (free with `kili_bytes_free`);
/// otherwise it is `{NULL, 0}`. Thread-safety: one thread at a time per cursor.
/// Blocking: waits for the next page when the prefetched ones are consumed.
/// Statuses: `KILI_OK`, `KILI_DONE`; `KILI_INVALID_ARGUMENT` (NULL `cursor`/`out_item`);
/// `KILI_AUTH`, `KILI_NOT_FOUND`, `KILI_RATE_LIMITED`, `KILI_NETWORK`, `KILI_TIMEOUT`,
/// `KILI_CANCELLED`, `KILI_GRAPHQL`, `KILI_SERVER`, `KILI_INVALID_STATE`, `KILI_INTERNAL`.
#[no_mangle]
pub unsafe extern "C" fn kili_cursor_next(
    cursor: *mut kili_cursor_t,
    out_item: *mut kili_bytes_t,
    err: *mut *mut kili_error_t,
) -> kili_status_t {
    ffi_boundary!(err, {
        let out = out_param(out_item, "out_item", kili_bytes_t::NONE)?;
        let c = handle_mut(cursor, "cursor")?;
        ensure_blocking_allowed("kili_cursor_next")?;
        match c.step(|inner| inner.next().transpose()) {
            Ok(Some(item)) => {
                *out = kili_bytes_t::from_json(&item)?;
                Ok(KILI_OK)
            }
            Ok(None) => Ok(KILI_DONE),
            Err(e) => replay(err, e),
        }
    })
}

/// Fetches up to `max_items` next assets as one JSON array into `*out_page`, amortising the
/// FFI crossing. Same final-answer rules as `kili_cursor_next`: `KILI_OK` with a non-empty
/// array, `KILI_DONE` (and `{NULL, 0}`) when exhausted, or an error, repeated on later calls.
///
/// Ownership: on `KILI_OK` the caller owns `*out_page` (free with `kili_bytes_free`);
/// otherwise it is `{NULL, 0}`. Thread-safety: one thread at a time per cursor.
/// Blocking: waits for the pages it needs.
/// Statuses: as `kili_cursor_next`; `KILI_INVALID_ARGUMENT` also when `max_items` is 0.
#[no_mangle]
pub unsafe extern "C" fn kili_cursor_next_page(
    cursor: *mut kili_cursor_t,
    max_items: usize,
    out_page: *mut kili_bytes_t,
    err: *mut *mut kili_error_t,
) -> kili_status_t {
    ffi_boundary!(err, {
        let out = out_param(out_page, "out_page", kili_bytes_t::NONE)?;
        let c = handle_mut(cursor, "cursor")?;
        if max_items == 0 {
            return Err(Error::invalid_arg("max_items", "must be at least 1"));
        }
        ensure_blocking_allowed("kili_cursor_next_page")?;
        let page = c.step(|inner| {
            let items = inner.next_page(max_items)?;
            Ok((!items.is_empty()).then_some(items))
        });
        match page {
            Ok(Some(items)) => {
                *out = kili_bytes_t::from_json(&serde_json::Value::Array(items))?;
                Ok(KILI_OK)
            }
            Ok(None) => Ok(KILI_DONE),
            Err(e) => replay(err, e),
        }
    })
}

/// The number of assets the query is expected to yield, into `*out_total`; -1 when not
/// known (yet). Known once the server has reported it (usually after the first page), and
/// bounded by the query's `first`.
///
/// Ownership: borrows `cursor`. Thread-safety: one thread at a time per cursor. Non-blocking.
/// Statuses: `KILI_OK`; `KILI_INVALID_ARGUMENT` (NULL `cursor`/`out_total`).
#[no_mangle]
pub unsafe extern "C" fn kili_cursor_expected_total(
    cursor: *const kili_cursor_t,
    out_total: *mut i64,
    err: *mut *mut kili_error_t,
) -> kili_status_t {
    ffi_boundary!(err, {
        let out = out_param(out_total, "out_total", -1)?;
        let c = handle(cursor, "cursor")?;
        *out = c
            .inner
            .expected_total()
            .map_or(-1, |t| i64::try_from(t).unwrap_or(i64::MAX));
        Ok(KILI_OK)
    })
}

/// Releases a cursor and cancels its in-flight fetches. `kili_cursor_free(NULL)` is a no-op.
///
/// Ownership: takes `cursor`. Thread-safety: once, when no other thread uses it.
/// Non-blocking. Never fails.
#[no_mangle]
pub unsafe extern "C" fn kili_cursor_free(cursor: *mut kili_cursor_t) {
    if !cursor.is_null() {
        super::boundary::run_or((), || drop(Box::from_raw(cursor)));
    }
}
