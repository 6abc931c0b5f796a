//! Shared set-up of the extras tests: a small media/label-JSON server (axum, free port) that
//! counts the requests it gets, an emulator fixture whose content URLs point at it, and
//! clients.
#![allow(dead_code)]

use axum::extract::{Path, State};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use kili::{Client, ClientOptions};
use kili_emulator::{start_blocking, EmulatorConfig, EmulatorHandle};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const KEY: &str = "extras-test-key-4e1d9b77";
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\nfake-png-bytes";

/// (method, path) -> number of requests.
#[derive(Clone, Default)]
pub struct Hits(Arc<Mutex<HashMap<(String, String), usize>>>);

impl Hits {
    pub fn get(&self, method: &str, path: &str) -> usize {
        *self
            .0
            .lock()
            .unwrap()
            .get(&(method.to_string(), path.to_string()))
            .unwrap_or(&0)
    }
    pub fn total(&self, method: &str) -> usize {
        self.0
            .lock()
            .unwrap()
            .iter()
            .filter(|((m, _), _)| m == method)
            .map(|(_, n)| n)
            .sum()
    }
}

/// The media server: runs on its own thread and runtime until the process ends.
pub struct MediaServer {
    pub base: String,
    pub hits: Hits,
}

async fn serve(State(hits): State<Hits>, method: Method, Path(path): Path<String>) -> Response {
    *hits
        .0
        .lock()
        .unwrap()
        .entry((method.to_string(), format!("/{path}")))
        .or_default() += 1;
    let base_ok =
        |ct: &'static str, body: Vec<u8>| ([(header::CONTENT_TYPE, ct)], body).into_response();
    match path.as_str() {
        p if p.starts_with("img/") => base_ok("image/png", PNG.to_vec()),
        p if p.starts_with("frame/") => base_ok("image/jpeg", format!("frame {p}").into_bytes()),
        p if p.starts_with("text/") => base_ok("text/plain; charset=utf-8", b"some text".to_vec()),
        p if p.starts_with("label/") => base_ok(
            "application/json",
            json!({"JOB": {"categories": [{"name": "FROM_URL"}]}})
                .to_string()
                .into_bytes(),
        ),
        "notjson" => base_ok("application/json", b"{oops".to_vec()),
        "hang" => std::future::pending::<Response>().await,
        _ => (StatusCode::NOT_FOUND, "missing").into_response(),
    }
}

async fn frames(State((hits, base)): State<(Hits, String)>) -> Response {
    *hits
        .0
        .lock()
        .unwrap()
        .entry(("GET".into(), "/video/frames.json".into()))
        .or_default() += 1;
    let list: Vec<String> = (1..=3).map(|i| format!("{base}/m/frame/{i}")).collect();
    axum::Json(json!(list)).into_response()
}

impl MediaServer {
    pub fn start() -> MediaServer {
        let hits = Hits::default();
        let (tx, rx) = std::sync::mpsc::channel();
        let h2 = hits.clone();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let base = format!("http://{}", listener.local_addr().unwrap());
                let app = Router::new()
                    .route("/m/{*path}", any(serve))
                    .with_state(h2.clone())
                    .merge(
                        Router::new()
                            .route("/video/frames.json", any(frames))
                            .with_state((h2, base.clone())),
                    );
                tx.send(base).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
        });
        MediaServer {
            base: rx.recv().unwrap(),
            hits,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/m/{path}", self.base)
    }
}

