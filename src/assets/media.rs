//! `download_media` / `local_media_dir` (kili-wire-query.md §4.8): the media of each listed
//! asset is saved to a local directory and `content` (and, per input type, `jsonContent`) is
//! rewritten to the local path.
//!
//! Per URL: `HEAD` (no API key; a non-200 answer falls back to the authenticated `GET`, whose
//! headers are then used), extension from the `Content-Type`, file name `externalId` + that
//! extension (unless `externalId` already ends in a known extension). An existing file of that
//! name is complete (downloads are written to `<name>.part` and renamed at the end), so it is
//! not fetched again. Bodies are streamed to disk chunk by chunk, never held whole in memory.
//!
//! Resuming: a `<name>.part` left by an interrupted earlier listing is continued, not restarted:
//! the `GET` asks for `Range: bytes=<len>-` (with `Accept-Encoding: identity`, so that offsets
//! are those of the stored bytes). `206 Partial Content` whose `Content-Range` starts at
//! `<len>` is appended (and the final size checked against the range's total when given);
//! `200` (a server that ignores ranges) truncates and rewrites; `416` or a `206` for another
//! offset restarts from byte 0 with a plain `GET`. Both requests go through the transport
//! (its retries, its error classes, the API key only for the endpoint's own URLs). The `.part` is assumed to be a prefix of the same
//! file (it was written by this downloader; no validator is kept). When a body breaks off
//! mid-way, the one retry resumes the same way from what was written; a `.part` interrupted by
//! a network error or timeout is kept for the next listing, other failures remove it.
//!
//! `jsonContent` URLs by input type, as the Python SDK's `MediaDownloader`: `TEXT` downloaded
//! like `content` (file stem `<externalId>_jsonContent` when `content` is a URL too); `VIDEO`
//! fetched as a JSON list or map of frame URLs, each frame saved as `<externalId>_<i>.jpg` (i
//! from 1, zero-padded), `jsonContent` becomes the list of paths and `content` is left alone;
//! `IMAGE` fetched as JSON in place of `jsonContent`, then `content` downloaded; `GEOSPATIAL`:
//! neither `jsonContent` nor `content` is downloaded (both keep their URLs); any other input
//! type (`VIDEO_LEGACY` included) is refused, as the SDK's `NotImplementedError`. `ocrMetadata`
//! URLs are fetched as JSON.
//!
//! `jsonContent` added by `download_media` (`TEXT` / `VIDEO` projects whose fields do not
//! select it, see [`super::extras::media_adds_json_content`]): after the downloads of a page,
//! the key is removed from every asset of the page when it is empty (`null`, `""`, `[]`, `{}`)
//! on all of them; otherwise it is kept and the SDK's warning "Non empty jsonContent found in
//! assets. Field was automatically added." is raised once per listing (a warning event of kind
//! `Other`; Python shows that warning once too). The SDK decides per batch of 100 assets; a page
//! is 100 assets on the plain path with the default `page_size` (docs/FIDELITY.md).
//!
//! Failures (`download_media_errors`, see [`MediaErrors`]):
//! - `"raise"` (default): a failed download is an **error** of the listing (the cursor yields
//!   it and stops): [`crate::Error::NotFound`] for a 404, [`crate::Error::Timeout`],
//!   [`crate::Error::Network`], [`crate::Error::Server`], [`crate::Error::Auth`], each with
//!   details naming the asset (`asset_id`, `external_id`) and the URL without its query string.
//! - `"report"`: the asset is still delivered. Every field whose download failed keeps its URL
//!   and the asset gets the key `"downloadErrors"` (present only when something failed): a list
//!   of `{"field": "content" | "jsonContent" | "ocrMetadata", "url": <the URL that failed,
//!   without its query string; for a video, the failing frame's URL>, "code": <status name,
//!   e.g. "NOT_FOUND", "TIMEOUT", "NETWORK", "SERVER", "AUTH">, "message": <text>}`. Each
//!   failure is also a warning event (`WarningKind::Other`, message starting with
//!   `download_media:`).
//!
//! In both modes, failures that are not about one file still fail the listing: I/O errors on
//! the local directory ([`crate::Error::InvalidArgument`] naming `local_media_dir`), a
//! `jsonContent` URL on an input type that cannot be downloaded, cancellation, and the call's
//! own deadline. Nothing is swallowed.
//!
//! Parallelism: at most [`MediaDownloader::parallelism`] files in flight per listing (one
//! semaphore shared by the assets of a page and the frames of a video). Each file saved (or
//! found complete) is reported as a `download_media` progress event (no total).

