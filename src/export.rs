//! Streaming export of the assets of a query (our answer to the Python SDK's
//! `format='pandas'`): NDJSON (one asset per line, exactly the cursor's JSON) or CSV, written to
//! any [`std::io::Write`] or to a file path, page by page.
//!
//! Memory is bounded by the cursor's prefetch window plus one page: nothing accumulates.
//! Progress is reported as `Event::Progress { operation: "export", done, total }` after each
//! page (besides the listing's own `"assets"` progress).
//!
//! CSV: the columns are the query's `fields` in order (or, without `fields`, the flattened
//! keys of the first asset: nested objects become dotted columns such as `currentStep.name`).
//! A cell is the value at that dotted path: strings as is, numbers and booleans as text,
//! `null`/missing as an empty cell; a path crossing a list (e.g. `labels.author.email`) gives
//! the JSON list of the values found, and any other object or list is written as JSON text.
//! CSV is therefore exact for flat fields and lossless (as JSON text) for the others. An
//! export without `fields` that matches no asset has no columns to name: the CSV is empty (no
//! header row); with `fields` it is the header row alone.

use crate::assets::AssetQuery;
use crate::call::CallOptions;
use crate::client::Client;
use crate::error::{Error, Result};
use serde_json::{Map, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Assets fetched per cursor step.
const PAGE: usize = 100;

/// Output format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One JSON object per line (`\n`-terminated), exactly the cursor's items.
    Ndjson,
    /// A header row, then one row per asset (see the module documentation).
    Csv,
}

impl ExportFormat {
    /// Parses `"ndjson"` or `"csv"` (exactly these, as documented in the C header; the one
    /// spelling keeps every language's behaviour the same).
    ///
    /// Errors: [`Error::InvalidArgument`] naming `format`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "ndjson" => Ok(ExportFormat::Ndjson),
            "csv" => Ok(ExportFormat::Csv),
            other => Err(Error::invalid_arg(
                "format",
                format!("expected \"ndjson\" or \"csv\", got \"{other}\""),
            )),
        }
    }
}

fn io_err(what: &str, e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Error::Cancelled
    } else {
        Error::invalid_arg("output", format!("cannot write the export ({what}): {e}"))
    }
}

/// The value at a dotted path; crossing a list maps over it.
pub fn value_at(v: &Value, path: &str) -> Value {
    fn walk(v: &Value, parts: &[&str]) -> Value {
        match (parts.first(), v) {
            (None, _) => v.clone(),
            (Some(_), Value::Array(items)) => {
                Value::Array(items.iter().map(|i| walk(i, parts)).collect())
            }
            (Some(k), Value::Object(o)) => o
                .get(*k)
                .map(|x| walk(x, &parts[1..]))
                .unwrap_or(Value::Null),
            (Some(_), _) => Value::Null,
        }
    }
    walk(v, &path.split('.').collect::<Vec<_>>())
}

/// The text of a CSV cell for `v`.
pub fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => other.to_string(),
    }
}

/// Dotted leaf keys of an asset (objects flattened, lists kept whole).
fn flat_keys(v: &Map<String, Value>, prefix: &str, out: &mut Vec<String>) {
    for (k, x) in v {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match x {
            Value::Object(o) if !o.is_empty() => flat_keys(o, &key, out),
            _ => out.push(key),
        }
    }
}

