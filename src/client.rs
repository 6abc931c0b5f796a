//! The clients: [`AsyncClient`] (the async core) and [`Client`] (a blocking facade over the
//! process-global runtime of [`crate::runtime`]).
//!
//! Both are cheap to clone (an `Arc` inside), `Send + Sync`, and may be used from many
//! threads at once; they share one transport (connection pool, rate limiter).

use crate::assets::fields::{default_fields, Selection};
use crate::assets::filters::{AssetFilters, AssetQuery};
use crate::assets::query::{self, AssetStream, ListPlan};
use crate::call::CallOptions;
use crate::config::ClientOptions;
use crate::error::{Error, Result};
use crate::events::{EventSink, WarningKind};
use crate::runtime::Driver;
use crate::transport::{CallCtx, OpKind, Operation, Transport};
use serde_json::{json, Value};
use std::sync::Arc;

/// Fields of the `projects` lookup done by `assets()` (one lookup instead of the official
/// SDK's two: steps/workflow version, and input type).
pub const PROJECT_LOOKUP_FIELDS: &str = "id steps { id name } workflowVersion inputType";

struct Inner {
    options: ClientOptions,
    transport: Arc<Transport>,
    events: EventSink,
}

/// The async client. See the module documentation.
#[derive(Clone)]
pub struct AsyncClient {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for AsyncClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncClient")
            .field("transport", &self.inner.transport)
            .finish()
    }
}

impl AsyncClient {
    /// Builds a client: resolves the API key and endpoint (options, then `KILI_API_KEY` /
    /// `KILI_API_ENDPOINT`), checks them and prepares the HTTP client. No network call.
    ///
    /// Errors: [`Error::Auth`] without a key; [`Error::InvalidArgument`] for bad options.
    pub fn new(opts: ClientOptions) -> Result<Self> {
        let transport = Arc::new(Transport::new(&opts)?);
        Ok(AsyncClient {
            inner: Arc::new(Inner {
                options: opts,
                transport,
                events: EventSink::none(),
            }),
        })
    }

    /// The same client, events and rate-limit budget, with a connection pool of its own (see
    /// [`Transport::with_own_connections`]): for work on a private runtime.
    ///
    /// Errors: as [`Transport::with_own_connections`].
    fn with_own_connections(&self) -> Result<Self> {
        let transport = self
            .inner
            .transport
            .with_own_connections(&self.inner.options)?;
        Ok(AsyncClient {
            inner: Arc::new(Inner {
                options: self.inner.options.clone(),
                transport: Arc::new(transport),
                events: self.inner.events.clone(),
            }),
        })
    }

    /// The same client (sharing the transport) reporting events to `sink`.
    pub fn with_events(&self, sink: EventSink) -> Self {
        AsyncClient {
            inner: Arc::new(Inner {
                options: self.inner.options.clone(),
                transport: self.inner.transport.clone(),
                events: sink,
            }),
        }
    }

    /// The transport (for the mutation and import paths).
    pub fn transport(&self) -> &Transport {
        &self.inner.transport
    }

    /// The transport, shareable with background tasks.
    pub fn transport_arc(&self) -> Arc<Transport> {
        self.inner.transport.clone()
    }

    /// Where this client's events go.
    pub fn events(&self) -> &EventSink {
        &self.inner.events
    }

    /// The options the client was built with (the key is redacted in their `Debug`).
    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// A call context for `method` with `opts` and this client's event sink.
    pub fn ctx(&self, method: &'static str, opts: &CallOptions) -> CallCtx {
        CallCtx::new(method, opts, self.inner.events.clone())
    }

    /// Looks a project up (`projects(where: {id}, first: 1, skip: 0)`) selecting `fields`
    /// (GraphQL selection text, e.g. `"workflowVersion inputType"`).
    ///
    /// Errors: [`Error::NotFound`] when the project does not exist or is not visible to the
    /// key; [`Error::InvalidArgument`] for an empty id; transport errors.
    pub async fn project_info(
        &self,
        project_id: &str,
        fields: &str,
        ctx: &CallCtx,
    ) -> Result<Value> {
        if project_id.trim().is_empty() {
            return Err(Error::invalid_arg(
                "project_id",
                "expected a non-empty project id",
            ));
        }
        let doc = format!(
            "query projects($where: ProjectWhere!, $first: PageSize!, $skip: Int!) {{\n  data: projects(where: $where, first: $first, skip: $skip) {{ {fields} }}\n}}"
        );
        let data = self
            .inner
            .transport
            .graphql(
                Operation {
                    document: &doc,
                    variables: json!({ "where": { "id": project_id }, "first": 1, "skip": 0 }),
                    kind: OpKind::Query,
                    root_field: "projects",
                },
                ctx,
            )
            .await?;
        match data.get("data").and_then(Value::as_array).and_then(|a| a.first()) {
            Some(p) => Ok(p.clone()),
            None => Err(Error::NotFound {
                message: format!("project ID: {project_id}. The project does not exist or you do not have access to it."),
                details: json!({ "project_id": project_id }),
            }),
        }
    }

