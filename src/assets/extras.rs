//! The listing options beyond plain listing, applied to each page by the listing's background
//! task before the page reaches the consumer (so they follow cursor consumption, bounded by
//! the prefetch depth): `ocrMetadata` and label JSON behind `jsonResponseUrl`
//! ([`super::json_response_url`]),
//! `label_output_format="parsed_label"` ([`super::parsed_label`]) and `download_media`
//! ([`super::media`]), in that order.

use super::filters::AssetQuery;
use super::media::MediaDownloader;
use super::parsed_label::Interface;
use crate::client::AsyncClient;
use crate::error::{Error, Result};
use crate::transport::{CallCtx, Transport};
use futures::future::BoxFuture;
use serde_json::Value;
use std::sync::Arc;

/// Work done on each page of a listing after decoding, before delivery. `Send + Sync`: runs on
/// the listing's background task. An error fails the listing (the cursor yields it).
pub trait PagePostProcessor: std::fmt::Debug + Send + Sync {
    /// Processes `page` in place.
    fn process<'a>(
        &'a self,
        page: &'a mut Vec<Value>,
        ctx: &'a CallCtx,
    ) -> BoxFuture<'a, Result<()>>;
}

/// The post-processing of one listing.
#[derive(Debug)]
pub struct Extras {
    transport: Arc<Transport>,
    heads: Vec<&'static str>,
    /// `ocrMetadata` is selected (see `json_response_url::resolve_ocr_page`).
    ocr: bool,
    keep_raw: bool,
    url_errors: super::json_response_url::UrlErrors,
    interface: Option<Interface>,
    media: Option<MediaDownloader>,
}

impl PagePostProcessor for Extras {
    fn process<'a>(
        &'a self,
        page: &'a mut Vec<Value>,
        ctx: &'a CallCtx,
    ) -> BoxFuture<'a, Result<()>> {
        Box::pin(async move {
            if self.ocr {
                super::json_response_url::resolve_ocr_page(
                    &self.transport,
                    page,
                    self.keep_raw,
                    self.media.is_some(),
                    ctx,
                )
                .await?;
            }
            if !self.heads.is_empty() {
                super::json_response_url::resolve_page(
                    &self.transport,
                    page,
                    &self.heads,
                    self.keep_raw,
                    self.url_errors,
                    ctx,
                )
                .await?;
            }
            if let Some(iface) = &self.interface {
                for asset in page.iter_mut() {
                    super::parsed_label::parse_asset(asset, iface)?;
                }
            }
            if let Some(m) = &self.media {
                m.process_page(page, ctx).await?;
            }
            Ok(())
        })
    }
}

