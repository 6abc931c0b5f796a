//! The checked-in C header: equal to a fresh cbindgen generation, self-consistent with the
//! core (versions, status values), and compilable as C11 and C++17 with strict warnings.

#[path = "c/harness.rs"]
mod harness;

use harness::{cc, check, cxx, read, root, run, scratch};
use kili::Status;

const FRESH: &str = include_str!(concat!(env!("OUT_DIR"), "/kili.h"));

#[test]
fn checked_in_header_matches_fresh_generation() {
    let checked_in = read(&root().join("include/kili.h"));
    assert!(
        !FRESH.contains("#error"),
        "cbindgen failed during the build:\n{FRESH}"
    );
    assert!(
        checked_in == FRESH,
        "include/kili.h is stale: run scripts/regen-header.sh and commit the result"
    );
}

/// `#define NAME value` lines of the header.
fn defines() -> Vec<(String, String)> {
    FRESH
        .lines()
        .filter_map(|l| l.strip_prefix("#define "))
        .filter_map(|l| l.split_once(' '))
        .map(|(n, v)| (n.to_string(), v.trim().to_string()))
        .collect()
}

fn define(name: &str) -> String {
    defines()
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("{name} missing from the header"))
}

#[test]
fn version_macros_match_the_crate() {
    assert_eq!(
        define("KILI_VERSION_MAJOR"),
        env!("CARGO_PKG_VERSION_MAJOR")
    );
    assert_eq!(
        define("KILI_VERSION_MINOR"),
        env!("CARGO_PKG_VERSION_MINOR")
    );
    assert_eq!(
        define("KILI_VERSION_PATCH"),
        env!("CARGO_PKG_VERSION_PATCH")
    );
    assert_eq!(
        define("KILI_VERSION"),
        format!("\"{}\"", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        define("KILI_ABI_VERSION"),
        kili::ffi::version::KILI_ABI_VERSION.to_string()
    );
    let v = unsafe { std::ffi::CStr::from_ptr(kili::ffi::version::kili_version()) };
    assert_eq!(v.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}

#[test]
fn status_constants_match_the_core_enum() {
    for s in Status::ALL {
        assert_eq!(
            define(&format!("KILI_{}", s.name())),
            (s as i32).to_string(),
            "{s:?}"
        );
    }
    let in_header = defines()
        .iter()
        .filter(|(n, _)| {
            !n.starts_with("KILI_VERSION")
                && n != "KILI_ABI_VERSION"
                && n != "KILI_API"
                && n != "KILI_H"
        })
        .count();
    assert_eq!(
        in_header,
        Status::ALL.len(),
        "every KILI_ constant is a status of the core"
    );
}

fn compile_header_check(mut cmd: std::process::Command, std: &str, out: &str) {
    let dir = scratch("header");
    cmd.arg(format!("-std={std}"))
        .args(["-Wall", "-Wextra", "-Werror", "-pedantic", "-c"])
        .arg("-I")
        .arg(root().join("include"))
        .arg(root().join("tests/c/header_check.c"))
        .arg("-o")
        .arg(dir.join(out));
    check(&format!("header check as {std}"), &run(&mut cmd));
}

#[test]
fn header_compiles_as_c11_twice_included() {
    compile_header_check(cc(), "c11", "c11.o");
}

#[test]
fn header_compiles_as_cpp17_twice_included() {
    let mut cmd = cxx();
    cmd.args(["-x", "c++"]);
    compile_header_check(cmd, "c++17", "cpp17.o");
}
