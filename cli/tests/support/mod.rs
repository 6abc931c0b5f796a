//! Helpers shared by the CLI's end-to-end test binaries (`mod support;` in each).
#![allow(dead_code)]

use kili_emulator::EmulatorHandle;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// `kili-native ARGS` against `emu`, authenticated with `key`, with an empty standard input.
pub fn command(emu: &EmulatorHandle, key: &str, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kili-native"));
    c.args(args)
        .env("KILI_API_ENDPOINT", emu.endpoint())
        .env("KILI_API_KEY", key)
        .env_remove("KILI_SDK_SKIP_CHECKS")
        .stdin(Stdio::null());
    c
}

/// The standard output, which must be UTF-8.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

/// The standard error (lossy: it is only shown or searched).
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The standard output of a command that must have exited with 0.
pub fn ok(o: Output) -> String {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    stdout(&o)
}

/// A fresh directory under the system temp dir, one per process, thread and tag (replaced on
/// re-runs).
pub fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(
        format!(
            "kili-cli-{tag}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        )
        .replace(['(', ')'], ""),
    );
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}
