//! `label_output_format = "parsed_label"`: labels parsed against the project's `jsonInterface`
//! (kili-label-format.md §4), as plain JSON so every language binding gets the same shape.
//!
//! # Shape
//!
//! A parsed label is the label object **without** `jsonResponse`, plus `jobs`: one entry per
//! non-child job of the interface, in interface order, answered or not. Each entry is a *job
//! payload*:
//!
//! ```json
//! {
//!   "mlTask": "CLASSIFICATION",          // the interface's mlTask
//!   "kind": "categories",                 // categories | objects | entities | relations | transcription | file | other
//!   "answered": true,                      // the job appears in the jsonResponse
//!   "categories": [{"name": "A", "displayName": "Cat A", "confidence": 80, "children": {...}}],
//!   "category": {"name": "A", ...},        // radio / singleDropdown only: the one category or null
//!   "text": "...",                         // TRANSCRIPTION only (null when unanswered)
//!   "annotations": [{...}],                // every mlTask but CLASSIFICATION / TRANSCRIPTION / FILE
//!   "children": {"CHILD_JOB": {...}}       // job-level children, parsed the same way (when present)
//! }
//! ```
//!
//! An annotation keeps its own keys (`mid`, `type`, `boundingPoly`, `point`, `polyline`,
//! `beginOffset`, `endOffset`, `content`, `startEntities`, `endEntities`, `startObjects`,
//! `endObjects`, `score`, `isKeyFrame`, ...) with `categories` typed as above and `children`
//! parsed as jobs. A FILE job keeps `fileId`, `fileName`, `fileMimeType`.
//!
//! **Video** (the project's `inputType` contains `VIDEO` and every key of the response is a
//! frame number, or the response is empty): each job entry is `{"mlTask", "kind", "frames":
//! [payload, ...]}` with one payload per frame, in numeric frame order.
//!
//! `ROTATION_JOB`, `ANNOTATION_JOB_COUNTER` and `ANNOTATION_NAMES_JOB` are ignored.
//!
//! # Errors
//!
//! All [`Error::Server`] (the server's data disagrees with its own interface), with details
//! naming `job` / `category` and the label: a job absent from the interface ("Job named 'X'
//! does not exist in the project's jsonInterface"), a category absent from its job, more than
//! one category on a single-choice job, a `jsonInterface` that is not an object with `jobs`.
//! A label without `jsonResponse` (field not selected) is [`Error::InvalidArgument`] naming
//! `fields`.

use crate::error::{Error, Result};
use serde_json::{json, Map, Value};

/// Top-level keys of a response that are not jobs.
pub const IGNORED_KEYS: &[&str] = &[
    "ROTATION_JOB",
    "ANNOTATION_JOB_COUNTER",
    "ANNOTATION_NAMES_JOB",
];

/// A project's `jsonInterface`, checked to hold a `jobs` object. Immutable, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Interface {
    jobs: Map<String, Value>,
    input_type: String,
}

fn bad(message: impl Into<String>, details: Value) -> Error {
    Error::Server {
        message: message.into(),
        details,
    }
}

impl Interface {
    /// Reads the interface (`jsonInterface`: an object or JSON text) of a project of
    /// `input_type`.
    ///
    /// Errors: [`Error::Server`] when it is not an object with a `jobs` object.
    pub fn new(json_interface: &Value, input_type: &str) -> Result<Self> {
        let decoded;
        let v = match json_interface {
            Value::String(s) => {
                decoded = serde_json::from_str::<Value>(s).map_err(|e| {
                    bad(
                        format!("the project's jsonInterface is not valid JSON: {e}"),
                        json!({ "field": "jsonInterface" }),
                    )
                })?;
                &decoded
            }
            other => other,
        };
        let jobs = v.get("jobs").and_then(Value::as_object).ok_or_else(|| {
            bad(
                format!(
                    "the project's jsonInterface must be an object with a \"jobs\" object, got {}",
                    crate::args::type_name(v)
                ),
                json!({ "field": "jsonInterface" }),
            )
        })?;
        for (name, job) in jobs {
            if !job.is_object() {
                return Err(bad(
                    format!("the jsonInterface's job '{name}' is not an object"),
                    json!({ "job": name }),
                ));
            }
        }
        Ok(Interface {
            jobs: jobs.clone(),
            input_type: input_type.to_string(),
        })
    }

