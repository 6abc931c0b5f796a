//! The installed C package: `packaging/install.sh PREFIX` lays out the header, the libraries,
//! `kili.pc` and a CMake package; `examples/quickstart.c` is built against the installed
//! package once with pkg-config and once with CMake (`find_package(kili)` -> `kili::kili`), and
//! both binaries run the whole lifecycle against the emulator.

#[path = "c/harness.rs"]
mod harness;

use harness::{against, check, demo_emulator, lib_dir, root, run, scratch};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// Installs once per test binary into a scratch prefix, from a private copy of the built
/// libraries (hard links when possible: the static library is large).
fn prefix() -> PathBuf {
    static PREFIX: OnceLock<PathBuf> = OnceLock::new();
    PREFIX
        .get_or_init(|| {
            let libs = scratch("packaging-libs");
            for name in ["libkili.so", "libkili.a"] {
                let (from, to) = (lib_dir().join(name), libs.join(name));
                let _ = std::fs::remove_file(&to);
                if std::fs::hard_link(&from, &to).is_err() {
                    std::fs::copy(&from, &to)
                        .unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
                }
            }
            let prefix = scratch("packaging-prefix");
            let _ = std::fs::remove_dir_all(&prefix);
            let mut cmd = Command::new("bash");
            cmd.arg(root().join("packaging/install.sh"))
                .arg(&prefix)
                .arg("--lib-dir")
                .arg(&libs);
            check("packaging/install.sh", &run(&mut cmd));
            prefix
        })
        .clone()
}

fn run_quickstart(exe: &Path, prefix: &Path) {
    let emu = demo_emulator();
    let mut cmd = against(exe, &emu);
    cmd.env("LD_LIBRARY_PATH", prefix.join("lib"));
    let out = run(&mut cmd);
    check(&format!("{}", exe.display()), &out);
    let stdout = String::from_utf8_lossy(&out.stdout);
    for step in [
        "1. Project demo-project has 20 assets",
        "2. Import two assets",
        "8. Delete",
        "quickstart finished: ok",
    ] {
        assert!(
            stdout.contains(step),
            "quickstart output lacks {step:?}:\n{stdout}"
        );
    }
}

#[test]
fn install_lays_out_header_libraries_pkgconfig_and_cmake() {
    let p = prefix();
    for f in [
        "include/kili.h",
        "lib/libkili.so",
        "lib/libkili.a",
        "lib/pkgconfig/kili.pc",
        "lib/cmake/kili/kiliConfig.cmake",
        "lib/cmake/kili/kiliConfigVersion.cmake",
    ] {
        assert!(
            p.join(f).is_file(),
            "{f} missing from the installed package"
        );
    }
    let pc = std::fs::read_to_string(p.join("lib/pkgconfig/kili.pc")).unwrap();
    assert!(
        pc.contains(&format!("Version: {}", env!("CARGO_PKG_VERSION"))),
        "{pc}"
    );
    assert!(pc.contains(&format!("prefix={}", p.display())), "{pc}");
}

#[test]
fn quickstart_builds_with_pkg_config_against_the_installed_package() {
    let p = prefix();
    let mut pc = Command::new("pkg-config");
    pc.args(["--cflags", "--libs", "kili"])
        .env("PKG_CONFIG_PATH", p.join("lib/pkgconfig"));
    let out = run(&mut pc);
    check("pkg-config --cflags --libs kili", &out);
    let flags = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        flags.contains(&format!("-I{}", p.join("include").display())),
        "{flags}"
    );
    let exe = scratch("packaging-pkgconfig").join("quickstart");
    let mut cc = harness::cc();
    cc.args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"])
        .arg(root().join("examples/quickstart.c"))
        .arg("-o")
        .arg(&exe)
        .args(flags.split_whitespace());
    check(
        "cc quickstart.c $(pkg-config --cflags --libs kili)",
        &run(&mut cc),
    );
    run_quickstart(&exe, &p);
}

#[test]
fn quickstart_builds_with_cmake_find_package() {
    let p = prefix();
    let build = scratch("packaging-cmake");
    let _ = std::fs::remove_dir_all(&build);
    let mut configure = Command::new("cmake");
    configure
        .arg("-S")
        .arg(root().join("packaging/consumer"))
        .arg("-B")
        .arg(&build)
        .arg(format!("-DCMAKE_PREFIX_PATH={}", p.display()));
    check("cmake configure", &run(&mut configure));
    let mut compile = Command::new("cmake");
    compile.arg("--build").arg(&build);
    check("cmake --build", &run(&mut compile));
    run_quickstart(&build.join("quickstart"), &p);
}
