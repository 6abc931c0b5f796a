//! Arguments of the five mutations that act on existing assets (`update_properties_in_assets`,
//! `change_asset_external_ids`, `delete_many_from_dataset`, `add_to_review`,
//! `send_back_to_queue`), read from their JSON object and validated before any network call.
//!
//! Names follow the reference SDK (snake_case). Validation is stricter than the reference:
//! every array must have exactly one entry per asset, marks must lie in [0, 1], and the
//! errors name the argument and the index. A `null` entry in a property array means "leave
//! this property of this asset unchanged". Plain data; `Send + Sync`.

use super::reader::{as_bool, as_f64, as_i64, as_object, as_str, check_len, nullable, Reader};
use crate::error::{Error, Result};
use crate::events::{EventSink, WarningKind};
use serde_json::{json, Map, Value};

/// Which assets an action applies to: `asset_ids`, or `external_ids` with `project_id`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AssetSelector {
    /// Internal asset ids.
    pub asset_ids: Option<Vec<String>>,
    /// External ids, resolved to ids within `project_id`.
    pub external_ids: Option<Vec<String>>,
    /// The project; required with `external_ids`, optional otherwise.
    pub project_id: Option<String>,
}

impl AssetSelector {
    pub(crate) const KEYS: [&'static str; 3] = ["asset_ids", "external_ids", "project_id"];

    /// The argument that selected the assets (`asset_ids` or `external_ids`), for errors
    /// about per-asset lists whose length must match it.
    pub(crate) fn given_key(&self) -> &'static str {
        if self.asset_ids.is_some() {
            "asset_ids"
        } else {
            "external_ids"
        }
    }

    pub(crate) fn read(r: &Reader<'_>) -> Result<Self> {
        Ok(AssetSelector {
            asset_ids: r.opt_str_list("asset_ids")?,
            external_ids: r.opt_str_list("external_ids")?,
            project_id: r.opt_str("project_id")?,
        })
    }

    /// True (after an [`WarningKind::EmptyList`] warning) when `asset_ids` or `external_ids`
    /// is an empty list: the call then does nothing.
    pub fn is_empty_with_warning(&self, method: &str, events: &EventSink) -> bool {
        for (name, list) in [
            ("asset_ids", &self.asset_ids),
            ("external_ids", &self.external_ids),
        ] {
            if list.as_ref().is_some_and(|l| l.is_empty()) {
                events.warn(WarningKind::EmptyList, method, empty_message(method, name));
                return true;
            }
        }
        false
    }

    /// Checks the combination of arguments and returns the number of assets selected.
    pub fn validate(&self) -> Result<usize> {
        match (&self.asset_ids, &self.external_ids, &self.project_id) {
            (Some(_), Some(_), _) => Err(Error::invalid_arg(
                "external_ids",
                "Either provide asset IDs or asset external IDs. Not both at the same time.",
            )),
            (Some(ids), None, _) => {
                non_empty_entries("asset_ids", ids)?;
                Ok(ids.len())
            }
            (None, Some(ext), Some(p)) => {
                non_empty_project(p)?;
                non_empty_entries("external_ids", ext)?;
                Ok(ext.len())
            }
            (None, Some(_), None) => Err(Error::invalid_arg(
                "project_id",
                "is required with `external_ids`: Either provide asset IDs or project ID with asset external IDs.",
            )),
            (None, None, _) => Err(Error::invalid_arg(
                "asset_ids",
                "Either provide asset IDs or project ID with asset external IDs.",
            )),
        }
    }
}

/// The reference SDK's text of the empty-list warning.
pub(crate) fn empty_message(method: &str, argument: &str) -> String {
    format!("Method '{method}' did nothing because the following argument is empty: {argument}.")
}

pub(crate) fn non_empty_project(p: &str) -> Result<()> {
    if p.trim().is_empty() {
        return Err(Error::invalid_arg("project_id", "must not be empty"));
    }
    Ok(())
}

/// Fails on the first empty string of `list`, naming `key[i]`.
pub(crate) fn non_empty_entries(key: &str, list: &[String]) -> Result<()> {
    match list.iter().position(|s| s.is_empty()) {
        Some(i) => Err(Error::invalid_arg(
            format!("{key}[{i}]"),
            "must not be an empty string",
        )),
        None => Ok(()),
    }
}

/// Arguments of `delete_many_from_dataset`, `add_to_review` and `send_back_to_queue`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ActionArgs {
    /// The assets to act on.
    pub selector: AssetSelector,
}

