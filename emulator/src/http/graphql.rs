//! `POST /api/label/v2/graphql`: gzip bodies, API-key authentication, fault injection,
//! execution, and error shaping (every error carries `extensions.code`).

use std::io::Read;
use std::sync::Arc;

use async_graphql::parser::types::{DocumentOperations, OperationType, Selection};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::gzip;
use super::request_log::{headers_of, RequestRecord};
use super::{KillSwitch, ServerState};
use crate::doc_memo::DocMemo;
use crate::faults::{FaultDecision, FaultKind};
use crate::gql::fast_assets::{self, FastPaths};
use crate::gql::fast_update;
use crate::gql::Viewer;
use crate::store::rows;

const MAX_BODY: usize = 512 * 1024 * 1024;

fn json_response(status: StatusCode, v: &serde_json::Value) -> Response {
    let mut r = (status, v.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn gql_error(status: StatusCode, code: &str, message: &str) -> Response {
    json_response(
        status,
        &serde_json::json!({"data": null, "errors": [{"message": message, "extensions": {"code": code}}]}),
    )
}

/// The API key of `Authorization: X-API-Key: <key>` (a bare key or `Bearer <key>` also work).
pub fn api_key(h: &axum::http::HeaderMap) -> Option<String> {
    let v = h.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let key = v
        .strip_prefix("X-API-Key:")
        .or_else(|| v.strip_prefix("x-api-key:"))
        .or_else(|| v.strip_prefix("Bearer "))
        .unwrap_or(v)
        .trim();
    (!key.is_empty()).then(|| key.to_string())
}

type OpInfo = (bool, Option<String>);

/// [`parse_operation_info`], memoised (see [`DocMemo`]).
fn operation_info(query: &str, operation_name: Option<&str>) -> OpInfo {
    static MEMO: DocMemo<OpInfo> = DocMemo::new();
    MEMO.get(query, operation_name, || {
        parse_operation_info(query, operation_name)
    })
}

/// (is_mutation, root field name) of the single operation of `query`.
fn parse_operation_info(query: &str, operation_name: Option<&str>) -> OpInfo {
    let Ok(doc) = async_graphql::parser::parse_query(query) else {
        return (false, None);
    };
    let op = match &doc.operations {
        DocumentOperations::Single(op) => Some(&op.node),
        DocumentOperations::Multiple(ops) => match operation_name {
            Some(n) => ops.get(n).map(|o| &o.node),
            None => ops.values().next().map(|o| &o.node),
        },
    };
    let Some(op) = op else { return (false, None) };
    let field = op
        .selection_set
        .node
        .items
        .iter()
        .find_map(|s| match &s.node {
            Selection::Field(f) => Some(f.node.name.node.to_string()),
            _ => None,
        });
    (op.ty == OperationType::Mutation, field)
}

fn fault_response(
    kind: &FaultKind,
    kill: Option<&KillSwitch>,
    body: Option<Vec<u8>>,
) -> Option<Response> {
    let text = |status: StatusCode, msg: &'static str| {
        let mut r = (status, msg).into_response();
        r.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        r
    };
    Some(match kind {
        FaultKind::Http500 => text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error (injected fault)",
        ),
        FaultKind::Http502 => text(StatusCode::BAD_GATEWAY, "Bad Gateway (injected fault)"),
        FaultKind::Http503 => text(
            StatusCode::SERVICE_UNAVAILABLE,
            "Service Unavailable (injected fault)",
        ),
        FaultKind::Http504 => text(
            StatusCode::GATEWAY_TIMEOUT,
            "Gateway Timeout (injected fault)",
        ),
        FaultKind::EnvoyNotForwarded => {
            text(StatusCode::SERVICE_UNAVAILABLE, "no healthy upstream")
        }
        FaultKind::Http429 { retry_after_secs } => {
            let mut r = text(
                StatusCode::TOO_MANY_REQUESTS,
                "Too Many Requests (injected fault)",
            );
            r.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_str(&retry_after_secs.to_string()).unwrap(),
            );
            r
        }
        FaultKind::Reset => {
            let _ = kill;
            return None; // handled by `apply_fault`
        }
        FaultKind::Truncated => {
            let full = body.unwrap_or_else(|| {
                br#"{"data": {"data": null}, "padding": "................................"}"#
                    .to_vec()
            });
            let len = full.len();
            let half = full[..len / 2].to_vec();
            let stream = futures_util::stream::iter(vec![
                Ok::<_, std::io::Error>(bytes::Bytes::from(half)),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionAborted,
                    "truncated (injected fault)",
                )),
            ]);
            let mut r = Response::new(Body::from_stream(stream));
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            r.headers_mut().insert(
                header::CONTENT_LENGTH,
                HeaderValue::from_str(&len.to_string()).unwrap(),
            );
            r
        }
        FaultKind::Latency { .. } => return None,
    })
}

