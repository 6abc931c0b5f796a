//! append_many_to_dataset against the emulator: every parameter and input type, CSV, local
//! uploads through signed URLs, the asynchronous path with wait_until_availability, declined
//! duplicates and existing external ids, validation errors.

mod mutations_support;

use kili::{Status, WarningKind};
use mutations_support::*;
use serde_json::{json, Value};

fn append(env: &Env, args: Value) -> Value {
    env.mutate("append_many_to_dataset", args).unwrap()
}

fn ids(v: &Value) -> Vec<String> {
    v["result"]["asset_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// GETs a URL of the emulator (signed upload URLs and `files?id=` URLs) with the API key.
fn fetch_bytes(url: &str) -> Vec<u8> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let r = reqwest::Client::new()
            .get(url)
            .header("Authorization", format!("X-API-Key: {KEY}"))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "GET {url}: {}", r.status());
        r.bytes().await.unwrap().to_vec()
    })
}

/// The URL to read back an uploaded content (the signed URL's `id` through `files`).
fn read_back_bytes(env: &Env, content_url: &str) -> Vec<u8> {
    let id = content_url
        .split("&id=")
        .nth(1)
        .expect("a signed URL with &id=");
    fetch_bytes(&format!(
        "{}?id={id}",
        env.emu.endpoint().replace("/graphql", "/files")
    ))
}

fn read_back(env: &Env, content_url: &str) -> String {
    String::from_utf8(read_back_bytes(env, content_url)).unwrap()
}

#[test]
fn image_urls_with_every_array() {
    let env = env(json!({}));
    let p = project("IMAGE");
    let r = append(
        &env,
        json!({
            "project_id": p,
            "content_array": ["https://h/a.png", "https://h/b.jpg"],
            "external_id_array": ["a", "b"],
            "is_honeypot_array": [true, false],
            "json_metadata_array": [{"k": 1}, {"k": 2}],
            "id_array": ["cid000000000000000000000a", "cid000000000000000000000b"],
            "status_array": ["TODO", "TODO"],
            "disable_tqdm": true
        }),
    );
    assert_eq!(r["result"]["id"], p);
    assert_eq!(
        ids(&r),
        vec!["cid000000000000000000000a", "cid000000000000000000000b"]
    );
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["a", "b"]);
    let rows = env.assets(
        &p,
        &[
            "id",
            "externalId",
            "content",
            "isHoneypot",
            "jsonMetadata",
            "status",
        ],
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["content"], "https://h/a.png");
    assert_eq!(rows[0]["isHoneypot"], true);
    assert_eq!(rows[1]["jsonMetadata"], json!({"k": 2}));
    assert_eq!(rows[0]["status"], "TODO");
    let dep = env.warnings(WarningKind::Deprecation);
    assert!(
        dep.iter().any(|m| m.starts_with("status_array"))
            && dep.iter().any(|m| m.starts_with("id_array")),
        "{dep:?}"
    );
    assert_eq!(
        env.progress("append_many_to_dataset").last(),
        Some(&(2, Some(2)))
    );
}

#[test]
fn random_external_ids_and_client_chosen_ids() {
    let env = env(json!({}));
    let r = append(
        &env,
        json!({"project_id": project("IMAGE"), "content_array": ["https://h/a.png"]}),
    );
    let rows = env.assets(&project("IMAGE"), &["id", "externalId"]);
    assert_eq!(ids(&r), vec![rows[0]["id"].as_str().unwrap().to_string()]);
    let ext = rows[0]["externalId"].as_str().unwrap();
    assert!(
        ext.len() == 32 && ext.chars().all(|c| c.is_ascii_hexdigit()),
        "{ext}"
    );
}