impl ActionArgs {
    /// Reads the JSON object of `action`.
    pub fn from_json(action: &str, args: &Value) -> Result<Self> {
        let r = Reader::new(args, action, &AssetSelector::KEYS)?;
        Ok(ActionArgs {
            selector: AssetSelector::read(&r)?,
        })
    }
}

/// Arguments of `change_asset_external_ids`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChangeExternalIdsArgs {
    /// The new external id of each selected asset, in order.
    pub new_external_ids: Vec<String>,
    /// The assets to rename.
    pub selector: AssetSelector,
}

impl ChangeExternalIdsArgs {
    /// Reads the JSON object.
    pub fn from_json(args: &Value) -> Result<Self> {
        let r = Reader::new(
            args,
            "change_asset_external_ids",
            &[
                "new_external_ids",
                "asset_ids",
                "external_ids",
                "project_id",
            ],
        )?;
        Ok(ChangeExternalIdsArgs {
            new_external_ids: r.opt_str_list("new_external_ids")?.ok_or_else(|| {
                Error::invalid_arg("new_external_ids", "is required (a list of strings)")
            })?,
            selector: AssetSelector::read(&r)?,
        })
    }

    /// Validates lengths and uniqueness (two assets given the same new external id would make
    /// them indistinguishable). Returns the number of assets.
    pub fn validate(&self) -> Result<usize> {
        let n = self.selector.validate()?;
        let of = self.selector.given_key();
        check_len("new_external_ids", self.new_external_ids.len(), n, of)?;
        non_empty_entries("new_external_ids", &self.new_external_ids)?;
        let mut seen = std::collections::HashMap::new();
        for (i, e) in self.new_external_ids.iter().enumerate() {
            if let Some(j) = seen.insert(e.as_str(), i) {
                return Err(Error::invalid_arg(
                    format!("new_external_ids[{i}]"),
                    format!(
                        "duplicates new_external_ids[{j}] ({e:?}); external ids must be unique"
                    ),
                ));
            }
        }
        Ok(n)
    }
}

/// Arguments of `update_properties_in_assets`. Each property is `None` when not given, else
/// one entry per asset where `None` leaves that asset's property unchanged.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UpdateArgs {
    /// The assets to update.
    pub selector: AssetSelector,
    /// `priority` (integer ≥ 0). Deprecated in the reference SDK (still applied).
    pub priorities: Option<Vec<Option<i64>>>,
    /// `jsonMetadata`, as an object/list (sent as JSON text) or a JSON text.
    pub json_metadatas: Option<Vec<Option<String>>>,
    /// `consensusMark` in [0, 1].
    pub consensus_marks: Option<Vec<Option<f64>>>,
    /// `honeypotMark` in [0, 1].
    pub honeypot_marks: Option<Vec<Option<f64>>>,
    /// `toBeLabeledBy` (labeler e-mails); an empty list **or a `null` entry** clears the
    /// assignment (sent as `shouldResetToBeLabeledBy: true`, as the reference SDK does).
    /// Deprecated in the reference SDK (still applied).
    pub to_be_labeled_by_array: Option<Vec<Option<Vec<String>>>>,
    /// `content` (URL or raw text; not uploaded).
    pub contents: Option<Vec<Option<String>>>,
    /// `jsonContent`.
    pub json_contents: Option<Vec<Option<String>>>,
    /// Deprecated, never sent (a warning is emitted).
    pub status_array: Option<Vec<Option<String>>>,
    /// `isUsedForConsensus`.
    pub is_used_for_consensus_array: Option<Vec<Option<bool>>>,
    /// `isHoneypot`.
    pub is_honeypot_array: Option<Vec<Option<bool>>>,
    /// `resolution` `{width, height}`.
    pub resolution_array: Option<Vec<Option<Value>>>,
    /// `pageResolutions` `[{width, height, pageNumber, rotation?}]`.
    pub page_resolutions_array: Option<Vec<Option<Vec<Value>>>>,
}

const UPDATE_KEYS: [&str; 16] = [
    "asset_ids",
    "external_ids",
    "project_id",
    "priorities",
    "json_metadatas",
    "consensus_marks",
    "honeypot_marks",
    "to_be_labeled_by_array",
    "contents",
    "json_contents",
    "status_array",
    "is_used_for_consensus_array",
    "is_honeypot_array",
    "resolution_array",
    "page_resolutions_array",
    "disable_tqdm",
];

