//! Client configuration: [`ClientOptions`], its JSON form and the resolution of the API key
//! and endpoint from the environment (`KILI_API_KEY`, `KILI_API_ENDPOINT`, `KILI_VERIFY`).
//!
//! The API key is secret: every `Debug` output, log line and error shows it redacted
//! (`****` + its last 4 characters, see [`redact`]).

use crate::args::Args;
use crate::error::{Error, Result};
use std::path::PathBuf;

/// The cloud endpoint used when neither the options nor `KILI_API_ENDPOINT` name one.
pub const DEFAULT_ENDPOINT: &str = "https://cloud.kili-technology.com/api/label/v2/graphql";

/// Version sent in the `kili-client-version` / `apollographql-client-version` headers.
pub const CLIENT_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Options of a client. Plain data: cheap to clone, `Send + Sync`.
///
/// `Default` gives the documented defaults. [`ClientOptions::from_json`] reads the same
/// options from a JSON object with these snake_case names (the C ABI's form).
#[derive(Clone, PartialEq)]
pub struct ClientOptions {
    /// API key; `None` or empty = read `KILI_API_KEY`.
    pub api_key: Option<String>,
    /// GraphQL endpoint; `None` = `KILI_API_ENDPOINT`, then [`DEFAULT_ENDPOINT`].
    pub api_endpoint: Option<String>,
    /// Verify TLS certificates (default true). `KILI_VERIFY=false` also turns it off when the
    /// option is left at its default.
    pub verify_tls: bool,
    /// Extra PEM CA bundle trusted in addition to the built-in roots.
    pub ca_bundle: Option<PathBuf>,
    /// TCP+TLS connect timeout (default 30 000 ms).
    pub connect_timeout_ms: u64,
    /// Whole-request timeout of one HTTP attempt (default 60 000 ms).
    pub request_timeout_ms: u64,
    /// Retries of "not processed" answers stop this long after the first attempt (120 000 ms);
    /// so do the resends of a mutation batch whose outcome stayed unknown.
    pub retry_deadline_ms: u64,
    /// Attempts of a query whose outcome is uncertain (502, dropped connection...; default 5);
    /// also the sends, in all, of a mutation batch whose outcome stays unknown (each resend
    /// preceded by a check of what the server already applied).
    pub max_attempts_uncertain: u32,
    /// Client-side limit of GraphQL attempts per window (default 500; 0 disables it): never
    /// more than this many attempts start in any rolling window, as Kili counts, so a client
    /// alone on its key meets 429s only when link jitter brings arrivals closer than the
    /// starts (they are retried). Shared by every call of the client.
    pub rate_limit_per_minute: u32,
    /// Window of the rate limit in ms (default 60 000; smaller only for tests). Also the
    /// recovery period after a 429: the attempts in flight, halved on each 429, grow back by
    /// one per window without a 429 (up to the larger of `prefetch_pages` and
    /// `mutation_concurrency`, then uncapped).
    pub rate_limit_window_ms: u64,
    /// Maximum assets per page (default 100, the official SDK's cap).
    pub page_size: u32,
    /// Page requests of a listing in flight at once (default 8: on a link, a listing takes
    /// round trips divided by requests in flight; memory stays bounded by prefetch + 2 pages).
    /// 1: one request at a time, made in the background: the next page is requested once the
    /// previous one has been handed to the caller's queue (one page deep), never earlier. 0: one request at a time
    /// and no background work: a blocking cursor runs its listing on the thread that calls
    /// it (a private runtime and connection, progress only inside its calls), an async
    /// stream inside its own `next` calls; the least CPU per asset.
    pub prefetch_pages: u32,
    /// Batches of one mutation call (update, review, back to queue, delete) in flight at the
    /// same time (default 8; 1 = one after the other). A call whose assets repeat an id always
    /// runs its batches one after the other, so the later update of an asset wins.
    pub mutation_concurrency: u32,
    /// Allow plain `http://` to a non-loopback host (default false).
    pub allow_insecure_http: bool,
    /// Sent as `kili-client-name` / `apollographql-client-name` (default `kili-native`).
    pub client_name: String,
    /// Keep `jsonMetadata` / `jsonResponse` as JSON text instead of decoding them (default false).
    pub keep_json_raw: bool,
    /// Base of the full-jitter backoff: the wait after attempt n is uniform in
    /// [0, min(max_backoff_ms, backoff_base_ms * 2^(n-1))] (default 1 000 ms).
    pub backoff_base_ms: u64,
    /// Cap of one backoff wait (default 30 000 ms).
    pub max_backoff_ms: u64,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            api_key: None,
            api_endpoint: None,
            verify_tls: true,
            ca_bundle: None,
            connect_timeout_ms: 30_000,
            request_timeout_ms: 60_000,
            retry_deadline_ms: 120_000,
            max_attempts_uncertain: 5,
            rate_limit_per_minute: 500,
            rate_limit_window_ms: 60_000,
            page_size: 100,
            prefetch_pages: 8,
            mutation_concurrency: 8,
            allow_insecure_http: false,
            client_name: "kili-native".to_string(),
            keep_json_raw: false,
            backoff_base_ms: 1_000,
            max_backoff_ms: 30_000,
        }
    }
}

