//! `download_media` rules of the Python SDK's `MediaDownloader` (kili 26.2.4,
//! `kili/use_cases/asset/media_downloader.py`), against the emulator and a media server:
//! `jsonContent` added first to the fields of `TEXT` / `VIDEO` projects (kept with the SDK's
//! warning, or removed when empty on every asset of the batch), `GEOSPATIAL` and
//! `VIDEO_LEGACY` `jsonContent` URLs, the fields `download_media` needs, and the differences
//! kept on purpose (docs/FIDELITY.md).

mod extras_support;

use extras_support::*;
use kili::{CallOptions, Status};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

const ADDED_WARNING: &str = "Non empty jsonContent found in assets. Field was automatically added.";

fn list(c: &kili::Client, args: Value) -> kili::Result<Vec<Value>> {
    c.assets_json(&args.to_string(), CallOptions::default())?
        .collect()
}

/// A client whose warning events are collected.
fn warned_client(opts: kili::ClientOptions) -> (kili::Client, Arc<Mutex<Vec<String>>>) {
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let w = warnings.clone();
    let c = kili::Client::new(opts)
        .unwrap()
        .with_events(kili::EventSink::new(move |e| {
            if let kili::Event::Warning { message, .. } = e {
                w.lock().unwrap().push(message.clone());
            }
        }));
    (c, warnings)
}

/// Projects of every input type this file needs, with their assets (ids sort in the order
/// they are listed).
fn load(emu: &kili_emulator::EmulatorHandle, m: &MediaServer) {
    let project = |id: &str, it: &str| json!({"id": id, "title": id, "input_type": it, "workflow_version": "V1", "members": [{"user_id": "u1", "role": "ADMIN"}]});
    let frames = format!("{}/video/frames.json", m.base);
    emu.load_fixture(&json!({
        "projects": [project("ftext", "TEXT"), project("ftextempty", "TEXT"), project("fvid", "VIDEO"),
                     project("fgeo", "GEOSPATIAL"), project("fvleg", "VIDEO_LEGACY"), project("fpages", "TEXT"),
                     project("ftextboth", "TEXT")],
        "assets": [
            {"id": "ft1", "project_id": "ftext", "external_id": "rich-1", "content": "", "json_content": m.url("text/rich-1")},
            {"id": "ft2", "project_id": "ftext", "external_id": "plain-2", "content": m.url("text/plain-2")},
            {"id": "fe1", "project_id": "ftextempty", "external_id": "e-1", "content": m.url("text/e-1")},
            {"id": "fe2", "project_id": "ftextempty", "external_id": "e-2", "content": m.url("text/e-2")},
            {"id": "fv1", "project_id": "fvid", "external_id": "fvid", "content": m.url("img/fvid-content"), "json_content": frames.clone()},
            {"id": "fg1", "project_id": "fgeo", "external_id": "geo-1", "content": m.url("img/geo-1"), "json_content": m.url("label/geo-1.json")},
            {"id": "fg2", "project_id": "fgeo", "external_id": "geo-2", "content": m.url("img/geo-2")},
            {"id": "fl1", "project_id": "fvleg", "external_id": "leg-1", "content": m.url("img/leg-1"), "json_content": frames},
            {"id": "fb1", "project_id": "ftextboth", "external_id": "both", "content": m.url("text/both-content"), "json_content": m.url("text/both-rich")},
            {"id": "fp1", "project_id": "fpages", "external_id": "p-1", "content": m.url("text/p-1")},
            {"id": "fp2", "project_id": "fpages", "external_id": "p-2", "content": m.url("text/p-2")},
            {"id": "fp3", "project_id": "fpages", "external_id": "p-3", "content": "", "json_content": m.url("text/p-3")}
        ]
    }))
    .unwrap();
}

fn keys(a: &Value) -> Vec<&str> {
    a.as_object().unwrap().keys().map(String::as_str).collect()
}

