//! Asset writes: creation, property updates and the three asset actions, each run inside the
//! caller's transaction (see README "Mutations" for the semantics and their reasons).

use rusqlite::types::FromSql;
use rusqlite::{params, OptionalExtension, Transaction};

use super::asset_filter::Filter;
use std::collections::{HashMap, HashSet};

use super::rows::{
    asset_by_id, asset_from, project_by_id, steps_of, AssetRow, ProjectRow, StepRow, ASSET_COLS,
    ASSET_FROM,
};
use super::{Store, StoreError, StoreResult};
use crate::gql::inputs::{AssetData, NewAsset};
use crate::time;

/// A fresh cuid-like id (25 chars, starting with `c`).
pub fn new_id() -> String {
    let u = uuid::Uuid::new_v4().simple().to_string();
    format!("c{}", &u[..24])
}

/// Latest creation time of the project's assets (the floor for new ones).
fn max_created(tx: &Transaction, project_id: &str) -> StoreResult<Option<String>> {
    Ok(tx
        .prepare_cached("SELECT MAX(created_at) FROM assets WHERE project_id = ?1")?
        .query_row([project_id], |r| r.get(0))?)
}

/// Creates `assets` in `project`, in order, with strictly increasing creation times.
///
/// Retry safety: an asset whose id already exists in the same project with the same external
/// id and content is reported as created again (not duplicated); an existing id with other
/// values fails the whole call (nothing is written).
pub fn create_assets(
    store: &Store,
    tx: &Transaction,
    project: &ProjectRow,
    assets: Vec<NewAsset>,
) -> StoreResult<Vec<String>> {
    let first_step: Option<String> = if project.workflow_version == "V1" {
        None
    } else {
        steps_of(tx, &project.id)?.first().map(|s| s.id.clone())
    };
    let mut floor = max_created(tx, &project.id)?;
    let mut ids = Vec::with_capacity(assets.len());
    for (i, a) in assets.into_iter().enumerate() {
        let id = a.id.filter(|s| !s.is_empty()).unwrap_or_else(new_id);
        let external_id = a
            .external_id
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string());
        let metadata = a
            .json_metadata
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| "{}".into());
        if serde_json::from_str::<serde_json::Value>(&metadata).is_err() {
            return Err(StoreError::Invalid(format!(
                "data.jsonMetadataArray[{i}] is not valid JSON text"
            )));
        }
        if let Some(existing) = asset_by_id(tx, &id)? {
            if existing.project_id == project.id
                && existing.external_id == external_id
                && existing.content == a.content
            {
                ids.push(id);
                continue;
            }
            return Err(StoreError::Invalid(format!(
                "data.idArray[{i}]: asset id {id} already exists with other values (project, externalId or content)"
            )));
        }
        let created = store.clock.next(floor.as_deref());
        floor = Some(created.clone());
        tx.prepare_cached(
            "INSERT INTO assets(id, project_id, external_id, content, json_content, json_metadata, created_at, status, is_honeypot, \
             step_id, step_status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute(params![
            id,
            project.id,
            external_id,
            a.content,
            a.json_content.unwrap_or_default(),
            metadata,
            created,
            a.status.unwrap_or_else(|| "TODO".into()),
            a.is_honeypot,
            first_step,
            first_step.as_ref().map(|_| "TO_DO"),
        ])?;
        ids.push(id);
    }
    Ok(ids)
}

/// Row id, id and project of each asset matching `f`, in no particular order: the lookup of
/// a batch update, which then writes each row by its rowid.
pub fn matching_rowids(tx: &Transaction, f: &Filter) -> StoreResult<Vec<(i64, String, String)>> {
    matching(tx, f, "a.rowid, a.id, a.project_id", "")
}

/// Ids of the assets matching `f`, oldest first.
pub fn matching_ids(tx: &Transaction, f: &Filter) -> StoreResult<Vec<(String, String, String)>> {
    matching(
        tx,
        f,
        "a.id, a.external_id, a.project_id",
        " ORDER BY a.created_at, a.id",
    )
}

