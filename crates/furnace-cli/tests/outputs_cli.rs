//! `furnace columns` and `furnace run --base-units` end to end.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn furnace(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_furnace"))
        .current_dir(repo())
        .args(args)
        .output()
        .expect("run furnace")
}

fn stdout(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn columns_lists_the_scenarios_columns_with_units() {
    let text = stdout(&furnace(&["columns", "scenarios/lam-baseline.toml"]));
    for needle in [
        "timeseries.csv",
        "periods.csv",
        "summary.json",
        "leg_ecosystem",
        "lam_usd_reserve_LAM",
        "LAM_in_opened_accounts",
        "1e-18 LAM",
        "USD per LAM",
        "break_even_emissions_trailing",
    ] {
        assert!(text.contains(needle), "no {needle} in\n{text}");
    }
    // `--set` reaches the economy: a new account is a new column.
    let json = stdout(&furnace(&[
        "columns",
        "scenarios/lam-baseline.toml",
        "--json",
        "--set",
        "economy.accounts.reserve_fund={}",
    ]));
    let entries: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let fund = entries
        .iter()
        .find(|e| e["name"] == "reserve_fund_LAM")
        .expect("the new account's column");
    assert_eq!(fund["file"], "timeseries.csv");
    assert_eq!(fund["family"], "<account>_<ASSET>");
    assert_eq!(fund["unit"], "LAM");
    assert_eq!(fund["decimals"], 18);
}

#[test]
fn run_writes_periods_csv_and_base_units() {
    let out = std::env::temp_dir().join(format!("furnace-outputs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let text = stdout(&furnace(&[
        "run",
        "scenarios/lam-market.toml",
        "--out",
        out.to_str().unwrap(),
        "--set",
        "days=45",
        "--base-units",
    ]));
    assert!(text.contains("periods.csv"), "{text}");
    let csv = std::fs::read_to_string(out.join("timeseries.csv")).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let first: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let col = |name: &str| first[header.iter().position(|h| *h == name).unwrap()];
    // $0.10 per LAM is 10^11 pico-USD; 1 LAM per action is 10^18 base units.
    assert_eq!(col("token_price_usd"), "100000000000");
    assert_eq!(col("tokens_per_action"), "1000000000000000000");
    assert!(!col("LAM_supply").contains('.'));
    let periods = std::fs::read_to_string(out.join("periods.csv")).unwrap();
    assert_eq!(
        periods.lines().next().unwrap(),
        "period,first_step,last_step,burned,emitted,net_supply_change,regime,unfunded_actions"
    );
    assert_eq!(periods.lines().count(), 3); // 30 + 15 steps
    let _ = std::fs::remove_dir_all(&out);
}
