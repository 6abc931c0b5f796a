//! `kili-native` end to end against the emulator: ids read from files and from the standard
//! input, Ctrl-C / SIGTERM in the middle of a listing, an export and a media download (exit
//! status, one `cancelled` line, no `.part` file left), and a reader of stdout that goes away
//! (`| head -1`).
//!
//! Synchronisation is on events, never on sleeps: the first byte on stdout, or a file created
//! in a directory (inotify, waited for in poll(2)). The emulator's latency faults (60 s per
//! `assets` page) or a media server that stalls mid-body keep the command provably running
//! when the signal arrives: a command that ignored the signal would run for a minute more
//! and fail the elapsed-time assertions. Linux only (inotify).
#![cfg(target_os = "linux")]

mod support;

use kili_emulator::{start_blocking, EmulatorConfig, EmulatorHandle, FaultConfig, FaultKind};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::{ok, stderr, temp_dir};

const KEY: &str = "cli-ids-test-key-8d1e4b27";

/// How long a cancelled command may take to exit: far below the 60 s page latency.
const PROMPT: Duration = Duration::from_secs(20);

fn fixture(media_url: Option<&str>) -> Value {
    let p = |id: &str| json!({"id": id, "title": id, "input_type": "IMAGE", "workflow_version": "V1", "members": [{"user_id": "u1", "role": "ADMIN"}]});
    let mut assets = vec![
        json!({"id": "a1", "project_id": "pimg", "external_id": "one", "content": "https://h/1.png", "status": "TODO"}),
        json!({"id": "a2", "project_id": "pimg", "external_id": "two", "content": "https://h/2.png", "status": "LABELED"}),
        json!({"id": "a3", "project_id": "pimg", "external_id": "three,with comma", "content": "https://h/3.png", "status": "LABELED"}),
    ];
    if let Some(url) = media_url {
        assets.push(
            json!({"id": "m1", "project_id": "pmedia", "external_id": "big.png", "content": url}),
        );
    }
    json!({
        "organizations": [{"id": "o1", "name": "Org"}],
        "users": [{"id": "u1", "email": "ann@x.com", "organization_id": "o1", "api_keys": [{"key": KEY}]}],
        "projects": [p("pimg"), p("pbig"), p("pmedia")],
        "assets": assets,
    })
}

fn emulator_with(media_url: Option<&str>) -> EmulatorHandle {
    start_blocking(EmulatorConfig {
        fixtures: vec![fixture(media_url)],
        ..Default::default()
    })
}

fn emulator() -> EmulatorHandle {
    emulator_with(None)
}

/// Every `assets` page answered `ms` late (the project lookup and the count stay fast).
fn slow_pages(emu: &EmulatorHandle, ms: u64) {
    emu.set_faults(FaultConfig {
        rate: 1.0,
        kinds: vec![FaultKind::Latency { ms }],
        only_operations: vec!["assets".into()],
        ..Default::default()
    });
}

fn command(emu: &EmulatorHandle, args: &[&str]) -> Command {
    support::command(emu, KEY, args)
}

fn run(emu: &EmulatorHandle, args: &[&str]) -> Output {
    command(emu, args).output().expect("run kili-native")
}