#[test]
fn text_raw_url_local_rich_and_csv() {
    let env = env(json!({}));
    let p = project("TEXT");
    let dir = TempDir::new();
    let local = dir.file("doc.txt", "from a file");
    let r = append(
        &env,
        json!({"project_id": p, "content_array": ["raw text. with dots", "https://h/t.txt", local], "external_id_array": ["raw", "url", "file"]}),
    );
    assert_eq!(ids(&r).len(), 3);
    let rows = env.assets(&p, &["externalId", "content", "jsonContent"]);
    let get = |e: &str| rows.iter().find(|r| r["externalId"] == e).unwrap().clone();
    assert_eq!(
        read_back(&env, get("raw")["content"].as_str().unwrap()),
        "raw text. with dots"
    );
    assert_eq!(get("url")["content"], "https://h/t.txt");
    assert_eq!(
        read_back(&env, get("file")["content"].as_str().unwrap()),
        "from a file"
    );

    // Rich text: json_content uploaded, content empty.
    let rich = json!([{"type": "p", "children": [{"text": "hello"}]}]);
    append(
        &env,
        json!({"project_id": p, "json_content_array": [rich], "external_id_array": ["rich"]}),
    );
    let rows = env.assets(&p, &["externalId", "content", "jsonContent"]);
    let rich_row = rows.iter().find(|r| r["externalId"] == "rich").unwrap();
    assert_eq!(rich_row["content"], "");
    let back: Value =
        serde_json::from_str(&read_back(&env, rich_row["jsonContent"].as_str().unwrap())).unwrap();
    assert_eq!(back, rich);

    // CSV with a custom separator and quoted fields.
    let csv = dir.file(
        "assets.csv",
        "externalId;content\ncsv1;\"first; with separator\"\ncsv2;https://h/c.txt\n",
    );
    let r = append(
        &env,
        json!({"project_id": p, "from_csv": csv, "csv_separator": ";"}),
    );
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["csv1", "csv2"]);
    let rows = env.assets(&p, &["externalId", "content"]);
    let c1 = rows.iter().find(|r| r["externalId"] == "csv1").unwrap();
    assert_eq!(
        read_back(&env, c1["content"].as_str().unwrap()),
        "first; with separator"
    );
    let bad = dir.file("bad.csv", "content,id\nx,y\n");
    let e = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": p, "from_csv": bad}),
        )
        .unwrap_err();
    assert_eq!(e.details()["path"], "from_csv");
    assert!(e.to_string().contains("externalId"), "{e}");
}

#[test]
fn image_local_sync_and_tiff_async_with_wait() {
    let env = env(json!({}));
    let p = project("IMAGE");
    let dir = TempDir::new();
    let png = dir.file("a.png", tiny_png());
    let tif = dir.file("b.tif", b"II*\0fake tiff");
    let r = append(
        &env,
        json!({"project_id": p, "content_array": [png, tif], "external_id_array": ["png", "tif"], "wait_until_availability": true}),
    );
    assert_eq!(outcome_ext(&r, "succeeded").len(), 2, "{r}");
    assert_eq!(ids(&r).len(), 2, "verified async ids are reported");
    let rows = env.assets(&p, &["externalId", "content"]);
    assert_eq!(rows.len(), 2);
    for row in &rows {
        let c = row["content"].as_str().unwrap();
        assert!(c.contains("&id=projects/"), "{c}");
    }
    let png_row = rows.iter().find(|r| r["externalId"] == "png").unwrap();
    assert_eq!(
        read_back_bytes(&env, png_row["content"].as_str().unwrap()),
        tiny_png()
    );
    // The TIFF went through the asynchronous mutation, the PNG through the synchronous one.
    let ops: Vec<String> = env
        .emu
        .request_log()
        .iter()
        .filter_map(|r| r.operation.clone())
        .collect();
    assert!(
        ops.iter().any(|o| o == "appendManyAssetsAsynchronously")
            && ops.iter().any(|o| o == "appendManyAssets"),
        "{ops:?}"
    );
    assert!(ops.iter().any(|o| o == "countNotifications"), "{ops:?}");
}

#[test]
fn async_without_waiting_reports_pending() {
    let env = env(json!({}));
    let r = append(
        &env,
        json!({"project_id": project("VIDEO"), "content_array": ["https://h/v.mp4"], "external_id_array": ["v"], "wait_until_availability": false}),
    );
    assert_eq!(ids(&r), Vec::<String>::new(), "no unverified id reported");
    assert_eq!(outcome_ext(&r, "pending"), vec!["v"]);
}

