//! The asset query path: `countAssets`, then offset pages exactly as kili-wire-query.md §4.5,
//! fetched by a background task with a bounded number of pages in flight, de-duplicated by
//! id in unicity mode and post-processed (JSON text -> values) before they reach the caller.
//!
//! De-duplication follows the Python SDK: only in unicity mode (`id` in the fields, plain
//! path), where every id already yielded is remembered for the whole listing, so an asset
//! that an offset shift pushes any number of pages further is yielded once. Without `id` in
//! the fields (or on the label path, where the SDK has no unicity field) nothing is
//! de-duplicated: a repeated asset is yielded again, as the SDK does.
//!
//! Memory: pages are bounded by (prefetch depth + 2) pages whatever the project size (the
//! task stops when the channel to the consumer is full). The unicity set grows with the
//! listing: one entry per asset yielded (about 50 to 70 bytes for a 25-character id, i.e.
//! ~5 to 7 MB per 100,000 assets), and only in unicity mode; the other paths keep no id at
//! all (docs/FIDELITY.md).
//! Dropping an [`AssetStream`] aborts the task, which cancels the requests in flight.
//!
//! With a prefetch depth of 0 there is no task: the same page loop is polled by the consumer
//! itself, inside `next` / `next_page`, so no page crosses a thread (the sequential path,
//! meant to cost no more than a bare HTTP loop).

use crate::error::Result;
use crate::transport::{CallCtx, OpKind, Operation, Transport};
use futures::FutureExt;
use futures::StreamExt;
use rustc_hash::FxHashSet;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// Document of the count query.
pub const COUNT_DOCUMENT: &str =
    "query countAssets($where: AssetWhere!) {\n  data: countAssets(where: $where)\n}";

/// The assets page document for a selection set.
pub fn page_document(selection: &str) -> String {
    format!(
        "query assets($where: AssetWhere!, $first: PageSize!, $skip: Int!) {{\n  data: assets(where: $where, skip: $skip, first: $first) {{ {selection} }}\n}}"
    )
}

/// Sends `countAssets(where)` and returns the integer.
///
/// Errors: transport errors; [`crate::Error::Server`] when the answer is not an integer.
pub async fn count(transport: &Transport, where_: Value, ctx: &CallCtx) -> Result<u64> {
    let data = transport
        .graphql(
            Operation {
                document: COUNT_DOCUMENT,
                variables: json!({ "where": where_ }),
                kind: OpKind::Query,
                root_field: "countAssets",
            },
            ctx,
        )
        .await?;
    data.get("data")
        .and_then(Value::as_u64)
        .ok_or_else(|| crate::Error::Server {
            message: format!(
                "countAssets answered a non-integer: {}",
                data.get("data").unwrap_or(&Value::Null)
            ),
            details: json!({ "operation": "countAssets" }),
        })
}

/// Everything the page loop needs, decided before the first page.
#[derive(Debug, Clone)]
pub struct ListPlan {
    /// The page document.
    pub document: String,
    /// The `AssetWhere`.
    pub where_: Value,
    /// User offset.
    pub skip: u64,
    /// N = min(max(count - skip, 0), first): items expected.
    pub expected: u64,
    /// The user's `first` (unicity mode stops after that many unique ids).
    pub first: Option<u64>,
    /// Page cap.
    pub page_cap: u32,
    /// Unicity mode (`id` selected on the plain path): `first` = page size on every page.
    pub unicity: bool,
    /// Page requests in flight at once; 0 = one at a time and no background task (the
    /// consumer drives the page loop).
    pub prefetch: usize,
    /// Decode `jsonMetadata` when selected.
    pub decode_metadata: bool,
    /// Label heads whose `jsonResponse` is decoded.
    pub decode_heads: Vec<&'static str>,
    /// Work on each page before delivery (jsonResponseUrl, parsed_label, download_media).
    pub post: Option<Arc<dyn crate::assets::extras::PagePostProcessor>>,
}

/// Bytes per page that the adaptive sizer aims at (the official SDK's maximum budget).
const PAGE_BUDGET_BYTES: usize = 50_000_000;
/// Smallest adaptive page.
const MIN_PAGE_ITEMS: u32 = 10;

struct Sizer {
    next_offset: u64,
    size: u32,
    /// Offsets are generated while `next_offset < end`.
    end: u64,
}

/// The page loop when the consumer drives it: its output is the panic message, if any.
type Inline = Pin<Box<dyn Future<Output = Option<String>> + Send>>;

/// A stream of assets (async). Not `Clone`; `Send`. Dropping it cancels the background work.
pub struct AssetStream {
    rx: mpsc::Receiver<Result<Vec<Value>>>,
    buf: VecDeque<Value>,
    /// The page loop spawned on the runtime (prefetch >= 1).
    task: Option<tokio::task::JoinHandle<()>>,
    /// The page loop polled by the consumer (prefetch 0) until it ends.
    inline: Option<Inline>,
    /// How the inline page loop panicked.
    panicked: Option<String>,
    expected: u64,
    finished: bool,
}