/// Writes the items of `pages` (a source of pages, empty = end) in `format` to `out`.
/// Shared by the blocking export and tests; `on_page` is called with the running count.
///
/// Errors: the source's errors; write failures as [`Error::InvalidArgument`] naming `output`
/// (a closed pipe is [`Error::Cancelled`]).
pub fn write_pages(
    mut next_page: impl FnMut() -> Result<Vec<Value>>,
    format: ExportFormat,
    fields: Option<&[String]>,
    out: &mut dyn Write,
    mut on_page: impl FnMut(u64),
) -> Result<u64> {
    let mut count = 0u64;
    let mut csv_writer: Option<csv::Writer<&mut dyn Write>> = None;
    let mut columns: Vec<String> = fields.map(|f| f.to_vec()).unwrap_or_default();
    let mut out = Some(out);
    loop {
        let page = next_page()?;
        if page.is_empty() {
            break;
        }
        match format {
            ExportFormat::Ndjson => {
                let w = out.as_mut().expect("writer present for NDJSON");
                for item in &page {
                    serde_json::to_writer(&mut **w, item).map_err(|e| io_err("json", e.into()))?;
                    w.write_all(b"\n").map_err(|e| io_err("write", e))?;
                }
            }
            ExportFormat::Csv => {
                if csv_writer.is_none() {
                    if columns.is_empty() {
                        if let Some(Value::Object(o)) = page.first() {
                            flat_keys(o, "", &mut columns);
                        }
                    }
                    let mut w =
                        csv::Writer::from_writer(out.take().expect("writer present for CSV"));
                    w.write_record(&columns)
                        .map_err(|e| io_err("csv header", e.into()))?;
                    csv_writer = Some(w);
                }
                let w = csv_writer.as_mut().expect("csv writer");
                for item in &page {
                    let row: Vec<String> =
                        columns.iter().map(|c| cell(&value_at(item, c))).collect();
                    w.write_record(&row)
                        .map_err(|e| io_err("csv row", e.into()))?;
                }
            }
        }
        count += page.len() as u64;
        on_page(count);
    }
    match csv_writer {
        Some(mut w) => w.flush().map_err(|e| io_err("flush", e))?,
        None => {
            if let Some(w) = out.as_mut() {
                if format == ExportFormat::Csv && !columns.is_empty() {
                    // No asset: still a header when the columns are known.
                    let mut cw = csv::Writer::from_writer(&mut **w);
                    cw.write_record(&columns)
                        .map_err(|e| io_err("csv header", e.into()))?;
                    cw.flush().map_err(|e| io_err("flush", e))?;
                }
                w.flush().map_err(|e| io_err("flush", e))?;
            }
        }
    }
    Ok(count)
}

/// Exports the assets of `query` to `out` (blocking); returns the number of assets written.
/// Same arguments, filters and fields as [`Client::assets`]; `opts` bounds and cancels the
/// whole export. `out` is flushed, not closed.
///
/// Thread-safety: blocks the calling thread (not from inside an async runtime).
/// Errors: as [`Client::assets`], plus write failures (see [`write_pages`]). On error,
/// what was written so far stays written.
pub fn export_assets(
    client: &Client,
    query: AssetQuery,
    format: ExportFormat,
    out: &mut dyn Write,
    opts: CallOptions,
) -> Result<u64> {
    Export::open(client, query, format, opts)?.write_to(out)
}

/// An export whose query was checked and whose cursor is open (the project exists and is
/// visible, the arguments are valid), not yet written anywhere. Lets a destination be created
/// only once the query is known to be good. Owned by one thread; blocking.
pub struct Export {
    cursor: crate::client::AssetCursor,
    format: ExportFormat,
    fields: Option<Vec<String>>,
    total: Option<u64>,
    events: crate::events::EventSink,
}

impl Export {
    /// Checks `query` and opens its cursor (the first requests go out now).
    ///
    /// Errors: as [`Client::assets`].
    pub fn open(
        client: &Client,
        query: AssetQuery,
        format: ExportFormat,
        opts: CallOptions,
    ) -> Result<Self> {
        let fields = query.fields.clone();
        let cursor = client.assets(query, opts)?;
        Ok(Export {
            total: cursor.expected_total(),
            cursor,
            format,
            fields,
            events: client.asyncc().events().clone(),
        })
    }

    /// Streams every asset to `out` and flushes it; returns the number written.
    ///
    /// Errors: the listing's errors; write failures (see [`write_pages`]).
    pub fn write_to(mut self, out: &mut dyn Write) -> Result<u64> {
        let (events, total) = (self.events.clone(), self.total);
        write_pages(
            || self.cursor.next_page(PAGE),
            self.format,
            self.fields.as_deref(),
            out,
            |n| events.progress("export", n, total),
        )
    }
}

/// [`export_assets`] into the file `path`. The query is checked first (nothing is created for
/// a bad query or an unknown project); the assets are written to a new hidden file beside
/// `path` (`.<name>.<unique>.part`, so concurrent exports never share one) and renamed to
/// `path` when complete, so a failed export leaves no file, partial or not, and an existing
/// `path` is replaced only by a complete export.
///
/// Errors: as [`export_assets`]; [`Error::InvalidArgument`] naming `path` when the file cannot
/// be created, written or renamed.
pub fn export_assets_to_path(
    client: &Client,
    query: AssetQuery,
    format: ExportFormat,
    path: &Path,
    opts: CallOptions,
) -> Result<u64> {
    let export = Export::open(client, query, format, opts)?;
    write_atomically(path, |w| export.write_to(w))
}

