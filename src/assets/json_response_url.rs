//! Labels whose `jsonResponseUrl` is an http(s) URL: their JSON response is stored behind that
//! URL (large labels). It is downloaded (bounded parallelism) and put in place of
//! `jsonResponse`, and the `jsonResponseUrl` key is removed from the label, as the Python SDK
//! does. A `jsonResponseUrl` that is not an http(s) URL (e.g. `null`) is left in the label.
//!
//! Failure (argument `json_response_url_errors`, see [`UrlErrors`]):
//!
//! * `"raise"` (the default) makes it an **error** of the listing, never a silent `{}`: a
//!   failed download keeps the transport's status ([`Error::NotFound`] for a 404,
//!   [`Error::Timeout`], [`Error::Network`], ...), a body that is not JSON is
//!   [`Error::Server`]; the details name `label_id` and the URL without its query string;
//! * `"empty"` is the Python SDK's behaviour: the label gets `jsonResponse: {}` and loses its
//!   `jsonResponseUrl` key, and the listing goes on. kili-native also reports a warning event
//!   naming the label. Cancellation and the call's own timeout still end the listing.

use crate::error::{Error, Result};
use crate::events::WarningKind;
use crate::transport::{CallCtx, Transport};
use crate::CallOptions;
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};

/// Label JSON files downloaded at once, at most.
pub const PARALLELISM: usize = 8;

/// What a failed `jsonResponseUrl` download does: the `json_response_url_errors` argument of
/// `assets()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UrlErrors {
    /// The listing fails with the download's error (default).
    #[default]
    Raise,
    /// The Python SDK's behaviour: `jsonResponse` becomes `{}`, `jsonResponseUrl` is removed.
    Empty,
}

