//! Log of the requests the emulator received, for tests that check what a client sent.

use parking_lot::Mutex;

/// One received request. Nothing is redacted: tests check exactly what the client sent, so
/// never print these records in shared logs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RequestRecord {
    /// HTTP method, e.g. `POST`.
    pub method: String,
    /// Path and query, e.g. `/api/label/v2/graphql`.
    pub path: String,
    /// Headers in arrival order (names lower-cased).
    pub headers: Vec<(String, String)>,
    /// The JSON body of a GraphQL request (after gzip decoding), else `None`.
    pub body: Option<serde_json::Value>,
    /// Root field of the GraphQL operation (e.g. `countAssets`), else `None`.
    pub operation: Option<String>,
    /// Whether the request body arrived gzip-compressed.
    pub gzip: bool,
}

impl RequestRecord {
    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Thread-safe append-only log (bounded to the last 100,000 records).
#[derive(Default)]
pub struct RequestLog {
    /// Each record with, for a GraphQL request, its body bytes: they are parsed into
    /// [`RequestRecord::body`] only when the log is read (tests, `GET /emulator/requests`), not
    /// on every request (parsing and copying the JSON cost a fifth of a 100-asset update).
    records: Mutex<Vec<(RequestRecord, Option<bytes::Bytes>)>>,
}

impl RequestLog {
    /// Appends `r` as is.
    pub fn push(&self, r: RequestRecord) {
        self.push_entry((r, None));
    }

    /// Appends `r` with its body given as the received (decoded) bytes: the snapshot's
    /// `body` is their JSON value, or `None` when they are not JSON. `r.body` is ignored.
    /// `body` is kept as given (refcounted): pass compact bytes, not a slice of a larger
    /// buffer that the log would keep alive.
    pub fn push_json(&self, r: RequestRecord, body: bytes::Bytes) {
        self.push_entry((r, Some(body)));
    }

    fn push_entry(&self, e: (RequestRecord, Option<bytes::Bytes>)) {
        let mut g = self.records.lock();
        if g.len() >= 100_000 {
            g.drain(..50_000);
        }
        g.push(e);
    }

    /// The records in arrival order.
    pub fn snapshot(&self) -> Vec<RequestRecord> {
        // Clone under the lock (cheap: the bodies are refcounted), parse outside it.
        let entries = self.records.lock().clone();
        entries
            .into_iter()
            .map(|(mut r, body)| {
                if let Some(b) = body {
                    r.body = serde_json::from_slice(&b).ok();
                }
                r
            })
            .collect()
    }

    /// Forgets every record.
    pub fn clear(&self) {
        self.records.lock().clear();
    }
}

/// Headers of a request as (lower-cased name, value) pairs.
pub fn headers_of(h: &axum::http::HeaderMap) -> Vec<(String, String)> {
    h.iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}