/// Seed: `if input_type in ("TEXT", "VIDEO") and "jsonContent" not in fields: fields =
/// ("jsonContent", *fields)`, then per batch either the warning (a non-empty `jsonContent`) or
/// `del asset["jsonContent"]` on every asset. So rich text is downloaded although the caller
/// did not ask for `jsonContent`, and the key comes first.
#[test]
fn text_download_media_adds_json_content_first_like_the_seed() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    load(&emu, &m);
    let (c, warnings) = warned_client(options(&emu));
    let dir = temp_dir("fid-text");
    let a = list(&c, json!({"project_id": "ftext", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                           "fields": ["id", "externalId", "content"]}))
    .unwrap();
    let dir = std::fs::canonicalize(&dir).unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(
        keys(&a[0]),
        vec!["jsonContent", "id", "externalId", "content"],
        "{a:?}"
    );
    assert_eq!(
        keys(&a[1]),
        vec!["jsonContent", "id", "externalId", "content"],
        "{a:?}"
    );
    // the rich text behind jsonContent is downloaded, as the seed does
    let rich = dir.join("rich-1.txt");
    assert_eq!(a[0]["jsonContent"], json!(rich.to_str().unwrap()));
    assert_eq!(std::fs::read_to_string(&rich).unwrap(), "some text");
    assert_eq!(m.hits.get("GET", "/text/rich-1"), 1);
    assert_eq!(a[0]["content"], "");
    // the other asset keeps its (empty) jsonContent: the batch holds a non-empty one
    assert!(
        a[1]["jsonContent"].is_null() || a[1]["jsonContent"] == "",
        "{:?}",
        a[1]
    );
    assert_eq!(
        a[1]["content"],
        json!(dir.join("plain-2.txt").to_str().unwrap())
    );
    // the seed's warning, once
    let w = warnings.lock().unwrap().clone();
    assert_eq!(w.iter().filter(|m| *m == ADDED_WARNING).count(), 1, "{w:?}");

    // default fields: the same, jsonContent first
    let dir2 = temp_dir("fid-text-default");
    let a = list(&c, json!({"project_id": "ftext", "download_media": true, "local_media_dir": dir2.to_str().unwrap()}))
        .unwrap();
    assert_eq!(keys(&a[0])[0], "jsonContent", "{a:?}");
    assert!(a[0]["jsonContent"]
        .as_str()
        .unwrap()
        .ends_with("rich-1.txt"));

    // empty on every asset of the batch: the added key is removed again, without a warning
    let before = warnings.lock().unwrap().len();
    let dir3 = temp_dir("fid-text-empty");
    let a = list(&c, json!({"project_id": "ftextempty", "download_media": true, "local_media_dir": dir3.to_str().unwrap(),
                           "fields": ["id", "externalId", "content"]}))
    .unwrap();
    assert_eq!(a.len(), 2);
    for x in &a {
        assert_eq!(keys(x), vec!["id", "externalId", "content"], "{x}");
        assert!(x["content"].as_str().unwrap().ends_with(".txt"), "{x}");
    }
    assert_eq!(warnings.lock().unwrap().len(), before);
    // the same on the label path (default fields), which selects jsonContent itself
    let a = list(&c, json!({"project_id": "ftextempty", "download_media": true, "local_media_dir": dir3.to_str().unwrap()}))
        .unwrap();
    assert!(
        a.iter()
            .all(|x| x.get("jsonContent").is_none() && x.get("labels").is_some()),
        "{a:?}"
    );
    assert_eq!(warnings.lock().unwrap().len(), before);

    // asked for by the caller: never removed, no warning
    let a = list(&c, json!({"project_id": "ftextempty", "download_media": true, "local_media_dir": dir3.to_str().unwrap(),
                           "fields": ["id", "externalId", "content", "jsonContent"]}))
    .unwrap();
    assert_eq!(
        keys(&a[0]),
        vec!["id", "externalId", "content", "jsonContent"]
    );
    assert_eq!(warnings.lock().unwrap().len(), before);
}

