//! Plain row structs read from the database, and the loaders the resolvers use.

use std::collections::HashMap;

use rusqlite::{params, Connection, OptionalExtension, Row};

use super::StoreResult;

/// A user (viewer, author, member, assignee).
#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub organization_id: Option<String>,
}

const USER_COLS: &str = "u.id, u.email, u.firstname, u.lastname, u.organization_id";

fn user_at(r: &Row, i: usize) -> rusqlite::Result<Option<UserRow>> {
    let id: Option<String> = r.get(i)?;
    Ok(match id {
        None => None,
        Some(id) => Some(UserRow {
            id,
            email: r.get(i + 1)?,
            firstname: r.get(i + 2)?,
            lastname: r.get(i + 3)?,
            organization_id: r.get(i + 4)?,
        }),
    })
}

/// The user owning the (non-revoked) API key `key`.
pub fn user_by_key(c: &Connection, key: &str) -> StoreResult<Option<UserRow>> {
    let sql = format!("SELECT {USER_COLS} FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key = ?1 AND k.revoked = 0");
    Ok(c.prepare_cached(&sql)?
        .query_row([key], |r| user_at(r, 0))
        .optional()?
        .flatten())
}

/// A user by id.
pub fn user_by_id(c: &Connection, id: &str) -> StoreResult<Option<UserRow>> {
    let sql = format!("SELECT {USER_COLS} FROM users u WHERE u.id = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([id], |r| user_at(r, 0))
        .optional()?
        .flatten())
}

/// A project.
#[derive(Debug, Clone)]
pub struct ProjectRow {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub input_type: String,
    pub json_interface: Option<String>,
    pub workflow_version: String,
    pub created_at: String,
    pub updated_at: Option<String>,
    pub archived: bool,
    pub starred: bool,
    pub consensus_tot_coverage: Option<i64>,
    pub min_consensus_size: Option<i64>,
    pub review_coverage: Option<i64>,
    pub organization_id: Option<String>,
}

pub const PROJECT_COLS: &str = "p.id, p.title, p.description, p.input_type, p.json_interface, p.workflow_version, p.created_at, \
    p.updated_at, p.archived, p.starred, p.consensus_tot_coverage, p.min_consensus_size, p.review_coverage, p.organization_id";

pub fn project_from(r: &Row) -> rusqlite::Result<ProjectRow> {
    Ok(ProjectRow {
        id: r.get(0)?,
        title: r.get(1)?,
        description: r.get(2)?,
        input_type: r.get(3)?,
        json_interface: r.get(4)?,
        workflow_version: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        archived: r.get(8)?,
        starred: r.get(9)?,
        consensus_tot_coverage: r.get(10)?,
        min_consensus_size: r.get(11)?,
        review_coverage: r.get(12)?,
        organization_id: r.get(13)?,
    })
}

/// The project `id` if `user_id` is one of its members.
pub fn visible_project(c: &Connection, user_id: &str, id: &str) -> StoreResult<Option<ProjectRow>> {
    let sql = format!(
        "SELECT {PROJECT_COLS} FROM projects p WHERE p.id = ?1 AND EXISTS(SELECT 1 FROM project_members m WHERE m.project_id = p.id AND m.user_id = ?2)"
    );
    Ok(c.prepare_cached(&sql)?
        .query_row(params![id, user_id], project_from)
        .optional()?)
}

/// A project by id, regardless of membership.
pub fn project_by_id(c: &Connection, id: &str) -> StoreResult<Option<ProjectRow>> {
    let sql = format!("SELECT {PROJECT_COLS} FROM projects p WHERE p.id = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([id], project_from)
        .optional()?)
}

/// A workflow step.
#[derive(Debug, Clone)]
pub struct StepRow {
    pub id: String,
    pub name: String,
    pub kind: Option<String>,
    pub step_group_name: Option<String>,
}

