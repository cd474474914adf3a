//! The CSV writers: `timeseries.csv` (one row per step, the columns of
//! the tables in `columns.rs`) and `periods.csv` (one row per reporting
//! period), in whole units or base units ([`AmountFormat`]).

use super::columns::Read;
use super::{AmountFormat, Entry, Period, Raw, PERIOD_COLUMNS};
use crate::ledger::Unit;
use crate::sim::SimResult;
use std::io::{self, Write};

impl SimResult {
    /// The CSV header (the columns this run writes).
    pub fn csv_header(&self) -> String {
        header(&self.written_columns())
    }

    fn write_columns<W: Write>(
        &self,
        mut w: W,
        columns: &[(Entry, Read)],
        format: AmountFormat,
    ) -> io::Result<()> {
        writeln!(w, "{}", header(columns))?;
        for (step, view) in self.views().iter().enumerate() {
            for (i, (entry, read)) in columns.iter().enumerate() {
                let raw = match read {
                    Read::Row(f) => f(view),
                    Read::Leg(k) => Raw::Value(view.row.legs[*k]),
                    Read::Ledger(c) => Raw::Value(self.ledger.value(step, *c)),
                };
                if i > 0 {
                    w.write_all(b",")?;
                }
                w.write_all(raw.format(&entry.unit, format).as_bytes())?;
            }
            writeln!(w)?;
        }
        Ok(())
    }

    /// Write `timeseries.csv` in whole units.
    pub fn write_csv<W: Write>(&self, w: W) -> io::Result<()> {
        self.write_csv_as(w, AmountFormat::WholeUnits)
    }

    /// Write `timeseries.csv`: the header, then one row per step. Ledger
    /// columns that are zero at every step are left out.
    pub fn write_csv_as<W: Write>(&self, w: W, format: AmountFormat) -> io::Result<()> {
        self.write_columns(w, &self.written_columns(), format)
    }

    /// Every column, the all-zero ledger columns included (the audit reads
    /// a series by name whatever its values).
    pub fn csv_string_full(&self) -> String {
        let mut out = Vec::new();
        self.write_columns(&mut out, &self.all_columns(), AmountFormat::WholeUnits)
            .expect("writing to memory");
        String::from_utf8(out).expect("CSV is ASCII")
    }

    /// The CSV as a string.
    pub fn csv_string(&self) -> String {
        let mut out = Vec::with_capacity(self.rows.len() * 400 + 1024);
        self.write_csv(&mut out).expect("writing to memory");
        String::from_utf8(out).expect("CSV is ASCII")
    }

    /// Write `periods.csv`: one row per reporting period.
    pub fn write_periods_csv<W: Write>(&self, mut w: W, format: AmountFormat) -> io::Result<()> {
        let names: Vec<&str> = PERIOD_COLUMNS.iter().map(|k| k.pattern).collect();
        writeln!(w, "{}", names.join(","))?;
        let units: Vec<Unit> = PERIOD_COLUMNS.iter().map(|k| self.unit(k.kind)).collect();
        for p in self.periods() {
            let cells: Vec<String> = p
                .raw()
                .iter()
                .zip(&units)
                .map(|(raw, unit)| raw.format(unit, format))
                .collect();
            writeln!(w, "{}", cells.join(","))?;
        }
        Ok(())
    }

    /// `periods.csv` as a string, in whole units.
    pub fn periods_csv_string(&self) -> String {
        let mut out = Vec::new();
        self.write_periods_csv(&mut out, AmountFormat::WholeUnits)
            .expect("writing to memory");
        String::from_utf8(out).expect("CSV is ASCII")
    }
}

fn header(columns: &[(Entry, Read)]) -> String {
    let names: Vec<&str> = columns.iter().map(|(e, _)| e.name.as_str()).collect();
    names.join(",")
}

impl Period {
    /// The cells in [`PERIOD_COLUMNS`] order.
    fn raw(&self) -> [Raw; 8] {
        let v = Raw::Total;
        [
            Raw::Value(u128::from(self.period)),
            Raw::Value(u128::from(self.first_step)),
            Raw::Value(u128::from(self.last_step)),
            v(self.burned),
            v(self.emitted),
            Raw::Signed(self.net_supply_change),
            Raw::Word(self.net_supply_change.regime().name()),
            v(self.unfunded_actions),
        ]
    }
}