impl Drop for AssetStream {
    fn drop(&mut self) {
        if let Some(t) = &self.task {
            t.abort();
        }
    }
}

impl std::fmt::Debug for AssetStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssetStream")
            .field("expected", &self.expected)
            .field("buffered", &self.buf.len())
            .finish()
    }
}

impl AssetStream {
    /// Starts the page loop of `plan`: spawned on the current tokio runtime when
    /// `plan.prefetch >= 1`, else kept for the consumer to poll (no runtime needed yet).
    pub fn start(transport: Arc<Transport>, plan: ListPlan, ctx: CallCtx) -> Self {
        let expected = plan.expected;
        let inline = plan.prefetch == 0;
        let (tx, rx) = mpsc::channel(1);
        let page_loop = produce(transport, plan, ctx, tx);
        let mut s = AssetStream {
            rx,
            buf: VecDeque::new(),
            task: None,
            inline: None,
            panicked: None,
            expected,
            finished: false,
        };
        if inline {
            s.inline = Some(Box::pin(
                AssertUnwindSafe(page_loop)
                    .catch_unwind()
                    .map(|r| r.err().map(|p| panic_message(&*p))),
            ));
        } else {
            s.task = Some(tokio::spawn(page_loop));
        }
        s
    }

    /// An empty stream (N = 0: no page is sent).
    pub fn empty() -> Self {
        let (_tx, rx) = mpsc::channel(1);
        AssetStream {
            rx,
            buf: VecDeque::new(),
            task: None,
            inline: None,
            panicked: None,
            expected: 0,
            finished: true,
        }
    }

    /// The next asset if one is already buffered (no waiting, no runtime needed).
    pub fn next_buffered(&mut self) -> Option<Value> {
        self.buf.pop_front()
    }

    /// The next page from the page loop; `None` once it ended. With an inline loop, polls it
    /// until it delivers (it may then have sent its next request, which waits for the next
    /// call: still one request at a time).
    async fn recv(&mut self) -> Option<Result<Vec<Value>>> {
        loop {
            let Some(page_loop) = self.inline.as_mut() else {
                return self.rx.recv().await;
            };
            let ended = tokio::select! {
                biased;
                page = self.rx.recv() => return page,
                panicked = page_loop.as_mut() => panicked,
            };
            // Ended (its sender is gone): what it delivered is still in the channel.
            self.panicked = ended;
            self.inline = None;
        }
    }

    /// The number of assets the count announced (min(count - skip, first)); the stream may
    /// yield fewer (de-duplication, deletions while listing).
    pub fn expected_total(&self) -> Option<u64> {
        Some(self.expected)
    }

    /// The next asset, `None` at the end. After an error the stream is finished.
    pub async fn next(&mut self) -> Option<Result<Value>> {
        loop {
            if let Some(v) = self.buf.pop_front() {
                return Some(Ok(v));
            }
            if self.finished {
                return None;
            }
            match self.recv().await {
                Some(Ok(page)) => self.buf.extend(page),
                Some(Err(e)) => {
                    self.finished = true;
                    return Some(Err(e));
                }
                None => {
                    self.finished = true;
                    return self.task_failure().await.map(Err);
                }
            }
        }
    }

    /// After the channel closed: the page loop's failure if it panicked (never a silent,
    /// truncated end), `None` if it ended normally.
    async fn task_failure(&mut self) -> Option<crate::Error> {
        if let Some(msg) = self.panicked.take() {
            return Some(crate::Error::Internal(format!(
                "the page loop panicked: {msg}"
            )));
        }
        match self.task.as_mut()?.await {
            Err(e) if e.is_panic() => Some(crate::Error::Internal(format!(
                "the page loop panicked: {e}"
            ))),
            _ => None,
        }
    }

    /// Up to `max` assets (at least 1 unless at the end): what is buffered, else the next
    /// page. An empty vector means the end.
    pub async fn next_page(&mut self, max: usize) -> Result<Vec<Value>> {
        let max = max.max(1);
        if self.buf.is_empty() && !self.finished {
            match self.recv().await {
                Some(Ok(page)) => self.buf.extend(page),
                Some(Err(e)) => {
                    self.finished = true;
                    return Err(e);
                }
                None => {
                    self.finished = true;
                    if let Some(e) = self.task_failure().await {
                        return Err(e);
                    }
                }
            }
        }
        let n = max.min(self.buf.len());
        Ok(self.buf.drain(..n).collect())
    }
}