/// Three `columns` of each asset matching `f`, `order` appended to the statement.
fn matching<A: FromSql, B: FromSql, C: FromSql>(
    tx: &Transaction,
    f: &Filter,
    columns: &str,
    order: &str,
) -> StoreResult<Vec<(A, B, C)>> {
    let sql = format!("SELECT {columns} FROM assets a WHERE {}{order}", f.sql);
    let mut st = tx.prepare_cached(&sql)?;
    let rows = st.query_map(rusqlite::params_from_iter(f.params.iter()), |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Applies `d` to asset `id` (a null field = unchanged), stamping `updated_at = now` (one
/// timestamp per call of the mutation). `index` names the item in errors.
pub fn update_asset(
    tx: &Transaction,
    id: &str,
    d: &AssetData,
    index: usize,
    now: &str,
) -> StoreResult<()> {
    // Only the row and the project id are needed (the project itself only for
    // isUsedForConsensus).
    let (rowid, project_id): (i64, String) = tx
        .prepare_cached("SELECT rowid, project_id FROM assets WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("where[{index}]: asset {id} not found")))?;
    update_asset_in(tx, id, rowid, &project_id, d, index, now)
}

/// Columns [`update_asset_in`] may set, in statement order; bit `i` of a mask is column `i`.
const UPDATE_COLS: [&str; 12] = [
    "external_id",
    "priority",
    "json_metadata",
    "consensus_mark",
    "honeypot_mark",
    "content",
    "json_content",
    "is_used_for_consensus",
    "is_honeypot",
    "page_resolutions",
    "resolution_width",
    "resolution_height",
];

thread_local! {
    /// The UPDATE statement text per column mask: built once instead of per item.
    static UPDATE_SQL: std::cell::RefCell<HashMap<u16, std::rc::Rc<str>>> =
        std::cell::RefCell::new(HashMap::new());
}

fn update_sql(mask: u16) -> std::rc::Rc<str> {
    UPDATE_SQL.with(|c| {
        c.borrow_mut()
            .entry(mask)
            .or_insert_with(|| {
                let mut sql = String::from("UPDATE assets SET ");
                for (i, col) in UPDATE_COLS.iter().enumerate() {
                    if mask & (1 << i) != 0 {
                        sql.push_str(col);
                        sql.push_str(" = ?, ");
                    }
                }
                // By rowid: one b-tree descent instead of the id index's two.
                sql.push_str("updated_at = ? WHERE rowid = ?");
                sql.into()
            })
            .clone()
    })
}

/// [`update_asset`] for an asset whose row and project are known.
pub fn update_asset_in(
    tx: &Transaction,
    id: &str,
    rowid: i64,
    project_id: &str,
    d: &AssetData,
    index: usize,
    now: &str,
) -> StoreResult<()> {
    use rusqlite::types::{ToSqlOutput, Value as V, ValueRef as R};
    // Values borrow the input (no copy of the texts); pushed in UPDATE_COLS order.
    let mut mask: u16 = 0;
    let mut vals: Vec<ToSqlOutput<'_>> = Vec::with_capacity(6);
    macro_rules! set {
        ($bit:expr, $v:expr) => {{
            mask |= 1 << $bit;
            vals.push($v);
        }};
    }
    fn text(x: &str) -> ToSqlOutput<'_> {
        ToSqlOutput::Borrowed(R::Text(x.as_bytes()))
    }
    if let Some(x) = &d.external_id {
        set!(0, text(x));
    }
    if let Some(x) = d.priority {
        set!(1, ToSqlOutput::Owned(V::Integer(x as i64)));
    }
    if let Some(x) = &d.json_metadata {
        // Validated without building the value.
        if serde_json::from_str::<serde::de::IgnoredAny>(x).is_err() {
            return Err(StoreError::Invalid(format!(
                "data[{index}].jsonMetadata is not valid JSON text"
            )));
        }
        set!(2, text(x));
    }
    if let Some(x) = d.consensus_mark {
        set!(3, ToSqlOutput::Owned(V::Real(x)));
    }
    if let Some(x) = d.honeypot_mark {
        set!(4, ToSqlOutput::Owned(V::Real(x)));
    }
    if let Some(x) = &d.content {
        set!(5, text(x));
    }
    if let Some(x) = &d.json_content {
        set!(6, text(x));
    }
    if let Some(x) = d.is_used_for_consensus {
        let project = project_by_id(tx, project_id)?;
        if project.as_ref().is_some_and(|p| p.workflow_version != "V1") {
            return Err(StoreError::Invalid(
                "[deprecated] `updatePropertiesInAssets` isUsedForConsensus is not supported on this workflow; use `setAssetConsensus`".into(),
            ));
        }
        set!(7, ToSqlOutput::Owned(V::Integer(x as i64)));
    }
    if let Some(x) = d.is_honeypot {
        set!(8, ToSqlOutput::Owned(V::Integer(x as i64)));
    }
    if let Some(x) = &d.page_resolutions {
        set!(
            9,
            ToSqlOutput::Owned(V::Text(
                serde_json::to_string(x).unwrap_or_else(|_| "[]".into()),
            ))
        );
    }
    if let Some(x) = &d.resolution {
        set!(10, ToSqlOutput::Owned(V::Integer(x.width as i64)));
        set!(11, ToSqlOutput::Owned(V::Integer(x.height as i64)));
    }
    vals.push(text(now));
    vals.push(ToSqlOutput::Owned(V::Integer(rowid)));
    tx.prepare_cached(&update_sql(mask))?
        .execute(rusqlite::params_from_iter(vals.iter()))?;
    let reset = d.should_reset_to_be_labeled_by == Some(true);
    if reset || d.to_be_labeled_by.is_some() {
        tx.execute("DELETE FROM asset_assignees WHERE asset_id = ?1", [id])?;
    }
    if let Some(users) = &d.to_be_labeled_by {
        for (k, u) in users.iter().enumerate() {
            let uid: Option<String> = tx
                .query_row(
                    "SELECT id FROM users WHERE email = ?1 OR id = ?1",
                    [u],
                    |r| r.get(0),
                )
                .optional()?;
            let uid = uid.ok_or_else(|| {
                StoreError::Invalid(format!(
                    "data[{index}].toBeLabeledBy[{k}]: no user with e-mail {u}"
                ))
            })?;
            tx.execute(
                "INSERT OR IGNORE INTO asset_assignees(asset_id, user_id) VALUES (?1, ?2)",
                params![id, uid],
            )?;
        }
    }
    Ok(())
}

/// One of the asset actions answering a per-item outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Delete,
    Review,
    Queue,
    /// `setAssetsPriority`: the new priority of assets waiting for work.
    Priority(i64),
    /// `assignAssets`: the user ids that become the assignees (checked to exist beforehand).
    Assign(Vec<String>),
}

/// Per-item outcome lists: (asset id, external id, failure details).
#[derive(Debug, Default)]
pub struct Outcome {
    pub succeeded: Vec<(String, Option<String>)>,
    pub declined: Vec<(String, Option<String>)>,
    pub failed: Vec<(String, Option<String>, Option<String>)>,
    /// Projects touched (for the legacy mutations, which return a project).
    pub projects: Vec<String>,
}

/// The matching assets, oldest first, as full rows (one query).
fn matching_rows(tx: &Transaction, f: &Filter) -> StoreResult<Vec<AssetRow>> {
    let sql = format!(
        "SELECT {ASSET_COLS} FROM {ASSET_FROM} WHERE {} ORDER BY a.created_at, a.id",
        f.sql
    );
    let mut st = tx.prepare_cached(&sql)?;
    let rows = st.query_map(rusqlite::params_from_iter(f.params.iter()), asset_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A project and its steps, loaded once per action call (not once per asset).
struct ProjectCtx {
    project: ProjectRow,
    steps: Vec<StepRow>,
}

/// Applies `action` to the assets matching `f`; ids named in `named_ids` (the `idIn` of the
/// filter) that match nothing are reported too, so every asset given comes back exactly once.
pub fn asset_action(
    tx: &Transaction,
    f: &Filter,
    named_ids: &[String],
    action: Action,
) -> StoreResult<Outcome> {
    let matched = matching_rows(tx, f)?;
    let mut out = Outcome::default();
    let seen: HashSet<&str> = matched.iter().map(|m| m.id.as_str()).collect();
    for id in named_ids {
        if seen.contains(id.as_str()) {
            continue;
        }
        let exists: Option<String> = tx
            .prepare_cached("SELECT external_id FROM assets WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        match (&action, exists) {
            // Deleting an asset that is already gone succeeds (retry safety).
            (Action::Delete, None) => out.succeeded.push((id.clone(), None)),
            (_, Some(_)) => out.failed.push((
                id.clone(),
                None,
                Some("asset not found in the projects you can access".into()),
            )),
            (_, None) => out
                .failed
                .push((id.clone(), None, Some("asset not found".into()))),
        }
    }
    let mut projects: HashMap<String, ProjectCtx> = HashMap::new();
    // One timestamp per call; deletions run as one statement per table and chunk of ids.
    let now = time::now();
    let mut deleted: Vec<&str> = Vec::new();
    for asset in &matched {
        if !projects.contains_key(&asset.project_id) {
            out.projects.push(asset.project_id.clone());
            let project = project_by_id(tx, &asset.project_id)?.expect("asset project exists");
            let steps = if project.workflow_version == "V1" {
                Vec::new()
            } else {
                steps_of(tx, &project.id)?
            };
            projects.insert(asset.project_id.clone(), ProjectCtx { project, steps });
        }
        let id = &asset.id;
        let ext = Some(asset.external_id.clone());
        match &action {
            Action::Delete => {
                deleted.push(id);
                out.succeeded.push((id.clone(), ext));
            }
            Action::Review | Action::Queue | Action::Priority(_) => {
                let pc = &projects[&asset.project_id];
                let ok = match &action {
                    Action::Review => review(tx, &pc.project, &pc.steps, asset, &now)?,
                    Action::Queue => queue(tx, &pc.project, &pc.steps, asset, &now)?,
                    Action::Priority(p) => set_priority(tx, &pc.project, asset, *p, &now)?,
                    _ => unreachable!("handled by the outer match"),
                };
                if ok {
                    out.succeeded.push((id.clone(), ext));
                } else {
                    out.declined.push((id.clone(), ext));
                }
            }
            Action::Assign(users) => match assign(tx, asset, users, &now)? {
                Assigned::Yes => out.succeeded.push((id.clone(), ext)),
                Assigned::InProgress => out.declined.push((id.clone(), ext)),
                Assigned::NotMember(u) => out.failed.push((
                    id.clone(),
                    ext,
                    Some(format!(
                        "user {u} is not a member of project {}",
                        asset.project_id
                    )),
                )),
            },
        }
    }
    delete_assets_rows(tx, &deleted)?;
    Ok(out)
}

/// Deletes the assets `ids` with their labels, issues and assignments.
fn delete_assets_rows(tx: &Transaction, ids: &[&str]) -> StoreResult<()> {
    // Full chunks share one cached statement per table; the last chunk gets its own.
    for chunk in ids.chunks(100) {
        let marks = vec!["?"; chunk.len()].join(",");
        for (table, col) in [
            ("labels", "asset_id"),
            ("issues", "asset_id"),
            ("asset_assignees", "asset_id"),
            ("assets", "id"),
        ] {
            tx.prepare_cached(&format!("DELETE FROM {table} WHERE {col} IN ({marks})"))?
                .execute(rusqlite::params_from_iter(chunk.iter()))?;
        }
    }
    Ok(())
}

fn has_labels(tx: &Transaction, asset_id: &str) -> StoreResult<bool> {
    Ok(tx.prepare_cached(
        "SELECT EXISTS(SELECT 1 FROM labels WHERE asset_id = ?1 AND COALESCE(label_type,'') NOT IN ('AUTOSAVE','INFERENCE','PREDICTION'))",
    )?
    .query_row([asset_id], |r| r.get(0))?)
}

// Long statements of review / queue, prepared once per connection (prepare_cached).
const REVIEW_STEP_SQL: &str = "UPDATE assets SET step_id = ?2, step_status = 'TO_DO', status = 'TO_REVIEW', updated_at = ?3 WHERE id = ?1";
const QUEUE_V1_SQL: &str =
    "UPDATE assets SET status = 'ONGOING', priority = priority + 1, updated_at = ?2 WHERE id = ?1";
const QUEUE_STEP_SQL: &str = "UPDATE assets SET step_id = ?2, step_status = 'REWORK', status = 'ONGOING', priority = priority + 1, updated_at = ?3 WHERE id = ?1";

/// Add to review. V1: LABELED/REVIEWED/TO_REVIEW -> TO_REVIEW, anything else declined.
/// V2/V3: a labeled asset whose step is DONE moves to the next REVIEW step (TO_DO); an asset
/// already waiting in a review step succeeds again; anything else is declined.
fn review(
    tx: &Transaction,
    p: &ProjectRow,
    steps: &[StepRow],
    a: &AssetRow,
    now: &str,
) -> StoreResult<bool> {
    if p.workflow_version == "V1" {
        if matches!(a.status.as_str(), "LABELED" | "REVIEWED" | "TO_REVIEW") {
            tx.prepare_cached(
                "UPDATE assets SET status = 'TO_REVIEW', updated_at = ?2 WHERE id = ?1",
            )?
            .execute(params![a.id, now])?;
            return Ok(true);
        }
        return Ok(false);
    }
    let pos = steps.iter().position(|s| Some(&s.id) == a.step_id.as_ref());
    let Some(pos) = pos else { return Ok(false) };
    if steps[pos].kind.as_deref() == Some("REVIEW") && a.step_status.as_deref() == Some("TO_DO") {
        return Ok(true);
    }
    if a.step_status.as_deref() != Some("DONE") || !has_labels(tx, &a.id)? {
        return Ok(false);
    }
    let Some(next) = steps[pos + 1..]
        .iter()
        .find(|s| s.kind.as_deref() == Some("REVIEW"))
    else {
        return Ok(false);
    };
    tx.prepare_cached(REVIEW_STEP_SQL)?
        .execute(params![a.id, next.id, now])?;
    Ok(true)
}

/// Send back to queue. V1: TODO declined; otherwise ONGOING with priority + 1.
/// V2/V3: skipped assets and assets still to do in the first step are declined; otherwise the
/// asset returns to the first step with status REWORK and priority + 1.
fn queue(
    tx: &Transaction,
    p: &ProjectRow,
    steps: &[StepRow],
    a: &AssetRow,
    now: &str,
) -> StoreResult<bool> {
    if p.workflow_version == "V1" {
        if a.status == "TODO" {
            return Ok(false);
        }
        tx.prepare_cached(QUEUE_V1_SQL)?
            .execute(params![a.id, now])?;
        tx.prepare_cached(
            "UPDATE labels SET is_sent_back_to_queue = 1 WHERE asset_id = ?1 AND is_latest = 1",
        )?
        .execute([&a.id])?;
        return Ok(true);
    }
    if a.skipped || a.step_status.as_deref() == Some("SKIPPED") {
        return Ok(false);
    }
    let Some(first) = steps.first() else {
        return Ok(false);
    };
    if a.step_id.as_deref() == Some(first.id.as_str()) && a.step_status.as_deref() == Some("TO_DO")
    {
        return Ok(false);
    }
    tx.prepare_cached(QUEUE_STEP_SQL)?
        .execute(params![a.id, first.id, now])?;
    tx.prepare_cached(
        "UPDATE labels SET is_sent_back_to_queue = 1 WHERE asset_id = ?1 AND is_latest = 1",
    )?
    .execute([&a.id])?;
    Ok(true)
}

/// Whether an asset is waiting for work, the only state whose priority matters: V1 `TODO` or
/// `ONGOING` (the queue's two states; send-back puts assets in `ONGOING`), V2/V3 a step status
/// `TO_DO` or `REWORK`; never a skipped asset. In progress, done and skipped are declined.
fn waiting_for_work(p: &ProjectRow, a: &AssetRow) -> bool {
    if a.skipped {
        return false;
    }
    if p.workflow_version == "V1" {
        matches!(a.status.as_str(), "TODO" | "ONGOING")
    } else {
        matches!(a.step_status.as_deref(), Some("TO_DO") | Some("REWORK"))
    }
}

/// `setAssetsPriority` on one asset: sets the priority of an asset waiting for work (setting
/// the value it already has succeeds, so a resent batch gives the same outcome); declines
/// the others.
fn set_priority(
    tx: &Transaction,
    p: &ProjectRow,
    a: &AssetRow,
    priority: i64,
    now: &str,
) -> StoreResult<bool> {
    if !waiting_for_work(p, a) {
        return Ok(false);
    }
    tx.prepare_cached("UPDATE assets SET priority = ?2, updated_at = ?3 WHERE id = ?1")?
        .execute(params![a.id, priority, now])?;
    Ok(true)
}

/// What `assignAssets` did to one asset.
enum Assigned {
    Yes,
    /// A current assignee who would lose the asset has a label in progress on it (an
    /// `AUTOSAVE` draft): the asset is left unchanged.
    InProgress,
    /// This user is not an active member of the asset's project.
    NotMember(String),
}

/// `assignAssets` on one asset: the assignees become exactly `users` (an empty list
/// unassigns), unless that would take the asset from a labeler with a draft on it.
fn assign(tx: &Transaction, a: &AssetRow, users: &[String], now: &str) -> StoreResult<Assigned> {
    for u in users {
        let member: bool = tx
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM project_members WHERE project_id = ?1 AND user_id = ?2 AND activated = 1)",
            )?
            .query_row(params![a.project_id, u], |r| r.get(0))?;
        if !member {
            return Ok(Assigned::NotMember(u.clone()));
        }
    }
    let current: Vec<String> = tx
        .prepare_cached("SELECT user_id FROM asset_assignees WHERE asset_id = ?1")?
        .query_map([&a.id], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for c in current.iter().filter(|c| !users.contains(c)) {
        let drafting: bool = tx
            .prepare_cached(
                "SELECT EXISTS(SELECT 1 FROM labels WHERE asset_id = ?1 AND author_id = ?2 AND label_type = 'AUTOSAVE')",
            )?
            .query_row(params![a.id, c], |r| r.get(0))?;
        if drafting {
            return Ok(Assigned::InProgress);
        }
    }
    tx.prepare_cached("DELETE FROM asset_assignees WHERE asset_id = ?1")?
        .execute([&a.id])?;
    for u in users {
        tx.prepare_cached(
            "INSERT OR IGNORE INTO asset_assignees(asset_id, user_id) VALUES (?1, ?2)",
        )?
        .execute(params![a.id, u])?;
    }
    tx.prepare_cached("UPDATE assets SET updated_at = ?2 WHERE id = ?1")?
        .execute(params![a.id, now])?;
    Ok(Assigned::Yes)
}

/// Fails unless every id of `users` names a user (`userIds[k]` in the message).
pub fn check_users(tx: &Transaction, users: &[String]) -> StoreResult<()> {
    for (k, u) in users.iter().enumerate() {
        let exists: bool = tx
            .prepare_cached("SELECT EXISTS(SELECT 1 FROM users WHERE id = ?1)")?
            .query_row([u], |r| r.get(0))?;
        if !exists {
            return Err(StoreError::Invalid(format!(
                "userIds[{k}]: no user with id {u}"
            )));
        }
    }
    Ok(())
}

/// `setAssetConsensus`: turns consensus on or off for `asset` of `project`, as the viewer
/// whose project role is `role`. The server accepts it only on V2/V3 projects, with consensus
/// enabled (here: a project consensus coverage above 0, the emulator's stand-in for the
/// step's consensus setting), while the asset waits in a labeling (`DEFAULT`) step with status
/// `TO_DO`, and for admins and team managers; otherwise an error (nothing written). Setting
/// the value the asset already has succeeds (a resend is harmless).
pub fn set_consensus(
    tx: &Transaction,
    project: &ProjectRow,
    role: Option<&str>,
    asset: &AssetRow,
    is_consensus: bool,
) -> StoreResult<bool> {
    if !matches!(role, Some("ADMIN") | Some("TEAM_MANAGER")) {
        return Err(StoreError::Forbidden(format!(
            "setAssetConsensus: only an admin or a team manager of project {} may change consensus",
            project.id
        )));
    }
    if project.workflow_version == "V1" {
        return Err(StoreError::Invalid(
            "setAssetConsensus is not available on projects using the legacy workflow; use updatePropertiesInAssets with isUsedForConsensus".into(),
        ));
    }
    if project.consensus_tot_coverage.unwrap_or(0) <= 0 {
        return Err(StoreError::Invalid(format!(
            "setAssetConsensus: consensus is not enabled on project {}",
            project.id
        )));
    }
    let step_kind: Option<String> = match &asset.step_id {
        Some(s) => tx
            .prepare_cached("SELECT type FROM steps WHERE id = ?1")?
            .query_row([s], |r| r.get(0))
            .optional()?
            .flatten(),
        None => None,
    };
    if step_kind.as_deref() != Some("DEFAULT") || asset.step_status.as_deref() != Some("TO_DO") {
        return Err(StoreError::Invalid(format!(
            "setAssetConsensus: asset {} must be in a labeling step with status TO_DO (it is {} in {})",
            asset.id,
            asset.step_status.as_deref().unwrap_or("none"),
            asset.step_name.as_deref().unwrap_or("no step"),
        )));
    }
    tx.prepare_cached(
        "UPDATE assets SET is_used_for_consensus = ?2, updated_at = ?3 WHERE id = ?1",
    )?
    .execute(params![asset.id, is_consensus, time::now()])?;
    Ok(is_consensus)
}

/// `skipAsset`: marks `asset` skipped (V2/V3: its step status becomes `SKIPPED`). An asset
/// used for consensus cannot be skipped (skipping would take it from every labeler assigned).
/// Skipping a skipped asset changes nothing and succeeds. The reason is not stored: nothing
/// in the emulator's schema reads it back.
pub fn skip(tx: &Transaction, asset: &AssetRow) -> StoreResult<()> {
    if asset.is_used_for_consensus {
        return Err(StoreError::Invalid(format!(
            "skipAsset: asset {} is used for consensus and cannot be skipped",
            asset.id
        )));
    }
    if asset.skipped {
        return Ok(());
    }
    tx.prepare_cached(
        "UPDATE assets SET skipped = 1, step_status = CASE WHEN step_id IS NULL THEN step_status ELSE 'SKIPPED' END, updated_at = ?2 WHERE id = ?1",
    )?
    .execute(params![asset.id, time::now()])?;
    Ok(())
}

/// `unskipAsset`: the asset is no longer skipped (V2/V3: a `SKIPPED` step status becomes
/// `TO_DO`). Unskipping an asset that is not skipped changes nothing and succeeds.
pub fn unskip(tx: &Transaction, asset: &AssetRow) -> StoreResult<()> {
    if !asset.skipped && asset.step_status.as_deref() != Some("SKIPPED") {
        return Ok(());
    }
    tx.prepare_cached(
        "UPDATE assets SET skipped = 0, step_status = CASE WHEN step_status = 'SKIPPED' THEN 'TO_DO' ELSE step_status END, updated_at = ?2 WHERE id = ?1",
    )?
    .execute(params![asset.id, time::now()])?;
    Ok(())
}

/// Records a finished notification for `user_id` and returns its id.
pub fn create_notification(tx: &Transaction, user_id: &str, status: &str) -> StoreResult<String> {
    let id = new_id();
    tx.execute(
        "INSERT INTO notifications(id, user_id, status, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![id, user_id, status, time::now()],
    )?;
    Ok(id)
}