/// The names accepted by [`ClientOptions::from_json`].
pub const OPTION_NAMES: &[&str] = &[
    "api_key",
    "api_endpoint",
    "verify_tls",
    "ca_bundle",
    "connect_timeout_ms",
    "request_timeout_ms",
    "retry_deadline_ms",
    "max_attempts_uncertain",
    "rate_limit_per_minute",
    "rate_limit_window_ms",
    "page_size",
    "prefetch_pages",
    "mutation_concurrency",
    "allow_insecure_http",
    "client_name",
    "keep_json_raw",
    "backoff_base_ms",
    "max_backoff_ms",
];

impl ClientOptions {
    /// Reads options from a JSON object (`{}` = defaults; `null` values = defaults).
    ///
    /// Errors: [`Error::InvalidArgument`] for text that is not a JSON object (naming the
    /// position), an unknown key (naming the closest valid one) or a value of the wrong type.
    pub fn from_json(s: &str) -> Result<Self> {
        let obj = crate::args::parse_object(s, "options")?;
        let a = Args::new(&obj, OPTION_NAMES, "")?;
        let d = ClientOptions::default();
        let u32_of = |k: &str, dflt: u32| -> Result<u32> {
            match a.u64(k)? {
                None => Ok(dflt),
                Some(v) => u32::try_from(v).map_err(|_| {
                    Error::invalid_arg(k, format!("expected an integer <= {}, got {v}", u32::MAX))
                }),
            }
        };
        let opts = ClientOptions {
            api_key: a.string("api_key")?,
            api_endpoint: a.string("api_endpoint")?,
            verify_tls: a.bool("verify_tls")?.unwrap_or(d.verify_tls),
            ca_bundle: a.string("ca_bundle")?.map(PathBuf::from),
            connect_timeout_ms: a.u64("connect_timeout_ms")?.unwrap_or(d.connect_timeout_ms),
            request_timeout_ms: a.u64("request_timeout_ms")?.unwrap_or(d.request_timeout_ms),
            retry_deadline_ms: a.u64("retry_deadline_ms")?.unwrap_or(d.retry_deadline_ms),
            max_attempts_uncertain: u32_of("max_attempts_uncertain", d.max_attempts_uncertain)?,
            rate_limit_per_minute: u32_of("rate_limit_per_minute", d.rate_limit_per_minute)?,
            rate_limit_window_ms: a
                .u64("rate_limit_window_ms")?
                .unwrap_or(d.rate_limit_window_ms),
            page_size: u32_of("page_size", d.page_size)?,
            prefetch_pages: u32_of("prefetch_pages", d.prefetch_pages)?,
            mutation_concurrency: u32_of("mutation_concurrency", d.mutation_concurrency)?,
            allow_insecure_http: a
                .bool("allow_insecure_http")?
                .unwrap_or(d.allow_insecure_http),
            client_name: a.string("client_name")?.unwrap_or(d.client_name),
            keep_json_raw: a.bool("keep_json_raw")?.unwrap_or(d.keep_json_raw),
            backoff_base_ms: a.u64("backoff_base_ms")?.unwrap_or(d.backoff_base_ms),
            max_backoff_ms: a.u64("max_backoff_ms")?.unwrap_or(d.max_backoff_ms),
        };
        opts.validate()?;
        Ok(opts)
    }

