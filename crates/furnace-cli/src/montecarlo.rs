//! `furnace run SCENARIO --runs N --out DIR`: N futures in parallel
//! (`furnace_sim::mc`), written as `DIR/bands.csv`, `DIR/runs.csv` and
//! `DIR/summary.json`, their Parquet twins `DIR/bands.parquet` and
//! `DIR/runs.parquet`, and `DIR/report.html` with `DIR/charts/`
//! (docs/outputs.md), with a progress bar on a terminal and a summary
//! table (or, with `--json`, the summary) at the end.

use crate::report::{bands_table, mc_report, parameters, ParquetRuns, Tee};
use crate::{emit, shown, Failure};
use furnace_config::Scenario;
use furnace_sim::mc::{
    monte_carlo, write_bands, CsvRuns, McError, McOptions, McResult, McSummary, NoRuns,
};
use furnace_sim::{human, AmountFormat, SimErrorKind};
use std::fs;
use std::io::{BufWriter, IsTerminal, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// Series the summary table shows, when the scenario has them.
const TABLE_SERIES: [&str; 6] = [
    "supply",
    "token_price_usd",
    "cum_burned",
    "cum_emitted",
    "cum_tokens_consumed",
    "market_tokens",
];

/// What a Monte Carlo failure means for the exit status.
pub fn mc_failure(path: &Path, e: McError) -> Failure {
    let message = format!("{}: {e}", shown(path));
    match &e {
        McError::Options(_) => Failure::Usage(message),
        McError::Io(_) => Failure::Io(message),
        McError::Setup(s) | McError::Run { error: s, .. } => match s.kind() {
            SimErrorKind::Internal => Failure::Internal(message),
            SimErrorKind::Input => Failure::Input(message),
            SimErrorKind::Io => Failure::Io(message),
        },
    }
}

/// A progress bar with an ETA on a terminal (stderr), nothing otherwise.
pub fn progress_bar(total: u64, label: &str) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total);
    let style = indicatif::ProgressStyle::with_template(
        "{msg} [{bar:30}] {pos}/{len} runs, {per_sec}, ETA {eta}",
    )
    .map(|s| s.progress_chars("=> "))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(label.to_string());
    Some(bar)
}

/// The data files of a Monte Carlo's directory, as the page lists them.
pub const MC_FILES: [(&str, &str); 5] = [
    (
        "bands.csv",
        "per step and series: n, p5 ... p95, mean, max_error, exact decimals",
    ),
    ("bands.parquet", "bands.csv as doubles (long format)"),
    (
        "runs.csv",
        "per run: seed, final value of every series, detectors' first steps",
    ),
    (
        "runs.parquet",
        "runs.csv as doubles (NaN: no value, or never fired)",
    ),
    (
        "summary.json",
        "the last step's bands and the detectors, exact decimals",
    ),
];

/// Run the Monte Carlo of `scenario`; with `out`, write its files and
/// report (`sets`: the overrides, shown among the report's parameters).
pub fn run_mc(
    path: &Path,
    scenario: &Scenario,
    opts: &McOptions,
    out: Option<&Path>,
    format: AmountFormat,
    sets: &[(String, String)],
) -> Result<(McResult, Duration), Failure> {
    let label = scenario.name.as_str();
    let bar = progress_bar(opts.runs, label);
    let progress = |done: u64| {
        if let Some(b) = &bar {
            b.set_position(done);
        }
    };
    let io = |p: &Path, e: std::io::Error| Failure::Io(format!("cannot write {}: {e}", shown(p)));
    let start = Instant::now();
    let result = match out {
        None => monte_carlo(scenario, opts, &mut NoRuns, &progress),
        Some(dir) => {
            fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
            let runs_path = dir.join("runs.csv");
            let file = fs::File::create(&runs_path).map_err(|e| io(&runs_path, e))?;
            // The series are known once the scenario is set up: the sink
            // learns them from the first record's width via a probe.
            let series = furnace_sim::mc::series_of(scenario).map_err(|e| mc_failure(path, e))?;
            let mut sink = CsvRuns::new(BufWriter::new(file), &series, format);
            let mut parquet = ParquetRuns::create(&dir.join("runs.parquet"), &series)?;
            let r = monte_carlo(
                scenario,
                opts,
                &mut Tee(vec![&mut sink, &mut parquet]),
                &progress,
            );
            sink.into_inner().flush().map_err(|e| io(&runs_path, e))?;
            parquet.finish()?;
            r
        }
    };
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let result = result.map_err(|e| mc_failure(path, e))?;
    let elapsed = start.elapsed();
    if let Some(dir) = out {
        let bands = dir.join("bands.csv");
        let file = fs::File::create(&bands).map_err(|e| io(&bands, e))?;
        let mut w = BufWriter::new(file);
        write_bands(&result, &mut w, format)
            .and_then(|()| w.flush())
            .map_err(|e| io(&bands, e))?;
        let summary = dir.join("summary.json");
        let text = serde_json::to_string_pretty(&McSummary::json(&result)).unwrap_or_default();
        fs::write(&summary, text + "\n").map_err(|e| io(&summary, e))?;
        crate::report::write_table(&dir.join("bands.parquet"), &bands_table(&result))?;
        let title = format!("{}: {} runs", scenario.name, result.runs);
        let params = parameters(path, scenario, opts.runs, opts.first_run, sets);
        let page = mc_report(&result, scenario, title, params);
        crate::report::write_page(&page, dir, &MC_FILES)?;
    }
    Ok((result, elapsed))
}

