//! Root mutation resolvers: both generations of asset mutations. Each call is one transaction.

use async_graphql::{Context, Object, Result, ID};
use rusqlite::OptionalExtension;
use std::collections::HashMap;

use super::inputs::*;
use super::objects::*;
use super::{app, error, viewer, Gql};
use crate::store::rows::{self, ProjectRow, UserRow};
use crate::store::writes::{self, Action, Outcome};
use crate::store::{asset_filter, StoreError};

/// Write operations.
pub struct Mutation;

fn project_for_write(ctx: &Context<'_>, v: &UserRow, w: &ProjectWhere) -> Result<ProjectRow> {
    let id =
        w.id.as_ref()
            .ok_or_else(|| error("BAD_USER_INPUT", "where.id: the project id is required"))?;
    app(ctx)
        .store
        .read(|c| rows::visible_project(c, &v.id, id))
        .gql()?
        .ok_or_else(|| {
            error(
                "NOT_FOUND",
                format!(
                    "where.id: project {} does not exist or you do not have access to it",
                    id.as_str()
                ),
            )
        })
}

fn create(
    ctx: &Context<'_>,
    project: &ProjectRow,
    assets: std::result::Result<Vec<NewAsset>, String>,
) -> Result<Vec<String>> {
    let assets = assets.map_err(|m| error("BAD_USER_INPUT", m))?;
    let store = &app(ctx).store;
    store
        .write(|tx| writes::create_assets(store, tx, project, assets))
        .gql()
}

/// The id of a filter that names exactly one asset by id and nothing else. Destructured
/// field by field so that a new filter field cannot be forgotten here.
fn only_id(w: &AssetWhere) -> Option<&str> {
    let AssetWhere {
        id,
        project,
        external_id_strictly_in,
        external_id_in,
        status_in,
        consensus_mark_gte,
        consensus_mark_lte,
        honeypot_mark_gte,
        honeypot_mark_lte,
        id_in,
        id_not_in,
        metadata,
        assignee_in,
        assignee_not_in,
        label,
        skipped,
        updated_at_gte,
        updated_at_lte,
        created_at_gte,
        created_at_lte,
        inference_mark_gte,
        inference_mark_lte,
        issue,
        step_id_in,
        step_id_not_in,
        step_status_in,
        step_status_not_in,
        step_id_and_status_in,
        step_id_and_status_not_in,
        group_name_in,
        group_name_not_in,
    } = w;
    let others_empty = project.is_none()
        && external_id_strictly_in.is_none()
        && external_id_in.is_none()
        && status_in.is_none()
        && consensus_mark_gte.is_none()
        && consensus_mark_lte.is_none()
        && honeypot_mark_gte.is_none()
        && honeypot_mark_lte.is_none()
        && id_in.is_none()
        && id_not_in.is_none()
        && metadata.is_none()
        && assignee_in.is_none()
        && assignee_not_in.is_none()
        && label.is_none()
        && skipped.is_none()
        && updated_at_gte.is_none()
        && updated_at_lte.is_none()
        && created_at_gte.is_none()
        && created_at_lte.is_none()
        && inference_mark_gte.is_none()
        && inference_mark_lte.is_none()
        && issue.is_none()
        && step_id_in.is_none()
        && step_id_not_in.is_none()
        && step_status_in.is_none()
        && step_status_not_in.is_none()
        && step_id_and_status_in.is_none()
        && step_id_and_status_not_in.is_none()
        && group_name_in.is_none()
        && group_name_not_in.is_none();
    if others_empty {
        id.as_deref().map(String::as_str)
    } else {
        None
    }
}

