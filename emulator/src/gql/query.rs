//! Root query resolvers.

use async_graphql::{Context, Object, Result, ID};
use rusqlite::types::Value;

use super::inputs::*;
use super::objects::*;
use super::scalars::PageSize;
use super::{app, error, viewer, Gql};
use crate::store::rows::{self, project_from, PROJECT_COLS};
use crate::store::{asset_filter, asset_query};
use crate::time;

/// Read operations.
pub struct Query;

fn skip_first(skip: i32, first: PageSize) -> Result<(u64, u64)> {
    if skip < 0 {
        return Err(error(
            "BAD_USER_INPUT",
            format!("skip must be >= 0, got {skip}"),
        ));
    }
    Ok((skip as u64, first.0 as u64))
}

/// SQL filter over `projects p` visible to `viewer_id`.
fn project_filter(w: &ProjectWhere, viewer_id: &str) -> (String, Vec<Value>) {
    let mut c = vec![
        "EXISTS(SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = ?)"
            .to_string(),
    ];
    let mut p = vec![Value::Text(viewer_id.into())];
    if let Some(id) = &w.id {
        c.push("p.id = ?".into());
        p.push(Value::Text(id.to_string()));
    }
    if let Some(a) = w.archived {
        c.push("p.archived = ?".into());
        p.push(Value::Integer(a as i64));
    }
    if let Some(s) = w.starred {
        c.push("p.starred = ?".into());
        p.push(Value::Integer(s as i64));
    }
    if let Some(q) = &w.search_query {
        // Kili's search is an SQL-like pattern (`%proj%`), case-insensitive.
        c.push("p.title LIKE ?".into());
        p.push(Value::Text(q.clone()));
    }
    if let Some(v) = &w.updated_at_gte {
        c.push("COALESCE(p.updated_at, p.created_at) >= ?".into());
        p.push(Value::Text(time::lower_bound(v)));
    }
    if let Some(v) = &w.updated_at_lte {
        c.push("COALESCE(p.updated_at, p.created_at) <= ?".into());
        p.push(Value::Text(time::upper_bound(v)));
    }
    if let Some(v) = &w.created_at_gte {
        c.push("p.created_at >= ?".into());
        p.push(Value::Text(time::lower_bound(v)));
    }
    if let Some(v) = &w.created_at_lte {
        c.push("p.created_at <= ?".into());
        p.push(Value::Text(time::upper_bound(v)));
    }
    if let Some(o) = &w.organization_id {
        c.push("p.organization_id = ?".into());
        p.push(Value::Text(o.to_string()));
    }
    if let Some(tags) = &w.tag_ids {
        for t in tags {
            c.push(
                "EXISTS(SELECT 1 FROM project_tags t WHERE t.project_id = p.id AND t.tag_id = ?)"
                    .into(),
            );
            p.push(Value::Text(t.to_string()));
        }
    }
    if w.deleted == Some(true) {
        // The emulator deletes projects for good: no deleted project is ever listed.
        c.push("0".into());
    }
    (c.join(" AND "), p)
}

/// SQL filter over `issues i` (joined to visible assets).
fn issue_filter(
    c: &rusqlite::Connection,
    w: &IssueWhere,
    viewer_id: &str,
) -> crate::store::StoreResult<(String, Vec<Value>)> {
    let asset_where = match &w.asset {
        Some(a) => (**a).clone(),
        None => AssetWhere {
            project: w.project.clone(),
            ..Default::default()
        },
    };
    let f = asset_filter::build(c, &asset_where, viewer_id)?;
    let mut clauses = vec![format!(
        "i.asset_id IN (SELECT a.id FROM assets a WHERE {})",
        f.sql
    )];
    let mut params = f.params;
    if let Some(id) = &w.id {
        clauses.push("i.id = ?".into());
        params.push(Value::Text(id.to_string()));
    }
    if let Some(ids) = &w.asset_in {
        clauses.push(format!(
            "i.asset_id IN ({})",
            vec!["?"; ids.len().max(1)].join(",")
        ));
        if ids.is_empty() {
            params.push(Value::Null);
        }
        params.extend(ids.iter().map(|i| Value::Text(i.to_string())));
    }
    if let Some(t) = w.kind {
        clauses.push("i.type = ?".into());
        params.push(Value::Text(t.as_str().into()));
    }
    if let Some(s) = w.status {
        clauses.push("i.status = ?".into());
        params.push(Value::Text(s.as_str().into()));
    }
    Ok((clauses.join(" AND "), params))
}