/// Runs with `input` on the standard input.
fn run_with_stdin(emu: &EmulatorHandle, args: &[&str], input: &str) -> Output {
    let mut child = command(emu, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kili-native");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn spawn(emu: &EmulatorHandle, args: &[&str]) -> Child {
    command(emu, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kili-native")
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn signal(child: &Child, sig: libc::c_int) {
    // SAFETY: kill(2) on the pid of a child we have not reaped yet.
    let r = unsafe { libc::kill(child.id() as libc::pid_t, sig) };
    assert_eq!(r, 0, "kill: {}", std::io::Error::last_os_error());
}

/// Checks the end of a command cancelled by a signal: the exit status, one `cancelled` line
/// on stderr, no panic, and an exit within [`PROMPT`] of the signal.
fn assert_cancelled(o: &Output, code: i32, signal_name: &str, since: Instant) {
    let err = stderr(o);
    assert_eq!(
        o.status.code(),
        Some(code),
        "status {:?}, stderr: {err}",
        o.status
    );
    assert_eq!(err.lines().count(), 1, "one line expected: {err}");
    assert!(
        err.contains("cancelled") && err.contains(signal_name),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(since.elapsed() < PROMPT, "took {:?}", since.elapsed());
}

/// Files created in a directory, through inotify: `wait_for` blocks in poll(2) until one
/// appears (no polling loop, no sleep).
struct DirWatch {
    fd: libc::c_int,
}

impl DirWatch {
    /// Watches `dir` from now on (set up before starting the command, so nothing is missed).
    fn new(dir: &Path) -> Self {
        use std::os::unix::ffi::OsStrExt;
        // SAFETY: plain syscalls; the path is a NUL-terminated copy that outlives the call.
        let fd = unsafe { libc::inotify_init1(libc::IN_CLOEXEC) };
        assert!(
            fd >= 0,
            "inotify_init1: {}",
            std::io::Error::last_os_error()
        );
        let c = std::ffi::CString::new(dir.as_os_str().as_bytes()).unwrap();
        let wd = unsafe { libc::inotify_add_watch(fd, c.as_ptr(), libc::IN_CREATE) };
        assert!(
            wd >= 0,
            "inotify_add_watch: {}",
            std::io::Error::last_os_error()
        );
        DirWatch { fd }
    }

    /// The name of the first file created whose name satisfies `want`; `None` after `limit`.
    fn wait_for(&self, want: impl Fn(&str) -> bool, limit: Duration) -> Option<String> {
        let deadline = Instant::now() + limit;
        let mut buf = vec![0u8; 64 * 1024];
        let header = std::mem::size_of::<libc::inotify_event>();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            let mut pfd = libc::pollfd {
                fd: self.fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            let r = unsafe { libc::poll(&mut pfd, 1, left.as_millis().min(60_000) as i32) };
            if r < 0 {
                let e = std::io::Error::last_os_error();
                assert_eq!(e.kind(), std::io::ErrorKind::Interrupted, "poll: {e}");
                continue;
            }
            if r == 0 {
                continue; // the deadline is checked above
            }
            // SAFETY: reads into a buffer of the given length.
            let n = unsafe { libc::read(self.fd, buf.as_mut_ptr().cast(), buf.len()) };
            assert!(n > 0, "read inotify: {}", std::io::Error::last_os_error());
            let mut off = 0usize;
            // struct inotify_event { int wd; u32 mask; u32 cookie; u32 len; char name[len]; }
            while off + header <= n as usize {
                let len = u32::from_ne_bytes(buf[off + 12..off + 16].try_into().unwrap()) as usize;
                let raw = &buf[off + header..off + header + len];
                let name = String::from_utf8_lossy(raw.split(|b| *b == 0).next().unwrap_or(&[]))
                    .into_owned();
                if want(&name) {
                    return Some(name);
                }
                off += header + len;
            }
        }
    }
}

impl Drop for DirWatch {
    fn drop(&mut self) {
        // SAFETY: our own descriptor, closed once.
        unsafe { libc::close(self.fd) };
    }
}

/// Waits for a file matching `want` in `watch`; on timeout kills the command and fails with
/// its output.
fn wait_for_file(watch: &DirWatch, child: &mut Child, what: &str, want: impl Fn(&str) -> bool) {
    if watch.wait_for(want, Duration::from_secs(60)).is_none() {
        let _ = child.kill();
        let mut err = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut err);
        panic!("{what} never appeared; stderr: {err}");
    }
}

/// An HTTP server whose every answer is the headers and the first KiB of a 1 MiB body, then
/// nothing (the connection is held open): a media download that is provably in progress.
/// Its thread ends with the test process.
fn stalling_media_server() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut s) = stream else { continue };
            let mut head = Vec::new();
            let mut b = [0u8; 1024];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match s.read(&mut b) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => head.extend_from_slice(&b[..n]),
                }
            }
            let _ = s.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: 1048576\r\n\r\n",
            );
            let _ = s.write_all(&[0u8; 1024]);
            held.push(s);
        }
    });
    format!("http://{addr}/big.png")
}