/// The asset of `project_id` with id `id` and/or external id `external_id` (both must match
/// when both are given), or `NotFound`.
fn one_asset(
    tx: &rusqlite::Transaction,
    project_id: &str,
    id: Option<&str>,
    external_id: Option<&str>,
) -> std::result::Result<rows::AssetRow, StoreError> {
    let found = match (id, external_id) {
        (Some(id), _) => rows::asset_by_id(tx, id)?,
        (None, Some(e)) => {
            let id: Option<String> = tx
                .query_row(
                    "SELECT id FROM assets WHERE project_id = ?1 AND external_id = ?2 ORDER BY created_at LIMIT 1",
                    [project_id, e],
                    |r| r.get(0),
                )
                .optional()?;
            match id {
                Some(id) => rows::asset_by_id(tx, &id)?,
                None => None,
            }
        }
        (None, None) => None,
    };
    found
        .filter(|a| a.project_id == project_id)
        .filter(|a| external_id.map_or(true, |e| a.external_id == e))
        .ok_or_else(|| {
            StoreError::NotFound(format!(
                "no asset {} in project {project_id}",
                id.or(external_id).unwrap_or("")
            ))
        })
}

/// The assets `ids` (missing ones skipped), in order, for the answer of a mutation.
fn load_assets(ctx: &Context<'_>, ids: &[String]) -> Result<Vec<Asset>> {
    let store = &app(ctx).store;
    let rows = store.read(|c| rows::assets_by_ids(c, ids)).gql()?;
    Ok(rows.into_iter().map(Asset).collect())
}

/// Whether the current field's selection needs nothing of an asset but its id (what the
/// clients select after an update), so the answer can be built without reading rows back.
fn selects_only_id(ctx: &Context<'_>) -> bool {
    ctx.field()
        .selection_set()
        .all(|f| matches!(f.name(), "id" | "__typename"))
}

fn action(ctx: &Context<'_>, w: &AssetWhere, act: Action) -> Result<Outcome> {
    let v = viewer(ctx)?;
    let named: Vec<String> = w
        .id_in
        .iter()
        .flatten()
        .map(|i| i.to_string())
        .chain(w.id.iter().map(|i| i.to_string()))
        .collect();
    let store = &app(ctx).store;
    store
        .write(|tx| {
            // A bad user id is an error of the whole call, not of each asset.
            if let Action::Assign(users) = &act {
                writes::check_users(tx, users)?;
            }
            let f = asset_filter::build(tx, w, &v.id)?;
            writes::asset_action(tx, &f, &named, act)
        })
        .gql()
}

fn outcome(o: Outcome) -> AssetActionOutcome {
    AssetActionOutcome {
        succeeded: o
            .succeeded
            .into_iter()
            .map(|(id, e)| AssetRef {
                asset_id: ID(id),
                external_id: e,
            })
            .collect(),
        declined: o
            .declined
            .into_iter()
            .map(|(id, e)| AssetRef {
                asset_id: ID(id),
                external_id: e,
            })
            .collect(),
        failed: o
            .failed
            .into_iter()
            .map(|(id, e, d)| AssetFailure {
                asset_id: ID(id),
                external_id: e,
                details: d,
            })
            .collect(),
    }
}

/// The project a legacy action returns: the one named in the filter, else the first touched.
fn legacy_project(
    ctx: &Context<'_>,
    w: &AssetWhere,
    o: &Outcome,
    require_change: bool,
) -> Result<Option<Project>> {
    if require_change && o.succeeded.is_empty() {
        return Ok(None);
    }
    let id = w
        .project
        .as_ref()
        .and_then(|p| p.id.as_ref())
        .map(|i| i.to_string())
        .or_else(|| o.projects.first().cloned());
    let Some(id) = id else { return Ok(None) };
    Ok(app(ctx)
        .store
        .read(|c| rows::project_by_id(c, &id))
        .gql()?
        .map(Project))
}

