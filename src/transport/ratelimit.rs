//! Client-side rate limit of GraphQL attempts (retries included), like the official SDK's
//! 500 calls per rolling minute. Backed by `governor` (GCRA): a burst of `n` then one slot
//! every `window / n`. Thread-safe; shared by every call of a client.

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter as Gov};
use std::num::NonZeroU32;
use std::time::Duration;

/// A limiter of `n` attempts per window, or a no-op when `n` is 0.
pub struct RateLimiter(Option<DefaultDirectRateLimiter>);

impl RateLimiter {
    /// `per_window` attempts per `window` (0 disables the limit).
    pub fn new(per_window: u32, window: Duration) -> Self {
        let Some(n) = NonZeroU32::new(per_window) else {
            return RateLimiter(None);
        };
        let period = (window / n.get()).max(Duration::from_nanos(1));
        let quota = Quota::with_period(period)
            .expect("non-zero period")
            .allow_burst(n);
        RateLimiter(Some(Gov::direct(quota)))
    }

    /// Waits until one more attempt is allowed. Cancel-safe (dropping the future gives the
    /// slot back to nobody, which is harmless).
    pub async fn acquire(&self) {
        if let Some(l) = &self.0 {
            l.until_ready().await;
        }
    }

    /// Whether a limit is active.
    pub fn is_enabled(&self) -> bool {
        self.0.is_some()
    }
}

impl std::fmt::Debug for RateLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "RateLimiter({})",
            if self.0.is_some() { "on" } else { "off" }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[tokio::test]
    async fn limits_beyond_the_burst() {
        let l = RateLimiter::new(5, Duration::from_millis(500));
        let t = Instant::now();
        for _ in 0..5 {
            l.acquire().await;
        }
        assert!(
            t.elapsed() < Duration::from_millis(80),
            "burst must be immediate"
        );
        for _ in 0..3 {
            l.acquire().await;
        }
        // three more slots at one per 100 ms
        assert!(
            t.elapsed() >= Duration::from_millis(250),
            "{:?}",
            t.elapsed()
        );
    }

    #[tokio::test]
    async fn zero_disables() {
        let l = RateLimiter::new(0, Duration::from_millis(1));
        assert!(!l.is_enabled());
        let t = Instant::now();
        for _ in 0..10_000 {
            l.acquire().await;
        }
        assert!(t.elapsed() < Duration::from_millis(200));
    }
}
