//! Shared set-up of the core integration tests: a fixture, an emulator on a free port, a
//! client with an event recorder, and request-log helpers.
#![allow(dead_code)]

use kili::{AsyncClient, Client, ClientOptions, Event, EventSink};
use kili_emulator::{start_blocking, EmulatorConfig, EmulatorHandle};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

pub const KEY: &str = "core-test-key-9f3a7c21";
pub const KEY2: &str = "core-test-key-other-5511";

pub fn fixture() -> Value {
    let md = |v: Value| v;
    json!({
        "organizations": [{"id": "o1", "name": "Org"}],
        "users": [
            {"id": "u1", "email": "ann@x.com", "firstname": "Ann", "lastname": "Lee", "organization_id": "o1", "api_keys": [{"key": KEY}]},
            {"id": "u2", "email": "bob@x.com", "firstname": "Bob", "lastname": "Ray", "organization_id": "o1", "api_keys": [{"key": KEY2}]}
        ],
        "projects": [
            {"id": "p1", "title": "V1 images", "input_type": "IMAGE", "workflow_version": "V1",
             "members": [{"user_id": "u1", "role": "ADMIN"}, {"user_id": "u2", "role": "LABELER"}]},
            {"id": "p2", "title": "V2 texts", "input_type": "TEXT", "workflow_version": "V2",
             "members": [{"user_id": "u1", "role": "ADMIN"}],
             "steps": [{"id": "s-label", "name": "Label", "type": "DEFAULT"}, {"id": "s-review", "name": "Review", "type": "REVIEW"}]},
            {"id": "p3", "title": "V3 images", "input_type": "IMAGE", "workflow_version": "V3",
             "members": [{"user_id": "u1", "role": "ADMIN"}],
             "steps": [{"id": "s3-a", "name": "Label", "type": "DEFAULT", "step_group_name": "G1"},
                       {"id": "s3-b", "name": "Label", "type": "DEFAULT", "step_group_name": "G2"},
                       {"id": "s3-c", "name": "Review", "type": "REVIEW", "step_group_name": "G2"}]},
            {"id": "p0", "title": "empty", "input_type": "IMAGE", "workflow_version": "V1", "members": [{"user_id": "u1", "role": "ADMIN"}]},
            {"id": "pbig", "title": "big", "input_type": "IMAGE", "workflow_version": "V1", "members": [{"user_id": "u1", "role": "ADMIN"}]},
            {"id": "pvid", "title": "videos", "input_type": "VIDEO", "workflow_version": "V2", "members": [{"user_id": "u1", "role": "ADMIN"}],
             "steps": [{"id": "sv", "name": "Label", "type": "DEFAULT"}]},
            {"id": "hidden", "title": "not mine", "input_type": "IMAGE", "workflow_version": "V1", "members": [{"user_id": "u2", "role": "ADMIN"}]}
        ],
        "assets": [
            {"id": "a1", "project_id": "p1", "external_id": "ext-1", "content": "https://h/1.png", "created_at": "2024-01-01T00:00:00.000Z",
             "updated_at": "2024-03-01T00:00:00.000Z", "status": "TODO", "json_metadata": md(json!({"color": "red", "size": 3})),
             "consensus_mark": 0.2, "honeypot_mark": 0.1, "inference_mark": 0.3, "assigned_to": ["u1"]},
            {"id": "a2", "project_id": "p1", "external_id": "ext-2", "content": "https://h/2.png", "created_at": "2024-01-02T00:00:00.000Z",
             "updated_at": "2024-03-02T00:00:00.000Z", "status": "LABELED", "json_metadata": md(json!({"color": "blue", "size": 7})),
             "consensus_mark": 0.6, "honeypot_mark": 0.5, "inference_mark": 0.7, "assigned_to": ["u2"]},
            {"id": "a3", "project_id": "p1", "external_id": "other-3", "content": "https://h/3.png", "created_at": "2024-01-03T00:00:00.000Z",
             "updated_at": "2024-03-03T00:00:00.000Z", "status": "REVIEWED", "json_metadata": md(json!({"color": "red", "size": 12})),
             "consensus_mark": 0.9, "honeypot_mark": 0.9, "inference_mark": 0.95, "skipped": true},
            {"id": "a4", "project_id": "p1", "external_id": "ext-4", "content": "https://h/4.png", "created_at": "2024-01-04T00:00:00.000Z",
             "updated_at": "2024-03-04T00:00:00.000Z", "status": "ONGOING", "json_metadata": md(json!({})), "is_honeypot": true},
            {"id": "b1", "project_id": "p2", "external_id": "t-1", "content": "hello", "created_at": "2024-02-01T00:00:00.000Z",
             "current_step": {"step_id": "s-label", "status": "TO_DO"}},
            {"id": "b2", "project_id": "p2", "external_id": "t-2", "content": "world", "created_at": "2024-02-02T00:00:00.000Z",
             "current_step": {"step_id": "s-review", "status": "TO_DO"}},
            {"id": "b3", "project_id": "p2", "external_id": "t-3", "content": "again", "created_at": "2024-02-03T00:00:00.000Z",
             "current_step": {"step_id": "s-review", "status": "DONE"}},
            {"id": "c1", "project_id": "p3", "external_id": "g-1", "created_at": "2024-02-01T00:00:00.000Z", "current_step": {"step_id": "s3-a", "status": "TO_DO"}},
            {"id": "c2", "project_id": "p3", "external_id": "g-2", "created_at": "2024-02-02T00:00:00.000Z", "current_step": {"step_id": "s3-b", "status": "TO_DO"}},
            {"id": "c3", "project_id": "p3", "external_id": "g-3", "created_at": "2024-02-03T00:00:00.000Z", "current_step": {"step_id": "s3-c", "status": "DONE"}},
            {"id": "h1", "project_id": "hidden", "external_id": "h-1", "created_at": "2024-02-03T00:00:00.000Z"}
        ],
        "labels": [
            {"id": "l1", "asset_id": "a1", "author_id": "u1", "label_type": "DEFAULT", "created_at": "2024-02-01T10:00:00.000Z",
             "json_response": {"JOB": {"categories": [{"name": "CAT_A"}]}}, "consensus_mark": 0.8, "honeypot_mark": 0.7},
            {"id": "l2", "asset_id": "a2", "author_id": "u2", "label_type": "REVIEW", "created_at": "2024-02-05T10:00:00.000Z",
             "json_response": {"JOB": {"categories": [{"name": "CAT_B"}]}}, "consensus_mark": 0.3, "honeypot_mark": 0.2},
            {"id": "l3", "asset_id": "a3", "author_id": "u1", "label_type": "PREDICTION", "created_at": "2024-02-09T10:00:00.000Z",
             "json_response": {"JOB": {"categories": [{"name": "CAT_A"}, {"name": "CAT_B"}]}}}
        ],
        "issues": [
            {"id": "i1", "asset_id": "a3", "type": "QUESTION", "status": "OPEN"},
            {"id": "i2", "asset_id": "a2", "type": "ISSUE", "status": "SOLVED"}
        ]
    })
}

