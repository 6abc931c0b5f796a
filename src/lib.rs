//! kili-native: a native SDK for the asset module of the Kili Technology labeling platform.
//!
//! Data flows one way: arguments -> validated request -> transport -> pages/outcomes -> caller.
//! The blocking [`Client`] wraps the async core over one hidden, process-global tokio runtime.

pub mod call;
pub mod error;
pub mod events;
pub mod status;

pub use call::{CallOptions, CancelToken};
pub use error::{Error, Result};
pub use events::{Event, EventSink, LogLevel, WarningKind};
pub use status::Status;
