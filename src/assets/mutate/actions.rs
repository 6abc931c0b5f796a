//! The asset actions answered per item by the server: `delete_many_from_dataset`,
//! `add_to_review`, `send_back_to_queue`, `set_assets_priority` and
//! `assign_assets_to_labelers`. Batches of 100 ids through the 26.2.4 per-item mutations
//! (`deleteAssets`, `addAssetsToReview`, `sendAssetsBackToQueue`, `setAssetsPriority`,
//! `assignAssets`), whose answers give the per-item outcomes; `mutation_concurrency` batches in
//! flight (one at a time when an id repeats; see `super::in_flight`). Assignment groups the
//! assets by labeler list first, as the reference does (one `userIds` per request).
//!
//! Retry safety: the transport resends only what the server provably did not process. When a
//! batch's outcome is unknown, the assets' state is read back through `assets()` (gone for
//! delete; for review / back-to-queue the status `TO_REVIEW` / `ONGOING` on V1 projects and,
//! on V2/V3, a `REVIEW` step in `TO_DO` / a step in `REWORK`; the requested `priority`;
//! exactly the requested assignees): assets already in the
//! target state count as succeeded and only the others are sent again. Items still unconfirmed
//! when the client's budget is spent (`max_attempts_uncertain` sends, none after
//! `retry_deadline_ms`) are reported as failed.
//!
//! Result (see [`super::outcomes`]): for delete / review / queue, what the reference returns,
//! computed as it does (see `seed_result`): `{"id": project_id}` for delete, `{"id",
//! "asset_ids"}` for queue, the same or `null` for review, `null` for an empty list. For priority and assignment it is what the
//! reference returns for them: the server's outcome lists merged,
//! `{"declined": [{"assetId", "externalId"}], "failed": [{"assetId", "externalId", "details"}],
//! "succeeded": [{"assetId", "externalId"}]}` (items confirmed by reading their state back
//! count as succeeded; items whose outcome stayed unknown are failed with the reason).

use super::args::{ActionArgs, AssignArgs};
use super::exec::{is_fatal, outcome_unknown, reason, Exec, Recovery};
use super::in_flight::{in_flight, item, width_for, Sent, Stopped};
use super::outcomes::{finish, Outcomes};
use super::resolve::{resolve, Target};
use crate::error::Result;
use futures::StreamExt;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};

/// Batch size of the asset actions (the reference's `ASSET_ACTION_BATCH_SIZE`).
pub const ACTION_BATCH_SIZE: usize = 100;

/// One of the per-item asset actions. Plain data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `delete_many_from_dataset` (`deleteAssets`).
    Delete,
    /// `add_to_review` (`addAssetsToReview`).
    AddToReview,
    /// `send_back_to_queue` (`sendAssetsBackToQueue`).
    SendBackToQueue,
    /// `set_assets_priority` (`setAssetsPriority`) with the priority to set.
    SetPriority(i64),
    /// `assign_assets_to_labelers` (`assignAssets`) with the user ids that become the
    /// assignees (an empty list unassigns).
    Assign(Vec<String>),
}

