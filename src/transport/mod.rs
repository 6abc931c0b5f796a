//! The HTTP/GraphQL transport: one per client, shared by every call (thread-safe, `Send +
//! Sync`, cheap to share behind the client's `Arc`).
//!
//! Every GraphQL attempt goes through the client-side rate limiter, is classified
//! ([`retry::Outcome`]) and retried as kili-wire-query.md §3.1 says. Errors never contain the
//! API key: foreign text (bodies, GraphQL messages, library errors) is scrubbed first.

pub mod aimd;
pub mod http;
pub mod ratelimit;
pub mod retry;

use crate::call::{CallOptions, CancelToken};
use crate::config::{scrub, ClientOptions};
use crate::error::{Error, Result};
use crate::events::{EventSink, LogLevel, WarningKind};
use bytes::Bytes;
use ratelimit::RateLimiter;
use retry::Outcome;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Whether an operation is a query (safe to resend on uncertain outcomes) or a mutation
/// (resent only when provably not processed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    Query,
    Mutation,
}

/// One GraphQL operation. `root_field` names it in logs and errors (e.g. `countAssets`).
#[derive(Debug, Clone)]
pub struct Operation<'a> {
    pub document: &'a str,
    pub variables: Value,
    pub kind: OpKind,
    pub root_field: &'a str,
}

/// Context of one SDK method call: its name (sent as `kili-client-method-name`), its cancel
/// token and deadline, and where events go.
#[derive(Debug, Clone)]
pub struct CallCtx {
    pub method: &'static str,
    pub cancel: Option<CancelToken>,
    pub deadline: Option<Instant>,
    pub events: EventSink,
}

impl CallCtx {
    /// The context of a call of `method` starting now with `opts`.
    pub fn new(method: &'static str, opts: &CallOptions, events: EventSink) -> Self {
        CallCtx {
            method,
            cancel: opts.cancel.clone(),
            deadline: opts.deadline(),
            events,
        }
    }
}

/// A failed attempt: how it ended, the error to report if no retry follows, and the
/// server's `Retry-After`.
struct AttemptError {
    outcome: Outcome,
    error: Error,
    retry_after: Option<Duration>,
    http_status: Option<u16>,
}

/// The transport. See the module documentation.
pub struct Transport {
    http: reqwest::Client,
    endpoint: String,
    auth_prefix: String,
    api_key: String,
    client_name: String,
    /// Shared with [`Transport::with_own_connections`] copies: one budget per client.
    limiter: Arc<RateLimiter>,
    /// Shared like the limiter: the attempts in flight are cut on a 429 for the whole client.
    aimd: Arc<aimd::Aimd>,
    policy: retry::RetryPolicy,
    /// Shared with [`Transport::with_own_connections`] copies: a refusal is learnt once.
    compression: Arc<AtomicBool>,
    /// The GraphQL headers common to every call, built once (`None` when the API key is not
    /// a valid header value: each call then reports that error, as before).
    base_headers: Option<reqwest::header::HeaderMap>,
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transport")
            .field("endpoint", &self.endpoint)
            .field("api_key", &crate::config::redact(&self.api_key))
            .field("limiter", &self.limiter)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Builds the transport from resolved options.
    ///
    /// Errors: [`Error::Auth`] without an API key; [`Error::InvalidArgument`] for a bad
    /// endpoint (plain http to a non-loopback host without `allow_insecure_http`) or CA bundle.
    pub fn new(opts: &ClientOptions) -> Result<Self> {
        opts.validate()?;
        let api_key = opts.resolved_api_key()?;
        let endpoint = opts.resolved_endpoint();
        http::check_endpoint(&endpoint, opts.allow_insecure_http)?;
        let client = http::build_client(opts, opts.resolved_verify_tls())?;
        Ok(Transport {
            http: client,
            auth_prefix: http::auth_prefix(&endpoint),
            endpoint,
            base_headers: http::base_graphql_headers(&api_key, &opts.client_name).ok(),
            api_key,
            client_name: opts.client_name.clone(),
            limiter: Arc::new(RateLimiter::new(
                opts.rate_limit_per_minute,
                Duration::from_millis(opts.rate_limit_window_ms),
            )),
            aimd: Arc::new(aimd::Aimd::new(
                opts.prefetch_pages.max(opts.mutation_concurrency).max(1) as usize,
                Duration::from_millis(opts.rate_limit_window_ms),
            )),
            policy: retry::RetryPolicy {
                deadline: Duration::from_millis(opts.retry_deadline_ms),
                max_uncertain: opts.max_attempts_uncertain,
                backoff_base: Duration::from_millis(opts.backoff_base_ms),
                max_backoff: Duration::from_millis(opts.max_backoff_ms),
            },
            compression: Arc::new(AtomicBool::new(true)),
        })
    }