/// SQL filter over `organizations o`: the viewer's organization only.
fn organization_filter(w: &OrganizationWhere, viewer_id: &str) -> (String, Vec<Value>) {
    let mut c = vec!["o.id IN (SELECT organization_id FROM users WHERE id = ?)".to_string()];
    let mut p = vec![Value::Text(viewer_id.into())];
    if let Some(id) = &w.id {
        c.push("o.id = ?".into());
        p.push(Value::Text(id.to_string()));
    }
    if let Some(u) = &w.user {
        if let Some(e) = &u.email {
            c.push("o.id IN (SELECT organization_id FROM users WHERE email = ?)".into());
            p.push(Value::Text(e.clone()));
        }
        if let Some(id) = &u.id {
            c.push("o.id IN (SELECT organization_id FROM users WHERE id = ?)".into());
            p.push(Value::Text(id.to_string()));
        }
    }
    (c.join(" AND "), p)
}

fn count_sql(ctx: &Context<'_>, sql: String, params: Vec<Value>) -> Result<i64> {
    app(ctx)
        .store
        .read(|c| {
            Ok(c.prepare_cached(&sql)?
                .query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?)
        })
        .gql()
}

#[Object]
impl Query {
    /// The user the API key belongs to.
    async fn viewer(&self, ctx: &Context<'_>) -> Result<User> {
        Ok(User::from(&viewer(ctx)?))
    }

    /// API keys of the viewer.
    async fn api_keys(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: ApiKeyWhere,
        skip: i32,
        first: PageSize,
    ) -> Result<Vec<ApiKey>> {
        let v = viewer(ctx)?;
        let (skip, first) = skip_first(skip, first)?;
        app(ctx)
            .store
            .read(|c| {
                let mut st = c.prepare_cached(
                    "SELECT id, key, name, created_at, expiry_date, revoked FROM api_keys WHERE user_id = ?1 \
                     AND (?2 IS NULL OR key = ?2) AND (?3 IS NULL OR id = ?3) ORDER BY id LIMIT ?4 OFFSET ?5",
                )?;
                let rows = st.query_map(
                    rusqlite::params![v.id, filter.key, filter.id.as_ref().map(|i| i.to_string()), first as i64, skip as i64],
                    |r| {
                        Ok(ApiKey {
                            id: ID(r.get(0)?),
                            key: r.get(1)?,
                            name: r.get(2)?,
                            created_at: r.get(3)?,
                            expiry_date: r.get(4)?,
                            revoked: r.get(5)?,
                        })
                    },
                )?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .gql()
    }

    /// Projects the viewer is a member of, oldest first.
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: ProjectWhere,
        first: PageSize,
        skip: i32,
    ) -> Result<Vec<Project>> {
        let v = viewer(ctx)?;
        let (skip, first) = skip_first(skip, first)?;
        let (w, mut params) = project_filter(&filter, &v.id);
        params.push(Value::Integer(first as i64));
        params.push(Value::Integer(skip as i64));
        let sql = format!("SELECT {PROJECT_COLS} FROM projects p WHERE {w} ORDER BY p.created_at, p.id LIMIT ? OFFSET ?");
        let rows = app(ctx)
            .store
            .read(|c| {
                Ok(c.prepare_cached(&sql)?
                    .query_map(rusqlite::params_from_iter(params.iter()), project_from)?
                    .collect::<Result<Vec<_>, _>>()?)
            })
            .gql()?;
        Ok(rows.into_iter().map(Project).collect())
    }

    async fn count_projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: ProjectWhere,
    ) -> Result<i32> {
        let v = viewer(ctx)?;
        let (w, params) = project_filter(&filter, &v.id);
        Ok(count_sql(
            ctx,
            format!("SELECT COUNT(*) FROM projects p WHERE {w}"),
            params,
        )? as i32)
    }

