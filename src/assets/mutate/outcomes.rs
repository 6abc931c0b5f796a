//! Per-item outcomes of a bulk call, and the one result shape every mutation returns.
//!
//! Every action returns the JSON object
//! ```json
//! {"result": <the reference SDK's return value>,
//!  "outcomes": {"succeeded": [{"asset_id": "...", "external_id": "..."}],
//!               "declined":  [{"asset_id": "...", "external_id": "...", "reason": "..."}],
//!               "failed":    [{"asset_id": "...", "external_id": "...", "reason": "..."}]}}
//! ```
//! `result` is exactly what the reference SDK returns (`{"id", "asset_ids"}` for
//! `append_many_to_dataset`, `[{"id"}]` for updates, `{"id"}` / `{"id", "asset_ids"}` / `null`
//! for the actions). Every selected or given item appears under exactly one outcome key (an
//! asynchronous import not waited for lists its assets under an extra `"pending"` key).
//! `asset_id` or `external_id` is `null` when unknown. `declined` = the server (or the
//! import's duplicate check) refused the item; `failed` = the write failed or could not be
//! confirmed. When `failed` is not empty the call returns [`Error::PartialFailure`] whose
//! details carry this same object under `"result"` and `"outcomes"`.

use crate::error::{Error, Result};
use serde::Serialize;
use serde_json::{json, Value};

/// One item of an outcome list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemOutcome {
    /// The asset id, when known.
    pub asset_id: Option<String>,
    /// The external id, when known.
    pub external_id: Option<String>,
    /// Why the item was declined or failed (absent for succeeded items).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ItemOutcome {
    /// An item without reason.
    pub fn new(asset_id: Option<String>, external_id: Option<String>) -> Self {
        ItemOutcome {
            asset_id,
            external_id,
            reason: None,
        }
    }
    /// The same item with a reason.
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }
}

/// The three (or four) outcome lists of a bulk call. Plain data.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Outcomes {
    /// Items done.
    pub succeeded: Vec<ItemOutcome>,
    /// Items the server refused as not applicable.
    pub declined: Vec<ItemOutcome>,
    /// Items whose write failed or could not be confirmed.
    pub failed: Vec<ItemOutcome>,
    /// Asynchronous imports accepted but not waited for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<ItemOutcome>,
}

impl Outcomes {
    /// Appends all lists of `other`.
    pub fn extend(&mut self, other: Outcomes) {
        self.succeeded.extend(other.succeeded);
        self.declined.extend(other.declined);
        self.failed.extend(other.failed);
        self.pending.extend(other.pending);
    }

    /// Number of items of all lists.
    pub fn len(&self) -> usize {
        self.succeeded.len() + self.declined.len() + self.failed.len() + self.pending.len()
    }

    /// True when no list has an item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Reads the server's `AssetActionOutcome` (`succeeded{assetId externalId}`,
    /// `declined{assetId externalId}`, `failed{assetId externalId details}`).
    pub fn from_server(v: &Value) -> Result<Outcomes> {
        let list = |key: &str| -> Result<Vec<ItemOutcome>> {
            let Some(items) = v.get(key).and_then(Value::as_array) else {
                return Err(Error::Server {
                    message: format!("the server's outcome has no `{key}` list"),
                    details: json!({"answer": v}),
                });
            };
            Ok(items
                .iter()
                .map(|it| ItemOutcome {
                    asset_id: it.get("assetId").and_then(Value::as_str).map(str::to_owned),
                    external_id: it.get("externalId").and_then(Value::as_str).map(str::to_owned),
                    reason: match key {
                        "succeeded" => None,
                        "declined" => Some("declined by the server: the action does not apply to this asset in its current state".into()),
                        _ => Some(it.get("details").and_then(Value::as_str).unwrap_or("the server failed to write this asset").to_string()),
                    },
                })
                .collect())
        };
        Ok(Outcomes {
            succeeded: list("succeeded")?,
            declined: list("declined")?,
            failed: list("failed")?,
            pending: vec![],
        })
    }
}

