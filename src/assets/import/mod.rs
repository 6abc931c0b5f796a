//! `append_many_to_dataset`: the import pipeline of kili-wire-mutations.md §6.
//!
//! Order: arguments checked ([`args`]) → project input type (`projects{inputType}`) → a TEXT
//! call with any `json_content` is rich text as a whole (no content allowed) → every
//! asset planned and checked locally for that type ([`plan`]: extensions, MIME types, files
//! present, hosted/local) → licence check when local data is uploaded → duplicated external
//! ids in the input and external ids already in the project (`filterExistingAssets`) declined
//! → for each mode (synchronous first, then each asynchronous upload type), batches of
//! [`IMPORT_BATCH_SIZE`] (or 2 MB): uploads ([`upload`]), then creation with client-chosen ids
//! ([`create`], which recovers unknown outcomes without duplicates); the next batch's files are
//! uploaded while the current batch is created. Progress events after each
//! batch (`append_many_to_dataset`, assets done, total).
//!
//! Result (see [`crate::assets::mutate::outcomes`]): `result` is
//! `{"id": project_id, "asset_ids": [ids created]}` (never a placeholder id; the ids of an
//! asynchronous import are listed once verified, i.e. with `wait_until_availability`), and
//! `outcomes` lists each input asset once: `succeeded`, `declined` (duplicated or already
//! existing external id), `failed`, or `pending` (asynchronous, not waited for).

pub mod args;
pub mod create;
pub mod csv_input;
pub mod files;
pub mod ids;
pub mod plan;
pub mod upload;

use crate::assets::mutate::documents as docs;
use crate::assets::mutate::exec::{is_fatal, reason, Exec};
use crate::assets::mutate::outcomes::{finish, ItemOutcome, Outcomes};
use crate::error::{Error, Result};
use crate::events::WarningKind;
use args::{AppendArgs, Prepared};
use files::InputType;
use plan::{Mode, Planned};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};

/// Assets per creating mutation (the reference's `IMPORT_BATCH_SIZE`).
pub const IMPORT_BATCH_SIZE: usize = 100;
/// External ids per `filterExistingAssets` call.
pub const FILTER_EXISTING_BATCH_SIZE: usize = 1000;

const M: &str = "append_many_to_dataset";

