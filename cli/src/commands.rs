//! The `assets` commands: command-line arguments -> the core's JSON arguments (the Python
//! SDK's parameter names, so the core validates them and names bad ones) -> output on stdout.

use crate::cli_args::{
    AssetsCommand, FilterArgs, IdArgs, ImportArgs, ListArgs, ListFormat, UpdateArgs,
};
use kili::export::{export_assets, export_assets_to_path, write_atomically, ExportFormat};
use kili::{AssetQuery, CallOptions, Client, Error, Result};
use serde_json::{json, Map, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Runs one `assets` command, writing its result to `out`.
///
/// Errors: the core's errors; bad flag values as [`Error::InvalidArgument`] naming the flag.
pub fn run(
    client: &Client,
    cmd: AssetsCommand,
    opts: CallOptions,
    out: &mut dyn Write,
) -> Result<()> {
    match cmd {
        AssetsCommand::List(a) => list(client, a, opts, out),
        AssetsCommand::Count(a) => {
            let n = client
                .count_assets_json(&Value::Object(filters_json(&a.filters)?).to_string(), opts)?;
            writeln!(out, "{n}").map_err(write_err)
        }
        AssetsCommand::Import(a) => print(
            out,
            client.mutate_json(
                "append_many_to_dataset",
                &import_json(&a)?.to_string(),
                opts,
            )?,
        ),
        AssetsCommand::Update(a) => print(
            out,
            client.mutate_json(
                "update_properties_in_assets",
                &update_json(&a)?.to_string(),
                opts,
            )?,
        ),
        AssetsCommand::Delete(a) => print(
            out,
            client.mutate_json("delete_many_from_dataset", &ids_json(&a)?.to_string(), opts)?,
        ),
        AssetsCommand::Review(a) => print(
            out,
            client.mutate_json("add_to_review", &ids_json(&a)?.to_string(), opts)?,
        ),
        AssetsCommand::Queue(a) => print(
            out,
            client.mutate_json("send_back_to_queue", &ids_json(&a)?.to_string(), opts)?,
        ),
    }
}

fn write_err(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Error::Cancelled
    } else {
        Error::invalid_arg("output", format!("cannot write the output: {e}"))
    }
}

fn print(out: &mut dyn Write, v: Value) -> Result<()> {
    let text = serde_json::to_string_pretty(&v).map_err(|e| Error::Internal(e.to_string()))?;
    writeln!(out, "{text}").map_err(write_err)
}

fn parse_json(flag: &str, text: &str) -> Result<Value> {
    serde_json::from_str(text)
        .map_err(|e| Error::invalid_arg(flag, format!("expected JSON: {e} (in {text:?})")))
}

/// `NAME=JSON` pairs into `m` (a bare word that is not JSON is taken as a string).
fn put_pairs(m: &mut Map<String, Value>, flag: &str, pairs: &[String]) -> Result<()> {
    for p in pairs {
        let (k, v) = p
            .split_once('=')
            .ok_or_else(|| Error::invalid_arg(flag, format!("expected NAME=JSON, got {p:?}")))?;
        let v = serde_json::from_str(v).unwrap_or_else(|_| json!(v));
        m.insert(k.trim().replace('-', "_"), v);
    }
    Ok(())
}

/// The filter flags as the core's JSON argument object.
pub fn filters_json(f: &FilterArgs) -> Result<Map<String, Value>> {
    let mut m = Map::new();
    m.insert("project_id".into(), json!(f.project_id));
    let lists = [
        ("asset_id_in", &f.asset_id_in),
        ("asset_id_not_in", &f.asset_id_not_in),
        ("external_id_in", &f.external_id_in),
        ("external_id_strictly_in", &f.external_id_strictly_in),
        ("status_in", &f.status_in),
        ("step_name_in", &f.step_name_in),
        ("step_status_in", &f.step_status_in),
        ("assignee_in", &f.assignee_in),
    ];
    for (k, v) in lists {
        if !v.is_empty() {
            m.insert(k.into(), json!(v));
        }
    }
    let strings = [
        ("created_at_gte", &f.created_at_gte),
        ("created_at_lte", &f.created_at_lte),
        ("updated_at_gte", &f.updated_at_gte),
        ("updated_at_lte", &f.updated_at_lte),
        ("label_category_search", &f.label_category_search),
    ];
    for (k, v) in strings {
        if let Some(v) = v {
            m.insert(k.into(), json!(v));
        }
    }
    if let Some(s) = f.skipped {
        m.insert("skipped".into(), json!(s));
    }
    if let Some(w) = &f.metadata_where {
        m.insert("metadata_where".into(), parse_json("--metadata-where", w)?);
    }
    put_pairs(&mut m, "--filter", &f.extra)?;
    Ok(m)
}