impl UpdateArgs {
    /// Reads the JSON object; types, ranges and shapes are checked here, lengths in
    /// [`UpdateArgs::validate`].
    pub fn from_json(args: &Value) -> Result<Self> {
        let r = Reader::new(args, "update_properties_in_assets", &UPDATE_KEYS)?;
        let mark = |v: &Value, p: &str| {
            let f = as_f64(v, p)?;
            if !(0.0..=1.0).contains(&f) {
                return Err(Error::invalid_arg(
                    p,
                    format!("must be between 0 and 1, got {f}"),
                ));
            }
            Ok(f)
        };
        Ok(UpdateArgs {
            selector: AssetSelector::read(&r)?,
            priorities: r.opt_list("priorities", |v, p| {
                nullable(v, p, |v, p| {
                    let i = as_i64(v, p)?;
                    if i < 0 {
                        return Err(Error::invalid_arg(
                            p,
                            format!("must be an integer >= 0, got {i}"),
                        ));
                    }
                    Ok(i)
                })
            })?,
            json_metadatas: r.opt_list("json_metadatas", |v, p| nullable(v, p, metadata_text))?,
            consensus_marks: r.opt_list("consensus_marks", |v, p| nullable(v, p, mark))?,
            honeypot_marks: r.opt_list("honeypot_marks", |v, p| nullable(v, p, mark))?,
            to_be_labeled_by_array: r.opt_list("to_be_labeled_by_array", |v, p| {
                nullable(v, p, |v, p| {
                    let arr = v
                        .as_array()
                        .ok_or_else(|| Error::invalid_arg(p, "expected a list of e-mails"))?;
                    arr.iter()
                        .enumerate()
                        .map(|(j, e)| as_str(e, &format!("{p}[{j}]")))
                        .collect()
                })
            })?,
            contents: r.opt_list("contents", |v, p| nullable(v, p, as_str))?,
            json_contents: r.opt_list("json_contents", |v, p| {
                // Rich text / frames may be given as JSON structures; they are sent as text.
                nullable(v, p, |v, _| {
                    Ok(if let Value::String(s) = v {
                        s.clone()
                    } else {
                        v.to_string()
                    })
                })
            })?,
            status_array: r.opt_list("status_array", |v, p| nullable(v, p, as_str))?,
            is_used_for_consensus_array: r.opt_list("is_used_for_consensus_array", |v, p| {
                nullable(v, p, as_bool)
            })?,
            is_honeypot_array: r.opt_list("is_honeypot_array", |v, p| nullable(v, p, as_bool))?,
            resolution_array: r.opt_list("resolution_array", |v, p| nullable(v, p, resolution))?,
            page_resolutions_array: r.opt_list("page_resolutions_array", |v, p| {
                nullable(v, p, |v, p| {
                    let arr = v.as_array().ok_or_else(|| {
                        Error::invalid_arg(p, "expected a list of page resolutions")
                    })?;
                    if arr.is_empty() {
                        return Err(Error::invalid_arg(
                            p,
                            "must list the resolution of every page",
                        ));
                    }
                    arr.iter()
                        .enumerate()
                        .map(|(j, e)| page_resolution(e, &format!("{p}[{j}]")))
                        .collect()
                })
            })?,
        })
    }

    /// Emits the deprecation warnings of the reference SDK and checks lengths against the
    /// number of selected assets, which it returns.
    pub fn validate(&self, events: &EventSink) -> Result<usize> {
        const M: &str = "update_properties_in_assets";
        if self.status_array.is_some() {
            events.warn(WarningKind::Deprecation, M, "status_array is deprecated and will not be sent in the call. Asset status is automatically computed based on its labels and cannot be overwritten.");
        }
        if self.selector.asset_ids.is_some() && self.selector.external_ids.is_some() {
            events.warn(WarningKind::Deprecation, M, "The use of `external_ids` argument has changed. It is now used to identify which properties of which assets to update. Please use `change_asset_external_ids` instead to change asset external IDs.");
            return Err(Error::invalid_arg(
                "external_ids",
                "Please provide either `asset_ids` or `external_ids`, not both.",
            ));
        }
        let n = self.selector.validate()?;
        let of = self.selector.given_key();
        if self.to_be_labeled_by_array.is_some() {
            events.warn(WarningKind::Deprecation, M, "to_be_labeled_by_array is deprecated in the reference SDK; use assign_assets_to_labelers. It is still applied.");
        }
        if self.priorities.is_some() {
            events.warn(WarningKind::Deprecation, M, "priorities is deprecated in the reference SDK; use set_assets_priority. It is still applied.");
        }
        let lens: [(&str, Option<usize>); 13] = [
            ("priorities", self.priorities.as_ref().map(Vec::len)),
            ("json_metadatas", self.json_metadatas.as_ref().map(Vec::len)),
            (
                "consensus_marks",
                self.consensus_marks.as_ref().map(Vec::len),
            ),
            ("honeypot_marks", self.honeypot_marks.as_ref().map(Vec::len)),
            (
                "to_be_labeled_by_array",
                self.to_be_labeled_by_array.as_ref().map(Vec::len),
            ),
            ("contents", self.contents.as_ref().map(Vec::len)),
            ("json_contents", self.json_contents.as_ref().map(Vec::len)),
            ("status_array", self.status_array.as_ref().map(Vec::len)),
            (
                "is_used_for_consensus_array",
                self.is_used_for_consensus_array.as_ref().map(Vec::len),
            ),
            (
                "is_honeypot_array",
                self.is_honeypot_array.as_ref().map(Vec::len),
            ),
            (
                "resolution_array",
                self.resolution_array.as_ref().map(Vec::len),
            ),
            (
                "page_resolutions_array",
                self.page_resolutions_array.as_ref().map(Vec::len),
            ),
            ("", None),
        ];
        for (key, len) in lens {
            if let Some(len) = len {
                check_len(key, len, n, of)?;
            }
        }
        Ok(n)
    }

