//! `AssetWhere` -> SQL `WHERE` text and parameters, over `assets a` (see README "Filters").
//!
//! Every clause is parameterised; user text never reaches the SQL text. Visibility is part of
//! the filter: only assets of projects the viewer is a member of match.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::StoreResult;
use crate::gql::inputs::{AssetStepIdAndStatusWhere, AssetWhere, LabelWhere};
use crate::time;

/// A compiled filter: `sql` is a boolean expression over `a` (and `s`, the step join).
#[derive(Debug, Clone)]
pub struct Filter {
    pub sql: String,
    pub params: Vec<Value>,
}

impl Filter {
    /// A stable text key of the filter, for caches.
    pub fn key(&self) -> String {
        format!("{}|{:?}", self.sql, self.params)
    }
}

struct B {
    clauses: Vec<String>,
    params: Vec<Value>,
}

impl B {
    fn push(&mut self, clause: String, params: impl IntoIterator<Item = Value>) {
        self.clauses.push(clause);
        self.params.extend(params);
    }
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn marks(n: usize) -> String {
    vec!["?"; n].join(",")
}

/// `col IN (...)`; an empty list matches nothing.
fn in_list(b: &mut B, col: &str, values: &[String], negate: bool) {
    if values.is_empty() {
        if !negate {
            b.push("0".into(), []);
        }
        return;
    }
    let op = if negate { "NOT IN" } else { "IN" };
    let clause = if negate {
        format!("({col} IS NULL OR {col} {op} ({}))", marks(values.len()))
    } else {
        format!("{col} {op} ({})", marks(values.len()))
    };
    b.push(clause, values.iter().map(|v| text(v)));
}

/// SQL matching a user (alias `alias`) against names/e-mails/ids in `values`, with its params.
fn user_matches(alias: &str, values: &[String]) -> (String, Vec<Value>) {
    let m = marks(values.len());
    let sql = format!(
        "({alias}.id IN ({m}) OR {alias}.email IN ({m}) OR {alias}.firstname IN ({m}) OR {alias}.lastname IN ({m}) \
         OR (COALESCE({alias}.firstname,'') || ' ' || COALESCE({alias}.lastname,'')) IN ({m}))"
    );
    let mut params = Vec::new();
    for _ in 0..5 {
        params.extend(values.iter().map(|v| text(v)));
    }
    (sql, params)
}

/// Metadata path expression for key `k`: `json_extract` on valid metadata only.
fn meta_expr() -> &'static str {
    "json_extract(CASE WHEN json_valid(a.json_metadata) THEN a.json_metadata ELSE '{}' END, ?)"
}

fn meta_path(k: &str) -> Value {
    text(&format!(
        "$.\"{}\"",
        k.replace('\\', "\\\\").replace('"', "\\\"")
    ))
}

/// Equality of the metadata value at `k` with `v`: numbers compare numerically (a numeric
/// string matches too), other scalars as text, objects/arrays as JSON.
fn meta_eq(k: &str, v: &serde_json::Value) -> (String, Vec<Value>) {
    let e = meta_expr();
    match v {
        serde_json::Value::Null => (format!("{e} IS NULL"), vec![meta_path(k)]),
        serde_json::Value::Bool(x) => (
            format!("{e} = ?"),
            vec![meta_path(k), Value::Integer(*x as i64)],
        ),
        serde_json::Value::Number(n) => (
            format!("(CAST({e} AS REAL) = ? AND trim(CAST({e} AS TEXT)) <> '')"),
            vec![
                meta_path(k),
                Value::Real(n.as_f64().unwrap_or(f64::NAN)),
                meta_path(k),
            ],
        ),
        serde_json::Value::String(s) => (
            format!("CAST({e} AS TEXT) = ?"),
            vec![meta_path(k), text(s)],
        ),
        other => (
            format!("json({e}) = json(?)"),
            vec![meta_path(k), text(&other.to_string())],
        ),
    }
}

