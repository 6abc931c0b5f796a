//! Fast path for `updatePropertiesInAssets` as the SDK and kili-native send it: batches of
//! `where: [{id}]` + `data: [AssetData]` selecting `{ id }`. Async-graphql's validation and
//! coercion of the 2 x 100 input objects of a batch cost more than the writes themselves.
//!
//! Only a narrow shape is served: one mutation operation whose only root field is
//! `updatePropertiesInAssets` (any alias), with `where` and `data` given as variables declared
//! exactly `[AssetWhere!]!` / `[AssetData!]!`, selecting only `id` (any alias). The variables
//! are deserialised strictly (unknown field, wrong type, null where non-null, a single value
//! where a list is expected: not served). Anything else, and any failure (no viewer, length
//! mismatch, unknown or invisible asset, invalid JSON text, store error: the transaction is
//! rolled back), returns `None` and the caller runs async-graphql unchanged, so errors stay
//! those of the schema. The writes are those of the schema's resolver
//! ([`super::mutation::update_by_ids`]); `emulator/tests/it/fast_update.rs` checks answers and
//! rows against the schema.

use std::collections::HashSet;
use std::sync::Arc;

use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection};
use async_graphql::{Name, Value as ConstValue};
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::fast_assets::{memo_plan, single_root_field, string};
use super::inputs::{AssetData, PageResolutionInput, ResolutionInput};
use crate::doc_memo::DocMemo;
use crate::store::rows::UserRow;
use crate::store::Store;

/// A document the fast path can answer, compiled once per query text.
struct Plan {
    /// Response key of the root field (`data` in `data: updatePropertiesInAssets(...)`).
    key: String,
    where_: Name,
    data: Name,
    /// Response keys of the selected `id` fields, in order.
    id_keys: Vec<String>,
}

/// `where[i]`: exactly `{id: String}`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdWhere {
    id: String,
}

/// Mirror of [`AssetData`] with GraphQL's names and strict types (no input coercion).
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct Data {
    external_id: Option<String>,
    priority: Option<i32>,
    json_metadata: Option<String>,
    consensus_mark: Option<f64>,
    honeypot_mark: Option<f64>,
    to_be_labeled_by: Option<Vec<String>>,
    should_reset_to_be_labeled_by: Option<bool>,
    content: Option<String>,
    json_content: Option<String>,
    is_used_for_consensus: Option<bool>,
    is_honeypot: Option<bool>,
    page_resolutions: Option<Vec<PageRes>>,
    resolution: Option<Res>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PageRes {
    page_number: i32,
    width: i32,
    height: i32,
    rotation: Option<i32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Res {
    width: i32,
    height: i32,
}

impl From<Data> for AssetData {
    fn from(d: Data) -> AssetData {
        // Every field named (no `..`): a new AssetData field fails to compile here.
        AssetData {
            external_id: d.external_id,
            priority: d.priority,
            json_metadata: d.json_metadata,
            consensus_mark: d.consensus_mark,
            honeypot_mark: d.honeypot_mark,
            to_be_labeled_by: d.to_be_labeled_by,
            should_reset_to_be_labeled_by: d.should_reset_to_be_labeled_by,
            content: d.content,
            json_content: d.json_content,
            is_used_for_consensus: d.is_used_for_consensus,
            is_honeypot: d.is_honeypot,
            page_resolutions: d.page_resolutions.map(|v| {
                v.into_iter()
                    .map(|p| PageResolutionInput {
                        page_number: p.page_number,
                        width: p.width,
                        height: p.height,
                        rotation: p.rotation,
                    })
                    .collect()
            }),
            resolution: d.resolution.map(|r| ResolutionInput {
                width: r.width,
                height: r.height,
            }),
        }
    }
}

/// The compiled plan for (query, operation name), memoised. `None` = not a fast-path document.
fn plan_for(query: &str, operation_name: Option<&str>) -> Option<Arc<Plan>> {
    static MEMO: DocMemo<Option<Arc<Plan>>> = DocMemo::new();
    memo_plan(&MEMO, query, operation_name, compile)
}

fn compile(doc: &ExecutableDocument, operation_name: Option<&str>) -> Option<Plan> {
    let (declared, f) = single_root_field(
        doc,
        operation_name,
        OperationType::Mutation,
        "updatePropertiesInAssets",
    )?;
    let mut used: HashSet<&str> = HashSet::new();
    let (mut where_, mut data) = (None, None);
    for (name, value) in &f.arguments {
        let (slot, ty) = match name.node.as_str() {
            "where" => (&mut where_, "[AssetWhere!]!"),
            "data" => (&mut data, "[AssetData!]!"),
            _ => return None,
        };
        if slot.is_some() {
            return None;
        }
        // Only a whole-value variable with the argument's exact declared type.
        let v = match value.node.clone().into_const_with(Err::<ConstValue, Name>) {
            Err(v) if value.node.to_string() == format!("${v}") => v,
            _ => return None,
        };
        let (decl, ty_decl) = declared.get_key_value(v.as_str())?;
        if ty_decl != ty {
            return None;
        }
        used.insert(*decl);
        *slot = Some(v);
    }
    // Unused declared variables are a validation error: leave them to async-graphql.
    if used.len() != declared.len() {
        return None;
    }
    let mut id_keys: Vec<String> = Vec::new();
    let items = &f.selection_set.node.items;
    if items.is_empty() {
        return None;
    }
    for item in items {
        let Selection::Field(s) = &item.node else {
            return None;
        };
        let s = &s.node;
        if s.name.node != "id"
            || !s.arguments.is_empty()
            || !s.directives.is_empty()
            || !s.selection_set.node.items.is_empty()
        {
            return None;
        }
        let key = s.response_key().node.to_string();
        if id_keys.contains(&key) {
            return None;
        }
        id_keys.push(key);
    }
    Some(Plan {
        key: f.response_key().node.to_string(),
        where_: where_?,
        data: data?,
        id_keys,
    })
}

/// The plan's two variables read from a request body: `(where, data)`, each `None` when
/// absent. Fails on a duplicate key (the schema's reading keeps the last one: left to it).
struct BodySeed<'p>(&'p Plan);

type Vars = (Option<Vec<IdWhere>>, Option<Vec<Data>>);

impl<'de> DeserializeSeed<'de> for BodySeed<'_> {
    type Value = Vars;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vars, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BodySeed<'_> {
    type Value = Vars;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a GraphQL request body")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Vars, A::Error> {
        let mut out = None;
        while let Some(k) = m.next_key::<std::borrow::Cow<'de, str>>()? {
            if k == "variables" {
                if out.is_some() {
                    return Err(serde::de::Error::duplicate_field("variables"));
                }
                out = Some(m.next_value_seed(VarsSeed(self.0))?);
            } else {
                m.next_value::<IgnoredAny>()?;
            }
        }
        Ok(out.unwrap_or((None, None)))
    }
}

