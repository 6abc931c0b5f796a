//! Shared set-up of the mutation tests: an emulator with one project per input type, a client
//! on it whose events are recorded, and readers of the resulting assets.
#![allow(dead_code)]

use kili::client::Client;
use kili::config::ClientOptions;
use kili::{CallOptions, Event, EventSink, WarningKind};
use kili_emulator::{EmulatorConfig, EmulatorHandle};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

pub const KEY: &str = "mutations-test-key-0123456789";

/// The project of each input type: `p_text`, `p_image`, ... (lower-case type).
pub fn project(input_type: &str) -> String {
    format!("p_{}", input_type.to_ascii_lowercase())
}

pub fn fixture(extra: Value) -> Value {
    let types = [
        "TEXT",
        "IMAGE",
        "GEOSPATIAL",
        "PDF",
        "VIDEO",
        "VIDEO_LEGACY",
        "LLM_RLHF",
        "AUDIO",
    ];
    let projects: Vec<Value> = types
        .iter()
        .map(|t| json!({"id": project(t), "title": t, "input_type": t, "organization_id": "org1", "members": [{"user_id": "u1", "role": "ADMIN"}]}))
        .collect();
    let mut fx = json!({
        "organizations": [{"id": "org1", "name": "Org", "upload_local_data": true}],
        "users": [{"id": "u1", "email": "admin@example.com", "organization_id": "org1", "api_keys": [KEY]}],
        "projects": projects,
    });
    if let Value::Object(extra) = extra {
        for (k, v) in extra {
            fx[k] = v;
        }
    }
    fx
}

pub struct Env {
    pub emu: EmulatorHandle,
    pub client: Client,
    pub events: Arc<Mutex<Vec<Event>>>,
}

pub fn env(extra: Value) -> Env {
    env_with(extra, |_| {})
}

/// Like [`env`], with the client's options adjusted by `tweak` first.
pub fn env_with(extra: Value, tweak: impl FnOnce(&mut ClientOptions)) -> Env {
    let emu = kili_emulator::start_blocking(EmulatorConfig {
        fixtures: vec![fixture(extra)],
        ..Default::default()
    });
    let events = Arc::new(Mutex::new(Vec::new()));
    let e = events.clone();
    let mut opts = ClientOptions {
        api_key: Some(KEY.into()),
        api_endpoint: Some(emu.endpoint()),
        backoff_base_ms: 5,
        max_backoff_ms: 50,
        rate_limit_per_minute: 0,
        ..Default::default()
    };
    tweak(&mut opts);
    let client = Client::new(opts)
        .unwrap()
        .with_events(EventSink::new(move |ev| e.lock().unwrap().push(ev.clone())));
    Env {
        emu,
        client,
        events,
    }
}

impl Env {
    pub fn mutate(&self, action: &str, args: Value) -> kili::Result<Value> {
        self.client
            .mutate_json(action, &args.to_string(), CallOptions::default())
    }

    /// Every asset of `project_id` with `fields`, in creation order.
    pub fn assets(&self, project_id: &str, fields: &[&str]) -> Vec<Value> {
        let args = json!({"project_id": project_id, "fields": fields});
        self.client
            .assets_json(&args.to_string(), CallOptions::default())
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    pub fn warnings(&self, kind: WarningKind) -> Vec<String> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                Event::Warning {
                    kind: k, message, ..
                } if *k == kind => Some(message.clone()),
                _ => None,
            })
            .collect()
    }

    pub fn progress(&self, operation: &str) -> Vec<(u64, Option<u64>)> {
        self.events
            .lock()
            .unwrap()
            .iter()
            .filter_map(|e| match e {
                Event::Progress {
                    operation: o,
                    done,
                    total,
                } if o == operation => Some((*done, *total)),
                _ => None,
            })
            .collect()
    }

    /// Number of GraphQL requests the emulator received so far.
    pub fn graphql_requests(&self) -> usize {
        self.emu
            .request_log()
            .iter()
            .filter(|r| r.path.ends_with("/graphql"))
            .count()
    }
}

/// The ids listed under `outcomes.<key>`.
pub fn outcome_ids(v: &Value, key: &str) -> Vec<String> {
    v["outcomes"][key]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["asset_id"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The external ids listed under `outcomes.<key>`.
pub fn outcome_ext(v: &Value, key: &str) -> Vec<String> {
    v["outcomes"][key]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["external_id"].as_str().unwrap_or("").to_string())
        .collect()
}

/// A temp directory removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new() -> Self {
        let p = std::env::temp_dir().join(format!("kili-mut-{}", uuid_like()));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn uuid_like() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{n:x}-{}", std::process::id())
}

/// A valid 2x1 PNG (header readable by imagesize).
pub fn tiny_png() -> Vec<u8> {
    let mut v = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
    ];
    v.extend_from_slice(&2u32.to_be_bytes());
    v.extend_from_slice(&1u32.to_be_bytes());
    v.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    v
}
