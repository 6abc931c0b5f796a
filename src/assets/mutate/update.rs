//! `update_properties_in_assets` and `change_asset_external_ids`: `updatePropertiesInAssets`
//! in batches of 100 assets, `mutation_concurrency` of them in flight (one at a time when an
//! asset appears twice, so that its later change is applied last; see `super::in_flight`).
//!
//! Retry safety: an update sets values, so sending the same batch again is idempotent; a batch
//! whose outcome is unknown is re-applied (within the client's `max_attempts_uncertain` and `retry_deadline_ms`, with backoff) and its items fail only
//! if no attempt is confirmed. A GraphQL error fails that batch's items (with the server's
//! message; `[deprecated]` messages are translated to the SDK's method names) and the later
//! batches still run.
//!
//! Result (see [`super::outcomes`]): `result` is the reference's `[{"id": ...}]`, the
//! concatenation of the server's answers.

use super::args::{ChangeExternalIdsArgs, UpdateArgs};
use super::exec::{is_fatal, outcome_unknown, reason, Exec, Recovery};
use super::in_flight::{in_flight, item, width_for, Sent, Stopped};
use super::outcomes::{finish, Outcomes};
use super::resolve::{resolve, Target};
use crate::error::{Error, Result};
use futures::StreamExt;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

/// Batch size of updates (the reference's `MUTATION_BATCH_SIZE`).
pub const UPDATE_BATCH_SIZE: usize = 100;

/// Runs `update_properties_in_assets`.
pub(crate) async fn update_properties(exec: &Exec<'_>, args: UpdateArgs) -> Result<Value> {
    const M: &str = "update_properties_in_assets";
    if args.selector.is_empty_with_warning(M, &exec.ctx.events) {
        return finish(M, json!([]), Outcomes::default());
    }
    args.validate(&exec.ctx.events)?;
    let s = &args.selector;
    let targets = resolve(exec, s).await?;
    if !args.has_property() {
        // As the reference: the mutation is sent with `dataArray: []` (see `send_batch`) and
        // the server decides what that means.
        return apply(exec, M, &targets, |_| Value::Null).await;
    }
    apply(exec, M, &targets, |i| args.data_for(i)).await
}

/// Runs `change_asset_external_ids`.
pub(crate) async fn change_external_ids(
    exec: &Exec<'_>,
    args: ChangeExternalIdsArgs,
) -> Result<Value> {
    const M: &str = "change_asset_external_ids";
    if args.new_external_ids.is_empty() {
        exec.ctx.events.warn(
            crate::events::WarningKind::EmptyList,
            M,
            super::args::empty_message(M, "new_external_ids"),
        );
        return finish(M, json!([]), Outcomes::default());
    }
    if args.selector.is_empty_with_warning(M, &exec.ctx.events) {
        return finish(M, json!([]), Outcomes::default());
    }
    args.validate()?;
    let s = &args.selector;
    let targets = resolve(exec, s).await?;
    let ids = &args.new_external_ids;
    apply(exec, M, &targets, |i| json!({"externalId": ids[i]})).await
}

/// Sends the `AssetData` of `data(i)` to `targets[i]` for every `i`. The data of a batch is
/// built when the batch is about to be sent (see [`super::batching::built`]), so that a call
/// of 100k assets starts sending at once and holds only the batches in flight.
async fn apply(
    exec: &Exec<'_>,
    method: &str,
    targets: &[Target],
    data: impl Fn(usize) -> Value + Send + Sync,
) -> Result<Value> {
    let (result, outcomes) = apply_parts(exec, method, targets, data).await?;
    finish(method, Value::Array(result), outcomes)
}