impl Action {
    /// The C ABI / SDK method name.
    pub fn method(&self) -> &'static str {
        match self {
            Action::Delete => "delete_many_from_dataset",
            Action::AddToReview => "add_to_review",
            Action::SendBackToQueue => "send_back_to_queue",
            Action::SetPriority(_) => "set_assets_priority",
            Action::Assign(_) => "assign_assets_to_labelers",
        }
    }

    fn root_field(&self) -> &'static str {
        match self {
            Action::Delete => "deleteAssets",
            Action::AddToReview => "addAssetsToReview",
            Action::SendBackToQueue => "sendAssetsBackToQueue",
            Action::SetPriority(_) => "setAssetsPriority",
            Action::Assign(_) => "assignAssets",
        }
    }

    /// The document of one batch, as the reference sends it.
    fn document(&self) -> String {
        match self {
            Action::SetPriority(_) => super::documents::SET_ASSETS_PRIORITY.to_string(),
            Action::Assign(_) => super::documents::ASSIGN_ASSETS.to_string(),
            _ => super::documents::asset_action(self.root_field()),
        }
    }

    /// The variables of one batch of `ids`.
    fn variables(&self, ids: &[&str]) -> Value {
        match self {
            Action::SetPriority(p) => json!({"where": {"idIn": ids}, "priority": p}),
            Action::Assign(users) => json!({"where": {"idIn": ids}, "userIds": users}),
            _ => json!({"where": {"idIn": ids}}),
        }
    }

    /// The `assets` query reading back the state [`Action::reached`] looks at.
    fn state_document(&self) -> &'static str {
        match self {
            Action::SetPriority(_) | Action::Assign(_) => super::documents::ASSETS_STATE,
            Action::AddToReview | Action::SendBackToQueue => super::documents::ASSETS_STEP_STATE,
            Action::Delete => super::documents::ASSETS_IDS,
        }
    }

    /// Whether the result is the reference's merged outcome lists (the newer actions) rather
    /// than the project id and moved assets.
    fn returns_outcome(&self) -> bool {
        matches!(self, Action::SetPriority(_) | Action::Assign(_))
    }

    /// Whether an asset read back (or absent: `None`) is in the action's target state.
    fn reached(&self, row: Option<&Value>) -> bool {
        match self {
            Action::Delete => row.is_none(),
            // V2/V3 projects are judged by the asset's step: the legacy `status` there can be
            // left from before a migration or say ONGOING for an asset being labeled, and
            // would count an asset that never moved as done.
            Action::AddToReview => match step_state(row) {
                Some((step_type, status)) => step_type == Some("REVIEW") && status == Some("TO_DO"),
                None => {
                    row.and_then(|r| r.get("status")).and_then(Value::as_str) == Some("TO_REVIEW")
                }
            },
            Action::SendBackToQueue => match step_state(row) {
                Some((_, status)) => matches!(status, Some("REWORK") | Some("REDO")),
                None => {
                    row.and_then(|r| r.get("status")).and_then(Value::as_str) == Some("ONGOING")
                }
            },
            Action::SetPriority(p) => {
                row.and_then(|r| r.get("priority")).and_then(Value::as_i64) == Some(*p)
            }
            Action::Assign(users) => {
                let Some(got) = row
                    .and_then(|r| r.get("assignedTo"))
                    .and_then(Value::as_array)
                else {
                    // `null` = nobody assigned.
                    return row.is_some() && users.is_empty();
                };
                let got: HashSet<&str> = got
                    .iter()
                    .filter_map(|u| u.get("id").and_then(Value::as_str))
                    .collect();
                got == users.iter().map(String::as_str).collect::<HashSet<_>>()
            }
        }
    }
}

/// On a V2/V3 project (a `workflowVersion` other than `V1` read with the asset), the type of
/// the asset's current step (`None` if unknown) and its status in that step; `None` for a V1
/// project or when the row does not say.
fn step_state(row: Option<&Value>) -> Option<(Option<&str>, Option<&str>)> {
    let row = row?;
    let project = row.get("project")?;
    match project.get("workflowVersion").and_then(Value::as_str) {
        None | Some("V1") => return None,
        Some(_) => {}
    }
    let step = row.get("currentStep").filter(|s| s.is_object());
    let step_id = step.and_then(|s| s.get("id")).and_then(Value::as_str);
    let status = step.and_then(|s| s.get("status")).and_then(Value::as_str);
    let step_type = project
        .get("steps")
        .and_then(Value::as_array)
        .and_then(|steps| {
            steps
                .iter()
                .find(|s| step_id.is_some() && s.get("id").and_then(Value::as_str) == step_id)
        })
        .and_then(|s| s.get("type"))
        .and_then(Value::as_str);
    Some((step_type, status))
}

/// Runs `action`. Errors: validation errors before any network call; [`crate::Error::NotFound`]
/// for unknown external ids; [`crate::Error::PartialFailure`] when some items failed;
/// transport errors when the first request cannot be made; cancel/timeout.
pub(crate) async fn run(exec: &Exec<'_>, action: Action, args: ActionArgs) -> Result<Value> {
    let method = action.method();
    let events = exec.ctx.events.clone();
    if args.selector.is_empty_with_warning(method, &events) {
        let empty = if action.returns_outcome() {
            sdk_outcome(&Outcomes::default())
        } else {
            Value::Null
        };
        return finish(method, empty, Outcomes::default());
    }
    let total = args.selector.validate()?;
    let targets = resolve(exec, &args.selector).await?;
    // The project id of the result: given, or read from the first asset before it may vanish.
    let project_id = match (&args.selector.project_id, action.returns_outcome()) {
        (_, true) => None,
        (Some(p), _) => Some(p.clone()),
        (None, _) => project_of(exec, &targets[0].id).await,
    };
    let mut progress = Progress::start(exec, method, total as u64);
    let mut stopped = Stopped::default();
    let mut outcomes = run_on(exec, &action, &targets, &mut progress, &mut stopped).await?;
    stopped.finish(&mut outcomes)?;
    if action.returns_outcome() {
        return finish(method, sdk_outcome(&outcomes), outcomes);
    }
    let result = seed_result(exec, &action, project_id, &targets, &outcomes).await?;
    finish(method, result, outcomes)
}

