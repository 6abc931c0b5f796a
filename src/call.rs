//! Per-call options: a timeout and a cancel token that any thread may trigger.

use crate::error::{Error, Result};
use std::future::Future;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// A cancel token. Cloning shares the token; [`CancelToken::cancel`] may be called from any
/// thread, any number of times. A cancelled call returns [`Error::Cancelled`] promptly.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(CancellationToken);

impl CancelToken {
    /// A new, untriggered token.
    pub fn new() -> Self {
        CancelToken(CancellationToken::new())
    }
    /// Trigger the token. Idempotent.
    pub fn cancel(&self) {
        self.0.cancel()
    }
    /// Whether the token was triggered.
    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }
    /// A child token: cancelled when this one is, and cancellable on its own.
    pub fn child(&self) -> CancelToken {
        CancelToken(self.0.child_token())
    }
    /// Resolves when the token is triggered.
    pub async fn cancelled(&self) {
        self.0.cancelled().await
    }
}

/// Options of one blocking or async call.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// Overall time limit of the call (all retries included). `None` = no limit beyond the
    /// client's retry deadline and request timeouts.
    pub timeout: Option<Duration>,
    /// Cancel token; `None` = not cancellable.
    pub cancel: Option<CancelToken>,
}

impl CallOptions {
    /// Options with a timeout.
    pub fn with_timeout(timeout: Duration) -> Self {
        CallOptions {
            timeout: Some(timeout),
            cancel: None,
        }
    }

    /// The absolute deadline of a call starting now.
    pub fn deadline(&self) -> Option<Instant> {
        self.timeout.map(|t| Instant::now() + t)
    }

    /// Runs `fut`, failing with [`Error::Timeout`] at `deadline` or [`Error::Cancelled`] when
    /// the token triggers, whichever comes first.
    pub async fn guard<T>(
        cancel: Option<&CancelToken>,
        deadline: Option<Instant>,
        fut: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        let never = CancelToken::new();
        let token = cancel.unwrap_or(&never);
        let sleep = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(tokio::time::Instant::from_std(d)).await,
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            biased;
            _ = token.cancelled() => Err(Error::Cancelled),
            _ = sleep => Err(Error::Timeout { message: "the call's timeout expired".into(), details: serde_json::Value::Null }),
            r = fut => r,
        }
    }
}
