//! `furnace sensitivity SCENARIO --outcome final_supply --vary key=low,high
//! ... --runs N --out DIR`: which parameter moves an outcome most, one at
//! a time around the base point (the scenario with its `--set`s). Every
//! point (the base, then each key at its low and its high value) is a
//! Monte Carlo of N runs with the same seeds, loaded and set up before any
//! runs. Writes `DIR/tornado.csv` and `DIR/tornado.json` (bars sorted by
//! swing, widest first) and `DIR/report.html` with the tornado chart and
//! the base point's bands (docs/outputs.md).

use crate::report::{mc_report, to_f64};
use crate::sweep::{load_points, parse_list, run_point, Point};
use crate::{emit, parse_overrides, shown, Failure};
use clap::Args;
use furnace_report::{Tornado, TornadoBar};
use furnace_sim::ledger::Unit;
use furnace_sim::mc::{McOptions, McResult, NoRuns, SeriesInfo, DETECTORS, QUANTILES};
use furnace_sim::report::{Change, Raw};
use furnace_sim::AmountFormat;
use serde_json::json;
use std::fs;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct SensitivityArgs {
    /// Scenario file (scenarios/*.toml).
    pub scenario: PathBuf,
    /// The outcome: `final_<series>` (a series' value at the last step, see
    /// `runs.csv`) at the quantile --stat, or `detector_<name>` (the share
    /// of runs it fired in).
    #[arg(long)]
    pub outcome: String,
    /// A key and its low and high values, `key=low,high`. Repeatable.
    #[arg(long = "vary", value_name = "KEY=LOW,HIGH", required = true)]
    pub vary: Vec<String>,
    /// Which figure of `final_<series>` across runs: p5, p25, p50, p75,
    /// p95 or mean.
    #[arg(long, default_value = "p50")]
    pub stat: String,
    /// Runs per point.
    #[arg(long, value_name = "N")]
    pub runs: u64,
    /// Output directory (created if missing; existing files are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// Override a key at every point (the base point), as `furnace run
    /// --set`. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Worker threads (default: RAYON_NUM_THREADS, else one per core).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Print tornado.json (the bars, base value, unit and stat) instead of
    /// the table.
    #[arg(long)]
    pub json: bool,
}

/// What is measured at each point.
enum Measure {
    /// Series name, its unit, and the quantile's index (None: the mean).
    Final(String, Unit, Option<usize>),
    Detector(usize),
}

/// One point's outcome: exact (signed base units) for a series, a share
/// for a detector.
#[derive(Clone, Copy)]
enum Figure {
    Exact(Option<i128>),
    Share(f64),
}

impl Measure {
    fn parse(outcome: &str, stat: &str, series: &[SeriesInfo]) -> Result<Measure, Failure> {
        if let Some(d) = outcome.strip_prefix("detector_") {
            return DETECTORS
                .iter()
                .position(|x| x.name() == d)
                .map(Measure::Detector)
                .ok_or_else(|| Failure::Usage(format!("--outcome: no detector `{d}`")));
        }
        let Some(name) = outcome.strip_prefix("final_") else {
            return Err(Failure::Usage(format!(
                "--outcome {outcome}: expected final_<series> or detector_<name>"
            )));
        };
        let j = series.iter().position(|s| s.name == name).ok_or_else(|| {
            Failure::Usage(format!(
                "--outcome: the scenario has no series `{name}` (see the final_ columns of runs.csv)"
            ))
        })?;
        let q = match stat {
            "mean" => None,
            s => Some(
                QUANTILES
                    .iter()
                    .position(|p| format!("p{p}") == s)
                    .ok_or_else(|| {
                        Failure::Usage(format!(
                            "--stat {s}: expected p5, p25, p50, p75, p95 or mean"
                        ))
                    })?,
            ),
        };
        Ok(Measure::Final(name.into(), series[j].unit.clone(), q))
    }

