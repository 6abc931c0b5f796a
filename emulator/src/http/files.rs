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

/// A single byte range of a `Range` header, resolved against a body of `len` bytes.
#[derive(Debug, PartialEq, Eq)]
enum ByteRange {
    /// No usable `Range` header (absent, not `bytes=`, several ranges, bad syntax): the whole
    /// body with 200, as RFC 9110 §14.2 allows a server to ignore such a header.
    Whole,
    /// Inclusive `start..=end`, answered with 206.
    Part(u64, u64),
    /// Syntactically valid but outside the body: 416.
    Unsatisfiable,
}

/// Parses `bytes=N-`, `bytes=N-M` and `bytes=-N` (suffix) for a body of `len` bytes.
fn byte_range(header: Option<&str>, len: u64) -> ByteRange {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return ByteRange::Whole;
    };
    if spec.contains(',') {
        return ByteRange::Whole; // multipart/byteranges is not served
    }
    let Some((a, b)) = spec.trim().split_once('-') else {
        return ByteRange::Whole;
    };
    let num = |s: &str| -> Option<u64> {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match (a.trim().is_empty(), num(a), num(b)) {
        // suffix: the last N bytes
        (true, _, Some(n)) => {
            if n == 0 || len == 0 {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Part(len.saturating_sub(n), len - 1)
            }
        }
        (false, Some(start), None) if b.trim().is_empty() => {
            if start >= len {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Part(start, len - 1)
            }
        }
        (false, Some(start), Some(end)) if start <= end => {
            if start >= len {
                ByteRange::Unsatisfiable
            } else {
                ByteRange::Part(start, end.min(len - 1))
            }
        }
        _ => ByteRange::Whole,
    }
}

/// Serves the stored file at `path`, honouring a single-range `Range` header (206 with
/// `Content-Range`, 416 when out of range) so that clients can resume interrupted downloads.
fn serve_path(state: &ServerState, path: &str, headers: &HeaderMap) -> Response {
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
    let Some((ct, bytes)) = f else {
        return (
            StatusCode::NOT_FOUND,
            format!("no file stored at id={path}"),
        )
            .into_response();
    };
    let len = bytes.len() as u64;
    let range = byte_range(
        headers.get(header::RANGE).and_then(|v| v.to_str().ok()),
        len,
    );
    let mut r = match range {
        ByteRange::Whole => bytes.into_response(),
        ByteRange::Part(start, end) => {
            let body = bytes[start as usize..=end as usize].to_vec();
            let mut r = (StatusCode::PARTIAL_CONTENT, body).into_response();
            r.headers_mut().insert(
                header::CONTENT_RANGE,
                HeaderValue::from_str(&format!("bytes {start}-{end}/{len}")).expect("ASCII header"),
            );
            r
        }
        ByteRange::Unsatisfiable => {
            let mut r = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            r.headers_mut().insert(
                header::CONTENT_RANGE,
                HeaderValue::from_str(&format!("bytes */{len}")).expect("ASCII header"),
            );
            r.headers_mut()
                .insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
            return r;
        }
    };
    r.headers_mut()
        .insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    let ct = ct.unwrap_or_else(|| "application/octet-stream".into());
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&ct).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    r
}

/// `GET /api/label/v2/upload?sig=...&id=...`: reads back an uploaded file (asset contents
/// keep the full signed URL, so this is what a client downloading the content hits). Single
/// byte ranges are honoured (see `serve_path`); `HEAD` is answered by this handler too and
/// logged as `HEAD`.
pub async fn get_upload(
    State(state): State<Arc<ServerState>>,
    Query(q): Query<HashMap<String, String>>,
    req: Request,
) -> Response {
    log(&state, req.method().as_str(), req.uri(), req.headers());
    let path = q
        .get("id")
        .cloned()
        .or_else(|| q.get("sig").and_then(|s| path_of_sig(&state, s)));
    match path {
        Some(p) => serve_path(&state, &p, req.headers()),
        None => (StatusCode::BAD_REQUEST, "missing id").into_response(),
    }
}

/// `GET /api/label/v2/files?id=<path>` (byte ranges and `HEAD` as for `get_upload`).
pub async fn get_file(
    State(state): State<Arc<ServerState>>,
    Query(q): Query<HashMap<String, String>>,
    req: Request,
) -> Response {
    log(&state, req.method().as_str(), req.uri(), req.headers());
    match q.get("id") {
        Some(p) => serve_path(&state, p, req.headers()),
        None => (
            StatusCode::BAD_REQUEST,
            "query parameter id (the file path) is required",
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::{byte_range, ByteRange};

    #[test]
    fn ranges() {
        use ByteRange::*;
        assert_eq!(byte_range(None, 10), Whole);
        assert_eq!(byte_range(Some("bytes=0-"), 10), Part(0, 9));
        assert_eq!(byte_range(Some("bytes=4-"), 10), Part(4, 9));
        assert_eq!(byte_range(Some("bytes=4-6"), 10), Part(4, 6));
        assert_eq!(byte_range(Some("bytes=4-100"), 10), Part(4, 9));
        assert_eq!(byte_range(Some("bytes=-3"), 10), Part(7, 9));
        assert_eq!(byte_range(Some("bytes=-30"), 10), Part(0, 9));
        assert_eq!(byte_range(Some("bytes=10-"), 10), Unsatisfiable);
        assert_eq!(byte_range(Some("bytes=12-20"), 10), Unsatisfiable);
        assert_eq!(byte_range(Some("bytes=0-"), 0), Unsatisfiable);
        assert_eq!(byte_range(Some("bytes=6-4"), 10), Whole);
        assert_eq!(byte_range(Some("bytes=0-1,4-5"), 10), Whole);
        assert_eq!(byte_range(Some("items=0-1"), 10), Whole);
        assert_eq!(byte_range(Some("bytes=x-"), 10), Whole);
    }
}
