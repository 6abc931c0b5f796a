//! Client-side rate limit of GraphQL attempts (retries included), like the official SDK's
//! 500 calls per rolling minute. A rolling window, like the SDK's limiter and Kili's server:
//! an attempt starts only when fewer than `n` attempts started in the last `window`, so no
//! window of that length ever holds more than `n` (a token bucket with a burst of `n` lets
//! nearly `2n` through in the first window, which the server then answers with 429s).
//!
//! The server counts arrivals, not starts: link jitter can bring two arrivals closer than
//! their starts. A margin of 1 % of the window (at most 1 s) absorbs that spread, so the
//! client waits `window + margin` after a start before reusing its slot.
//! Thread-safe; shared by every call of a client.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Upper bound of the margin added to the window (see the module documentation).
const MAX_MARGIN: Duration = Duration::from_secs(1);

/// A limiter of `n` attempts per rolling window, or a no-op when `n` is 0.
pub struct RateLimiter(Option<Window>);

/// The start times of the attempts granted in the last window, oldest first.
struct Window {
    n: usize,
    window: Duration,
    grants: Mutex<VecDeque<Instant>>,
}

impl Window {
    /// Grants one attempt at `now`, or returns how long to wait before asking again. Pure
    /// arithmetic on `now` (the tests pass synthetic instants).
    fn try_grant(&self, now: Instant) -> Result<(), Duration> {
        let mut g = self.grants.lock().unwrap_or_else(|p| p.into_inner());
        // Grants at or before `now - window` have left the window (now, now - window].
        while g.front().is_some_and(|t| *t + self.window <= now) {
            g.pop_front();
        }
        if g.len() < self.n {
            g.push_back(now);
            return Ok(());
        }
        Err((g[0] + self.window).saturating_duration_since(now))
    }
}

impl RateLimiter {
    /// `per_window` attempts per rolling `window` (0 disables the limit).
    pub fn new(per_window: u32, window: Duration) -> Self {
        if per_window == 0 {
            return RateLimiter(None);
        }
        RateLimiter(Some(Window {
            n: per_window as usize,
            window: window.max(Duration::from_nanos(1)) + (window / 100).min(MAX_MARGIN),
            grants: Mutex::new(VecDeque::new()),
        }))
    }

    /// Waits until one more attempt is allowed. Cancel-safe: a slot is taken only when the
    /// future completes.
    pub async fn acquire(&self) {
        let Some(w) = &self.0 else { return };
        loop {
            match w.try_grant(Instant::now()) {
                Ok(()) => return,
                Err(wait) => tokio::time::sleep(wait).await,
            }
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

    fn window(l: &RateLimiter) -> &Window {
        l.0.as_ref().unwrap()
    }

    /// Greedy clients ask at every instant of a synthetic clock: the grants may never exceed
    /// `n` in any window, and the limiter must not be stricter than that either.
    #[test]
    fn never_more_than_n_in_any_window() {
        let n = 5;
        let win = Duration::from_millis(1000);
        let l = RateLimiter::new(n, win);
        let t0 = Instant::now();
        let mut granted = Vec::new();
        // 10 ms steps over 5 windows, three attempts asked at each step.
        for step in 0..500u64 {
            let now = t0 + Duration::from_millis(10 * step);
            for _ in 0..3 {
                match window(&l).try_grant(now) {
                    Ok(()) => granted.push(now),
                    Err(wait) => {
                        assert!(!wait.is_zero(), "a refusal names a positive wait");
                        assert!(wait <= win + win / 100);
                    }
                }
            }
        }
        for (i, start) in granted.iter().enumerate() {
            let in_window = granted[i..].iter().filter(|t| **t < *start + win).count();
            assert!(in_window <= n as usize, "{in_window} grants in one window");
        }
        // A greedy caller gets exactly n per window: 5 windows, 25 grants.
        assert_eq!(granted.len(), 25);
        // The old GCRA (burst n, then one per window/n) granted 2n - 1 in the first window.
        let first = granted.iter().filter(|t| **t < t0 + win).count();
        assert_eq!(first, n as usize);
    }

    #[test]
    fn the_wait_names_when_the_oldest_grant_leaves() {
        let l = RateLimiter::new(2, Duration::from_millis(100));
        let t0 = Instant::now();
        window(&l).try_grant(t0).unwrap();
        window(&l)
            .try_grant(t0 + Duration::from_millis(30))
            .unwrap();
        let at = t0 + Duration::from_millis(40);
        assert_eq!(
            window(&l).try_grant(at),
            Err(Duration::from_millis(61)),
            "the first grant leaves at 100 ms + the 1 ms margin"
        );
        assert!(window(&l)
            .try_grant(t0 + Duration::from_millis(100))
            .is_err());
        assert_eq!(
            window(&l).try_grant(t0 + Duration::from_millis(101)),
            Ok(())
        );
        assert!(window(&l)
            .try_grant(t0 + Duration::from_millis(110))
            .is_err());
    }

    #[tokio::test]
    async fn zero_disables() {
        let l = RateLimiter::new(0, Duration::from_millis(1));
        assert!(!l.is_enabled());
        for _ in 0..10_000 {
            l.acquire().await;
        }
    }
}