/// The answer for fault `kind`; `None` = serve normally. A `Reset` never answers: the
/// connection is dropped (its task drops this future too).
async fn apply_fault(
    kind: &FaultKind,
    kill: Option<&KillSwitch>,
    body: Option<Vec<u8>>,
) -> Option<Response> {
    if *kind == FaultKind::Reset {
        if let Some(k) = kill {
            let _ = k.0.try_send(());
            std::future::pending::<()>().await;
        }
        return Some(StatusCode::INTERNAL_SERVER_ERROR.into_response());
    }
    fault_response(kind, kill, body)
}

/// Gives every error an `extensions.code` (validation and parse errors come without one).
fn shape_errors(resp: &mut async_graphql::Response) {
    for e in resp.errors.iter_mut() {
        let has_code = e
            .extensions
            .as_ref()
            .is_some_and(|x| x.get("code").is_some());
        if !has_code {
            let code = if e.path.is_empty() {
                "GRAPHQL_VALIDATION_FAILED"
            } else {
                "INTERNAL_SERVER_ERROR"
            };
            let mut ext = e.extensions.take().unwrap_or_default();
            ext.set("code", code);
            e.extensions = Some(ext);
        }
    }
}

/// The fields of a GraphQL request body as `async_graphql::Request` reads them (same names,
/// defaults and accepted types; unknown fields ignored, duplicates refused), with the query
/// text borrowed when it has no escapes and the variables only checked to be an object or null.
#[derive(serde::Deserialize)]
struct Envelope<'a> {
    #[serde(default, borrow)]
    query: std::borrow::Cow<'a, str>,
    #[serde(default, rename = "operationName", borrow)]
    operation_name: Option<std::borrow::Cow<'a, str>>,
    #[serde(default)]
    #[allow(dead_code)] // read for its type check only
    variables: Option<AnyObject>,
    #[serde(default)]
    #[allow(dead_code)]
    extensions: Option<AnyObject>,
}

/// A JSON object, skipped.
struct AnyObject;

impl<'de> serde::Deserialize<'de> for AnyObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = AnyObject;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<AnyObject, A::Error> {
                while m
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(AnyObject)
            }
        }
        d.deserialize_map(V)
    }
}

fn bad_body_error() -> Response {
    gql_error(
        StatusCode::BAD_REQUEST,
        "BAD_REQUEST",
        "the body must be JSON {\"query\": \"...\", \"variables\": {...}} (gzip allowed with Content-Encoding: gzip)",
    )
}

/// Appends the request to the log (a compact copy of its body bytes, parsed when the log is
/// read). A copy, not the received `Bytes`: those may be a slice of the connection's read
/// buffer (or a grown decode buffer), which a long log would otherwise keep alive in full
/// (the 100k-asset benchmark emulator grew from ~500 MB to ~1.1 GB that way).
fn log_request(
    state: &ServerState,
    parts: &axum::http::request::Parts,
    bytes: bytes::Bytes,
    gzip: bool,
    operation: Option<String>,
) {
    state.log.push_json(
        RequestRecord {
            method: parts.method.to_string(),
            path: parts.uri.to_string(),
            headers: headers_of(&parts.headers),
            body: None,
            operation,
            gzip,
        },
        bytes::Bytes::copy_from_slice(&bytes),
    );
}

