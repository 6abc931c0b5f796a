//! Status categories shared by the Rust error type and the C ABI.
//!
//! The numeric values are part of the C ABI (`kili_status_t`): they are never renumbered and
//! never reused. New categories are appended.

/// Outcome category of a call. `Ok` and `Done` are not errors.
#[repr(i32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Success.
    Ok = 0,
    /// A cursor is exhausted (like `SQLITE_DONE`); not an error.
    Done = 1,
    /// An argument is missing, of the wrong type, out of range, or not valid UTF-8/JSON.
    InvalidArgument = 2,
    /// The object is in a state that does not allow the call (closed, poisoned, wrong thread).
    InvalidState = 3,
    /// The API key is missing, unknown or refused.
    Auth = 4,
    /// A project, asset or external id does not exist or is not visible to the key.
    NotFound = 5,
    /// The server kept answering 429 until the retry deadline.
    RateLimited = 6,
    /// The server could not be reached, or the connection broke.
    Network = 7,
    /// The call's timeout expired.
    Timeout = 8,
    /// The call was cancelled through a cancel token.
    Cancelled = 9,
    /// The server answered with GraphQL `errors`.
    Graphql = 10,
    /// The server answered with an HTTP error that is not a GraphQL answer.
    Server = 11,
    /// A bulk call succeeded for some items and not for others; details list each item.
    PartialFailure = 12,
    /// A bug in the library (including a caught panic).
    Internal = 13,
}

impl Status {
    /// Every status, in numeric order.
    pub const ALL: [Status; 14] = [
        Status::Ok,
        Status::Done,
        Status::InvalidArgument,
        Status::InvalidState,
        Status::Auth,
        Status::NotFound,
        Status::RateLimited,
        Status::Network,
        Status::Timeout,
        Status::Cancelled,
        Status::Graphql,
        Status::Server,
        Status::PartialFailure,
        Status::Internal,
    ];

    /// Stable upper-case name, as in the C header (`KILI_` + name).
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::Done => "DONE",
            Status::InvalidArgument => "INVALID_ARGUMENT",
            Status::InvalidState => "INVALID_STATE",
            Status::Auth => "AUTH",
            Status::NotFound => "NOT_FOUND",
            Status::RateLimited => "RATE_LIMITED",
            Status::Network => "NETWORK",
            Status::Timeout => "TIMEOUT",
            Status::Cancelled => "CANCELLED",
            Status::Graphql => "GRAPHQL",
            Status::Server => "SERVER",
            Status::PartialFailure => "PARTIAL_FAILURE",
            Status::Internal => "INTERNAL",
        }
    }

    /// The status with this numeric value, if any.
    pub fn from_code(code: i32) -> Option<Status> {
        Status::ALL.iter().copied().find(|s| *s as i32 == code)
    }
}
