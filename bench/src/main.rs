//! `kili-bench`: the Rust side of the benchmark harness (`bench/run.sh`). One process = one
//! measured operation; it prints one JSON line `{"secs", "items", "peak_rss_kb", ...}` where
//! `secs` covers the operation only (not process start nor client construction).
//!
//! Endpoint and key come from `KILI_API_ENDPOINT` / `KILI_API_KEY` (never printed).
//!
//! Real-link runs (`bench/real_link.py`): `KILI_BENCH_OPTIONS` (a `ClientOptions` JSON
//! object) replaces the harness's options (rate limiter off, the given prefetch/concurrency);
//! a PREFETCH of `-` then keeps the options' value. `KILI_BENCH_RESET_URL` (+
//! `KILI_BENCH_ADMIN_TOKEN`): a `DELETE` sent to it right before the operation starts (the
//! emulator's link counters and rate-limit window). The JSON line also holds `cpu_secs`, the
//! process CPU (all threads) of the operation alone.
//!
//! ```text
//! kili-bench list   PROJECT FIELDS PREFETCH iter|page   # FIELDS = "default" or "id,externalId"
//! kili-bench count  ARGS_JSON REPEAT                    # count_assets with filters, REPEAT calls
//! kili-bench mutate ACTION ARGS_FILE [CONCURRENCY]      # one mutate_json call (ACTION = SDK name;
//!                                                      # CONCURRENCY = mutation_concurrency, default 8)
//! kili-bench replay BODIES_FILE                         # bare HTTP: POST each JSON line, parse
//! kili-bench ids    PROJECT OUT_FILE                     # (setup) writes the asset ids, one a line
//! ```
//! Exit status 1 with a message on stderr on any error.

mod replay;
mod rss;

use kili::{CallOptions, Client, ClientOptions};
use serde_json::{json, Value};
use std::time::Instant;

// The allocator the C library uses, so that the Rust rows and the C rows compare like for like.
#[global_allocator]
static GLOBAL: kili::alloc::KiliAlloc = kili::alloc::KiliAlloc;

fn client(prefetch: u32) -> Result<Client, String> {
    client_with(Some(prefetch), None)
}

/// The harness's options (rate limiter off) or those of `KILI_BENCH_OPTIONS`, with the
/// prefetch / mutation concurrency given on the command line when given.
fn client_with(prefetch: Option<u32>, mutation_concurrency: Option<u32>) -> Result<Client, String> {
    let mut o = match std::env::var("KILI_BENCH_OPTIONS") {
        Ok(j) => ClientOptions::from_json(&j).map_err(|e| format!("KILI_BENCH_OPTIONS: {e}"))?,
        Err(_) => ClientOptions {
            rate_limit_per_minute: 0,
            ..Default::default()
        },
    };
    if let Some(p) = prefetch {
        o.prefetch_pages = p;
    }
    if let Some(c) = mutation_concurrency {
        o.mutation_concurrency = c;
    }
    Client::new(o).map_err(|e| format!("client: {e}"))
}

