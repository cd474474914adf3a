//! `furnace run` (and `furnace columns`) end to end: the built binary on
//! the bundled scenarios.

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
        "emitted",
        "supply",
        "unfunded_actions",
        "leg_burn",
        "leg_creator",
        "leg_ecosystem",
        "regime",
        "break_even_emissions_trailing",
        "cum_tokens_consumed",
        "cum_burned",
        "cum_emitted",
        "cum_creator",
        "cum_usd_revenue",
        // Generic ledger columns, named by the economy file.
        "lam_usd_reserve_LAM",
        "lam_usd_reserve_USD",
        "LAM_price",
        "LAM_supply",
        "LAM_burned_action",
        "USD_inflow",
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
fn bad_input_exits_3() {
    let out = out_dir("bad");
    let o = furnace(&[
        "run",
        "scenarios/lam-baseline.toml",
        "--out",
        out.to_str().unwrap(),
        "--set",
        "days=0",
    ]);
    assert_eq!(o.status.code(), Some(3));
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
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--set economy.splits.action.legs[9].share=5%: `economy.splits.action.legs[9].share`: index 9 is out of range (length 4)"),
        "{err}"
    );
}

#[test]
fn events_written_by_run_replay_to_the_same_supply() {
    let out = out_dir("events");
    let log = out.join("events.jsonl");
    let o = furnace(&[
        "run",
        "scenarios/lam-baseline.toml",
        "--out",
        out.to_str().unwrap(),
        "--events",
        log.to_str().unwrap(),
        "--set",
        "days=30",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let first_line = std::fs::read_to_string(&log).unwrap();
    assert!(first_line.starts_with("{\"format\":\"furnace-events\""));

    let o = furnace(&[
        "replay",
        "economies/lam.toml",
        log.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let replayed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(replayed["assets"]["LAM"]["supply"], summary["final_supply"]);
    assert_eq!(
        replayed["assets"]["LAM"]["holders"]["community"],
        summary["balances"]["community"]["LAM"]
    );

    // A scenario that changes its economy is replayed with the scenario.
    let market_log = out.join("market.bin");
    let o = furnace(&[
        "run",
        "scenarios/lam-market.toml",
        "--out",
        out.to_str().unwrap(),
        "--events",
        market_log.to_str().unwrap(),
        "--set",
        "days=20",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let market: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let o = furnace(&[
        "replay",
        "scenarios/lam-market.toml",
        market_log.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let replayed: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(replayed["assets"]["LAM"]["supply"], market["final_supply"]);
    // Against the bare economy (LAM priced from outside) it is refused.
    let o = furnace(&["replay", "economies/lam.toml", market_log.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("replay it with the scenario file"));

    // A log replayed against another economy is refused, naming what is missing.
    let o = furnace(&["replay", "economies/ast.toml", log.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("token `LAM`"), "{err}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn swap_quotes_the_pool_exactly() {
    // lam_usd: 50,000,000 LAM / 5,000,000 USD, fee 0.3%. Selling 1,000,000
    // LAM: out = floor(10^24*997000*5*10^12 / (5*10^25*10^6 + 10^24*997000))
    // micro-dollars = 97,750,848,089 (python3 integer arithmetic).
    let o = furnace(&[
        "swap",
        "economies/lam.toml",
        "--pool",
        "lam_usd",
        "--sell",
        "1000000",
        "LAM",
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let q: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(q["amount_in"], "1000000");
    assert_eq!(q["amount_out"], "97750.848089");
    assert_eq!(q["fee"], "3000");
    assert_eq!(q["price_before"], "0.1");
    // 4,902,249.151911 / 51,000,000, rounded down to 18 decimals.
    assert_eq!(q["price_after"], "0.096122532390411764");
    assert_eq!(q["reserves_after"]["LAM"], "51000000");
    assert_eq!(q["reserves_after"]["USD"], "4902249.151911");

    // Buying the whole reserve is refused with its stable code.
    let o = furnace(&[
        "swap",
        "economies/lam.toml",
        "--pool",
        "lam_usd",
        "--buy",
        "50000000",
        "LAM",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("insufficient_liquidity"));
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
    let out = out_dir("base-units");
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