    fn job(&self, name: &str) -> Option<&Value> {
        self.jobs.get(name)
    }

    fn is_video(&self) -> bool {
        self.input_type.contains("VIDEO")
    }
}

/// Where an error happened, for messages and details.
struct At<'a> {
    asset_id: &'a str,
    label_id: &'a str,
}

impl At<'_> {
    fn details(&self, extra: Value) -> Value {
        let mut d = json!({ "asset_id": self.asset_id, "label_id": self.label_id });
        if let (Some(o), Value::Object(e)) = (d.as_object_mut(), extra) {
            o.extend(e);
        }
        d
    }
}

fn kind_of(ml_task: &str) -> &'static str {
    match ml_task {
        "CLASSIFICATION" => "categories",
        "OBJECT_DETECTION" | "POSE_ESTIMATION" => "objects",
        "NAMED_ENTITIES_RECOGNITION" => "entities",
        "NAMED_ENTITIES_RELATION" | "OBJECT_RELATION" => "relations",
        "TRANSCRIPTION" => "transcription",
        "FILE" => "file",
        _ => "other",
    }
}

fn check_job<'i>(iface: &'i Interface, name: &str, at: &At<'_>) -> Result<&'i Value> {
    iface.job(name).ok_or_else(|| {
        bad(
            format!(
                "Job named '{name}' does not exist in the project's jsonInterface (label '{}' of asset '{}')",
                at.label_id, at.asset_id
            ),
            at.details(json!({ "job": name })),
        )
    })
}

fn parse_categories(
    iface: &Interface,
    job_name: &str,
    job: &Value,
    raw: &Value,
    at: &At<'_>,
) -> Result<Vec<Value>> {
    let Some(list) = raw.as_array() else {
        return Err(bad(
            format!("job '{job_name}': categories must be a list"),
            at.details(json!({ "job": job_name })),
        ));
    };
    let defs = job
        .pointer("/content/categories")
        .and_then(Value::as_object);
    let input = job
        .pointer("/content/input")
        .and_then(Value::as_str)
        .unwrap_or("");
    if matches!(input, "radio" | "singleDropdown") && list.len() > 1 {
        return Err(bad(
            format!("job '{job_name}' is a single-choice ({input}) classification but the label has {} categories", list.len()),
            at.details(json!({ "job": job_name })),
        ));
    }
    let mut out = Vec::with_capacity(list.len());
    for c in list {
        let name = c.get("name").and_then(Value::as_str).ok_or_else(|| {
            bad(
                format!("job '{job_name}': a category has no \"name\""),
                at.details(json!({ "job": job_name })),
            )
        })?;
        let def = defs.and_then(|d| d.get(name)).ok_or_else(|| {
            let keys: Vec<&String> = defs.map(|d| d.keys().collect()).unwrap_or_default();
            bad(
                format!("Category '{name}' is not in the job interface of '{job_name}' with categories: {keys:?}"),
                at.details(json!({ "job": job_name, "category": name })),
            )
        })?;
        let mut o = Map::new();
        o.insert("name".into(), json!(name));
        o.insert(
            "displayName".into(),
            def.get("name").cloned().unwrap_or_else(|| json!(name)),
        );
        o.insert(
            "confidence".into(),
            c.get("confidence").cloned().unwrap_or(Value::Null),
        );
        if let Some(ch) = c
            .get("children")
            .and_then(Value::as_object)
            .filter(|m| !m.is_empty())
        {
            o.insert(
                "children".into(),
                Value::Object(parse_jobs_map(iface, ch, at)?),
            );
        }
        out.push(Value::Object(o));
    }
    Ok(out)
}

/// Parses the answered jobs of a `children` map (keys checked against the interface).
fn parse_jobs_map(
    iface: &Interface,
    map: &Map<String, Value>,
    at: &At<'_>,
) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    for (name, payload) in map {
        if IGNORED_KEYS.contains(&name.as_str()) {
            continue;
        }
        let job = check_job(iface, name, at)?;
        out.insert(
            name.clone(),
            parse_payload(iface, name, job, Some(payload), at)?,
        );
    }
    Ok(out)
}