    /// Assets, by creation date then id, oldest first.
    async fn assets(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: AssetWhere,
        skip: i32,
        first: PageSize,
    ) -> Result<Vec<Asset>> {
        let v = viewer(ctx)?;
        let (skip, first) = skip_first(skip, first)?;
        let look = ctx.look_ahead();
        let with_labels = look.field("labels").exists()
            || look.field("latestLabel").exists()
            || look.field("latestLabels").exists();
        let store = &app(ctx).store;
        let rows = store
            .read(|c| {
                let f = asset_filter::build(c, &filter, &v.id)?;
                asset_query::page(store, c, &f, skip, first, with_labels)
            })
            .gql()?;
        Ok(rows.into_iter().map(Asset).collect())
    }

    async fn count_assets(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: AssetWhere,
    ) -> Result<i32> {
        let v = viewer(ctx)?;
        let n = app(ctx)
            .store
            .read(|c| {
                let f = asset_filter::build(c, &filter, &v.id)?;
                asset_query::count(c, &f)
            })
            .gql()?;
        Ok(n as i32)
    }

    /// Number of annotations of the matching assets; the emulator keeps none (always 0).
    async fn count_asset_annotations(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: AssetWhere,
    ) -> Result<i32> {
        let _ = (viewer(ctx)?, filter);
        Ok(0)
    }

    async fn issues(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: IssueWhere,
        first: PageSize,
        skip: i32,
    ) -> Result<Vec<Issue>> {
        let v = viewer(ctx)?;
        let (skip, first) = skip_first(skip, first)?;
        let rows = app(ctx)
            .store
            .read(|c| {
                let (w, mut params) = issue_filter(c, &filter, &v.id)?;
                params.push(Value::Integer(first as i64));
                params.push(Value::Integer(skip as i64));
                let sql = format!("SELECT {} FROM issues i WHERE {w} ORDER BY i.created_at, i.id LIMIT ? OFFSET ?", rows::ISSUE_COLS);
                let mut st = c.prepare_cached(&sql)?;
                let r = st.query_map(rusqlite::params_from_iter(params.iter()), rows::issue_from)?.collect::<Result<Vec<_>, _>>()?;
                Ok(r)
            })
            .gql()?;
        Ok(rows.into_iter().map(Issue).collect())
    }

    async fn count_issues(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: IssueWhere,
    ) -> Result<i32> {
        let v = viewer(ctx)?;
        let (w, params) = app(ctx)
            .store
            .read(|c| issue_filter(c, &filter, &v.id))
            .gql()?;
        Ok(count_sql(
            ctx,
            format!("SELECT COUNT(*) FROM issues i WHERE {w}"),
            params,
        )? as i32)
    }

