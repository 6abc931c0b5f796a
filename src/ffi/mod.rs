//! The C ABI of kili-native (`include/kili.h`, generated from this module by cbindgen).
//!
//! Conventions (see `DESIGN.md`, "The C ABI"):
//! - every exported body runs inside `ffi_boundary!`: panics become `KILI_INTERNAL`, NULL
//!   pointers become `KILI_INVALID_ARGUMENT`, nothing unwinds into C;
//! - opaque handles (`kili_client_t`, `kili_cursor_t`, `kili_error_t`, `kili_cancel_t`), one
//!   `*_free` each, `*_free(NULL)` is a no-op;
//! - fallible calls return `kili_status_t` (the values of [`crate::Status`]) and, through an
//!   optional last `kili_error_t **err`, an error object; no thread-local last error;
//! - inputs are UTF-8 `const char *ptr, size_t len`; outputs are `kili_bytes_t` freed by
//!   `kili_bytes_free`; out-params are NULL/0 on failure.
//!
//! Only this module is parsed by cbindgen (see `build.rs`), so every exported item lives here.

#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]

#[macro_use]
pub mod boundary;
pub mod assets;
pub mod bytes;
pub mod call_options;
pub mod cancel;
pub mod client;
pub mod cursor;
pub mod error;
pub mod events;
pub mod export;
pub mod input;
pub mod status;
pub mod version;

pub use bytes::kili_bytes_t;
pub use call_options::kili_call_options_t;
pub use cancel::kili_cancel_t;
pub use client::kili_client_t;
pub use cursor::kili_cursor_t;
pub use error::kili_error_t;
pub use events::kili_event_callback_t;
pub use status::kili_status_t;
