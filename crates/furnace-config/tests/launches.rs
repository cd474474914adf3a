//! `[launches.X]`: the file syntax of the core's bonding-curve `LaunchSpec`
//! (FOMO's raise, seed 004), exact values and located errors.

mod common;

use common::*;
use furnace_core::economy::{
    Allocation, AllocationTarget, BondingCurve, Destination, LaunchParty, LaunchSpec,
};
use furnace_core::units::Ppm;

const T: u128 = 1_000_000_000_000_000_000;

/// FOMO's raise with the core tests' ASSUMPTION figures
/// (`furnace-core/tests/common/fomo.rs`): the maximum raise of 400,000
/// FLOCK sells exactly the 400,000-token sale allocation.
const FOMO: &str = r#"name = "FOMO"
numeraire = "USD"

[tokens.USD]
decimals = 6

[tokens.FLOCK]
max_supply = "1_000_000_000"

[accounts.platform]
[accounts.treasury]
[accounts.incentives]
[accounts.holders]

[genesis.holders]
FLOCK = "10_000_000"

[launches.rmo]
quote = "FLOCK"
total_supply = "1_000_000"
allocations = [
  { to = "sale", share = "40%" },
  { to = "liquidity", share = "20%" },
  { to = "incentives", share = "20%" },
  { name = "operator", to = "issuer", share = "10%" },
  { to = "treasury", share = "10%" },
]
curve = { virtual_quote = "100_000", virtual_tokens = "500_000" }
window_days = 7
min_raise = "100_000"
max_raise = "400_000"
max_commit_per_buyer = "150_000"
issuer_max_share = "25%"
purchase_fee = "1.5%"
purchase_fee_to = "platform"
launch_fee = "32_768"
raise_to_liquidity = "50%"
raise_rest_to = "treasury"
pool_fee = "0.3%"
lp_to = "issuer"
"#;

const FOMO_FILE: &str = "economies/fomo.toml";

#[test]
fn fomos_raise_compiles_to_the_core_exactly() {
    let loaded = compiles(FOMO_FILE, FOMO);
    let e = &loaded.economy;
    let a = |n: &str| e.account_by_name(n).unwrap();
    let entry = |name: &str, percent: u32, to| Allocation {
        name: name.into(),
        share: Ppm(percent * 10_000),
        to,
    };
    assert_eq!(
        e.launches,
        vec![LaunchSpec {
            name: "rmo".into(),
            quote: e.asset_by_name("FLOCK").unwrap(),
            decimals: 18,
            total_supply: 1_000_000 * T,
            allocations: vec![
                entry("sale", 40, AllocationTarget::Sale),
                entry("liquidity", 20, AllocationTarget::Liquidity),
                entry("incentives", 20, AllocationTarget::Account(a("incentives"))),
                entry("operator", 10, AllocationTarget::Issuer),
                entry("treasury", 10, AllocationTarget::Account(a("treasury"))),
            ],
            curve: BondingCurve {
                virtual_quote: 100_000 * T,
                virtual_tokens: 500_000 * T,
            },
            window_steps: 7,
            min_raise: 100_000 * T,
            max_raise: 400_000 * T,
            max_commit_per_buyer: Some(150_000 * T),
            issuer_max_share: Ppm(250_000),
            purchase_fee: Ppm(15_000),
            purchase_fee_to: Destination::Account(a("platform")),
            launch_fee: 32_768 * T,
            // Defaults to the purchase fee's destination.
            launch_fee_to: Destination::Account(a("platform")),
            raise_to_liquidity: Ppm(500_000),
            raise_rest_to: LaunchParty::Account(a("treasury")),
            pool_fee: Ppm(3_000),
            lp_to: LaunchParty::Issuer,
            staking: None,
            usage: None,
        }]
    );
}

#[test]
fn the_launched_tokens_decimals_scale_its_amounts() {
    let text = edit(
        FOMO,
        "quote = \"FLOCK\"\n",
        "quote = \"FLOCK\"\ndecimals = 6\n",
    );
    let loaded = compiles(FOMO_FILE, &text);
    let l = &loaded.economy.launches[0];
    assert_eq!(l.decimals, 6);
    assert_eq!(l.total_supply, 1_000_000 * 1_000_000);
    assert_eq!(l.curve.virtual_tokens, 500_000 * 1_000_000);
    // Quote amounts keep FLOCK's 18 decimals.
    assert_eq!(l.curve.virtual_quote, 100_000 * T);
}