    /// Whether any property list is given (`status_array` is never sent). Without one the
    /// reference still sends the mutation, with `dataArray: []` (its per-asset objects come
    /// from zipping the property lists), and returns the server's answer.
    pub fn has_property(&self) -> bool {
        self.priorities.is_some()
            || self.json_metadatas.is_some()
            || self.consensus_marks.is_some()
            || self.honeypot_marks.is_some()
            || self.to_be_labeled_by_array.is_some()
            || self.contents.is_some()
            || self.json_contents.is_some()
            || self.is_used_for_consensus_array.is_some()
            || self.is_honeypot_array.is_some()
            || self.resolution_array.is_some()
            || self.page_resolutions_array.is_some()
    }

    /// The `AssetData` object of asset `i`: only the properties given for it (a `null` entry
    /// is left out, so the server leaves that property unchanged), except
    /// `to_be_labeled_by_array`, whose `null` entry clears the assignment.
    pub fn data_for(&self, i: usize) -> Value {
        let mut d = Map::new();
        fn put<T: Clone + Into<Value>>(
            d: &mut Map<String, Value>,
            key: &str,
            list: &Option<Vec<Option<T>>>,
            i: usize,
        ) {
            if let Some(Some(v)) = list.as_ref().map(|l| l[i].clone()) {
                d.insert(key.to_string(), v.into());
            }
        }
        put(&mut d, "priority", &self.priorities, i);
        put(&mut d, "jsonMetadata", &self.json_metadatas, i);
        put(&mut d, "consensusMark", &self.consensus_marks, i);
        put(&mut d, "honeypotMark", &self.honeypot_marks, i);
        if let Some(entry) = self.to_be_labeled_by_array.as_ref().map(|l| &l[i]) {
            // Unlike the other properties, a `null` entry here is not "unchanged": the
            // reference SDK sends `toBeLabeledBy: null` with `shouldResetToBeLabeledBy: true`
            // (the flag is true for a `null` or empty entry), so the server clears the
            // assignment. Same keys, same order.
            d.insert("toBeLabeledBy".into(), json!(entry));
            d.insert(
                "shouldResetToBeLabeledBy".into(),
                Value::Bool(entry.as_ref().map_or(true, Vec::is_empty)),
            );
        }
        put(&mut d, "content", &self.contents, i);
        put(&mut d, "jsonContent", &self.json_contents, i);
        put(
            &mut d,
            "isUsedForConsensus",
            &self.is_used_for_consensus_array,
            i,
        );
        put(&mut d, "isHoneypot", &self.is_honeypot_array, i);
        put(&mut d, "resolution", &self.resolution_array, i);
        if let Some(Some(pages)) = self.page_resolutions_array.as_ref().map(|l| l[i].clone()) {
            d.insert("pageResolutions".into(), Value::Array(pages));
        }
        Value::Object(d)
    }
}

/// A metadata entry: an object or list is sent as its JSON text; a string must already be
/// JSON text.
fn metadata_text(v: &Value, p: &str) -> Result<String> {
    match v {
        Value::Object(_) | Value::Array(_) => Ok(v.to_string()),
        Value::String(s) => {
            serde_json::from_str::<Value>(s)
                .map_err(|e| Error::invalid_arg(p, format!("is not valid JSON text: {e}")))?;
            Ok(s.clone())
        }
        other => Err(Error::invalid_arg(
            p,
            format!("Metadata of type {} must either be null, a string (JSON text), a list or an object", crate::args::type_name(other)),
        )),
    }
}

