//! Reliability, bad input (issue 10 §3): a deterministic random-input driver for the fuzz
//! targets of `fuzz/src/targets.rs`, on the stable toolchain.
//!
//! `cargo fuzz` (libFuzzer, coverage-guided) needs nightly; this driver needs nothing: it
//! mutates a seed corpus (valid and invalid argument objects, `fuzz/corpus/<target>/`,
//! `fuzz/regressions/`) with byte flips, insertions of JSON tokens and hostile values
//! (invalid UTF-8, lone surrogates, huge numbers, deep nesting), splices and truncations, and
//! feeds every input to every target. Any violated invariant (see `targets.rs`) is saved to
//! `target/fuzz-driver-crashes/<target>/` and fails the test.
//!
//! Budget: `KILI_FUZZ_SECONDS` per target (set by `scripts/fuzz.sh`), otherwise a fixed
//! 3,000 inputs per target (a few seconds, part of `cargo test`). `KILI_FUZZ_SEED` picks the
//! seed (default 1; the same seed gives the same inputs).

#[path = "../fuzz/src/targets.rs"]
mod targets;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"null",
    b"true",
    b"-1",
    b"0",
    b"1e999",
    b"-9223372036854775809",
    b"18446744073709551616",
    b"1.5",
    b"\"\\u0000\"",
    b"\"\\ud800\"",
    b"\xff",
    b"\xc3\x28",
    b"\xe2\x82",
    b"\"project_id\"",
    b"\"status_in\"",
    b"\"fields\"",
    b"\"first\"",
    b"\"skip\"",
    b"\"asset_ids\"",
    b"\"content_array\"",
    b"\"external_id_array\"",
    b"\"label_category_search\"",
    b"\"page_size\"",
    b"\"api_endpoint\"",
    b"\"metadata_where\"",
    b"\"json_metadatas\"",
    b"\"priorities\"",
    b"\"TODO\"",
    b"\"LABELED\"",
    b"JOB.A.count > 1",
    b" AND ",
    b" OR ",
    b"(",
    b")",
    b".count",
    b">=",
    b"=",
];

fn seeds() -> Vec<Vec<u8>> {
    let mut v: Vec<Vec<u8>> = [
        r#"{}"#,
        r#"{"project_id": "p"}"#,
        r#"{"project_id": "p", "fields": ["id", "labels.jsonResponse"], "first": 10, "skip": 5}"#,
        r#"{"project_id": "p", "status_in": ["TODO", "LABELED"], "external_id_in": ["a"], "metadata_where": {"k": [1, 2]}}"#,
        r#"{"project_id": "p", "label_category_search": "JOB.A.count > 0 AND (JOB2.B.count = 1 OR JOB.C.count >= 2)"}"#,
        r#"{"project_id": "p", "created_at_gte": "2024-01-01", "honeypot_mark_lte": 0.5, "step_status_in": ["TO_DO"]}"#,
        r#"{"project_id": "p", "content_array": ["https://x/1.png"], "external_id_array": ["e1"], "json_metadata_array": [{"a": 1}]}"#,
        r#"{"asset_ids": ["a1", "a2"], "priorities": [1, 2], "json_metadatas": [{"x": 1}, "{}"]}"#,
        r#"{"asset_ids": ["a1"], "new_external_ids": ["b1"]}"#,
        r#"{"external_ids": ["e1"], "project_id": "p"}"#,
        r#"{"api_key": "k", "api_endpoint": "http://127.0.0.1:1/graphql", "page_size": 10, "verify_tls": false}"#,
        r#"{"api_key": "k", "api_endpoint": "https://example.com/graphql", "ca_bundle": "/nonexistent.pem"}"#,
        "JOB.A.count > 1",
        "(JOB.A.count = 0 OR JOB.B.count >= 3) AND JOB2.C.count < 2",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    for dir in [root.join("regressions"), root.join("corpus")] {
        for f in walk(&dir) {
            if let Ok(b) = std::fs::read(&f) {
                if b.len() < 1 << 16 {
                    v.push(b);
                }
            }
        }
    }
    v
}

fn walk(dir: &PathBuf) -> Vec<PathBuf> {
    let mut out = vec![];
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn mutate(rng: &mut StdRng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut d = seeds[rng.gen_range(0..seeds.len())].clone();
    for _ in 0..rng.gen_range(1..6) {
        let at = if d.is_empty() {
            0
        } else {
            rng.gen_range(0..=d.len())
        };
        match rng.gen_range(0..8) {
            0 if !d.is_empty() => {
                let i = rng.gen_range(0..d.len());
                d[i] ^= 1 << rng.gen_range(0..8);
            }
            1 | 2 => {
                let t = TOKENS[rng.gen_range(0..TOKENS.len())];
                d.splice(at..at, t.iter().copied());
            }
            3 if !d.is_empty() => {
                let end = (at + rng.gen_range(1..16)).min(d.len());
                d.drain(at.min(end)..end);
            }
            4 => d.truncate(at),
            5 => {
                let other = &seeds[rng.gen_range(0..seeds.len())];
                let from = rng.gen_range(0..=other.len());
                d.splice(at..at, other[from..].iter().copied());
            }
            6 => {
                // Deep nesting around the input or as a value.
                let n = [10, 200, 5_000, 100_000][rng.gen_range(0..4)];
                let (open, close) = if rng.gen_bool(0.5) {
                    (b"[", b"]")
                } else {
                    (b"{", b"}")
                };
                let mut w = open.repeat(n);
                w.extend_from_slice(&d);
                w.extend(close.repeat(n));
                d = w;
            }
            _ => {
                let b: u8 = rng.gen();
                d.insert(at, b);
            }
        }
    }
    d
}

#[test]
fn random_inputs_keep_every_invariant() {
    let seconds: Option<u64> = std::env::var("KILI_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok());
    let seed: u64 = std::env::var("KILI_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let only = std::env::var("KILI_FUZZ_TARGET").ok();
    let seeds = seeds();
    let crash_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fuzz-driver-crashes");
    // Keep panics of the targets quiet: they are collected and reported below.
    std::panic::set_hook(Box::new(|_| {}));
    let mut crashes = vec![];
    for (name, target) in targets::TARGETS {
        if only.as_deref().is_some_and(|o| o != *name) {
            continue;
        }
        let mut rng = StdRng::seed_from_u64(seed ^ name.len() as u64);
        let t0 = Instant::now();
        let mut n = 0u64;
        loop {
            match seconds {
                Some(s) if t0.elapsed() >= Duration::from_secs(s) => break,
                None if n >= 3_000 => break,
                _ => {}
            }
            let input = if n < seeds.len() as u64 {
                seeds[n as usize].clone()
            } else {
                mutate(&mut rng, &seeds)
            };
            n += 1;
            if let Err(p) = catch_unwind(AssertUnwindSafe(|| target(&input))) {
                let why = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                let dir = crash_dir.join(name);
                std::fs::create_dir_all(&dir).unwrap();
                let file = dir.join(format!("crash-{seed}-{n}"));
                std::fs::write(&file, &input).unwrap();
                crashes.push(format!("{name}: {why} (input saved to {})", file.display()));
                if crashes.len() > 20 {
                    break;
                }
            }
        }
        println!(
            "FIGURES fuzz-driver[{name}]: inputs={n} elapsed={:.1}s seed={seed}",
            t0.elapsed().as_secs_f64()
        );
    }
    let _ = std::panic::take_hook();
    assert!(
        crashes.is_empty(),
        "{} crash(es):\n{}",
        crashes.len(),
        crashes.join("\n")
    );
}
