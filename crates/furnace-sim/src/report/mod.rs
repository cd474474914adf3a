//! Reports of a run: `timeseries.csv`, `periods.csv`, `summary.json`, a
//! short text summary, and the dictionary of every column and key
//! (`furnace columns`, `docs/outputs.md`).
//!
//! One table per file says each column's name, unit and meaning, and the
//! same table writes the header and the values ([`SimResult::columns`],
//! [`PERIOD_COLUMNS`], [`SUMMARY_KEYS`]), so the dictionary cannot drift
//! from the files.
//!
//! Amounts are exact: whole units as decimal strings (or, with
//! [`AmountFormat::BaseUnits`], integers of the base unit). Totals over
//! steps are summed in 256 bits ([`Total`]): no count or amount can wrap.
//!
//! By concern:
//!
//! - `columns.rs`: the tables (the fixed columns of `timeseries.csv`,
//!   `periods.csv`'s columns, `summary.json`'s keys) and the dictionary
//!   built from them;
//! - `figures.rs`: what the report derives from the rows (each row's
//!   supply before it and trailing break-even, reporting periods, totals,
//!   half-lives, regime counts);
//! - `csv.rs`: the `timeseries.csv` and `periods.csv` writers;
//! - `cell.rs`: one cell's value ([`Raw`], a signed [`Change`]) and how
//!   amounts are written ([`AmountFormat`]);
//! - `summary.rs`: [`Summary`], `summary.json`;
//! - `warnings.rs`: the run's warnings (in `summary.json` and the text);
//! - `text.rs`: the text summary and the human number format ([`human`]);
//! - `launches.rs`: `launches.csv`, one row per launch the `[[launches]]`
//!   drivers created;
//! - `total.rs`: the 256-bit [`Total`].
//!
//! [`SimResult::columns`]: crate::SimResult::columns

mod cell;
mod columns;
mod csv;
mod figures;
mod launches;
mod summary;
mod text;
mod total;
mod warnings;

pub use cell::{AmountFormat, Change, Raw};
pub use columns::{
    dictionary, unit_of, Dictionary, Entry, Fixed, KeyDoc, Kind, FIXED_HEAD, FIXED_TAIL,
    LAUNCH_COLUMNS, LEG_PATTERN, PERIOD_COLUMNS, SUMMARY_KEYS,
};
pub use figures::{Period, RowView};
pub use launches::LAUNCHES_CSV_COLUMNS;
pub use summary::{
    ActionCounts, AssetSummary, BreakEven, PeriodSummary, Summary, SUMMARY_FORMAT_VERSION,
    SUMMARY_SCHEMA,
};
pub use text::{human, human_total};
pub use total::Total;