fn positive_int(o: &Map<String, Value>, key: &str, p: &str) -> Result<i64> {
    let v = o
        .get(key)
        .ok_or_else(|| Error::invalid_arg(format!("{p}.{key}"), "is required"))?;
    let i = as_i64(v, &format!("{p}.{key}"))?;
    if i <= 0 {
        return Err(Error::invalid_arg(
            format!("{p}.{key}"),
            format!("must be a positive integer, got {i}"),
        ));
    }
    Ok(i)
}

fn resolution(v: &Value, p: &str) -> Result<Value> {
    let o = as_object(v, p)?;
    if let Some(k) = o.keys().find(|k| *k != "width" && *k != "height") {
        return Err(Error::invalid_arg(
            format!("{p}.{k}"),
            "unknown key; expected `width` and `height`",
        ));
    }
    Ok(json!({"width": positive_int(o, "width", p)?, "height": positive_int(o, "height", p)?}))
}

/// A page resolution as a dict (`pageNumber` or `page_number`, `rotation` optional, sent only
/// when not 0 like the reference SDK).
fn page_resolution(v: &Value, p: &str) -> Result<Value> {
    let o = as_object(v, p)?;
    for k in o.keys() {
        if !["width", "height", "pageNumber", "page_number", "rotation"].contains(&k.as_str()) {
            return Err(Error::invalid_arg(
                format!("{p}.{k}"),
                "unknown key; expected width, height, pageNumber, rotation",
            ));
        }
    }
    let mut out =
        json!({"width": positive_int(o, "width", p)?, "height": positive_int(o, "height", p)?});
    let page_key = if o.contains_key("pageNumber") {
        "pageNumber"
    } else {
        "page_number"
    };
    out["pageNumber"] = json!(positive_int(o, page_key, p).map_err(|_| Error::invalid_arg(
        format!("{p}.pageNumber"),
        "is required (a positive integer)"
    ))?);
    if let Some(r) = o.get("rotation").filter(|r| !r.is_null()) {
        let r = as_i64(r, &format!("{p}.rotation"))?;
        if ![0, 90, 180, 270].contains(&r) {
            return Err(Error::invalid_arg(
                format!("{p}.rotation"),
                format!("must be 0, 90, 180 or 270, got {r}"),
            ));
        }
        if r != 0 {
            out["rotation"] = json!(r);
        }
    }
    Ok(out)
}

/// Arguments of `set_assets_priority`: one `priority` (integer >= 0) for every selected asset.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriorityArgs {
    /// The priority to give every asset (higher is served first).
    pub priority: i64,
    /// The assets to prioritize.
    pub selector: AssetSelector,
}

impl PriorityArgs {
    /// Reads the JSON object (`priority` is required).
    pub fn from_json(args: &Value) -> Result<Self> {
        let r = Reader::new(
            args,
            "set_assets_priority",
            &["priority", "asset_ids", "external_ids", "project_id"],
        )?;
        let priority = r
            .get("priority")
            .ok_or_else(|| Error::invalid_arg("priority", "is required (an integer >= 0)"))
            .and_then(|v| as_i64(v, "priority"))?;
        if priority < 0 {
            return Err(Error::invalid_arg(
                "priority",
                format!("must be an integer >= 0, got {priority}"),
            ));
        }
        // The server's `Int` is 32 bits.
        if priority > i64::from(i32::MAX) {
            return Err(Error::invalid_arg(
                "priority",
                format!("must be at most {}, got {priority}", i32::MAX),
            ));
        }
        Ok(PriorityArgs {
            priority,
            selector: AssetSelector::read(&r)?,
        })
    }
}

/// Arguments of `assign_assets_to_labelers`: for each selected asset, the ids of the users who
/// become its assignees (an empty list unassigns it).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AssignArgs {
    /// One list of user ids per asset, in order.
    pub to_be_labeled_by_array: Vec<Vec<String>>,
    /// The assets to assign.
    pub selector: AssetSelector,
}

impl AssignArgs {
    /// Reads the JSON object (`to_be_labeled_by_array` is required).
    pub fn from_json(args: &Value) -> Result<Self> {
        let r = Reader::new(
            args,
            "assign_assets_to_labelers",
            &[
                "to_be_labeled_by_array",
                "asset_ids",
                "external_ids",
                "project_id",
            ],
        )?;
        let lists = r
            .opt_list("to_be_labeled_by_array", |v, p| {
                let arr = v
                    .as_array()
                    .ok_or_else(|| Error::invalid_arg(p, "expected a list of user ids"))?;
                arr.iter()
                    .enumerate()
                    .map(|(j, e)| {
                        let path = format!("{p}[{j}]");
                        let id = as_str(e, &path)?;
                        if id.is_empty() {
                            return Err(Error::invalid_arg(path, "must not be an empty string"));
                        }
                        Ok(id)
                    })
                    .collect()
            })?
            .ok_or_else(|| {
                Error::invalid_arg(
                    "to_be_labeled_by_array",
                    "is required (one list of user ids per asset)",
                )
            })?;
        Ok(AssignArgs {
            to_be_labeled_by_array: lists,
            selector: AssetSelector::read(&r)?,
        })
    }