/// `updatePropertiesInAssets` where each `where` item is just an id: `data[i]` (if any) is
/// applied to asset `ids[i]`, stamped `now`; returns the ids. Same rows and errors as the
/// general path (a filter per item), with one visibility query per batch. Shared with the
/// fast path (gql/fast_update.rs).
///
/// Errors: `NotFound` when an id is unknown or not visible to `viewer_id`; the errors of
/// [`writes::update_asset_in`]. The caller's transaction must then be rolled back.
pub(crate) fn update_by_ids(
    tx: &rusqlite::Transaction,
    viewer_id: &str,
    ids: &[&str],
    data: &[AssetData],
    now: &str,
) -> std::result::Result<Vec<String>, StoreError> {
    let batch = AssetWhere {
        id_in: Some(ids.iter().map(|i| ID::from(*i)).collect()),
        ..Default::default()
    };
    let f = asset_filter::build(tx, &batch, viewer_id)?;
    let rows: HashMap<String, (i64, String)> = writes::matching_rowids(tx, &f)?
        .into_iter()
        .map(|(rowid, id, project)| (id, (rowid, project)))
        .collect();
    let mut out = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        let Some((rowid, project_id)) = rows.get(*id) else {
            return Err(StoreError::NotFound(format!(
                "where[{i}]: no asset matches {id} in the projects you can access"
            )));
        };
        if let Some(d) = data.get(i) {
            writes::update_asset_in(tx, id, *rowid, project_id, d, i, now)?;
        }
        out.push(id.to_string());
    }
    Ok(out)
}

#[Object]
impl Mutation {
    /// Creates assets synchronously with the client's ids; returns them in order.
    async fn append_many_assets(
        &self,
        ctx: &Context<'_>,
        data: AppendManyAssetsData,
        #[graphql(name = "where")] filter: ProjectWhere,
    ) -> Result<Vec<Asset>> {
        let v = viewer(ctx)?;
        let p = project_for_write(ctx, &v, &filter)?;
        let new = zip_new_assets(
            &data.content_array,
            &None,
            &data.json_content_array,
            &data.external_id_array,
            &data.id_array,
            &data.json_metadata_array,
            &data.is_honeypot_array,
            &None,
        );
        let ids = create(ctx, &p, new)?;
        load_assets(ctx, &ids)
    }

    /// Creates assets (immediately, in the emulator) and returns a notification that is
    /// already `SUCCESS`.
    async fn append_many_assets_asynchronously(
        &self,
        ctx: &Context<'_>,
        data: AppendManyAssetsAsynchronouslyData,
        #[graphql(name = "where")] filter: ProjectWhere,
    ) -> Result<Notification> {
        let v = viewer(ctx)?;
        let p = project_for_write(ctx, &v, &filter)?;
        let new = zip_new_assets(
            &data.content_array,
            &data.multi_layer_content_array,
            &data.json_content_array,
            &data.external_id_array,
            &data.id_array,
            &data.json_metadata_array,
            &None,
            &None,
        )
        .map_err(|m| error("BAD_USER_INPUT", m))?;
        let store = &app(ctx).store;
        let id = store
            .write(|tx| {
                writes::create_assets(store, tx, &p, new)?;
                writes::create_notification(tx, &v.id, "SUCCESS")
            })
            .gql()?;
        let n = store
            .read(|c| {
                Ok(c.query_row(
                    "SELECT id, status, created_at FROM notifications WHERE id = ?1",
                    [&id],
                    |r| {
                        Ok(Notification {
                            id: ID(r.get(0)?),
                            status: r.get(1)?,
                            created_at: r.get(2)?,
                        })
                    },
                )?)
            })
            .gql()?;
        Ok(n)
    }

    /// Updates properties: `where[i]` gets `data[i]` (an empty `data` changes nothing);
    /// returns the updated assets.
    async fn update_properties_in_assets(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: Vec<AssetWhere>,
        data: Vec<AssetData>,
    ) -> Result<Vec<Asset>> {
        let v = viewer(ctx)?;
        if !data.is_empty() && data.len() != filter.len() {
            return Err(error(
                "BAD_USER_INPUT",
                format!(
                    "data has {} items but where has {}: give one data item per where item",
                    data.len(),
                    filter.len()
                ),
            ));
        }
        let store = &app(ctx).store;
        let now = crate::time::now();
        let ids = store
            .write(|tx| {
                let mut ids = Vec::new();
                // What the SDK sends: one `{id}` per item.
                if let Some(plain) = filter.iter().map(only_id).collect::<Option<Vec<&str>>>() {
                    return update_by_ids(tx, &v.id, &plain, &data, &now);
                }
                for (i, w) in filter.iter().enumerate() {
                    let f = asset_filter::build(tx, w, &v.id)?;
                    let matched = writes::matching_ids(tx, &f)?;
                    if matched.is_empty() {
                        let what =
                            w.id.as_ref()
                                .map(|i| i.to_string())
                                .unwrap_or_else(|| "the filter".into());
                        return Err(StoreError::NotFound(format!(
                            "where[{i}]: no asset matches {what} in the projects you can access"
                        )));
                    }
                    for (id, _, _) in matched {
                        if let Some(d) = data.get(i) {
                            writes::update_asset(tx, &id, d, i, &now)?;
                        }
                        ids.push(id);
                    }
                }
                Ok(ids)
            })
            .gql()?;
        // The rows were all updated (or checked) in the transaction: their ids are the answer.
        if selects_only_id(ctx) {
            return Ok(ids
                .into_iter()
                .map(|id| Asset(rows::AssetRow::id_only(id)))
                .collect());
        }
        load_assets(ctx, &ids)
    }