/// The printed summary: final quantiles of the headline series, the
/// detectors, and the speed.
pub fn table(r: &McResult, elapsed: Duration, threads: usize) -> String {
    let info = &r.info;
    let mut t = format!(
        "{} ({} economy): {} runs x {} days, runs {}..{}, seed {}\n",
        info.scenario,
        info.economy,
        r.runs,
        info.days,
        r.first_run,
        r.first_run + r.runs - 1,
        info.seed
    );
    t.push_str(&format!(
        "  {:<20} {:>16} {:>16} {:>16} {:>16}  {}\n",
        "at the last step", "p5", "p50", "p95", "mean", "unit"
    ));
    let last = r.steps().saturating_sub(1);
    for name in TABLE_SERIES {
        let Some(j) = r.series_index(name) else {
            continue;
        };
        let unit = &r.series()[j].unit;
        let b = r.band(last, j);
        let show = |v: Option<(bool, u128)>| match v {
            None => "-".to_string(),
            Some((neg, m)) => {
                let d = unit.decimals().unwrap_or(0);
                let text = human(m, d);
                if neg && m > 0 {
                    format!("-{text}")
                } else {
                    text
                }
            }
        };
        t.push_str(&format!(
            "  {:<20} {:>16} {:>16} {:>16} {:>16}  {}\n",
            name,
            show(b.quantiles[0]),
            show(b.quantiles[2]),
            show(b.quantiles[4]),
            show(b.mean),
            unit.name()
        ));
    }
    t.push_str("  quantiles          within 0.2% of the spread across runs at each step (bands.csv max_error)\n");
    t.push_str("  detectors            runs fired          first step (min / median / max)\n");
    let counts = r.detectors();
    for (d, enabled, description) in &r.detector_info {
        if !enabled {
            continue;
        }
        let fired = counts.fired(*d);
        let first = counts
            .first_step(*d)
            .map_or("-".into(), |(a, m, b)| format!("{a} / {m} / {b}"));
        t.push_str(&format!(
            "  {:<20} {:>8} ({:>5.1}%)   {:<20} {}\n",
            d.name(),
            fired,
            100.0 * fired as f64 / r.runs as f64,
            first,
            description
        ));
    }
    let secs = elapsed.as_secs_f64();
    let run_days = r.runs as f64 * f64::from(info.days);
    t.push_str(&format!(
        "  speed                {:.3} s, {:.2} M run-days/s on {threads} thread(s)\n",
        secs,
        run_days / secs.max(1e-9) / 1e6
    ));
    t
}

/// Print the table (or the JSON summary) after a run.
pub fn report(
    r: &McResult,
    elapsed: Duration,
    threads: usize,
    json: bool,
    out: Option<&Path>,
) -> Result<(), Failure> {
    if json {
        let text = serde_json::to_string_pretty(&McSummary::json(r)).unwrap_or_default();
        return emit(&(text + "\n"));
    }
    let mut text = table(r, elapsed, threads);
    if let Some(dir) = out {
        text.push_str(&format!(
            "  wrote                {}, {}, {} (and .parquet twins) and {}\n",
            shown(&dir.join("bands.csv")),
            shown(&dir.join("runs.csv")),
            shown(&dir.join("summary.json")),
            shown(&dir.join("report.html"))
        ));
    }
    emit(&text)
}
