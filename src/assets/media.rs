//! `download_media` / `local_media_dir` (kili-wire-query.md §4.8): the media of each listed
//! asset is saved to a local directory and `content` (and, per input type, `jsonContent`) is
//! rewritten to the local path.
//!
//! Per URL: `HEAD` (no API key; a non-200 answer falls back to the authenticated `GET`, whose
//! headers are then used), extension from the `Content-Type`, file name `externalId` + that
//! extension (unless `externalId` already ends in a known extension). An existing file of that
//! name is complete (downloads are written to `<name>.part` and renamed at the end), so it is
//! not fetched again: a listing interrupted half-way resumes where it stopped. Bodies are
//! streamed to disk chunk by chunk, never held whole in memory.
//!
//! `jsonContent` URLs by input type: `TEXT` downloaded like `content` (file stem
//! `<externalId>_jsonContent` when `content` is a URL too); `VIDEO` fetched as a JSON list or
//! map of frame URLs, each frame saved as `<externalId>_<i>.jpg` (i from 1, zero-padded),
//! `jsonContent` becomes the list of paths and `content` is left alone; `IMAGE` fetched as JSON
//! in place of `jsonContent`, then `content` downloaded; `GEOSPATIAL` untouched; other input
//! types are refused. `ocrMetadata` URLs are fetched as JSON.
//!
//! Failures: a failed download is an **error** of the listing (the cursor yields it and
//! stops): [`crate::Error::NotFound`] for a 404, [`crate::Error::Timeout`],
//! [`crate::Error::Network`], [`crate::Error::Server`], each with details naming the asset
//! (`asset_id`, `external_id`) and the URL without its query string; I/O errors on the local
//! directory are [`crate::Error::InvalidArgument`] naming `local_media_dir`. Nothing is
//! swallowed.
//!
//! Parallelism: at most [`MediaDownloader::parallelism`] files in flight per listing (one
//! semaphore shared by the assets of a page and the frames of a video). Each file saved (or
//! found complete) is reported as a `download_media` progress event (no total).

use crate::error::{Error, Result};
use crate::transport::{CallCtx, Transport};
use crate::CallOptions;
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;

/// Default number of files downloaded at once.
pub const DEFAULT_PARALLELISM: usize = 8;

/// Downloads the media of the assets of one listing. Shared by the listing's background task
/// (`Send + Sync`); holds no open files between calls.
#[derive(Debug)]
pub struct MediaDownloader {
    transport: Arc<Transport>,
    head_client: reqwest::Client,
    dir: PathBuf,
    input_type: String,
    limit: Arc<Semaphore>,
    parallelism: usize,
    /// Files saved or found complete so far (reported as `download_media` progress).
    done: std::sync::atomic::AtomicU64,
}

/// The default `local_media_dir`: `~/.cache/kili/projects/<project_id>/assets`.
pub fn default_dir(project_id: &str) -> PathBuf {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    home.join(".cache")
        .join("kili")
        .join("projects")
        .join(safe_file_stem(project_id))
        .join("assets")
}

/// A file stem safe on every platform: path separators, `..` and control characters become `_`.
pub fn safe_file_stem(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "_".to_string()
    } else {
        cleaned
    }
}

/// The extension (with the dot) for a `Content-Type` (parameters ignored), as Python's
/// `mimetypes.guess_extension` would give for common types; `""` when unknown.
pub fn extension_for(content_type: &str) -> String {
    let ct = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let preferred = match ct.as_str() {
        "image/jpeg" | "image/jpg" => Some("jpg"),
        "image/png" => Some("png"),
        "image/gif" => Some("gif"),
        "image/webp" => Some("webp"),
        "image/tiff" => Some("tiff"),
        "image/bmp" => Some("bmp"),
        "video/mp4" => Some("mp4"),
        "application/pdf" => Some("pdf"),
        "text/plain" => Some("txt"),
        "text/html" => Some("html"),
        "text/csv" => Some("csv"),
        "application/json" => Some("json"),
        "audio/mpeg" => Some("mp3"),
        "audio/wav" | "audio/x-wav" => Some("wav"),
        _ => None,
    };
    match preferred {
        Some(e) => format!(".{e}"),
        None => mime_guess::get_mime_extensions_str(&ct)
            .and_then(|l| l.first())
            .map(|e| format!(".{e}"))
            .unwrap_or_default(),
    }
}

