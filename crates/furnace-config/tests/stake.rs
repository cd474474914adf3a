//! `[buybacks.X] stake_burn` and `[reward_pools.X] stake_cap`: the file
//! syntax of the core's `StakeBurn` and `StakeCap`, exact values and
//! located errors.

mod common;

use common::*;
use furnace_core::economy::{Destination, StakeBurn, StakeCap};
use furnace_core::units::Ppm;

/// LAM with a LAM staking pool (stake-capped) and its buyback burning only
/// the unstaked fraction, the rest to the stakers' pool.
const STAKERS: &str = r#"
[reward_pools.stakers]
reward = "LAM"
stake = "LAM"
empty_to = "ecosystem"
dust_to = "unallocated"
stake_cap = { cap = "1", excess_rate = "50%", limit = "2", surplus_to = "ecosystem_rewards" }
"#;

fn with_stake() -> String {
    let text = edits(
        LAM,
        &[(
            "destination = \"fuel\"\n",
            "destination = \"stakers\"\nstake_burn = { pool = \"stakers\", excluded = [\"community\", \"ecosystem\"] }\n",
        )],
    );
    format!("{text}{STAKERS}")
}

#[test]
fn a_stake_burn_and_a_stake_cap_compile_to_the_core_exactly() {
    let loaded = compiles(FILE, &with_stake());
    let e = &loaded.economy;
    let pool = e.reward_pool_by_name("stakers").unwrap();
    let program = &e.buybacks[0];
    assert_eq!(program.destination, Destination::RewardPool(pool));
    assert_eq!(
        program.stake_burn,
        Some(StakeBurn {
            pool,
            excluded: vec![
                e.account_by_name("community").unwrap(),
                e.account_by_name("ecosystem").unwrap(),
            ],
        })
    );
    assert_eq!(
        e.reward_pools[pool.index()].stake_cap,
        Some(StakeCap {
            cap_ppm: 1_000_000,
            excess_rate: Ppm(500_000),
            limit_ppm: 2_000_000,
            surplus_to: e.account_by_name("ecosystem_rewards").unwrap(),
        })
    );
}

#[test]
fn excluded_is_optional_and_caps_take_decimals() {
    let text = with_stake()
        .replace(r#", excluded = ["community", "ecosystem"]"#, "")
        .replace(r#"limit = "2""#, r#"limit = "2.5""#)
        .replace(r#"cap = "1""#, r#"cap = "0.75""#);
    let loaded = compiles(FILE, &text);
    let e = &loaded.economy;
    assert_eq!(e.buybacks[0].stake_burn.as_ref().unwrap().excluded, vec![]);
    let pool = e.reward_pool_by_name("stakers").unwrap();
    let cap = e.reward_pools[pool.index()].stake_cap.unwrap();
    assert_eq!((cap.cap_ppm, cap.limit_ppm), (750_000, 2_500_000));
}

#[test]
fn an_unknown_pool_is_located() {
    let text = with_stake().replace(r#"pool = "stakers""#, r#"pool = "stakerz""#);
    let e = only_error_in(FILE, &text);
    assert_eq!(e.key, "buybacks.subscription_revenue.stake_burn.pool");
    assert!(
        e.message.contains("no reward pool named `stakerz`"),
        "{}",
        e.message
    );
    let (line, col) = at(&text, "\"stakerz\"");
    assert_eq!((e.line, e.column), (Some(line), Some(col)));
}

#[test]
fn the_cores_stake_rules_find_their_lines() {
    // A pool that does not stake the bought token, a burned remainder, an
    // unknown excluded account, and a limit below the cap.
    let text = with_stake()
        .replace("destination = \"stakers\"", "destination = \"burn\"")
        .replace(r#"limit = "2""#, r#"limit = "0.5""#);
    let errors = errors_in(FILE, &text);
    let says = |key: &str, what: &str| {
        let e = errors
            .iter()
            .find(|e| e.key == key)
            .unwrap_or_else(|| panic!("no error at `{key}`: {errors:#?}"));
        assert!(e.message.contains(what), "{key}: {}", e.message);
        assert!(e.line.is_some(), "{key} has a line");
    };
    says(
        "buybacks.subscription_revenue.destination",
        "receives the unburned part",
    );
    says(
        "reward_pools.stakers.stake_cap.limit",
        "the limit is at least the cap",
    );

    let text = with_stake().replace(r#""community", "#, r#""nobody", "#);
    let e = only_error_in(FILE, &text);
    assert_eq!(
        e.key,
        "buybacks.subscription_revenue.stake_burn.excluded[0]"
    );
    assert!(
        e.message.contains("no account named `nobody`"),
        "{}",
        e.message
    );

    let text = with_stake().replace(r#"stake = "LAM""#, r#"stake = "USD""#);
    let errors = errors_in(FILE, &text);
    assert!(
        errors
            .iter()
            .any(|e| e.key == "buybacks.subscription_revenue.stake_burn.pool"
                && e.message.contains("does not stake LAM, the token bought")
                && e.line.is_some()),
        "{errors:#?}"
    );
}

#[test]
fn a_stake_cap_needs_every_key() {
    let text = with_stake().replace(r#", surplus_to = "ecosystem_rewards""#, "");
    let e = only_error_in(FILE, &text);
    assert_eq!(e.key, "reward_pools.stakers.stake_cap.surplus_to");
    assert!(e.message.contains("missing"), "{}", e.message);
}
