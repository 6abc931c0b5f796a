//! kili-emulator: a local Kili-compatible GraphQL server on SQLite, for tests, examples and
//! benchmarks of kili-native. The unmodified official Python SDK runs against it.
//!
//! Library use (in-process tests):
//!
//! ```no_run
//! # async fn demo() {
//! use kili_emulator::{Emulator, EmulatorConfig};
//! let emu = Emulator::start(EmulatorConfig { seed_demo: true, ..Default::default() }).await.unwrap();
//! println!("{}", emu.endpoint()); // http://127.0.0.1:PORT/api/label/v2/graphql
//! emu.shutdown().await;
//! # }
//! ```
//!
//! Synchronous tests use [`start_blocking`], which runs the server on its own runtime thread.

pub mod demo;
pub mod doc_memo;
pub mod faults;
pub mod gql;
pub mod http;
pub mod store;
pub mod time;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use parking_lot::Mutex;
use tokio::sync::oneshot;

pub use faults::{FaultConfig, FaultKind, FaultPhase};
pub use http::admin::ADMIN_HEADER;
pub use http::link::{LinkConfig, LinkStats};
pub use http::request_log::RequestRecord;

/// Errors of starting or feeding the emulator.
#[derive(Debug, thiserror::Error)]
pub enum EmulatorError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Store(#[from] store::StoreError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Start-up settings. `Default`: 127.0.0.1, a free port, in-memory database, no data, no
/// admin token, no faults.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Interface to listen on (default `127.0.0.1`).
    pub host: String,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// SQLite file; `None` = in memory.
    pub db: Option<PathBuf>,
    /// Fixtures (README format) loaded in order at start.
    pub fixtures: Vec<serde_json::Value>,
    /// Load the demo data set (API key `demo-api-key`).
    pub seed_demo: bool,
    /// Token enabling the `/emulator/...` admin endpoints.
    pub admin_token: Option<String>,
    /// Initial fault injection.
    pub faults: FaultConfig,
    /// Answer plain `assets` page queries straight from the rows instead of through
    /// async-graphql (same answers, a fraction of the time; see `gql/fast_assets.rs`).
    /// Default `true`; `false` runs every request through the schema.
    pub fast_paths: bool,
    /// Realistic-link mode: latency, bandwidth cap, server-side rate limit (see
    /// `http/link.rs`). Default off.
    pub link: LinkConfig,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        EmulatorConfig {
            host: "127.0.0.1".into(),
            port: 0,
            db: None,
            fixtures: vec![],
            seed_demo: false,
            admin_token: None,
            faults: FaultConfig::default(),
            fast_paths: true,
            link: LinkConfig::default(),
        }
    }
}

