//! The series a Monte Carlo run folds across runs: every numeric fixed
//! column of `timeseries.csv` (the same table, so the same names, units
//! and meanings), the `leg_<name>` family, then every generic ledger
//! column. Left out: `step`, `regime` (a word; `net_supply_change` carries
//! it) and `break_even_emissions_trailing` (a trailing window over the
//! reporting period, a per-run report figure).

use crate::ledger::{Ledger, Unit, MISSING};
use crate::report::{unit_of, Fixed, Kind, Raw, RowView, FIXED_HEAD, FIXED_TAIL, LAUNCH_COLUMNS};
use crate::sim::{RunInfo, StepRow};

/// A value of a series: sign and magnitude (only `net_supply_change` is
/// ever negative), or nothing (a price without an oracle).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Value {
    pub negative: bool,
    pub magnitude: u128,
}

impl Value {
    pub fn of(magnitude: u128) -> Value {
        Value {
            negative: false,
            magnitude,
        }
    }

    pub(crate) fn pair(self) -> (bool, u128) {
        (self.negative, self.magnitude)
    }
}

/// Fixed columns a Monte Carlo run does not fold (see the module docs).
const NOT_FOLDED: [&str; 3] = ["step", "regime", "break_even_emissions_trailing"];

#[derive(Copy, Clone)]
enum Source {
    Fixed(&'static Fixed),
    Leg(usize),
    Ledger(usize),
}

/// One series: its name (the `timeseries.csv` column's), unit and meaning.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesInfo {
    pub name: String,
    pub unit: Unit,
    pub meaning: String,
}

/// The series of a scenario and where each reads its value.
pub(crate) struct SeriesTable {
    pub(crate) info: Vec<SeriesInfo>,
    sources: Vec<Source>,
}

impl SeriesTable {
    pub(crate) fn new(run: &RunInfo, ledger: &Ledger) -> SeriesTable {
        let mut info = Vec::new();
        let mut sources = Vec::new();
        let fixed = |f: &'static Fixed, info: &mut Vec<SeriesInfo>, sources: &mut Vec<Source>| {
            if f.kind == Kind::Regime || NOT_FOLDED.contains(&f.name) {
                return;
            }
            info.push(SeriesInfo {
                name: f.name.to_string(),
                unit: unit_of(run, f.kind),
                meaning: f.meaning.to_string(),
            });
            sources.push(Source::Fixed(f));
        };
        for f in FIXED_HEAD {
            fixed(f, &mut info, &mut sources);
        }
        for (i, name) in run.leg_names.iter().enumerate() {
            info.push(SeriesInfo {
                name: format!("leg_{name}"),
                unit: unit_of(run, Kind::Token),
                meaning: format!("leg `{name}` of the version's split: floor(consumed x share)"),
            });
            sources.push(Source::Leg(i));
        }
        for f in FIXED_TAIL {
            fixed(f, &mut info, &mut sources);
        }
        if run.launch_quote.is_some() {
            for f in LAUNCH_COLUMNS {
                fixed(f, &mut info, &mut sources);
            }
        }
        for c in 0..ledger.names.len() {
            info.push(SeriesInfo {
                name: ledger.names[c].clone(),
                unit: ledger.units[c].clone(),
                meaning: ledger.meanings[c].clone(),
            });
            sources.push(Source::Ledger(c));
        }
        SeriesTable { info, sources }
    }

    pub(crate) fn len(&self) -> usize {
        self.sources.len()
    }

    /// Each series' value after `row`, into `out` (one per series): the
    /// row's columns (`prev_supply`: the supply before the step) and the
    /// ledger's row `ledger_row`.
    pub(crate) fn read(
        &self,
        row: &StepRow,
        prev_supply: u128,
        ledger_row: &[u128],
        out: &mut [Option<Value>],
    ) {
        let view = RowView {
            row,
            prev_supply,
            break_even: 0,
        };
        for (slot, source) in out.iter_mut().zip(&self.sources) {
            *slot = match *source {
                Source::Fixed(f) => match (f.read)(&view) {
                    Raw::Value(v) => Some(Value::of(v)),
                    Raw::Signed(c) => Some(Value {
                        negative: c.negative && c.magnitude > 0,
                        magnitude: c.magnitude,
                    }),
                    Raw::Total(t) => t.to_u128().map(Value::of),
                    Raw::Word(_) | Raw::Missing => None,
                },
                Source::Leg(i) => Some(Value::of(row.legs[i])),
                Source::Ledger(c) => match ledger_row[c] {
                    MISSING => None,
                    v => Some(Value::of(v)),
                },
            };
        }
    }
}
