//! Events the SDK reports while it works: progress, warnings (deprecations, empty lists,
//! ignored inputs) and log lines. They reach the caller through an [`EventSink`] set on the
//! client; the C ABI forwards them to a `{user_data, call, drop}` callback.
//!
//! Threading: a sink may be called from any thread (including runtime worker threads), never
//! concurrently for the same event, and must not block for long.

use serde::Serialize;
use std::sync::Arc;

/// Kind of warning, so that callers can filter without parsing messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// A deprecated argument, alias or value was used.
    Deprecation,
    /// A list argument was empty: the call did nothing.
    EmptyList,
    /// Some inputs were skipped (duplicates, already existing external ids, ...).
    Ignored,
    /// Anything else worth telling.
    Other,
}

/// Log level of a [`Event::Log`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

/// One event. Serialised to JSON as `{"type": "progress"|"warning"|"log", ...}` for the C ABI.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// `done` of `total` items of operation `operation` are finished. `total` is `None` when
    /// unknown.
    Progress {
        operation: String,
        done: u64,
        total: Option<u64>,
    },
    /// Something the caller should know; the call went on.
    Warning {
        kind: WarningKind,
        method: String,
        message: String,
    },
    /// A log line (retries, slow calls). Never contains the API key.
    Log { level: LogLevel, message: String },
}

impl Event {
    /// The event as a JSON string (for the C ABI).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }
}

/// Receiver of events. Cheap to clone; called from any thread.
#[derive(Clone, Default)]
pub struct EventSink(Option<Arc<dyn Fn(&Event) + Send + Sync>>);

impl EventSink {
    /// A sink that calls `f` for each event.
    pub fn new(f: impl Fn(&Event) + Send + Sync + 'static) -> Self {
        EventSink(Some(Arc::new(f)))
    }

    /// A sink that drops every event.
    pub fn none() -> Self {
        EventSink(None)
    }

    /// Deliver one event (no-op without a receiver).
    pub fn emit(&self, event: Event) {
        if let Some(f) = &self.0 {
            f(&event);
        }
    }

    /// Shorthand for a warning.
    pub fn warn(&self, kind: WarningKind, method: &str, message: impl Into<String>) {
        self.emit(Event::Warning {
            kind,
            method: method.to_string(),
            message: message.into(),
        });
    }

    /// Shorthand for a progress event.
    pub fn progress(&self, operation: &str, done: u64, total: Option<u64>) {
        self.emit(Event::Progress {
            operation: operation.to_string(),
            done,
            total,
        });
    }

    /// Shorthand for a log line.
    pub fn log(&self, level: LogLevel, message: impl Into<String>) {
        self.emit(Event::Log {
            level,
            message: message.into(),
        });
    }
}

impl std::fmt::Debug for EventSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "EventSink(set)"
        } else {
            "EventSink(none)"
        })
    }
}