async fn fetch_page(
    transport: &Transport,
    plan: &ListPlan,
    ctx: &CallCtx,
    skip: u64,
    first: u32,
) -> Result<(u32, Vec<Value>)> {
    let vars = json!({ "where": plan.where_, "skip": skip, "first": first });
    let mut data = transport
        .graphql(
            Operation {
                document: &plan.document,
                variables: vars,
                kind: OpKind::Query,
                root_field: "assets",
            },
            ctx,
        )
        .await?;
    // Take the page out of the answer instead of deep-copying it (the profile in
    // bench/PROFILE.md showed the copy at ~14% of the client's instructions).
    match data.get_mut("data").map(Value::take) {
        Some(Value::Array(items)) => Ok((first, items)),
        other => Err(crate::Error::Server {
            message: format!(
                "assets answered {} instead of a list",
                other
                    .as_ref()
                    .map(crate::args::type_name)
                    .unwrap_or("nothing")
            ),
            details: json!({ "operation": "assets" }),
        }),
    }
}

/// State of the page loop: counters and the unicity set.
struct Progress {
    retrieved: u64,
    yielded: u64,
    /// Every id yielded so far, in unicity mode only (empty otherwise): the Python SDK's
    /// `unicity_values`, which it keeps for the whole listing.
    // Fx hashing: ids come from the server and are short; SipHash showed up at ~10% of the
    // client's instructions on the `id,externalId` path (bench/PROFILE.md). `Box<str>`: no
    // spare capacity per id.
    seen: FxHashSet<Box<str>>,
}

/// What to do after a page.
enum Next {
    /// Keep going.
    More,
    /// The listing is complete (or the consumer is gone).
    Stop,
    /// The generated pages are exhausted: in unicity mode, the last page was full and the
    /// limit not reached, so there may be more (offsets shifted): ask one more page.
    Confirm,
}

impl Progress {
    /// Processes one page (de-duplication, decoding, extras) and delivers it.
    async fn page(
        &mut self,
        asked: u32,
        items: Vec<Value>,
        plan: &ListPlan,
        sizer: &Mutex<Sizer>,
        ctx: &CallCtx,
        tx: &mpsc::Sender<Result<Vec<Value>>>,
    ) -> Next {
        let n = items.len();
        if let Some(sample) = items.first() {
            // Adaptive page size: bytes per item from a sample, against the page budget
            // (counted, not serialized into a buffer: this runs on every page).
            let bpi = super::json_len(sample).max(1);
            // `min` last: a page cap below MIN_PAGE_ITEMS (a small `page_size`) must win.
            let cap = (plan.page_cap as usize).max(1);
            let fit = (PAGE_BUDGET_BYTES / bpi)
                .max(MIN_PAGE_ITEMS as usize)
                .min(cap) as u32;
            sizer.lock().unwrap_or_else(|p| p.into_inner()).size = fit;
        }
        let mut out = Vec::with_capacity(n);
        let mut limit_reached = false;
        let mut dropped = 0u64;
        if plan.unicity {
            self.seen.reserve(n);
        }
        for mut item in items {
            if plan.unicity {
                // The SDK keys on `element["id"]`; an item without a string id (never seen
                // from the server) is kept.
                if let Some(id) = item.get("id").and_then(Value::as_str) {
                    if self.seen.contains(id) {
                        dropped += 1;
                        continue;
                    }
                    self.seen.insert(id.into());
                }
            }
            post_process(&mut item, plan);
            out.push(item);
            self.yielded += 1;
            if plan.unicity && plan.first.is_some_and(|f| self.yielded >= f) {
                limit_reached = true;
                break;
            }
        }
        if plan.unicity && dropped > 0 {
            // Duplicates do not count towards `first`: extend the offsets to fetch.
            sizer.lock().unwrap_or_else(|p| p.into_inner()).end += dropped;
        }
        self.retrieved += n as u64;
        if let Some(post) = &plan.post {
            if let Err(e) = post.process(&mut out, ctx).await {
                let _ = tx.send(Err(e)).await;
                return Next::Stop;
            }
        }
        ctx.events
            .progress("assets", self.yielded, Some(plan.expected));
        if !out.is_empty() && tx.send(Ok(out)).await.is_err() {
            return Next::Stop; // the consumer is gone
        }
        if n == 0
            || n < asked as usize
            || limit_reached
            || (!plan.unicity && self.retrieved >= plan.expected)
        {
            return Next::Stop;
        }
        if plan.unicity {
            Next::Confirm
        } else {
            Next::More
        }
    }
}

