//! From a Monte Carlo's aggregates to what people look at: the
//! `furnace-report` model (charts, `report.html`) and Parquet tables. The
//! simulator and the report crate do not know each other; this module is
//! the only place that converts between them.
//!
//! Numbers: a Parquet or chart value is the double nearest the exact
//! decimal the CSVs write (what `pandas.read_csv` reads from them), so
//! `runs.parquet` and `runs.csv` agree value for value.

use crate::{shown, Failure};
use furnace_config::Scenario;
use furnace_core::economy::MarketKind;
use furnace_report::{
    ColumnData, Detector as ReportDetector, FirstStep, ParquetStream, Report, Series, SeriesValues,
    SummaryRow, Table,
};
use furnace_sim::human;
use furnace_sim::ledger::Unit;
use furnace_sim::mc::{McResult, RunRecord, RunSink, SeriesInfo, Value, DETECTORS, QUANTILES};
use furnace_sim::report::{AmountFormat, Change, Raw};
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Rows per Parquet row group of a per-run table: 65,536 runs of 100
/// series are 52 MB of doubles, whatever the number of runs.
pub const GROUP_ROWS: usize = 1 << 16;

/// Series the summary shows (final p5 / p50 / p95), when the scenario has
/// them.
pub const HEADLINE: [&str; 4] = ["supply", "token_price_usd", "cum_burned", "cum_emitted"];

/// `(negative, magnitude)` in base units as the exact decimal of whole
/// units the CSVs write.
pub fn exact(v: (bool, u128), unit: &Unit) -> String {
    Raw::Signed(Change {
        negative: v.0,
        magnitude: v.1,
    })
    .format(unit, AmountFormat::WholeUnits)
}

/// The double nearest the exact decimal of `v` (one rounding: the
/// quotient of two exact doubles below 2^53, else the decimal parsed).
pub fn to_f64(v: (bool, u128), unit: &Unit) -> f64 {
    let d = unit.decimals().unwrap_or(0);
    let x = match u64::try_from(v.1) {
        Ok(m) if m < 1 << 53 && d <= 22 => {
            #[allow(clippy::cast_precision_loss)] // below 2^53: exact
            let m = m as f64;
            m / 10f64.powi(i32::from(d))
        }
        _ => return exact(v, unit).parse().unwrap_or(f64::NAN),
    };
    if v.0 {
        -x
    } else {
        x
    }
}

fn value_f64(v: Option<Value>, unit: &Unit) -> f64 {
    v.map_or(f64::NAN, |v| to_f64((v.negative, v.magnitude), unit))
}

/// Which series are charted, and on which chart, by name: supply, price,
/// burn against emission (cumulative, one chart), the treasury the
/// scenario's detector watches, and every pool's reserves (one chart per
/// asset). A Monte Carlo and a single run chart the same names.
pub fn planned_series(scenario: &Scenario) -> Vec<(String, Option<String>)> {
    let mut plan: Vec<(String, Option<String>)> = vec![
        ("supply".into(), Some("supply".into())),
        ("token_price_usd".into(), Some("price".into())),
        ("cum_burned".into(), Some("burn against emission".into())),
        ("cum_emitted".into(), Some("burn against emission".into())),
    ];
    let economy = &scenario.economy.economy;
    if let Some((account, asset, _)) = scenario.detectors.treasury {
        plan.push((
            format!(
                "{}_{}",
                economy.account_name(account),
                economy.asset_name(asset)
            ),
            Some("treasury".into()),
        ));
    }
    for m in &economy.markets {
        if let MarketKind::Pool { assets, .. } = &m.kind {
            for a in assets {
                let asset = economy.asset_name(*a);
                plan.push((
                    format!("{}_reserve_{asset}", m.name),
                    Some(format!("pool reserves of {asset}")),
                ));
            }
        }
    }
    plan
}

