//! Reliability, crash and restart (issue 10 §2): the emulator process is killed with SIGKILL
//! in the middle of an import, restarted on the same SQLite file, and the same import call
//! (same external ids) is run again: it completes, without duplicates and without losses.
//!
//! The server is the `kili-emulator` binary built by cargo (`target/<profile>/kili-emulator`,
//! built by `cargo build --workspace` / `cargo test --workspace`). When it is missing (e.g.
//! `cargo test -p kili --test reliability_crash` on a fresh target dir) the test binary itself
//! is re-executed as the server (`emulator_child_process` below): the same emulator library,
//! in its own process, killed the same way.

mod reliability_support;

use kili::client::Client;
use kili::{CallOptions, Event, EventSink};
use reliability_support::*;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};

const CHILD_ENV: &str = "KILI_RELIABILITY_EMULATOR_CHILD";

/// The emulator binary next to the test binary's profile directory; `None` when missing or
/// when `KILI_RELIABILITY_NO_BINARY` is set (to exercise the fallback).
fn emulator_binary() -> Option<PathBuf> {
    if std::env::var_os("KILI_RELIABILITY_NO_BINARY").is_some() {
        return None;
    }
    let exe = std::env::current_exe().ok()?;
    let profile_dir = exe.parent()?.parent()?;
    let p = profile_dir.join("kili-emulator");
    p.exists().then_some(p)
}

/// A running emulator process and the URL it announced on its first stdout line.
struct Server {
    child: Child,
    endpoint: String,
}

fn spawn(db: &Path, fixture: Option<&Path>) -> (Server, &'static str) {
    let (mut cmd, how) = match emulator_binary() {
        Some(bin) => {
            let mut c = Command::new(bin);
            c.arg("--db").arg(db).arg("--port").arg("0");
            if let Some(f) = fixture {
                c.arg("--fixture").arg(f);
            }
            (c, "kili-emulator binary")
        }
        None => {
            let mut c = Command::new(std::env::current_exe().unwrap());
            c.args([
                "--exact",
                "emulator_child_process",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env(CHILD_ENV, db);
            if let Some(f) = fixture {
                c.env(format!("{CHILD_ENV}_FIXTURE"), f);
            }
            (c, "test binary re-executed as the emulator")
        }
    };
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the emulator");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = loop {
        let l = lines
            .next()
            .expect("the emulator announces its URL")
            .unwrap();
        // The binary prints the URL alone; the re-executed test prints it after libtest's
        // "test emulator_child_process ... " on the same line.
        if let Some(at) = l.find("http://") {
            break l[at..].trim().to_string();
        }
    };
    // Keep draining stdout so that the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (
        Server {
            child,
            endpoint: format!("{}/api/label/v2/graphql", url.trim_end_matches('/')),
        },
        how,
    )
}

/// The server side of the fallback: only does something when re-executed by [`spawn`].
#[test]
fn emulator_child_process() {
    let Ok(db) = std::env::var(CHILD_ENV) else {
        return;
    };
    let fixtures = match std::env::var(format!("{CHILD_ENV}_FIXTURE")) {
        Ok(f) => vec![serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap()],
        Err(_) => vec![],
    };
    let emu = kili_emulator::start_blocking(kili_emulator::EmulatorConfig {
        db: Some(db.into()),
        fixtures,
        ..Default::default()
    });
    println!("KILI_URL {}", emu.base_url());
    loop {
        std::thread::park(); // until SIGKILL
    }
}

fn import_args(n: usize) -> Value {
    let urls: Vec<String> = (0..n)
        .map(|i| format!("https://storage.example.com/crash/{i}.png"))
        .collect();
    let ext: Vec<String> = (0..n).map(|i| format!("crash-{i}")).collect();
    json!({"project_id": "rel_crash", "content_array": urls, "external_id_array": ext})
}

