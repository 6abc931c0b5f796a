//! `kili`: the command-line tool of kili-native (see `cli_args::Cli` for the commands and the
//! exit codes). Results go to stdout; progress bars, warnings and errors to stderr. The API key
//! never appears in any output.

mod cli_args;
mod commands;
mod exit_codes;
mod progress;

use clap::Parser;
use cli_args::{Cli, Command};
use kili::{CallOptions, Client, ClientOptions};
use std::process::ExitCode;
use std::time::Duration;

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
    let progress = progress::Progress::new(cli.quiet);
    let result = run(cli, &progress);
    progress.finish();
    match result {
        Ok(()) => ExitCode::from(exit_codes::SUCCESS),
        Err(e) => {
            eprintln!("error [{}]: {e}", e.status().name());
            let details = e.details();
            if details.as_object().is_some_and(|o| o.len() > 1) {
                eprintln!("details: {details}");
            }
            ExitCode::from(exit_codes::for_status(e.status()))
        }
    }
}

fn run(cli: Cli, progress: &progress::Progress) -> kili::Result<()> {
    let opts = ClientOptions {
        api_key: cli.api_key.clone(),
        api_endpoint: cli.endpoint.clone(),
        ..Default::default()
    };
    let client = Client::new(opts)?.with_events(progress.sink());
    let call = if cli.timeout > 0 {
        CallOptions::with_timeout(Duration::from_secs(cli.timeout))
    } else {
        CallOptions::default()
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let r = match cli.command {
        Command::Assets(cmd) => commands::run(&client, cmd, call, &mut out),
    };
    let flushed = std::io::Write::flush(&mut out);
    r?;
    flushed.map_err(|e| kili::Error::invalid_arg("output", format!("cannot write the output: {e}")))
}
