//! assets() options beyond listing, against the emulator and a local media server:
//! download_media (HEAD then GET, names, input types, resume, 404, timeout, data connections,
//! downloads following consumption), jsonResponseUrl, parsed_label.

mod extras_support;

use extras_support::*;
use kili::{AssetQuery, CallOptions, Status};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn list(c: &kili::Client, args: Value) -> kili::Result<Vec<Value>> {
    c.assets_json(&args.to_string(), CallOptions::default())?
        .collect()
}

#[test]
fn download_media_saves_files_rewrites_content_and_resumes() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let events = Arc::new(Mutex::new(Vec::new()));
    let ev = events.clone();
    let c = client(&emu).with_events(kili::EventSink::new(move |e| {
        if let kili::Event::Progress {
            operation, done, ..
        } = e
        {
            if operation == "download_media" {
                ev.lock().unwrap().push(*done);
            }
        }
    }));
    let dir = temp_dir("img");
    let args = json!({"project_id": "pimg", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                      "fields": ["id", "externalId", "content"]});
    let assets = list(&c, args.clone()).unwrap();
    assert_eq!(assets.len(), 2);
    let dir = std::fs::canonicalize(&dir).unwrap();
    // externalId + extension from the content type; an externalId with a known extension keeps it
    assert_eq!(
        assets[0]["content"],
        json!(dir.join("img-1.png").to_str().unwrap())
    );
    assert_eq!(
        assets[1]["content"],
        json!(dir.join("img-2.png").to_str().unwrap())
    );
    assert_eq!(std::fs::read(dir.join("img-1.png")).unwrap(), PNG);
    assert_eq!(std::fs::read(dir.join("img-2.png")).unwrap(), PNG);
    // HEAD then GET for the name without extension; no HEAD needed when the name has one
    assert_eq!(m.hits.get("HEAD", "/img/1"), 1);
    assert_eq!(m.hits.get("GET", "/img/1"), 1);
    assert_eq!(m.hits.get("HEAD", "/img/2"), 0);
    assert_eq!(m.hits.get("GET", "/img/2"), 1);
    // nothing half-written is left behind
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.ends_with(".part")), "{names:?}");
    let mut seen = events.lock().unwrap().clone();
    seen.sort();
    assert_eq!(
        seen,
        vec![1, 2],
        "one download_media progress event per file"
    );

    // Resume: complete files are not fetched again; a stale .part is replaced by a fresh download.
    std::fs::remove_file(dir.join("img-2.png")).unwrap();
    std::fs::write(dir.join("img-2.png.part"), b"truncated garbage").unwrap();
    let again = list(&c, args).unwrap();
    assert_eq!(again, assets);
    assert_eq!(
        m.hits.get("GET", "/img/1"),
        1,
        "a complete file must not be downloaded again"
    );
    assert_eq!(m.hits.get("GET", "/img/2"), 2);
    assert_eq!(std::fs::read(dir.join("img-2.png")).unwrap(), PNG);
    assert!(!dir.join("img-2.png.part").exists());
}

#[test]
fn download_media_per_input_type() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let c = client(&emu);
    // TEXT: jsonContent downloaded like content
    let dir = temp_dir("text");
    let a = list(&c, json!({"project_id": "ptext", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                           "fields": ["id", "externalId", "content", "jsonContent"]}))
    .unwrap();
    let p = a[0]["jsonContent"].as_str().unwrap();
    assert!(p.ends_with("txt-1.txt"), "{p}");
    assert_eq!(std::fs::read_to_string(p).unwrap(), "some text");
    assert_eq!(a[0]["content"], "", "a non-URL content is left alone");

    // VIDEO: frames saved as <externalId>_<i>.jpg, jsonContent = the list of paths, content untouched
    let dir = temp_dir("video");
    let a = list(&c, json!({"project_id": "pvid", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                           "fields": ["id", "externalId", "content", "jsonContent"]}))
    .unwrap();
    let paths: Vec<&str> = a[0]["jsonContent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 3);
    for (i, p) in paths.iter().enumerate() {
        assert!(p.ends_with(&format!("vid_{}.jpg", i + 1)), "{p}");
        assert_eq!(
            std::fs::read_to_string(p).unwrap(),
            format!("frame frame/{}", i + 1)
        );
    }
    assert_eq!(a[0]["content"], json!(m.url("img/video-content")));
    assert_eq!(m.hits.get("GET", "/img/video-content"), 0);

    // IMAGE: a jsonContent URL is fetched as JSON in its place, then content is downloaded;
    // ocrMetadata URLs are fetched as JSON too
    let dir = temp_dir("imgjson");
    let a = list(&c, json!({"project_id": "pimgjson", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                           "fields": ["id", "externalId", "content", "jsonContent", "ocrMetadata"]}))
    .unwrap();
    let served = json!({"JOB": {"categories": [{"name": "FROM_URL"}]}});
    assert_eq!(a[0]["jsonContent"], served);
    assert_eq!(a[0]["ocrMetadata"], served);
    assert!(a[0]["content"].as_str().unwrap().ends_with("big-image.png"));
}

