//! `furnace run SCENARIO --out DIR [--set key=value ...]`: simulate a
//! scenario day by day (see `furnace-sim`), write `DIR/timeseries.csv`,
//! `DIR/periods.csv`, `DIR/summary.json` (and `DIR/launches.csv` with
//! `[[launches]]` drivers; docs/outputs.md) and, unless `--no-report`,
//! `DIR/report.html` with `DIR/charts/` (`run_report`), and print a
//! short summary. With `--base-units`, the CSVs' amounts are integers of
//! each asset's base unit. With `--events FILE`,
//! every applied event is written to FILE in the log format
//! (`furnace_core::log`): JSON lines for a `.jsonl` or `.json` name, the
//! compact binary form otherwise. `furnace replay` applies it again.
use crate::{emit, parse_overrides, shown, Failure};
use clap::Args;
use furnace_core::log::{LogFormat, LogHeader, LogWriter};
use furnace_sim::{simulate_logged, AmountFormat, SimError, SimErrorKind, Stopped};
use std::fs;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct RunArgs {
    /// Scenario file (scenarios/*.toml).
    pub scenario: PathBuf,
    /// Output directory for timeseries.csv, periods.csv and summary.json
    /// (created if missing; existing files are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// Override a scenario key (`days=90`, `price.start_usd=0.02`) or, with
    /// an `economy.` prefix, an economy key. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Write every applied event to this file (`.jsonl` or `.json`: JSON
    /// lines; otherwise the compact binary form).
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// Write every amount in the CSVs as an integer of its asset's base
    /// unit (10^-decimals; prices in 10^-12 of the numeraire), so that
    /// sums are exact in integer arithmetic.
    #[arg(long)]
    pub base_units: bool,
    /// Monte Carlo: simulate N futures in parallel (run i's seed is
    /// derived from the scenario's seed and i) and write bands.csv,
    /// runs.csv and summary.json instead of one run's files.
    #[arg(long, value_name = "N")]
    pub runs: Option<u64>,
    /// With --runs: the first run's index (a subset of runs gives the same
    /// runs as a larger set).
    #[arg(long, value_name = "I", default_value_t = 0, requires = "runs")]
    pub first_run: u64,
    /// With --runs: worker threads (default: RAYON_NUM_THREADS, else one
    /// per core).
    #[arg(long, value_name = "N", requires = "runs")]
    pub threads: Option<usize>,
    /// With --runs: print the summary as JSON instead of the table.
    #[arg(long, requires = "runs")]
    pub json: bool,
    /// Without --runs: do not write report.html and charts/ (the page costs
    /// rendering a PNG and an SVG per chart).
    #[arg(long, conflicts_with = "runs")]
    pub no_report: bool,
}

/// What a stopped simulation means for the exit status.
pub fn sim_failure(path: &std::path::Path, e: &SimError) -> Failure {
    let message = format!("{}: {e}", shown(path));
    match e.kind() {
        SimErrorKind::Internal => Failure::Internal(message),
        SimErrorKind::Input => Failure::Input(message),
        SimErrorKind::Io => Failure::Io(message),
    }
}