fn metadata(b: &mut B, m: &serde_json::Value) {
    let Some(obj) = m.as_object() else { return };
    let e = meta_expr();
    for (k, v) in obj {
        match v {
            serde_json::Value::Array(items)
                if items.len() == 2 && items.iter().all(|x| x.is_number()) =>
            {
                // Two numbers: an inclusive numeric range [lo, hi].
                let lo = items[0].as_f64().unwrap();
                let hi = items[1].as_f64().unwrap();
                b.push(
                    format!(
                        "(trim(CAST({e} AS TEXT)) <> '' AND CAST({e} AS REAL) BETWEEN ? AND ?)"
                    ),
                    [meta_path(k), meta_path(k), Value::Real(lo), Value::Real(hi)],
                );
            }
            serde_json::Value::Array(items) => {
                // Any of the values.
                if items.is_empty() {
                    b.push("0".into(), []);
                    continue;
                }
                let mut parts = Vec::new();
                let mut params = Vec::new();
                for it in items {
                    let (s, p) = meta_eq(k, it);
                    parts.push(s);
                    params.extend(p);
                }
                b.push(format!("({})", parts.join(" OR ")), params);
            }
            v => {
                let (s, p) = meta_eq(k, v);
                b.push(s, p);
            }
        }
    }
}

fn date_bounds(b: &mut B, col: &str, gte: &Option<String>, lte: &Option<String>) {
    if let Some(g) = gte {
        b.push(format!("{col} >= ?"), [text(&time::lower_bound(g))]);
    }
    if let Some(l) = lte {
        b.push(format!("{col} <= ?"), [text(&time::upper_bound(l))]);
    }
}

fn num_bounds(b: &mut B, col: &str, gte: Option<f64>, lte: Option<f64>) {
    if let Some(g) = gte {
        b.push(format!("{col} >= ?"), [Value::Real(g)]);
    }
    if let Some(l) = lte {
        b.push(format!("{col} <= ?"), [Value::Real(l)]);
    }
}

/// Same-label criteria of `label` (one EXISTS over one label), then the labeler/reviewer
/// criteria (each its own EXISTS / NOT EXISTS, see README).
fn label(b: &mut B, l: &LabelWhere) {
    let mut lb = B {
        clauses: vec![],
        params: vec![],
    };
    if let Some(id) = &l.id {
        lb.push("l.id = ?".into(), [text(id)]);
    }
    if let Some(ids) = &l.id_in {
        in_list(
            &mut lb,
            "l.id",
            &ids.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
            false,
        );
    }
    if let Some(types) = &l.type_in {
        // An empty list (sent by the SDK for label_type_in=[]) does not constrain.
        if !types.is_empty() {
            in_list(
                &mut lb,
                "l.label_type",
                &types
                    .iter()
                    .map(|t| t.as_str().to_string())
                    .collect::<Vec<_>>(),
                false,
            );
        }
    }
    if let Some(authors) = &l.author_in {
        if authors.is_empty() {
            lb.push("0".into(), []);
        } else {
            let (s, p) = user_matches("lu", authors);
            lb.push(s, p);
        }
    }
    if let Some(u) = &l.user {
        if let Some(id) = &u.id {
            lb.push("lu.id = ?".into(), [text(id)]);
        }
        if let Some(email) = &u.email {
            lb.push("lu.email = ?".into(), [text(email)]);
        }
    }
    num_bounds(
        &mut lb,
        "l.consensus_mark",
        l.consensus_mark_gte,
        l.consensus_mark_lte,
    );
    num_bounds(
        &mut lb,
        "l.honeypot_mark",
        l.honeypot_mark_gte,
        l.honeypot_mark_lte,
    );
    if let Some(c) = &l.created_at {
        if time::is_date_only(c) {
            date_bounds(&mut lb, "l.created_at", &Some(c.clone()), &Some(c.clone()));
        } else {
            lb.push("l.created_at = ?".into(), [text(&time::normalize(c))]);
        }
    }
    date_bounds(
        &mut lb,
        "l.created_at",
        &l.created_at_gte,
        &l.created_at_lte,
    );
    if let Some(q) = &l.search {
        lb.push("kili_search(?, l.json_response)".into(), [text(q)]);
    }
    if !lb.clauses.is_empty() {
        b.push(
            format!(
                "EXISTS(SELECT 1 FROM labels l LEFT JOIN users lu ON lu.id = l.author_id WHERE l.asset_id = a.id AND {})",
                lb.clauses.join(" AND ")
            ),
            lb.params,
        );
    }
    let role = |reviewer: bool, values: &Vec<String>, negate: bool, b: &mut B| {
        if values.is_empty() {
            if !negate {
                b.push("0".into(), []);
            }
            return;
        }
        let (s, p) = user_matches("lu", values);
        let kind = if reviewer {
            "l.label_type = 'REVIEW'"
        } else {
            "COALESCE(l.label_type,'') <> 'REVIEW'"
        };
        let not = if negate { "NOT " } else { "" };
        b.push(
            format!("{not}EXISTS(SELECT 1 FROM labels l JOIN users lu ON lu.id = l.author_id WHERE l.asset_id = a.id AND {kind} AND {s})"),
            p,
        );
    };
    if let Some(v) = &l.labeler_in {
        role(false, v, false, b);
    }
    if let Some(v) = &l.labeler_not_in {
        role(false, v, true, b);
    }
    if let Some(v) = &l.reviewer_in {
        role(true, v, false, b);
    }
    if let Some(v) = &l.reviewer_not_in {
        role(true, v, true, b);
    }
}

