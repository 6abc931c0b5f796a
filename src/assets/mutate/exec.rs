//! Small helpers shared by the mutation and import executors: sending one operation through
//! the transport, reading aliased answers, and classifying errors (was the mutation perhaps
//! processed?). Borrowed, used within one call.

use crate::call::CallOptions;
use crate::client::AsyncClient;
use crate::error::{Error, Result};
use crate::transport::{CallCtx, OpKind, Operation, Transport};
use serde_json::{json, Value};
use std::time::Instant;

/// The transport and the context of one SDK call.
pub(crate) struct Exec<'a> {
    pub t: &'a Transport,
    pub ctx: CallCtx,
    /// Batches of this call in flight at once (the client's `mutation_concurrency`, >= 1).
    pub width: usize,
}

impl<'a> Exec<'a> {
    /// The executor of one call of `method` by `client`.
    pub(crate) fn of(client: &'a AsyncClient, method: &'static str, opts: &CallOptions) -> Self {
        Exec {
            t: client.transport(),
            ctx: client.ctx(method, opts),
            width: client.options().mutation_concurrency.max(1) as usize,
        }
    }

    /// Sends a query and returns the value under the alias `alias` of the answer.
    pub(crate) async fn query(
        &self,
        document: &str,
        variables: Value,
        root_field: &str,
        alias: &str,
    ) -> Result<Value> {
        self.send(OpKind::Query, document, variables, root_field, alias)
            .await
    }

    /// Sends a mutation and returns the value under the alias `data`.
    pub(crate) async fn mutation(
        &self,
        document: &str,
        variables: Value,
        root_field: &str,
    ) -> Result<Value> {
        self.send(OpKind::Mutation, document, variables, root_field, "data")
            .await
    }

    /// Sends a mutation and returns the value under the alias (or root field) `alias`: for
    /// the reference's documents that do not alias their root field `data`.
    pub(crate) async fn mutation_at(
        &self,
        document: &str,
        variables: Value,
        root_field: &str,
        alias: &str,
    ) -> Result<Value> {
        self.send(OpKind::Mutation, document, variables, root_field, alias)
            .await
    }

    async fn send(
        &self,
        kind: OpKind,
        document: &str,
        variables: Value,
        root_field: &str,
        alias: &str,
    ) -> Result<Value> {
        let op = Operation {
            document,
            variables,
            kind,
            root_field,
        };
        let data = self.t.graphql(op, &self.ctx).await?;
        Ok(take(data, alias))
    }

    /// All pages of `assets(where)` with `id externalId status`, 100 per page, without repeats.
    pub(crate) async fn assets_where(&self, where_: Value) -> Result<Vec<Value>> {
        self.assets_where_max(where_, usize::MAX).await
    }

    /// Like [`Exec::assets_where`], stopping once `max` assets were read (a filter on `max`
    /// ids cannot match more, so no empty last page is requested).
    pub(crate) async fn assets_where_max(&self, where_: Value, max: usize) -> Result<Vec<Value>> {
        self.assets_doc_max(super::documents::ASSETS_IDS, where_, max)
            .await
    }

    /// Like [`Exec::assets_where_max`] with another `assets` document (other fields).
    pub(crate) async fn assets_doc_max(
        &self,
        document: &str,
        where_: Value,
        max: usize,
    ) -> Result<Vec<Value>> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut skip = 0;
        loop {
            let page = self
                .query(
                    document,
                    json!({"where": where_, "first": 100, "skip": skip}),
                    "assets",
                    "data",
                )
                .await?;
            let items = page.as_array().cloned().unwrap_or_default();
            let n = items.len();
            for it in items {
                if let Some(id) = it.get("id").and_then(Value::as_str) {
                    if seen.insert(id.to_string()) {
                        out.push(it);
                    }
                }
            }
            if n < 100 || out.len() >= max {
                return Ok(out);
            }
            skip += 100;
        }
    }
}

/// The budget of one batch whose outcome may stay unknown: at most `max_attempts_uncertain`
/// sends in all, and no resend once `retry_deadline_ms` has passed since the first send (the
/// client's options; [`crate::transport::retry::RetryPolicy`]). Owned by one batch's loop.
pub(crate) struct Recovery {
    started: Instant,
    sends: u32,
    policy: crate::transport::retry::RetryPolicy,
}

impl Recovery {
    pub(crate) fn new(exec: &Exec<'_>) -> Self {
        Recovery {
            started: Instant::now(),
            sends: 0,
            policy: exec.t.retry_policy(),
        }
    }

    /// Records one send of the batch.
    pub(crate) fn sent(&mut self) {
        self.sends += 1;
    }

    /// Sends so far.
    pub(crate) fn sends(&self) -> u32 {
        self.sends
    }

    /// Whether the budget allows another send.
    pub(crate) fn may_resend(&self) -> bool {
        self.sends < self.policy.max_uncertain && self.started.elapsed() < self.policy.deadline
    }

    /// Waits after an unknown outcome, before the state is checked or the batch resent: an
    /// exponential backoff with half jitter (never ~0: the server may still be applying the
    /// batch), clipped to what is left of the retry deadline, honouring the call's cancel token
    /// and deadline.
    pub(crate) async fn pause(&self, exec: &Exec<'_>) -> Result<()> {
        let p = &self.policy;
        let cap = p
            .backoff_base
            .saturating_mul(1u32 << self.sends.saturating_sub(1).min(20))
            .min(p.max_backoff);
        let jitter = crate::transport::retry::backoff(1, cap / 2, cap / 2);
        let left = p.deadline.saturating_sub(self.started.elapsed());
        let wait = (cap / 2 + jitter).min(left);
        crate::call::CallOptions::guard(exec.ctx.cancel.as_ref(), exec.ctx.deadline, async {
            tokio::time::sleep(wait).await;
            Ok(())
        })
        .await
    }
}

fn take(mut data: Value, alias: &str) -> Value {
    data.get_mut(alias).map(Value::take).unwrap_or(Value::Null)
}

/// True when the transport says the mutation may have been processed (`{"outcome": "unknown"}`).
pub(crate) fn outcome_unknown(e: &Error) -> bool {
    e.details().get("outcome").and_then(Value::as_str) == Some("unknown")
}

/// True for errors that end the whole call at once (the caller's cancel/timeout).
pub(crate) fn is_fatal(e: &Error) -> bool {
    matches!(e, Error::Cancelled)
        || (matches!(e, Error::Timeout { .. })
            && !outcome_unknown(e)
            && e.details().get("operation").is_none())
}

/// The reason text of an error for a per-item outcome (never contains the API key: transport
/// errors are scrubbed).
pub(crate) fn reason(e: &Error) -> String {
    e.to_string()
}
