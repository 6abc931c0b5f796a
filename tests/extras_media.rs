//! download_media beyond the basics (see extras_listing.rs): the per-asset failure mode
//! `download_media_errors` ("raise" / "report"), its validation, and resuming `.part` files
//! with `Range` requests (against the emulator's file endpoint, the media server that ignores
//! ranges, and a server whose body breaks off mid-way). Also the C ABI entry point.

mod extras_support;

use extras_support::*;
use kili::ffi::status::{KILI_DONE, KILI_INVALID_ARGUMENT, KILI_OK};
use kili::{AssetQuery, CallOptions, Status};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

fn list(c: &kili::Client, args: Value) -> kili::Result<Vec<Value>> {
    c.assets_json(&args.to_string(), CallOptions::default())?
        .collect()
}

/// A project "pmix" whose assets mix good and failing media: a 404 content (with a signed-URL
/// style query string that must never be shown), and a failing ocrMetadata next to a good
/// content.
fn load_mix(emu: &kili_emulator::EmulatorHandle, m: &MediaServer) -> String {
    let bad = format!("{}?sig=secret-signature", m.url("nothing/mix"));
    emu.load_fixture(&json!({
        "projects": [{"id": "pmix", "title": "pmix", "input_type": "IMAGE", "workflow_version": "V1",
                      "members": [{"user_id": "u1", "role": "ADMIN"}]}],
        "assets": [
            {"id": "x1", "project_id": "pmix", "external_id": "mix-1", "content": m.url("img/mix-1")},
            {"id": "x2", "project_id": "pmix", "external_id": "mix-bad", "content": bad},
            {"id": "x3", "project_id": "pmix", "external_id": "mix-3.png", "content": m.url("img/mix-3"),
             "ocr_metadata": m.url("nothing/ocr.json")},
            {"id": "x4", "project_id": "pmix", "external_id": "mix-4.png", "content": m.url("img/mix-4")}
        ]
    }))
    .unwrap();
    bad
}

fn mix_args(dir: &std::path::Path, mode: Option<&str>) -> Value {
    let mut a = json!({"project_id": "pmix", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                       "fields": ["id", "externalId", "content", "ocrMetadata"]});
    if let Some(m) = mode {
        a["download_media_errors"] = json!(m);
    }
    a
}

#[test]
fn report_mode_delivers_every_asset_with_its_download_errors() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let bad = load_mix(&emu, &m);
    let warnings = Arc::new(Mutex::new(Vec::new()));
    let w = warnings.clone();
    let c = client(&emu).with_events(kili::EventSink::new(move |e| {
        if let kili::Event::Warning { message, .. } = e {
            w.lock().unwrap().push(message.clone());
        }
    }));
    let dir = temp_dir("report");
    let assets = list(&c, mix_args(&dir, Some("report"))).unwrap();
    let dir = std::fs::canonicalize(&dir).unwrap();
    let ids: Vec<&str> = assets.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        vec!["x1", "x2", "x3", "x4"],
        "every asset is delivered"
    );

    // the good ones are downloaded and carry no downloadErrors
    for (a, name) in [(&assets[0], "mix-1.png"), (&assets[3], "mix-4.png")] {
        assert_eq!(a["content"], json!(dir.join(name).to_str().unwrap()));
        assert_eq!(std::fs::read(dir.join(name)).unwrap(), PNG);
        assert!(a.get("downloadErrors").is_none(), "{a}");
    }
    // the 404 keeps its URL (query string included) and says why, without the query string
    let b = &assets[1];
    assert_eq!(b["content"], json!(bad));
    let errs = b["downloadErrors"].as_array().expect("downloadErrors");
    assert_eq!(errs.len(), 1, "{b}");
    assert_eq!(errs[0]["field"], "content");
    assert_eq!(errs[0]["url"], json!(m.url("nothing/mix")));
    assert_eq!(errs[0]["code"], "NOT_FOUND");
    let msg = errs[0]["message"].as_str().unwrap();
    assert!(msg.contains("404") && msg.contains("mix-bad"), "{msg}");
    assert!(
        !b.to_string()[..].replace(&bad, "").contains("secret"),
        "{b}"
    );
    assert!(!dir.join("mix-bad").exists() && !dir.join("mix-bad.part").exists());

    // a failing ocrMetadata keeps its URL while the content of the same asset is downloaded
    let o = &assets[2];
    assert_eq!(o["content"], json!(dir.join("mix-3.png").to_str().unwrap()));
    assert_eq!(o["ocrMetadata"], json!(m.url("nothing/ocr.json")));
    assert_eq!(
        o["downloadErrors"],
        json!([{"field": "ocrMetadata", "url": m.url("nothing/ocr.json"), "code": "NOT_FOUND",
                "message": o["downloadErrors"][0]["message"]}])
    );

    // one warning per failure, naming the URL (never the signature)
    let warnings = warnings.lock().unwrap().clone();
    let dm: Vec<&String> = warnings
        .iter()
        .filter(|w| w.starts_with("download_media"))
        .collect();
    assert_eq!(dm.len(), 2, "{warnings:?}");
    assert!(
        dm.iter().any(|w| w.contains(&m.url("nothing/mix"))),
        "{dm:?}"
    );
    assert!(
        warnings.iter().all(|w| !w.contains("secret")),
        "{warnings:?}"
    );

    // the same through the Rust API's typed query
    let dir2 = temp_dir("report-rust");
    let q = AssetQuery {
        download_media: true,
        local_media_dir: Some(dir2.to_str().unwrap().into()),
        download_media_errors: Some("report".into()),
        fields: Some(vec!["id".into(), "externalId".into(), "content".into()]),
        ..AssetQuery::new("pmix")
    };
    let a: Vec<Value> = c
        .assets(q, CallOptions::default())
        .unwrap()
        .collect::<kili::Result<_>>()
        .unwrap();
    assert_eq!(a.len(), 4);
    assert_eq!(a[1]["downloadErrors"][0]["code"], "NOT_FOUND");
}