/// [`planned_series`] resolved to indices by `index` (series the run does
/// not have are left out), each chart at most
/// `furnace_report::MAX_SERIES_PER_CHART` series.
pub fn resolve_plan(
    scenario: &Scenario,
    index: impl Fn(&str) -> Option<usize>,
) -> Vec<(usize, Option<String>)> {
    let mut out: Vec<(usize, Option<String>)> = Vec::new();
    for (name, chart) in planned_series(scenario) {
        let Some(j) = index(&name) else {
            continue;
        };
        let on_chart = out.iter().filter(|(_, c)| *c == chart).count();
        if !out.iter().any(|(k, _)| *k == j) && on_chart < furnace_report::MAX_SERIES_PER_CHART {
            out.push((j, chart));
        }
    }
    out
}

/// The Monte Carlo's charted series (see [`planned_series`]).
pub fn chart_plan(r: &McResult, scenario: &Scenario) -> Vec<(usize, Option<String>)> {
    resolve_plan(scenario, |name| r.series_index(name))
}

/// Series `j`'s bands, step by step, as doubles; `None` when some step
/// has no value in any run (a price without an oracle): not charted.
fn bands_of(r: &McResult, j: usize) -> Option<Vec<[f64; 5]>> {
    let unit = &r.series()[j].unit;
    (0..r.steps())
        .map(|s| {
            let b = r.band(s, j);
            let mut q = [0.0; 5];
            for (slot, v) in q.iter_mut().zip(b.quantiles) {
                *slot = to_f64(v?, unit);
            }
            // The sketch's quantiles are ordered; keep the model's rule
            // even for rounding to doubles.
            q.sort_by(f64::total_cmp);
            Some(q)
        })
        .collect()
}

/// A headline figure in whole units, digits grouped.
fn shown_value(v: Option<(bool, u128)>, unit: &Unit) -> String {
    match v {
        None => "–".into(),
        Some((neg, m)) => {
            let text = human(m, unit.decimals().unwrap_or(0));
            if neg && m > 0 {
                format!("-{text}")
            } else {
                text
            }
        }
    }
}

/// The enabled detectors, with frequencies and first steps.
pub fn detectors(r: &McResult) -> Vec<ReportDetector> {
    let counts = r.detectors();
    let total = usize::try_from(r.runs).unwrap_or(usize::MAX);
    r.detector_info
        .iter()
        .filter(|(_, enabled, _)| *enabled)
        .map(|(d, _, description)| ReportDetector {
            name: d.name().into(),
            description: description.clone(),
            runs_triggered: usize::try_from(counts.fired(*d)).unwrap_or(usize::MAX),
            runs_total: total,
            first_step: counts.first_step(*d).map(|(min, median, max)| FirstStep {
                min: u64::from(min),
                median,
                max: u64::from(max),
            }),
        })
        .collect()
}

/// The report of one Monte Carlo: charts of the planned series with their
/// bands, the final p5 / p50 / p95 of the headline series, the detectors,
/// and `parameters` (the scenario's facts and every `--set`).
pub fn mc_report(
    r: &McResult,
    scenario: &Scenario,
    title: String,
    parameters: Vec<(String, String)>,
) -> Report {
    let mut series = Vec::new();
    for (j, chart) in chart_plan(r, scenario) {
        let info = &r.series()[j];
        if let Some(bands) = bands_of(r, j) {
            series.push(Series {
                name: info.name.clone(),
                unit: info.unit.name(),
                chart,
                values: SeriesValues::Bands(bands),
            });
        }
    }
    let last = r.steps().saturating_sub(1);
    let mut summary = Vec::new();
    for name in HEADLINE {
        let Some(j) = r.series_index(name) else {
            continue;
        };
        let unit = &r.series()[j].unit;
        let b = r.band(last, j);
        summary.push(SummaryRow {
            name: format!("final {name} (p5 / p50 / p95)"),
            value: format!(
                "{} / {} / {}",
                shown_value(b.quantiles[0], unit),
                shown_value(b.quantiles[2], unit),
                shown_value(b.quantiles[4], unit)
            ),
            unit: unit.name(),
        });
    }
    Report {
        title,
        scenario_name: scenario.name.clone(),
        parameters,
        summary,
        warnings: Vec::new(),
        runs: usize::try_from(r.runs).unwrap_or(usize::MAX),
        steps: r.steps(),
        step_unit: "day".into(),
        series,
        detectors: detectors(r),
        sweep: None,
        sensitivity: None,
    }
}

