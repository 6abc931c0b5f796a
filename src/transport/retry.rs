//! Classification of one HTTP attempt and the retry policy, after the official SDK's
//! (kili-wire-query.md §3.1): what was provably not processed is retried until the deadline;
//! uncertain outcomes of queries a bounded number of times; mutations never on uncertainty.
//!
//! One deliberate difference: the SDK raises a query's HTTP 500 at once and tries a 504/524
//! twice; here they are uncertain outcomes like the other 5xx (up to `max_attempts_uncertain`
//! attempts), because every query is read-only and resending it cannot change data, while a
//! transient 500 in the middle of a million-asset listing would otherwise end it. (A read
//! timeout still gets 2 attempts: each one already waited a whole request timeout.)

use rand::Rng;
use std::time::Duration;

/// How an attempt ended, for the retry decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The server provably did not process the request (connection refused, 401/429/521,
    /// Envoy "not forwarded" 503): safe to resend anything.
    NotProcessed,
    /// The request may or may not have been processed. `max_attempts` bounds the attempts
    /// of a query (1 = never retried).
    Unknown { max_attempts: u32 },
    /// A definitive failure: never retried.
    Failed,
    /// A GraphQL error the official SDK treats as transient (retried for queries, up to
    /// `max_attempts`).
    TransientGraphql { max_attempts: u32 },
}

/// Status codes answered before the request was processed.
pub const NOT_PROCESSED_STATUSES: &[u16] = &[401, 429, 521];
/// Message fragments of GraphQL errors that are transient.
pub const TRANSIENT_GRAPHQL_ERRORS: &[&str] = &[
    "Invalid request made to Flagsmith API",
    "Failed to fetch data connection",
];
/// Upper bound of a `Retry-After` wait.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Classifies a non-GraphQL HTTP answer (the body has neither `data` nor `errors`).
pub fn classify_http(status: u16, body: &str, max_uncertain: u32) -> Outcome {
    if NOT_PROCESSED_STATUSES.contains(&status) {
        return Outcome::NotProcessed;
    }
    if status == 503 && is_envoy_not_forwarded(body) {
        return Outcome::NotProcessed;
    }
    if status >= 500 || status < 400 {
        // 500 and the other 5xx, and 2xx/3xx bodies that are not GraphQL answers (protocol errors)
        return Outcome::Unknown {
            max_attempts: max_uncertain,
        };
    }
    Outcome::Failed
}

/// Envoy answers these 503 bodies when it did not forward the request upstream.
pub fn is_envoy_not_forwarded(body: &str) -> bool {
    let b = body.to_ascii_lowercase();
    let matched = b.contains("no healthy upstream")
        || b.contains("reset reason: overflow")
        || b.contains("reset reason: connection failure")
        || b.contains("reset reason: remote connection failure");
    matched && !b.contains("retried")
}

/// Whether the first GraphQL error message is a transient one.
pub fn is_transient_graphql(message: &str) -> bool {
    TRANSIENT_GRAPHQL_ERRORS.iter().any(|p| message.contains(p))
}

/// Whether another attempt is allowed after `attempts` attempts ended with `outcome`.
/// `mutation`: only [`Outcome::NotProcessed`] is ever retried.
pub fn should_retry(outcome: Outcome, attempts: u32, mutation: bool) -> bool {
    match outcome {
        Outcome::NotProcessed => true,
        Outcome::Failed => false,
        Outcome::Unknown { max_attempts } | Outcome::TransientGraphql { max_attempts } => {
            !mutation && attempts < max_attempts
        }
    }
}

/// A client's retry budget (from [`crate::ClientOptions`]), shared by the transport and by the
/// mutation executors that recover unknown outcomes at a higher level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// No new attempt starts later than this after the first (`retry_deadline_ms`).
    pub deadline: Duration,
    /// Attempts, in all, of an operation whose outcome is uncertain (`max_attempts_uncertain`).
    pub max_uncertain: u32,
    /// Base of the exponential backoff (`backoff_base_ms`).
    pub backoff_base: Duration,
    /// Cap of one backoff wait (`max_backoff_ms`).
    pub max_backoff: Duration,
}

