//! Adaptive concurrency of a client's GraphQL attempts under HTTP 429 (AIMD).
//!
//! Every GraphQL attempt of a client (listing pages in flight, mutation batches in flight,
//! every call and thread, and the private runtime of `prefetch_pages = 0` listings) holds a
//! [`Permit`] of the client's one [`Aimd`] while it is on the wire. Without a 429 there is no
//! cap: the callers' own widths (`prefetch_pages`, `mutation_concurrency`) bound them.
//!
//! * On a 429, the attempts allowed in flight are halved (from those in flight then, never
//!   below 1), once per "round": the other 429s answering attempts sent before that cut are
//!   the same overload and do not halve again. New attempts wait until the `Retry-After` has
//!   passed (the server said when it will accept again).
//! * Each window (`rate_limit_window_ms`) without a 429 adds one back; at the configured
//!   maximum (the larger of `prefetch_pages` and `mutation_concurrency`) the cap is lifted.
//!
//! Retries are unchanged: a 429 is still resent (it provably was not processed), through the
//! same gate. Thread-safe (`Send + Sync`); waiting is cancel-safe.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::Instant;

/// The state machine, on explicit instants (the tests drive it with a synthetic clock).
#[derive(Debug)]
pub(crate) struct State {
    /// Where recovery lifts the cap (>= 1).
    ceiling: usize,
    /// The recovery period: one more attempt in flight per window without a 429.
    window: Duration,
    /// Attempts allowed in flight; `None` = no cap.
    limit: Option<usize>,
    /// Attempts holding a permit.
    in_flight: usize,
    /// No attempt starts before this (the latest `Retry-After`).
    hold_until: Option<Instant>,
    /// Bumped by every cut: a 429 to an attempt started in an older epoch does not cut again.
    epoch: u64,
    /// The last 429 or the last recovery step.
    calm_since: Instant,
}

/// Why an attempt cannot start yet.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Wait {
    /// `Retry-After` still runs for this long.
    Hold(Duration),
    /// As many attempts as allowed are in flight: wait for one to end.
    Full,
}

impl State {
    pub(crate) fn new(ceiling: usize, window: Duration, now: Instant) -> Self {
        State {
            ceiling: ceiling.max(1),
            window: window.max(Duration::from_millis(1)),
            limit: None,
            in_flight: 0,
            hold_until: None,
            epoch: 0,
            calm_since: now,
        }
    }

    /// One more attempt in flight per whole window since the last 429 or recovery step.
    fn recover(&mut self, now: Instant) {
        let Some(l) = self.limit else { return };
        let calm = now.saturating_duration_since(self.calm_since);
        let windows = (calm.as_nanos() / self.window.as_nanos()).min(u32::MAX as u128) as u32;
        if windows == 0 {
            return;
        }
        self.calm_since += self.window.saturating_mul(windows);
        let l = l.saturating_add(windows as usize);
        self.limit = (l < self.ceiling).then_some(l);
    }

    /// Starts an attempt at `now` (returns the epoch it starts in), or says why not.
    pub(crate) fn try_acquire(&mut self, now: Instant) -> Result<u64, Wait> {
        if let Some(h) = self.hold_until {
            if now < h {
                return Err(Wait::Hold(h - now));
            }
            self.hold_until = None;
        }
        self.recover(now);
        if self.limit.is_some_and(|l| self.in_flight >= l) {
            return Err(Wait::Full);
        }
        self.in_flight += 1;
        Ok(self.epoch)
    }

    /// An attempt ended (answered, failed or cancelled).
    pub(crate) fn release(&mut self) {
        self.in_flight = self.in_flight.saturating_sub(1);
    }

    /// An attempt started in `epoch` (still counted in flight) was answered 429 at `now`.
    pub(crate) fn on_429(&mut self, now: Instant, epoch: u64, retry_after: Option<Duration>) {
        if let Some(ra) = retry_after {
            let until = now + ra;
            self.hold_until = Some(self.hold_until.map_or(until, |h| h.max(until)));
        }
        self.calm_since = now;
        if epoch != self.epoch {
            return; // sent before the last cut: the same overload, already answered
        }
        let base = self.limit.map_or(self.in_flight, |l| l.min(self.in_flight));
        self.limit = Some((base / 2).max(1));
        self.epoch += 1;
    }

    /// The current cap (`None` = no cap).
    pub(crate) fn limit(&self) -> Option<usize> {
        self.limit
    }
}

/// A client's adaptive concurrency gate. See the module documentation.
#[derive(Debug)]
pub struct Aimd {
    state: Mutex<State>,
    notify: Notify,
    enabled: AtomicBool,
}

impl Aimd {
    /// A gate lifting its cap at `ceiling` attempts in flight, recovering one per `window`.
    pub fn new(ceiling: usize, window: Duration) -> Self {
        Aimd {
            state: Mutex::new(State::new(ceiling, window, Instant::now())),
            notify: Notify::new(),
            enabled: AtomicBool::new(true),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Turns the reaction to 429s on or off (on by default). Off, a 429 neither cuts the
    /// attempts in flight nor holds new ones; each attempt still waits its own `Retry-After`.
    /// Meant for measurements that compare both. Thread-safe.
    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, Ordering::Relaxed);
    }

    /// Waits until an attempt may start. Cancel-safe: dropping the future takes nothing.
    pub async fn acquire(&self) -> Permit<'_> {
        loop {
            // Registered before the state is read, so that a release in between wakes us.
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let r = self.lock().try_acquire(Instant::now());
            match r {
                Ok(epoch) => return Permit { aimd: self, epoch },
                Err(Wait::Hold(d)) => tokio::time::sleep(d).await,
                Err(Wait::Full) => notified.await,
            }
        }
    }

    /// The current cap of attempts in flight (`None` = no cap), for logs and tests.
    pub fn limit(&self) -> Option<usize> {
        let mut s = self.lock();
        s.recover(Instant::now());
        s.limit()
    }
}