impl UrlErrors {
    /// The accepted values of `json_response_url_errors`.
    pub const VALUES: [&'static str; 2] = ["raise", "empty"];

    /// Reads `json_response_url_errors` (`None` = `"raise"`).
    ///
    /// Errors: [`Error::InvalidArgument`] naming `json_response_url_errors` and the accepted
    /// values.
    pub fn parse(v: Option<&str>) -> Result<Self> {
        match v {
            None | Some("raise") => Ok(UrlErrors::Raise),
            Some("empty") => Ok(UrlErrors::Empty),
            Some(other) => Err(Error::invalid_arg(
                "json_response_url_errors",
                format!("expected \"raise\" or \"empty\", got \"{other}\""),
            )),
        }
    }
}

fn url_of(label: &Value) -> Option<String> {
    label
        .get("jsonResponseUrl")
        .and_then(Value::as_str)
        .filter(|s| s.starts_with("http://") || s.starts_with("https://"))
        .map(str::to_string)
}

fn with_label(e: Error, label_id: &str, url: &str) -> Error {
    let plain = url.split('?').next().unwrap_or(url);
    e.with_context(
        |m| format!("downloading the jsonResponse of label '{label_id}' ({plain}): {m}"),
        |d| {
            d.insert("label_id".into(), json!(label_id));
            d.insert("url".into(), json!(plain));
        },
    )
}

async fn fetch(transport: &Transport, url: &str, ctx: &CallCtx) -> Result<Value> {
    let fut = async {
        let resp = transport.get(url, ctx).await?;
        let bytes = resp.bytes().await.map_err(|e| {
            if e.is_timeout() {
                Error::Timeout {
                    message: "the download timed out".into(),
                    details: json!({}),
                }
            } else {
                Error::Network {
                    message: "the download broke off".into(),
                    details: json!({}),
                }
            }
        })?;
        serde_json::from_slice::<Value>(&bytes).map_err(|e| Error::Server {
            message: format!("the file is not JSON: {e}"),
            details: json!({}),
        })
    };
    CallOptions::guard(ctx.cancel.as_ref(), ctx.deadline, fut).await
}

/// Whether a failure ends the listing whatever `json_response_url_errors` says: the call was
/// cancelled or its own deadline passed.
fn ends_the_call(e: &Error, ctx: &CallCtx) -> bool {
    matches!(e, Error::Cancelled)
        || ctx.cancel.as_ref().is_some_and(|c| c.is_cancelled())
        || ctx.deadline.is_some_and(|d| std::time::Instant::now() >= d)
}

/// Resolves the `jsonResponseUrl` of every label under `heads` (`labels`, `latestLabel`,
/// `latestLabels`) of every asset of `page`. With `keep_raw` the response is put back as JSON
/// text (like an undecoded `jsonResponse`).
///
/// Errors: see the module documentation; with [`UrlErrors::Raise`] the first failure fails
/// the page.
pub async fn resolve_page(
    transport: &Transport,
    page: &mut [Value],
    heads: &[&str],
    keep_raw: bool,
    errors: UrlErrors,
    ctx: &CallCtx,
) -> Result<()> {
    let mut labels: Vec<&mut Value> = Vec::new();
    for asset in page.iter_mut() {
        let Some(obj) = asset.as_object_mut() else {
            continue;
        };
        for (k, v) in obj.iter_mut() {
            if !heads.contains(&k.as_str()) {
                continue;
            }
            match v {
                Value::Array(ls) => labels.extend(ls.iter_mut().filter(|l| url_of(l).is_some())),
                l @ Value::Object(_) if url_of(l).is_some() => labels.push(l),
                _ => {}
            }
        }
    }
    if labels.is_empty() {
        return Ok(());
    }
    // Collected first: a stream holding the closure trips the higher-ranked lifetime check.
    let jobs: Vec<_> = labels
        .into_iter()
        .map(|label| async move {
            let url = url_of(label).unwrap_or_default();
            let id = label
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let v = match fetch(transport, &url, ctx).await {
                Ok(v) => v,
                Err(e) if errors == UrlErrors::Empty && !ends_the_call(&e, ctx) => {
                    let e = with_label(e, &id, &url);
                    ctx.events.warn(
                        WarningKind::Other,
                        ctx.method,
                        format!(
                            "{e}; jsonResponse set to {{}} (json_response_url_errors=\"empty\")"
                        ),
                    );
                    json!({})
                }
                Err(e) => return Err(with_label(e, &id, &url)),
            };
            label["jsonResponse"] = if keep_raw { json!(v.to_string()) } else { v };
            if let Some(obj) = label.as_object_mut() {
                obj.shift_remove("jsonResponseUrl");
            }
            Ok::<(), Error>(())
        })
        .collect();
    futures::stream::iter(jobs)
        .buffer_unordered(PARALLELISM)
        .try_collect::<Vec<()>>()
        .await
        .map(|_| ())
}

/// `ocrMetadata` in the fields, as the Python SDK loads it whenever it is selected (not only
/// with `download_media`): a `null` (or missing) value is left alone; an http(s) URL
/// (case-insensitive scheme) is downloaded and its JSON put in its place, unless
/// `urls_left_to_media` (then `download_media` fetches it, under `download_media_errors`);
/// any other value (an empty string, JSON text, ...) becomes `{}`, as in the SDK. With
/// `keep_raw` the downloaded JSON is put back as text and non-URL values are left as they are.
///
/// Errors: a failed download or a body that is not JSON (the SDK raises too), with the asset
/// id and the URL without its query string in the details.
pub async fn resolve_ocr_page(
    transport: &Transport,
    page: &mut [Value],
    keep_raw: bool,
    urls_left_to_media: bool,
    ctx: &CallCtx,
) -> Result<()> {
    let is_url = |s: &str| {
        let l = s.get(..8).unwrap_or(s).to_ascii_lowercase();
        l.starts_with("http://") || l.starts_with("https://")
    };
    let mut jobs = Vec::new();
    for asset in page.iter_mut() {
        let id = asset
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let Some(v) = asset.get_mut("ocrMetadata") else {
            continue;
        };
        match v {
            Value::Null => {}
            Value::String(s) if is_url(s) => {
                if !urls_left_to_media {
                    let url = s.clone();
                    jobs.push(async move {
                        let got = fetch(transport, &url, ctx).await.map_err(|e| {
                            let plain = url.split('?').next().unwrap_or(&url).to_string();
                            e.with_context(
                                |m| format!("downloading the ocrMetadata of asset '{id}' ({plain}): {m}"),
                                |d| {
                                    d.insert("asset_id".into(), json!(id));
                                    d.insert("url".into(), json!(plain));
                                },
                            )
                        })?;
                        *v = if keep_raw { json!(got.to_string()) } else { got };
                        Ok::<(), Error>(())
                    });
                }
            }
            _ if keep_raw => {}
            other => *other = json!({}),
        }
    }
    if jobs.is_empty() {
        return Ok(());
    }
    futures::stream::iter(jobs)
        .buffer_unordered(PARALLELISM)
        .try_collect::<Vec<()>>()
        .await
        .map(|_| ())
}