/// Full-jitter exponential backoff after attempt `attempt` (1-based): uniform in
/// [0, min(max, base * 2^(attempt-1))].
pub fn backoff(attempt: u32, base: Duration, max: Duration) -> Duration {
    let exp = base.saturating_mul(1u32 << (attempt.saturating_sub(1)).min(20));
    let cap = exp.min(max);
    if cap.is_zero() {
        return cap;
    }
    let ms = rand::thread_rng().gen_range(0..=cap.as_millis() as u64);
    Duration::from_millis(ms)
}

/// Parses a numeric `Retry-After` header (seconds), clamped to [0, 60 s]. HTTP dates are
/// ignored like the official SDK does.
pub fn parse_retry_after(value: Option<&str>) -> Option<Duration> {
    let secs: f64 = value?.trim().parse().ok()?;
    if !secs.is_finite() {
        return None;
    }
    Some(Duration::from_secs_f64(secs.max(0.0)).min(MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_of_classes() {
        assert_eq!(classify_http(401, "", 5), Outcome::NotProcessed);
        assert_eq!(classify_http(429, "", 5), Outcome::NotProcessed);
        assert_eq!(classify_http(521, "", 5), Outcome::NotProcessed);
        assert_eq!(
            classify_http(503, "no healthy upstream", 5),
            Outcome::NotProcessed
        );
        assert_eq!(
            classify_http(
                503,
                "upstream connect error reset reason: overflow, retried",
                5
            ),
            Outcome::Unknown { max_attempts: 5 }
        );
        assert_eq!(
            classify_http(503, "busy", 5),
            Outcome::Unknown { max_attempts: 5 }
        );
        assert_eq!(
            classify_http(500, "", 5),
            Outcome::Unknown { max_attempts: 5 }
        );
        assert_eq!(
            classify_http(504, "", 5),
            Outcome::Unknown { max_attempts: 5 }
        );
        assert_eq!(
            classify_http(524, "", 5),
            Outcome::Unknown { max_attempts: 5 }
        );
        assert_eq!(
            classify_http(502, "", 5),
            Outcome::Unknown { max_attempts: 5 }
        );
        assert_eq!(
            classify_http(200, "<html>", 5),
            Outcome::Unknown { max_attempts: 5 }
        );
        assert_eq!(classify_http(400, "", 5), Outcome::Failed);
        assert_eq!(classify_http(404, "", 5), Outcome::Failed);
        assert_eq!(classify_http(413, "", 5), Outcome::Failed);
    }

    #[test]
    fn mutations_retry_only_not_processed() {
        assert!(should_retry(Outcome::NotProcessed, 50, true));
        assert!(!should_retry(Outcome::Unknown { max_attempts: 5 }, 1, true));
        assert!(should_retry(Outcome::Unknown { max_attempts: 5 }, 4, false));
        assert!(!should_retry(
            Outcome::Unknown { max_attempts: 5 },
            5,
            false
        ));
        assert!(!should_retry(Outcome::Failed, 1, false));
    }

    #[test]
    fn backoff_is_bounded() {
        for n in 1..10 {
            let d = backoff(n, Duration::from_millis(100), Duration::from_millis(300));
            assert!(d <= Duration::from_millis(300));
            assert!(d <= Duration::from_millis(100 * (1 << (n - 1))));
        }
    }

    #[test]
    fn retry_after_is_clamped() {
        assert_eq!(parse_retry_after(Some("2")), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(Some("999")), Some(MAX_RETRY_AFTER));
        assert_eq!(parse_retry_after(Some("-3")), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            None
        );
        assert_eq!(parse_retry_after(None), None);
    }
}
