//! `kili_event_callback_t`: the push channel for progress, warnings and logs.
//!
//! The client owns an `EventSlot`; the core's [`EventSink`] forwards into it. The slot
//! counts the C handles (client and cursors) that use it and uninstalls the callback when the
//! last one is freed, so no new call starts after that, and `drop(user_data)` runs exactly
//! once after the last call has returned.

use crate::events::{Event, EventSink};
use std::ffi::{c_char, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

/// An event callback: `call(user_data, event_json, len)` for each event, `drop(user_data)`
/// once when the library no longer needs `user_data`.
///
/// `event_json` is a JSON object, NUL-terminated (`len` excludes the NUL), borrowed for the
/// duration of `call` only: `{"type":"progress","operation":..,"done":..,"total":..}`,
/// `{"type":"warning","kind":"deprecation"|"empty_list"|"ignored"|"other","method":..,
/// "message":..}` or `{"type":"log","level":"debug"|"info"|"warn"|"error","message":..}`.
///
/// Threading rules: `call` may run on any thread, including the library's internal threads,
/// and concurrently for different events; it must be thread-safe, return quickly, and must
/// not call blocking `kili_*` functions (they return `KILI_INVALID_STATE` there). `drop` (may
/// be NULL) runs exactly once, on any thread, after the last `call` has returned: when the
/// callback is replaced, or when the client and all its cursors have been freed.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct kili_event_callback_t {
    /// Opaque pointer handed back to `call` and `drop`.
    pub user_data: *mut c_void,
    /// Receives one event. Must not be NULL.
    pub call:
        Option<unsafe extern "C" fn(user_data: *mut c_void, event_json: *const c_char, len: usize)>,
    /// Releases `user_data`; may be NULL.
    pub drop: Option<unsafe extern "C" fn(user_data: *mut c_void)>,
}

/// An installed callback; calls `drop(user_data)` when the last reference goes.
struct Installed(kili_event_callback_t);

// SAFETY: the documented contract of `kili_event_callback_t` requires `call` and `drop` to be
// callable from any thread with this `user_data`.
unsafe impl Send for Installed {}
unsafe impl Sync for Installed {}

impl Drop for Installed {
    fn drop(&mut self) {
        if let Some(d) = self.0.drop {
            // SAFETY: the caller gave us `user_data` together with this destructor.
            unsafe { d(self.0.user_data) };
        }
    }
}

/// Where a client's events go: an optional installed callback, shared by the client handle
/// and its cursors. Thread-safe.
#[derive(Default)]
pub(crate) struct EventSlot {
    callback: RwLock<Option<Arc<Installed>>>,
    handles: AtomicUsize,
}

impl EventSlot {
    /// A slot used by one handle (the client).
    pub(crate) fn new() -> Arc<EventSlot> {
        Arc::new(EventSlot {
            callback: RwLock::new(None),
            handles: AtomicUsize::new(1),
        })
    }

    /// A core sink that forwards into this slot.
    pub(crate) fn sink(self: &Arc<Self>) -> EventSink {
        let slot = Arc::clone(self);
        EventSink::new(move |e: &Event| slot.dispatch(e))
    }

    /// Installs `cb` (or uninstalls with `None`), dropping the previous callback once its
    /// in-flight calls have returned.
    pub(crate) fn install(&self, cb: Option<kili_event_callback_t>) {
        let new = cb.map(|c| Arc::new(Installed(c)));
        let old = std::mem::replace(
            &mut *self.callback.write().unwrap_or_else(|p| p.into_inner()),
            new,
        );
        drop(old); // outside the lock: `drop` may take time
    }

    /// One more handle (a cursor) uses the slot.
    pub(crate) fn retain(&self) {
        self.handles.fetch_add(1, Ordering::AcqRel);
    }

    /// A handle was freed; the last one uninstalls the callback.
    pub(crate) fn release(&self) {
        if self.handles.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.install(None);
        }
    }

    fn dispatch(&self, e: &Event) {
        // Clone the Arc and release the lock before calling out, so a slow callback never
        // blocks `install` and a replaced callback is dropped after its last call.
        let cb = self
            .callback
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let Some(cb) = cb else { return };
        let Some(call) = cb.0.call else { return };
        let mut json = e.to_json().into_bytes();
        let len = json.len();
        json.push(0);
        // SAFETY: `call` was supplied with `user_data`; `json` outlives the call.
        unsafe { call(cb.0.user_data, json.as_ptr().cast(), len) };
    }
}
