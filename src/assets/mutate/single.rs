//! The one-asset mutations: `update_asset_consensus` (`setAssetConsensus`) and
//! `skip_or_unskip` (`skipAsset` / `unskipAsset`).
//!
//! Retry safety: when the outcome of the mutation is unknown, the asset's state is read back
//! (`isUsedForConsensus`, `skipped`); if it is already what was asked for the call succeeded,
//! otherwise the mutation is sent again, within the client's `max_attempts_uncertain` and
//! `retry_deadline_ms`, after which the item is failed. A GraphQL error (the server refused:
//! a precondition is not met) fails the item with the server's message; other errors end the
//! call.
//!
//! Result: what the reference returns: the value of `isConsensus` that was set
//! (`update_asset_consensus`), the asset id (`skip_or_unskip`); `null` when the item failed.
//! Borrowed executor; one call.

use super::args::{ConsensusArgs, SkipAction, SkipArgs};
use super::exec::{outcome_unknown, reason, Exec, Recovery};
use super::outcomes::{finish, ItemOutcome, Outcomes};
use crate::error::{Error, Result};
use serde_json::{json, Map, Value};

/// One mutation on one asset: how to send it and how to recognize that it applied.
struct One<'a> {
    method: &'static str,
    document: &'static str,
    root_field: &'static str,
    /// Where the answer is (the alias, or the root field when the document has none).
    alias: &'static str,
    variables: Value,
    /// The asset as given (id and/or external id).
    item: ItemOutcome,
    /// The `assets` filter that reads the asset back.
    state_filter: Value,
    /// Whether the asset read back is in the requested state.
    reached: &'a (dyn Fn(&Value) -> bool + Send + Sync),
}

/// Sends `one` with recovery of unknown outcomes; returns the answer (`None` when the item
/// failed) and the item's outcome.
async fn send_one(exec: &Exec<'_>, one: &One<'_>) -> Result<(Option<Value>, Outcomes)> {
    let mut budget = Recovery::new(exec);
    let mut out = Outcomes::default();
    let mut last_unknown = String::new();
    loop {
        if budget.sends() > 0 {
            budget.pause(exec).await?;
            let rows = exec
                .assets_doc_max(super::documents::ASSETS_STATE, one.state_filter.clone(), 1)
                .await?;
            if let Some(row) = rows.first().filter(|r| (one.reached)(r)) {
                let mut item = one.item.clone();
                item.asset_id = item
                    .asset_id
                    .or_else(|| row.get("id").and_then(Value::as_str).map(str::to_owned));
                out.succeeded.push(item);
                return Ok((None, out));
            }
            if !budget.may_resend() {
                out.failed.push(one.item.clone().because(format!(
                    "outcome unknown after {} attempts: {last_unknown}",
                    budget.sends()
                )));
                return Ok((None, out));
            }
        }
        budget.sent();
        match exec
            .mutation_at(
                one.document,
                one.variables.clone(),
                one.root_field,
                one.alias,
            )
            .await
        {
            Ok(answer) => {
                out.succeeded.push(one.item.clone());
                return Ok((Some(answer), out));
            }
            Err(e) if outcome_unknown(&e) => {
                exec.ctx.events.log(
                    crate::events::LogLevel::Warn,
                    format!(
                        "{}: outcome unknown ({}); checking the asset's state before resending",
                        one.method,
                        reason(&e)
                    ),
                );
                last_unknown = reason(&e);
            }
            Err(e @ Error::Graphql { .. }) => {
                out.failed.push(one.item.clone().because(reason(&e)));
                return Ok((None, out));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Runs `update_asset_consensus`. Result: the `isConsensus` value set (the server's answer).
pub(crate) async fn update_asset_consensus(exec: &Exec<'_>, a: ConsensusArgs) -> Result<Value> {
    const M: &str = "update_asset_consensus";
    // The variables the reference sends: an id that was not given is left out, not `null`.
    let mut vars = Map::new();
    vars.insert("projectId".into(), json!(a.project_id));
    vars.insert("isConsensus".into(), json!(a.is_consensus));
    if let Some(id) = &a.asset_id {
        vars.insert("assetId".into(), json!(id));
    }
    if let Some(e) = &a.external_id {
        vars.insert("externalId".into(), json!(e));
    }
    let mut state_filter = json!({"project": {"id": a.project_id}});
    if let Some(id) = &a.asset_id {
        state_filter["idIn"] = json!([id]);
    }
    if let Some(e) = &a.external_id {
        state_filter["externalIdStrictlyIn"] = json!([e]);
    }
    let want = a.is_consensus;
    let reached =
        move |r: &Value| r.get("isUsedForConsensus").and_then(Value::as_bool) == Some(want);
    let one = One {
        method: M,
        document: super::documents::SET_ASSET_CONSENSUS,
        root_field: "setAssetConsensus",
        alias: "data",
        variables: Value::Object(vars),
        item: ItemOutcome::new(a.asset_id.clone(), a.external_id.clone()),
        state_filter,
        reached: &reached,
    };
    exec.ctx.events.progress(M, 0, Some(1));
    let (answer, outcomes) = send_one(exec, &one).await?;
    let result = match answer {
        Some(v @ Value::Bool(_)) => v,
        // Confirmed by reading the state back: the value asked for is the value set.
        None if !outcomes.succeeded.is_empty() => json!(want),
        Some(other) => {
            return Err(Error::Server {
                message: "setAssetConsensus: the answer is not a boolean".into(),
                details: json!({"answer": other}),
            })
        }
        None => Value::Null,
    };
    exec.ctx.events.progress(M, 1, Some(1));
    finish(M, result, outcomes)
}

/// Runs `skip_or_unskip`. Result: the asset id.
pub(crate) async fn skip_or_unskip(exec: &Exec<'_>, a: SkipArgs) -> Result<Value> {
    const M: &str = "skip_or_unskip";
    let skip = a.action == SkipAction::Skip;
    let (document, root_field, variables) = if skip {
        (
            super::documents::SKIP_ASSET,
            "skipAsset",
            json!({"reason": a.reason.clone().unwrap_or_default(),
                   "where": {"id": a.asset_id, "project": {"id": a.project_id}}}),
        )
    } else {
        (
            super::documents::UNSKIP_ASSET,
            "unskipAsset",
            json!({"projectId": a.project_id, "assetId": a.asset_id}),
        )
    };
    let reached = move |r: &Value| r.get("skipped").and_then(Value::as_bool) == Some(skip);
    let one = One {
        method: M,
        document,
        root_field,
        alias: root_field,
        variables,
        item: ItemOutcome::new(Some(a.asset_id.clone()), None),
        state_filter: json!({"project": {"id": a.project_id}, "idIn": [a.asset_id]}),
        reached: &reached,
    };
    exec.ctx.events.progress(M, 0, Some(1));
    let (_, outcomes) = send_one(exec, &one).await?;
    let result = if outcomes.succeeded.is_empty() {
        Value::Null
    } else {
        json!(a.asset_id)
    };
    exec.ctx.events.progress(M, 1, Some(1));
    finish(M, result, outcomes)
}