fn parse_annotation(
    iface: &Interface,
    job_name: &str,
    job: &Value,
    a: &Value,
    at: &At<'_>,
) -> Result<Value> {
    let Some(obj) = a.as_object() else {
        return Err(bad(
            format!("job '{job_name}': an annotation is not an object"),
            at.details(json!({ "job": job_name })),
        ));
    };
    let mut out = obj.clone();
    if let Some(cats) = obj.get("categories") {
        out.insert(
            "categories".into(),
            Value::Array(parse_categories(iface, job_name, job, cats, at)?),
        );
    }
    if let Some(Value::Object(ch)) = obj.get("children") {
        out.insert(
            "children".into(),
            Value::Object(parse_jobs_map(iface, ch, at)?),
        );
    }
    if let Some(t) = obj.get("type").and_then(Value::as_str) {
        if let Some(tools) = job.get("tools").and_then(Value::as_array) {
            let ok = tools.iter().any(|x| x.as_str() == Some(t))
                || (t == "marker" && tools.iter().any(|x| x.as_str() == Some("pose")));
            if !ok {
                return Err(bad(
                    format!("job '{job_name}': annotation of type '{t}' is not among the job's tools {tools:?}"),
                    at.details(json!({ "job": job_name, "type": t })),
                ));
            }
        }
    }
    Ok(Value::Object(out))
}

/// One job's payload (`None` = unanswered).
fn parse_payload(
    iface: &Interface,
    job_name: &str,
    job: &Value,
    payload: Option<&Value>,
    at: &At<'_>,
) -> Result<Value> {
    let ml_task = job.get("mlTask").and_then(Value::as_str).unwrap_or("");
    let input = job
        .pointer("/content/input")
        .and_then(Value::as_str)
        .unwrap_or("");
    let p = payload.and_then(Value::as_object);
    let mut out = Map::new();
    out.insert("mlTask".into(), json!(ml_task));
    out.insert("kind".into(), json!(kind_of(ml_task)));
    out.insert("answered".into(), json!(p.is_some()));
    match ml_task {
        "CLASSIFICATION" => {
            let cats = match p.and_then(|p| p.get("categories")) {
                Some(raw) => parse_categories(iface, job_name, job, raw, at)?,
                None => vec![],
            };
            if matches!(input, "radio" | "singleDropdown") {
                out.insert(
                    "category".into(),
                    cats.first().cloned().unwrap_or(Value::Null),
                );
            }
            out.insert("categories".into(), Value::Array(cats));
            if let Some(k) = p.and_then(|p| p.get("isKeyFrame")) {
                out.insert("isKeyFrame".into(), k.clone());
            }
        }
        "TRANSCRIPTION" => {
            out.insert(
                "text".into(),
                p.and_then(|p| p.get("text"))
                    .cloned()
                    .unwrap_or(Value::Null),
            );
        }
        "FILE" => {
            for k in ["fileId", "fileName", "fileMimeType"] {
                out.insert(
                    k.into(),
                    p.and_then(|p| p.get(k)).cloned().unwrap_or(Value::Null),
                );
            }
        }
        _ => {}
    }
    let has_annotations = p.is_some_and(|p| p.contains_key("annotations"));
    if !matches!(ml_task, "CLASSIFICATION" | "TRANSCRIPTION" | "FILE") || has_annotations {
        let anns = match p.and_then(|p| p.get("annotations")) {
            Some(Value::Array(list)) => list
                .iter()
                .map(|a| parse_annotation(iface, job_name, job, a, at))
                .collect::<Result<Vec<_>>>()?,
            Some(_) => {
                return Err(bad(
                    format!("job '{job_name}': annotations must be a list"),
                    at.details(json!({ "job": job_name })),
                ));
            }
            None => vec![],
        };
        out.insert("annotations".into(), Value::Array(anns));
    }
    if let Some(ch) = p
        .and_then(|p| p.get("children"))
        .and_then(Value::as_object)
        .filter(|m| !m.is_empty())
    {
        out.insert(
            "children".into(),
            Value::Object(parse_jobs_map(iface, ch, at)?),
        );
    }
    Ok(Value::Object(out))
}

fn top_level_jobs(iface: &Interface) -> impl Iterator<Item = (&String, &Value)> {
    iface
        .jobs
        .iter()
        .filter(|(_, j)| !j.get("isChild").and_then(Value::as_bool).unwrap_or(false))
}

