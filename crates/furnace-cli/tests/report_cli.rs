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

/// docs/outputs.md names `name` in backquotes, or its family pattern.
fn documented(name: &str, keys: &[&str]) {
    let doc = std::fs::read_to_string(repo().join("docs/outputs.md")).unwrap();
    let pattern = if keys.contains(&name) {
        "<key>".to_string()
    } else if name.starts_with("detector_") {
        "detector_<name>".to_string()
    } else if let Some(rest) = name.strip_prefix("final_") {
        match rest.rsplit_once("_p") {
            Some((_, q)) if ["5", "50", "95"].contains(&q) && keys.contains(&"<sweep>") => {
                format!("final_<series>_p{q}")
            }
            _ => "final_<series>".to_string(),
        }
    } else {
        name.to_string()
    };
    assert!(
        doc.contains(&format!("`{pattern}`")),
        "docs/outputs.md does not mention `{pattern}` (for {name})"
    );
}

fn same(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

#[test]
fn monte_carlo_writes_the_report_and_parquet_that_match_the_csvs() {
    let out = out_dir("mc");
    let o = out.to_str().unwrap();
    furnace(&[
        "run",
        "scenarios/fuel-sweep.toml",
        "--runs",
        "20",
        "--out",
        o,
    ]);
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
    for name in &header {
        documented(name, &[]);
    }

    // bands.parquet: bands.csv's rows, the same steps and series.
    let (bh, brows) = csv(&out.join("bands.csv"));
    let b = read_parquet(&out.join("bands.parquet")).unwrap();
    assert_eq!(b.rows(), brows.len());
    for (name, _) in &b.columns {
        documented(name, &[]);
    }
    let p50 = bh.iter().position(|h| h == "p50").unwrap();
    let ColumnData::F64(v) = column(&b, "p50") else {
        panic!("p50 is not a double")
    };
    for (i, row) in brows.iter().enumerate() {
        assert!(same(v[i], float(&row[p50])), "row {i}");
    }
}

#[test]
fn a_sweep_is_its_points_run_alone_with_their_parameters() {
    let out = out_dir("sweep");
    let o = out.to_str().unwrap();
    furnace(&[
        "sweep",
        "scenarios/lam-baseline.toml",
        "--grid",
        "demand.noise=0%,20%",
        "--grid",
        "price.start_usd=0.01,0.02",
        "--set",
        "days=60",
        "--runs",
        "4",
        "--out",
        o,
    ]);
    let (head, rows) = csv(&out.join("sweep.csv"));
    assert_eq!(&head[..3], ["demand.noise", "price.start_usd", "runs"]);
    let points: Vec<(&str, &str)> = rows.iter().map(|r| (&*r[0], &*r[1])).collect();
    assert_eq!(
        points,
        [
            ("0%", "0.01"),
            ("0%", "0.02"),
            ("20%", "0.01"),
            ("20%", "0.02")
        ]
    );
    for name in &head {
        documented(name, &["demand.noise", "price.start_usd", "<sweep>"]);
    }
    let (runs_head, runs) = csv(&out.join("sweep_runs.csv"));
    assert_eq!(runs.len(), 16);
    let pq = read_parquet(&out.join("sweep_runs.parquet")).unwrap();
    assert_eq!(pq.rows(), 16);
    let sweep_pq = read_parquet(&out.join("sweep.parquet")).unwrap();
    assert_eq!(sweep_pq.rows(), 4);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"sweep\""), "no sweep table");

    for (i, (noise, price)) in points.iter().enumerate() {
        let alone = out_dir(&format!("point{i}"));
        furnace(&[
            "run",
            "scenarios/lam-baseline.toml",
            "--set",
            "days=60",
            "--set",
            &format!("demand.noise={noise}"),
            "--set",
            &format!("price.start_usd={price}"),
            "--runs",
            "4",
            "--out",
            alone.to_str().unwrap(),
        ]);
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(alone.join("summary.json")).unwrap())
                .unwrap();
        for (k, name) in head.iter().enumerate().skip(3) {
            let want = if let Some(d) = name.strip_prefix("detector_") {
                summary["detectors"][d]["share"].to_string()
            } else {
                let rest = name.strip_prefix("final_").unwrap();
                let (series, q) = rest.rsplit_once('_').unwrap();
                summary["final"][series][q].as_str().unwrap().to_string()
            };
            assert_eq!(
                float(&rows[i][k]).to_string(),
                float(&want).to_string(),
                "point {i} {name}"
            );
            if !name.starts_with("detector_") {
                assert_eq!(rows[i][k], want, "point {i} {name}");
            }
        }
        // Each of the point's runs is the run alone's row, its parameters
        // leading.
        let (alone_head, alone_runs) = csv(&alone.join("runs.csv"));
        assert_eq!(runs_head[2..], alone_head[..]);
        for (r, alone_row) in alone_runs.iter().enumerate() {
            let row = &runs[i * 4 + r];
            assert_eq!((&*row[0], &*row[1]), (*noise, *price));
            assert_eq!(row[2..], alone_row[..], "point {i} run {r}");
        }
    }
}