/// The value the reference returns for delete / review / back-to-queue, computed as it does:
/// * delete: `{"id": project}` whenever the project is known, even if nothing was deleted
///   (the legacy mutation always answered the project);
/// * review: `null` when no asset of the first batch (its first 100 ids) moved (the legacy
///   mutation then answered no project), else `{"id", "asset_ids"}`;
/// * back to queue: always `{"id", "asset_ids"}`;
///
/// where `asset_ids` are the given assets whose status is now `TO_REVIEW` (review) or
/// `ONGOING` (back to queue) in the server's listing order, whether this call moved them or
/// they were already there. `null` when the project is unknown (ids of no visible asset).
async fn seed_result(
    exec: &Exec<'_>,
    action: &Action,
    project_id: Option<String>,
    targets: &[Target],
    outcomes: &Outcomes,
) -> Result<Value> {
    let Some(project) = project_id else {
        return Ok(Value::Null);
    };
    let status = match action {
        Action::AddToReview => {
            let first: HashSet<&str> = targets
                .iter()
                .take(ACTION_BATCH_SIZE)
                .map(|t| t.id.as_str())
                .collect();
            let moved_in_first = outcomes
                .succeeded
                .iter()
                .any(|o| o.asset_id.as_deref().is_some_and(|id| first.contains(id)));
            if !moved_in_first {
                return Ok(Value::Null);
            }
            "TO_REVIEW"
        }
        Action::SendBackToQueue => "ONGOING",
        _ => return Ok(json!({"id": project})),
    };
    let mut seen = HashSet::new();
    let ids: Vec<&str> = targets
        .iter()
        .map(|t| t.id.as_str())
        .filter(|id| seen.insert(*id))
        .collect();
    let n = ids.len();
    let listed = exec
        .assets_where_max(
            json!({"project": {"id": project}, "idIn": ids, "statusIn": [status]}),
            n,
        )
        .await;
    let asset_ids: Vec<Value> = match listed {
        Ok(rows) => rows
            .into_iter()
            .filter_map(|r| r.get("id").cloned())
            .collect(),
        Err(e) if is_fatal(&e) => return Err(e),
        Err(e) => {
            // The action is done and its outcomes are known: report the moved assets rather
            // than lose them to a failed listing.
            exec.ctx.events.log(
                crate::events::LogLevel::Warn,
                format!(
                    "{}: listing the assets now in {status} failed ({}); asset_ids lists the assets this call moved",
                    action.method(),
                    reason(&e)
                ),
            );
            outcomes
                .succeeded
                .iter()
                .filter_map(|o| o.asset_id.clone().map(Value::String))
                .collect()
        }
    };
    Ok(json!({"id": project, "asset_ids": asset_ids}))
}

