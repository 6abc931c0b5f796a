//! Emulator-only admin endpoints under `/emulator/` (NOT part of Kili's API), protected by the
//! header `x-emulator-admin-token: <token>`; disabled when no admin token is configured.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

use super::ServerState;
use crate::faults::FaultConfig;
use crate::store::{fixtures, generate as gen};

/// Header carrying the admin token.
pub const ADMIN_HEADER: &str = "x-emulator-admin-token";

fn check(state: &ServerState, h: &HeaderMap) -> Result<(), Response> {
    match &state.admin_token {
        None => Err((
            StatusCode::FORBIDDEN,
            "admin endpoints are disabled (start the emulator with --admin-token)",
        )
            .into_response()),
        Some(t) => match h.get(ADMIN_HEADER).and_then(|v| v.to_str().ok()) {
            Some(v) if v == t => Ok(()),
            _ => Err((
                StatusCode::UNAUTHORIZED,
                format!("missing or wrong {ADMIN_HEADER} header"),
            )
                .into_response()),
        },
    }
}

fn err(e: impl std::fmt::Display) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(serde_json::json!({"error": e.to_string()})),
    )
        .into_response()
}

/// `POST /emulator/fixtures` with a fixture JSON body.
pub async fn load_fixture(
    State(state): State<Arc<ServerState>>,
    h: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> Response {
    if let Err(r) = check(&state, &h) {
        return r;
    }
    match fixtures::load(&state.store, &body) {
        Ok(()) => Json(serde_json::json!({"ok": true})).into_response(),
        Err(e) => err(e),
    }
}

/// `POST /emulator/faults` with a [`FaultConfig`] JSON body.
pub async fn set_faults(
    State(state): State<Arc<ServerState>>,
    h: HeaderMap,
    Json(body): Json<serde_json::Value>,
) -> Response {
    if let Err(r) = check(&state, &h) {
        return r;
    }
    match serde_json::from_value::<FaultConfig>(body) {
        Ok(cfg) => {
            state.faults.set(cfg);
            Json(serde_json::json!({"ok": true})).into_response()
        }
        Err(e) => err(format!("body: expected a fault configuration: {e}")),
    }
}

/// Body of `POST /emulator/generate`.
#[derive(serde::Deserialize)]
pub struct GenerateBody {
    pub project_id: String,
    pub count: u64,
}

/// `POST /emulator/generate` with `{"project_id": "...", "count": N}`.
pub async fn generate(
    State(state): State<Arc<ServerState>>,
    h: HeaderMap,
    Json(body): Json<GenerateBody>,
) -> Response {
    if let Err(r) = check(&state, &h) {
        return r;
    }
    let store = state.store.clone();
    let started = std::time::Instant::now();
    let r =
        tokio::task::spawn_blocking(move || gen::generate(&store, &body.project_id, body.count))
            .await;
    match r {
        Ok(Ok(n)) => {
            Json(serde_json::json!({"created": n, "seconds": started.elapsed().as_secs_f64()}))
                .into_response()
        }
        Ok(Err(e)) => err(e),
        Err(e) => err(e),
    }
}

/// `GET /emulator/requests`: the request log (with headers, unredacted).
pub async fn requests(State(state): State<Arc<ServerState>>, h: HeaderMap) -> Response {
    if let Err(r) = check(&state, &h) {
        return r;
    }
    Json(state.log.snapshot()).into_response()
}

/// `DELETE /emulator/requests`: clears the request log.
pub async fn clear_requests(State(state): State<Arc<ServerState>>, h: HeaderMap) -> Response {
    if let Err(r) = check(&state, &h) {
        return r;
    }
    state.log.clear();
    StatusCode::NO_CONTENT.into_response()
}

/// `GET /emulator/link`: the realistic-link settings and counters (`{"enabled": false}` when
/// the link mode is off).
pub async fn link_stats(State(state): State<Arc<ServerState>>, h: HeaderMap) -> Response {
    if let Err(r) = check(&state, &h) {
        return r;
    }
    match &state.link {
        None => Json(serde_json::json!({"enabled": false})).into_response(),
        Some(l) => {
            let mut v = serde_json::to_value(l.stats()).unwrap_or_default();
            v["enabled"] = true.into();
            v["config"] = serde_json::to_value(l.config()).unwrap_or_default();
            Json(v).into_response()
        }
    }
}

/// `DELETE /emulator/link`: zeroes the link counters and starts a fresh rate-limit window.
pub async fn reset_link(State(state): State<Arc<ServerState>>, h: HeaderMap) -> Response {
    if let Err(r) = check(&state, &h) {
        return r;
    }
    if let Some(l) = &state.link {
        l.reset();
    }
    StatusCode::NO_CONTENT.into_response()
}