    /// Lists assets: validates `query` (no network call on bad input), looks the project up,
    /// counts, then streams pages (see [`AssetStream`]): in the background with
    /// `prefetch_pages >= 1`, inside the stream's own `next` calls with `prefetch_pages = 0`.
    /// `opts.timeout` bounds the whole listing; `opts.cancel` stops it.
    ///
    /// Must be called within a tokio runtime (the page loop is spawned on it).
    ///
    /// Errors: [`Error::InvalidArgument`], [`Error::NotFound`] (project), transport errors;
    /// later errors arrive through the stream.
    pub async fn assets(&self, query: AssetQuery, opts: CallOptions) -> Result<AssetStream> {
        let events = &self.inner.events;
        query.validate(events, "assets")?;
        let ctx = self.ctx("assets", &opts);
        let f = &query.filters;
        let project = self
            .project_info(&f.project_id, PROJECT_LOOKUP_FIELDS, &ctx)
            .await?;
        let workflow = project
            .get("workflowVersion")
            .and_then(Value::as_str)
            .unwrap_or("V2")
            .to_string();
        let input_type = project
            .get("inputType")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let where_ = f.to_where(Some(&project), events, "assets")?;

        let requested = query
            .fields
            .clone()
            .unwrap_or_else(|| default_fields(&workflow));
        let mut sel = Selection::parse(&requested)?;
        if crate::assets::extras::media_adds_json_content(&query, &input_type) {
            sel.prepend_leaf("jsonContent");
        }
        if workflow == "V1"
            && requested
                .iter()
                .any(|r| r.starts_with("currentStep.") || r == "currentStep")
        {
            events.warn(
                WarningKind::Other,
                "assets",
                "currentStep fields are not set on V1 projects: request the 'status' field instead",
            );
        }
        if workflow != "V1" && requested.iter().any(|r| r == "status") {
            events.warn(
                WarningKind::Deprecation,
                "assets",
                "'status' is deprecated on V2/V3 projects: request the 'currentStep.name' and 'currentStep.status' fields instead",
            );
        }
        let heads = sel.json_response_heads();
        if !heads.is_empty() {
            // As the official SDK does on the label path (fields returned to the caller too).
            for extra in [
                "content",
                "jsonContent",
                "resolution.width",
                "resolution.height",
            ] {
                let _ = sel.add(extra);
            }
            for h in &heads {
                let _ = sel.add(&format!("{h}.jsonResponseUrl"));
            }
        }
        let page_size = self.inner.options.page_size.min(100);
        let page_cap = if heads.is_empty() {
            page_size
        } else if input_type == "VIDEO" {
            page_size.min(10)
        } else {
            page_size.min(50)
        };
        let unicity = heads.is_empty() && sel.contains("id");

        let ocr = sel.contains("ocrMetadata");
        let post =
            crate::assets::extras::prepare(self, &query, &heads, ocr, &input_type, &ctx).await?;
        let total = query::count(&self.inner.transport, where_.clone(), &ctx).await?;
        let skip = query.skip as u64;
        let mut expected = total.saturating_sub(skip);
        if let Some(first) = query.first {
            expected = expected.min(first as u64);
        }
        if expected == 0 {
            return Ok(AssetStream::empty());
        }
        let keep_raw = self.inner.options.keep_json_raw;
        let plan = ListPlan {
            document: query::page_document(&sel.render()),
            where_,
            skip,
            expected,
            first: query.first.map(|f| f as u64),
            page_cap,
            unicity,
            prefetch: self.inner.options.prefetch_pages as usize,
            decode_metadata: !keep_raw && sel.contains("jsonMetadata"),
            decode_heads: if keep_raw { vec![] } else { heads },
            post,
        };
        Ok(AssetStream::start(self.inner.transport.clone(), plan, ctx))
    }

    /// Counts the assets matching the filters of `query` (listing options are ignored). The
    /// project is looked up only when a step, `status_in` or group filter needs it, like the
    /// official SDK (`skipped` alone does not: see [`AssetFilters::needs_project`]).
    ///
    /// Errors: [`Error::InvalidArgument`], [`Error::NotFound`] (only with such filters: an
    /// unknown or invisible project is otherwise counted by the server), transport errors.
    pub async fn count_assets(&self, query: AssetQuery, opts: CallOptions) -> Result<u64> {
        let events = &self.inner.events;
        let f: &AssetFilters = &query.filters;
        f.validate(events, "count_assets")?;
        let ctx = self.ctx("count_assets", &opts);
        let project = if f.needs_project() {
            Some(
                self.project_info(&f.project_id, "steps { id name } workflowVersion", &ctx)
                    .await?,
            )
        } else {
            None
        };
        let where_ = f.to_where(project.as_ref(), events, "count_assets")?;
        query::count(&self.inner.transport, where_, &ctx).await
    }
}

