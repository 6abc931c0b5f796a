//! Labels whose `jsonResponseUrl` is an http(s) URL: their JSON response is stored behind that
//! URL (large labels). It is downloaded (bounded parallelism) and put in place of
//! `jsonResponse`; `jsonResponseUrl` is kept.
//!
//! Failure is an **error** of the listing, never a silent `{}`: a failed download keeps the
//! transport's status ([`Error::NotFound`] for a 404, [`Error::Timeout`], [`Error::Network`],
//! ...), a body that is not JSON is [`Error::Server`]; the details name `label_id` and the
//! URL without its query string.

use crate::error::{Error, Result};
use crate::transport::{CallCtx, Transport};
use crate::CallOptions;
use futures::{StreamExt, TryStreamExt};
use serde_json::{json, Value};

/// Label JSON files downloaded at once, at most.
pub const PARALLELISM: usize = 8;

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

/// Resolves the `jsonResponseUrl` of every label under `heads` (`labels`, `latestLabel`,
/// `latestLabels`) of every asset of `page`. With `keep_raw` the response is put back as JSON
/// text (like an undecoded `jsonResponse`).
///
/// Errors: see the module documentation; the first failure fails the page.
pub async fn resolve_page(
    transport: &Transport,
    page: &mut [Value],
    heads: &[&str],
    keep_raw: bool,
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
            let v = fetch(transport, &url, ctx)
                .await
                .map_err(|e| with_label(e, &id, &url))?;
            label["jsonResponse"] = if keep_raw { json!(v.to_string()) } else { v };
            Ok::<(), Error>(())
        })
        .collect();
    futures::stream::iter(jobs)
        .buffer_unordered(PARALLELISM)
        .try_collect::<Vec<()>>()
        .await
        .map(|_| ())
}