/// Runs `append_many_to_dataset`. Errors: [`Error::InvalidArgument`] for bad input (before any
/// upload or creation), [`Error::NotFound`] for an unknown project, [`Error::PartialFailure`]
/// when some assets failed, transport errors when nothing could be created, cancel/timeout.
pub(crate) async fn append_many_to_dataset(exec: &Exec<'_>, args: AppendArgs) -> Result<Value> {
    let project_id = args.project_id.clone();
    let wait = args.wait_until_availability;
    let events = exec.ctx.events.clone();
    let assets = match args.prepare(&events)? {
        Prepared::Empty => {
            return finish(
                M,
                json!({"id": project_id, "asset_ids": []}),
                Outcomes::default(),
            )
        }
        Prepared::Assets(a) => a,
    };
    let total = assets.len() as u64;
    let ty = input_type(exec, &project_id).await?;
    plan::check_rich_text_call(ty, &assets)?;
    let mut outcomes = Outcomes::default();

    // Duplicated external ids in the input: every copy is declined (as the reference drops them).
    let mut counts: HashMap<String, usize> = HashMap::new();
    for a in &assets {
        if let Some(e) = &a.external_id {
            *counts.entry(e.clone()).or_default() += 1;
        }
    }
    let mut kept = Vec::with_capacity(assets.len());
    let mut dups = Vec::new();
    for (i, a) in assets.into_iter().enumerate() {
        match &a.external_id {
            Some(e) if counts[e] > 1 => {
                dups.push(e.clone());
                outcomes.declined.push(
                    ItemOutcome::new(a.id.clone(), Some(e.clone()))
                        .because("duplicated external_id in the input"),
                );
            }
            _ => kept.push((i, a)),
        }
    }
    if !dups.is_empty() {
        dups.dedup();
        events.warn(WarningKind::Ignored, M, format!("The following input assets have been ignored because of duplicated external_id: {}", preview(&dups)));
    }

    let files_url = exec.t.endpoint().replace("/graphql", "/files");
    let given_ext: HashSet<usize> = kept
        .iter()
        .filter(|(_, a)| a.external_id.is_some())
        .map(|(i, _)| *i)
        .collect();
    let planned = plan::plan(ty, &project_id, kept, &files_url)?;
    if planned.iter().any(|p| p.local) {
        check_upload_allowed(exec).await?;
    }

    // External ids already in the project are declined.
    let given: Vec<&str> = planned
        .iter()
        .filter(|p| given_ext.contains(&p.index))
        .map(|p| p.external_id.as_str())
        .collect();
    let mut existing: HashSet<String> = HashSet::new();
    for chunk in given.chunks(FILTER_EXISTING_BATCH_SIZE) {
        let answer = exec
            .query(
                docs::FILTER_EXISTING_ASSETS,
                json!({"projectID": project_id, "externalIDs": chunk}),
                "filterExistingAssets",
                "external_ids",
            )
            .await?;
        let list = answer.as_array().ok_or_else(|| Error::Server {
            message: "filterExistingAssets did not return a list".into(),
            details: json!({"operation": "filterExistingAssets"}),
        })?;
        existing.extend(list.iter().filter_map(|v| v.as_str().map(str::to_owned)));
    }
    let mut to_create: Vec<Planned> = Vec::with_capacity(planned.len());
    let mut skipped = Vec::new();
    for p in planned {
        if given_ext.contains(&p.index) && existing.contains(&p.external_id) {
            skipped.push(p.external_id.clone());
            outcomes.declined.push(
                ItemOutcome::new(None, Some(p.external_id))
                    .because("external_id already exists in the project"),
            );
        } else {
            to_create.push(p);
        }
    }
    if !skipped.is_empty() && skipped.len() as u64 == total {
        // The reference raises `ImportValidationError` when the number of external ids already
        // in the project equals the number of input assets. Only ids that are unique in the
        // input are looked up, so a call whose other assets were dropped as duplicated imports
        // nothing without this error, as in the reference.
        return Err(Error::invalid_arg(
            "external_id_array",
            "No assets to import, all given external_ids already exist in the project",
        ));
    }
    if !skipped.is_empty() {
        events.warn(
            WarningKind::Ignored,
            M,
            format!("The following assets were not imported because their external_id are already in the project: {}", preview(&skipped)),
        );
    }

    // Synchronous group first, then each asynchronous upload type, input order kept inside.
    let mut modes: Vec<Mode> = Vec::new();
    for p in &to_create {
        if !modes.contains(&p.mode) {
            modes.push(p.mode);
        }
    }
    modes.sort_by_key(|m| !matches!(m, Mode::Sync));
    let mut done = outcomes.declined.len() as u64;
    events.progress(M, done, Some(total));
    let mut created: Vec<String> = Vec::new();
    let mut groups: Vec<Vec<Planned>> = modes.iter().map(|_| Vec::new()).collect();
    for p in to_create {
        let g = modes
            .iter()
            .position(|m| *m == p.mode)
            .expect("mode listed");
        groups[g].push(p);
    }
    let mut batches: Vec<(Mode, Vec<Planned>)> = Vec::new();
    for (mode, group) in modes.into_iter().zip(groups) {
        let ranges = crate::assets::mutate::batching::batches(
            group.iter().map(payload_size),
            IMPORT_BATCH_SIZE,
            crate::assets::mutate::batching::MAX_BATCH_BYTES,
        );
        let mut rest = group.into_iter();
        for range in ranges {
            batches.push((mode, rest.by_ref().take(range.len()).collect()));
        }
    }
    // Pipeline: the next batch's files are uploaded while the current batch is created.
    // `uploaded` is `None` while a batch's uploads have not run yet.
    let mut stop: Option<String> = None;
    let mut queue = batches.into_iter();
    let mut current: Option<(Mode, Vec<Planned>, Option<Result<()>>)> =
        queue.next().map(|(m, b)| (m, b, None));
    while let Some((mode, mut batch, uploaded)) = current.take() {
        let mut next = queue.next().map(|(m, b)| (m, b, None));
        if let Some(why) = &stop {
            outcomes.failed.extend(
                batch
                    .iter()
                    .map(|a| item(a).because(format!("not created: {why}"))),
            );
            current = next;
            continue;
        }
        let n = batch.len() as u64;
        let uploaded = match uploaded {
            Some(r) => r,
            None => upload::upload_batch(exec, &project_id, &mut batch).await,
        };
        let res = match uploaded {
            Ok(()) => {
                let create = create::create_batch(exec, &project_id, &batch, mode, wait);
                match next.as_mut() {
                    Some((_, next_batch, next_uploaded)) => {
                        let (r, u) = tokio::join!(
                            create,
                            upload::upload_batch(exec, &project_id, next_batch)
                        );
                        *next_uploaded = Some(u);
                        r
                    }
                    None => create.await,
                }
            }
            Err(e) => Err(e),
        };
        match res {
            Ok(o) => {
                created.extend(o.succeeded.iter().filter_map(|s| s.asset_id.clone()));
                outcomes.extend(o);
            }
            Err(e) if is_fatal(&e) => return Err(e),
            Err(e)
                if created.is_empty()
                    && outcomes.failed.is_empty()
                    && outcomes.pending.is_empty() =>
            {
                return Err(e)
            }
            Err(e) => {
                let why = reason(&e);
                outcomes.failed.extend(
                    batch
                        .iter()
                        .map(|a| item(a).because(format!("not created: {why}"))),
                );
                stop = Some(why);
            }
        }
        done += n;
        events.progress(M, done, Some(total));
        current = next;
    }
    finish(M, json!({"id": project_id, "asset_ids": created}), outcomes)
}

