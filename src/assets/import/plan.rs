//! Turns validated [`NewAsset`]s into [`Planned`] assets for a project's input type: what to
//! upload where, what goes into each array of the creating mutation, and whether the asset is
//! created synchronously (`appendManyAssets`) or asynchronously
//! (`appendManyAssetsAsynchronously` with an `uploadType`). Follows the per-input-type table of
//! kili-wire-mutations.md §6.6; reads local files' metadata (and LLM JSON files) but does no
//! network I/O. Errors name the argument and index.

use super::args::{Content, NewAsset};
use super::files::{
    check_extension, check_local_file, image_needs_async, is_url, mime_of, InputType,
};
use super::ids::{new_asset_id, random_external_id};
use crate::error::{Error, Result};
use bytes::Bytes;
use serde_json::{json, Map, Value};
use std::path::{Path, PathBuf};

/// Where the bytes of an upload come from (files are read when uploaded, so memory stays
/// bounded by the number of concurrent uploads).
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A local file, read when its PUT starts.
    File(PathBuf),
    /// Bytes built from the arguments (raw text, JSON).
    Bytes(Bytes),
}

/// Which field of the asset receives the signed URL of an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The asset's `content`.
    Content,
    /// The asset's `jsonContent`.
    JsonContent,
    /// The `url` of layer `n` of a multi-layer asset.
    Layer(usize),
    /// A video frame: its URL is already in the frames index (a `files?id=` URL).
    Frame,
}

/// One file to put in the project's bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct Upload {
    /// Path under `projects/<P>/assets/<id>/`.
    pub suffix: String,
    /// Where the bytes come from.
    pub source: Source,
    /// The `Content-Type` of the PUT.
    pub content_type: String,
    /// Which field receives the URL.
    pub slot: Slot,
}

/// How the asset is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// `appendManyAssets`.
    Sync,
    /// Asynchronous with this `uploadType`; `multi_layer` when sent as `multiLayerContentArray`.
    Async {
        upload_type: &'static str,
        multi_layer: bool,
    },
}

/// One asset ready for upload and creation.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// Index in the caller's input.
    pub index: usize,
    /// The client-chosen asset id (given in `id_array`, else a new cuid).
    pub id: String,
    /// The external id (given, else random uuid4 hex).
    pub external_id: String,
    /// `contentArray` entry (a URL once uploaded, `""` when none).
    pub content: String,
    /// `jsonContentArray` entry (inline JSON text, a URL once uploaded, or `""`).
    pub json_content: String,
    /// `multiLayerContentArray` entry (layers with `url` once uploaded).
    pub multi_layer: Option<Vec<Map<String, Value>>>,
    /// `jsonMetadataArray` entry (JSON text).
    pub json_metadata: String,
    /// `isHoneypotArray` entry (synchronous imports only, like the reference).
    pub is_honeypot: bool,
    /// Files still to upload.
    pub uploads: Vec<Upload>,
    /// Synchronous or asynchronous creation.
    pub mode: Mode,
    /// True when the asset needs the licence check: local data the reference does not count
    /// as hosted (rich text is uploaded, yet counts as hosted, having no content).
    pub local: bool,
}

const TEXT_UTF8: &str = "text/plain; charset=utf-8";