    /// Checks the selection and that there is one list of labelers per asset; returns the
    /// number of assets.
    pub fn validate(&self) -> Result<usize> {
        let n = self.selector.validate()?;
        let of = self.selector.given_key();
        let len = self.to_be_labeled_by_array.len();
        if len != n {
            return Err(Error::invalid_arg(
                "to_be_labeled_by_array",
                format!("There must be as many assets as there are lists of labelers: {len} lists for {n} entries of `{of}`"),
            ));
        }
        Ok(n)
    }
}

/// Arguments of `update_asset_consensus`: one asset, by `asset_id` and/or `external_id`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConsensusArgs {
    /// The project of the asset.
    pub project_id: String,
    /// Whether the asset is used for consensus.
    pub is_consensus: bool,
    /// The asset's id.
    pub asset_id: Option<String>,
    /// The asset's external id (sent as given; the server looks it up).
    pub external_id: Option<String>,
}

impl ConsensusArgs {
    /// Reads and validates the JSON object.
    pub fn from_json(args: &Value) -> Result<Self> {
        let r = Reader::new(
            args,
            "update_asset_consensus",
            &["project_id", "is_consensus", "asset_id", "external_id"],
        )?;
        let a = ConsensusArgs {
            project_id: r.req_str("project_id")?,
            is_consensus: r
                .opt_bool("is_consensus")?
                .ok_or_else(|| Error::invalid_arg("is_consensus", "is required (a boolean)"))?,
            asset_id: r.opt_str("asset_id")?,
            external_id: r.opt_str("external_id")?,
        };
        non_empty_project(&a.project_id)?;
        match (&a.asset_id, &a.external_id) {
            (None, None) => {
                return Err(Error::invalid_arg(
                    "asset_id",
                    "At least one of asset_id or external_id must be provided to update_asset_consensus",
                ))
            }
            (Some(s), _) if s.is_empty() => {
                return Err(Error::invalid_arg("asset_id", "must not be an empty string"))
            }
            (_, Some(s)) if s.is_empty() => {
                return Err(Error::invalid_arg(
                    "external_id",
                    "must not be an empty string",
                ))
            }
            _ => {}
        }
        Ok(a)
    }
}

/// Arguments of `add_metadata` and `set_metadata`: one metadata object per selected asset
/// (`project_id` is required, as in the reference).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MetadataArgs {
    /// The metadata of each asset, in the order of `asset_ids` / `external_ids`; values are
    /// strings, numbers or booleans.
    pub json_metadata: Vec<Map<String, Value>>,
    /// The project of the assets.
    pub project_id: String,
    /// Internal asset ids (exclusive with `external_ids`).
    pub asset_ids: Option<Vec<String>>,
    /// External ids (exclusive with `asset_ids`).
    pub external_ids: Option<Vec<String>>,
}

impl MetadataArgs {
    /// Reads the JSON object of `method` (`add_metadata` or `set_metadata`).
    pub fn from_json(method: &str, args: &Value) -> Result<Self> {
        let r = Reader::new(
            args,
            method,
            &["json_metadata", "project_id", "asset_ids", "external_ids"],
        )?;
        let json_metadata = r
            .opt_list("json_metadata", |v, p| {
                let m = as_object(v, p)?;
                for (k, x) in m {
                    if !(x.is_string() || x.is_number() || x.is_boolean()) {
                        return Err(Error::invalid_arg(
                            format!("{p}.{k}"),
                            format!(
                                "expected a string or a number, got {}",
                                crate::args::type_name(x)
                            ),
                        ));
                    }
                }
                Ok(m.clone())
            })?
            .ok_or_else(|| {
                Error::invalid_arg(
                    "json_metadata",
                    "is required (one metadata object per asset)",
                )
            })?;
        Ok(MetadataArgs {
            json_metadata,
            project_id: r.req_str("project_id")?,
            asset_ids: r.opt_str_list("asset_ids")?,
            external_ids: r.opt_str_list("external_ids")?,
        })
    }