/// Runs `write` on a new hidden file beside `path` (`.<name>.<unique>.part`), then syncs it
/// and renames it to `path`; on any failure removes it. So `path` only ever holds a complete
/// output, an existing `path` is replaced only on success, and concurrent writers never share
/// a temporary file. Used by [`export_assets_to_path`] and the CLI's `--output`.
///
/// Errors: `write`'s errors (a write failure naming the generic `output` is renamed to name
/// `path`); [`Error::InvalidArgument`] naming `path` when the file cannot be created, written
/// or renamed.
pub fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    let path_err = |what: &str, p: &Path, e: &dyn std::fmt::Display| {
        Error::invalid_arg("path", format!("cannot {what} {}: {e}", p.display()))
    };
    let (file, part) = create_part(path).map_err(|(p, e)| path_err("create", &p, &e))?;
    let mut w = std::io::BufWriter::new(file);
    let r = write(&mut w).and_then(|v| {
        let f = w
            .into_inner()
            .map_err(|e| path_err("write", &part, e.error()))?;
        f.sync_all().map_err(|e| path_err("write", &part, &e))?;
        Ok(v)
    });
    match r {
        Ok(v) => {
            std::fs::rename(&part, path).map_err(|e| {
                let _ = std::fs::remove_file(&part);
                path_err("rename into", path, &e)
            })?;
            Ok(v)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Err(match e {
                Error::InvalidArgument {
                    path: Some(p),
                    message,
                } if p == "output" => Error::invalid_arg("path", message),
                other => other,
            })
        }
    }
}

/// The directory and the name prefix of this process's temporary files for `path`
/// (`.<name>.<pid>-`; the file is `<prefix><sequence>.part`). The process id keeps the files
/// of other processes writing the same path apart.
fn part_location(path: &Path) -> (PathBuf, String) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export".into());
    (dir, format!(".{name}.{}-", std::process::id()))
}

/// Removes the temporary (`.part`) files that this process's exports to `path` left beside
/// it. An export removes its own when it fails or is cancelled; this is for a process that
/// exits before that cleanup could run (a program's second Ctrl-C). Best effort: errors are
/// ignored. Thread-safe, but do not call it while an export to `path` is still running.
pub fn remove_own_part_files(path: &Path) {
    let (dir, prefix) = part_location(path);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(&prefix) && name.ends_with(".part") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Creates a new, uniquely named `.part` file beside `path` (never an existing one).
fn create_part(
    path: &Path,
) -> std::result::Result<(std::fs::File, PathBuf), (PathBuf, std::io::Error)> {
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let (dir, prefix) = part_location(path);
    loop {
        let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let part = dir.join(format!("{prefix}{seq}.part"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&part)
        {
            Ok(f) => return Ok((f, part)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err((part, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ndjson_and_csv_pages() {
        let pages = vec![
            vec![
                json!({"id": "a", "n": 1, "m": {"k": "v"}, "labels": [{"author": {"email": "x@y"}}]}),
            ],
            vec![json!({"id": "b,c", "n": null})],
        ];
        let mut it = pages.clone().into_iter();
        let mut buf = Vec::new();
        let n = write_pages(
            || Ok(it.next().unwrap_or_default()),
            ExportFormat::Ndjson,
            None,
            &mut buf,
            |_| {},
        )
        .unwrap();
        assert_eq!(n, 2);
        let lines: Vec<Value> = String::from_utf8(buf)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines, pages.concat());

        let mut it = pages.into_iter();
        let mut buf = Vec::new();
        let fields = vec![
            "id".to_string(),
            "m.k".into(),
            "labels.author.email".into(),
            "n".into(),
        ];
        let mut seen = vec![];
        write_pages(
            || Ok(it.next().unwrap_or_default()),
            ExportFormat::Csv,
            Some(&fields),
            &mut buf,
            |n| seen.push(n),
        )
        .unwrap();
        assert_eq!(seen, vec![1, 2]);
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "id,m.k,labels.author.email,n\na,v,\"[\"\"x@y\"\"]\",1\n\"b,c\",,,\n"
        );
        assert!(ExportFormat::parse("xml")
            .unwrap_err()
            .to_string()
            .contains("format"));
    }

    #[test]
    fn csv_columns_from_first_asset() {
        let mut pages = vec![vec![
            json!({"id": "a", "step": {"name": "L", "status": "TO_DO"}, "tags": []}),
        ]]
        .into_iter();
        let mut buf = Vec::new();
        write_pages(
            || Ok(pages.next().unwrap_or_default()),
            ExportFormat::Csv,
            None,
            &mut buf,
            |_| {},
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "id,step.name,step.status,tags\na,L,TO_DO,[]\n"
        );
    }
}
