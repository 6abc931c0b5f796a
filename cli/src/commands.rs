//! The `assets` commands, in two phases: [`prepare`] turns the command line into the core's
//! JSON arguments (the Python SDK's parameter names, so the core validates them and names bad
//! ones), reading every input (id files, the standard input, directories to import) before
//! any request; [`execute`] then does the network work and writes the result to stdout.
//!
//! Listings to stdout are flushed before each wait for the next page: a consumer sees every
//! page as soon as it arrives, and a reader that went away (`| head`) is noticed at once
//! instead of after another buffer's worth of assets.

use crate::cli_args::{
    AssetsCommand, FilterArgs, IdArgs, ImportArgs, ListArgs, ListFormat, MetadataArgs, UpdateArgs,
};
use crate::ids;
use kili::export::{export_assets_to_path, write_atomically, write_pages, ExportFormat};
use kili::{AssetQuery, CallOptions, Client, Error, Result};
use serde_json::{json, Map, Value};
use std::cell::RefCell;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Assets asked per cursor step (the core's export uses the same).
const PAGE: usize = 100;

/// A command whose inputs are all read and checked: what is left is the network work.
#[derive(Debug)]
pub enum Prepared {
    /// `assets list`.
    List {
        /// The checked query.
        query: Box<AssetQuery>,
        /// Output format.
        format: ListFormat,
        /// `--output`, if given.
        output: Option<PathBuf>,
    },
    /// `assets count` with its JSON filters.
    Count(Value),
    /// A mutation: the core's method name and its JSON arguments.
    Mutation {
        /// e.g. `delete_many_from_dataset`.
        method: &'static str,
        /// The arguments, Python SDK names.
        args: Value,
    },
}

impl Prepared {
    /// Where a listing downloads media (`--download-media`), as the core will resolve it.
    pub fn media_dir(&self) -> Option<PathBuf> {
        match self {
            Prepared::List { query, .. } if query.download_media => Some(
                query
                    .local_media_dir
                    .as_ref()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| kili::assets::media::default_dir(&query.filters.project_id)),
            ),
            _ => None,
        }
    }

    /// The file a listing writes (`--output`).
    pub fn output_file(&self) -> Option<&Path> {
        match self {
            Prepared::List { output, .. } => output.as_deref(),
            _ => None,
        }
    }
}

/// Reads and checks the inputs of one `assets` command. No network call.
///
/// Errors: bad flag values and unreadable id files or paths as [`Error::InvalidArgument`]
/// naming the flag; the core's argument errors.
pub fn prepare(cmd: AssetsCommand) -> Result<Prepared> {
    Ok(match cmd {
        AssetsCommand::List(a) => list_query(a)?,
        AssetsCommand::Count(a) => Prepared::Count(Value::Object(filters_json(a.filters)?)),
        AssetsCommand::Import(a) => Prepared::Mutation {
            method: "append_many_to_dataset",
            args: import_json(&a)?,
        },
        AssetsCommand::Update(a) => Prepared::Mutation {
            method: "update_properties_in_assets",
            args: update_json(a)?,
        },
        AssetsCommand::Delete(a) => Prepared::Mutation {
            method: "delete_many_from_dataset",
            args: Value::Object(ids_map(a)?.0),
        },
        AssetsCommand::Review(a) => Prepared::Mutation {
            method: "add_to_review",
            args: Value::Object(ids_map(a)?.0),
        },
        AssetsCommand::Queue(a) => Prepared::Mutation {
            method: "send_back_to_queue",
            args: Value::Object(ids_map(a)?.0),
        },
        AssetsCommand::Priority(a) => {
            let (mut m, _) = ids_map(a.ids)?;
            m.insert("priority".into(), json!(a.priority));
            Prepared::Mutation {
                method: "set_assets_priority",
                args: Value::Object(m),
            }
        }
        AssetsCommand::Assign(a) => {
            let (mut m, n) = ids_map(a.ids)?;
            // The same assignees for every asset (the SDK takes one list per asset).
            let users = if a.unassign { Vec::new() } else { a.to };
            m.insert("to_be_labeled_by_array".into(), json!(vec![users; n]));
            Prepared::Mutation {
                method: "assign_assets_to_labelers",
                args: Value::Object(m),
            }
        }
        AssetsCommand::Consensus(a) => {
            let mut m = Map::new();
            m.insert("project_id".into(), json!(a.project_id));
            m.insert("is_consensus".into(), json!(a.is_consensus));
            if let Some(id) = a.asset_id {
                m.insert("asset_id".into(), json!(id));
            }
            if let Some(e) = a.external_id {
                m.insert("external_id".into(), json!(e));
            }
            Prepared::Mutation {
                method: "update_asset_consensus",
                args: Value::Object(m),
            }
        }
        AssetsCommand::AddMetadata(a) => Prepared::Mutation {
            method: "add_metadata",
            args: metadata_json(a)?,
        },
        AssetsCommand::SetMetadata(a) => Prepared::Mutation {
            method: "set_metadata",
            args: metadata_json(a)?,
        },
        AssetsCommand::Skip(a) => Prepared::Mutation {
            method: "skip_or_unskip",
            args: json!({"action": "skip", "asset_id": a.asset.asset_id,
                         "project_id": a.asset.project_id, "reason": a.reason}),
        },
        AssetsCommand::Unskip(a) => Prepared::Mutation {
            method: "skip_or_unskip",
            args: json!({"action": "unskip", "asset_id": a.asset_id, "project_id": a.project_id}),
        },
    })
}