#[test]
fn geospatial_multi_layer() {
    let env = env(json!({}));
    let p = project("GEOSPATIAL");
    let dir = TempDir::new();
    let l1 = dir.file("l1.tif", b"II*\0one");
    let l2 = dir.file("l2.tif", b"II*\0two");
    let r = append(
        &env,
        json!({"project_id": p, "multi_layer_content_array": [[{"path": l1, "name": "base", "isBaseLayer": true}, {"path": l2, "name": "top"}]],
               "json_content_array": [[{"type": "x"}]], "external_id_array": ["geo"]}),
    );
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["geo"], "{r}");
    assert_eq!(env.assets(&p, &["externalId"]).len(), 1);
    let log = env.emu.request_log();
    let sent = log
        .iter()
        .find(|r| r.operation.as_deref() == Some("appendManyAssetsAsynchronously"))
        .unwrap();
    let data = &sent.body.as_ref().unwrap()["variables"]["data"];
    assert_eq!(data["uploadType"], "GEO_SATELLITE");
    let layers = &data["multiLayerContentArray"][0];
    assert_eq!(layers[0]["name"], "base");
    assert!(
        layers[0].get("path").is_none()
            && layers[1]["url"].as_str().unwrap().contains("content/1.tif")
    );
}

#[test]
fn pdf_video_audio_llm() {
    let env = env(json!({}));
    let dir = TempDir::new();
    // PDF: URL and local file.
    let pdf = dir.file("d.pdf", b"%PDF-1.4 fake");
    let r = append(
        &env,
        json!({"project_id": project("PDF"), "content_array": ["https://h/d.pdf", pdf], "external_id_array": ["u", "l"]}),
    );
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["u", "l"]);
    // VIDEO: URL (async native), local file, hosted frames and local frames.
    let mp4 = dir.file("v.mp4", b"fake mp4");
    let f0 = dir.file("f0.png", tiny_png());
    let f1 = dir.file("f1.png", tiny_png());
    let p = project("VIDEO");
    let r = append(
        &env,
        json!({"project_id": p, "content_array": ["https://h/v.mp4", mp4], "external_id_array": ["vu", "vl"]}),
    );
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["vu", "vl"], "{r}");
    let r = append(
        &env,
        json!({"project_id": p, "json_content_array": [["https://h/0.png", "https://h/1.png"], [f0, f1]], "external_id_array": ["fh", "fl"]}),
    );
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["fh", "fl"], "{r}");
    let rows = env.assets(&p, &["externalId", "jsonMetadata", "jsonContent"]);
    let vu = rows.iter().find(|r| r["externalId"] == "vu").unwrap();
    assert_eq!(vu["jsonMetadata"]["processingParameters"], json!({}));
    let fl = rows.iter().find(|r| r["externalId"] == "fl").unwrap();
    let index: Value =
        serde_json::from_str(&read_back(&env, fl["jsonContent"].as_str().unwrap())).unwrap();
    let frame1 = index["1"].as_str().unwrap();
    assert!(frame1.contains("/files?id=projects/"), "{frame1}");
    assert_eq!(
        fetch_bytes(frame1),
        tiny_png(),
        "local frames are readable through files?id="
    );
    // VIDEO_LEGACY: URLs.
    let r = append(
        &env,
        json!({"project_id": project("VIDEO_LEGACY"), "content_array": ["https://h/v.avi"]}),
    );
    assert_eq!(outcome_ids(&r, "succeeded").len(), 1);
    // AUDIO: URL and local file.
    let mp3 = dir.file("s.mp3", b"ID3 fake");
    let r = append(
        &env,
        json!({"project_id": project("AUDIO"), "content_array": ["https://h/s.wav", mp3]}),
    );
    assert_eq!(outcome_ids(&r, "succeeded").len(), 2);
    // LLM_RLHF: dicts, local JSON files, URLs.
    let conv = dir.file(
        "c.json",
        br#"{"prompts": [{"prompt": "hi", "completions": [{"content": "yo"}]}]}"#,
    );
    let p = project("LLM_RLHF");
    let r = append(
        &env,
        json!({"project_id": p, "content_array": [{"prompt": "p", "completions": ["a", "b"]}], "external_id_array": ["dict"]}),
    );
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["dict"]);
    let r = append(
        &env,
        json!({"project_id": p, "content_array": [conv], "external_id_array": ["file"]}),
    );
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["file"]);
    let r = append(
        &env,
        json!({"project_id": p, "content_array": ["https://h/conv.json"], "external_id_array": ["url"]}),
    );
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["url"]);
    let rows = env.assets(&p, &["externalId", "content"]);
    let dict = rows.iter().find(|r| r["externalId"] == "dict").unwrap();
    let back: Value =
        serde_json::from_str(&read_back(&env, dict["content"].as_str().unwrap())).unwrap();
    assert_eq!(back["prompt"], "p");
}

