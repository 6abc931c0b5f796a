//! The `kili-native` binary end to end against the emulator: every `assets` command, output
//! formats, environment variables, and the exit code of each failure category.

mod support;

use kili_emulator::{start_blocking, EmulatorConfig, EmulatorHandle};
use serde_json::{json, Value};
use std::process::{Command, Output};
use support::{command, ok, stderr, stdout, temp_dir};

const KEY: &str = "cli-test-key-5f0c2a91";

fn fixture() -> Value {
    let p = |id: &str, it: &str| json!({"id": id, "title": id, "input_type": it, "workflow_version": "V1", "members": [{"user_id": "u1", "role": "ADMIN"}]});
    json!({
        "organizations": [{"id": "o1", "name": "Org"}],
        "users": [{"id": "u1", "email": "ann@x.com", "organization_id": "o1", "api_keys": [{"key": KEY}]}],
        "projects": [p("pimg", "IMAGE"), p("ptext", "TEXT"), p("pnew", "IMAGE")],
        "assets": [
            {"id": "a1", "project_id": "pimg", "external_id": "one", "content": "https://h/1.png", "status": "TODO", "json_metadata": {"k": "v"}},
            {"id": "a2", "project_id": "pimg", "external_id": "two", "content": "https://h/2.png", "status": "LABELED"},
            {"id": "a3", "project_id": "pimg", "external_id": "three,with comma", "content": "https://h/3.png", "status": "TODO"}
        ]
    })
}

fn emulator() -> EmulatorHandle {
    start_blocking(EmulatorConfig {
        fixtures: vec![fixture()],
        ..Default::default()
    })
}

fn kili(emu: &EmulatorHandle, args: &[&str]) -> Output {
    command(emu, KEY, args).output().expect("run kili-native")
}

fn tiny_png() -> Vec<u8> {
    let mut v = vec![
        0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, b'I', b'H', b'D', b'R',
    ];
    v.extend_from_slice(&2u32.to_be_bytes());
    v.extend_from_slice(&1u32.to_be_bytes());
    v.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    v
}