/// Plans every asset. `files_url` is the endpoint's `/files` URL (frames of local videos are
/// referenced through it).
pub fn plan(
    ty: InputType,
    project_id: &str,
    assets: Vec<(usize, NewAsset)>,
    files_url: &str,
) -> Result<Vec<Planned>> {
    let mut out = Vec::with_capacity(assets.len());
    let mut video_kind: Option<(&'static str, usize)> = None;
    for (index, a) in assets {
        let p = plan_one(ty, project_id, index, a, files_url)?;
        if let Mode::Async {
            upload_type,
            multi_layer: false,
        } = p.mode
        {
            if ty == InputType::Video || ty == InputType::VideoLegacy {
                match video_kind {
                    Some((k, first)) if k != upload_type => {
                        return Err(Error::invalid_arg(
                            format!("json_metadata_array[{index}]"),
                            format!("Cannot upload videos to split into frames and video to keep as native in the same time (see asset {first}). Please separate the assets into 2 calls"),
                        ))
                    }
                    None => video_kind = Some((upload_type, index)),
                    _ => {}
                }
            }
        }
        out.push(p);
    }
    Ok(out)
}

/// A TEXT call is a rich-text import as soon as one asset has a `json_content`, and then no
/// asset of the call may have a `content` (the reference decides this for the whole call,
/// before dropping duplicated external ids: "Cannot import content when importing a Rich Text
/// asset").
pub fn check_rich_text_call(ty: InputType, assets: &[NewAsset]) -> Result<()> {
    if ty != InputType::Text || !assets.iter().any(|a| truthy(&a.json_content)) {
        return Ok(());
    }
    let with_content = assets.iter().position(|a| match &a.content {
        Some(Content::Text(s)) => !s.is_empty(),
        Some(Content::Dict(d)) => !d.is_empty(),
        Some(Content::Chat(c)) => !c.is_empty(),
        None => false,
    });
    match with_content {
        Some(i) => Err(Error::invalid_arg(
            format!("content_array[{i}]"),
            "Cannot import content when importing a Rich Text asset",
        )),
        None => Ok(()),
    }
}

fn truthy(v: &Option<Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(_) => true,
    }
}

fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A `json_content` as the reference stringifies it: a string verbatim, anything else as
/// Python's `json.dumps` writes it (`", "` and `": "` separators, non-ASCII characters and DEL
/// escaped as `\uXXXX`, floats as Python's `repr`), so that the uploaded or inline text has
/// the same bytes.
pub(crate) fn py_json_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => {
            let mut out = Vec::new();
            let mut ser = serde_json::Serializer::with_formatter(&mut out, PyFormatter);
            serde::Serialize::serialize(other, &mut ser).expect("a JSON value serializes");
            String::from_utf8(out).expect("ASCII output")
        }
    }
}

/// `json.dumps` defaults: `ensure_ascii=True`, separators `(", ", ": ")`.
struct PyFormatter;

impl serde_json::ser::Formatter for PyFormatter {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        for c in fragment.chars() {
            if (' '..='~').contains(&c) {
                w.write_all(&[c as u8])?;
            } else {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    write!(w, "\\u{u:04x}")?;
                }
            }
        }
        Ok(())
    }
    fn write_f64<W: ?Sized + std::io::Write>(&mut self, w: &mut W, f: f64) -> std::io::Result<()> {
        w.write_all(py_float_repr(f).as_bytes())
    }
}

/// Python's `repr` of a finite float: the shortest round-trip digits, positional when the
/// decimal exponent is in [-4, 16), else scientific with a signed two-digit exponent.
fn py_float_repr(f: f64) -> String {
    let sci = format!("{f:e}"); // shortest digits: "-1.5e-7", "1e20", "0e0"
    let (mantissa, exp) = sci.split_once('e').expect("exponent");
    let exp: i32 = exp.parse().expect("integer exponent");
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if !(-4..16).contains(&exp) {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        let es = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{m}e{es}{:02}", exp.abs());
    }
    let point = exp + 1; // digits before the decimal point
    if point <= 0 {
        format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
    } else if (point as usize) >= digits.len() {
        format!(
            "{sign}{digits}{}.0",
            "0".repeat(point as usize - digits.len())
        )
    } else {
        let (a, b) = digits.split_at(point as usize);
        format!("{sign}{a}.{b}")
    }
}

fn local_ct(mime: &str) -> String {
    if mime == "text/plain" {
        TEXT_UTF8.to_string()
    } else {
        mime.to_string()
    }
}