    /// Deletes the matching assets; per-item outcome.
    async fn delete_assets(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: AssetWhere,
    ) -> Result<AssetActionOutcome> {
        Ok(outcome(action(ctx, &filter, Action::Delete)?))
    }

    /// Moves the matching assets to review; per-item outcome.
    async fn add_assets_to_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: AssetWhere,
    ) -> Result<AssetActionOutcome> {
        Ok(outcome(action(ctx, &filter, Action::Review)?))
    }

    /// Sends the matching assets back to the queue; per-item outcome.
    async fn send_assets_back_to_queue(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: AssetWhere,
    ) -> Result<AssetActionOutcome> {
        Ok(outcome(action(ctx, &filter, Action::Queue)?))
    }

    /// Sets the priority of the matching assets that wait for work; the others are declined
    /// (see `writes::set_priority`). Per-item outcome.
    async fn set_assets_priority(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: AssetWhere,
        priority: i32,
    ) -> Result<AssetActionOutcome> {
        if priority < 0 {
            return Err(error(
                "BAD_USER_INPUT",
                format!("priority must be an integer >= 0, got {priority}"),
            ));
        }
        Ok(outcome(action(
            ctx,
            &filter,
            Action::Priority(priority.into()),
        )?))
    }

    /// Makes `userIds` the assignees of the matching assets (an empty list unassigns). An
    /// asset whose labeler with a draft would lose it is declined; a user who is not a
    /// member of an asset's project fails that asset; an unknown user id fails the call.
    async fn assign_assets(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: AssetWhere,
        user_ids: Vec<String>,
    ) -> Result<AssetActionOutcome> {
        Ok(outcome(action(ctx, &filter, Action::Assign(user_ids))?))
    }

    /// Turns consensus on or off for one asset (by id and/or external id) of a V2/V3 project;
    /// returns the value set. Preconditions in `writes::set_consensus`.
    async fn set_asset_consensus(
        &self,
        ctx: &Context<'_>,
        asset_id: Option<ID>,
        external_id: Option<String>,
        project_id: ID,
        is_consensus: bool,
    ) -> Result<bool> {
        let v = viewer(ctx)?;
        let p = project_for_write(
            ctx,
            &v,
            &ProjectWhere {
                id: Some(project_id.clone()),
                ..Default::default()
            },
        )?;
        if asset_id.is_none() && external_id.is_none() {
            return Err(error(
                "BAD_USER_INPUT",
                "setAssetConsensus: give assetId or externalId",
            ));
        }
        let store = &app(ctx).store;
        store
            .write(|tx| {
                let a = one_asset(tx, &p.id, asset_id.as_deref().map(String::as_str), external_id.as_deref())?;
                let role: Option<String> = tx
                    .query_row(
                        "SELECT role FROM project_members WHERE project_id = ?1 AND user_id = ?2 AND activated = 1",
                        [&p.id, &v.id],
                        |r| r.get(0),
                    )
                    .optional()?;
                writes::set_consensus(tx, &p, role.as_deref(), &a, is_consensus)
            })
            .gql()
    }

    /// Skips the one asset `where` names (id within a project the viewer can access).
    async fn skip_asset(
        &self,
        ctx: &Context<'_>,
        reason: String,
        #[graphql(name = "where")] filter: AssetWhere,
    ) -> Result<Asset> {
        let v = viewer(ctx)?;
        if reason.trim().is_empty() {
            return Err(error(
                "BAD_USER_INPUT",
                "reason: give why the asset is skipped",
            ));
        }
        let store = &app(ctx).store;
        let id = store
            .write(|tx| {
                let f = asset_filter::build(tx, &filter, &v.id)?;
                let matched = writes::matching_ids(tx, &f)?;
                let [(id, _, _)] = matched.as_slice() else {
                    return Err(if matched.is_empty() {
                        StoreError::NotFound(
                            "skipAsset: no asset matches where in the projects you can access"
                                .into(),
                        )
                    } else {
                        StoreError::Invalid(format!(
                            "skipAsset: where must name one asset, it matches {}",
                            matched.len()
                        ))
                    });
                };
                let a = rows::asset_by_id(tx, id)?.expect("matched asset exists");
                writes::skip(tx, &a)?;
                Ok(a.id)
            })
            .gql()?;
        Ok(load_assets(ctx, &[id])?.remove(0))
    }

    /// Unskips asset `assetId` of project `projectId`; returns the asset id.
    async fn unskip_asset(
        &self,
        ctx: &Context<'_>,
        project_id: ID,
        asset_id: ID,
    ) -> Result<String> {
        let v = viewer(ctx)?;
        let p = project_for_write(
            ctx,
            &v,
            &ProjectWhere {
                id: Some(project_id),
                ..Default::default()
            },
        )?;
        let store = &app(ctx).store;
        store
            .write(|tx| {
                let a = one_asset(tx, &p.id, Some(asset_id.as_str()), None)?;
                writes::unskip(tx, &a)?;
                Ok(a.id)
            })
            .gql()
    }

    /// Legacy: deletes the matching assets; returns their project.
    async fn delete_many_from_dataset(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: AssetWhere,
    ) -> Result<Option<Project>> {
        let o = action(ctx, &filter, Action::Delete)?;
        legacy_project(ctx, &filter, &o, false)
    }

    /// Legacy: moves the matching labeled assets to review; returns their project, or null
    /// when no asset moved.
    async fn add_all_labeled_assets_to_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: AssetWhere,
    ) -> Result<Option<Project>> {
        let o = action(ctx, &filter, Action::Review)?;
        legacy_project(ctx, &filter, &o, true)
    }

    /// Legacy: sends the matching assets back to the queue; returns their project.
    async fn send_back_assets_to_queue(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: AssetWhere,
    ) -> Result<Option<Project>> {
        let o = action(ctx, &filter, Action::Queue)?;
        legacy_project(ctx, &filter, &o, false)
    }

    /// Legacy synchronous import; returns the project.
    async fn append_many_to_dataset(
        &self,
        ctx: &Context<'_>,
        data: AppendManyToDatasetData,
        #[graphql(name = "where")] filter: ProjectWhere,
    ) -> Result<Option<Project>> {
        let v = viewer(ctx)?;
        let p = project_for_write(ctx, &v, &filter)?;
        let new = zip_new_assets(
            &data.content_array,
            &None,
            &data.json_content_array,
            &data.external_id_array,
            &data.id_array,
            &data.json_metadata_array,
            &data.is_honeypot_array,
            &data.status_array,
        );
        create(ctx, &p, new)?;
        Ok(Some(Project(p)))
    }

    /// Legacy asynchronous import (frames / multi-layer); returns the project.
    async fn append_many_frames_to_dataset_asynchronously(
        &self,
        ctx: &Context<'_>,
        data: AppendManyFramesToDatasetAsynchronouslyData,
        #[graphql(name = "where")] filter: ProjectWhere,
    ) -> Result<Option<Project>> {
        let v = viewer(ctx)?;
        let p = project_for_write(ctx, &v, &filter)?;
        let new = zip_new_assets(
            &data.content_array,
            &data.multi_layer_content_array,
            &data.json_content_array,
            &data.external_id_array,
            &data.id_array,
            &data.json_metadata_array,
            &None,
            &None,
        );
        create(ctx, &p, new)?;
        Ok(Some(Project(p)))
    }
}
