//! Arguments of `append_many_to_dataset`, read from its JSON object and validated before any
//! network call: one [`NewAsset`] per asset. Plain data; `Send + Sync`.
//!
//! Stricter than the reference SDK: every array must have exactly one entry per asset (the
//! reference raises `IndexError` on a shorter one and silently truncates a longer one),
//! `id_array` entries must be unique and non-empty.

use crate::args::type_name;
use crate::assets::mutate::reader::{as_bool, check_len, Reader};
use crate::error::{Error, Result};
use crate::events::{EventSink, WarningKind};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::PathBuf;

/// The `content` of one asset.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// Raw text, a URL, or a local file path.
    Text(String),
    /// An LLM_RLHF conversation as a dict (`prompt`, `completions`, ...).
    Dict(Map<String, Value>),
    /// An LLM_RLHF chat: a list of chat items (`role`, `content`, `id`, `chat_id`, `model`).
    Chat(Vec<Value>),
}

/// One asset to create, before upload.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewAsset {
    /// Its content, if given.
    pub content: Option<Content>,
    /// Its layers (`[{path|url, name, isBaseLayer, ...}]`), if given.
    pub multi_layer_content: Option<Vec<Map<String, Value>>>,
    /// Its json content (rich text, frames list, geosat layers), if given.
    pub json_content: Option<Value>,
    /// Its external id; a random uuid4 hex is chosen when absent.
    pub external_id: Option<String>,
    /// Its id when the caller chose it (`id_array`); a cuid is chosen when absent.
    pub id: Option<String>,
    /// Its metadata object.
    pub json_metadata: Option<Map<String, Value>>,
    /// Whether it is a honeypot.
    pub is_honeypot: Option<bool>,
}

/// Arguments of `append_many_to_dataset`.
#[derive(Debug, Clone, PartialEq)]
pub struct AppendArgs {
    /// The project to import into.
    pub project_id: String,
    /// `content_array`.
    pub content_array: Option<Vec<Content>>,
    /// `multi_layer_content_array`.
    pub multi_layer_content_array: Option<Vec<Vec<Map<String, Value>>>>,
    /// `external_id_array`.
    pub external_id_array: Option<Vec<String>>,
    /// `id_array` ("disabled" in the seed reference; honoured like 26.2.4, with a warning).
    pub id_array: Option<Vec<String>>,
    /// `is_honeypot_array`.
    pub is_honeypot_array: Option<Vec<bool>>,
    /// `status_array`: deprecated, never sent.
    pub status_array: Option<Vec<String>>,
    /// `json_content_array` (`null` entries allowed).
    pub json_content_array: Option<Vec<Option<Value>>>,
    /// `json_metadata_array` (objects, or JSON texts of objects).
    pub json_metadata_array: Option<Vec<Map<String, Value>>>,
    /// Wait for asynchronous imports to finish (default `true`).
    pub wait_until_availability: bool,
    /// A CSV file with `content` and `externalId` columns (TEXT projects).
    pub from_csv: Option<PathBuf>,
    /// The CSV delimiter (one ASCII character, default `,`).
    pub csv_separator: u8,
}

impl Default for AppendArgs {
    fn default() -> Self {
        AppendArgs {
            project_id: String::new(),
            content_array: None,
            multi_layer_content_array: None,
            external_id_array: None,
            id_array: None,
            is_honeypot_array: None,
            status_array: None,
            json_content_array: None,
            json_metadata_array: None,
            wait_until_availability: true,
            from_csv: None,
            csv_separator: b',',
        }
    }
}

const KEYS: [&str; 13] = [
    "project_id",
    "content_array",
    "multi_layer_content_array",
    "external_id_array",
    "id_array",
    "is_honeypot_array",
    "status_array",
    "json_content_array",
    "json_metadata_array",
    "disable_tqdm",
    "wait_until_availability",
    "from_csv",
    "csv_separator",
];

/// What [`AppendArgs::prepare`] decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Prepared {
    /// An input list was empty: nothing to do, return `{"id": project_id, "asset_ids": []}`.
    Empty,
    /// The assets to import, in input order.
    Assets(Vec<NewAsset>),
}

