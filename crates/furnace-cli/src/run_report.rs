//! `report.html` for one deterministic `furnace run`: the same page as a
//! Monte Carlo's (furnace-report), with each charted series a line
//! instead of bands: supply, price, burn against emission, the treasury
//! and pool reserves (`report::planned_series`), the headline figures,
//! the regime day counts and the half-lives, the run's warnings, and the
//! scenario's parameters.
//!
//! Values: a chart's point is the double nearest the exact decimal
//! `timeseries.csv` holds (Rust's `f64` parsing rounds correctly), so the
//! chart and the CSV agree; the summary's figures are the CSV's exact
//! text.

use crate::report::{parameters, resolve_plan, HEADLINE};
use crate::Failure;
use furnace_config::Scenario;
use furnace_report::{Report, Series, SeriesValues, SummaryRow};
use furnace_sim::report::Entry;
use furnace_sim::SimResult;
use std::path::Path;

/// The data files of a single run's directory, as the page lists them.
pub const RUN_FILES: [(&str, &str); 3] = [
    (
        "timeseries.csv",
        "one row per step: every flow, balance and price (docs/outputs.md)",
    ),
    (
        "periods.csv",
        "one row per reporting period: burned, emitted, regime",
    ),
    (
        "summary.json",
        "totals, final balances, schedules, warnings",
    ),
];

/// One column of `timeseries.csv` as text cells, with its entry.
struct Column {
    entry: Entry,
    cells: Vec<String>,
}

/// The written CSV's columns (whole units), by position.
fn columns(result: &SimResult) -> Vec<Column> {
    let entries = result.columns();
    let mut cols: Vec<Column> = entries
        .into_iter()
        .map(|entry| Column {
            entry,
            cells: Vec::with_capacity(result.rows.len()),
        })
        .collect();
    let text = result.csv_string();
    for line in text.lines().skip(1) {
        for (c, cell) in cols.iter_mut().zip(line.split(',')) {
            c.cells.push(cell.to_string());
        }
    }
    cols
}

/// A column's values as doubles; `None` when some step has no number (a
/// price without an oracle, a word): not charted.
fn line(c: &Column) -> Option<Vec<f64>> {
    c.cells
        .iter()
        .map(|cell| cell.parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect()
}

/// The page of one run: `path` and `sets` name the scenario's file and
/// overrides in its parameters.
pub fn run_report(
    result: &SimResult,
    scenario: &Scenario,
    path: &Path,
    sets: &[(String, String)],
) -> Report {
    let cols = columns(result);
    let index = |name: &str| cols.iter().position(|c| c.entry.name == name);
    let mut series = Vec::new();
    for (j, chart) in resolve_plan(scenario, index) {
        let c = &cols[j];
        if let Some(values) = line(c) {
            series.push(Series {
                name: c.entry.name.clone(),
                unit: c.entry.unit.name(),
                chart,
                values: SeriesValues::Line(values),
            });
        }
    }
    let mut summary = Vec::new();
    for name in HEADLINE {
        if let Some(c) = index(name).map(|j| &cols[j]) {
            if let Some(last) = c.cells.last().filter(|v| !v.is_empty()) {
                summary.push(SummaryRow {
                    name: format!("final {name}"),
                    value: last.clone(),
                    unit: c.entry.unit.name(),
                });
            }
        }
    }
    let (deflationary, neutral, inflationary) = result.regime_days();
    summary.push(SummaryRow {
        name: "days deflationary / flat / inflationary".into(),
        value: format!("{deflationary} / {neutral} / {inflationary}"),
        unit: "days".into(),
    });
    if let Some(h) = result.half_life_days_projected() {
        summary.push(SummaryRow {
            name: "half-life projected (S0 / 2 x day-1 burn)".into(),
            value: format!("{h:.1}"),
            unit: "days".into(),
        });
    }
    if let Some(day) = result.simulated_half_life_day() {
        summary.push(SummaryRow {
            name: "half the initial supply burned by".into(),
            value: format!("day {day}"),
            unit: "day".into(),
        });
    }
    summary.push(SummaryRow {
        name: "ledger invariants".into(),
        value: if result.invariants.is_ok() {
            "hold".into()
        } else {
            "VIOLATED".into()
        },
        unit: String::new(),
    });
    let mut params = parameters(path, scenario, 1, 0, sets);
    // One run draws from the scenario's own seed (a Monte Carlo's run i
    // from a seed derived from it): say so rather than list "first run".
    params.retain(|(k, _)| k != "runs" && k != "first run");
    Report {
        title: format!("{}: one run, seed {}", scenario.name, scenario.seed),
        scenario_name: scenario.name.clone(),
        parameters: params,
        summary,
        warnings: result.warnings(),
        runs: 1,
        steps: result.rows.len(),
        step_unit: "day".into(),
        series,
        detectors: Vec::new(),
        sweep: None,
        sensitivity: None,
    }
}

/// Write `report.html` and `charts/` for one run into `dir`.
pub fn write(
    result: &SimResult,
    scenario: &Scenario,
    path: &Path,
    sets: &[(String, String)],
    dir: &Path,
) -> Result<(), Failure> {
    let page = run_report(result, scenario, path, sets);
    let mut files = RUN_FILES.to_vec();
    if !scenario.launches.is_empty() {
        files.push((
            "launches.csv",
            "one row per launch: spec, token, raise, status, pool, price, supply",
        ));
    }
    crate::report::write_page(&page, dir, &files)
}
