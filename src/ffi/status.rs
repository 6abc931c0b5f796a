//! `kili_status_t`: the numeric values of [`crate::Status`] as fixed-width `int32_t` constants.
//!
//! The constants are written out literally because cbindgen cannot evaluate
//! `Status::Ok as i32`; the `const` assertions below make any divergence a compile error.

use crate::status::Status;
use std::ffi::c_char;

/// Outcome of a call: one of the `KILI_*` status constants. A fixed-width `int32_t` (not a C
/// enum) so that the ABI never depends on the compiler's enum size. Values are never
/// renumbered; new ones are appended.
pub type kili_status_t = i32;

/// Success.
pub const KILI_OK: kili_status_t = 0;
/// A cursor is exhausted (like `SQLITE_DONE`); not an error.
pub const KILI_DONE: kili_status_t = 1;
/// An argument is NULL, of the wrong type, out of range, or not valid UTF-8/JSON.
pub const KILI_INVALID_ARGUMENT: kili_status_t = 2;
/// The object is in a state that does not allow the call (e.g. called from inside an event
/// callback).
pub const KILI_INVALID_STATE: kili_status_t = 3;
/// The API key is missing, unknown or refused.
pub const KILI_AUTH: kili_status_t = 4;
/// A project, asset or external id does not exist or is not visible to the key.
pub const KILI_NOT_FOUND: kili_status_t = 5;
/// The server kept answering 429 until the retry deadline.
pub const KILI_RATE_LIMITED: kili_status_t = 6;
/// The server could not be reached, or the connection broke.
pub const KILI_NETWORK: kili_status_t = 7;
/// The call's timeout expired.
pub const KILI_TIMEOUT: kili_status_t = 8;
/// The call was cancelled through a cancel token.
pub const KILI_CANCELLED: kili_status_t = 9;
/// The server answered with GraphQL `errors`.
pub const KILI_GRAPHQL: kili_status_t = 10;
/// The server answered with an HTTP error that is not a GraphQL answer.
pub const KILI_SERVER: kili_status_t = 11;
/// A bulk call succeeded for some items and not for others; the error details list each item.
pub const KILI_PARTIAL_FAILURE: kili_status_t = 12;
/// A bug in the library (including a caught panic).
pub const KILI_INTERNAL: kili_status_t = 13;

// Keep the C constants and the core enum in lock-step at compile time.
const _: () = {
    assert!(KILI_OK == Status::Ok as i32);
    assert!(KILI_DONE == Status::Done as i32);
    assert!(KILI_INVALID_ARGUMENT == Status::InvalidArgument as i32);
    assert!(KILI_INVALID_STATE == Status::InvalidState as i32);
    assert!(KILI_AUTH == Status::Auth as i32);
    assert!(KILI_NOT_FOUND == Status::NotFound as i32);
    assert!(KILI_RATE_LIMITED == Status::RateLimited as i32);
    assert!(KILI_NETWORK == Status::Network as i32);
    assert!(KILI_TIMEOUT == Status::Timeout as i32);
    assert!(KILI_CANCELLED == Status::Cancelled as i32);
    assert!(KILI_GRAPHQL == Status::Graphql as i32);
    assert!(KILI_SERVER == Status::Server as i32);
    assert!(KILI_PARTIAL_FAILURE == Status::PartialFailure as i32);
    assert!(KILI_INTERNAL == Status::Internal as i32);
    assert!(Status::ALL.len() == 14);
};

/// The name of a status as a static NUL-terminated string: `"KILI_OK"`, `"KILI_DONE"`,
/// `"KILI_INVALID_ARGUMENT"`, ...; `"KILI_UNKNOWN_STATUS"` for a value this library does not
/// know.
///
/// Ownership: the string is static; never free it. Thread-safety: any thread. Non-blocking.
/// Never fails.
#[no_mangle]
pub extern "C" fn kili_status_str(status: kili_status_t) -> *const c_char {
    let s: &'static [u8] = match Status::from_code(status) {
        Some(Status::Ok) => b"KILI_OK\0",
        Some(Status::Done) => b"KILI_DONE\0",
        Some(Status::InvalidArgument) => b"KILI_INVALID_ARGUMENT\0",
        Some(Status::InvalidState) => b"KILI_INVALID_STATE\0",
        Some(Status::Auth) => b"KILI_AUTH\0",
        Some(Status::NotFound) => b"KILI_NOT_FOUND\0",
        Some(Status::RateLimited) => b"KILI_RATE_LIMITED\0",
        Some(Status::Network) => b"KILI_NETWORK\0",
        Some(Status::Timeout) => b"KILI_TIMEOUT\0",
        Some(Status::Cancelled) => b"KILI_CANCELLED\0",
        Some(Status::Graphql) => b"KILI_GRAPHQL\0",
        Some(Status::Server) => b"KILI_SERVER\0",
        Some(Status::PartialFailure) => b"KILI_PARTIAL_FAILURE\0",
        Some(Status::Internal) => b"KILI_INTERNAL\0",
        None => b"KILI_UNKNOWN_STATUS\0",
    };
    s.as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn status_str_names_every_status() {
        for s in Status::ALL {
            let name = unsafe { CStr::from_ptr(kili_status_str(s as i32)) }
                .to_str()
                .unwrap();
            assert_eq!(name, format!("KILI_{}", s.name()));
        }
        let unknown = unsafe { CStr::from_ptr(kili_status_str(999)) };
        assert_eq!(unknown.to_str().unwrap(), "KILI_UNKNOWN_STATUS");
    }
}