#[test]
fn download_media_failures_are_reported() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let c = client(&emu);
    let dir = temp_dir("fail");
    let d = dir.to_str().unwrap();
    // 404: a NotFound error naming the asset, not a silently skipped file
    let e = list(
        &c,
        json!({"project_id": "p404", "download_media": true, "local_media_dir": d}),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::NotFound, "{e}");
    assert!(e.to_string().contains("gone"), "{e}");
    assert_eq!(e.details()["external_id"], "gone");
    assert!(!dir.join("gone").exists());

    // a server that never answers: the call's timeout ends the listing with Timeout
    let t0 = std::time::Instant::now();
    let cur = c.assets_json(
        &json!({"project_id": "phang", "download_media": true, "local_media_dir": d}).to_string(),
        CallOptions::with_timeout(Duration::from_millis(1500)),
    );
    let e = match cur {
        Ok(cur) => cur.collect::<kili::Result<Vec<_>>>().unwrap_err(),
        Err(e) => e,
    };
    assert_eq!(e.status(), Status::Timeout, "{e}");
    assert!(t0.elapsed() < Duration::from_secs(20));

    // projects reading from a cloud data connection refuse downloads, before any page
    emu.clear_request_log();
    let e = list(
        &c,
        json!({"project_id": "pdc", "download_media": true, "local_media_dir": d}),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument);
    assert!(
        e.to_string().contains("download_media") && e.to_string().contains("data connection"),
        "{e}"
    );
    assert!(emu
        .request_log()
        .iter()
        .all(|r| r.operation.as_deref() != Some("assets")));
    assert_eq!(m.hits.get("GET", "/img/dc"), 0);

    // fields without externalId: refused before any network call
    emu.clear_request_log();
    let e = list(
        &c,
        json!({"project_id": "pimg", "download_media": true, "fields": ["id", "content"]}),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument);
    assert!(e.to_string().contains("externalId"), "{e}");
    assert!(emu.request_log().is_empty());
}

#[test]
fn downloads_follow_cursor_consumption() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let mut opts = options(&emu);
    opts.page_size = 10;
    opts.prefetch_pages = 1;
    let c = kili::Client::new(opts).unwrap();
    let dir = temp_dir("lazy");
    let mut cur = c
        .assets_json(
            &json!({"project_id": "pmany", "download_media": true, "local_media_dir": dir.to_str().unwrap(),
                    "fields": ["id", "externalId", "content"]})
            .to_string(),
            CallOptions::default(),
        )
        .unwrap();
    let first = cur.next().unwrap().unwrap();
    assert!(
        first["content"]
            .as_str()
            .is_some_and(|p| p.ends_with("many-00.png")),
        "{first}"
    );
    // One page delivered, at most one waiting in the channel and one being processed.
    let fetched = m.hits.total("GET");
    assert!(
        (1..=30).contains(&fetched),
        "downloads ran ahead of the consumer: {fetched} of 60"
    );
    let rest: Vec<Value> = cur.collect::<kili::Result<_>>().unwrap();
    assert_eq!(rest.len(), 59);
    assert_eq!(m.hits.total("GET"), 60);
}

