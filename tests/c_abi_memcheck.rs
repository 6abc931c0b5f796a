//! The C ABI test programs under AddressSanitizer (with LeakSanitizer) and under valgrind
//! (`--leak-check=full --error-exitcode=1`): zero memory errors and zero leaks. The valgrind
//! suppressions (`tests/c/valgrind.supp`) cover only the never-dropped global runtime.
//! The library's allocations go through `malloc` there (`KILI_ALLOCATOR=system`, see
//! src/alloc.rs): a program that leaks them on purpose must be caught by both tools.
//!
//! Run alone with `cargo test -p kili --test c_abi_memcheck` (valgrind makes it slow: about a
//! minute on two cores).

#[path = "c/harness.rs"]
mod harness;

use harness::{against, check, demo_emulator, program, run};
use kili_emulator::{FaultConfig, FaultKind};
use std::path::Path;
use std::process::Command;

/// The programs and arguments checked, with the faults the emulator needs for each.
fn cases() -> Vec<(&'static str, Vec<&'static str>, Option<FaultConfig>)> {
    vec![
        ("lifecycle", vec![], None),
        ("misuse", vec![], None),
        ("threads", vec!["shared"], None),
        (
            "threads",
            vec!["cancel"],
            Some(FaultConfig {
                rate: 1.0,
                kinds: vec![FaultKind::Latency { ms: 10_000 }],
                ..Default::default()
            }),
        ),
        (
            "probe",
            vec![
                "reenter",
                "KILI_INVALID_STATE",
                "{}",
                r#"{"project_id": "demo-project", "first": 3}"#,
            ],
            None,
        ),
        (
            "probe",
            vec![
                "mutate:delete_many_from_dataset",
                "KILI_NOT_FOUND",
                "{}",
                r#"{"project_id": "demo-project", "external_ids": ["nope"]}"#,
            ],
            None,
        ),
    ]
}

/// Compiler flags of the ASan builds.
const ASAN: &[&str] = &["-fsanitize=address", "-fno-omit-frame-pointer"];

/// `exe` (an ASan build) against `emu`, with leak detection and the library on `malloc`.
fn under_asan(exe: &Path, emu: &kili_emulator::Emulator) -> Command {
    let mut cmd = against(exe, emu);
    cmd.env("ASAN_OPTIONS", "detect_leaks=1:halt_on_error=1:exitcode=86")
        .env("KILI_ALLOCATOR", "system");
    cmd
}

/// `exe` under valgrind's leak check against `emu`, the library on `malloc`.
///
/// "possibly lost" blocks are interior pointers into live tables of the never-dropped global
/// runtime, and which ones exist at exit depends on thread timing (an intermittent failure was
/// seen in the cancellation run): they are shown but do not fail the run. Definite and
/// indirect leaks (memory no pointer reaches) fail it, as they do under LeakSanitizer.
fn under_valgrind(exe: &Path, emu: &kili_emulator::Emulator) -> Command {
    let mut cmd = Command::new("valgrind");
    cmd.args([
        "--leak-check=full",
        "--error-exitcode=1",
        "--errors-for-leak-kinds=definite,indirect",
        "--quiet",
    ])
    .arg(format!(
        "--suppressions={}",
        harness::root().join("tests/c/valgrind.supp").display()
    ))
    .arg(exe)
    .env("KILI_API_ENDPOINT", emu.endpoint())
    .env("KILI_API_KEY", "demo-api-key")
    .env("KILI_TEST_PROJECT", "demo-project")
    .env("KILI_ALLOCATOR", "system");
    cmd
}

#[test]
fn c_tests_under_address_sanitizer() {
    for (name, args, faults) in cases() {
        let exe = program(name, "asan", ASAN);
        let emu = demo_emulator();
        if let Some(f) = faults {
            emu.set_faults(f);
        }
        let out = run(under_asan(&exe, &emu).args(&args));
        check(&format!("{name} {args:?} under ASan"), &out);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("Sanitizer"),
            "{name}: sanitizer report:\n{stderr}"
        );
    }
}

#[test]
fn c_tests_under_valgrind() {
    if Command::new("valgrind").arg("--version").output().is_err() {
        panic!("valgrind is not installed (apt-get install valgrind)");
    }
    for (name, args, faults) in cases() {
        let exe = program(name, "plain", &[]);
        let emu = demo_emulator();
        if let Some(f) = faults {
            emu.set_faults(f);
        }
        let out = run(under_valgrind(&exe, &emu).args(&args));
        check(&format!("{name} {args:?} under valgrind"), &out);
    }
}

#[test]
fn both_checkers_catch_a_leak_of_the_librarys_memory() {
    let emu = demo_emulator();
    let exe = program("leak", "asan", ASAN);
    let out = run(&mut under_asan(&exe, &emu));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(86),
        "LeakSanitizer missed the leak:\n{stderr}"
    );
    assert!(stderr.contains("LeakSanitizer"), "{stderr}");

    let exe = program("leak", "plain", &[]);
    let out = run(&mut under_valgrind(&exe, &emu));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "valgrind missed the leak:\n{stderr}"
    );
    assert!(stderr.contains("definitely lost"), "{stderr}");
}