    fn of(&self, r: &McResult) -> Figure {
        match self {
            Measure::Final(name, _, q) => {
                let v = r.series_index(name).and_then(|j| {
                    let b = r.band(r.steps().saturating_sub(1), j);
                    match q {
                        Some(q) => b.quantiles[*q],
                        None => b.mean,
                    }
                });
                Figure::Exact(v.map(|(neg, m)| {
                    let m = i128::try_from(m).unwrap_or(i128::MAX);
                    if neg {
                        -m
                    } else {
                        m
                    }
                }))
            }
            Measure::Detector(d) => {
                #[allow(clippy::cast_precision_loss)]
                let share = r.detectors().fired(DETECTORS[*d]) as f64 / r.runs.max(1) as f64;
                Figure::Share(share)
            }
        }
    }

    fn unit(&self) -> String {
        match self {
            Measure::Final(_, unit, _) => unit.name(),
            Measure::Detector(_) => "share of runs".into(),
        }
    }

    fn text(&self, f: Figure) -> String {
        match (self, f) {
            (Measure::Final(_, unit, _), Figure::Exact(Some(v))) => Raw::Signed(Change {
                negative: v < 0,
                magnitude: v.unsigned_abs(),
            })
            .format(unit, AmountFormat::WholeUnits),
            (_, Figure::Exact(None)) => String::new(),
            (_, Figure::Share(s)) => format!("{s}"),
            (Measure::Detector(_), Figure::Exact(Some(v))) => v.to_string(),
        }
    }

    fn float(&self, f: Figure) -> f64 {
        match (self, f) {
            (Measure::Final(_, unit, _), Figure::Exact(Some(v))) => {
                to_f64((v < 0, v.unsigned_abs()), unit)
            }
            (_, Figure::Share(s)) => s,
            _ => f64::NAN,
        }
    }
}

/// `|high - low|`, exact for series (saturating), for sorting and showing.
fn swing(low: Figure, high: Figure) -> Figure {
    match (low, high) {
        (Figure::Exact(Some(a)), Figure::Exact(Some(b))) => {
            Figure::Exact(Some(b.saturating_sub(a).saturating_abs()))
        }
        (Figure::Share(a), Figure::Share(b)) => Figure::Share((b - a).abs()),
        _ => Figure::Exact(None),
    }
}

fn order_key(f: Figure) -> f64 {
    match f {
        #[allow(clippy::cast_precision_loss)]
        Figure::Exact(Some(v)) => v as f64,
        Figure::Share(s) => s,
        Figure::Exact(None) => -1.0,
    }
}