/// The `variables` object (or `null`) of a body.
struct VarsSeed<'p>(&'p Plan);

impl<'de> DeserializeSeed<'de> for VarsSeed<'_> {
    type Value = Vars;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vars, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for VarsSeed<'_> {
    type Value = Vars;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the variables object")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Vars, E> {
        Ok((None, None))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Vars, E> {
        Ok((None, None))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vars, D::Error> {
        d.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Vars, A::Error> {
        let (mut wheres, mut data) = (None, None);
        while let Some(k) = m.next_key::<std::borrow::Cow<'de, str>>()? {
            if k == self.0.where_.as_str() {
                if wheres.is_some() {
                    return Err(serde::de::Error::duplicate_field("where"));
                }
                wheres = Some(m.next_value::<Vec<IdWhere>>()?);
            } else if k == self.0.data.as_str() {
                if data.is_some() {
                    return Err(serde::de::Error::duplicate_field("data"));
                }
                data = Some(m.next_value::<Vec<Data>>()?);
            } else {
                m.next_value::<IgnoredAny>()?;
            }
        }
        Ok((wheres, data))
    }
}

/// The answer (`{"data":{"<key>":[{"id":..},..]}}` bytes) when the request whose JSON body is
/// `body` (query text `query`, operation `operation_name`, as read from that body) is a
/// fast-path document and the update succeeds (committed); `None` otherwise, with nothing
/// written (the caller then runs the schema). The two variables are deserialised straight from
/// `body`, without building the request's `Variables` (a tree of GraphQL values per input
/// object, then copied for the strict deserialisation: a sixth of a 100-asset batch).
///
/// The caller must have checked that `body` is a valid GraphQL request body (as
/// `async_graphql::Request` reads it); this only adds the fast path's conditions.
///
/// Errors: none surfaced; any failure is `None`. Thread-safe.
pub fn answer(
    store: &Store,
    query: &str,
    operation_name: Option<&str>,
    body: &[u8],
    user: Option<&UserRow>,
) -> Option<Vec<u8>> {
    let user = user?;
    let plan = plan_for(query, operation_name)?;
    let mut de = serde_json::Deserializer::from_slice(body);
    let (wheres, data) = BodySeed(&plan).deserialize(&mut de).ok()?;
    de.end().ok()?;
    let (wheres, data) = (wheres?, data?);
    if !data.is_empty() && data.len() != wheres.len() {
        return None;
    }
    let data: Vec<AssetData> = data.into_iter().map(AssetData::from).collect();
    let plain: Vec<&str> = wheres.iter().map(|w| w.id.as_str()).collect();
    let now = crate::time::now();
    let ids = store
        .write(|tx| super::mutation::update_by_ids(tx, &user.id, &plain, &data, &now))
        .ok()?;
    let mut out = Vec::with_capacity(64 + ids.len() * 48);
    out.extend_from_slice(b"{\"data\":{");
    key(&mut out, &plan.key);
    out.push(b'[');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        for (k, name) in plan.id_keys.iter().enumerate() {
            if k > 0 {
                out.push(b',');
            }
            key(&mut out, name);
            string(&mut out, id);
        }
        out.push(b'}');
    }
    out.extend_from_slice(b"]}}");
    Some(out)
}

fn key(out: &mut Vec<u8>, k: &str) {
    string(out, k);
    out.push(b':');
}