/// The parameters a report shows: the scenario's facts, then every
/// override as given.
pub fn parameters(
    path: &Path,
    scenario: &Scenario,
    runs: u64,
    first_run: u64,
    sets: &[(String, String)],
) -> Vec<(String, String)> {
    let mut p = vec![
        ("scenario".to_string(), scenario.name.clone()),
        ("file".to_string(), shown(path)),
        ("seed".to_string(), scenario.seed.to_string()),
        ("runs".to_string(), runs.to_string()),
        ("first run".to_string(), first_run.to_string()),
        ("days".to_string(), scenario.days.to_string()),
    ];
    p.extend(sets.iter().map(|(k, v)| (format!("--set {k}"), v.clone())));
    p
}

/// Every series' bands in long format, as `bands.csv` has them: `step`,
/// `series`, `unit`, `n`, `p5` ... `p95`, `mean`, `max_error` (doubles;
/// NaN where no run had a value).
pub fn bands_table(r: &McResult) -> Table {
    let rows = r.steps() * r.series().len();
    let mut step = Vec::with_capacity(rows);
    let mut name = Vec::with_capacity(rows);
    let mut unit = Vec::with_capacity(rows);
    let mut n = Vec::with_capacity(rows);
    let mut q: [Vec<f64>; 5] = std::array::from_fn(|_| Vec::with_capacity(rows));
    let mut mean = Vec::with_capacity(rows);
    let mut max_error = Vec::with_capacity(rows);
    for s in 0..r.steps() {
        for (j, info) in r.series().iter().enumerate() {
            let b = r.band(s, j);
            step.push(i64::try_from(s + 1).unwrap_or(i64::MAX));
            name.push(info.name.clone());
            unit.push(info.unit.name());
            n.push(b.n);
            for (col, v) in q.iter_mut().zip(b.quantiles) {
                col.push(v.map_or(f64::NAN, |v| to_f64(v, &info.unit)));
            }
            mean.push(b.mean.map_or(f64::NAN, |v| to_f64(v, &info.unit)));
            max_error.push(to_f64((false, b.max_error), &info.unit));
        }
    }
    let mut columns = vec![
        ("step".to_string(), ColumnData::I64(step)),
        ("series".to_string(), ColumnData::Str(name)),
        ("unit".to_string(), ColumnData::Str(unit)),
        ("n".to_string(), ColumnData::U64(n)),
    ];
    for (p, col) in QUANTILES.iter().zip(q) {
        columns.push((format!("p{p}"), ColumnData::F64(col)));
    }
    columns.push(("mean".into(), ColumnData::F64(mean)));
    columns.push(("max_error".into(), ColumnData::F64(max_error)));
    Table { columns }
}

/// Writes `table` to `path` as Parquet.
pub fn write_table(path: &Path, table: &Table) -> Result<(), Failure> {
    let io = |e: &dyn std::fmt::Display| Failure::Io(format!("cannot write {}: {e}", shown(path)));
    let file = File::create(path).map_err(|e| io(&e))?;
    furnace_report::write_parquet(table, BufWriter::new(file)).map_err(|e| io(&e))
}

/// Writes the page (`report.html`, `charts/`) into `dir`, listing `data`.
pub fn write_page(report: &Report, dir: &Path, data: &[(&str, &str)]) -> Result<(), Failure> {
    let files: Vec<(String, String)> = data
        .iter()
        .map(|(f, what)| ((*f).to_string(), (*what).to_string()))
        .collect();
    furnace_report::write_page(report, dir, &files).map_err(|e| match e {
        furnace_report::Error::Io { path, source } => {
            Failure::Io(format!("cannot write {}: {source}", shown(&path)))
        }
        other => Failure::Internal(format!("report.html: {other}")),
    })?;
    Ok(())
}

/// A per-run Parquet table written as runs finish, a row group of
/// [`GROUP_ROWS`] at a time: leading text columns (a sweep point's
/// parameters), `run`, `seed`, `final_<series>` (doubles, NaN without a
/// value) and `detector_<name>` (the step it first fired, NaN if never).
pub struct ParquetRuns {
    path: PathBuf,
    series: Vec<SeriesInfo>,
    prefix: Vec<(String, String)>,
    stream: Option<ParquetStream<BufWriter<File>>>,
    file: Option<File>,
    prefix_cols: Vec<Vec<String>>,
    run: Vec<u64>,
    seed: Vec<u64>,
    finals: Vec<Vec<f64>>,
    fired: Vec<Vec<f64>>,
}