#[test]
fn json_response_url_replaces_json_response() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let c = client(&emu);
    let a = list(
        &c,
        json!({"project_id": "purl", "fields": ["id", "labels.id", "labels.jsonResponse"]}),
    )
    .unwrap();
    assert_eq!(
        a[0]["labels"][0]["jsonResponse"],
        json!({"JOB": {"categories": [{"name": "FROM_URL"}]}})
    );
    assert_eq!(m.hits.get("GET", "/label/lu1.json"), 1);

    // a failed download is an error naming the label, never a silent {}
    let e = list(
        &c,
        json!({"project_id": "purl404", "fields": ["id", "labels.id", "labels.jsonResponse"]}),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::NotFound, "{e}");
    assert!(e.to_string().contains("lu2"), "{e}");
    assert_eq!(e.details()["label_id"], "lu2");

    // a label file that never comes: the call's timeout, not a silent {}
    let cur = c.assets_json(
        &json!({"project_id": "purlhang", "fields": ["id", "labels.id", "labels.jsonResponse"]})
            .to_string(),
        CallOptions::with_timeout(Duration::from_millis(1500)),
    );
    let e = match cur {
        Ok(cur) => cur.collect::<kili::Result<Vec<_>>>().unwrap_err(),
        Err(e) => e,
    };
    assert_eq!(e.status(), Status::Timeout, "{e}");
}

#[test]
fn parsed_label_types_every_job() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let c = client(&emu);
    let a = list(
        &c,
        json!({"project_id": "pparsed", "label_output_format": "parsed_label",
                            "fields": ["id", "labels.id", "labels.jsonResponse"]}),
    )
    .unwrap();
    let l = &a[0]["labels"][0];
    assert_eq!(l["id"], "lp1");
    assert!(
        l.get("jsonResponse").is_none(),
        "the raw jsonResponse is replaced by jobs"
    );
    let jobs = l["jobs"].as_object().unwrap();
    assert_eq!(jobs.keys().collect::<Vec<_>>(), vec!["JOB", "BOX", "TR"]);
    assert_eq!(l["jobs"]["JOB"]["kind"], "categories");
    assert_eq!(
        l["jobs"]["JOB"]["categories"][0],
        json!({"name": "A", "displayName": "Cat A", "confidence": 80})
    );
    assert_eq!(l["jobs"]["JOB"]["categories"][1]["name"], "B");
    assert_eq!(l["jobs"]["BOX"]["kind"], "objects");
    assert_eq!(l["jobs"]["BOX"]["annotations"][0]["mid"], "m1");
    assert_eq!(
        l["jobs"]["BOX"]["annotations"][0]["categories"][0]["displayName"],
        "Car"
    );
    assert_eq!(l["jobs"]["TR"]["text"], "hello");

    // latestLabel is parsed too
    let a = list(
        &c,
        json!({"project_id": "pparsed", "label_output_format": "parsed_label",
                            "fields": ["id", "latestLabel.id", "latestLabel.jsonResponse"]}),
    )
    .unwrap();
    assert_eq!(
        a[0]["latestLabel"]["jobs"]["TR"]["text"], "hello",
        "{}",
        a[0]
    );
    assert!(a[0]["latestLabel"].get("jsonResponse").is_none());

    // the same query as "dict" keeps the raw response
    let raw = list(
        &c,
        json!({"project_id": "pparsed", "fields": ["id", "labels.id", "labels.jsonResponse"]}),
    )
    .unwrap();
    assert_eq!(raw[0]["labels"][0]["jsonResponse"]["TR"]["text"], "hello");
}

#[test]
fn parsed_label_errors_name_the_job_and_the_interface() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let c = client(&emu);
    let f = json!(["id", "labels.id", "labels.jsonResponse"]);
    let e = list(
        &c,
        json!({"project_id": "pbadjob", "label_output_format": "parsed_label", "fields": f}),
    )
    .unwrap_err();
    assert!(e.to_string().contains("GHOST_JOB"), "{e}");
    assert_eq!(e.details()["job"], "GHOST_JOB");
    assert_eq!(e.details()["label_id"], "lp2");

    let e = list(
        &c,
        json!({"project_id": "pbadiface", "label_output_format": "parsed_label", "fields": f}),
    )
    .unwrap_err();
    assert!(e.to_string().contains("jsonInterface"), "{e}");

    let q = AssetQuery::from_json(
        &json!({"project_id": "pparsed", "label_output_format": "parsed"}).to_string(),
    )
    .unwrap();
    let e = c.assets(q, CallOptions::default()).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument);
    assert!(e.to_string().contains("label_output_format"), "{e}");
}
