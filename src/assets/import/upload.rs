//! Uploads of local data to the project's bucket: signed URLs requested in chunks of 30
//! (`createUploadBucketSignedUrls`, sequential like every GraphQL call), then `PUT`s with
//! bounded parallelism (at most [`MAX_CONCURRENT_PUTS`] at a time; files are read only when
//! their PUT starts, so memory stays bounded). A PUT is idempotent and resent by the transport.
//! Each asset's field then receives the full signed URL, as the reference SDK does.

use super::plan::{Planned, Slot, Source};
use crate::assets::mutate::exec::Exec;
use crate::error::{Error, Result};
use bytes::Bytes;
use futures::stream::{self, StreamExt, TryStreamExt};
use serde_json::{json, Value};

/// Signed URLs requested per call (the reference's `MAX_NUMBER_SIGNED_URLS_TO_FETCH`).
pub const SIGNED_URLS_PER_CALL: usize = 30;
/// PUTs in flight at once.
pub const MAX_CONCURRENT_PUTS: usize = 8;

/// Uploads every pending upload of `assets` (a batch) and writes the URLs into the assets.
/// Uploads already done (empty `uploads`) are skipped, so a resent batch does not upload twice.
pub(crate) async fn upload_batch(
    exec: &Exec<'_>,
    project_id: &str,
    assets: &mut [Planned],
) -> Result<()> {
    let mut jobs: Vec<(usize, usize, String)> = Vec::new();
    for (ai, a) in assets.iter().enumerate() {
        for (ui, u) in a.uploads.iter().enumerate() {
            jobs.push((
                ai,
                ui,
                format!("projects/{project_id}/assets/{}/{}", a.id, u.suffix),
            ));
        }
    }
    if jobs.is_empty() {
        return Ok(());
    }
    let mut urls: Vec<String> = Vec::with_capacity(jobs.len());
    for chunk in jobs.chunks(SIGNED_URLS_PER_CALL) {
        let paths: Vec<&str> = chunk.iter().map(|j| j.2.as_str()).collect();
        let answer = exec
            .query(
                super::super::mutate::documents::CREATE_UPLOAD_BUCKET_SIGNED_URLS,
                json!({"filePaths": paths}),
                "createUploadBucketSignedUrls",
                "urls",
            )
            .await?;
        let got: Vec<String> = answer
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|u| u.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        if got.len() != paths.len() {
            return Err(Error::Server {
                message: format!(
                    "createUploadBucketSignedUrls returned {} URLs for {} paths",
                    got.len(),
                    paths.len()
                ),
                details: json!({"operation": "createUploadBucketSignedUrls"}),
            });
        }
        urls.extend(got);
    }
    // PUT everything with bounded parallelism. The futures are collected first: a stream
    // mapping borrowed items through a closure would make the call's future not provably
    // `Send` (so not spawnable), a known limit of the compiler with higher-ranked lifetimes.
    let puts: Vec<_> = jobs
        .iter()
        .zip(urls.iter())
        .map(|((ai, ui, _), url)| {
            let u = &assets[*ai].uploads[*ui];
            let (source, ct) = (u.source.clone(), u.content_type.clone());
            let put_url = url.split("&id=").next().unwrap_or(url).to_string();
            async move {
                let body = match source {
                    Source::Bytes(b) => b,
                    Source::File(p) => Bytes::from(tokio::fs::read(&p).await.map_err(|e| {
                        Error::invalid_arg(
                            "content_array",
                            format!("cannot read {}: {e}", p.display()),
                        )
                    })?),
                };
                exec.t.put_bytes(&put_url, body, &ct, &exec.ctx).await
            }
        })
        .collect();
    stream::iter(puts)
        .buffer_unordered(MAX_CONCURRENT_PUTS)
        .try_collect::<Vec<()>>()
        .await?;
    for ((ai, ui, _), url) in jobs.iter().zip(urls) {
        let a = &mut assets[*ai];
        match a.uploads[*ui].slot {
            Slot::Content => a.content = url,
            Slot::JsonContent => a.json_content = url,
            Slot::Layer(j) => {
                if let Some(layer) = a.multi_layer.as_mut().and_then(|l| l.get_mut(j)) {
                    layer.insert("url".into(), Value::String(url));
                }
            }
            Slot::Frame => {}
        }
    }
    for a in assets.iter_mut() {
        a.uploads.clear();
    }
    Ok(())
}
