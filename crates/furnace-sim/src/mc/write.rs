//! The files of a Monte Carlo (`docs/outputs.md` documents every column
//! and key): `bands.csv` (one row per step and series), `runs.csv` (one
//! row per run, written as runs finish, in run order) and `summary.json`.
//! Amounts are exact decimals of whole units, like `timeseries.csv`'s, or
//! integers of the base unit with [`AmountFormat::BaseUnits`].

use super::bands::QUANTILES;
use super::detect::DETECTORS;
use super::sketch::MAX_CELL_BINS;
use super::{McResult, RunRecord, RunSink, SeriesInfo, Value};
use crate::report::{AmountFormat, Change, Raw};
use serde_json::{json, Map, Value as Json};
use std::io::Write;

/// How amounts are written (the same choice as `timeseries.csv`'s).
pub type BandsFormat = AmountFormat;

fn cell(v: Option<(bool, u128)>, series: &SeriesInfo, format: AmountFormat) -> String {
    match v {
        None => String::new(),
        Some((negative, magnitude)) => Raw::Signed(Change {
            negative,
            magnitude,
        })
        .format(&series.unit, format),
    }
}

/// `bands.csv`: `step, series, unit, n, p5, p25, p50, p75, p95, mean,
/// max_error`, step-major, series in [`McResult::series`] order.
pub fn write_bands(r: &McResult, out: &mut dyn Write, format: AmountFormat) -> std::io::Result<()> {
    let q: Vec<String> = QUANTILES.iter().map(|p| format!("p{p}")).collect();
    writeln!(out, "step,series,unit,n,{},mean,max_error", q.join(","))?;
    for s in 0..r.steps() {
        for (j, series) in r.series().iter().enumerate() {
            let b = r.band(s, j);
            let qs: Vec<String> = b
                .quantiles
                .iter()
                .map(|v| cell(*v, series, format))
                .collect();
            writeln!(
                out,
                "{},{},{},{},{},{},{}",
                s + 1,
                series.name,
                series.unit.name(),
                b.n,
                qs.join(","),
                cell(b.mean, series, format),
                cell(Some((false, b.max_error)), series, format)
            )?;
        }
    }
    Ok(())
}

/// `runs.csv`, written run by run: `run, seed, final_<series>...,
/// detector_<name>...` (a detector's cell is the step it first fired,
/// empty if it never did).
pub struct CsvRuns<W: Write> {
    out: W,
    series: Vec<SeriesInfo>,
    format: AmountFormat,
    header_written: bool,
    line: String,
}

impl<W: Write> CsvRuns<W> {
    pub fn new(out: W, series: &[SeriesInfo], format: AmountFormat) -> CsvRuns<W> {
        CsvRuns {
            out,
            series: series.to_vec(),
            format,
            header_written: false,
            line: String::new(),
        }
    }

    pub fn into_inner(self) -> W {
        self.out
    }

    fn header(&mut self) -> std::io::Result<()> {
        let mut h = String::from("run,seed");
        for s in &self.series {
            h.push_str(",final_");
            h.push_str(&s.name);
        }
        for d in DETECTORS {
            h.push_str(",detector_");
            h.push_str(d.name());
        }
        writeln!(self.out, "{h}")
    }
}

impl<W: Write> RunSink for CsvRuns<W> {
    fn run(&mut self, r: &RunRecord) -> std::io::Result<()> {
        use std::fmt::Write as _;
        if !self.header_written {
            self.header()?;
            self.header_written = true;
        }
        self.line.clear();
        let _ = write!(self.line, "{},{}", r.run, r.seed);
        for (v, s) in r.finals.iter().zip(&self.series) {
            self.line.push(',');
            self.line
                .push_str(&cell(v.map(Value::pair), s, self.format));
        }
        for f in r.fired {
            self.line.push(',');
            if let Some(step) = f {
                let _ = write!(self.line, "{step}");
            }
        }
        writeln!(self.out, "{}", self.line)
    }
}

/// `summary.json` of a Monte Carlo.
pub struct McSummary;

/// `"schema"` of a Monte Carlo's `summary.json`.
pub const MC_SUMMARY_SCHEMA: &str = "furnace-mc-summary";
pub const MC_SUMMARY_FORMAT_VERSION: u32 = 1;

impl McSummary {
    /// The summary: the run's facts, the sketch's bounds, every series'
    /// band at the last step (`final`), and the detectors.
    pub fn json(r: &McResult) -> Json {
        let info = &r.info;
        let last = r.steps().saturating_sub(1);
        let mut finals = Map::new();
        for (j, s) in r.series().iter().enumerate() {
            let b = r.band(last, j);
            let mut m = Map::new();
            m.insert("unit".into(), json!(s.unit.name()));
            m.insert("n".into(), json!(b.n.to_string()));
            for (p, v) in QUANTILES.iter().zip(b.quantiles) {
                m.insert(format!("p{p}"), json!(cell(v, s, AmountFormat::WholeUnits)));
            }
            m.insert(
                "mean".into(),
                json!(cell(b.mean, s, AmountFormat::WholeUnits)),
            );
            m.insert(
                "max_error".into(),
                json!(cell(
                    Some((false, b.max_error)),
                    s,
                    AmountFormat::WholeUnits
                )),
            );
            finals.insert(s.name.clone(), Json::Object(m));
        }
        let mut detectors = Map::new();
        let counts = r.detectors();
        for (d, enabled, description) in &r.detector_info {
            let first = counts
                .first_step(*d)
                .map(|(min, median, max)| json!({ "min": min, "median": median, "max": max }));
            detectors.insert(
                d.name().into(),
                json!({
                    "enabled": enabled,
                    "description": description,
                    "runs_fired": counts.fired(*d).to_string(),
                    "share": counts.fired(*d) as f64 / r.runs.max(1) as f64,
                    "first_step": first,
                }),
            );
        }
        json!({
            "schema": MC_SUMMARY_SCHEMA,
            "format_version": MC_SUMMARY_FORMAT_VERSION,
            "economy": info.economy,
            "scenario": info.scenario,
            "token": info.token_name,
            "numeraire": info.numeraire_name,
            "days": info.days,
            "seed": info.seed.to_string(),
            "first_run": r.first_run.to_string(),
            "runs": r.runs.to_string(),
            "run_seeds": "splitmix64(seed, run)",
            "sketch": {
                "max_cell_bins": MAX_CELL_BINS,
                "error_bound": "each quantile within max_error of the exact nearest-rank order statistic; max_error <= (max - min) / 511 of the values at that step",
            },
            "final": finals,
            "detectors": detectors,
        })
    }
}