#[test]
fn sweep_usage_and_point_errors() {
    let out = out_dir("sweep-bad");
    let o = out.to_str().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_furnace"))
            .current_dir(repo())
            .args(args)
            .output()
            .unwrap()
    };
    let zip = run(&[
        "sweep",
        "scenarios/lam-baseline.toml",
        "--zip",
        "days=5,6",
        "--zip",
        "seed=1",
        "--runs",
        "2",
        "--out",
        o,
    ]);
    assert_eq!(zip.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&zip.stderr).contains("same length"));
    let bad = run(&[
        "sweep",
        "scenarios/lam-baseline.toml",
        "--grid",
        "days=5,0",
        "--runs",
        "2",
        "--out",
        o,
    ]);
    assert_eq!(bad.status.code(), Some(3));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("sweep point 2 (days=0)"), "{err}");
    // Nothing ran: no point's runs were written.
    assert!(!out.join("sweep_runs.csv").exists());
}

/// A point's final supply p50, running it alone.
fn supply_p50_alone(name: &str, sets: &[String]) -> String {
    let alone = out_dir(name);
    let mut args: Vec<&str> = vec!["run", "scenarios/lam-baseline.toml", "--set", "days=60"];
    for s in sets {
        args.push("--set");
        args.push(s);
    }
    args.extend(["--runs", "4", "--out", alone.to_str().unwrap()]);
    furnace(&args);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(alone.join("summary.json")).unwrap())
            .unwrap();
    summary["final"]["supply"]["p50"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn sensitivity_ranks_keys_by_swing_with_the_points_own_values() {
    let out = out_dir("sensitivity");
    let vary = [
        ("demand.noise", "0%", "20%"),
        ("price.start_usd", "0.005", "0.02"),
        ("demand.actions_per_day", "500000", "3000000"),
    ];
    let mut args: Vec<String> = [
        "sensitivity",
        "scenarios/lam-baseline.toml",
        "--set",
        "days=60",
        "--outcome",
        "final_supply",
        "--runs",
        "4",
        "--out",
        out.to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec();
    for (k, lo, hi) in vary {
        args.push("--vary".into());
        args.push(format!("{k}={lo},{hi}"));
    }
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    furnace(&argv);
    let base = supply_p50_alone("sens-base", &[]);
    // Each key alone at its low and high value, the swing in f64 (the
    // values are exact decimals; the order needs no more).
    let mut want: Vec<(String, String, String, f64)> = vary
        .iter()
        .map(|(k, lo, hi)| {
            let low = supply_p50_alone(&format!("sens-{k}-lo"), &[format!("{k}={lo}")]);
            let high = supply_p50_alone(&format!("sens-{k}-hi"), &[format!("{k}={hi}")]);
            let swing = (float(&high) - float(&low)).abs();
            (k.to_string(), low, high, swing)
        })
        .collect();
    want.sort_by(|a, b| b.3.total_cmp(&a.3));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("tornado.json")).unwrap()).unwrap();
    let (head, rows) = csv(&out.join("tornado.csv"));
    assert_eq!(
        head,
        [
            "parameter",
            "low",
            "high",
            "outcome_at_low",
            "outcome_at_high",
            "swing",
            "base"
        ]
    );
    assert_eq!(rows.len(), 3);
    for name in &head {
        documented(name, &[]);
    }
    for key in json.as_object().unwrap().keys().filter(|k| *k != "bars") {
        documented(key, &[]);
    }
    for key in json["bars"][0].as_object().unwrap().keys() {
        documented(&format!("bars[].{key}"), &[]);
    }
    for (row, (k, low, high, _)) in rows.iter().zip(&want) {
        assert_eq!(&row[0], k);
        assert_eq!((&row[3], &row[4], &row[6]), (low, high, &base), "{k}");
    }
    assert_eq!(json["bars"][0]["parameter"], want[0].0);
    assert_eq!(json["base"], base);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"sensitivity\""));
    assert!(out.join("charts/tornado.svg").exists() && out.join("charts/tornado.png").exists());
}