/// Whether `name` already ends in an extension that names a known media type.
fn has_known_extension(name: &str) -> bool {
    Path::new(name).extension().is_some_and(|e| !e.is_empty())
        && mime_guess::from_path(name).first().is_some()
}

fn url_for_humans(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

fn is_http(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
        .filter(|s| s.starts_with("http://") || s.starts_with("https://"))
}

/// Adds the asset and URL to an error's details.
fn annotate(e: Error, asset_id: &str, external_id: &str, url: &str) -> Error {
    let add = |d: Value, m: String| -> (Value, String) {
        let mut d = if d.is_object() { d } else { json!({}) };
        d["asset_id"] = json!(asset_id);
        d["external_id"] = json!(external_id);
        d["url"] = json!(url_for_humans(url));
        (
            d,
            format!(
                "downloading the media of asset '{external_id}' ({}): {m}",
                url_for_humans(url)
            ),
        )
    };
    match e {
        Error::NotFound { message, details } => {
            let (details, message) = add(details, message);
            Error::NotFound { message, details }
        }
        Error::Network { message, details } => {
            let (details, message) = add(details, message);
            Error::Network { message, details }
        }
        Error::Timeout { message, details } => {
            let (details, message) = add(details, message);
            Error::Timeout { message, details }
        }
        Error::Server { message, details } => {
            let (details, message) = add(details, message);
            Error::Server { message, details }
        }
        Error::Auth { message, details } => {
            let (details, message) = add(details, message);
            Error::Auth { message, details }
        }
        other => other,
    }
}

fn io_error(path: &Path, what: &str, e: std::io::Error) -> Error {
    Error::invalid_arg(
        "local_media_dir",
        format!("cannot {what} {}: {e}", path.display()),
    )
}

impl MediaDownloader {
    /// A downloader into `dir` (created if missing) for a project of `input_type`.
    ///
    /// Errors: [`Error::InvalidArgument`] naming `local_media_dir` when the directory cannot be
    /// created; [`Error::Internal`] when the HTTP client cannot be built.
    pub fn new(
        transport: Arc<Transport>,
        opts: &crate::ClientOptions,
        dir: PathBuf,
        input_type: &str,
        parallelism: usize,
    ) -> Result<Self> {
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir, "create the directory", e))?;
        let dir = std::fs::canonicalize(&dir).map_err(|e| io_error(&dir, "resolve", e))?;
        let head_client = crate::transport::http::build_client(opts, opts.resolved_verify_tls())?;
        let parallelism = parallelism.max(1);
        Ok(MediaDownloader {
            transport,
            head_client,
            dir,
            input_type: input_type.to_string(),
            limit: Arc::new(Semaphore::new(parallelism)),
            parallelism,
            done: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// The directory files are written to (absolute).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Files downloaded at once, at most.
    pub fn parallelism(&self) -> usize {
        self.parallelism
    }

    /// Downloads the media of every asset of `page` (bounded parallelism) and rewrites their
    /// fields. On error the page is not delivered (the listing fails).
    pub async fn process_page(&self, page: &mut [Value], ctx: &CallCtx) -> Result<()> {
        // Collected first: a stream holding the closure trips the higher-ranked lifetime check.
        let jobs: Vec<_> = page
            .iter_mut()
            .map(|a| self.process_asset(a, ctx))
            .collect();
        futures::stream::iter(jobs)
            .buffer_unordered(self.parallelism)
            .try_collect::<Vec<()>>()
            .await
            .map(|_| ())
    }

    async fn process_asset(&self, asset: &mut Value, ctx: &CallCtx) -> Result<()> {
        let Some(obj) = asset.as_object_mut() else {
            return Ok(());
        };
        let asset_id = obj
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let external_id = match obj.get("externalId").and_then(Value::as_str) {
            Some(e) => e.to_string(),
            None => {
                return Err(Error::invalid_arg(
                    "fields",
                    "download_media needs the 'externalId' and 'content' fields (file names come from externalId)",
                ))
            }
        };
        let stem = safe_file_stem(&external_id);
        let ann = |url: &str| {
            let (a, e, u) = (asset_id.clone(), external_id.clone(), url.to_string());
            move |err: Error| annotate(err, &a, &e, &u)
        };

        if let Some(url) = is_http(obj.get("ocrMetadata")).map(str::to_string) {
            let v = self.fetch_json(&url, ctx).await.map_err(ann(&url))?;
            obj.insert("ocrMetadata".into(), v);
        }
        let content_url = is_http(obj.get("content")).map(str::to_string);
        if let Some(url) = is_http(obj.get("jsonContent")).map(str::to_string) {
            match self.input_type.as_str() {
                "TEXT" => {
                    let s = if content_url.is_some() { format!("{stem}_jsonContent") } else { stem.clone() };
                    let p = self.download(&url, &s, None, ctx).await.map_err(ann(&url))?;
                    obj.insert("jsonContent".into(), json!(p.to_string_lossy()));
                }
                t if t.contains("VIDEO") => {
                    let frames = self.fetch_json(&url, ctx).await.map_err(ann(&url))?;
                    let urls = frame_urls(&frames).ok_or_else(|| {
                        ann(&url)(Error::Server {
                            message: "the video's jsonContent is not a list or map of frame URLs".into(),
                            details: json!({}),
                        })
                    })?;
                    let width = urls.len().to_string().len();
                    let paths = futures::stream::iter(urls.into_iter().enumerate().map(|(i, u)| {
                        let name = format!("{stem}_{:0width$}.jpg", i + 1);
                        let ann = ann(&u);
                        async move { self.download(&u, &name, Some(()), ctx).await.map_err(ann) }
                    }))
                    .buffered(self.parallelism)
                    .try_collect::<Vec<PathBuf>>()
                    .await?;
                    obj.insert("jsonContent".into(), json!(paths.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>()));
                    // The frames are the media of a frame-split video: `content` is left alone.
                    return Ok(());
                }
                "IMAGE" => {
                    let v = self.fetch_json(&url, ctx).await.map_err(ann(&url))?;
                    obj.insert("jsonContent".into(), v);
                }
                "GEOSPATIAL" => {}
                other => {
                    return Err(Error::invalid_arg(
                        "download_media",
                        format!("jsonContent URLs of {other} projects cannot be downloaded (asset '{external_id}')"),
                    ))
                }
            }
        }
        if let Some(url) = content_url {
            let p = self
                .download(&url, &stem, None, ctx)
                .await
                .map_err(ann(&url))?;
            obj.insert("content".into(), json!(p.to_string_lossy()));
        }
        Ok(())
    }

    async fn fetch_json(&self, url: &str, ctx: &CallCtx) -> Result<Value> {
        let _permit = self.limit.acquire().await.map_err(|_| Error::Cancelled)?;
        let fut = async {
            let resp = self.transport.get(url, ctx).await?;
            let bytes = resp.bytes().await.map_err(|e| body_error(&e))?;
            serde_json::from_slice(&bytes).map_err(|e| Error::Server {
                message: format!("not JSON: {e}"),
                details: json!({}),
            })
        };
        CallOptions::guard(ctx.cancel.as_ref(), ctx.deadline, fut).await
    }

    /// Downloads `url` to `<dir>/<name>` and returns the path. With `fixed` the name is final
    /// (no `HEAD`); otherwise `name` is a stem completed by the content type's extension.
    async fn download(
        &self,
        url: &str,
        name: &str,
        fixed: Option<()>,
        ctx: &CallCtx,
    ) -> Result<PathBuf> {
        let _permit = self.limit.acquire().await.map_err(|_| Error::Cancelled)?;
        let fut = async {
            let mut pending: Option<reqwest::Response> = None;
            let file_name = if fixed.is_some() || has_known_extension(name) {
                name.to_string()
            } else {
                let ct = match self.head_client.head(url).send().await {
                    Ok(r) if r.status().as_u16() == 200 => content_type(&r),
                    // Not 200 (e.g. an URL that needs the API key, or no HEAD support): the GET's
                    // headers tell the type, and its body is used if the file is missing.
                    _ => {
                        let r = self.transport.get(url, ctx).await?;
                        let ct = content_type(&r);
                        pending = Some(r);
                        ct
                    }
                };
                format!("{name}{}", extension_for(&ct))
            };
            let path = self.dir.join(&file_name);
            if tokio::fs::try_exists(&path).await.unwrap_or(false) {
                return Ok(path); // complete (written under .part, then renamed)
            }
            let part = self.dir.join(format!("{file_name}.part"));
            let first = match pending.take() {
                Some(r) => r,
                None => self.transport.get(url, ctx).await?,
            };
            // One retry when the body breaks off mid-way (the request itself is retried by the
            // transport).
            let r = match stream_to(first, &part).await {
                Ok(()) => Ok(()),
                Err(Error::Network { .. } | Error::Timeout { .. }) => {
                    ctx.events.log(
                        crate::LogLevel::Debug,
                        format!("retrying the download of {}", url_for_humans(url)),
                    );
                    let r = self.transport.get(url, ctx).await?;
                    stream_to(r, &part).await
                }
                Err(e) => Err(e),
            };
            if let Err(e) = r {
                let _ = tokio::fs::remove_file(&part).await;
                return Err(e);
            }
            tokio::fs::rename(&part, &path)
                .await
                .map_err(|e| io_error(&path, "rename into", e))?;
            Ok(path)
        };
        let r = CallOptions::guard(ctx.cancel.as_ref(), ctx.deadline, fut).await;
        if r.is_ok() {
            let n = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            ctx.events.progress("download_media", n, None);
        }
        r
    }
}

fn content_type(r: &reqwest::Response) -> String {
    r.headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

fn body_error(e: &reqwest::Error) -> Error {
    if e.is_timeout() {
        Error::Timeout {
            message: "the download timed out".into(),
            details: json!({}),
        }
    } else {
        Error::Network {
            message: format!(
                "the download broke off: {}",
                crate::config::scrub(&e.to_string(), "")
            ),
            details: json!({}),
        }
    }
}

/// Streams the body of `resp` into `part` (truncated first), chunk by chunk.
async fn stream_to(resp: reqwest::Response, part: &Path) -> Result<()> {
    let mut file = tokio::fs::File::create(part)
        .await
        .map_err(|e| io_error(part, "create", e))?;
    let mut body = resp.bytes_stream();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| body_error(&e))?;
        file.write_all(&chunk)
            .await
            .map_err(|e| io_error(part, "write", e))?;
    }
    file.flush().await.map_err(|e| io_error(part, "write", e))?;
    file.sync_all()
        .await
        .map_err(|e| io_error(part, "write", e))?;
    Ok(())
}

/// The frame URLs of a video's `jsonContent`: a list, or a map ordered by numeric key.
fn frame_urls(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Array(a) => a.iter().map(|x| x.as_str().map(str::to_string)).collect(),
        Value::Object(o) => {
            let mut entries: Vec<(u64, String)> = Vec::with_capacity(o.len());
            for (i, (k, x)) in o.iter().enumerate() {
                entries.push((k.parse().unwrap_or(i as u64), x.as_str()?.to_string()));
            }
            entries.sort_by_key(|e| e.0);
            Some(entries.into_iter().map(|e| e.1).collect())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_and_names() {
        assert_eq!(extension_for("image/png"), ".png");
        assert_eq!(extension_for("image/jpeg; charset=binary"), ".jpg");
        assert_eq!(extension_for("text/plain"), ".txt");
        assert_eq!(extension_for("application/x-unknown-thing"), "");
        assert!(has_known_extension("photo.png"));
        assert!(!has_known_extension("ext-1"));
        assert_eq!(safe_file_stem("../a/b"), "_a_b");
        assert_eq!(safe_file_stem(""), "_");
    }

    #[test]
    fn frames_in_order() {
        let v = json!({"10": "u10", "2": "u2", "1": "u1"});
        assert_eq!(frame_urls(&v).unwrap(), vec!["u1", "u2", "u10"]);
        assert_eq!(frame_urls(&json!(["a", "b"])).unwrap(), vec!["a", "b"]);
        assert!(frame_urls(&json!(3)).is_none());
    }
}
