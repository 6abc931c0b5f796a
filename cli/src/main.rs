//! `kili-native`: the command-line tool of kili-native (see `cli_args::Cli` for the commands
//! and the exit codes). Results go to stdout; progress bars, warnings and errors to stderr. The
//! API key never appears in any output.
//!
//! A command runs in two phases: its inputs are read and checked (no network), then the
//! signal handling is armed (SIGINT / SIGTERM cancel the call, see `interrupt`) and the
//! network work runs. A reader of stdout that goes away ends the command quietly (status 0).

mod cli_args;
mod commands;
mod exit_codes;
mod ids;
mod interrupt;
mod output;
mod progress;

use clap::Parser;
use cli_args::{Cli, Command};
use interrupt::{Interrupt, Leftovers};
use kili::{CallOptions, Client, ClientOptions};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

// The allocator of the C library (mimalloc; KILI_ALLOCATOR=system for malloc): a listing
// allocates and frees a JSON tree per asset, where mimalloc saves about a fifth of the CPU.
#[global_allocator]
static GLOBAL: kili::alloc::KiliAlloc = kili::alloc::KiliAlloc;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit_codes::USAGE
            } else {
                exit_codes::SUCCESS
            });
        }
    };
    // Before anything else, so that a signal never kills the process half-way.
    let interrupt = match Interrupt::install() {
        Ok(i) => Some(i),
        Err(e) => {
            if !cli.quiet {
                let _ = writeln!(
                    std::io::stderr(),
                    "warning: Ctrl-C will not clean up (signal handling unavailable: {e})"
                );
            }
            None
        }
    };
    let progress = progress::Progress::new(cli.quiet);
    let stdout = std::io::stdout();
    let mut out = output::Output::new(stdout.lock());
    let result = run(cli, &progress, interrupt.as_ref(), &mut out);
    let flushed = out.flush();
    progress.finish();

    if let Some(i) = &interrupt {
        if let Some(sig) = i.received() {
            i.remove_leftovers();
            interrupt::say_cancelled(sig);
            return ExitCode::from(sig.exit_code());
        }
    }
    if out.closed() {
        // The reader had what it wanted (`| head`): not an error, nothing to say.
        return ExitCode::from(exit_codes::SUCCESS);
    }
    let result = result.and_then(|()| {
        flushed.map_err(|e| {
            kili::Error::invalid_arg("output", format!("cannot write the output: {e}"))
        })
    });
    match result {
        Ok(()) => ExitCode::from(exit_codes::SUCCESS),
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "error [{}]: {e}", e.status().name());
            let details = e.details();
            if details.as_object().is_some_and(|o| o.len() > 1) {
                let _ = writeln!(err, "details: {details}");
            }
            ExitCode::from(exit_codes::for_status(e.status()))
        }
    }
}

fn run(
    cli: Cli,
    progress: &progress::Progress,
    interrupt: Option<&Interrupt>,
    out: &mut dyn Write,
) -> kili::Result<()> {
    let prepared = match cli.command {
        Command::Assets(cmd) => commands::prepare(cmd)?,
    };
    let opts = ClientOptions {
        api_key: cli.api_key.clone(),
        api_endpoint: cli.endpoint.clone(),
        ..Default::default()
    };
    let client = Client::new(opts)?.with_events(progress.sink());
    let mut call = if cli.timeout > 0 {
        CallOptions::with_timeout(Duration::from_secs(cli.timeout))
    } else {
        CallOptions::default()
    };
    if let Some(i) = interrupt {
        i.arm(Leftovers::new(
            prepared.media_dir(),
            prepared.output_file().map(Into::into),
        ));
        call.cancel = Some(i.token());
    }
    commands::execute(&client, prepared, call, out)
}