/// A running emulator. Thread-safe: every method takes `&self` except [`Emulator::shutdown`].
pub struct Emulator {
    state: Arc<http::ServerState>,
    fast: gql::fast_assets::FastPaths,
    addr: SocketAddr,
    stop: Mutex<Option<oneshot::Sender<()>>>,
    task: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Emulator {
    /// Binds, loads the data and starts serving on the current tokio runtime.
    ///
    /// Errors: the address cannot be bound, the database cannot be opened, a fixture is invalid.
    pub async fn start(cfg: EmulatorConfig) -> Result<Emulator, EmulatorError> {
        let addr_text = format!("{}:{}", cfg.host, cfg.port);
        let listener = tokio::net::TcpListener::bind(&addr_text)
            .await
            .map_err(|source| EmulatorError::Bind {
                addr: addr_text.clone(),
                source,
            })?;
        let addr = listener.local_addr()?;
        let base_url = format!("http://{}", addr);
        let store = store::Store::open(cfg.db.as_deref())?;
        if cfg.seed_demo {
            store::fixtures::load(&store, &demo::fixture())?;
        }
        for f in &cfg.fixtures {
            store::fixtures::load(&store, f)?;
        }
        let schema = gql::build_schema(Arc::new(gql::AppCtx {
            store: store.clone(),
            base_url: base_url.clone(),
        }));
        let version = schema_version(&schema.sdl());
        let state = Arc::new(http::ServerState {
            schema,
            store,
            faults: faults::FaultState::new(cfg.faults.clone()),
            log: Default::default(),
            admin_token: cfg.admin_token.clone(),
            base_url,
            version,
            link: cfg
                .link
                .is_active()
                .then(|| http::link::Link::new(cfg.link.clone())),
        });
        let (tx, rx) = oneshot::channel();
        let fast = gql::fast_assets::FastPaths {
            enabled: cfg.fast_paths,
            answered: Default::default(),
        };
        let app = http::router(state.clone()).layer(axum::Extension(fast.clone()));
        let task = tokio::spawn(http::serve(listener, app, rx));
        Ok(Emulator {
            state,
            fast,
            addr,
            stop: Mutex::new(Some(tx)),
            task: Mutex::new(Some(task)),
        })
    }

    /// `http://HOST:PORT`.
    pub fn base_url(&self) -> String {
        self.state.base_url.clone()
    }

    /// The GraphQL endpoint, `base_url() + "/api/label/v2/graphql"`.
    pub fn endpoint(&self) -> String {
        format!("{}/api/label/v2/graphql", self.state.base_url)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The `/version` string (changes whenever the schema does).
    pub fn version(&self) -> String {
        self.state.version.clone()
    }

    /// The schema in SDL.
    pub fn sdl(&self) -> String {
        self.state.schema.sdl()
    }

    /// Loads a fixture (README format) in one transaction.
    pub fn load_fixture(&self, fixture: &serde_json::Value) -> Result<(), EmulatorError> {
        Ok(store::fixtures::load(&self.state.store, fixture)?)
    }

    /// Adds `count` synthetic assets (with labels on every other one) to an existing project.
    pub fn generate_assets(&self, project_id: &str, count: u64) -> Result<u64, EmulatorError> {
        Ok(store::generate::generate(
            &self.state.store,
            project_id,
            count,
        )?)
    }

    /// Number of requests answered by the `assets` fast path so far (see
    /// [`EmulatorConfig::fast_paths`]); for tests and benchmarks.
    pub fn fast_path_answers(&self) -> u64 {
        self.fast
            .answered
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Replaces the fault-injection settings.
    pub fn set_faults(&self, faults: FaultConfig) {
        self.state.faults.set(faults);
    }

    /// Every request received since start or the last [`Emulator::clear_request_log`].
    pub fn request_log(&self) -> Vec<RequestRecord> {
        self.state.log.snapshot()
    }

    /// Empties the request log.
    pub fn clear_request_log(&self) {
        self.state.log.clear();
    }

    /// Stops accepting and closes every connection (signal only; see `shutdown`).
    pub fn stop(&self) {
        if let Some(tx) = self.stop.lock().take() {
            let _ = tx.send(());
        }
    }

    /// Stops the server and waits until its connections are closed.
    pub async fn shutdown(self) {
        self.stop();
        let task = self.task.lock().take();
        if let Some(t) = task {
            let _ = t.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        self.stop();
    }
}

fn schema_version(sdl: &str) -> String {
    // FNV-1a: stable across runs and Rust versions (unlike DefaultHasher).
    let mut h: u64 = 0xcbf29ce484222325;
    for b in sdl.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{}-emulator-{:08x}", env!("CARGO_PKG_VERSION"), h as u32)
}

/// An emulator running on its own runtime thread, for synchronous tests. Derefs to
/// [`Emulator`]; dropping it shuts the server down and joins the thread.
pub struct EmulatorHandle {
    emulator: Option<Emulator>,
    thread: Option<std::thread::JoinHandle<()>>,
    done: Option<oneshot::Sender<()>>,
}

impl std::ops::Deref for EmulatorHandle {
    type Target = Emulator;
    fn deref(&self) -> &Emulator {
        self.emulator.as_ref().expect("emulator present until drop")
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(e) = self.emulator.take() {
            e.stop();
            // The runtime thread awaits the server task, then exits.
            let task = e.task.lock().take();
            if let Some(done) = self.done.take() {
                let _ = done.send(());
            }
            drop(task);
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts an emulator on its own runtime thread. Panics when it cannot start (tests only).
pub fn start_blocking(cfg: EmulatorConfig) -> EmulatorHandle {
    try_start_blocking(cfg).expect("kili-emulator failed to start")
}

/// Like [`start_blocking`], returning the start error instead of panicking.
pub fn try_start_blocking(cfg: EmulatorConfig) -> Result<EmulatorHandle, EmulatorError> {
    let (tx, rx) = std::sync::mpsc::channel();
    let (done_tx, done_rx) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("kili-emulator".into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("tokio runtime");
            rt.block_on(async move {
                match Emulator::start(cfg).await {
                    Ok(e) => {
                        let _ = tx.send(Ok(e));
                        let _ = done_rx.await;
                    }
                    Err(err) => {
                        let _ = tx.send(Err(err));
                    }
                }
            });
        })?;
    let emulator = rx
        .recv()
        .map_err(|_| EmulatorError::Io(std::io::Error::other("emulator thread died")))??;
    Ok(EmulatorHandle {
        emulator: Some(emulator),
        thread: Some(thread),
        done: Some(done_tx),
    })
}