impl AppendArgs {
    /// Reads the JSON object (types only; combinations in [`AppendArgs::prepare`]).
    pub fn from_json(args: &Value) -> Result<Self> {
        let r = Reader::new(args, "append_many_to_dataset", &KEYS)?;
        let csv_separator = match r.opt_str("csv_separator")? {
            None => b',',
            Some(s) if s.len() == 1 && s.is_ascii() => s.as_bytes()[0],
            Some(s) => {
                return Err(Error::invalid_arg(
                    "csv_separator",
                    format!("must be one ASCII character, got {s:?}"),
                ))
            }
        };
        Ok(AppendArgs {
            project_id: r.req_str("project_id")?,
            content_array: r.opt_list("content_array", content)?,
            multi_layer_content_array: r.opt_list("multi_layer_content_array", |v, p| {
                let layers = v.as_array().ok_or_else(|| {
                    Error::invalid_arg(
                        p,
                        format!("expected a list of layer objects, got {}", type_name(v)),
                    )
                })?;
                layers
                    .iter()
                    .enumerate()
                    .map(|(j, l)| {
                        l.as_object().cloned().ok_or_else(|| {
                            Error::invalid_arg(
                                format!("{p}[{j}]"),
                                format!("expected a layer object, got {}", type_name(l)),
                            )
                        })
                    })
                    .collect()
            })?,
            external_id_array: r.opt_str_list("external_id_array")?,
            id_array: r.opt_str_list("id_array")?,
            is_honeypot_array: r.opt_list("is_honeypot_array", as_bool)?,
            status_array: r.opt_str_list("status_array")?,
            json_content_array: r.opt_list("json_content_array", |v, _| {
                Ok(if v.is_null() { None } else { Some(v.clone()) })
            })?,
            json_metadata_array: r.opt_list("json_metadata_array", metadata)?,
            wait_until_availability: r.opt_bool("wait_until_availability")?.unwrap_or(true),
            from_csv: r.opt_str("from_csv")?.map(PathBuf::from),
            csv_separator,
        })
    }

    /// Applies the reference SDK's checks in its order (CSV, empty lists, deprecations, missing
    /// or conflicting contents) plus length and id checks, and builds the assets.
    pub fn prepare(mut self, events: &EventSink) -> Result<Prepared> {
        const M: &str = "append_many_to_dataset";
        if let Some(path) = &self.from_csv {
            if self.content_array.is_some() || self.external_id_array.is_some() {
                return Err(Error::invalid_arg("from_csv", "If from_csv is provided, content_array and external_id_array must not be provided."));
            }
            let (contents, ext) = super::csv_input::read_text_assets(path, self.csv_separator)?;
            self.content_array = Some(contents.into_iter().map(Content::Text).collect());
            self.external_id_array = Some(ext);
        }
        let empties = [
            ("content_array", self.content_array.as_ref().map(Vec::len)),
            (
                "json_content_array",
                self.json_content_array.as_ref().map(Vec::len),
            ),
            (
                "multi_layer_content_array",
                self.multi_layer_content_array.as_ref().map(Vec::len),
            ),
        ];
        for (name, len) in empties {
            if len == Some(0) {
                events.warn(
                    WarningKind::EmptyList,
                    M,
                    crate::assets::mutate::args::empty_message(M, name),
                );
                return Ok(Prepared::Empty);
            }
        }
        if self.status_array.is_some() {
            events.warn(WarningKind::Deprecation, M, "status_array is deprecated and will not be sent in the call. Asset status is automatically computed based on its labels and cannot be overwritten.");
        }
        crate::assets::mutate::args::non_empty_project(&self.project_id)?;
        let (n, of) = match (&self.content_array, &self.multi_layer_content_array, &self.json_content_array) {
            (None, None, None) => {
                return Err(Error::invalid_arg("content_array", "Variables content_array, multi_layer_content_array and json_content_array cannot be both None."))
            }
            (Some(_), Some(_), _) => {
                return Err(Error::invalid_arg("multi_layer_content_array", "Variables content_array and multi_layer_content_array cannot be both provided."))
            }
            (Some(c), None, _) => (c.len(), "content_array"),
            (None, Some(m), _) => (m.len(), "multi_layer_content_array"),
            (None, None, Some(j)) => (j.len(), "json_content_array"),
        };
        let lens = [
            (
                "json_content_array",
                self.json_content_array.as_ref().map(Vec::len),
            ),
            (
                "external_id_array",
                self.external_id_array.as_ref().map(Vec::len),
            ),
            ("id_array", self.id_array.as_ref().map(Vec::len)),
            (
                "is_honeypot_array",
                self.is_honeypot_array.as_ref().map(Vec::len),
            ),
            (
                "json_metadata_array",
                self.json_metadata_array.as_ref().map(Vec::len),
            ),
            ("status_array", self.status_array.as_ref().map(Vec::len)),
        ];
        for (key, len) in lens {
            if let Some(len) = len {
                if key != of {
                    check_len(key, len, n, of)?;
                }
            }
        }
        if let Some(ids) = &self.id_array {
            events.warn(WarningKind::Deprecation, M, "id_array is a disabled parameter of the reference SDK; the given ids are used as the new assets' ids.");
            unique_non_empty("id_array", ids)?;
        }
        if let Some(ext) = &self.external_id_array {
            if let Some(i) = ext.iter().position(|e| e.is_empty()) {
                return Err(Error::invalid_arg(
                    format!("external_id_array[{i}]"),
                    "must not be an empty string",
                ));
            }
        }
        let mut assets = vec![NewAsset::default(); n];
        for (i, a) in assets.iter_mut().enumerate() {
            a.content = self.content_array.as_ref().map(|v| v[i].clone());
            a.multi_layer_content = self
                .multi_layer_content_array
                .as_ref()
                .map(|v| v[i].clone());
            a.json_content = self.json_content_array.as_ref().and_then(|v| v[i].clone());
            a.external_id = self.external_id_array.as_ref().map(|v| v[i].clone());
            a.id = self.id_array.as_ref().map(|v| v[i].clone());
            a.json_metadata = self.json_metadata_array.as_ref().map(|v| v[i].clone());
            a.is_honeypot = self.is_honeypot_array.as_ref().map(|v| v[i]);
        }
        Ok(Prepared::Assets(assets))
    }
}

