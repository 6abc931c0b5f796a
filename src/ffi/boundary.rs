//! The panic and error boundary every exported function runs inside.
//!
//! `ffi_boundary!` clears the caller's `kili_error_t **err`, runs the body under
//! `catch_unwind` (a panic becomes `KILI_INTERNAL`, never an unwind into C), and turns an
//! `Err` into its status plus a fresh error object. Bodies return `Ok(KILI_OK)` or
//! `Ok(KILI_DONE)` on success.

use super::error::{kili_error_t, set_error};
use super::status::kili_status_t;
use crate::error::{Error, Result};
use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `body` inside the boundary: see the module documentation.
pub(crate) fn run(
    err: *mut *mut kili_error_t,
    body: impl FnOnce() -> Result<kili_status_t>,
) -> kili_status_t {
    if !err.is_null() {
        // SAFETY: the caller passes either NULL or a writable `kili_error_t *` slot.
        unsafe { *err = std::ptr::null_mut() };
    }
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|p| Err(panic_error(p)));
    match outcome {
        Ok(status) => status,
        Err(e) => {
            let status = e.status() as kili_status_t;
            set_error(err, &e);
            status
        }
    }
}

/// Runs a body that returns a plain value (pointer, bool), giving `default` on a panic.
pub(crate) fn run_or<T>(default: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(default)
}

/// The [`Error::Internal`] describing a caught panic.
pub(crate) fn panic_error(payload: Box<dyn Any + Send>) -> Error {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic payload".to_string());
    Error::Internal(format!(
        "panic inside kili (a bug, please report it): {what}"
    ))
}

/// Blocking calls must not run on the hidden runtime's own threads (e.g. from inside an event
/// callback): `block_on` would panic there. Returns `Error::InvalidState` instead.
pub(crate) fn ensure_blocking_allowed(function: &str) -> Result<()> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::InvalidState(format!(
            "{function} blocks and was called from an async runtime thread (for example from \
             inside a kili event callback); call it from another thread"
        )));
    }
    Ok(())
}

/// Wraps an exported body: `ffi_boundary!(err, { ...; Ok(KILI_OK) })`.
///
/// `err` is the function's `kili_error_t **` parameter (may be NULL). The body is a block
/// evaluating to `crate::Result<kili_status_t>`; `?` works inside it.
macro_rules! ffi_boundary {
    ($err:expr, $body:block) => {
        $crate::ffi::boundary::run(
            $err,
            move || -> $crate::Result<$crate::ffi::kili_status_t> { $body },
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ffi::error::{kili_error_code, kili_error_free, kili_error_message};
    use crate::ffi::status::{KILI_INTERNAL, KILI_INVALID_ARGUMENT, KILI_OK};
    use std::ffi::CStr;

    #[test]
    fn a_panic_becomes_internal_with_an_error_object() {
        let mut err: *mut kili_error_t = std::ptr::null_mut();
        let status = run(&mut err, || panic!("boom"));
        assert_eq!(status, KILI_INTERNAL);
        assert!(!err.is_null());
        unsafe {
            assert_eq!(kili_error_code(err), KILI_INTERNAL);
            let msg = CStr::from_ptr(kili_error_message(err)).to_str().unwrap();
            assert!(msg.contains("boom"), "{msg}");
            kili_error_free(err);
        }
    }

    #[test]
    fn errors_set_the_out_param_and_success_clears_it() {
        let mut err: *mut kili_error_t = std::ptr::null_mut();
        let status = run(&mut err, || Err(Error::invalid_arg("x", "bad")));
        assert_eq!(status, KILI_INVALID_ARGUMENT);
        assert!(!err.is_null());
        unsafe { kili_error_free(err) };
        err = 0x1 as *mut kili_error_t; // stale value from the caller: must be cleared
        assert_eq!(run(&mut err, || Ok(KILI_OK)), KILI_OK);
        assert!(err.is_null());
        // A NULL `err` is allowed.
        assert_eq!(
            run(std::ptr::null_mut(), || Err(Error::Cancelled)),
            crate::ffi::status::KILI_CANCELLED
        );
    }
}