    /// Checks the selection (exactly one of `asset_ids` / `external_ids`, no empty id) and
    /// that there is one metadata object per asset; returns the number of assets.
    pub fn validate(&self) -> Result<usize> {
        non_empty_project(&self.project_id)?;
        let (key, ids) = match (&self.asset_ids, &self.external_ids) {
            (Some(ids), None) => ("asset_ids", ids),
            (None, Some(ids)) => ("external_ids", ids),
            (Some(_), Some(_)) => {
                return Err(Error::invalid_arg(
                    "external_ids",
                    "Please provide either `asset_ids` or `external_ids`, not both.",
                ))
            }
            (None, None) => {
                return Err(Error::invalid_arg(
                    "asset_ids",
                    "Please provide either `asset_ids` or `external_ids`.",
                ))
            }
        };
        non_empty_entries(key, ids)?;
        check_len("json_metadata", self.json_metadata.len(), ids.len(), key)?;
        Ok(ids.len())
    }
}

/// What `skip_or_unskip` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SkipAction {
    /// `skip` (a reason is required).
    #[default]
    Skip,
    /// `unskip`.
    Unskip,
}

/// Arguments of `skip_or_unskip`: one asset of one project.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SkipArgs {
    /// `"skip"` or `"unskip"`.
    pub action: SkipAction,
    /// The asset.
    pub asset_id: String,
    /// Its project.
    pub project_id: String,
    /// Why the asset is skipped (required to skip, ignored to unskip).
    pub reason: Option<String>,
}

impl SkipArgs {
    /// Reads and validates the JSON object.
    pub fn from_json(args: &Value) -> Result<Self> {
        let r = Reader::new(
            args,
            "skip_or_unskip",
            &["action", "asset_id", "project_id", "reason"],
        )?;
        let action = match r.req_str("action")?.as_str() {
            "skip" => SkipAction::Skip,
            "unskip" => SkipAction::Unskip,
            other => {
                return Err(Error::invalid_arg(
                    "action",
                    format!("expected \"skip\" or \"unskip\", got {other:?}"),
                ))
            }
        };
        let a = SkipArgs {
            action,
            asset_id: r.req_str("asset_id")?,
            project_id: r.req_str("project_id")?,
            reason: r.opt_str("reason")?,
        };
        if a.asset_id.is_empty() {
            return Err(Error::invalid_arg(
                "asset_id",
                "must not be an empty string",
            ));
        }
        non_empty_project(&a.project_id)?;
        if action == SkipAction::Skip && a.reason.is_none() {
            return Err(Error::invalid_arg(
                "reason",
                "You must provide a reason to skip an asset",
            ));
        }
        Ok(a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Event;
    use std::sync::{Arc, Mutex};

    fn sink() -> (EventSink, Arc<Mutex<Vec<Event>>>) {
        let got = Arc::new(Mutex::new(Vec::new()));
        let g = got.clone();
        (
            EventSink::new(move |e| g.lock().unwrap().push(e.clone())),
            got,
        )
    }

    #[test]
    fn selector_rules() {
        let both = AssetSelector {
            asset_ids: Some(vec!["a".into()]),
            external_ids: Some(vec!["x".into()]),
            project_id: None,
        };
        assert!(both
            .validate()
            .unwrap_err()
            .to_string()
            .contains("Not both"));
        let ext_no_project = AssetSelector {
            external_ids: Some(vec!["x".into()]),
            ..Default::default()
        };
        assert_eq!(
            ext_no_project.validate().unwrap_err().details()["path"],
            "project_id"
        );
        let none = AssetSelector::default();
        assert!(none.validate().is_err());
        let ok = AssetSelector {
            external_ids: Some(vec!["x".into(), "y".into()]),
            project_id: Some("p".into()),
            ..Default::default()
        };
        assert_eq!(ok.validate().unwrap(), 2);
        let blank = AssetSelector {
            asset_ids: Some(vec!["a".into(), "".into()]),
            ..Default::default()
        };
        assert_eq!(
            blank.validate().unwrap_err().details()["path"],
            "asset_ids[1]"
        );
    }

    #[test]
    fn empty_list_warns() {
        let (events, got) = sink();
        let s = AssetSelector {
            asset_ids: Some(vec![]),
            ..Default::default()
        };
        assert!(s.is_empty_with_warning("add_to_review", &events));
        let got = got.lock().unwrap();
        assert!(
            matches!(&got[0], Event::Warning { kind: WarningKind::EmptyList, message, .. } if message.contains("asset_ids"))
        );
    }

    #[test]
    fn marks_out_of_range_name_index() {
        let e =
            UpdateArgs::from_json(&json!({"asset_ids": ["a", "b"], "consensus_marks": [0.5, 1.5]}))
                .unwrap_err();
        assert_eq!(e.details()["path"], "consensus_marks[1]");
        let e = UpdateArgs::from_json(&json!({"asset_ids": ["a"], "honeypot_marks": [-0.1]}))
            .unwrap_err();
        assert_eq!(e.details()["path"], "honeypot_marks[0]");
    }

    #[test]
    fn lengths_must_match() {
        let (events, _) = sink();
        let a =
            UpdateArgs::from_json(&json!({"asset_ids": ["a", "b"], "priorities": [1]})).unwrap();
        let e = a.validate(&events).unwrap_err();
        assert_eq!(e.details()["path"], "priorities");
        assert!(e.to_string().contains("expected 2"));
    }

    #[test]
    fn no_property_is_accepted_like_the_seed() {
        let (events, _) = sink();
        let a =
            UpdateArgs::from_json(&json!({"asset_ids": ["a"], "status_array": ["TODO"]})).unwrap();
        assert_eq!(a.validate(&events).unwrap(), 1);
        assert!(!a.has_property());
        let a = UpdateArgs::from_json(&json!({"asset_ids": ["a"], "contents": [null]})).unwrap();
        assert!(a.has_property());
    }

    #[test]
    fn deprecations_warn() {
        let (events, got) = sink();
        let a = UpdateArgs::from_json(
            &json!({"asset_ids": ["a"], "status_array": ["TODO"], "priorities": [1]}),
        )
        .unwrap();
        a.validate(&events).unwrap();
        let kinds: Vec<_> = got
            .lock()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                Event::Warning { kind, message, .. } => Some((*kind, message.clone())),
                _ => None,
            })
            .collect();
        assert!(kinds
            .iter()
            .any(|(k, m)| *k == WarningKind::Deprecation && m.starts_with("status_array")));
        assert!(kinds
            .iter()
            .any(|(k, m)| *k == WarningKind::Deprecation && m.starts_with("priorities")));
    }

