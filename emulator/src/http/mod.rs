//! HTTP layer: routes, the connection loop (with a per-connection kill switch used by the
//! `Reset` fault), and the shared server state.

pub mod admin;
pub mod files;
pub mod graphql;
pub mod gzip;
pub mod link;
pub mod request_log;

use std::convert::Infallible;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};
use tower::ServiceExt;
use tower_http::compression::{CompressionLayer, CompressionLevel};

use crate::faults::FaultState;
use crate::gql::KiliSchema;
use crate::store::Store;
use request_log::RequestLog;

/// Everything the handlers share. Thread-safe.
pub struct ServerState {
    pub schema: KiliSchema,
    pub store: Arc<Store>,
    pub faults: FaultState,
    pub log: RequestLog,
    pub admin_token: Option<String>,
    pub base_url: String,
    /// Value of `GET /api/label/v2/version`; derived from the schema text, so it changes
    /// whenever the schema does (clients key their schema caches on it).
    pub version: String,
    /// Realistic-link mode (latency, bandwidth, server-side rate limit); `None` = off.
    pub link: Option<Arc<link::Link>>,
}

/// Closing this connection without an answer (the `Reset` fault).
#[derive(Clone)]
pub struct KillSwitch(pub mpsc::Sender<()>);

/// The routes.
pub fn router(state: Arc<ServerState>) -> Router {
    let api = Router::new()
        .route("/api/label/v2/graphql", post(graphql::handle))
        .route("/api/label/v2/version", get(files::version))
        .route(
            "/api/label/v2/upload",
            get(files::get_upload).put(files::put_upload),
        )
        .route("/api/label/v2/files", get(files::get_file));
    // The link layer wraps the Kili API routes only (added before the admin routes, so those
    // stay instant), and only when on: with it off the router is exactly the loopback one.
    let api = match &state.link {
        Some(l) => api.route_layer(axum::middleware::from_fn_with_state(l.clone(), link::layer)),
        None => api,
    };
    api.route("/emulator/fixtures", post(admin::load_fixture))
        .route("/emulator/faults", post(admin::set_faults))
        .route("/emulator/generate", post(admin::generate))
        .route(
            "/emulator/requests",
            get(admin::requests).delete(admin::clear_requests),
        )
        .route(
            "/emulator/link",
            get(admin::link_stats).delete(admin::reset_link),
        )
        // Fastest level: the emulator shares the machine with the clients under test, and
        // level 6 cost about a fifth of a listing page's CPU for a few percent of size.
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .quality(CompressionLevel::Fastest),
        )
        .with_state(state)
}

/// Accepts connections until `shutdown` fires, then closes every connection.
pub async fn serve(listener: TcpListener, app: Router, mut shutdown: oneshot::Receiver<()>) {
    let mut conns = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = &mut shutdown => break,
            acc = listener.accept() => {
                let Ok((stream, _)) = acc else { continue };
                let _ = stream.set_nodelay(true);
                let app = app.clone();
                conns.spawn(async move {
                    let (kill_tx, mut kill_rx) = mpsc::channel::<()>(1);
                    let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                        req.extensions_mut().insert(KillSwitch(kill_tx.clone()));
                        let app = app.clone();
                        async move { Ok::<_, Infallible>(app.oneshot(req.map(axum::body::Body::new)).await.unwrap_or_else(|e| match e {})) }
                    });
                    let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
                    let conn = builder.serve_connection(TokioIo::new(stream), svc);
                    tokio::select! {
                        _ = conn => {}
                        _ = kill_rx.recv() => {}
                    }
                });
            }
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    conns.abort_all();
    while conns.join_next().await.is_some() {}
}
