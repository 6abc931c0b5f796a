//! Several batches of one mutation call in flight at once, answers taken in batch order.
//!
//! Why: a batch is one round trip, and against a distant server the round trip, not the
//! work, is most of a batch's time; a few batches in flight hide it (and, on a local server,
//! overlap the client's work with the server's). Batches are started in order, at most
//! `width` at a time, and their answers come back in order, so per-item outcomes, results and
//! progress events read as if the batches had run one after the other.
//!
//! Stopping: once a batch reports an error after which the call must not go on (`stops`),
//! batches not started yet are not sent; they come out as [`Sent::No`]. Batches already in
//! flight finish normally and their answers are kept (they may have been applied). Dropping
//! the stream (on a fatal error: cancel, deadline) drops the batches in flight, exactly as a
//! sequential call drops its current request.

use super::exec::{reason, Exec};
use super::outcomes::{ItemOutcome, Outcomes};
use super::resolve::Target;
use crate::error::{Error, Result};
use futures::stream::{self, Stream, StreamExt};
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What became of one batch.
#[derive(Debug)]
pub(crate) enum Sent<R> {
    /// Sent; its answer.
    Yes(R),
    /// Not sent: an earlier batch stopped the call.
    No,
}

/// Runs `send` on each of `batches` with at most `width` (>= 1) in flight and yields
/// `(batch, what became of it)` in the order of `batches`. After an answer for which `stops`
/// is true, batches not started yet are yielded as [`Sent::No`] without being sent.
pub(crate) fn in_flight<'a, B, R, F, Fut>(
    width: usize,
    batches: impl IntoIterator<Item = B> + 'a,
    send: F,
    stops: fn(&R) -> bool,
) -> impl Stream<Item = (B, Sent<R>)> + 'a
where
    B: Clone + 'a,
    F: Fn(B) -> Fut + 'a,
    Fut: Future<Output = R> + 'a,
    R: 'a,
{
    let stopped = Arc::new(AtomicBool::new(false));
    stream::iter(batches)
        .map(move |b| {
            let stopped = stopped.clone();
            // An async fn's future does nothing until polled, so creating it here sends nothing.
            let fut = send(b.clone());
            async move {
                if stopped.load(Ordering::Acquire) {
                    return (b, Sent::No);
                }
                let r = fut.await;
                if stops(&r) {
                    stopped.store(true, Ordering::Release);
                }
                (b, Sent::Yes(r))
            }
        })
        .buffered(width.max(1))
}

/// The batches in flight for `targets`: the client's `mutation_concurrency`, or 1 when an id
/// occurs more than once, so that the later change of an asset is also the later one applied.
pub(crate) fn width_for(exec: &Exec<'_>, targets: &[Target]) -> usize {
    if has_repeats(targets.iter().map(|t| t.id.as_str())) {
        1
    } else {
        exec.width
    }
}

fn has_repeats<'a>(ids: impl IntoIterator<Item = &'a str>) -> bool {
    let mut seen = std::collections::HashSet::new();
    ids.into_iter().any(|id| !seen.insert(id))
}

/// The first error after which a call sends no more batches (auth, rate limit, server
/// unreachable: not per-item), and the batches it left unapplied. Owned by one call's loop.
#[derive(Default)]
pub(crate) struct Stopped<'t> {
    first: Option<Error>,
    unapplied: Vec<&'t [Target]>,
}

impl<'t> Stopped<'t> {
    /// Records `batch` as not applied, because of `error` (a batch that stopped the call) or
    /// of an earlier one (`None`: a batch not sent).
    pub(crate) fn record(&mut self, batch: &'t [Target], error: Option<Error>) {
        if let Some(e) = error {
            self.first.get_or_insert(e);
        }
        self.unapplied.push(batch);
    }

    /// Whether an error already stopped the call.
    pub(crate) fn is_stopped(&self) -> bool {
        self.first.is_some()
    }

    /// Ends the call's bookkeeping: nothing applied at all -> the error itself (the clearest
    /// answer); otherwise each unapplied item is failed as "not applied: <why>".
    pub(crate) fn finish(self, outcomes: &mut Outcomes) -> Result<()> {
        let Some(e) = self.first else {
            return Ok(());
        };
        if outcomes.is_empty() {
            return Err(e);
        }
        let why = reason(&e);
        for t in self.unapplied.into_iter().flatten() {
            outcomes
                .failed
                .push(item(t).because(format!("not applied: {why}")));
        }
        Ok(())
    }
}

/// The outcome entry of a resolved asset.
pub(crate) fn item(t: &Target) -> ItemOutcome {
    ItemOutcome::new(Some(t.id.clone()), t.external_id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use tokio::sync::Notify;

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn answers_in_order_with_width_in_flight() {
        // Batch 0 answers last: it waits until every other batch of its window has started.
        let live = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let started = AtomicUsize::new(0);
        let go = Notify::new();
        let out: Vec<(usize, Sent<usize>)> = block_on(
            in_flight(
                3,
                0..7usize,
                |i| {
                    let (live, peak, started, go) = (&live, &peak, &started, &go);
                    async move {
                        let n = live.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(n, Ordering::SeqCst);
                        if started.fetch_add(1, Ordering::SeqCst) == 2 {
                            go.notify_one();
                        }
                        if i == 0 {
                            go.notified().await;
                        }
                        tokio::task::yield_now().await;
                        live.fetch_sub(1, Ordering::SeqCst);
                        i * 10
                    }
                },
                |_| false,
            )
            .collect(),
        );
        let got: Vec<(usize, usize)> = out
            .into_iter()
            .map(|(b, s)| match s {
                Sent::Yes(r) => (b, r),
                Sent::No => panic!("batch {b} not sent"),
            })
            .collect();
        assert_eq!(got, (0..7).map(|i| (i, i * 10)).collect::<Vec<_>>());
        assert_eq!(
            peak.load(Ordering::SeqCst),
            3,
            "at most and at least 3 in flight"
        );
    }

    #[test]
    fn a_stopping_answer_keeps_later_batches_unsent() {
        let sent = AtomicUsize::new(0);
        let out: Vec<(usize, Sent<Result<usize, usize>>)> = block_on(
            in_flight(
                1,
                0..5usize,
                |i| {
                    let sent = &sent;
                    async move {
                        sent.fetch_add(1, Ordering::SeqCst);
                        if i == 2 {
                            Err(i)
                        } else {
                            Ok(i)
                        }
                    }
                },
                |r| r.is_err(),
            )
            .collect(),
        );
        assert_eq!(
            sent.load(Ordering::SeqCst),
            3,
            "batches 3 and 4 must not be sent"
        );
        assert!(matches!(out[2], (2, Sent::Yes(Err(2)))));
        assert!(matches!(out[3], (3, Sent::No)));
        assert!(matches!(out[4], (4, Sent::No)));
    }

    #[test]
    fn repeats() {
        assert!(has_repeats(["a", "b", "a"]));
        assert!(!has_repeats(["a", "b", "c"]));
    }
}