impl ItemOutcome {
    /// The item as JSON, its strings moved rather than copied (`serde_json::to_value` would
    /// copy every id of a 100k-item call and then free the originals).
    fn into_value(self) -> Value {
        let mut m = serde_json::Map::with_capacity(3);
        m.insert(
            "asset_id".into(),
            self.asset_id.map_or(Value::Null, Value::String),
        );
        m.insert(
            "external_id".into(),
            self.external_id.map_or(Value::Null, Value::String),
        );
        if let Some(r) = self.reason {
            m.insert("reason".into(), Value::String(r));
        }
        Value::Object(m)
    }
}

impl Outcomes {
    /// The lists as the JSON object documented above (same shape as `Serialize` gives).
    pub fn into_value(self) -> Value {
        let list = |v: Vec<ItemOutcome>| {
            Value::Array(v.into_iter().map(ItemOutcome::into_value).collect())
        };
        let mut m = serde_json::Map::with_capacity(4);
        m.insert("succeeded".into(), list(self.succeeded));
        m.insert("declined".into(), list(self.declined));
        m.insert("failed".into(), list(self.failed));
        if !self.pending.is_empty() {
            m.insert("pending".into(), list(self.pending));
        }
        Value::Object(m)
    }
}

/// Builds `{"result": result, "outcomes": outcomes}`, or the [`Error::PartialFailure`]
/// carrying it when some items failed.
pub fn finish(method: &str, result: Value, outcomes: Outcomes) -> Result<Value> {
    // Read from the lists before they become JSON.
    let (total, failed) = (outcomes.len(), outcomes.failed.len());
    let first = outcomes
        .failed
        .first()
        .and_then(|f| f.reason.clone())
        .unwrap_or_default();
    // Not `json!`: it passes each value through `to_value`, a deep copy of both lists.
    let mut out = serde_json::Map::with_capacity(3);
    out.insert("result".into(), result);
    out.insert("outcomes".into(), outcomes.into_value());
    if failed == 0 {
        return Ok(Value::Object(out));
    }
    out.insert("method".into(), Value::String(method.into()));
    Err(Error::PartialFailure {
        message: format!("{method}: {failed} of {total} items failed (first reason: {first})"),
        details: Value::Object(out),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_outcome_is_read() {
        let v = json!({"succeeded": [{"assetId": "a", "externalId": "x"}], "declined": [{"assetId": "b", "externalId": null}], "failed": [{"assetId": "c", "externalId": "z", "details": "boom"}]});
        let o = Outcomes::from_server(&v).unwrap();
        assert_eq!(
            o.succeeded,
            vec![ItemOutcome::new(Some("a".into()), Some("x".into()))]
        );
        assert_eq!(o.declined[0].asset_id.as_deref(), Some("b"));
        assert_eq!(o.failed[0].reason.as_deref(), Some("boom"));
        assert!(Outcomes::from_server(&json!({"succeeded": []})).is_err());
    }

    #[test]
    fn failures_make_a_partial_failure() {
        let mut o = Outcomes::default();
        o.succeeded.push(ItemOutcome::new(Some("a".into()), None));
        assert_eq!(
            finish("m", json!(null), o.clone()).unwrap()["outcomes"]["succeeded"][0]["asset_id"],
            "a"
        );
        o.failed
            .push(ItemOutcome::new(Some("b".into()), None).because("boom"));
        let e = finish("m", json!(null), o).unwrap_err();
        assert_eq!(e.status(), crate::status::Status::PartialFailure);
        assert_eq!(e.details()["outcomes"]["failed"][0]["reason"], "boom");
        assert!(e.details()["outcomes"].get("pending").is_none());
    }

    #[test]
    fn into_value_matches_serialize() {
        let mut o = Outcomes::default();
        o.succeeded
            .push(ItemOutcome::new(Some("a".into()), Some("x".into())));
        o.declined
            .push(ItemOutcome::new(None, Some("y".into())).because("no"));
        o.failed
            .push(ItemOutcome::new(Some("c".into()), None).because("boom"));
        assert_eq!(o.clone().into_value(), serde_json::to_value(&o).unwrap());
        o.pending.push(ItemOutcome::new(Some("p".into()), None));
        let v = o.clone().into_value();
        assert_eq!(v, serde_json::to_value(&o).unwrap());
        assert_eq!(v["pending"][0]["asset_id"], "p");
        assert!(v["succeeded"][0].get("reason").is_none());
    }
}
