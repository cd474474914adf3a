//! Parquet files read back through the parquet crate's own reader with the
//! same values, bit for bit.

use std::fs::File;
use std::path::PathBuf;

use furnace_report::parquet_io::{read_parquet, write_parquet};
use furnace_report::sample::sample_report;
use furnace_report::table::{bands_table, ColumnData, Table};

fn tmp(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("furnace-report-parquet");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn bits(t: &Table) -> Vec<(String, Vec<u64>)> {
    t.columns
        .iter()
        .filter_map(|(n, c)| match c {
            ColumnData::F64(v) => Some((n.clone(), v.iter().map(|x| x.to_bits()).collect())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_finals_table_round_trips_exactly() {
    let finals = Table {
        columns: vec![
            (
                "run".into(),
                ColumnData::I64(vec![0, 1, 2, i64::MIN, i64::MAX]),
            ),
            (
                "seed".into(),
                ColumnData::U64(vec![42, 43, 1 << 63, u64::MAX, 0]),
            ),
            (
                "final_supply".into(),
                ColumnData::F64(vec![
                    403_636_709.4,
                    0.1 + 0.2,
                    -0.0,
                    f64::NAN,
                    f64::INFINITY,
                ]),
            ),
            (
                "scenario".into(),
                ColumnData::Str(vec![
                    "lam".into(),
                    "".into(),
                    "é ünïcode ✓".into(),
                    "a,\"b\"".into(),
                    "<script>".into(),
                ]),
            ),
        ],
    };
    let path = tmp("finals.parquet");
    write_parquet(&finals, File::create(&path).unwrap()).unwrap();
    let back = read_parquet(&path).unwrap();
    // NaN != NaN, so floats compare by bits and the rest by value.
    assert_eq!(bits(&back), bits(&finals));
    assert_eq!(back.columns[0], finals.columns[0]);
    assert_eq!(back.columns[1], finals.columns[1]);
    assert_eq!(back.columns[3], finals.columns[3]);
    assert_eq!(back.rows(), 5);
}

#[test]
fn the_sample_bands_round_trip_exactly() {
    let table = bands_table(&sample_report());
    assert_eq!(table.rows(), 7 * 365);
    let path = tmp("bands.parquet");
    write_parquet(&table, File::create(&path).unwrap()).unwrap();
    assert_eq!(read_parquet(&path).unwrap(), table);
}

#[test]
fn an_empty_table_has_its_columns() {
    let t = Table {
        columns: vec![("run".into(), ColumnData::I64(vec![]))],
    };
    let path = tmp("empty.parquet");
    write_parquet(&t, File::create(&path).unwrap()).unwrap();
    assert_eq!(read_parquet(&path).unwrap(), t);
}

#[test]
fn a_ragged_table_is_refused_before_writing() {
    let t = Table {
        columns: vec![
            ("a".into(), ColumnData::I64(vec![1, 2])),
            ("b".into(), ColumnData::F64(vec![1.0])),
        ],
    };
    let mut out = Vec::new();
    let err = write_parquet(&t, &mut out).unwrap_err();
    assert!(err.to_string().contains("`b` has 1 rows"), "{err}");
    assert!(out.is_empty());
}