#[test]
fn ids_from_a_file_or_stdin_give_the_same_results_as_inline_ids() {
    let emu = emulator();
    let dir = temp_dir("ids");
    let file = dir.join("ids.txt");
    // Blank lines, surrounding spaces and CRLF line ends are ignored.
    std::fs::write(&file, "\n  a1 \n\n\ta3\r\n").unwrap();
    let f = file.to_str().unwrap();
    let listed = |extra: &[&str]| {
        let mut args = vec![
            "assets",
            "list",
            "--project-id",
            "pimg",
            "--fields",
            "id,externalId",
        ];
        args.extend_from_slice(extra);
        ok(run(&emu, &args))
    };
    let inline = listed(&["--asset-id-in", "a1,a3"]);
    assert_eq!(inline.lines().count(), 2, "{inline}");
    assert_eq!(listed(&["--asset-ids-file", f]), inline);
    let from_stdin = run_with_stdin(
        &emu,
        &[
            "assets",
            "list",
            "--project-id",
            "pimg",
            "--fields",
            "id,externalId",
            "--asset-ids-file",
            "-",
        ],
        "a1\na3\n",
    );
    assert_eq!(ok(from_stdin), inline);
    let counted = run_with_stdin(
        &emu,
        &[
            "assets",
            "count",
            "--project-id",
            "pimg",
            "--asset-ids-file",
            "-",
        ],
        "a1\n\na3\n",
    );
    assert_eq!(ok(counted).trim(), "2");

    // External ids: exact matches, and an id may hold a comma (impossible inline).
    let ext = run_with_stdin(
        &emu,
        &[
            "assets",
            "list",
            "--project-id",
            "pimg",
            "--fields",
            "id,externalId",
            "--external-ids-file",
            "-",
        ],
        "one\nthree,with comma\n",
    );
    assert_eq!(ok(ext), inline);

    // Mutations: the same commands on two fresh emulators, inline ids on one, files on the
    // other, print the same results and leave the same state.
    let (a, b) = (emulator(), emulator());
    let two = dir.join("two.txt");
    std::fs::write(&two, "a2\n").unwrap();
    let t = two.to_str().unwrap();
    let review_inline = ok(run(
        &a,
        &[
            "assets",
            "review",
            "--project-id",
            "pimg",
            "--asset-ids",
            "a2",
        ],
    ));
    let review_file = ok(run(
        &b,
        &[
            "assets",
            "review",
            "--project-id",
            "pimg",
            "--asset-ids-file",
            t,
        ],
    ));
    assert_eq!(review_file, review_inline);
    assert!(review_inline.contains("a2"), "{review_inline}");
    let queue_inline = ok(run(
        &a,
        &[
            "assets",
            "queue",
            "--project-id",
            "pimg",
            "--asset-ids",
            "a2",
        ],
    ));
    let queue_file = ok(run_with_stdin(
        &b,
        &[
            "assets",
            "queue",
            "--project-id",
            "pimg",
            "--asset-ids-file",
            "-",
        ],
        "a2",
    ));
    assert_eq!(queue_file, queue_inline);

    let update_inline = ok(run(
        &a,
        &[
            "assets",
            "update",
            "--project-id",
            "pimg",
            "--external-ids",
            "one,two",
            "--priorities",
            "5,6",
            "--json-metadata",
            r#"{"k":1}"#,
        ],
    ));
    let update_file = ok(run_with_stdin(
        &b,
        &[
            "assets",
            "update",
            "--project-id",
            "pimg",
            "--external-ids-file",
            "-",
            "--priorities",
            "5,6",
            "--json-metadata",
            r#"{"k":1}"#,
        ],
        "one\ntwo\n",
    ));
    assert_eq!(update_file, update_inline);
    let state = |emu: &EmulatorHandle| {
        ok(run(
            emu,
            &[
                "assets",
                "list",
                "--project-id",
                "pimg",
                "--fields",
                "id,status,priority,jsonMetadata",
            ],
        ))
    };
    let after = state(&b);
    assert_eq!(after, state(&a));
    let rows: Vec<Value> = after
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        rows,
        vec![
            json!({"id": "a1", "status": "TODO", "priority": 5, "jsonMetadata": {"k": 1}}),
            json!({"id": "a2", "status": "ONGOING", "priority": 6, "jsonMetadata": {"k": 1}}),
            json!({"id": "a3", "status": "LABELED", "priority": 0, "jsonMetadata": {}}),
        ]
    );

    let del = dir.join("del.txt");
    std::fs::write(&del, "three,with comma\n").unwrap();
    ok(run(
        &a,
        &[
            "assets",
            "delete",
            "--project-id",
            "pimg",
            "--asset-ids",
            "a3",
        ],
    ));
    ok(run(
        &b,
        &[
            "assets",
            "delete",
            "--project-id",
            "pimg",
            "--external-ids-file",
            del.to_str().unwrap(),
        ],
    ));
    let after = state(&b);
    assert_eq!(after, state(&a));
    assert_eq!(after.lines().count(), 2, "{after}");
}