#[test]
fn allocations_not_summing_to_100_percent_are_located() {
    let text = edit(
        FOMO,
        r#"{ to = "treasury", share = "10%" },"#,
        r#"{ to = "treasury", share = "5%" },"#,
    );
    let e = only_error_in(FOMO_FILE, &text);
    assert_eq!(e.key, "launches.rmo.allocations");
    assert!(
        e.message.contains(
            "allocation shares must sum to exactly 100%, they sum to 95% (sale 40% + liquidity 20% + incentives 20% + operator 10% + treasury 5%)"
        ),
        "{}",
        e.message
    );
    let (line, _) = at(&text, "allocations = [");
    assert_eq!(e.line, Some(line));
}

#[test]
fn the_cores_launch_rules_find_their_lines() {
    // A maximum raise that would sell more than the sale allocation, and a
    // table without a liquidity entry.
    let text = edit(FOMO, r#"max_raise = "400_000""#, r#"max_raise = "500_000""#);
    let e = only_error_in(FOMO_FILE, &text);
    assert_eq!(e.key, "launches.rmo.curve");
    assert!(
        e.message.contains("more than the sale allocation"),
        "{}",
        e.message
    );
    let (line, _) = at(&text, "curve = {");
    assert_eq!(e.line, Some(line));

    let text = edit(
        FOMO,
        r#"{ to = "liquidity", share = "20%" },"#,
        r#"{ name = "pool", to = "treasury", share = "20%" },"#,
    );
    let errors = errors_in(FOMO_FILE, &text);
    assert!(
        errors.iter().any(|e| e.key == "launches.rmo.allocations"
            && e.message.contains("needs exactly one `liquidity` entry")
            && e.line.is_some()),
        "{errors:#?}"
    );

    let text = edit(FOMO, "window_days = 7", "window_days = 0");
    let e = only_error_in(FOMO_FILE, &text);
    assert_eq!(e.key, "launches.rmo.window_steps");
    let (line, _) = at(&text, "window_days = 0");
    assert_eq!(e.line, Some(line));
}

#[test]
fn names_and_routes_are_checked_in_one_pass() {
    let text = edit(
        FOMO,
        r#"{ to = "incentives", share"#,
        r#"{ to = "incentivez", share"#,
    );
    let text = edit(&text, r#"raise_rest_to = "treasury""#, "");
    let text = edit(&text, r#"quote = "FLOCK""#, r#"quote = "FLOK""#);
    let errors = errors_in(FOMO_FILE, &text);
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "launches.rmo.quote",
            "launches.rmo.allocations[2].to",
            "launches.rmo.raise_rest_to",
        ],
        "{errors:#?}"
    );
    assert!(errors.iter().all(|e| e.line.is_some()));
}

/// `[launches.X.staking]`: the template of each graduated token's stake
/// pool, read from AImagine's file; an unknown key in it is located.
#[test]
fn a_launch_spec_declares_its_stake_pool_template() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let loaded = furnace_config::load_economy(&root.join("economies/aimagine.toml")).unwrap();
    let e = &loaded.economy;
    let t = e.launches[0].staking.as_ref().expect("a staking template");
    assert_eq!(t.name, "agent.staking");
    assert_eq!(t.reward, e.asset_by_name("AIMG").unwrap());
    assert_eq!(
        t.weight,
        furnace_core::economy::PoolWeight::Stake {
            asset: furnace_core::economy::LAUNCH_TOKEN
        }
    );
    assert_eq!(t.empty_to, e.account_by_name("treasury").unwrap());
    assert_eq!(t.dust_to, e.account_by_name("unallocated").unwrap());
    let mut source = furnace_config::Source::read(&root.join("economies/aimagine.toml")).unwrap();
    source.overrides = vec![("launches.agent.staking.rewrd".into(), "\"AIMG\"".into())];
    let err = furnace_config::compile_economy(source)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("rewrd") && err.contains("reward"), "{err}");
}