use crate::error::{Error, Result};
use crate::transport::{CallCtx, Transport};
use crate::{CallOptions, WarningKind};
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;

/// Default number of files downloaded at once.
pub const DEFAULT_PARALLELISM: usize = 8;

/// What a failed download does: the `download_media_errors` argument of `assets()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MediaErrors {
    /// `"raise"` (default): the listing fails with the download's error.
    #[default]
    Raise,
    /// `"report"`: the asset is delivered with its URL kept and a `downloadErrors` entry.
    Report,
}

impl MediaErrors {
    /// The accepted values of `download_media_errors`.
    pub const ACCEPTED: &'static [&'static str] = &["raise", "report"];

    /// Reads `download_media_errors` (`None` = `"raise"`).
    ///
    /// Errors: [`Error::InvalidArgument`] naming `download_media_errors` and the accepted
    /// values.
    pub fn parse(value: Option<&str>) -> Result<Self> {
        match value {
            None | Some("raise") => Ok(MediaErrors::Raise),
            Some("report") => Ok(MediaErrors::Report),
            Some(other) => Err(Error::invalid_arg(
                "download_media_errors",
                format!("expected \"raise\" or \"report\", got \"{other}\""),
            )),
        }
    }
}

/// Downloads the media of the assets of one listing. Shared by the listing's background task
/// (`Send + Sync`); holds no open files between calls.
#[derive(Debug)]
pub struct MediaDownloader {
    transport: Arc<Transport>,
    /// Unauthenticated `HEAD`s.
    plain_client: reqwest::Client,
    errors: MediaErrors,
    dir: PathBuf,
    input_type: String,
    limit: Arc<Semaphore>,
    parallelism: usize,
    /// Files saved or found complete so far (reported as `download_media` progress).
    done: std::sync::atomic::AtomicU64,
    /// `jsonContent` was added to the selection by `download_media` (removed from a page where
    /// it is empty everywhere).
    json_content_added: bool,
    /// The "Non empty jsonContent" warning was raised for this listing.
    warned: std::sync::atomic::AtomicBool,
}

/// The SDK's warning when a `jsonContent` it added is not empty.
pub const JSON_CONTENT_ADDED_WARNING: &str =
    "Non empty jsonContent found in assets. Field was automatically added.";

/// Python's truthiness of a JSON value (`bool(asset["jsonContent"])`).
fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
    }
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
    let shown = url_for_humans(url);
    e.with_context(
        |m| format!("downloading the media of asset '{external_id}' ({shown}): {m}"),
        |d| {
            d.insert("asset_id".into(), json!(asset_id));
            d.insert("external_id".into(), json!(external_id));
            d.insert("url".into(), json!(shown));
        },
    )
}