/// The blocking client: every call runs on the hidden global runtime. Must not be called
/// from inside an async runtime (that is an [`Error::InvalidState`]); use [`AsyncClient`]
/// there. `Clone + Send + Sync`.
#[derive(Clone, Debug)]
pub struct Client {
    inner: AsyncClient,
}

impl Client {
    /// Builds a client (see [`AsyncClient::new`]).
    pub fn new(opts: ClientOptions) -> Result<Self> {
        Ok(Client {
            inner: AsyncClient::new(opts)?,
        })
    }

    /// Builds a client from a JSON options object (see [`ClientOptions::from_json`]).
    pub fn from_json(options_json: &str) -> Result<Self> {
        Self::new(ClientOptions::from_json(options_json)?)
    }

    /// The same client reporting events to `sink`.
    pub fn with_events(self, sink: EventSink) -> Self {
        Client {
            inner: self.inner.with_events(sink),
        }
    }

    /// The async client underneath.
    pub fn asyncc(&self) -> &AsyncClient {
        &self.inner
    }

    /// Lists assets (see [`AsyncClient::assets`]). With `prefetch_pages >= 1` the cursor
    /// fetches pages in the background on the global runtime; with `prefetch_pages = 0` the
    /// whole listing (count, pages, decoding) runs on the thread that calls the cursor, on a
    /// private runtime with its own connection, and only while it waits for assets.
    ///
    /// Errors: as [`AsyncClient::assets`]; [`Error::InvalidState`] inside an async runtime.
    pub fn assets(&self, query: AssetQuery, opts: CallOptions) -> Result<AssetCursor> {
        let (c, driver) = if self.inner.inner.options.prefetch_pages == 0 {
            (self.inner.with_own_connections()?, Driver::local()?)
        } else {
            (self.inner.clone(), Driver::Global)
        };
        let stream = driver.block_on(async move { c.assets(query, opts).await })?;
        Ok(AssetCursor {
            stream: Some(stream),
            driver,
        })
    }

    /// Counts assets (see [`AsyncClient::count_assets`]).
    pub fn count_assets(&self, query: AssetQuery, opts: CallOptions) -> Result<u64> {
        let c = self.inner.clone();
        crate::runtime::block_on(async move { c.count_assets(query, opts).await })
    }

    /// [`Client::assets`] with a JSON argument object using the Python SDK's names.
    pub fn assets_json(&self, args_json: &str, opts: CallOptions) -> Result<AssetCursor> {
        self.assets(AssetQuery::from_json(args_json)?, opts)
    }

    /// [`Client::count_assets`] with a JSON argument object (filter names only).
    pub fn count_assets_json(&self, args_json: &str, opts: CallOptions) -> Result<u64> {
        let filters = AssetFilters::from_json(args_json)?;
        self.count_assets(
            AssetQuery {
                filters,
                ..Default::default()
            },
            opts,
        )
    }
}

/// A blocking cursor over assets: an `Iterator` of `Result<Value>`, plus a page-at-a-time
/// variant. Used by one thread at a time (`Send`, not `Sync`); dropping it cancels the
/// background fetching. After the end or an error, it stays finished.
#[derive(Debug)]
pub struct AssetCursor {
    // Declared before `driver`: the stream (and its requests) goes before its runtime.
    stream: Option<AssetStream>,
    driver: Driver,
}

impl AssetCursor {
    /// Up to `max` assets; an empty vector at the end.
    ///
    /// Errors: the listing's errors (transport, timeout, cancellation).
    pub fn next_page(&mut self, max: usize) -> Result<Vec<Value>> {
        let Some(s) = self.stream.as_mut() else {
            return Ok(vec![]);
        };
        let r = self.driver.block_on(s.next_page(max));
        if r.is_err() {
            self.stream = None;
        }
        r
    }

    /// The number of assets announced by the count (min(count - skip, first)).
    pub fn expected_total(&self) -> Option<u64> {
        self.stream
            .as_ref()
            .and_then(|s| s.expected_total())
            .or(Some(0))
    }
}

impl Iterator for AssetCursor {
    type Item = Result<Value>;

    fn next(&mut self) -> Option<Self::Item> {
        let s = self.stream.as_mut()?;
        if let Some(v) = s.next_buffered() {
            return Some(Ok(v)); // most items: no runtime round trip
        }
        let r = match self.driver.block_on(async { Ok(s.next().await) }) {
            Ok(r) => r,
            Err(e) => Some(Err(e)),
        };
        match &r {
            None | Some(Err(_)) => self.stream = None,
            _ => {}
        }
        r
    }
}