/// Parses a `jsonResponse` (an object) into the `jobs` map of the module documentation.
///
/// Errors: see the module documentation.
fn parse_response(
    iface: &Interface,
    response: &Map<String, Value>,
    at: &At<'_>,
) -> Result<Map<String, Value>> {
    let is_frames = iface.is_video()
        && response
            .keys()
            .all(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()));
    let mut jobs = Map::new();
    if is_frames {
        let mut frames: Vec<(u64, &Map<String, Value>)> = Vec::new();
        for (k, v) in response {
            let frame = v.as_object().ok_or_else(|| {
                bad(
                    format!("frame '{k}' is not an object"),
                    at.details(json!({ "frame": k })),
                )
            })?;
            for name in frame.keys() {
                if !IGNORED_KEYS.contains(&name.as_str()) {
                    check_job(iface, name, at)?;
                }
            }
            frames.push((k.parse().unwrap_or(u64::MAX), frame));
        }
        frames.sort_by_key(|f| f.0);
        for (name, job) in top_level_jobs(iface) {
            let ml_task = job.get("mlTask").and_then(Value::as_str).unwrap_or("");
            let per_frame = frames
                .iter()
                .map(|(_, f)| parse_payload(iface, name, job, f.get(name), at))
                .collect::<Result<Vec<_>>>()?;
            jobs.insert(
                name.clone(),
                json!({ "mlTask": ml_task, "kind": kind_of(ml_task), "frames": per_frame }),
            );
        }
        return Ok(jobs);
    }
    for name in response.keys() {
        if !IGNORED_KEYS.contains(&name.as_str()) {
            check_job(iface, name, at)?;
        }
    }
    for (name, job) in top_level_jobs(iface) {
        jobs.insert(
            name.clone(),
            parse_payload(iface, name, job, response.get(name), at)?,
        );
    }
    Ok(jobs)
}

/// Parses one label of asset `asset_id`: returns the label without `jsonResponse`, plus `jobs`.
///
/// Errors: see the module documentation.
pub fn parse_label(label: &Value, iface: &Interface, asset_id: &str) -> Result<Value> {
    let label_id = label.get("id").and_then(Value::as_str).unwrap_or("");
    let at = At { asset_id, label_id };
    let Some(obj) = label.as_object() else {
        return Err(bad("a label is not an object", at.details(json!({}))));
    };
    let decoded;
    let response = match obj.get("jsonResponse") {
        None => {
            return Err(Error::invalid_arg(
                "fields",
                "label_output_format=\"parsed_label\" needs the labels' jsonResponse: add e.g. \"labels.jsonResponse\" to fields",
            ))
        }
        Some(Value::String(s)) => {
            decoded = serde_json::from_str::<Value>(s).unwrap_or_else(|_| json!({}));
            &decoded
        }
        Some(v) => v,
    };
    let response = response.as_object().ok_or_else(|| {
        bad(
            format!(
                "label '{label_id}': jsonResponse is {}, not an object",
                crate::args::type_name(response)
            ),
            at.details(json!({})),
        )
    })?;
    let jobs = parse_response(iface, response, &at)?;
    let mut out: Map<String, Value> = obj
        .iter()
        .filter(|(k, _)| k.as_str() != "jsonResponse")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    out.insert("jobs".into(), Value::Object(jobs));
    Ok(Value::Object(out))
}