async fn produce(
    transport: Arc<Transport>,
    plan: ListPlan,
    ctx: CallCtx,
    tx: mpsc::Sender<Result<Vec<Value>>>,
) {
    let plan = Arc::new(plan);
    // Offsets are generated up to skip + N (N from the count), never speculatively beyond:
    // in unicity mode the end grows by the duplicates dropped, and a full last page is
    // followed by sequential confirmation pages (like the official SDK, which stops only on
    // a short page or after `first` unique ids).
    let sizer = Arc::new(Mutex::new(Sizer {
        next_offset: plan.skip,
        size: plan.page_cap,
        end: plan.skip + plan.expected,
    }));
    let offsets = {
        let sizer = sizer.clone();
        let plan = plan.clone();
        futures::stream::iter(std::iter::from_fn(move || {
            let mut s = sizer.lock().unwrap_or_else(|p| p.into_inner());
            if s.next_offset >= s.end {
                return None;
            }
            let first = if plan.unicity {
                s.size as u64
            } else {
                (s.size as u64).min(s.end - s.next_offset)
            };
            let off = s.next_offset;
            s.next_offset += first;
            Some((off, first as u32))
        }))
    };
    let mut pages = offsets
        .map(|(off, first)| {
            let transport = transport.clone();
            let plan = plan.clone();
            let ctx = ctx.clone();
            async move { fetch_page(&transport, &plan, &ctx, off, first).await }
        })
        .buffered(plan.prefetch.max(1));
    let mut progress = Progress {
        retrieved: 0,
        yielded: 0,
        seen: FxHashSet::default(),
    };
    let mut last = Next::Stop;
    while let Some(res) = pages.next().await {
        let (asked, items) = match res {
            Ok(p) => p,
            Err(e) => {
                let _ = tx.send(Err(e)).await;
                return;
            }
        };
        last = progress.page(asked, items, &plan, &sizer, &ctx, &tx).await;
        if matches!(last, Next::Stop) {
            return;
        }
    }
    drop(pages);
    while matches!(last, Next::Confirm) {
        let (off, first) = {
            let mut s = sizer.lock().unwrap_or_else(|p| p.into_inner());
            let off = s.next_offset;
            s.next_offset += s.size as u64;
            (off, s.size)
        };
        match fetch_page(&transport, &plan, &ctx, off, first).await {
            Ok((asked, items)) => {
                last = progress.page(asked, items, &plan, &sizer, &ctx, &tx).await
            }
            Err(e) => {
                let _ = tx.send(Err(e)).await;
                return;
            }
        }
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

/// Decodes JSON text like the official SDK: `jsonMetadata` (invalid, empty or missing -> `{}`)
/// and each selected label's `jsonResponse` (invalid -> `{}`).
pub fn post_process(item: &mut Value, plan: &ListPlan) {
    let Some(obj) = item.as_object_mut() else {
        return;
    };
    if plan.decode_metadata {
        // Replaced in place (same position, no key allocation); an object is kept as is.
        match obj.get_mut("jsonMetadata") {
            Some(Value::Object(_)) => {}
            Some(v) => {
                *v = match v {
                    Value::String(s) => decode_or_empty(s),
                    _ => Value::Object(Default::default()),
                }
            }
            None => {
                obj.insert("jsonMetadata".into(), Value::Object(Default::default()));
            }
        }
    }
    for head in &plan.decode_heads {
        match obj.get_mut(*head) {
            Some(Value::Array(labels)) => labels.iter_mut().for_each(decode_label),
            Some(label @ Value::Object(_)) => decode_label(label),
            _ => {}
        }
    }
}

fn decode_label(label: &mut Value) {
    if let Some(v) = label.get_mut("jsonResponse") {
        if let Value::String(s) = v {
            *v = decode_or_empty(s);
        }
    }
}

fn decode_or_empty(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|_| json!({}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_processing_decodes_json_text() {
        let plan = ListPlan {
            document: String::new(),
            where_: json!({}),
            skip: 0,
            expected: 0,
            first: None,
            page_cap: 100,
            unicity: false,
            prefetch: 1,
            decode_metadata: true,
            decode_heads: vec!["labels", "latestLabel"],
            post: None,
        };
        let mut a = json!({"jsonMetadata": "{\"a\":1}", "labels": [{"jsonResponse": "{\"J\":{}}"}, {"jsonResponse": "oops"}],
                           "latestLabel": {"jsonResponse": "[1]"}});
        post_process(&mut a, &plan);
        assert_eq!(a["jsonMetadata"], json!({"a":1}));
        assert_eq!(a["labels"][0]["jsonResponse"], json!({"J":{}}));
        assert_eq!(a["labels"][1]["jsonResponse"], json!({}));
        assert_eq!(a["latestLabel"]["jsonResponse"], json!([1]));
        let mut b = json!({"jsonMetadata": ""});
        post_process(&mut b, &plan);
        assert_eq!(b["jsonMetadata"], json!({}));
        let mut c = json!({"id": "x"});
        post_process(&mut c, &plan);
        assert_eq!(c["jsonMetadata"], json!({}));
    }
}
