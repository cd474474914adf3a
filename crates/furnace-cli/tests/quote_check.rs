//! End-to-end tests of `furnace quote` and `furnace check`, run through the
//! built binary against the bundled economy.

use serde_json::Value;
use std::path::PathBuf;
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn furnace(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_furnace"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the furnace binary runs")
}

fn quote_json(extra: &[&str]) -> Value {
    let mut args = vec![
        "quote",
        "economies/lam.toml",
        "--version",
        "LAM-1",
        "--json",
    ];
    args.extend_from_slice(extra);
    let out = furnace(&args);
    assert!(
        out.status.success(),
        "quote failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("quote --json prints JSON")
}

#[test]
fn quote_reproduces_the_seed_small_task() {
    // Seed 001: LAM-1 = $0.10, P = $0.01 -> 10 tokens: 3.4 burned, 3.3 creator, 3.3 ecosystem.
    let q = quote_json(&["--token-price", "0.01", "--actions", "1"]);
    assert_eq!(q["usd"], "0.1");
    assert_eq!(q["tokens"], "10");
    assert_eq!(q["tokens_per_action"], "10");
    assert_eq!(q["burned"], "3.4");
    assert_eq!(q["creator"], "3.3");
    assert_eq!(q["ecosystem"], "3.3");
    assert_eq!(q["dust"], "0");
    assert_eq!(q["base_units"]["burned"], "3400000000000000000");
    // USD equivalents per action are price-invariant (seed 001).
    let legs = q["legs"].as_array().unwrap();
    let usd: Vec<&str> = legs.iter().map(|l| l["usd"].as_str().unwrap()).collect();
    assert_eq!(usd, ["0.034", "0.033", "0.033", "0"]);
}

#[test]
fn quote_tokens_per_action_follows_the_price() {
    for (price, tokens) in [("0.01", "10"), ("0.10", "1"), ("1.00", "0.1")] {
        let q = quote_json(&["--token-price", price]);
        assert_eq!(q["tokens_per_action"], tokens, "at ${price}");
    }
}

#[test]
fn quote_without_marketplace_routes_the_creator_share() {
    let q = quote_json(&[
        "--token-price",
        "0.01",
        "--actions",
        "1000",
        "--no-marketplace",
    ]);
    assert_eq!(q["tokens"], "10000");
    assert_eq!(q["creator"], "0");
    assert_eq!(q["no_marketplace"], "3300");
    assert_eq!(q["no_marketplace_to"], "ecosystem_rewards");
    assert_eq!(q["credits"]["ecosystem_rewards"], "3300");
    assert_eq!(q["burned"], "3400");
    assert_eq!(q["ecosystem"], "3300");
}

#[test]
fn quote_at_a_later_creator_epoch_pays_the_epoch_share() {
    // Epoch 4 pays 17.5%: of 10 tokens, 1.75 to the creator, 1.55 shortfall.
    let q = quote_json(&["--token-price", "0.01", "--creator-epoch", "4"]);
    assert_eq!(q["creator_share"], "17.5%");
    assert_eq!(q["creator"], "1.75");
    assert_eq!(q["creator_shortfall"], "1.55");
    assert_eq!(q["credits"]["ecosystem_rewards"], "1.55");
}

#[test]
fn quote_rounds_a_non_terminating_rate_up_and_books_dust() {
    // $0.10 / $0.03 = 3.333... -> rounded up to 3.333333333333333334 LAM.
    let q = quote_json(&[
        "--token-price",
        "0.03",
        "--actions",
        "7",
        "--creator-epoch",
        "4",
    ]);
    assert_eq!(q["tokens_per_action"], "3.333333333333333334");
    assert_eq!(q["tokens"], "23.333333333333333338");
    assert_eq!(q["dust"], "0.000000000000000002");
    assert_eq!(q["dust_to"], "unallocated");
}

#[test]
fn quote_rejects_bad_flags_with_a_clear_message() {
    let out = furnace(&[
        "quote",
        "economies/lam.toml",
        "--version",
        "LAM-9",
        "--token-price",
        "0.01",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no version `LAM-9`") && err.contains("LAM-1"),
        "{err}"
    );

    let out = furnace(&[
        "quote",
        "economies/lam.toml",
        "--version",
        "LAM-1",
        "--token-price",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("greater than zero"));

    let out = furnace(&[
        "quote",
        "economies/lam.toml",
        "--version",
        "LAM-1",
        "--token-price",
        "-0.01",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_reports_the_seed_contradictions() {
    // `check` on an economy audits the claims files that name it
    // (claims/lam.toml): the seeds' figures recomputed by the engine.
    let out = furnace(&["check", "economies/lam.toml", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["valid"], true);
    assert_eq!(c["claims_contradicted"], 11);
    let claims = c["audits"][0]["claims"].as_array().unwrap();
    let claim = |id: &str| {
        claims
            .iter()
            .find(|x| x["id"] == id)
            .unwrap_or_else(|| panic!("no claim {id}"))
    };
    // LAM-1 is $0.01 in the overview and $0.10 in the formal model.
    assert_eq!(claim("version-price-overview")["verdict"], "contradicted");
    assert_eq!(claim("version-price-overview")["computed"], "0.1");
    // 100,000 x 5 x $1,000 x 12 is $6B a year, not $500M.
    assert_eq!(claim("annual-revenue-low")["computed"], "6000000000");
    // The $800 buyback of a $1,000 agent buys 8,000 actions at $0.10, not
    // the 150,000 the plan includes.
    assert_eq!(claim("agent-buyback-funds-actions")["computed"], "8000");
    assert_eq!(claim("tau-at-0.01")["verdict"], "agrees");

    let out = furnace(&["check", "economies/lam.toml", "--deny-contradictions"]);
    assert_eq!(out.status.code(), Some(5));
}

#[test]
fn check_names_file_line_and_key_for_every_problem() {
    let dir = std::env::temp_dir().join(format!("furnace-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.toml");
    std::fs::write(
        &file,
        r#"name = "bad"
numeraire = "USD"
tokens = { USD = { decimals = 6 }, T = {} }
[versions.v]
token = "T"
price_usd = "-0.1"
split = "s"
[splits.s]
legs = [
  { name = "burn", to = "burn", share = "50%" },
  { name = "eco", to = "ecosystm", share = "49%" },
]
dust_to = "burn"
"#,
    )
    .unwrap();
    let out = furnace(&["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:6:13: `versions.v.price_usd`"),
        "{err}"
    );
    assert!(err.contains("must not be negative"), "{err}");
    assert!(
        err.contains("bad.toml:11:24: `splits.s.legs[1].to`: no account named `ecosystm`"),
        "{err}"
    );

    // Fix those two; the shares still sum to 99%.
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("-0.1", "0.1")
        .replace("ecosystm", "burn");
    std::fs::write(&file, text).unwrap();
    let out = furnace(&["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:9:8: `splits.s.legs`: leg shares must sum to exactly 100%, they sum to 99% (burn 50% + eco 49%)"),
        "{err}"
    );
}

#[test]
fn check_accepts_the_bundled_scenario() {
    let out = furnace(&["check", "scenarios/lam-baseline.toml"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("scenario `LAM baseline`: 365 days of LAM-1"),
        "{text}"
    );
}

/// Regression: `furnace check FILE | head -2` used to panic with "failed
/// printing to stdout: Broken pipe". A closed stdout is not a failure.
#[test]
fn a_closed_stdout_is_not_a_failure() {
    use std::process::Stdio;
    for args in [
        &["check", "economies/lam.toml"][..],
        &[
            "quote",
            "economies/lam.toml",
            "--version",
            "LAM-1",
            "--token-price",
            "0.01",
        ][..],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_furnace"))
            .args(args)
            .current_dir(root())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before the command writes (it first has to
        // read and compile the economy).
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(out.status.success(), "{args:?}: {err}");
    }
}

#[test]
fn quote_a_plan_both_ways_reproduces_the_seed_subscription() {
    // Seed 001: a $1,000 subscription paid in LAM at $0.10 with the 10%
    // discount is 9,000 LAM; paid in USD, 80% ($800) funds buybacks.
    let out = furnace(&[
        "quote",
        "economies/lam.toml",
        "--plan",
        "agent",
        "--token-price",
        "0.10",
        "--json",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let q: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(q["pay_in_token"]["tokens"], "9000");
    assert_eq!(q["pay_in_token"]["usd_equivalent"], "900");
    assert_eq!(q["pay_in_token"]["release_per_action"], "0.06");
    assert_eq!(q["pay_in_usd"]["revenue"]["buyback_budget"], "800");
    assert_eq!(q["pay_in_usd"]["revenue"]["operator_revenue"], "200");
    assert_eq!(q["pay_in_usd"]["buyback"]["tokens"], "8000");
    assert_eq!(q["pay_in_usd"]["buyback"]["actions_funded"], "8000");
    assert_eq!(q["allowance_value_usd"], "15000");

    // At $0.07 the payment does not divide: rounded up to the base unit.
    let out = furnace(&[
        "quote",
        "economies/lam.toml",
        "--plan",
        "agent",
        "--token-price",
        "0.07",
        "--json",
    ]);
    let q: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(q["pay_in_token"]["tokens"], "12857.142857142857142858");

    let out = furnace(&[
        "quote",
        "economies/lam.toml",
        "--plan",
        "agnt",
        "--token-price",
        "0.10",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no plan `agnt` in LAM (plans: agent)"));
}