/// Runs a prepared command, writing its result to `out`. `opts.cancel`, when set, stops it.
///
/// Errors: the core's errors; a closed `out` as [`Error::Cancelled`].
pub fn execute(
    client: &Client,
    cmd: Prepared,
    opts: CallOptions,
    out: &mut dyn Write,
) -> Result<()> {
    match cmd {
        Prepared::List {
            query,
            format,
            output,
        } => list(client, *query, format, output.as_deref(), opts, out),
        Prepared::Count(args) => {
            let n = client.count_assets_json(&args.to_string(), opts)?;
            writeln!(out, "{n}").map_err(write_err)
        }
        Prepared::Mutation { method, args } => {
            print(out, client.mutate_json(method, &args.to_string(), opts)?)
        }
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

/// A list of strings as a JSON array, moving the strings (id lists can be long).
fn string_array(v: Vec<String>) -> Value {
    Value::Array(v.into_iter().map(Value::String).collect())
}

/// The standard input can be read once: refuses a second id file naming it.
fn one_stdin(files: &[(&str, &Option<PathBuf>)]) -> Result<()> {
    let readers: Vec<&str> = files
        .iter()
        .filter(|(_, p)| p.as_deref().is_some_and(ids::is_stdin))
        .map(|(flag, _)| *flag)
        .collect();
    if let [first, second, ..] = readers[..] {
        return Err(Error::invalid_arg(
            second,
            format!("the standard input is already read by {first}: give one of them a file"),
        ));
    }
    Ok(())
}

/// The filter flags as the core's JSON argument object (id files read here).
pub fn filters_json(f: FilterArgs) -> Result<Map<String, Value>> {
    one_stdin(&[
        ("--asset-ids-file", &f.asset_ids_file),
        ("--external-ids-file", &f.external_ids_file),
    ])?;
    let mut m = Map::new();
    m.insert("project_id".into(), json!(f.project_id));
    let asset_id_in = match &f.asset_ids_file {
        Some(p) => ids::read_ids("--asset-ids-file", p)?,
        None => f.asset_id_in,
    };
    let external_id_strictly_in = match &f.external_ids_file {
        Some(p) => ids::read_ids("--external-ids-file", p)?,
        None => f.external_id_strictly_in,
    };
    let lists = [
        ("asset_id_in", asset_id_in),
        ("asset_id_not_in", f.asset_id_not_in),
        ("external_id_in", f.external_id_in),
        ("external_id_strictly_in", external_id_strictly_in),
        ("status_in", f.status_in),
        ("step_name_in", f.step_name_in),
        ("step_status_in", f.step_status_in),
        ("assignee_in", f.assignee_in),
    ];
    for (k, v) in lists {
        if !v.is_empty() {
            m.insert(k.into(), string_array(v));
        }
    }
    let strings = [
        ("created_at_gte", f.created_at_gte),
        ("created_at_lte", f.created_at_lte),
        ("updated_at_gte", f.updated_at_gte),
        ("updated_at_lte", f.updated_at_lte),
        ("label_category_search", f.label_category_search),
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

/// The checked query of `assets list`.
fn list_query(a: ListArgs) -> Result<Prepared> {
    let mut m = filters_json(a.filters)?;
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
    Ok(Prepared::List {
        query: Box::new(AssetQuery::from_json(&Value::Object(m).to_string())?),
        format: a.format,
        output: a.output,
    })
}

/// `Err(Cancelled)` once `opts`' token was triggered: checked between pages, so that pages
/// already fetched are not written after a cancellation.
fn check_cancelled(opts: &CallOptions) -> Result<()> {
    match &opts.cancel {
        Some(t) if t.is_cancelled() => Err(Error::Cancelled),
        _ => Ok(()),
    }
}

fn list(
    client: &Client,
    query: AssetQuery,
    format: ListFormat,
    output: Option<&Path>,
    opts: CallOptions,
    out: &mut dyn Write,
) -> Result<()> {
    let format = match format {
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
    match (format, output) {
        (Some(f), Some(path)) => export_assets_to_path(client, query, f, path, opts)
            .map(|_| ())
            .map_err(output_flag),
        (Some(f), None) => export_to(client, query, f, opts, out),
        (None, Some(path)) => {
            write_atomically(path, |w| json_array(client, query, opts, w)).map_err(output_flag)
        }
        (None, None) => json_array(client, query, opts, out),
    }
}

/// A writer shared by `write_pages`'s output and its page source (which flushes it).
struct Shared<'a, 'b>(&'a RefCell<&'b mut dyn Write>);

impl Write for Shared<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.borrow_mut().flush()
    }
}

/// NDJSON or CSV to `out`, as `kili::export::export_assets` (same rows, same `"export"`
/// progress events), flushing `out` before each wait for a page.
fn export_to(
    client: &Client,
    query: AssetQuery,
    format: ExportFormat,
    opts: CallOptions,
    out: &mut dyn Write,
) -> Result<()> {
    let fields = query.fields.clone();
    let mut cursor = client.assets(query, opts.clone())?;
    let total = cursor.expected_total();
    let events = client.asyncc().events().clone();
    let out = RefCell::new(out);
    write_pages(
        || {
            out.borrow_mut().flush().map_err(write_err)?;
            check_cancelled(&opts)?;
            cursor.next_page(PAGE)
        },
        format,
        fields.as_deref(),
        &mut Shared(&out),
        |n| events.progress("export", n, total),
    )
    .map(|_| ())
}

/// Streams the assets as one JSON array (items written as they arrive, `out` flushed before
/// each wait for a page).
fn json_array(
    client: &Client,
    query: AssetQuery,
    opts: CallOptions,
    out: &mut dyn Write,
) -> Result<()> {
    let mut cursor = client.assets(query, opts.clone())?;
    out.write_all(b"[").map_err(write_err)?;
    let mut first = true;
    loop {
        out.flush().map_err(write_err)?;
        check_cancelled(&opts)?;
        let page = cursor.next_page(PAGE)?;
        if page.is_empty() {
            break;
        }
        for item in page {
            out.write_all(if first { b"\n" } else { b",\n" })
                .map_err(write_err)?;
            first = false;
            serde_json::to_writer(&mut *out, &item).map_err(|e| write_err(e.into()))?;
        }
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

/// The project and the assets of a mutation (`asset_ids` or `external_ids`, from the inline
/// lists or the id files), with the number of assets.
fn ids_map(a: IdArgs) -> Result<(Map<String, Value>, usize)> {
    let mut m = Map::new();
    m.insert("project_id".into(), json!(a.project_id));
    // clap lets at most one of the four flags through.
    let (key, list) = if let Some(p) = &a.asset_ids_file {
        ("asset_ids", ids::read_ids("--asset-ids-file", p)?)
    } else if let Some(p) = &a.external_ids_file {
        ("external_ids", ids::read_ids("--external-ids-file", p)?)
    } else if !a.asset_ids.is_empty() {
        ("asset_ids", a.asset_ids)
    } else if !a.external_ids.is_empty() {
        ("external_ids", a.external_ids)
    } else {
        return Err(Error::invalid_arg(
            "--asset-ids",
            "give the assets with --asset-ids, --external-ids, --asset-ids-file or --external-ids-file",
        ));
    };
    let n = list.len();
    m.insert(key.into(), string_array(list));
    Ok((m, n))
}

/// `add_metadata` / `set_metadata` arguments: the one `--json-metadata` object for every asset.
fn metadata_json(a: MetadataArgs) -> Result<Value> {
    let (mut m, n) = ids_map(a.ids)?;
    let v = parse_json("--json-metadata", &a.json_metadata)?;
    if !v.is_object() {
        return Err(Error::invalid_arg(
            "--json-metadata",
            "expected a JSON object",
        ));
    }
    m.insert("json_metadata".into(), Value::Array(vec![v; n]));
    Ok(Value::Object(m))
}

fn update_json(a: UpdateArgs) -> Result<Value> {
    let (mut m, n) = ids_map(a.ids)?;
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
