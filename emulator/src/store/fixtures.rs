//! Loading fixtures (the JSON format documented in the emulator README) into the database.
//!
//! A fixture is loaded in one transaction: all of it or nothing. Rows with an existing id are
//! replaced, so loading the same fixture twice is harmless.

use rusqlite::{params, Transaction};
use serde_json::Value;

use super::{Store, StoreError, StoreResult};
use crate::time;

fn s<'a>(v: &'a Value, k: &str) -> Option<&'a str> {
    v.get(k).and_then(|x| x.as_str())
}

fn req<'a>(v: &'a Value, k: &str, what: &str, i: usize) -> StoreResult<&'a str> {
    s(v, k).ok_or_else(|| {
        StoreError::Invalid(format!("fixture: {what}[{i}].{k} is required (a string)"))
    })
}

fn b(v: &Value, k: &str, d: bool) -> bool {
    v.get(k).and_then(|x| x.as_bool()).unwrap_or(d)
}

fn f(v: &Value, k: &str) -> Option<f64> {
    v.get(k).and_then(|x| x.as_f64())
}

fn i(v: &Value, k: &str) -> Option<i64> {
    v.get(k).and_then(|x| x.as_i64())
}

/// JSON documents may be given as objects or as JSON text; stored as text.
fn json_text(v: &Value, k: &str, default: &str) -> String {
    match v.get(k) {
        None | Some(Value::Null) => default.to_string(),
        Some(Value::String(t)) => t.clone(),
        Some(other) => other.to_string(),
    }
}

fn json_text_opt(v: &Value, k: &str) -> Option<String> {
    match v.get(k) {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) => Some(t.clone()),
        Some(other) => Some(other.to_string()),
    }
}

fn arr<'a>(v: &'a Value, k: &str) -> &'a [Value] {
    v.get(k)
        .and_then(|x| x.as_array())
        .map(|a| a.as_slice())
        .unwrap_or(&[])
}

fn canonical_step_status(s: &str) -> &str {
    match s {
        "DOING" => "IN_PROGRESS",
        "REDO" => "REWORK",
        o => o,
    }
}

/// Loads `fixture` into `store`. Errors name the offending entry.
pub fn load(store: &Store, fixture: &Value) -> StoreResult<()> {
    if !fixture.is_object() {
        return Err(StoreError::Invalid("fixture: expected a JSON object with organizations/users/projects/assets/labels/issues".into()));
    }
    store.write(|tx| load_in(store, tx, fixture))
}

