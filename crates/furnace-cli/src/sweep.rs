//! `furnace sweep SCENARIO --grid key=a,b --zip key=x,y --runs N --out DIR`:
//! the Monte Carlo of every point of a parameter grid, each point's values
//! given to the scenario as `--set` overrides (so every key `run --set`
//! takes can be swept, `economy.` keys too). Every point is loaded and set
//! up before any run, a failing point named. Writes `DIR/sweep.csv` (one
//! row per point: its parameters, then outcomes), `DIR/sweep_runs.csv`
//! (every run, its point's parameters leading), their Parquet twins and
//! `DIR/report.html` with the sweep table (docs/outputs.md).

use crate::montecarlo::{mc_failure, progress_bar};
use crate::report::{to_f64, ParquetRuns, Tee, HEADLINE};
use crate::{emit, parse_overrides, shown, Failure, Problem};
use clap::Args;
use furnace_config::Scenario;
use furnace_report::{ColumnData, Table};
use furnace_sim::mc::{
    monte_carlo, series_of, McOptions, McResult, RunRecord, RunSink, SeriesInfo, Value, DETECTORS,
};
use furnace_sim::report::{Change, Raw};
use furnace_sim::AmountFormat;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// Scenario file (scenarios/*.toml).
    pub scenario: PathBuf,
    /// Output directory (created if missing; existing files are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// A swept key and its values, `key=a,b,c`; the points are every
    /// combination of the --grid keys (and of the --zip group). Repeatable.
    #[arg(long = "grid", value_name = "KEY=A,B,...")]
    pub grid: Vec<String>,
    /// Keys swept together, `key=a,b` and `other=x,y` give the points
    /// (a, x) and (b, y): every --zip list must have the same length.
    #[arg(long = "zip", value_name = "KEY=A,B,...")]
    pub zip: Vec<String>,
    /// Runs per point (each point runs the same seeds).
    #[arg(long, value_name = "N")]
    pub runs: u64,
    /// Override a key at every point, as `furnace run --set`. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Worker threads (default: RAYON_NUM_THREADS, else one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Amounts in the CSVs as integers of the base unit.
    #[arg(long)]
    pub base_units: bool,
    /// Print sweep.json (every point's parameters and outcomes) instead of
    /// the table.
    #[arg(long)]
    pub json: bool,
}

/// One point: its swept values (in key order) and its loaded scenario.
pub struct Point {
    pub values: Vec<(String, String)>,
    pub scenario: Scenario,
}