/// Checks the extra options without any network call: `label_output_format` is `"dict"` or
/// `"parsed_label"`; `local_media_dir` is not empty; `download_media_errors` is `"raise"` or
/// `"report"` (checked even without `download_media`, where it is then ignored);
/// `json_response_url_errors` is `"raise"` or `"empty"` (likewise without label JSON); with
/// `download_media` and explicit `fields`, `externalId` and (except on the label path, which
/// adds it) `content` are selected. The Python SDK checks this on the first page only
/// (docs/FIDELITY.md).
///
/// Errors: [`Error::InvalidArgument`] naming the argument.
pub fn validate_options(q: &AssetQuery) -> Result<()> {
    match q.label_output_format.as_deref() {
        None | Some("dict") | Some("parsed_label") => {}
        Some(other) => {
            return Err(Error::invalid_arg(
                "label_output_format",
                format!("expected \"dict\" or \"parsed_label\", got \"{other}\""),
            ))
        }
    }
    if let Some(d) = &q.local_media_dir {
        if d.trim().is_empty() {
            return Err(Error::invalid_arg(
                "local_media_dir",
                "expected a directory path, got an empty string",
            ));
        }
    }
    super::media::MediaErrors::parse(q.download_media_errors.as_deref())?;
    super::json_response_url::UrlErrors::parse(q.json_response_url_errors.as_deref())?;
    if q.download_media {
        if let Some(fields) = &q.fields {
            // On the label path (a `*.jsonResponse` field) `content` is added to the selection
            // anyway, as the SDK does, so only `externalId` must be asked for.
            let label_path = fields.iter().any(|f| {
                super::fields::LABEL_HEADS
                    .iter()
                    .any(|h| f.strip_prefix(h) == Some(".jsonResponse"))
            });
            for needed in ["content", "externalId"] {
                if needed == "content" && label_path {
                    continue;
                }
                if !fields.iter().any(|f| f == needed) {
                    return Err(Error::invalid_arg(
                        "fields",
                        format!("download_media=true needs the '{needed}' field (media are saved as <externalId>.<extension>)"),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Whether `download_media` adds `jsonContent` to the selection, first (the Python SDK's
/// `get_download_assets_function`): on a `TEXT` or `VIDEO` project when the fields (the given
/// ones, or the defaults, which never hold it) do not already select `jsonContent`. The key is
/// then removed again from the assets of a page where it is empty on every asset, or kept with
/// a warning event (see [`super::media`]).
pub fn media_adds_json_content(q: &AssetQuery, input_type: &str) -> bool {
    q.download_media
        && matches!(input_type, "TEXT" | "VIDEO")
        && !q
            .fields
            .as_ref()
            .is_some_and(|f| f.iter().any(|x| x == "jsonContent"))
}

/// Decides the post-processing of a listing: looks up what the options need on the project
/// (`jsonInterface`, `dataConnections`), before the count. `None` when nothing is to be done.
///
/// Errors: [`Error::InvalidArgument`] (`download_media` on a project whose assets come from a
/// cloud data connection; an unusable `local_media_dir`), [`Error::Server`] (a `jsonInterface`
/// that is not an object with `jobs`), transport errors of the lookup.
pub async fn prepare(
    client: &AsyncClient,
    query: &AssetQuery,
    heads: &[&'static str],
    ocr: bool,
    input_type: &str,
    ctx: &CallCtx,
) -> Result<Option<Arc<dyn PagePostProcessor>>> {
    let parsed = query.label_output_format.as_deref() == Some("parsed_label");
    if heads.is_empty() && !ocr && !parsed && !query.download_media {
        return Ok(None);
    }
    let project_id = &query.filters.project_id;
    let interface = if parsed {
        let p = client
            .project_info(project_id, "jsonInterface inputType", ctx)
            .await?;
        let it = p
            .get("inputType")
            .and_then(Value::as_str)
            .unwrap_or(input_type);
        Some(Interface::new(
            p.get("jsonInterface").unwrap_or(&Value::Null),
            it,
        )?)
    } else {
        None
    };
    let media = if query.download_media {
        let p = client
            .project_info(project_id, "dataConnections { id } inputType", ctx)
            .await?;
        if p.get("dataConnections")
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
        {
            return Err(Error::invalid_arg(
                "download_media",
                format!("project {project_id} reads its assets from a cloud data connection: their media cannot be downloaded"),
            ));
        }
        let it = p
            .get("inputType")
            .and_then(Value::as_str)
            .unwrap_or(input_type);
        let dir = match &query.local_media_dir {
            Some(d) => std::path::PathBuf::from(d),
            None => super::media::default_dir(project_id),
        };
        Some(
            MediaDownloader::new(
                client.transport_arc(),
                client.options(),
                dir,
                it,
                super::media::DEFAULT_PARALLELISM,
            )?
            .with_errors(super::media::MediaErrors::parse(
                query.download_media_errors.as_deref(),
            )?)
            .with_json_content_added(media_adds_json_content(query, it)),
        )
    } else {
        None
    };
    Ok(Some(Arc::new(Extras {
        transport: client.transport_arc(),
        heads: heads.to_vec(),
        ocr,
        keep_raw: client.options().keep_json_raw,
        url_errors: super::json_response_url::UrlErrors::parse(
            query.json_response_url_errors.as_deref(),
        )?,
        interface,
        media,
    })))
}
