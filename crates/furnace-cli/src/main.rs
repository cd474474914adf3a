//! `furnace`: a thin command line over the library crates. Each subcommand
//! lives in its own module and returns a [`Failure`]; `main` only parses
//! arguments, prints the failure and picks the exit code.

// Ids and counts convert with checks, never a truncating `as`.
#![deny(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod audit;
mod check;
mod columns;
mod quote;
mod replay;
mod run;
mod swap;

/// Usage-backed AI token economies: quote, simulate, check.
#[derive(Parser, Debug)]
#[command(name = "furnace", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Quote exactly what N actions of a version cost in tokens and where they go.
    Quote(quote::QuoteArgs),
    /// Simulate a scenario day by day; write timeseries.csv and summary.json.
    Run(run::RunArgs),
    /// Validate an economy or scenario file and explain every problem.
    Check(check::CheckArgs),
    /// Check a document's figures against its stated assumptions, claim by claim.
    Audit(audit::AuditArgs),
    /// Quote one swap on a pool: amounts, fee, prices and reserves, exactly.
    Swap(swap::SwapArgs),
    /// Apply an event log again and print every asset's supply and holdings.
    Replay(replay::ReplayArgs),
    /// List a scenario's output columns and summary keys: unit and meaning.
    Columns(columns::ColumnsArgs),
}

/// Why a command failed, and with which exit code.
#[derive(Debug)]
pub enum Failure {
    /// Bad input (config, flags, scenario): exit 2.
    Input(String),
    /// The command ran but could not complete (I/O, a rejected event): exit 1.
    Runtime(String),
}

impl From<furnace_config::ConfigErrors> for Failure {
    fn from(e: furnace_config::ConfigErrors) -> Self {
        Failure::Input(e.to_string())
    }
}

/// Parse `--set key=value` arguments.
pub fn parse_overrides(sets: &[String]) -> Result<Vec<(String, String)>, Failure> {
    sets.iter()
        .map(|s| furnace_config::parse_override(s).map_err(Failure::Input))
        .collect()
}

/// Print a command's output. A closed pipe (`furnace check ... | head`) is
/// not a failure: the reader has what it wanted.
pub fn emit(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
}

/// A path as given, for messages.
pub fn shown(path: &std::path::Path) -> String {
    path.display().to_string()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Quote(args) => quote::run(args),
        Command::Run(args) => run::run(args),
        Command::Check(args) => check::run(args),
        Command::Audit(args) => audit::run(args),
        Command::Swap(args) => swap::run(args),
        Command::Replay(args) => replay::run(args),
        Command::Columns(args) => columns::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
        Err(Failure::Runtime(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
}