fn list(client: &Client, a: ListArgs, opts: CallOptions, out: &mut dyn Write) -> Result<()> {
    let mut m = filters_json(&a.filters)?;
    if !a.fields.is_empty() {
        m.insert("fields".into(), json!(a.fields));
    }
    if let Some(f) = a.first {
        m.insert("first".into(), json!(f));
    }
    m.insert("skip".into(), json!(a.skip));
    if a.download_media {
        m.insert("download_media".into(), json!(true));
    }
    if let Some(d) = &a.local_media_dir {
        m.insert("local_media_dir".into(), json!(d.to_string_lossy()));
    }
    if let Some(e) = &a.download_media_errors {
        m.insert("download_media_errors".into(), json!(e));
    }
    if a.parsed_labels {
        m.insert("label_output_format".into(), json!("parsed_label"));
    }
    let query = AssetQuery::from_json(&Value::Object(m).to_string())?;
    let format = match a.format {
        ListFormat::Ndjson => Some(ExportFormat::Ndjson),
        ListFormat::Csv => Some(ExportFormat::Csv),
        ListFormat::Json => None,
    };
    // The library names the file `path`; on the command line it is `--output`.
    let output_flag = |e: Error| match e {
        Error::InvalidArgument {
            path: Some(p),
            message,
        } if p == "path" => Error::invalid_arg("--output", message),
        other => other,
    };
    match (format, &a.output) {
        (Some(f), Some(path)) => export_assets_to_path(client, query, f, path, opts)
            .map(|_| ())
            .map_err(output_flag),
        (Some(f), None) => export_assets(client, query, f, out, opts).map(|_| ()),
        (None, Some(path)) => {
            write_atomically(path, |w| json_array(client, query, opts, w)).map_err(output_flag)
        }
        (None, None) => json_array(client, query, opts, out),
    }
}

/// Streams the assets as one JSON array (items written as they arrive).
fn json_array(
    client: &Client,
    query: AssetQuery,
    opts: CallOptions,
    out: &mut dyn Write,
) -> Result<()> {
    let cursor = client.assets(query, opts)?;
    out.write_all(b"[").map_err(write_err)?;
    for (i, item) in cursor.enumerate() {
        let item = item?;
        out.write_all(if i == 0 { b"\n" } else { b",\n" })
            .map_err(write_err)?;
        serde_json::to_writer(&mut *out, &item).map_err(|e| write_err(e.into()))?;
    }
    out.write_all(b"\n]\n").map_err(write_err)
}

/// Files of `paths` (directories walked recursively, sorted) with their external ids.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<(PathBuf, String)>> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(PathBuf, String)>) -> Result<()> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| {
                Error::invalid_arg(
                    "paths",
                    format!("cannot read the directory {}: {e}", dir.display()),
                )
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, root, out)?;
            } else if p.is_file() {
                let rel = p
                    .strip_prefix(root)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((p.clone(), rel));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, p, &mut out)?;
        } else if p.is_file() {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push((p.clone(), name));
        } else {
            return Err(Error::invalid_arg(
                "paths",
                format!("{} is neither a file nor a directory", p.display()),
            ));
        }
    }
    Ok(out)
}

fn import_json(a: &ImportArgs) -> Result<Value> {
    let mut m = Map::new();
    m.insert("project_id".into(), json!(a.project_id));
    if let Some(csv) = &a.csv {
        m.insert("from_csv".into(), json!(csv.to_string_lossy()));
        m.insert("csv_separator".into(), json!(a.csv_separator.to_string()));
    } else {
        let files = collect_files(&a.paths)?;
        if files.is_empty() {
            return Err(Error::invalid_arg(
                "paths",
                "no file to import: give files, directories or --csv",
            ));
        }
        let abs = |p: &PathBuf| {
            std::fs::canonicalize(p)
                .unwrap_or_else(|_| p.clone())
                .to_string_lossy()
                .into_owned()
        };
        m.insert(
            "content_array".into(),
            json!(files.iter().map(|(p, _)| abs(p)).collect::<Vec<_>>()),
        );
        m.insert(
            "external_id_array".into(),
            json!(files.iter().map(|(_, e)| e).collect::<Vec<_>>()),
        );
    }
    if a.wait {
        m.insert("wait_until_availability".into(), json!(true));
    }
    Ok(Value::Object(m))
}

fn ids_map(a: &IdArgs) -> Result<Map<String, Value>> {
    let mut m = Map::new();
    m.insert("project_id".into(), json!(a.project_id));
    match (a.asset_ids.is_empty(), a.external_ids.is_empty()) {
        (false, _) => m.insert("asset_ids".into(), json!(a.asset_ids)),
        (true, false) => m.insert("external_ids".into(), json!(a.external_ids)),
        (true, true) => {
            return Err(Error::invalid_arg(
                "--asset-ids",
                "give the assets with --asset-ids or --external-ids",
            ))
        }
    };
    Ok(m)
}

fn ids_json(a: &IdArgs) -> Result<Value> {
    ids_map(a).map(Value::Object)
}

fn update_json(a: &UpdateArgs) -> Result<Value> {
    let mut m = ids_map(&a.ids)?;
    let n = a.ids.asset_ids.len().max(a.ids.external_ids.len());
    if !a.priorities.is_empty() {
        m.insert("priorities".into(), json!(a.priorities));
    }
    if let Some(md) = &a.json_metadata {
        let v = parse_json("--json-metadata", md)?;
        if !v.is_object() {
            return Err(Error::invalid_arg(
                "--json-metadata",
                "expected a JSON object",
            ));
        }
        m.insert("json_metadatas".into(), Value::Array(vec![v; n]));
    }
    put_pairs(&mut m, "--set", &a.set)?;
    Ok(Value::Object(m))
}
