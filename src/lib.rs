//! kili-native: a native SDK for the asset module of the Kili Technology labeling platform.
//!
//! Data flows one way: arguments -> validated request -> transport -> pages/outcomes -> caller.
//! The blocking [`Client`] wraps the async core over one hidden, process-global tokio runtime.

#[cfg(feature = "mimalloc")]
pub mod alloc;
pub mod args;
pub mod assets;
pub mod call;
pub mod client;
pub mod config;
pub mod error;
pub mod events;
pub mod export;
#[cfg(feature = "capi")]
pub mod ffi;
pub mod runtime;
pub mod status;
pub mod transport;

pub use assets::{AssetFilters, AssetQuery, AssetStream};
pub use call::{CallOptions, CancelToken};
pub use client::{AssetCursor, AsyncClient, Client};
pub use config::ClientOptions;
pub use error::{Error, Result};
pub use events::{Event, EventSink, LogLevel, WarningKind};
pub use status::Status;