    /// The same transport (key, endpoint, headers, retry policy, and the same rate limiter
    /// and compression state) with a connection pool of its own, built from `opts` (the
    /// options this transport was built from).
    ///
    /// For work driven on a caller's private runtime (see [`crate::runtime::Driver`]): a
    /// connection is served by the runtime that opened it, so that work must neither borrow
    /// connections from the pool the global runtime serves nor leave its own there.
    ///
    /// Errors: [`Error::InvalidArgument`] when the CA bundle no longer reads.
    pub fn with_own_connections(&self, opts: &ClientOptions) -> Result<Transport> {
        Ok(Transport {
            http: http::build_client(opts, opts.resolved_verify_tls())?,
            endpoint: self.endpoint.clone(),
            auth_prefix: self.auth_prefix.clone(),
            api_key: self.api_key.clone(),
            client_name: self.client_name.clone(),
            limiter: self.limiter.clone(),
            aimd: self.aimd.clone(),
            policy: self.policy,
            compression: self.compression.clone(),
            base_headers: self.base_headers.clone(),
        })
    }

    /// Turns the adaptive concurrency under 429 on or off for this client and every copy
    /// sharing its limiter (on by default; see [`aimd`]). Off, each rate-limited attempt
    /// only waits its own `Retry-After`, as before; meant for measurements comparing both.
    /// Thread-safe; takes effect for the next answers.
    pub fn set_adaptive_concurrency(&self, on: bool) {
        self.aimd.set_enabled(on);
    }

    /// The GraphQL attempts this client currently lets in flight after 429s (`None` = no cap,
    /// the callers' own widths apply). Thread-safe.
    pub fn concurrency_limit(&self) -> Option<usize> {
        self.aimd.limit()
    }

    /// This client's retry budget, for callers that retry at a higher level.
    pub fn retry_policy(&self) -> retry::RetryPolicy {
        self.policy
    }

    /// The GraphQL endpoint URL.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The redacted API key (`****` + last 4 characters), for display.
    pub fn redacted_key(&self) -> String {
        crate::config::redact(&self.api_key)
    }

    /// Removes the API key from foreign text.
    pub fn scrub(&self, text: &str) -> String {
        scrub(text, &self.api_key)
    }

    /// POSTs `{query, variables}` (variables null-stripped like the official SDK) and returns
    /// the answer's `data` object.
    ///
    /// Retries follow kili-wire-query.md §3.1: "not processed" answers (connection refused,
    /// 401/429/521, Envoy 503s) until the retry deadline, honouring `Retry-After`, otherwise
    /// full-jitter backoff; uncertain outcomes of **queries** a bounded number of times.
    /// **Mutations are resent only when provably not processed**: an uncertain outcome of a
    /// mutation is returned at once as [`Error::Server`], [`Error::Network`] or
    /// [`Error::Timeout`] whose details hold `{"outcome": "unknown"}`.
    ///
    /// Errors: [`Error::Graphql`] (details: `errors`, `http_status`, `operation`),
    /// [`Error::Auth`] (a GraphQL error with code `UNAUTHENTICATED` or HTTP 401 with a
    /// GraphQL body: at once; a bare 401: after retrying until the deadline), [`Error::RateLimited`] (429 until the
    /// deadline), [`Error::Network`], [`Error::Timeout`], [`Error::Server`],
    /// [`Error::Cancelled`] and [`Error::Timeout`] from `ctx`.
    pub async fn graphql(&self, op: Operation<'_>, ctx: &CallCtx) -> Result<Value> {
        CallOptions::guard(
            ctx.cancel.as_ref(),
            ctx.deadline,
            self.graphql_inner(op, ctx),
        )
        .await
    }

