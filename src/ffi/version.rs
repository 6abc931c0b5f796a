//! Library and ABI versions. The header carries the same numbers as macros
//! (`KILI_VERSION_MAJOR/MINOR/PATCH`, `KILI_VERSION`, `KILI_ABI_VERSION`) so wrappers can refuse
//! a mismatched library at load time.

use std::ffi::c_char;

/// Version of the C ABI. Bumped only on an incompatible change (a removed or changed function
/// or struct); adding functions or status values keeps it.
pub const KILI_ABI_VERSION: u32 = 1;

const VERSION_NUL: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library version as a static NUL-terminated string (`"MAJOR.MINOR.PATCH"`), equal to the
/// header's `KILI_VERSION` when header and library match.
///
/// Ownership: static; never free it. Thread-safety: any thread. Non-blocking. Never fails.
#[no_mangle]
pub extern "C" fn kili_version() -> *const c_char {
    VERSION_NUL.as_ptr().cast()
}

/// The ABI version of the loaded library; compare with the header's `KILI_ABI_VERSION`.
///
/// Thread-safety: any thread. Non-blocking. Never fails.
#[no_mangle]
pub extern "C" fn kili_abi_version() -> u32 {
    KILI_ABI_VERSION
}
