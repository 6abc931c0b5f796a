//! The runtimes behind the blocking API and the C ABI.
//!
//! The hidden process-global tokio runtime is created lazily on first use (multi-thread,
//! worker threads named `kili-worker`) and never shut down. A sequential listing
//! (`prefetch_pages = 0`) runs instead on a private current-thread runtime that only its
//! caller drives ([`Driver::local`]): no page crosses a thread, like a bare HTTP loop.
//! Blocking calls must not be made from inside an async context (that is reported as
//! [`Error::InvalidState`] instead of a panic).

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

/// Errors: [`Error::InvalidState`] inside an async runtime, where blocking would stall it.
fn ensure_not_async() -> Result<()> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::InvalidState(
            "a blocking kili call was made from inside an async runtime; use the async API (AsyncClient) there".into(),
        ));
    }
    Ok(())
}

/// Runs `fut` to completion on the global runtime, blocking the calling thread.
///
/// Errors: [`Error::InvalidState`] when called from inside an async runtime (blocking there
/// would stall it), plus whatever `fut` returns.
pub fn block_on<T>(fut: impl Future<Output = Result<T>>) -> Result<T> {
    ensure_not_async()?;
    get()?.block_on(fut)
}

/// Where the futures of one blocking object (a cursor) run.
///
/// `Global`: the global runtime; work spawned there goes on in the background. `Local`: a
/// private current-thread runtime that makes progress only while its owner blocks on it,
/// from whichever thread (one at a time). Whatever is spawned on it (connections, page
/// loops) must stay with it: see [`crate::transport::Transport::with_own_connections`].
/// Dropping a `Local` driver stops its tasks without waiting for them, so it may be dropped
/// anywhere, an async context included.
#[derive(Debug)]
pub enum Driver {
    /// The process-global runtime.
    Global,
    /// A private runtime (`None` only while being dropped).
    Local(Option<tokio::runtime::Runtime>),
}

impl Driver {
    /// A private current-thread runtime.
    ///
    /// Errors: [`Error::InvalidState`] inside an async runtime; [`Error::Internal`] when the
    /// OS refuses its I/O driver.
    pub fn local() -> Result<Self> {
        ensure_not_async()?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Internal(format!("cannot start a runtime: {e}")))?;
        Ok(Driver::Local(Some(rt)))
    }

    /// Runs `fut` to completion on this driver, blocking the calling thread.
    ///
    /// Errors: as [`block_on`].
    pub fn block_on<T>(&self, fut: impl Future<Output = Result<T>>) -> Result<T> {
        match self {
            Driver::Global => block_on(fut),
            Driver::Local(Some(rt)) => {
                ensure_not_async()?;
                rt.block_on(fut)
            }
            Driver::Local(None) => Err(Error::Internal("the cursor's runtime is gone".into())),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Driver::Local(rt) = self {
            if let Some(rt) = rt.take() {
                // A plain drop would panic inside an async context and wait for blocking tasks.
                rt.shutdown_background();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_driver_runs_on_the_calling_thread() {
        let d = Driver::local().unwrap();
        let me = std::thread::current().id();
        let ran_on = d
            .block_on(async { Ok(std::thread::current().id()) })
            .unwrap();
        assert_eq!(ran_on, me);
        let spawned = d
            .block_on(async { Ok(tokio::spawn(async { std::thread::current().id() }).await) })
            .unwrap()
            .unwrap();
        assert_eq!(spawned, me, "its tasks too: a current-thread runtime");
    }

    #[test]
    fn drivers_refuse_to_block_inside_an_async_context_and_drop_there() {
        let d = Driver::local().unwrap();
        let outer = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        outer.block_on(async move {
            assert!(matches!(Driver::local(), Err(Error::InvalidState(_))));
            assert!(matches!(
                d.block_on(async { Ok(()) }),
                Err(Error::InvalidState(_))
            ));
            drop(d); // must not panic
        });
    }
}