    /// Checks ranges: `page_size` in 1..=100, `rate_limit_window_ms` > 0,
    /// `max_attempts_uncertain` >= 1, `mutation_concurrency` in 1..=64, non-zero timeouts.
    pub fn validate(&self) -> Result<()> {
        if self.page_size == 0 || self.page_size > 100 {
            return Err(Error::invalid_arg(
                "page_size",
                format!("expected 1..=100, got {}", self.page_size),
            ));
        }
        if self.rate_limit_window_ms == 0 {
            return Err(Error::invalid_arg(
                "rate_limit_window_ms",
                "expected a positive number of milliseconds",
            ));
        }
        if self.mutation_concurrency == 0 || self.mutation_concurrency > 64 {
            return Err(Error::invalid_arg(
                "mutation_concurrency",
                format!("expected 1..=64, got {}", self.mutation_concurrency),
            ));
        }
        if self.max_attempts_uncertain == 0 {
            return Err(Error::invalid_arg(
                "max_attempts_uncertain",
                "expected at least 1",
            ));
        }
        if self.connect_timeout_ms == 0 || self.request_timeout_ms == 0 {
            return Err(Error::invalid_arg(
                if self.connect_timeout_ms == 0 {
                    "connect_timeout_ms"
                } else {
                    "request_timeout_ms"
                },
                "expected a positive number of milliseconds",
            ));
        }
        if self.client_name.is_empty() || self.client_name.chars().any(|c| c.is_control()) {
            return Err(Error::invalid_arg(
                "client_name",
                "expected a non-empty name without control characters",
            ));
        }
        Ok(())
    }

    /// The API key: the option, then `KILI_API_KEY`. Empty counts as missing.
    ///
    /// Errors: [`Error::Auth`] when neither gives a key.
    pub fn resolved_api_key(&self) -> Result<String> {
        let from_env = || std::env::var("KILI_API_KEY").ok();
        match self.api_key.clone().filter(|k| !k.is_empty()).or_else(|| from_env().filter(|k| !k.is_empty())) {
            Some(k) => Ok(k),
            None => Err(Error::Auth {
                message: "no API key: set `api_key` in the client options or the KILI_API_KEY environment variable".into(),
                details: serde_json::Value::Null,
            }),
        }
    }

    /// The endpoint: the option, then `KILI_API_ENDPOINT`, then [`DEFAULT_ENDPOINT`].
    pub fn resolved_endpoint(&self) -> String {
        self.api_endpoint
            .clone()
            .filter(|e| !e.is_empty())
            .or_else(|| {
                std::env::var("KILI_API_ENDPOINT")
                    .ok()
                    .filter(|e| !e.is_empty())
            })
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_string())
    }

    /// TLS verification after `KILI_VERIFY` (only consulted when `verify_tls` is left true:
    /// an explicit `false` always wins).
    pub fn resolved_verify_tls(&self) -> bool {
        if !self.verify_tls {
            return false;
        }
        match std::env::var("KILI_VERIFY") {
            Ok(v) => matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes"),
            Err(_) => true,
        }
    }
}

impl std::fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientOptions")
            .field("api_key", &self.api_key.as_deref().map(redact))
            .field("api_endpoint", &self.api_endpoint)
            .field("verify_tls", &self.verify_tls)
            .field("ca_bundle", &self.ca_bundle)
            .field("connect_timeout_ms", &self.connect_timeout_ms)
            .field("request_timeout_ms", &self.request_timeout_ms)
            .field("retry_deadline_ms", &self.retry_deadline_ms)
            .field("max_attempts_uncertain", &self.max_attempts_uncertain)
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("rate_limit_window_ms", &self.rate_limit_window_ms)
            .field("page_size", &self.page_size)
            .field("prefetch_pages", &self.prefetch_pages)
            .field("mutation_concurrency", &self.mutation_concurrency)
            .field("allow_insecure_http", &self.allow_insecure_http)
            .field("client_name", &self.client_name)
            .field("keep_json_raw", &self.keep_json_raw)
            .field("backoff_base_ms", &self.backoff_base_ms)
            .field("max_backoff_ms", &self.max_backoff_ms)
            .finish()
    }
}