/// Seed, VIDEO: the added `jsonContent` is the frame list: the frames are downloaded and
/// `content` is not ("we skip video content download").
#[test]
fn video_download_media_downloads_frames_without_asking_for_json_content() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    load(&emu, &m);
    let (c, warnings) = warned_client(options(&emu));
    let dir = temp_dir("fid-video");
    let a = list(&c, json!({"project_id": "fvid", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                           "fields": ["id", "externalId", "content"]}))
    .unwrap();
    assert_eq!(
        keys(&a[0]),
        vec!["jsonContent", "id", "externalId", "content"],
        "{a:?}"
    );
    let frames: Vec<&str> = a[0]["jsonContent"]
        .as_array()
        .expect("frame paths")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(frames.len(), 3);
    for (i, p) in frames.iter().enumerate() {
        assert!(p.ends_with(&format!("fvid_{}.jpg", i + 1)), "{p}");
    }
    assert_eq!(a[0]["content"], json!(m.url("img/fvid-content")));
    assert_eq!(m.hits.get("GET", "/img/fvid-content"), 0);
    assert_eq!(m.hits.get("HEAD", "/img/fvid-content"), 0);
    let w = warnings.lock().unwrap().clone();
    assert_eq!(w.iter().filter(|m| *m == ADDED_WARNING).count(), 1, "{w:?}");

    // default fields (the label path, which selects jsonContent too): still first, as in the
    // seed, where the downloader prepends it before the label path appends its fields
    let a = list(&c, json!({"project_id": "fvid", "download_media": true, "local_media_dir": dir.to_str().unwrap()}))
        .unwrap();
    assert_eq!(keys(&a[0])[0], "jsonContent", "{a:?}");
    assert_eq!(a[0]["jsonContent"].as_array().unwrap().len(), 3);
    assert_eq!(m.hits.get("GET", "/img/fvid-content"), 0);
}

/// Kept different (docs/FIDELITY.md): the seed decides to keep or remove the added
/// `jsonContent` per batch of 100 assets; kili-native per page. With pages of 2 assets the
/// first page (empty everywhere) loses the key while the second keeps it; the seed would keep
/// it on all three.
#[test]
fn added_json_content_is_decided_per_page() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    load(&emu, &m);
    let mut o = options(&emu);
    o.page_size = 2;
    let (c, warnings) = warned_client(o);
    let dir = temp_dir("fid-pages");
    let a = list(&c, json!({"project_id": "fpages", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                           "fields": ["id", "externalId", "content"]}))
    .unwrap();
    let ids: Vec<&str> = a.iter().map(|x| x["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["fp1", "fp2", "fp3"]);
    assert!(a[0].get("jsonContent").is_none(), "{}", a[0]);
    assert!(a[1].get("jsonContent").is_none(), "{}", a[1]);
    assert!(
        a[2]["jsonContent"].as_str().unwrap().ends_with("p-3.txt"),
        "{}",
        a[2]
    );
    let w = warnings.lock().unwrap().clone();
    assert_eq!(w.iter().filter(|m| *m == ADDED_WARNING).count(), 1, "{w:?}");
}

/// Seed, GEOSPATIAL: a `jsonContent` URL means "no need for jsonContent nor content": neither
/// is downloaded. Without one, `content` is downloaded as usual. `jsonContent` is not added.
#[test]
fn geospatial_json_content_url_skips_the_content_download() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    load(&emu, &m);
    let c = client(&emu);
    let dir = temp_dir("fid-geo");
    let a = list(&c, json!({"project_id": "fgeo", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                           "fields": ["id", "externalId", "content", "jsonContent"]}))
    .unwrap();
    assert_eq!(a[0]["id"], "fg1");
    assert_eq!(a[0]["content"], json!(m.url("img/geo-1")));
    assert_eq!(a[0]["jsonContent"], json!(m.url("label/geo-1.json")));
    assert_eq!(
        m.hits.get("GET", "/img/geo-1") + m.hits.get("HEAD", "/img/geo-1"),
        0
    );
    assert_eq!(m.hits.get("GET", "/label/geo-1.json"), 0);
    assert!(
        a[1]["content"].as_str().unwrap().ends_with("geo-2.png"),
        "{}",
        a[1]
    );
    // not a TEXT / VIDEO project: jsonContent is not added
    let a = list(&c, json!({"project_id": "fgeo", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                           "fields": ["id", "externalId", "content"]}))
    .unwrap();
    assert_eq!(keys(&a[0]), vec!["id", "externalId", "content"]);
    assert!(a[0]["content"].as_str().unwrap().ends_with("geo-1.png"));
}

