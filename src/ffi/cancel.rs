//! `kili_cancel_t`: a cancel token that any thread may trigger.

use super::boundary::run_or;
use super::error::kili_error_t;
use super::input::handle;
use super::status::{kili_status_t, KILI_OK};
use crate::call::CancelToken;

/// A cancel token. Pass it in `kili_call_options_t.cancel`; triggering it makes the calls (and
/// cursors) that use it return `KILI_CANCELLED` promptly.
///
/// Ownership: created by `kili_cancel_new`, released by `kili_cancel_free`; calls copy what
/// they need, so the token may be freed as soon as no call started with it is running and no
/// other thread may still trigger it. Thread-safety: `kili_cancel_trigger` and
/// `kili_cancel_is_triggered` may be called from any thread concurrently.
pub struct kili_cancel_t {
    pub(crate) token: CancelToken,
}

/// A new, untriggered cancel token; NULL only if allocation failed.
///
/// Ownership: the caller owns the token and releases it with `kili_cancel_free`.
/// Thread-safety: any thread. Non-blocking.
#[no_mangle]
pub extern "C" fn kili_cancel_new() -> *mut kili_cancel_t {
    run_or(std::ptr::null_mut(), || {
        Box::into_raw(Box::new(kili_cancel_t {
            token: CancelToken::new(),
        }))
    })
}

/// Triggers the token: calls using it stop with `KILI_CANCELLED`. Idempotent.
///
/// Ownership: borrows `cancel`. Thread-safety: any thread, concurrently with anything but
/// `kili_cancel_free`. Non-blocking.
/// Statuses: `KILI_OK`; `KILI_INVALID_ARGUMENT` when `cancel` is NULL.
#[no_mangle]
pub unsafe extern "C" fn kili_cancel_trigger(
    cancel: *const kili_cancel_t,
    err: *mut *mut kili_error_t,
) -> kili_status_t {
    ffi_boundary!(err, {
        handle(cancel, "cancel")?.token.cancel();
        Ok(KILI_OK)
    })
}

/// Whether the token was triggered; false when `cancel` is NULL.
///
/// Thread-safety: any thread. Non-blocking. Never fails.
#[no_mangle]
pub unsafe extern "C" fn kili_cancel_is_triggered(cancel: *const kili_cancel_t) -> bool {
    run_or(false, || {
        cancel.as_ref().is_some_and(|c| c.token.is_cancelled())
    })
}

/// Releases a cancel token. `kili_cancel_free(NULL)` is a no-op. Calls and cursors that were
/// given the token keep working (they hold their own reference to it).
///
/// Ownership: takes `cancel`. Thread-safety: once, when no other thread uses the token.
/// Non-blocking. Never fails.
#[no_mangle]
pub unsafe extern "C" fn kili_cancel_free(cancel: *mut kili_cancel_t) {
    if !cancel.is_null() {
        run_or((), || drop(Box::from_raw(cancel)));
    }
}