fn ext_ids(emu: &EmulatorHandle, project: &str) -> Vec<String> {
    let out = ok(kili(
        emu,
        &[
            "assets",
            "list",
            "--project-id",
            project,
            "--fields",
            "externalId",
        ],
    ));
    out.lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["externalId"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn list_in_every_format_with_filters() {
    let emu = emulator();
    let out = ok(kili(
        &emu,
        &[
            "assets",
            "list",
            "--project-id",
            "pimg",
            "--fields",
            "id,externalId,jsonMetadata",
        ],
    ));
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[0],
        json!({"id": "a1", "externalId": "one", "jsonMetadata": {"k": "v"}})
    );

    let out = ok(kili(
        &emu,
        &[
            "assets",
            "list",
            "--project-id",
            "pimg",
            "--fields",
            "id,externalId",
            "--format",
            "csv",
        ],
    ));
    assert_eq!(
        out,
        "id,externalId\na1,one\na2,two\na3,\"three,with comma\"\n"
    );

    let out = ok(kili(
        &emu,
        &[
            "assets",
            "list",
            "--project-id",
            "pimg",
            "--fields",
            "id",
            "--format",
            "json",
            "--status-in",
            "TODO",
        ],
    ));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v, json!([{"id": "a1"}, {"id": "a3"}]));

    let out = ok(kili(
        &emu,
        &[
            "assets",
            "list",
            "--project-id",
            "pimg",
            "--fields",
            "id",
            "--first",
            "1",
            "--skip",
            "1",
        ],
    ));
    assert_eq!(out.trim(), r#"{"id":"a2"}"#);

    let out = ok(kili(
        &emu,
        &[
            "assets",
            "list",
            "--project-id",
            "pimg",
            "--fields",
            "id",
            "--filter",
            "external_id_in=[\"two\"]",
        ],
    ));
    assert_eq!(out.trim(), r#"{"id":"a2"}"#);

    let dir = temp_dir("list");
    let file = dir.join("out.ndjson");
    let o = kili(
        &emu,
        &[
            "assets",
            "list",
            "--project-id",
            "pimg",
            "--fields",
            "id",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(ok(o), "");
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 3);

    // stderr is not a terminal here: no progress bar, nothing on stderr
    let o = kili(&emu, &["assets", "list", "--project-id", "pimg"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stderr(&o), "");
}

#[test]
fn count_with_filters() {
    let emu = emulator();
    assert_eq!(
        ok(kili(&emu, &["assets", "count", "--project-id", "pimg"])).trim(),
        "3"
    );
    assert_eq!(
        ok(kili(
            &emu,
            &[
                "assets",
                "count",
                "--project-id",
                "pimg",
                "--status-in",
                "TODO"
            ]
        ))
        .trim(),
        "2"
    );
    assert_eq!(
        ok(kili(
            &emu,
            &[
                "assets",
                "count",
                "--project-id",
                "pimg",
                "--external-id-in",
                "one,two"
            ]
        ))
        .trim(),
        "2"
    );
}

#[test]
fn import_files_directories_and_csv() {
    let emu = emulator();
    let dir = temp_dir("import");
    std::fs::write(dir.join("a.png"), tiny_png()).unwrap();
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    std::fs::write(dir.join("sub/b.png"), tiny_png()).unwrap();
    let single = temp_dir("import-single").join("c.png");
    std::fs::write(&single, tiny_png()).unwrap();
    let out = ok(kili(
        &emu,
        &[
            "assets",
            "import",
            "--project-id",
            "pnew",
            dir.to_str().unwrap(),
            single.to_str().unwrap(),
            "--wait",
        ],
    ));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["result"]["id"], "pnew", "{out}");
    assert_eq!(
        v["result"]["asset_ids"].as_array().map(Vec::len),
        Some(3),
        "{out}"
    );
    let mut ids = ext_ids(&emu, "pnew");
    ids.sort();
    assert_eq!(ids, vec!["a.png", "c.png", "sub/b.png"]);

    // the imported media come back through the emulator's files endpoint with --download-media
    let media = temp_dir("media");
    let out = ok(kili(
        &emu,
        &[
            "assets",
            "list",
            "--project-id",
            "pnew",
            "--fields",
            "externalId,content",
            "--download-media",
            "--local-media-dir",
            media.to_str().unwrap(),
        ],
    ));
    for line in out.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let path = v["content"].as_str().unwrap();
        assert!(
            path.starts_with(std::fs::canonicalize(&media).unwrap().to_str().unwrap()),
            "{path}"
        );
        assert_eq!(std::fs::read(path).unwrap(), tiny_png(), "{path}");
    }
    assert_eq!(out.lines().count(), 3);

    let csv = dir.join("texts.csv");
    std::fs::write(&csv, "content;externalId\nhello world;t1\nsecond;t2\n").unwrap();
    ok(kili(
        &emu,
        &[
            "assets",
            "import",
            "--project-id",
            "ptext",
            "--csv",
            csv.to_str().unwrap(),
            "--csv-separator",
            ";",
        ],
    ));
    assert_eq!(ext_ids(&emu, "ptext"), vec!["t1", "t2"]);

    // nothing to import: an invalid argument, exit code 12
    let empty = temp_dir("import-empty");
    let o = kili(
        &emu,
        &[
            "assets",
            "import",
            "--project-id",
            "pnew",
            empty.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(12), "{}", stderr(&o));
    assert!(stderr(&o).contains("paths"));
}

#[test]
fn update_review_queue_delete() {
    let emu = emulator();
    ok(kili(
        &emu,
        &[
            "assets",
            "update",
            "--project-id",
            "pimg",
            "--external-ids",
            "one,two",
            "--priorities",
            "3,4",
            "--json-metadata",
            r#"{"x":1}"#,
        ],
    ));
    let out = ok(kili(
        &emu,
        &[
            "assets",
            "list",
            "--project-id",
            "pimg",
            "--fields",
            "externalId,priority,jsonMetadata",
            "--external-id-in",
            "one,two",
        ],
    ));
    let rows: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows[0]["priority"], 3);
    assert_eq!(rows[1]["priority"], 4);
    assert_eq!(rows[1]["jsonMetadata"], json!({"x": 1}));

    ok(kili(
        &emu,
        &[
            "assets",
            "review",
            "--project-id",
            "pimg",
            "--asset-ids",
            "a2",
        ],
    ));
    assert_eq!(
        ok(kili(
            &emu,
            &[
                "assets",
                "count",
                "--project-id",
                "pimg",
                "--status-in",
                "TO_REVIEW"
            ]
        ))
        .trim(),
        "1"
    );
    ok(kili(
        &emu,
        &[
            "assets",
            "queue",
            "--project-id",
            "pimg",
            "--asset-ids",
            "a2",
        ],
    ));
    assert_eq!(
        ok(kili(
            &emu,
            &[
                "assets",
                "count",
                "--project-id",
                "pimg",
                "--status-in",
                "TO_REVIEW"
            ]
        ))
        .trim(),
        "0"
    );

    ok(kili(
        &emu,
        &[
            "assets",
            "delete",
            "--project-id",
            "pimg",
            "--asset-ids",
            "a1,a3",
        ],
    ));
    assert_eq!(ext_ids(&emu, "pimg"), vec!["two"]);

    // no ids at all
    let o = kili(&emu, &["assets", "delete", "--project-id", "pimg"]);
    assert_eq!(o.status.code(), Some(12));
    assert!(stderr(&o).contains("--asset-ids"));
}

#[test]
fn exit_codes_per_status_category() {
    let emu = emulator();
    // usage error (clap)
    assert_eq!(kili(&emu, &["assets", "frobnicate"]).status.code(), Some(2));
    assert_eq!(
        kili(&emu, &["assets", "count"]).status.code(),
        Some(2),
        "--project-id is required"
    );
    let help = kili(&emu, &["--help"]);
    assert_eq!(help.status.code(), Some(0));
    // Named `kili-native`: the official SDK's `kili` command may be on the same PATH.
    let text = stdout(&help);
    assert!(text.contains("Usage: kili-native "), "{text}");
    assert!(text.contains("130  interrupted by SIGINT"), "{text}");
    assert_eq!(
        stdout(&kili(&emu, &["--version"])),
        format!("kili-native {}\n", env!("CARGO_PKG_VERSION"))
    );
    // invalid argument: named in the message
    let o = kili(
        &emu,
        &[
            "assets",
            "list",
            "--project-id",
            "pimg",
            "--status-in",
            "NOPE",
        ],
    );
    assert_eq!(o.status.code(), Some(12));
    assert!(stderr(&o).contains("status_in"), "{}", stderr(&o));
    assert!(stderr(&o).contains("INVALID_ARGUMENT"));
    // not found
    let o = kili(&emu, &["assets", "list", "--project-id", "no-such-project"]);
    assert_eq!(o.status.code(), Some(15), "{}", stderr(&o));
    // authentication: a wrong key, never printed back
    let bad_key = "wrong-key-0123456789abcdef";
    let o = Command::new(env!("CARGO_BIN_EXE_kili-native"))
        .args([
            "--endpoint",
            &emu.endpoint(),
            "--api-key",
            bad_key,
            "assets",
            "count",
            "--project-id",
            "pimg",
        ])
        .env_remove("KILI_API_KEY")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(14), "{}", stderr(&o));
    assert!(!stderr(&o).contains(bad_key) && !stdout(&o).contains(bad_key));
    // no key at all
    let o = Command::new(env!("CARGO_BIN_EXE_kili-native"))
        .args([
            "--endpoint",
            &emu.endpoint(),
            "assets",
            "count",
            "--project-id",
            "pimg",
        ])
        .env_remove("KILI_API_KEY")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(14), "{}", stderr(&o));
}

