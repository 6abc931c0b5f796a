//! `add_metadata` and `set_metadata`: read each asset's `jsonMetadata`, merge, and write it
//! back through `updatePropertiesInAssets` (the reference's read, merge, update).
//!
//! Merge: `add_metadata` keeps the current keys and sets the given ones over them;
//! `set_metadata` replaces the metadata, keeping only the keys Kili itself relies on (`text`,
//! `imageUrl`, `url`, `processingParameters`) unless the new object sets them. The i-th
//! object goes to the i-th given asset (the reference pairs it with the i-th asset *listed*,
//! which is the same only when the ids are given in creation order).
//!
//! Retry safety: the write sends whole metadata values, so a batch whose outcome is unknown is
//! re-applied as is (see [`super::update`]); the read happens once, before any write.
//!
//! Result: the reference's `[{"id"}]` (what `update_properties_in_assets` answers). An id not
//! found in `project_id` (or whose metadata is not a JSON object) is a failed item and the
//! others are still written. Borrowed executor; one call.

use super::args::MetadataArgs;
use super::exec::Exec;
use super::in_flight::item;
use super::outcomes::{finish, ItemOutcome, Outcomes};
use super::resolve::Target;
use crate::error::Result;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// The metadata keys `set_metadata` keeps (Kili reads them to display or process assets).
const KEPT_BY_SET: [&str; 4] = ["text", "imageUrl", "url", "processingParameters"];

/// Runs `add_metadata` (`replace == false`) or `set_metadata` (`replace == true`).
pub(crate) async fn run(exec: &Exec<'_>, args: MetadataArgs, replace: bool) -> Result<Value> {
    let method = if replace {
        "set_metadata"
    } else {
        "add_metadata"
    };
    let events = &exec.ctx.events;
    let empty = |key: &str| {
        events.warn(
            crate::events::WarningKind::EmptyList,
            method,
            super::args::empty_message(method, key),
        );
        finish(method, json!([]), Outcomes::default())
    };
    if args.json_metadata.is_empty() {
        return empty("json_metadata");
    }
    for (key, list) in [
        ("asset_ids", &args.asset_ids),
        ("external_ids", &args.external_ids),
    ] {
        if list.as_ref().is_some_and(Vec::is_empty) {
            return empty(key);
        }
    }
    args.validate()?;
    let by_external = args.asset_ids.is_none();
    let given: &[String] = args
        .asset_ids
        .as_deref()
        .or(args.external_ids.as_deref())
        .unwrap_or_default();
    let current = read_current(exec, &args.project_id, given, by_external).await?;
    let mut targets = Vec::with_capacity(given.len());
    let mut texts = Vec::with_capacity(given.len());
    let mut refused = Outcomes::default();
    for (key, new) in given.iter().zip(&args.json_metadata) {
        let Some((id, ext, meta)) = current.get(key.as_str()) else {
            let (asset_id, external_id) = if by_external {
                (None, Some(key.clone()))
            } else {
                (Some(key.clone()), None)
            };
            refused.failed.push(
                ItemOutcome::new(asset_id, external_id)
                    .because(format!("asset not found in project {}", args.project_id)),
            );
            continue;
        };
        let target = Target {
            id: id.clone(),
            external_id: ext.clone(),
        };
        match merge(meta, new, replace) {
            Some(m) => {
                texts.push(Value::Object(m).to_string());
                targets.push(target);
            }
            None => refused.failed.push(item(&target).because(
                "the asset's current jsonMetadata is not a JSON object, so it cannot be merged",
            )),
        }
    }
    let (result, mut outcomes) = if targets.is_empty() {
        (Vec::new(), Outcomes::default())
    } else {
        super::update::apply_parts(
            exec,
            method,
            &targets,
            |i| json!({"jsonMetadata": texts[i]}),
        )
        .await?
    };
    outcomes.extend(refused);
    finish(method, Value::Array(result), outcomes)
}

/// The new metadata of an asset whose metadata is `current`, or `None` when `current` is not
/// an object (or JSON text of one).
fn merge(current: &Value, new: &Map<String, Value>, replace: bool) -> Option<Map<String, Value>> {
    let parsed;
    let current = match current {
        Value::String(s) if s.trim().is_empty() => {
            parsed = Value::Object(Map::new());
            &parsed
        }
        Value::String(s) => {
            parsed = serde_json::from_str::<Value>(s).ok()?;
            &parsed
        }
        Value::Null => {
            parsed = Value::Object(Map::new());
            &parsed
        }
        v => v,
    };
    let current = current.as_object()?;
    let mut out: Map<String, Value> = if replace {
        current
            .iter()
            .filter(|(k, _)| KEPT_BY_SET.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    } else {
        current.clone()
    };
    for (k, v) in new {
        out.insert(k.clone(), v.clone());
    }
    Some(out)
}

/// `key -> (id, external id, jsonMetadata)` of the assets of `project` named by `keys` (ids,
/// or external ids when `by_external`), read 1000 keys per filter.
async fn read_current(
    exec: &Exec<'_>,
    project: &str,
    keys: &[String],
    by_external: bool,
) -> Result<HashMap<String, (String, Option<String>, Value)>> {
    let mut unique: Vec<&String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for k in keys {
        if seen.insert(k) {
            unique.push(k);
        }
    }
    let mut out = HashMap::new();
    for chunk in unique.chunks(1000) {
        let filter = if by_external {
            json!({"project": {"id": project}, "externalIdStrictlyIn": chunk})
        } else {
            json!({"project": {"id": project}, "idIn": chunk})
        };
        let rows = exec
            .assets_doc_max(super::documents::ASSETS_METADATA, filter, chunk.len())
            .await?;
        for r in rows {
            let Some(id) = r.get("id").and_then(Value::as_str) else {
                continue;
            };
            let ext = r.get("externalId").and_then(Value::as_str);
            let key = if by_external {
                match ext {
                    Some(e) => e.to_string(),
                    None => continue,
                }
            } else {
                id.to_string()
            };
            let meta = r.get("jsonMetadata").cloned().unwrap_or(Value::Null);
            out.insert(key, (id.to_string(), ext.map(str::to_owned), meta));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_keeps_and_set_replaces_but_keeps_kili_keys() {
        let new: Map<String, Value> = serde_json::from_value(json!({"a": 2, "n": "x"})).unwrap();
        let cur = json!("{\"a\": 1, \"b\": 1, \"text\": \"t\", \"url\": \"u\"}");
        assert_eq!(
            Value::Object(merge(&cur, &new, false).unwrap()),
            json!({"a": 2, "b": 1, "text": "t", "url": "u", "n": "x"})
        );
        assert_eq!(
            Value::Object(merge(&cur, &new, true).unwrap()),
            json!({"text": "t", "url": "u", "a": 2, "n": "x"})
        );
        assert_eq!(
            Value::Object(merge(&json!(""), &new, true).unwrap()),
            json!({"a": 2, "n": "x"})
        );
        assert!(merge(&json!("[1]"), &new, false).is_none());
    }
}
