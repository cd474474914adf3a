//! Column tables for the data files (Parquet and CSV): the per-step bands
//! in long format, the per-run finals the runner builds, and a sweep's
//! outcomes. Floats keep every bit: CSV writes Rust's shortest
//! round-tripping form, Parquet the IEEE 754 doubles.

use std::fmt;
use std::io::{self, Write};

use crate::model::{Report, SweepTable, QUANTILES};

/// A table: named columns of equal length.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub columns: Vec<(String, ColumnData)>,
}

/// One column's values. In Parquet: `DOUBLE`, `INT64`, `INT64` annotated
/// unsigned (seeds are `u64`; pandas and polars read `uint64`), and
/// `BYTE_ARRAY` annotated UTF-8; every column required (no nulls: NaN is a
/// float's "no value").
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnData {
    F64(Vec<f64>),
    I64(Vec<i64>),
    U64(Vec<u64>),
    Str(Vec<String>),
}

impl ColumnData {
    pub fn len(&self) -> usize {
        match self {
            ColumnData::F64(v) => v.len(),
            ColumnData::I64(v) => v.len(),
            ColumnData::U64(v) => v.len(),
            ColumnData::Str(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Why a [`Table`] cannot be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableError(pub String);

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid table: {}", self.0)
    }
}

impl std::error::Error for TableError {}

impl Table {
    /// Rows: the length every column shares (0 without columns).
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }

    /// At least one column, names non-empty and unique, columns equally long.
    pub fn validate(&self) -> Result<(), TableError> {
        if self.columns.is_empty() {
            return Err(TableError("no columns".into()));
        }
        let rows = self.rows();
        for (i, (name, data)) in self.columns.iter().enumerate() {
            if name.is_empty() {
                return Err(TableError(format!("column {i} has no name")));
            }
            if self.columns[..i].iter().any(|(n, _)| n == name) {
                return Err(TableError(format!("column `{name}` appears twice")));
            }
            if data.len() != rows {
                return Err(TableError(format!(
                    "column `{name}` has {} rows, `{}` has {rows}",
                    data.len(),
                    self.columns[0].0
                )));
            }
        }
        Ok(())
    }
}

/// The report's series in long format, one row per step and series:
/// `step` (1-based), `series`, `unit`, `p5`, `p25`, `p50`, `p75`, `p95`.
/// A [`crate::SeriesValues::Line`]'s value fills all five quantiles.
pub fn bands_table(report: &Report) -> Table {
    let n: usize = report.series.iter().map(|s| s.values.len()).sum();
    let mut step = Vec::with_capacity(n);
    let mut name = Vec::with_capacity(n);
    let mut unit = Vec::with_capacity(n);
    let mut q: [Vec<f64>; 5] = std::array::from_fn(|_| Vec::with_capacity(n));
    for s in &report.series {
        for i in 0..s.values.len() {
            let Some(band) = s.values.band(i) else {
                continue;
            };
            step.push(i64::try_from(i).map_or(i64::MAX, |i| i + 1));
            name.push(s.name.clone());
            unit.push(s.unit.clone());
            for (col, v) in q.iter_mut().zip(band) {
                col.push(v);
            }
        }
    }
    let mut columns = vec![
        ("step".to_string(), ColumnData::I64(step)),
        ("series".to_string(), ColumnData::Str(name)),
        ("unit".to_string(), ColumnData::Str(unit)),
    ];
    for (label, col) in QUANTILES.iter().zip(q) {
        columns.push((label.to_string(), ColumnData::F64(col)));
    }
    Table { columns }
}

/// A sweep, one row per point: a text column per parameter, then a float
/// column per outcome named `<outcome> [<unit>]` (NaN: no value).
pub fn sweep_table(sweep: &SweepTable) -> Table {
    let mut columns: Vec<(String, ColumnData)> = Vec::new();
    for (k, p) in sweep.parameter_names.iter().enumerate() {
        let vals = sweep
            .rows
            .iter()
            .map(|r| r.values.get(k).cloned().unwrap_or_default())
            .collect();
        columns.push((p.clone(), ColumnData::Str(vals)));
    }
    for (k, m) in sweep.outcomes.iter().enumerate() {
        let vals = sweep
            .rows
            .iter()
            .map(|r| r.outcomes.get(k).copied().unwrap_or(f64::NAN))
            .collect();
        columns.push((format!("{} [{}]", m.name, m.unit), ColumnData::F64(vals)));
    }
    Table { columns }
}

/// A CSV field: quoted when it holds a comma, a quote, CR or LF, quotes
/// doubled (RFC 4180).
fn csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// Writes `table` as CSV: a header, then one line per row, `\n` endings.
/// Floats in Rust's shortest form that reads back to the same bits
/// (`0.1`, `1e-7`, `NaN`, `inf`; pandas reads all four).
pub fn write_csv<W: Write>(table: &Table, mut w: W) -> io::Result<()> {
    table
        .validate()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let mut line = String::new();
    for (i, (name, _)) in table.columns.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        csv_field(&mut line, name);
    }
    line.push('\n');
    w.write_all(line.as_bytes())?;
    for r in 0..table.rows() {
        line.clear();
        for (i, (_, data)) in table.columns.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            match data {
                ColumnData::F64(v) => line.push_str(&format!("{:?}", v[r])),
                ColumnData::I64(v) => line.push_str(&v[r].to_string()),
                ColumnData::U64(v) => line.push_str(&v[r].to_string()),
                ColumnData::Str(v) => csv_field(&mut line, &v[r]),
            }
        }
        line.push('\n');
        w.write_all(line.as_bytes())?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Series, SeriesValues};

    fn tiny() -> Table {
        Table {
            columns: vec![
                ("run".into(), ColumnData::I64(vec![0, 1, -2])),
                ("seed".into(), ColumnData::U64(vec![42, u64::MAX, 7])),
                (
                    "final_supply".into(),
                    ColumnData::F64(vec![0.1, 403_636_709.4, f64::NAN]),
                ),
                (
                    "note, \"quoted\"".into(),
                    ColumnData::Str(vec!["a,b".into(), "say \"hi\"".into(), "two\nlines".into()]),
                ),
            ],
        }
    }

    #[test]
    fn csv_is_exact_and_quoted() {
        let mut out = Vec::new();
        write_csv(&tiny(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "run,seed,final_supply,\"note, \"\"quoted\"\"\"\n\
             0,42,0.1,\"a,b\"\n\
             1,18446744073709551615,403636709.4,\"say \"\"hi\"\"\"\n\
             -2,7,NaN,\"two\nlines\"\n"
        );
    }

    #[test]
    fn floats_round_trip_through_csv_text() {
        for v in [0.1, 1e-7, 1e21, 403_636_709.4, 0.1 + 0.2, f64::MIN_POSITIVE] {
            let s = format!("{v:?}");
            assert_eq!(s.parse::<f64>().unwrap().to_bits(), v.to_bits(), "{s}");
        }
    }

    #[test]
    fn ragged_or_duplicate_columns_are_refused() {
        let mut t = tiny();
        t.columns[2].1 = ColumnData::F64(vec![1.0]);
        assert_eq!(
            t.validate().unwrap_err().0,
            "column `final_supply` has 1 rows, `run` has 3"
        );
        let mut t = tiny();
        t.columns[1].0 = "run".into();
        assert!(t.validate().unwrap_err().0.contains("twice"));
        assert!(Table { columns: vec![] }.validate().is_err());
    }

    #[test]
    fn bands_in_long_format() {
        let mut r = crate::sample::sample_report();
        r.steps = 2;
        r.series = vec![
            Series {
                name: "supply".into(),
                unit: "LAM".into(),
                chart: None,
                values: SeriesValues::Bands(vec![
                    [1.0, 2.0, 3.0, 4.0, 5.0],
                    [2.0, 3.0, 4.0, 5.0, 6.0],
                ]),
            },
            Series {
                name: "emitted".into(),
                unit: "LAM per day".into(),
                chart: None,
                values: SeriesValues::Line(vec![7.0, 8.0]),
            },
        ];
        let mut out = Vec::new();
        write_csv(&bands_table(&r), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "step,series,unit,p5,p25,p50,p75,p95\n\
             1,supply,LAM,1.0,2.0,3.0,4.0,5.0\n\
             2,supply,LAM,2.0,3.0,4.0,5.0,6.0\n\
             1,emitted,LAM per day,7.0,7.0,7.0,7.0,7.0\n\
             2,emitted,LAM per day,8.0,8.0,8.0,8.0,8.0\n"
        );
    }

    #[test]
    fn sweep_columns() {
        let r = crate::sample::sample_report();
        let t = sweep_table(r.sweep.as_ref().unwrap());
        let names: Vec<&str> = t.columns.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "demand.sigma",
                "burn share",
                "final supply (p50) [LAM]",
                "supply halves [share of runs]"
            ]
        );
        assert_eq!(t.rows(), 4);
        assert_eq!(
            t.columns[2].1,
            ColumnData::F64(vec![4.1e8, 2.9e8, 4.04e8, 2.87e8])
        );
    }
}