/// `DELETE $KILI_BENCH_RESET_URL` (plain HTTP/1.1 on loopback) when set: the real-link driver
/// counts requests and 429s of the operation only, from a fresh rate-limit window.
fn reset_link() -> Result<(), String> {
    use std::io::{Read, Write};
    let Ok(url) = std::env::var("KILI_BENCH_RESET_URL") else {
        return Ok(());
    };
    let token = std::env::var("KILI_BENCH_ADMIN_TOKEN").unwrap_or_default();
    let rest = url
        .strip_prefix("http://")
        .ok_or("KILI_BENCH_RESET_URL: expected http://HOST:PORT/PATH")?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut s = std::net::TcpStream::connect(host).map_err(|e| format!("reset {url}: {e}"))?;
    write!(
        s,
        "DELETE {path} HTTP/1.1\r\nHost: {host}\r\nx-emulator-admin-token: {token}\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| format!("reset: {e}"))?;
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    if !answer.starts_with("HTTP/1.1 204") {
        return Err(format!(
            "reset {url}: {}",
            answer.lines().next().unwrap_or("")
        ));
    }
    Ok(())
}

fn arg(args: &[String], i: usize, name: &str) -> Result<String, String> {
    args.get(i)
        .cloned()
        .ok_or_else(|| format!("missing argument {name} (see the usage in bench/src/main.rs)"))
}

fn list(args: &[String]) -> Result<Value, String> {
    let project = arg(args, 0, "PROJECT")?;
    let fields = arg(args, 1, "FIELDS")?;
    let prefetch = match arg(args, 2, "PREFETCH")?.as_str() {
        "-" => None,
        p => Some(
            p.parse()
                .map_err(|_| "PREFETCH: expected an integer or -".to_string())?,
        ),
    };
    let mode = arg(args, 3, "iter|page")?;
    let c = client_with(prefetch, None)?;
    reset_link()?;
    let cpu = rss::cpu_secs();
    let mut q = json!({ "project_id": project });
    if fields != "default" {
        q["fields"] = json!(fields.split(',').collect::<Vec<_>>());
    }
    let t = Instant::now();
    let mut cur = c
        .assets_json(&q.to_string(), CallOptions::default())
        .map_err(|e| format!("assets: {e}"))?;
    let mut n = 0u64;
    match mode.as_str() {
        // The per-asset Rust iterator: the baseline of the FFI-cost comparison.
        "iter" => {
            for a in cur.by_ref() {
                let a = a.map_err(|e| format!("assets: {e}"))?;
                n += a.get("id").is_some() as u64;
            }
        }
        "page" => loop {
            let p = cur.next_page(1000).map_err(|e| format!("assets: {e}"))?;
            if p.is_empty() {
                break;
            }
            n += p.len() as u64;
        },
        other => return Err(format!("mode: expected iter or page, got {other:?}")),
    }
    let secs = t.elapsed().as_secs_f64();
    Ok(json!({ "secs": secs, "items": n, "cpu_secs": rss::cpu_secs() - cpu }))
}

fn count(args: &[String]) -> Result<Value, String> {
    let q = arg(args, 0, "ARGS_JSON")?;
    let repeat: usize = arg(args, 1, "REPEAT")?
        .parse()
        .map_err(|_| "REPEAT: expected an integer".to_string())?;
    let c = client(0)?;
    reset_link()?;
    let cpu = rss::cpu_secs();
    let mut times = Vec::with_capacity(repeat);
    let mut n = 0;
    for _ in 0..repeat.max(1) {
        let t = Instant::now();
        n = c
            .count_assets_json(&q, CallOptions::default())
            .map_err(|e| format!("count_assets: {e}"))?;
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(
        json!({ "secs": times[times.len() / 2], "items": n, "all_secs": times,
               "cpu_secs": rss::cpu_secs() - cpu }),
    )
}

fn mutate(args: &[String]) -> Result<Value, String> {
    let action = arg(args, 0, "ACTION")?;
    let file = arg(args, 1, "ARGS_FILE")?;
    let body = std::fs::read_to_string(&file).map_err(|e| format!("ARGS_FILE {file}: {e}"))?;
    let c = match args.get(2) {
        Some(n) => client_with(
            Some(0),
            Some(
                n.parse()
                    .map_err(|_| "CONCURRENCY: expected an integer".to_string())?,
            ),
        )?,
        None => client_with(Some(0), None)?,
    };
    reset_link()?;
    let cpu = rss::cpu_secs();
    let t = Instant::now();
    let r = c
        .mutate_json(&action, &body, CallOptions::default())
        .map_err(|e| format!("{action}: {e}"))?;
    let secs = t.elapsed().as_secs_f64();
    // Every action reports per-item outcomes; the harness checks how many succeeded.
    let outcomes = &r["outcomes"];
    let ok = outcomes["succeeded"].as_array().map(Vec::len);
    let declined = outcomes["declined"].as_array().map(Vec::len);
    let failed = outcomes["failed"].as_array().map(Vec::len);
    Ok(
        json!({ "secs": secs, "items": ok, "declined": declined, "failed": failed,
               "cpu_secs": rss::cpu_secs() - cpu }),
    )
}

fn ids(args: &[String]) -> Result<Value, String> {
    let project = arg(args, 0, "PROJECT")?;
    let file = arg(args, 1, "OUT_FILE")?;
    let c = client(8)?; // setup only: 8 pages in flight shorten it on a slow link
    let q = json!({ "project_id": project, "fields": ["id"] });
    let mut out = String::new();
    let mut n = 0u64;
    for a in c
        .assets_json(&q.to_string(), CallOptions::default())
        .map_err(|e| format!("assets: {e}"))?
    {
        let a = a.map_err(|e| format!("assets: {e}"))?;
        out.push_str(a["id"].as_str().unwrap_or_default());
        out.push('\n');
        n += 1;
    }
    std::fs::write(&file, out).map_err(|e| format!("OUT_FILE {file}: {e}"))?;
    Ok(json!({ "secs": 0.0, "items": n }))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cmd = args.first().cloned().unwrap_or_default();
    let rest = &args[args.len().min(1)..];
    let r = match cmd.as_str() {
        "list" => list(rest),
        "count" => count(rest),
        "mutate" => mutate(rest),
        "replay" => replay::run(rest),
        "ids" => ids(rest),
        _ => Err("usage: kili-bench list|count|mutate|replay ... (see bench/src/main.rs)".into()),
    };
    match r {
        Ok(mut v) => {
            v["peak_rss_kb"] = json!(rss::peak_rss_kb());
            println!("{v}");
        }
        Err(e) => {
            eprintln!("kili-bench: {e}");
            std::process::exit(1);
        }
    }
}