fn plan_one(
    ty: InputType,
    project_id: &str,
    index: usize,
    a: NewAsset,
    files_url: &str,
) -> Result<Planned> {
    let arg = |k: &str| format!("{k}[{index}]");
    let ext_id = a.external_id.clone();
    let has_content = match &a.content {
        Some(Content::Text(s)) => !s.is_empty(),
        Some(Content::Dict(d)) => !d.is_empty(),
        Some(Content::Chat(c)) => !c.is_empty(),
        None => false,
    };
    let has_layers = a
        .multi_layer_content
        .as_ref()
        .is_some_and(|l| !l.is_empty());
    if has_layers && !matches!(ty, InputType::Image | InputType::Geospatial) {
        return Err(Error::invalid_arg(
            arg("multi_layer_content_array"),
            format!(
                "Import of multi-layer assets is not supported for input type: {}",
                ty.name()
            ),
        ));
    }
    if !has_content && !has_layers && !truthy(&a.json_content) {
        return Err(Error::invalid_arg(
            arg("content_array"),
            "Cannot import asset with empty content, empty multi_layer_content and empty json_content",
        ));
    }
    let mut metadata = a.json_metadata.clone().unwrap_or_default();
    let mut p = Planned {
        index,
        id: a.id.clone().unwrap_or_else(new_asset_id),
        external_id: a.external_id.clone().unwrap_or_else(random_external_id),
        content: String::new(),
        json_content: String::new(),
        multi_layer: None,
        json_metadata: String::new(),
        is_honeypot: a.is_honeypot.unwrap_or(false),
        uploads: Vec::new(),
        mode: Mode::Sync,
        local: false,
    };
    let text = match &a.content {
        Some(Content::Text(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    if let Some(t) = &text {
        // TEXT checks extensions only of URLs and existing files (a dot in raw text is text).
        if ty != InputType::Text || is_url(t) || Path::new(t).is_file() {
            check_extension(ty, t, ext_id.as_deref())
                .map_err(|e| rename(e, arg("content_array")))?;
        }
    }
    if matches!(a.content, Some(Content::Dict(_)) | Some(Content::Chat(_)))
        && ty != InputType::LlmRlhf
    {
        return Err(Error::invalid_arg(
            arg("content_array"),
            format!(
                "objects and chat lists are contents of LLM_RLHF projects only, not {}",
                ty.name()
            ),
        ));
    }
    match ty {
        InputType::Text => {
            if truthy(&a.json_content) {
                if has_content {
                    return Err(Error::invalid_arg(
                        arg("content_array"),
                        "Cannot import content when importing a Rich Text asset",
                    ));
                }
                let body = py_json_text(a.json_content.as_ref().unwrap_or(&Value::Null));
                p.uploads.push(bytes_upload(
                    "jsonContent",
                    body.into_bytes(),
                    TEXT_UTF8,
                    Slot::JsonContent,
                ));
                // Uploaded, yet not `local`: with no content the reference counts the call
                // as hosted and makes no licence check.
            } else if let Some(t) = text {
                if is_url(&t) {
                    p.content = t;
                } else if Path::new(&t).is_file() {
                    let mime = check_local_file(ty, &t, &arg("content_array"))?;
                    p.uploads
                        .push(file_upload("content", &t, &local_ct(&mime), Slot::Content));
                    p.local = true;
                } else {
                    p.uploads.push(bytes_upload(
                        "content",
                        t.into_bytes(),
                        TEXT_UTF8,
                        Slot::Content,
                    ));
                    p.local = true;
                }
            }
        }
        InputType::Image | InputType::Geospatial => {
            let geo = ty == InputType::Geospatial;
            if has_layers {
                let layers = a.multi_layer_content.clone().unwrap_or_default();
                let mut out_layers = Vec::new();
                for (j, mut layer) in layers.into_iter().enumerate() {
                    let lp = format!("multi_layer_content_array[{index}][{j}]");
                    let Some(path) = layer.get("path").and_then(Value::as_str).map(str::to_owned)
                    else {
                        return Err(Error::invalid_arg(
                            format!("{lp}.path"),
                            "Cannot import multi_layer_content with empty path. Please provide a path for each multi_layer_content",
                        ));
                    };
                    check_extension(ty, &path, ext_id.as_deref())
                        .map_err(|e| rename(e, lp.clone()))?;
                    let mime = check_local_file(ty, &path, &format!("{lp}.path"))?;
                    let suffix = if geo {
                        format!("content/{j}.tif")
                    } else {
                        format!("content/{j}")
                    };
                    p.uploads
                        .push(file_upload(&suffix, &path, &mime, Slot::Layer(j)));
                    layer.remove("path");
                    out_layers.push(layer);
                }
                p.multi_layer = Some(out_layers);
                p.json_content = a
                    .json_content
                    .as_ref()
                    .filter(|v| !v.is_null())
                    .map(py_json_text)
                    .unwrap_or_default();
                p.mode = Mode::Async {
                    upload_type: if geo { "GEO_SATELLITE" } else { "TILED_IMAGE" },
                    multi_layer: true,
                };
                p.local = true;
            } else {
                // Images with json content only (or with a hosted content) keep it inline.
                p.json_content = a
                    .json_content
                    .as_ref()
                    .filter(|v| !v.is_null())
                    .map(py_json_text)
                    .unwrap_or_default();
                if let Some(t) = text {
                    if is_url(&t) {
                        p.content = t;
                    } else {
                        let mime = check_local_file(ty, &t, &arg("content_array"))?;
                        p.local = true;
                        if geo {
                            p.uploads
                                .push(file_upload("content.tif", &t, &mime, Slot::Content));
                            p.mode = Mode::Async {
                                upload_type: "GEO_SATELLITE",
                                multi_layer: false,
                            };
                        } else {
                            p.uploads
                                .push(file_upload("content", &t, &mime, Slot::Content));
                            if image_needs_async(&t, &mime) {
                                p.mode = Mode::Async {
                                    upload_type: "TILED_IMAGE",
                                    multi_layer: false,
                                };
                            }
                        }
                    }
                }
            }
        }
        InputType::Pdf | InputType::Audio => {
            let t = text.ok_or_else(|| {
                Error::invalid_arg(
                    arg("content_array"),
                    format!("{} assets need a content (URL or local file)", ty.name()),
                )
            })?;
            if is_url(&t) {
                p.content = t;
            } else {
                let mime = check_local_file(ty, &t, &arg("content_array"))?;
                p.uploads
                    .push(file_upload("content", &t, &mime, Slot::Content));
                p.local = true;
            }
        }
        InputType::Video | InputType::VideoLegacy => {
            let params = metadata
                .entry("processingParameters")
                .or_insert_with(|| json!({}));
            let native = params.get("shouldUseNativeVideo").and_then(Value::as_bool) != Some(false);
            if truthy(&a.json_content) {
                // A video given as frames.
                let frames = a
                    .json_content
                    .as_ref()
                    .and_then(Value::as_array)
                    .cloned()
                    .ok_or_else(|| {
                        Error::invalid_arg(
                            arg("json_content_array"),
                            "video frames must be a list of URLs or of local image paths",
                        )
                    })?;
                if let Some(t) = &text {
                    if !is_url(t) {
                        return Err(Error::invalid_arg(arg("content_array"), "Cannot import content that is not an url when importing a video from frames"));
                    }
                    p.content = t.clone();
                }
                let mut index_map = Map::new();
                for (i, f) in frames.iter().enumerate() {
                    let fp = format!("json_content_array[{index}][{i}]");
                    let f = f.as_str().ok_or_else(|| {
                        Error::invalid_arg(&fp, "expected a frame URL or local image path")
                    })?;
                    if is_url(f) {
                        index_map.insert(i.to_string(), json!(f));
                    } else {
                        let mime = check_local_file(InputType::Image, f, &fp)?;
                        let suffix = format!("frame/{i}");
                        // The reference points frames at the API's file server, not at the signed URL.
                        index_map.insert(
                            i.to_string(),
                            json!(format!(
                                "{files_url}?id=projects/{project_id}/assets/{}/{suffix}",
                                p.id
                            )),
                        );
                        p.uploads.push(file_upload(&suffix, f, &mime, Slot::Frame));
                        p.local = true;
                    }
                }
                let body = Value::Object(index_map).to_string();
                p.uploads.push(bytes_upload(
                    "jsonContent",
                    body.into_bytes(),
                    TEXT_UTF8,
                    Slot::JsonContent,
                ));
            } else {
                let t = text.ok_or_else(|| {
                    Error::invalid_arg(
                        arg("content_array"),
                        "video assets need a content (URL or local file) or frames",
                    )
                })?;
                if !is_url(&t) {
                    let mime = check_local_file(ty, &t, &arg("content_array"))?;
                    p.uploads
                        .push(file_upload("content", &t, &mime, Slot::Content));
                    p.local = true;
                } else {
                    p.content = t;
                }
                p.mode = Mode::Async {
                    upload_type: if native {
                        "NATIVE_VIDEO"
                    } else {
                        "FRAME_VIDEO"
                    },
                    multi_layer: false,
                };
            }
        }
        InputType::LlmRlhf => match &a.content {
            Some(Content::Dict(d)) => {
                p.uploads.push(bytes_upload(
                    "content",
                    Value::Object(d.clone()).to_string().into_bytes(),
                    "application/json",
                    Slot::Content,
                ));
                p.local = true;
            }
            Some(Content::Chat(items)) => {
                let body = chat_to_conversation(items, &mut metadata, &arg("content_array"))?;
                p.uploads.push(bytes_upload(
                    "content",
                    body.to_string().into_bytes(),
                    "application/json",
                    Slot::Content,
                ));
                p.local = true;
            }
            Some(Content::Text(t)) if is_url(t) => p.content = t.clone(),
            Some(Content::Text(t)) if !t.is_empty() => {
                check_local_file(ty, t, &arg("content_array"))?;
                let raw = std::fs::read(t).map_err(|e| {
                    Error::invalid_arg(arg("content_array"), format!("cannot read {t}: {e}"))
                })?;
                let parsed: Value = serde_json::from_slice(&raw).map_err(|e| {
                    Error::invalid_arg(
                        arg("content_array"),
                        format!("Error processing file: {t}: {e}"),
                    )
                })?;
                let body = match &parsed {
                    Value::Array(items) if items.iter().all(|i| i.get("role").is_some()) => {
                        chat_to_conversation(items, &mut metadata, &arg("content_array"))?
                            .to_string()
                            .into_bytes()
                    }
                    _ => raw,
                };
                p.uploads.push(bytes_upload(
                    "content",
                    body,
                    "application/json",
                    Slot::Content,
                ));
                p.local = true;
            }
            _ => {
                return Err(Error::invalid_arg(
                    arg("content_array"),
                    "Invalid value in content for LLM project.",
                ))
            }
        },
    }
    p.json_metadata = Value::Object(metadata).to_string();
    Ok(p)
}

fn rename(e: Error, path: String) -> Error {
    match e {
        Error::InvalidArgument { message, .. } => Error::InvalidArgument {
            path: Some(path),
            message,
        },
        other => other,
    }
}

fn bytes_upload(suffix: &str, body: Vec<u8>, ct: &str, slot: Slot) -> Upload {
    Upload {
        suffix: suffix.to_string(),
        source: Source::Bytes(Bytes::from(body)),
        content_type: ct.to_string(),
        slot,
    }
}

fn file_upload(suffix: &str, path: &str, ct: &str, slot: Slot) -> Upload {
    let ct = if ct.is_empty() {
        mime_of(path).unwrap_or_else(|| "application/octet-stream".into())
    } else {
        ct.to_string()
    };
    Upload {
        suffix: suffix.to_string(),
        source: Source::File(PathBuf::from(path)),
        content_type: ct,
        slot,
    }
}

/// Converts an LLM chat (items with `role`, `content`, `id`, `chat_id`, `model`) into the
/// conversation format, and adds `chat_id`, `models`, `chat_item_ids` and `text` to the
/// metadata, like the reference SDK.
fn chat_to_conversation(
    items: &[Value],
    metadata: &mut Map<String, Value>,
    path: &str,
) -> Result<Value> {
    let mut prompts: Vec<Value> = Vec::new();
    let mut ids = Vec::new();
    let mut chat_id = String::new();
    let mut last_models: Vec<String> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let missing: Vec<&str> = ["role", "content", "id", "chat_id", "model"]
            .into_iter()
            .filter(|k| it.get(*k).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(Error::invalid_arg(
                format!("{path}[{i}]"),
                format!("Chat item missing keys : {missing:?}"),
            ));
        }
        let s = |k: &str| it.get(k).map(json_text).unwrap_or_default();
        ids.push(s("id"));
        chat_id = s("chat_id");
        match s("role").as_str() {
            "user" | "system" => {
                prompts.push(json!({"completions": [], "prompt": s("content")}));
                last_models.clear();
            }
            role => {
                if prompts.is_empty() {
                    prompts.push(json!({"completions": [], "prompt": ""}));
                }
                let last = prompts.last_mut().expect("one prompt");
                last["completions"]
                    .as_array_mut()
                    .expect("list")
                    .push(json!({"content": s("content"), "title": role}));
                last_models.push(s("model"));
            }
        }
    }
    let ids_text = ids.join("___");
    metadata.insert("chat_id".into(), json!(chat_id));
    metadata.insert("models".into(), json!(last_models.join("___")));
    metadata.insert("chat_item_ids".into(), json!(ids_text));
    metadata.insert(
        "text".into(),
        json!(format!("Chat_id: {chat_id}\n\nChat_item_ids: {ids_text}")),
    );
    Ok(json!({"prompts": prompts, "type": "markdown", "version": "0.1"}))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(ty: InputType, a: NewAsset) -> Result<Planned> {
        plan(ty, "P", vec![(0, a)], "http://h/api/label/v2/files").map(|mut v| v.remove(0))
    }

    fn text(s: &str) -> Option<Content> {
        Some(Content::Text(s.into()))
    }

    #[test]
    fn text_kinds() {
        let p = one(
            InputType::Text,
            NewAsset {
                content: text("hello. world"),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(p.mode, Mode::Sync);
        assert!(
            p.local && p.uploads[0].suffix == "content" && p.uploads[0].content_type == TEXT_UTF8
        );
        assert_eq!(p.json_metadata, "{}");
        assert_eq!(p.external_id.len(), 32);
        let p = one(
            InputType::Text,
            NewAsset {
                content: text("https://x/a.txt"),
                external_id: Some("e".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(
            !p.local
                && p.uploads.is_empty()
                && p.content == "https://x/a.txt"
                && p.external_id == "e"
        );
        let p = one(
            InputType::Text,
            NewAsset {
                json_content: Some(json!([{"children": []}])),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(p.uploads[0].slot, Slot::JsonContent);
        let e = one(
            InputType::Text,
            NewAsset {
                content: text("x"),
                json_content: Some(json!([1])),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("Rich Text"));
    }

    #[test]
    fn json_content_is_stringified_like_python_json_dumps() {
        let v: Value = serde_json::from_str(
            r#"[{"children": [{"text": "é€😀\u007f\"\\\n"}], "type": "p", "n": [1, -2, 0.0, -0.0, 1.5, 1e16, 1e15, 1e-5, 0.0001, 123.456, 1e300, 5e-324], "b": true, "z": null}]"#,
        )
        .unwrap();
        // python3 -c 'import json; print(json.dumps(<the same value>))'
        let python = r#"[{"children": [{"text": "\u00e9\u20ac\ud83d\ude00\u007f\"\\\n"}], "type": "p", "n": [1, -2, 0.0, -0.0, 1.5, 1e+16, 1000000000000000.0, 1e-05, 0.0001, 123.456, 1e+300, 5e-324], "b": true, "z": null}]"#;
        assert_eq!(py_json_text(&v), python);
        assert_eq!(py_json_text(&json!("verbatim {}")), "verbatim {}");
    }

    #[test]
    fn image_kinds() {
        let p = one(
            InputType::Image,
            NewAsset {
                content: text("https://x/a.tif"),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(p.mode, Mode::Sync);
        let e = one(
            InputType::Image,
            NewAsset {
                content: text("https://x/a.pdf"),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("'.pdf' is not allowed"));
        let e = one(
            InputType::Image,
            NewAsset {
                content: text("/nonexistent/a.png"),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.details()["path"], "content_array[0]");
        let p = one(
            InputType::Image,
            NewAsset {
                json_content: Some(json!({"a": 1})),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(p.json_content, "{\"a\": 1}");
        let e = one(
            InputType::Text,
            NewAsset {
                multi_layer_content: Some(vec![Map::new()]),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("multi-layer"));
        let e = one(
            InputType::Geospatial,
            NewAsset {
                multi_layer_content: Some(vec![json!({"name": "x"}).as_object().unwrap().clone()]),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("empty path"));
    }

    #[test]
    fn video_kinds() {
        let p = one(
            InputType::Video,
            NewAsset {
                content: text("https://x/v.mp4"),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            p.mode,
            Mode::Async {
                upload_type: "NATIVE_VIDEO",
                multi_layer: false
            }
        );
        assert_eq!(p.json_metadata, "{\"processingParameters\":{}}");
        let p = one(
            InputType::Video,
            NewAsset {
                json_content: Some(json!(["https://x/0.png", "https://x/1.png"])),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(p.mode, Mode::Sync);
        let Source::Bytes(b) = &p.uploads[0].source else {
            panic!()
        };
        assert_eq!(
            std::str::from_utf8(b).unwrap(),
            "{\"0\":\"https://x/0.png\",\"1\":\"https://x/1.png\"}"
        );
        let mut frames_meta = Map::new();
        frames_meta.insert(
            "processingParameters".into(),
            json!({"shouldUseNativeVideo": false}),
        );
        let mixed = plan(
            InputType::Video,
            "P",
            vec![
                (
                    0,
                    NewAsset {
                        content: text("https://x/v.mp4"),
                        ..Default::default()
                    },
                ),
                (
                    1,
                    NewAsset {
                        content: text("https://x/w.mp4"),
                        json_metadata: Some(frames_meta),
                        ..Default::default()
                    },
                ),
            ],
            "f",
        );
        assert!(mixed
            .unwrap_err()
            .to_string()
            .contains("separate the assets"));
    }

    #[test]
    fn llm_kinds() {
        let p = one(
            InputType::LlmRlhf,
            NewAsset {
                content: Some(Content::Dict(
                    json!({"prompt": "p"}).as_object().unwrap().clone(),
                )),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(p.uploads[0].content_type, "application/json");
        let chat = vec![
            json!({"role": "user", "content": "hi", "id": "1", "chat_id": "c", "model": null}),
            json!({"role": "assistant", "content": "yo", "id": "2", "chat_id": "c", "model": "m1"}),
        ];
        let p = one(
            InputType::LlmRlhf,
            NewAsset {
                content: Some(Content::Chat(chat)),
                ..Default::default()
            },
        )
        .unwrap();
        let meta: Value = serde_json::from_str(&p.json_metadata).unwrap();
        assert_eq!(meta["chat_item_ids"], "1___2");
        assert_eq!(meta["models"], "m1");
        let bad = vec![json!({"role": "user"})];
        assert!(one(
            InputType::LlmRlhf,
            NewAsset {
                content: Some(Content::Chat(bad)),
                ..Default::default()
            }
        )
        .unwrap_err()
        .to_string()
        .contains("missing keys"));
        assert!(one(
            InputType::Text,
            NewAsset {
                content: Some(Content::Dict(Map::new())),
                json_content: Some(json!([1])),
                ..Default::default()
            }
        )
        .is_err());
    }

    #[test]
    fn empty_asset_is_rejected() {
        let e = one(
            InputType::Image,
            NewAsset {
                content: text(""),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("empty content"));
    }
}