/// Seed, VIDEO_LEGACY (and any type but TEXT, VIDEO, IMAGE, GEOSPATIAL): a `jsonContent` URL
/// raises `NotImplementedError`; nothing of it is downloaded. In both error modes the listing
/// fails. Without `jsonContent` selected (it is not added for VIDEO_LEGACY) `content` is
/// downloaded.
#[test]
fn video_legacy_json_content_url_is_refused_like_the_seed() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    load(&emu, &m);
    let c = client(&emu);
    let dir = temp_dir("fid-vleg");
    for mode in ["raise", "report"] {
        let e = list(&c, json!({"project_id": "fvleg", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                               "download_media_errors": mode,
                               "fields": ["id", "externalId", "content", "jsonContent"]}))
        .unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument, "{e}");
        let t = e.to_string();
        assert!(
            t.contains("not implemented") && t.contains("VIDEO_LEGACY") && t.contains("leg-1"),
            "{t}"
        );
    }
    assert_eq!(m.hits.get("GET", "/video/frames.json"), 0);
    assert_eq!(m.hits.total("GET"), 0);
    let a = list(&c, json!({"project_id": "fvleg", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                           "fields": ["id", "externalId", "content"]}))
    .unwrap();
    assert_eq!(keys(&a[0]), vec!["id", "externalId", "content"]);
    assert!(a[0]["content"].as_str().unwrap().ends_with("leg-1.png"));
}

/// Seed: the label path adds `content` to the fields before the downloader checks them, so
/// `externalId` + `labels.jsonResponse` is enough for `download_media`.
#[test]
fn label_path_needs_only_external_id_like_the_seed() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let c = client(&emu);
    let dir = temp_dir("fid-label-path");
    let a = list(&c, json!({"project_id": "pimg", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                           "fields": ["id", "externalId", "labels.jsonResponse"]}))
    .unwrap();
    assert_eq!(a.len(), 2);
    assert!(
        a[0]["content"].as_str().unwrap().ends_with("img-1.png"),
        "{}",
        a[0]
    );
    // externalId is still needed (file names); content alone still refused on the plain path
    for fields in [
        json!(["id", "labels.jsonResponse"]),
        json!(["id", "externalId"]),
    ] {
        let e = list(&c, json!({"project_id": "pimg", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                               "fields": fields}))
        .unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument, "{e}");
    }
}

/// Kept different (docs/FIDELITY.md): the seed raises `MissingPropertyError` only at the first
/// batch (after the project lookup, the count and the first page), and not at all when no
/// asset matches; kili-native refuses before any request. The endpoint here answers nothing:
/// any request would be a network error, not `InvalidArgument`.
#[test]
fn missing_download_fields_are_refused_before_any_request() {
    let opts = kili::ClientOptions {
        api_key: Some("k".into()),
        api_endpoint: Some("http://127.0.0.1:9/api/label/v2/graphql".into()),
        retry_deadline_ms: 0,
        ..Default::default()
    };
    let c = kili::Client::new(opts).unwrap();
    for (fields, missing) in [
        (json!(["id", "content"]), "externalId"),
        (json!(["id", "externalId"]), "content"),
    ] {
        let e = list(
            &c,
            json!({"project_id": "anything", "download_media": true, "fields": fields}),
        )
        .unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument, "{e}");
        assert!(e.to_string().contains(missing), "{e}");
    }
}

/// Kept different (docs/FIDELITY.md): on a TEXT asset whose `content` and `jsonContent` are
/// both URLs, the seed saves both as `<externalId><ext>`; the second finds the first's file
/// and is not downloaded, so `content` names the rich-text file. kili-native saves the
/// rich text as `<externalId>_jsonContent<ext>` and downloads both.
#[test]
fn text_content_and_json_content_urls_get_two_files() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    load(&emu, &m);
    let c = client(&emu);
    let dir = temp_dir("fid-both");
    let a = list(&c, json!({"project_id": "ftextboth", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                           "fields": ["id", "externalId", "content", "jsonContent"]}))
    .unwrap();
    let dir = std::fs::canonicalize(&dir).unwrap();
    assert_eq!(
        a[0]["content"],
        json!(dir.join("both.txt").to_str().unwrap())
    );
    assert_eq!(
        a[0]["jsonContent"],
        json!(dir.join("both_jsonContent.txt").to_str().unwrap())
    );
    assert_eq!(m.hits.get("GET", "/text/both-content"), 1);
    assert_eq!(m.hits.get("GET", "/text/both-rich"), 1);
}