    async fn graphql_inner(&self, op: Operation<'_>, ctx: &CallCtx) -> Result<Value> {
        let variables = http::strip_nulls(op.variables);
        // Serialized straight from borrowed parts (no copy of the document into a Value).
        #[derive(serde::Serialize)]
        struct Body<'b> {
            query: &'b str,
            #[serde(skip_serializing_if = "Option::is_none")]
            variables: Option<&'b Value>,
        }
        let body = Body {
            query: op.document,
            variables: match &variables {
                Value::Object(m) if !m.is_empty() => Some(&variables),
                _ => None,
            },
        };
        let raw = Bytes::from(
            serde_json::to_vec(&body)
                .map_err(|e| Error::Internal(format!("cannot encode the request: {e}")))?,
        );
        let mutation = op.kind == OpKind::Mutation;
        let started = Instant::now();
        let mut attempt = 0u32;
        let mut warned = false;
        loop {
            attempt += 1;
            // The AIMD gate first: after a 429 it holds new attempts until `Retry-After`,
            // and a held attempt must not spend a slot of the window meanwhile.
            let permit = self.aimd.acquire().await;
            self.limiter.acquire().await;
            let result = self.graphql_attempt(&raw, op.root_field, ctx).await;
            if let Err(a) = &result {
                if a.http_status == Some(429) && a.outcome == Outcome::NotProcessed {
                    permit.rate_limited(a.retry_after);
                }
            }
            drop(permit);
            match result {
                Ok(data) => {
                    if warned {
                        ctx.events.log(
                            LogLevel::Info,
                            format!(
                                "{} succeeded after {:.1} s of retries.",
                                op.root_field,
                                started.elapsed().as_secs_f64()
                            ),
                        );
                    }
                    return Ok(data);
                }
                Err(a) => {
                    let wait = a.retry_after.unwrap_or_else(|| {
                        retry::backoff(attempt, self.policy.backoff_base, self.policy.max_backoff)
                    });
                    let in_time = started.elapsed() + wait <= self.policy.deadline;
                    if !retry::should_retry(a.outcome, attempt, mutation) || !in_time {
                        return Err(finalize(a, attempt, mutation));
                    }
                    let what = match a.http_status {
                        Some(s) => format!("HTTP {s}"),
                        None => a.error.status().name().to_ascii_lowercase(),
                    };
                    let level = if !warned && started.elapsed() + wait >= Duration::from_secs(5) {
                        warned = true;
                        LogLevel::Warn
                    } else {
                        LogLevel::Debug
                    };
                    ctx.events.log(
                        level,
                        format!(
                            "The Kili API could not process {} ({what}). Retrying in {} ms (attempt {attempt} done)...",
                            op.root_field,
                            wait.as_millis()
                        ),
                    );
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    async fn graphql_attempt(
        &self,
        raw: &Bytes,
        root_field: &str,
        ctx: &CallCtx,
    ) -> Result<Value, AttemptError> {
        let mut compress = self.compression.load(Ordering::Relaxed);
        loop {
            // Small bodies (nearly all) are sent as the shared `Bytes`, without a copy.
            let (body, gz) = if compress && raw.len() >= http::COMPRESSION_THRESHOLD_BYTES {
                let (z, gz) = http::maybe_gzip(raw.to_vec());
                (reqwest::Body::from(z), gz)
            } else {
                (reqwest::Body::from(raw.clone()), false)
            };
            let headers = match &self.base_headers {
                Some(base) => {
                    let mut h = base.clone();
                    http::add_call_headers(&mut h, ctx.method);
                    h
                }
                None => http::graphql_headers(&self.api_key, &self.client_name, ctx.method)
                    .map_err(|e| AttemptError {
                        outcome: Outcome::Failed,
                        error: e,
                        retry_after: None,
                        http_status: None,
                    })?,
            };
            let mut req = self.http.post(&self.endpoint).headers(headers).body(body);
            if gz {
                req = req.header(reqwest::header::CONTENT_ENCODING, "gzip");
            }
            let resp = req
                .send()
                .await
                .map_err(|e| self.classify_reqwest(e, root_field))?;
            let status = resp.status().as_u16();
            let retry_after = retry::parse_retry_after(
                resp.headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok()),
            );
            let bytes = resp
                .bytes()
                .await
                .map_err(|e| self.classify_reqwest(e, root_field))?;
            let parsed: Option<Value> = serde_json::from_slice(&bytes).ok();
            if let Some(Value::Object(mut obj)) = parsed {
                if obj.contains_key("data") || obj.contains_key("errors") {
                    return self.graphql_answer(&mut obj, status, root_field, ctx);
                }
            }
            // Not a GraphQL answer.
            if gz && (status == 415 || status == 400) {
                // The server may not accept gzip bodies: resend uncompressed once, and stop
                // compressing if that works.
                compress = false;
                self.compression.store(false, Ordering::Relaxed);
                ctx.events.log(
                    LogLevel::Warn,
                    "the server refused a gzip request body; request compression is now off",
                );
                continue;
            }
            let text = String::from_utf8_lossy(&bytes[..bytes.len().min(300)]).to_string();
            let outcome = retry::classify_http(status, &text, self.policy.max_uncertain);
            let message = self.scrub(&format!("{root_field}: HTTP {status}: {}", text.trim()));
            let details = json!({ "http_status": status, "operation": root_field });
            let error = match status {
                401 | 403 => Error::Auth { message, details },
                429 => Error::RateLimited { message, details },
                _ => Error::Server { message, details },
            };
            return Err(AttemptError {
                outcome,
                error,
                retry_after,
                http_status: Some(status),
            });
        }
    }

    fn graphql_answer(
        &self,
        obj: &mut serde_json::Map<String, Value>,
        status: u16,
        root_field: &str,
        ctx: &CallCtx,
    ) -> Result<Value, AttemptError> {
        // Server-side deprecations reach the caller as warnings (like the official SDK).
        if let Some(Value::Array(deps)) = obj.get("extensions").and_then(|e| e.get("deprecations"))
        {
            for d in deps {
                let path = d.get("path").map(|p| match p {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                let reason = d.get("reason").and_then(Value::as_str).unwrap_or("");
                ctx.events.warn(
                    WarningKind::Deprecation,
                    ctx.method,
                    self.scrub(&format!(
                        "Deprecated GraphQL field used: {} - {reason}",
                        path.unwrap_or_default()
                    )),
                );
            }
        }
        if let Some(Value::Array(errors)) = obj.get("errors") {
            if !errors.is_empty() {
                let first = errors[0]
                    .get("message")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown GraphQL error")
                    .to_string();
                let outcome = if retry::is_transient_graphql(&first) {
                    Outcome::TransientGraphql {
                        max_attempts: self.policy.max_uncertain,
                    }
                } else {
                    Outcome::Failed
                };
                let errors_text = self.scrub(&Value::Array(errors.clone()).to_string());
                let errors_v: Value = serde_json::from_str(&errors_text).unwrap_or(Value::Null);
                let code = errors[0]
                    .pointer("/extensions/code")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let message = truncate(&self.scrub(&first), 1000);
                let details =
                    json!({ "errors": errors_v, "http_status": status, "operation": root_field });
                // A refused key is an authentication failure whatever the envelope.
                let error = if status == 401 || code == "UNAUTHENTICATED" {
                    Error::Auth { message, details }
                } else {
                    Error::Graphql { message, details }
                };
                return Err(AttemptError {
                    outcome,
                    error,
                    retry_after: None,
                    http_status: Some(status),
                });
            }
        }
        match obj.remove("data") {
            Some(d @ Value::Object(_)) => Ok(d),
            _ => Err(AttemptError {
                outcome: Outcome::Failed,
                error: Error::Server {
                    message: format!("{root_field}: the server answered without data or errors"),
                    details: json!({ "http_status": status, "operation": root_field }),
                },
                retry_after: None,
                http_status: Some(status),
            }),
        }
    }

    fn classify_reqwest(&self, e: reqwest::Error, root_field: &str) -> AttemptError {
        // The whole source chain, scrubbed: reqwest errors name the URL, never headers.
        let mut text = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            text.push_str(": ");
            text.push_str(&s.to_string());
            src = s.source();
        }
        let text = self.scrub(&text);
        let lower = text.to_ascii_lowercase();
        let details = |outcome: &str| json!({ "operation": root_field, "outcome": outcome });
        let tls = lower.contains("certificate")
            || lower.contains("invalidcertificate")
            || lower.contains("tls handshake");
        if e.is_connect() && tls {
            return AttemptError {
                outcome: Outcome::Failed,
                error: Error::Network {
                    message: format!("{root_field}: TLS failure: {text}"),
                    details: details("not_processed"),
                },
                retry_after: None,
                http_status: None,
            };
        }
        if e.is_connect() {
            let error = if e.is_timeout() {
                Error::Timeout {
                    message: format!("{root_field}: connect timeout: {text}"),
                    details: details("not_processed"),
                }
            } else {
                Error::Network {
                    message: format!("{root_field}: cannot connect: {text}"),
                    details: details("not_processed"),
                }
            };
            return AttemptError {
                outcome: Outcome::NotProcessed,
                error,
                retry_after: None,
                http_status: None,
            };
        }
        if e.is_builder() {
            return AttemptError {
                outcome: Outcome::Failed,
                error: Error::invalid_arg("api_endpoint", format!("invalid request: {text}")),
                retry_after: None,
                http_status: None,
            };
        }
        if e.is_timeout() {
            return AttemptError {
                outcome: Outcome::Unknown {
                    max_attempts: 2.min(self.policy.max_uncertain),
                },
                error: Error::Timeout {
                    message: format!("{root_field}: request timeout: {text}"),
                    details: details("unknown"),
                },
                retry_after: None,
                http_status: None,
            };
        }
        AttemptError {
            outcome: Outcome::Unknown {
                max_attempts: self.policy.max_uncertain,
            },
            error: Error::Network {
                message: format!("{root_field}: connection broken: {text}"),
                details: details("unknown"),
            },
            retry_after: None,
            http_status: None,
        }
    }

    fn wants_auth(&self, url: &str) -> bool {
        url.starts_with(&self.auth_prefix)
    }

    /// Uploads `body` with `PUT` (signed-URL upload). The API key is sent only when `url` is
    /// under the endpoint's `/api/label/v2` prefix. Resent like a query (a PUT is idempotent).
    ///
    /// Errors: as [`Transport::graphql`], with [`Error::Server`] for a non-2xx answer.
    pub async fn put_bytes(
        &self,
        url: &str,
        body: Bytes,
        content_type: &str,
        ctx: &CallCtx,
    ) -> Result<()> {
        let ct = content_type.to_string();
        let fut = self.plain_with_retry("PUT", url, ctx, move |c: &reqwest::Client, u: &str| {
            c.put(u)
                .header(reqwest::header::CONTENT_TYPE, ct.clone())
                .body(body.clone())
        });
        CallOptions::guard(ctx.cancel.as_ref(), ctx.deadline, fut)
            .await
            .map(|_| ())
    }

    /// `GET url` (media, JSON responses). The API key is sent only when `url` is under the
    /// endpoint's `/api/label/v2` prefix. Returns a response with a 2xx status; the body is
    /// left to the caller.
    ///
    /// Errors: as [`Transport::put_bytes`].
    pub async fn get(&self, url: &str, ctx: &CallCtx) -> Result<reqwest::Response> {
        let fut = self.plain_with_retry("GET", url, ctx, |c: &reqwest::Client, u: &str| c.get(u));
        CallOptions::guard(ctx.cancel.as_ref(), ctx.deadline, fut).await
    }

    /// Like [`Transport::get`], asking for the bytes from `offset` on (`Range: bytes=<offset>-`,
    /// `Accept-Encoding: identity` so that offsets are those of the stored bytes). The answer
    /// is a `206` for the range or a `200` for the whole body (a server that ignores ranges);
    /// a `416` is an [`Error::Server`] whose details hold `"http_status": 416`.
    pub async fn get_from(
        &self,
        url: &str,
        offset: u64,
        ctx: &CallCtx,
    ) -> Result<reqwest::Response> {
        let range = format!("bytes={offset}-");
        let fut = self.plain_with_retry("GET", url, ctx, |c: &reqwest::Client, u: &str| {
            c.get(u)
                .header(reqwest::header::RANGE, range.as_str())
                .header(reqwest::header::ACCEPT_ENCODING, "identity")
        });
        CallOptions::guard(ctx.cancel.as_ref(), ctx.deadline, fut).await
    }

    async fn plain_with_retry(
        &self,
        what: &str,
        url: &str,
        ctx: &CallCtx,
        build: impl Fn(&reqwest::Client, &str) -> reqwest::RequestBuilder,
    ) -> Result<reqwest::Response> {
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let mut req = build(&self.http, url);
            if self.wants_auth(url) {
                let mut v =
                    reqwest::header::HeaderValue::from_str(&format!("X-API-Key: {}", self.api_key))
                        .map_err(|_| {
                            Error::invalid_arg(
                                "api_key",
                                "the API key contains characters not allowed in an HTTP header",
                            )
                        })?;
                v.set_sensitive(true);
                req = req.header(reqwest::header::AUTHORIZATION, v);
            }
            let result: std::result::Result<(), AttemptError> = match req.send().await {
                Err(e) => Err(self.classify_reqwest(e, what)),
                Ok(resp) if resp.status().is_success() => return Ok(resp),
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    let retry_after = retry::parse_retry_after(
                        resp.headers()
                            .get(reqwest::header::RETRY_AFTER)
                            .and_then(|v| v.to_str().ok()),
                    );
                    let text = resp.text().await.unwrap_or_default();
                    let outcome = retry::classify_http(status, &text, self.policy.max_uncertain);
                    let message =
                        self.scrub(&format!("{what} {}: HTTP {status}", strip_query(url)));
                    let details = json!({ "http_status": status });
                    let error = match status {
                        401 | 403 => Error::Auth { message, details },
                        404 => Error::NotFound { message, details },
                        429 => Error::RateLimited { message, details },
                        _ => Error::Server { message, details },
                    };
                    Err(AttemptError {
                        outcome,
                        error,
                        retry_after,
                        http_status: Some(status),
                    })
                }
            };
            let Err(a) = result else { unreachable!() };
            let wait = a.retry_after.unwrap_or_else(|| {
                retry::backoff(attempt, self.policy.backoff_base, self.policy.max_backoff)
            });
            if !retry::should_retry(a.outcome, attempt, false)
                || started.elapsed() + wait > self.policy.deadline
            {
                return Err(finalize(a, attempt, false));
            }
            ctx.events.log(
                LogLevel::Debug,
                format!(
                    "{what} failed ({}); retrying in {} ms",
                    a.error.status().name(),
                    wait.as_millis()
                ),
            );
            tokio::time::sleep(wait).await;
        }
    }
}

/// `text` cut to at most `max` bytes (on a char boundary), with an ellipsis when cut: server
/// messages can quote whole requests.
fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// A URL without its query string (signed URLs carry credentials there).
fn strip_query(url: &str) -> &str {
    url.split('?').next().unwrap_or(url)
}

/// The error reported when no retry follows: adds `attempts`, and `outcome` (`unknown` for a
/// mutation that may have been processed, `not_processed` when retries ran out).
fn finalize(a: AttemptError, attempts: u32, mutation: bool) -> Error {
    let outcome = match a.outcome {
        Outcome::NotProcessed => Some("not_processed"),
        Outcome::Unknown { .. } if mutation => Some("unknown"),
        _ => None,
    };
    a.error.with_context(
        |m| m,
        |d| {
            d.insert("attempts".into(), json!(attempts));
            if let Some(out) = outcome {
                d.insert("outcome".into(), json!(out));
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn own_connections_share_the_rate_limit_and_compression_state() {
        let opts = ClientOptions {
            api_key: Some("transport-unit-test-key".into()),
            api_endpoint: Some("http://127.0.0.1:9/api/label/v2/graphql".into()),
            rate_limit_per_minute: 2,
            ..Default::default()
        };
        let a = Transport::new(&opts).unwrap();
        let b = a.with_own_connections(&opts).unwrap();
        a.limiter.acquire().await;
        a.limiter.acquire().await;
        // The budget of 2 is spent through `a`: `b` must wait for the window (30 s), not
        // start a budget of its own.
        let waited = tokio::time::timeout(Duration::from_millis(50), b.limiter.acquire()).await;
        assert!(
            waited.is_err(),
            "the copy has a rate-limit budget of its own"
        );
        // One AIMD gate too: a 429 seen by the private runtime's listing cuts the client.
        assert!(Arc::ptr_eq(&a.aimd, &b.aimd));
        a.compression.store(false, Ordering::Relaxed);
        assert!(!b.compression.load(Ordering::Relaxed));
        assert_eq!(b.endpoint(), a.endpoint());
    }
}