fn unique_non_empty(key: &str, ids: &[String]) -> Result<()> {
    crate::assets::mutate::args::non_empty_entries(key, ids)?;
    let mut seen = HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        if let Some(j) = seen.insert(id.as_str(), i) {
            return Err(Error::invalid_arg(
                format!("{key}[{i}]"),
                format!("duplicates {key}[{j}] ({id:?})"),
            ));
        }
    }
    Ok(())
}

fn content(v: &Value, p: &str) -> Result<Content> {
    match v {
        Value::String(s) => Ok(Content::Text(s.clone())),
        Value::Object(o) => Ok(Content::Dict(o.clone())),
        Value::Array(items) => Ok(Content::Chat(items.clone())),
        other => Err(Error::invalid_arg(
            p,
            format!(
                "expected a string (text, URL or path), an object or a list of chat items, got {}",
                type_name(other)
            ),
        )),
    }
}

fn metadata(v: &Value, p: &str) -> Result<Map<String, Value>> {
    match v {
        Value::Object(o) => Ok(o.clone()),
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(o)) => Ok(o),
            _ => Err(Error::invalid_arg(
                p,
                "expected an object (or the JSON text of an object)",
            )),
        },
        other => Err(Error::invalid_arg(
            p,
            format!("expected an object, got {}", type_name(other)),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Event;
    use serde_json::json;
    use std::sync::{Arc, Mutex};

    fn sink() -> (EventSink, Arc<Mutex<Vec<Event>>>) {
        let got = Arc::new(Mutex::new(Vec::new()));
        let g = got.clone();
        (
            EventSink::new(move |e| g.lock().unwrap().push(e.clone())),
            got,
        )
    }

    fn prep(v: Value) -> Result<Prepared> {
        AppendArgs::from_json(&v)?.prepare(&EventSink::none())
    }

    #[test]
    fn empty_lists_are_a_warned_no_op() {
        for key in [
            "content_array",
            "json_content_array",
            "multi_layer_content_array",
        ] {
            let (events, got) = sink();
            let a = AppendArgs::from_json(&json!({"project_id": "p", key: []})).unwrap();
            assert_eq!(a.prepare(&events).unwrap(), Prepared::Empty);
            assert!(
                matches!(&got.lock().unwrap()[0], Event::Warning { kind: WarningKind::EmptyList, message, .. } if message.contains(key))
            );
        }
    }

    #[test]
    fn combinations() {
        assert!(prep(json!({"project_id": "p"}))
            .unwrap_err()
            .to_string()
            .contains("cannot be both None"));
        assert!(prep(json!({"project_id": "p", "content_array": ["a"], "multi_layer_content_array": [[{"path": "x"}]]}))
            .unwrap_err()
            .to_string()
            .contains("cannot be both provided"));
        assert!(
            prep(json!({"project_id": "p", "from_csv": "x.csv", "content_array": ["a"]}))
                .unwrap_err()
                .to_string()
                .contains("from_csv")
        );
        assert_eq!(
            prep(json!({"content_array": ["a"]})).unwrap_err().details()["path"],
            "project_id"
        );
    }

    #[test]
    fn lengths_and_ids() {
        let e = prep(
            json!({"project_id": "p", "content_array": ["a", "b"], "external_id_array": ["x"]}),
        )
        .unwrap_err();
        assert_eq!(e.details()["path"], "external_id_array");
        let e =
            prep(json!({"project_id": "p", "content_array": ["a", "b"], "id_array": ["i", "i"]}))
                .unwrap_err();
        assert_eq!(e.details()["path"], "id_array[1]");
        let e = prep(json!({"project_id": "p", "content_array": ["a", 3]})).unwrap_err();
        assert_eq!(e.details()["path"], "content_array[1]");
        let e = prep(json!({"project_id": "p", "content_array": ["a"], "csv_separator": ";;"}))
            .unwrap_err();
        assert_eq!(e.details()["path"], "csv_separator");
    }

    #[test]
    fn assets_are_built_and_status_array_warns() {
        let (events, got) = sink();
        let a = AppendArgs::from_json(&json!({
            "project_id": "p", "content_array": ["https://x/a.png"], "external_id_array": ["a"],
            "is_honeypot_array": [true], "json_metadata_array": [{"k": 1}], "status_array": ["TODO"]
        }))
        .unwrap();
        let Prepared::Assets(assets) = a.prepare(&events).unwrap() else {
            panic!()
        };
        assert_eq!(
            assets[0].content,
            Some(Content::Text("https://x/a.png".into()))
        );
        assert_eq!(assets[0].is_honeypot, Some(true));
        assert_eq!(assets[0].json_metadata.as_ref().unwrap()["k"], 1);
        assert!(matches!(
            &got.lock().unwrap()[0],
            Event::Warning {
                kind: WarningKind::Deprecation,
                ..
            }
        ));
    }
}
