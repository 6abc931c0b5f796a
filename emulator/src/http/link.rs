//! Realistic-link mode (off by default): what a client on the Internet sees of Kili's cloud
//! instead of loopback. Per request to the Kili API routes (`/api/...`; never the `/emulator`
//! admin endpoints):
//!
//! * **latency**: a fixed round trip plus a uniform jitter in `[0, jitter]`, half before the
//!   request reaches the server and half on the way back (so a server-side rate limit sees
//!   arrivals where a real one would);
//! * **bandwidth** (optional): request bodies (by `Content-Length`) and response bodies (exact
//!   size) are sent through one shared up-link and one shared down-link of that rate, first
//!   come first served, so parallel requests share the capacity as on a real access link;
//! * **server-side rate limit** (optional, GraphQL requests only): at most `n` accepted
//!   requests in any rolling window (default 60 s, like the official SDK's own limiter of 500
//!   per minute); beyond it `429 Too Many Requests` with `Retry-After: <whole seconds until a
//!   slot frees>`, and the request is not processed. Rejected requests do not use up slots.
//!
//! Counters (requests, 429s, bytes) are read and reset through `GET`/`DELETE /emulator/link`.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::HttpBody;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use parking_lot::Mutex;
use rand::{Rng, SeedableRng};
use tokio::time::Instant;

/// The GraphQL path: the only one the rate limit counts (uploads go to storage on Kili).
const GRAPHQL_PATH: &str = "/api/label/v2/graphql";

/// Link settings. `Default` is "off" (loopback behaviour, nothing added).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct LinkConfig {
    /// Fixed round-trip latency added to every API request, in ms.
    pub latency_ms: u64,
    /// Extra latency, uniform in `[0, jitter_ms]`, drawn per request.
    pub jitter_ms: u64,
    /// Capacity of each direction of the shared link in kbit/s (1000 bit/s); 0 = unlimited.
    pub bandwidth_kbps: u64,
    /// Accepted GraphQL requests per rolling window; 0 = no server-side rate limit.
    pub rate_limit_per_minute: u32,
    /// The rate limit's window in ms (60 000 = a minute; smaller only to keep tests fast).
    pub rate_limit_window_ms: u64,
    /// Seed of the jitter draws; `None` = from entropy.
    pub seed: Option<u64>,
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig {
            latency_ms: 0,
            jitter_ms: 0,
            bandwidth_kbps: 0,
            rate_limit_per_minute: 0,
            rate_limit_window_ms: 60_000,
            seed: None,
        }
    }
}

impl LinkConfig {
    /// Whether any part of the link mode is on (when not, the router gets no link layer).
    pub fn is_active(&self) -> bool {
        self.latency_ms > 0
            || self.jitter_ms > 0
            || self.bandwidth_kbps > 0
            || self.rate_limit_per_minute > 0
    }
}

/// Counters since start or the last reset.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
pub struct LinkStats {
    /// Every API request that crossed the link (GraphQL, uploads, file reads, version).
    pub api_requests: u64,
    /// GraphQL requests that arrived (accepted + rate-limited).
    pub graphql_requests: u64,
    /// Of those, answered 429 by the rate limit.
    pub rate_limited: u64,
    /// Request / response body bytes of every API request (what crossed the link).
    pub bytes_up: u64,
    pub bytes_down: u64,
}

/// The link state shared by every connection. Thread-safe.
pub struct Link {
    cfg: LinkConfig,
    rng: Mutex<rand::rngs::StdRng>,
    /// Arrival times of the accepted GraphQL requests of the current window, oldest first.
    accepted: Mutex<VecDeque<Instant>>,
    /// When the up-link / down-link finishes sending what was queued on it so far.
    up_busy: Mutex<Instant>,
    down_busy: Mutex<Instant>,
    api_requests: AtomicU64,
    graphql_requests: AtomicU64,
    rate_limited: AtomicU64,
    bytes_up: AtomicU64,
    bytes_down: AtomicU64,
}

impl Link {
    pub fn new(cfg: LinkConfig) -> Arc<Link> {
        let rng = match cfg.seed {
            Some(s) => rand::rngs::StdRng::seed_from_u64(s),
            None => rand::rngs::StdRng::from_entropy(),
        };
        let now = Instant::now();
        Arc::new(Link {
            cfg,
            rng: Mutex::new(rng),
            accepted: Mutex::new(VecDeque::new()),
            up_busy: Mutex::new(now),
            down_busy: Mutex::new(now),
            api_requests: AtomicU64::new(0),
            graphql_requests: AtomicU64::new(0),
            rate_limited: AtomicU64::new(0),
            bytes_up: AtomicU64::new(0),
            bytes_down: AtomicU64::new(0),
        })
    }

    pub fn config(&self) -> &LinkConfig {
        &self.cfg
    }

    pub fn stats(&self) -> LinkStats {
        LinkStats {
            api_requests: self.api_requests.load(Ordering::Relaxed),
            graphql_requests: self.graphql_requests.load(Ordering::Relaxed),
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
            bytes_up: self.bytes_up.load(Ordering::Relaxed),
            bytes_down: self.bytes_down.load(Ordering::Relaxed),
        }
    }

    /// Zeroes the counters and empties the rate-limit window: the next request starts a fresh
    /// window, as after a client idle for a whole window (benchmarks call it between runs
    /// instead of waiting a minute).
    pub fn reset(&self) {
        self.accepted.lock().clear();
        for c in [
            &self.api_requests,
            &self.graphql_requests,
            &self.rate_limited,
            &self.bytes_up,
            &self.bytes_down,
        ] {
            c.store(0, Ordering::Relaxed);
        }
    }

