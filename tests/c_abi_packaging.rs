//! The installed C package: `packaging/install.sh --prefix PREFIX --libs-from DIR` lays out the
//! headers, the libraries, `kili.pc` / `kili-static.pc` and a CMake package;
//! `examples/quickstart.c` is built against the installed package once with pkg-config and once
//! with CMake (`find_package(kili)` -> `kili::kili`), and both binaries run the whole lifecycle
//! against the emulator. The libraries are this test run's cargo build, which has no SONAME, so
//! this is the development layout (`libkili.so` only); the release layout (SONAME, versioned
//! names, relocatable tree) is tested from the tarball by `tests/dist/c_cpp.sh`.

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
            let libs = private_libs("packaging-libs");
            let prefix = scratch("packaging-prefix");
            let _ = std::fs::remove_dir_all(&prefix);
            let mut cmd = Command::new("bash");
            cmd.arg(root().join("packaging/install.sh"))
                .arg("--prefix")
                .arg(&prefix)
                .arg("--libs-from")
                .arg(&libs);
            check("packaging/install.sh", &run(&mut cmd));
            prefix
        })
        .clone()
}

/// A private copy of the built libraries for one install (see `prefix`).
fn private_libs(name: &str) -> PathBuf {
    let libs = scratch(name);
    for lib in ["libkili.so", "libkili.a"] {
        let (from, to) = (lib_dir().join(lib), libs.join(lib));
        let _ = std::fs::remove_file(&to);
        if std::fs::hard_link(&from, &to).is_err() {
            std::fs::copy(&from, &to).unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
        }
    }
    libs
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
        "include/kili.hpp",
        "lib/libkili.so",
        "lib/libkili.a",
        "lib/pkgconfig/kili.pc",
        "lib/pkgconfig/kili-static.pc",
        "lib/cmake/kili/kiliConfig.cmake",
        "lib/cmake/kili/kiliConfigVersion.cmake",
    ] {
        assert!(
            p.join(f).is_file(),
            "{f} missing from the installed package"
        );
    }
    assert_eq!(
        std::fs::read(p.join("include/kili.hpp")).unwrap(),
        std::fs::read(root().join("bindings/cpp/include/kili.hpp")).unwrap(),
        "the installed kili.hpp is not the repository's"
    );
    // A cargo build has no SONAME: the library is installed under its plain name only.
    assert!(
        !p.join("lib/libkili.so")
            .symlink_metadata()
            .unwrap()
            .is_symlink(),
        "libkili.so without SONAME should be a plain file"
    );
    let pc = std::fs::read_to_string(p.join("lib/pkgconfig/kili.pc")).unwrap();
    assert!(
        pc.contains(&format!("Version: {}", env!("CARGO_PKG_VERSION"))),
        "{pc}"
    );
    assert!(pc.contains(&format!("prefix={}", p.display())), "{pc}");
}

#[test]
fn install_honours_destdir_and_libdir() {
    let libs = private_libs("packaging-libs-destdir");
    let destdir = scratch("packaging-destdir");
    let _ = std::fs::remove_dir_all(&destdir);
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("packaging/install.sh"))
        .args(["--prefix", "/usr", "--libdir", "lib64", "--libs-from"])
        .arg(&libs)
        .env("DESTDIR", &destdir);
    let out = run(&mut cmd);
    check("DESTDIR=... install.sh --prefix /usr --libdir lib64", &out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("has no SONAME"),
        "no warning about the missing SONAME:\n{stderr}"
    );

    let root_dir = destdir.join("usr");
    for f in [
        "include/kili.h",
        "include/kili.hpp",
        "lib64/libkili.so",
        "lib64/libkili.a",
        "lib64/pkgconfig/kili.pc",
        "lib64/pkgconfig/kili-static.pc",
        "lib64/cmake/kili/kiliConfig.cmake",
        "lib64/cmake/kili/kiliConfigVersion.cmake",
    ] {
        assert!(root_dir.join(f).is_file(), "{f} missing under DESTDIR/usr");
    }
    assert!(
        !root_dir.join("lib").exists(),
        "nothing belongs in DESTDIR/usr/lib"
    );
    // The files name the final prefix, not DESTDIR.
    let pc = std::fs::read_to_string(root_dir.join("lib64/pkgconfig/kili.pc")).unwrap();
    for line in ["prefix=/usr", "libdir=${exec_prefix}/lib64"] {
        assert!(
            pc.lines().any(|l| l == line),
            "kili.pc lacks {line:?}:\n{pc}"
        );
    }
    assert!(
        !pc.contains(&*destdir.to_string_lossy()),
        "kili.pc names DESTDIR:\n{pc}"
    );
    let config =
        std::fs::read_to_string(root_dir.join("lib64/cmake/kili/kiliConfig.cmake")).unwrap();
    assert!(
        config.contains(r#""${CMAKE_CURRENT_LIST_DIR}/../../..""#)
            && config.contains(r#"set(_kili_libdir "${_kili_prefix}/lib64")"#),
        "kiliConfig.cmake does not derive the prefix and libdir from lib64/cmake/kili:\n{config}"
    );
}

#[test]
fn install_refuses_the_old_lib_dir_option() {
    let mut cmd = Command::new("bash");
    cmd.arg(root().join("packaging/install.sh"))
        .arg(scratch("packaging-refused"))
        .arg("--lib-dir")
        .arg(scratch("packaging-libs"));
    let out = run(&mut cmd);
    assert!(!out.status.success(), "--lib-dir was accepted");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--libs-from"), "{stderr}");
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
