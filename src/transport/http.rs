//! HTTP details of the transport: building the reqwest client (rustls, optional CA bundle),
//! the endpoint checks (no plain http to a non-loopback host unless allowed), derived URLs,
//! request headers, gzip of large bodies and null stripping of GraphQL variables.

use crate::config::{ClientOptions, CLIENT_VERSION};
use crate::error::{Error, Result};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Map, Value};
use std::io::Write;
use std::time::Duration;

/// Request bodies of at least this many bytes are sent gzipped.
pub const COMPRESSION_THRESHOLD_BYTES: usize = 1_000_000;

/// Checks the endpoint URL: http(s) only, and plain http only to a loopback host unless
/// `allow_insecure_http`. Returns the parsed URL.
pub fn check_endpoint(endpoint: &str, allow_insecure_http: bool) -> Result<reqwest::Url> {
    let url = reqwest::Url::parse(endpoint).map_err(|e| {
        Error::invalid_arg("api_endpoint", format!("not a valid URL ({e}): {endpoint}"))
    })?;
    match url.scheme() {
        "https" => Ok(url),
        "http" => {
            let host = url.host_str().unwrap_or("");
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            let loopback = host.eq_ignore_ascii_case("localhost")
                || bare
                    .parse::<std::net::IpAddr>()
                    .map(|ip| ip.is_loopback())
                    .unwrap_or(false);
            if loopback || allow_insecure_http {
                Ok(url)
            } else {
                Err(Error::invalid_arg(
                    "api_endpoint",
                    format!(
                        "plain http:// to the non-loopback host {} would send the API key in clear text; use https:// or set allow_insecure_http",
                        url.host_str().unwrap_or("?")
                    ),
                ))
            }
        }
        other => Err(Error::invalid_arg(
            "api_endpoint",
            format!("expected an http(s) URL, got scheme `{other}`"),
        )),
    }
}

/// The prefix under which plain GET/PUT requests carry the API key: the endpoint with
/// `/api/label/v2/graphql` replaced by `/api/label/v2`.
pub fn auth_prefix(endpoint: &str) -> String {
    endpoint.replace("/api/label/v2/graphql", "/api/label/v2")
}

/// Builds the shared reqwest client.
pub fn build_client(opts: &ClientOptions, verify_tls: bool) -> Result<reqwest::Client> {
    let mut b = reqwest::Client::builder()
        .use_rustls_tls()
        .connect_timeout(Duration::from_millis(opts.connect_timeout_ms))
        .timeout(Duration::from_millis(opts.request_timeout_ms))
        .gzip(true)
        .pool_idle_timeout(Duration::from_secs(60))
        .danger_accept_invalid_certs(!verify_tls);
    if let Some(path) = &opts.ca_bundle {
        let pem = std::fs::read(path).map_err(|e| {
            Error::invalid_arg("ca_bundle", format!("cannot read {}: {e}", path.display()))
        })?;
        let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
            Error::invalid_arg(
                "ca_bundle",
                format!("not a PEM certificate bundle ({}): {e}", path.display()),
            )
        })?;
        if certs.is_empty() {
            return Err(Error::invalid_arg(
                "ca_bundle",
                format!("no certificate in {}", path.display()),
            ));
        }
        for c in certs {
            b = b.add_root_certificate(c);
        }
    }
    b.build()
        .map_err(|e| Error::Internal(format!("cannot build the HTTP client: {e}")))
}

/// Headers sent on every GraphQL operation. The `Authorization` value is marked sensitive so
/// that it never shows in reqwest's debug output.
///
/// Errors: [`Error::InvalidArgument`] when the API key cannot be a header value.
pub fn graphql_headers(api_key: &str, client_name: &str, method: &str) -> Result<HeaderMap> {
    let mut h = base_graphql_headers(api_key, client_name)?;
    add_call_headers(&mut h, method);
    Ok(h)
}

/// The part of [`graphql_headers`] that is the same for every call of a client (built once
/// by the transport: the per-call part is only the method name, the call time and its id).
///
/// Errors: [`Error::InvalidArgument`] when the API key cannot be a header value.
pub fn base_graphql_headers(api_key: &str, client_name: &str) -> Result<HeaderMap> {
    let mut h = HeaderMap::with_capacity(16);
    let mut auth = HeaderValue::from_str(&format!("X-API-Key: {api_key}")).map_err(|_| {
        Error::invalid_arg(
            "api_key",
            "the API key contains characters not allowed in an HTTP header",
        )
    })?;
    auth.set_sensitive(true);
    h.insert(reqwest::header::AUTHORIZATION, auth);
    h.insert(
        reqwest::header::ACCEPT,
        HeaderValue::from_static("application/json"),
    );
    h.insert(
        reqwest::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let mut put = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(HeaderName::from_static(name), v);
        }
    };
    put("apollographql-client-name", client_name);
    put("apollographql-client-version", CLIENT_VERSION);
    put("kili-client-name", client_name);
    put("kili-client-version", CLIENT_VERSION);
    put("kili-client-language-name", "Rust");
    put(
        "kili-client-language-version",
        option_env!("CARGO_PKG_RUST_VERSION").unwrap_or("unknown"),
    );
    put("kili-client-platform-name", std::env::consts::OS);
    put("kili-client-platform-version", std::env::consts::ARCH);
    Ok(h)
}