impl ParquetRuns {
    pub fn create(path: &Path, series: &[SeriesInfo]) -> Result<ParquetRuns, Failure> {
        let file = File::create(path)
            .map_err(|e| Failure::Io(format!("cannot write {}: {e}", shown(path))))?;
        Ok(ParquetRuns {
            path: path.to_path_buf(),
            series: series.to_vec(),
            prefix: Vec::new(),
            stream: None,
            file: Some(file),
            prefix_cols: Vec::new(),
            run: Vec::new(),
            seed: Vec::new(),
            finals: vec![Vec::new(); series.len()],
            fired: vec![Vec::new(); DETECTORS.len()],
        })
    }

    /// The leading columns' values for the runs that follow (the same
    /// names every time).
    pub fn set_prefix(&mut self, prefix: Vec<(String, String)>) -> std::io::Result<()> {
        self.flush()?;
        self.prefix_cols = vec![Vec::new(); prefix.len()];
        self.prefix = prefix;
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.run.is_empty() {
            return Ok(());
        }
        let mut columns: Vec<(String, ColumnData)> = Vec::new();
        for ((k, _), col) in self.prefix.iter().zip(&mut self.prefix_cols) {
            columns.push((k.clone(), ColumnData::Str(std::mem::take(col))));
        }
        columns.push(("run".into(), ColumnData::U64(std::mem::take(&mut self.run))));
        columns.push((
            "seed".into(),
            ColumnData::U64(std::mem::take(&mut self.seed)),
        ));
        for (s, col) in self.series.iter().zip(&mut self.finals) {
            columns.push((
                format!("final_{}", s.name),
                ColumnData::F64(std::mem::take(col)),
            ));
        }
        for (d, col) in DETECTORS.iter().zip(&mut self.fired) {
            columns.push((
                format!("detector_{}", d.name()),
                ColumnData::F64(std::mem::take(col)),
            ));
        }
        let table = Table { columns };
        let other = |e: furnace_report::parquet_io::ParquetIoError| {
            std::io::Error::other(format!("{}: {e}", shown(&self.path)))
        };
        if self.stream.is_none() {
            let file = self.file.take().expect("a file until the stream opens");
            self.stream = Some(ParquetStream::new(&table, BufWriter::new(file)).map_err(other)?);
        }
        if let Some(stream) = &mut self.stream {
            stream.write_group(&table).map_err(other)?;
        }
        Ok(())
    }

    /// Writes what is buffered and the file's footer.
    pub fn finish(mut self) -> Result<(), Failure> {
        let path = self.path.clone();
        let io =
            |e: &dyn std::fmt::Display| Failure::Io(format!("cannot write {}: {e}", shown(&path)));
        self.flush().map_err(|e| io(&e))?;
        match self.stream.take() {
            Some(s) => s.close().map_err(|e| io(&e)),
            None => Ok(()),
        }
    }
}

impl RunSink for ParquetRuns {
    fn run(&mut self, r: &RunRecord) -> std::io::Result<()> {
        for ((_, v), col) in self.prefix.iter().zip(&mut self.prefix_cols) {
            col.push(v.clone());
        }
        self.run.push(r.run);
        self.seed.push(r.seed);
        for ((v, s), col) in r.finals.iter().zip(&self.series).zip(&mut self.finals) {
            col.push(value_f64(*v, &s.unit));
        }
        for (f, col) in r.fired.iter().zip(&mut self.fired) {
            col.push(f.map_or(f64::NAN, f64::from));
        }
        if self.run.len() >= GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }
}

/// Hands every run to each sink in turn.
pub struct Tee<'a>(pub Vec<&'a mut dyn RunSink>);

impl RunSink for Tee<'_> {
    fn run(&mut self, r: &RunRecord) -> std::io::Result<()> {
        for s in &mut self.0 {
            s.run(r)?;
        }
        Ok(())
    }
}