/// [`apply`] before the result is built: the server's answers (`[{"id"}]`) and the outcomes,
/// for callers that add outcomes of their own (items refused before sending).
pub(crate) async fn apply_parts(
    exec: &Exec<'_>,
    method: &str,
    targets: &[Target],
    data: impl Fn(usize) -> Value + Send + Sync,
) -> Result<(Vec<Value>, Outcomes)> {
    let total = targets.len() as u64;
    let mut outcomes = Outcomes::default();
    let mut result = Vec::new();
    let mut done = 0u64;
    exec.ctx.events.progress(method, 0, Some(total));
    let batches = super::batching::built(
        targets.len(),
        UPDATE_BATCH_SIZE,
        super::batching::MAX_BATCH_BYTES,
        &data,
        |i, d| crate::assets::json_len(d) + targets[i].id.len() + 16,
    )
    // Shared between the sender and the loop below, which only needs the range.
    .map(|(range, items)| (range, Arc::new(items)));
    let mut answers = std::pin::pin!(in_flight(
        width_for(exec, targets),
        batches,
        |(r, items): (Range<usize>, Arc<Vec<Value>>)| async move {
            send_batch(exec, &targets[r], &items).await
        },
        stops_the_call,
    ));
    let mut stopped = Stopped::default();
    while let Some(((range, _), sent)) = answers.next().await {
        let batch = &targets[range.clone()];
        match sent {
            Sent::Yes(Ok(answer)) => {
                let returned: HashSet<&str> = answer
                    .iter()
                    .filter_map(|v| v.get("id").and_then(Value::as_str))
                    .collect();
                for t in batch {
                    if returned.contains(t.id.as_str()) {
                        outcomes.succeeded.push(item(t));
                    } else {
                        outcomes.failed.push(
                            item(t).because("the server did not report this asset as updated"),
                        );
                    }
                }
                result.extend(answer);
            }
            Sent::Yes(Err(e)) if is_fatal(&e) => return Err(e),
            Sent::Yes(Err(e @ Error::Graphql { .. })) => {
                let why = translate_deprecated(&reason(&e));
                outcomes
                    .failed
                    .extend(batch.iter().map(|t| item(t).because(why.clone())));
            }
            Sent::Yes(Err(e)) => {
                stopped.record(batch, Some(e));
                continue;
            }
            Sent::No => {
                stopped.record(batch, None);
                continue;
            }
        }
        done += range.len() as u64;
        exec.ctx.events.progress(method, done, Some(total));
    }
    stopped.finish(&mut outcomes)?;
    Ok((result, outcomes))
}

/// Whether a batch's error ends the call (no later batch is sent): anything but a per-item
/// GraphQL error. Fatal errors (cancel, deadline) end it too, by returning at once.
fn stops_the_call(r: &Result<Vec<Value>>) -> bool {
    matches!(r, Err(e) if !matches!(e, Error::Graphql { .. }))
}

/// Sends one batch; an unknown outcome is re-applied (idempotent) a bounded number of times.
/// A batch whose data are all `null` (an update with no property) sends `dataArray: []`, as
/// the reference does.
async fn send_batch(exec: &Exec<'_>, batch: &[Target], data: &[Value]) -> Result<Vec<Value>> {
    let data: &[Value] = if data.iter().all(Value::is_null) {
        &[]
    } else {
        data
    };
    // Built per attempt (one copy of the data each) rather than built once and cloned.
    let vars = || {
        json!({
            "whereArray": batch.iter().map(|t| json!({"id": t.id})).collect::<Vec<_>>(),
            "dataArray": data,
        })
    };
    let mut budget = Recovery::new(exec);
    loop {
        budget.sent();
        match exec
            .mutation(
                super::documents::UPDATE_PROPERTIES_IN_ASSETS,
                vars(),
                "updatePropertiesInAssets",
            )
            .await
        {
            Ok(Value::Array(items)) => return Ok(items),
            Ok(other) => {
                return Err(Error::Server {
                    message: "updatePropertiesInAssets: the answer is not a list".into(),
                    details: json!({"answer": other}),
                })
            }
            Err(e) if outcome_unknown(&e) && budget.may_resend() => {
                exec.ctx.events.log(
                    crate::events::LogLevel::Warn,
                    format!("updatePropertiesInAssets: outcome unknown ({}); re-applying the batch (idempotent) after attempt {}", reason(&e), budget.sends()),
                );
                budget.pause(exec).await?;
            }
            Err(e) if outcome_unknown(&e) => {
                return Err(Error::Graphql {
                    message: format!(
                        "outcome unknown after {} attempts: {}",
                        budget.sends(),
                        reason(&e)
                    ),
                    details: e.details(),
                })
            }
            Err(e) => return Err(e),
        }
    }
}

/// The reference's translation of `[deprecated]` server messages to SDK method names.
fn translate_deprecated(msg: &str) -> String {
    let Some(i) = msg.find("[deprecated]") else {
        return msg.to_string();
    };
    msg[i + "[deprecated]".len()..]
        .trim_start()
        .replace("`createHoneypot`", "`create_honeypot`")
        .replace("`setAssetConsensus`", "`update_asset_consensus`")
        .replace(
            "`updatePropertiesInAssets`",
            "`update_properties_in_assets`",
        )
}

#[cfg(test)]
mod tests {
    #[test]
    fn deprecated_messages_are_translated() {
        let m = super::translate_deprecated("GraphQL error: [deprecated] `updatePropertiesInAssets` isUsedForConsensus is not supported; use `setAssetConsensus`");
        assert_eq!(m, "`update_properties_in_assets` isUsedForConsensus is not supported; use `update_asset_consensus`");
        assert_eq!(super::translate_deprecated("plain"), "plain");
    }
}