/// Whether a download error is about that one file, so that "report" mode may record it,
/// rather than about the whole call (cancellation, the call's deadline, the local directory,
/// a refused input type, internal errors).
fn is_per_file(e: &Error, ctx: &CallCtx) -> bool {
    let call_over = ctx.cancel.as_ref().is_some_and(|c| c.is_cancelled())
        || ctx.deadline.is_some_and(|d| std::time::Instant::now() >= d);
    !call_over
        && matches!(
            e,
            Error::NotFound { .. }
                | Error::Timeout { .. }
                | Error::Network { .. }
                | Error::Server { .. }
                | Error::Auth { .. }
                | Error::RateLimited { .. }
                | Error::Graphql { .. }
        )
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
        let plain_client = crate::transport::http::build_client(opts, opts.resolved_verify_tls())?;
        let parallelism = parallelism.max(1);
        Ok(MediaDownloader {
            transport,
            plain_client,
            errors: MediaErrors::Raise,
            dir,
            input_type: input_type.to_string(),
            limit: Arc::new(Semaphore::new(parallelism)),
            parallelism,
            done: std::sync::atomic::AtomicU64::new(0),
            json_content_added: false,
            warned: std::sync::atomic::AtomicBool::new(false),
        })
    }

    /// The same downloader with failure mode `errors` (`download_media_errors`).
    pub fn with_errors(mut self, errors: MediaErrors) -> Self {
        self.errors = errors;
        self
    }

    /// The same downloader, told whether `jsonContent` was added to the selection by
    /// `download_media` (see the module documentation).
    pub fn with_json_content_added(mut self, added: bool) -> Self {
        self.json_content_added = added;
        self
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
    /// fields. On error the page is not delivered (the listing fails); with
    /// [`MediaErrors::Report`] per-file failures are recorded in the asset instead.
    pub async fn process_page(&self, page: &mut [Value], ctx: &CallCtx) -> Result<()> {
        // Collected first: a stream holding the closure trips the higher-ranked lifetime check.
        let jobs: Vec<_> = page
            .iter_mut()
            .map(|a| self.process_asset(a, ctx))
            .collect();
        futures::stream::iter(jobs)
            .buffer_unordered(self.parallelism)
            .try_collect::<Vec<()>>()
            .await?;
        if self.json_content_added && !page.is_empty() {
            if page.iter().any(|a| truthy(a.get("jsonContent"))) {
                if !self.warned.swap(true, std::sync::atomic::Ordering::Relaxed) {
                    ctx.events
                        .warn(WarningKind::Other, ctx.method, JSON_CONTENT_ADDED_WARNING);
                }
            } else {
                for a in page.iter_mut() {
                    if let Some(o) = a.as_object_mut() {
                        // shift: the other keys keep their order
                        o.shift_remove("jsonContent");
                    }
                }
            }
        }
        Ok(())
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
        // Per-file failures kept in "report" mode; anything else returns at once.
        let mut failures: Vec<Value> = Vec::new();
        let mut fail = |field: &str, url: &str, err: Error| -> Result<()> {
            self.record_failure(&mut failures, field, url, err, ctx)
        };

        if let Some(url) = is_http(obj.get("ocrMetadata")).map(str::to_string) {
            match self.fetch_json(&url, ctx).await.map_err(ann(&url)) {
                Ok(v) => {
                    obj.insert("ocrMetadata".into(), v);
                }
                Err(e) => fail("ocrMetadata", &url, e)?,
            }
        }
        let mut content_url = is_http(obj.get("content")).map(str::to_string);
        if let Some(url) = is_http(obj.get("jsonContent")).map(str::to_string) {
            match self.input_type.as_str() {
                "TEXT" => {
                    let s = if content_url.is_some() { format!("{stem}_jsonContent") } else { stem.clone() };
                    match self.download(&url, &s, None, ctx).await.map_err(ann(&url)) {
                        Ok(p) => {
                            obj.insert("jsonContent".into(), json!(p.to_string_lossy()));
                        }
                        Err(e) => fail("jsonContent", &url, e)?,
                    }
                }
                "VIDEO" => {
                    // The frames are the media of a frame-split video: `content` is left alone.
                    content_url = None;
                    match self.download_frames(&url, &stem, ctx, &ann).await {
                        Ok(paths) => {
                            obj.insert("jsonContent".into(), json!(paths.iter().map(|p| p.to_string_lossy()).collect::<Vec<_>>()));
                        }
                        Err((u, e)) => fail("jsonContent", &u, e)?,
                    }
                }
                "IMAGE" => match self.fetch_json(&url, ctx).await.map_err(ann(&url)) {
                    Ok(v) => {
                        obj.insert("jsonContent".into(), v);
                    }
                    Err(e) => fail("jsonContent", &url, e)?,
                },
                // As the SDK: "no need for jsonContent nor content".
                "GEOSPATIAL" => content_url = None,
                other => {
                    return Err(Error::invalid_arg(
                        "download_media",
                        format!("jsonContent download for type {other} not implemented yet: jsonContent URLs of {other} projects cannot be downloaded (asset '{external_id}')"),
                    ))
                }
            }
        }
        if let Some(url) = content_url {
            match self
                .download(&url, &stem, None, ctx)
                .await
                .map_err(ann(&url))
            {
                Ok(p) => {
                    obj.insert("content".into(), json!(p.to_string_lossy()));
                }
                Err(e) => fail("content", &url, e)?,
            }
        }
        if !failures.is_empty() {
            obj.insert("downloadErrors".into(), Value::Array(failures));
        }
        Ok(())
    }

    /// Fetches a video's frame list and downloads every frame; on failure, the URL that failed
    /// (the list's or a frame's) with its annotated error.
    async fn download_frames<F>(
        &self,
        url: &str,
        stem: &str,
        ctx: &CallCtx,
        ann: &impl Fn(&str) -> F,
    ) -> std::result::Result<Vec<PathBuf>, (String, Error)>
    where
        F: FnOnce(Error) -> Error,
    {
        let frames = self
            .fetch_json(url, ctx)
            .await
            .map_err(|e| (url.to_string(), ann(url)(e)))?;
        let urls = frame_urls(&frames).ok_or_else(|| {
            let e = Error::Server {
                message: "the video's jsonContent is not a list or map of frame URLs".into(),
                details: json!({}),
            };
            (url.to_string(), ann(url)(e))
        })?;
        let width = urls.len().to_string().len();
        futures::stream::iter(urls.into_iter().enumerate().map(|(i, u)| {
            let name = format!("{stem}_{:0width$}.jpg", i + 1);
            let ann = ann(&u);
            async move {
                match self.download(&u, &name, Some(()), ctx).await {
                    Ok(p) => Ok(p),
                    Err(e) => Err((u, ann(e))),
                }
            }
        }))
        .buffered(self.parallelism)
        .try_collect::<Vec<PathBuf>>()
        .await
    }

    /// Decides what a failed download of `field` does: returned as the listing's error in
    /// "raise" mode and for failures that are not about this file (cancellation, the call's
    /// deadline, the local directory, ...); otherwise recorded in `failures` and reported as
    /// a warning event.
    fn record_failure(
        &self,
        failures: &mut Vec<Value>,
        field: &str,
        url: &str,
        err: Error,
        ctx: &CallCtx,
    ) -> Result<()> {
        if self.errors == MediaErrors::Raise || !is_per_file(&err, ctx) {
            return Err(err);
        }
        let shown = url_for_humans(url);
        // Foreign error texts may quote the full URL, query string (signature) included.
        let message = err.to_string().replace(url, shown);
        let code = err.status().name();
        ctx.events.warn(
            WarningKind::Other,
            ctx.method,
            format!("download_media: {field} not downloaded ({code}): {message}"),
        );
        failures.push(json!({"field": field, "url": shown, "code": code, "message": message}));
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
                let ct = match self.plain_client.head(url).send().await {
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
            let have = part_len(&part).await;
            let first = match pending.take() {
                // A whole body already on its way is used unless there is a .part to continue.
                Some(r) if have == 0 => Fetched::whole(r),
                _ => self.open_from(url, have, ctx).await?,
            };
            // One retry when the body breaks off mid-way (the request itself is retried by the
            // transport), continuing from what was written.
            let r = match stream_to(first, &part).await {
                Ok(()) => Ok(()),
                Err(Error::Network { .. } | Error::Timeout { .. }) => {
                    let have = part_len(&part).await;
                    ctx.events.log(
                        crate::LogLevel::Debug,
                        format!(
                            "retrying the download of {} from byte {have}",
                            url_for_humans(url)
                        ),
                    );
                    match self.open_from(url, have, ctx).await {
                        Ok(f) => stream_to(f, &part).await,
                        Err(e) => Err(e),
                    }
                }
                Err(e) => Err(e),
            };
            if let Err(e) = r {
                // An interrupted transfer is kept for the next listing to continue; anything
                // else (gone, refused, inconsistent) must not be resumed.
                if !matches!(e, Error::Network { .. } | Error::Timeout { .. }) {
                    let _ = tokio::fs::remove_file(&part).await;
                }
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

    /// A response for `url` from byte `offset` on: a ranged `GET` when `offset > 0` (see the
    /// module documentation for how each answer is used), else the transport's plain `GET`.
    async fn open_from(&self, url: &str, offset: u64, ctx: &CallCtx) -> Result<Fetched> {
        if offset == 0 {
            return Ok(Fetched::whole(self.transport.get(url, ctx).await?));
        }
        let why = match self.transport.get_from(url, offset, ctx).await {
            Ok(r) if r.status().as_u16() == 206 => {
                match parse_content_range(r.headers().get(reqwest::header::CONTENT_RANGE)) {
                    Some((start, total)) if start == offset => {
                        return Ok(Fetched {
                            resp: r,
                            append: true,
                            total,
                        })
                    }
                    _ => "a partial answer for another range".to_string(),
                }
            }
            Ok(r) if r.status().as_u16() == 200 => return Ok(Fetched::whole(r)),
            Ok(r) => format!("HTTP {}", r.status().as_u16()),
            // 416: the `.part` is longer than the file (it changed): start again.
            Err(e) if e.details()["http_status"] == 416 => "HTTP 416".to_string(),
            Err(e) => return Err(e),
        };
        ctx.events.log(
            crate::LogLevel::Debug,
            format!(
                "cannot resume {} at byte {offset} ({why}): downloading it again",
                url_for_humans(url)
            ),
        );
        Ok(Fetched::whole(self.transport.get(url, ctx).await?))
    }
}

/// An answer to stream into a `.part`: appended to it (a `206` for its length) or replacing it.
struct Fetched {
    resp: reqwest::Response,
    append: bool,
    /// The full size announced by `Content-Range`, checked once the `.part` is complete.
    total: Option<u64>,
}

impl Fetched {
    fn whole(resp: reqwest::Response) -> Self {
        Fetched {
            resp,
            append: false,
            total: None,
        }
    }
}

/// `(start, total)` of a `Content-Range: bytes start-end/total` (total `None` for `*`).
fn parse_content_range(v: Option<&reqwest::header::HeaderValue>) -> Option<(u64, Option<u64>)> {
    let s = v?.to_str().ok()?.trim().strip_prefix("bytes ")?;
    let (range, total) = s.split_once('/')?;
    let (start, end) = range.split_once('-')?;
    let (start, end): (u64, u64) = (start.trim().parse().ok()?, end.trim().parse().ok()?);
    if end < start {
        return None;
    }
    let total = match total.trim() {
        "*" => None,
        t => Some(t.parse::<u64>().ok().filter(|t| *t > end)?),
    };
    Some((start, total))
}

/// The length of a `.part` file, 0 when there is none.
async fn part_len(part: &Path) -> u64 {
    tokio::fs::metadata(part)
        .await
        .map(|m| m.len())
        .unwrap_or(0)
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

/// Streams the body of `f` into `part` (appended, or truncated first), chunk by chunk. What
/// was received is flushed even when the body breaks off, so that a retry can continue it.
async fn stream_to(f: Fetched, part: &Path) -> Result<()> {
    let mut file = if f.append {
        tokio::fs::OpenOptions::new()
            .append(true)
            .open(part)
            .await
            .map_err(|e| io_error(part, "open", e))?
    } else {
        tokio::fs::File::create(part)
            .await
            .map_err(|e| io_error(part, "create", e))?
    };
    let mut body = f.resp.bytes_stream();
    let mut broke = None;
    while let Some(chunk) = body.next().await {
        match chunk {
            Ok(chunk) => file
                .write_all(&chunk)
                .await
                .map_err(|e| io_error(part, "write", e))?,
            Err(e) => {
                broke = Some(body_error(&e));
                break;
            }
        }
    }
    file.flush().await.map_err(|e| io_error(part, "write", e))?;
    file.sync_all()
        .await
        .map_err(|e| io_error(part, "write", e))?;
    if let Some(e) = broke {
        return Err(e);
    }
    if let Some(total) = f.total {
        let len = part_len(part).await;
        if len != total {
            return Err(Error::Server {
                message: format!(
                    "the resumed download has {len} bytes, the server announced {total}"
                ),
                details: json!({}),
            });
        }
    }
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
    fn content_ranges_and_error_modes() {
        let h = |s: &str| reqwest::header::HeaderValue::from_str(s).unwrap();
        assert_eq!(
            parse_content_range(Some(&h("bytes 10-99/100"))),
            Some((10, Some(100)))
        );
        assert_eq!(
            parse_content_range(Some(&h("bytes 10-99/*"))),
            Some((10, None))
        );
        assert_eq!(parse_content_range(Some(&h("bytes 10-99/50"))), None);
        assert_eq!(parse_content_range(Some(&h("bytes */100"))), None);
        assert_eq!(parse_content_range(Some(&h("items 1-2/3"))), None);
        assert_eq!(parse_content_range(None), None);
        assert_eq!(MediaErrors::parse(None).unwrap(), MediaErrors::Raise);
        assert_eq!(
            MediaErrors::parse(Some("raise")).unwrap(),
            MediaErrors::Raise
        );
        assert_eq!(
            MediaErrors::parse(Some("report")).unwrap(),
            MediaErrors::Report
        );
        let e = MediaErrors::parse(Some("ignore")).unwrap_err();
        assert_eq!(e.status(), crate::Status::InvalidArgument);
        let t = e.to_string();
        assert!(
            t.contains("download_media_errors")
                && t.contains("\"raise\"")
                && t.contains("\"report\""),
            "{t}"
        );
    }

    #[test]
    fn python_truthiness() {
        for v in [
            json!(null),
            json!(""),
            json!([]),
            json!({}),
            json!(0),
            json!(false),
        ] {
            assert!(!truthy(Some(&v)), "{v}");
        }
        assert!(!truthy(None));
        for v in [
            json!("x"),
            json!([1]),
            json!({"a": 1}),
            json!(2),
            json!(true),
        ] {
            assert!(truthy(Some(&v)), "{v}");
        }
    }

    #[test]
    fn frames_in_order() {
        let v = json!({"10": "u10", "2": "u2", "1": "u1"});
        assert_eq!(frame_urls(&v).unwrap(), vec!["u1", "u2", "u10"]);
        assert_eq!(frame_urls(&json!(["a", "b"])).unwrap(), vec!["a", "b"]);
        assert!(frame_urls(&json!(3)).is_none());
    }
}