/// Parses the labels of one asset in place, as the official SDK does: every entry of `labels`,
/// and `latestLabel` when it is an object whose `jsonResponse` is an object (`latestLabels` is
/// left alone).
///
/// Errors: see the module documentation; one bad label fails the asset.
pub fn parse_asset(asset: &mut Value, iface: &Interface) -> Result<()> {
    let asset_id = asset
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let Some(obj) = asset.as_object_mut() else {
        return Ok(());
    };
    if let Some(Value::Array(labels)) = obj.get_mut("labels") {
        for l in labels.iter_mut() {
            *l = parse_label(l, iface, &asset_id)?;
        }
    }
    if let Some(l) = obj.get_mut("latestLabel") {
        if l.get("jsonResponse").is_some_and(Value::is_object) {
            *l = parse_label(l, iface, &asset_id)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iface() -> Interface {
        Interface::new(
            &json!({"jobs": {
                "CLASS": {"mlTask": "CLASSIFICATION", "isChild": false, "required": 1,
                          "content": {"input": "radio", "categories": {"A": {"name": "Cat A", "children": ["SUB"]}, "B": {"name": "Cat B"}}}},
                "SUB": {"mlTask": "TRANSCRIPTION", "isChild": true, "content": {"input": "textField"}},
                "BOX": {"mlTask": "OBJECT_DETECTION", "isChild": false, "tools": ["rectangle"],
                        "content": {"input": "radio", "categories": {"CAR": {"name": "Car"}}}},
                "REL": {"mlTask": "OBJECT_RELATION", "isChild": false, "content": {"input": "radio", "categories": {"R": {"name": "r"}}}}
            }}),
            "IMAGE",
        )
        .unwrap()
    }

    #[test]
    fn typed_jobs() {
        let label = json!({"id": "l1", "jsonResponse": {
            "CLASS": {"categories": [{"name": "A", "confidence": 90, "children": {"SUB": {"text": "hi"}}}]},
            "BOX": {"annotations": [{"mid": "m1", "type": "rectangle", "categories": [{"name": "CAR"}],
                                     "boundingPoly": [{"normalizedVertices": [{"x":0,"y":0},{"x":1,"y":0},{"x":1,"y":1},{"x":0,"y":1}]}]}]},
            "ANNOTATION_JOB_COUNTER": {}
        }});
        let p = parse_label(&label, &iface(), "a1").unwrap();
        assert!(p.get("jsonResponse").is_none());
        assert_eq!(p["id"], "l1");
        assert_eq!(
            p["jobs"].as_object().unwrap().keys().collect::<Vec<_>>(),
            vec!["CLASS", "BOX", "REL"]
        );
        assert_eq!(p["jobs"]["CLASS"]["category"]["displayName"], "Cat A");
        assert_eq!(
            p["jobs"]["CLASS"]["categories"][0]["children"]["SUB"]["text"],
            "hi"
        );
        assert_eq!(
            p["jobs"]["BOX"]["annotations"][0]["categories"][0]["name"],
            "CAR"
        );
        assert_eq!(p["jobs"]["BOX"]["kind"], "objects");
        assert_eq!(p["jobs"]["REL"]["answered"], false);
        assert_eq!(p["jobs"]["REL"]["annotations"], json!([]));
    }

    #[test]
    fn errors_name_the_job_or_category() {
        let e = parse_label(
            &json!({"id": "l", "jsonResponse": {"NOPE": {}}}),
            &iface(),
            "a",
        )
        .unwrap_err();
        assert!(e.to_string().contains("Job named 'NOPE'"), "{e}");
        assert_eq!(e.details()["job"], "NOPE");
        let e = parse_label(
            &json!({"jsonResponse": {"CLASS": {"categories": [{"name": "Z"}]}}}),
            &iface(),
            "a",
        )
        .unwrap_err();
        assert!(e.to_string().contains("'Z'"), "{e}");
        let e = parse_label(
            &json!({"jsonResponse": {"CLASS": {"categories": [{"name": "A"}, {"name": "B"}]}}}),
            &iface(),
            "a",
        )
        .unwrap_err();
        assert!(e.to_string().contains("single-choice"), "{e}");
        assert!(Interface::new(&json!("[1]"), "IMAGE").is_err());
        assert!(Interface::new(&json!("{oops"), "IMAGE")
            .unwrap_err()
            .to_string()
            .contains("jsonInterface"));
        let e = parse_label(&json!({"id": "l"}), &iface(), "a").unwrap_err();
        assert!(e.to_string().contains("fields"));
    }

    #[test]
    fn video_frames() {
        let i = Interface::new(
            &json!({"jobs": {"C": {"mlTask": "CLASSIFICATION", "isChild": false, "content": {"input": "checkbox", "categories": {"X": {"name": "x"}}}}}}),
            "VIDEO",
        )
        .unwrap();
        let l = json!({"jsonResponse": {"1": {"C": {"categories": [{"name": "X"}]}}, "0": {}}});
        let p = parse_label(&l, &i, "a").unwrap();
        let frames = p["jobs"]["C"]["frames"].as_array().unwrap();
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[0]["answered"], false);
        assert_eq!(frames[1]["categories"][0]["name"], "X");
    }
}