#[test]
fn priority_assign_metadata_skip_and_consensus() {
    let emu = emulator();
    let list = |fields: &str| -> Vec<Value> {
        ok(kili(
            &emu,
            &[
                "assets",
                "list",
                "--project-id",
                "pimg",
                "--fields",
                fields,
                "--asset-id-in",
                "a1,a2",
            ],
        ))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
    };
    // a1 is TODO (set), a2 LABELED (declined); the result is the SDK's outcome object.
    let out: Value = serde_json::from_str(&ok(kili(
        &emu,
        &[
            "assets",
            "priority",
            "--project-id",
            "pimg",
            "--asset-ids",
            "a1,a2",
            "--priority",
            "5",
        ],
    )))
    .unwrap();
    assert_eq!(
        out["result"]["declined"],
        json!([{"assetId": "a2", "externalId": "two"}])
    );
    assert_eq!(list("id,priority")[0]["priority"], 5);

    ok(kili(
        &emu,
        &[
            "assets",
            "assign",
            "--project-id",
            "pimg",
            "--external-ids",
            "one,two",
            "--to",
            "u1",
        ],
    ));
    let rows = list("id,assignedTo.id");
    assert_eq!(rows[0]["assignedTo"], json!([{"id": "u1"}]));
    assert_eq!(rows[1]["assignedTo"], json!([{"id": "u1"}]));
    ok(kili(
        &emu,
        &[
            "assets",
            "assign",
            "--project-id",
            "pimg",
            "--asset-ids",
            "a2",
            "--unassign",
        ],
    ));
    assert_eq!(list("id,assignedTo.id")[1]["assignedTo"], json!([]));

    ok(kili(
        &emu,
        &[
            "assets",
            "add-metadata",
            "--project-id",
            "pimg",
            "--asset-ids",
            "a1",
            "--json-metadata",
            r#"{"n":1}"#,
        ],
    ));
    assert_eq!(
        list("id,jsonMetadata")[0]["jsonMetadata"],
        json!({"k": "v", "n": 1})
    );
    ok(kili(
        &emu,
        &[
            "assets",
            "set-metadata",
            "--project-id",
            "pimg",
            "--asset-ids",
            "a1",
            "--json-metadata",
            r#"{"m":2}"#,
        ],
    ));
    assert_eq!(list("id,jsonMetadata")[0]["jsonMetadata"], json!({"m": 2}));

    let out = ok(kili(
        &emu,
        &[
            "assets",
            "skip",
            "--project-id",
            "pimg",
            "--asset-id",
            "a1",
            "--reason",
            "blurry",
        ],
    ));
    assert!(out.contains(r#""result": "a1""#), "{out}");
    assert_eq!(list("id,skipped")[0]["skipped"], true);
    ok(kili(
        &emu,
        &[
            "assets",
            "unskip",
            "--project-id",
            "pimg",
            "--asset-id",
            "a1",
        ],
    ));
    assert_eq!(list("id,skipped")[0]["skipped"], false);

    // A legacy-workflow project refuses consensus changes: a partial failure (exit code 22).
    let o = kili(
        &emu,
        &[
            "assets",
            "consensus",
            "--project-id",
            "pimg",
            "--asset-id",
            "a1",
            "--is-consensus",
            "true",
        ],
    );
    assert_eq!(o.status.code(), Some(22), "{}", stdout(&o));
    assert!(stderr(&o).contains("legacy"), "{}", stderr(&o));
}