/// Runs `assign_assets_to_labelers`: the assets are grouped by labeler list (in order of
/// first appearance, as the reference does) and each group is one action (batches of 100).
pub(crate) async fn assign(exec: &Exec<'_>, args: AssignArgs) -> Result<Value> {
    const M: &str = "assign_assets_to_labelers";
    if args.selector.is_empty_with_warning(M, &exec.ctx.events) {
        return finish(M, sdk_outcome(&Outcomes::default()), Outcomes::default());
    }
    let total = args.validate()?;
    let targets = resolve(exec, &args.selector).await?;
    let mut groups: Vec<(&Vec<String>, Vec<Target>)> = Vec::new();
    let mut index: HashMap<&Vec<String>, usize> = HashMap::new();
    for (t, users) in targets.into_iter().zip(&args.to_be_labeled_by_array) {
        let g = *index.entry(users).or_insert_with(|| {
            groups.push((users, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(t);
    }
    let mut progress = Progress::start(exec, M, total as u64);
    let mut stopped = Stopped::default();
    let mut outcomes = Outcomes::default();
    for (users, group) in &groups {
        let action = Action::Assign((*users).clone());
        outcomes.extend(run_on(exec, &action, group, &mut progress, &mut stopped).await?);
    }
    stopped.finish(&mut outcomes)?;
    finish(M, sdk_outcome(&outcomes), outcomes)
}

/// The progress events of one call (`done` of `total` items).
pub(crate) struct Progress {
    events: crate::events::EventSink,
    method: &'static str,
    done: u64,
    total: u64,
}

impl Progress {
    /// Emits the first event (0 of `total`).
    pub(crate) fn start(exec: &Exec<'_>, method: &'static str, total: u64) -> Self {
        exec.ctx.events.progress(method, 0, Some(total));
        Progress {
            events: exec.ctx.events.clone(),
            method,
            done: 0,
            total,
        }
    }

    /// `n` more items done.
    pub(crate) fn add(&mut self, n: u64) {
        self.done += n;
        self.events
            .progress(self.method, self.done.min(self.total), Some(self.total));
    }
}

/// Sends `action` to `targets` in batches; outcomes of every sent batch. Batches not applied
/// because of an error that stops the call (`stopped`; also carried over from an earlier
/// group) are recorded there for [`Stopped::finish`].
async fn run_on<'t>(
    exec: &Exec<'_>,
    action: &Action,
    targets: &'t [Target],
    progress: &mut Progress,
    stopped: &mut Stopped<'t>,
) -> Result<Outcomes> {
    let mut outcomes = Outcomes::default();
    if stopped.is_stopped() {
        // An earlier group stopped the call: this one is not sent.
        for b in targets.chunks(ACTION_BATCH_SIZE) {
            stopped.record(b, None);
        }
        return Ok(outcomes);
    }
    let mut answers = std::pin::pin!(in_flight(
        width_for(exec, targets),
        // Ranges, not slices: a closure taking a borrowed argument would make the call's
        // future not provably `Send` (a higher-ranked lifetime the compiler cannot see through).
        (0..targets.len())
            .step_by(ACTION_BATCH_SIZE)
            .map(|s| s..(s + ACTION_BATCH_SIZE).min(targets.len())),
        |r| run_batch(exec, action, &targets[r]),
        Result::is_err,
    ));
    while let Some((range, sent)) = answers.next().await {
        let batch = &targets[range];
        match sent {
            Sent::Yes(Ok(o)) => outcomes.extend(o),
            Sent::Yes(Err(e)) if is_fatal(&e) => return Err(e),
            Sent::Yes(Err(e)) => {
                stopped.record(batch, Some(e));
                continue;
            }
            Sent::No => {
                stopped.record(batch, None);
                continue;
            }
        }
        progress.add(batch.len() as u64);
    }
    Ok(outcomes)
}

/// The reference's `AssetActionOutcome` built from the final per-item outcomes:
/// `{"declined": [...], "failed": [...], "succeeded": [...]}` with camelCase keys.
pub(crate) fn sdk_outcome(o: &Outcomes) -> Value {
    let list = |items: &[super::outcomes::ItemOutcome], details: bool| -> Value {
        items
            .iter()
            .map(|i| {
                let mut m = json!({"assetId": i.asset_id, "externalId": i.external_id});
                if details {
                    m["details"] = json!(i.reason);
                }
                m
            })
            .collect()
    };
    json!({
        "declined": list(&o.declined, false),
        "failed": list(&o.failed, true),
        "succeeded": list(&o.succeeded, false),
    })
}

/// The project of asset `id`, if it can be read.
async fn project_of(exec: &Exec<'_>, id: &str) -> Option<String> {
    let v = exec
        .query(
            super::documents::ASSETS_PROJECT,
            json!({"where": {"idIn": [id]}, "first": 1, "skip": 0}),
            "assets",
            "data",
        )
        .await
        .ok()?;
    v.get(0)?
        .get("project")?
        .get("id")?
        .as_str()
        .map(str::to_owned)
}

/// One batch, with recovery of unknown outcomes. Returns per-item outcomes covering every
/// item of `batch` exactly once, or an error that is not per-item.
async fn run_batch(exec: &Exec<'_>, action: &Action, batch: &[Target]) -> Result<Outcomes> {
    let doc = action.document();
    let mut out = Outcomes::default();
    let mut pending: Vec<&Target> = dedup(batch);
    let mut budget = Recovery::new(exec);
    let mut last_unknown = String::new();
    while !pending.is_empty() {
        if budget.sends() > 0 {
            // Unknown outcome: keep only the items not yet in the target state.
            budget.pause(exec).await?;
            let ids: Vec<&str> = pending.iter().map(|t| t.id.as_str()).collect();
            let n = ids.len();
            let rows = exec
                .assets_doc_max(action.state_document(), json!({"idIn": ids}), n)
                .await?;
            let by_id: HashMap<&str, &Value> = rows
                .iter()
                .filter_map(|r| Some((r.get("id")?.as_str()?, r)))
                .collect();
            let (reached, rest): (Vec<&Target>, Vec<&Target>) = pending
                .into_iter()
                .partition(|t| action.reached(by_id.get(t.id.as_str()).copied()));
            out.succeeded.extend(reached.into_iter().map(item));
            pending = rest;
            if pending.is_empty() {
                break;
            }
            if !budget.may_resend() {
                for t in pending {
                    out.failed.push(item(t).because(format!(
                        "outcome unknown after {} attempts: {last_unknown}",
                        budget.sends()
                    )));
                }
                break;
            }
        }
        budget.sent();
        let ids: Vec<&str> = pending.iter().map(|t| t.id.as_str()).collect();
        match exec
            .mutation(&doc, action.variables(&ids), action.root_field())
            .await
        {
            Ok(answer) => {
                let server = Outcomes::from_server(&answer)?;
                out.extend(cover(&pending, server));
                break;
            }
            Err(e) if outcome_unknown(&e) => {
                exec.ctx.events.log(
                    crate::events::LogLevel::Warn,
                    format!(
                        "{}: outcome unknown ({}); checking the assets' state before resending",
                        action.method(),
                        reason(&e)
                    ),
                );
                last_unknown = reason(&e);
            }
            Err(e @ crate::Error::Graphql { .. }) => {
                for t in pending {
                    out.failed.push(item(t).because(reason(&e)));
                }
                break;
            }
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// The batch without repeated ids (the server answers once per asset).
fn dedup(batch: &[Target]) -> Vec<&Target> {
    let mut seen = HashSet::new();
    batch
        .iter()
        .filter(|t| seen.insert(t.id.as_str()))
        .collect()
}

/// The server's outcome completed so that each sent item appears exactly once: external ids
/// filled from the request when the server omits them; items the server did not mention are
/// failed.
fn cover(sent: &[&Target], mut server: Outcomes) -> Outcomes {
    let ext: HashMap<&str, &Option<String>> = sent
        .iter()
        .map(|t| (t.id.as_str(), &t.external_id))
        .collect();
    let mut mentioned = HashSet::new();
    for list in [
        &mut server.succeeded,
        &mut server.declined,
        &mut server.failed,
    ] {
        list.retain(|o| {
            o.asset_id.as_deref().is_some_and(|id| ext.contains_key(id))
                && mentioned.insert(o.asset_id.clone())
        });
        for o in list.iter_mut() {
            if o.external_id.is_none() {
                o.external_id = ext[o.asset_id.as_deref().unwrap_or_default()].clone();
            }
        }
    }
    for t in sent {
        if !mentioned.contains(&Some(t.id.clone())) {
            server
                .failed
                .push(item(t).because("the server's answer did not mention this asset"));
        }
    }
    server
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::mutate::outcomes::ItemOutcome;

    #[test]
    fn cover_fills_and_completes() {
        let a = Target {
            id: "a".into(),
            external_id: Some("x".into()),
        };
        let b = Target {
            id: "b".into(),
            external_id: None,
        };
        let c = Target {
            id: "c".into(),
            external_id: None,
        };
        let server = Outcomes::from_server(&json!({
            "succeeded": [{"assetId": "a", "externalId": null}, {"assetId": "zz", "externalId": null}],
            "declined": [{"assetId": "b", "externalId": "y"}], "failed": []
        }))
        .unwrap();
        let o = cover(&[&a, &b, &c], server);
        assert_eq!(
            o.succeeded,
            vec![ItemOutcome::new(Some("a".into()), Some("x".into()))]
        );
        assert_eq!(o.declined.len(), 1);
        assert_eq!(o.failed[0].asset_id.as_deref(), Some("c"));
    }

    #[test]
    fn target_states() {
        assert!(Action::Delete.reached(None));
        assert!(!Action::Delete.reached(Some(&json!({"id": "a"}))));
        assert!(Action::AddToReview.reached(Some(&json!({"status": "TO_REVIEW"}))));
        assert!(!Action::SendBackToQueue.reached(Some(&json!({"status": "TO_REVIEW"}))));
        // V2/V3: the step decides, whatever the legacy status says.
        let project = json!({"workflowVersion": "V2", "steps": [{"id": "l", "type": "DEFAULT"}, {"id": "r", "type": "REVIEW"}]});
        let row = |step: &str, status: &str, legacy: &str| json!({"status": legacy, "currentStep": {"id": step, "status": status}, "project": project});
        assert!(Action::AddToReview.reached(Some(&row("r", "TO_DO", "LABELED"))));
        assert!(!Action::AddToReview.reached(Some(&row("l", "DONE", "TO_REVIEW"))));
        assert!(!Action::AddToReview.reached(Some(&row("r", "IN_PROGRESS", "TO_REVIEW"))));
        assert!(Action::SendBackToQueue.reached(Some(&row("l", "REWORK", "LABELED"))));
        assert!(!Action::SendBackToQueue.reached(Some(&row("l", "IN_PROGRESS", "ONGOING"))));
        assert!(!Action::SendBackToQueue.reached(None));
    }
}