#[test]
fn duplicates_and_existing_external_ids_are_declined() {
    let env = env(
        json!({"assets": [{"id": "old", "project_id": project("IMAGE"), "external_id": "exists"}]}),
    );
    let p = project("IMAGE");
    let r = append(
        &env,
        json!({"project_id": p, "content_array": ["https://h/1.png", "https://h/2.png", "https://h/3.png", "https://h/4.png"],
               "external_id_array": ["dup", "exists", "dup", "new"]}),
    );
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["new"]);
    let mut declined = outcome_ext(&r, "declined");
    declined.sort();
    assert_eq!(declined, vec!["dup", "dup", "exists"]);
    assert_eq!(env.warnings(WarningKind::Ignored).len(), 2);
    let mut ext: Vec<String> = env
        .assets(&p, &["externalId"])
        .iter()
        .map(|r| r["externalId"].as_str().unwrap().to_string())
        .collect();
    ext.sort();
    assert_eq!(ext, vec!["exists", "new"]);
}

#[test]
fn import_errors_name_the_asset() {
    let env = env(json!({}));
    let e = env.mutate("append_many_to_dataset", json!({"project_id": project("PDF"), "content_array": ["https://h/a.png"], "external_id_array": ["e1"]})).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArgument);
    assert!(
        e.to_string()
            .contains("'.png' is not allowed for PDF projects (asset external_id='e1')"),
        "{e}"
    );
    let e = env.mutate("append_many_to_dataset", json!({"project_id": project("IMAGE"), "content_array": ["https://h/a.png", "/nonexistent/b.png"]})).unwrap_err();
    assert_eq!(e.details()["path"], "content_array[1]");
    let e = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": "no-such-project", "content_array": ["https://h/a.png"]}),
        )
        .unwrap_err();
    assert_eq!(e.status(), Status::NotFound);
    let dir = TempDir::new();
    let csv = dir.file("a.csv", "x");
    let e = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": project("TEXT"), "content_array": [csv]}),
        )
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("does not correspond to the type of the project"),
        "{e}"
    );
    assert!(
        env.assets(&project("TEXT"), &["id"]).is_empty()
            && env.assets(&project("IMAGE"), &["id"]).is_empty()
    );
}

#[test]
fn local_upload_refused_without_licence() {
    let env =
        env(json!({"organizations": [{"id": "org1", "name": "Org", "upload_local_data": false}]}));
    let e = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": project("TEXT"), "content_array": ["raw"]}),
        )
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("Cannot upload content from local data"),
        "{e}"
    );
    // Hosted data needs no licence.
    let r = append(
        &env,
        json!({"project_id": project("TEXT"), "content_array": ["https://h/a.txt"]}),
    );
    assert_eq!(outcome_ids(&r, "succeeded").len(), 1);
}

#[test]
fn batches_of_100_with_progress() {
    let env = env(json!({}));
    let n = 230;
    let urls: Vec<String> = (0..n).map(|i| format!("https://h/{i}.png")).collect();
    let ext: Vec<String> = (0..n).map(|i| format!("e{i}")).collect();
    let r = append(
        &env,
        json!({"project_id": project("IMAGE"), "content_array": urls, "external_id_array": ext}),
    );
    assert_eq!(ids(&r).len(), n);
    let creates = env
        .emu
        .request_log()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("appendManyAssets"))
        .count();
    assert_eq!(creates, 3);
    let prog: Vec<u64> = env
        .progress("append_many_to_dataset")
        .iter()
        .map(|p| p.0)
        .collect();
    assert_eq!(prog, vec![0, 100, 200, 230]);
    assert_eq!(env.assets(&project("IMAGE"), &["id"]).len(), n);
}

