//! The asset mutations, named as in the C ABI and as the reference SDK's methods:
//! `append_many_to_dataset`, `update_properties_in_assets`, `change_asset_external_ids`,
//! `delete_many_from_dataset`, `add_to_review`, `send_back_to_queue`, `set_assets_priority`,
//! `assign_assets_to_labelers`, `update_asset_consensus`, `add_metadata`, `set_metadata`,
//! `skip_or_unskip`.
//!
//! Each takes a JSON argument object with the reference SDK's parameter names and returns
//! `{"result": <the reference SDK's return value>, "outcomes": {...}}` (see [`outcomes`] for
//! the exact shape). Validation happens before any network call; empty lists are a warning
//! event and a no-op; bulk work reports progress events; a retried mutation never duplicates
//! or loses data (see [`actions`], [`update`] and [`crate::assets::import`]).
//!
//! Thread-safety: the functions borrow the client's transport and may run concurrently.

pub mod actions;
pub mod args;
pub(crate) mod batching;
mod client_api;
pub(crate) mod documents;
pub(crate) mod exec;
pub(crate) mod in_flight;
pub(crate) mod metadata;
pub mod outcomes;
pub(crate) mod reader;
pub(crate) mod resolve;
pub(crate) mod single;
pub mod update;

use crate::call::CallOptions;
use crate::client::AsyncClient;
use crate::error::{Error, Result};
use actions::Action;
use exec::Exec;
use serde_json::Value;

/// The action names accepted by [`mutate`].
pub const ACTIONS: [&str; 12] = [
    "append_many_to_dataset",
    "update_properties_in_assets",
    "change_asset_external_ids",
    "delete_many_from_dataset",
    "add_to_review",
    "send_back_to_queue",
    "set_assets_priority",
    "assign_assets_to_labelers",
    "update_asset_consensus",
    "add_metadata",
    "set_metadata",
    "skip_or_unskip",
];

/// The `&'static` name of `action`, or an error naming the closest valid action.
pub fn action_name(action: &str) -> Result<&'static str> {
    ACTIONS
        .iter()
        .copied()
        .find(|a| *a == action)
        .ok_or_else(|| {
            let closest = ACTIONS
                .iter()
                .map(|a| (strsim::jaro_winkler(a, action), *a))
                .max_by(|x, y| x.0.total_cmp(&y.0))
                .map(|(_, a)| a)
                .unwrap_or("");
            Error::invalid_arg(
                "action",
                format!(
                    "unknown action `{action}`; did you mean `{closest}`? (valid: {})",
                    ACTIONS.join(", ")
                ),
            )
        })
}

/// Runs `action` with its JSON argument object through `client` (its transport, options and
/// event sink), within `opts` (timeout, cancel token).
///
/// Errors: [`Error::InvalidArgument`] (unknown action, bad argument; before any network
/// call), [`Error::NotFound`] (unknown project or external ids), [`Error::PartialFailure`]
/// (some items failed; details carry `result` and `outcomes`), transport errors, and
/// [`Error::Cancelled`] / [`Error::Timeout`].
pub async fn mutate(
    client: &AsyncClient,
    action: &str,
    args: &Value,
    opts: &CallOptions,
) -> Result<Value> {
    let method = action_name(action)?;
    let exec = Exec::of(client, method, opts);
    let fut = async {
        match method {
            "append_many_to_dataset" => {
                crate::assets::import::append_many_to_dataset(
                    &exec,
                    crate::assets::import::args::AppendArgs::from_json(args)?,
                )
                .await
            }
            "update_properties_in_assets" => {
                update::update_properties(&exec, args::UpdateArgs::from_json(args)?).await
            }
            "change_asset_external_ids" => {
                update::change_external_ids(&exec, args::ChangeExternalIdsArgs::from_json(args)?)
                    .await
            }
            "delete_many_from_dataset" => {
                actions::run(
                    &exec,
                    Action::Delete,
                    args::ActionArgs::from_json(method, args)?,
                )
                .await
            }
            "add_to_review" => {
                actions::run(
                    &exec,
                    Action::AddToReview,
                    args::ActionArgs::from_json(method, args)?,
                )
                .await
            }
            "send_back_to_queue" => {
                actions::run(
                    &exec,
                    Action::SendBackToQueue,
                    args::ActionArgs::from_json(method, args)?,
                )
                .await
            }
            "set_assets_priority" => {
                let a = args::PriorityArgs::from_json(args)?;
                actions::run(
                    &exec,
                    Action::SetPriority(a.priority),
                    args::ActionArgs {
                        selector: a.selector,
                    },
                )
                .await
            }
            "assign_assets_to_labelers" => {
                actions::assign(&exec, args::AssignArgs::from_json(args)?).await
            }
            "update_asset_consensus" => {
                single::update_asset_consensus(&exec, args::ConsensusArgs::from_json(args)?).await
            }
            "add_metadata" | "set_metadata" => {
                metadata::run(
                    &exec,
                    args::MetadataArgs::from_json(method, args)?,
                    method == "set_metadata",
                )
                .await
            }
            _ => single::skip_or_unskip(&exec, args::SkipArgs::from_json(args)?).await,
        }
    };
    CallOptions::guard(opts.cancel.as_ref(), exec.ctx.deadline, fut).await
}

/// Parses `args_json` (a JSON object) and runs [`mutate`].
pub async fn mutate_json(
    client: &AsyncClient,
    action: &str,
    args_json: &str,
    opts: &CallOptions,
) -> Result<Value> {
    let args: Value = serde_json::from_str(args_json).map_err(|e| {
        Error::invalid_arg(
            "args",
            format!(
                "invalid JSON at line {} column {}: {e}",
                e.line(),
                e.column()
            ),
        )
    })?;
    mutate(client, action, &args, opts).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn unknown_action_names_the_closest() {
        let e = super::action_name("add_to_reviews")
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `add_to_review`"), "{e}");
        assert_eq!(
            super::action_name("send_back_to_queue").unwrap(),
            "send_back_to_queue"
        );
    }
}
