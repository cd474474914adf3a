//! `furnace run` end to end: the built binary on the LAM baseline.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A fresh, empty directory under the system temp dir.
fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("furnace-run-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn furnace(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_furnace"))
        .current_dir(repo())
        .args(args)
        .output()
        .expect("run furnace")
}

#[test]
fn baseline_runs_end_to_end() {
    let out = out_dir("baseline");
    let o = furnace(&[
        "run",
        "scenarios/lam-baseline.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("LAM baseline"), "{stdout}");
    assert!(stdout.contains("invariants   ok"), "{stdout}");
    assert!(stdout.contains("warning: USD subscriptions"), "{stdout}");

    let csv = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for column in [
        "step",
        "actions",
        "token_price_usd",
        "tokens_consumed",
        "burned",
        "creator",
        "ecosystem",
        "emitted",
        "supply",
        "unfunded_actions",
        "leg_burn",
        "leg_creator",
        "leg_ecosystem",
        "regime",
        "break_even_emissions",
        "cum_tokens_consumed",
        "cum_burned",
        "cum_emitted",
        "cum_creator",
        "cum_usd_revenue",
    ] {
        assert!(header.contains(&column), "missing column {column}");
    }
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 365);
    assert!(rows.iter().all(|r| r.split(',').count() == header.len()));
    assert!(rows[0].starts_with("1,"));

    let json = std::fs::read_to_string(out.join("summary.json")).unwrap();
    let summary: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(summary["days"], 365);
    assert_eq!(summary["initial_supply"], "1000000000");
    assert_eq!(summary["invariants"], "ok");
    assert!(summary["periods"].as_array().unwrap().len() >= 12);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn overrides_reach_scenario_and_economy() {
    let out = out_dir("overrides");
    let o = furnace(&[
        "run",
        "scenarios/lam-baseline.toml",
        "--out",
        out.to_str().unwrap(),
        "--set",
        "days=90",
        "--set",
        "price.start_usd=0.02",
        "--set",
        "economy.versions.LAM-1.price_usd=0.01",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    assert_eq!(csv.lines().count(), 91);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let first: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let col = |name: &str| first[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(col("token_price_usd"), "0.02");
    // $0.01 per action at $0.02 per LAM.
    assert_eq!(col("tokens_per_action"), "0.5");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["days"], 90);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn bad_input_exits_2() {
    let out = out_dir("bad");
    let o = furnace(&[
        "run",
        "scenarios/lam-baseline.toml",
        "--out",
        out.to_str().unwrap(),
        "--set",
        "days=0",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("days"));
    assert!(!out.join("summary.json").exists());
}

/// Regression: an error in an `economy.`-prefixed override used to name the
/// key without its prefix, not as the user typed it.
#[test]
fn a_bad_economy_override_is_named_as_typed() {
    let out = out_dir("bad-economy-override");
    let o = furnace(&[
        "run",
        "scenarios/lam-baseline.toml",
        "--out",
        out.to_str().unwrap(),
        "--set",
        "economy.splits.action.legs[9].share=5%",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("`economy.splits.action.legs[9].share`: --set economy.splits.action.legs[9].share=5%: index 9 is out of range (length 4)"),
        "{err}"
    );
}