#[test]
fn big_payloads_are_split_by_bytes() {
    let env = env(json!({}));
    let big = "m".repeat(450_000);
    let metas: Vec<Value> = (0..5).map(|i| json!({"i": i, "blob": big})).collect();
    let urls: Vec<String> = (0..5).map(|i| format!("https://h/{i}.png")).collect();
    let r = append(
        &env,
        json!({"project_id": project("IMAGE"), "content_array": urls, "json_metadata_array": metas}),
    );
    assert_eq!(ids(&r).len(), 5);
    let sizes: Vec<usize> = env
        .emu
        .request_log()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("appendManyAssets"))
        .map(|r| {
            r.body.as_ref().unwrap()["variables"]["data"]["idArray"]
                .as_array()
                .unwrap()
                .len()
        })
        .collect();
    assert_eq!(sizes, vec![4, 1]);
}

#[test]
fn bad_json_and_cancellation() {
    let env = env(json!({}));
    let e = env
        .client
        .mutate_json(
            "add_to_review",
            "{\"asset_ids\": [",
            kili::CallOptions::default(),
        )
        .unwrap_err();
    assert_eq!(e.details()["path"], "args");
    assert!(e.to_string().contains("line 1 column"), "{e}");
    let token = kili::CancelToken::new();
    token.cancel();
    let opts = kili::CallOptions {
        cancel: Some(token),
        ..Default::default()
    };
    let args = json!({"project_id": project("IMAGE"), "content_array": ["https://h/a.png"]});
    let e = env
        .client
        .mutate_json("append_many_to_dataset", &args.to_string(), opts)
        .unwrap_err();
    assert_eq!(e.status(), Status::Cancelled);
    assert!(env.assets(&project("IMAGE"), &["id"]).is_empty());
}

#[test]
fn large_images_go_async_and_wrong_mime_types_are_refused() {
    let env = env(json!({}));
    let dir = TempDir::new();
    // A PNG whose header says 20000 px wide: tiled (asynchronous) import.
    let mut big = tiny_png();
    big[16..20].copy_from_slice(&20_000u32.to_be_bytes());
    let big = dir.file("big.png", big);
    let r = append(
        &env,
        json!({"project_id": project("IMAGE"), "content_array": [big], "external_id_array": ["big"]}),
    );
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["big"]);
    let sent = env
        .emu
        .request_log()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("appendManyAssetsAsynchronously"))
        .count();
    assert_eq!(sent, 1);
    // A local file whose MIME type does not suit the project.
    let wav_as_video = dir.file("clip.mp3", b"ID3");
    let e = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": project("VIDEO"), "content_array": [wav_as_video]}),
        )
        .unwrap_err();
    assert!(e.to_string().contains("not allowed for VIDEO"), "{e}");
    let png_as_audio = dir.file("x.wav.png", tiny_png());
    let e = env
        .mutate(
            "append_many_to_dataset",
            json!({"project_id": project("AUDIO"), "content_array": [png_as_audio]}),
        )
        .unwrap_err();
    assert!(
        e.to_string().contains("'.png' is not allowed for AUDIO"),
        "{e}"
    );
    // LLM chats are converted, with their metadata.
    let chat = json!([
        {"role": "user", "content": "hi", "id": "i1", "chat_id": "c1", "model": null},
        {"role": "assistant", "content": "hello", "id": "i2", "chat_id": "c1", "model": "m1"}
    ]);
    let r = append(
        &env,
        json!({"project_id": project("LLM_RLHF"), "content_array": [chat], "external_id_array": ["chat"]}),
    );
    assert_eq!(outcome_ext(&r, "succeeded"), vec!["chat"]);
    let rows = env.assets(
        &project("LLM_RLHF"),
        &["externalId", "jsonMetadata", "content"],
    );
    assert_eq!(rows[0]["jsonMetadata"]["chat_item_ids"], "i1___i2");
    let conv: Value =
        serde_json::from_str(&read_back(&env, rows[0]["content"].as_str().unwrap())).unwrap();
    assert_eq!(conv["prompts"][0]["prompt"], "hi");
    assert_eq!(conv["prompts"][0]["completions"][0]["content"], "hello");
}