impl Point {
    /// `key=value, key=value`, for messages and labels.
    pub fn label(&self) -> String {
        self.values
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `key=a,b,c` as the key and its values.
pub fn parse_list(flag: &str, spec: &str) -> Result<(String, Vec<String>), Failure> {
    let usage = |m: &str| Failure::Usage(format!("{flag} {spec}: {m}"));
    let (key, values) = spec
        .split_once('=')
        .ok_or_else(|| usage("expected KEY=A,B,..."))?;
    let key = key.trim();
    if key.is_empty() {
        return Err(usage("no key"));
    }
    let values: Vec<String> = values.split(',').map(|v| v.trim().to_string()).collect();
    if values.iter().any(String::is_empty) {
        return Err(usage("an empty value"));
    }
    Ok((key.to_string(), values))
}

/// The sweep's keys and its points' values: the cartesian product of the
/// --grid lists (the first key varies slowest) and, as one more axis, the
/// --zip lists taken together.
pub fn points(grid: &[String], zip: &[String]) -> Result<(Vec<String>, Vec<Vec<String>>), Failure> {
    let grid: Vec<_> = grid
        .iter()
        .map(|g| parse_list("--grid", g))
        .collect::<Result<_, _>>()?;
    let zip: Vec<_> = zip
        .iter()
        .map(|z| parse_list("--zip", z))
        .collect::<Result<_, _>>()?;
    if grid.is_empty() && zip.is_empty() {
        return Err(Failure::Usage(
            "nothing to sweep: give at least one --grid or --zip KEY=A,B,...".into(),
        ));
    }
    let keys: Vec<String> = grid.iter().chain(&zip).map(|(k, _)| k.clone()).collect();
    for (i, k) in keys.iter().enumerate() {
        if keys[..i].contains(k) {
            return Err(Failure::Usage(format!("`{k}` is swept twice")));
        }
    }
    if let Some((first, rest)) = zip.split_first() {
        if let Some((k, v)) = rest.iter().find(|(_, v)| v.len() != first.1.len()) {
            return Err(Failure::Usage(format!(
                "--zip lists must have the same length: `{}` has {}, `{k}` has {}",
                first.0,
                first.1.len(),
                v.len()
            )));
        }
    }
    // Axes: each grid list, then the zip group; a point picks one entry
    // of each, the last axis fastest.
    let mut axes: Vec<Vec<Vec<String>>> = grid
        .iter()
        .map(|(_, vs)| vs.iter().map(|v| vec![v.clone()]).collect())
        .collect();
    if let Some((_, first)) = zip.first() {
        axes.push(
            (0..first.len())
                .map(|i| zip.iter().map(|(_, vs)| vs[i].clone()).collect())
                .collect(),
        );
    }
    let mut out: Vec<Vec<String>> = vec![Vec::new()];
    for axis in &axes {
        out = out
            .iter()
            .flat_map(|p| {
                axis.iter().map(move |entry| {
                    let mut q = p.clone();
                    q.extend(entry.iter().cloned());
                    q
                })
            })
            .collect();
    }
    Ok((keys, out))
}

/// Loads every point (base `sets`, then the point's values) and sets each
/// up once, before anything runs: every problem, each naming its point.
/// The points must fold the same series (one set of columns per file).
pub fn load_points(
    path: &Path,
    sets: &[(String, String)],
    values: Vec<Vec<(String, String)>>,
) -> Result<(Vec<Point>, Vec<SeriesInfo>), Failure> {
    for (k, _) in sets {
        if values.iter().flatten().any(|(key, _)| key == k) {
            return Err(Failure::Usage(format!(
                "`{k}` is both swept and given by --set"
            )));
        }
    }
    let mut problems: Vec<Problem> = Vec::new();
    let mut points = Vec::new();
    let mut series: Option<(String, Vec<SeriesInfo>)> = None;
    for (i, pairs) in values.into_iter().enumerate() {
        let mut overrides = sets.to_vec();
        overrides.extend(pairs.iter().cloned());
        let label = pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let at = if label.is_empty() {
            format!("point {} (the base point)", i + 1)
        } else {
            format!("sweep point {} ({label})", i + 1)
        };
        let scenario = match furnace_config::load_scenario(path, &overrides) {
            Ok(s) => s,
            Err(e) => {
                if let Some(u) = e.0.iter().find(|e| e.unreadable) {
                    return Err(Failure::Io(u.to_string()));
                }
                for err in &e.0 {
                    let mut p = Problem::from(err);
                    p.text = format!("{at}: {}", p.text);
                    p.message = format!("{at}: {}", p.message);
                    problems.push(p);
                }
                continue;
            }
        };
        match series_of(&scenario) {
            Err(e) => {
                let f = mc_failure(path, e);
                if problems.is_empty() && !matches!(f, Failure::Input(_)) {
                    return Err(f);
                }
                problems.push(one_problem(&format!("{at}: {}", message(&f))));
                continue;
            }
            Ok(s) => match &series {
                None => series = Some((label.clone(), s)),
                Some((first, names)) => {
                    if names.iter().map(|x| &x.name).ne(s.iter().map(|x| &x.name)) {
                        problems.push(one_problem(&format!(
                            "{at}: its series differ from those of ({first}) (a key that adds accounts, pools or assets): one sweep's runs share one set of columns"
                        )));
                        continue;
                    }
                }
            },
        }
        points.push(Point {
            values: pairs,
            scenario,
        });
    }
    if !problems.is_empty() {
        return Err(Failure::Invalid(problems));
    }
    let series = series.map(|(_, s)| s).unwrap_or_default();
    Ok((points, series))
}

/// A one-message failure's message, without `error: `.
pub fn message(f: &Failure) -> String {
    let line = f.lines().into_iter().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(&line).to_string()
}

fn one_problem(text: &str) -> Problem {
    Problem {
        file: String::new(),
        line: None,
        column: None,
        key: String::new(),
        set: None,
        message: text.to_string(),
        text: text.to_string(),
    }
}

/// One point's Monte Carlo, its runs to `sink`, with a progress bar.
pub fn run_point(
    path: &Path,
    point: &Point,
    opts: &McOptions,
    sink: &mut dyn RunSink,
) -> Result<McResult, Failure> {
    let bar = progress_bar(opts.runs, &point.label());
    let progress = |done: u64| {
        if let Some(b) = &bar {
            b.set_position(done);
        }
    };
    let r = monte_carlo(&point.scenario, opts, sink, &progress);
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    r.map_err(|e| {
        let f = mc_failure(path, e);
        let m = format!("sweep point ({}): {}", point.label(), message(&f));
        match f {
            Failure::Usage(_) => Failure::Usage(m),
            Failure::Io(_) => Failure::Io(m),
            Failure::Internal(_) => Failure::Internal(m),
            _ => Failure::Input(m),
        }
    })
}

/// A cell in the CSVs' format.
pub(crate) fn cell(v: Option<(bool, u128)>, s: &SeriesInfo, format: AmountFormat) -> String {
    v.map_or(String::new(), |(negative, magnitude)| {
        Raw::Signed(Change {
            negative,
            magnitude,
        })
        .format(&s.unit, format)
    })
}

/// `sweep_runs.csv`: the point's values, then `runs.csv`'s columns.
struct CsvPointRuns<'a, W: Write> {
    out: &'a mut W,
    series: &'a [SeriesInfo],
    format: AmountFormat,
    prefix: String,
    line: String,
}

impl<W: Write> RunSink for CsvPointRuns<'_, W> {
    fn run(&mut self, r: &RunRecord) -> std::io::Result<()> {
        use std::fmt::Write as _;
        self.line.clear();
        let _ = write!(self.line, "{}{},{}", self.prefix, r.run, r.seed);
        for (v, s) in r.finals.iter().zip(self.series) {
            self.line.push(',');
            self.line.push_str(&cell(
                v.map(|v: Value| (v.negative, v.magnitude)),
                s,
                self.format,
            ));
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

/// A CSV field, quoted when it must be (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// One outcome column of `sweep.csv`: a quantile of a series' final band,
/// or a detector's share of runs.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// Series name and quantile index into `QUANTILES` (0: p5, 2: p50, 4: p95).
    Final(String, usize),
    Detector(usize),
}

impl Outcome {
    pub fn name(&self) -> String {
        match self {
            Outcome::Final(s, q) => format!("final_{s}_p{}", furnace_sim::mc::QUANTILES[*q]),
            Outcome::Detector(d) => format!("detector_{}", DETECTORS[*d].name()),
        }
    }

    /// The exact value (a quantile in base units) and as a double.
    pub(crate) fn value(&self, r: &McResult) -> (Option<(bool, u128)>, f64) {
        match self {
            Outcome::Final(s, q) => {
                let Some(j) = r.series_index(s) else {
                    return (None, f64::NAN);
                };
                let v = r.band(r.steps().saturating_sub(1), j).quantiles[*q];
                (v, v.map_or(f64::NAN, |v| to_f64(v, &r.series()[j].unit)))
            }
            Outcome::Detector(d) => {
                #[allow(clippy::cast_precision_loss)]
                let share = r.detectors().fired(DETECTORS[*d]) as f64 / r.runs.max(1) as f64;
                (None, share)
            }
        }
    }
}

/// The outcomes of a sweep of scenarios folding `series`.
pub fn outcomes(series: &[SeriesInfo]) -> Vec<Outcome> {
    let mut out = Vec::new();
    for name in HEADLINE {
        if series.iter().any(|s| s.name == name) {
            for q in [0, 2, 4] {
                out.push(Outcome::Final(name.to_string(), q));
            }
        }
    }
    out.extend((0..DETECTORS.len()).map(Outcome::Detector));
    out
}

pub fn run(args: &SweepArgs) -> Result<(), Failure> {
    let sets = parse_overrides(&args.set)?;
    let (keys, values) = points(&args.grid, &args.zip)?;
    let pairs = values
        .into_iter()
        .map(|vals| keys.iter().cloned().zip(vals).collect())
        .collect();
    let (points, series) = load_points(&args.scenario, &sets, pairs)?;
    let format = if args.base_units {
        AmountFormat::BaseUnits
    } else {
        AmountFormat::WholeUnits
    };
    let opts = McOptions {
        first_run: 0,
        runs: args.runs,
        threads: args.threads,
    };
    let dir = &args.out;
    let io = |p: &Path, e: &dyn std::fmt::Display| {
        Failure::Io(format!("cannot write {}: {e}", shown(p)))
    };
    fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
    let runs_path = dir.join("sweep_runs.csv");
    let file = fs::File::create(&runs_path).map_err(|e| io(&runs_path, &e))?;
    let mut runs_csv = BufWriter::new(file);
    let mut header: Vec<String> = keys.iter().map(|k| csv_field(k)).collect();
    header.push("run".into());
    header.push("seed".into());
    header.extend(series.iter().map(|s| format!("final_{}", s.name)));
    header.extend(DETECTORS.iter().map(|d| format!("detector_{}", d.name())));
    writeln!(runs_csv, "{}", header.join(",")).map_err(|e| io(&runs_path, &e))?;
    let mut parquet = ParquetRuns::create(&dir.join("sweep_runs.parquet"), &series)?;

    let outcomes = outcomes(&series);
    let mut results: Vec<McResult> = Vec::new();
    for point in &points {
        parquet
            .set_prefix(point.values.clone())
            .map_err(|e| io(&dir.join("sweep_runs.parquet"), &e))?;
        let prefix: String = point
            .values
            .iter()
            .map(|(_, v)| format!("{},", csv_field(v)))
            .collect();
        let mut csv = CsvPointRuns {
            out: &mut runs_csv,
            series: &series,
            format,
            prefix,
            line: String::new(),
        };
        let r = run_point(
            &args.scenario,
            point,
            &opts,
            &mut Tee(vec![&mut csv, &mut parquet]),
        )?;
        results.push(r);
    }
    runs_csv.flush().map_err(|e| io(&runs_path, &e))?;
    parquet.finish()?;

    // sweep.csv and sweep.parquet: one row per point.
    let sweep_path = dir.join("sweep.csv");
    let mut text = String::new();
    let mut head: Vec<String> = keys.iter().map(|k| csv_field(k)).collect();
    head.push("runs".into());
    head.extend(outcomes.iter().map(Outcome::name));
    text.push_str(&head.join(","));
    text.push('\n');
    let mut columns: Vec<(String, ColumnData)> = keys
        .iter()
        .enumerate()
        .map(|(k, key)| {
            let col = points.iter().map(|p| p.values[k].1.clone()).collect();
            (key.clone(), ColumnData::Str(col))
        })
        .collect();
    columns.push((
        "runs".into(),
        ColumnData::U64(vec![args.runs; points.len()]),
    ));
    let mut floats: Vec<Vec<f64>> = vec![Vec::new(); outcomes.len()];
    // Per point, each outcome as sweep.json has it: an exact decimal (a
    // string, as every amount in furnace's JSON) or a share of runs.
    let mut cells: Vec<Vec<(String, serde_json::Value)>> = Vec::with_capacity(points.len());
    for (point, r) in points.iter().zip(&results) {
        let mut row: Vec<String> = point.values.iter().map(|(_, v)| csv_field(v)).collect();
        row.push(r.runs.to_string());
        let mut json_cells = Vec::with_capacity(outcomes.len());
        for (o, col) in outcomes.iter().zip(&mut floats) {
            let (exact, f) = o.value(r);
            col.push(f);
            let (text, value) = match (o, exact) {
                (Outcome::Final(s, _), Some(v)) => {
                    let info = &series[series.iter().position(|x| &x.name == s).unwrap_or(0)];
                    let c = cell(Some(v), info, format);
                    (c.clone(), serde_json::Value::String(c))
                }
                (Outcome::Final(..), None) => (String::new(), serde_json::Value::Null),
                (Outcome::Detector(_), _) => (format!("{f}"), serde_json::json!(f)),
            };
            row.push(text);
            json_cells.push((o.name(), value));
        }
        cells.push(json_cells);
        text.push_str(&row.join(","));
        text.push('\n');
    }
    fs::write(&sweep_path, &text).map_err(|e| io(&sweep_path, &e))?;
    for (o, col) in outcomes.iter().zip(floats) {
        columns.push((o.name(), ColumnData::F64(col)));
    }
    crate::report::write_table(&dir.join("sweep.parquet"), &Table { columns })?;

    let base = &points[0].scenario;
    crate::sweep_page::write_page(args, &keys, &points, &results, &outcomes, &series, &sets)?;
    let json_path = dir.join("sweep.json");
    let json_text = crate::sweep_page::json(args, &keys, &points, &cells);
    fs::write(&json_path, &json_text).map_err(|e| io(&json_path, &e))?;
    if args.json {
        return emit(&json_text);
    }

    let mut out = format!(
        "{}: {} points x {} runs x {} days\n",
        base.name,
        points.len(),
        args.runs,
        base.days
    );
    out.push_str(&crate::sweep_page::text_table(&text));
    out.push_str(&format!(
        "  wrote {}, {}, {} (and .parquet twins) and {}\n",
        shown(&sweep_path),
        shown(&json_path),
        shown(&runs_path),
        shown(&dir.join("report.html"))
    ));
    emit(&out)
}

/// The data files of a sweep's directory, as the page lists them.
pub const SWEEP_FILES: [(&str, &str); 5] = [
    (
        "sweep.csv",
        "per point: its parameters, p5/p50/p95 of final figures, detector shares",
    ),
    (
        "sweep.json",
        "sweep.csv as JSON: per point its parameters, days and outcomes",
    ),
    ("sweep.parquet", "sweep.csv as doubles"),
    (
        "sweep_runs.csv",
        "per run of every point: the point's parameters, then runs.csv's columns",
    ),
    ("sweep_runs.parquet", "sweep_runs.csv as doubles"),
];
