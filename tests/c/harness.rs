//! Shared helpers of the C ABI tests: locate the built library and header, compile C
//! programs with the system compiler (`$CC`/`$CXX`, default `cc`/`c++`), run them.
//!
//! Included by the `tests/c_abi*.rs` test binaries with `#[path = "c/harness.rs"] mod harness;`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate root (where `include/` and `tests/c/` live).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The directory holding `libkili.so`/`libkili.a` built for this test run (`target/<profile>`).
///
/// The C library is the `kili-capi` package (capi/), which `cargo test` does not build for
/// the core's tests (a cdylib is no Rust dependency), so the first call builds it, once per
/// test binary, in this test's target directory and profile. Building it here rather than
/// trusting whatever library is lying there means a C test never runs against a stale build.
pub fn lib_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // The test binary lives in <target>/<profile>/deps/; the library lands one level up.
        let exe = std::env::current_exe().expect("current_exe");
        let deps = exe.parent().expect("deps dir");
        let profile_dir = deps.parent().expect("profile dir");
        let target = profile_dir.parent().expect("target dir");
        let mut cmd = Command::new(env!("CARGO"));
        cmd.current_dir(root())
            .env("CARGO_TARGET_DIR", target)
            // The same package set as the scripts build, so that both share one build.
            .args(["build", "-q", "-p", "kili-capi", "-p", "kili-emulator"]);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cmd.arg("--release");
        }
        check("cargo build -p kili-capi", &run(&mut cmd));
        assert!(
            profile_dir.join("libkili.so").exists(),
            "libkili.so not found in {} after cargo build -p kili-capi",
            profile_dir.display()
        );
        profile_dir.to_path_buf()
    })
    .clone()
}

/// A private copy of `libkili.so`, made once per test binary: the shared target directory
/// may be rebuilt by concurrent cargo runs while the C programs run.
pub fn private_lib_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        // Drop the copies of test processes that are gone (they are large).
        if let Ok(entries) = std::fs::read_dir(scratch("")) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if let Some(pid) = name.strip_prefix("lib-") {
                    if !Path::new("/proc").join(pid).exists() {
                        let _ = std::fs::remove_dir_all(e.path());
                    }
                }
            }
        }
        let d = scratch(&format!("lib-{}", std::process::id()));
        std::fs::copy(lib_dir().join("libkili.so"), d.join("libkili.so")).expect("copy libkili.so");
        d
    })
    .clone()
}

/// A scratch directory for build outputs of this test binary.
pub fn scratch(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("c_abi")
        .join(name);
    std::fs::create_dir_all(&d).expect("create scratch dir");
    d
}

/// Runs `cmd`, panicking with its output when it fails to start.
pub fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"))
}

/// Panics with the full output unless `out` succeeded.
pub fn check(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The C compiler.
pub fn cc() -> Command {
    Command::new(std::env::var("CC").unwrap_or_else(|_| "cc".into()))
}

/// The C++ compiler.
pub fn cxx() -> Command {
    Command::new(std::env::var("CXX").unwrap_or_else(|_| "c++".into()))
}

/// Compiles the C program `tests/c/<name>.c` (with `tests/c/kili_test.h` available) against
/// `include/kili.h` and the shared library, with `extra` flags; returns the executable path.
pub fn build_c_program(name: &str, variant: &str, extra: &[&str]) -> PathBuf {
    let src = root().join("tests/c").join(format!("{name}.c"));
    let exe = scratch(variant).join(name);
    let lib = private_lib_dir();
    let mut cmd = cc();
    cmd.args([
        "-std=c11",
        "-Wall",
        "-Wextra",
        "-Werror",
        "-pedantic",
        "-g",
        "-O1",
    ])
    .arg("-I")
    .arg(root().join("include"))
    .arg("-I")
    .arg(root().join("tests/c"))
    .args(extra)
    .arg(&src)
    .arg("-o")
    .arg(&exe)
    .arg(format!("-L{}", lib.display()))
    .arg(format!("-Wl,-rpath,{}", lib.display()))
    .arg(lib.join("libkili.so"))
    .arg("-lpthread");
    check(&format!("compiling {}", src.display()), &run(&mut cmd));
    exe
}

/// Reads a file to a string, panicking with its path.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Builds each (program, variant) once per test binary, even when tests run in parallel.
pub fn program(name: &str, variant: &str, extra: &[&str]) -> PathBuf {
    static BUILT: OnceLock<Mutex<HashMap<(String, String), PathBuf>>> = OnceLock::new();
    let mut built = BUILT
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    built
        .entry((name.to_string(), variant.to_string()))
        .or_insert_with(|| build_c_program(name, variant, extra))
        .clone()
}

/// The emulator's demo data set: project `demo-project` with 20 assets, key `demo-api-key`.
pub fn demo_emulator() -> kili_emulator::EmulatorHandle {
    kili_emulator::start_blocking(kili_emulator::EmulatorConfig {
        seed_demo: true,
        ..Default::default()
    })
}

/// A command running `exe` against `emu` (endpoint and key in the environment).
pub fn against(exe: &Path, emu: &kili_emulator::Emulator) -> Command {
    let mut cmd = Command::new(exe);
    cmd.env("KILI_API_ENDPOINT", emu.endpoint())
        .env("KILI_API_KEY", "demo-api-key")
        .env("KILI_TEST_PROJECT", "demo-project");
    cmd
}