#[test]
fn an_ids_file_and_an_inline_list_together_are_a_usage_error() {
    let emu = emulator();
    let file = temp_dir("both").join("ids.txt");
    std::fs::write(&file, "a1\n").unwrap();
    let f = file.to_str().unwrap();
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["delete", "--asset-ids", "a1", "--asset-ids-file", f],
            "'--asset-ids <ASSET_IDS>'",
            "'--asset-ids-file <PATH>'",
        ),
        (
            vec!["review", "--external-ids", "x", "--external-ids-file", f],
            "'--external-ids <EXTERNAL_IDS>'",
            "'--external-ids-file <PATH>'",
        ),
        (
            vec!["queue", "--asset-ids-file", f, "--external-ids-file", f],
            "'--asset-ids-file <PATH>'",
            "'--external-ids-file <PATH>'",
        ),
        (
            vec!["update", "--asset-ids-file", f, "--external-ids", "x"],
            "'--asset-ids-file <PATH>'",
            "'--external-ids <EXTERNAL_IDS>'",
        ),
        (
            vec!["list", "--asset-id-in", "a1", "--asset-ids-file", f],
            "'--asset-id-in <ASSET_ID_IN>'",
            "'--asset-ids-file <PATH>'",
        ),
        (
            vec![
                "count",
                "--external-ids-file",
                f,
                "--external-id-strictly-in",
                "x",
            ],
            "'--external-ids-file <PATH>'",
            "'--external-id-strictly-in <EXTERNAL_ID_STRICTLY_IN>'",
        ),
    ];
    for (cmd, first, second) in cases {
        let mut args = vec!["assets"];
        args.extend_from_slice(&cmd);
        args.extend_from_slice(&["--project-id", "pimg"]);
        let o = run(&emu, &args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{cmd:?}: {err}");
        assert!(err.contains("cannot be used with"), "{cmd:?}: {err}");
        assert!(
            err.contains(first) && err.contains(second),
            "{cmd:?}: {err}"
        );
    }
    assert!(emu.request_log().is_empty());
}

#[test]
fn an_unreadable_ids_file_fails_before_any_request() {
    let emu = emulator();
    let dir = temp_dir("unreadable");
    let missing = dir.join("missing.txt");
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "\n  \n").unwrap();
    let (m, d, e) = (
        missing.to_str().unwrap(),
        dir.to_str().unwrap(),
        empty.to_str().unwrap(),
    );
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (vec!["delete", "--asset-ids-file", m], "--asset-ids-file", m),
        (
            vec!["update", "--external-ids-file", m, "--priorities", "1"],
            "--external-ids-file",
            m,
        ),
        (vec!["list", "--asset-ids-file", m], "--asset-ids-file", m),
        (
            vec!["count", "--external-ids-file", d],
            "--external-ids-file",
            d,
        ), // a directory
        (
            vec!["review", "--asset-ids-file", e],
            "--asset-ids-file",
            "no ids in",
        ), // no id at all
    ];
    for (cmd, flag, text) in cases {
        let mut args = vec!["assets"];
        args.extend_from_slice(&cmd);
        args.extend_from_slice(&["--project-id", "pimg"]);
        let o = run(&emu, &args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(12), "{cmd:?}: {err}");
        assert!(
            err.contains("INVALID_ARGUMENT") && err.contains(flag) && err.contains(text),
            "{cmd:?}: {err}"
        );
    }
    // Both readers on the standard input: refused too.
    let o = run(
        &emu,
        &[
            "assets",
            "count",
            "--project-id",
            "pimg",
            "--asset-ids-file",
            "-",
            "--external-ids-file",
            "-",
        ],
    );
    assert_eq!(o.status.code(), Some(12), "{}", stderr(&o));
    assert!(stderr(&o).contains("standard input"), "{}", stderr(&o));
    assert_eq!(emu.request_log().len(), 0, "no request may be sent");
}

