//! `kili-emulator` command line: starts the server and prints its URL on the first line of
//! stdout.

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use kili_emulator::{
    demo, Emulator, EmulatorConfig, FaultConfig, FaultKind, FaultPhase, LinkConfig,
};

/// A local Kili-compatible GraphQL server on SQLite.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Cli {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Interface to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// SQLite database file (kept across restarts). When absent the database lives in
    /// memory (at most 2 GiB, about 4M generated assets); nothing is written to disk.
    #[arg(long)]
    db: Option<PathBuf>,
    /// Fixture file to load (repeatable), see the README for the format.
    #[arg(long = "fixture")]
    fixtures: Vec<PathBuf>,
    /// Load the demo data set (API key `demo-api-key`).
    #[arg(long)]
    seed_demo: bool,
    /// Token enabling the /emulator/... admin endpoints (header x-emulator-admin-token).
    #[arg(long, env = "KILI_EMULATOR_ADMIN_TOKEN")]
    admin_token: Option<String>,
    /// Add N synthetic assets to the project given by --generate-project.
    #[arg(long, requires = "generate_project")]
    generate_assets: Option<u64>,
    /// Project receiving the generated assets (must exist, e.g. from a fixture).
    #[arg(long)]
    generate_project: Option<String>,
    /// Probability (0..1) that a GraphQL request gets a random fault from --fault-kinds.
    #[arg(long, default_value_t = 0.0)]
    fault_rate: f64,
    /// Run every request through async-graphql (no `assets` fast path); for comparisons.
    #[arg(long, env = "KILI_EMULATOR_NO_FAST_PATHS")]
    no_fast_paths: bool,
    /// Comma-separated fault kinds: 500,502,503,504,429,reset,truncated,latency,envoy.
    #[arg(long, value_delimiter = ',')]
    fault_kinds: Vec<String>,
    /// Comma-separated faults applied first, in order (same names as --fault-kinds).
    #[arg(long, value_delimiter = ',')]
    fault_script: Vec<String>,
    /// Only these root fields (e.g. countAssets,appendManyAssets) get faults.
    #[arg(long, value_delimiter = ',')]
    fault_operations: Vec<String>,
    /// Seed of the fault generator.
    #[arg(long)]
    fault_seed: Option<u64>,
    /// Retry-After seconds of the 429 fault.
    #[arg(long, default_value_t = 1)]
    fault_retry_after: u64,
    /// Added latency in ms of the latency fault.
    #[arg(long, default_value_t = 500)]
    fault_latency_ms: u64,
    /// When 5xx/reset/truncated faults hit mutations: random, before or after applying.
    #[arg(long, default_value = "random")]
    fault_mutation_phase: String,
    /// Realistic link: fixed round-trip latency added to every API request, in ms (0 = off).
    #[arg(long, default_value_t = 0)]
    link_latency_ms: u64,
    /// Realistic link: extra latency per request, uniform in [0, MS].
    #[arg(long, default_value_t = 0)]
    link_jitter_ms: u64,
    /// Realistic link: capacity of each direction of the (shared) link in kbit/s (0 = unlimited).
    #[arg(long, default_value_t = 0)]
    link_bandwidth_kbps: u64,
    /// Server-side rate limit: GraphQL requests accepted per rolling window (the SDK's own
    /// limit is 500 per minute); beyond it 429 with Retry-After. 0 = off.
    #[arg(long, default_value_t = 0)]
    rate_limit_per_minute: u32,
    /// The rate limit's window in ms (60000; smaller only for tests).
    #[arg(long, default_value_t = 60_000)]
    rate_limit_window_ms: u64,
    /// Seed of the link's jitter draws.
    #[arg(long)]
    link_seed: Option<u64>,
}

