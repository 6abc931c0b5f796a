//! `kili_call_options_t`: per-call options (timeout, cancel token) of blocking calls.

use super::boundary::run_or;
use super::cancel::kili_cancel_t;
use crate::call::CallOptions;
use crate::error::{Error, Result};
use std::time::Duration;

/// Options of one blocking call. Pass NULL for the defaults (no timeout, not cancellable).
///
/// Versioned by size: set `struct_size = sizeof(kili_call_options_t)`, most simply by calling
/// `kili_call_options_init` first, so that later library versions can add fields.
///
/// Ownership: the caller owns the struct; the library reads it during the call only (a cursor
/// keeps its own reference to the cancel token). Thread-safety: plain data.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct kili_call_options_t {
    /// `sizeof(kili_call_options_t)` as compiled by the caller.
    pub struct_size: u32,
    /// Time limit of the whole call in milliseconds, retries included; 0 = no limit beyond the
    /// client's own deadlines. For `kili_assets_query` it bounds the whole listing, counted
    /// from the query's start (later `kili_cursor_next` calls then fail with `KILI_TIMEOUT`).
    pub timeout_ms: u32,
    /// Optional cancel token (NULL = not cancellable). Borrowed for the call.
    pub cancel: *const kili_cancel_t,
}

/// Fills `opts` with the defaults: the current `struct_size`, no timeout, no cancel token.
/// NULL is a no-op.
///
/// Thread-safety: any thread. Non-blocking. Never fails.
#[no_mangle]
pub unsafe extern "C" fn kili_call_options_init(opts: *mut kili_call_options_t) {
    run_or((), || {
        if let Some(o) = opts.as_mut() {
            *o = kili_call_options_t {
                struct_size: std::mem::size_of::<kili_call_options_t>() as u32,
                timeout_ms: 0,
                cancel: std::ptr::null(),
            };
        }
    })
}

/// Reads call options given by C; NULL gives the defaults.
///
/// # Safety
/// `opts` is NULL or points to at least `opts->struct_size` readable bytes, and a non-NULL
/// `cancel` points to a live token.
pub(crate) unsafe fn read(opts: *const kili_call_options_t) -> Result<CallOptions> {
    let Some(o) = opts.as_ref() else {
        return Ok(CallOptions::default());
    };
    let needed = std::mem::size_of::<kili_call_options_t>();
    if (o.struct_size as usize) < needed {
        return Err(Error::invalid_arg(
            "call_opts.struct_size",
            format!(
                "is {} but must be at least {needed}: initialise the struct with \
                 kili_call_options_init()",
                o.struct_size
            ),
        ));
    }
    Ok(CallOptions {
        timeout: (o.timeout_ms > 0).then(|| Duration::from_millis(o.timeout_ms.into())),
        cancel: o.cancel.as_ref().map(|c| c.token.clone()),
    })
}
