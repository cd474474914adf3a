//! `furnace`: a thin command line over the library crates. Each subcommand
//! lives in its own module and returns a [`Failure`]; `main` only parses
//! arguments, prints the failure and picks the exit status ([`exit`]).

// Ids and counts convert with checks, never a truncating `as`.
#![deny(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod audit;
mod check;
mod columns;
mod montecarlo;
mod quote;
mod replay;
mod report;
mod run;
mod run_report;
mod sensitivity;
mod swap;
mod sweep;
mod sweep_page;

/// Usage-backed AI token economies: quote, simulate, check.
#[derive(Parser, Debug)]
#[command(name = "furnace", version, about, long_about = None, after_help = EXIT_CODES_HELP)]
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
    /// Monte Carlo at every point of a parameter grid (--grid, --zip); one row per point.
    Sweep(sweep::SweepArgs),
    /// One-at-a-time sensitivity of an outcome to each --vary key: a tornado.
    Sensitivity(sensitivity::SensitivityArgs),
}

/// Exit statuses, one meaning each (also in `--help` and the README).
pub mod exit {
    /// The command did what was asked.
    pub const OK: u8 = 0;
    /// A bug in furnace: an invariant broke or the engine refused an event
    /// the simulator built. Please report it.
    pub const INTERNAL: u8 = 1;
    /// The command line is wrong: an unknown flag, a malformed `--set`, a
    /// flag value out of range (clap's own usage errors exit 2 as well).
    pub const USAGE: u8 = 2;
    /// A file or an override is invalid (economy, scenario, claims, event
    /// log), or a run's amounts left the ledger's range.
    pub const INVALID: u8 = 3;
    /// Reading or writing failed (a missing file, a full disk, stdout).
    pub const IO: u8 = 4;
    /// `--deny-contradictions` and a claim is contradicted.
    pub const CONTRADICTED: u8 = 5;
}

const EXIT_CODES_HELP: &str = "Exit status:
  0  success
  1  internal error: a bug in furnace (please report it)
  2  usage error: unknown flag, malformed --set, a flag value out of range
  3  invalid input: an economy, scenario, claims or event-log file or a
     --set value is invalid, or a run left the ledger's range
  4  I/O error: a file cannot be read or written (full disk, closed stdout)
  5  --deny-contradictions and a claim is contradicted";

/// One located problem in an input file (config or claims): what `check
/// --json` lists under `errors`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The dotted key the problem is about (empty: the file as a whole).
    pub key: String,
    /// The `--set KEY=VALUE` that caused it, when an override did.
    pub set: Option<String>,
    pub message: String,
    /// The whole problem in one line, as printed.
    #[serde(skip)]
    pub text: String,
}

impl From<&furnace_config::ConfigError> for Problem {
    fn from(e: &furnace_config::ConfigError) -> Self {
        Problem {
            file: shown(&e.file),
            line: e.line,
            column: e.column,
            key: e.key.clone(),
            set: e.set.clone(),
            message: e.message.clone(),
            text: e.to_string(),
        }
    }
}

impl From<&furnace_audit::claims::ClaimsError> for Problem {
    fn from(e: &furnace_audit::claims::ClaimsError) -> Self {
        let located = e.line > 0;
        Problem {
            file: e.file.clone(),
            line: located.then_some(e.line),
            column: located.then_some(e.column),
            key: e.key.clone(),
            set: None,
            message: e.message.clone(),
            text: e.to_string(),
        }
    }
}

/// Why a command failed; each kind has its own exit status ([`exit`]).
#[derive(Debug)]
pub enum Failure {
    /// The command line is wrong: exit 2.
    Usage(String),
    /// Input files are invalid, every problem located: exit 3.
    Invalid(Vec<Problem>),
    /// Invalid input told in one message: exit 3.
    Input(String),
    /// Reading or writing failed: exit 4.
    Io(String),
    /// Claims contradicted under `--deny-contradictions`: exit 5.
    Contradicted(String),
    /// A bug in furnace: exit 1.
    Internal(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => exit::USAGE,
            Failure::Invalid(_) | Failure::Input(_) => exit::INVALID,
            Failure::Io(_) => exit::IO,
            Failure::Contradicted(_) => exit::CONTRADICTED,
            Failure::Internal(_) => exit::INTERNAL,
        }
    }

    /// Every line to print on stderr, each starting `error: `.
    pub fn lines(&self) -> Vec<String> {
        match self {
            Failure::Invalid(problems) => problems
                .iter()
                .map(|p| format!("error: {}", p.text))
                .collect(),
            Failure::Usage(m)
            | Failure::Input(m)
            | Failure::Io(m)
            | Failure::Contradicted(m)
            | Failure::Internal(m) => vec![format!("error: {m}")],
        }
    }

    /// The located problems (one unlocated problem for a one-message failure).
    pub fn problems(&self) -> Vec<Problem> {
        match self {
            Failure::Invalid(problems) => problems.clone(),
            Failure::Usage(m)
            | Failure::Input(m)
            | Failure::Io(m)
            | Failure::Contradicted(m)
            | Failure::Internal(m) => vec![Problem {
                file: String::new(),
                line: None,
                column: None,
                key: String::new(),
                set: None,
                message: m.clone(),
                text: String::new(),
            }],
        }
    }
}

impl From<furnace_config::ConfigErrors> for Failure {
    fn from(e: furnace_config::ConfigErrors) -> Self {
        match e.0.iter().find(|e| e.unreadable) {
            Some(unreadable) => Failure::Io(unreadable.to_string()),
            None => Failure::Invalid(e.0.iter().map(Problem::from).collect()),
        }
    }
}

impl From<furnace_audit::claims::ClaimsErrors> for Failure {
    fn from(e: furnace_audit::claims::ClaimsErrors) -> Self {
        Failure::Invalid(e.0.iter().map(Problem::from).collect())
    }
}

/// Parse `--set key=value` arguments.
pub fn parse_overrides(sets: &[String]) -> Result<Vec<(String, String)>, Failure> {
    sets.iter()
        .map(|s| {
            furnace_config::parse_override(s).map_err(|e| Failure::Usage(format!("--set: {e}")))
        })
        .collect()
}

/// Print a command's output. A closed pipe (`furnace check ... | head`) is
/// not a failure: the reader has what it wanted. Any other write error
/// (`> /dev/full`) is: the output was lost.
pub fn emit(text: &str) -> Result<(), Failure> {
    use std::io::{ErrorKind, Write};
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => {
            Err(Failure::Io(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
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
        Command::Sweep(args) => sweep::run(args),
        Command::Sensitivity(args) => sensitivity::run(args),
    };
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(failure) => {
            use std::io::Write;
            let mut err = std::io::stderr().lock();
            for line in failure.lines() {
                // Nothing more can be done if stderr itself is closed.
                let _ = writeln!(err, "{line}");
            }
            ExitCode::from(failure.exit_code())
        }
    }
}
