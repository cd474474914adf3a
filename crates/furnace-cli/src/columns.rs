//! `furnace columns SCENARIO [--set key=value ...] [--json]`: every column
//! of the scenario's `timeseries.csv` and `periods.csv` and every key of its
//! `summary.json`, with unit, base unit and meaning. The names come from
//! the same tables that write the files (`furnace_sim::dictionary`), after
//! setup only: nothing is simulated.
use crate::{emit, parse_overrides, Failure};
use clap::Args;
use furnace_sim::{dictionary, Entry};
use serde_json::{json, Value};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct ColumnsArgs {
    /// Scenario file (scenarios/*.toml).
    pub scenario: PathBuf,
    /// Override a scenario key, as `furnace run --set` does (an `economy.`
    /// key can add accounts, and so columns). Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// One JSON object per column, one per line, instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &ColumnsArgs) -> Result<(), Failure> {
    let overrides = parse_overrides(&args.set)?;
    let scenario = furnace_config::load_scenario(&args.scenario, &overrides)?;
    let d = dictionary(&scenario).map_err(|e| crate::run::sim_failure(&args.scenario, &e))?;
    let files = [
        (
            "timeseries.csv",
            "one row per step; ledger columns zero at every step of a run are left out",
            &d.timeseries,
        ),
        ("periods.csv", "one row per reporting period", &d.periods),
        (
            "summary.json",
            "keys as dotted paths, as pandas.json_normalize names them; <...> stands for a name",
            &d.summary,
        ),
    ];
    let mut out = String::new();
    if args.json {
        for (file, _, entries) in files {
            for e in entries.iter() {
                out.push_str(&to_json(file, e).to_string());
                out.push('\n');
            }
        }
    } else {
        out.push_str(&format!(
            "{}: the output files of `furnace run` (docs/outputs.md). Amounts are exact decimals of whole units; with --base-units the CSVs write integers of the base unit.\n",
            scenario.name
        ));
        for (file, about, entries) in files {
            out.push_str(&format!("\n{file} ({about})\n"));
            out.push_str(&table(entries));
        }
    }
    emit(&out)?;
    Ok(())
}

fn to_json(file: &str, e: &Entry) -> Value {
    json!({
        "file": file,
        "name": e.name,
        "family": e.family,
        "unit": e.unit.name(),
        "base_unit": e.unit.base_unit(),
        "decimals": e.unit.decimals(),
        "meaning": e.meaning,
    })
}

/// Name, unit and base unit aligned, then the meaning.
fn table(entries: &[Entry]) -> String {
    let cells: Vec<[String; 4]> = entries
        .iter()
        .map(|e| {
            [
                e.name.clone(),
                e.unit.name(),
                e.unit.base_unit(),
                e.meaning.clone(),
            ]
        })
        .collect();
    let header = ["name", "unit", "base unit", "meaning"].map(String::from);
    let rows: Vec<&[String; 4]> = std::iter::once(&header).chain(&cells).collect();
    let width = |k: usize| rows.iter().map(|r| r[k].len()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    rows.iter()
        .map(|r| format!("  {:w0$}  {:w1$}  {:w2$}  {}\n", r[0], r[1], r[2], r[3]))
        .collect()
}