    /// Organizations of the viewer (with their licence).
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: OrganizationWhere,
        first: PageSize,
        skip: i32,
    ) -> Result<Vec<Organization>> {
        let v = viewer(ctx)?;
        let (skip, first) = skip_first(skip, first)?;
        let (w, mut params) = organization_filter(&filter, &v.id);
        params.push(Value::Integer(first as i64));
        params.push(Value::Integer(skip as i64));
        let sql = format!("SELECT o.id, o.name, o.upload_local_data FROM organizations o WHERE {w} ORDER BY o.id LIMIT ? OFFSET ?");
        app(ctx)
            .store
            .read(|c| {
                let mut st = c.prepare_cached(&sql)?;
                let r = st
                    .query_map(rusqlite::params_from_iter(params.iter()), |r| {
                        Ok(Organization {
                            id: ID(r.get(0)?),
                            name: r.get(1)?,
                            license: License {
                                upload_local_data: r.get(2)?,
                            },
                        })
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(r)
            })
            .gql()
    }

    async fn count_organizations(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: OrganizationWhere,
    ) -> Result<i32> {
        let v = viewer(ctx)?;
        let (w, params) = organization_filter(&filter, &v.id);
        Ok(count_sql(
            ctx,
            format!("SELECT COUNT(*) FROM organizations o WHERE {w}"),
            params,
        )? as i32)
    }

    /// Notifications of the viewer.
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: NotificationWhere,
        first: PageSize,
        skip: i32,
    ) -> Result<Vec<Notification>> {
        let v = viewer(ctx)?;
        let (skip, first) = skip_first(skip, first)?;
        app(ctx)
            .store
            .read(|c| {
                let mut st = c.prepare_cached(
                    "SELECT id, status, created_at FROM notifications WHERE user_id = ?1 AND (?2 IS NULL OR id = ?2) \
                     ORDER BY created_at, id LIMIT ?3 OFFSET ?4",
                )?;
                let r = st
                    .query_map(rusqlite::params![v.id, filter.id.as_ref().map(|i| i.to_string()), first as i64, skip as i64], |r| {
                        Ok(Notification { id: ID(r.get(0)?), status: r.get(1)?, created_at: r.get(2)? })
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(r)
            })
            .gql()
    }

    async fn count_notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "where")] filter: NotificationWhere,
    ) -> Result<i32> {
        let v = viewer(ctx)?;
        Ok(count_sql(
            ctx,
            "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND (? IS NULL OR id = ?)".into(),
            vec![
                Value::Text(v.id.clone()),
                filter
                    .id
                    .as_ref()
                    .map_or(Value::Null, |i| Value::Text(i.to_string())),
                filter
                    .id
                    .as_ref()
                    .map_or(Value::Null, |i| Value::Text(i.to_string())),
            ],
        )? as i32)
    }

    /// Tags of the viewer's organization.
    async fn list_tags_by_org(&self, ctx: &Context<'_>) -> Result<Vec<Tag>> {
        let v = viewer(ctx)?;
        app(ctx)
            .store
            .read(|c| {
                let mut st = c.prepare_cached(
                    "SELECT id, label, color FROM tags WHERE organization_id IS NULL OR organization_id = ?1 ORDER BY label, id",
                )?;
                let r = st
                    .query_map([v.organization_id.clone().unwrap_or_default()], |r| {
                        Ok(Tag { id: ID(r.get(0)?), label: r.get(1)?, color: r.get(2)? })
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(r)
            })
            .gql()
    }

    /// The subset of `externalIDs` already used by assets of the project (exact match, in the
    /// order given, without repeats).
    async fn filter_existing_assets(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "projectID")] project_id: ID,
        #[graphql(name = "externalIDs")] external_ids: Vec<String>,
    ) -> Result<Vec<String>> {
        let v = viewer(ctx)?;
        app(ctx)
            .store
            .read(|c| {
                if rows::visible_project(c, &v.id, &project_id)?.is_none() {
                    return Err(crate::store::StoreError::NotFound(format!(
                        "projectID: project {} does not exist or you do not have access to it",
                        project_id.as_str()
                    )));
                }
                let mut st = c.prepare_cached("SELECT EXISTS(SELECT 1 FROM assets WHERE project_id = ?1 AND external_id = ?2)")?;
                let mut out: Vec<String> = Vec::new();
                for e in &external_ids {
                    let found: bool = st.query_row(rusqlite::params![project_id.as_str(), e], |r| r.get(0))?;
                    if found && !out.contains(e) {
                        out.push(e.clone());
                    }
                }
                Ok(out)
            })
            .gql()
    }

    /// One PUT-able URL per bucket path, in order, each ending in `&id=<path>`.
    async fn create_upload_bucket_signed_urls(
        &self,
        ctx: &Context<'_>,
        #[graphql(name = "filePaths")] file_paths: Option<Vec<String>>,
    ) -> Result<Vec<String>> {
        let _ = viewer(ctx)?;
        let a = app(ctx);
        let paths = file_paths.unwrap_or_default();
        let sigs = a
            .store
            .write(|tx| {
                let mut out = Vec::new();
                for p in &paths {
                    let sig = uuid::Uuid::new_v4().simple().to_string();
                    tx.execute(
                        "INSERT INTO signed_urls(sig, path) VALUES (?1, ?2)",
                        rusqlite::params![sig, p],
                    )?;
                    out.push(sig);
                }
                Ok(out)
            })
            .gql()?;
        Ok(paths
            .iter()
            .zip(sigs)
            .map(|(p, sig)| format!("{}/api/label/v2/upload?sig={sig}&id={p}", a.base_url))
            .collect())
    }
}