#[test]
fn sigkill_mid_import_then_rerun_completes_without_duplicates() {
    const N: usize = 3_000;
    let dir = std::env::temp_dir().join(format!("kili-rel-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("emulator.sqlite");
    let _ = std::fs::remove_file(&db);
    let fx = dir.join("fixture.json");
    std::fs::write(&fx, fixture().to_string()).unwrap();
    let (mut server, how) = spawn(&db, Some(&fx));

    // The import's progress callback stops the import after a third of the items until the
    // server has been killed: the kill lands in the middle of the call, deterministically.
    let (at_third, wait_kill) = (mpsc::channel::<u64>(), mpsc::channel::<()>());
    let (tx_third, rx_third) = at_third;
    let (tx_killed, rx_killed) = wait_kill;
    let rx_killed = Arc::new(Mutex::new(rx_killed));
    let fired = Arc::new(Mutex::new(false));
    let sink = {
        let fired = fired.clone();
        EventSink::new(move |e| {
            if let Event::Progress { done, .. } = e {
                let mut f = fired.lock().unwrap();
                if !*f && *done as usize >= N / 3 {
                    *f = true;
                    tx_third.send(*done).unwrap();
                    rx_killed.lock().unwrap().recv().unwrap();
                }
            }
        })
    };
    let opts = kili::ClientOptions {
        retry_deadline_ms: 1_500,
        ..fast_options(&server.endpoint)
    };
    let first = Client::new(opts).unwrap().with_events(sink);
    let args = import_args(N);
    let a2 = args.clone();
    let importer = std::thread::spawn(move || {
        first.mutate_json(
            "append_many_to_dataset",
            &a2.to_string(),
            CallOptions::default(),
        )
    });
    let done_at_kill = rx_third.recv().expect("the import reports progress");
    server.child.kill().expect("SIGKILL"); // std's kill() is SIGKILL on Unix
    server.child.wait().unwrap();
    tx_killed.send(()).unwrap();
    let err = importer
        .join()
        .unwrap()
        .expect_err("the import cannot finish without its server");
    println!(
        "first import stopped by the kill after {done_at_kill}/{N} items: {} ({})",
        err.status().name(),
        err
    );

    // Restart on the same database file (no fixture: the data must come from the file).
    let (mut server, _) = spawn(&db, None);
    let (c, _rec) = client(&server.endpoint);
    let count = |c: &Client| {
        c.count_assets_json(r#"{"project_id": "rel_crash"}"#, CallOptions::default())
            .unwrap() as usize
    };
    let survived = count(&c);
    assert!(
        survived > 0 && survived < N,
        "the kill happened mid-import ({survived} of {N} assets were committed)"
    );

    // The same call again.
    let res = c
        .mutate_json(
            "append_many_to_dataset",
            &args.to_string(),
            CallOptions::default(),
        )
        .expect("the re-run completes");
    let rows: Vec<Value> = c
        .assets_json(
            r#"{"project_id": "rel_crash", "fields": ["id", "externalId", "content"]}"#,
            CallOptions::default(),
        )
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let want: HashSet<String> = (0..N).map(|i| format!("crash-{i}")).collect();
    let (total, dups, missing) = dup_missing(
        rows.iter().map(|r| r["externalId"].as_str().unwrap()),
        &want,
    );
    let succeeded = res["outcomes"]["succeeded"].as_array().unwrap().len();
    let declined = res["outcomes"]["declined"].as_array().unwrap().len();
    println!(
        "FIGURES crash-restart[{how}]: committed_before_kill={survived} rerun_succeeded={succeeded} rerun_declined_existing={declined} assets={total} duplicates={dups} missing={missing}"
    );
    assert_eq!(
        (total, dups, missing),
        (N, 0, 0),
        "exactly the {N} assets after the re-run"
    );
    for r in &rows {
        let i: usize = r["externalId"].as_str().unwrap()["crash-".len()..]
            .parse()
            .unwrap();
        assert_eq!(
            r["content"],
            json!(format!("https://storage.example.com/crash/{i}.png"))
        );
    }
    // The re-run's report covers every item once: new ones succeeded, the ones already there
    // are reported (not silently dropped).
    assert_eq!(succeeded + declined, N, "{}", res["outcomes"]);
    assert_eq!(
        succeeded,
        N - survived,
        "the re-run created exactly the missing assets"
    );
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
