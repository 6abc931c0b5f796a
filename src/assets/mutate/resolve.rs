//! Resolution of external ids to asset ids within a project (chunks of 1000 external ids,
//! paged `assets` queries). An unknown external id is an [`Error::NotFound`] naming it.

use super::args::AssetSelector;
use super::exec::Exec;
use crate::error::{Error, Result};
use serde_json::{json, Value};
use std::collections::HashMap;

/// One resolved asset: its id and, when known, its external id.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Target {
    pub id: String,
    pub external_id: Option<String>,
}

/// The assets selected by `asset_ids` (unchanged, no query) or by `external_ids` in
/// `project_id` (in the given order, repeats kept).
pub(crate) async fn resolve(exec: &Exec<'_>, selector: &AssetSelector) -> Result<Vec<Target>> {
    let (asset_ids, external_ids, project_id) = (
        selector.asset_ids.as_deref(),
        selector.external_ids.as_deref(),
        selector.project_id.as_deref(),
    );
    if let Some(ids) = asset_ids {
        return Ok(ids
            .iter()
            .map(|id| Target {
                id: id.clone(),
                external_id: None,
            })
            .collect());
    }
    let (Some(ext), Some(project)) = (external_ids, project_id) else {
        return Err(Error::invalid_arg(
            "asset_ids",
            "Either provide asset IDs or project ID with asset external IDs.",
        ));
    };
    let mut map: HashMap<String, String> = HashMap::new();
    let mut unique: Vec<&String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for e in ext {
        if seen.insert(e) {
            unique.push(e);
        }
    }
    for chunk in unique.chunks(1000) {
        let rows = exec
            .assets_where(json!({"project": {"id": project}, "externalIdStrictlyIn": chunk}))
            .await?;
        for r in rows {
            if let (Some(id), Some(e)) = (
                r.get("id").and_then(Value::as_str),
                r.get("externalId").and_then(Value::as_str),
            ) {
                map.insert(e.to_string(), id.to_string());
            }
        }
    }
    let missing: Vec<&str> = unique
        .iter()
        .filter(|e| !map.contains_key(e.as_str()))
        .map(|e| e.as_str())
        .collect();
    if !missing.is_empty() {
        return Err(Error::NotFound {
            message: format!("The assets whose external_id are: {missing:?} have not been found in the project of Id {project}"),
            details: json!({"path": "external_ids", "external_ids": missing, "project_id": project}),
        });
    }
    Ok(ext
        .iter()
        .map(|e| Target {
            id: map[e].clone(),
            external_id: Some(e.clone()),
        })
        .collect())
}
