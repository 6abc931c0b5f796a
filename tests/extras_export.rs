//! Streaming export against the emulator: NDJSON round-trip (equals the cursor's output), CSV
//! of flat fields, files and file descriptors, filters, progress, errors, and the C entry
//! point `kili_assets_export`.

mod extras_support;

use extras_support::*;
use kili::export::{export_assets, export_assets_to_path, ExportFormat};
use kili::ffi::export::kili_assets_export;
use kili::{AssetQuery, CallOptions, Event, EventSink, Status};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

fn q(args: Value) -> AssetQuery {
    AssetQuery::from_json(&args.to_string()).unwrap()
}

#[test]
fn ndjson_export_equals_the_cursor_output() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let progress = Arc::new(Mutex::new(Vec::new()));
    let p2 = progress.clone();
    let c = client(&emu).with_events(EventSink::new(move |e| {
        if let Event::Progress {
            operation,
            done,
            total,
        } = e
        {
            if operation == "export" {
                p2.lock().unwrap().push((*done, *total));
            }
        }
    }));
    for args in [
        json!({"project_id": "pmany"}),
        json!({"project_id": "pmany", "fields": ["id", "externalId", "jsonMetadata"], "external_id_in": ["many-10", "many-11", "many-12"]}),
        json!({"project_id": "pparsed", "fields": ["id", "labels.id", "labels.jsonResponse"]}),
    ] {
        let expected: Vec<Value> = c
            .assets(q(args.clone()), CallOptions::default())
            .unwrap()
            .collect::<kili::Result<_>>()
            .unwrap();
        let mut buf = Vec::new();
        let n = export_assets(
            &c,
            q(args.clone()),
            ExportFormat::Ndjson,
            &mut buf,
            CallOptions::default(),
        )
        .unwrap();
        let text = String::from_utf8(buf).unwrap();
        let got: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(n as usize, expected.len());
        assert_eq!(got, expected, "{args}");
        assert!(text.ends_with('\n'), "{args}: {n}");
    }
    // filters apply
    let mut buf = Vec::new();
    let n = export_assets(
        &c,
        q(json!({"project_id": "pmany", "external_id_in": ["many-10", "many-11", "many-12"]})),
        ExportFormat::Ndjson,
        &mut buf,
        CallOptions::default(),
    )
    .unwrap();
    assert_eq!(n, 3);
    let p = progress.lock().unwrap().clone();
    assert!(p.contains(&(60, Some(60))), "{p:?}");
    assert!(p.contains(&(3, Some(3))), "{p:?}");
}

#[test]
fn csv_export_of_flat_fields_and_files() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let c = client(&emu);
    let dir = temp_dir("export");
    let path = dir.join("assets.csv");
    let n = export_assets_to_path(
        &c,
        q(json!({"project_id": "pimg", "fields": ["id", "externalId", "content"]})),
        ExportFormat::Csv,
        &path,
        CallOptions::default(),
    )
    .unwrap();
    assert_eq!(n, 2);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        vec!["id", "externalId", "content"]
    );
    let rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        rows,
        vec![
            vec!["i1".to_string(), "img-1".into(), m.url("img/1")],
            vec!["i2".into(), "img-2.png".into(), m.url("img/2")]
        ]
    );
    assert_eq!(files_in(&dir), vec!["assets.csv"], "no temporary file left");

    // a failing export creates nothing: the query is checked before any file exists
    let bad = dir.join("bad.ndjson");
    let e = export_assets_to_path(
        &c,
        q(json!({"project_id": "nope"})),
        ExportFormat::Ndjson,
        &bad,
        CallOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::NotFound);
    assert_eq!(files_in(&dir), vec!["assets.csv"]);
    // ... nor does it touch an existing file of that name
    let e = export_assets_to_path(
        &c,
        q(json!({"project_id": "nope"})),
        ExportFormat::Csv,
        &path,
        CallOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::NotFound);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    // concurrent exports to one path never share a temporary file: both complete, and the
    // file is one whole export
    let counts: Vec<u64> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    export_assets_to_path(
                        &c,
                        q(json!({"project_id": "pmany", "fields": ["id"]})),
                        ExportFormat::Ndjson,
                        &dir.join("many.ndjson"),
                        CallOptions::default(),
                    )
                    .unwrap()
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let lines = std::fs::read_to_string(dir.join("many.ndjson")).unwrap();
    assert!(counts.iter().all(|n| *n == counts[0] && *n > 0));
    assert_eq!(lines.lines().count() as u64, counts[0]);
    assert_eq!(files_in(&dir), vec!["assets.csv", "many.ndjson"]);
    // the format is spelled exactly as documented
    assert!(ExportFormat::parse("jsonl").is_err() && ExportFormat::parse("CSV").is_err());
    // an unwritable path names the argument
    let e = export_assets_to_path(
        &c,
        q(json!({"project_id": "pimg"})),
        ExportFormat::Csv,
        &dir.join("no/such/dir.csv"),
        CallOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument);
    assert!(e.to_string().contains("path"), "{e}");
}