/// Adds the per-call headers to `h`: method name, call time and a fresh call UUID (v4 from
/// the thread-local generator: `Uuid::new_v4` would make a `getrandom` system call per
/// request).
pub fn add_call_headers(h: &mut HeaderMap, method: &str) {
    let mut put = |name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(HeaderName::from_static(name), v);
        }
    };
    put("kili-client-method-name", method);
    put(
        "kili-client-call-time",
        &chrono::Utc::now()
            .format("%Y-%m-%dT%H:%M:%S%.6fZ")
            .to_string(),
    );
    let uuid = uuid::Builder::from_random_bytes(rand::random()).into_uuid();
    put(
        "kili-client-call-uuid",
        uuid.hyphenated()
            .encode_lower(&mut uuid::Uuid::encode_buffer()),
    );
}

/// Gzips `body` (level 6) when it is at least [`COMPRESSION_THRESHOLD_BYTES`] long.
/// Returns the bytes to send and whether they are compressed.
pub fn maybe_gzip(body: Vec<u8>) -> (Vec<u8>, bool) {
    if body.len() < COMPRESSION_THRESHOLD_BYTES {
        return (body, false);
    }
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::new(6),
    );
    if enc.write_all(&body).is_err() {
        return (body, false);
    }
    match enc.finish() {
        Ok(z) => (z, true),
        Err(_) => (body, false),
    }
}

/// Keys whose object values are null-stripped recursively (as the official SDK does).
const STRIPPED_KEYS: &[&str] = &["data", "where", "project", "asset", "label", "issue"];

/// Removes top-level `null` variables, and recursively the nulls inside objects stored under
/// `data`, `where`, `project`, `asset`, `label` and `issue`. Other values (e.g. `metadata`,
/// list items) are kept untouched.
pub fn strip_nulls(variables: Value) -> Value {
    match variables {
        Value::Object(m) => Value::Object(strip_object(m, true)),
        other => other,
    }
}

fn strip_object(m: Map<String, Value>, recurse_all: bool) -> Map<String, Value> {
    let _ = recurse_all;
    m.into_iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| {
            let v = match v {
                Value::Object(inner) if STRIPPED_KEYS.contains(&k.as_str()) => {
                    Value::Object(strip_object(inner, true))
                }
                other => other,
            };
            (k, v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn endpoint_rules() {
        assert!(check_endpoint("http://127.0.0.1:1/api/label/v2/graphql", false).is_ok());
        assert!(check_endpoint("http://localhost/api/label/v2/graphql", false).is_ok());
        assert!(check_endpoint("http://[::1]:8/x", false).is_ok());
        assert!(check_endpoint("https://example.com/x", false).is_ok());
        let e = check_endpoint("http://example.com/x", false).unwrap_err();
        assert!(e.to_string().contains("allow_insecure_http"), "{e}");
        assert!(check_endpoint("http://example.com/x", true).is_ok());
        assert!(check_endpoint("ftp://example.com/x", true).is_err());
        assert!(check_endpoint("not a url", true).is_err());
    }

    #[test]
    fn nulls_are_stripped_where_the_sdk_strips_them() {
        let v = json!({"a": null, "where": {"id": null, "project": {"id": "p", "x": null}, "label": {"typeIn": null},
                        "metadata": {"k": null}, "idIn": [null]}, "first": 1});
        let s = strip_nulls(v);
        assert_eq!(
            s,
            json!({"where": {"project": {"id": "p"}, "label": {}, "metadata": {"k": null}, "idIn": [null]}, "first": 1})
        );
    }

    #[test]
    fn gzip_threshold() {
        let (b, z) = maybe_gzip(vec![b'a'; 10]);
        assert!(!z && b.len() == 10);
        let (b, z) = maybe_gzip(vec![b'a'; COMPRESSION_THRESHOLD_BYTES]);
        assert!(z && b.len() < 100_000);
    }

    #[test]
    fn auth_prefix_is_derived() {
        assert_eq!(
            auth_prefix("https://h/api/label/v2/graphql"),
            "https://h/api/label/v2"
        );
    }
}