/// Approximate bytes of an asset in the creating mutation (uploaded data counts as its URL).
fn payload_size(a: &Planned) -> usize {
    let layers = a
        .multi_layer
        .as_ref()
        .map_or(0, |l| serde_json::to_string(l).map_or(0, |s| s.len()));
    a.content.len()
        + a.json_content.len()
        + a.json_metadata.len()
        + a.external_id.len()
        + a.id.len()
        + layers
        + 200 * a.uploads.len()
        + 32
}

fn item(a: &Planned) -> ItemOutcome {
    ItemOutcome::new(Some(a.id.clone()), Some(a.external_id.clone()))
}

/// At most 20 ids, comma-separated, then "and N more".
fn preview(ids: &[String]) -> String {
    let mut s = ids.iter().take(20).cloned().collect::<Vec<_>>().join(", ");
    if ids.len() > 20 {
        s.push_str(&format!(" and {} more", ids.len() - 20));
    }
    s
}

/// The input type of the project. Errors: [`Error::NotFound`] when it is not visible.
async fn input_type(exec: &Exec<'_>, project_id: &str) -> Result<InputType> {
    let rows = exec
        .query(
            docs::PROJECT_INPUT_TYPE,
            json!({"where": {"id": project_id}, "first": 1, "skip": 0}),
            "projects",
            "data",
        )
        .await?;
    let Some(t) = rows
        .get(0)
        .and_then(|r| r.get("inputType"))
        .and_then(Value::as_str)
    else {
        return Err(Error::NotFound {
            message: format!("project ID: {project_id}. The project does not exist or you do not have access to it."),
            details: json!({"path": "project_id", "project_id": project_id}),
        });
    };
    InputType::parse(t)
}

/// The licence check before uploading local data (viewer → organization → licence).
async fn check_upload_allowed(exec: &Exec<'_>) -> Result<()> {
    let viewer = exec
        .query(docs::VIEWER_EMAIL, json!({}), "viewer", "data")
        .await?;
    let email = viewer
        .get("email")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let where_ = json!({"user": {"email": email}});
    let count = exec
        .query(
            docs::COUNT_ORGANIZATIONS,
            json!({"where": where_}),
            "countOrganizations",
            "data",
        )
        .await?;
    if count.as_u64().unwrap_or(0) == 0 {
        return Err(Error::InvalidState(
            "Cannot upload content from local data: the API key's user belongs to no organization"
                .into(),
        ));
    }
    let orgs = exec
        .query(
            docs::ORGANIZATION_LICENSE,
            json!({"where": where_, "first": 1, "skip": 0}),
            "organizations",
            "data",
        )
        .await?;
    let allowed = orgs
        .get(0)
        .and_then(|o| o.get("license"))
        .and_then(|l| l.get("uploadLocalData"))
        .and_then(Value::as_bool);
    if allowed == Some(false) {
        return Err(Error::InvalidState(
            "Cannot upload content from local data: the organization's licence does not allow it"
                .into(),
        ));
    }
    Ok(())
}