unsafe fn ffi_client(emu: &kili_emulator::EmulatorHandle) -> *mut kili::ffi::kili_client_t {
    let opts = json!({"api_key": KEY, "api_endpoint": emu.endpoint(), "rate_limit_per_minute": 0})
        .to_string();
    let mut c = std::ptr::null_mut();
    let st = kili::ffi::client::kili_client_new(
        opts.as_ptr().cast(),
        opts.len(),
        &mut c,
        std::ptr::null_mut(),
    );
    assert_eq!(st, 0);
    c
}

#[test]
fn c_entry_point_writes_files_and_fds() {
    let m = MediaServer::start();
    let emu = emulator(&m);
    let dir = temp_dir("cexport");
    unsafe {
        let c = ffi_client(&emu);
        let args = json!({"project_id": "pmany", "fields": ["id", "externalId"]}).to_string();
        let path = dir.join("out.ndjson");
        let p = path.to_str().unwrap();
        let mut count = 0u64;
        let st = kili_assets_export(
            c,
            args.as_ptr().cast(),
            args.len(),
            "ndjson".as_ptr().cast(),
            6,
            p.as_ptr().cast(),
            p.len(),
            -1,
            std::ptr::null(),
            &mut count,
            std::ptr::null_mut(),
        );
        assert_eq!(st, 0);
        assert_eq!(count, 60);
        let lines: Vec<Value> = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 60);
        assert_eq!(lines[0], json!({"id": "many-00", "externalId": "many-00"}));

        // a file descriptor: written, flushed, left open
        use std::os::fd::AsRawFd;
        let fpath = dir.join("fd.csv");
        let f = std::fs::File::create(&fpath).unwrap();
        let st = kili_assets_export(
            c,
            args.as_ptr().cast(),
            args.len(),
            "csv".as_ptr().cast(),
            3,
            std::ptr::null(),
            0,
            f.as_raw_fd(),
            std::ptr::null(),
            &mut count,
            std::ptr::null_mut(),
        );
        assert_eq!(st, 0);
        assert_eq!(count, 60);
        use std::io::Write;
        (&f).write_all(b"# still open\n")
            .expect("the fd stays open");
        let text = std::fs::read_to_string(&fpath).unwrap();
        assert!(
            text.starts_with("id,externalId\nmany-00,many-00\n"),
            "{text}"
        );
        assert!(text.ends_with("# still open\n"));

        // errors: unknown format, no destination, bad args; the count is 0 and err is set
        let mut err = std::ptr::null_mut();
        count = 7;
        let st = kili_assets_export(
            c,
            args.as_ptr().cast(),
            args.len(),
            "xml".as_ptr().cast(),
            3,
            std::ptr::null(),
            0,
            -1,
            std::ptr::null(),
            &mut count,
            &mut err,
        );
        assert_eq!(st, Status::InvalidArgument as i32);
        assert_eq!(count, 0);
        let msg = std::ffi::CStr::from_ptr(kili::ffi::error::kili_error_message(err))
            .to_string_lossy()
            .into_owned();
        assert!(msg.contains("format"), "{msg}");
        kili::ffi::error::kili_error_free(err);
        let mut err = std::ptr::null_mut();
        let st = kili_assets_export(
            c,
            args.as_ptr().cast(),
            args.len(),
            "csv".as_ptr().cast(),
            3,
            std::ptr::null(),
            0,
            -1,
            std::ptr::null(),
            &mut count,
            &mut err,
        );
        assert_eq!(st, Status::InvalidArgument as i32);
        let msg = std::ffi::CStr::from_ptr(kili::ffi::error::kili_error_message(err))
            .to_string_lossy()
            .into_owned();
        assert!(msg.contains("fd"), "{msg}");
        kili::ffi::error::kili_error_free(err);
        let st = kili_assets_export(
            std::ptr::null(),
            args.as_ptr().cast(),
            args.len(),
            "csv".as_ptr().cast(),
            3,
            std::ptr::null(),
            0,
            1,
            std::ptr::null(),
            &mut count,
            std::ptr::null_mut(),
        );
        assert_eq!(st, Status::InvalidArgument as i32);
        kili::ffi::client::kili_client_free(c);
    }
}

/// The names of the files in `dir`, sorted (hidden temporary files included).
fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}