#[test]
fn raise_mode_still_fails_the_listing() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    load_mix(&emu, &m);
    let c = client(&emu);
    for mode in [None, Some("raise")] {
        let dir = temp_dir("raise");
        let e = list(&c, mix_args(&dir, mode)).unwrap_err();
        assert_eq!(e.status(), Status::NotFound, "{mode:?}: {e}");
        // assets are processed in parallel: either failing one may end the listing first
        let named = e.details()["external_id"].clone();
        assert!(named == "mix-bad" || named == "mix-3.png", "{e}: {named}");
        assert!(!e.to_string().contains("secret"), "{e}");
    }
}

#[test]
fn call_level_failures_end_the_listing_in_report_mode() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let c = client(&emu);
    // the call's own deadline is not a per-file failure: Timeout, not a downloadErrors entry
    let dir = temp_dir("report-hang");
    let cur = c.assets_json(
        &json!({"project_id": "phang", "download_media": true, "download_media_errors": "report",
                "local_media_dir": dir.to_str().unwrap()})
        .to_string(),
        CallOptions::with_timeout(std::time::Duration::from_millis(1500)),
    );
    let e = match cur {
        Ok(cur) => cur.collect::<kili::Result<Vec<_>>>().unwrap_err(),
        Err(e) => e,
    };
    assert_eq!(e.status(), Status::Timeout, "{e}");

    // a local directory that cannot be written is not a per-file failure either
    let file = temp_dir("report-notadir");
    let not_a_dir = file.join("plain-file");
    std::fs::write(&not_a_dir, b"x").unwrap();
    let e = list(
        &c,
        json!({"project_id": "pimg", "download_media": true, "download_media_errors": "report",
               "local_media_dir": not_a_dir.to_str().unwrap()}),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument, "{e}");
    assert!(e.to_string().contains("local_media_dir"), "{e}");
}

#[test]
fn invalid_download_media_errors_is_rejected_before_any_request() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let c = client(&emu);
    let dir = temp_dir("invalid");
    for (value, with_download) in [
        (json!("ignore"), true),
        (json!("RAISE"), true),
        (json!(true), true),
        (json!("skip"), false),
    ] {
        emu.clear_request_log();
        let args = json!({"project_id": "pimg", "download_media": with_download,
                          "local_media_dir": dir.to_str().unwrap(), "download_media_errors": value});
        let e = list(&c, args).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArgument, "{value}: {e}");
        let t = e.to_string();
        assert!(t.contains("download_media_errors"), "{t}");
        if value.is_string() {
            assert!(t.contains("\"raise\"") && t.contains("\"report\""), "{t}");
        }
        assert!(emu.request_log().is_empty(), "{value}: a request was sent");
    }
    assert_eq!(m.hits.total("GET") + m.hits.total("HEAD"), 0);

    // without download_media a valid value is accepted and ignored: content stays a URL
    let a = list(
        &c,
        json!({"project_id": "pimg", "download_media_errors": "report", "fields": ["id", "content"]}),
    )
    .unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(a[0]["content"], json!(m.url("img/1")));
    assert!(a[0].get("downloadErrors").is_none());
    assert_eq!(m.hits.total("GET"), 0);
}

/// Deterministic bytes that are not a repetition (so a wrong offset shows).
fn media_bytes(n: usize) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut x: u32 = 0x9e37_79b9;
    while v.len() < n {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        v.push((x >> 24) as u8);
    }
    v
}

