//! The one error type of the core. Each variant maps to exactly one [`Status`].
//!
//! Messages never contain the API key: transport errors are built from redacted text
//! (see `config::redact`).

use crate::status::Status;
use serde_json::{json, Value};

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every failure the SDK reports. Variants map one-to-one to [`Status`] categories.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input, detected before any network call. `path` names the argument
    /// (`status_in[1]`, `project_id`).
    #[error("invalid argument{}: {message}", path.as_deref().map(|p| format!(" `{p}`")).unwrap_or_default())]
    InvalidArgument {
        path: Option<String>,
        message: String,
    },
    /// Wrong state of an object (closed client, exhausted resource, wrong thread).
    #[error("invalid state: {0}")]
    InvalidState(String),
    /// Authentication refused or key missing.
    #[error("authentication failed: {message}")]
    Auth { message: String, details: Value },
    /// Something named by the caller does not exist.
    #[error("not found: {message}")]
    NotFound { message: String, details: Value },
    /// HTTP 429 until the retry deadline.
    #[error("rate limited: {message}")]
    RateLimited { message: String, details: Value },
    /// Connection refused, reset, DNS, TLS failures.
    #[error("network error: {message}")]
    Network { message: String, details: Value },
    /// A per-call or transport timeout expired.
    #[error("timeout: {message}")]
    Timeout { message: String, details: Value },
    /// Cancelled by a cancel token.
    #[error("cancelled")]
    Cancelled,
    /// GraphQL `errors` in the answer. `details` keeps `errors[]` and the HTTP status.
    #[error("GraphQL error: {message}")]
    Graphql { message: String, details: Value },
    /// HTTP error status without a GraphQL body, or a malformed answer.
    #[error("server error: {message}")]
    Server { message: String, details: Value },
    /// A bulk call where some items failed; `details` carries the per-item outcomes.
    #[error("partial failure: {message}")]
    PartialFailure { message: String, details: Value },
    /// A bug, including a caught panic.
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// Shorthand for an [`Error::InvalidArgument`] naming `path`.
    pub fn invalid_arg(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidArgument {
            path: Some(path.into()),
            message: message.into(),
        }
    }

    /// Shorthand for an [`Error::NotFound`] without details.
    pub fn not_found(message: impl Into<String>) -> Self {
        Error::NotFound {
            message: message.into(),
            details: Value::Null,
        }
    }

    /// The status category of this error.
    pub fn status(&self) -> Status {
        match self {
            Error::InvalidArgument { .. } => Status::InvalidArgument,
            Error::InvalidState(_) => Status::InvalidState,
            Error::Auth { .. } => Status::Auth,
            Error::NotFound { .. } => Status::NotFound,
            Error::RateLimited { .. } => Status::RateLimited,
            Error::Network { .. } => Status::Network,
            Error::Timeout { .. } => Status::Timeout,
            Error::Cancelled => Status::Cancelled,
            Error::Graphql { .. } => Status::Graphql,
            Error::Server { .. } => Status::Server,
            Error::PartialFailure { .. } => Status::PartialFailure,
            Error::Internal(_) => Status::Internal,
        }
    }

    /// The same error with context added: the message is rewritten by `message`, and `add`
    /// inserts keys into the details object (created when the details were not an object).
    /// Variants without message and details are returned unchanged. Used by the layers that
    /// know more than the transport (which asset, which label, how many attempts).
    pub fn with_context(
        self,
        message: impl FnOnce(String) -> String,
        add: impl FnOnce(&mut serde_json::Map<String, Value>),
    ) -> Self {
        let details = |d: Value| {
            let mut d = match d {
                Value::Object(o) => o,
                _ => serde_json::Map::new(),
            };
            add(&mut d);
            Value::Object(d)
        };
        match self {
            Error::Auth {
                message: m,
                details: d,
            } => Error::Auth {
                message: message(m),
                details: details(d),
            },
            Error::NotFound {
                message: m,
                details: d,
            } => Error::NotFound {
                message: message(m),
                details: details(d),
            },
            Error::RateLimited {
                message: m,
                details: d,
            } => Error::RateLimited {
                message: message(m),
                details: details(d),
            },
            Error::Network {
                message: m,
                details: d,
            } => Error::Network {
                message: message(m),
                details: details(d),
            },
            Error::Timeout {
                message: m,
                details: d,
            } => Error::Timeout {
                message: message(m),
                details: details(d),
            },
            Error::Graphql {
                message: m,
                details: d,
            } => Error::Graphql {
                message: message(m),
                details: details(d),
            },
            Error::Server {
                message: m,
                details: d,
            } => Error::Server {
                message: message(m),
                details: details(d),
            },
            Error::PartialFailure {
                message: m,
                details: d,
            } => Error::PartialFailure {
                message: message(m),
                details: details(d),
            },
            other => other,
        }
    }

    /// Machine-readable details: always an object with at least `status`; plus `path` for
    /// invalid arguments, and whatever the variant carries (HTTP status, GraphQL `errors`,
    /// per-item outcomes).
    pub fn details(&self) -> Value {
        let mut out = json!({ "status": self.status().name() });
        let extra = match self {
            Error::InvalidArgument { path, .. } => json!({ "path": path }),
            Error::Auth { details, .. }
            | Error::NotFound { details, .. }
            | Error::RateLimited { details, .. }
            | Error::Network { details, .. }
            | Error::Timeout { details, .. }
            | Error::Graphql { details, .. }
            | Error::Server { details, .. }
            | Error::PartialFailure { details, .. } => details.clone(),
            _ => Value::Null,
        };
        if let (Some(o), Value::Object(e)) = (out.as_object_mut(), extra) {
            for (k, v) in e {
                o.insert(k, v);
            }
        }
        out
    }
}