#[test]
fn a_signal_mid_listing_cancels_it() {
    let emu = emulator();
    slow_pages(&emu, 60_000);
    for (sig, code, name) in [
        (libc::SIGINT, 130, "SIGINT"),
        (libc::SIGTERM, 143, "SIGTERM"),
    ] {
        // JSON to stdout: `[` is written and flushed once the count is known, then the tool
        // waits a minute for the first page.
        let mut child = spawn(
            &emu,
            &["assets", "list", "--project-id", "pimg", "--format", "json"],
        );
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 1];
        stdout.read_exact(&mut first).unwrap();
        assert_eq!(&first, b"[");
        let since = Instant::now();
        signal(&child, sig);
        let o = child.wait_with_output().unwrap();
        assert_cancelled(&o, code, name, since);
    }
}

#[test]
fn sigint_mid_export_leaves_no_part_file() {
    let emu = emulator();
    slow_pages(&emu, 60_000);
    for format in ["ndjson", "json"] {
        let dir = temp_dir(&format!("export-{format}"));
        let out = dir.join("out.txt");
        let watch = DirWatch::new(&dir);
        let mut child = spawn(
            &emu,
            &[
                "assets",
                "list",
                "--project-id",
                "pimg",
                "--format",
                format,
                "--output",
                out.to_str().unwrap(),
            ],
        );
        // The temporary file beside `out` exists: the export is under way.
        wait_for_file(&watch, &mut child, "the export's .part file", |n| {
            n.starts_with(".out.txt.") && n.ends_with(".part")
        });
        let since = Instant::now();
        signal(&child, libc::SIGINT);
        let o = child.wait_with_output().unwrap();
        assert_cancelled(&o, 130, "SIGINT", since);
        assert_eq!(
            names_in(&dir),
            Vec::<String>::new(),
            "{format}: nothing may be left"
        );
    }
}

#[test]
fn sigint_mid_download_leaves_no_part_file() {
    let emu = emulator_with(Some(&stalling_media_server()));
    let dir = temp_dir("media");
    // Left by an earlier interrupted listing, for the library to resume: kept.
    std::fs::write(dir.join("old.png.part"), b"resumable").unwrap();
    let watch = DirWatch::new(&dir);
    let mut child = spawn(
        &emu,
        &[
            "assets",
            "list",
            "--project-id",
            "pmedia",
            "--fields",
            "id,externalId,content",
            "--download-media",
            "--local-media-dir",
            dir.to_str().unwrap(),
        ],
    );
    // The download has begun (its .part exists) and the server stalls mid-body.
    wait_for_file(&watch, &mut child, "big.png.part", |n| n == "big.png.part");
    let since = Instant::now();
    signal(&child, libc::SIGINT);
    let o = child.wait_with_output().unwrap();
    assert_cancelled(&o, 130, "SIGINT", since);
    assert_eq!(names_in(&dir), vec!["old.png.part"]);
}

#[test]
fn a_closed_stdout_ends_the_listing_quietly_and_promptly() {
    let emu = emulator();
    emu.generate_assets("pbig", 5_000).unwrap(); // 50 pages of 100
                                                 // Each page 300 ms late: the tool notices the closed pipe at its next write, after the
                                                 // pages in flight (prefetch) arrive, so a handful are fetched, never the whole listing.
    slow_pages(&emu, 300);
    emu.clear_request_log();
    let mut child = spawn(
        &emu,
        &["assets", "list", "--project-id", "pbig", "--fields", "id"],
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    lines.read_line(&mut line).unwrap();
    let first: Value = serde_json::from_str(&line).unwrap();
    assert!(first["id"].is_string(), "{line}");
    drop(lines); // `| head -1`: the reader goes away
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert_eq!(stderr(&o), "");
    // Pages in flight when the pipe closed (the client's prefetch window, plus the page being
    // written and the one whose answer triggered the write), not the 50 of the whole listing.
    let prefetch = kili::ClientOptions::default().prefetch_pages as usize;
    let pages = emu
        .request_log()
        .iter()
        .filter(|r| r.operation.as_deref() == Some("assets"))
        .count();
    assert!(
        (1..=prefetch + 3).contains(&pages) && pages < 50,
        "{pages} page requests (prefetch {prefetch})"
    );
}