pub fn fixture(m: &MediaServer) -> Value {
    let interface = json!({"jobs": {
        "JOB": {"mlTask": "CLASSIFICATION", "isChild": false, "required": 0,
                "content": {"input": "checkbox", "categories": {"A": {"name": "Cat A"}, "B": {"name": "Cat B"}, "FROM_URL": {"name": "U"}}}},
        "BOX": {"mlTask": "OBJECT_DETECTION", "isChild": false, "tools": ["rectangle"],
                "content": {"input": "radio", "categories": {"CAR": {"name": "Car"}}}},
        "TR": {"mlTask": "TRANSCRIPTION", "isChild": false, "content": {"input": "textField"}}
    }});
    let mut assets = vec![
        json!({"id": "i1", "project_id": "pimg", "external_id": "img-1", "content": m.url("img/1")}),
        json!({"id": "i2", "project_id": "pimg", "external_id": "img-2.png", "content": m.url("img/2")}),
        json!({"id": "n1", "project_id": "p404", "external_id": "gone", "content": m.url("nothing/here")}),
        json!({"id": "h1", "project_id": "phang", "external_id": "slow", "content": m.url("hang")}),
        json!({"id": "t1", "project_id": "ptext", "external_id": "txt-1", "content": "", "json_content": format!("{}/m/text/1", m.base)}),
        json!({"id": "v1", "project_id": "pvid", "external_id": "vid", "content": m.url("img/video-content"),
               "json_content": format!("{}/video/frames.json", m.base)}),
        json!({"id": "j1", "project_id": "pimgjson", "external_id": "big-image", "content": m.url("img/big"),
               "json_content": m.url("label/tiles.json"), "ocr_metadata": m.url("label/ocr.json")}),
        json!({"id": "d1", "project_id": "pdc", "external_id": "dc", "content": m.url("img/dc")}),
        json!({"id": "q1", "project_id": "pparsed", "external_id": "q-1", "content": "x"}),
        json!({"id": "q2", "project_id": "pbadjob", "external_id": "q-2", "content": "x"}),
        json!({"id": "q3", "project_id": "pbadiface", "external_id": "q-3", "content": "x"}),
        json!({"id": "r1", "project_id": "purl", "external_id": "r-1", "content": "x"}),
        json!({"id": "r2", "project_id": "purl404", "external_id": "r-2", "content": "x"}),
        json!({"id": "r3", "project_id": "purlhang", "external_id": "r-3", "content": "x"}),
    ];
    for i in 0..60 {
        assets.push(json!({"id": format!("many-{i:02}"), "project_id": "pmany", "external_id": format!("many-{i:02}"),
                           "content": m.url(&format!("img/many-{i}"))}));
    }
    let project = |id: &str, it: &str| json!({"id": id, "title": id, "input_type": it, "workflow_version": "V1", "members": [{"user_id": "u1", "role": "ADMIN"}]});
    let mut pdc = project("pdc", "IMAGE");
    pdc["data_connections"] = json!(["dc-1"]);
    let mut pparsed = project("pparsed", "IMAGE");
    pparsed["json_interface"] = interface.clone();
    let mut pbadjob = project("pbadjob", "IMAGE");
    pbadjob["json_interface"] = interface.clone();
    let mut pbadiface = project("pbadiface", "IMAGE");
    pbadiface["json_interface"] = json!("[\"not an interface\"]");
    json!({
        "organizations": [{"id": "o1", "name": "Org"}],
        "users": [{"id": "u1", "email": "ann@x.com", "organization_id": "o1", "api_keys": [{"key": KEY}]}],
        "projects": [project("pimg", "IMAGE"), project("p404", "IMAGE"), project("phang", "IMAGE"), project("ptext", "TEXT"),
                     project("pvid", "VIDEO"), pdc, pparsed, pbadjob, pbadiface, project("purl", "IMAGE"), project("purl404", "IMAGE"),
                     project("pmany", "IMAGE"), project("pimgjson", "IMAGE"), project("purlhang", "IMAGE")],
        "assets": assets,
        "labels": [
            {"id": "lp1", "asset_id": "q1", "author_id": "u1", "json_response": {
                "JOB": {"categories": [{"name": "A", "confidence": 80}, {"name": "B"}]},
                "BOX": {"annotations": [{"mid": "m1", "type": "rectangle", "categories": [{"name": "CAR"}],
                        "boundingPoly": [{"normalizedVertices": [{"x": 0.1, "y": 0.1}, {"x": 0.2, "y": 0.1}, {"x": 0.2, "y": 0.2}, {"x": 0.1, "y": 0.2}]}]}]},
                "TR": {"text": "hello"}}},
            {"id": "lp2", "asset_id": "q2", "author_id": "u1", "json_response": {"GHOST_JOB": {"categories": [{"name": "A"}]}}},
            {"id": "lp3", "asset_id": "q3", "author_id": "u1", "json_response": {}},
            {"id": "lu1", "asset_id": "r1", "author_id": "u1", "json_response": "{}", "json_response_url": m.url("label/lu1.json")},
            {"id": "lu2", "asset_id": "r2", "author_id": "u1", "json_response": "{}", "json_response_url": m.url("label-missing")},
            {"id": "lu3", "asset_id": "r3", "author_id": "u1", "json_response": "{}", "json_response_url": m.url("hang")}
        ]
    })
}

pub fn emulator(m: &MediaServer) -> EmulatorHandle {
    start_blocking(EmulatorConfig {
        fixtures: vec![fixture(m)],
        ..Default::default()
    })
}

pub fn options(emu: &EmulatorHandle) -> ClientOptions {
    ClientOptions {
        api_key: Some(KEY.into()),
        api_endpoint: Some(emu.endpoint()),
        rate_limit_per_minute: 0,
        backoff_base_ms: 5,
        max_backoff_ms: 50,
        ..Default::default()
    }
}

pub fn client(emu: &EmulatorHandle) -> Client {
    Client::new(options(emu)).expect("client")
}

/// A fresh, empty directory under the system temp dir, removed when dropped.
pub struct TempDir(std::path::PathBuf);

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::path::Path> for TempDir {
    fn as_ref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn temp_dir(tag: &str) -> TempDir {
    let d = std::env::temp_dir().join(format!(
        "kili-extras-{tag}-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4()
    ));
    std::fs::create_dir_all(&d).unwrap();
    TempDir(d)
}