fn fault_kind(name: &str, cli: &Cli) -> Result<FaultKind, String> {
    Ok(match name.trim().to_ascii_lowercase().as_str() {
        "500" => FaultKind::Http500,
        "502" => FaultKind::Http502,
        "503" => FaultKind::Http503,
        "504" => FaultKind::Http504,
        "429" => FaultKind::Http429 { retry_after_secs: cli.fault_retry_after },
        "reset" => FaultKind::Reset,
        "truncated" => FaultKind::Truncated,
        "latency" => FaultKind::Latency { ms: cli.fault_latency_ms },
        "envoy" => FaultKind::EnvoyNotForwarded,
        other => return Err(format!("unknown fault kind {other:?}; expected one of 500,502,503,504,429,reset,truncated,latency,envoy")),
    })
}

fn run(cli: Cli) -> Result<(), String> {
    let mut fixtures = Vec::new();
    for p in &cli.fixtures {
        let text =
            std::fs::read_to_string(p).map_err(|e| format!("--fixture {}: {e}", p.display()))?;
        let v: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| format!("--fixture {}: invalid JSON: {e}", p.display()))?;
        fixtures.push(v);
    }
    let kinds = cli
        .fault_kinds
        .iter()
        .filter(|s| !s.is_empty())
        .map(|k| fault_kind(k, &cli))
        .collect::<Result<Vec<_>, _>>()?;
    let script = cli
        .fault_script
        .iter()
        .filter(|s| !s.is_empty())
        .map(|k| fault_kind(k, &cli))
        .collect::<Result<Vec<_>, _>>()?;
    let mutation_phase = match cli.fault_mutation_phase.as_str() {
        "random" => FaultPhase::Random,
        "before" => FaultPhase::Before,
        "after" => FaultPhase::After,
        o => {
            return Err(format!(
                "--fault-mutation-phase: expected random, before or after, got {o:?}"
            ))
        }
    };
    if !(0.0..=1.0).contains(&cli.fault_rate) {
        return Err(format!(
            "--fault-rate: expected a probability between 0 and 1, got {}",
            cli.fault_rate
        ));
    }
    if cli.rate_limit_window_ms == 0 {
        return Err("--rate-limit-window-ms: expected a positive number of ms".into());
    }
    let cfg = EmulatorConfig {
        host: cli.host.clone(),
        port: cli.port,
        db: cli.db.clone(),
        fixtures,
        seed_demo: cli.seed_demo,
        admin_token: cli.admin_token.clone(),
        fast_paths: !cli.no_fast_paths,
        faults: FaultConfig {
            rate: cli.fault_rate,
            kinds,
            script,
            only_operations: cli
                .fault_operations
                .iter()
                .filter(|s| !s.is_empty())
                .cloned()
                .collect(),
            seed: cli.fault_seed,
            mutation_phase,
        },
        link: LinkConfig {
            latency_ms: cli.link_latency_ms,
            jitter_ms: cli.link_jitter_ms,
            bandwidth_kbps: cli.link_bandwidth_kbps,
            rate_limit_per_minute: cli.rate_limit_per_minute,
            rate_limit_window_ms: cli.rate_limit_window_ms,
            seed: cli.link_seed,
        },
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async move {
        let emu = Emulator::start(cfg).await.map_err(|e| e.to_string())?;
        // Generate before announcing the URL, so clients never see a half-loaded project.
        let mut generated = None;
        if let (Some(n), Some(p)) = (cli.generate_assets, cli.generate_project.as_deref()) {
            let started = std::time::Instant::now();
            let created = emu
                .generate_assets(p, n)
                .map_err(|e| format!("--generate-assets: {e}"))?;
            generated = Some(format!(
                "generated {created} assets in project {p} in {:.1} s",
                started.elapsed().as_secs_f64()
            ));
        }
        {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", emu.base_url());
            let _ = writeln!(out, "endpoint: {}", emu.endpoint());
            if cli.seed_demo {
                let _ = writeln!(out, "demo API key: {}", demo::DEMO_API_KEY);
            }
            if let Some(g) = &generated {
                let _ = writeln!(out, "{g}");
            }
            let _ = out.flush();
        }
        wait_for_signal().await;
        eprintln!("kili-emulator: shutting down");
        emu.shutdown().await;
        Ok(())
    })
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn main() {
    let cli = Cli::parse();
    if let Err(e) = run(cli) {
        eprintln!("kili-emulator: {e}");
        std::process::exit(2);
    }
}
