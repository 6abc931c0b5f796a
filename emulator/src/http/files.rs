//! Version endpoint, signed-URL uploads (`PUT`) and file reads (`GET`), stored in SQLite.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rusqlite::OptionalExtension;

use super::request_log::{headers_of, RequestRecord};
use super::ServerState;

fn log(state: &ServerState, method: &str, uri: &axum::http::Uri, headers: &HeaderMap) {
    state.log.push(RequestRecord {
        method: method.into(),
        path: uri.to_string(),
        headers: headers_of(headers),
        body: None,
        operation: None,
        gzip: false,
    });
}

/// `GET /api/label/v2/version`.
pub async fn version(State(state): State<Arc<ServerState>>, req: Request) -> Response {
    log(&state, "GET", req.uri(), req.headers());
    axum::Json(serde_json::json!({ "version": state.version })).into_response()
}

fn path_of_sig(state: &ServerState, sig: &str) -> Option<String> {
    state
        .store
        .read(|c| {
            Ok(
                c.query_row("SELECT path FROM signed_urls WHERE sig = ?1", [sig], |r| {
                    r.get(0)
                })
                .optional()?,
            )
        })
        .ok()
        .flatten()
}

/// `PUT /api/label/v2/upload?sig=...`: stores the body under the signed path.
pub async fn put_upload(
    State(state): State<Arc<ServerState>>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
    uri: axum::http::Uri,
    body: Bytes,
) -> Response {
    log(&state, "PUT", &uri, &headers);
    let Some(path) = q.get("sig").and_then(|s| path_of_sig(&state, s)) else {
        return (
            StatusCode::FORBIDDEN,
            "unknown or missing upload signature (sig)",
        )
            .into_response();
    };
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_string();
    let r = state.store.write(|tx| {
        tx.execute(
            "INSERT OR REPLACE INTO files(path, content_type, bytes) VALUES (?1, ?2, ?3)",
            rusqlite::params![path, ct, body.to_vec()],
        )?;
        Ok(())
    });
    match r {
        Ok(()) => StatusCode::OK.into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

fn serve_path(state: &ServerState, path: &str) -> Response {
    let f: Option<(Option<String>, Vec<u8>)> = state
        .store
        .read(|c| {
            Ok(c.query_row(
                "SELECT content_type, bytes FROM files WHERE path = ?1",
                [path],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
        })
        .ok()
        .flatten();
    match f {
        None => (
            StatusCode::NOT_FOUND,
            format!("no file stored at id={path}"),
        )
            .into_response(),
        Some((ct, bytes)) => {
            let mut r = bytes.into_response();
            let ct = ct.unwrap_or_else(|| "application/octet-stream".into());
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(&ct)
                    .unwrap_or(HeaderValue::from_static("application/octet-stream")),
            );
            r
        }
    }
}

/// `GET /api/label/v2/upload?sig=...&id=...`: reads back an uploaded file (asset contents
/// keep the full signed URL, so this is what a client downloading the content hits).
pub async fn get_upload(
    State(state): State<Arc<ServerState>>,
    Query(q): Query<HashMap<String, String>>,
    req: Request,
) -> Response {
    log(&state, "GET", req.uri(), req.headers());
    let path = q
        .get("id")
        .cloned()
        .or_else(|| q.get("sig").and_then(|s| path_of_sig(&state, s)));
    match path {
        Some(p) => serve_path(&state, &p),
        None => (StatusCode::BAD_REQUEST, "missing id").into_response(),
    }
}

/// `GET /api/label/v2/files?id=<path>`.
pub async fn get_file(
    State(state): State<Arc<ServerState>>,
    Query(q): Query<HashMap<String, String>>,
    req: Request,
) -> Response {
    log(&state, "GET", req.uri(), req.headers());
    match q.get("id") {
        Some(p) => serve_path(&state, p),
        None => (
            StatusCode::BAD_REQUEST,
            "query parameter id (the file path) is required",
        )
            .into_response(),
    }
}
