//! Generates the C header from `src/ffi/` with cbindgen into `$OUT_DIR/kili.h`.
//!
//! The checked-in `include/kili.h` is compared with this fresh generation by
//! `tests/c_abi_header.rs`, so the test command fails on drift; `scripts/regen-header.sh`
//! (which sets `KILI_REGEN_HEADER=1`) also writes it to `include/kili.h`.
//! A cbindgen failure never breaks the build: it writes a header with an `#error` naming the
//! cause, which the header test reports.

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=src/ffi");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=KILI_REGEN_HEADER");

    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("kili.h");
    let text = match generate(&root) {
        Ok(t) => t,
        Err(e) => {
            println!("cargo:warning=cbindgen could not generate kili.h: {e}");
            format!(
                "#error \"cbindgen failed: {}\"\n",
                e.replace(['"', '\n', '\\'], " ")
            )
        }
    };
    std::fs::write(&out, &text).expect("write $OUT_DIR/kili.h");
    if std::env::var_os("KILI_REGEN_HEADER").is_some_and(|v| v == "1") {
        std::fs::write(root.join("include/kili.h"), &text).expect("write include/kili.h");
    }
}

fn generate(root: &std::path::Path) -> Result<String, String> {
    let mut config =
        cbindgen::Config::from_file(root.join("cbindgen.toml")).map_err(|e| e.to_string())?;
    let v = |k: &str| std::env::var(k).unwrap_or_default();
    // Version macros come from Cargo.toml so they can never disagree with kili_version().
    config.after_includes = Some(format!(
        "\n#ifndef KILI_API\n#define KILI_API\n#endif\n\n\
         /** Version of this header; compare with kili_version(). */\n\
         #define KILI_VERSION_MAJOR {}\n#define KILI_VERSION_MINOR {}\n#define KILI_VERSION_PATCH {}\n\
         #define KILI_VERSION \"{}\"\n",
        v("CARGO_PKG_VERSION_MAJOR"),
        v("CARGO_PKG_VERSION_MINOR"),
        v("CARGO_PKG_VERSION_PATCH"),
        v("CARGO_PKG_VERSION"),
    ));
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src/ffi/mod.rs"))
        .generate()
        .map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    bindings.write(&mut buf);
    String::from_utf8(buf).map_err(|e| e.to_string())
}