    /// The round trip of one request (fixed + jitter), split in (before, after) the server.
    fn latency(&self) -> (Duration, Duration) {
        let jitter = if self.cfg.jitter_ms > 0 {
            self.rng.lock().gen_range(0..=self.cfg.jitter_ms * 1000)
        } else {
            0
        };
        let total = Duration::from_micros(self.cfg.latency_ms * 1000 + jitter);
        (total / 2, total - total / 2)
    }

    /// Queues `bytes` on a shared link direction at `now`; returns when they are all sent.
    fn transmit(&self, busy: &Mutex<Instant>, bytes: u64, now: Instant) -> Option<Instant> {
        if self.cfg.bandwidth_kbps == 0 || bytes == 0 {
            return None;
        }
        let secs = bytes as f64 * 8.0 / (self.cfg.bandwidth_kbps as f64 * 1000.0);
        let mut b = busy.lock();
        let start = (*b).max(now);
        *b = start + Duration::from_secs_f64(secs);
        Some(*b)
    }

    /// Admits one GraphQL request arriving at `now`, or returns the `Retry-After` seconds.
    fn admit(&self, now: Instant) -> Result<(), u64> {
        let n = self.cfg.rate_limit_per_minute as usize;
        if n == 0 {
            return Ok(());
        }
        let window = Duration::from_millis(self.cfg.rate_limit_window_ms.max(1));
        let mut q = self.accepted.lock();
        while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
            q.pop_front();
        }
        if q.len() < n {
            q.push_back(now);
            return Ok(());
        }
        // The oldest accepted request leaves the window first; whole seconds, rounded up, so a
        // client that waits exactly Retry-After finds a free slot.
        let free_in = window - now.duration_since(q[0]);
        Err(free_in.as_secs() + u64::from(free_in.subsec_nanos() > 0))
    }
}

fn too_many_requests(retry_after_secs: u64) -> Response {
    let mut r = (
        StatusCode::TOO_MANY_REQUESTS,
        "Too Many Requests (emulator rate limit)",
    )
        .into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
    r
}

/// The middleware (installed on the API routes only when [`LinkConfig::is_active`]).
pub async fn layer(State(link): State<Arc<Link>>, req: Request, next: Next) -> Response {
    let (before, after) = link.latency();
    link.api_requests.fetch_add(1, Ordering::Relaxed);
    let up = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    link.bytes_up.fetch_add(up, Ordering::Relaxed);
    let sent = link.transmit(&link.up_busy, up, Instant::now());
    // No timer at all when nothing is to be waited (a rate limit alone costs no wake-up).
    if sent.is_some() || !before.is_zero() {
        tokio::time::sleep_until(sent.unwrap_or_else(Instant::now) + before).await;
    }

    let is_graphql = req.uri().path() == GRAPHQL_PATH;
    let resp = if is_graphql {
        link.graphql_requests.fetch_add(1, Ordering::Relaxed);
        match link.admit(Instant::now()) {
            Ok(()) => next.run(req).await,
            Err(secs) => {
                link.rate_limited.fetch_add(1, Ordering::Relaxed);
                too_many_requests(secs)
            }
        }
    } else {
        next.run(req).await
    };

    // Streamed bodies of unknown size (the truncated-answer fault) are not delayed.
    let down = resp.body().size_hint().exact().unwrap_or(0);
    link.bytes_down.fetch_add(down, Ordering::Relaxed);
    let received = link.transmit(&link.down_busy, down, Instant::now());
    if received.is_some() || !after.is_zero() {
        tokio::time::sleep_until(received.unwrap_or_else(Instant::now) + after).await;
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    // Synthetic instants: the window arithmetic is checked without waiting.
    #[test]
    fn rolling_window_admits_n_then_names_the_wait() {
        let l = Link::new(LinkConfig {
            rate_limit_per_minute: 2,
            rate_limit_window_ms: 1500,
            ..Default::default()
        });
        let t0 = Instant::now();
        let at = |ms| t0 + Duration::from_millis(ms);
        assert_eq!(l.admit(at(0)), Ok(()));
        assert_eq!(l.admit(at(500)), Ok(()));
        // 1.0 s until the first slot frees: Retry-After 1.
        assert_eq!(l.admit(at(500)), Err(1));
        assert_eq!(
            l.admit(at(1500)),
            Ok(()),
            "the first request left the window"
        );
        assert_eq!(l.admit(at(1500)), Err(1), "0.5 s rounds up to 1");
        l.reset();
        assert_eq!(l.admit(at(1501)), Ok(()), "a reset starts a fresh window");
    }

    #[test]
    fn shared_link_queues_transfers() {
        let l = Link::new(LinkConfig {
            bandwidth_kbps: 8, // 1000 bytes/s
            ..Default::default()
        });
        let t0 = Instant::now();
        let a = l.transmit(&l.up_busy, 500, t0).unwrap();
        let b = l.transmit(&l.up_busy, 500, t0).unwrap();
        assert_eq!(a - t0, Duration::from_millis(500));
        assert_eq!(
            b - t0,
            Duration::from_millis(1000),
            "the second waits for the first"
        );
        assert!(l.transmit(&l.down_busy, 0, t0).is_none());
    }
}