/// The GraphQL endpoint.
pub async fn handle(State(state): State<Arc<ServerState>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let kill = parts.extensions.get::<KillSwitch>().cloned();
    let raw = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return gql_error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "could not read the request body",
            )
        }
    };
    let gzip = parts
        .headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("gzip"));
    // The body is kept as refcounted bytes: the request log holds them (parsed only when
    // read) and the GraphQL request is deserialised straight from them, with no
    // intermediate `serde_json::Value` to build and copy.
    let bytes: bytes::Bytes = if gzip {
        let mut out = Vec::new();
        if flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .is_err()
        {
            return gql_error(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                "Content-Encoding: gzip but the body is not valid gzip",
            );
        }
        out.into()
    } else {
        raw
    };
    let fast_paths = parts.extensions.get::<FastPaths>().filter(|fp| fp.enabled);
    // An update batch for the fast path is answered from the body's envelope and its two
    // variables read straight from the bytes (gql/fast_update.rs): the whole request as
    // async-graphql values is only built if that path declines.
    let envelope = fast_paths
        .and_then(|_| serde_json::from_slice::<Envelope>(&bytes).ok())
        .and_then(|env| {
            let info = operation_info(&env.query, env.operation_name.as_deref());
            (info.0 && info.1.as_deref() == Some("updatePropertiesInAssets")).then_some((env, info))
        });
    let (gql_req, (is_mutation, operation)) = match &envelope {
        Some((_, info)) => (None, info.clone()),
        None => {
            let gql_req: Option<async_graphql::Request> = serde_json::from_slice(&bytes).ok();
            let info = gql_req
                .as_ref()
                .map(|r| operation_info(&r.query, r.operation_name.as_deref()))
                .unwrap_or((false, None));
            if gql_req.is_none() {
                log_request(&state, &parts, bytes, gzip, None);
                return bad_body_error();
            }
            (gql_req, info)
        }
    };
    log_request(&state, &parts, bytes.clone(), gzip, operation.clone());

    let decision = state.faults.decide(operation.as_deref(), is_mutation);
    if let Some(FaultDecision {
        kind,
        after_execution: false,
    }) = &decision
    {
        if let Some(r) = apply_fault(kind, kill.as_ref(), None).await {
            return r;
        }
    }
    if let Some(FaultDecision {
        kind: FaultKind::Latency { ms },
        ..
    }) = &decision
    {
        tokio::time::sleep(std::time::Duration::from_millis(*ms)).await;
    }

    let user = match api_key(&parts.headers) {
        Some(k) => state
            .store
            .read(|c| rows::user_by_key(c, &k))
            .ok()
            .flatten(),
        None => None,
    };
    let started = std::time::Instant::now();
    // `assets` pages straight from the rows, and `updatePropertiesInAssets` batches without
    // async-graphql, when the document allows it (same answer, see gql/fast_assets.rs and
    // gql/fast_update.rs); anything else, and any failure there, runs the schema.
    let fast = match fast_paths {
        Some(fp) => {
            let out = match (&envelope, &gql_req) {
                (Some((env, _)), _) => fast_update::answer(
                    &state.store,
                    &env.query,
                    env.operation_name.as_deref(),
                    &bytes,
                    user.as_ref(),
                ),
                (None, Some(req)) if !is_mutation => {
                    fast_assets::answer(&state.store, req, user.as_ref())
                }
                _ => None,
            };
            if out.is_some() {
                fp.answered
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            out
        }
        None => None,
    };
    let (out, unauthenticated) = match fast {
        Some(out) => (out, false),
        None => {
            // The envelope mirrors the request's fields, so this parse succeeds when it did.
            let gql_req = match gql_req {
                Some(r) => r,
                None => match serde_json::from_slice::<async_graphql::Request>(&bytes) {
                    Ok(r) => r,
                    Err(_) => return bad_body_error(),
                },
            };
            let mut resp = state.schema.execute(gql_req.data(Viewer(user))).await;
            shape_errors(&mut resp);
            let unauthenticated = resp.errors.iter().any(|e| {
                e.extensions
                    .as_ref()
                    .and_then(|x| x.get("code"))
                    .is_some_and(
                        |c| matches!(c, async_graphql::Value::String(s) if s == "UNAUTHENTICATED"),
                    )
            });
            let out = serde_json::to_vec(&resp).unwrap_or_else(|_| br#"{"errors":[{"message":"serialisation failed","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}"#.to_vec());
            (out, unauthenticated)
        }
    };
    if let Some(FaultDecision {
        kind,
        after_execution: true,
    }) = &decision
    {
        if let Some(r) = apply_fault(kind, kill.as_ref(), Some(out.clone())).await {
            return r;
        }
    }
    // 401 with a GraphQL body: the SDK treats it as a GraphQL answer (no retry) and its
    // start-up key check fails on the non-200 status.
    let status = if unauthenticated {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::OK
    };
    // Execution + serialisation time, for benchmarks (standard Server-Timing header).
    let dur = format!("exec;dur={:.3}", started.elapsed().as_secs_f64() * 1000.0);
    // Compressed here rather than by the router's CompressionLayer (which skips a response
    // that has a Content-Encoding): same negotiation and headers, pooled compressors.
    let compress = out.len() >= gzip::MIN_SIZE && gzip::accepts_gzip(&parts.headers);
    let out = if compress { gzip::encode(&out) } else { out };
    let mut r = (status, out).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = HeaderValue::from_str(&dur) {
        h.insert("server-timing", v);
    }
    if compress {
        h.append(header::VARY, HeaderValue::from_static("accept-encoding"));
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    r
}