/// One attempt in flight; ends (and lets a waiting attempt start) when dropped.
pub struct Permit<'a> {
    aimd: &'a Aimd,
    epoch: u64,
}

impl Permit<'_> {
    /// Reports that this attempt was answered 429 (with the server's `Retry-After`).
    pub fn rate_limited(&self, retry_after: Option<Duration>) {
        if self.aimd.enabled.load(Ordering::Relaxed) {
            self.aimd
                .lock()
                .on_429(Instant::now(), self.epoch, retry_after);
        }
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.aimd.lock().release();
        self.aimd.notify.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Duration = Duration::from_secs(60);

    fn ms(t0: Instant, n: u64) -> Instant {
        t0 + Duration::from_millis(n)
    }

    #[test]
    fn no_cap_until_a_429() {
        let t0 = Instant::now();
        let mut s = State::new(8, W, t0);
        for _ in 0..100 {
            s.try_acquire(t0).unwrap();
        }
        assert_eq!(s.limit(), None);
    }

    #[test]
    fn halves_once_per_round_holds_and_recovers_one_per_window() {
        let t0 = Instant::now();
        let mut s = State::new(8, W, t0);
        let epochs: Vec<u64> = (0..8).map(|_| s.try_acquire(t0).unwrap()).collect();
        // The first 429: 8 in flight -> 4, and a hold of 2 s for everyone.
        s.on_429(ms(t0, 100), epochs[0], Some(Duration::from_secs(2)));
        assert_eq!(s.limit(), Some(4));
        // The other 7 attempts of the same round answer 429 too: no further cut.
        for e in &epochs[1..] {
            s.on_429(ms(t0, 110), *e, Some(Duration::from_secs(2)));
            s.release();
        }
        s.release();
        assert_eq!(s.limit(), Some(4));
        // Held until 110 ms + 2 s, whatever the free slots.
        assert_eq!(
            s.try_acquire(ms(t0, 1_110)),
            Err(Wait::Hold(Duration::from_secs(1)))
        );
        // Then 4 at most in flight.
        let round2: Vec<u64> = (0..4)
            .map(|_| s.try_acquire(ms(t0, 2_110)).unwrap())
            .collect();
        assert_eq!(s.try_acquire(ms(t0, 2_110)), Err(Wait::Full));
        // A 429 in the new round cuts again: 4 -> 2; then 1, never 0.
        s.on_429(ms(t0, 2_200), round2[0], None);
        assert_eq!(s.limit(), Some(2));
        for _ in 0..4 {
            s.release();
        }
        let e = s.try_acquire(ms(t0, 2_300)).unwrap();
        s.on_429(ms(t0, 2_300), e, None);
        assert_eq!(s.limit(), Some(1));
        let e = s.try_acquire(ms(t0, 2_400)).unwrap_err();
        assert_eq!(e, Wait::Full, "the attempt of the 429 is still in flight");
        s.release();
        let e = s.try_acquire(ms(t0, 2_400)).unwrap();
        s.on_429(ms(t0, 2_400), e, None);
        s.release();
        assert_eq!(s.limit(), Some(1), "never below 1");
        // One more per window without a 429 (from the last 429 at 2.4 s) ...
        s.try_acquire(ms(t0, 2_400 + 59_999)).unwrap();
        s.release();
        assert_eq!(s.limit(), Some(1));
        s.try_acquire(ms(t0, 2_400 + 60_000)).unwrap();
        s.release();
        assert_eq!(s.limit(), Some(2));
        s.try_acquire(ms(t0, 2_400 + 5 * 60_000)).unwrap();
        s.release();
        assert_eq!(s.limit(), Some(6));
        // ... and the cap is lifted at the configured maximum.
        s.try_acquire(ms(t0, 2_400 + 7 * 60_000)).unwrap();
        s.release();
        assert_eq!(s.limit(), None);
    }

    #[test]
    fn a_429_restarts_the_calm_window() {
        let t0 = Instant::now();
        let mut s = State::new(8, W, t0);
        let e = s.try_acquire(t0).unwrap();
        let _ = s.try_acquire(t0).unwrap();
        s.on_429(t0, e, None);
        assert_eq!(s.limit(), Some(1));
        // A stale 429 at 50 s does not cut but does restart the window.
        s.on_429(ms(t0, 50_000), e, None);
        s.release();
        s.release();
        s.try_acquire(ms(t0, 100_000)).unwrap();
        assert_eq!(s.limit(), Some(1));
        s.release();
        s.try_acquire(ms(t0, 110_000)).unwrap();
        assert_eq!(s.limit(), Some(2));
    }

    #[tokio::test]
    async fn waiters_start_when_a_permit_ends() {
        let g = std::sync::Arc::new(Aimd::new(4, W));
        let a = g.acquire().await;
        let b = g.acquire().await;
        b.rate_limited(None); // 2 in flight -> 1
        drop(b);
        assert_eq!(g.limit(), Some(1));
        let g2 = g.clone();
        let waiter = tokio::spawn(async move {
            let _p = g2.acquire().await;
        });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished(), "the cap of 1 is held by `a`");
        drop(a);
        waiter.await.unwrap();
    }

    #[tokio::test]
    async fn disabled_gate_ignores_429s() {
        let g = Aimd::new(4, W);
        g.set_enabled(false);
        let a = g.acquire().await;
        a.rate_limited(Some(Duration::from_secs(30)));
        drop(a);
        assert_eq!(g.limit(), None);
        let _b = g.acquire().await; // no hold
    }
}
