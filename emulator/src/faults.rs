//! Opt-in fault injection for tests of client resilience.
//!
//! A fault is chosen per GraphQL request: first the next entry of `script` (consumed in order),
//! otherwise, with probability `rate`, a random entry of `kinds`. Requests whose root field is
//! not in `only_operations` (when it is non-empty) are never faulted and consume nothing.
//!
//! When a fault strikes, relative to executing the operation:
//! * `Http429` and `EnvoyNotForwarded` always happen **before** (the operation is not processed,
//!   which is what these answers promise to a client).
//! * `Latency` delays the answer, then the operation runs normally.
//! * `Http5xx`, `Reset` and `Truncated` happen before execution for queries. For mutations they
//!   happen **after** the mutation was applied or **before** it, according to
//!   [`FaultConfig::mutation_phase`] (by default at random, 50/50, from the seeded generator):
//!   the realistic "uncertain outcome" case a client must handle without duplicating data.

use parking_lot::Mutex;
use rand::{Rng, SeedableRng};

/// One kind of injected failure.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind")]
pub enum FaultKind {
    /// HTTP 500 with a non-GraphQL text body.
    Http500,
    /// HTTP 502 with a non-GraphQL text body.
    Http502,
    /// HTTP 503 with a non-GraphQL text body (not an Envoy "not forwarded" one).
    Http503,
    /// HTTP 504 with a non-GraphQL text body.
    Http504,
    /// HTTP 429 with `Retry-After: <retry_after_secs>`; the request is not processed.
    Http429 { retry_after_secs: u64 },
    /// The connection is closed without any answer.
    Reset,
    /// HTTP 200 whose body is cut in the middle (the connection closes early).
    Truncated,
    /// The answer is delayed by `ms` milliseconds, then served normally.
    Latency { ms: u64 },
    /// HTTP 503 `no healthy upstream` (Envoy did not forward the request; not processed).
    EnvoyNotForwarded,
}

/// When mutation faults of the "uncertain outcome" kinds strike.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum FaultPhase {
    /// Before or after applying, 50/50 from the seeded generator.
    #[default]
    Random,
    /// Always before: the mutation is not applied.
    Before,
    /// Always after: the mutation is applied, the answer is lost.
    After,
}

/// Fault-injection settings. `Default` is "no faults".
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct FaultConfig {
    /// Probability (0..=1) that a request gets a random fault from `kinds`.
    pub rate: f64,
    /// Kinds drawn from when `rate` strikes.
    pub kinds: Vec<FaultKind>,
    /// Faults consumed first, one per eligible request, in order.
    pub script: Vec<FaultKind>,
    /// Root field names eligible for faults; empty = all.
    pub only_operations: Vec<String>,
    /// Seed of the random generator (rate draws and mutation phases); `None` = from entropy.
    pub seed: Option<u64>,
    /// Phase of 5xx/Reset/Truncated faults on mutations.
    pub mutation_phase: FaultPhase,
}

/// What the server does with one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultDecision {
    pub kind: FaultKind,
    /// True when the operation must run before the fault is applied to the answer.
    pub after_execution: bool,
}

/// Thread-safe holder of the current fault configuration and its random state.
pub struct FaultState {
    inner: Mutex<(FaultConfig, rand::rngs::StdRng)>,
}

impl FaultState {
    pub fn new(cfg: FaultConfig) -> Self {
        let rng = Self::rng(&cfg);
        FaultState {
            inner: Mutex::new((cfg, rng)),
        }
    }

    fn rng(cfg: &FaultConfig) -> rand::rngs::StdRng {
        match cfg.seed {
            Some(s) => rand::rngs::StdRng::seed_from_u64(s),
            None => rand::rngs::StdRng::from_entropy(),
        }
    }

    /// Replaces the configuration (and reseeds).
    pub fn set(&self, cfg: FaultConfig) {
        let rng = Self::rng(&cfg);
        *self.inner.lock() = (cfg, rng);
    }

    /// Picks the fault (if any) for a request to `operation` (its root field).
    pub fn decide(&self, operation: Option<&str>, is_mutation: bool) -> Option<FaultDecision> {
        let mut g = self.inner.lock();
        let (cfg, rng) = &mut *g;
        if !cfg.only_operations.is_empty() {
            match operation {
                Some(op) if cfg.only_operations.iter().any(|o| o == op) => {}
                _ => return None,
            }
        }
        let kind = if !cfg.script.is_empty() {
            cfg.script.remove(0)
        } else if cfg.rate > 0.0 && !cfg.kinds.is_empty() && rng.gen::<f64>() < cfg.rate {
            cfg.kinds[rng.gen_range(0..cfg.kinds.len())].clone()
        } else {
            return None;
        };
        let uncertain = matches!(
            kind,
            FaultKind::Http500
                | FaultKind::Http502
                | FaultKind::Http503
                | FaultKind::Http504
                | FaultKind::Reset
                | FaultKind::Truncated
        );
        let after_execution = match kind {
            FaultKind::Latency { .. } => true,
            _ if uncertain && is_mutation => match cfg.mutation_phase {
                FaultPhase::Before => false,
                FaultPhase::After => true,
                FaultPhase::Random => rng.gen_bool(0.5),
            },
            _ => false,
        };
        Some(FaultDecision {
            kind,
            after_execution,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_first_then_rate_and_operation_filter() {
        let s = FaultState::new(FaultConfig {
            script: vec![FaultKind::Http502],
            only_operations: vec!["countAssets".into()],
            mutation_phase: FaultPhase::After,
            ..Default::default()
        });
        assert_eq!(s.decide(Some("assets"), false), None);
        assert_eq!(
            s.decide(Some("countAssets"), false).unwrap().kind,
            FaultKind::Http502
        );
        assert_eq!(s.decide(Some("countAssets"), false), None);
        s.set(FaultConfig {
            rate: 1.0,
            kinds: vec![FaultKind::Reset],
            mutation_phase: FaultPhase::After,
            ..Default::default()
        });
        let d = s.decide(Some("deleteAssets"), true).unwrap();
        assert!(d.after_execution);
        assert!(!s.decide(Some("assets"), false).unwrap().after_execution);
    }
}
