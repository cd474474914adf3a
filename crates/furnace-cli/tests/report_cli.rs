//! The reports of `furnace run --runs`, `furnace sweep` and `furnace
//! sensitivity` end to end: the built binary on the bundled scenarios,
//! the files read back.

use furnace_report::{read_parquet, ColumnData, Table};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("furnace-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn furnace(args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_furnace"))
        .current_dir(repo())
        .args(args)
        .output()
        .expect("run furnace");
    assert!(
        o.status.success(),
        "furnace {args:?}\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

/// A CSV without quoted fields: header and rows.
fn csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    (header, rows)
}

fn column<'a>(t: &'a Table, name: &str) -> &'a ColumnData {
    &t.columns
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no column {name}"))
        .1
}

/// A CSV cell as pandas reads it: the nearest double, NaN when empty.
fn float(cell: &str) -> f64 {
    if cell.is_empty() {
        f64::NAN
    } else {
        cell.parse().unwrap()
    }
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

#[test]
fn monte_carlo_writes_the_report_and_parquet_that_match_the_csvs() {
    let out = out_dir("mc");
    let o = out.to_str().unwrap();
    furnace(&["run", "scenarios/fuel-sweep.toml", "--runs", "20", "--out", o]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for part in [
        "<svg",
        "id=\"charts\"",
        "id=\"detectors\"",
        "id=\"parameters\"",
        "burn against emission",
        "href=\"runs.parquet\"",
    ] {
        assert!(html.contains(part), "report.html lacks {part}");
    }
    assert!(!html.contains("<script"));
    for chart in ["01-supply", "02-price", "03-burn-against-emission"] {
        for ext in ["svg", "png"] {
            let f = out.join("charts").join(format!("{chart}.{ext}"));
            assert!(std::fs::metadata(&f).unwrap().len() > 0, "{}", f.display());
        }
    }

    // runs.parquet holds runs.csv's rows, each value the CSV's decimal
    // rounded to the nearest double.
    let (header, rows) = csv(&out.join("runs.csv"));
    assert_eq!(rows.len(), 20);
    let t = read_parquet(&out.join("runs.parquet")).unwrap();
    let names: Vec<&str> = t.columns.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, header);
    assert_eq!(t.rows(), 20);
    for (k, name) in header.iter().enumerate() {
        for (i, row) in rows.iter().enumerate() {
            match column(&t, name) {
                ColumnData::U64(v) => assert_eq!(v[i].to_string(), row[k], "{name} run {i}"),
                ColumnData::F64(v) => assert!(
                    same(v[i], float(&row[k])),
                    "{name} run {i}: {} vs {}",
                    v[i],
                    row[k]
                ),
                other => panic!("{name}: {other:?}"),
            }
        }
    }
    assert!(header.iter().any(|h| h == "final_supply"));

    // bands.parquet: bands.csv's rows, the same steps and series.
    let (bh, brows) = csv(&out.join("bands.csv"));
    let b = read_parquet(&out.join("bands.parquet")).unwrap();
    assert_eq!(b.rows(), brows.len());
    let p50 = bh.iter().position(|h| h == "p50").unwrap();
    let ColumnData::F64(v) = column(&b, "p50") else {
        panic!("p50 is not a double")
    };
    for (i, row) in brows.iter().enumerate() {
        assert!(same(v[i], float(&row[p50])), "row {i}");
    }
}