pub fn emulator() -> EmulatorHandle {
    let emu = start_blocking(EmulatorConfig {
        fixtures: vec![fixture()],
        ..Default::default()
    });
    emu.generate_assets("pbig", 250).expect("generate assets");
    emu
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

#[derive(Clone, Default)]
pub struct Recorder(pub Arc<Mutex<Vec<Event>>>);

impl Recorder {
    pub fn sink(&self) -> EventSink {
        let r = self.0.clone();
        EventSink::new(move |e| r.lock().unwrap().push(e.clone()))
    }
    pub fn events(&self) -> Vec<Event> {
        self.0.lock().unwrap().clone()
    }
    pub fn warnings(&self) -> Vec<String> {
        self.events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Warning { message, .. } => Some(message),
                _ => None,
            })
            .collect()
    }
    pub fn clear(&self) {
        self.0.lock().unwrap().clear()
    }
}

pub fn client(emu: &EmulatorHandle) -> (Client, Recorder) {
    client_with(options(emu))
}

pub fn client_with(opts: ClientOptions) -> (Client, Recorder) {
    let rec = Recorder::default();
    let c = Client::new(opts).expect("client").with_events(rec.sink());
    (c, rec)
}

pub fn async_client(emu: &EmulatorHandle) -> AsyncClient {
    AsyncClient::new(options(emu)).expect("client")
}

/// Bodies of the GraphQL requests for root field `op`, in order.
pub fn bodies(emu: &EmulatorHandle, op: &str) -> Vec<Value> {
    emu.request_log()
        .into_iter()
        .filter(|r| r.operation.as_deref() == Some(op))
        .filter_map(|r| r.body)
        .collect()
}

/// (skip, first) of every `assets` page request, in order.
pub fn pages(emu: &EmulatorHandle) -> Vec<(u64, u64)> {
    bodies(emu, "assets")
        .iter()
        .map(|b| {
            (
                b["variables"]["skip"].as_u64().unwrap(),
                b["variables"]["first"].as_u64().unwrap(),
            )
        })
        .collect()
}

pub fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|a| a["id"].as_str().unwrap_or("?").to_string())
        .collect()
}