    #[test]
    fn both_ids_is_an_error_after_a_deprecation() {
        let (events, got) = sink();
        let a = UpdateArgs::from_json(
            &json!({"asset_ids": ["a"], "external_ids": ["x"], "priorities": [1]}),
        )
        .unwrap();
        assert!(a.validate(&events).is_err());
        assert!(!got.lock().unwrap().is_empty());
    }

    #[test]
    fn data_leaves_nulls_out() {
        let a = UpdateArgs::from_json(&json!({
            "asset_ids": ["a", "b"],
            "priorities": [1, null],
            "json_metadatas": [{"k": 1}, "{\"b\": 2}"],
            "to_be_labeled_by_array": [[], null],
            "page_resolutions_array": [[{"width": 1, "height": 2, "page_number": 1, "rotation": 0}, {"width": 3, "height": 4, "pageNumber": 2, "rotation": 90}], null],
            "resolution_array": [null, {"width": 10, "height": 20}],
        }))
        .unwrap();
        assert_eq!(
            a.data_for(0),
            json!({"priority": 1, "jsonMetadata": "{\"k\":1}", "toBeLabeledBy": [], "shouldResetToBeLabeledBy": true,
                   "pageResolutions": [{"width": 1, "height": 2, "pageNumber": 1}, {"width": 3, "height": 4, "pageNumber": 2, "rotation": 90}]})
        );
        assert_eq!(
            a.data_for(1),
            json!({"jsonMetadata": "{\"b\": 2}", "toBeLabeledBy": null, "shouldResetToBeLabeledBy": true,
                   "resolution": {"width": 10, "height": 20}})
        );
    }

    #[test]
    fn bad_metadata_text_is_rejected() {
        let e = UpdateArgs::from_json(&json!({"asset_ids": ["a"], "json_metadatas": ["{oops"]}))
            .unwrap_err();
        assert_eq!(e.details()["path"], "json_metadatas[0]");
        let e =
            UpdateArgs::from_json(&json!({"asset_ids": ["a"], "json_metadatas": [3]})).unwrap_err();
        assert_eq!(e.details()["path"], "json_metadatas[0]");
    }

    #[test]
    fn new_external_ids_checked() {
        let a = ChangeExternalIdsArgs::from_json(
            &json!({"new_external_ids": ["n", "n"], "asset_ids": ["a", "b"]}),
        )
        .unwrap();
        assert_eq!(
            a.validate().unwrap_err().details()["path"],
            "new_external_ids[1]"
        );
        let a = ChangeExternalIdsArgs::from_json(
            &json!({"new_external_ids": ["n"], "asset_ids": ["a", "b"]}),
        )
        .unwrap();
        assert_eq!(
            a.validate().unwrap_err().details()["path"],
            "new_external_ids"
        );
        assert!(ChangeExternalIdsArgs::from_json(&json!({"asset_ids": ["a"]})).is_err());
    }
}