/// Steps of a project in workflow order.
pub fn steps_of(c: &Connection, project_id: &str) -> StoreResult<Vec<StepRow>> {
    let mut st = c.prepare_cached("SELECT id, name, type, step_group_name FROM steps WHERE project_id = ?1 ORDER BY position, id")?;
    let rows = st.query_map([project_id], |r| {
        Ok(StepRow {
            id: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            step_group_name: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An asset with the name and group of its current step; `labels` is filled when preloaded.
#[derive(Debug, Clone)]
pub struct AssetRow {
    pub id: String,
    pub project_id: String,
    pub external_id: String,
    pub content: String,
    pub json_content: Option<String>,
    pub json_metadata: String,
    pub created_at: String,
    pub updated_at: Option<String>,
    pub status: String,
    pub is_honeypot: bool,
    pub skipped: bool,
    pub priority: i64,
    pub consensus_mark: Option<f64>,
    pub honeypot_mark: Option<f64>,
    pub inference_mark: Option<f64>,
    pub is_used_for_consensus: bool,
    pub ocr_metadata: Option<String>,
    pub resolution_width: Option<i64>,
    pub resolution_height: Option<i64>,
    pub page_resolutions: Option<String>,
    pub step_id: Option<String>,
    pub step_status: Option<String>,
    pub geospatial_export_metadata: Option<String>,
    pub step_name: Option<String>,
    pub step_group_name: Option<String>,
    pub labels: Option<Vec<LabelRow>>,
}

/// Columns of [`asset_from`], for `FROM assets a LEFT JOIN steps s ON s.id = a.step_id`.
pub const ASSET_COLS: &str = "a.id, a.project_id, a.external_id, a.content, a.json_content, a.json_metadata, a.created_at, \
    a.updated_at, a.status, a.is_honeypot, a.skipped, a.priority, a.consensus_mark, a.honeypot_mark, a.inference_mark, \
    a.is_used_for_consensus, a.ocr_metadata, a.resolution_width, a.resolution_height, a.page_resolutions, a.step_id, \
    a.step_status, a.geospatial_export_metadata, s.name, s.step_group_name";

pub const ASSET_FROM: &str = "assets a LEFT JOIN steps s ON s.id = a.step_id";

pub fn asset_from(r: &Row) -> rusqlite::Result<AssetRow> {
    Ok(AssetRow {
        id: r.get(0)?,
        project_id: r.get(1)?,
        external_id: r.get(2)?,
        content: r.get(3)?,
        json_content: r.get(4)?,
        json_metadata: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        status: r.get(8)?,
        is_honeypot: r.get(9)?,
        skipped: r.get(10)?,
        priority: r.get(11)?,
        consensus_mark: r.get(12)?,
        honeypot_mark: r.get(13)?,
        inference_mark: r.get(14)?,
        is_used_for_consensus: r.get(15)?,
        ocr_metadata: r.get(16)?,
        resolution_width: r.get(17)?,
        resolution_height: r.get(18)?,
        page_resolutions: r.get(19)?,
        step_id: r.get(20)?,
        step_status: r.get(21)?,
        geospatial_export_metadata: r.get(22)?,
        step_name: r.get(23)?,
        step_group_name: r.get(24)?,
        labels: None,
    })
}

/// An asset by id, regardless of visibility.
pub fn asset_by_id(c: &Connection, id: &str) -> StoreResult<Option<AssetRow>> {
    let sql = format!("SELECT {ASSET_COLS} FROM {ASSET_FROM} WHERE a.id = ?1");
    Ok(c.prepare_cached(&sql)?
        .query_row([id], asset_from)
        .optional()?)
}

/// The assets `ids` that exist (any visibility), in the order of `ids` (repeats kept), read
/// with one query per 500 ids.
pub fn assets_by_ids(c: &Connection, ids: &[String]) -> StoreResult<Vec<AssetRow>> {
    let mut found: HashMap<String, AssetRow> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!("SELECT {ASSET_COLS} FROM {ASSET_FROM} WHERE a.id IN ({marks})");
        let mut st = c.prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(chunk.iter()), asset_from)?;
        for r in rows {
            let r = r?;
            found.insert(r.id.clone(), r);
        }
    }
    Ok(ids.iter().filter_map(|id| found.get(id).cloned()).collect())
}

impl AssetRow {
    /// A row carrying only `id` (every other field empty), for answers that select nothing
    /// else: resolvers must not read its other fields.
    pub fn id_only(id: String) -> AssetRow {
        AssetRow {
            id,
            project_id: String::new(),
            external_id: String::new(),
            content: String::new(),
            json_content: None,
            json_metadata: String::new(),
            created_at: String::new(),
            updated_at: None,
            status: String::new(),
            is_honeypot: false,
            skipped: false,
            priority: 0,
            consensus_mark: None,
            honeypot_mark: None,
            inference_mark: None,
            is_used_for_consensus: false,
            ocr_metadata: None,
            resolution_width: None,
            resolution_height: None,
            page_resolutions: None,
            step_id: None,
            step_status: None,
            geospatial_export_metadata: None,
            step_name: None,
            step_group_name: None,
            labels: None,
        }
    }
}

/// A label with its author.
#[derive(Debug, Clone)]
pub struct LabelRow {
    pub id: String,
    pub asset_id: String,
    pub label_type: Option<String>,
    pub created_at: String,
    pub updated_at: Option<String>,
    pub json_response: String,
    pub json_response_url: Option<String>,
    pub consensus_mark: Option<f64>,
    pub honeypot_mark: Option<f64>,
    pub inference_mark: Option<f64>,
    pub is_latest: bool,
    pub seconds_to_label: Option<f64>,
    pub model_name: Option<String>,
    pub is_sent_back_to_queue: bool,
    pub step_id: Option<String>,
    pub author: Option<UserRow>,
}

const LABEL_SELECT: &str = "SELECT l.id, l.asset_id, l.label_type, l.created_at, l.updated_at, l.json_response, l.json_response_url, \
    l.consensus_mark, l.honeypot_mark, l.inference_mark, l.is_latest, l.seconds_to_label, l.model_name, l.is_sent_back_to_queue, \
    l.step_id, u.id, u.email, u.firstname, u.lastname, u.organization_id FROM labels l LEFT JOIN users u ON u.id = l.author_id";

fn label_from(r: &Row) -> rusqlite::Result<LabelRow> {
    Ok(LabelRow {
        id: r.get(0)?,
        asset_id: r.get(1)?,
        label_type: r.get(2)?,
        created_at: r.get(3)?,
        updated_at: r.get(4)?,
        json_response: r.get(5)?,
        json_response_url: r.get(6)?,
        consensus_mark: r.get(7)?,
        honeypot_mark: r.get(8)?,
        inference_mark: r.get(9)?,
        is_latest: r.get(10)?,
        seconds_to_label: r.get(11)?,
        model_name: r.get(12)?,
        is_sent_back_to_queue: r.get(13)?,
        step_id: r.get(14)?,
        author: user_at(r, 15)?,
    })
}

/// Labels of the given assets (one query), each list oldest first.
pub fn labels_of_assets(
    c: &Connection,
    asset_ids: &[&str],
) -> StoreResult<HashMap<String, Vec<LabelRow>>> {
    let mut out: HashMap<String, Vec<LabelRow>> = HashMap::new();
    for chunk in asset_ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(",");
        let sql = format!(
            "{LABEL_SELECT} WHERE l.asset_id IN ({marks}) ORDER BY l.asset_id, l.created_at, l.id"
        );
        let mut st = c.prepare_cached(&sql)?;
        let rows = st.query_map(rusqlite::params_from_iter(chunk.iter()), label_from)?;
        for r in rows {
            let r = r?;
            out.entry(r.asset_id.clone()).or_default().push(r);
        }
    }
    Ok(out)
}

/// An issue.
#[derive(Debug, Clone)]
pub struct IssueRow {
    pub id: String,
    pub asset_id: String,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub created_at: Option<String>,
    pub author_id: Option<String>,
}

pub const ISSUE_COLS: &str = "i.id, i.asset_id, i.type, i.status, i.created_at, i.author_id";

pub fn issue_from(r: &Row) -> rusqlite::Result<IssueRow> {
    Ok(IssueRow {
        id: r.get(0)?,
        asset_id: r.get(1)?,
        kind: r.get(2)?,
        status: r.get(3)?,
        created_at: r.get(4)?,
        author_id: r.get(5)?,
    })
}

/// Issues of an asset, oldest first.
pub fn issues_of_asset(c: &Connection, asset_id: &str) -> StoreResult<Vec<IssueRow>> {
    let sql = format!(
        "SELECT {ISSUE_COLS} FROM issues i WHERE i.asset_id = ?1 ORDER BY i.created_at, i.id"
    );
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map([asset_id], issue_from)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Users assigned to an asset.
pub fn assignees_of(c: &Connection, asset_id: &str) -> StoreResult<Vec<UserRow>> {
    let sql = format!("SELECT {USER_COLS} FROM asset_assignees aa JOIN users u ON u.id = aa.user_id WHERE aa.asset_id = ?1 ORDER BY u.email");
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map([asset_id], |r| user_at(r, 0))?;
    Ok(rows
        .filter_map(|r| r.transpose())
        .collect::<Result<_, _>>()?)
}

/// Members of a project: (member id, role, user).
pub fn members_of(
    c: &Connection,
    project_id: &str,
) -> StoreResult<Vec<(String, Option<String>, bool, UserRow)>> {
    let sql = format!(
        "SELECT m.id, m.role, m.activated, {USER_COLS} FROM project_members m JOIN users u ON u.id = m.user_id WHERE m.project_id = ?1 ORDER BY m.id"
    );
    let mut st = c.prepare_cached(&sql)?;
    let rows = st.query_map([project_id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, user_at(r, 3)?))
    })?;
    let mut out = Vec::new();
    for r in rows {
        let (id, role, act, u) = r?;
        if let Some(u) = u {
            out.push((id, role, act, u));
        }
    }
    Ok(out)
}