/// Imports `bytes` as a local file into project `pres` (IMAGE) under `external_id`; returns
/// the asset's content URL (the emulator's signed upload URL).
fn import(c: &kili::Client, emu: &kili_emulator::EmulatorHandle, external_id: &str, bytes: &[u8]) {
    let src = temp_dir("src");
    let f = src.join(external_id);
    std::fs::write(&f, bytes).unwrap();
    let r = c
        .mutate_json(
            "append_many_to_dataset",
            &json!({"project_id": "pres", "content_array": [f.to_str().unwrap()],
                    "external_id_array": [external_id]})
            .to_string(),
            CallOptions::default(),
        )
        .unwrap();
    assert_eq!(
        r["outcomes"]["succeeded"].as_array().map(Vec::len),
        Some(1),
        "{r}"
    );
    let _ = emu;
}

/// The emulator's file reads since the last clear: (method, path, range header).
fn file_reads(emu: &kili_emulator::EmulatorHandle) -> Vec<(String, String, Option<String>)> {
    emu.request_log()
        .into_iter()
        .filter(|r| {
            r.path.contains("/api/label/v2/upload") || r.path.contains("/api/label/v2/files")
        })
        .map(|r| {
            let range = r.header("range").map(str::to_string);
            (r.method, r.path, range)
        })
        .collect()
}

#[test]
fn part_file_is_resumed_with_a_range_request() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    emu.load_fixture(
        &json!({"projects": [{"id": "pres", "title": "pres", "input_type": "IMAGE",
        "workflow_version": "V1", "members": [{"user_id": "u1", "role": "ADMIN"}]}]}),
    )
    .unwrap();
    let c = client(&emu);
    let served = media_bytes(200_000);
    import(&c, &emu, "big.png", &served);
    let dir = temp_dir("resume");
    let args = json!({"project_id": "pres", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                      "fields": ["id", "externalId", "content"]});

    // an interrupted earlier listing left the first K bytes
    let k = 77_777;
    std::fs::write(dir.join("big.png.part"), &served[..k]).unwrap();
    emu.clear_request_log();
    let a = list(&c, args.clone()).unwrap();
    let path = std::fs::canonicalize(&dir).unwrap().join("big.png");
    assert_eq!(a[0]["content"], json!(path.to_str().unwrap()));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        served,
        "resumed file differs"
    );
    assert!(!dir.join("big.png.part").exists());
    let reads = file_reads(&emu);
    assert_eq!(
        reads.len(),
        1,
        "one ranged GET, no download from zero: {reads:?}"
    );
    assert_eq!(reads[0].0, "GET");
    assert_eq!(reads[0].2.as_deref(), Some(format!("bytes={k}-").as_str()));

    // a .part longer than the file (416): restarted from zero
    std::fs::remove_file(&path).unwrap();
    let mut longer = served.clone();
    longer.extend_from_slice(b"stale tail");
    std::fs::write(dir.join("big.png.part"), &longer).unwrap();
    emu.clear_request_log();
    list(&c, args).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), served);
    let reads = file_reads(&emu);
    let ranges: Vec<Option<&str>> = reads.iter().map(|r| r.2.as_deref()).collect();
    assert_eq!(
        ranges,
        vec![Some(format!("bytes={}-", longer.len()).as_str()), None],
        "{reads:?}"
    );
}

#[test]
fn server_ignoring_ranges_rewrites_the_part() {
    // The media server of extras_support answers every GET with 200 and the whole body.
    let m = MediaServer::start();
    let emu = emulator(&m);
    let c = client(&emu);
    let dir = temp_dir("norange");
    std::fs::write(dir.join("img-2.png.part"), &PNG[..5]).unwrap();
    let a = list(
        &c,
        json!({"project_id": "pimg", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
               "fields": ["id", "externalId", "content"]}),
    )
    .unwrap();
    assert_eq!(
        std::fs::read(a[1]["content"].as_str().unwrap()).unwrap(),
        PNG
    );
    assert_eq!(m.hits.get("GET", "/img/2"), 1);
}