/// What `--json` printed, asserted equal to the file the command wrote.
fn printed_and_written(o: &Output, path: &Path) -> serde_json::Value {
    let printed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(printed, file, "--json prints {}", path.display());
    file
}

#[test]
fn sweep_json_is_sweep_csv_with_each_points_days_and_parameters() {
    let out = out_dir("sweep-json");
    let o = furnace(&[
        "sweep",
        "scenarios/fuel-sweep.toml",
        "--grid",
        "days=10,20",
        "--zip",
        "demand.growth_sd=1%,3%",
        "--runs",
        "3",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    let file = printed_and_written(&o, &out.join("sweep.json"));
    assert_eq!(file["schema"], "furnace-sweep");
    assert_eq!(file["runs"], "3");
    assert_eq!(
        file["keys"],
        serde_json::json!(["days", "demand.growth_sd"])
    );
    for key in file.as_object().unwrap().keys().filter(|k| *k != "points") {
        documented(key, &[]);
    }
    documented("points[].days", &[]);
    documented("points[].parameters.<key>", &[]);
    let (head, rows) = csv(&out.join("sweep.csv"));
    let points = file["points"].as_array().unwrap();
    assert_eq!(points.len(), 4);
    for (p, row) in points.iter().zip(&rows) {
        assert_eq!(p["parameters"]["days"], row[0]);
        assert_eq!(p["parameters"]["demand.growth_sd"], row[1]);
        assert_eq!(p["days"].to_string(), row[0], "a point's own days");
        let outcomes = p["outcomes"].as_object().unwrap();
        assert_eq!(outcomes.len(), head.len() - 3);
        for (name, cell) in head.iter().zip(row).skip(3) {
            match &outcomes[name] {
                serde_json::Value::String(s) => assert_eq!(s, cell, "{name}: exact"),
                serde_json::Value::Number(n) => {
                    assert_eq!(n.as_f64().unwrap(), float(cell), "{name}")
                }
                v => panic!("{name}: {v}"),
            }
        }
    }
}

#[test]
fn sensitivity_json_prints_tornado_json() {
    let out = out_dir("sens-json");
    let o = furnace(&[
        "sensitivity",
        "scenarios/fuel-sweep.toml",
        "--set",
        "days=15",
        "--outcome",
        "final_supply",
        "--vary",
        "demand.growth_mean=0%,2%",
        "--runs",
        "3",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    let file = printed_and_written(&o, &out.join("tornado.json"));
    assert_eq!(file["bars"][0]["parameter"], "demand.growth_mean");
}

#[test]
fn one_run_writes_a_page_of_lines_from_its_own_csv() {
    let out = out_dir("one-run");
    furnace(&[
        "run",
        "scenarios/lam-earning.toml",
        "--set",
        "days=40",
        "--out",
        out.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let (head, rows) = csv(&out.join("timeseries.csv"));
    let last = rows.last().unwrap();
    let at = |name: &str| &last[head.iter().position(|h| h == name).unwrap()];
    // The headline figures are the CSV's last row, exact.
    for name in ["supply", "cum_burned"] {
        assert!(
            html.contains(&format!(
                "<td>final {name}</td><td class=\"num\">{}</td>",
                at(name)
            )),
            "final {name}"
        );
    }
    assert!(html.contains("1 run × 40 days"));
    assert!(html.contains("<td>ledger invariants</td><td class=\"num\">hold</td>"));
    // One inline chart per chart file; lines, not bands (no band note).
    let charts: Vec<_> = std::fs::read_dir(out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    let svgs = charts.iter().filter(|f| f.ends_with(".svg")).count();
    assert!(svgs >= 3, "{charts:?}");
    assert_eq!(html.matches("<svg ").count(), svgs);
    assert!(!html.contains("p25–p75"));
    for f in ["timeseries.csv", "periods.csv", "summary.json"] {
        assert!(html.contains(&format!("href=\"{f}\"")), "{f} linked");
    }

    let bare = out_dir("one-run-bare");
    furnace(&[
        "run",
        "scenarios/lam-earning.toml",
        "--set",
        "days=5",
        "--no-report",
        "--out",
        bare.to_str().unwrap(),
    ]);
    assert!(bare.join("timeseries.csv").exists());
    assert!(!bare.join("report.html").exists() && !bare.join("charts").exists());
}