fn load_in(store: &Store, tx: &Transaction, fx: &Value) -> StoreResult<()> {
    for (n, o) in arr(fx, "organizations").iter().enumerate() {
        tx.execute(
            "INSERT OR REPLACE INTO organizations(id, name, upload_local_data) VALUES (?1, ?2, ?3)",
            params![
                req(o, "id", "organizations", n)?,
                s(o, "name"),
                b(o, "upload_local_data", true)
            ],
        )?;
    }
    for (n, t) in arr(fx, "tags").iter().enumerate() {
        tx.execute(
            "INSERT OR REPLACE INTO tags(id, organization_id, label, color) VALUES (?1, ?2, ?3, ?4)",
            params![req(t, "id", "tags", n)?, s(t, "organization_id"), s(t, "label").unwrap_or(""), s(t, "color")],
        )?;
    }
    for (n, u) in arr(fx, "users").iter().enumerate() {
        let id = req(u, "id", "users", n)?;
        tx.execute(
            "INSERT OR REPLACE INTO users(id, email, firstname, lastname, organization_id, activated) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                id,
                s(u, "email").map(str::to_string).unwrap_or_else(|| format!("{id}@example.com")),
                s(u, "firstname"),
                s(u, "lastname"),
                s(u, "organization_id"),
                b(u, "activated", true)
            ],
        )?;
        for (kn, k) in arr(u, "api_keys").iter().enumerate() {
            let key = k.as_str().or_else(|| s(k, "key")).ok_or_else(|| {
                StoreError::Invalid(format!(
                    "fixture: users[{n}].api_keys[{kn}] must be a string or an object with \"key\""
                ))
            })?;
            tx.execute(
                "INSERT OR REPLACE INTO api_keys(id, key, user_id, name, created_at, expiry_date, revoked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    s(k, "id").map(str::to_string).unwrap_or_else(|| format!("key-{id}-{kn}")),
                    key,
                    id,
                    s(k, "name"),
                    s(k, "created_at").unwrap_or("2024-01-01T00:00:00.000Z"),
                    s(k, "expiry_date").unwrap_or("2099-12-31T23:59:59.000Z"),
                    b(k, "revoked", false)
                ],
            )?;
        }
    }
    for (n, p) in arr(fx, "projects").iter().enumerate() {
        let pid = req(p, "id", "projects", n)?;
        let created = s(p, "created_at")
            .map(time::normalize)
            .unwrap_or_else(|| store.clock.next(None));
        tx.execute(
            "INSERT OR REPLACE INTO projects(id, title, description, input_type, json_interface, workflow_version, created_at, updated_at, \
             archived, starred, consensus_tot_coverage, min_consensus_size, review_coverage, organization_id) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                pid,
                s(p, "title").unwrap_or(pid),
                s(p, "description"),
                s(p, "input_type").unwrap_or("IMAGE"),
                json_text(p, "json_interface", "{\"jobs\":{}}"),
                s(p, "workflow_version").unwrap_or("V1"),
                created,
                s(p, "updated_at").map(time::normalize),
                b(p, "archived", false),
                b(p, "starred", false),
                i(p, "consensus_tot_coverage").unwrap_or(0),
                i(p, "min_consensus_size").unwrap_or(1),
                i(p, "review_coverage").unwrap_or(0),
                s(p, "organization_id")
            ],
        )?;
        for (mn, m) in arr(p, "members").iter().enumerate() {
            let uid = req(m, "user_id", &format!("projects[{n}].members"), mn)?;
            tx.execute(
                "INSERT OR REPLACE INTO project_members(id, project_id, user_id, role, activated) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    s(m, "id").map(str::to_string).unwrap_or_else(|| format!("{pid}-member-{uid}")),
                    pid,
                    uid,
                    s(m, "role").unwrap_or("ADMIN"),
                    b(m, "activated", true)
                ],
            )?;
        }
        for (sn, st) in arr(p, "steps").iter().enumerate() {
            tx.execute(
                "INSERT OR REPLACE INTO steps(id, project_id, name, type, step_group_name, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    req(st, "id", &format!("projects[{n}].steps"), sn)?,
                    pid,
                    s(st, "name").unwrap_or("Step"),
                    s(st, "type").unwrap_or("DEFAULT"),
                    s(st, "step_group_name"),
                    i(st, "position").unwrap_or(sn as i64)
                ],
            )?;
        }
        for (dn, d) in arr(p, "data_connections").iter().enumerate() {
            let did = d
                .as_str()
                .or_else(|| s(d, "id"))
                .map(str::to_string)
                .unwrap_or_else(|| format!("{pid}-dc-{dn}"));
            tx.execute(
                "INSERT OR REPLACE INTO data_connections(id, project_id) VALUES (?1, ?2)",
                params![did, pid],
            )?;
        }
        for t in arr(p, "tag_ids") {
            if let Some(t) = t.as_str() {
                tx.execute(
                    "INSERT OR REPLACE INTO project_tags(project_id, tag_id) VALUES (?1, ?2)",
                    params![pid, t],
                )?;
            }
        }
    }
    let mut last_created: Option<String> = None;
    for (n, a) in arr(fx, "assets").iter().enumerate() {
        let id = req(a, "id", "assets", n)?;
        let pid = req(a, "project_id", "assets", n)?;
        let created = match s(a, "created_at") {
            Some(c) => time::normalize(c),
            None => store.clock.next(last_created.as_deref()),
        };
        last_created = Some(created.clone());
        let step = a.get("current_step").filter(|v| v.is_object());
        let (res_w, res_h) = match a.get("resolution") {
            Some(r) if r.is_object() => (i(r, "width"), i(r, "height")),
            _ => (None, None),
        };
        tx.execute(
            "INSERT OR REPLACE INTO assets(id, project_id, external_id, content, json_content, json_metadata, created_at, updated_at, status, \
             is_honeypot, skipped, priority, consensus_mark, honeypot_mark, inference_mark, is_used_for_consensus, ocr_metadata, \
             resolution_width, resolution_height, page_resolutions, step_id, step_status, geospatial_export_metadata) \
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23)",
            params![
                id,
                pid,
                s(a, "external_id").unwrap_or(id),
                s(a, "content").unwrap_or(""),
                json_text_opt(a, "json_content").or(Some(String::new())),
                json_text(a, "json_metadata", "{}"),
                created,
                s(a, "updated_at").map(time::normalize),
                s(a, "status").unwrap_or("TODO"),
                b(a, "is_honeypot", false),
                b(a, "skipped", false),
                i(a, "priority").unwrap_or(0),
                f(a, "consensus_mark"),
                f(a, "honeypot_mark"),
                f(a, "inference_mark"),
                b(a, "is_used_for_consensus", false),
                json_text_opt(a, "ocr_metadata"),
                res_w,
                res_h,
                json_text_opt(a, "page_resolutions"),
                step.and_then(|st| s(st, "step_id")),
                step.and_then(|st| s(st, "status")).map(canonical_step_status),
                json_text_opt(a, "geospatial_export_metadata"),
            ],
        )?;
        tx.execute("DELETE FROM asset_assignees WHERE asset_id = ?1", [id])?;
        for u in arr(a, "assigned_to") {
            if let Some(u) = u.as_str() {
                tx.execute(
                    "INSERT OR IGNORE INTO asset_assignees(asset_id, user_id) VALUES (?1, ?2)",
                    params![id, u],
                )?;
            }
        }
    }
    for (n, l) in arr(fx, "labels").iter().enumerate() {
        let id = req(l, "id", "labels", n)?;
        tx.execute(
            "INSERT OR REPLACE INTO labels(id, asset_id, author_id, label_type, created_at, updated_at, json_response, json_response_url, \
             consensus_mark, honeypot_mark, inference_mark, is_latest, seconds_to_label, model_name, is_sent_back_to_queue, step_id) \
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)",
            params![
                id,
                req(l, "asset_id", "labels", n)?,
                s(l, "author_id"),
                s(l, "label_type").unwrap_or("DEFAULT"),
                s(l, "created_at").map(time::normalize).unwrap_or_else(|| store.clock.next(None)),
                s(l, "updated_at").map(time::normalize),
                json_text(l, "json_response", "{}"),
                s(l, "json_response_url"),
                f(l, "consensus_mark"),
                f(l, "honeypot_mark"),
                f(l, "inference_mark"),
                b(l, "is_latest", true),
                f(l, "seconds_to_label"),
                s(l, "model_name"),
                b(l, "is_sent_back_to_queue", false),
                s(l, "step_id"),
            ],
        )?;
    }
    for (n, is) in arr(fx, "issues").iter().enumerate() {
        let asset_id = req(is, "asset_id", "issues", n)?;
        tx.execute(
            "INSERT OR REPLACE INTO issues(id, asset_id, project_id, type, status, created_at, author_id) \
             VALUES (?1, ?2, (SELECT project_id FROM assets WHERE id = ?2), ?3, ?4, ?5, ?6)",
            params![
                req(is, "id", "issues", n)?,
                asset_id,
                s(is, "type").unwrap_or("ISSUE"),
                s(is, "status").unwrap_or("OPEN"),
                s(is, "created_at").map(time::normalize).unwrap_or_else(|| store.clock.next(None)),
                s(is, "author_id"),
            ],
        )?;
    }
    Ok(())
}
