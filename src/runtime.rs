//! The hidden process-global tokio runtime behind the blocking API and the C ABI.
//!
//! Created lazily on first use (multi-thread, worker threads named `kili-worker`), never shut
//! down. Blocking calls `block_on` it; they must not be made from inside an async context
//! (that is reported as [`Error::InvalidState`] instead of a panic).

use crate::error::{Error, Result};
use std::future::Future;
use std::sync::OnceLock;

static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();

/// The global runtime, created on first call.
///
/// Errors: [`Error::Internal`] when the OS refuses to create the worker threads.
pub fn get() -> Result<&'static tokio::runtime::Runtime> {
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("kili-worker")
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the runtime: {e}")))?;
    // Another thread may have won the race: its runtime is kept and ours dropped.
    let _ = RUNTIME.set(rt);
    Ok(RUNTIME.get().expect("runtime just set"))
}

/// Runs `fut` to completion on the global runtime, blocking the calling thread.
///
/// Errors: [`Error::InvalidState`] when called from inside an async runtime (blocking there
/// would stall it), plus whatever `fut` returns.
pub fn block_on<T>(fut: impl Future<Output = Result<T>>) -> Result<T> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::InvalidState(
            "a blocking kili call was made from inside an async runtime; use the async API (AsyncClient) there".into(),
        ));
    }
    get()?.block_on(fut)
}