fn step_pairs(b: &mut B, pairs: &[AssetStepIdAndStatusWhere], negate: bool) {
    if pairs.is_empty() {
        if !negate {
            b.push("0".into(), []);
        }
        return;
    }
    let inner = vec!["(a.step_id = ? AND a.step_status = ?)"; pairs.len()].join(" OR ");
    let params: Vec<Value> = pairs
        .iter()
        .flat_map(|p| [text(&p.step_id), text(p.status.canonical())])
        .collect();
    let clause = if negate {
        format!("NOT COALESCE(({inner}), 0)")
    } else {
        format!("({inner})")
    };
    b.push(clause, params);
}

/// Compiles `w` for `viewer_id`. Reads the database only to check project membership.
pub fn build(c: &Connection, w: &AssetWhere, viewer_id: &str) -> StoreResult<Filter> {
    let mut b = B {
        clauses: vec![],
        params: vec![],
    };
    let project_id = w
        .project
        .as_ref()
        .and_then(|p| p.id.as_ref())
        .map(|i| i.to_string());
    // With ids given, the primary key is the cheapest way in; SQLite's planner nevertheless
    // prefers a project index for long `IN` lists (scanning the whole project per call, which
    // made batched actions quadratic). The unary `+` keeps the project term out of index
    // selection without changing its value.
    let by_id = w.id.is_some() || w.id_in.as_ref().is_some_and(|v| !v.is_empty());
    let project_col = if by_id {
        "+a.project_id"
    } else {
        "a.project_id"
    };
    match &project_id {
        Some(pid) => {
            let member: Option<i64> = c
                .prepare_cached(
                    "SELECT 1 FROM project_members WHERE project_id = ?1 AND user_id = ?2",
                )?
                .query_row([pid.as_str(), viewer_id], |r| r.get(0))
                .optional()?;
            if member.is_none() {
                b.push("0".into(), []);
            }
            b.push(format!("{project_col} = ?"), [text(pid)]);
        }
        None => b.push(
            format!("{project_col} IN (SELECT project_id FROM project_members WHERE user_id = ?)"),
            [text(viewer_id)],
        ),
    }
    if let Some(id) = &w.id {
        b.push("a.id = ?".into(), [text(id)]);
    }
    if let Some(v) = &w.external_id_strictly_in {
        in_list(&mut b, "a.external_id", v, false);
    }
    if let Some(v) = &w.external_id_in {
        if v.is_empty() {
            b.push("0".into(), []);
        } else {
            b.push(
                format!(
                    "({})",
                    vec!["instr(a.external_id, ?) > 0"; v.len()].join(" OR ")
                ),
                v.iter().map(|s| text(s)),
            );
        }
    }
    if let Some(v) = &w.status_in {
        in_list(
            &mut b,
            "a.status",
            &v.iter().map(|s| s.as_str().to_string()).collect::<Vec<_>>(),
            false,
        );
    }
    num_bounds(
        &mut b,
        "a.consensus_mark",
        w.consensus_mark_gte,
        w.consensus_mark_lte,
    );
    num_bounds(
        &mut b,
        "a.honeypot_mark",
        w.honeypot_mark_gte,
        w.honeypot_mark_lte,
    );
    num_bounds(
        &mut b,
        "a.inference_mark",
        w.inference_mark_gte,
        w.inference_mark_lte,
    );
    if let Some(v) = &w.id_in {
        in_list(
            &mut b,
            "a.id",
            &v.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
            false,
        );
    }
    if let Some(v) = &w.id_not_in {
        in_list(
            &mut b,
            "a.id",
            &v.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
            true,
        );
    }
    if let Some(m) = &w.metadata {
        metadata(&mut b, m);
    }
    for (values, negate) in [(&w.assignee_in, false), (&w.assignee_not_in, true)] {
        if let Some(v) = values {
            if v.is_empty() {
                if !negate {
                    b.push("0".into(), []);
                }
                continue;
            }
            let (s, p) = user_matches("au", v);
            let not = if negate { "NOT " } else { "" };
            b.push(
                format!("{not}EXISTS(SELECT 1 FROM asset_assignees aa JOIN users au ON au.id = aa.user_id WHERE aa.asset_id = a.id AND {s})"),
                p,
            );
        }
    }
    if let Some(l) = &w.label {
        label(&mut b, l);
    }
    if let Some(s) = w.skipped {
        b.push("a.skipped = ?".into(), [Value::Integer(s as i64)]);
    }
    date_bounds(
        &mut b,
        "COALESCE(a.updated_at, a.created_at)",
        &w.updated_at_gte,
        &w.updated_at_lte,
    );
    date_bounds(&mut b, "a.created_at", &w.created_at_gte, &w.created_at_lte);
    if let Some(i) = &w.issue {
        let mut parts = Vec::new();
        let mut params = Vec::new();
        if let Some(id) = &i.id {
            parts.push("i.id = ?");
            params.push(text(id));
        }
        if let Some(t) = i.kind {
            parts.push("i.type = ?");
            params.push(text(t.as_str()));
        }
        if let Some(s) = i.status {
            parts.push("i.status = ?");
            params.push(text(s.as_str()));
        }
        if !parts.is_empty() {
            b.push(
                format!(
                    "EXISTS(SELECT 1 FROM issues i WHERE i.asset_id = a.id AND {})",
                    parts.join(" AND ")
                ),
                params,
            );
        }
    }
    if let Some(v) = &w.step_id_in {
        in_list(
            &mut b,
            "a.step_id",
            &v.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
            false,
        );
    }
    if let Some(v) = &w.step_id_not_in {
        in_list(
            &mut b,
            "a.step_id",
            &v.iter().map(|i| i.to_string()).collect::<Vec<_>>(),
            true,
        );
    }
    if let Some(v) = &w.step_status_in {
        in_list(
            &mut b,
            "a.step_status",
            &v.iter()
                .map(|s| s.canonical().to_string())
                .collect::<Vec<_>>(),
            false,
        );
    }
    if let Some(v) = &w.step_status_not_in {
        in_list(
            &mut b,
            "a.step_status",
            &v.iter()
                .map(|s| s.canonical().to_string())
                .collect::<Vec<_>>(),
            true,
        );
    }
    if let Some(v) = &w.step_id_and_status_in {
        step_pairs(&mut b, v, false);
    }
    if let Some(v) = &w.step_id_and_status_not_in {
        step_pairs(&mut b, v, true);
    }
    for (values, negate) in [(&w.group_name_in, false), (&w.group_name_not_in, true)] {
        if let Some(v) = values {
            if v.is_empty() {
                continue; // the SDK drops empty group lists; treat a stray one as no constraint
            }
            let sub = format!(
                "SELECT id FROM steps WHERE step_group_name IN ({})",
                marks(v.len())
            );
            let clause = if negate {
                format!("(a.step_id IS NULL OR a.step_id NOT IN ({sub}))")
            } else {
                format!("a.step_id IN ({sub})")
            };
            b.push(clause, v.iter().map(|s| text(s)));
        }
    }
    Ok(Filter {
        sql: b.clauses.join(" AND "),
        params: b.params,
    })
}