/// The redacted form of a secret: `****` followed by its last 4 characters (only `****` when
/// the secret has 8 characters or fewer, so that short keys are not half shown).
pub fn redact(secret: &str) -> String {
    let n = secret.chars().count();
    if n <= 8 {
        return "****".to_string();
    }
    let tail: String = secret.chars().skip(n - 4).collect();
    format!("****{tail}")
}

/// Replaces every occurrence of `secret` in `text` by its redacted form. Used on every
/// message built from foreign text (HTTP bodies, library errors) before it leaves the SDK.
pub fn scrub(text: &str, secret: &str) -> String {
    if secret.is_empty() || !text.contains(secret) {
        return text.to_string();
    }
    text.replace(secret, &redact(secret))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_to_last_four() {
        assert_eq!(redact("abcdefghijkl"), "****ijkl");
        assert_eq!(redact("short"), "****");
        let o = ClientOptions {
            api_key: Some("secret-key-1234".into()),
            ..Default::default()
        };
        let dbg = format!("{o:?}");
        assert!(!dbg.contains("secret-key"), "{dbg}");
        assert!(dbg.contains("****1234"));
        assert_eq!(
            scrub("x secret-key-1234 y", "secret-key-1234"),
            "x ****1234 y"
        );
    }

    #[test]
    fn from_json_defaults_and_values() {
        let o = ClientOptions::from_json("{}").unwrap();
        assert_eq!(o, ClientOptions::default());
        let o = ClientOptions::from_json(
            r#"{"page_size": 10, "api_key": "k", "verify_tls": false, "rate_limit_per_minute": 0}"#,
        )
        .unwrap();
        assert_eq!(o.page_size, 10);
        assert_eq!(o.api_key.as_deref(), Some("k"));
        assert!(!o.verify_tls);
        assert_eq!(o.rate_limit_per_minute, 0);
    }

    #[test]
    fn mutation_concurrency_is_bounded() {
        let o = ClientOptions::from_json(r#"{"mutation_concurrency": 8}"#).unwrap();
        assert_eq!(o.mutation_concurrency, 8);
        for bad in ["0", "65"] {
            let e = ClientOptions::from_json(&format!(r#"{{"mutation_concurrency": {bad}}}"#))
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("mutation_concurrency") && e.contains("1..=64"),
                "{e}"
            );
        }
    }

    #[test]
    fn every_option_is_documented_in_the_readme_and_the_header() {
        // The README's configuration section, up to the next section.
        let readme = include_str!("../README.md");
        let (_, table) = readme
            .split_once("## Configuration")
            .expect("README configuration section");
        let table = table.split("\n## ").next().unwrap_or_default();
        // kili_client_new's doc comment in the generated header.
        let header = include_str!("../include/kili.h");
        let (_, new_doc) = header
            .split_once("Creates a client from a JSON options object")
            .expect("kili_client_new's doc");
        let new_doc = new_doc.split("*/").next().unwrap_or_default();
        for name in OPTION_NAMES {
            let quoted = format!("`{name}`");
            assert!(
                table.contains(&quoted),
                "README configuration table lacks {quoted}"
            );
            assert!(
                new_doc.contains(&quoted),
                "kili_client_new's doc lacks {quoted}"
            );
        }
    }

    #[test]
    fn from_json_unknown_key_names_closest() {
        let e = ClientOptions::from_json(r#"{"page_sise": 10}"#).unwrap_err();
        let s = e.to_string();
        assert!(s.contains("page_sise") && s.contains("page_size"), "{s}");
        assert_eq!(e.status(), crate::Status::InvalidArgument);
    }

    #[test]
    fn from_json_type_and_range_errors() {
        let e = ClientOptions::from_json(r#"{"page_size": "ten"}"#).unwrap_err();
        assert!(e.to_string().contains("page_size"), "{e}");
        let e = ClientOptions::from_json(r#"{"page_size": 500}"#).unwrap_err();
        assert!(e.to_string().contains("1..=100"), "{e}");
        let e = ClientOptions::from_json("[1]").unwrap_err();
        assert!(e.to_string().contains("object"), "{e}");
        let e = ClientOptions::from_json("{\"a\": ").unwrap_err();
        assert!(e.to_string().contains("column"), "{e}");
    }
}
