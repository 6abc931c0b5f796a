//! An axum app served on a loopback port by its own tokio runtime, for tests that script the
//! server's answers themselves (`mod mock_support;`).

use std::net::SocketAddr;

/// Serves `app` on 127.0.0.1 (a free port) on a new two-worker runtime; returns the runtime
/// (the server stops when it is dropped) and the GraphQL endpoint URL.
pub fn serve(app: axum::Router) -> (tokio::runtime::Runtime, String) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    rt.spawn(async move { axum::serve(listener, app).await.unwrap() });
    (rt, format!("http://{addr}/api/label/v2/graphql"))
}