pub fn run(args: &SensitivityArgs) -> Result<(), Failure> {
    let sets = parse_overrides(&args.set)?;
    let mut varied: Vec<(String, String, String)> = Vec::new();
    for v in &args.vary {
        let (key, values) = parse_list("--vary", v)?;
        let [low, high] = <[String; 2]>::try_from(values).map_err(|v| {
            Failure::Usage(format!(
                "--vary {key}: expected two values, low,high; found {}",
                v.len()
            ))
        })?;
        if varied.iter().any(|(k, _, _)| *k == key) {
            return Err(Failure::Usage(format!("--vary {key}: varied twice")));
        }
        varied.push((key, low, high));
    }
    let mut values: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for (k, low, high) in &varied {
        values.push(vec![(k.clone(), low.clone())]);
        values.push(vec![(k.clone(), high.clone())]);
    }
    let (points, series) = load_points(&args.scenario, &sets, values)?;
    let measure = Measure::parse(&args.outcome, &args.stat, &series)?;
    let opts = McOptions {
        first_run: 0,
        runs: args.runs,
        threads: args.threads,
    };
    let results: Vec<McResult> = points
        .iter()
        .map(|p: &Point| run_point(&args.scenario, p, &opts, &mut NoRuns))
        .collect::<Result<_, _>>()?;
    let base = &results[0];
    let base_value = measure.of(base);
    // Bars in --vary order, then sorted by swing, widest first (stable:
    // ties keep the command line's order).
    let mut bars: Vec<(usize, Figure, Figure, Figure)> = varied
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let low = measure.of(&results[1 + 2 * i]);
            let high = measure.of(&results[2 + 2 * i]);
            (i, low, high, swing(low, high))
        })
        .collect();
    bars.sort_by(|a, b| order_key(b.3).total_cmp(&order_key(a.3)));

    let dir = &args.out;
    let io = |p: &Path, e: &dyn std::fmt::Display| {
        Failure::Io(format!("cannot write {}: {e}", shown(p)))
    };
    fs::create_dir_all(dir).map_err(|e| io(dir, &e))?;
    let mut csv = String::from("parameter,low,high,outcome_at_low,outcome_at_high,swing,base\n");
    let mut json_bars = Vec::new();
    for (i, low, high, sw) in &bars {
        let (k, lo, hi) = &varied[*i];
        let row = [
            k.clone(),
            lo.clone(),
            hi.clone(),
            measure.text(*low),
            measure.text(*high),
            measure.text(*sw),
            measure.text(base_value),
        ];
        let row: Vec<String> = row.iter().map(|c| crate::sweep::csv_field(c)).collect();
        csv.push_str(&row.join(","));
        csv.push('\n');
        json_bars.push(json!({
            "parameter": k,
            "low": lo,
            "high": hi,
            "outcome_at_low": measure.text(*low),
            "outcome_at_high": measure.text(*high),
            "swing": measure.text(*sw),
        }));
    }
    let csv_path = dir.join("tornado.csv");
    fs::write(&csv_path, &csv).map_err(|e| io(&csv_path, &e))?;
    let doc = json!({
        "schema": "furnace-tornado",
        "format_version": 1,
        "scenario": points[0].scenario.name,
        "outcome": args.outcome,
        "stat": match measure { Measure::Final(..) => args.stat.as_str(), Measure::Detector(_) => "share" },
        "unit": measure.unit(),
        "runs": args.runs.to_string(),
        "base": measure.text(base_value),
        "bars": json_bars,
    });
    let json_path = dir.join("tornado.json");
    let json_text = serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n";
    fs::write(&json_path, &json_text).map_err(|e| io(&json_path, &e))?;

    let scenario = &points[0].scenario;
    let mut parameters = crate::report::parameters(&args.scenario, scenario, args.runs, 0, &sets);
    parameters.extend(args.vary.iter().map(|v| ("--vary".to_string(), v.clone())));
    let title = format!(
        "{}: sensitivity of {} ({}), {} runs a point",
        scenario.name, args.outcome, args.stat, args.runs
    );
    let mut report = mc_report(base, scenario, title, parameters);
    report.sensitivity = Some(Tornado {
        outcome: format!("{} ({})", args.outcome, args.stat),
        unit: measure.unit(),
        base_value: measure.float(base_value),
        bars: bars
            .iter()
            .map(|(i, low, high, _)| TornadoBar {
                parameter: varied[*i].0.clone(),
                low_value: varied[*i].1.clone(),
                high_value: varied[*i].2.clone(),
                outcome_at_low: measure.float(*low),
                outcome_at_high: measure.float(*high),
            })
            .collect(),
    });
    crate::report::write_page(
        &report,
        dir,
        &[
            (
                "tornado.csv",
                "per varied key: the outcome at low and high, the swing; widest first",
            ),
            (
                "tornado.json",
                "tornado.csv with the base value, unit and stat",
            ),
        ],
    )?;
    if args.json {
        return emit(&json_text);
    }
    let mut out = format!(
        "{}: {} ({}) at the base point: {} {}\n",
        scenario.name,
        args.outcome,
        args.stat,
        measure.text(base_value),
        measure.unit()
    );
    for (i, low, high, sw) in &bars {
        let (k, lo, hi) = &varied[*i];
        out.push_str(&format!(
            "  {k:<32} {lo:>12} .. {hi:<12} {:>24} .. {:<24} swing {}\n",
            measure.text(*low),
            measure.text(*high),
            measure.text(*sw)
        ));
    }
    out.push_str(&format!(
        "  wrote {}, {} and {}\n",
        shown(&csv_path),
        shown(&json_path),
        shown(&dir.join("report.html"))
    ));
    emit(&out)
}
