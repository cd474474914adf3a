//! What a sweep shows besides its CSVs: `report.html` (the sweep table:
//! each point's p50s and the detectors any point turns on), `sweep.json`
//! (every point's parameters and outcomes, what `furnace sweep --json`
//! prints) and the terminal table.

use crate::sweep::{Outcome, Point, SweepArgs, SWEEP_FILES};
use crate::Failure;
use furnace_report::{Measure, Report, SweepRow, SweepTable};
use furnace_sim::mc::{McResult, SeriesInfo};
use serde_json::{json, Map, Value};

/// `DIR/report.html` and its charts directory for a sweep.
pub fn write_page(
    args: &SweepArgs,
    keys: &[String],
    points: &[Point],
    results: &[McResult],
    outcomes: &[Outcome],
    series: &[SeriesInfo],
    sets: &[(String, String)],
) -> Result<(), Failure> {
    let dir = &args.out;
    // report.html: the sweep table (p50s and the detectors any point turns on).
    let shown_outcomes: Vec<usize> = outcomes
        .iter()
        .enumerate()
        .filter(|(_, o)| match o {
            Outcome::Final(_, q) => *q == 2,
            Outcome::Detector(d) => results
                .iter()
                .any(|r| r.detector_info.get(*d).is_some_and(|(_, on, _)| *on)),
        })
        .map(|(i, _)| i)
        .collect();
    let measures = shown_outcomes
        .iter()
        .map(|&i| Measure {
            name: outcomes[i].name(),
            unit: match &outcomes[i] {
                Outcome::Final(s, _) => series
                    .iter()
                    .find(|x| &x.name == s)
                    .map_or(String::new(), |x| x.unit.name()),
                Outcome::Detector(_) => "share of runs".into(),
            },
        })
        .collect();
    let rows = points
        .iter()
        .zip(results)
        .map(|(p, r)| SweepRow {
            values: p.values.iter().map(|(_, v)| v.clone()).collect(),
            outcomes: shown_outcomes
                .iter()
                .map(|&i| outcomes[i].value(r).1)
                .collect(),
        })
        .collect();
    let base = &points[0].scenario;
    let mut parameters = crate::report::parameters(&args.scenario, base, args.runs, 0, sets);
    parameters.extend(args.grid.iter().map(|g| ("--grid".to_string(), g.clone())));
    parameters.extend(args.zip.iter().map(|z| ("--zip".to_string(), z.clone())));
    let report = Report {
        title: format!(
            "{}: sweep of {} points x {} runs",
            base.name,
            points.len(),
            args.runs
        ),
        scenario_name: base.name.clone(),
        parameters,
        summary: Vec::new(),
        warnings: Vec::new(),
        runs: usize::try_from(args.runs).unwrap_or(usize::MAX),
        steps: base.days as usize,
        step_unit: "day".into(),
        series: Vec::new(),
        detectors: Vec::new(),
        sweep: Some(SweepTable {
            parameter_names: keys.to_vec(),
            outcomes: measures,
            rows,
        }),
        sensitivity: None,
    };
    crate::report::write_page(&report, dir, &SWEEP_FILES)?;
    Ok(())
}

/// `sweep.json`: the sweep's facts and, per point, its parameters (as
/// given) and outcomes (exact decimals as strings, detector shares as
/// numbers, null where no run had a value), in `sweep.csv`'s order.
pub fn json(
    args: &SweepArgs,
    keys: &[String],
    points: &[Point],
    cells: &[Vec<(String, Value)>],
) -> String {
    let base = &points[0].scenario;
    let rows: Vec<Value> = points
        .iter()
        .zip(cells)
        .map(|(p, c)| {
            let parameters: Map<String, Value> = p
                .values
                .iter()
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                .collect();
            let outcomes: Map<String, Value> = c.iter().cloned().collect();
            json!({ "parameters": parameters, "days": p.scenario.days, "outcomes": outcomes })
        })
        .collect();
    let doc = json!({
        "schema": "furnace-sweep",
        "format_version": 1,
        "scenario": base.name,
        "runs": args.runs.to_string(),
        "keys": keys,
        "points": rows,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// A CSV's first columns aligned for the terminal: the parameters, runs
/// and the p50 of each headline series.
pub fn text_table(csv: &str) -> String {
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let Some(head) = rows.first() else {
        return String::new();
    };
    let keep: Vec<usize> = head
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            !h.starts_with("final_") && !h.starts_with("detector_") || h.ends_with("_p50")
        })
        .map(|(i, _)| i)
        .collect();
    let widths: Vec<usize> = keep
        .iter()
        .map(|&i| {
            rows.iter()
                .map(|r| r.get(i).map_or(0, |c| c.len()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in &rows {
        out.push(' ');
        for (&i, w) in keep.iter().zip(&widths) {
            out.push_str(&format!(" {:>w$}", r.get(i).copied().unwrap_or("")));
        }
        out.push('\n');
    }
    out
}