pub fn run(args: &RunArgs) -> Result<(), Failure> {
    let overrides = parse_overrides(&args.set)?;
    let scenario = furnace_config::load_scenario(&args.scenario, &overrides)?;
    let format = if args.base_units {
        AmountFormat::BaseUnits
    } else {
        AmountFormat::WholeUnits
    };
    if let Some(runs) = args.runs {
        if args.events.is_some() {
            return Err(Failure::Usage(
                "--events writes one run's events: use it without --runs (a run of runs.csv is `--set seed=SEED`)".into(),
            ));
        }
        let opts = furnace_sim::mc::McOptions {
            first_run: args.first_run,
            runs,
            threads: args.threads,
        };
        let threads = args
            .threads
            .unwrap_or_else(furnace_sim::mc::default_threads);
        let (result, elapsed) = crate::montecarlo::run_mc(
            &args.scenario,
            &scenario,
            &opts,
            Some(&args.out),
            format,
            &overrides,
        )?;
        return crate::montecarlo::report(&result, elapsed, threads, args.json, Some(&args.out));
    }
    let io_error = |path: &PathBuf, e: std::io::Error| {
        Failure::Io(format!("cannot write {}: {e}", shown(path)))
    };
    let mut log = match &args.events {
        None => None,
        Some(path) => {
            let format = match path.extension().and_then(|x| x.to_str()) {
                Some("jsonl" | "json") => LogFormat::Json,
                _ => LogFormat::Binary,
            };
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                fs::create_dir_all(dir).map_err(|e| io_error(path, e))?;
            }
            let file = fs::File::create(path).map_err(|e| io_error(path, e))?;
            let header = LogHeader::of(&scenario.economy.economy);
            Some(
                LogWriter::new(BufWriter::new(file), format, &header)
                    .map_err(|e| io_error(path, e))?,
            )
        }
    };
    let outcome = simulate_logged(&scenario, scenario.seed, &mut |event| match &mut log {
        Some(w) => w.write(event),
        None => Ok(()),
    });
    if let (Some(w), Some(path)) = (log, &args.events) {
        w.finish().map_err(|e| io_error(path, e))?;
    }
    // A run stopped by its input still writes the days it finished, so the
    // reader can see where it went out of range.
    let (result, stopped) = match outcome {
        Ok(result) => (result, None),
        Err(Stopped {
            error,
            finished: Some(result),
        }) if error.kind() == SimErrorKind::Input => (*result, Some(error)),
        Err(stopped) => return Err(sim_failure(&args.scenario, &stopped.error)),
    };

    fs::create_dir_all(&args.out)
        .map_err(|e| Failure::Io(format!("cannot create {}: {e}", shown(&args.out))))?;
    let csv_path = args.out.join("timeseries.csv");
    let periods_path = args.out.join("periods.csv");
    let json_path = args.out.join("summary.json");
    let write_file = |path: &PathBuf, write: &dyn Fn(&mut dyn Write) -> std::io::Result<()>| {
        let file = fs::File::create(path).map_err(|e| io_error(path, e))?;
        let mut writer = BufWriter::new(file);
        write(&mut writer)
            .and_then(|()| writer.flush())
            .map_err(|e| io_error(path, e))
    };
    write_file(&csv_path, &|w| result.write_csv_as(w, format))?;
    write_file(&periods_path, &|w| result.write_periods_csv(w, format))?;
    fs::write(&json_path, result.summary_json()).map_err(|e| io_error(&json_path, e))?;
    // One row per launch, when the scenario has launch drivers.
    let launches_path = args.out.join("launches.csv");
    if !scenario.launches.is_empty() {
        write_file(&launches_path, &|w| {
            result.write_launches_csv(w, &scenario, format)
        })?;
    }
    if !args.no_report {
        crate::run_report::write(&result, &scenario, &args.scenario, &overrides, &args.out)?;
    }

    let mut text = result.summary_text();
    let mut wrote = vec![shown(&csv_path), shown(&periods_path), shown(&json_path)];
    if !scenario.launches.is_empty() {
        wrote.push(shown(&launches_path));
    }
    if !args.no_report {
        wrote.push(shown(&args.out.join("report.html")));
    }
    let last = wrote.pop().unwrap_or_default();
    text.push_str(&format!("  wrote        {} and {last}\n", wrote.join(", ")));
    if let Some(error) = &stopped {
        text.push_str(&format!(
            "  stopped      after day {} of {}: the files hold the finished days only\n",
            result.rows.len(),
            scenario.days
        ));
        emit(&text)?;
        return Err(sim_failure(&args.scenario, error));
    }
    emit(&text)?;
    if result.invariants.is_err() {
        return Err(Failure::Internal(
            "the ledger invariants do not hold at the end of the run (a bug)".into(),
        ));
    }
    Ok(())
}