/// A one-file HTTP server whose first answer breaks off after `cut` bytes; later requests are
/// served whole, or from the `Range: bytes=N-` offset with 206. Records each request's range.
fn breaking_server(body: Vec<u8>, cut: usize) -> (String, Arc<Mutex<Vec<Option<String>>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                if conn.read(&mut byte).unwrap_or(0) == 0 {
                    break;
                }
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_string();
            let range = head
                .lines()
                .find(|l| l.to_ascii_lowercase().starts_with("range:"))
                .map(|l| l[6..].trim().to_string());
            let first = {
                let mut g = s2.lock().unwrap();
                g.push(range.clone());
                g.len() == 1
            };
            let len = body.len();
            let from = range
                .as_deref()
                .and_then(|r| r.strip_prefix("bytes="))
                .and_then(|r| r.strip_suffix('-'))
                .and_then(|n| n.parse::<usize>().ok());
            let _ = match from {
                Some(n) if n < len => write!(
                    conn,
                    "HTTP/1.1 206 Partial Content\r\nContent-Type: image/png\r\nContent-Length: {}\r\nContent-Range: bytes {n}-{}/{len}\r\nConnection: close\r\n\r\n",
                    len - n,
                    len - 1
                )
                .and_then(|_| conn.write_all(&body[n..])),
                _ => write!(
                    conn,
                    "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {len}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n"
                )
                .and_then(|_| conn.write_all(if first { &body[..cut] } else { &body[..] })),
            };
            let _ = conn.flush();
            // dropping the connection: the first body ends short of its Content-Length
        }
    });
    (base, seen)
}

#[test]
fn a_body_that_breaks_off_is_continued_not_restarted() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let served = media_bytes(150_000);
    let cut = 50_000;
    let (base, seen) = breaking_server(served.clone(), cut);
    emu.load_fixture(&json!({
        "projects": [{"id": "pbreak", "title": "pbreak", "input_type": "IMAGE", "workflow_version": "V1",
                      "members": [{"user_id": "u1", "role": "ADMIN"}]}],
        "assets": [{"id": "b1", "project_id": "pbreak", "external_id": "broken.png", "content": format!("{base}/file.png")}]
    }))
    .unwrap();
    let c = client(&emu);
    let dir = temp_dir("break");
    let a = list(
        &c,
        json!({"project_id": "pbreak", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
               "fields": ["id", "externalId", "content"]}),
    )
    .unwrap();
    assert_eq!(
        std::fs::read(a[0]["content"].as_str().unwrap()).unwrap(),
        served
    );
    assert_eq!(
        *seen.lock().unwrap(),
        vec![None, Some(format!("bytes={cut}-"))],
        "the retry must continue from the bytes already written"
    );
}

#[test]
fn c_abi_accepts_download_media_errors_in_args_json() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    load_mix(&emu, &m);
    let dir = temp_dir("cabi");
    unsafe {
        let opts =
            json!({"api_key": KEY, "api_endpoint": emu.endpoint(), "rate_limit_per_minute": 0})
                .to_string();
        let mut c = std::ptr::null_mut();
        let st = kili::ffi::client::kili_client_new(
            opts.as_ptr().cast(),
            opts.len(),
            &mut c,
            std::ptr::null_mut(),
        );
        assert_eq!(st, KILI_OK);

        // an invalid value: KILI_INVALID_ARGUMENT naming the argument, no cursor
        let bad = mix_args(&dir, Some("warn")).to_string();
        let mut cur = std::ptr::null_mut();
        let mut err = std::ptr::null_mut();
        let st = kili::ffi::assets::kili_assets_query(
            c,
            bad.as_ptr().cast(),
            bad.len(),
            std::ptr::null(),
            &mut cur,
            &mut err,
        );
        assert_eq!(st, KILI_INVALID_ARGUMENT);
        assert!(cur.is_null());
        let msg = std::ffi::CStr::from_ptr(kili::ffi::error::kili_error_message(err))
            .to_string_lossy()
            .into_owned();
        assert!(msg.contains("download_media_errors"), "{msg}");
        kili::ffi::error::kili_error_free(err);

        // "report": every asset comes through the cursor, the 404 with downloadErrors
        let args = mix_args(&dir, Some("report")).to_string();
        let st = kili::ffi::assets::kili_assets_query(
            c,
            args.as_ptr().cast(),
            args.len(),
            std::ptr::null(),
            &mut cur,
            std::ptr::null_mut(),
        );
        assert_eq!(st, KILI_OK);
        let mut items = Vec::new();
        loop {
            let mut item = kili::ffi::kili_bytes_t {
                data: std::ptr::null(),
                len: 0,
            };
            let st = kili::ffi::cursor::kili_cursor_next(cur, &mut item, std::ptr::null_mut());
            if st == KILI_DONE {
                break;
            }
            assert_eq!(st, KILI_OK);
            let text = std::slice::from_raw_parts(item.data, item.len).to_vec();
            items.push(serde_json::from_slice::<Value>(&text).unwrap());
            kili::ffi::bytes::kili_bytes_free(&mut item);
        }
        kili::ffi::cursor::kili_cursor_free(cur);
        kili::ffi::client::kili_client_free(c);
        assert_eq!(items.len(), 4);
        assert_eq!(items[1]["downloadErrors"][0]["code"], "NOT_FOUND");
        assert_eq!(items[1]["downloadErrors"][0]["field"], "content");
        assert!(items[0].get("downloadErrors").is_none());
    }
}
